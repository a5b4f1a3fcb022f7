// Optional page-walk cache for studies (the Cortex-A8 has none: mmu-tlb.md §5.1).
//
// Holds first-level *page-table* descriptors (the non-leaf level), so a walk that hits skips
// its first memory read and only reads the second-level descriptor. Sections, supersections
// and fault descriptors are never cached: a leaf translation belongs in the TLB, and a fault
// entry must not be cached so that software can map a previously invalid entry without TLB
// maintenance (ARMv7: entries that give a Translation fault are never cached; mmu-tlb.md §4.3).
//
// Key: the physical address of the first-level descriptor, which is TTBRx's table base
// combined with VA[31-N:20] — the same thing as "(TTBR, VA[31:20])", and it lets two TTBRs
// that point to the same table (Linux's reserved TTBR0 = swapper_pg_dir) share entries.
// Fully associative, round-robin replacement. Invalidated as a whole by any TLB maintenance
// operation (the caller calls invalidate_all()), like an ARMv7 walk cache would be.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/stats.h"

namespace vp::mmu {

class WalkCache {
  public:
    // `entries` must be at least 1 (std::invalid_argument otherwise).
    WalkCache(const std::string& prefix, unsigned entries);

    // True (and `desc` set) if the descriptor at `l1_addr` is cached. Counts a hit or a miss.
    bool lookup(uint32_t l1_addr, uint32_t& desc);
    void insert(uint32_t l1_addr, uint32_t desc);
    void invalidate_all();

    unsigned capacity() const { return static_cast<unsigned>(slots_.size()); }
    unsigned valid_count() const;
    uint64_t hits() const { return hits_.get(); }
    uint64_t misses() const { return misses_.get(); }

  private:
    struct Slot {
        uint32_t addr = 0;
        uint32_t desc = 0;
        bool valid = false;
    };
    std::vector<Slot> slots_;
    unsigned next_ = 0;
    stats::Counter hits_;
    stats::Counter misses_;
};

}  // namespace vp::mmu
