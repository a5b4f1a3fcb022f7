// Host speed and simulated cost of vmalloc(1 MiB) + vfree on the booted guest kernel over
// the Cortex-A8 model (docs/guest/vmalloc.md, "Speed"), printed beside a bare b_transport
// loop (initiator -> vp::Memory, tests/bench/router_bench.cpp's baseline) run in the same
// process for scale.
//
//   vmalloc_bench [pairs]      (default 2000)
//
// A pair = 256 page allocations, a kmalloc'ed page array, 256 pte writes with their
// D-cache line cleans, the unmap, 256 page frees and the lazy-purge bookkeeping (a TLB flush
// over the purged range every 31 pairs). Each phase runs three times; the best run (process
// CPU time) is reported: the machine is shared.
#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/vmalloc.h"

namespace {

constexpr unsigned kRuns = 3;
constexpr uint32_t kDdr = 0x80000000u;
constexpr uint64_t kDdrBytes = 512ull << 20;
constexpr uint64_t kBareBytes = 1ull << 20;
constexpr uint32_t kOneMiB = 1u << 20;

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct BareInitiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<BareInitiator> socket;
    explicit BareInitiator(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
    // Reads 4 bytes at a time across the memory; returns transactions per host second.
    double loop(uint64_t n) {
        tlm::tlm_generic_payload p;
        uint32_t word = 0;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
        p.set_data_length(4);
        p.set_streaming_width(4);
        uint64_t off = 0, sum = 0;
        const double t0 = cpu_seconds();
        for (uint64_t i = 0; i < n; ++i) {
            p.set_address(off);
            p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_core::sc_time d = sc_core::SC_ZERO_TIME;
            socket->b_transport(p, d);
            sum += word;
            off = (off + 4) & (kBareBytes - 1);
        }
        const double dt = cpu_seconds() - t0;
        if (sum == 1) std::puts("");  // keep the loop
        return static_cast<double>(n) / std::max(dt, 1e-9);
    }
};

}  // namespace

int sc_main(int argc, char** argv) {
    uint64_t pairs = 2000;
    if (argc > 1) {
        char* end = nullptr;
        pairs = std::strtoull(argv[1], &end, 0);
        if (!end || *end != '\0' || pairs == 0) {
            std::fprintf(stderr, "usage: %s [pairs > 0]\n", argv[0]);
            return 2;
        }
    }
    kernel::set_printk_sink([](int, const std::string&) {});
    vp::CortexA8 cpu("cpu");
    vp::Router bus("bus");
    for (const auto& d : vp::am335x_domains())
        bus.add_domain(d);
    vp::Memory ddr("ddr", vp::MemoryParams{kDdrBytes, sc_core::sc_time(50, sc_core::SC_NS),
                                           sc_core::sc_time(50, sc_core::SC_NS), false, "ddr"});
    bus.map({"ddr", kDdr, kDdrBytes, vp::kDomainL3F}, ddr.socket);
    cpu.socket.bind(bus.in);
    bus.name_initiator(0, "cpu");
    BareInitiator bare("bare");
    vp::Memory bare_mem("bare_mem", vp::MemoryParams{kBareBytes, sc_core::SC_ZERO_TIME,
                                                     sc_core::SC_ZERO_TIME, false, "bare_mem"});
    bare.socket.bind(bare_mem.socket);

    double best_rate = 0, cycles_per_pair = 0, bare_rate = 0;
    uint64_t purges = 0;
    cpu.set_entry([&](hal::Cpu& c) {
        kernel::BootInfo info;
        info.machine = "TI AM335x BeagleBone Black";
        info.mem.push_back({kDdr, kDdrBytes});
        kernel::System sys(info);
        for (unsigned r = 0; r < kRuns; ++r) {
            const uint64_t cyc0 = c.cycles();
            const double t0 = cpu_seconds();
            for (uint64_t i = 0; i < pairs; ++i) {
                const uint32_t p = kernel::vmalloc(kOneMiB);
                if (!p) {
                    std::fprintf(stderr, "vmalloc failed at pair %llu\n",
                                 static_cast<unsigned long long>(i));
                    std::exit(1);
                }
                kernel::vfree(p);
            }
            const double dt = cpu_seconds() - t0;
            const double rate = static_cast<double>(pairs) / std::max(dt, 1e-9);
            if (rate > best_rate) {
                best_rate = rate;
                cycles_per_pair =
                    static_cast<double>(c.cycles() - cyc0) / static_cast<double>(pairs);
            }
        }
        purges = kernel::vmalloc_stats().purges;
        double b = 0;
        for (unsigned r = 0; r < kRuns; ++r)
            b = std::max(b, bare.loop(4'000'000));
        bare_rate = b;
    });
    cpu.on_exit([](const vp::CortexA8::ExitStatus&) { sc_core::sc_stop(); });
    sc_core::sc_start();
    if (!cpu.exit_status().ok()) {
        std::fprintf(stderr, "guest failed: %s\n", cpu.exit_status().message.c_str());
        return 1;
    }
    std::printf("vmalloc(1 MiB) + vfree, BBB, functional CPU, %llu pairs x %u runs\n",
                static_cast<unsigned long long>(pairs), kRuns);
    std::printf("  %-44s %12.0f /s host   %10.0f core cycles/pair (%.1f us at 1 GHz)\n",
                "vmalloc(1 MiB) + vfree", best_rate, cycles_per_pair, cycles_per_pair / 1000.0);
    std::printf("  %-44s %12.0f /s host\n", "bare initiator -> memory, b_transport", bare_rate);
    std::printf("  one pair = %.0f bare b_transports of host time; lazy purges: %llu\n",
                bare_rate / std::max(best_rate, 1e-9), static_cast<unsigned long long>(purges));
    return 0;
}
