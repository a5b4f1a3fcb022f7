// User page faults per host second and simulated cycles per fault (docs/guest/user.md,
// "Speed"), beside a bare SystemC b_transport loop measured in the same run.
//
//   user_fault_bench [pages]     (default 20000 pages faulted per run)
//
// Platform: the Cortex-A8 model (functional timing) → router → DDR memory (512 MiB) with the
// guest kernel booted (kernel::System). One run = mm_alloc, an anonymous mapping of `pages`
// pages, one PL0 store per page (each a translation fault resolved by do_page_fault: a zeroed
// page, set_pte_at), mmput. Host time is process CPU time; the best of three runs is printed.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/asid.h"
#include "sw/mm/mmap.h"

namespace {

constexpr uint32_t kDdrBase = 0x80000000u;
constexpr uint64_t kDdrBytes = 512ull << 20;
constexpr unsigned kRuns = 3;

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The bare loop: an initiator thread calling b_transport on a minimal memory.
struct Bare : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bare> out{"out"};
    tlm_utils::simple_target_socket<Bare> in{"in"};
    std::vector<uint8_t> mem = std::vector<uint8_t>(1u << 20);
    uint64_t n;
    double rate = 0;
    SC_HAS_PROCESS(Bare);
    Bare(sc_core::sc_module_name name, uint64_t count) : sc_module(name), n(count) {
        in.register_b_transport(this, &Bare::bt);
        out.bind(in);
        SC_THREAD(run);
    }
    void bt(tlm::tlm_generic_payload& p, sc_core::sc_time& d) {
        std::memcpy(p.get_data_ptr(), &mem[p.get_address() & 0xFFFFC], 4);
        d += sc_core::sc_time(1, sc_core::SC_NS);
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    void run() {
        tlm::tlm_generic_payload p;
        uint32_t w = 0;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_data_ptr(reinterpret_cast<unsigned char*>(&w));
        p.set_data_length(4);
        p.set_streaming_width(4);
        const double t0 = cpu_seconds();
        for (uint64_t i = 0; i < n; ++i) {
            sc_core::sc_time d = sc_core::SC_ZERO_TIME;
            p.set_address((i * 4) & 0xFFFFF);
            out->b_transport(p, d);
        }
        rate = static_cast<double>(n) / std::max(cpu_seconds() - t0, 1e-9);
    }
};

}  // namespace

extern "C" int sc_main(int, char**) {
    return 0;
}

int main(int argc, char** argv) {
    const uint32_t pages =
        argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 20000u;
    kernel::set_printk_sink([](int, const std::string&) {});

    Bare bare("bare", 5'000'000);
    vp::CortexA8 cpu("cpu");
    vp::Router bus("bus");
    vp::Memory ddr("ddr", vp::MemoryParams{kDdrBytes, sc_core::sc_time(50, sc_core::SC_NS),
                                           sc_core::sc_time(50, sc_core::SC_NS), false, "ddr"});
    for (const auto& d : vp::am335x_domains())
        bus.add_domain(d);
    bus.map({"ddr", kDdrBase, static_cast<uint32_t>(kDdrBytes), vp::kDomainL3F}, ddr.socket);
    cpu.socket.bind(bus.in);

    double best_rate = 0, cycles_per_fault = 0;
    unsigned long faults = 0;
    cpu.set_entry([&](hal::Cpu& c) {
        kernel::BootInfo info;
        info.machine = "TI AM335x BeagleBone Black";
        info.mem.push_back({kDdrBase, kDdrBytes});
        kernel::System sys(info);
        kernel::asid_reset();
        kernel::user_mm_init();
        for (unsigned r = 0; r < kRuns; ++r) {
            kernel::mm_struct* mm = kernel::mm_alloc();
            const uint32_t p = kernel::vm_mmap(mm, 0, pages * kernel::PAGE_SIZE,
                                               kernel::PROT_READ | kernel::PROT_WRITE,
                                               kernel::MAP_PRIVATE | kernel::MAP_ANONYMOUS);
            if (kernel::IS_ERR_VALUE(p)) {
                std::fprintf(stderr, "vm_mmap of %u pages failed\n", pages);
                std::exit(1);
            }
            const unsigned long f0 = kernel::user_mm_stats().page_faults;
            const uint64_t c0 = c.cycles();
            const double t0 = cpu_seconds();
            kernel::run_user(mm, [&](hal::Cpu& u) {
                for (uint32_t i = 0; i < pages; ++i)
                    u.store32(p + i * kernel::PAGE_SIZE, i);
            });
            const double dt = std::max(cpu_seconds() - t0, 1e-9);
            faults = kernel::user_mm_stats().page_faults - f0;
            best_rate = std::max(best_rate, static_cast<double>(faults) / dt);
            cycles_per_fault = static_cast<double>(c.cycles() - c0) / static_cast<double>(faults);
            kernel::mmput(mm);
        }
        kernel::user_mm_exit();
    });
    cpu.on_exit([](const vp::CortexA8::ExitStatus&) { sc_core::sc_stop(); });
    sc_core::sc_start();
    if (!cpu.exit_status().ok()) {
        std::fprintf(stderr, "guest failed: %s\n", cpu.exit_status().message.c_str());
        return 1;
    }
    std::printf("user page faults (%u pages, %lu faults per run, best of %u)\n", pages, faults,
                kRuns);
    std::printf("  faults per host second        : %12.0f\n", best_rate);
    std::printf("  simulated cycles per fault    : %12.1f\n", cycles_per_fault);
    std::printf("  bare b_transport per second   : %12.0f  (%.0f transports per fault)\n",
                bare.rate, best_rate > 0 ? bare.rate / best_rate : 0.0);
    return 0;
}
