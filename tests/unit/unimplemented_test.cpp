#define BOOST_TEST_MODULE unimplemented
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/interconnect/router.h"
#include "models/interconnect/unimplemented.h"
#include "tests/support/sim_context.h"

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

struct Result {
    tlm::tlm_response_status response;
    uint32_t value;
    sc_time latency;
};

// CPU stand-in → monitor → (router →) target.
struct Master : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Master> socket;
    vp::TransactionMonitor mon;
    explicit Master(sc_core::sc_module_name n) : sc_module(n), socket("socket"), mon("mon") {
        socket.bind(mon.target);
    }
    Result access(tlm::tlm_command cmd, uint64_t addr, uint32_t value = 0xDEADBEEF,
                  unsigned len = 4) {
        uint8_t buf[4];
        vp::store_le(buf, value, 4);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, buf, len);
        sc_time d = SC_ZERO_TIME;
        socket->b_transport(p, d);
        return {p.get_response_status(), static_cast<uint32_t>(vp::load_le(buf, len)), d};
    }
    Result read(uint64_t addr, unsigned len = 4) {
        return access(tlm::TLM_READ_COMMAND, addr, 0xDEADBEEF, len);
    }
    Result write(uint64_t addr, uint32_t v) { return access(tlm::TLM_WRITE_COMMAND, addr, v); }
};

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

void elaborate() {
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                            sc_core::SC_DO_NOTHING);
    sc_core::sc_start(SC_ZERO_TIME);
}

double stat(const std::string& name) {
    auto* s = vp::stats::Registry::global().find(name);
    BOOST_REQUIRE_MESSAGE(s, "statistic " << name << " exists");
    return s->value();
}

// GPIO3: 0x481A_E000, 4 KB on L4_PER (reference am335x.md §1.3); OE at +0x134 (§4).
constexpr uint64_t kGpio3Base = 0x481AE000;
constexpr uint64_t kGpio3Size = 0x1000;
constexpr uint64_t kGpioOe = 0x134;
constexpr uint64_t kGpioDataout = 0x13C;

vp::UnimplementedParams sized(uint64_t size) {
    vp::UnimplementedParams p;
    p.size = size;
    return p;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(reads_zero_ignores_writes_and_logs_each_offset_once, vp::test::FreshSim) {
    LogCapture capture;
    vp::RouterParams rp;
    rp.domains = vp::am335x_domains();
    auto bus = std::make_unique<vp::Router>("bus", rp);
    auto gpio3 = std::make_unique<vp::Unimplemented>("gpio3", sized(kGpio3Size));
    bus->map({"gpio3", kGpio3Base, kGpio3Size, vp::kDomainL4Per}, gpio3->socket);
    Master cpu("cpu");
    cpu.mon.initiator.bind(bus->in);
    elaborate();

    // Reads as zero, write ignored: a read after a write still returns zero.
    auto r = cpu.read(kGpio3Base + kGpioOe);
    BOOST_CHECK(r.response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(r.value, 0u);
    BOOST_CHECK(cpu.write(kGpio3Base + kGpioOe, 0x12345678).response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(cpu.read(kGpio3Base + kGpioOe).value, 0u);
    BOOST_CHECK(cpu.write(kGpio3Base + kGpioDataout, 1).response == tlm::TLM_OK_RESPONSE);
    // A 16-bit read is answered too (drivers use 8/16-bit accesses on some modules).
    BOOST_CHECK_EQUAL(cpu.read(kGpio3Base + kGpioOe, 2).value, 0u);

    // One message per register offset, naming the module and the offset.
    BOOST_CHECK_EQUAL(LogCapture::count("gpio3: read of unimplemented register at +0x134"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("+0x134"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("gpio3: write of unimplemented register at +0x13c"), 1u);
    BOOST_CHECK_EQUAL(LogCapture::count("gpio3:"), 2u);
    BOOST_CHECK_EQUAL(gpio3->offsets_seen().size(), 2u);
    BOOST_CHECK_EQUAL(stat("gpio3.accesses"), 5.0);
    BOOST_CHECK_EQUAL(gpio3->accesses(), 5u);
    // Through the router: the L4_PER path latency (am335x.md §16 calibration: 170 ns).
    BOOST_CHECK_EQUAL(r.latency, sc_time(170, SC_NS));
    BOOST_CHECK(cpu.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(error_policy_answers_address_error, vp::test::FreshSim) {
    LogCapture capture;
    vp::UnimplementedParams p;
    p.size = kGpio3Size;
    p.policy = vp::UnimplementedPolicy::error;
    p.access_latency = sc_time(10, SC_NS);
    auto gpio3 = std::make_unique<vp::Unimplemented>("gpio3", p);
    Master cpu("cpu");
    cpu.mon.initiator.bind(gpio3->socket);
    elaborate();

    auto r = cpu.read(kGpioOe);
    BOOST_CHECK(r.response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK_EQUAL(r.latency, sc_time(10, SC_NS));
    BOOST_CHECK(cpu.write(kGpioOe, 1).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK_EQUAL(LogCapture::count("+0x134 (address error)"), 1u);
    // Debug transport shows nothing in error mode.
    uint8_t buf[4];
    tlm::tlm_generic_payload d;
    vp::setup_payload(d, tlm::TLM_READ_COMMAND, kGpioOe, buf, 4);
    BOOST_CHECK_EQUAL(cpu.socket->transport_dbg(d), 0u);

    // The policy can be switched at run time (a configuration or a script).
    gpio3->set_policy(vp::UnimplementedPolicy::read_zero);
    BOOST_CHECK(cpu.read(kGpioOe).response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(cpu.socket->transport_dbg(d), 4u);
    BOOST_CHECK_EQUAL(vp::load_le(buf, 4), 0u);
    BOOST_CHECK_EQUAL(stat("gpio3.accesses"), 3.0);
    BOOST_CHECK(cpu.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(accesses_outside_the_window_are_address_errors, vp::test::FreshSim) {
    LogCapture capture;
    auto m = std::make_unique<vp::Unimplemented>("mcasp0", sized(0x2000));
    Master cpu("cpu");
    cpu.mon.initiator.bind(m->socket);
    elaborate();
    BOOST_CHECK(cpu.read(0x1FFC).response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(cpu.read(0x1FFE).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(cpu.read(0x2000).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK_EQUAL(LogCapture::count("outside the module"), 2u);
    BOOST_CHECK(cpu.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(bad_parameters_and_policy_names, vp::test::FreshSim) {
    BOOST_CHECK_THROW(vp::Unimplemented("zero", sized(0)), std::invalid_argument);
    vp::UnimplementedPolicy p{};
    BOOST_CHECK(vp::parse_unimplemented_policy("error", p));
    BOOST_CHECK(p == vp::UnimplementedPolicy::error);
    BOOST_CHECK(vp::parse_unimplemented_policy("read_zero", p));
    BOOST_CHECK(p == vp::UnimplementedPolicy::read_zero);
    BOOST_CHECK(!vp::parse_unimplemented_policy("zero", p));
    BOOST_CHECK_EQUAL(vp::unimplemented_policy_name(vp::UnimplementedPolicy::error),
                      std::string("error"));
    // A custom statistics prefix.
    vp::UnimplementedParams q;
    q.stat_prefix = "l4_per.gpio3";
    vp::Unimplemented g("g", q);
    BOOST_CHECK_EQUAL(stat("l4_per.gpio3.accesses"), 0.0);
}

BOOST_FIXTURE_TEST_CASE(router_builds_unimplemented_targets_from_a_region_list,
                        vp::test::FreshSim) {
    LogCapture capture;
    vp::RouterParams rp;
    rp.domains = vp::am335x_domains();
    auto bus = std::make_unique<vp::Router>("bus", rp);
    // Modules of the TRM map not modelled yet (reference am335x.md §1.2–1.3).
    const std::vector<vp::RegionParams> regions = {
        {"adc_tsc", 0x44E0D000, 0x2000, vp::kDomainL4Wkup},
        {"mcspi0", 0x48030000, 0x1000, vp::kDomainL4Per},
        {"mmc0", 0x48060000, 0x1000, vp::kDomainL4Per},
        {"cpsw", 0x4A100000, 0x8000, vp::kDomainL4Fast},
    };
    for (const auto& r : regions)
        bus->map_unimplemented(r);
    // I2C2 at 0x4819C000 (am335x.md §1.3), with a dotted (hierarchical) region name.
    bus->map_unimplemented({"l4_per.i2c2", 0x4819C000, 0x1000, vp::kDomainL4Per});
    vp::UnimplementedParams strict;
    strict.policy = vp::UnimplementedPolicy::error;
    auto& gpmc = bus->map_unimplemented({"gpmc", 0x50000000, 0x2000, vp::kDomainL3S}, strict);
    BOOST_CHECK_EQUAL(gpmc.size(), 0x2000u);  // the region's size, not the default
    BOOST_CHECK_THROW(bus->map_unimplemented({"mmc0", 0x48070000, 0x1000, vp::kDomainL4Per}),
                      std::invalid_argument);
    Master cpu("cpu");
    cpu.mon.initiator.bind(bus->in);
    elaborate();

    for (const auto& r : regions) {
        BOOST_TEST_CONTEXT(r.name) {
            const auto res = cpu.read(r.base + r.size - 4);
            BOOST_CHECK(res.response == tlm::TLM_OK_RESPONSE);
            BOOST_CHECK_EQUAL(res.value, 0u);
            BOOST_CHECK_EQUAL(stat(r.name + ".accesses"), 1.0);
            // The module sees the region-relative offset.
            BOOST_CHECK_EQUAL(LogCapture::count(fmt::format("{}: read of unimplemented register "
                                                            "at +{:#x}",
                                                            r.name, r.size - 4)),
                              1u);
        }
    }
    BOOST_CHECK(cpu.read(0x50000000).response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // A dotted region name keeps its statistics name; the module name has '_' instead.
    BOOST_CHECK(cpu.read(0x4819C000).response == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(stat("l4_per.i2c2.accesses"), 1.0);
    BOOST_CHECK_EQUAL(LogCapture::count("l4_per_i2c2: read of unimplemented register at +0x0"), 1u);
    BOOST_CHECK(cpu.mon.violations().empty());
}
