// Host speed of the guest's kmalloc + kfree on the flat FakeCpu (docs/guest/mm.md, "Speed"):
// the goal is >= 10 M pairs per host second in functional mode. A pair is one
// freelist pop (one guest load) and one push (one guest store) plus bookkeeping.
//
//   kmalloc_bench [pairs]     (default 20,000,000)
//
// Phases: the same size again and again (the CPU freelist hot path); a ring of 256 live
// objects of mixed sizes (slab changes, partial lists); kmem_cache_alloc/free; and the
// page allocator (order 0) for comparison. Each phase runs three times; the best run
// (process CPU time) is reported: the machine is shared.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "sw/kernel/printk.h"
#include "sw/mm/mm.h"
#include "tests/bench/bench_baseline.h"
#include "tests/support/fake_cpu.h"

namespace {

constexpr unsigned kRuns = 3;

using vp::bench::cpu_seconds;

template <typename F>
double best_rate(uint64_t n, F&& body) {
    double best = 0;
    for (unsigned r = 0; r < kRuns; ++r) {
        const double t0 = cpu_seconds();
        body(n);
        const double dt = cpu_seconds() - t0;
        best = std::max(best, static_cast<double>(n) / std::max(dt, 1e-9));
    }
    return best;
}

}  // namespace

// The project's libraries pull in libsystemc, which refers to sc_main; this benchmark runs
// the guest on the flat fake CPU and has its own main(), so this one is never called.
extern "C" int sc_main(int, char**) {
    return 0;
}

int main(int argc, char** argv) {
    const uint64_t pairs = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000000ull;
    vp::test::FakeCpu cpu;
    kernel::MmConfig cfg;  // BeagleBone Black: 512 MiB
    // The boot messages ("cma: Reserved ...", "Memory: ...") are not part of the figures.
    kernel::set_printk_sink([](int, const std::string&) {});
    kernel::MemoryManager mm(cfg);
    mm.boot();
    kernel::set_printk_sink({});

    const double same = best_rate(pairs, [](uint64_t n) {
        for (uint64_t i = 0; i < n; ++i)
            kernel::kfree(kernel::kmalloc(64, kernel::GFP_KERNEL));
    });

    std::vector<uint32_t> ring(256, 0);
    std::vector<uint32_t> sizes(4096);
    std::mt19937 rng(1);
    for (uint32_t& s : sizes)
        s = 1 + rng() % 2048;
    const double mixed = best_rate(pairs / 4, [&](uint64_t n) {
        for (uint64_t i = 0; i < n; ++i) {
            uint32_t& slot = ring[i & 255];
            kernel::kfree(slot);
            slot = kernel::kmalloc(sizes[i & 4095], kernel::GFP_KERNEL);
        }
    });
    for (uint32_t& slot : ring) {
        kernel::kfree(slot);
        slot = 0;
    }

    kernel::kmem_cache* cache = kernel::kmem_cache_create("bench", 128, 0, kernel::SLAB_NO_MERGE);
    const double cache_rate = best_rate(pairs, [&](uint64_t n) {
        for (uint64_t i = 0; i < n; ++i)
            kernel::kmem_cache_free(cache, kernel::kmem_cache_alloc(cache, kernel::GFP_KERNEL));
    });
    kernel::kmem_cache_destroy(cache);

    const double page_rate = best_rate(pairs / 4, [](uint64_t n) {
        for (uint64_t i = 0; i < n; ++i)
            kernel::__free_pages(kernel::alloc_pages(kernel::GFP_KERNEL, 0), 0);
    });

    std::printf("kmalloc(64)+kfree, same size      : %6.1f M pairs/s (goal >= 10)\n", same / 1e6);
    std::printf("kmalloc+kfree, 256 live, 1..2048 B: %6.1f M pairs/s\n", mixed / 1e6);
    std::printf("kmem_cache_alloc+free (128 B)     : %6.1f M pairs/s\n", cache_rate / 1e6);
    std::printf("alloc_pages+__free_pages order 0  : %6.1f M pairs/s\n", page_rate / 1e6);
    std::printf("guest accesses: %llu loads, %llu stores\n",
                static_cast<unsigned long long>(cpu.loads()),
                static_cast<unsigned long long>(cpu.stores()));
    return 0;
}
