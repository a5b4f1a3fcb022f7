// ioremap / iounmap on ARMv7 (arch/arm/mm/ioremap.c __arm_ioremap_pfn_caller, iotable_init
// in arch/arm/mm/mmu.c; linux-mm.md §9; docs/guest/ioremap.md).
//
//  - A range covered entirely by a static mapping of the same memory type (the AM33xx
//    iotable: L4_WKUP 0x44C0_0000 -> 0xF9C0_0000 and L4_PER 0x4800_0000 -> 0xFA00_0000,
//    4 MiB each, MT_DEVICE) returns that mapping's VA + offset; nothing is mapped.
//  - System RAM is refused (WARN, 0) unless the type is MT_MEMORY_RW.
//  - Otherwise a VM_IOREMAP area in the vmalloc range (guard page, alignment = the size's
//    next power of two, clamped to [PAGE_SIZE, 16 MiB]) mapped with 4 KiB ptes of the type's
//    protection (MT_DEVICE: Device, shared, XN); the sub-page offset is kept.
// Drivers then use readl/writel (sw/hal/io.h) on the returned cookie.
// Plain C++17, no SystemC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sw/arch/arm/pgtable.h"
#include "sw/mm/memory.h"

namespace kernel {

// One static mapping (struct map_desc).
struct map_desc {
    uint32_t virt = 0;
    pfn_t pfn = 0;
    uint32_t length = 0;
    unsigned type = MT_DEVICE;
};
// create_mapping (arch/arm/mm/mmu.c): maps one descriptor in init_mm, 1 MiB sections where
// the type has a section form and PA, VA and length are 1 MiB aligned, else 4 KiB ptes (pte
// pages from memblock before the buddy exists). No vm area is recorded.
void create_mapping(const map_desc& md);
// Maps each descriptor with sections where PA, VA and length allow it (else 4 KiB ptes) in
// init_mm and records it as a VM_ARM_STATIC_MAPPING area (added to the vmalloc allocator
// at vmalloc_init). Boot only (MMU off or on).
void iotable_init(const map_desc* io_desc, int nr);

// MT_DEVICE. Returns the cookie (VA) or 0 (Linux's NULL) on refusal or failure.
uint32_t ioremap(phys_addr_t phys, size_t size, const char* caller = __builtin_FUNCTION());
// MT_DEVICE_WC: Normal non-cacheable.
uint32_t ioremap_wc(phys_addr_t phys, size_t size, const char* caller = __builtin_FUNCTION());
// MT_DEVICE_CACHED: Normal write-back.
uint32_t ioremap_cache(phys_addr_t phys, size_t size, const char* caller = __builtin_FUNCTION());
// The general entry (__arm_ioremap_caller): any MemType.
uint32_t __arm_ioremap_caller(phys_addr_t phys, size_t size, unsigned mtype,
                              const char* caller = __builtin_FUNCTION());
// Inside a static mapping: nothing. Else the area is unmapped (lazy VA release). An address
// that is no ioremap cookie WARNs.
void iounmap(uint32_t va);

// An /proc/iomem-style listing of the physical address space: System RAM (with "Kernel
// code" / "Kernel data" nested), then each device of BootInfo.devices by base, as
// "%08x-%08x : name" lines with two spaces of indent per nesting level.
std::string iomem_listing();

// Number of live dynamic ioremap mappings and static-map hits since boot (tests, stats).
struct IoremapStats {
    unsigned long static_hits = 0;
    unsigned long dynamic = 0;  // live dynamic mappings
    unsigned long refused = 0;  // RAM or bad requests
};
const IoremapStats& ioremap_stats();
void ioremap_exit();  // System teardown: forgets the static maps and the counts

}  // namespace kernel
