// Host speed and simulated cost of the guest kernel's memory manager on the Cortex-A8 model
// (issue 5 item 10; docs/guest/mm.md "Speed"), booted on the BeagleBone Black layout in
// functional mode, each figure printed beside the bare b_transport loop of
// tests/bench/bench_baseline.h measured in the same run:
//
//   - kmalloc(64) + kfree pairs per host second (goal: >= 10 M), and a mixed-size ring;
//   - vmalloc(1 MiB) + vfree pairs per host second (256 pages, pte writes with their line
//     cleans, lazy purge);
//   - user page faults per host second (a demand-paged anonymous mapping touched at PL0);
//   and the simulated core cycles per operation.
//
//   mm_bench [scale]     (default 1: 4 M kmalloc pairs, 2000 vmalloc pairs, 20000 faults)
//
// Each phase runs three times; the best run (process CPU time) is reported: the machine is
// shared.
#include <systemc>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/gfp.h"
#include "sw/mm/mm_types.h"
#include "sw/mm/mmap.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "tests/bench/bench_baseline.h"
#include "tests/support/guest_machine.h"

namespace {

using vp::bench::cpu_seconds;

constexpr unsigned kRuns = 3;

struct Figure {
    const char* what;
    double per_s = 0;   // operations per host second (best run)
    double cycles = 0;  // simulated core cycles per operation (of the best run)
};

// Runs `body(n)` kRuns times in the guest thread; keeps the best rate.
Figure measure(const char* what, hal::Cpu& c, uint64_t n,
               const std::function<void(uint64_t)>& body) {
    Figure f{what};
    for (unsigned r = 0; r < kRuns; ++r) {
        const uint64_t c0 = c.cycles();
        const double t0 = cpu_seconds();
        body(n);
        const double rate = static_cast<double>(n) / std::max(cpu_seconds() - t0, 1e-9);
        if (rate > f.per_s) {
            f.per_s = rate;
            f.cycles = static_cast<double>(c.cycles() - c0) / static_cast<double>(n);
        }
    }
    return f;
}

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "mm_bench: %s\n", what.c_str());
    std::exit(1);
}

}  // namespace

int sc_main(int argc, char** argv) {
    uint64_t scale = 1;
    if (argc > 1) {
        char* end = nullptr;
        scale = std::strtoull(argv[1], &end, 0);
        if (!end || *end != '\0' || scale == 0) {
            std::fprintf(stderr, "usage: %s [scale > 0]\n", argv[0]);
            return 2;
        }
    }
    kernel::set_printk_sink([](int, const std::string&) {});
    vp::test::GuestMachineParams params;
    params.monitor = false;  // the product's path: CPU straight onto the router
    vp::test::GuestMachine m(params);
    vp::bench::BareMemory bare_mem("bare_mem", 1u << 20, sc_core::sc_time(50, sc_core::SC_NS));
    vp::bench::BareInitiator bare("bare");
    bare.socket.bind(bare_mem.socket);

    double bare_bt = 0;
    Figure kmalloc64, kmalloc_mixed, vmalloc1m, faults;
    try {
        m.run([&](hal::Cpu& c) {
            bare_bt = vp::bench::best_of(kRuns, [&] { return bare.bt_loop(4'000'000); });
            kernel::System sys(vp::test::bbb_boot_info());
            kmalloc64 = measure("kmalloc(64) + kfree", c, 4'000'000 * scale, [](uint64_t n) {
                for (uint64_t i = 0; i < n; ++i)
                    kernel::kfree(kernel::kmalloc(64, kernel::GFP_KERNEL));
            });
            // A ring of 256 live objects of sizes 8 .. 2048: slabs change, partial lists.
            kmalloc_mixed = measure(
                "kmalloc(8..2048) ring of 256 + kfree", c, 2'000'000 * scale, [](uint64_t n) {
                    uint32_t ring[256] = {};
                    for (uint64_t i = 0; i < n; ++i) {
                        uint32_t& slot = ring[i & 255];
                        kernel::kfree(slot);
                        slot = kernel::kmalloc(8u << (i % 9), kernel::GFP_KERNEL);
                    }
                    for (uint32_t p : ring)
                        kernel::kfree(p);
                });
            vmalloc1m = measure("vmalloc(1 MiB) + vfree", c, 2000 * scale, [](uint64_t n) {
                for (uint64_t i = 0; i < n; ++i) {
                    const uint32_t p = kernel::vmalloc(1u << 20);
                    if (!p) fail("vmalloc failed");
                    kernel::vfree(p);
                }
            });
            const uint32_t pages = static_cast<uint32_t>(20000 * scale);
            kernel::user_mm_init();
            faults = measure("user page fault (first touch at PL0)", c, pages, [&](uint64_t n) {
                kernel::mm_struct* mm = kernel::mm_alloc();
                const uint32_t p =
                    kernel::vm_mmap(mm, 0, static_cast<uint32_t>(n) * kernel::PAGE_SIZE,
                                    kernel::PROT_READ | kernel::PROT_WRITE,
                                    kernel::MAP_PRIVATE | kernel::MAP_ANONYMOUS);
                if (kernel::IS_ERR_VALUE(p)) fail("vm_mmap failed");
                kernel::run_user(mm, [&](hal::Cpu& u) {
                    for (uint32_t i = 0; i < n; ++i)
                        u.store32(p + i * kernel::PAGE_SIZE, i);
                });
                kernel::switch_mm(kernel::current_user_mm(), nullptr);
                kernel::mmput(mm);
            });
            kernel::user_mm_exit();
        });
    } catch (const std::exception& e) {
        fail(std::string("guest failed: ") + e.what());
    }
    std::printf(
        "mm_bench: guest kernel on the Cortex-A8 model (functional), BBB, best of %u, "
        "host CPU time\n",
        kRuns);
    std::printf("%-42s %12.2f M/s\n", "bare initiator -> memory, b_transport", bare_bt / 1e6);
    for (const Figure& f : {kmalloc64, kmalloc_mixed, vmalloc1m, faults})
        std::printf("%-42s %12.4f M/s  %8.4fx bare b_transport  %9.0f cycles/op\n", f.what,
                    f.per_s / 1e6, f.per_s / bare_bt, f.cycles);
    std::printf("goal: kmalloc + kfree >= 10 M pairs per host second in functional mode\n");
    return 0;
}
