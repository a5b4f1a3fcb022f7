// vmalloc, vmap and the vmalloc-area allocator (mm/vmalloc.c, include/linux/vmalloc.h;
// linux-mm.md §7, §14.1; docs/guest/vmalloc.md).
//
// Virtual space [VMALLOC_START, VMALLOC_END) is handed out as vmap areas: lowest-address
// first fit honouring the alignment, each area followed by one unmapped guard page (unless
// VM_NO_GUARD). vmalloc backs an area with order-0 pages (which may be highmem) mapped by
// 4 KiB ptes written into init_mm's tables through the CPU (set_pte_ext: the table line is
// cleaned; one DSB per mapping, as flush_cache_vmap does on ARMv7). vfree/vunmap clear the
// ptes and free the pages at once but put the virtual range on a lazy-purge list: it is
// reused only after a purge, which issues one flush_tlb_kernel_range over the union of the
// purged ranges when the lazily freed pages exceed lazy_max_pages() (8192 on one CPU, 32 MiB)
// or when an allocation finds no room. Bookkeeping (vmap_area, vm_struct) is host memory;
// the pages[] array Linux keeps is allocated in guest memory (kmalloc, or vmalloc when it is
// larger than a page) and written through the CPU.
//
// Addresses are guest VAs (uint32_t, 0 = NULL). Plain C++17, no SystemC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/arch/arm/pgtable.h"
#include "sw/mm/gfp.h"
#include "sw/mm/memory.h"

namespace kernel {

struct page;

// vm_struct flags (include/linux/vmalloc.h, arch/arm/mm/mm.h).
constexpr unsigned long VM_IOREMAP = 0x00000001;
constexpr unsigned long VM_ALLOC = 0x00000002;
constexpr unsigned long VM_MAP = 0x00000004;
constexpr unsigned long VM_USERMAP = 0x00000008;
constexpr unsigned long VM_DMA_COHERENT = 0x00000010;
constexpr unsigned long VM_UNINITIALIZED = 0x00000020;
constexpr unsigned long VM_NO_GUARD = 0x00000040;
constexpr unsigned long VM_ARM_SECTION_MAPPING = 0x80000000;
constexpr unsigned long VM_ARM_STATIC_MAPPING = 0x40000000;
constexpr unsigned long VM_ARM_EMPTY_MAPPING = 0x20000000;
constexpr unsigned VM_ARM_MTYPE_SHIFT = 20;
constexpr unsigned long VM_ARM_MTYPE_MASK = 0x1Ful << VM_ARM_MTYPE_SHIFT;
constexpr unsigned long VM_ARM_MTYPE(unsigned mt) {
    return static_cast<unsigned long>(mt) << VM_ARM_MTYPE_SHIFT;
}
// IOREMAP_MAX_ORDER on a UP non-LPAE ARM kernel: ioremap areas are aligned to at most 16 MiB.
constexpr unsigned IOREMAP_MAX_ORDER = 24;

struct vm_struct {
    uint32_t addr = 0;
    uint32_t size = 0;  // includes the guard page unless VM_NO_GUARD
    unsigned long flags = 0;
    std::vector<page*> pages;  // host copy of the guest pages[] array
    uint32_t pages_va = 0;     // the guest pages[] array (kmalloc'ed or vmalloc'ed), or 0
    unsigned nr_pages = 0;
    phys_addr_t phys_addr = 0;  // ioremap: the physical base
    std::string caller;
};
// The mapped size (size minus the guard page).
uint32_t get_vm_area_size(const vm_struct* area);

// ---- Area allocator --------------------------------------------------------------------------
// An area of at least `size` bytes (page-rounded, + guard page) in [start, end), aligned to
// `align` (a power of two >= PAGE_SIZE). Nothing is mapped. nullptr when there is no room
// (after one purge and retry, as alloc_vmap_area does) or for a bad request.
vm_struct* __get_vm_area_caller(unsigned long size, unsigned long align, unsigned long flags,
                                uint32_t start, uint32_t end,
                                const char* caller = __builtin_FUNCTION());
// In the whole vmalloc area; VM_IOREMAP areas are aligned to the size's power of two,
// clamped to [PAGE_SIZE, 2^IOREMAP_MAX_ORDER] (get_vm_area_caller).
vm_struct* get_vm_area_caller(unsigned long size, unsigned long flags,
                              const char* caller = __builtin_FUNCTION());
vm_struct* get_vm_area(unsigned long size, unsigned long flags);
// The area starting at addr (any busy area, static maps included), or nullptr.
vm_struct* find_vm_area(uint32_t addr);
// The area containing addr (not only its start), or nullptr.
vm_struct* find_vm_area_containing(uint32_t addr);
// Unmaps the area at `addr` (ptes cleared, no TLB flush: the VA goes to the lazy list) and
// returns it; the caller then frees it with free_vm_area (pages are not freed). nullptr if
// `addr` starts no area.
vm_struct* remove_vm_area(uint32_t addr);
void free_vm_area(vm_struct* area);  // remove_vm_area if still mapped, then delete

// ---- Mapping helpers (for vmap, ioremap and the DMA remap) ---------------------------------
// Maps `pages` (nr_pages of them) at [addr, addr + nr_pages * PAGE_SIZE) in init_mm with
// `prot`, allocating pte pages as needed (vmap_pages_range + flush_cache_vmap). Returns 0 or
// -ENOMEM (partially written ptes are cleared again).
int map_kernel_range(uint32_t addr, unsigned long size, pgprot_t prot, page* const* pages);
// Maps the physical range [phys, phys + (end - addr)) at [addr, end) with `prot`.
int ioremap_page_range(uint32_t addr, uint32_t end, phys_addr_t phys, pgprot_t prot);
// Clears the ptes of [addr, addr + size) and flushes the TLB for it (vunmap_range).
void unmap_kernel_range(uint32_t addr, unsigned long size);
// The same without the TLB flush (the lazy path: vunmap_range_noflush).
void unmap_kernel_range_noflush(uint32_t addr, unsigned long size);

// ---- vmalloc ------------------------------------------------------------------------------
// size 0 -> 0 with a WARN; more than the RAM -> 0. GFP_KERNEL | __GFP_HIGHMEM, PAGE_KERNEL.
uint32_t vmalloc(unsigned long size, const char* caller = __builtin_FUNCTION());
uint32_t vzalloc(unsigned long size, const char* caller = __builtin_FUNCTION());
uint32_t __vmalloc(unsigned long size, gfp_t gfp, const char* caller = __builtin_FUNCTION());
uint32_t vmalloc_user(unsigned long size, const char* caller = __builtin_FUNCTION());
uint32_t __vmalloc_node_range(unsigned long size, unsigned long align, uint32_t start, uint32_t end,
                              gfp_t gfp, pgprot_t prot, unsigned long vm_flags,
                              const char* caller = __builtin_FUNCTION());
// NULL is fine; anything but an area start WARNs "Trying to vfree() nonexistent vm area"
// (or "bad address") and returns.
void vfree(uint32_t addr);
// kmalloc first, vmalloc if that fails or the size is above a page (mm/util.c kvmalloc_node).
uint32_t kvmalloc(size_t size, gfp_t gfp, const char* caller = __builtin_FUNCTION());
uint32_t kvzalloc(size_t size, gfp_t gfp, const char* caller = __builtin_FUNCTION());
void kvfree(uint32_t addr);

// ---- vmap -----------------------------------------------------------------------------------
// Maps `count` pages contiguously with `prot`; flags usually VM_MAP. 0 on failure.
uint32_t vmap(page* const* pages, unsigned count, unsigned long flags, pgprot_t prot,
              const char* caller = __builtin_FUNCTION());
void vunmap(uint32_t addr);  // the pages are not freed

// ---- Lookups ----------------------------------------------------------------------------------
// VMALLOC_START <= addr < VMALLOC_END (VMALLOC_START of the running kernel).
bool is_vmalloc_addr(uint32_t addr);
page* vmalloc_to_page(uint32_t addr);  // walks init_mm's tables; nullptr if unmapped
pfn_t vmalloc_to_pfn(uint32_t addr);   // 0 if unmapped

// ---- Lazy purge ---------------------------------------------------------------------------------
unsigned long lazy_max_pages();  // fls(num_online_cpus) * 32 MiB / PAGE_SIZE = 8192
unsigned long vmap_lazy_nr();    // pages waiting on the purge list
// Purges now: one flush_tlb_kernel_range over the union of the lazily freed ranges, then
// their virtual space is free again. Also what vm_unmap_aliases() does.
void purge_vmap_area_lazy();
void vm_unmap_aliases();

struct VmallocStats {
    unsigned long purges = 0;  // purge passes that flushed something
    unsigned long purged_areas = 0;
    unsigned long flushed_pages = 0;  // pages covered by purge flushes (TLBIMVA issued)
    unsigned long pte_pages = 0;      // pte pages allocated for the vmalloc area
    unsigned long failed = 0;         // allocations that found no room
};
const VmallocStats& vmalloc_stats();

// /proc/vmallocinfo: "0x%08x-0x%08x %7ld %s pages=%d phys=%08x ioremap vmalloc vpages ..."
// one line per busy area, by address (linux-mm.md §7.1).
std::string vmallocinfo();

// Boot: registers areas already mapped before the allocator existed (vm_area_add_early,
// e.g. the static device maps) — call before vmalloc_init.
void vm_area_add_early(uint32_t addr, uint32_t size, unsigned long flags, phys_addr_t phys,
                       const char* caller);
// Sets up the allocator for [VMALLOC_START, VMALLOC_END) with the early areas busy.
void vmalloc_init();
// Drops all state (System's teardown). The page tables are not touched.
void vmalloc_exit();
bool vmalloc_initialized();

}  // namespace kernel
