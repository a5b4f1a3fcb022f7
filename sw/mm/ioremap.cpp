#include "sw/mm/ioremap.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "sw/arch/arm/pgtable.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/memblock.h"
#include "sw/mm/vmalloc.h"

namespace kernel {

namespace {

struct StaticVm {
    uint32_t virt;
    phys_addr_t phys;
    uint32_t size;
    unsigned type;
};
std::vector<StaticVm> g_static;
IoremapStats g_stats;

const StaticVm* find_static_vm_paddr(phys_addr_t paddr, uint32_t size, unsigned mtype) {
    for (const StaticVm& s : g_static) {
        if (s.type != mtype) continue;
        if (s.phys > paddr ||
            static_cast<uint64_t>(paddr) + size - 1 > static_cast<uint64_t>(s.phys) + s.size - 1)
            continue;
        return &s;
    }
    return nullptr;
}

const StaticVm* find_static_vm_vaddr(uint32_t vaddr) {
    for (const StaticVm& s : g_static)
        if (vaddr >= s.virt && vaddr - s.virt < s.size) return &s;
    return nullptr;
}

}  // namespace

void create_mapping(const map_desc& md) {
    const mem_type* type = get_mem_type(md.type);
    if (!type) {
        pr_warn("BUG: map for 0x%08x at 0x%08x: unknown memory type %u, ignoring\n",
                md.pfn << PAGE_SHIFT, md.virt, md.type);
        return;
    }
    uint32_t addr = md.virt & PAGE_MASK;
    phys_addr_t phys = md.pfn << PAGE_SHIFT;
    const uint64_t end =
        static_cast<uint64_t>(addr) + PAGE_ALIGN(md.length + (md.virt & ~PAGE_MASK));
    while (addr < end) {
        const uint64_t next =
            std::min<uint64_t>((static_cast<uint64_t>(addr) & PGDIR_MASK) + PGDIR_SIZE, end);
        const uint32_t pmdp = pmd_off_k(addr);
        if (type->prot_sect && ((addr | next | phys) & ~SECTION_MASK) == 0) {
            // __map_init_section: one L1 entry per MiB of this pgd entry.
            for (uint64_t a = addr; a < next; a += SECTION_SIZE, phys += SECTION_SIZE)
                set_section(pmdp, static_cast<uint32_t>(a), phys, type->prot_sect);
        } else {
            for (uint64_t a = addr; a < next; a += PAGE_SIZE, phys += PAGE_SIZE) {
                const uint32_t ptep = pte_alloc_prot(pmdp, static_cast<uint32_t>(a), type->prot_l1);
                if (!ptep) {
                    pr_err("create_mapping: no memory for a pte page at 0x%08x\n",
                           static_cast<uint32_t>(a));
                    return;
                }
                set_pte_ext(ptep, pfn_pte(phys >> PAGE_SHIFT, __pgprot(type->prot_pte)), 0);
            }
        }
        addr = static_cast<uint32_t>(next);
    }
    hal::this_cpu().dsb();
}

void iotable_init(const map_desc* io_desc, int nr) {
    for (int i = 0; i < nr; ++i) {
        const map_desc& md = io_desc[i];
        create_mapping(md);
        const uint32_t size = PAGE_ALIGN(md.length + (md.virt & ~PAGE_MASK));
        g_static.push_back({md.virt & PAGE_MASK, md.pfn << PAGE_SHIFT, size, md.type});
        vm_area_add_early(md.virt & PAGE_MASK, size,
                          VM_IOREMAP | VM_ARM_STATIC_MAPPING | VM_ARM_MTYPE(md.type),
                          md.pfn << PAGE_SHIFT, "iotable_init");
    }
}

uint32_t __arm_ioremap_caller(phys_addr_t phys_addr, size_t size, unsigned mtype,
                              const char* caller) {
    const uint64_t last = static_cast<uint64_t>(phys_addr) + size - 1;
    if (!size || last > 0xFFFFFFFFull) {
        ++g_stats.refused;
        return 0;
    }
    const mem_type* type = get_mem_type(mtype);
    if (!type) {
        ++g_stats.refused;
        return 0;
    }
    const uint32_t offset = phys_addr & ~PAGE_MASK;
    const phys_addr_t paddr = phys_addr & PAGE_MASK;
    const uint64_t rounded = (static_cast<uint64_t>(offset) + size + PAGE_SIZE - 1) &
                             ~static_cast<uint64_t>(PAGE_SIZE - 1);
    if (rounded > 0xFFFFFFFFull) {
        ++g_stats.refused;
        return 0;
    }
    const uint32_t psize = static_cast<uint32_t>(rounded);
    // Try to reuse one of the static mappings (VM_ARM_STATIC_MAPPING of the same type).
    if (const StaticVm* s = find_static_vm_paddr(paddr, psize, mtype)) {
        ++g_stats.static_hits;
        return s->virt + (paddr - s->phys) + offset;
    }
    // Don't allow RAM to be mapped with mismatched attributes.
    if (memblock_is_map_memory(paddr) && mtype != MT_MEMORY_RW) {
        warn_printk("ioremap: refusing to map system RAM at 0x%08x with %s (%s)", paddr, type->name,
                    caller);
        ++g_stats.refused;
        return 0;
    }
    vm_struct* area = get_vm_area_caller(psize, VM_IOREMAP, caller);
    if (!area) {
        ++g_stats.refused;
        return 0;
    }
    area->phys_addr = paddr;
    const uint32_t addr = area->addr;
    if (ioremap_page_range(addr, addr + psize, paddr, __pgprot(type->prot_pte)) != 0) {
        vunmap(addr);
        ++g_stats.refused;
        return 0;
    }
    ++g_stats.dynamic;
    return addr + offset;
}

uint32_t ioremap(phys_addr_t phys, size_t size, const char* caller) {
    return __arm_ioremap_caller(phys, size, MT_DEVICE, caller);
}
uint32_t ioremap_wc(phys_addr_t phys, size_t size, const char* caller) {
    return __arm_ioremap_caller(phys, size, MT_DEVICE_WC, caller);
}
uint32_t ioremap_cache(phys_addr_t phys, size_t size, const char* caller) {
    return __arm_ioremap_caller(phys, size, MT_DEVICE_CACHED, caller);
}

void iounmap(uint32_t io_addr) {
    if (!io_addr) return;
    const uint32_t addr = io_addr & PAGE_MASK;
    // A static mapping stays.
    if (find_static_vm_vaddr(addr)) return;
    vm_struct* vm = find_vm_area(addr);
    if (!vm || !(vm->flags & VM_IOREMAP)) {
        warn_printk("iounmap: bad address %08x", io_addr);
        return;
    }
    vunmap(addr);
    if (g_stats.dynamic) --g_stats.dynamic;
}

std::string iomem_listing() {
    struct Res {
        uint64_t start, end;
        std::string name;
        int depth;
    };
    std::vector<Res> top;
    const System* sys = system_running() ? &current_system() : nullptr;
    if (sys) {
        for (const DeviceInfo& d : sys->info().devices)
            if (d.size)
                top.push_back({d.base, static_cast<uint64_t>(d.base) + d.size - 1, d.name, 0});
        for (const MemBank& b : sys->info().mem)
            if (b.size) top.push_back({b.start, b.start + b.size - 1, "System RAM", 0});
    }
    std::sort(top.begin(), top.end(), [](const Res& a, const Res& b) { return a.start < b.start; });
    std::string out;
    char line[160];
    for (const Res& r : top) {
        std::snprintf(line, sizeof line, "%08" PRIx64 "-%08" PRIx64 " : %s\n", r.start, r.end,
                      r.name.c_str());
        out += line;
        if (sys && r.name == "System RAM") {
            const KernelImage& k = sys->image();
            std::snprintf(line, sizeof line, "  %08x-%08x : Kernel code\n", virt_to_phys(k.text),
                          virt_to_phys(k.etext) - 1);
            out += line;
            std::snprintf(line, sizeof line, "  %08x-%08x : Kernel data\n", virt_to_phys(k.sdata),
                          virt_to_phys(k.end) - 1);
            out += line;
        }
    }
    return out;
}

const IoremapStats& ioremap_stats() {
    return g_stats;
}

void ioremap_exit() {
    g_static.clear();
    g_stats = IoremapStats{};
}

}  // namespace kernel
