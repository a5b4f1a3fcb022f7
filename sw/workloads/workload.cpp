#include "sw/workloads/workload.h"

#include "sw/workloads/workloads.h"

namespace workload {

const char* alloc_name(Alloc a) {
    switch (a) {
        case Alloc::kmalloc:
            return "kmalloc";
        case Alloc::vmalloc:
            return "vmalloc";
        case Alloc::user:
            return "user";
    }
    return "?";
}

const char* pattern_name(Pattern p) {
    switch (p) {
        case Pattern::sequential:
            return "sequential";
        case Pattern::strided:
            return "strided";
        case Pattern::random:
            return "random";
    }
    return "?";
}

const std::vector<Workload>& workloads() {
    static const std::vector<Workload> all{
        {"boot",
         "the board's boot log: SoC, board EEPROM, PMIC, memory layout, heartbeat LED, EDMA, "
         "allocator self-tests, a user process (the default)",
         run_boot},
        {"tlb-scan", "scan a kmalloc, vmalloc or user buffer (TLB and page-walk studies)",
         run_tlb_scan},
        {"pointer-chase", "dependent loads around a random cycle in a buffer (latency-bound)",
         run_pointer_chase},
        {"alloc-stress", "mixed kmalloc/vmalloc/page allocations and frees with a seed",
         run_alloc_stress},
    };
    return all;
}

const Workload* find(const std::string& name) {
    for (const Workload& w : workloads())
        if (w.name == name) return &w;
    return nullptr;
}

}  // namespace workload
