#define BOOST_TEST_MODULE rtc
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
#include "models/rtc/rtc.h"
#include "platform/script/script_master.h"
#include "tests/support/lt_bus.h"
#include "tests/support/sim_context.h"

using namespace vp::rtc;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::SC_PS;
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

const sc_time kSec(1, sc_core::SC_SEC);

struct Platform {
    Bus bus{"bus"};
    vp::Rtc rtc;
    explicit Platform(const vp::RtcParams& p = {}) : rtc("rtc", p) {
        bus.mon.initiator.bind(rtc.socket);
        sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                                sc_core::SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
    ~Platform() {
        BOOST_CHECK_MESSAGE(bus.mon.violations().empty(), "TLM base-protocol violation");
    }
};

// rtc-omap's am3352_rtc_unlock: KICK0R then KICK1R with their keys (TRM 20.3.3.5.3).
void unlock(Bus& b) {
    b.wr(kKick0, kKick0Key);
    b.wr(kKick1, kKick1Key);
}

}  // namespace

// Reset value and access policy of every register (TRM SPRUH73 §20.3.5, Table 20-63).
BOOST_FIXTURE_TEST_CASE(reset_values_and_policies, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    const struct {
        uint32_t off;
        uint32_t reset;
    } resets[] = {
        {kSeconds, 0},       {kMinutes, 0},       {kHours, 0},
        {kDays, 1},                                             // 20.3.5.1-4
        {kMonths, 1},        {kYears, 0},         {kWeeks, 0},  // 5-7
        {kAlarmSeconds, 0},  {kAlarmMinutes, 0},  {kAlarmHours, 0},
        {kAlarmDays, 1},                                                    // 8-11
        {kAlarmMonths, 1},   {kAlarmYears, 0},                              // 12-13
        {kCtrl, 0},          {kStatus, 0},        {kInterrupts, 0},         // 14-16
        {kCompLsb, 0},       {kCompMsb, 0},       {kOsc, 0x10},             // 17-19
        {kScratch0, 0},      {kScratch1, 0},      {kScratch2, 0},           // 20-22
        {kKick0, 0},         {kKick1, 0},         {kRevision, 0x4EB00904},  // 23-25
        {kSysconfig, 2},     {kIrqWakeEn, 0},                               // 26-27
        {kAlarm2Seconds, 0}, {kAlarm2Minutes, 0}, {kAlarm2Hours, 0},
        {kAlarm2Days, 1},  // 28-31
        {kAlarm2Months, 1},  {kAlarm2Years, 0},   {kPmic, 0},
        {kDebounce, 0},  // 32-35
    };
    for (const auto& r : resets)
        BOOST_TEST(b.rd(r.off) == r.reset, "offset 0x" << std::hex << r.off);
    // Out of reset the registers are write-protected (20.3.5.23).
    b.wr(kScratch0, 0x12345678);
    BOOST_TEST(b.rd(kScratch0) == 0u);
    BOOST_TEST(p->rtc.locked());
    unlock(b);
    BOOST_TEST(!p->rtc.locked());
    // Writable bits (field tables 20-64 ... 20-98).
    const struct {
        uint32_t off;
        uint32_t readback;
    } masks[] = {
        {kAlarmSeconds, 0x7F}, {kAlarmMinutes, 0x7F}, {kAlarmHours, 0xBF},     {kAlarmDays, 0x3F},
        {kAlarmMonths, 0x1F},  {kAlarmYears, 0xFF},   {kInterrupts, 0x1F},     {kCompLsb, 0xFF},
        {kCompMsb, 0xFF},      {kOsc, 0x5F},          {kScratch1, 0xFFFFFFFF}, {kSysconfig, 0x3},
        {kIrqWakeEn, 0x3},     {kAlarm2Hours, 0xBF},  {kDebounce, 0xFF},
    };
    for (const auto& m : masks) {
        b.wr(m.off, 0xFFFFFFFF);
        BOOST_TEST(b.rd(m.off) == m.readback, "offset 0x" << std::hex << m.off);
    }
    b.wr(kInterrupts, 0);
    BOOST_TEST(b.rd(kKick0) == 0u);  // KICK registers are write-only
    b.wr(kRevision, 0);
    BOOST_TEST(b.rd(kRevision) == 0x4EB00904u);
    // Byte accesses, as rtc-omap's rtc_read/rtc_write (readb/writeb).
    b.wr(kScratch2 + 1, 0xAB, 1);
    BOOST_TEST(b.rd(kScratch2) == 0xAB00u);
    BOOST_TEST(b.rd(kRevision + 3, 1) == 0x4Eu);
    p.reset();
}

// The kick state machine (TRM 20.3.3.5.3, Figure 20-58): unlocked only after KICK0 then KICK1
// with their keys; a wrong KICK0 value or any KICK1 write relocks.
BOOST_FIXTURE_TEST_CASE(kick_state_machine, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kKick1, kKick1Key);  // KICK1 first: still locked
    BOOST_TEST(p->rtc.locked());
    b.wr(kKick0, kKick0Key);
    BOOST_TEST(p->rtc.locked());  // S1
    b.wr(kKick1, kKick1Key);
    BOOST_TEST(!p->rtc.locked());  // S2
    b.wr(kScratch0, 1);
    b.wr(kKick1, kKick1Key);  // S2 -> S0 on any KICK1 write
    BOOST_TEST(p->rtc.locked());
    b.wr(kScratch0, 2);
    BOOST_TEST(b.rd(kScratch0) == 1u);
    unlock(b);
    b.wr(kKick0, 0);  // rtc-omap's am3352_rtc_lock: S2 -> S0
    BOOST_TEST(p->rtc.locked());
    unlock(b);
    b.wr(kKick0, kKick0Key);  // S2 -> S1
    BOOST_TEST(p->rtc.locked());
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    p->rtc.clock_enable.write(false);  // SPRUH73 §8.1.12
    BOOST_TEST(p->bus.access(tlm::TLM_READ_COMMAND, kRevision, 0, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p->rtc.clock_enable.write(true);
    BOOST_TEST(p->bus.rd(kRevision) == kRevisionReset);
    p.reset();
}

// A running BCD calendar (TRM 20.3.3.5.1, Table 20-61): STOP_RTC = 1 runs it; every second
// the time advances with BCD digits, months of 28/29/30/31 days, years 00-99 (2000 is a leap
// year), the day of the week counting 0-6.
BOOST_FIXTURE_TEST_CASE(calendar_counts_in_bcd, vp::test::FreshSim) {
    vp::RtcParams prm;
    prm.year = 99;
    prm.month = 12;
    prm.day = 31;
    prm.hour = 23;
    prm.minute = 59;
    prm.second = 58;
    prm.weekday = 4;  // 2099-12-31 is a Thursday
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    BOOST_TEST(b.rd(kYears) == 0x99u);  // the reset values come from the parameters
    unlock(b);
    b.wr(kCtrl, kCtrlStopRtc);
    BOOST_TEST((b.rd(kStatus) & kStatusRun) != 0u);
    b.run(2 * kSec + sc_time(100, SC_MS));
    BOOST_TEST(b.rd(kSeconds) == 0x00u);
    BOOST_TEST(b.rd(kMinutes) == 0x00u);
    BOOST_TEST(b.rd(kHours) == 0x00u);
    BOOST_TEST(b.rd(kDays) == 0x01u);
    BOOST_TEST(b.rd(kMonths) == 0x01u);
    BOOST_TEST(b.rd(kYears) == 0x00u);
    BOOST_TEST(b.rd(kWeeks) == 5u);
    // The last update completed a second, a minute, an hour and a day (Table 20-60).
    BOOST_TEST((b.rd(kStatus) & 0x3Cu) == 0x3Cu);
    // Leap year: 2024-02-28 23:59:59 -> 02-29; 2023-02-28 -> 03-01.
    b.wr(kCtrl, 0);  // stop to set the time (20.3.3.5.5)
    BOOST_TEST((b.rd(kStatus) & kStatusRun) == 0u);
    b.wr(kYears, 0x24);
    b.wr(kMonths, 0x02);
    b.wr(kDays, 0x28);
    b.wr(kHours, 0x23);
    b.wr(kMinutes, 0x59);
    b.wr(kSeconds, 0x59);
    b.wr(kCtrl, kCtrlStopRtc);
    b.run(kSec);
    BOOST_TEST(b.rd(kSeconds) == 0x00u);
    BOOST_TEST(b.rd(kDays) == 0x29u);
    BOOST_TEST(b.rd(kMonths) == 0x02u);
    b.wr(kCtrl, 0);
    b.wr(kYears, 0x23);
    b.wr(kDays, 0x28);
    b.wr(kHours, 0x23);
    b.wr(kMinutes, 0x59);
    b.wr(kSeconds, 0x59);
    b.wr(kCtrl, kCtrlStopRtc);
    b.run(kSec);
    b.rd(kSeconds);
    BOOST_TEST(b.rd(kDays) == 0x01u);
    BOOST_TEST(b.rd(kMonths) == 0x03u);
    // A stopped RTC is frozen (20.3.5.14).
    b.wr(kCtrl, 0);
    const uint32_t s = b.rd(kSeconds);
    b.run(5 * kSec);
    BOOST_TEST(b.rd(kSeconds) == s);
    p.reset();
}

// Reading SECONDS copies the whole time into the read shadow; the other registers return it
// even if the time has moved on (TRM 20.3.3.5.4). 12-hour mode shows 01-12 and PM_nAM.
BOOST_FIXTURE_TEST_CASE(read_shadow_and_12_hour_mode, vp::test::FreshSim) {
    vp::RtcParams prm;
    prm.hour = 13;
    prm.minute = 59;
    prm.second = 59;
    prm.running = true;
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    b.run(sc_time(500, SC_MS));
    BOOST_TEST(b.rd(kSeconds) == 0x59u);
    b.run(kSec);                          // now 14:00:00
    BOOST_TEST(b.rd(kMinutes) == 0x59u);  // the shadow of the SECONDS read
    BOOST_TEST(b.rd(kHours) == 0x13u);
    BOOST_TEST(b.rd(kSeconds) == 0x00u);
    BOOST_TEST(b.rd(kHours) == 0x14u);
    unlock(b);
    b.wr(kCtrl, kCtrlStopRtc | kCtrlMode1224);  // 20.3.5.3: 12-hour mode
    b.rd(kSeconds);
    BOOST_TEST(b.rd(kHours) == (kHoursPmNam | 0x02u));  // 2 PM
    p.reset();
}

// STATUS.BUSY: "0 = updating event in more than 15 us" (TRM 20.3.5.15, 20.3.3.5.5).
BOOST_FIXTURE_TEST_CASE(busy_before_each_update, vp::test::FreshSim) {
    vp::RtcParams prm;
    prm.running = true;
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    b.run_to(kSec - sc_time(20, SC_US));
    BOOST_TEST((b.rd(kStatus) & kStatusBusy) == 0u);
    b.run_to(kSec - sc_time(10, SC_US));
    BOOST_TEST((b.rd(kStatus) & kStatusBusy) != 0u);
    b.local = sc_time(15, SC_US);  // a reader 15 us ahead: past the update
    BOOST_TEST((b.rd(kStatus) & kStatusBusy) == 0u);
    BOOST_TEST(b.rd(kSeconds) == 0x01u);
    p.reset();
}

// The periodic timer interrupt (TRM 20.3.3.4.2.1): with IT_TIMER and EVERY = 0 a pulse at
// every second update, one OCP cycle long (20.3.5.15: "a ... pulse (1 OCP cycle duration)");
// EVERY = 1: every minute.
BOOST_FIXTURE_TEST_CASE(periodic_timer_interrupt, vp::test::FreshSim) {
    vp::RtcParams prm;
    prm.second = 57;
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->rtc.irq_timer);
    unlock(b);
    b.wr(kInterrupts, kInterruptsItTimer);
    const sc_time start = b.now();
    b.wr(kCtrl, kCtrlStopRtc);
    b.run_to(start + 3 * kSec + sc_time(500, SC_MS));
    BOOST_REQUIRE(irq.log.size() == 6u);
    for (unsigned n = 1; n <= 3; ++n) {
        BOOST_TEST(irq.log[2 * n - 2].first == start + n * kSec);
        BOOST_TEST(irq.log[2 * n - 2].second);
        BOOST_TEST(irq.log[2 * n - 1].first == start + n * kSec + sc_time(10, SC_NS));
        BOOST_TEST(!irq.log[2 * n - 1].second);
    }
    irq.log.clear();
    b.wr(kInterrupts, kInterruptsItTimer | 1);  // every minute: the next at 00:01:00
    b.run_to(start + 70 * kSec);
    BOOST_REQUIRE(irq.log.size() == 2u);
    BOOST_TEST(irq.log[0].first == start + 63 * kSec);
    p.reset();
}

// The alarm interrupt (TRM 20.3.3.4.2.2): when the time equals the ALARM registers, STATUS.ALARM
// is set and, with IT_ALARM, the line stays asserted until ALARM is written 1.
BOOST_FIXTURE_TEST_CASE(alarm_interrupt, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->rtc.irq_alarm);
    unlock(b);
    b.wr(kAlarmSeconds, 0x05);
    b.wr(kAlarmMinutes, 0x01);  // 2000-01-01 00:01:05
    b.wr(kInterrupts, kInterruptsItAlarm);
    const sc_time start = b.now();
    b.wr(kCtrl, kCtrlStopRtc);
    b.run_to(start + 70 * kSec);
    BOOST_REQUIRE(irq.log.size() == 1u);
    BOOST_TEST(irq.log[0].first == start + 65 * kSec);
    BOOST_TEST((b.rd(kStatus) & kStatusAlarm) != 0u);
    b.wr(kStatus, kStatusAlarm);  // W1C
    BOOST_TEST(!p->rtc.irq_alarm.read());
    BOOST_TEST((b.rd(kStatus) & kStatusAlarm) == 0u);
    p.reset();
}

// ROUND_30S: at the next second the time goes to the nearest minute and the bit clears
// (TRM 20.3.3.5.4.1: 10:59:45 -> 11:00:00).
BOOST_FIXTURE_TEST_CASE(round_to_nearest_minute, vp::test::FreshSim) {
    vp::RtcParams prm;
    prm.hour = 10;
    prm.minute = 59;
    prm.second = 44;
    prm.running = true;
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    unlock(b);
    b.wr(kCtrl, kCtrlStopRtc | kCtrlRound30s);
    BOOST_TEST((b.rd(kCtrl) & kCtrlRound30s) != 0u);
    b.run(sc_time(1500, SC_MS));
    BOOST_TEST((b.rd(kCtrl) & kCtrlRound30s) == 0u);
    BOOST_TEST(b.rd(kSeconds) == 0x00u);
    BOOST_TEST(b.rd(kMinutes) == 0x00u);
    BOOST_TEST(b.rd(kHours) == 0x11u);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(bad_params_and_values, vp::test::FreshSim) {
    vp::RtcParams bad;
    bad.month = 2;
    bad.day = 30;
    BOOST_CHECK_THROW(vp::Rtc("r0", bad), std::invalid_argument);
    bad = {};
    bad.hour = 24;
    BOOST_CHECK_THROW(vp::Rtc("r1", bad), std::invalid_argument);
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    p->rtc.log().set_level(vp::LogLevel::off);
    unlock(b);
    b.wr(kSeconds, 0x5A);  // not BCD: ignored
    BOOST_TEST(b.rd(kSeconds) == 0u);
    b.wr(kMonths, 0x13);  // month 13: ignored
    b.rd(kSeconds);
    BOOST_TEST(b.rd(kMonths) == 1u);
    p.reset();
}

// rtc-omap (drivers/rtc/rtc-omap.c) on the AM335x: omap_rtc_set_time (tm2bcd; wait while
// STATUS.BUSY; am3352_rtc_unlock; YEARS, MONTHS, DAYS, HOURS, MINUTES, SECONDS with writeb;
// am3352_rtc_lock) and omap_rtc_read_time (wait while BUSY; SECONDS, MINUTES, HOURS, DAYS,
// MONTHS, YEARS with readb), after the probe started the clock (CTRL |= STOP_RTC).
BOOST_FIXTURE_TEST_CASE(linux_rtc_omap_sequences, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    // probe: unlock, start the RTC, lock.
    unlock(b);
    const uint32_t ctrl = b.rd(kCtrl, 1);
    b.wr(kCtrl, ctrl | kCtrlStopRtc, 1);
    b.wr(kKick0, 0);
    b.wr(kKick1, 0);
    BOOST_TEST(p->rtc.running());
    BOOST_TEST(p->rtc.locked());
    // omap_rtc_set_time(2024-02-29 13:45:30).
    b.run(sc_time(300, SC_MS));
    while (b.rd(kStatus, 1) & kStatusBusy)
        b.run(sc_time(1, SC_US));
    const size_t mark = b.mon.records().size();
    unlock(b);
    const uint32_t vals[6] = {0x24, 0x02, 0x29, 0x13, 0x45, 0x30};
    const uint32_t offs[6] = {kYears, kMonths, kDays, kHours, kMinutes, kSeconds};
    for (unsigned i = 0; i < 6; ++i)
        b.wr(offs[i], vals[i], 1);
    b.wr(kKick0, 0);
    b.wr(kKick1, 0);
    const auto& rec = b.mon.records();
    BOOST_REQUIRE_EQUAL(rec.size() - mark, 10u);
    for (unsigned i = 0; i < 6; ++i) {
        BOOST_TEST(rec[mark + 2 + i].address == offs[i]);
        BOOST_TEST(rec[mark + 2 + i].length == 1u);
        BOOST_TEST(rec[mark + 2 + i].value() == vals[i]);
        BOOST_TEST(rec[mark + 2 + i].response == tlm::TLM_OK_RESPONSE);
    }
    // 90 s later, omap_rtc_read_time: 13:47:00 (the sub-second phase kept from the start).
    b.run(90 * kSec);
    while (b.rd(kStatus, 1) & kStatusBusy)
        b.run(sc_time(1, SC_US));
    uint32_t tm[6];
    for (unsigned i = 0; i < 6; ++i)
        tm[i] = b.rd(offs[5 - i], 1);
    BOOST_TEST(tm[0] == 0x00u);  // seconds
    BOOST_TEST(tm[1] == 0x47u);
    BOOST_TEST(tm[2] == 0x13u);
    BOOST_TEST(tm[3] == 0x29u);
    BOOST_TEST(tm[4] == 0x02u);
    BOOST_TEST(tm[5] == 0x24u);
    p.reset();
}

// tests/scripts/rtc_linux_settime.yaml on the RTC at its SoC address (0x44E3E000, INTC 75/76,
// CM_RTC_RTC_CLKCTRL at 0x44E00800, enabled at reset; am335x.md §1.2, §16).
BOOST_FIXTURE_TEST_CASE(register_script_rtc_linux_settime, vp::test::FreshSim) {
    PrcmStub prcm("prcm");
    Decoder bus("decoder");
    vp::Rtc rtc("rtc");
    bus.map(kPrcmBase, kPrcmSize, prcm.socket);
    bus.map(0x44E3E000, kWindowSize, rtc.socket);
    prcm.value[0x800] = 0x2;
    prcm.gate(0x800, rtc.clock_enable);
    rtc.log().set_level(vp::LogLevel::error);  // the script's locked writes are intended
    std::string log;
    const bool ok = run_script("tests/scripts/rtc_linux_settime.yaml", bus,
                               {{75, &rtc.irq_timer}, {76, &rtc.irq_alarm}}, log);
    BOOST_TEST(ok, "script failed:\n" << log);
}
