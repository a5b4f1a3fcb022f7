// pointer-chase: dependent loads around one random cycle through the buffer's nodes
// (docs/workloads.md). Nodes are `stride` bytes apart; each holds the virtual address of the
// next node, written by the guest with ordinary stores. The cycle is a random cyclic
// permutation (Sattolo's algorithm), so every node is visited once per lap and no prefetcher
// or cache line sharing helps: the load latency is exposed.
#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/workloads/buffer.h"
#include "sw/workloads/uboot.h"
#include "sw/workloads/workloads.h"

namespace workload {

namespace {
constexpr uint64_t kLoopOverhead = 1;  // the loop's counter decrement and branch
constexpr uint64_t kBatch = 256;
}  // namespace

void run_pointer_chase(const Context& ctx) {
    uboot_handoff(ctx.boot);
    kernel::System sys(ctx.boot);
    const PointerChaseParams& p = ctx.params.pointer_chase;
    hal::Cpu& c = ctx.cpu;
    const uint64_t stride = std::max<uint64_t>(4, p.stride) & ~uint64_t{3};
    const uint64_t nodes = p.size / stride;
    if (nodes < 2)
        throw std::invalid_argument("pointer-chase: fewer than two nodes (size / stride)");
    Buffer buf(p.alloc, p.size);

    // Sattolo: a uniformly random single cycle over the nodes.
    std::vector<uint32_t> next(nodes);
    std::iota(next.begin(), next.end(), 0u);
    Random rng(p.seed);
    for (uint64_t i = nodes - 1; i > 0; --i)
        std::swap(next[i], next[rng.below(i)]);

    kernel::pr_info(
        "pointer-chase: %s buffer of %llu bytes, %llu nodes %llu bytes apart, "
        "%llu loads\n",
        alloc_name(p.alloc), static_cast<unsigned long long>(p.size),
        static_cast<unsigned long long>(nodes), static_cast<unsigned long long>(stride),
        static_cast<unsigned long long>(p.steps));
    uint64_t cycles0 = 0, cycles1 = 0;
    uint32_t at = 0;
    buf.with_access([&] {
        for (uint64_t i = 0; i < nodes; ++i)
            c.store32(buf.va(i * stride), buf.va(static_cast<uint64_t>(next[i]) * stride));
        at = buf.va(0);
        ctx.reset_stats();
        cycles0 = c.cycles();
        for (uint64_t i = 0; i < p.steps;) {
            const uint64_t end = std::min(p.steps, i + kBatch);
            const uint64_t n = end - i;
            for (; i < end; ++i)
                at = c.load32(at);
            c.compute(kLoopOverhead * n);
        }
        cycles1 = c.cycles();
        ctx.dump_stats();
    });
    const double cycles = static_cast<double>(cycles1 - cycles0);
    const double steps = static_cast<double>(p.steps);
    ctx.result("loads", steps);
    ctx.result("cycles", cycles);
    ctx.result("cycles_per_load", cycles / steps);
    ctx.result("ns_per_load", cycles / steps * 1e9 / static_cast<double>(c.clock_hz()));
    ctx.result("working_set_bytes", static_cast<double>(p.size));
    ctx.result("last_node", static_cast<double>(at));
}

}  // namespace workload
