#include "models/core/stats.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace vp::stats {

StatBase::StatBase(std::string name, std::string description)
    : name_(std::move(name)), description_(std::move(description)) {
    Registry::global().add(this);
}

StatBase::~StatBase() {
    Registry::global().remove(this);
}

std::string StatBase::json() const {
    double v = value();
    if (!std::isfinite(v)) return "null";
    return nlohmann::json(v).dump();
}

std::string Counter::json() const {
    return std::to_string(v_);
}

Histogram::Histogram(std::string name, std::string description, double bucket_width, size_t buckets)
    : StatBase(std::move(name), std::move(description)),
      width_(bucket_width > 0 ? bucket_width : 1.0),
      buckets_(buckets + 1, 0) {}

void Histogram::sample(double v) {
    if (count_ == 0) min_ = max_ = v;
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
    ++count_;
    sum_ += v;
    double idx = v < 0 ? 0 : std::floor(v / width_);
    size_t last = buckets_.size() - 1;
    buckets_[idx >= static_cast<double>(last) ? last : static_cast<size_t>(idx)]++;
}

void Histogram::reset() {
    std::fill(buckets_.begin(), buckets_.end(), 0);
    count_ = 0;
    sum_ = min_ = max_ = 0;
}

std::string Histogram::json() const {
    nlohmann::json j;
    j["count"] = count_;
    j["sum"] = sum_;
    j["mean"] = mean();
    j["min"] = min_;
    j["max"] = max_;
    j["bucket_width"] = width_;
    j["buckets"] = buckets_;
    return j.dump();
}

IntHistogram::IntHistogram(std::string name, std::string description, double bucket_width,
                           size_t buckets, double unit)
    : StatBase(std::move(name), std::move(description)),
      bucket_width_(bucket_width > 0 ? bucket_width : 1.0),
      unit_(unit),
      buckets_(buckets + 1, 0) {
    set_unit(unit);
}

void IntHistogram::set_unit(double unit) {
    unit_ = unit > 0 ? unit : 1.0;
    bucket_samples_ =
        std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(bucket_width_ / unit_)));
    last_ = std::numeric_limits<uint64_t>::max();
}

double IntHistogram::mean() const {
    return count_ ? static_cast<double>(sum_) * unit_ / static_cast<double>(count_) : 0.0;
}

void IntHistogram::reset() {
    std::fill(buckets_.begin(), buckets_.end(), 0);
    count_ = sum_ = max_ = 0;
    min_ = std::numeric_limits<uint64_t>::max();
    last_ = std::numeric_limits<uint64_t>::max();
}

std::string IntHistogram::json() const {
    nlohmann::json j;
    j["count"] = count_;
    j["sum"] = static_cast<double>(sum_) * unit_;
    j["mean"] = mean();
    j["min"] = min();
    j["max"] = max();
    j["bucket_width"] = bucket_width_;
    j["buckets"] = buckets_;
    return j.dump();
}

Formula::Formula(std::string name, std::string description, std::function<double()> f)
    : StatBase(std::move(name), std::move(description)), f_(std::move(f)) {}

std::string Formula::json() const {
    double v = f_();
    if (!std::isfinite(v)) return "null";
    return nlohmann::json(v).dump();
}

Registry& Registry::global() {
    static Registry r;
    return r;
}

void Registry::add(StatBase* s) {
    auto [it, inserted] = stats_.emplace(s->name(), s);
    if (!inserted) throw std::logic_error("statistic registered twice: " + s->name());
}

void Registry::remove(StatBase* s) {
    auto it = stats_.find(s->name());
    if (it != stats_.end() && it->second == s) stats_.erase(it);
}

StatBase* Registry::find(const std::string& name) const {
    auto it = stats_.find(name);
    return it == stats_.end() ? nullptr : it->second;
}

std::vector<StatBase*> Registry::list(const std::string& prefix) const {
    std::vector<StatBase*> out;
    for (auto it = stats_.lower_bound(prefix); it != stats_.end(); ++it) {
        const std::string& n = it->first;
        if (n.compare(0, prefix.size(), prefix) != 0) break;
        if (!prefix.empty() && n.size() > prefix.size() && n[prefix.size()] != '.') continue;
        out.push_back(it->second);
    }
    return out;
}

void Registry::reset_all() {
    for (auto& [name, s] : stats_)
        s->reset();
}

std::string Registry::dump_json(const std::map<std::string, std::string>& extra) const {
    std::map<std::string, std::string> all = snapshot();
    for (auto& [name, text] : extra)
        all[name] = text;
    return to_json(all);
}

std::map<std::string, std::string> Registry::snapshot() const {
    std::map<std::string, std::string> all;
    for (auto& [name, s] : stats_)
        all[name] = s->json();
    return all;
}

std::string Registry::to_json(const std::map<std::string, std::string>& values) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (auto& [name, text] : values)
        j[name] = nlohmann::ordered_json::parse(text);
    return j.dump(2);
}

}  // namespace vp::stats
