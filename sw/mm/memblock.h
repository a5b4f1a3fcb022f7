// memblock: the boot-time memory allocator (mm/memblock.c; linux-mm.md §15 item 1).
//
// Two sorted, merged lists of physical ranges: `memory` (the RAM the board has) and
// `reserved` (the kernel image, swapper_pg_dir, the CMA area, early allocations). Before the
// buddy allocator exists, early code allocates here (top-down below the current limit,
// which is the lowmem limit as on ARM); memblock_free_all() then hands every page of
// memory that is not reserved to the buddy allocator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/mm/memory.h"

namespace kernel {

struct memblock_region {
    uint64_t base = 0;
    uint64_t size = 0;
    uint64_t end() const { return base + size; }
};

struct memblock_type {
    const char* name;
    std::vector<memblock_region> regions;  // sorted by base, no overlaps, adjacent merged
    uint64_t total_size() const;
};

class Memblock {
  public:
    Memblock();

    // Adds RAM / removes it (e.g. above the lowmem limit without HIGHMEM). size 0 is a no-op;
    // a range running past 4 GiB is cut there (memblock_cap_size).
    void add(phys_addr_t base, uint64_t size);
    void remove(phys_addr_t base, uint64_t size);
    // Reserves a range (it need not be RAM) / gives a reservation back.
    void reserve(phys_addr_t base, uint64_t size);
    void phys_free(phys_addr_t base, uint64_t size);

    // Highest free range of `size` bytes aligned to `align` (a power of two; 0 warns and
    // means SMP_CACHE_BYTES = 64, as in Linux) inside [start, end) and below the current
    // limit; reserved on success. Returns 0 on failure (size 0, bad alignment, no room).
    phys_addr_t phys_alloc_range(uint64_t size, uint64_t align, uint64_t start, uint64_t end);

    void set_current_limit(uint64_t limit) { current_limit_ = limit; }
    uint64_t current_limit() const { return current_limit_; }

    bool is_memory(phys_addr_t addr) const;
    bool is_reserved(phys_addr_t addr) const;
    // True if any byte of [base, base + size) is reserved.
    bool is_region_reserved(phys_addr_t base, uint64_t size) const;
    // True if the whole of [base, base + size) is RAM.
    bool is_region_memory(phys_addr_t base, uint64_t size) const;

    uint64_t phys_mem_size() const { return memory.total_size(); }
    uint64_t reserved_size() const { return reserved.total_size(); }
    uint64_t start_of_DRAM() const;
    uint64_t end_of_DRAM() const;

    // Free ranges (memory minus reserved), in address order.
    std::vector<memblock_region> free_ranges() const;

    // memblock=debug style dump ("memblock.memory: ... ").
    std::string dump() const;

    memblock_type memory{"memory", {}};
    memblock_type reserved{"reserved", {}};

  private:
    uint64_t current_limit_ = ~0ull;
};

// ---- Linux's names, on the current kernel's memblock (MemoryManager) ----------------------
void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_remove(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size);
void memblock_phys_free(phys_addr_t base, phys_addr_t size);
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end);
// A zeroed lowmem allocation, returned as its linear-map VA (the zeroing is done through
// the CPU, so the linear map must be live). After the slab allocator is up it WARNs and
// falls back to kzalloc, as Linux does. Returns 0 on failure.
uint32_t memblock_alloc(phys_addr_t size, phys_addr_t align);
void memblock_set_current_limit(phys_addr_t limit);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_map_memory(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
uint64_t memblock_phys_mem_size();
uint64_t memblock_reserved_size();
uint64_t memblock_start_of_DRAM();
uint64_t memblock_end_of_DRAM();
// Releases every free page to the buddy allocator (mm/memblock.c memblock_free_all).
// Returns the number of pages released. Done by MemoryManager::mem_init().
unsigned long memblock_free_all();

}  // namespace kernel
