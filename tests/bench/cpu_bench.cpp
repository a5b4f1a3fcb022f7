// Host speed of the Cortex-A8 model (docs/models/cortex_a8.md, "Speed"), beside a bare SystemC
// initiator → memory loop measured in the same run:
//
//   (a) a 4 MB buffer mapped with 4 KB pages, scanned 64 times with 32-bit loads, and the same
//       buffer mapped with 1 MB sections — loads/s, in functional and approximate mode;
//   (b) a TLB-thrashing pattern, one load per 4 KB page over 64 MB — walks/s, both modes.
//
//   cpu_bench [quantum_us [scan|thrash]]   (default 1 us, the CPU model's default quantum;
//                                          a phase name runs only that phase, for profiling)
//
// Platform: CortexA8 → vp::Router (am335x_domains) → vp::Memory (256 MB "DDR", 50 ns, lazy).
// Each mode has its own CPU, router and memory; the approximate CPU waits (wfi) until the
// functional one is done, so the two never interleave. The baseline loops run in the first
// CPU's thread before its guest starts (they need a SystemC thread for their quantum keeper).
// Times are process CPU time (the machine is shared); each figure is the best of 3 runs.
#include <systemc>
#include <tlm>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/descriptor.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "sw/hal/cpu.h"
#include "tests/bench/bench_baseline.h"

namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

constexpr unsigned kRuns = 3;
constexpr uint32_t kDdr = 0x80000000u;
constexpr uint32_t kDdrSize = 256u << 20;
const sc_time kDdrLatency(50, SC_NS);
constexpr uint32_t kTtb = kDdr + 0x4000;
constexpr uint32_t kL2Tables = kDdr + 0x10000;   // 1 KB L2 tables from here
constexpr uint32_t kScanPa = kDdr + 0x01000000;  // the 4 MB buffer
constexpr uint32_t kScanBytes = 4u << 20;
constexpr uint32_t kScanPagesVa = 0xD0000000u;     // 4 KB pages
constexpr uint32_t kScanSectionsVa = 0xE0000000u;  // 1 MB sections
constexpr unsigned kScans = 64;
constexpr uint32_t kThrashPa = kDdr + 0x04000000;  // 64 MB, one load per page
constexpr uint32_t kThrashVa = 0x40000000u;
constexpr uint32_t kThrashBytes = 64u << 20;
constexpr unsigned kThrashPasses = 8;
constexpr uint64_t kBaselineReads = 4'000'000;
constexpr uint32_t kWindow = 1u << 20;

using vp::bench::BareInitiator;
using vp::bench::BareMemory;
using vp::bench::cpu_seconds;

// ---- One CPU system per mode --------------------------------------------------------------------
struct System {
    vp::Router bus;
    vp::Memory ddr;
    vp::CortexA8 cpu;
    System(const std::string& tag, vp::TimingMode mode, const sc_time& quantum)
        : bus(("bus_" + tag).c_str(), router_params(tag)),
          ddr(("ddr_" + tag).c_str(),
              vp::MemoryParams{kDdrSize, kDdrLatency, kDdrLatency, false, "ddr_" + tag}),
          cpu(("cpu_" + tag).c_str(), cpu_params(tag, mode, quantum)) {
        bus.map({"ddr", kDdr, kDdrSize, vp::kDomainL3F}, ddr.socket);
        cpu.socket.bind(bus.in);
        build_tables();
    }
    static vp::RouterParams router_params(const std::string& tag) {
        vp::RouterParams p;
        p.stat_prefix = "interconnect_" + tag;
        p.domains = vp::am335x_domains();
        return p;
    }
    static vp::CortexA8Params cpu_params(const std::string& tag, vp::TimingMode mode,
                                         const sc_time& quantum) {
        vp::CortexA8Params p;
        p.mode = mode;
        p.quantum = quantum;
        p.stat_prefix = "cpu_" + tag;
        return p;
    }
    void poke32(uint32_t pa, uint32_t v) { std::memcpy(ddr.host_ptr() + (pa - kDdr), &v, 4); }
    // Page tables as a boot loader would leave them (DDI 0406C B3.5.1): Normal write-back
    // write-allocate memory, PL1 read/write, domain 0.
    void build_tables() {
        using namespace vp::mmu;
        const uint32_t normal_sec = l1desc::TYPE_SECTION | (1u << l1desc::AP_SHIFT) |
                                    (1u << l1desc::TEX_SHIFT) | l1desc::C | l1desc::B;
        const uint32_t normal_page = l2desc::SMALL_BIT | (1u << l2desc::AP_SHIFT) |
                                     (1u << l2desc::SMALL_TEX_SHIFT) | l2desc::C | l2desc::B;
        uint32_t next_l2 = kL2Tables;
        auto map_pages = [&](uint32_t va, uint32_t pa, uint32_t bytes) {
            for (uint32_t mb = 0; mb < bytes >> 20; ++mb) {
                const uint32_t l2 = next_l2;
                next_l2 += 1024;
                poke32(kTtb | (((va >> 20) + mb) << 2), l2 | l1desc::TYPE_PAGE_TABLE);
                for (uint32_t i = 0; i < 256; ++i)
                    poke32(l2 | (i << 2), (pa + (mb << 20) + (i << 12)) | normal_page);
            }
        };
        map_pages(kScanPagesVa, kScanPa, kScanBytes);
        for (uint32_t mb = 0; mb < kScanBytes >> 20; ++mb)
            poke32(kTtb | (((kScanSectionsVa >> 20) + mb) << 2),
                   (kScanPa + (mb << 20)) | normal_sec);
        map_pages(kThrashVa, kThrashPa, kThrashBytes);
    }
};

struct Figures {
    double scan_pages = 0, scan_sections = 0, walks = 0;
    uint64_t checksum = 0;
};

void mcr(hal::Cpu& c, vp::mmu::Cp15Reg r, uint32_t v) {
    c.mcr(r.crn, r.opc1, r.crm, r.opc2, v);
}
uint32_t mrc(hal::Cpu& c, vp::mmu::Cp15Reg r) {
    return c.mrc(r.crn, r.opc1, r.crm, r.opc2);
}

// The guest of both CPUs: enable the MMU and caches as Linux does, then the three phases.
std::string g_only;  // "", "scan" or "thrash"

void guest(hal::Cpu& c, Figures& f) {
    namespace r = vp::mmu::cp15reg;
    using namespace vp::mmu;
    mcr(c, r::TTBR0, kTtb | ttbr::C | (ttbr::RGN_WB_WA << ttbr::RGN_SHIFT));
    mcr(c, r::DACR, 0x55555555u);
    mcr(c, r::SCTLR, mrc(c, r::SCTLR) | sctlr::M | sctlr::C | sctlr::I | sctlr::Z);
    mcr(c, r::TLBIALL, 0);
    auto scan = [&](uint32_t base) {
        mcr(c, r::TLBIALL, 0);
        uint64_t sum = 0;
        const double t0 = cpu_seconds();
        for (unsigned s = 0; s < kScans; ++s)
            for (uint32_t off = 0; off < kScanBytes; off += 4)
                sum += c.load32(base + off);
        const double dt = cpu_seconds() - t0;
        f.checksum += sum;
        return static_cast<double>(kScans) * (kScanBytes / 4) / dt;
    };
    auto thrash = [&]() {
        mcr(c, r::TLBIALL, 0);
        uint64_t sum = 0;
        const double t0 = cpu_seconds();
        for (unsigned p = 0; p < kThrashPasses; ++p)
            for (uint32_t off = 0; off < kThrashBytes; off += 4096)
                sum += c.load32(kThrashVa + off);
        const double dt = cpu_seconds() - t0;
        f.checksum += sum;
        return static_cast<double>(kThrashPasses) * (kThrashBytes / 4096) / dt;
    };
    const unsigned runs = g_only.empty() ? kRuns : 10 * kRuns;  // profiling: run longer
    for (unsigned run = 0; run < runs; ++run) {
        if (g_only.empty() || g_only == "scan") {
            f.scan_pages = std::max(f.scan_pages, scan(kScanPagesVa));
            f.scan_sections = std::max(f.scan_sections, scan(kScanSectionsVa));
        }
        if (g_only.empty() || g_only == "thrash") f.walks = std::max(f.walks, thrash());
    }
}

}  // namespace

int sc_main(int argc, char** argv) {
    double quantum_us = 1.0;
    if (argc > 1) {
        char* end = nullptr;
        quantum_us = std::strtod(argv[1], &end);
        if (!end || *end != '\0' || !(quantum_us > 0)) {
            fmt::print(stderr, "usage: {} [quantum_us > 0 [scan|thrash]]\n", argv[0]);
            return 2;
        }
    }
    if (argc > 2) {
        g_only = argv[2];
        if (g_only != "scan" && g_only != "thrash") {
            fmt::print(stderr, "usage: {} [quantum_us > 0 [scan|thrash]]\n", argv[0]);
            return 2;
        }
    }
    const sc_time quantum(quantum_us * 1000.0, SC_NS);
    System fsys("f", vp::TimingMode::functional, quantum);
    System asys("a", vp::TimingMode::approximate, quantum);
    BareInitiator bare("bare", kWindow);
    BareMemory bare_mem("bare_mem", kWindow, kDdrLatency);
    bare.socket.bind(bare_mem.socket);

    double bare_bt = 0, bare_dmi = 0;
    Figures func, approx;
    fsys.cpu.set_entry([&](hal::Cpu& c) {
        for (unsigned run = 0; run < kRuns && g_only.empty(); ++run) {
            bare_bt = std::max(bare_bt, bare.bt_loop(kBaselineReads));
            bare_dmi = std::max(bare_dmi, bare.dmi_loop(kBaselineReads * 10));
        }
        guest(c, func);
    });
    fsys.cpu.on_exit([&](const vp::CortexA8::ExitStatus&) { asys.cpu.irq.write(true); });
    asys.cpu.set_entry([&](hal::Cpu& c) {
        c.wfi();  // until the functional CPU is done (IRQs masked: wfi only waits)
        asys.cpu.irq.write(false);
        guest(c, approx);
    });
    asys.cpu.on_exit([](const vp::CortexA8::ExitStatus&) { sc_core::sc_stop(); });
    sc_core::sc_start();
    if (!fsys.cpu.exit_status().ok() || !asys.cpu.exit_status().ok()) {
        fmt::print(stderr, "cpu_bench: a guest failed: {} / {}\n", fsys.cpu.exit_status().message,
                   asys.cpu.exit_status().message);
        return 1;
    }

    auto row = [&](const char* what, double v, const char* unit, double ref, const char* ref_name) {
        const std::string ratio = ref > 0 ? fmt::format("{:>7.2f}x {}", v / ref, ref_name) : "";
        fmt::print("{:<52} {:>9.1f} M{}/s  {}\n", what, v / 1e6, unit, ratio);
    };
    fmt::print("cpu_bench: quantum {} us, best of {} runs, host CPU time\n", quantum_us, kRuns);
    fmt::print("{:<52} {:>9.1f} Mreads/s\n", "bare initiator -> memory, b_transport",
               bare_bt / 1e6);
    fmt::print("{:<52} {:>9.1f} Mreads/s\n", "bare initiator -> memory, DMI", bare_dmi / 1e6);
    row("functional:  4 MB scan x64, 4 KB pages", func.scan_pages, "loads", bare_dmi,
        "of bare DMI");
    row("functional:  4 MB scan x64, 1 MB sections", func.scan_sections, "loads", bare_dmi,
        "of bare DMI");
    row("approximate: 4 MB scan x64, 4 KB pages", approx.scan_pages, "loads", bare_bt,
        "of bare b_transport");
    row("approximate: 4 MB scan x64, 1 MB sections", approx.scan_sections, "loads", bare_bt,
        "of bare b_transport");
    row("functional:  TLB thrash, 1 load per 4 KB page / 64 MB", func.walks, "walks", bare_bt,
        "of bare b_transport");
    row("approximate: TLB thrash, 1 load per 4 KB page / 64 MB", approx.walks, "walks", bare_bt,
        "of bare b_transport");
    fmt::print(
        "goals: functional scan >= 490 M loads/s (QEMU 7.2 on this machine); approximate scan "
        ">= 0.5x bare b_transport; >= 10 M walks/s   (checksum {:#x})\n",
        (func.checksum ^ approx.checksum ^ bare.checksum) & 0xFFFF);
    return 0;
}
