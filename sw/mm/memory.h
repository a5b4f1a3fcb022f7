// The kernel's memory layout on 32-bit ARM with the 3G/1G split (arch/arm/include/asm/
// memory.h, pgtable.h; arch/arm/mm/mmu.c adjust_lowmem_bounds; linux-mm.md §1, §2, §8).
//
// Guest addresses are plain 32-bit integers: a virtual address as the CPU sees it
// (`uint32_t`, 0 is NULL) or a physical one (`phys_addr_t`). Lowmem is mapped linearly:
// VA = PA - PHYS_OFFSET + PAGE_OFFSET.
#pragma once

#include <cstdint>

namespace kernel {

using phys_addr_t = uint32_t;  // non-LPAE ARM: 32-bit physical addresses
using pfn_t = uint32_t;        // page frame number (Linux: unsigned long)

constexpr unsigned PAGE_SHIFT = 12;
constexpr uint32_t PAGE_SIZE = 1u << PAGE_SHIFT;
constexpr uint32_t PAGE_MASK = ~(PAGE_SIZE - 1);

// VMSPLIT_3G (linux-mm.md §2.1) and the AM335x's DDR base (EMIF0 SDRAM, linux-mm.md §1).
constexpr uint32_t PAGE_OFFSET = 0xC0000000u;
constexpr phys_addr_t PHYS_OFFSET = 0x80000000u;
constexpr pfn_t PHYS_PFN_OFFSET = PHYS_OFFSET >> PAGE_SHIFT;
// The kernel image starts TEXT_OFFSET into RAM; swapper_pg_dir is the 16 KiB below it
// (linux-mm.md §3: VA 0xC000_4000 / PA 0x8000_4000).
constexpr uint32_t TEXT_OFFSET = 0x8000;
constexpr uint32_t SWAPPER_PG_DIR_SIZE = 16 * 1024;
constexpr phys_addr_t SWAPPER_PG_DIR_PHYS = PHYS_OFFSET + TEXT_OFFSET - SWAPPER_PG_DIR_SIZE;

// The vmalloc area (pgtable.h; linux-mm.md §1, §2.1).
constexpr uint32_t VMALLOC_OFFSET = 8u << 20;
constexpr uint32_t VMALLOC_END = 0xFF800000u;
constexpr uint32_t VMALLOC_DEFAULT_SIZE = 240u << 20;  // default `vmalloc=`
constexpr uint32_t VMALLOC_MIN_SIZE = 16u << 20;       // `vmalloc=` is clamped to >= 16 MiB

// ARM_L1_CACHE_SHIFT_6 (Cortex-A8): the cache line, and so the DMA alignment.
constexpr uint32_t L1_CACHE_BYTES = 64;

constexpr uint32_t PFN_UP(uint64_t x) {
    return static_cast<uint32_t>((x + PAGE_SIZE - 1) >> PAGE_SHIFT);
}
constexpr uint32_t PFN_DOWN(uint64_t x) {
    return static_cast<uint32_t>(x >> PAGE_SHIFT);
}
constexpr uint64_t PFN_PHYS(pfn_t pfn) {
    return static_cast<uint64_t>(pfn) << PAGE_SHIFT;
}
constexpr uint32_t PAGE_ALIGN(uint32_t x) {
    return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

// The linear map. Valid only for lowmem (PAGE_OFFSET <= va < high_memory), unchecked as in
// Linux without CONFIG_DEBUG_VIRTUAL (linux-mm.md §8).
constexpr phys_addr_t virt_to_phys(uint32_t va) {
    return va - PAGE_OFFSET + PHYS_OFFSET;
}
constexpr uint32_t phys_to_virt(phys_addr_t pa) {
    return pa - PHYS_OFFSET + PAGE_OFFSET;
}
constexpr phys_addr_t __pa(uint32_t va) {
    return virt_to_phys(va);
}
constexpr uint32_t __va(phys_addr_t pa) {
    return phys_to_virt(pa);
}
constexpr pfn_t virt_to_pfn(uint32_t va) {
    return virt_to_phys(va) >> PAGE_SHIFT;
}
constexpr uint32_t pfn_to_virt(pfn_t pfn) {
    return phys_to_virt(pfn << PAGE_SHIFT);
}

// Where lowmem ends for a given RAM and `vmalloc=` size (arch/arm/mm/mmu.c,
// adjust_lowmem_bounds; linux-mm.md §2.1): the vmalloc area gets at least `vmalloc_size`
// bytes and lowmem ends VMALLOC_OFFSET below it; RAM above is highmem.
struct MemoryLayout {
    phys_addr_t ram_start = 0;   // first byte of RAM
    uint64_t ram_end = 0;        // one past the last byte of RAM
    uint64_t lowmem_limit = 0;   // arm_lowmem_limit: one past the last lowmem byte (physical)
    uint32_t high_memory = 0;    // __va(arm_lowmem_limit - 1) + 1
    uint32_t vmalloc_start = 0;  // VMALLOC_START: high_memory + 8 MiB, 8 MiB aligned down
    pfn_t min_low_pfn = 0;       // first RAM page
    pfn_t max_low_pfn = 0;       // one past the last lowmem page
    pfn_t max_pfn = 0;           // one past the last RAM page (highmem included if enabled)

    bool has_highmem() const { return max_pfn > max_low_pfn; }
    bool is_lowmem_virt(uint32_t va) const { return va >= PAGE_OFFSET && va < high_memory; }

    // `highmem` = CONFIG_HIGHMEM; without it, RAM above the limit is not used.
    // Throws std::invalid_argument for a RAM range or vmalloc size the layout cannot hold.
    static MemoryLayout compute(phys_addr_t ram_base, uint64_t ram_size, uint32_t vmalloc_size,
                                bool highmem);
};

}  // namespace kernel
