// The guest kernel's memory manager as one object: the boot sequence of arch/arm/mm/init.c
// and mm/mm_init.c (memblock first, then the buddy allocator, then SLUB) and the state
// Linux keeps in globals. While a MemoryManager lives it is "the" kernel's: the free
// functions with Linux's names (memblock_alloc, alloc_pages, kmalloc, ...) act on it.
//
//   kernel::MemoryManager mm(cfg);   // arm_memblock_init(): RAM, kernel image,
//                                    // swapper_pg_dir, CMA area reserved in memblock
//   ... early page tables from memblock_phys_alloc() ...
//   mm.mem_init();                   // mem_map, zones, memblock_free_all(), watermarks
//   mm.kmem_cache_init();            // the kmalloc caches
//
// All simulated-memory accesses go through hal::this_cpu(), which must be set first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sw/mm/memblock.h"
#include "sw/mm/memory.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"

namespace kernel {

struct MmConfig {
    phys_addr_t ram_base = PHYS_OFFSET;  // AM335x EMIF0 SDRAM
    uint64_t ram_size = 512ull << 20;    // BeagleBone Black
    // The kernel image (text to bss) from PHYS_OFFSET + TEXT_OFFSET. [?] 12 MiB is a
    // typical omap2plus zImage's footprint; boards may set their own (docs/guest/mm.md).
    uint32_t kernel_size = 12u << 20;
    // The global CMA area at the top of lowmem (CONFIG_CMA_SIZE_MBYTES); 0 = none. [?] 24 MiB
    // (docs/guest/mm.md). Kept out of the buddy allocator for the DMA API to use.
    uint32_t cma_size = 24u << 20;
    uint32_t vmalloc_size = VMALLOC_DEFAULT_SIZE;  // `vmalloc=`
    bool highmem = true;                           // CONFIG_HIGHMEM
    bool zone_dma = false;                         // CONFIG_ZONE_DMA
    unsigned max_page_order = MAX_PAGE_ORDER;      // ARCH_FORCE_MAX_ORDER
    bool reserve_mem_map = true;   // memblock room for Linux's 32-byte struct page array
    uint32_t min_free_kbytes = 0;  // 0 = Linux's formula
    bool init_on_alloc = false;
    bool init_on_free = false;
    std::string slub_debug;  // the slub_debug= boot option ("FZPU", "Z,kmalloc-64", ...)
    bool slab_nomerge = false;
    unsigned slub_min_objects = 0;
    unsigned slub_min_order = 0;
    unsigned slub_max_order = 3;
};

// sizeof(struct page) on 32-bit ARM (linux-mm.md §1).
constexpr uint32_t kStructPageBytes = 32;

struct cma_area {
    phys_addr_t base = 0;
    uint32_t size = 0;
};

class MemoryManager {
  public:
    // arm_memblock_init(). Throws std::invalid_argument for a configuration that cannot boot
    // (RAM not at PHYS_OFFSET, kernel image outside lowmem, bad slub_debug ...).
    explicit MemoryManager(const MmConfig& cfg);
    ~MemoryManager();
    MemoryManager(const MemoryManager&) = delete;
    MemoryManager& operator=(const MemoryManager&) = delete;

    void mem_init();
    void kmem_cache_init();
    void boot() {
        mem_init();
        kmem_cache_init();
    }
    // Gives every free memblock page to the buddy allocator (done by mem_init()).
    unsigned long memblock_free_all();

    const MmConfig& config() const { return cfg_; }
    const MemoryLayout& layout() const { return layout_; }
    Memblock& memblock() { return memblock_; }
    bool buddy_available() const { return pages_ != nullptr; }
    bool slab_is_available() const { return slab_ != nullptr; }
    PageAllocator& pages();  // throws std::logic_error before mem_init()
    SlabAllocator& slab();   // throws std::logic_error before kmem_cache_init()
    const cma_area& cma() const { return cma_; }
    phys_addr_t mem_map_phys() const { return mem_map_phys_; }
    unsigned long pages_released() const { return released_; }

  private:
    MmConfig cfg_;
    MemoryLayout layout_;
    Memblock memblock_;
    cma_area cma_;
    phys_addr_t mem_map_phys_ = 0;
    unsigned long released_ = 0;
    std::unique_ptr<PageAllocator> pages_;
    std::unique_ptr<SlabAllocator> slab_;
};

// The running kernel's memory manager; throws std::logic_error if there is none.
MemoryManager& current_mm();
bool slab_is_available();

}  // namespace kernel
