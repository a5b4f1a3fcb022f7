#include "models/cpu/mmu/tlb.h"

#include <stdexcept>

#include "models/cpu/mmu/cp15.h"

namespace vp::mmu {

const char* policy_name(ReplacementPolicy p) {
    switch (p) {
        case ReplacementPolicy::round_robin:
            return "round_robin";
        case ReplacementPolicy::lru:
            return "lru";
        case ReplacementPolicy::fifo:
            return "fifo";
        case ReplacementPolicy::random:
            return "random";
    }
    return "?";
}

bool parse_policy(const std::string& text, ReplacementPolicy& out) {
    for (ReplacementPolicy p : {ReplacementPolicy::round_robin, ReplacementPolicy::lru,
                                ReplacementPolicy::fifo, ReplacementPolicy::random}) {
        if (text == policy_name(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

void validate(const TlbGeometry& g) {
    if (g.entries == 0) throw std::invalid_argument("TLB entries must be at least 1");
    if (g.entries > kMaxTlbEntries)
        throw std::invalid_argument("TLB entries must be at most " +
                                    std::to_string(kMaxTlbEntries) + ", got " +
                                    std::to_string(g.entries));
    if (g.ways == 0) throw std::invalid_argument("TLB ways must be at least 1");
    if (g.ways > g.entries || g.entries % g.ways != 0)
        throw std::invalid_argument("TLB ways (" + std::to_string(g.ways) +
                                    ") must divide entries (" + std::to_string(g.entries) + ")");
    const unsigned sets = g.entries / g.ways;
    if ((sets & (sets - 1)) != 0)
        throw std::invalid_argument("TLB sets = entries / ways = " + std::to_string(sets) +
                                    " must be a power of two");
}

Tlb::Tlb(const std::string& prefix, const TlbGeometry& g)
    : geometry_(g),
      policy_(g.policy),
      ways_(g.ways),
      sets_(g.ways ? g.entries / g.ways : 0),
      rng_(g.seed ? g.seed : 1u),
      lookups_(prefix + ".lookups", "translations looked up"),
      hits_(prefix + ".hits", "lookups that found an entry"),
      misses_(prefix + ".misses", "lookups that found no entry"),
      inserts_(prefix + ".inserts", "entries filled from walks"),
      flushes_(prefix + ".flushes", "TLB maintenance operations (all, MVA, ASID)"),
      entries_flushed_(prefix + ".entries_flushed", "entries removed by maintenance"),
      evictions_(prefix + ".evictions", "fills that replaced a valid entry"),
      miss_rate_(prefix + ".miss_rate", "misses / lookups", [this] { return miss_rate(); }) {
    validate(g);
    tags_.resize(g.entries);
    entries_.resize(g.entries);
    valid_.assign(g.entries, 0);
    preserved_.assign(g.entries, 0);
    stamp_.assign(g.entries, 0);
    victim_.assign(sets_, 0);
}

double Tlb::miss_rate() const {
    const uint64_t n = lookups_.get();
    return n ? static_cast<double>(misses_.get()) / static_cast<double>(n) : 0.0;
}

unsigned Tlb::size_class(PageSize s) {
    switch (s) {
        case PageSize::small_4k:
            return 0;
        case PageSize::large_64k:
            return 1;
        case PageSize::section_1m:
            return 2;
        case PageSize::super_16m:
            return 3;
    }
    return 0;
}

unsigned Tlb::set_of(uint32_t va, PageSize size) const {
    return (va >> page_shift(size)) & (sets_ - 1);
}

bool Tlb::way_locked(unsigned slot) const {
    return preserved_[slot] != 0 || (slot % ways_) < lock_base_;
}

bool Tlb::locked(unsigned slot) const {
    return slot < capacity() && way_locked(slot);
}

const TlbEntry* Tlb::slot(unsigned s) const {
    return valid(s) ? &entries_[s] : nullptr;
}

unsigned Tlb::valid_count() const {
    unsigned n = 0;
    for (uint8_t v : valid_)
        n += v;
    return n;
}

unsigned Tlb::next_way(unsigned way) const {
    const unsigned next = way + 1;
    if (next < ways_) return next;
    return lock_base_ < ways_ ? lock_base_ : 0;  // wrap to Base
}

uint32_t Tlb::next_random() {
    // xorshift32: deterministic for a given seed, so studies are reproducible.
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    return rng_;
}

int Tlb::choose_way(unsigned set) {
    const unsigned first = set * ways_;
    if (policy_ == ReplacementPolicy::round_robin) {
        unsigned way = victim_[set] % ways_;
        if (way < lock_base_) {
            if (lock_base_ >= ways_) return -1;
            way = lock_base_;
        }
        for (unsigned tries = 0; tries < ways_; ++tries, way = next_way(way))
            if (!way_locked(first + way)) return static_cast<int>(way);
        return -1;
    }

    // lru / fifo / random: an empty unlocked way first.
    unsigned unlocked = 0;
    for (unsigned w = 0; w < ways_; ++w) {
        if (way_locked(first + w)) continue;
        if (!valid_[first + w]) return static_cast<int>(w);
        ++unlocked;
    }
    if (unlocked == 0) return -1;

    if (policy_ == ReplacementPolicy::random) {
        unsigned pick = next_random() % unlocked;
        for (unsigned w = 0; w < ways_; ++w) {
            if (way_locked(first + w)) continue;
            if (pick-- == 0) return static_cast<int>(w);
        }
        return -1;
    }
    // lru: oldest use; fifo: oldest fill (stamps are kept accordingly).
    int best = -1;
    for (unsigned w = 0; w < ways_; ++w) {
        if (way_locked(first + w)) continue;
        if (best < 0 || stamp_[first + w] < stamp_[first + static_cast<unsigned>(best)])
            best = static_cast<int>(w);
    }
    return best;
}

int Tlb::insert(const TlbEntry& e) {
    const unsigned set = set_of(e.va_base, e.size);
    int way;
    if (lock_preserve_) {
        way = static_cast<int>(victim_[set] % ways_);  // P = 1: fill Victim, lock it
    } else {
        way = choose_way(set);
        if (way < 0) return -1;
    }
    const unsigned w = static_cast<unsigned>(way);
    const unsigned i = set * ways_ + w;
    if (valid_[i]) ++evictions_;

    entries_[i] = e;
    Tag& t = tags_[i];
    t.mask = e.mask();
    t.va = e.va_base & t.mask;
    t.asid = e.asid;
    t.global = e.global;
    valid_[i] = 1;
    preserved_[i] = lock_preserve_ ? 1 : 0;
    stamp_[i] = ++clock_;
    size_present_ |= 1u << size_class(e.size);
    ++inserts_;

    // The A8 victim counter advances on every fill.
    if (policy_ == ReplacementPolicy::round_robin || lock_preserve_) victim_[set] = next_way(w);
    return static_cast<int>(i);
}

void Tlb::remove(unsigned slot) {
    tags_[slot] = Tag{};
    valid_[slot] = 0;
    preserved_[slot] = 0;
    stamp_[slot] = 0;
}

void Tlb::recompute_sizes() {
    size_present_ = 0;
    for (unsigned i = 0; i < capacity(); ++i)
        if (valid_[i]) size_present_ |= 1u << size_class(entries_[i].size);
}

void Tlb::count_flush(unsigned removed) {
    ++flushes_;
    entries_flushed_ += removed;
    if (removed) recompute_sizes();
}

unsigned Tlb::invalidate_all() {
    unsigned removed = 0;
    for (unsigned i = 0; i < capacity(); ++i) {
        if (valid_[i] && !way_locked(i)) {
            remove(i);
            ++removed;
        }
    }
    count_flush(removed);
    return removed;
}

unsigned Tlb::invalidate_mva(uint32_t mva_asid) {
    const uint32_t va = mva_asid & tlbimva::MVA_MASK;
    const uint8_t asid = static_cast<uint8_t>(mva_asid & tlbimva::ASID_MASK);
    unsigned removed = 0;
    for (unsigned i = 0; i < capacity(); ++i) {
        if (valid_[i] && entries_[i].matches(va, asid)) {
            remove(i);
            ++removed;
        }
    }
    count_flush(removed);
    return removed;
}

unsigned Tlb::invalidate_asid(uint8_t asid) {
    unsigned removed = 0;
    for (unsigned i = 0; i < capacity(); ++i) {
        if (valid_[i] && !entries_[i].global && entries_[i].asid == asid) {
            remove(i);
            ++removed;
        }
    }
    count_flush(removed);
    return removed;
}

void Tlb::reset() {
    for (unsigned i = 0; i < capacity(); ++i)
        remove(i);
    size_present_ = 0;
    lock_base_ = 0;
    lock_preserve_ = false;
    victim_.assign(sets_, 0);
    hint_ = 0;
}

uint32_t Tlb::lockdown() const {
    return ((lock_base_ & tlb_lockdown::BASE_MASK) << tlb_lockdown::BASE_SHIFT) |
           ((victim_[0] & tlb_lockdown::VICTIM_MASK) << tlb_lockdown::VICTIM_SHIFT) |
           (lock_preserve_ ? tlb_lockdown::P : 0u);
}

void Tlb::set_lockdown(uint32_t value) {
    lock_base_ = (value >> tlb_lockdown::BASE_SHIFT) & tlb_lockdown::BASE_MASK;
    const unsigned v = (value >> tlb_lockdown::VICTIM_SHIFT) & tlb_lockdown::VICTIM_MASK;
    for (unsigned& p : victim_)
        p = v % ways_;
    lock_preserve_ = (value & tlb_lockdown::P) != 0;
}

}  // namespace vp::mmu
