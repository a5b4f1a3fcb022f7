// tlb-scan: one warm-up pass over a buffer, then `repeat` measured passes (docs/workloads.md).
//
// The access stream is what a C loop over the buffer makes: one 32-bit load (or store) per
// element, and two instructions of loop overhead (add, compare-and-branch) annotated with
// compute() in batches. The statistics are reset after the warm-up pass (m5_reset_stats), so
// that the figures of a run are those of the measured passes only.
#include <algorithm>

#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/workloads/buffer.h"
#include "sw/workloads/uboot.h"
#include "sw/workloads/workloads.h"

namespace workload {

namespace {

constexpr uint64_t kLoopOverhead = 2;  // instructions per element besides the access
constexpr uint64_t kBatch = 256;       // accesses per compute() annotation
constexpr uint32_t kWord = 4;

// The offsets one pass visits: sequential and strided are arithmetic, random is drawn once.
struct PassPlan {
    uint64_t step = kWord;          // sequential / strided
    uint64_t count = 0;             // accesses per pass
    std::vector<uint32_t> offsets;  // random
};

PassPlan plan(const TlbScanParams& p) {
    PassPlan plan;
    const uint64_t words = p.size / kWord;
    switch (p.pattern) {
        case Pattern::sequential:
            plan.count = words;
            break;
        case Pattern::strided:
            plan.step = std::max<uint64_t>(p.stride, kWord) & ~uint64_t{kWord - 1};
            plan.count = (p.size - kWord) / plan.step + 1;
            break;
        case Pattern::random: {
            plan.count = std::max<uint64_t>(1, p.size / std::max<uint64_t>(p.stride, kWord));
            Random rng(p.seed);
            plan.offsets.reserve(plan.count);
            for (uint64_t i = 0; i < plan.count; ++i)
                plan.offsets.push_back(static_cast<uint32_t>(rng.below(words) * kWord));
            break;
        }
    }
    return plan;
}

}  // namespace

void run_tlb_scan(const Context& ctx) {
    uboot_handoff(ctx.boot);
    kernel::System sys(ctx.boot);
    const TlbScanParams& p = ctx.params.tlb_scan;
    hal::Cpu& c = ctx.cpu;
    Buffer buf(p.alloc, p.size);
    const PassPlan pl = plan(p);
    kernel::pr_info(
        "tlb-scan: %s buffer of %llu bytes, %s, stride %llu: %llu accesses x %llu "
        "passes (%s)\n",
        alloc_name(p.alloc), static_cast<unsigned long long>(p.size), pattern_name(p.pattern),
        static_cast<unsigned long long>(p.stride), static_cast<unsigned long long>(pl.count),
        static_cast<unsigned long long>(p.repeat), p.write ? "stores" : "loads");

    uint32_t sink = 0;
    auto access = [&](uint64_t i, uint64_t offset) {
        const uint32_t va = buf.va(offset);
        if (p.write)
            c.store32(va, static_cast<uint32_t>(i));
        else
            sink += c.load32(va);
    };
    auto pass = [&] {
        for (uint64_t i = 0; i < pl.count;) {
            const uint64_t end = std::min(pl.count, i + kBatch);
            const uint64_t n = end - i;
            if (pl.offsets.empty()) {
                for (; i < end; ++i)
                    access(i, i * pl.step);
            } else {
                for (; i < end; ++i)
                    access(i, pl.offsets[i]);
            }
            c.compute(kLoopOverhead * n);
        }
    };
    uint64_t cycles0 = 0, cycles1 = 0;
    buf.with_access([&] {
        pass();  // warm-up: demand faults, cold TLB and caches
        ctx.reset_stats();
        cycles0 = c.cycles();
        for (uint64_t r = 0; r < p.repeat; ++r)
            pass();
        cycles1 = c.cycles();
        ctx.dump_stats();
    });
    const double accesses = static_cast<double>(pl.count) * static_cast<double>(p.repeat);
    const double cycles = static_cast<double>(cycles1 - cycles0);
    ctx.result("accesses", accesses);
    ctx.result("cycles", cycles);
    ctx.result("cycles_per_access", accesses > 0 ? cycles / accesses : 0);
    ctx.result("working_set_bytes", static_cast<double>(p.size));
    ctx.result("checksum", static_cast<double>(sink));
}

}  // namespace workload
