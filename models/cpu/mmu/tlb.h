// A TLB of short-descriptor translations (4 KB, 64 KB, 1 MB, 16 MB entries).
//
// Default geometry = the Cortex-A8 I-TLB or D-TLB (A8 TRM §6.1, §3.2.56; mmu-tlb.md §5.1):
// 32 entries, fully associative, round-robin replacement whose victim pointer advances on
// every fill ("the oldest entry is always the next allocated"), lockdown by entry through the
// c10 lockdown register: Base[31:27] (entries below Base are locked and never replaced),
// Victim[26:22] (the next entry to fill), P[0] (fills go to Victim and are locked).
//
// Match rule: (va & page mask) == tag and (entry global or entry ASID == current ASID).
//
// Maintenance (A8 c8 operations; docs/models/mmu.md explains the lockdown choices):
//   invalidate_all()       TLBIALL   — removes every *unlocked* entry (A8 TRM: "invalidate
//                                      unlocked entries"); locked entries survive.
//   invalidate_mva(op)     TLBIMVA   — op = VA[31:12] | ASID[7:0]; removes every entry, of any
//                                      page size, that contains VA and is global or has ASID;
//                                      locked entries included.
//   invalidate_asid(asid)  TLBIASID  — removes non-global entries with that ASID, locked
//                                      entries included.
//
// Studies: any entries/ways (sets = entries / ways, a power of two), replacement round_robin,
// lru, fifo or random (seeded). Set-associative: an entry of page size S lives in set
// (VA >> log2 S) mod sets; a lookup probes the set of each page size present in the TLB.
// The same class serves as an optional second-level (unified) TLB that the caller consults on
// a first-level miss.
//
// Speed: lookup() is inline and allocation-free. With round_robin, fifo and random a hit
// changes no TLB state, so the CPU's host fast path may serve hits without calling lookup()
// and report them with count_hits(n). With lru a hit updates the recency order: the fast path
// must be off (hit_changes_state() tells).
//
// Statistics (vp::stats, under the prefix given to the constructor, e.g. "cpu.dtlb"):
//   .lookups .hits .misses .inserts .flushes (maintenance operations) .entries_flushed
//   .evictions (fills that replaced a valid entry) .miss_rate (misses / lookups).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/stats.h"
#include "models/cpu/mmu/types.h"

namespace vp::mmu {

enum class ReplacementPolicy : uint8_t { round_robin, lru, fifo, random };

const char* policy_name(ReplacementPolicy p);
// "round_robin" | "lru" | "fifo" | "random"; false on anything else.
bool parse_policy(const std::string& text, ReplacementPolicy& out);

struct TlbGeometry {
    unsigned entries = 32;
    unsigned ways = 32;  // entries == ways: fully associative
    ReplacementPolicy policy = ReplacementPolicy::round_robin;
    uint32_t seed = 1;  // for random replacement

    unsigned sets() const { return ways ? entries / ways : 0; }
};

// Throws std::invalid_argument naming the problem (zero entries, ways not dividing entries,
// number of sets not a power of two, more than kMaxTlbEntries).
void validate(const TlbGeometry& g);
inline constexpr unsigned kMaxTlbEntries = 1u << 16;

class Tlb {
  public:
    explicit Tlb(const std::string& prefix, const TlbGeometry& g = TlbGeometry{});
    Tlb(const Tlb&) = delete;
    Tlb& operator=(const Tlb&) = delete;

    // --- hot path ------------------------------------------------------------------------
    // Finds the entry translating `va` for `asid`; counts a lookup and a hit or a miss.
    const TlbEntry* lookup(uint32_t va, uint8_t asid) {
        ++lookups_;
        const int i = find(va, asid);
        if (i < 0) {
            ++misses_;
            return nullptr;
        }
        ++hits_;
        if (policy_ == ReplacementPolicy::lru) stamp_[static_cast<unsigned>(i)] = ++clock_;
        return &entries_[static_cast<unsigned>(i)];
    }
    // Same search, no statistics and no state change (debugger, tests, the fast path's refill).
    const TlbEntry* probe(uint32_t va, uint8_t asid) const {
        const int i = find(va, asid);
        return i < 0 ? nullptr : &entries_[static_cast<unsigned>(i)];
    }
    // Hits served by the caller's own fast path.
    void count_hits(uint64_t n) {
        lookups_ += n;
        hits_ += n;
    }
    bool hit_changes_state() const { return policy_ == ReplacementPolicy::lru; }

    // --- fills and maintenance ------------------------------------------------------------
    // Stores `e` (a successful walk) and returns its slot, or -1 when every candidate slot is
    // locked (the translation is then used once and not cached).
    int insert(const TlbEntry& e);
    // Each returns the number of entries removed.
    unsigned invalidate_all();
    unsigned invalidate_mva(uint32_t mva_asid);
    unsigned invalidate_asid(uint8_t asid);
    // Empties the TLB including locked entries and clears the lockdown register (reset).
    void reset();

    // Lockdown register (c10, c0, 0 for the D-TLB, c10, c0, 1 for the I-TLB).
    uint32_t lockdown() const;
    void set_lockdown(uint32_t value);

    // --- introspection ---------------------------------------------------------------------
    const TlbGeometry& geometry() const { return geometry_; }
    unsigned capacity() const { return static_cast<unsigned>(entries_.size()); }
    unsigned valid_count() const;
    bool valid(unsigned slot) const { return slot < capacity() && valid_[slot]; }
    bool locked(unsigned slot) const;
    // The entry in `slot`, or nullptr if the slot is empty or out of range.
    const TlbEntry* slot(unsigned slot) const;
    // The way the next round-robin fill of `set` will use (the lockdown Victim for set 0).
    unsigned victim(unsigned set = 0) const { return set < victim_.size() ? victim_[set] : 0; }

    uint64_t lookups() const { return lookups_.get(); }
    uint64_t hits() const { return hits_.get(); }
    uint64_t misses() const { return misses_.get(); }
    uint64_t inserts() const { return inserts_.get(); }
    uint64_t flushes() const { return flushes_.get(); }
    uint64_t entries_flushed() const { return entries_flushed_.get(); }
    uint64_t evictions() const { return evictions_.get(); }
    double miss_rate() const;

  private:
    struct Tag {
        uint32_t va = 1;  // an empty slot has va = 1, mask = 0: never matches
        uint32_t mask = 0;
        uint8_t asid = 0;
        bool global = false;
    };

    int find(uint32_t va, uint8_t asid) const {
        const unsigned h = hint_;
        if (matches(tags_[h], va, asid)) return static_cast<int>(h);
        if (sets_ == 1) return scan(0, va, asid);
        for (unsigned k = 0; k < kSizeClasses; ++k) {
            if ((size_present_ & (1u << k)) == 0) continue;
            const unsigned set = (va >> kSizeShift[k]) & (sets_ - 1);
            const int i = scan(set * ways_, va, asid);
            if (i >= 0) return i;
        }
        return -1;
    }
    int scan(unsigned first, uint32_t va, uint8_t asid) const {
        for (unsigned i = first; i < first + ways_; ++i) {
            if (matches(tags_[i], va, asid)) {
                hint_ = i;
                return static_cast<int>(i);
            }
        }
        return -1;
    }
    static bool matches(const Tag& t, uint32_t va, uint8_t asid) {
        return (va & t.mask) == t.va && (t.global || t.asid == asid);
    }

    unsigned set_of(uint32_t va, PageSize size) const;
    int choose_way(unsigned set);
    unsigned next_way(unsigned way) const;
    bool way_locked(unsigned slot) const;
    void remove(unsigned slot);
    void recompute_sizes();
    void count_flush(unsigned removed);
    uint32_t next_random();

    static constexpr unsigned kSizeClasses = 4;
    static constexpr unsigned kSizeShift[kSizeClasses] = {
        page_shift(PageSize::small_4k), page_shift(PageSize::large_64k),
        page_shift(PageSize::section_1m), page_shift(PageSize::super_16m)};
    static unsigned size_class(PageSize s);

    TlbGeometry geometry_;
    ReplacementPolicy policy_;
    unsigned ways_;
    unsigned sets_;
    std::vector<Tag> tags_;
    std::vector<TlbEntry> entries_;
    std::vector<uint8_t> valid_;
    std::vector<uint8_t> preserved_;  // filled with lockdown P = 1
    std::vector<uint64_t> stamp_;     // lru: last use; fifo: fill time
    std::vector<unsigned> victim_;    // per set: round-robin pointer / lockdown Victim
    uint64_t clock_ = 0;
    uint32_t rng_;
    unsigned size_present_ = 0;   // bit k: an entry of size class k may be present
    unsigned lock_base_ = 0;      // lockdown Base
    bool lock_preserve_ = false;  // lockdown P
    mutable unsigned hint_ = 0;   // last slot that hit (host-side shortcut only)

    stats::Counter lookups_;
    stats::Counter hits_;
    stats::Counter misses_;
    stats::Counter inserts_;
    stats::Counter flushes_;
    stats::Counter entries_flushed_;
    stats::Counter evictions_;
    stats::Formula miss_rate_;
};

}  // namespace vp::mmu
