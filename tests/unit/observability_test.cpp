// VCD edges at their exact simulated times (DESIGN.md §8: an edge caused by a temporally
// decoupled initiator happens at sc_time_stamp() + its local offset), and the trace filter.
#define BOOST_TEST_MODULE observability
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <systemc>

#include "models/core/wire.h"
#include "platform/sim/trace_writer.h"
#include "platform/sim/vcd.h"
#include "tests/support/sim_context.h"

namespace {

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

struct Toggler : sc_core::sc_module {
    vp::Wire& w;
    Toggler(sc_core::sc_module_name n, vp::Wire& wire) : sc_module(n), w(wire) {
        SC_HAS_PROCESS(Toggler);
        SC_THREAD(run);
    }
    void run() {
        wait(sc_core::sc_time(10, sc_core::SC_NS));
        w.write(true, sc_core::sc_time(3, sc_core::SC_NS));  // an initiator 3 ns ahead
        wait(sc_core::sc_time(10, sc_core::SC_NS));
        w.write(false);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(vcd_edges_carry_the_local_time_offset, vp::test::FreshSim) {
    const std::string path = "observability_test.vcd";
    vp::Wire irq("irq98");
    {
        vp::sim::VcdWriter vcd(path);
        vcd.add(irq, "soc.intc", "irq98");
        Toggler t("t", irq);
        sc_core::sc_start(sc_core::sc_time(100, sc_core::SC_NS));
        BOOST_TEST(vcd.close());
        BOOST_TEST(vcd.changes() == 2u);
    }
    const std::string text = slurp(path);
    BOOST_TEST(text.find("$timescale 1 ps $end") != std::string::npos);
    BOOST_TEST(text.find("$scope module soc $end") != std::string::npos);
    BOOST_TEST(text.find("$var wire 1 ! irq98 $end") != std::string::npos);
    // Rising at 10 ns + 3 ns offset = 13000 ps; falling at 20 ns = 20000 ps.
    BOOST_TEST(text.find("#13000\n1!") != std::string::npos);
    BOOST_TEST(text.find("#20000\n0!") != std::string::npos);
    std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(trace_filter_ranges_and_names) {
    auto f = vp::sim::TraceFilter::parse("0x44e07000-0x44e07fff, 0x80000000+0x1000,gpio1");
    uint8_t data[4] = {};
    vp::TraceEvent e{sc_core::SC_ZERO_TIME,
                     "cpu",
                     "gpio0",
                     tlm::TLM_READ_COMMAND,
                     0x44e07134,
                     4,
                     data,
                     tlm::TLM_OK_RESPONSE,
                     sc_core::SC_ZERO_TIME};
    BOOST_TEST(f.matches(e));
    e.address = 0x80000ffe;  // overlaps the last bytes of 0x80000000+0x1000
    BOOST_TEST(f.matches(e));
    e.address = 0x80001000;
    BOOST_TEST(!f.matches(e));
    e.target = "gpio1";
    BOOST_TEST(f.matches(e));
    BOOST_CHECK_THROW(vp::sim::TraceFilter::parse("0x10-0x0"), std::invalid_argument);
    BOOST_CHECK_THROW(vp::sim::TraceFilter::parse("0xzz"), std::invalid_argument);
    BOOST_TEST(vp::sim::TraceFilter::parse("").empty());
}
