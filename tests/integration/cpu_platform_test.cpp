// The Cortex-A8 model on the real interconnect: CortexA8 → TransactionMonitor → vp::Router
// (am335x_domains) → vp::Memory regions standing in for DDR (0x80000000) and an L4_PER
// peripheral window (GPIO1, 0x4804C000).
//
// Expected values:
//  - walk addresses: DDI 0406C B3.5.4/B3.5.5 (L1 at TTBR | VA[31:20] << 2, L2 at
//    L1desc[31:10] | VA[19:12] << 2), one 32-bit read per descriptor;
//  - timing composes the documented parameters: the router's path latency (docs/models/
//    router.md), the memory's fixed latency, and the cache model's latencies (docs/models/
//    cache.md: L1-D hit 3 cycles, L2 hit 3 + 8, walk overhead 8);
//  - the 24-cycle page walk whose descriptors hit L2: Cortex-A8 TRM cycle timing
//    (mmu-tlb.md §5.3);
//  - the A8 never walks through L1-D (A8 TRM §3.2.31 note; mmu-tlb.md §5.2).
#define BOOST_TEST_MODULE cpu_platform
#include <boost/test/unit_test.hpp>

#include <systemc>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/descriptor.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "sw/hal/cpu.h"
#include "tests/support/sim_context.h"

using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

constexpr uint32_t kDdr = 0x80000000u;
constexpr uint32_t kDdrSize = 64u << 20;
constexpr uint32_t kGpio1 = 0x4804C000u;
constexpr uint32_t kGpioSize = 0x1000u;
const sc_time kDdrLatency(50, SC_NS);
const sc_time kGpioLatency(20, SC_NS);

constexpr uint32_t kTtb = kDdr + 0x4000;
constexpr uint32_t kL2 = kDdr + 0x8000;
constexpr uint32_t kData = kDdr + 0x200000;
constexpr uint32_t kGpioVa = 0xFA04C000u;

// L1-D geometry of the defaults (32 KB, 4-way, 64-byte lines): lines 8 KB apart share a set.
constexpr uint32_t kL1SetStride = 32 * 1024 / 4;
constexpr uint64_t kL1HitCycles = 3;
constexpr uint64_t kL2HitCycles = 3 + 8;
constexpr uint64_t kWalkOverhead = 8;
constexpr uint64_t kL2Latency = 8;

struct TraceCounter : vp::TraceSink {
    unsigned n = 0;
    void on_transaction(const vp::TraceEvent&) override { ++n; }
};

struct Soc {
    vp::CortexA8 cpu;
    vp::TransactionMonitor mon{"mon"};
    vp::Router bus{"bus"};
    vp::Memory ddr{"ddr", vp::MemoryParams{kDdrSize, kDdrLatency, kDdrLatency, false, "ddr"}};
    vp::Memory gpio{"gpio1",
                    vp::MemoryParams{kGpioSize, kGpioLatency, kGpioLatency, false, "gpio1"}};
    explicit Soc(const vp::CortexA8Params& p) : cpu("cpu", p) {
        for (const auto& d : vp::am335x_domains())
            bus.add_domain(d);
        bus.map({"ddr", kDdr, kDdrSize, vp::kDomainL3F}, ddr.socket);
        bus.map({"gpio1", kGpio1, kGpioSize, vp::kDomainL4Per}, gpio.socket);
        cpu.socket.bind(mon.target);
        mon.initiator.bind(bus.in);
        bus.name_initiator(0, "cpu");
    }
    void run(std::function<void(hal::Cpu&)> g) {
        cpu.set_entry(std::move(g));
        sc_core::sc_start();
    }
    uint64_t cycles_of(const sc_time& t) const {  // core cycles of a latency, rounded up
        return static_cast<uint64_t>(std::ceil(t.to_seconds() * cpu.clock_hz() - 1e-9));
    }
    std::vector<vp::TransactionMonitor::Record> bus_records() const {
        std::vector<vp::TransactionMonitor::Record> out;
        for (const auto& r : mon.records())
            if (!r.debug) out.push_back(r);
        return out;
    }
    void poke32(uint32_t pa, uint32_t v) { std::memcpy(ddr.host_ptr() + (pa - kDdr), &v, 4); }
};

double stat(const std::string& name) {
    const vp::stats::StatBase* s = vp::stats::Registry::global().find(name);
    BOOST_REQUIRE_MESSAGE(s, "no statistic " + name);
    return s->value();
}

namespace c15 = vp::mmu::cp15reg;
void mcr(hal::Cpu& c, vp::mmu::Cp15Reg r, uint32_t v) {
    c.mcr(r.crn, r.opc1, r.crm, r.opc2, v);
}
uint32_t mrc(hal::Cpu& c, vp::mmu::Cp15Reg r) {
    return c.mrc(r.crn, r.opc1, r.crm, r.opc2);
}

using namespace vp::mmu;
// DDI 0406C B3.5.1. Normal memory TEX:C:B = 001:1:1 (write-back, write-allocate, TRE = 0);
// Device TEX:C:B = 000:0:1; AP[1:0] = 01 (PL1 read/write).
uint32_t section(uint32_t pa, bool device) {
    uint32_t v = (pa & l1desc::SECTION_BASE_MASK) | l1desc::TYPE_SECTION | (1u << l1desc::AP_SHIFT);
    return device ? v | l1desc::B | l1desc::XN
                  : v | (1u << l1desc::TEX_SHIFT) | l1desc::C | l1desc::B;
}
uint32_t page_table(uint32_t l2) {
    return (l2 & l1desc::PT_BASE_MASK) | l1desc::TYPE_PAGE_TABLE;
}
uint32_t small_page(uint32_t pa) {
    return (pa & l2desc::SMALL_BASE_MASK) | l2desc::SMALL_BIT | (1u << l2desc::AP_SHIFT) |
           (1u << l2desc::SMALL_TEX_SHIFT) | l2desc::C | l2desc::B;
}
uint32_t l1_addr(uint32_t va) {
    return kTtb | ((va >> 20) << 2);
}
uint32_t l2_addr(uint32_t l1, uint32_t va) {
    return (l1 & 0xFFFFFC00u) | (((va >> 12) & 0xFF) << 2);
}

// Page tables written by the test bench straight into DDR (as a boot loader would leave them).
void build_tables(Soc& s) {
    for (uint32_t mb = 0; mb < 8; ++mb)
        s.poke32(l1_addr(kDdr + (mb << 20)), section(kDdr + (mb << 20), false));
    s.poke32(l1_addr(kGpioVa), section(kGpio1 & 0xFFF00000u, true));
    s.poke32(l1_addr(0xD0000000u), page_table(kL2));
    for (uint32_t i = 0; i < 16; ++i)
        s.poke32(l2_addr(page_table(kL2), 0xD0000000u + (i << 12)), small_page(kData + (i << 12)));
}

// Linux-like MMU and cache enable: cacheable walks (TTBR0.C, RGN = write-back), domains client,
// SCTLR M, C, I (+ RR for a deterministic L1 victim in the tests), TLBs invalidated.
void enable(hal::Cpu& c, bool cacheable_walks = true) {
    mcr(c, c15::TTBR0,
        kTtb | (cacheable_walks ? (ttbr::C | (ttbr::RGN_WB_WA << ttbr::RGN_SHIFT)) : 0));
    mcr(c, c15::DACR, 0x55555555u);
    mcr(c, c15::SCTLR, mrc(c, c15::SCTLR) | sctlr::M | sctlr::C | sctlr::I | sctlr::RR);
    mcr(c, c15::TLBIALL, 0);
}

vp::CortexA8Params approximate() {
    vp::CortexA8Params p;
    p.mode = vp::TimingMode::approximate;
    return p;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(walker_reads_go_through_the_router_address_by_address, vp::test::FreshSim) {
    Soc s(vp::CortexA8Params{});
    constexpr uint32_t va = 0xD0007ABCu;
    s.poke32(kData + 0x7ABC, 0x77777777u);
    uint32_t v = 0;
    std::vector<vp::TransactionMonitor::Record> bus;
    build_tables(s);
    s.run([&](hal::Cpu& c) {
        enable(c);
        s.mon.clear();
        v = c.load32(va);
        bus = s.bus_records();
    });
    BOOST_TEST(s.cpu.exit_status().ok());
    BOOST_TEST(v == 0x77777777u);
    BOOST_REQUIRE(bus.size() == 2u);
    BOOST_TEST(bus[0].address == l1_addr(va));
    BOOST_TEST(bus[0].length == 4u);
    BOOST_TEST(bus[0].value() == page_table(kL2));
    BOOST_TEST(bus[1].address == l2_addr(page_table(kL2), va));
    BOOST_TEST(bus[1].length == 4u);
    BOOST_TEST(bus[1].value() == small_page(kData + 0x7000));
    // Each read pays the L3F path and the memory (the functional walk cost is fixed, but the
    // bus annotates its real latency on the transaction).
    const sc_time ddr_path = s.bus.path_latency(vp::kDomainL3F) + kDdrLatency;
    BOOST_TEST(bus[0].latency == ddr_path);
    BOOST_TEST(s.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(approximate_cache_hit_miss_sequence, vp::test::FreshSim) {
    Soc s(approximate());
    build_tables(s);
    const uint64_t mem = s.cycles_of(s.bus.path_latency(vp::kDomainL3F) + kDdrLatency);
    uint64_t miss = 0, hit = 0, l2hit = 0;
    std::vector<vp::TransactionMonitor::Record> fill, after;
    constexpr uint32_t a = kData + 0x40;  // identity-mapped by a section
    s.run([&](hal::Cpu& c) {
        enable(c);
        (void)c.load32(kData + 0x800);  // the walk for the section of kData first (another set)
        s.mon.clear();
        uint64_t t = c.cycles();
        (void)c.load32(a);  // L1 miss, L2 miss: one line fill from DDR
        miss = c.cycles() - t;
        fill = s.bus_records();
        s.mon.clear();
        t = c.cycles();
        (void)c.load32(a + 4);  // same line: L1 hit, no bus transaction
        hit = c.cycles() - t;
        // Four more lines in the same L1 set evict `a` (SCTLR.RR: round-robin victim) but
        // stay far from filling an L2 set (8 ways, 512 sets).
        for (uint32_t k = 1; k <= 4; ++k)
            (void)c.load32(a + k * kL1SetStride);
        s.mon.clear();
        t = c.cycles();
        (void)c.load32(a);  // L1 miss, L2 hit
        l2hit = c.cycles() - t;
        after = s.bus_records();
    });
    BOOST_TEST(s.cpu.exit_status().ok());
    BOOST_REQUIRE(fill.size() == 1u);
    BOOST_TEST(fill[0].address == (a & ~63u));  // the whole 64-byte line
    BOOST_TEST(fill[0].length == 64u);
    BOOST_TEST(miss == kL2HitCycles + mem);
    BOOST_TEST(hit == kL1HitCycles);
    BOOST_TEST(l2hit == kL2HitCycles);
    BOOST_TEST(after.empty());
    BOOST_TEST(stat("cpu.l1d.hits") == 1);
    BOOST_TEST(stat("cpu.l1d.misses") == 7);  // section walk load, a, 4 conflicting lines, a
    BOOST_TEST(stat("cpu.line_fills") == 6);
}

BOOST_FIXTURE_TEST_CASE(page_walk_with_descriptors_in_l2_costs_24_cycles, vp::test::FreshSim) {
    Soc s(approximate());
    build_tables(s);
    constexpr uint32_t va = 0xD0003000u;
    // A 4-byte descriptor read from DDR through L3F.
    const uint64_t mem = s.cycles_of(s.bus.path_latency(vp::kDomainL3F) + kDdrLatency);
    uint64_t cold = 0, warm = 0;
    double l1d_accesses = 0;
    std::vector<vp::TransactionMonitor::Record> cold_bus, warm_bus;
    s.run([&](hal::Cpu& c) {
        enable(c);
        (void)c.load32(kDdr);  // the walk for the identity section (descriptor line into L2)
        s.mon.clear();
        double w0 = stat("cpu.walker.walk_cycles");
        (void)c.load32(va);  // both descriptors miss L2: each is read from DDR
        cold = static_cast<uint64_t>(stat("cpu.walker.walk_cycles") - w0);
        cold_bus = s.bus_records();
        mcr(c, c15::TLBIALL, 0);
        s.mon.clear();
        const double a0 = stat("cpu.l1d.accesses");
        w0 = stat("cpu.walker.walk_cycles");
        (void)c.load32(va + 0x1000);  // L1 descriptor and L2 descriptor lines now in L2
        warm = static_cast<uint64_t>(stat("cpu.walker.walk_cycles") - w0);
        l1d_accesses = stat("cpu.l1d.accesses") - a0;
        warm_bus = s.bus_records();
    });
    BOOST_TEST(s.cpu.exit_status().ok());
    BOOST_TEST(cold == kWalkOverhead + 2 * (kL2Latency + mem));
    BOOST_TEST(warm == 24u);        // A8 TRM: a D-TLB miss whose descriptors hit L2 = 24 cycles
    BOOST_TEST(l1d_accesses == 1);  // only the load itself: walks never look up L1-D
    // Every descriptor read is still one 32-bit transaction on the bus (its data), in order.
    BOOST_REQUIRE(cold_bus.size() >= 2u);
    BOOST_TEST(cold_bus[0].address == l1_addr(va));
    BOOST_TEST(cold_bus[0].length == 4u);
    BOOST_TEST(cold_bus[1].address == l2_addr(page_table(kL2), va));
    BOOST_REQUIRE(warm_bus.size() >= 2u);
    BOOST_TEST(warm_bus[0].address == l1_addr(va + 0x1000));
    BOOST_TEST(warm_bus[1].address == l2_addr(page_table(kL2), va + 0x1000));
    BOOST_TEST(warm_bus[1].length == 4u);
}

BOOST_FIXTURE_TEST_CASE(non_cacheable_walk_goes_to_memory, vp::test::FreshSim) {
    Soc s(approximate());
    build_tables(s);
    const uint64_t mem = s.cycles_of(s.bus.path_latency(vp::kDomainL3F) + kDdrLatency);
    uint64_t walk = 0;
    double l2_accesses = 0;
    s.run([&](hal::Cpu& c) {
        enable(c, /*cacheable_walks=*/false);  // TTBR0.C = 0: walks bypass L2
        (void)c.load32(kDdr);
        mcr(c, c15::TLBIALL, 0);
        const double w0 = stat("cpu.walker.walk_cycles");
        const double a0 = stat("cpu.l2.accesses");
        mcr(c, c15::ATS1CPR, 0xD0004000u);  // a translation with no data access
        walk = static_cast<uint64_t>(stat("cpu.walker.walk_cycles") - w0);
        l2_accesses = stat("cpu.l2.accesses") - a0;
    });
    BOOST_TEST(walk == kWalkOverhead + 2 * mem);
    BOOST_TEST(l2_accesses == 0);
    // PAR: PA[31:12] of the page, Inner = Outer = write-back write-allocate (B4.1.111).
    BOOST_TEST((s.cpu.cp15_reg("PAR") & 0xFFFFF000u) == kData + 0x4000);
    BOOST_TEST((s.cpu.cp15_reg("PAR") & 1u) == 0u);
}

BOOST_FIXTURE_TEST_CASE(device_register_through_l4_is_never_cached, vp::test::FreshSim) {
    Soc s(approximate());
    build_tables(s);
    const uint64_t l4 = s.cycles_of(s.bus.path_latency(vp::kDomainL4Per) + kGpioLatency);
    uint64_t read = 0;
    double l1d = 0;
    unsigned transactions = 0;
    s.run([&](hal::Cpu& c) {
        enable(c);
        c.store32(kGpioVa + 0x13C, 0x00200000u);  // GPIO_DATAOUT, warms the TLB
        s.mon.clear();
        const double a0 = stat("cpu.l1d.accesses");
        const uint64_t t = c.cycles();
        for (int i = 0; i < 4; ++i)
            (void)c.load32(kGpioVa + 0x13C);
        read = (c.cycles() - t) / 4;
        l1d = stat("cpu.l1d.accesses") - a0;
        transactions = static_cast<unsigned>(s.bus_records().size());
    });
    BOOST_TEST(read == l4);  // about 170 ns at 1 GHz (am335x.md §16) plus the register
    BOOST_TEST(l1d == 0);
    BOOST_TEST(transactions == 4u);
}

BOOST_FIXTURE_TEST_CASE(router_tracing_invalidates_dmi_and_the_fast_path, vp::test::FreshSim) {
    Soc s(vp::CortexA8Params{});
    build_tables(s);
    TraceCounter trace;
    unsigned before = 0, after = 0, traced = 0;
    uint32_t v = 0;
    s.poke32(kData + 0x10, 0x12345678u);
    s.run([&](hal::Cpu& c) {
        enable(c);
        (void)c.load32(kData + 0x10);
        (void)c.load32(kData + 0x14);
        before = s.cpu.fast_path_entries();
        s.bus.set_trace_sink(&trace);  // refuses DMI and invalidates what was granted
        after = s.cpu.fast_path_entries();
        for (int i = 0; i < 10; ++i)
            v = c.load32(kData + 0x10);
        traced = trace.n;
    });
    BOOST_TEST(before >= 1u);
    BOOST_TEST(after == 0u);
    BOOST_TEST(v == 0x12345678u);
    BOOST_TEST(traced == 10u);  // every load now shows in the trace
    BOOST_TEST(stat("cpu.dmi_invalidations") >= 1);
}
