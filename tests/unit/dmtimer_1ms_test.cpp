#define BOOST_TEST_MODULE dmtimer_1ms
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
#include "models/timer/dmtimer_1ms.h"
#include "platform/script/script_master.h"
#include "tests/support/lt_bus.h"
#include "tests/support/sim_context.h"

using namespace vp::dmtimer_1ms;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;
using vp::dmtimer::kIrqAll;
using vp::dmtimer::kIrqMat;
using vp::dmtimer::kIrqOvf;
using vp::dmtimer::kIrqTcar;
using vp::dmtimer::kTclrAr;
using vp::dmtimer::kTclrSt;
using vp::dmtimer::kTsicrPosted;

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

constexpr double kFclk = 24e6;  // CLK_M_OSC on the BeagleBone (am335x.md §12, §16)
constexpr double kOcp = 100e6;  // L4 interface clock (§12)

// TRM 20.1.3.10-11, with the clocks above.
sc_time accomplish() {
    return vp::test::posted_write_lands(kOcp, kFclk);
}
sc_time resync() {
    return vp::test::posted_pending_clears(kOcp, kFclk);
}

struct Platform {
    Bus bus{"bus"};
    vp::DmTimer1ms timer;
    explicit Platform(const vp::DmTimerParams& p = {}) : timer("timer1", p) {
        bus.mon.initiator.bind(timer.socket);
        sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                                sc_core::SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
    ~Platform() {
        BOOST_CHECK_MESSAGE(bus.mon.violations().empty(), "TLM base-protocol violation");
    }
};

}  // namespace

// Reset value and access policy of every register (TRM SPRUH73 §20.2.4, Table 20-35).
BOOST_FIXTURE_TEST_CASE(reset_values_and_policies, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    BOOST_TEST(b.rd(kTidr) == 0x15u);  // 20.2.4.1, read-only; TIDR[31:16] = 0 (v1 map)
    b.wr(kTidr, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kTidr) == 0x15u);
    BOOST_TEST(b.rd(kTiocpCfg) == 0u);  // 20.2.4.2: R/W, SoftReset (bit 1) reads 0
    b.wr(kTiocpCfg, 0x0000033D);
    BOOST_TEST(b.rd(kTiocpCfg) == 0x33Du);
    b.wr(kTiocpCfg, 0);
    BOOST_TEST(b.rd(kTistat) == kTistatResetdone);  // 20.2.4.3: reset completed
    b.wr(kTistat, 0);
    BOOST_TEST(b.rd(kTistat) == kTistatResetdone);
    // 20.2.4.4-6: TISR (W1C), TIER, TWER reset 0, bits 2:0.
    BOOST_TEST(b.rd(kTisr) == 0u);
    BOOST_TEST(b.rd(kTier) == 0u);
    BOOST_TEST(b.rd(kTwer) == 0u);
    b.wr(kTier, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kTier) == kIrqAll);
    b.wr(kTwer, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kTwer) == kIrqAll);
    b.wr(kTier, 0);
    BOOST_TEST(b.rd(kTsicr) == 0x4u);  // 20.2.4.14: POSTED = 1 (field table)
    b.wr(kTsicr, 0);
    // 20.2.4.7-12: TCLR (14:0), TCRR, TLDR, TMAR reset 0 and R/W; TTGR reads all ones.
    BOOST_TEST(b.rd(kTclr) == 0u);
    b.wr(kTclr, 0xFFFFFFFE);
    BOOST_TEST(b.rd(kTclr) == 0x7FFEu);
    b.wr(kTclr, 0);
    for (uint32_t off : {kTcrr, kTldr, kTmar, kTpir, kTnir, kTcvr}) {  // 20.2.4.16-18 too
        BOOST_TEST(b.rd(off) == 0u);
        b.wr(off, 0xDEADBEEF);
        BOOST_TEST(b.rd(off) == 0xDEADBEEFu);
    }
    BOOST_TEST(b.rd(kTtgr) == 0xFFFFFFFFu);
    // 20.2.4.19-20: TOCR / TOWR are 24 bits.
    for (uint32_t off : {kTocr, kTowr}) {
        BOOST_TEST(b.rd(off) == 0u);
        b.wr(off, 0xFFFFFFFF);
        BOOST_TEST(b.rd(off) == 0x00FFFFFFu);
    }
    BOOST_TEST(b.rd(kTwps) == 0u);   // 20.2.4.11, read-only
    BOOST_TEST(b.rd(kTcar1) == 0u);  // 20.2.4.13 / 15, read-only
    BOOST_TEST(b.rd(kTcar2) == 0u);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(clock_gated_access_and_soft_reset, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    p->timer.clock_enable.write(false);  // SPRUH73 §8.1.12
    BOOST_TEST(b.access(tlm::TLM_READ_COMMAND, kTidr, 0, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p->timer.clock_enable.write(true);
    // TIOCP_CFG.SoftReset (bit 1, 20.2.4.2): every register back to reset, the bit reads 0,
    // TISTAT.ResetDone = 1.
    b.wr(kTsicr, 0);
    b.wr(kTldr, 0x100);
    b.wr(kTpir, 232000);
    b.wr(kTowr, 3);
    b.wr(kTier, kIrqOvf);
    b.wr(kTclr, kTclrSt);
    b.wr(kTiocpCfg, kTiocpSoftreset | kTiocpAutoidle);
    BOOST_TEST(b.rd(kTiocpCfg) == 0u);
    BOOST_TEST(b.rd(kTistat) == kTistatResetdone);
    BOOST_TEST(b.rd(kTldr) == 0u);
    BOOST_TEST(b.rd(kTpir) == 0u);
    BOOST_TEST(b.rd(kTowr) == 0u);
    BOOST_TEST(b.rd(kTier) == 0u);
    BOOST_TEST(b.rd(kTclr) == 0u);
    BOOST_TEST(b.rd(kTsicr) == 0x4u);
    BOOST_TEST(!p->timer.counting());
    p.reset();
}

// TISR records every event; the line is asserted for the events enabled in TIER
// (TRM 20.2.3.6); a write of 1 clears (20.2.4.4).
BOOST_FIXTURE_TEST_CASE(tisr_and_tier, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kTsicr, 0);
    b.wr(kTcrr, 0xFFFFFFFF - 23);  // 24 ticks = 1 us at 24 MHz
    b.wr(kTclr, kTclrSt | kTclrAr);
    b.run(sc_time(10, SC_US));
    BOOST_TEST(b.rd(kTisr) == kIrqOvf);
    BOOST_TEST(!p->timer.irq.read());
    b.wr(kTier, kIrqOvf);
    BOOST_TEST(p->timer.irq.read());
    b.wr(kTisr, kIrqOvf);
    BOOST_TEST(b.rd(kTisr) == 0u);
    BOOST_TEST(!p->timer.irq.read());
    p.reset();
}

// 1 ms tick generation (TRM 20.2.3.1.1): with the 32768 Hz clock, TPIR = 232000,
// TNIR = -768000 and TLDR = 0xFFFF_FFE0, the reloads mix 32- and 33-tick periods so that
// the error never reaches one tick and 1000 periods are exactly 32768 ticks (1 s):
// TPIR = (33 - 32.768) * 1e6, TNIR = (32 - 32.768) * 1e6, and 768 over-periods of 33 ticks
// with 232 sub-periods of 32 ticks sum to 32768.
BOOST_FIXTURE_TEST_CASE(one_ms_tick_generation, vp::test::FreshSim) {
    vp::DmTimerParams prm;
    prm.clock_hz = 32768;
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->timer.irq);
    b.wr(kTsicr, 0);
    b.wr(kTpir, 232000);
    b.wr(kTnir, static_cast<uint32_t>(-768000));
    b.wr(kTldr, 0xFFFFFFE0);
    b.wr(kTtgr, 0);
    b.wr(kTier, kIrqOvf);
    b.wr(kTclr, kTclrSt | kTclrAr);
    b.run(sc_time(100, SC_US));
    const sc_time t0 = sc_time_stamp();
    std::vector<sc_time> rises;
    for (unsigned k = 1; k <= 1002; ++k) {
        b.run_to(t0 + sc_time(k, SC_MS));  // one overflow per millisecond
        b.wr(kTisr, kIrqOvf);
    }
    for (const auto& e : irq.log)
        if (e.second) rises.push_back(e.first);
    BOOST_REQUIRE(rises.size() >= 1001u);
    const sc_time tick = sc_time(1.0 / 32768, sc_core::SC_SEC);
    for (size_t i = 1; i < rises.size(); ++i) {
        const sc_time d = rises[i] - rises[i - 1];
        BOOST_TEST_CONTEXT("period " << i) {
            BOOST_TEST((near(d, sc_time(32 / 32768.0, sc_core::SC_SEC)) ||
                        near(d, sc_time(33 / 32768.0, sc_core::SC_SEC))));
            // The accumulated error stays within one tick of i milliseconds.
            const sc_time ideal = sc_time(static_cast<double>(i), SC_MS);
            const sc_time got = rises[i] - rises[0];
            BOOST_TEST((got > ideal ? got - ideal : ideal - got) < tick);
        }
    }
    BOOST_TEST(near(rises[1000] - rises[0], sc_time(1, sc_core::SC_SEC)));
    p.reset();
}

// TOCR counts overflows and only every (TOWR + 1)-th reaches TISR (TRM 20.2.3.1.1).
BOOST_FIXTURE_TEST_CASE(overflow_masking_tocr_towr, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->timer.irq);
    b.wr(kTsicr, 0);
    b.wr(kTowr, 4);
    b.wr(kTldr, 0xFFFFFFFF - 2399);  // 2400 ticks = 100 us
    b.wr(kTtgr, 0);
    b.wr(kTier, kIrqOvf);
    const sc_time tw = b.now();
    b.wr(kTclr, kTclrSt | kTclrAr);
    const sc_time start = tw + accomplish();
    b.run_to(start + sc_time(250, SC_US));
    BOOST_TEST(b.rd(kTocr) == 2u);
    BOOST_TEST(!p->timer.irq.read());
    b.run_to(start + sc_time(520, SC_US));
    BOOST_TEST(p->timer.irq.read());
    BOOST_TEST(b.rd(kTocr) == 0u);
    BOOST_REQUIRE(!irq.log.empty());
    BOOST_TEST(near(irq.log[0].first, start + sc_time(500, SC_US)));  // the 5th overflow
    p.reset();
}

// The 1 ms timer's extra posted registers have TWPS bits 5-9 (TRM 20.2.4.11).
BOOST_FIXTURE_TEST_CASE(posted_bits_of_the_1ms_registers, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    BOOST_REQUIRE(b.rd(kTsicr) & kTsicrPosted);
    b.wr(kTpir, 1);
    b.wr(kTnir, 2);
    b.wr(kTcvr, 3);
    b.wr(kTocr, 4);
    b.wr(kTowr, 5);
    BOOST_TEST(b.rd(kTwps) == (kTwpsTpir | kTwpsTnir | kTwpsTcvr | kTwpsTocr | kTwpsTowr));
    b.run(resync() + sc_time(1, SC_NS));
    BOOST_TEST(b.rd(kTwps) == 0u);
    BOOST_TEST(b.rd(kTowr) == 5u);
    p.reset();
}

// timer-ti-dm on a revision-1 timer (TIDR[31:16] == 0): the same omap_dm_timer_* calls use
// the v1 map (irq_stat = TISR, irq_ena = TIER, wake-up enable TWER, functional registers at
// their v1 offsets), a periodic overflow every 10 ms on the 32768 Hz clock.
BOOST_FIXTURE_TEST_CASE(linux_timer_ti_dm_periodic_v1, vp::test::FreshSim) {
    vp::DmTimerParams prm;
    prm.clock_hz = 32768;
    auto p = std::make_unique<Platform>(prm);
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->timer.irq);
    BOOST_TEST((b.rd(kTidr) >> 16) == 0u);          // omap_dm_timer_probe: revision 1
    b.wr(kTsicr, 0);                                // __omap_dm_timer_enable_posted (i103/i767)
    const uint32_t load = 0xFFFFFFFFu - 328u + 1u;  // 328 ticks
    b.wr(kTclr, b.rd(kTclr) | kTclrAr);             // omap_dm_timer_set_load(timer, 1, load)
    b.wr(kTldr, load);
    b.wr(kTtgr, 0);
    b.wr(kTier, kIrqOvf);  // omap_dm_timer_set_int_enable
    b.wr(kTwer, kIrqOvf);
    const uint32_t tclr = b.rd(kTclr);  // omap_dm_timer_start
    const sc_time tw = b.now();
    b.wr(kTclr, tclr | kTclrSt);
    // Write accomplished 1 OCP + 2.5 timer clocks later (TRM 20.1.3.10 / 20.2).
    const sc_time start = tw + vp::test::posted_write_lands(kOcp, 32768);
    const sc_time period = sc_time(328.0 / 32768, sc_core::SC_SEC);
    for (unsigned n = 1; n <= 3; ++n) {
        b.run_to(start + period * n + sc_time(100, SC_US));
        BOOST_TEST(b.rd(kTisr) == kIrqOvf);  // omap_dm_timer_read_status
        b.wr(kTisr, kIrqOvf);                // omap_dm_timer_write_status
    }
    BOOST_REQUIRE(irq.log.size() == 6u);
    for (unsigned n = 1; n <= 3; ++n) {
        BOOST_TEST(irq.log[2 * (n - 1)].second);
        BOOST_TEST(near(irq.log[2 * (n - 1)].first, start + period * n));
    }
    p.reset();
}

// tests/scripts/dmtimer_1ms_linux_tick.yaml on DMTIMER1_1MS at its SoC address (0x44E31000,
// INTC 67, CM_WKUP_TIMER1_CLKCTRL at CM_WKUP + 0xC4, CLKSEL_TIMER1MS_CLK at CM_DPLL + 0x28:
// 0 = CLK_M_OSC, 1 = CLK_32KHZ; am335x.md §1.2, §3, §16).
BOOST_FIXTURE_TEST_CASE(register_script_dmtimer_1ms_linux_tick, vp::test::FreshSim) {
    PrcmStub prcm("prcm");
    Decoder bus("decoder");
    vp::DmTimer1ms timer("dmtimer1_1ms");
    bus.map(kPrcmBase, kPrcmSize, prcm.socket);
    bus.map(0x44E31000, vp::dmtimer::kWindowSize, timer.socket);
    prcm.gate(0x4C4, timer.clock_enable);
    prcm.on_write = [&timer](uint32_t off, uint32_t v) {
        if (off == 0x528 && v <= 1) timer.set_clock_hz(v == 0 ? 24000000 : 32768);
    };
    std::string log;
    const bool ok =
        run_script("tests/scripts/dmtimer_1ms_linux_tick.yaml", bus, {{67, &timer.irq}}, log);
    BOOST_TEST(ok, "script failed:\n" << log);
}
