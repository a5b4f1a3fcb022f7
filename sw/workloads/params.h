// Parameters of the guest workloads (YAML `workload.*`, docs/workloads.md). Plain data shared by
// the configuration loader (platform/config) and the workloads themselves (sw/workloads).
#pragma once

#include <cstdint>
#include <string>

namespace workload {

// Where a workload's buffer comes from: the linear map (kmalloc: 1 MiB sections), the vmalloc
// area (4 KiB pages) or a demand-paged anonymous mapping of a user process (4 KiB pages, ASID).
enum class Alloc : uint8_t { kmalloc, vmalloc, user };
enum class Pattern : uint8_t { sequential, strided, random };

struct BootParams {
    uint64_t heartbeat_ps = 300'000'000'000ull;  // 300 ms of USR0 heartbeat
    bool self_tests = true;
    bool shell = false;  // end with a console shell on UART0 (until `halt`)
};

struct TlbScanParams {
    Alloc alloc = Alloc::vmalloc;
    uint64_t size = 4u << 20;
    uint64_t stride = 4096;
    Pattern pattern = Pattern::strided;
    uint64_t seed = 1;
    bool write = false;
    uint64_t repeat = 4;
};

struct PointerChaseParams {
    Alloc alloc = Alloc::vmalloc;
    uint64_t size = 4u << 20;
    uint64_t stride = 64;
    uint64_t seed = 1;
    uint64_t steps = 1'000'000;
};

struct AllocStressParams {
    uint64_t seed = 1;
    uint64_t ops = 20000;
    uint64_t max_live = 256;
    uint64_t max_kmalloc = 16 * 1024;
    uint64_t max_vmalloc = 256 * 1024;
    unsigned max_order = 3;
};

struct Params {
    std::string name = "boot";  // none | boot | tlb-scan | pointer-chase | alloc-stress
    BootParams boot;
    TlbScanParams tlb_scan;
    PointerChaseParams pointer_chase;
    AllocStressParams alloc_stress;
};

const char* alloc_name(Alloc a);
const char* pattern_name(Pattern p);

}  // namespace workload
