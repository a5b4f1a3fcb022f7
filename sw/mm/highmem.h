// Highmem: kmap / kunmap through the pkmap area and kmap_atomic / kmap_local through the
// fixmap (mm/highmem.c, arch/arm/include/asm/highmem.h and fixmap.h; linux-mm.md §10;
// docs/guest/highmem.md).
//
// Pages below the lowmem limit are in the linear map: every kmap of them is page_address().
// A highmem page (the 1 GiB EVM has 256 MiB of them) needs a temporary kernel mapping:
//  - kmap(): one of LAST_PKMAP = 512 reference-counted slots at PKMAP_BASE = PAGE_OFFSET -
//    2 MiB, its pte in pkmap_page_table; kunmap() drops the count; slots whose count fell
//    to zero are cleared only when the slot search wraps (flush_all_zero_pkmaps: all at once,
//    one flush_tlb_kernel_range over the pkmap area). When all 512 slots are busy Linux
//    sleeps; the guest has no other thread to wait for, so kmap WARNs and returns 0.
//  - kmap_atomic()/kmap_local_page(): per-CPU fixmap slots (KM_MAX_IDX = 16) below
//    FIXADDR_TOP, strictly nested (kunmap in reverse order); the slot's TLB entry is
//    flushed after mapping and after unmapping (arch_kmap_local_post_map/_unmap).
// Plain C++17, no SystemC.
#pragma once

#include <cstdint>

#include "sw/mm/memory.h"

namespace kernel {

struct page;

// pkmap (arch/arm/include/asm/highmem.h).
constexpr uint32_t PKMAP_BASE = PAGE_OFFSET - (2u << 20);  // 0xBFE0_0000
constexpr unsigned LAST_PKMAP = 512;                       // PTRS_PER_PTE
constexpr unsigned LAST_PKMAP_MASK = LAST_PKMAP - 1;
constexpr unsigned PKMAP_NR(uint32_t virt) {
    return (virt - PKMAP_BASE) >> PAGE_SHIFT;
}
constexpr uint32_t PKMAP_ADDR(unsigned nr) {
    return PKMAP_BASE + (nr << PAGE_SHIFT);
}

// fixmap (arch/arm/include/asm/fixmap.h, Linux 5.11+ layout; linux-mm.md §2.2).
constexpr uint32_t FIXADDR_START = 0xFFC80000u;
constexpr uint32_t FIXADDR_END = 0xFFF00000u;
constexpr uint32_t FIXADDR_TOP = FIXADDR_END - PAGE_SIZE;
constexpr unsigned KM_MAX_IDX = 16;  // include/asm-generic/kmap_size.h
constexpr unsigned NR_CPUS = 1;      // [?] one Cortex-A8 (docs/guest/highmem.md)
enum fixed_addresses : unsigned {
    FIX_EARLYCON_MEM_BASE,
    __end_of_permanent_fixed_addresses,
    FIX_KMAP_BEGIN = __end_of_permanent_fixed_addresses,
    FIX_KMAP_END = FIX_KMAP_BEGIN + (KM_MAX_IDX * NR_CPUS) - 1,
    FIX_TEXT_POKE0,
    FIX_TEXT_POKE1,
    __end_of_fixmap_region,
};
constexpr uint32_t __fix_to_virt(unsigned idx) {
    return FIXADDR_TOP - (idx << PAGE_SHIFT);
}
constexpr unsigned __virt_to_fix(uint32_t x) {
    return (FIXADDR_TOP - (x & PAGE_MASK)) >> PAGE_SHIFT;
}

bool PageHighMem(const page* p);

// kmap / kunmap (may not be used with a page that is not mapped by kmap).
uint32_t kmap(page* p);
void kunmap(page* p);
// The pkmap address of a highmem page mapped by kmap, 0 otherwise; lowmem: page_address.
uint32_t kmap_page_address(const page* p);
// kmap_atomic / kmap_local_page and their unmaps (by address, strictly nested).
uint32_t kmap_atomic(page* p);
void kunmap_atomic(uint32_t vaddr);
uint32_t kmap_local_page(page* p);
void kunmap_local(uint32_t vaddr);
// Zeroes a page of any zone through a temporary mapping (clear_highpage).
void clear_highpage(page* p);
// Copies one page's contents to another through temporary mappings (copy_highpage).
void copy_highpage(page* to, page* from);

// State and counters.
unsigned pkmap_count(
    unsigned nr);             // Linux's pkmap_count[nr] (0 free, 1 mapped-unused, n+1 used n times)
unsigned kmap_local_depth();  // live kmap_atomic/local slots
struct HighmemStats {
    unsigned long kmaps = 0;          // kmap of a highmem page
    unsigned long pkmap_flushes = 0;  // flush_all_zero_pkmaps passes
    unsigned long kmap_atomic = 0;    // kmap_atomic/local of a highmem page
};
const HighmemStats& highmem_stats();

// Boot: kmap_init made the pkmap and fixmap pte tables; this hooks page_address/clear_highpage
// of the page allocator. highmem_exit() forgets everything (System teardown).
void highmem_init();
void highmem_exit();

}  // namespace kernel
