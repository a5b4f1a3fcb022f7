// The ARMv7 ASID allocator of arch/arm/mm/context.c for one CPU.
#include "sw/mm/asid.h"

#include <bitset>

#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/cpu.h"
#include "sw/mm/page_alloc.h"

namespace kernel {

namespace {

struct Allocator {
    uint64_t generation = ASID_FIRST_VERSION;
    std::bitset<NUM_USER_ASIDS> map;
    unsigned cur_idx = 1;
    uint64_t active = 0;    // per_cpu(active_asids): the running mm's context.id, 0 in a flush
    uint64_t reserved = 0;  // per_cpu(reserved_asids)
    bool flush_pending = false;
    AsidStats stats;
};

Allocator& alloc() {
    static Allocator a;
    return a;
}

unsigned find_next_zero(const std::bitset<NUM_USER_ASIDS>& m, unsigned from) {
    for (unsigned i = from; i < NUM_USER_ASIDS; ++i)
        if (!m.test(i)) return i;
    return NUM_USER_ASIDS;
}

// flush_context(): a new generation; only the running mm's ASID stays taken.
void flush_context(Allocator& a) {
    a.map.reset();
    uint64_t asid = a.active;
    a.active = 0;
    if (asid == 0) asid = a.reserved;
    a.map.set(static_cast<size_t>(asid & ~ASID_MASK));
    a.reserved = asid;
    a.flush_pending = true;
}

uint64_t new_context(Allocator& a, mm_struct* mm) {
    uint64_t asid = mm->context.id;
    if (asid != 0) {
        const uint64_t newasid = a.generation | (asid & ~ASID_MASK);
        // The running mm of a rollover keeps its ASID in the new generation.
        if (a.reserved == asid) {
            a.reserved = newasid;
            return newasid;
        }
        // Its old ASID, if nobody took it in this generation.
        const unsigned idx = static_cast<unsigned>(asid & ~ASID_MASK);
        if (!a.map.test(idx)) {
            a.map.set(idx);
            return newasid;
        }
    }
    unsigned idx = find_next_zero(a.map, a.cur_idx);
    if (idx == NUM_USER_ASIDS) {
        a.generation += ASID_FIRST_VERSION;
        ++a.stats.rollovers;
        flush_context(a);
        idx = find_next_zero(a.map, 1);  // ASID 0 is never handed out
    }
    a.map.set(idx);
    a.cur_idx = idx;
    ++a.stats.allocations;
    return idx | a.generation;
}

}  // namespace

void cpu_set_reserved_ttbr0() {
    const uint32_t ttb = virt_to_phys(swapper_pg_dir()) | ttb_flags();
    cp15_write(cp15::TTBR0, ttb);
    hal::this_cpu().isb();
}

void cpu_switch_mm(uint32_t pgd, const mm_struct* mm) {
    hal::Cpu& cpu = hal::this_cpu();
    // CONTEXTIDR first (the ASID of the tables about to be used), then TTBR0, each followed
    // by an ISB: the order of cpu_v7_switch_mm. Between the two, TTBR0 holds the reserved
    // (global-only) table, so no walk can tag the old tables' entries with the new ASID.
    cp15_write(cp15::CONTEXTIDR, static_cast<uint32_t>(mm->context.id));
    cpu.isb();
    cp15_write(cp15::TTBR0, virt_to_phys(pgd) | ttb_flags());
    cpu.isb();
}

void check_and_switch_context(mm_struct* mm) {
    Allocator& a = alloc();
    if (mm->context.vmalloc_seq != vmalloc_seq()) {
        // __check_vmalloc_seq: the kernel half of this pgd may miss new vmalloc L1 entries.
        sync_kernel_pgd_range(mm->pgd, VMALLOC_START(), VMALLOC_END);
        mm->context.vmalloc_seq = vmalloc_seq();
    }
    cpu_set_reserved_ttbr0();
    uint64_t asid = mm->context.id;
    const bool same_generation = ((asid ^ a.generation) >> ASID_BITS) == 0;
    if (!(same_generation && a.active != 0)) {
        if (!same_generation) {
            asid = new_context(a, mm);
            mm->context.id = asid;
        }
        if (a.flush_pending) {
            a.flush_pending = false;
            ++a.stats.flushes;
            cp15_write(cp15::BPIALL, 0);  // local_flush_bp_all
            local_flush_tlb_all();
        }
    }
    a.active = mm->context.id;
    a.stats.generation = a.generation;
    cpu_switch_mm(mm->pgd, mm);
}

const AsidStats& asid_stats() {
    return alloc().stats;
}

void asid_reset() {
    alloc() = Allocator{};
}

}  // namespace kernel
