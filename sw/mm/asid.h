// ASID allocation and the context switch (arch/arm/mm/context.c, proc-v7-2level.S
// cpu_v7_switch_mm; mmu-tlb.md §4.2; docs/guest/user.md).
//
// 8-bit ASIDs; ASID 0 is reserved (never given to a process). mm->context.id holds the
// generation above the ASID. A new generation starts when the 255 ASIDs of the current one
// are used up: the bitmap is cleared (the running mm keeps its ASID as reserved) and a full
// TLB flush (BPIALL + TLBIALL) is made before the next switch completes.
#pragma once

#include <cstdint>

#include "sw/mm/mm_types.h"

namespace kernel {

constexpr unsigned ASID_BITS = 8;
constexpr uint64_t ASID_MASK = ~((1ull << ASID_BITS) - 1);  // the generation bits
constexpr uint64_t ASID_FIRST_VERSION = 1ull << ASID_BITS;
constexpr unsigned NUM_USER_ASIDS = 1u << ASID_BITS;

constexpr unsigned mm_asid(const mm_struct* mm) {
    return static_cast<unsigned>(mm->context.id & ~ASID_MASK);
}

// check_and_switch_context(): a live ASID for `mm` (a new one if its generation is old),
// the pending TLB flush of a rollover, then cpu_switch_mm(mm->pgd, mm). Also syncs the
// vmalloc-area L1 entries when init_mm's vmalloc_seq moved (check_vmalloc_seq).
void check_and_switch_context(mm_struct* mm);

// cpu_set_reserved_ttbr0(): TTBR0 = swapper_pg_dir (global entries only), ISB.
void cpu_set_reserved_ttbr0();
// cpu_v7_switch_mm(pgd_phys, mm): CONTEXTIDR = context.id (ASID in [7:0]), ISB,
// TTBR0 = pgd | TTB_FLAGS_UP, ISB.
void cpu_switch_mm(uint32_t pgd, const mm_struct* mm);

struct AsidStats {
    unsigned long allocations = 0;  // new_context() calls that handed out an ASID
    unsigned long rollovers = 0;    // generations started after the first
    unsigned long flushes = 0;      // TLBIALLs made for a rollover
    uint64_t generation = ASID_FIRST_VERSION;
};
const AsidStats& asid_stats();
// The allocator state of a fresh boot (the System's teardown, tests).
void asid_reset();

}  // namespace kernel
