#define BOOST_TEST_MODULE dmtimer
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
#include "models/timer/dmtimer.h"
#include "platform/script/script_master.h"
#include "tests/support/lt_bus.h"
#include "tests/support/sim_context.h"

using namespace vp::dmtimer;
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

constexpr double kFclk = 24e6;  // CLK_M_OSC on the BeagleBone (am335x.md §12, §16)
constexpr double kOcp = 100e6;  // L4 interface clock (§12)

// TRM 20.1.3.10-11, with the clocks above.
sc_time accomplish() {
    return vp::test::posted_write_lands(kOcp, kFclk);
}
sc_time resync() {
    return vp::test::posted_pending_clears(kOcp, kFclk);
}
sc_time ticks(double n, double ps = 1) {
    return sc_time(n * ps / kFclk, sc_core::SC_SEC);
}

struct Platform {
    Bus bus{"bus"};
    vp::DmTimer timer;
    explicit Platform(const vp::DmTimerParams& p = {}) : timer("timer2", p) {
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

// Reset value and access policy of every register (TRM SPRUH73 §20.1.5, Table 20-10).
BOOST_FIXTURE_TEST_CASE(reset_values_and_policies, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    BOOST_TEST(b.rd(kTidr) == 0x40000100u);  // 20.1.5.1, read-only
    b.wr(kTidr, 0);
    BOOST_TEST(b.rd(kTidr) == 0x40000100u);
    BOOST_TEST(b.rd(kTiocpCfg) == 0u);  // 20.1.5.2: bits 3:0 R/W, SOFTRESET reads 0 when done
    b.wr(kTiocpCfg, 0xFFFFFFFE);
    BOOST_TEST(b.rd(kTiocpCfg) == 0xEu);
    b.wr(kTiocpCfg, 0);
    b.wr(kIrqEoi, 1);
    BOOST_TEST(b.rd(kIrqEoi) == 0u);  // 20.1.5.3: reads always return 0
    // 20.1.5.4-7: RAW (W1S), IRQSTATUS = RAW & enable (W1C of the raw bit, enabled or not),
    // IRQENABLE_SET / _CLR (one mask).
    BOOST_TEST(b.rd(kIrqStatusRaw) == 0u);
    BOOST_TEST(b.rd(kIrqStatus) == 0u);
    BOOST_TEST(b.rd(kIrqEnableSet) == 0u);
    BOOST_TEST(b.rd(kIrqEnableClr) == 0u);
    b.wr(kIrqStatusRaw, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kIrqStatusRaw) == kIrqAll);
    BOOST_TEST(b.rd(kIrqStatus) == 0u);
    BOOST_TEST(!p->timer.irq.read());
    b.wr(kIrqEnableSet, kIrqOvf);
    BOOST_TEST(b.rd(kIrqEnableClr) == kIrqOvf);
    BOOST_TEST(b.rd(kIrqStatus) == kIrqOvf);
    BOOST_TEST(p->timer.irq.read());
    b.wr(kIrqStatus, kIrqMat | kIrqOvf);  // clears raw MAT too although it is not enabled
    BOOST_TEST(b.rd(kIrqStatusRaw) == kIrqTcar);
    BOOST_TEST(!p->timer.irq.read());
    b.wr(kIrqEnableClr, kIrqOvf);
    BOOST_TEST(b.rd(kIrqEnableSet) == 0u);
    b.wr(kIrqStatus, kIrqAll);
    BOOST_TEST(b.rd(kIrqWakeEn) == 0u);  // 20.1.5.8, bits 2:0 R/W
    b.wr(kIrqWakeEn, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kIrqWakeEn) == kIrqAll);
    BOOST_TEST(b.rd(kTsicr) == 0x4u);  // 20.1.5.16: POSTED = 1 (field table)
    b.wr(kTsicr, 0);                   // non-posted: writes land before the next access
    BOOST_TEST(b.rd(kTsicr) == 0u);
    // 20.1.5.9-14: TCLR (bits 14:0), TCRR, TLDR, TMAR reset to 0, R/W; TTGR reads all ones.
    BOOST_TEST(b.rd(kTclr) == 0u);
    b.wr(kTclr, 0xFFFFFFFE);  // everything but ST
    BOOST_TEST(b.rd(kTclr) == 0x7FFEu);
    b.wr(kTclr, 0);
    for (uint32_t off : {kTcrr, kTldr, kTmar}) {
        BOOST_TEST(b.rd(off) == 0u);
        b.wr(off, 0x89ABCDEF);
        BOOST_TEST(b.rd(off) == 0x89ABCDEFu);  // the counter is stopped: TCRR holds
    }
    BOOST_TEST(b.rd(kTtgr) == 0xFFFFFFFFu);
    b.wr(kTtgr, 0);
    BOOST_TEST(b.rd(kTtgr) == 0xFFFFFFFFu);
    BOOST_TEST(b.rd(kTcrr) == 0x89ABCDEFu);  // TTGR loaded TLDR
    BOOST_TEST(b.rd(kTwps) == 0u);           // 20.1.5.13, read-only
    BOOST_TEST(b.rd(kTcar1) == 0u);          // 20.1.5.15 / 17, read-only
    BOOST_TEST(b.rd(kTcar2) == 0u);
    b.wr(kTcar1, 5);
    BOOST_TEST(b.rd(kTcar1) == 0u);
    // Table 20-9: no error for an address without a register; 16- and 32-bit accesses only
    // (20.1.3.8), an 8-bit byte enable is an error.
    BOOST_TEST(b.rd(0x0C) == 0u);
    BOOST_TEST(b.rd(kTidr + 2, 2) == 0x4000u);
    BOOST_TEST(b.access(tlm::TLM_READ_COMMAND, kTidr, 0, 1).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    p->timer.clock_enable.write(false);  // SPRUH73 §8.1.12: access to a disabled module
    BOOST_TEST(p->bus.access(tlm::TLM_READ_COMMAND, kTidr, 0, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_TEST(p->bus.access(tlm::TLM_WRITE_COMMAND, kTldr, 1, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p->timer.clock_enable.write(true);
    BOOST_TEST(p->bus.rd(kTidr) == kTidrReset);
    p.reset();
}

// TIOCP_CFG.SOFTRESET: every register back to its reset value, the bit reads 0 (20.1.5.2);
// TSICR.SFT resets only the functional part (20.1.5.16).
BOOST_FIXTURE_TEST_CASE(soft_reset_and_functional_reset, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kTsicr, 0);
    b.wr(kTldr, 0xFFFF0000);
    b.wr(kTmar, 0x1234);
    b.wr(kIrqEnableSet, kIrqOvf);
    b.wr(kIrqStatusRaw, kIrqOvf);
    b.wr(kTclr, kTclrSt | kTclrAr);
    b.run(sc_time(10, SC_US));
    BOOST_TEST(p->timer.counting());
    BOOST_TEST(p->timer.irq.read());
    b.wr(kTsicr, kTsicrSft);  // functional reset: counter and TCLR, not the OCP side
    BOOST_TEST(!p->timer.counting());
    BOOST_TEST(b.rd(kTclr) == 0u);
    BOOST_TEST(b.rd(kTldr) == 0u);
    BOOST_TEST(b.rd(kTmar) == 0u);
    BOOST_TEST(b.rd(kTcrr) == 0u);
    BOOST_TEST(b.rd(kTsicr) == 0u);  // SFT reads 0, POSTED (0) kept
    BOOST_TEST(b.rd(kIrqEnableSet) == kIrqOvf);
    BOOST_TEST(p->timer.irq.read());
    b.wr(kTiocpCfg, kTiocpSoftreset | kTiocpEmufree);
    BOOST_TEST(b.rd(kTiocpCfg) == 0u);
    BOOST_TEST(b.rd(kTsicr) == kTsicrReset);
    BOOST_TEST(b.rd(kIrqEnableSet) == 0u);
    BOOST_TEST(b.rd(kIrqStatusRaw) == 0u);
    BOOST_TEST(b.rd(kTtgr) == 0xFFFFFFFFu);
    BOOST_TEST(b.rd(kTidr) == kTidrReset);
    BOOST_TEST(!p->timer.irq.read());
    p.reset();
}

// The counter counts up at fclk / PS with PS = 2^(PTV+1) when PRE = 1 (Table 20-7); a read
// returns the value at the reader's own local time (DESIGN.md §5).
BOOST_FIXTURE_TEST_CASE(counter_is_computed_from_time, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kTsicr, kTsicrPosted);  // posted: reads of TCRR are not stalled (20.1.3.11.1)
    b.wr(kTcrr, 1000);
    b.run(sc_time(1, SC_US));  // the posted write has landed
    b.wr(kTclr, kTclrSt);
    const sc_time start = b.now() + accomplish();
    b.run_to(start + sc_time(1, SC_MS));
    BOOST_TEST(b.rd(kTcrr) == 1000u + 24000u);  // 1 ms at 24 MHz
    b.local = sc_time(50, SC_US);               // a decoupled reader 50 us ahead
    BOOST_TEST(b.rd(kTcrr) == 1000u + 24000u + 1200u);
    b.run(SC_ZERO_TIME);
    // PRE = 1, PTV = 2: PS = 8.
    b.wr(kTclr, kTclrSt | kTclrPre | (2u << kTclrPtvShift));
    b.run(sc_time(10, SC_US));
    const uint32_t v0 = b.rd(kTcrr);
    b.run(sc_time(1, SC_MS));
    BOOST_TEST(b.rd(kTcrr) - v0 == 3000u);  // 24000 / 8
    // Stop: the counter freezes (20.1.3.1).
    b.wr(kTclr, 0);
    b.run(sc_time(1, SC_US));
    const uint32_t frozen = b.rd(kTcrr);
    b.run(sc_time(1, SC_MS));
    BOOST_TEST(b.rd(kTcrr) == frozen);
    BOOST_TEST(!p->timer.counting());
    p.reset();
}

// One-shot (AR = 0): at the overflow OVF is set, the counter stays at 0 and ST clears
// (TRM 20.1.3.1, 20.1.5.9; am335x.md §16).
BOOST_FIXTURE_TEST_CASE(one_shot_overflow_stops, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->timer.irq);
    b.wr(kTsicr, 0);
    b.wr(kTcrr, 0xFFFFFFFF - 239);  // 240 ticks to the overflow = 10 us
    b.wr(kIrqEnableSet, kIrqOvf);
    const sc_time tw = b.now();
    b.wr(kTclr, kTclrSt);
    const sc_time ovf = tw + accomplish() + ticks(240);
    b.run_to(ovf + sc_time(1, SC_MS));
    BOOST_REQUIRE(irq.log.size() == 1u);
    BOOST_TEST(near(irq.log[0].first, ovf));
    BOOST_TEST(b.rd(kTclr) == 0u);
    BOOST_TEST(b.rd(kTcrr) == 0u);
    BOOST_TEST(b.rd(kIrqStatus) == kIrqOvf);
    BOOST_TEST(!p->timer.counting());
    p.reset();
}

// Compare: with CE = 1 MAT is raised when TCRR reaches TMAR (TRM 20.1.3.3).
BOOST_FIXTURE_TEST_CASE(match_interrupt_time, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->timer.irq);
    b.wr(kTsicr, 0);
    b.wr(kTmar, 48000);  // 2 ms after a start from 0
    b.wr(kIrqEnableSet, kIrqMat);
    const sc_time tw = b.now();
    b.wr(kTclr, kTclrSt | kTclrCe | kTclrAr);
    const sc_time mat = tw + accomplish() + ticks(48000);
    b.run_to(mat + sc_time(10, SC_US));
    BOOST_REQUIRE(irq.log.size() == 1u);
    BOOST_TEST(near(irq.log[0].first, mat));
    BOOST_TEST(b.rd(kIrqStatusRaw) == kIrqMat);
    b.wr(kIrqStatus, kIrqMat);
    BOOST_TEST(!p->timer.irq.read());
    p.reset();
}

// Capture (TRM 20.1.3.2): TCM selects the edges; CAPT_MODE = 0 stores the first event in
// TCAR1 and ignores the next ones until TCAR_IT_FLAG is cleared; CAPT_MODE = 1 stores the
// second event in TCAR2 and raises the flag then.
BOOST_FIXTURE_TEST_CASE(capture_on_input_edges, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kTsicr, 0);
    b.wr(kIrqEnableSet, kIrqTcar);
    const sc_time tw = b.now();
    b.wr(kTclr, kTclrSt | kTclrAr | (kTcmRising << kTclrTcmShift));
    const sc_time start = tw + accomplish();
    b.run_to(start + sc_time(100, SC_US));
    p->timer.capture_in.write(true);  // at start + 100 us: 2400 ticks
    BOOST_TEST(p->timer.irq.read());
    p->timer.capture_in.write(false);
    b.run(sc_time(100, SC_US));
    p->timer.capture_in.write(true);  // ignored: flag still set
    BOOST_TEST(b.rd(kTcar1) == 2400u);
    BOOST_TEST(b.rd(kTcar2) == 0u);
    b.wr(kIrqStatus, kIrqTcar);  // re-arms the capture
    BOOST_TEST(!p->timer.irq.read());
    // CAPT_MODE = 1, both edges: the 2nd edge goes to TCAR2 and raises the flag.
    b.wr(kTclr, kTclrSt | kTclrAr | kTclrCaptMode | (kTcmBoth << kTclrTcmShift));
    b.run_to(start + sc_time(1, SC_MS));
    p->timer.capture_in.write(false);  // edge 1: TCAR1 = 24000
    BOOST_TEST(!p->timer.irq.read());
    b.run_to(start + sc_time(1500, SC_US));
    p->timer.capture_in.write(true);  // edge 2: TCAR2 = 36000
    BOOST_TEST(p->timer.irq.read());
    BOOST_TEST(b.rd(kTcar1) == 24000u);
    BOOST_TEST(b.rd(kTcar2) == 36000u);
    p.reset();
}

// Posted mode (TRM 20.1.3.10.1): the write is acknowledged at once; the TWPS bit is set until
// 3 OCP + 2.5 timer clocks; the value lands 1 OCP + 2.5 timer clocks after the write; a write
// to a register with a write still pending discards the pending one.
BOOST_FIXTURE_TEST_CASE(posted_writes_and_twps, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    BOOST_REQUIRE(b.rd(kTsicr) & kTsicrPosted);  // reset: posted
    const sc_time t0 = b.now();
    b.wr(kTldr, 0x1111);
    BOOST_TEST(b.last_latency == SC_ZERO_TIME);  // not stalled
    BOOST_TEST(b.rd(kTwps) == kTwpsTldr);
    BOOST_TEST(b.rd(kTldr) == 0u);  // not landed yet: the old value
    b.local = sc_time(50, SC_NS);
    b.wr(kTldr, 0x2222);  // still pending: 0x1111 is discarded
    b.local = SC_ZERO_TIME;
    b.run_to(t0 + accomplish() + sc_time(1, SC_NS));  // 0x1111 would have landed now
    BOOST_TEST(b.rd(kTldr) == 0u);
    BOOST_TEST(b.rd(kTwps) == kTwpsTldr);
    b.run_to(t0 + sc_time(50, SC_NS) + accomplish() + sc_time(1, SC_NS));
    BOOST_TEST(b.rd(kTldr) == 0x2222u);
    BOOST_TEST(b.rd(kTwps) == kTwpsTldr);  // still within 3 OCP + 2.5 fclk
    b.run_to(t0 + sc_time(50, SC_NS) + resync() + sc_time(1, SC_NS));
    BOOST_TEST(b.rd(kTwps) == 0u);
    // TCLR, TCRR, TTGR, TMAR have their own bits.
    b.wr(kTclr, kTclrAr);
    b.wr(kTcrr, 5);
    b.wr(kTmar, 6);
    b.wr(kTtgr, 0);
    BOOST_TEST(b.rd(kTwps) == (kTwpsTclr | kTwpsTcrr | kTwpsTmar | kTwpsTtgr));
    b.run(sc_time(1, SC_US));
    BOOST_TEST(b.rd(kTwps) == 0u);
    BOOST_TEST(b.rd(kTcrr) == 0x2222u);  // the TTGR write discarded the pending TCRR value
    p.reset();
}

// Non-posted mode (TRM 20.1.3.10.2, 20.1.3.11.2): a functional write and a TCRR/TCAR read
// stall the access by 3 OCP + 2.5 timer clocks (134 ns at 100 MHz / 24 MHz, am335x.md §16);
// other registers are not stalled. TWPS stays 0.
BOOST_FIXTURE_TEST_CASE(non_posted_accesses_stall, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kTsicr, 0);
    BOOST_TEST(b.last_latency == SC_ZERO_TIME);
    b.wr(kTldr, 7);
    BOOST_TEST(near(b.last_latency, resync()));
    BOOST_TEST(b.rd(kTwps) == 0u);
    BOOST_TEST(b.rd(kTldr) == 7u);
    b.rd(kTcrr);
    BOOST_TEST(near(b.last_latency, resync()));
    b.rd(kTcar1);
    BOOST_TEST(near(b.last_latency, resync()));
    b.rd(kIrqStatus);
    BOOST_TEST(b.last_latency == SC_ZERO_TIME);
    p.reset();
}

// The PRCM changes CLKSEL_TIMER2_CLK to the 32 kHz clock: the counter keeps its value and
// continues at the new rate (32768 ticks per second at 32.768 kHz, Table 20-8 footing).
BOOST_FIXTURE_TEST_CASE(clock_source_change, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kTsicr, kTsicrPosted);
    b.wr(kTclr, kTclrSt);
    b.run(sc_time(1, SC_MS));
    const uint32_t v = b.rd(kTcrr);
    p->timer.set_clock_hz(32768);
    b.run(sc_time(1, sc_core::SC_SEC));
    BOOST_TEST(b.rd(kTcrr) - v == 32768u);
    BOOST_CHECK_THROW(p->timer.set_clock_hz(0), std::invalid_argument);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(bad_params_are_errors, vp::test::FreshSim) {
    vp::DmTimerParams bad;
    bad.clock_hz = 0;
    BOOST_CHECK_THROW(vp::DmTimer("t_bad", bad), std::invalid_argument);
    bad = {};
    bad.ocp_clock_hz = 0;
    BOOST_CHECK_THROW(vp::DmTimer("t_bad2", bad), std::invalid_argument);
}

// The Linux timer-ti-dm sequence (drivers/clocksource/timer-ti-dm.c, as of v5.6 whose
// omap_dm_timer_set_load still wrote TTGR) for a periodic 1 ms timer on DMTIMER2, replayed
// register by register; the overflow interrupt edges are exactly N x period after the start.
BOOST_FIXTURE_TEST_CASE(linux_timer_ti_dm_periodic, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->timer.irq);
    // omap_dm_timer_set_source(OMAP_TIMER_SRC_SYS_CLK): clk_set_parent in the PRCM
    // (CLKSEL_TIMER2_CLK = CLK_M_OSC): the platform calls set_clock_hz.
    p->timer.set_clock_hz(24000000);
    // omap_dm_timer_probe: TIDR[31:16] != 0 -> revision 2 register map.
    BOOST_TEST((b.rd(kTidr) >> 16) != 0u);
    // __omap_dm_timer_enable_posted: AM33xx has errata i103/i767, so posted mode is turned
    // off: TSICR (OMAP_TIMER_IF_CTRL_REG) = 0.
    b.wr(kTsicr, 0);
    // omap_dm_timer_set_load(timer, 1, load): TCLR |= AR, TLDR = load, TTGR = 0.
    const uint32_t load = 0xFFFFFFFFu - 24000u + 1u;  // 24000 ticks: 1 ms at 24 MHz
    const size_t mark = b.mon.records().size();
    b.wr(kTclr, b.rd(kTclr) | kTclrAr);
    b.wr(kTldr, load);
    b.wr(kTtgr, 0);
    // omap_dm_timer_set_int_enable(OMAP_TIMER_INT_OVERFLOW): IRQENABLE_SET, IRQWAKEEN.
    b.wr(kIrqEnableSet, kIrqOvf);
    b.wr(kIrqWakeEn, kIrqOvf);
    // omap_dm_timer_start: TCLR |= ST.
    const uint32_t tclr = b.rd(kTclr);
    BOOST_TEST(tclr == kTclrAr);
    const sc_time tw = b.now();
    b.wr(kTclr, tclr | kTclrSt);
    const auto& rec = b.mon.records();
    BOOST_REQUIRE_EQUAL(rec.size() - mark, 8u);
    const uint32_t addr[8] = {kTclr, kTclr, kTldr, kTtgr, kIrqEnableSet, kIrqWakeEn, kTclr, kTclr};
    const bool write[8] = {false, true, true, true, true, true, false, true};
    const uint32_t value[8] = {0, kTclrAr, load, 0, kIrqOvf, kIrqOvf, kTclrAr, kTclrAr | kTclrSt};
    for (size_t i = 0; i < 8; ++i) {
        BOOST_TEST(rec[mark + i].address == addr[i]);
        BOOST_TEST((rec[mark + i].command == tlm::TLM_WRITE_COMMAND) == write[i]);
        BOOST_TEST(rec[mark + i].value() == value[i]);
        BOOST_TEST(rec[mark + i].response == tlm::TLM_OK_RESPONSE);
    }
    // Non-posted TCLR write: takes effect 1 OCP + 2.5 timer clocks after the request.
    const sc_time start = tw + accomplish();
    const sc_time period = ticks(24000);
    BOOST_TEST(period == sc_time(1, SC_MS));
    for (unsigned n = 1; n <= 5; ++n) {
        b.run_to(start + period * n + sc_time(3, SC_US));
        BOOST_TEST(p->timer.irq.read());
        // The handler: omap_dm_timer_read_status, omap_dm_timer_write_status(OVF) (W1C).
        BOOST_TEST(b.rd(kIrqStatus) == kIrqOvf);
        b.wr(kIrqStatus, kIrqOvf);
        BOOST_TEST(!p->timer.irq.read());
    }
    BOOST_REQUIRE(irq.log.size() == 10u);
    for (unsigned n = 1; n <= 5; ++n) {
        BOOST_TEST_CONTEXT("overflow " << n) {
            BOOST_TEST(irq.log[2 * (n - 1)].second);
            BOOST_TEST(near(irq.log[2 * (n - 1)].first, start + period * n));
            BOOST_TEST(!irq.log[2 * n - 1].second);
            BOOST_TEST(irq.log[2 * n - 1].first == start + period * n + sc_time(3, SC_US));
        }
    }
    // The edges of consecutive overflows are exactly one period apart.
    BOOST_TEST(irq.log[8].first - irq.log[0].first == period * 4);
    p.reset();
}

// tests/scripts/dmtimer_linux_periodic.yaml on DMTIMER2 at its SoC address (0x48040000, INTC 68,
// CM_PER_TIMER2_CLKCTRL at CM_PER + 0x80, CLKSEL_TIMER2_CLK at CM_DPLL + 0x08: 1 = CLK_M_OSC,
// 2 = CLK_32KHZ; am335x.md §1.3, §3, §16).
BOOST_FIXTURE_TEST_CASE(register_script_dmtimer_linux_periodic, vp::test::FreshSim) {
    PrcmStub prcm("prcm");
    Decoder bus("decoder");
    vp::DmTimer timer("dmtimer2");
    bus.map(kPrcmBase, kPrcmSize, prcm.socket);
    bus.map(0x48040000, kWindowSize, timer.socket);
    prcm.gate(0x80, timer.clock_enable);
    prcm.on_write = [&timer](uint32_t off, uint32_t v) {
        if (off == 0x508 && (v == 1 || v == 2)) timer.set_clock_hz(v == 1 ? 24000000 : 32768);
    };
    std::string log;
    const bool ok =
        run_script("tests/scripts/dmtimer_linux_periodic.yaml", bus, {{68, &timer.irq}}, log);
    BOOST_TEST(ok, "script failed:\n" << log);
}
