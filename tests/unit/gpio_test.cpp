#define BOOST_TEST_MODULE gpio
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "models/gpio/gpio.h"
#include "platform/script/script_master.h"
#include "tests/support/lt_bus.h"
#include "tests/support/sim_context.h"

using namespace vp::gpio;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;

namespace {

using vp::test::Access;
using vp::test::Bus;
using vp::test::Decoder;
using vp::test::Edges;
using vp::test::kPrcmBase;
using vp::test::kPrcmSize;
using vp::test::near;
using vp::test::PrcmStub;
using vp::test::run_script;

struct Platform {
    Bus bus{"bus"};
    vp::Gpio gpio;
    explicit Platform(const vp::GpioParams& p = {}) : gpio("gpio1", p) {
        bus.mon.initiator.bind(gpio.socket);
        sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                                sc_core::SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);  // end of elaboration
    }
    ~Platform() {
        BOOST_CHECK_MESSAGE(bus.mon.violations().empty(), "TLM base-protocol violation");
    }
};

}  // namespace

// Reset value and access policy of every register (TRM SPRUH73 §25.4.1, Table 25-5).
BOOST_FIXTURE_TEST_CASE(reset_values_and_policies, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    // 25.4.1.1 REVISION = 0x5060_0801, read-only.
    BOOST_TEST(b.rd(kRevision) == 0x50600801u);
    b.wr(kRevision, 0);
    BOOST_TEST(b.rd(kRevision) == 0x50600801u);
    // 25.4.1.2 SYSCONFIG = 0; bits 4:0 R/W (SOFTRESET reads 0), 31:5 reserved read-only.
    BOOST_TEST(b.rd(kSysconfig) == 0u);
    b.wr(kSysconfig, 0xFFFFFFFD);
    BOOST_TEST(b.rd(kSysconfig) == 0x1Du);
    b.wr(kSysconfig, 0);
    // 25.4.1.3 EOI = 0; "Reads always returns 0".
    b.wr(kEoi, 1);
    BOOST_TEST(b.rd(kEoi) == 0u);
    // 25.4.1.4-5 IRQSTATUS_RAW_n = 0; write 1 sets (software trigger), write 0 no effect.
    // 25.4.1.6-7 IRQSTATUS_n = 0; reads RAW & enable; write 1 clears.
    for (unsigned k = 0; k < 2; ++k) {
        const uint32_t raw = k ? kIrqStatusRaw1 : kIrqStatusRaw0;
        const uint32_t st = k ? kIrqStatus1 : kIrqStatus0;
        const uint32_t set = k ? kIrqStatusSet1 : kIrqStatusSet0;
        const uint32_t clr = k ? kIrqStatusClr1 : kIrqStatusClr0;
        BOOST_TEST(b.rd(raw) == 0u);
        BOOST_TEST(b.rd(st) == 0u);
        BOOST_TEST(b.rd(set) == 0u);  // 25.4.1.8-11: enable masks reset to 0
        BOOST_TEST(b.rd(clr) == 0u);
        b.wr(raw, 0x0000000F);
        b.wr(raw, 0);
        BOOST_TEST(b.rd(raw) == 0x0000000Fu);
        BOOST_TEST(b.rd(st) == 0u);  // nothing enabled
        b.wr(set, 0x00000003);       // 25.3.4.2.2.1: write 1 enables
        b.wr(set, 0);
        BOOST_TEST(b.rd(set) == 0x3u);
        BOOST_TEST(b.rd(clr) == 0x3u);  // both addresses read the one enable register
        BOOST_TEST(b.rd(st) == 0x3u);
        b.wr(st, 0x1);  // W1C
        BOOST_TEST(b.rd(st) == 0x2u);
        BOOST_TEST(b.rd(raw) == 0xEu);  // the raw bit is cleared too
        b.wr(clr, 0x2);                 // 25.3.4.2.1.1: write 1 disables
        BOOST_TEST(b.rd(set) == 0x1u);
        // Writing 1 to IRQSTATUS_n clears the event whether enabled or not (docs/models/gpio.md).
        b.wr(st, 0xFFFFFFFF);
        BOOST_TEST(b.rd(raw) == 0u);
        b.wr(clr, 0xFFFFFFFF);
        BOOST_TEST(b.rd(set) == 0u);
    }
    // 25.4.1.12-13 IRQWAKEN_n = 0, R/W.
    BOOST_TEST(b.rd(kIrqWaken0) == 0u);
    BOOST_TEST(b.rd(kIrqWaken1) == 0u);
    b.wr(kIrqWaken0, 0xA5A5A5A5);
    BOOST_TEST(b.rd(kIrqWaken0) == 0xA5A5A5A5u);
    // 25.4.1.14 SYSSTATUS: RESETDONE = 1 once reset is complete (25.3.2.4), read-only.
    BOOST_TEST(b.rd(kSysstatus) == 1u);
    b.wr(kSysstatus, 0);
    BOOST_TEST(b.rd(kSysstatus) == 1u);
    // 25.4.1.15 CTRL = 0, bits 2:0 R/W.
    BOOST_TEST(b.rd(kCtrl) == 0u);
    b.wr(kCtrl, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kCtrl) == 0x7u);
    b.wr(kCtrl, 0);
    // 25.4.1.16 OE = 0xFFFF_FFFF (all inputs), R/W.
    BOOST_TEST(b.rd(kOe) == 0xFFFFFFFFu);
    // 25.4.1.17 DATAIN = 0 (no pad driven), read-only.
    BOOST_TEST(b.rd(kDatain) == 0u);
    b.wr(kDatain, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kDatain) == 0u);
    // 25.4.1.18-24: DATAOUT, LEVELDETECT0/1, RISING/FALLINGDETECT, DEBOUNCENABLE,
    // DEBOUNCINGTIME reset to 0 and are R/W.
    for (uint32_t off : {kDataout, kLevelDetect0, kLevelDetect1, kRisingDetect, kFallingDetect,
                         kDebounceEnable, kDebouncingTime}) {
        BOOST_TEST(b.rd(off) == 0u);
        b.wr(off, 0x12345678);
        BOOST_TEST(b.rd(off) == 0x12345678u);
        b.wr(off, 0);
    }
    // 25.4.1.25-26 CLEARDATAOUT / SETDATAOUT: write 1 clears / sets DATAOUT bits, read
    // returns DATAOUT.
    b.wr(kDataout, 0x0000F000);
    BOOST_TEST(b.rd(kSetDataout) == 0x0000F000u);
    BOOST_TEST(b.rd(kClearDataout) == 0x0000F000u);
    b.wr(kSetDataout, 0x00000003);
    BOOST_TEST(b.rd(kDataout) == 0x0000F003u);
    b.wr(kClearDataout, 0x00003001);
    BOOST_TEST(b.rd(kDataout) == 0x0000C002u);
    BOOST_TEST(b.rd(kSetDataout) == 0x0000C002u);
    // 25.3.1: registers are 8-, 16- and 32-bit accessible.
    BOOST_TEST(b.rd(kRevision, 2) == 0x0801u);
    BOOST_TEST(b.rd(kRevision + 3, 1) == 0x50u);
    b.wr(kDataout + 1, 0xAB, 1);
    BOOST_TEST(b.rd(kDataout) == 0x0000AB02u);
    // An offset with no register answers an address error (docs/models/core.md).
    BOOST_TEST(b.access(tlm::TLM_READ_COMMAND, 0x004, 0, 4).response ==
               tlm::TLM_ADDRESS_ERROR_RESPONSE);
    p.reset();
}

// "Clock-gated access gives an error" (issue 4; SPRUH73 §8.1.12: an access to a module whose
// MODULEMODE is disabled returns an error).
BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    p->gpio.clock_enable.write(false);
    BOOST_TEST(p->bus.access(tlm::TLM_READ_COMMAND, kRevision, 0, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_TEST(p->bus.access(tlm::TLM_WRITE_COMMAND, kOe, 0, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p->gpio.clock_enable.write(true);
    BOOST_TEST(p->bus.rd(kOe) == 0xFFFFFFFFu);  // the gated write had no effect
    p.reset();
}

// SYSCONFIG.SOFTRESET has the effect of the hardware reset and RESETDONE reads 1 afterwards
// (TRM 25.3.2.4, 25.4.1.2, 25.4.1.14).
BOOST_FIXTURE_TEST_CASE(soft_reset_restores_reset_values, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kOe, 0xFFFF0000);
    b.wr(kDataout, 0x0000FFFF);
    b.wr(kRisingDetect, 0xFF);
    b.wr(kIrqStatusSet0, 0xFF);
    b.wr(kIrqStatusRaw0, 0x1);
    b.wr(kDebouncingTime, 0x10);
    b.wr(kCtrl, 0x5);
    BOOST_TEST(p->gpio.irq[0].read());
    BOOST_TEST(p->gpio.pin_out(0).read());
    b.wr(kSysconfig, kSysconfigSoftreset | kSysconfigAutoidle);
    BOOST_TEST(b.rd(kSysconfig) == 0u);  // SOFTRESET self-clears; AUTOIDLE back to reset
    BOOST_TEST(b.rd(kSysstatus) == kSysstatusResetdone);
    BOOST_TEST(b.rd(kOe) == kOeReset);
    BOOST_TEST(b.rd(kDataout) == 0u);
    BOOST_TEST(b.rd(kRisingDetect) == 0u);
    BOOST_TEST(b.rd(kIrqStatusSet0) == 0u);
    BOOST_TEST(b.rd(kIrqStatusRaw0) == 0u);
    BOOST_TEST(b.rd(kDebouncingTime) == 0u);
    BOOST_TEST(b.rd(kCtrl) == 0u);
    BOOST_TEST(b.rd(kRevision) == kRevisionReset);
    BOOST_TEST(!p->gpio.irq[0].read());      // no event pending: line released
    BOOST_TEST(!p->gpio.pin_out(0).read());  // OE all ones: no pad driven
    BOOST_TEST(!p->gpio.pin_oe(0).read());
    p.reset();
}

// Output pins: a pad is driven with DATAOUT[n] only while OE[n] = 0 (TRM 25.3.4.3); edges at
// the time of the access, including the initiator's local-time offset.
BOOST_FIXTURE_TEST_CASE(output_pins_follow_oe_and_dataout, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges out, oe;
    out.attach(p->gpio.pin_out(21));
    oe.attach(p->gpio.pin_oe(21));
    b.wr(kSetDataout, 1u << 21);  // DATAOUT set while still an input: nothing driven
    BOOST_TEST(!p->gpio.pin_out(21).read());
    sc_start(1, SC_US);
    b.local = sc_time(250, SC_NS);
    b.wr(kOe, ~(1u << 21));  // output enabled at 1 us + 250 ns
    b.local = SC_ZERO_TIME;
    sc_start(1, SC_US);
    b.wr(kClearDataout, 1u << 21);  // at 2 us
    BOOST_REQUIRE(out.log.size() == 2u);
    BOOST_TEST(out.log[0].first == sc_time(1250, SC_NS));
    BOOST_TEST(out.log[0].second);
    BOOST_TEST(out.log[1].first == sc_time(2, SC_US));
    BOOST_TEST(!out.log[1].second);
    BOOST_REQUIRE(oe.log.size() == 1u);
    BOOST_TEST(oe.log[0].first == sc_time(1250, SC_NS));
    // An output pad reads back its DATAOUT through DATAIN (input buffer on), whatever the
    // board drives (docs/models/gpio.md).
    b.wr(kSetDataout, 1u << 21);
    p->gpio.pin_in(21).write(false);
    BOOST_TEST((b.rd(kDatain) & (1u << 21)) != 0u);
    p.reset();
}

// Input pins: DATAIN shows the pad level (TRM 25.3.4.3) only while the pad's RXACTIVE input
// buffer is on (am335x.md §4, conf register bit 5).
BOOST_FIXTURE_TEST_CASE(input_pins_need_rxactive, vp::test::FreshSim) {
    bool rx = true;
    vp::GpioParams prm;
    prm.rx_active = [&rx](unsigned pin) { return pin != 7 || rx; };
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    p->gpio.pin_in(7).write(true);
    p->gpio.pin_in(8).write(true);
    BOOST_TEST(b.rd(kDatain) == ((1u << 7) | (1u << 8)));
    rx = false;
    p->gpio.pad_config_changed();
    BOOST_TEST(b.rd(kDatain) == (1u << 8));
    p.reset();
}

// Rising-edge detection: the event sets IRQSTATUS_RAW_0/1 and, enabled in IRQSTATUS_SET_0,
// IRQSTATUS_0 and line A at the edge's time; a W1C releases the line at the write's time
// (TRM 25.3.3.1, 25.3.3.4).
BOOST_FIXTURE_TEST_CASE(rising_edge_interrupt_timing, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges a, bl;
    a.attach(p->gpio.irq[0]);
    bl.attach(p->gpio.irq[1]);
    b.wr(kRisingDetect, 1u << 3);
    b.wr(kIrqStatusSet0, 1u << 3);
    sc_start(10, SC_US);
    p->gpio.pin_in(3).write(true, sc_time(300, SC_NS));  // the board's edge at 10.3 us
    BOOST_TEST(b.rd(kIrqStatusRaw0) == (1u << 3));
    BOOST_TEST(b.rd(kIrqStatusRaw1) == (1u << 3));  // both raw registers see the event
    BOOST_TEST(b.rd(kIrqStatus0) == (1u << 3));
    BOOST_TEST(b.rd(kIrqStatus1) == 0u);                  // line B: not enabled
    p->gpio.pin_in(3).write(false, sc_time(500, SC_NS));  // falling edge: not selected
    sc_start(5, SC_US);
    b.local = sc_time(40, SC_NS);
    b.wr(kIrqStatus0, 1u << 3);  // at 15.04 us
    BOOST_REQUIRE(a.log.size() == 2u);
    BOOST_TEST(a.log[0].first == sc_time(10300, SC_NS));
    BOOST_TEST(a.log[0].second);
    BOOST_TEST(a.log[1].first == sc_time(15040, SC_NS));
    BOOST_TEST(!a.log[1].second);
    BOOST_TEST(bl.log.empty());
    p.reset();
}

// Level detection: the event stays asserted while the level lasts and comes back after a
// W1C (TRM 25.3.3.4: "the interrupt line will be re-asserted").
BOOST_FIXTURE_TEST_CASE(level_events_reassert, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kLevelDetect1, 1u << 5);
    b.wr(kIrqStatusSet1, 1u << 5);
    BOOST_TEST(!p->gpio.irq[1].read());
    p->gpio.pin_in(5).write(true);
    BOOST_TEST(p->gpio.irq[1].read());
    b.wr(kIrqStatus1, 1u << 5);
    BOOST_TEST(p->gpio.irq[1].read());  // still high: re-asserted
    BOOST_TEST(b.rd(kIrqStatus1) == (1u << 5));
    p->gpio.pin_in(5).write(false);
    b.wr(kIrqStatus1, 1u << 5);
    BOOST_TEST(!p->gpio.irq[1].read());
    // LEVELDETECT0: event while low, from the moment it is enabled.
    b.wr(kLevelDetect0, 1u << 6);
    b.wr(kIrqStatusSet1, 1u << 6);
    BOOST_TEST(p->gpio.irq[1].read());
    p.reset();
}

// Debounce: an input change must be stable for (DEBOUNCETIME + 1) cycles of the 32 kHz
// debounce clock before the module sees it (TRM 25.3.4.4, 25.4.1.24).
BOOST_FIXTURE_TEST_CASE(debounce_filters_short_pulses, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges a;
    a.attach(p->gpio.irq[0]);
    b.wr(kDebouncingTime, 3);  // 4 cycles = 4 / 32768 s = 122.0703125 us
    b.wr(kDebounceEnable, 1u << 2);
    b.wr(kRisingDetect, 1u << 2);
    b.wr(kIrqStatusSet0, 1u << 2);
    // 4 / 32768 s = 122 070 312.5 ps, rounded up to the 1 ps resolution.
    BOOST_TEST(p->gpio.debounce_time() == sc_time(122070313, sc_core::SC_PS));
    // A 100 us pulse is shorter than the window: filtered.
    sc_start(10, SC_US);
    p->gpio.pin_in(2).write(true);
    sc_start(100, SC_US);
    p->gpio.pin_in(2).write(false);
    sc_start(1, SC_MS);
    BOOST_TEST(a.log.empty());
    BOOST_TEST((b.rd(kDatain) & (1u << 2)) == 0u);
    // A level held longer passes, exactly one window after the input change.
    const sc_time t0 = sc_time_stamp();
    p->gpio.pin_in(2).write(true);
    sc_start(50, SC_US);
    BOOST_TEST((b.rd(kDatain) & (1u << 2)) == 0u);  // not yet
    sc_start(1, SC_MS);
    BOOST_TEST((b.rd(kDatain) & (1u << 2)) != 0u);
    BOOST_REQUIRE(a.log.size() == 1u);
    BOOST_TEST(a.log[0].first == t0 + sc_time(122070313, sc_core::SC_PS));
    p.reset();
}

// Without the debounce clock (CLKCTRL.OPTFCLKEN_GPIO_n_GDBCLK off) a debounced input is frozen
// (TRM 25.3.1: the debouncing cell "would gate all input signals").
BOOST_FIXTURE_TEST_CASE(debounce_needs_its_clock, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kDebounceEnable, 1u << 4);
    p->gpio.debounce_clock.write(false);
    p->gpio.pin_in(4).write(true);
    sc_start(1, SC_MS);
    BOOST_TEST((b.rd(kDatain) & (1u << 4)) == 0u);
    p->gpio.debounce_clock.write(true);
    sc_start(1, SC_MS);
    BOOST_TEST((b.rd(kDatain) & (1u << 4)) != 0u);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(bad_pin_numbers_and_params_are_errors, vp::test::FreshSim) {
    vp::GpioParams bad;
    bad.debounce_clock_hz = 0;
    BOOST_CHECK_THROW(vp::Gpio("gpio_bad", bad), std::invalid_argument);
    auto p = std::make_unique<Platform>();
    BOOST_CHECK_THROW(p->gpio.pin_in(32), std::out_of_range);
    BOOST_CHECK_THROW(p->gpio.pin_out(99), std::out_of_range);
    BOOST_CHECK_THROW(p->gpio.pin_oe(32), std::out_of_range);
    p.reset();
}

namespace {
struct Txn {
    bool write;
    uint32_t addr;
    uint32_t value;
    unsigned len;
};

void check_transactions(const vp::TransactionMonitor& mon, size_t from,
                        const std::vector<Txn>& expect) {
    const auto& r = mon.records();
    BOOST_REQUIRE_EQUAL(r.size() - from, expect.size());
    for (size_t i = 0; i < expect.size(); ++i) {
        const auto& rec = r[from + i];
        BOOST_TEST_CONTEXT("transaction " << i << " at offset 0x" << std::hex << expect[i].addr) {
            BOOST_TEST((rec.command == tlm::TLM_WRITE_COMMAND) == expect[i].write);
            BOOST_TEST(rec.address == expect[i].addr);
            BOOST_TEST(rec.length == expect[i].len);
            BOOST_TEST(rec.value() == expect[i].value);
            BOOST_TEST(rec.response == tlm::TLM_OK_RESPONSE);
        }
    }
}
}  // namespace

// The Linux gpio-omap sequences (drivers/gpio/gpio-omap.c, OMAP4 register map omap4_gpio_regs)
// replayed register by register on GPIO1 of a BeagleBone Black: probe, the USR0 LED on
// GPIO1_21 as an output, and an input with a rising-edge interrupt and its handler.
BOOST_FIXTURE_TEST_CASE(linux_gpio_omap_sequences, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    const uint32_t led = 1u << 21;  // USR0 (am335x.md §11)
    const uint32_t btn = 1u << 16;  // an input on GPIO1_16

    // omap_gpio_probe -> pm_runtime_get_sync -> omap_gpio_runtime_resume ->
    // omap_gpio_unidle -> omap_gpio_init_context: reads the reset state.
    size_t mark = b.mon.records().size();
    uint32_t sysconfig = b.rd(kSysconfig), ctrl = b.rd(kCtrl), oe = b.rd(kOe);
    uint32_t wake = b.rd(kIrqWaken0), ld0 = b.rd(kLevelDetect0), ld1 = b.rd(kLevelDetect1);
    uint32_t rise = b.rd(kRisingDetect), fall = b.rd(kFallingDetect);
    uint32_t en1 = b.rd(kIrqStatusSet0), en2 = b.rd(kIrqStatusSet1), dout = b.rd(kDataout);
    check_transactions(b.mon, mark,
                       {{false, kSysconfig, 0, 4},
                        {false, kCtrl, 0, 4},
                        {false, kOe, 0xFFFFFFFF, 4},
                        {false, kIrqWaken0, 0, 4},
                        {false, kLevelDetect0, 0, 4},
                        {false, kLevelDetect1, 0, 4},
                        {false, kRisingDetect, 0, 4},
                        {false, kFallingDetect, 0, 4},
                        {false, kIrqStatusSet0, 0, 4},
                        {false, kIrqStatusSet1, 0, 4},
                        {false, kDataout, 0, 4}});
    (void)sysconfig, (void)ctrl, (void)oe, (void)wake, (void)ld0, (void)ld1, (void)rise;
    (void)fall, (void)en1, (void)en2, (void)dout;

    // omap_gpio_mod_init: rmw irqenable (clear all: writes 0 to IRQSTATUS_SET_0, no effect),
    // rmw irqstatus (set all: W1C of every event), DEBOUNCENABLE = 0, read OE, CTRL = 0.
    mark = b.mon.records().size();
    b.wr(kIrqStatusSet0, b.rd(kIrqStatusSet0) & ~0xFFFFFFFFu);
    b.wr(kIrqStatus0, b.rd(kIrqStatus0) | 0xFFFFFFFFu);
    b.wr(kDebounceEnable, 0);
    b.rd(kOe);
    b.wr(kCtrl, 0);
    // omap_gpio_show_rev: readw of REVISION, printed as "hardware version 0.1".
    const uint32_t rev = b.rd(kRevision, 2);
    BOOST_TEST(((rev >> 4) & 0xF) == 0u);
    BOOST_TEST((rev & 0xF) == 1u);
    check_transactions(b.mon, mark,
                       {{false, kIrqStatusSet0, 0, 4},
                        {true, kIrqStatusSet0, 0, 4},
                        {false, kIrqStatus0, 0, 4},
                        {true, kIrqStatus0, 0xFFFFFFFF, 4},
                        {true, kDebounceEnable, 0, 4},
                        {false, kOe, 0xFFFFFFFF, 4},
                        {true, kCtrl, 0, 4},
                        {false, kRevision, 0x0801, 2}});

    // USR LED: omap_gpio_request -> omap_enable_gpio_module (CTRL rmw, DISABLEMODULE = 0);
    // omap_gpio_output(21, 0) -> omap_set_gpio_dataout_reg (CLEARDATAOUT) then
    // omap_set_gpio_direction (OE rmw); omap_gpio_set(21, 1) / (21, 0).
    Edges ledpin;
    ledpin.attach(p->gpio.pin_out(21));
    mark = b.mon.records().size();
    b.wr(kCtrl, b.rd(kCtrl) & ~kCtrlDisablemodule);
    b.wr(kClearDataout, led);
    b.wr(kOe, b.rd(kOe) & ~led);
    sc_start(1, SC_MS);
    b.wr(kSetDataout, led);  // LED on at 1 ms
    sc_start(1, SC_MS);
    b.wr(kClearDataout, led);  // off at 2 ms
    check_transactions(b.mon, mark,
                       {{false, kCtrl, 0, 4},
                        {true, kCtrl, 0, 4},
                        {true, kClearDataout, led, 4},
                        {false, kOe, 0xFFFFFFFF, 4},
                        {true, kOe, ~led, 4},
                        {true, kSetDataout, led, 4},
                        {true, kClearDataout, led, 4}});
    BOOST_REQUIRE(ledpin.log.size() == 2u);
    BOOST_TEST(ledpin.log[0].first == sc_time(1, SC_MS));
    BOOST_TEST(ledpin.log[0].second);
    BOOST_TEST(ledpin.log[1].first == sc_time(2, SC_MS));
    BOOST_TEST(!ledpin.log[1].second);

    // Input with a rising-edge IRQ: omap_gpio_input (OE rmw set), then request_irq ->
    // omap_gpio_irq_type(IRQ_TYPE_EDGE_RISING) -> omap_set_gpio_trigger (rmw LEVELDETECT0,
    // LEVELDETECT1, RISINGDETECT, FALLINGDETECT, then reads them back), omap_gpio_init_irq,
    // omap_gpio_is_input (reads OE); omap_gpio_irq_startup -> omap_gpio_unmask_irq ->
    // omap_set_gpio_irqenable (IRQSTATUS_SET_0 = bit, IRQWAKEN_0 rmw).
    Edges line_a;
    line_a.attach(p->gpio.irq[0]);
    mark = b.mon.records().size();
    b.wr(kOe, b.rd(kOe) | btn);
    b.wr(kLevelDetect0, b.rd(kLevelDetect0) & ~btn);
    b.wr(kLevelDetect1, b.rd(kLevelDetect1) & ~btn);
    b.wr(kRisingDetect, b.rd(kRisingDetect) | btn);
    b.wr(kFallingDetect, b.rd(kFallingDetect) & ~btn);
    b.rd(kLevelDetect0);
    b.rd(kLevelDetect1);
    b.rd(kRisingDetect);
    b.rd(kFallingDetect);
    BOOST_TEST((b.rd(kOe) & btn) != 0u);
    b.wr(kIrqStatusSet0, btn);
    b.wr(kIrqWaken0, b.rd(kIrqWaken0) | btn);
    check_transactions(b.mon, mark,
                       {{false, kOe, ~led, 4},
                        {true, kOe, ~led | btn, 4},
                        {false, kLevelDetect0, 0, 4},
                        {true, kLevelDetect0, 0, 4},
                        {false, kLevelDetect1, 0, 4},
                        {true, kLevelDetect1, 0, 4},
                        {false, kRisingDetect, 0, 4},
                        {true, kRisingDetect, btn, 4},
                        {false, kFallingDetect, 0, 4},
                        {true, kFallingDetect, 0, 4},
                        {false, kLevelDetect0, 0, 4},
                        {false, kLevelDetect1, 0, 4},
                        {false, kRisingDetect, btn, 4},
                        {false, kFallingDetect, 0, 4},
                        {false, kOe, ~led | btn, 4},
                        {true, kIrqStatusSet0, btn, 4},
                        {false, kIrqWaken0, 0, 4},
                        {true, kIrqWaken0, btn, 4}});

    // The edge arrives at 3 ms: IRQSTATUS_0 bit 16 and line A (INTC 98) go high.
    sc_start(1, SC_MS);
    p->gpio.pin_in(16).write(true);
    BOOST_TEST(p->gpio.irq[0].read());
    // omap_gpio_irq_handler, 5 us later: enabled = IRQSTATUS_SET_0, isr = IRQSTATUS_0 &
    // enabled, edge = isr & ~level_mask -> omap_clear_gpio_irqbank (IRQSTATUS_0 and
    // IRQSTATUS_1 W1C, read back IRQSTATUS_1 to flush); loop: nothing pending -> exit.
    sc_start(5, SC_US);
    mark = b.mon.records().size();
    const uint32_t enabled = b.rd(kIrqStatusSet0);
    const uint32_t isr = b.rd(kIrqStatus0) & enabled;
    BOOST_TEST(isr == btn);
    b.wr(kIrqStatus0, isr);
    b.wr(kIrqStatus1, isr);
    b.rd(kIrqStatus1);
    BOOST_TEST((b.rd(kIrqStatus0) & b.rd(kIrqStatusSet0)) == 0u);
    check_transactions(b.mon, mark,
                       {{false, kIrqStatusSet0, btn, 4},
                        {false, kIrqStatus0, btn, 4},
                        {true, kIrqStatus0, btn, 4},
                        {true, kIrqStatus1, btn, 4},
                        {false, kIrqStatus1, 0, 4},
                        {false, kIrqStatus0, 0, 4},
                        {false, kIrqStatusSet0, btn, 4}});
    BOOST_REQUIRE(line_a.log.size() == 2u);
    BOOST_TEST(line_a.log[0].first == sc_time(3, SC_MS));
    BOOST_TEST(line_a.log[0].second);
    BOOST_TEST(line_a.log[1].first == sc_time(3005, SC_US));
    BOOST_TEST(!line_a.log[1].second);
    p.reset();
}

// tests/scripts/gpio_linux_led_irq.yaml on GPIO1 at its SoC address (0x4804C000, INTC 98/99,
// CM_PER_GPIO1_CLKCTRL at CM_PER + 0xAC; am335x.md §1.3, §3.1).
BOOST_FIXTURE_TEST_CASE(register_script_gpio_linux_led_irq, vp::test::FreshSim) {
    PrcmStub prcm("prcm");
    Decoder bus("decoder");
    vp::Gpio gpio("gpio1");
    bus.map(kPrcmBase, kPrcmSize, prcm.socket);
    bus.map(0x4804C000, kWindowSize, gpio.socket);
    prcm.gate(0xAC, gpio.clock_enable);
    std::string log;
    const bool ok = run_script("tests/scripts/gpio_linux_led_irq.yaml", bus,
                               {{98, &gpio.irq[0]}, {99, &gpio.irq[1]}}, log);
    BOOST_TEST(ok, "script failed:\n" << log);
}
