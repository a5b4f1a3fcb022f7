// The DMA API for the AM335x's non-coherent masters (include/linux/dma-mapping.h,
// arch/arm/mm/dma-mapping.c, kernel/dma/{direct,contiguous,pool}.c; linux-mm.md §11, §14.6;
// docs/guest/dma.md).
//
// Coherent buffers (§11.1): dma_alloc_coherent rounds to whole pages, zeroes the buffer and
// flushes it from the caches, and maps it Normal non-cacheable (pgprot_dmacoherent):
//  - a blocking GFP takes pages from the CMA area (MemoryManager::cma(), a bitmap
//    allocator here); the CPU address is the lowmem linear address whose 4 KiB ptes (the
//    boot maps CMA with ptes, MT_MEMORY_DMA_READY) are switched to pgprot_dmacoherent and
//    flushed from the TLB; PAGE_KERNEL is restored on free;
//  - without a CMA area, or for highmem pages, the remap allocator: alloc_pages, the excess
//    tail freed, a vmalloc-space alias (VM_DMA_COHERENT) with pgprot_dmacoherent;
//  - GFP_ATOMIC (non-blocking) takes from the 256 KiB atomic pool, allocated and remapped
//    non-cacheable in vmalloc space at first use (first fit, page granules); it fails when
//    exhausted.
// The DMA handle is the physical address (phys_to_dma is the identity on the AM335x).
// dma_free_coherent finds its record by cpu_addr ("Freeing invalid buffer" otherwise).
//
// Streaming mappings (§11.2): dma_map_single needs a lowmem linear address; a vmalloc address
// is refused with "rejecting DMA map of vmalloc memory" and DMA_MAPPING_ERROR. The cache
// maintenance is the §11.2 table, by MVA through CP15 c7 (sw/arch/arm/cacheflush.h).
// Every call is checked by dma-debug (sw/mm/dma-debug.h).
//
// Addresses are guest VAs (uint32_t, 0 = NULL). Plain C++17, no SystemC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sw/mm/dma-direction.h"
#include "sw/mm/gfp.h"
#include "sw/mm/memory.h"

namespace kernel {

struct page;

struct device {
    std::string name;                // dev_name(), e.g. "49000000.dma"
    uint64_t dma_mask = 0xFFFFFFFF;  // *dev->dma_mask
    uint64_t coherent_dma_mask = 0xFFFFFFFF;
    std::string driver;  // dev_driver_string() ("" = unbound: name only)
};

using dma_addr_t = uint32_t;
constexpr dma_addr_t DMA_MAPPING_ERROR = ~static_cast<dma_addr_t>(0);

// DMA attributes (include/linux/dma-mapping.h).
constexpr unsigned long DMA_ATTR_WRITE_COMBINE = 1ul << 2;
constexpr unsigned long DMA_ATTR_SKIP_CPU_SYNC = 1ul << 5;

// The default atomic pool (kernel/dma/pool.c, `coherent_pool=`): 256 KiB.
constexpr uint32_t DMA_ATOMIC_POOL_SIZE = 256u * 1024u;
// CONFIG_CMA_ALIGNMENT: CMA allocations are aligned to at most 2^8 pages.
constexpr unsigned CONFIG_CMA_ALIGNMENT = 8;

// ---- coherent -----------------------------------------------------------------------------
// The CPU address of a zeroed, non-cacheable buffer of PAGE_ALIGN(size) bytes and its DMA
// handle in *handle; 0 on failure (size 0, no memory, mask too small, pool exhausted).
uint32_t dma_alloc_coherent(device* dev, size_t size, dma_addr_t* handle, gfp_t gfp);
uint32_t dma_alloc_attrs(device* dev, size_t size, dma_addr_t* handle, gfp_t gfp,
                         unsigned long attrs);
void dma_free_coherent(device* dev, size_t size, uint32_t cpu_addr, dma_addr_t handle);
void dma_free_attrs(device* dev, size_t size, uint32_t cpu_addr, dma_addr_t handle,
                    unsigned long attrs);

// ---- streaming ----------------------------------------------------------------------------
dma_addr_t dma_map_single(device* dev, uint32_t va, size_t size, dma_data_direction dir);
dma_addr_t dma_map_single_attrs(device* dev, uint32_t va, size_t size, dma_data_direction dir,
                                unsigned long attrs);
void dma_unmap_single(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir);
void dma_unmap_single_attrs(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir,
                            unsigned long attrs);
dma_addr_t dma_map_page(device* dev, page* pg, size_t offset, size_t size, dma_data_direction dir);
void dma_unmap_page(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir);
void dma_sync_single_for_cpu(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir);
void dma_sync_single_for_device(device* dev, dma_addr_t addr, size_t size, dma_data_direction dir);
// Non-zero when `addr` is DMA_MAPPING_ERROR (and tells dma-debug the driver checked).
int dma_mapping_error(device* dev, dma_addr_t addr);

// ---- masks ----------------------------------------------------------------------------------
constexpr uint64_t DMA_BIT_MASK(unsigned n) {
    return n >= 64 ? ~0ull : (1ull << n) - 1;
}
// 0, or -EIO when the mask cannot cover the platform's memory (dma_supported).
int dma_set_mask(device* dev, uint64_t mask);
int dma_set_coherent_mask(device* dev, uint64_t mask);
int dma_set_mask_and_coherent(device* dev, uint64_t mask);

// ---- the driver core's unbind notification --------------------------------------------------
// BUS_NOTIFY_UNBOUND_DRIVER: dma-debug's leak check for `dev`; returns the pending count.
int dma_release_device(device* dev);

// ---- state (docs/guest/dma.md) ----------------------------------------------------------------
// Sets up the CMA bitmap and the atomic pool for the running kernel (done at first use too).
void dma_mapping_init();
// Frees the atomic pool (its pages go back to the buddy) and forgets every record; call
// before the System is torn down. Buffers still allocated are leaked (with a warning).
void dma_mapping_exit();
struct DmaStats {
    unsigned long cma_pages_used = 0;  // CMA pages allocated now
    unsigned long cma_pages_total = 0;
    uint32_t atomic_pool_size = 0;    // 0 until the pool exists
    uint32_t atomic_pool_used = 0;    // bytes allocated from it now
    unsigned long coherent_live = 0;  // coherent buffers allocated now
    unsigned long maps = 0;           // streaming maps since init
    unsigned long map_errors = 0;     // refused maps since init
};
DmaStats dma_stats();
// Whether `cpu_addr` is the start of a live coherent buffer, and how it was allocated
// ("cma", "remap", "pool") — for tests and the dump.
const char* dma_coherent_kind(uint32_t cpu_addr);

}  // namespace kernel
