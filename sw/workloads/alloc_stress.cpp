// alloc-stress: a seeded random mix of kmalloc/kfree, vmalloc/vfree and alloc_pages/
// __free_pages, each allocation written at both ends and checked before it is freed; at the
// end everything is freed and the buddy allocator must have every page back
// (docs/workloads.md).
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/arch/arm/pgtable.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/gfp.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "sw/workloads/buffer.h"
#include "sw/workloads/uboot.h"
#include "sw/workloads/workloads.h"

namespace workload {

namespace {

enum class Kind { kmalloc, vmalloc, pages };

struct Allocation {
    Kind kind;
    uint32_t va = 0;
    uint64_t size = 0;
    unsigned order = 0;
    kernel::page* pg = nullptr;
    uint32_t tag = 0;
};

}  // namespace

void run_alloc_stress(const Context& ctx) {
    uboot_handoff(ctx.boot);
    kernel::System sys(ctx.boot);
    const AllocStressParams& p = ctx.params.alloc_stress;
    hal::Cpu& c = ctx.cpu;
    Random rng(p.seed);
    // Pages the kernel keeps for itself are not leaks: empty slabs a cache keeps (shrunk
    // away here, as kmem_cache_shrink does) and the kernel's pte tables, which vmalloc never
    // frees (linux-mm.md §3); both are accounted for below.
    auto shrink_slabs = [&] {
        for (kernel::kmem_cache* s : sys.mm().slab().caches())
            kernel::kmem_cache_shrink(s);
    };
    shrink_slabs();
    const unsigned long free_before = kernel::nr_free_pages();
    const unsigned long pte_before = kernel::nr_pte_pages();
    ctx.reset_stats();
    const uint64_t cycles0 = c.cycles();

    std::vector<Allocation> live;
    uint64_t counts[3] = {}, failures = 0, corrupt = 0;
    auto release = [&](size_t i) {
        Allocation a = live[i];
        live[i] = live.back();
        live.pop_back();
        if (c.load32(a.va) != a.tag || c.load32(a.va + static_cast<uint32_t>(a.size) - 4) != ~a.tag)
            ++corrupt;
        switch (a.kind) {
            case Kind::kmalloc:
                kernel::kfree(a.va);
                break;
            case Kind::vmalloc:
                kernel::vfree(a.va);
                break;
            case Kind::pages:
                kernel::__free_pages(a.pg, a.order);
                break;
        }
    };
    for (uint64_t op = 0; op < p.ops; ++op) {
        const bool alloc = live.empty() || (live.size() < p.max_live && rng.below(2) == 0);
        if (!alloc) {
            release(rng.below(live.size()));
            continue;
        }
        Allocation a;
        a.kind = static_cast<Kind>(rng.below(3));
        a.tag = static_cast<uint32_t>(rng.next());
        switch (a.kind) {
            case Kind::kmalloc:
                a.size = 4 + rng.below(p.max_kmalloc);
                a.va = kernel::kmalloc(a.size, kernel::GFP_KERNEL);
                break;
            case Kind::vmalloc:
                a.size = 4 + rng.below(p.max_vmalloc);
                a.va = kernel::vmalloc(a.size);
                break;
            case Kind::pages:
                a.order = static_cast<unsigned>(rng.below(p.max_order + 1));
                a.size = uint64_t{kernel::PAGE_SIZE} << a.order;
                a.pg = kernel::alloc_pages(kernel::GFP_KERNEL, a.order);
                a.va = a.pg ? kernel::page_address(a.pg) : 0;
                break;
        }
        if (!a.va) {
            ++failures;
            continue;
        }
        a.size &= ~uint64_t{3};
        c.store32(a.va, a.tag);
        c.store32(a.va + static_cast<uint32_t>(a.size) - 4, ~a.tag);
        ++counts[static_cast<int>(a.kind)];
        live.push_back(a);
    }
    while (!live.empty())
        release(live.size() - 1);
    kernel::purge_vmap_area_lazy();  // the lazily freed vmalloc areas
    ctx.dump_stats();
    shrink_slabs();
    const long new_tables = static_cast<long>(kernel::nr_pte_pages() - pte_before);
    const long leaked =
        static_cast<long>(free_before) - static_cast<long>(kernel::nr_free_pages()) - new_tables;
    ctx.result("kmallocs", static_cast<double>(counts[0]));
    ctx.result("vmallocs", static_cast<double>(counts[1]));
    ctx.result("page_allocs", static_cast<double>(counts[2]));
    ctx.result("failures", static_cast<double>(failures));
    ctx.result("corrupted", static_cast<double>(corrupt));
    ctx.result("leaked_pages", static_cast<double>(leaked));
    ctx.result("new_pte_pages", static_cast<double>(new_tables));
    ctx.result("cycles", static_cast<double>(c.cycles() - cycles0));
    kernel::pr_info(
        "alloc-stress: %llu kmalloc, %llu vmalloc, %llu page allocations; %llu "
        "failed; %ld pages not returned\n",
        static_cast<unsigned long long>(counts[0]), static_cast<unsigned long long>(counts[1]),
        static_cast<unsigned long long>(counts[2]), static_cast<unsigned long long>(failures),
        leaked);
    if (corrupt)
        throw std::runtime_error("alloc-stress: " + std::to_string(corrupt) +
                                 " allocations corrupted");
    if (leaked != 0)
        throw std::runtime_error("alloc-stress: " + std::to_string(leaked) +
                                 " pages not back in the buddy allocator");
}

}  // namespace workload
