#define BOOST_TEST_MODULE router
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/interconnect/router.h"
#include "tests/support/sim_context.h"

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

// --- test components ------------------------------------------------------------------

// A target that records the (local) addresses it sees and returns its local address as
// read data, so a test can tell which region and offset a transaction reached.
struct Probe : sc_core::sc_module {
    tlm_utils::simple_target_socket<Probe> socket;
    std::vector<uint64_t> seen;
    uint64_t size;

    Probe(sc_core::sc_module_name n, uint64_t sz) : sc_module(n), socket("socket"), size(sz) {
        socket.register_b_transport(this, &Probe::b_transport);
        socket.register_transport_dbg(this, &Probe::transport_dbg);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time&) {
        seen.push_back(p.get_address());
        if (p.is_read()) vp::store_le(p.get_data_ptr(), p.get_address(), p.get_data_length());
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& p) {
        if (p.get_address() >= size) return 0;
        const unsigned n =
            static_cast<unsigned>(std::min<uint64_t>(p.get_data_length(), size - p.get_address()));
        if (p.is_read()) vp::store_le(p.get_data_ptr(), p.get_address(), n);
        return n;
    }
};

// A RAM with debug transport and DMI. `grant_start`/`grant_end` (local, inclusive) is the
// range it grants; by default its whole window.
struct Ram : sc_core::sc_module {
    tlm_utils::simple_target_socket<Ram> socket;
    std::vector<uint8_t> mem;
    uint64_t grant_start = 0;
    uint64_t grant_end;
    sc_time latency;
    sc_time dmi_latency = sc_time(10, SC_NS);

    Ram(sc_core::sc_module_name n, uint64_t size, sc_time lat = SC_ZERO_TIME)
        : sc_module(n), socket("socket"), mem(size, 0), grant_end(size - 1), latency(lat) {
        socket.register_b_transport(this, &Ram::b_transport);
        socket.register_transport_dbg(this, &Ram::transport_dbg);
        socket.register_get_direct_mem_ptr(this, &Ram::get_direct_mem_ptr);
        for (size_t i = 0; i < mem.size(); ++i)
            mem[i] = static_cast<uint8_t>(i * 7 + 3);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
        const uint64_t a = p.get_address();
        const unsigned len = p.get_data_length();
        if (a + len > mem.size()) {
            p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (p.is_read()) std::memcpy(p.get_data_ptr(), &mem[a], len);
        if (p.is_write()) std::memcpy(&mem[a], p.get_data_ptr(), len);
        delay += latency;
        p.set_dmi_allowed(true);
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& p) {
        const uint64_t a = p.get_address();
        if (a >= mem.size()) return 0;
        const unsigned n =
            static_cast<unsigned>(std::min<uint64_t>(p.get_data_length(), mem.size() - a));
        if (p.is_read()) std::memcpy(p.get_data_ptr(), &mem[a], n);
        if (p.is_write()) std::memcpy(&mem[a], p.get_data_ptr(), n);
        return n;
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        dmi.set_dmi_ptr(mem.data() + grant_start);
        dmi.set_start_address(grant_start);
        dmi.set_end_address(grant_end);
        dmi.allow_read_write();
        dmi.set_read_latency(dmi_latency);
        dmi.set_write_latency(dmi_latency);
        return true;
    }
};

struct Access {
    tlm::tlm_response_status response;
    uint64_t value;
    sc_time latency;
};

// An initiator that records the DMI invalidations it receives.
struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    std::vector<std::pair<uint64_t, uint64_t>> invalidations;

    explicit Initiator(sc_core::sc_module_name n) : sc_module(n), socket("socket") {
        socket.register_invalidate_direct_mem_ptr(this, &Initiator::invalidate);
    }
    void invalidate(sc_dt::uint64 s, sc_dt::uint64 e) { invalidations.emplace_back(s, e); }

    Access access(tlm::tlm_command cmd, uint64_t addr, unsigned len, uint64_t value = 0,
                  sc_time delay = SC_ZERO_TIME) {
        uint8_t buf[8] = {};
        vp::store_le(buf, value, len);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, buf, len);
        const sc_time in = delay;
        socket->b_transport(p, delay);
        BOOST_CHECK_EQUAL(p.get_address(), addr);  // the router restores the address
        return {p.get_response_status(), vp::load_le(buf, len), delay - in};
    }
    Access read(uint64_t addr, unsigned len = 4, sc_time delay = SC_ZERO_TIME) {
        return access(tlm::TLM_READ_COMMAND, addr, len, 0, delay);
    }
    Access write(uint64_t addr, uint64_t v, unsigned len = 4, sc_time delay = SC_ZERO_TIME) {
        return access(tlm::TLM_WRITE_COMMAND, addr, len, v, delay);
    }
};

// An initiator port of the router with a transaction monitor in front of it.
struct Port {
    Initiator ini;
    vp::TransactionMonitor mon;
    Port(const std::string& name, vp::Router& bus)
        : ini((name + "_ini").c_str()), mon((name + "_mon").c_str()) {
        ini.socket.bind(mon.target);
        mon.initiator.bind(bus.in);
    }
};

// Captures report messages (vp::Logger writes through sc_report_handler).
struct LogCapture {
    static std::vector<std::string>& messages() {
        static std::vector<std::string> m;
        return m;
    }
    static void handler(const sc_core::sc_report& r, const sc_core::sc_actions&) {
        messages().push_back(std::string(r.get_msg_type()) + ": " + r.get_msg());
    }
    LogCapture() {
        messages().clear();
        sc_core::sc_report_handler::set_handler(&LogCapture::handler);
    }
    ~LogCapture() {
        sc_core::sc_report_handler::set_handler(sc_core::sc_report_handler::default_handler);
    }
    static size_t count(const std::string& needle) {
        return static_cast<size_t>(
            std::count_if(messages().begin(), messages().end(),
                          [&](const std::string& s) { return s.find(needle) != s.npos; }));
    }
};

double stat(const std::string& name) {
    auto* s = vp::stats::Registry::global().find(name);
    BOOST_REQUIRE_MESSAGE(s, "statistic " << name << " exists");
    return s->value();
}

void elaborate() {
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                            sc_core::SC_DO_NOTHING);
    sc_core::sc_start(SC_ZERO_TIME);
}

// Clock rates from SPRUH73 / reference am335x.md §12: L3F 200 MHz, L3S and L4 100 MHz.
const sc_time kL3fPeriod(5, SC_NS);
const sc_time kL4Period(10, SC_NS);

// A small domain tree with explicit cycle counts, so expected latencies follow from the
// brief's definition: latency = sum over the path of hop_cycles x period. Without
// occupancy, back-to-back accesses at the same time do not contend.
vp::RouterParams test_params(bool occupancy = true) {
    const unsigned o1 = occupancy ? 1 : 0, o2 = occupancy ? 2 : 0;
    vp::RouterParams p;
    p.domains = {
        {"l3f", "", kL3fPeriod, 26, o1},       {"l3s", "l3f", kL4Period, 2, o1},
        {"l4_per", "l3s", kL4Period, 2, o2},   {"l4_wkup", "l3s", kL4Period, 4, o2},
        {"l4_fast", "l3f", kL3fPeriod, 2, o2},
    };
    return p;
}

// A part of the AM335x memory map (reference am335x.md §1.1–1.3, SPRUH73 §2.1).
const std::vector<vp::RegionParams> kMap = {
    {"boot_rom", 0x40000000, 0x2C000, "l3f"},  // 176 KB
    {"sram", 0x402F0000, 0x10000, "l3f"},      // 64 KB internal SRAM
    {"ocmc", 0x40300000, 0x10000, "l3f"},      // 64 KB L3 OCMC0
    {"cm_per", 0x44E00000, 0x400, "l4_wkup"},
    {"gpio0", 0x44E07000, 0x1000, "l4_wkup"},
    {"uart0", 0x44E09000, 0x1000, "l4_wkup"},
    {"i2c0", 0x44E0B000, 0x1000, "l4_wkup"},
    {"uart1", 0x48022000, 0x1000, "l4_per"},
    {"dmtimer2", 0x48040000, 0x1000, "l4_per"},
    {"gpio1", 0x4804C000, 0x1000, "l4_per"},
    {"intc", 0x48200000, 0x1000, "l4_per"},
    {"gpio3", 0x481AE000, 0x1000, "l4_per"},
    {"cpsw", 0x4A100000, 0x8000, "l4_fast"},
    {"emif0", 0x4C000000, 0x1000000, "l3f"},
    {"ddr", 0x80000000, 0x40000000, "l3f"},  // 1 GB EMIF0 SDRAM window
};

}  // namespace

// ---------------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(decodes_every_region_of_a_map, vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    std::vector<std::unique_ptr<Probe>> probes;
    for (const auto& r : kMap) {
        probes.push_back(std::make_unique<Probe>(r.name.c_str(), r.size));
        bus->map(r, probes.back()->socket);
    }
    Port cpu("cpu", *bus);
    bus->name_initiator(0, "cpu");
    elaborate();

    for (size_t i = 0; i < kMap.size(); ++i) {
        const auto& r = kMap[i];
        // First and last word of the region: the target sees region-relative offsets.
        auto first = cpu.ini.read(r.base);
        auto last = cpu.ini.read(r.base + r.size - 4);
        BOOST_TEST_CONTEXT(r.name) {
            BOOST_CHECK(first.response == tlm::TLM_OK_RESPONSE);
            BOOST_CHECK(last.response == tlm::TLM_OK_RESPONSE);
            BOOST_CHECK_EQUAL(first.value, 0u);
            BOOST_CHECK_EQUAL(last.value, r.size - 4);
            BOOST_REQUIRE_EQUAL(probes[i]->seen.size(), 2u);
            BOOST_CHECK_EQUAL(probes[i]->seen[0], 0u);
            BOOST_CHECK_EQUAL(probes[i]->seen[1], r.size - 4);
            BOOST_CHECK_EQUAL(bus->region_at(r.base), r.name);
            BOOST_CHECK_EQUAL(bus->region_at(r.base + r.size - 1), r.name);
            BOOST_CHECK_EQUAL(stat("interconnect.region." + r.name + ".reads"), 2.0);
            BOOST_CHECK_EQUAL(stat("interconnect.region." + r.name + ".writes"), 0.0);
        }
    }
    // Writes are counted per region too.
    BOOST_CHECK(cpu.ini.write(0x4804C134, 0xFFFFFFFF).response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(probes[9]->seen.back(), 0x134u);  // gpio1 OE, am335x.md §4
    BOOST_CHECK_EQUAL(stat("interconnect.region.gpio1.writes"), 1.0);
    BOOST_CHECK_EQUAL(stat("interconnect.transactions"), 2.0 * kMap.size() + 1);
    BOOST_CHECK_EQUAL(stat("interconnect.decode_errors"), 0.0);
    // The monitor saw global addresses only.
    BOOST_CHECK_EQUAL(cpu.mon.records().front().address, kMap.front().base);
    BOOST_CHECK(cpu.mon.violations().empty());

    // memory_map(): one line per region, sorted by address, with domain and latency.
    const std::string mm = bus->memory_map();
    BOOST_CHECK(mm.find("gpio1") != mm.npos);
    BOOST_CHECK(mm.find("0x4804c000") != mm.npos);
    BOOST_CHECK(mm.find("0x4804cfff") != mm.npos);
    BOOST_CHECK(mm.find("l4_per") != mm.npos);
    BOOST_CHECK_LT(mm.find("boot_rom"), mm.find("ddr"));
    const auto regions = bus->regions();
    BOOST_REQUIRE_EQUAL(regions.size(), kMap.size());
    BOOST_CHECK(std::is_sorted(regions.begin(), regions.end(),
                               [](const auto& a, const auto& b) { return a.base < b.base; }));
}

BOOST_FIXTURE_TEST_CASE(decode_errors_are_address_errors_logged_once_per_hole, vp::test::FreshSim) {
    LogCapture capture;
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Probe gpio1("gpio1", 0x1000), intc("intc", 0x1000);
    bus->map({"gpio1", 0x4804C000, 0x1000, "l4_per"}, gpio1.socket);
    bus->map({"intc", 0x48200000, 0x1000, "l4_per"}, intc.socket);
    Port cpu("cpu", *bus);
    bus->name_initiator(0, "cpu");
    elaborate();

    // SPRUH73 §10.1.2.3: the L3 returns an address-hole error for an address with no target.
    BOOST_CHECK(cpu.ini.read(0x4804D000).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(cpu.ini.write(0x48100000, 1).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(cpu.ini.read(0x00000000).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(cpu.ini.read(0x80000000).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(cpu.ini.read(0x80000004).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // An access running past a region's end is refused as well (not split).
    BOOST_CHECK(cpu.ini.read(0x4804CFFC, 8).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(gpio1.seen.empty());
    BOOST_CHECK(intc.seen.empty());

    BOOST_CHECK_EQUAL(stat("interconnect.decode_errors"), 6.0);
    BOOST_CHECK_EQUAL(stat("interconnect.transactions"), 6.0);
    // Three holes hit (between the two, below gpio1, above intc) + one crossing: 4 lines.
    BOOST_CHECK_EQUAL(LogCapture::count("bus:"), 4u);
    BOOST_CHECK_EQUAL(LogCapture::count("between 'gpio1' and 'intc'"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("below 'gpio1'"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("above 'intc'"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("crosses the end of region 'gpio1'"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("cpu:"), 4u);  // messages name the initiator
    BOOST_CHECK(cpu.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(latency_is_the_sum_of_hops_along_the_path, vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params(false));
    Probe ocmc("ocmc", 0x10000), gpio0("gpio0", 0x1000), gpio1("gpio1", 0x1000),
        cpsw("cpsw", 0x8000);
    bus->map({"ocmc", 0x40300000, 0x10000, "l3f"}, ocmc.socket);
    bus->map({"gpio0", 0x44E07000, 0x1000, "l4_wkup"}, gpio0.socket);
    bus->map({"gpio1", 0x4804C000, 0x1000, "l4_per"}, gpio1.socket);
    bus->map({"cpsw", 0x4A100000, 0x8000, "l4_fast"}, cpsw.socket);
    Port cpu("cpu", *bus);
    Port pru("pru", *bus);
    bus->set_initiator_domain(1, "l4_fast");
    elaborate();

    // Root initiator: l3f → … → target domain.
    BOOST_CHECK_EQUAL(cpu.ini.read(0x40300000).latency, 26 * kL3fPeriod);
    BOOST_CHECK_EQUAL(cpu.ini.read(0x44E07000).latency,
                      26 * kL3fPeriod + 2 * kL4Period + 4 * kL4Period);
    BOOST_CHECK_EQUAL(cpu.ini.read(0x4804C000).latency,
                      26 * kL3fPeriod + 2 * kL4Period + 2 * kL4Period);
    BOOST_CHECK_EQUAL(cpu.ini.read(0x4A100000).latency, 26 * kL3fPeriod + 2 * kL3fPeriod);
    BOOST_CHECK_EQUAL(bus->path_latency("l4_per"), 26 * kL3fPeriod + 4 * kL4Period);
    // An initiator on l4_fast: l4_fast → l3f → l3s → l4_per, and l4_fast alone to cpsw.
    BOOST_CHECK_EQUAL(pru.ini.read(0x4804C000).latency,
                      2 * kL3fPeriod + 26 * kL3fPeriod + 2 * kL4Period + 2 * kL4Period);
    BOOST_CHECK_EQUAL(pru.ini.read(0x4A100000).latency, 2 * kL3fPeriod);
    // The router adds to the incoming delay (temporal decoupling), it does not replace it.
    BOOST_CHECK_EQUAL(cpu.ini.read(0x40300000, 4, sc_time(1, sc_core::SC_US)).latency,
                      26 * kL3fPeriod);
    // Per-domain transaction counts: l3f was crossed by all but the pru→cpsw access.
    BOOST_CHECK_EQUAL(stat("interconnect.l3f.transactions"), 6.0);
    BOOST_CHECK_EQUAL(stat("interconnect.l4_per.transactions"), 2.0);
    BOOST_CHECK_EQUAL(stat("interconnect.l4_fast.transactions"), 3.0);
    BOOST_CHECK(cpu.mon.violations().empty());
    BOOST_CHECK(pru.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(default_am335x_domains_match_the_pru_measurements, vp::test::FreshSim) {
    vp::RouterParams p;
    p.domains = vp::am335x_domains();
    vp::Router bus("bus", p);
    // am335x.md §16 (TI wiki "AM335x PRU Read Latencies"): L4_PER 170 ns, L4_WKUP 190 ns,
    // OCMC 135 ns. Hops are whole cycles of 5 ns (L3F) and 10 ns (L3S/L4): L4_PER and
    // L4_WKUP are met exactly, OCMC lands 5 ns short (130 ns, docs/models/router.md).
    BOOST_CHECK_EQUAL(bus.path_latency(vp::kDomainL4Per), sc_time(170, SC_NS));
    BOOST_CHECK_EQUAL(bus.path_latency(vp::kDomainL4Wkup), sc_time(190, SC_NS));
    const double ocmc_ns = bus.path_latency(vp::kDomainL3F).to_seconds() * 1e9;
    BOOST_CHECK_CLOSE(ocmc_ns, 135.0, 4.0);  // within 4 %
    // Topology, SPRUH73 §10.1.2.2: L4_PER and L4_WKUP are L3S targets; L4_FAST is an L3F
    // target. So both L4s pay the L3S hop, L4_FAST does not.
    BOOST_CHECK_GT(bus.path_latency(vp::kDomainL4Per), bus.path_latency(vp::kDomainL3S));
    BOOST_CHECK_GT(bus.path_latency(vp::kDomainL4Wkup), bus.path_latency(vp::kDomainL3S));
    BOOST_CHECK_LT(bus.path_latency(vp::kDomainL4Fast), bus.path_latency(vp::kDomainL3S));
}

BOOST_FIXTURE_TEST_CASE(contention_delays_the_second_initiator_by_the_occupancy,
                        vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Probe ocmc("ocmc", 0x10000), gpio1("gpio1", 0x1000);
    bus->map({"ocmc", 0x40300000, 0x10000, "l3f"}, ocmc.socket);
    bus->map({"gpio1", 0x4804C000, 0x1000, "l4_per"}, gpio1.socket);
    Port cpu("cpu", *bus);
    Port dma("dma", *bus);
    bus->name_initiator(0, "cpu");
    bus->name_initiator(1, "tptc0");
    elaborate();
    const sc_time path_ocmc = 26 * kL3fPeriod;
    const sc_time path_gpio = 26 * kL3fPeriod + 4 * kL4Period;

    // Alone: no wait.
    BOOST_CHECK_EQUAL(cpu.ini.read(0x40300000).latency, path_ocmc);
    BOOST_CHECK_EQUAL(stat("interconnect.l3f.contention_ns"), 0.0);

    // Same domain (l3f only), same time: the second waits exactly one l3f occupancy.
    const sc_time t1(1, sc_core::SC_US);
    BOOST_CHECK_EQUAL(cpu.ini.read(0x40300000, 4, t1).latency, path_ocmc);
    BOOST_CHECK_EQUAL(dma.ini.read(0x40300010, 4, t1).latency, path_ocmc + 1 * kL3fPeriod);
    BOOST_CHECK_EQUAL(stat("interconnect.l3f.contention_ns"), 5.0);
    // A third at the same time queues behind both.
    BOOST_CHECK_EQUAL(cpu.ini.read(0x40300020, 4, t1).latency, path_ocmc + 2 * kL3fPeriod);
    BOOST_CHECK_EQUAL(stat("interconnect.l3f.contention_ns"), 15.0);
    // Once the busy period is over, no wait again.
    BOOST_CHECK_EQUAL(dma.ini.read(0x40300000, 4, t1 + 3 * kL3fPeriod).latency, path_ocmc);

    // Across l3f → l3s → l4_per the domains pipeline: the second is held back by the
    // slowest stage, the l4_per occupancy (2 cycles of 10 ns).
    const sc_time t2(2, sc_core::SC_US);
    BOOST_CHECK_EQUAL(cpu.ini.read(0x4804C000, 4, t2).latency, path_gpio);
    BOOST_CHECK_EQUAL(dma.ini.write(0x4804C004, 1, 4, t2).latency, path_gpio + 2 * kL4Period);
    // The wait is split over the stages: 5 ns at l3f, 5 ns at l3s, 10 ns at l4_per.
    BOOST_CHECK_EQUAL(stat("interconnect.l3s.contention_ns"), 5.0);
    BOOST_CHECK_EQUAL(stat("interconnect.l4_per.contention_ns"), 10.0);

    // An access stamped before the current busy period (an initiator lagging behind in
    // decoupled time) went first: it is not delayed.
    BOOST_CHECK_EQUAL(cpu.ini.read(0x40300000, 4, t1).latency, path_ocmc);
    BOOST_CHECK(cpu.mon.violations().empty());
    BOOST_CHECK(dma.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(dmi_is_translated_and_clipped_with_inclusive_end, vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Ram ocmc("ocmc", 0x10000);
    Ram sram("sram", 0x10000);
    bus->map({"ocmc", 0x40300000, 0x10000, "l3f"}, ocmc.socket);
    bus->map({"sram", 0x402F0000, 0x10000, "l3f"}, sram.socket);
    Port cpu("cpu", *bus);
    elaborate();

    // Whole window: TLM-2.0 DMI end addresses are inclusive (IEEE 1666 §11.2.3).
    tlm::tlm_generic_payload p;
    uint8_t dummy[4];
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x40300040, dummy, 4);
    tlm::tlm_dmi dmi;
    BOOST_REQUIRE(cpu.ini.socket->get_direct_mem_ptr(p, dmi));
    BOOST_CHECK_EQUAL(p.get_address(), 0x40300040u);
    BOOST_CHECK_EQUAL(dmi.get_start_address(), 0x40300000u);
    BOOST_CHECK_EQUAL(dmi.get_end_address(), 0x4030FFFFu);
    BOOST_CHECK(dmi.get_dmi_ptr() == ocmc.mem.data());
    // The path latency (l3f hop) is added to the target's DMI latencies.
    BOOST_CHECK_EQUAL(dmi.get_read_latency(), ocmc.dmi_latency + 26 * kL3fPeriod);
    BOOST_CHECK_EQUAL(dmi.get_write_latency(), ocmc.dmi_latency + 26 * kL3fPeriod);
    // A store through the pointer is what b_transport then reads, at the inclusive end too.
    vp::store_le(dmi.get_dmi_ptr() + 0xFFFC, 0xA5A5F00D, 4);
    BOOST_CHECK_EQUAL(cpu.ini.read(0x4030FFFC).value, 0xA5A5F00Du);

    // A target granting more than its window is clipped to the region.
    ocmc.grant_end = ~uint64_t{0};
    dmi.init();
    BOOST_REQUIRE(cpu.ini.socket->get_direct_mem_ptr(p, dmi));
    BOOST_CHECK_EQUAL(dmi.get_end_address(), 0x4030FFFFu);

    // A sub-range grant keeps its pointer aligned with its start.
    sram.grant_start = 0x100;
    sram.grant_end = 0x1FF;
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x402F0180, dummy, 4);
    dmi.init();
    BOOST_REQUIRE(cpu.ini.socket->get_direct_mem_ptr(p, dmi));
    BOOST_CHECK_EQUAL(dmi.get_start_address(), 0x402F0100u);
    BOOST_CHECK_EQUAL(dmi.get_end_address(), 0x402F01FFu);
    BOOST_CHECK_EQUAL(dmi.get_dmi_ptr()[0x180 - 0x100], sram.mem[0x180]);

    // Unmapped: refused, and the refusal covers the hole between the regions.
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x40310000, dummy, 4);
    dmi.init();
    BOOST_CHECK(!cpu.ini.socket->get_direct_mem_ptr(p, dmi));
    BOOST_CHECK_EQUAL(dmi.get_start_address(), 0x40310000u);
    BOOST_CHECK(dmi.get_granted_access() == tlm::tlm_dmi::DMI_ACCESS_NONE);
    BOOST_CHECK(cpu.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(dmi_invalidation_is_translated_to_global_addresses, vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Ram ocmc("ocmc", 0x10000);
    bus->map({"ocmc", 0x40300000, 0x10000, "l3f"}, ocmc.socket);
    Port cpu("cpu", *bus);
    Port dma("dma", *bus);
    elaborate();

    ocmc.socket->invalidate_direct_mem_ptr(0x100, 0x1FF);
    // Every initiator port hears it, in global addresses.
    for (Port* port : {&cpu, &dma}) {
        BOOST_REQUIRE_EQUAL(port->ini.invalidations.size(), 1u);
        BOOST_CHECK_EQUAL(port->ini.invalidations[0].first, 0x40300100u);
        BOOST_CHECK_EQUAL(port->ini.invalidations[0].second, 0x403001FFu);
    }
    // "Everything" from the target means its whole region.
    ocmc.socket->invalidate_direct_mem_ptr(0, ~uint64_t{0});
    BOOST_REQUIRE_EQUAL(cpu.ini.invalidations.size(), 2u);
    BOOST_CHECK_EQUAL(cpu.ini.invalidations[1].first, 0x40300000u);
    BOOST_CHECK_EQUAL(cpu.ini.invalidations[1].second, 0x4030FFFFu);
}

BOOST_FIXTURE_TEST_CASE(debug_transport_is_translated_and_truncated, vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Ram ocmc("ocmc", 0x10000);
    bus->map({"ocmc", 0x40300000, 0x10000, "l3f"}, ocmc.socket);
    Port cpu("cpu", *bus);
    elaborate();

    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    tlm::tlm_generic_payload p;
    vp::setup_payload(p, tlm::TLM_WRITE_COMMAND, 0x40300010, buf, 8);
    BOOST_CHECK_EQUAL(cpu.ini.socket->transport_dbg(p), 8u);
    BOOST_CHECK_EQUAL(ocmc.mem[0x10], 1);
    BOOST_CHECK_EQUAL(ocmc.mem[0x17], 8);
    BOOST_CHECK_EQUAL(p.get_address(), 0x40300010u);

    // 8 bytes from 4 below the region end: only the 4 inside are transferred.
    uint8_t out[8] = {};
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x4030FFFC, out, 8);
    BOOST_CHECK_EQUAL(cpu.ini.socket->transport_dbg(p), 4u);
    BOOST_CHECK_EQUAL(p.get_data_length(), 8u);  // restored for the initiator
    BOOST_CHECK_EQUAL(out[0], ocmc.mem[0xFFFC]);
    BOOST_CHECK_EQUAL(out[3], ocmc.mem[0xFFFF]);

    // Unmapped: nothing transferred.
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x40310000, out, 4);
    BOOST_CHECK_EQUAL(cpu.ini.socket->transport_dbg(p), 0u);
    // Debug accesses are not bus traffic.
    BOOST_CHECK_EQUAL(stat("interconnect.transactions"), 0.0);
    BOOST_CHECK(cpu.mon.violations().empty());
}

namespace {
struct Sink : vp::TraceSink {
    struct Copy {
        sc_time time;
        std::string initiator, target;
        tlm::tlm_command command;
        uint64_t address;
        unsigned length;
        uint64_t data;
        tlm::tlm_response_status response;
        sc_time latency;
    };
    std::vector<Copy> events;
    void on_transaction(const vp::TraceEvent& e) override {
        events.push_back({e.time, std::string(e.initiator), std::string(e.target), e.command,
                          e.address, e.length, vp::load_le(e.data, e.length), e.response,
                          e.latency});
    }
};
}  // namespace

BOOST_FIXTURE_TEST_CASE(trace_sink_sees_every_transaction_and_blocks_dmi, vp::test::FreshSim) {
    LogCapture capture;
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Ram ocmc("ocmc", 0x10000, sc_time(3, SC_NS));
    bus->map({"ocmc", 0x40300000, 0x10000, "l3f"}, ocmc.socket);
    Port cpu("cpu", *bus);
    bus->name_initiator(0, "cpu");
    elaborate();

    Sink sink;
    bus->set_trace_sink(&sink);
    BOOST_CHECK(bus->tracing());
    // Pointers granted before tracing are withdrawn.
    BOOST_REQUIRE_EQUAL(cpu.ini.invalidations.size(), 1u);
    BOOST_CHECK_EQUAL(cpu.ini.invalidations[0].first, 0u);
    BOOST_CHECK_EQUAL(cpu.ini.invalidations[0].second, ~uint64_t{0});

    const sc_time t(40, SC_NS);
    cpu.ini.write(0x40300008, 0x12345678, 4, t);
    cpu.ini.read(0x40300008, 2, t);
    cpu.ini.read(0x50000000, 4, t);
    BOOST_REQUIRE_EQUAL(sink.events.size(), 3u);
    const auto& w = sink.events[0];
    BOOST_CHECK_EQUAL(w.time, t);  // sc_time_stamp() (0) + delay at entry
    BOOST_CHECK_EQUAL(w.initiator, "cpu");
    BOOST_CHECK_EQUAL(w.target, "ocmc");
    BOOST_CHECK(w.command == tlm::TLM_WRITE_COMMAND);
    BOOST_CHECK_EQUAL(w.address, 0x40300008u);  // global address
    BOOST_CHECK_EQUAL(w.length, 4u);
    BOOST_CHECK_EQUAL(w.data, 0x12345678u);
    BOOST_CHECK(w.response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(w.latency, 26 * kL3fPeriod + sc_time(3, SC_NS));  // router + target
    const auto& r = sink.events[1];
    BOOST_CHECK(r.command == tlm::TLM_READ_COMMAND);
    BOOST_CHECK_EQUAL(r.data, 0x5678u);  // little-endian low half
    const auto& e = sink.events[2];
    BOOST_CHECK_EQUAL(e.target, "unmapped");
    BOOST_CHECK(e.response == tlm::TLM_ADDRESS_ERROR_RESPONSE);

    // DMI refused while tracing, and the DMI hint is cleared.
    tlm::tlm_generic_payload p;
    uint8_t buf[4];
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x40300000, buf, 4);
    tlm::tlm_dmi dmi;
    BOOST_CHECK(!cpu.ini.socket->get_direct_mem_ptr(p, dmi));
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x40300000, buf, 4);
    sc_time d = SC_ZERO_TIME;
    cpu.ini.socket->b_transport(p, d);
    BOOST_CHECK(!p.is_dmi_allowed());

    // Disabled: DMI again, nothing traced.
    bus->set_trace_enabled(false);
    dmi.init();
    BOOST_CHECK(cpu.ini.socket->get_direct_mem_ptr(p, dmi));
    cpu.ini.read(0x40300000);
    BOOST_CHECK_EQUAL(sink.events.size(), 4u);
    bus->set_trace_sink(nullptr);
    BOOST_CHECK(!bus->tracing());
    BOOST_CHECK(cpu.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(bad_maps_are_rejected_with_clear_errors, vp::test::FreshSim) {
    auto bus = std::make_unique<vp::Router>("bus", test_params());
    Probe a("a", 0x1000), b("b", 0x1000), c("c", 0x1000), d("d", 0x1000), e("e", 0x1000),
        f("f", 0x1000), g("g", 0x1000);
    bus->map({"gpio1", 0x4804C000, 0x1000, "l4_per"}, a.socket);

    auto message = [&](const vp::RegionParams& r, Probe& p) -> std::string {
        try {
            bus->map(r, p.socket);
        } catch (const std::invalid_argument& ex) {
            return ex.what();
        }
        return "";
    };
    // Overlaps from below, from above, inside and around: each names both regions.
    for (const vp::RegionParams& r : {vp::RegionParams{"low", 0x4804B800, 0x1000, "l4_per"},
                                      vp::RegionParams{"high", 0x4804CFFC, 0x10, "l4_per"},
                                      vp::RegionParams{"inner", 0x4804C100, 0x10, "l4_per"},
                                      vp::RegionParams{"outer", 0x48000000, 0x1000000, "l4_per"}}) {
        const std::string m = message(r, b);
        BOOST_TEST_CONTEXT(r.name) {
            BOOST_CHECK(m.find("overlaps") != m.npos);
            BOOST_CHECK(m.find(r.name) != m.npos);
            BOOST_CHECK(m.find("gpio1") != m.npos);
        }
    }
    BOOST_CHECK(message({"big", 0xFFFFF000, 0x2000, "l3f"}, c).find("32-bit") != std::string::npos);
    BOOST_CHECK(message({"empty", 0x50000000, 0, "l3f"}, d).find("size 0") != std::string::npos);
    BOOST_CHECK(message({"gpio1", 0x50000000, 0x10, "l3f"}, e).find("twice") != std::string::npos);
    BOOST_CHECK(message({"x", 0x50000000, 0x10, "l9"}, f).find("unknown domain 'l9'") !=
                std::string::npos);
    // Adjacent regions are fine, as is the last byte of the 32-bit space.
    BOOST_CHECK_NO_THROW(bus->map({"next", 0x4804D000, 0x1000, "l4_per"}, g.socket));
    BOOST_CHECK_NO_THROW(bus->map({"top", 0xFFFFF000, 0x1000, "l3f"}, c.socket));

    BOOST_CHECK_THROW(bus->add_domain({"l3f", "", kL3fPeriod, 1, 1}), std::invalid_argument);
    BOOST_CHECK_THROW(bus->add_domain({"root2", "", kL3fPeriod, 1, 1}), std::invalid_argument);
    BOOST_CHECK_THROW(bus->add_domain({"orphan", "nowhere", kL4Period, 1, 1}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(bus->add_domain({"stopped", "l3f", SC_ZERO_TIME, 1, 1}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(bus->set_initiator_domain(0, "l9"), std::invalid_argument);
    BOOST_CHECK_THROW(bus->path_latency("l9"), std::invalid_argument);
    // Bind the probes the failed maps left unbound, so elaboration can finish cleanly.
    bus->map({"spare_b", 0x60000000, 0x1000, "l3f"}, b.socket);
    bus->map({"spare_d", 0x60001000, 0x1000, "l3f"}, d.socket);
    bus->map({"spare_e", 0x60002000, 0x1000, "l3f"}, e.socket);
    bus->map({"spare_f", 0x60003000, 0x1000, "l3f"}, f.socket);
    Port cpu("cpu", *bus);
    elaborate();
    BOOST_CHECK(cpu.ini.read(0xFFFFFFFC).response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(c.seen.back(), 0xFFCu);
    BOOST_CHECK(cpu.mon.violations().empty());
}
