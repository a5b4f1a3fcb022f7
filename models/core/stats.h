// Statistics in the gem5 style: hierarchical dotted names ("cpu.dtlb.misses"),
// counters, histograms and formulas, dumped as one flat JSON object (DESIGN.md §8).
//
// A statistic registers itself in the global registry when constructed and leaves it
// when destroyed, so a model simply holds its statistics as members:
//
//   vp::stats::Counter reads_{name + ".reads", "register reads"};
//   ++reads_;
//
// Counting is a plain integer increment: no lookup, no virtual call.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace vp::stats {

class StatBase {
  public:
    StatBase(std::string name, std::string description);
    virtual ~StatBase();
    StatBase(const StatBase&) = delete;
    StatBase& operator=(const StatBase&) = delete;

    const std::string& name() const { return name_; }
    const std::string& description() const { return description_; }
    virtual void reset() = 0;
    // The value a summary or a script's expect_stat compares (a histogram: its count).
    virtual double value() const = 0;
    // JSON text of the value (a number, or an object for histograms).
    virtual std::string json() const;

  private:
    std::string name_;
    std::string description_;
};

class Counter final : public StatBase {
  public:
    using StatBase::StatBase;
    Counter& operator++() {
        ++v_;
        return *this;
    }
    Counter& operator+=(uint64_t n) {
        v_ += n;
        return *this;
    }
    uint64_t get() const { return v_; }
    void set(uint64_t v) { v_ = v; }
    void reset() override { v_ = 0; }
    double value() const override { return static_cast<double>(v_); }
    std::string json() const override;

  private:
    uint64_t v_ = 0;
};

// Fixed-width buckets [0, w), [w, 2w) … plus an overflow bucket; keeps count, sum, min, max.
class Histogram final : public StatBase {
  public:
    Histogram(std::string name, std::string description, double bucket_width, size_t buckets);
    void sample(double v);
    uint64_t count() const { return count_; }
    double sum() const { return sum_; }
    double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
    double min() const { return min_; }
    double max() const { return max_; }
    double bucket_width() const { return width_; }
    const std::vector<uint64_t>& buckets() const { return buckets_; }  // last = overflow
    void reset() override;
    double value() const override { return static_cast<double>(count_); }
    std::string json() const override;

  private:
    double width_;
    std::vector<uint64_t> buckets_;
    uint64_t count_ = 0;
    double sum_ = 0, min_ = 0, max_ = 0;
};

// The hot-path histogram: integer samples (cycles, SystemC ticks) and an integer bucket width,
// so sample() is a few integer operations. Reported values are samples × `unit` (e.g. ticks
// → ns), in the same JSON layout as Histogram.
class IntHistogram final : public StatBase {
  public:
    // `bucket_width` in reported units; `unit`: reported units per sample.
    IntHistogram(std::string name, std::string description, double bucket_width, size_t buckets,
                 double unit = 1.0);
    // Changes the reported units per sample (e.g. once the SystemC time resolution is known).
    void set_unit(double unit);
    void sample(uint64_t v) {
        ++count_;
        sum_ += v;
        if (v < min_) min_ = v;
        if (v > max_) max_ = v;
        if (v != last_) {  // latencies repeat: remember the last bucket
            last_ = v;
            const uint64_t i = v / bucket_samples_;
            last_index_ = i < buckets_.size() - 1 ? i : buckets_.size() - 1;
        }
        ++buckets_[last_index_];
    }
    uint64_t count() const { return count_; }
    double mean() const;
    double min() const { return count_ ? static_cast<double>(min_) * unit_ : 0.0; }
    double max() const { return static_cast<double>(max_) * unit_; }
    const std::vector<uint64_t>& buckets() const { return buckets_; }  // last = overflow
    void reset() override;
    double value() const override { return static_cast<double>(count_); }
    std::string json() const override;

  private:
    double bucket_width_;
    double unit_;
    uint64_t bucket_samples_ = 1;
    std::vector<uint64_t> buckets_;
    uint64_t count_ = 0, sum_ = 0, min_ = std::numeric_limits<uint64_t>::max(), max_ = 0;
    uint64_t last_ = std::numeric_limits<uint64_t>::max(), last_index_ = 0;
};

// A value computed from other statistics when read (a miss rate, an average latency).
class Formula final : public StatBase {
  public:
    Formula(std::string name, std::string description, std::function<double()> f);
    void reset() override {}
    double value() const override { return f_(); }
    std::string json() const override;

  private:
    std::function<double()> f_;
};

class Registry {
  public:
    static Registry& global();

    void add(StatBase* s);  // a second statistic with the same name is a logic_error
    void remove(StatBase* s);
    StatBase* find(const std::string& name) const;
    // All statistics, sorted by name; with a prefix, only those under it ("cpu.dtlb").
    std::vector<StatBase*> list(const std::string& prefix = {}) const;
    void reset_all();
    // One flat JSON object {"cpu.dtlb.misses": 12, ...}, sorted by name; `extra` entries
    // (already JSON text) are merged in, e.g. the run's simulated and host time.
    std::string dump_json(const std::map<std::string, std::string>& extra = {}) const;
    // Every statistic's JSON value now, by name: a frozen copy (gem5's stats dump at a point
    // of the run, e.g. the end of a workload's measured phase).
    std::map<std::string, std::string> snapshot() const;
    // One flat JSON object of `values` (name → JSON text), sorted by name.
    static std::string to_json(const std::map<std::string, std::string>& values);

  private:
    std::map<std::string, StatBase*> stats_;
};

}  // namespace vp::stats
