// D-cache maintenance for DMA and page-attribute changes, as ARMv7 Linux does it
// (arch/arm/mm/cache-v7.S, arch/arm/include/asm/cacheflush.h; linux-mm.md §11.2).
//
// Every operation is an MCR p15 c7 on hal::this_cpu(), so the CPU model's cache hierarchy
// sees it (docs/models/cache.md §4): by MVA to the point of coherency for address ranges,
// by set/way for flush_cache_all. Ranges are virtual addresses that must be mapped (the
// CPU translates them through its D-TLB); the line size is read from CTR.DminLine as
// Linux's dcache_line_size macro does (64 bytes on the Cortex-A8).
//
// The AM335x has no outer cache controller (no PL310): its L2 is integrated and reached by
// the same MVA operations, so Linux's outer_* calls are no-ops and are not modelled.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sw/mm/dma-direction.h"

namespace kernel {

// CP15 c7 operations (ARM ARM DDI 0406C B4.2.1 / B6.1.3: MCR p15, 0, Rt, c7, CRm, opc2).
namespace cacheop {
struct Op {
    unsigned crn, opc1, crm, opc2;
};
constexpr Op ICIALLU{7, 0, 5, 0};    // invalidate all I-caches to PoU
constexpr Op BPIALL{7, 0, 5, 6};     // invalidate all branch predictors
constexpr Op DCIMVAC{7, 0, 6, 1};    // invalidate D line by MVA to PoC
constexpr Op DCISW{7, 0, 6, 2};      // invalidate D line by set/way
constexpr Op DCCMVAC{7, 0, 10, 1};   // clean D line by MVA to PoC
constexpr Op DCCSW{7, 0, 10, 2};     // clean D line by set/way
constexpr Op DCCMVAU{7, 0, 11, 1};   // clean D line by MVA to PoU
constexpr Op DCCIMVAC{7, 0, 14, 1};  // clean and invalidate D line by MVA to PoC
constexpr Op DCCISW{7, 0, 14, 2};    // clean and invalidate D line by set/way
// Identification (MRC): CTR c0,0,c0,1; CLIDR c0,1,c0,1; CCSIDR c0,1,c0,0; CSSELR (MCR) c0,2,c0,0.
constexpr Op CTR{0, 0, 0, 1};
constexpr Op CLIDR{0, 1, 0, 1};
constexpr Op CCSIDR{0, 1, 0, 0};
constexpr Op CSSELR{0, 2, 0, 0};

// CTR.DminLine, bits [19:16]: log2 of the words in the smallest D-cache line.
constexpr unsigned CTR_DMINLINE_SHIFT = 16;
constexpr uint32_t CTR_DMINLINE_MASK = 0xF;
// CLIDR: Ctype<n> at [3n+2:3n] (0b010 data, 0b011 separate, 0b100 unified), LoC at [26:24].
constexpr unsigned CLIDR_LOC_SHIFT = 24;
constexpr uint32_t CLIDR_LOC_MASK = 0x7;
constexpr unsigned CLIDR_CTYPE_BITS = 3;
constexpr uint32_t CLIDR_CTYPE_MASK = 0x7;
constexpr uint32_t CLIDR_CTYPE_DATA_MIN = 2;  // Ctype >= 2: the level has a data cache
// CCSIDR: LineSize [2:0] (log2(words) - 2), Associativity [12:3] (ways - 1),
// NumSets [27:13] (sets - 1).
constexpr uint32_t CCSIDR_LINESIZE_MASK = 0x7;
constexpr unsigned CCSIDR_ASSOC_SHIFT = 3;
constexpr uint32_t CCSIDR_ASSOC_MASK = 0x3FF;
constexpr unsigned CCSIDR_SETS_SHIFT = 13;
constexpr uint32_t CCSIDR_SETS_MASK = 0x7FFF;
}  // namespace cacheop

// The smallest D-cache line in bytes (CTR.DminLine: 4 << DminLine), read once per CPU.
uint32_t dcache_line_size();

// ---- By address, [start, end) virtual, to the point of coherency; each ends with a DSB ----
// v7_dma_clean_range: clean (write back) every line of the range.
void dmac_clean_range(uint32_t start, uint32_t end);
// v7_dma_inv_range: invalidate; a partial first or last line is cleaned and invalidated so
// data of the neighbours sharing it is not lost (linux-mm.md §11.2).
void dmac_inv_range(uint32_t start, uint32_t end);
// v7_dma_flush_range: clean and invalidate.
void dmac_flush_range(uint32_t start, uint32_t end);

// v7_dma_map_area / v7_dma_unmap_area (the "CPU to device" and "device to CPU" steps of the
// streaming DMA API): map = FROM_DEVICE ? invalidate : clean; unmap = TO_DEVICE ? nothing :
// invalidate.
void dmac_map_area(uint32_t start, size_t size, dma_data_direction dir);
void dmac_unmap_area(uint32_t start, size_t size, dma_data_direction dir);

// __cpuc_flush_dcache_area: clean and invalidate [addr, addr + size).
void __cpuc_flush_dcache_area(uint32_t addr, size_t size);

// v7_flush_kern_cache_all: clean and invalidate every data/unified level up to CLIDR.LoC by
// set/way (the loop of v7_flush_dcache_all), then ICIALLU and BPIALL.
void flush_cache_all();

// Counters of the maintenance issued by this module (for tests and benchmarks).
struct CacheflushStats {
    unsigned long clean_lines = 0;
    unsigned long inv_lines = 0;
    unsigned long flush_lines = 0;  // clean + invalidate
    unsigned long set_way_ops = 0;
};
const CacheflushStats& cacheflush_stats();
void reset_cacheflush_stats();

}  // namespace kernel
