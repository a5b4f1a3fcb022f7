// The Cortex-A8 cache hierarchy as a timing model: L1-I and L1-D in front of a unified L2
// (docs/models/cache.md). Plain C++17, no SystemC: the CPU model calls it on every access in
// "approximate" mode and adds the returned cycles to its local time.
//
//   vp::cache::Hierarchy caches{vp::cache::HierarchyParams::a8("cpu"),
//                               [&](uint32_t line_pa, bool write) { return ddr_cycles(...); }};
//   auto r = caches.data_access(pa, false, {inner, outer});   // r.cycles, r.level
//   auto w = caches.walk_access(descriptor_pa);               // L2 only: the A8 never walks L1
//   walk_cycles = caches.walk_overhead_cycles() + Σ w.cycles;
//
// Non-cacheable, Device and Strongly-ordered accesses: pass Attrs::non_cacheable() (or do not
// call); the result is Level::bypass with 0 cycles and the caller performs the bus transaction
// itself. When every level misses, the memory callback is called once for the line fill and
// its latency (core cycles) is added. Dirty victims are written back through the same callback
// but, by default, as posted writes (the A8's write/eviction buffers): they are counted, the
// callback sees them, and their latency goes to `posted_cycles`, not `cycles`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "models/cpu/cache/cache.h"

namespace vp::cache {

// Where an access was satisfied: the deepest level it reached on its way.
enum class Level : uint8_t { l1, l2, memory, bypass };
const char* level_name(Level l);

// The cacheability of the page (inner and outer policy, as the MMU decodes them).
struct Attrs {
    Policy inner = Policy::write_back_write_allocate;
    Policy outer = Policy::write_back_write_allocate;

    static constexpr Attrs non_cacheable() {
        return {Policy::non_cacheable, Policy::non_cacheable};
    }
    static constexpr Attrs both(Policy p) { return {p, p}; }
};

// Memory below the last cache level: called with the line address and the direction, returns
// the latency of that transfer in core cycles (the CPU model does a TLM transaction there).
using MemoryFn = std::function<uint64_t(uint32_t line_pa, bool write)>;

struct HierarchyParams {
    CacheParams l1i = CacheParams::a8_l1i();
    CacheParams l1d = CacheParams::a8_l1d();
    CacheParams l2 = CacheParams::a8_l2();
    bool l2_present = true;  // false: a 0 KB L2 configuration (no level 2 at all)
    // Added once per translation table walk by the walker, on top of its descriptor reads
    // (calibration: 8 + 2 x L2 hit 8 = 24 cycles, mmu-tlb.md §5.3).
    uint32_t walk_overhead_cycles = 8;
    // A store goes into the store buffer and does not stall the core (A8 TRM timing table:
    // "a store instruction miss does not result in any stalls unless the store buffer is
    // full"): it costs `posted_store_cycles`; its cache/memory work goes to posted_cycles.
    bool stores_posted = true;
    uint32_t posted_store_cycles = 1;
    // Dirty victim write-backs to memory: posted (false, default) or added to the access.
    bool charge_writebacks = false;
    // Which attribute controls L2: the inner policy (default; the A8 L2 is part of the inner
    // domain [?], mmu-tlb.md §5.4) or the outer one.
    bool l2_uses_outer = false;

    // AM335x Cortex-A8 defaults with statistics named "<prefix>.l1i", ".l1d", ".l2".
    static HierarchyParams a8(const std::string& prefix = "cpu");
};

struct AccessResult {
    uint64_t cycles = 0;          // charged to the access (core cycles)
    Level level = Level::bypass;  // deepest level reached
    uint64_t posted_cycles = 0;   // off the critical path: posted stores and write-backs
    unsigned writebacks = 0;      // dirty lines this access caused to be written back
    unsigned memory_reads = 0;    // line fills from memory (callback reads)
    unsigned memory_writes = 0;   // writes to memory (callback writes)
};

// Point of the by-address data-cache operations: PoU (DCCMVAU: L1-D only, the line goes to
// L2) or PoC (DCIMVAC/DCCMVAC/DCCIMVAC: L1-D and L2, the line goes to memory).
enum class Point : uint8_t { unification, coherency };

struct MaintCost {
    bool ok = true;            // false: the set/way level field selects no implemented data cache
    unsigned writebacks = 0;   // dirty lines written back, all levels
    unsigned lines_to_l2 = 0;  // of which written into L2
    unsigned lines_to_memory = 0;  // writes to memory (callback writes)
    unsigned dirty_discarded = 0;  // dirty lines dropped by an invalidate
    uint64_t cycles = 0;           // L2 latency per line into L2 + memory callback latencies
};

class Hierarchy {
  public:
    // Throws std::invalid_argument on a bad geometry (message names the cache) or an empty
    // memory callback.
    Hierarchy(HierarchyParams p, MemoryFn memory);
    Hierarchy(const Hierarchy&) = delete;
    Hierarchy& operator=(const Hierarchy&) = delete;

    // A load (write = false) or store through L1-D and L2.
    AccessResult data_access(uint32_t pa, bool write, const Attrs& attrs = {});
    // An instruction fetch through L1-I and L2.
    AccessResult inst_fetch(uint32_t pa, const Attrs& attrs = {});
    // One descriptor read of the table walker: L2 only, never L1-D (A8 TRM, mmu-tlb.md §5.2).
    // Level::bypass when L2 is absent or disabled or `policy` is non-cacheable: the walker
    // then reads memory itself.
    AccessResult walk_access(uint32_t pa, Policy policy = Policy::write_back_write_allocate);
    uint32_t walk_overhead_cycles() const { return p_.walk_overhead_cycles; }

    // CP15 c7 data-cache maintenance by (physical) address: the caller translates VA → PA.
    MaintCost dcache_by_mva(uint32_t pa, MaintOp op, Point point = Point::coherency);
    // DCISW / DCCSW / DCCISW: `operand` in the ARMv7 set/way format; level 0 = L1-D,
    // level 1 = L2. Dirty L1 lines go to L2 (to memory without L2), L2 lines to memory.
    MaintCost dcache_by_set_way(uint32_t operand, MaintOp op);
    MaintCost icache_invalidate_all();                // ICIALLU
    MaintCost icache_invalidate_by_mva(uint32_t pa);  // ICIMVAU
    // Whole hierarchy: reset-time invalidation, and clean (+invalidate) of every level to
    // memory (what a set/way loop over all levels does).
    MaintCost invalidate_all();
    MaintCost clean_all();
    MaintCost clean_invalidate_all();

    // Identification: CLIDR, and CCSIDR for a CSSELR value (0 for an unimplemented cache,
    // which the architecture leaves UNPREDICTABLE).
    uint32_t clidr() const;
    uint32_t ccsidr(uint32_t csselr) const;

    // SCTLR.I / SCTLR.C / ACTLR.L2EN: a disabled cache is not looked up and allocates nothing
    // (maintenance still reaches it). SCTLR.C = 0 also makes data accesses non-cacheable,
    // which the MMU expresses through the attributes.
    void set_l1i_enabled(bool on) { l1i_on_ = on; }
    void set_l1d_enabled(bool on) { l1d_on_ = on; }
    void set_l2_enabled(bool on) { l2_on_ = on; }
    bool l1i_enabled() const { return l1i_on_; }
    bool l1d_enabled() const { return l1d_on_; }
    bool l2_enabled() const { return l2_on_; }
    // SCTLR.RR: replacement of both L1 caches.
    void set_l1_replacement(Replacement r);

    Cache& l1i() { return l1i_; }
    Cache& l1d() { return l1d_; }
    Cache* l2() { return l2_.get(); }  // null when the configuration has no L2
    const Cache& l1i() const { return l1i_; }
    const Cache& l1d() const { return l1d_; }
    const Cache* l2() const { return l2_.get(); }
    const HierarchyParams& params() const { return p_; }

  private:
    bool l2_active() const { return l2_ && l2_on_; }
    Policy l2_policy(const Attrs& a) const {
        return l2_active() ? (p_.l2_uses_outer ? a.outer : a.inner) : Policy::non_cacheable;
    }
    AccessResult read_path(Cache& l1, Policy p1, Policy p2, uint32_t pa);
    AccessResult write_path(Policy p1, Policy p2, uint32_t pa);
    // A dirty line leaving L1 (eviction): into L2 when active, else memory.
    void l1_victim(uint32_t line_pa, AccessResult& r);
    // A dirty line leaving L2, or an L1 line with nowhere else to go: a memory write.
    void memory_writeback(uint32_t line_pa, AccessResult& r);
    // Maintenance helpers: where a dirty line from L1-D or L2 goes.
    void l1_maint_writeback(uint32_t line_pa, MaintCost& c);
    void l2_maint_writeback(uint32_t line_pa, MaintCost& c);

    HierarchyParams p_;
    MemoryFn memory_;
    Cache l1i_;
    Cache l1d_;
    std::unique_ptr<Cache> l2_;
    bool l1i_on_ = true;
    bool l1d_on_ = true;
    bool l2_on_ = true;
};

}  // namespace vp::cache
