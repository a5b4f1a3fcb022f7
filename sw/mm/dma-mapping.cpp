// The DMA API on a non-coherent ARMv7 (arch/arm/mm/dma-mapping.c, kernel/dma/; linux-mm.md §11).
#include "sw/mm/dma-mapping.h"

#include <cerrno>
#include <cinttypes>
#include <map>
#include <vector>

#include "sw/arch/arm/cacheflush.h"
#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/dma-debug.h"
#include "sw/mm/highmem.h"
#include "sw/mm/mm.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/vmalloc.h"

namespace kernel {

namespace {

enum class Kind { cma, remap, pool };

struct CoherentBuf {
    Kind kind = Kind::cma;
    uint32_t size = 0;  // page-aligned bytes actually allocated
    phys_addr_t phys = 0;
    page* first = nullptr;  // remap: the block to free
    unsigned order = 0;     // remap: its order
};

struct State {
    const System* system = nullptr;  // the kernel this state belongs to
    bool initialized = false;
    // The CMA area: one bit per page (kernel/dma/contiguous.c, mm/cma.c).
    phys_addr_t cma_base = 0;
    std::vector<bool> cma_bitmap;
    unsigned long cma_used = 0;
    // The atomic pool: a non-cacheable vmalloc-space alias of contiguous pages.
    uint32_t pool_va = 0;
    phys_addr_t pool_phys = 0;
    uint32_t pool_size = 0;
    bool pool_from_cma = false;
    page* pool_pages = nullptr;  // when taken from the buddy
    unsigned pool_order = 0;
    std::map<uint32_t, uint32_t> pool_chunks;  // offset -> bytes (gen_pool, page granules)
    uint32_t pool_used = 0;
    // Coherent buffers by CPU address (arm_dma_buffer_find).
    std::map<uint32_t, CoherentBuf> coherent;
    bool warned_vmalloc = false;
    bool warned_overflow = false;
    unsigned long maps = 0;
    unsigned long map_errors = 0;
};

State& raw_state() {
    static State s;
    return s;
}

void pool_init(State& s);

// The state of the running kernel: a new System starts afresh (the old one's state is
// dropped without touching its memory, which no longer exists).
State& state() {
    State& s = raw_state();
    const System* sys = system_running() ? &current_system() : nullptr;
    if (s.system != sys) {
        s = State{};
        s.system = sys;
    }
    if (!s.initialized && sys) {
        s.initialized = true;
        const cma_area& cma = current_mm().cma();
        s.cma_base = cma.base;
        s.cma_bitmap.assign(cma.size / PAGE_SIZE, false);
        pool_init(s);
    }
    return s;
}

std::string dev_prefix(const device* dev) {
    if (!dev) return "(NULL device *)";
    return dev->driver.empty() ? dev->name : dev->driver + " " + dev->name;
}

// ---- CMA bitmap ----------------------------------------------------------------------------

// cma_alloc: first fit of `count` pages aligned to 2^align pages. Returns the physical
// address, 0 when the area has no room.
phys_addr_t cma_alloc(State& s, unsigned long count, unsigned align) {
    const unsigned long n = s.cma_bitmap.size();
    const unsigned long step = 1ul << align;
    // Alignment is of the PFN (mm/cma.c cma_bitmap_aligned_offset).
    const unsigned long base_pfn = s.cma_base >> PAGE_SHIFT;
    unsigned long start = (step - (base_pfn & (step - 1))) & (step - 1);
    for (; start + count <= n; start += step) {
        unsigned long i = 0;
        while (i < count && !s.cma_bitmap[start + i])
            ++i;
        if (i == count) {
            for (unsigned long k = 0; k < count; ++k)
                s.cma_bitmap[start + k] = true;
            s.cma_used += count;
            return s.cma_base + static_cast<phys_addr_t>(start << PAGE_SHIFT);
        }
    }
    return 0;
}

void cma_release(State& s, phys_addr_t phys, unsigned long count) {
    const unsigned long start = (phys - s.cma_base) >> PAGE_SHIFT;
    for (unsigned long k = 0; k < count && start + k < s.cma_bitmap.size(); ++k)
        if (s.cma_bitmap[start + k]) {
            s.cma_bitmap[start + k] = false;
            --s.cma_used;
        }
}

// __dma_remap / __dma_update_pte: every linear-map pte of [va, va + size) gets `prot`, then
// the TLB entries of the range go.
void remap_linear(uint32_t va, uint32_t size, pgprot_t prot) {
    const uint32_t pgd = swapper_pg_dir();
    for (uint32_t a = va; a < va + size; a += PAGE_SIZE) {
        const uint32_t ptep = pte_lookup(pgd, a);
        if (!ptep) {
            warn_printk("dma: no 4 KiB pte for the CMA page at 0x%08" PRIx32 "\n", a);
            continue;
        }
        set_pte_ext(ptep, pfn_pte(virt_to_pfn(a), prot), 0);
    }
    hal::this_cpu().dsb();
    flush_tlb_kernel_range(va, va + size);
}

// __dma_clear_buffer for lowmem: zero through the cacheable linear map, then clean and
// invalidate it so no dirty line can later be written over the device's data.
void clear_buffer_linear(uint32_t va, uint32_t size) {
    hal::this_cpu().fill(va, 0, size);
    dmac_flush_range(va, va + size);
}

void pool_init(State& s) {
    const unsigned order = get_order(DMA_ATOMIC_POOL_SIZE);
    phys_addr_t phys = 0;
    if (!s.cma_bitmap.empty()) {
        phys =
            cma_alloc(s, DMA_ATOMIC_POOL_SIZE >> PAGE_SHIFT, std::min(order, CONFIG_CMA_ALIGNMENT));
        s.pool_from_cma = phys != 0;
    }
    if (!phys) {
        page* p = alloc_pages(GFP_KERNEL, order);
        if (!p) {
            pr_err("DMA: failed to allocate %" PRIu32 " KiB pool for atomic coherent allocation\n",
                   DMA_ATOMIC_POOL_SIZE / 1024);
            return;
        }
        s.pool_pages = p;
        s.pool_order = order;
        phys = page_to_phys(p);
    }
    clear_buffer_linear(phys_to_virt(phys), DMA_ATOMIC_POOL_SIZE);
    std::vector<page*> pages;
    for (uint32_t i = 0; i < DMA_ATOMIC_POOL_SIZE / PAGE_SIZE; ++i)
        pages.push_back(pfn_to_page((phys >> PAGE_SHIFT) + i));
    const uint32_t va = vmap(pages.data(), static_cast<unsigned>(pages.size()), VM_DMA_COHERENT,
                             pgprot_dmacoherent(PAGE_KERNEL), "atomic_pool_init");
    if (!va) {
        pr_err("DMA: failed to remap the atomic pool\n");
        if (s.pool_pages) __free_pages(s.pool_pages, s.pool_order);
        if (s.pool_from_cma) cma_release(s, phys, DMA_ATOMIC_POOL_SIZE >> PAGE_SHIFT);
        s.pool_pages = nullptr;
        s.pool_from_cma = false;
        return;
    }
    s.pool_va = va;
    s.pool_phys = phys;
    s.pool_size = DMA_ATOMIC_POOL_SIZE;
    pr_info("DMA: preallocated %" PRIu32 " KiB GFP_KERNEL pool for atomic allocations\n",
            DMA_ATOMIC_POOL_SIZE / 1024);
}

// gen_pool_alloc, first fit: the offset of `size` bytes, or -1.
int64_t pool_alloc(State& s, uint32_t size) {
    if (!s.pool_size) return -1;
    uint32_t off = 0;
    for (const auto& c : s.pool_chunks) {
        if (c.first - off >= size) break;
        off = c.first + c.second;
    }
    if (off + size > s.pool_size || off + size < off) return -1;
    s.pool_chunks[off] = size;
    s.pool_used += size;
    return off;
}

// The physical address behind a CPU address of a DMA buffer (virt_to_paddr of dma-debug).
bool cpu_addr_to_phys(uint32_t va, phys_addr_t& pa) {
    if (is_vmalloc_addr(va)) {
        const pfn_t pfn = vmalloc_to_pfn(va);
        if (!pfn) return false;
        pa = (pfn << PAGE_SHIFT) | (va & ~PAGE_MASK);
        return true;
    }
    if (!virt_addr_valid(va)) return false;
    pa = virt_to_phys(va);
    return true;
}

// A handle the CPU can reach through the linear map (the streaming API's buffers).
bool handle_to_linear(dma_addr_t addr, size_t size, uint32_t& va) {
    if (addr == DMA_MAPPING_ERROR || addr < PHYS_OFFSET) return false;
    va = phys_to_virt(addr);
    return size == 0 ||
           (virt_addr_valid(va) && virt_addr_valid(va + static_cast<uint32_t>(size) - 1));
}

}  // namespace

// ---- coherent -------------------------------------------------------------------------------

uint32_t dma_alloc_coherent(device* dev, size_t size, dma_addr_t* handle, gfp_t gfp) {
    return dma_alloc_attrs(dev, size, handle, gfp, 0);
}

uint32_t dma_alloc_attrs(device* dev, size_t size, dma_addr_t* handle, gfp_t gfp,
                         unsigned long attrs) {
    if (!dev || !handle) {
        warn_printk("dma_alloc_attrs: %s\n", !dev ? "no device" : "no handle pointer");
        return 0;
    }
    *handle = DMA_MAPPING_ERROR;
    if (size == 0 || size > 0x80000000u) return 0;
    State& s = state();
    if (!s.system) {
        pr_err("dma_alloc_attrs: no running kernel\n");
        return 0;
    }
    const uint32_t bytes = PAGE_ALIGN(static_cast<uint32_t>(size));
    const unsigned long count = bytes >> PAGE_SHIFT;
    const unsigned order = get_order(bytes);
    const pgprot_t prot = (attrs & DMA_ATTR_WRITE_COMBINE) ? pgprot_writecombine(PAGE_KERNEL)
                                                           : pgprot_dmacoherent(PAGE_KERNEL);
    CoherentBuf buf;
    buf.size = bytes;
    uint32_t cpu_addr = 0;
    if (!gfpflags_allow_blocking(gfp)) {
        // The atomic pool (non-blocking callers may not remap or wait).
        const int64_t off = pool_alloc(s, bytes);
        if (off < 0) return 0;
        buf.kind = Kind::pool;
        buf.phys = s.pool_phys + static_cast<uint32_t>(off);
        cpu_addr = s.pool_va + static_cast<uint32_t>(off);
        hal::this_cpu().fill(cpu_addr, 0, bytes);  // through the non-cacheable alias
    } else if (!s.cma_bitmap.empty()) {
        const phys_addr_t phys = cma_alloc(s, count, std::min(order, CONFIG_CMA_ALIGNMENT));
        if (!phys) return 0;
        buf.kind = Kind::cma;
        buf.phys = phys;
        cpu_addr = phys_to_virt(phys);
        clear_buffer_linear(cpu_addr, bytes);
        remap_linear(cpu_addr, bytes, prot);
    } else {
        page* p = alloc_pages(gfp & ~(__GFP_HIGHMEM | __GFP_COMP), order);
        if (!p) return 0;
        buf.kind = Kind::remap;
        buf.first = p;
        buf.order = order;
        buf.phys = page_to_phys(p);
        clear_buffer_linear(page_address(p), bytes);
        std::vector<page*> pages;
        for (unsigned long i = 0; i < count; ++i)
            pages.push_back(pfn_to_page(page_to_pfn(p) + static_cast<pfn_t>(i)));
        cpu_addr = vmap(pages.data(), static_cast<unsigned>(count), VM_DMA_COHERENT, prot,
                        "dma_alloc_attrs");
        if (!cpu_addr) {
            __free_pages(p, order);
            return 0;
        }
    }
    // The buffer must be reachable under the coherent mask (dma_coherent_ok).
    if (static_cast<uint64_t>(buf.phys) + bytes - 1 > dev->coherent_dma_mask) {
        pr_warn("%s: coherent DMA mask %#" PRIx64 " is smaller than the buffer at %#" PRIx32 "\n",
                dev_prefix(dev).c_str(), dev->coherent_dma_mask, buf.phys);
        s.coherent[cpu_addr] = buf;
        dma_free_attrs(nullptr, 0, cpu_addr, buf.phys, attrs);
        return 0;
    }
    s.coherent[cpu_addr] = buf;
    *handle = buf.phys;  // phys_to_dma: the identity on the AM335x
    debug_dma_alloc_coherent(dev, size, *handle, buf.phys);
    return cpu_addr;
}

void dma_free_coherent(device* dev, size_t size, uint32_t cpu_addr, dma_addr_t handle) {
    dma_free_attrs(dev, size, cpu_addr, handle, 0);
}

void dma_free_attrs(device* dev, size_t size, uint32_t cpu_addr, dma_addr_t handle,
                    unsigned long /*attrs*/) {
    State& s = state();
    phys_addr_t pa = 0;
    if (dev && cpu_addr && cpu_addr_to_phys(cpu_addr, pa))
        debug_dma_free_coherent(dev, size, pa, handle);
    if (!cpu_addr) return;
    auto it = s.coherent.find(cpu_addr);
    if (it == s.coherent.end()) {
        warn_printk("Freeing invalid buffer 0x%08" PRIx32 "\n", cpu_addr);
        return;
    }
    // The record's size is used: a driver passing another size is reported by dma-debug, and
    // freeing what was allocated keeps the allocators consistent.
    const CoherentBuf buf = it->second;
    s.coherent.erase(it);
    switch (buf.kind) {
        case Kind::pool: {
            const uint32_t off = cpu_addr - s.pool_va;
            auto c = s.pool_chunks.find(off);
            if (c != s.pool_chunks.end()) {
                s.pool_used -= c->second;
                s.pool_chunks.erase(c);
            }
            break;
        }
        case Kind::cma:
            remap_linear(cpu_addr, buf.size, PAGE_KERNEL);
            cma_release(s, buf.phys, buf.size >> PAGE_SHIFT);
            break;
        case Kind::remap:
            vunmap(cpu_addr);
            __free_pages(buf.first, buf.order);
            break;
    }
}

// ---- streaming --------------------------------------------------------------------------------

dma_addr_t dma_map_single(device* dev, uint32_t va, size_t size, dma_data_direction dir) {
    return dma_map_single_attrs(dev, va, size, dir, 0);
}

dma_addr_t dma_map_single_attrs(device* dev, uint32_t va, size_t size, dma_data_direction dir,
                                unsigned long attrs) {
    State& s = state();
    if (!valid_dma_direction(dir)) {
        pr_err("%s: dma_map_single with invalid direction %d\n", dev_prefix(dev).c_str(),
               static_cast<int>(dir));
        ++s.map_errors;
        return DMA_MAPPING_ERROR;
    }
    // DMA must never operate on areas that might be remapped.
    if (is_vmalloc_addr(va)) {
        if (!s.warned_vmalloc) {
            s.warned_vmalloc = true;
            warn_printk("%s: rejecting DMA map of vmalloc memory\n", dev_prefix(dev).c_str());
        }
        ++s.map_errors;
        return DMA_MAPPING_ERROR;
    }
    debug_dma_map_single(dev, va, size);
    if (size == 0 || !virt_addr_valid(va) ||
        !virt_addr_valid(va + static_cast<uint32_t>(size) - 1)) {
        ++s.map_errors;
        return DMA_MAPPING_ERROR;  // not a linear lowmem address: nothing to map
    }
    const phys_addr_t phys = virt_to_phys(va);
    const dma_addr_t addr = phys;
    if (dev && static_cast<uint64_t>(addr) + size - 1 > dev->dma_mask) {
        if (!s.warned_overflow) {
            s.warned_overflow = true;
            warn_printk("%s: DMA addr 0x%08" PRIx32 "+%zu overflow (mask %" PRIx64
                        ", bus limit 0).\n",
                        dev_prefix(dev).c_str(), addr, size, dev->dma_mask);
        }
        ++s.map_errors;
        return DMA_MAPPING_ERROR;
    }
    if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC)) dmac_map_area(va, size, dir);
    debug_dma_map_phys(dev, phys, size, dir, addr);
    ++s.maps;
    return addr;
}

void dma_unmap_single(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir) {
    dma_unmap_single_attrs(dev, addr, size, dir, 0);
}

void dma_unmap_single_attrs(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir,
                            unsigned long attrs) {
    uint32_t va = 0;
    if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) && valid_dma_direction(dir) &&
        handle_to_linear(addr, size, va))
        dmac_unmap_area(va, size, dir);
    debug_dma_unmap_phys(dev, addr, size, dir);
}

dma_addr_t dma_map_page(device* dev, page* pg, size_t offset, size_t size, dma_data_direction dir) {
    if (!pg) return DMA_MAPPING_ERROR;
    const uint32_t va = page_address(pg);
    if (va) return dma_map_single(dev, va + static_cast<uint32_t>(offset), size, dir);
    // A highmem page: the maintenance goes through a temporary kmap (dma_cache_maint_page).
    State& s = state();
    if (!valid_dma_direction(dir) || offset + size > PAGE_SIZE || size == 0) {
        ++s.map_errors;
        return DMA_MAPPING_ERROR;
    }
    const phys_addr_t phys = page_to_phys(pg) + static_cast<uint32_t>(offset);
    if (dev && static_cast<uint64_t>(phys) + size - 1 > dev->dma_mask) {
        ++s.map_errors;
        return DMA_MAPPING_ERROR;
    }
    const uint32_t k = kmap_atomic(pg);
    if (k) {
        dmac_map_area(k + static_cast<uint32_t>(offset), size, dir);
        kunmap_atomic(k);
    }
    debug_dma_map_phys(dev, phys, size, dir, phys);
    ++s.maps;
    return phys;
}

void dma_unmap_page(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir) {
    uint32_t va = 0;
    if (valid_dma_direction(dir) && handle_to_linear(addr, size, va)) {
        dmac_unmap_area(va, size, dir);
    } else if (valid_dma_direction(dir) && addr != DMA_MAPPING_ERROR &&
               pfn_valid(addr >> PAGE_SHIFT)) {
        page* pg = pfn_to_page(addr >> PAGE_SHIFT);
        const uint32_t k = kmap_atomic(pg);
        if (k) {
            dmac_unmap_area(k + (addr & ~PAGE_MASK), size, dir);
            kunmap_atomic(k);
        }
    }
    debug_dma_unmap_phys(dev, addr, size, dir);
}

void dma_sync_single_for_cpu(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir) {
    uint32_t va = 0;
    if (valid_dma_direction(dir) && handle_to_linear(addr, size, va))
        dmac_unmap_area(va, size, dir);
    debug_dma_sync_single_for_cpu(dev, addr, size, dir);
}

void dma_sync_single_for_device(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir) {
    uint32_t va = 0;
    if (valid_dma_direction(dir) && handle_to_linear(addr, size, va)) dmac_map_area(va, size, dir);
    debug_dma_sync_single_for_device(dev, addr, size, dir);
}

int dma_mapping_error(device* dev, dma_addr_t addr) {
    debug_dma_mapping_error(dev, addr);
    return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

// ---- masks ------------------------------------------------------------------------------------

namespace {
bool dma_supported(uint64_t mask) {
    // dma_direct_supported without ZONE_DMA: the mask must reach the end of RAM (at most
    // 32 bits).
    uint64_t min_mask = DMA_BIT_MASK(32);
    if (system_running()) {
        const MemoryLayout& l = current_mm().layout();
        if (l.ram_end && l.ram_end - 1 < min_mask) min_mask = l.ram_end - 1;
    }
    return mask >= min_mask;
}
}  // namespace

int dma_set_mask(device* dev, uint64_t mask) {
    if (!dev || !dma_supported(mask)) return -EIO;
    dev->dma_mask = mask;
    return 0;
}

int dma_set_coherent_mask(device* dev, uint64_t mask) {
    if (!dev || !dma_supported(mask)) return -EIO;
    dev->coherent_dma_mask = mask;
    return 0;
}

int dma_set_mask_and_coherent(device* dev, uint64_t mask) {
    const int r = dma_set_mask(dev, mask);
    return r ? r : dma_set_coherent_mask(dev, mask);
}

int dma_release_device(device* dev) {
    return debug_dma_device_release(dev);
}

// ---- state ------------------------------------------------------------------------------------

void dma_mapping_init() {
    (void)state();
}

void dma_mapping_exit() {
    State& s = raw_state();
    if (!s.system || !system_running() || s.system != &current_system()) {
        s = State{};
        return;
    }
    if (!s.coherent.empty())
        pr_warn("DMA: %zu coherent buffers still allocated at exit\n", s.coherent.size());
    if (s.pool_va) {
        vunmap(s.pool_va);
        if (s.pool_pages) __free_pages(s.pool_pages, s.pool_order);
        if (s.pool_from_cma) cma_release(s, s.pool_phys, s.pool_size >> PAGE_SHIFT);
    }
    s = State{};
}

DmaStats dma_stats() {
    State& s = state();
    DmaStats d;
    d.cma_pages_used = s.cma_used;
    d.cma_pages_total = s.cma_bitmap.size();
    d.atomic_pool_size = s.pool_size;
    d.atomic_pool_used = s.pool_used;
    d.coherent_live = s.coherent.size();
    d.maps = s.maps;
    d.map_errors = s.map_errors;
    return d;
}

const char* dma_coherent_kind(uint32_t cpu_addr) {
    State& s = state();
    auto it = s.coherent.find(cpu_addr);
    if (it == s.coherent.end()) return nullptr;
    switch (it->second.kind) {
        case Kind::cma:
            return "cma";
        case Kind::remap:
            return "remap";
        case Kind::pool:
            return "pool";
    }
    return nullptr;
}

}  // namespace kernel
