#define BOOST_TEST_MODULE wdt
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
#include "models/prcm/prcm.h"
#include "models/wdt/wdt.h"
#include "platform/script/script_master.h"
#include "tests/support/lt_bus.h"
#include "tests/support/sim_context.h"

using namespace vp::wdt;
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

constexpr double kFclk = 32768;  // WDT1 functional clock (TRM 20.4.3.1: 32 kHz)
constexpr double kOcp = 100e6;   // L4_WKUP interface clock (am335x.md §16)

// Posted-write timing chosen in docs/models/wdt.md: the write takes effect 1 OCP + 2.5
// functional clocks after it (TRM 20.4.3.6 caution: WSPR latency <= 2.5 clocks), the WWPS bit
// clears after 3 OCP + 2.5 functional clocks.
sc_time land() {
    return vp::test::posted_write_lands(kOcp, kFclk);
}
sc_time wwps_clear() {
    return vp::test::posted_pending_clears(kOcp, kFclk);
}
sc_time ticks(double n) {
    return sc_time(n / kFclk, sc_core::SC_SEC);
}

struct Platform {
    Bus bus{"bus"};
    vp::Wdt wdt;
    explicit Platform(const vp::WdtParams& p = {}) : wdt("wdt1", p) {
        bus.mon.initiator.bind(wdt.socket);
        sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                                sc_core::SC_DO_NOTHING);
        wdt.log().set_level(vp::LogLevel::off);  // expiries are expected here
        sc_start(SC_ZERO_TIME);
    }
    ~Platform() {
        BOOST_CHECK_MESSAGE(bus.mon.violations().empty(), "TLM base-protocol violation");
    }
};

// Polls WWPS until the bits of `mask` read 0 (as U-Boot and Linux do), 1 us apart; returns the
// number of reads.
unsigned poll_wwps(Bus& b, uint32_t mask) {
    unsigned n = 1;
    while (b.rd(kWwps) & mask) {
        b.run(sc_time(1, SC_US));
        ++n;
        BOOST_REQUIRE(n < 1000);
    }
    return n;
}

}  // namespace

// Reset value and access policy of every register (TRM SPRUH73 §20.4.4.1, Table 20-111).
BOOST_FIXTURE_TEST_CASE(reset_values_and_policies, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    BOOST_TEST(b.rd(kWidr) == 0u);  // 20.4.4.1.1, read-only
    b.wr(kWidr, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kWidr) == 0u);
    BOOST_TEST(b.rd(kWdsc) == 0x10u);  // 20.4.4.1.2: IDLEMODE = 2
    b.wr(kWdsc, 0xFFFFFFFD);           // all but SOFTRESET: EMUFREE, IDLEMODE R/W
    BOOST_TEST(b.rd(kWdsc) == 0x38u);
    BOOST_TEST(b.rd(kWdst) == 1u);  // 20.4.4.1.3: RESETDONE, read-only
    // 20.4.4.1.4-5 / 13-16: raw status (WISR W1C, WIRQSTATRAW W1S), enabled status
    // (WIRQSTAT W1C), one enable mask (WIER, WIRQENSET W1S, WIRQENCLR W1C); 2 bits each.
    for (uint32_t off : {kWisr, kWier, kWirqStatRaw, kWirqStat, kWirqEnSet, kWirqEnClr})
        BOOST_TEST(b.rd(off) == 0u);
    b.wr(kWirqStatRaw, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kWisr) == kEventAll);
    BOOST_TEST(b.rd(kWirqStat) == 0u);
    BOOST_TEST(!p->wdt.irq.read());
    b.wr(kWirqEnSet, kEventDly);
    BOOST_TEST(b.rd(kWier) == kEventDly);
    BOOST_TEST(b.rd(kWirqEnClr) == kEventDly);
    BOOST_TEST(b.rd(kWirqStat) == kEventDly);
    BOOST_TEST(p->wdt.irq.read());
    b.wr(kWisr, kEventDly);
    BOOST_TEST(b.rd(kWirqStatRaw) == kEventOvf);
    BOOST_TEST(!p->wdt.irq.read());
    b.wr(kWirqStat, kEventOvf);  // clears the raw status, enabled or not
    BOOST_TEST(b.rd(kWirqStatRaw) == 0u);
    b.wr(kWirqEnClr, kEventDly);
    b.wr(kWier, 0xFFFFFFFF);
    BOOST_TEST(b.rd(kWirqEnSet) == kEventAll);
    b.wr(kWier, 0);
    // 20.4.4.1.6: WCLR = 0x20 (PRE = 1, PTV = 0), bits 5:2 R/W.
    BOOST_TEST(b.rd(kWclr) == 0x20u);
    // WLDR: 0xFFFF_FFBE (Table 20-102); WTGR, WDLY, WSPR = 0 (20.4.4.1.9, 11, 12); WWPS = 0.
    BOOST_TEST(b.rd(kWldr) == 0xFFFFFFBEu);
    BOOST_TEST(b.rd(kWtgr) == 0u);
    BOOST_TEST(b.rd(kWdly) == 0u);
    BOOST_TEST(b.rd(kWspr) == 0u);
    BOOST_TEST(b.rd(kWwps) == 0u);
    // WCRR at reset: 2 s (Table 20-105) of 32768 Hz ticks before the wrap: 2^32 - 65536.
    BOOST_TEST(b.rd(kWcrr) == 0xFFFF0000u);
    // Posted functional registers read back the written value at once (20.4.3.9) and show
    // their WWPS bit until resynchronised (20.4.4.1.10).
    b.wr(kWclr, 0xFFFFFFFF);
    b.wr(kWldr, 0x12345678);
    b.wr(kWdly, 0x9ABCDEF0);
    BOOST_TEST(b.rd(kWclr) == 0x3Cu);
    BOOST_TEST(b.rd(kWldr) == 0x12345678u);
    BOOST_TEST(b.rd(kWdly) == 0x9ABCDEF0u);
    BOOST_TEST(b.rd(kWwps) == (kWwpsWclr | kWwpsWldr | kWwpsWdly));
    // 20.4.4: 32- and 16-bit accesses; an 8-bit access is refused.
    BOOST_TEST(b.rd(kWldr + 2, 2) == 0x1234u);
    BOOST_TEST(b.access(tlm::TLM_READ_COMMAND, kWldr, 0, 1).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    p->wdt.clock_enable.write(false);  // SPRUH73 §8.1.12
    BOOST_TEST(p->bus.access(tlm::TLM_WRITE_COMMAND, kWspr, kWsprDisable1, 4).response ==
               tlm::TLM_GENERIC_ERROR_RESPONSE);
    p->wdt.clock_enable.write(true);
    BOOST_TEST(p->bus.rd(kWspr) == 0u);
    p.reset();
}

// Out of reset the watchdog runs: the first expiry is 2 s later (TRM 20.4.3.4, Table 20-105).
// The overflow pulses the reset request for one prescaled clock (20.4.3.5), sets EVENT_OVF
// and reloads WLDR (0xFFFF_FFBE: 66 ticks to the next expiry).
BOOST_FIXTURE_TEST_CASE(runs_from_reset_and_expires, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges rst, irq;
    rst.attach(p->wdt.reset_request);
    irq.attach(p->wdt.irq);
    b.wr(kWirqEnSet, kEventOvf);
    b.run_to(sc_time(2, sc_core::SC_SEC) + ticks(10.5));  // mid-tick: no rounding doubt
    BOOST_TEST(p->wdt.expiries() == 1u);
    BOOST_REQUIRE(rst.log.size() == 2u);
    BOOST_TEST(rst.log[0].first == sc_time(2, sc_core::SC_SEC));
    BOOST_TEST(rst.log[0].second);
    BOOST_TEST(near(rst.log[1].first, sc_time(2, sc_core::SC_SEC) + ticks(1)));
    BOOST_TEST(!rst.log[1].second);
    BOOST_REQUIRE(irq.log.size() == 1u);
    BOOST_TEST(irq.log[0].first == sc_time(2, sc_core::SC_SEC));
    BOOST_TEST(b.rd(kWirqStat) == kEventOvf);
    BOOST_TEST(b.rd(kWcrr) == 0xFFFFFFBEu + 10u);
    b.run_to(sc_time(2, sc_core::SC_SEC) + ticks(66) + ticks(1) / 2);
    BOOST_TEST(p->wdt.expiries() == 2u);
    BOOST_TEST(near(rst.log[2].first, sc_time(2, sc_core::SC_SEC) + ticks(66)));
    p.reset();
}

// WDT1 expiry through the PRCM (SPRUH73 §20.4.3.5: the overflow asserts the reset; §8.1.13.5
// Table 8-198: PRM_RSTST.WDT1_RST = bit 4 logs it). Wired as the SoC does: reset_request ->
// prcm.wdt_reset_in; prcm.warm_reset resets the other modules, the watchdog included, which
// then runs again from its reset state (2 s to the next expiry, Table 20-105).
BOOST_FIXTURE_TEST_CASE(expiry_is_a_warm_reset_through_the_prcm, vp::test::FreshSim) {
    std::unique_ptr<Platform> p;
    vp::Prcm prcm("prcm");  // before the platform starts the simulation
    Bus prcm_bus("prcm_bus");
    prcm_bus.mon.initiator.bind(prcm.socket);
    prcm.log().set_level(vp::LogLevel::off);
    p = std::make_unique<Platform>();
    p->wdt.reset_request.connect(prcm.wdt_reset_in);
    std::vector<sc_time> resets;
    prcm.warm_reset.on_change([&](bool level, const sc_time& off) {
        if (!level) return;
        resets.push_back(sc_time_stamp() + off);
        p->wdt.reset();
    });
    std::vector<vp::ResetKind> kinds;
    prcm.on_reset_request([&](vp::ResetKind k) { kinds.push_back(k); });
    Bus& b = p->bus;
    prcm_bus.wr(vp::prcm::kPrmRstst, 0xFFFFFFFF);  // software clears the power-on cause
    b.wr(kWirqEnSet, kEventOvf);
    b.run_to(sc_time(2, sc_core::SC_SEC) + ticks(10.5));
    BOOST_REQUIRE(resets.size() == 1u);
    BOOST_TEST(resets[0] == sc_time(2, sc_core::SC_SEC));
    BOOST_REQUIRE(kinds.size() == 1u);
    BOOST_TEST((kinds[0] == vp::ResetKind::wdt1));
    BOOST_TEST(prcm_bus.rd(vp::prcm::kPrmRstst) == vp::prcm::kRststWdt1Rst);
    // The watchdog restarted from its reset state at the reset: 10 ticks counted since, no
    // event pending, the reset request low again.
    BOOST_TEST(b.rd(kWcrr) == 0xFFFF0000u + 10u);
    BOOST_TEST(b.rd(kWirqStatRaw) == 0u);
    BOOST_TEST(!p->wdt.reset_request.read());
    BOOST_TEST(!p->wdt.irq.read());
    // And it expires again 2 s after the reset.
    b.run_to(sc_time(4, sc_core::SC_SEC) + ticks(0.5));
    BOOST_REQUIRE(resets.size() == 2u);
    BOOST_TEST(resets[1] == sc_time(4, sc_core::SC_SEC));
    p.reset();
}

// U-Boot's SPL watchdog disable (arch/arm/mach-omap2/am33xx/board.c, watchdog_disable):
// WSPR = 0xAAAA, poll WWPS until 0, WSPR = 0x5555, poll WWPS until 0 (TRM 20.4.3.8). The
// watchdog then never expires.
BOOST_FIXTURE_TEST_CASE(uboot_disable_sequence, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.run(sc_time(100, SC_MS));
    const size_t mark = b.mon.records().size();
    const sc_time t1 = b.now();
    b.wr(kWspr, kWsprDisable1);
    const unsigned polls1 = poll_wwps(b, kWwpsWspr);
    const sc_time t2 = b.now();
    b.wr(kWspr, kWsprDisable2);
    const unsigned polls2 = poll_wwps(b, kWwpsWspr);
    // WWPS.W_PEND_WSPR read 1 until 3 OCP + 2.5 clocks (~76.3 us) after each write.
    BOOST_TEST(polls1 == static_cast<unsigned>(wwps_clear() / sc_time(1, SC_US)) + 2u);
    BOOST_TEST(polls2 == polls1);
    const auto& rec = b.mon.records();
    BOOST_TEST(rec[mark].address == kWspr);
    BOOST_TEST(rec[mark].value() == kWsprDisable1);
    BOOST_TEST(rec[mark + 1].address == kWwps);
    BOOST_TEST(rec[mark + 1].value() == kWwpsWspr);
    BOOST_TEST(rec[mark + polls1].value() == 0u);
    BOOST_TEST(rec[mark + polls1 + 1].value() == kWsprDisable2);
    BOOST_TEST(!p->wdt.running());
    // Stopped when the second write took effect: the counter is frozen from then on.
    const uint32_t frozen = b.rd(kWcrr);
    BOOST_TEST(frozen == 0xFFFF0000u + static_cast<uint32_t>((t2 + land()) / ticks(1)));
    (void)t1;
    b.run(sc_time(5, sc_core::SC_SEC));
    BOOST_TEST(b.rd(kWcrr) == frozen);
    BOOST_TEST(p->wdt.expiries() == 0u);
    // Enable again with 0xBBBB / 0x4444 (TRM 20.4.3.8): it counts on and expires.
    b.wr(kWspr, kWsprEnable1);
    poll_wwps(b, kWwpsWspr);
    b.wr(kWspr, kWsprEnable2);
    poll_wwps(b, kWwpsWspr);
    BOOST_TEST(p->wdt.running());
    b.run(sc_time(3, sc_core::SC_SEC));
    BOOST_TEST(p->wdt.expiries() >= 1u);
    p.reset();
}

// Writing the second key while the first is still pending discards the first write (the
// posted-write rule, docs/models/wdt.md): the sequence does not stop the watchdog.
BOOST_FIXTURE_TEST_CASE(disable_without_polling_fails, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kWspr, kWsprDisable1);
    b.wr(kWspr, kWsprDisable2);
    b.run(sc_time(1, SC_MS));
    BOOST_TEST(p->wdt.running());
    b.run_to(sc_time(2001, SC_MS));  // the next expiry (66 ticks later) is at 2.002 s
    BOOST_TEST(p->wdt.expiries() == 1u);
    p.reset();
}

// WTGR: writing a value different from the previous one reloads WLDR and restarts the
// prescaler (TRM 20.4.3.7); the same value again does nothing. The new WLDR and the WCLR
// prescaler are used from the reload on (20.4.3.9).
BOOST_FIXTURE_TEST_CASE(trigger_reload, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kWldr, 0xFFFF8000);  // 32768 ticks = 1 s
    poll_wwps(b, kWwpsWldr);
    b.wr(kWclr, kWclrPre | (1u << kWclrPtvShift));  // PS = 2^1: 2 s per reload
    poll_wwps(b, kWwpsWclr);
    const sc_time tw = b.now();
    b.wr(kWtgr, 0x1234);
    poll_wwps(b, kWwpsWtgr);
    const sc_time reload = tw + land();
    b.run_to(reload + sc_time(1, sc_core::SC_SEC) + ticks(0.5));  // mid-tick
    BOOST_TEST(b.rd(kWcrr) == 0xFFFF8000u + 16384u);
    b.wr(kWtgr, 0x1234);  // same value: no reload
    poll_wwps(b, kWwpsWtgr);
    BOOST_TEST(b.rd(kWcrr) >= 0xFFFF8000u + 16384u);
    b.run_to(reload + sc_time(2, sc_core::SC_SEC) + sc_time(1, SC_MS));
    BOOST_TEST(p->wdt.expiries() == 1u);  // 2 s after the reload
    p.reset();
}

// WDLY: EVENT_DLY when the counter reaches WDLY (TRM 20.4.3.11); the line is asserted while
// the event is enabled in WIRQENSET.
BOOST_FIXTURE_TEST_CASE(delay_event, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    Edges irq;
    irq.attach(p->wdt.irq);
    b.wr(kWirqEnSet, kEventDly);
    b.wr(kWdly, 0xFFFF8000);  // 32768 ticks after reset: 1 s
    b.run_to(sc_time(1500, SC_MS));
    BOOST_REQUIRE(irq.log.size() == 1u);
    BOOST_TEST(irq.log[0].first == sc_time(1, sc_core::SC_SEC));
    BOOST_TEST(b.rd(kWirqStat) == kEventDly);
    b.wr(kWirqStat, kEventDly);
    BOOST_TEST(!p->wdt.irq.read());
    p.reset();
}

// WDSC.SOFTRESET: back to the reset state (running, 2 s to expiry), the bit reads 0 and
// WDST.RESETDONE = 1 (TRM 20.4.4.1.2-3).
BOOST_FIXTURE_TEST_CASE(soft_reset, vp::test::FreshSim) {
    auto p = std::make_unique<Platform>();
    Bus& b = p->bus;
    b.wr(kWspr, kWsprDisable1);
    poll_wwps(b, kWwpsWspr);
    b.wr(kWspr, kWsprDisable2);
    poll_wwps(b, kWwpsWspr);
    b.wr(kWldr, 0x55);
    b.wr(kWier, kEventAll);
    BOOST_TEST(!p->wdt.running());
    b.run(sc_time(1, SC_MS));
    const sc_time t = b.now();
    b.wr(kWdsc, kWdscSoftreset);
    BOOST_TEST(b.rd(kWdsc) == 0x10u);
    BOOST_TEST(b.rd(kWdst) == 1u);
    BOOST_TEST(b.rd(kWldr) == 0xFFFFFFBEu);
    BOOST_TEST(b.rd(kWier) == 0u);
    BOOST_TEST(b.rd(kWspr) == 0u);
    BOOST_TEST(b.rd(kWwps) == 0u);
    BOOST_TEST(p->wdt.running());
    b.run_to(t + sc_time(2, sc_core::SC_SEC) + sc_time(1, SC_MS));
    BOOST_TEST(p->wdt.expiries() == 1u);
    p.reset();
}

BOOST_FIXTURE_TEST_CASE(bad_params_are_errors, vp::test::FreshSim) {
    vp::WdtParams bad;
    bad.clock_hz = 0;
    BOOST_CHECK_THROW(vp::Wdt("w0", bad), std::invalid_argument);
    bad = {};
    bad.first_timeout = sc_time(10, SC_NS);  // less than one 32 kHz tick
    BOOST_CHECK_THROW(vp::Wdt("w1", bad), std::invalid_argument);
}

// tests/scripts/wdt_uboot_disable.yaml on WDT1 at its SoC address (0x44E35000, INTC 91,
// CM_WKUP_WDT1_CLKCTRL at CM_WKUP + 0xD4, enabled at reset; am335x.md §1.2, §3.2, §16).
BOOST_FIXTURE_TEST_CASE(register_script_wdt_uboot_disable, vp::test::FreshSim) {
    PrcmStub prcm("prcm");
    Decoder bus("decoder");
    vp::Wdt wdt("wdt1");
    bus.map(kPrcmBase, kPrcmSize, prcm.socket);
    bus.map(0x44E35000, kWindowSize, wdt.socket);
    prcm.value[0x4D4] = 0x2;
    prcm.gate(0x4D4, wdt.clock_enable);
    std::string log;
    const bool ok = run_script("tests/scripts/wdt_uboot_disable.yaml", bus, {{91, &wdt.irq}}, log);
    BOOST_TEST(ok, "script failed:\n" << log);
    BOOST_TEST(wdt.expiries() == 0u);
    BOOST_TEST(!wdt.running());
}
