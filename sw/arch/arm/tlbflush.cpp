#include "sw/arch/arm/tlbflush.h"

#include "sw/hal/cpu.h"
#include "sw/mm/memory.h"

namespace kernel {

namespace {
TlbFlushCounts g_counts;
// TLBIMVA operand: MVA[31:12] and, for non-global entries, ASID[7:0].
constexpr uint32_t kAsidMask = 0xFFu;
}  // namespace

void cp15_write(Cp15Op op, uint32_t value) {
    hal::this_cpu().mcr(op.crn, op.opc1, op.crm, op.opc2, value);
}

uint32_t cp15_read(Cp15Op op) {
    return hal::this_cpu().mrc(op.crn, op.opc1, op.crm, op.opc2);
}

const TlbFlushCounts& tlb_flush_counts() {
    return g_counts;
}

void local_flush_tlb_all() {
    hal::Cpu& c = hal::this_cpu();
    c.dsb();
    cp15_write(cp15::TLBIALL, 0);
    ++g_counts.all;
    c.dsb();
    c.isb();
}

void flush_tlb_all() {
    local_flush_tlb_all();
}

void local_flush_tlb_kernel_page(uint32_t kaddr) {
    hal::Cpu& c = hal::this_cpu();
    c.dsb();
    cp15_write(cp15::TLBIMVA, kaddr & PAGE_MASK);
    ++g_counts.by_mva;
    c.dsb();
    c.isb();
}

void flush_tlb_kernel_page(uint32_t kaddr) {
    local_flush_tlb_kernel_page(kaddr);
}

void local_flush_tlb_kernel_range(uint32_t start, uint32_t end) {
    hal::Cpu& c = hal::this_cpu();
    ++g_counts.range_calls;
    c.dsb();
    // end 0 stands for 4 GiB (a range up to the top of the address space).
    const uint64_t e = end ? end : (1ull << 32);
    for (uint64_t a = start & PAGE_MASK; a < e; a += PAGE_SIZE) {
        cp15_write(cp15::TLBIMVA, static_cast<uint32_t>(a));
        ++g_counts.by_mva;
    }
    c.dsb();
    c.isb();
}

void flush_tlb_kernel_range(uint32_t start, uint32_t end) {
    local_flush_tlb_kernel_range(start, end);
}

void local_flush_tlb_mm(unsigned asid) {
    hal::Cpu& c = hal::this_cpu();
    c.dsb();
    cp15_write(cp15::TLBIASID, asid & kAsidMask);
    ++g_counts.by_asid;
    c.dsb();
    c.isb();
}

void flush_tlb_mm(unsigned asid) {
    local_flush_tlb_mm(asid);
}

void local_flush_tlb_page(unsigned asid, uint32_t uaddr) {
    hal::Cpu& c = hal::this_cpu();
    c.dsb();
    cp15_write(cp15::TLBIMVA, (uaddr & PAGE_MASK) | (asid & kAsidMask));
    ++g_counts.by_mva;
    c.dsb();
    c.isb();
}

void flush_tlb_page(unsigned asid, uint32_t uaddr) {
    local_flush_tlb_page(asid, uaddr);
}

void flush_tlb_range(unsigned asid, uint32_t start, uint32_t end) {
    hal::Cpu& c = hal::this_cpu();
    ++g_counts.range_calls;
    c.dsb();
    for (uint64_t a = start & PAGE_MASK; a < end; a += PAGE_SIZE) {
        cp15_write(cp15::TLBIMVA, static_cast<uint32_t>(a) | (asid & kAsidMask));
        ++g_counts.by_mva;
    }
    c.dsb();
    c.isb();
}

namespace {
uint32_t g_ttb_flags = ttbr::TTB_FLAGS_UP;
}  // namespace

uint32_t ttb_flags() {
    return g_ttb_flags;
}

void set_ttb_flags(uint32_t flags) {
    g_ttb_flags = flags;
}

}  // namespace kernel
