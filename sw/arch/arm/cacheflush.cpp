// D-cache maintenance by MVA and by set/way (arch/arm/mm/cache-v7.S semantics).
#include "sw/arch/arm/cacheflush.h"

#include "sw/hal/cpu.h"

namespace kernel {

namespace {

CacheflushStats g_stats;

void op(hal::Cpu& cpu, const cacheop::Op& o, uint32_t value) {
    cpu.mcr(o.crn, o.opc1, o.crm, o.opc2, value);
}

uint32_t read(hal::Cpu& cpu, const cacheop::Op& o) {
    return cpu.mrc(o.crn, o.opc1, o.crm, o.opc2);
}

}  // namespace

uint32_t dcache_line_size() {
    // Read every time (one MRC, cheap in the model): several CPUs or machines may follow
    // each other in one host process.
    const uint32_t ctr = read(hal::this_cpu(), cacheop::CTR);
    return 4u << ((ctr >> cacheop::CTR_DMINLINE_SHIFT) & cacheop::CTR_DMINLINE_MASK);
}

void dmac_clean_range(uint32_t start, uint32_t end) {
    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t line = dcache_line_size();
    for (uint32_t a = start & ~(line - 1); a < end && a >= (start & ~(line - 1)); a += line) {
        op(cpu, cacheop::DCCMVAC, a);
        ++g_stats.clean_lines;
    }
    cpu.dsb();
}

void dmac_inv_range(uint32_t start, uint32_t end) {
    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t line = dcache_line_size();
    const uint32_t mask = line - 1;
    if (end <= start) {
        cpu.dsb();
        return;
    }
    // A partial first line: clean+invalidate it, the range's own part starts after it.
    if (start & mask) {
        start &= ~mask;
        op(cpu, cacheop::DCCIMVAC, start);
        ++g_stats.flush_lines;
        start += line;
    }
    // A partial last line: clean+invalidate it, and stop the invalidate loop before it.
    if (end & mask) {
        end &= ~mask;
        op(cpu, cacheop::DCCIMVAC, end);
        ++g_stats.flush_lines;
    }
    for (uint32_t a = start; a < end; a += line) {
        op(cpu, cacheop::DCIMVAC, a);
        ++g_stats.inv_lines;
    }
    cpu.dsb();
}

void dmac_flush_range(uint32_t start, uint32_t end) {
    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t line = dcache_line_size();
    for (uint32_t a = start & ~(line - 1); a < end && a >= (start & ~(line - 1)); a += line) {
        op(cpu, cacheop::DCCIMVAC, a);
        ++g_stats.flush_lines;
    }
    cpu.dsb();
}

void dmac_map_area(uint32_t start, size_t size, dma_data_direction dir) {
    const uint32_t end = start + static_cast<uint32_t>(size);
    if (dir == DMA_FROM_DEVICE)
        dmac_inv_range(start, end);
    else
        dmac_clean_range(start, end);
}

void dmac_unmap_area(uint32_t start, size_t size, dma_data_direction dir) {
    if (dir != DMA_TO_DEVICE) dmac_inv_range(start, start + static_cast<uint32_t>(size));
}

void __cpuc_flush_dcache_area(uint32_t addr, size_t size) {
    dmac_flush_range(addr, addr + static_cast<uint32_t>(size));
}

void flush_cache_all() {
    hal::Cpu& cpu = hal::this_cpu();
    cpu.dmb();
    const uint32_t clidr = read(cpu, cacheop::CLIDR);
    const unsigned loc = (clidr >> cacheop::CLIDR_LOC_SHIFT) & cacheop::CLIDR_LOC_MASK;
    for (unsigned level = 0; level < loc; ++level) {
        const uint32_t ctype =
            (clidr >> (level * cacheop::CLIDR_CTYPE_BITS)) & cacheop::CLIDR_CTYPE_MASK;
        if (ctype < cacheop::CLIDR_CTYPE_DATA_MIN) continue;  // no data cache at this level
        op(cpu, cacheop::CSSELR, level << 1);                 // select the data/unified cache
        cpu.isb();
        const uint32_t ccsidr = read(cpu, cacheop::CCSIDR);
        const unsigned line_shift = (ccsidr & cacheop::CCSIDR_LINESIZE_MASK) + 4;
        const uint32_t ways =
            ((ccsidr >> cacheop::CCSIDR_ASSOC_SHIFT) & cacheop::CCSIDR_ASSOC_MASK) + 1;
        const uint32_t sets =
            ((ccsidr >> cacheop::CCSIDR_SETS_SHIFT) & cacheop::CCSIDR_SETS_MASK) + 1;
        // The way goes in the top bits: shift = 32 - ceil(log2(ways)) (CLZ of ways - 1).
        const unsigned way_shift = ways > 1 ? static_cast<unsigned>(__builtin_clz(ways - 1)) : 0;
        for (uint32_t way = 0; way < ways; ++way)
            for (uint32_t set = 0; set < sets; ++set) {
                const uint32_t operand =
                    (ways > 1 ? (way << way_shift) : 0) | (set << line_shift) | (level << 1);
                op(cpu, cacheop::DCCISW, operand);
                ++g_stats.set_way_ops;
            }
    }
    op(cpu, cacheop::CSSELR, 0);
    cpu.dsb();
    cpu.isb();
    op(cpu, cacheop::ICIALLU, 0);
    op(cpu, cacheop::BPIALL, 0);
    cpu.dsb();
    cpu.isb();
}

const CacheflushStats& cacheflush_stats() {
    return g_stats;
}

void reset_cacheflush_stats() {
    g_stats = CacheflushStats{};
}

}  // namespace kernel
