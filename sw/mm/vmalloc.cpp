#include "sw/mm/vmalloc.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"
#include "sw/mm/mm.h"
#include "sw/mm/page.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"

namespace kernel {

namespace {

constexpr int kENOMEM = 12;
constexpr int kEBUSY = 16;
// lazy_max_pages(): fls(num_online_cpus()) x 32 MiB worth of pages; one CPU.
constexpr unsigned kOnlineCpus = 1;
constexpr uint32_t kLazyBytesPerCpuBit = 32u << 20;

struct vmap_area {
    uint32_t va_start = 0;
    uint32_t va_end = 0;  // exclusive
    vm_struct* vm = nullptr;
};

struct State {
    bool init = false;
    uint32_t start = 0;                  // VMALLOC_START of this boot
    std::map<uint32_t, vmap_area> busy;  // by va_start
    std::map<uint32_t, uint64_t> free;   // free space: start -> end (exclusive), coalesced
    std::vector<vmap_area> purge_list;   // lazily freed, not yet flushed
    unsigned long lazy_nr = 0;           // pages on purge_list
    std::vector<std::unique_ptr<vm_struct>> early;  // vm_area_add_early before vmalloc_init
    VmallocStats stats;
};
State g;

unsigned fls(unsigned x) {
    unsigned r = 0;
    while (x) {
        ++r;
        x >>= 1;
    }
    return r;
}

void free_insert(uint32_t start, uint64_t end) {
    if (start >= end) return;
    // Merge with the block before and the block after.
    auto next = g.free.lower_bound(start);
    if (next != g.free.begin()) {
        auto prev = std::prev(next);
        if (prev->second == start) {
            start = prev->first;
            g.free.erase(prev);
        }
    }
    next = g.free.lower_bound(start);
    if (next != g.free.end() && next->first == end) {
        end = next->second;
        g.free.erase(next);
    }
    g.free[start] = end;
}

// Removes [start, end) from the free space (it must be inside one free block, or outside all).
void free_carve(uint32_t start, uint64_t end) {
    auto it = g.free.upper_bound(start);
    if (it == g.free.begin()) return;
    --it;
    const uint32_t bs = it->first;
    const uint64_t be = it->second;
    if (be <= start) return;
    g.free.erase(it);
    if (bs < start) g.free[bs] = start;
    if (end < be) g.free[static_cast<uint32_t>(end)] = be;
}

// Lowest-address first fit of `size` bytes aligned to `align` inside [vstart, vend).
bool find_fit(uint64_t size, uint64_t align, uint32_t vstart, uint64_t vend, uint32_t& out) {
    auto it = g.free.upper_bound(vstart);
    if (it != g.free.begin()) {
        auto prev = std::prev(it);
        if (prev->second > vstart) it = prev;
    }
    for (; it != g.free.end() && it->first < vend; ++it) {
        uint64_t s = std::max<uint64_t>(it->first, vstart);
        s = (s + align - 1) & ~(align - 1);
        const uint64_t lim = std::min<uint64_t>(it->second, vend);
        if (s + size <= lim) {
            out = static_cast<uint32_t>(s);
            return true;
        }
    }
    return false;
}

vmap_area* alloc_vmap_area(uint64_t size, uint64_t align, uint32_t vstart, uint64_t vend) {
    if (!g.init) throw std::logic_error("vmalloc used before vmalloc_init()");
    uint32_t addr = 0;
    bool purged = false;
    for (;;) {
        if (find_fit(size, align, vstart, vend, addr)) break;
        if (!purged && !g.purge_list.empty()) {
            purge_vmap_area_lazy();
            purged = true;
            continue;
        }
        ++g.stats.failed;
        pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
                static_cast<unsigned long>(size));
        return nullptr;
    }
    free_carve(addr, addr + size);
    vmap_area& va = g.busy[addr];
    va.va_start = addr;
    va.va_end = static_cast<uint32_t>(addr + size);
    va.vm = nullptr;
    return &va;
}

// free_vmap_area_noflush: the range goes to the purge list; a purge when too many pages wait.
void free_vmap_area_noflush(uint32_t va_start) {
    auto it = g.busy.find(va_start);
    if (it == g.busy.end()) return;
    const vmap_area va = it->second;
    g.busy.erase(it);
    g.purge_list.push_back(va);
    g.lazy_nr += (va.va_end - va.va_start) >> PAGE_SHIFT;
    if (g.lazy_nr > lazy_max_pages()) purge_vmap_area_lazy();
}

bool valid_vm_range(uint32_t addr, unsigned long size) {
    return size && static_cast<uint64_t>(addr) + size <= 0x100000000ull;
}

// The guest's struct page pointer for the pages[] array: the VA of the page's 32-byte entry
// in the mem_map Linux would have, or the pfn when no mem_map room was reserved.
uint32_t page_ptr_value(page* p) {
    MemoryManager& mm = current_mm();
    const pfn_t pfn = page_to_pfn(p);
    if (!mm.mem_map_phys()) return pfn;
    return phys_to_virt(mm.mem_map_phys()) + (pfn - mm.layout().min_low_pfn) * kStructPageBytes;
}

void free_pages_array(vm_struct* area) {
    if (!area->pages_va) return;
    if (is_vmalloc_addr(area->pages_va))
        vfree(area->pages_va);
    else
        kfree(area->pages_va);
    area->pages_va = 0;
}

}  // namespace

// ---- area allocator ---------------------------------------------------------------------------

uint32_t get_vm_area_size(const vm_struct* area) {
    if (!area) return 0;
    return (area->flags & VM_NO_GUARD) ? area->size : area->size - PAGE_SIZE;
}

vm_struct* __get_vm_area_caller(unsigned long size, unsigned long align, unsigned long flags,
                                uint32_t start, uint32_t end, const char* caller) {
    size = PAGE_ALIGN(static_cast<uint32_t>(size));
    if (!size || size > 0xFFFFFFFFul - PAGE_SIZE) return nullptr;
    if (align < PAGE_SIZE) align = PAGE_SIZE;
    if (align & (align - 1)) {
        warn_printk("__get_vm_area: alignment %lu is not a power of two", align);
        return nullptr;
    }
    if (flags & VM_IOREMAP) {
        unsigned order = 0;  // get_count_order_long(size)
        while ((1ull << order) < size)
            ++order;
        order = std::clamp<unsigned>(order, PAGE_SHIFT, IOREMAP_MAX_ORDER);
        align = 1ul << order;
    }
    uint64_t va_size = size;
    if (!(flags & VM_NO_GUARD)) va_size += PAGE_SIZE;
    vmap_area* va = alloc_vmap_area(va_size, align, start, end);
    if (!va) return nullptr;
    auto* area = new vm_struct;
    area->addr = va->va_start;
    area->size = static_cast<uint32_t>(va_size);
    area->flags = flags;
    area->caller = caller ? caller : "";
    va->vm = area;
    return area;
}

vm_struct* get_vm_area_caller(unsigned long size, unsigned long flags, const char* caller) {
    return __get_vm_area_caller(size, 1, flags, VMALLOC_START(), VMALLOC_END, caller);
}

vm_struct* get_vm_area(unsigned long size, unsigned long flags) {
    return __get_vm_area_caller(size, 1, flags, VMALLOC_START(), VMALLOC_END, "get_vm_area");
}

vm_struct* find_vm_area(uint32_t addr) {
    auto it = g.busy.find(addr);
    return it == g.busy.end() ? nullptr : it->second.vm;
}

vm_struct* find_vm_area_containing(uint32_t addr) {
    auto it = g.busy.upper_bound(addr);
    if (it == g.busy.begin()) return nullptr;
    --it;
    const vmap_area& va = it->second;
    return (addr >= va.va_start && addr < va.va_end) ? va.vm : nullptr;
}

vm_struct* remove_vm_area(uint32_t addr) {
    auto it = g.busy.find(addr);
    if (it == g.busy.end() || !it->second.vm) return nullptr;
    vm_struct* vm = it->second.vm;
    it->second.vm = nullptr;
    unmap_kernel_range_noflush(vm->addr, get_vm_area_size(vm));
    free_vmap_area_noflush(addr);
    return vm;
}

void free_vm_area(vm_struct* area) {
    if (!area) return;
    auto it = g.busy.find(area->addr);
    if (it != g.busy.end() && it->second.vm == area) remove_vm_area(area->addr);
    delete area;
}

// ---- mapping --------------------------------------------------------------------------------

namespace {

template <typename PfnOf>
int map_range(uint32_t addr, unsigned long size, pgprot_t prot, PfnOf pfn_of) {
    hal::Cpu& c = hal::this_cpu();
    const unsigned long before = nr_pte_pages();
    const unsigned long n = size >> PAGE_SHIFT;
    uint32_t pmd = 0, ptep = 0;
    for (unsigned long i = 0; i < n; ++i) {
        const uint32_t a = addr + static_cast<uint32_t>(i << PAGE_SHIFT);
        const uint32_t this_pmd = pmd_off_k(a);
        if (this_pmd != pmd || !ptep) {
            pmd = this_pmd;
            ptep = pte_alloc_kernel(pmd, a);
            if (!ptep) {
                unmap_kernel_range_noflush(addr, i << PAGE_SHIFT);
                return -kENOMEM;
            }
        } else {
            ptep += 4;
        }
        if (!pte_none(ptep_get(ptep))) {
            warn_printk("vmap: pte of %08x is not empty", a);
            unmap_kernel_range_noflush(addr, i << PAGE_SHIFT);
            return -kEBUSY;
        }
        set_pte_ext(ptep, pfn_pte(pfn_of(i), prot), 0);
    }
    g.stats.pte_pages += nr_pte_pages() - before;
    c.dsb();  // flush_cache_vmap on a VIPT non-aliasing cache: dsb(ishst)
    return 0;
}

}  // namespace

int map_kernel_range(uint32_t addr, unsigned long size, pgprot_t prot, page* const* pages) {
    if (!valid_vm_range(addr, size)) return -kENOMEM;
    return map_range(addr, size, prot, [&](unsigned long i) { return page_to_pfn(pages[i]); });
}

int ioremap_page_range(uint32_t addr, uint32_t end, phys_addr_t phys, pgprot_t prot) {
    if (end <= addr) return -kENOMEM;
    const pfn_t base = phys >> PAGE_SHIFT;
    return map_range(addr, end - addr, prot,
                     [&](unsigned long i) { return base + static_cast<pfn_t>(i); });
}

void unmap_kernel_range_noflush(uint32_t addr, unsigned long size) {
    if (!valid_vm_range(addr, size)) return;
    const uint64_t end = static_cast<uint64_t>(addr) + size;
    for (uint64_t a = addr; a < end;) {
        const uint64_t next = std::min<uint64_t>((a & PGDIR_MASK) + PGDIR_SIZE, end);
        const uint32_t pmd = pmd_off_k(static_cast<uint32_t>(a));
        if (pmd_table(pmd_read(pmd))) {
            uint32_t ptep = pte_offset_kernel(pmd, static_cast<uint32_t>(a));
            for (; a < next; a += PAGE_SIZE, ptep += 4)
                set_pte_ext(ptep, pte_t{0}, 0);
        }
        a = next;
    }
}

void unmap_kernel_range(uint32_t addr, unsigned long size) {
    unmap_kernel_range_noflush(addr, size);
    flush_tlb_kernel_range(addr, addr + static_cast<uint32_t>(size));
}

// ---- vmalloc ----------------------------------------------------------------------------------

uint32_t __vmalloc_node_range(unsigned long size, unsigned long align, uint32_t start, uint32_t end,
                              gfp_t gfp, pgprot_t prot, unsigned long vm_flags,
                              const char* caller) {
    const unsigned long real_size = size;
    size = PAGE_ALIGN(static_cast<uint32_t>(std::min<unsigned long>(size, 0xFFFFF000ul)));
    if (!size || (size >> PAGE_SHIFT) > totalram_pages()) {
        if (!(gfp & __GFP_NOWARN))
            warn_printk("%s: vmalloc error: size %lu, exceeds total pages", caller, real_size);
        return 0;
    }
    vm_struct* area = __get_vm_area_caller(size, align, VM_ALLOC | VM_UNINITIALIZED | vm_flags,
                                           start, end, caller);
    if (!area) {
        if (!(gfp & __GFP_NOWARN))
            warn_printk("%s: vmalloc error: size %lu, vm_struct allocation failed", caller,
                        real_size);
        return 0;
    }
    // __vmalloc_area_node: pages may come from highmem unless a DMA zone was asked for.
    if (!(gfp & (GFP_DMA | __GFP_DMA32))) gfp |= __GFP_HIGHMEM;
    const unsigned nr_pages = static_cast<unsigned>(size >> PAGE_SHIFT);
    const uint32_t array_size = nr_pages * 4;  // struct page *pages[nr_pages]
    const gfp_t nested_gfp = (gfp & (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_NOWARN |
                                     __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY)) |
                             __GFP_ZERO;
    if (array_size > PAGE_SIZE)
        area->pages_va = __vmalloc_node_range(array_size, 1, VMALLOC_START(), VMALLOC_END,
                                              nested_gfp, PAGE_KERNEL, 0, caller);
    else
        area->pages_va = kmalloc(array_size, nested_gfp);
    if (!area->pages_va) {
        warn_printk("%s: vmalloc error: size %lu, page array size %u allocation failed", caller,
                    real_size, array_size);
        free_vm_area(area);
        return 0;
    }
    hal::Cpu& c = hal::this_cpu();
    area->pages.reserve(nr_pages);
    for (unsigned i = 0; i < nr_pages; ++i) {
        page* p = alloc_pages(gfp, 0);
        if (!p) {
            if (!(gfp & __GFP_NOWARN))
                warn_printk("%s: vmalloc error: size %lu, failed to allocate pages", caller,
                            real_size);
            area->nr_pages = i;
            vfree(area->addr);
            return 0;
        }
        area->pages.push_back(p);
        c.store32(area->pages_va + i * 4, page_ptr_value(p));
    }
    area->nr_pages = nr_pages;
    if (map_kernel_range(area->addr, size, prot, area->pages.data()) != 0) {
        warn_printk("%s: vmalloc error: size %lu, failed to map pages", caller, real_size);
        vfree(area->addr);
        return 0;
    }
    area->flags &= ~VM_UNINITIALIZED;
    return area->addr;
}

uint32_t __vmalloc(unsigned long size, gfp_t gfp, const char* caller) {
    return __vmalloc_node_range(size, 1, VMALLOC_START(), VMALLOC_END, gfp, PAGE_KERNEL, 0, caller);
}
uint32_t vmalloc(unsigned long size, const char* caller) {
    return __vmalloc(size, GFP_KERNEL, caller);
}
uint32_t vzalloc(unsigned long size, const char* caller) {
    return __vmalloc(size, GFP_KERNEL | __GFP_ZERO, caller);
}
uint32_t vmalloc_user(unsigned long size, const char* caller) {
    return __vmalloc_node_range(size, 1 /* SHMLBA is a page on v7 */, VMALLOC_START(), VMALLOC_END,
                                GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP, caller);
}

void vfree(uint32_t addr) {
    if (!addr) return;
    if (addr & ~PAGE_MASK) {
        warn_printk("Trying to vfree() bad address (%08x)", addr);
        return;
    }
    vm_struct* vm = remove_vm_area(addr);
    if (!vm) {
        warn_printk("Trying to vfree() nonexistent vm area (%08x)", addr);
        return;
    }
    for (unsigned i = 0; i < vm->nr_pages && i < vm->pages.size(); ++i)
        __free_page(vm->pages[i]);
    free_pages_array(vm);
    delete vm;
}

uint32_t kvmalloc(size_t size, gfp_t gfp, const char* caller) {
    // kvmalloc_node: try the slab first without warnings or retries for sizes above a page.
    gfp_t kmalloc_flags = gfp;
    if (size > PAGE_SIZE) kmalloc_flags |= __GFP_NOWARN | __GFP_NORETRY;
    if (size <= kmalloc_max_size()) {
        if (const uint32_t p = kmalloc(size, kmalloc_flags)) return p;
    }
    return __vmalloc(size, gfp, caller);
}
uint32_t kvzalloc(size_t size, gfp_t gfp, const char* caller) {
    return kvmalloc(size, gfp | __GFP_ZERO, caller);
}
void kvfree(uint32_t addr) {
    if (is_vmalloc_addr(addr))
        vfree(addr);
    else
        kfree(addr);
}

// ---- vmap -------------------------------------------------------------------------------------

uint32_t vmap(page* const* pages, unsigned count, unsigned long flags, pgprot_t prot,
              const char* caller) {
    if (!count || !pages) return 0;
    if (count > totalram_pages()) return 0;
    const unsigned long size = static_cast<unsigned long>(count) << PAGE_SHIFT;
    vm_struct* area = get_vm_area_caller(size, flags, caller);
    if (!area) return 0;
    if (map_kernel_range(area->addr, size, prot, pages) != 0) {
        vunmap(area->addr);
        return 0;
    }
    if (flags & VM_MAP) area->pages.assign(pages, pages + count);
    return area->addr;
}

void vunmap(uint32_t addr) {
    if (!addr) return;
    vm_struct* vm = remove_vm_area(addr & PAGE_MASK);
    if (!vm) {
        warn_printk("Trying to vunmap() nonexistent vm area (%08x)", addr);
        return;
    }
    delete vm;
}

// ---- lookups ----------------------------------------------------------------------------------

bool is_vmalloc_addr(uint32_t addr) {
    return g.init && addr >= g.start && addr < VMALLOC_END;
}

page* vmalloc_to_page(uint32_t addr) {
    phys_addr_t pa = 0;
    if (!pgd_lookup(swapper_pg_dir(), addr, pa)) return nullptr;
    return pfn_to_page(pa >> PAGE_SHIFT);
}

pfn_t vmalloc_to_pfn(uint32_t addr) {
    phys_addr_t pa = 0;
    if (!pgd_lookup(swapper_pg_dir(), addr, pa)) return 0;
    return pa >> PAGE_SHIFT;
}

// ---- lazy purge -------------------------------------------------------------------------------

unsigned long lazy_max_pages() {
    return fls(kOnlineCpus) * (kLazyBytesPerCpuBit / PAGE_SIZE);
}

unsigned long vmap_lazy_nr() {
    return g.lazy_nr;
}

void purge_vmap_area_lazy() {
    if (g.purge_list.empty()) return;
    uint32_t start = 0xFFFFFFFFu, end = 0;
    for (const vmap_area& va : g.purge_list) {
        start = std::min(start, va.va_start);
        end = std::max(end, va.va_end);
    }
    // One flush over the union of the lazily freed ranges (holes included).
    flush_tlb_kernel_range(start, end);
    ++g.stats.purges;
    g.stats.purged_areas += g.purge_list.size();
    g.stats.flushed_pages += (end - start) >> PAGE_SHIFT;
    for (const vmap_area& va : g.purge_list)
        free_insert(va.va_start, va.va_end);
    g.purge_list.clear();
    g.lazy_nr = 0;
}

void vm_unmap_aliases() {
    purge_vmap_area_lazy();
}

const VmallocStats& vmalloc_stats() {
    return g.stats;
}

// ---- /proc/vmallocinfo ------------------------------------------------------------------------

std::string vmallocinfo() {
    std::string out;
    char buf[256];
    // Busy areas and the lazily freed ones, by address (s_show + show_purge_info).
    std::vector<const vmap_area*> all;
    for (const auto& kv : g.busy)
        all.push_back(&kv.second);
    for (const vmap_area& va : g.purge_list)
        all.push_back(&va);
    std::sort(all.begin(), all.end(),
              [](const vmap_area* a, const vmap_area* b) { return a->va_start < b->va_start; });
    for (const vmap_area* va : all) {
        const vm_struct* v = va->vm;
        if (!v) {
            std::snprintf(buf, sizeof buf, "0x%08x-0x%08x %7u unpurged vm_area\n", va->va_start,
                          va->va_end, va->va_end - va->va_start);
            out += buf;
            continue;
        }
        int n = std::snprintf(buf, sizeof buf, "0x%08x-0x%08x %7u", v->addr, v->addr + v->size,
                              v->size);
        std::string line(buf, static_cast<size_t>(n));
        if (!v->caller.empty()) line += " " + v->caller;
        if (v->nr_pages) {
            std::snprintf(buf, sizeof buf, " pages=%u", v->nr_pages);
            line += buf;
        }
        if (v->phys_addr) {
            std::snprintf(buf, sizeof buf, " phys=0x%08x", v->phys_addr);
            line += buf;
        }
        if (v->flags & VM_IOREMAP) line += " ioremap";
        if (v->flags & VM_ALLOC) line += " vmalloc";
        if (v->flags & VM_MAP) line += " vmap";
        if (v->flags & VM_USERMAP) line += " user";
        if (v->flags & VM_DMA_COHERENT) line += " dma-coherent";
        if (v->pages_va && is_vmalloc_addr(v->pages_va)) line += " vpages";
        out += line + "\n";
    }
    return out;
}

// ---- boot -------------------------------------------------------------------------------------

void vm_area_add_early(uint32_t addr, uint32_t size, unsigned long flags, phys_addr_t phys,
                       const char* caller) {
    auto vm = std::make_unique<vm_struct>();
    vm->addr = addr;
    vm->size = size;
    vm->flags = flags | VM_NO_GUARD;  // early areas are exact (no guard page)
    vm->phys_addr = phys;
    vm->caller = caller ? caller : "";
    if (g.init) {
        free_carve(addr, static_cast<uint64_t>(addr) + size);
        vmap_area& va = g.busy[addr];
        va = {addr, addr + size, vm.release()};
        return;
    }
    g.early.push_back(std::move(vm));
}

void vmalloc_init() {
    if (g.init) throw std::logic_error("vmalloc_init() called twice");
    g.start = VMALLOC_START();
    g.free.clear();
    g.free[g.start] = VMALLOC_END;
    g.init = true;
    for (auto& vm : g.early) {
        const uint32_t a = vm->addr;
        const uint64_t e = static_cast<uint64_t>(a) + vm->size;
        free_carve(a, e);
        vmap_area& va = g.busy[a];
        va = {a, static_cast<uint32_t>(e), vm.release()};
    }
    g.early.clear();
}

void vmalloc_exit() {
    for (auto& kv : g.busy)
        delete kv.second.vm;
    g = State{};
}

bool vmalloc_initialized() {
    return g.init;
}

}  // namespace kernel
