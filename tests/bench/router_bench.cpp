// Host speed of 4-byte reads through the interconnect router, beside a bare SystemC
// initiator → memory loop measured in the same run (docs/models/router.md, "Speed").
//
//   router_bench [reads_per_phase]     (default 4,000,000; DMI phases use 10x as many)
//
// Every phase is a loosely-timed initiator as the CPU model is one: a tlm_quantumkeeper
// with a 1 us global quantum, the annotated delay carried in the local time, a sync when
// the quantum is used up. So that the bare loops sync as often as the router loops (a
// sync is a thread switch, the dearest part of a loop), the bare memory annotates the same
// average latency per read that the router → DDR path produced. Each phase runs three
// times, interleaved with the others, and the best run (process CPU time) is reported:
// the machine is shared.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "models/interconnect/router.h"
#include "models/memory/ddr.h"
#include "tests/bench/bench_baseline.h"

namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

constexpr uint64_t kDdrBase = 0x80000000;    // EMIF0 SDRAM (am335x.md §1.1)
constexpr uint64_t kDdrSize = 512ull << 20;  // BeagleBone Black
constexpr uint64_t kMemBase = 0x60000000;    // a bare memory behind the router
constexpr uint64_t kWindow = 1u << 20;       // reads sweep 1 MB, 4 bytes apart
constexpr uint64_t kWindowMask = kWindow - 1;
constexpr unsigned kRuns = 3;

using vp::bench::BareMemory;
using vp::bench::cpu_seconds;

struct Result {
    double reads_per_s = 0;
    sc_time avg_latency = SC_ZERO_TIME;
};

struct Bench : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bench> to_bare;
    tlm_utils::simple_initiator_socket<Bench> to_router;
    BareMemory bare;
    BareMemory behind;  // bare memory mapped behind the router (router cost alone)
    vp::Ddr ddr;
    vp::Router bus;
    uint64_t reads;
    uint64_t checksum = 0;

    SC_HAS_PROCESS(Bench);
    Bench(sc_core::sc_module_name n, uint64_t reads_per_phase)
        : sc_module(n),
          to_bare("to_bare"),
          to_router("to_router"),
          bare("bare", kWindow),
          behind("behind", kWindow),
          ddr("ddr", ddr_params()),
          bus("bus", router_params()),
          reads(reads_per_phase) {
        to_bare.bind(bare.socket);
        to_router.bind(bus.in);
        bus.name_initiator(0, "bench");
        bus.map({"ddr", kDdrBase, kDdrSize, vp::kDomainL3F}, ddr.socket);
        bus.map({"mem", kMemBase, kWindow, vp::kDomainL3F}, behind.socket);
        SC_THREAD(run);
    }

    static vp::DdrParams ddr_params() {
        vp::DdrParams p;
        p.size = kDdrSize;
        return p;
    }
    static vp::RouterParams router_params() {
        vp::RouterParams p;
        p.domains = vp::am335x_domains();
        return p;
    }

    template <typename Socket>
    Result lt_loop(Socket& s, uint64_t base, uint64_t n) {
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        tlm::tlm_generic_payload p;
        uint32_t word = 0;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
        p.set_data_length(4);
        p.set_streaming_width(4);
        p.set_byte_enable_ptr(nullptr);
        uint64_t off = 0;
        sc_time total = SC_ZERO_TIME;
        const double t0 = cpu_seconds();
        for (uint64_t i = 0; i < n; ++i) {
            p.set_address(base + off);
            p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            p.set_dmi_allowed(false);
            sc_time delay = qk.get_local_time();
            const sc_time before = delay;
            s->b_transport(p, delay);
            if (!p.is_response_ok()) {
                fmt::print(stderr, "read at {:#x} failed\n", base + off);
                std::exit(1);
            }
            total += delay - before;
            qk.set(delay);
            if (qk.need_sync()) qk.sync();
            checksum += word;
            off = (off + 4) & kWindowMask;
        }
        qk.sync();
        const double s_host = cpu_seconds() - t0;
        return {static_cast<double>(n) / s_host, total / static_cast<double>(n)};
    }

    template <typename Socket>
    Result dmi_loop(Socket& s, uint64_t base, uint64_t n) {
        tlm::tlm_generic_payload p;
        uint32_t dummy = 0;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(base);
        p.set_data_ptr(reinterpret_cast<unsigned char*>(&dummy));
        p.set_data_length(4);
        p.set_streaming_width(4);
        tlm::tlm_dmi dmi;
        if (!s->get_direct_mem_ptr(p, dmi) || dmi.get_start_address() > base ||
            dmi.get_end_address() < base + kWindow - 1) {
            fmt::print(stderr, "no DMI over the window at {:#x}\n", base);
            std::exit(1);
        }
        const uint8_t* ptr = dmi.get_dmi_ptr() + (base - dmi.get_start_address());
        const sc_time lat = dmi.get_read_latency();
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        uint64_t off = 0;
        const double t0 = cpu_seconds();
        for (uint64_t i = 0; i < n; ++i) {
            uint32_t word;
            std::memcpy(&word, ptr + off, 4);
            checksum += word;
            qk.inc(lat);
            if (qk.need_sync()) qk.sync();
            off = (off + 4) & kWindowMask;
        }
        qk.sync();
        const double s_host = cpu_seconds() - t0;
        return {static_cast<double>(n) / s_host, lat};
    }

    static void keep_best(Result& best, const Result& r) {
        if (r.reads_per_s > best.reads_per_s) best = r;
    }

    void run() {
        const uint64_t n = reads;
        const uint64_t n_dmi = reads * 10;

        // The average latency a read gets through the router to DDR (row hits mostly, as
        // the sweep is sequential); the bare memories annotate the same.
        const sc_time bt_latency = lt_loop(to_router, kDdrBase, n / 4 + 1).avg_latency;
        const sc_time path = bus.path_latency(vp::kDomainL3F);
        behind.latency = bt_latency - path;

        // The phases alternate, so that a burst of load from other jobs hits all alike.
        Result router_ddr, bare_bt, router_mem, router_ddr_dmi, bare_dmi;
        for (unsigned run = 0; run < kRuns; ++run) {
            bare.latency = bt_latency;
            keep_best(bare_bt, lt_loop(to_bare, 0, n));
            keep_best(router_ddr, lt_loop(to_router, kDdrBase, n));
            keep_best(router_mem, lt_loop(to_router, kMemBase, n));
            // DMI: the pointer is fetched through the router once; the loop is the same.
            keep_best(router_ddr_dmi, dmi_loop(to_router, kDdrBase, n_dmi));
            bare.latency = router_ddr_dmi.avg_latency;
            keep_best(bare_dmi, dmi_loop(to_bare, 0, n_dmi));
        }

        auto row = [](const char* what, const Result& r, const Result* ref) {
            fmt::print("{:<46} {:>12.3f} {:>8.1f} ns  {:>9}\n", what, r.reads_per_s / 1e6,
                       r.avg_latency.to_seconds() * 1e9,
                       ref ? fmt::format("{:.2f}x", r.reads_per_s / ref->reads_per_s) : "");
        };
        fmt::print("router_bench: 4-byte reads over a 1 MB window, 1 us quantum, best of {}\n",
                   kRuns);
        fmt::print("{:<46} {:>12} {:>11}  {:>9}\n", "configuration", "Mreads/s", "lat/read",
                   "vs bare");
        row("bare initiator -> memory, b_transport", bare_bt, nullptr);
        row("router -> vp::Ddr, b_transport", router_ddr, &bare_bt);
        row("router -> bare memory, b_transport", router_mem, &bare_bt);
        row("bare initiator -> memory, DMI", bare_dmi, nullptr);
        row("router -> vp::Ddr, DMI (pointer via router)", router_ddr_dmi, &bare_dmi);
        fmt::print("goals: b_transport >= 0.50x, DMI >= 0.80x   (checksum {:#x})\n",
                   checksum & 0xFFFF);
        sc_core::sc_stop();
    }
};

}  // namespace

int sc_main(int argc, char** argv) {
    uint64_t reads = 4'000'000;
    if (argc > 1) {
        char* end = nullptr;
        reads = std::strtoull(argv[1], &end, 0);
        if (!end || *end != '\0' || reads == 0) {
            fmt::print(stderr, "usage: {} [reads_per_phase > 0]\n", argv[0]);
            return 2;
        }
    }
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(1, sc_core::SC_US));
    Bench bench("bench", reads);
    sc_core::sc_start();
    return 0;
}
