// Parameters of the Cortex-A8 CPU model (docs/models/cortex_a8.md lists every field, its YAML
// key under `cpu.*` and its default with the reason for it).
#pragma once

#include <sysc/kernel/sc_time.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "models/cpu/cache/hierarchy.h"
#include "models/cpu/mmu/tlb.h"

namespace vp {

// How the CPU costs its accesses (DESIGN.md §5, issue item 7).
enum class TimingMode : uint8_t {
    // Fixed latencies, no cache model: for running boards fast. The inline host fast path is
    // on (when the TLB policy allows it). Device accesses still cost what the bus annotates.
    functional,
    // L1/L2 cache timing model on every access, memory latency from the TLM delay (DDR bank
    // timing, interconnect contention): for studies. No inline fast path.
    approximate,
};

const char* timing_mode_name(TimingMode m);
// "functional" | "approximate"; false on anything else.
bool parse_timing_mode(const std::string& text, TimingMode& out);

// Fixed costs of functional mode, in core cycles. The defaults make functional mode behave
// like "every access hits L1 and every descriptor hits L2" of the approximate defaults.
struct FunctionalLatencies {
    uint32_t load_cycles = 3;           // L1-D load-to-use (cache model default, lmbench 3 ns)
    uint32_t store_cycles = 1;          // a posted store (the store buffer absorbs it)
    uint32_t fetch_line_cycles = 0;     // per 64-byte line of instructions (hidden by prefetch)
    uint32_t block_line_cycles = 4;     // per cache line moved by copy/fill/read_block/write_block
    uint32_t walk_read_cycles = 8;      // per descriptor read (= L2 hit of the cache model)
    uint32_t walk_overhead_cycles = 8;  // per walk: 8 + 2 x 8 = the A8's 24-cycle page walk
};

struct CortexA8Params {
    // Core clock (the board's OPP: 300, 600, 720, 800 or 1000 MHz on the AM335x).
    uint64_t clock_hz = 1'000'000'000;
    // Temporal-decoupling quantum: the CPU runs ahead of SystemC time by at most this much.
    sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US);
    TimingMode mode = TimingMode::functional;
    FunctionalLatencies functional;

    // Inline host soft-TLB in front of the D-TLB (sw/hal/cpu.h). Only used where exact:
    // functional mode and a D-TLB policy whose hits change no state (not LRU).
    bool fast_path = true;

    // Cortex-A8: separate 32-entry fully associative round-robin I- and D-TLBs (mmu-tlb.md §5.1).
    mmu::TlbGeometry itlb;
    mmu::TlbGeometry dtlb;
    // Study options the A8 does not have: a unified second-level TLB and a page-walk cache.
    bool l2_tlb = false;
    mmu::TlbGeometry l2_tlb_geometry{512, 4, mmu::ReplacementPolicy::round_robin, 1};
    unsigned walk_cache_entries = 0;  // 0 = no walk cache

    // Cache hierarchy of approximate mode (names are set from stat_prefix by the CPU).
    cache::HierarchyParams caches = cache::HierarchyParams::a8();

    // Synchronise with SystemC time before every Device / Strongly-ordered access, so that
    // time-dependent registers (timers, UART status) see the CPU's exact time.
    bool sync_on_device = true;

    // Stack of the SC_THREAD that runs the guest kernel (a host-compiled guest is deep).
    size_t stack_bytes = 16u * 1024u * 1024u;

    // Statistics prefix ("cpu" → cpu.loads, cpu.dtlb.misses, cpu.walker.walks …).
    std::string stat_prefix = "cpu";
};

// Throws std::invalid_argument naming the field and the accepted range.
void validate(const CortexA8Params& p);

}  // namespace vp
