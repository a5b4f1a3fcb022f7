// Board devices from the board file (issue "AM335x peripherals" item 10): the BeagleBone's
// USR0 LED follows GPIO1_21 (am335x.md §11), and an EVM-SK button drives its GPIO input at
// the times the configuration gives. Register offsets: SPRUH73 §25.4.1 (GPIO OE 0x134,
// SETDATAOUT 0x194, DATAIN 0x138) and §8.1.12 (CM_PER_GPIO1_CLKCTRL 0x44E000AC,
// CM_WKUP_GPIO0_CLKCTRL 0x44E00408).
#define BOOST_TEST_MODULE board
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/gpio/gpio.h"
#include "platform/board/board.h"
#include "platform/config/platform_config.h"
#include "platform/soc/soc.h"
#include "tests/support/sim_context.h"

namespace {

struct Master : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Master> socket{"socket"};
    std::function<void(Master&)> body;
    explicit Master(sc_core::sc_module_name n) : sc_module(n) {
        SC_HAS_PROCESS(Master);
        SC_THREAD(run);
    }
    void run() { body(*this); }
    uint32_t access(tlm::tlm_command cmd, uint64_t addr, uint32_t v = 0) {
        uint8_t b[4];
        vp::store_le(b, v, 4);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, b, 4);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, d);
        wait(d);
        BOOST_REQUIRE(p.is_response_ok());
        return static_cast<uint32_t>(vp::load_le(b, 4));
    }
    void write(uint64_t a, uint32_t v) { access(tlm::TLM_WRITE_COMMAND, a, v); }
    uint32_t read(uint64_t a) { return access(tlm::TLM_READ_COMMAND, a); }
    void enable_clock(uint64_t clkctrl) {
        write(clkctrl, 0x2);  // MODULEMODE = ENABLE
        while ((read(clkctrl) >> 16) & 3)
            wait(sc_core::sc_time(1, sc_core::SC_US));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(usr0_led_follows_gpio1_21, vp::test::FreshSim) {
    auto cfg = vp::config::load_platform_config("beaglebone-black");
    vp::platform::Soc soc("soc", cfg);
    Master m("m");
    soc.attach_initiator(m.socket, "test");
    const auto& leds = soc.board().leds();
    BOOST_REQUIRE(leds.size() == 4u);
    BOOST_TEST(leds[0].name == "usr0");
    sc_core::sc_time lit_at;
    leds[0].lit->on_change([&](bool on, const sc_core::sc_time& off) {
        if (on) lit_at = sc_core::sc_time_stamp() + off;
    });
    m.body = [&](Master& mm) {
        mm.enable_clock(0x44E000AC);
        mm.write(0x4804C134, ~(1u << 21));  // OE: pin 21 output
        BOOST_TEST(!leds[0].lit->read());
        mm.write(0x4804C194, 1u << 21);  // SETDATAOUT
        BOOST_TEST(leds[0].lit->read());
    };
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS));
    BOOST_TEST(leds[0].lit->read());
    BOOST_TEST(lit_at > sc_core::SC_ZERO_TIME);
    BOOST_TEST(vp::stats::Registry::global().find("board.leds.usr0.toggles")->value() == 1);
}

BOOST_FIXTURE_TEST_CASE(evmsk_button_drives_gpio0_30, vp::test::FreshSim) {
    auto cfg = vp::config::load_platform_config(
        "am335x-evmsk", {"board.buttons.sw3.press=[{at: 100us, for: 200us}]"});
    vp::platform::Soc soc("soc", cfg);
    Master m("m");
    soc.attach_initiator(m.socket, "test");
    uint32_t before = 0, during = 0, after = 0;
    m.body = [&](Master& mm) {
        mm.enable_clock(0x44E00408);
        before = mm.read(0x44E07138);
        sc_core::wait(sc_core::sc_time(150, sc_core::SC_US) - sc_core::sc_time_stamp());
        during = mm.read(0x44E07138);
        sc_core::wait(sc_core::sc_time(400, sc_core::SC_US) - sc_core::sc_time_stamp());
        after = mm.read(0x44E07138);
    };
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS));
    // Active low: idle high (pull-up), low while pressed.
    BOOST_TEST(((before >> 30) & 1) == 1u);
    BOOST_TEST(((during >> 30) & 1) == 0u);
    BOOST_TEST(((after >> 30) & 1) == 1u);
}
