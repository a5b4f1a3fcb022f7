#define BOOST_TEST_MODULE prcm
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/control/control.h"
#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "models/intc/intc.h"
#include "models/interconnect/router.h"
#include "models/prcm/prcm.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "tests/support/sim_context.h"

// Expected values: SPRUH73 §8.1.12 (CM) and §8.1.13 (PRM) register headings and field
// tables, reference/am335x.md §2, §3, §12, §16, U-Boot arch/arm/mach-omap2/am33xx/clock.c
// (DPLL and module sequences) and clock_am33xx.c (the factors it programs).

using namespace sc_core;
namespace pr = vp::prcm;

namespace {

struct Initiator : sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(sc_module_name n) : sc_module(n), socket("socket") {}
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                                    unsigned len) {
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, data, len);
        sc_time delay = SC_ZERO_TIME;
        socket->b_transport(p, delay);
        return p.get_response_status();
    }
    uint32_t read32(uint64_t addr, tlm::tlm_response_status* st = nullptr) {
        uint8_t b[4] = {};
        auto s = access(tlm::TLM_READ_COMMAND, addr, b, 4);
        if (st) *st = s;
        return static_cast<uint32_t>(vp::load_le(b, 4));
    }
    tlm::tlm_response_status write32(uint64_t addr, uint32_t v) {
        uint8_t b[4];
        vp::store_le(b, v, 4);
        return access(tlm::TLM_WRITE_COMMAND, addr, b, 4);
    }
};

// A stand-in for a gated module (GPIO1): one read-only register.
struct Gpio1 : vp::Peripheral {
    explicit Gpio1(sc_module_name n) : vp::Peripheral(n, 0x1000) {
        regs().add("GPIO_REVISION", 0x0, 0x50600801).ro();  // SPRUH73 §25.4.1
    }
};

// cpu -> monitor -> PRCM; the PRCM's cm_per.gpio1 clock gates the GPIO1 stand-in.
struct Bench {
    Initiator cpu{"cpu"};
    Initiator cpu2{"cpu2"};
    vp::TransactionMonitor mon{"mon"};
    vp::Prcm prcm;
    Gpio1 gpio1{"gpio1"};
    std::vector<std::pair<sc_time, bool>> gpio1_clock;

    explicit Bench(const vp::PrcmParams& p = {}) : prcm("prcm", p) {
        cpu.socket.bind(mon.target);
        mon.initiator.bind(prcm.socket);
        cpu2.socket.bind(gpio1.socket);
        prcm.clock("cm_per.gpio1").connect(gpio1.clock_enable);
        prcm.clock("cm_per.gpio1").on_change([this](bool l, const sc_time& off) {
            gpio1_clock.emplace_back(sc_time_stamp() + off, l);
        });
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
    uint32_t rd(uint32_t off) { return cpu.read32(off); }
    void wr(uint32_t off, uint32_t v) { BOOST_CHECK(cpu.write32(off, v) == tlm::TLM_OK_RESPONSE); }
    // U-Boot's clrsetbits_le32()
    void clrset(uint32_t off, uint32_t clr, uint32_t set) { wr(off, (rd(off) & ~clr) | set); }
    bool clean() const { return mon.violations().empty(); }
};

const sc_time kUs(1, SC_US);
const sc_time kNs(1, SC_NS);

struct Expect {
    uint32_t offset;
    uint32_t value;
};

// Every register of the PRCM window with its reset value (SPRUH73 §8.1.12 / §8.1.13
// headings; [x] marks where the model documents a choice, docs/models/prcm.md).
const Expect kResetValues[] = {
    // CM_PER, §8.1.12.1
    {0x000, 0xC0102},
    {0x004, 0xA},
    {0x008, 0x2} /* L4FW [x] */,
    {0x00C, 0x12},
    {0x014, 0x70000},
    {0x018, 0x70000},
    {0x01C, 0x70000},
    {0x024, 0x70000},
    {0x028, 0x30000},
    {0x02C, 0x30000},
    {0x030, 0x30002},
    {0x034, 0x30000},
    {0x038, 0x30000},
    {0x03C, 0x30000},
    {0x040, 0x30000},
    {0x044, 0x30000},
    {0x048, 0x30000},
    {0x04C, 0x30000},
    {0x050, 0x30000},
    {0x060, 0x2},
    {0x068, 0x30000},
    {0x06C, 0x30000},
    {0x070, 0x30000},
    {0x074, 0x30000},
    {0x078, 0x30000},
    {0x07C, 0x30000},
    {0x080, 0x30000},
    {0x084, 0x30000},
    {0x088, 0x30000},
    {0x090, 0x30000} /* RNG [x] */,
    {0x094, 0x30000} /* AES0 [x] */,
    {0x0A0, 0x30000} /* SHA0 [x] */,
    {0x0AC, 0x30000},
    {0x0B0, 0x30000},
    {0x0B4, 0x30000},
    {0x0BC, 0x30000},
    {0x0C0, 0x30000},
    {0x0C4, 0x30000},
    {0x0CC, 0x30000},
    {0x0D4, 0x30000},
    {0x0D8, 0x30000},
    {0x0DC, 0x2},
    {0x0E0, 0x2},
    {0x0E4, 0x70002},
    {0x0E8, 0x70000},
    {0x0EC, 0x30000},
    {0x0F0, 0x30000},
    {0x0F4, 0x30000},
    {0x0F8, 0x30000},
    {0x0FC, 0x70000},
    {0x100, 0x70000},
    {0x10C, 0x30000},
    {0x110, 0x30000},
    {0x11C, 0x7A},
    {0x120, 0x2},
    {0x12C, 0x2},
    {0x130, 0x70002},
    {0x140, 0x2},
    {0x144, 0x2},
    {0x148, 0x2},
    {0x14C, 0x30000},
    {0x150, 0x2},
    // CM_WKUP, §8.1.12.2
    {0x400, 0x6},
    {0x404, 0x30000},
    {0x408, 0x30000},
    {0x40C, 0x2},
    {0x410, 0x30002},
    {0x414, 0x52580002},
    {0x418, 0x1A},
    {0x41C, 0x0},
    {0x420, 0x100} /* [x] MN bypass */,
    {0x424, 0x0},
    {0x428, 0x0},
    {0x42C, 0x0},
    {0x430, 0x0},
    {0x434, 0x100} /* [x] */,
    {0x438, 0x0},
    {0x43C, 0x0},
    {0x440, 0x0},
    {0x444, 0x0},
    {0x448, 0x100} /* [x] */,
    {0x44C, 0x0},
    {0x450, 0x0},
    {0x454, 0x0},
    {0x458, 0x0},
    {0x45C, 0x100} /* [x] */,
    {0x460, 0x0},
    {0x464, 0x0},
    {0x468, 0x0},
    {0x46C, 0x0},
    {0x470, 0x100} /* [x] */,
    {0x474, 0x0},
    {0x478, 0x0},
    {0x47C, 0x0},
    {0x480, 0x4},
    {0x484, 0x4},
    {0x488, 0x4},
    {0x48C, 0x4},
    {0x490, 0x4},
    {0x494, 0x4},
    {0x498, 0x4},
    {0x49C, 0x0},
    {0x4A0, 0x1},
    {0x4A4, 0x1},
    {0x4A8, 0x1},
    {0x4AC, 0x1},
    {0x4B0, 0x2},
    {0x4B4, 0x30000},
    {0x4B8, 0x30000},
    {0x4BC, 0x30000},
    {0x4C0, 0x30000},
    {0x4C4, 0x30000},
    {0x4C8, 0x30000},
    {0x4CC, 0x6},
    {0x4D4, 0x30002},
    {0x4D8, 0x4},
    // CM_DPLL, §8.1.12.3
    {0x504, 0x1},
    {0x508, 0x1},
    {0x50C, 0x1},
    {0x510, 0x1},
    {0x514, 0x4},
    {0x518, 0x1},
    {0x51C, 0x1},
    {0x520, 0x0},
    {0x528, 0x0},
    {0x52C, 0x0},
    {0x530, 0x0},
    {0x534, 0x0},
    {0x538, 0x1},
    {0x53C, 0x0},
    // CM_MPU, CM_DEVICE, CM_RTC, CM_GFX, CM_CEFUSE, §8.1.12.4 .. §8.1.12.8
    {0x600, 0x6},
    {0x604, 0x2},
    {0x700, 0x0},
    {0x800, 0x30002},
    {0x804, 0x102},
    {0x900, 0x2},
    {0x904, 0x70000},
    {0x90C, 0x102},
    {0x910, 0x30000},
    {0x914, 0x30000},
    {0xA00, 0x2},
    {0xA20, 0x30000},
    // PRM_IRQ, PRM_PER, PRM_WKUP, PRM_MPU, §8.1.13.1 .. §8.1.13.4
    {0xB00, 0x0},
    {0xB04, 0x0},
    {0xB08, 0x0},
    {0xB0C, 0x0},
    {0xB10, 0x0},
    {0xC00, 0x2},
    {0xC08, 0x01E60007},
    {0xC0C, 0xEE0000EB},
    {0xD00, 0x8},
    {0xD04, 0x8},
    {0xD08, 0x00060004},
    {0xD0C, 0x0},
    {0xE00, 0x01FF0007},
    {0xE04, 0x157},
    {0xE08, 0x0},
    // PRM_DEVICE, §8.1.13.5
    {0xF00, 0x0},
    {0xF04, 0x1006},
    {0xF08, 0x1},
    {0xF0C, 0x78000017},
    {0xF10, 0x0},
    {0xF14, 0x0},
    {0xF18, 0x0} /* [x] */,
    {0xF1C, 0x0} /* [x] */,
    // PRM_RTC, PRM_GFX, PRM_CEFUSE, §8.1.13.6 .. §8.1.13.8
    {0x1000, 0x4},
    {0x1004, 0x4},
    {0x1100, 0x00060044},
    {0x1104, 0x1},
    {0x1110, 0x17},
    {0x1114, 0x0},
    {0x1200, 0x0},
    {0x1204, 0x7},
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(reset_values_of_every_register, vp::test::FreshSim) {
    Bench b;
    std::set<uint32_t> listed;
    for (const Expect& e : kResetValues) {
        BOOST_TEST_CONTEXT("offset 0x" << std::hex << e.offset) {
            BOOST_CHECK(listed.insert(e.offset).second);
            BOOST_CHECK_EQUAL(b.rd(e.offset), e.value);
        }
    }
    // Every register of the model is in the table above, and nothing else.
    BOOST_CHECK_EQUAL(b.prcm.regs().registers().size(), listed.size());
    for (const auto& r : b.prcm.regs().registers())
        BOOST_CHECK_MESSAGE(listed.count(r->offset()), r->name() << " not checked");
    // Holes are reserved: address error.
    tlm::tlm_response_status st;
    b.cpu.read32(0x010, &st);
    BOOST_CHECK(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(b.clean());
}

// Field types of the CM/PRM tables: IDLEST/STBYST/CLKACTIVITY read-only, MODULEMODE and
// CLKTRCTRL R/W, L4WKUP/WKUP_M3 MODULEMODE read-only, PRM_RSTST W1toClr, PRM_RSTCTRL reads 0.
BOOST_FIXTURE_TEST_CASE(access_policies, vp::test::FreshSim) {
    Bench b;
    b.wr(pr::kCmPerTimer2Clkctrl, 0xFFFFFFFC);  // only MODULEMODE is writable (Table 8-56)
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerTimer2Clkctrl), 0x30000u);
    b.wr(pr::kCmPerGpio1Clkctrl, 1u << 18);  // OPTFCLKEN_GPIO_1_GDBCLK is R/W
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x70000u);
    b.wr(pr::kCmWkupL4wkupClkctrl, 0);  // MODULEMODE R (Table 8-93)
    BOOST_CHECK_EQUAL(b.rd(pr::kCmWkupL4wkupClkctrl), 0x2u);
    b.wr(pr::kCmPerL4lsClkstctrl, 0xFFFFFFF1);  // CLKACTIVITY read-only, CLKTRCTRL R/W
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerL4lsClkstctrl), 0xC0101u);
    b.wr(pr::kCmWkup + 0xCC, 0);  // CM_L4_WKUP_AON_CLKSTCTRL: CLKTRCTRL is R (Table 8-141)
    BOOST_CHECK_EQUAL(b.rd(pr::kCmWkup + 0xCC), 0x6u);
    b.wr(pr::kCmClkselDpllMpu, 0xFFFFFFFF);  // Table 8-101: 23, 18:8, 6:0
    BOOST_CHECK_EQUAL(b.rd(pr::kCmClkselDpllMpu), 0x0087FF7Fu);
    b.wr(pr::kCmClkselDpllPeriph, 0xFFFFFFFF);  // Table 8-129: 31:24, 19:8, 7:0
    BOOST_CHECK_EQUAL(b.rd(pr::kCmClkselDpllPeriph), 0xFF0FFFFFu);
    b.wr(pr::kClkselTimer2Clk, 0xFFFFFFFE);  // [1:0]
    BOOST_CHECK_EQUAL(b.rd(pr::kClkselTimer2Clk), 0x2u);
    b.wr(pr::kCmIdlestDpllMpu, 0xFFFFFFFF);  // read-only status
    BOOST_CHECK_EQUAL(b.rd(pr::kCmIdlestDpllMpu), 0x100u);
    b.wr(pr::kPrmRsttime, 0xFFFFFFFF);  // [12:0]
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRsttime), 0x1FFFu);
    b.wr(pr::kPrmRstst, 0x1);  // W1toClr: clears GLOBAL_COLD_RST
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstst), 0u);
    b.wr(pr::kPrmRstctrl, 0);  // writing 0 does nothing; reads 0
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstctrl), 0u);
    // DIV_M2: DIVCHACK toggles when the divider changes (Table 8-132).
    b.wr(pr::kCmDivM2DpllMpu, 2);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmDivM2DpllMpu), 0x22u);
    b.wr(pr::kCmDivM2DpllMpu, 3);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmDivM2DpllMpu), 0x3u);
    BOOST_CHECK(b.clean());
}

// CLKCTRL.MODULEMODE gates the module: an access while it is not 2 answers
// TLM_GENERIC_ERROR_RESPONSE (TRM: "Any OCP access to module results in an error");
// IDLEST reads 1 while in transition, then 0 (functional) / 3 (disabled) (§2, §16).
BOOST_FIXTURE_TEST_CASE(module_gating_and_idlest, vp::test::FreshSim) {
    Bench b;
    tlm::tlm_response_status st;
    b.cpu2.read32(0x0, &st);
    BOOST_CHECK(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_CHECK(!b.prcm.clock("cm_per.gpio1").read());
    sc_start(2 * kUs);
    const sc_time t_en = sc_time_stamp();
    b.wr(pr::kCmPerGpio1Clkctrl, pr::kModulemodeEnable);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x10002u);  // IDLEST 1: in transition
    BOOST_CHECK_EQUAL(b.prcm.idlest("cm_per.gpio1"), pr::kIdlestTrans);
    BOOST_CHECK_EQUAL(b.cpu2.read32(0x0, &st), 0x50600801u);  // clock on at the write
    BOOST_CHECK(st == tlm::TLM_OK_RESPONSE);
    sc_start(kUs);                                          // PrcmParams.module_transition
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x2u);  // functional
    sc_start(3 * kUs);
    const sc_time t_dis = sc_time_stamp();
    b.wr(pr::kCmPerGpio1Clkctrl, pr::kModulemodeDisabled);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x10000u);
    b.cpu2.read32(0x0, &st);
    BOOST_CHECK(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
    sc_start(kUs);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x30000u);  // disabled
    // Reserved MODULEMODE values (1, 3) leave the module off.
    b.wr(pr::kCmPerGpio1Clkctrl, 1);
    BOOST_CHECK(!b.prcm.clock("cm_per.gpio1").read());
    b.wr(pr::kCmPerGpio1Clkctrl, 3);
    BOOST_CHECK(!b.prcm.clock("cm_per.gpio1").read());
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x30003u);
    BOOST_REQUIRE_EQUAL(b.gpio1_clock.size(), 2u);
    BOOST_CHECK(b.gpio1_clock[0].first == t_en && b.gpio1_clock[0].second);
    BOOST_CHECK(b.gpio1_clock[1].first == t_dis && !b.gpio1_clock[1].second);
    // A master (CPGMAC0): STBYST follows (standby unless functional).
    b.wr(pr::kCmPerCpgmac0Clkctrl, pr::kModulemodeEnable);
    sc_start(kUs);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerCpgmac0Clkctrl), 0x2u);
    BOOST_CHECK(b.clean());
}

// U-Boot SPL, arch/arm/mach-omap2/am33xx/clock.c: enable_basic_clocks() (clock domains to
// SW_WKUP, then each module MODULEMODE = 2 and wait_for_clk_enable() until IDLEST is
// neither 1 nor 3), exactly as setup_clocks_for_console() / do_enable_clocks() write it.
BOOST_FIXTURE_TEST_CASE(uboot_enable_clocks_sequence, vp::test::FreshSim) {
    Bench b;
    const uint32_t domains[] = {pr::kCmPerL3Clkstctrl, pr::kCmPerL4lsClkstctrl,
                                pr::kCmPerL4fwClkstctrl, pr::kCmPerL3sClkstctrl,
                                pr::kCmWkupClkstctrl};
    for (uint32_t d : domains)
        b.clrset(d, pr::kClktrctrlMask, pr::kClktrctrlSwWkup);
    const uint32_t modules[] = {
        pr::kCmPerL3Clkctrl,     pr::kCmPerL4lsClkctrl,   pr::kCmWkupControlClkctrl,
        pr::kCmWkupGpio0Clkctrl, pr::kCmWkupUart0Clkctrl, pr::kCmWkupI2c0Clkctrl,
        pr::kCmPerTimer2Clkctrl, pr::kCmPerGpio1Clkctrl,  pr::kCmPerEmifClkctrl};
    for (uint32_t m : modules) {
        b.clrset(m, pr::kModulemodeMask, pr::kModulemodeEnable);
        unsigned polls = 0;
        for (;;) {  // wait_for_clk_enable
            const uint32_t idle = (b.rd(m) & pr::kIdlestMask) >> pr::kIdlestShift;
            if (idle != pr::kIdlestTrans && idle != pr::kIdlestDisabled) break;
            BOOST_REQUIRE(++polls < 100);
            sc_start(200 * kNs);
        }
    }
    for (const char* c :
         {"cm_per.l3", "cm_per.l4ls", "cm_wkup.control", "cm_wkup.gpio0", "cm_wkup.uart0",
          "cm_wkup.i2c0", "cm_per.timer2", "cm_per.gpio1", "cm_per.emif"}) {
        BOOST_CHECK_MESSAGE(b.prcm.clock(c).read(), c);
        BOOST_CHECK_EQUAL(b.prcm.idlest(c), pr::kIdlestFunc);
    }
    BOOST_CHECK_EQUAL(b.rd(pr::kCmWkupUart0Clkctrl), 0x2u);
    BOOST_CHECK(b.clean());
}

namespace {

// U-Boot's setup_dpll(): bypass_dpll + wait_for_bypass (IDLEST.ST_DPLL_CLK == 0), M/N into
// CLKSEL, M2 (or M4..M6), do_lock_dpll + wait_for_lock (ST_DPLL_CLK == 1).
sc_time setup_dpll(Bench& b, uint32_t clkmode, uint32_t idlest, uint32_t clksel, uint32_t mult_mask,
                   uint32_t div_mask, unsigned m, unsigned n,
                   std::vector<std::pair<uint32_t, unsigned>> dividers, unsigned* polls = nullptr) {
    b.clrset(clkmode, pr::kDpllEnMask, pr::kDpllEnMnBypass);
    unsigned p = 0;
    while (b.rd(idlest) & pr::kStDpllClk) {
        BOOST_REQUIRE(++p < 1000);
        sc_start(100 * kNs);
    }
    b.clrset(clksel, mult_mask | div_mask, (m << pr::kMultShift) | n);
    for (auto [reg, div] : dividers)
        b.clrset(reg, pr::kDivM2PerMask, div);
    b.clrset(clkmode, pr::kDpllEnMask, pr::kDpllEnLock);
    const sc_time t_lock = sc_time_stamp();
    while (!(b.rd(idlest) & pr::kStDpllClk)) {
        BOOST_REQUIRE(++p < 1000);
        sc_start(100 * kNs);
    }
    sc_start(kNs);  // lets the PRCM's lock event (at the lock instant) run
    if (polls) *polls = p;
    return t_lock;
}

}  // namespace

// The DPLL factors U-Boot programs at 24 MHz (am335x.md §12, clock_am33xx.c): MPU Nitro
// 125/2/1 = 1000 MHz, CORE 125/2 with M4 10, M5 8, M6 4 = 200/250/500 MHz, PER 400/9/5 =
// 192 MHz, DDR3 (BBB) 50/2/1 = 400 MHz. Lock/bypass status moves after the lock time.
BOOST_FIXTURE_TEST_CASE(uboot_dpll_sequence_and_frequencies, vp::test::FreshSim) {
    Bench b;
    std::vector<std::pair<sc_time, std::pair<std::string, double>>> changes;
    b.prcm.on_clock_change([&](const std::string& o, double mhz) {
        changes.push_back({sc_time_stamp(), {o, mhz}});
    });
    // At reset every DPLL is in MN bypass (CLKMODE.DPLL_EN = 4, Table 8-124): outputs are
    // the 24 MHz bypass clock divided by the post-dividers.
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("mpu"), 24.0, 1e-9);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("core_m4"), 6.0, 1e-9);  // M4 reset 4
    unsigned polls = 0;
    const sc_time t_lock =
        setup_dpll(b, pr::kCmClkmodeDpllMpu, pr::kCmIdlestDpllMpu, pr::kCmClkselDpllMpu,
                   pr::kMultMask, pr::kDivMask, 125, 2, {{pr::kCmDivM2DpllMpu, 1}}, &polls);
    BOOST_CHECK(polls > 0);  // ST_DPLL_CLK really was 0 for a while (10 us lock time)
    BOOST_CHECK_EQUAL(b.rd(pr::kCmIdlestDpllMpu), pr::kStDpllClk);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("mpu"), 1000.0, 1e-9);
    BOOST_REQUIRE(!changes.empty());
    BOOST_CHECK(changes.back().second.first == "mpu");
    BOOST_CHECK_CLOSE(changes.back().second.second, 1000.0, 1e-9);
    BOOST_CHECK(changes.back().first == t_lock + 10 * kUs);  // PrcmParams.dpll_lock_time

    setup_dpll(b, pr::kCmClkmodeDpllCore, pr::kCmIdlestDpllCore, pr::kCmClkselDpllCore,
               pr::kMultMask, pr::kDivMask, 125, 2,
               {{pr::kCmDivM4DpllCore, 10}, {pr::kCmDivM5DpllCore, 8}, {pr::kCmDivM6DpllCore, 4}});
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("core_m4"), 200.0, 1e-9);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("core_m5"), 250.0, 1e-9);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("core_m6"), 500.0, 1e-9);
    setup_dpll(b, pr::kCmClkmodeDpllPer, pr::kCmIdlestDpllPer, pr::kCmClkselDpllPeriph,
               pr::kPerMultMask, pr::kPerDivMask, 400, 9, {{pr::kCmDivM2DpllPer, 5}});
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("per"), 192.0, 1e-9);
    setup_dpll(b, pr::kCmClkmodeDpllDdr, pr::kCmIdlestDpllDdr, pr::kCmClkselDpllDdr, pr::kMultMask,
               pr::kDivMask, 50, 2, {{pr::kCmDivM2DpllDdr, 1}});
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("ddr"), 400.0, 1e-9);
    // ST_DPLL_CLKOUT / ST_HSDIVIDER_CLKOUT read 1 while the DPLL is locked.
    BOOST_CHECK_EQUAL(b.rd(pr::kCmDivM2DpllMpu) & pr::kStClkout, pr::kStClkout);

    // Back to MN bypass: IDLEST moves to ST_MN_BYPASS after the bypass time and
    // DPLL_MULT is cleared (Table 8-101).
    b.clrset(pr::kCmClkmodeDpllMpu, pr::kDpllEnMask, pr::kDpllEnMnBypass);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmIdlestDpllMpu), pr::kStDpllClk);  // not yet
    BOOST_CHECK_EQUAL(b.rd(pr::kCmClkselDpllMpu) & pr::kMultMask, 0u);
    sc_start(kUs);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmIdlestDpllMpu), pr::kStMnBypass);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("mpu"), 24.0, 1e-9);
    // Locking with M < 2 never locks (U-Boot would spin in wait_for_lock).
    b.clrset(pr::kCmClkmodeDpllMpu, pr::kDpllEnMask, pr::kDpllEnLock);
    sc_start(50 * kUs);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmIdlestDpllMpu), pr::kStMnBypass);
    BOOST_CHECK(b.clean());
}

// CLKSEL_TIMERn_CLK (Tables 8-145 .. 8-153): 0 TCLKIN, 1 CLK_M_OSC (reset), 2 CLK_32KHZ;
// CLKSEL_TIMER1MS_CLK 0 CLK_M_OSC (reset) .. 4 32768 Hz crystal; DMTIMER0 is CLK_RC32K.
BOOST_FIXTURE_TEST_CASE(timer_clock_sources, vp::test::FreshSim) {
    vp::PrcmParams p;
    p.tclkin_hz = 10e6;
    Bench b(p);
    std::vector<std::pair<unsigned, double>> changes;
    b.prcm.on_timer_clock_change([&](unsigned t, double hz) { changes.emplace_back(t, hz); });
    for (unsigned t = 2; t <= 7; ++t)
        BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(t), 24e6);
    BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(1), 24e6);
    BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(0), pr::kClkRc32kHz);
    b.wr(pr::kClkselTimer2Clk, pr::kTimerClksel32k);
    b.wr(pr::kClkselTimer7Clk, pr::kTimerClkselTclkin);
    b.wr(pr::kClkselTimer1msClk, pr::kTimer1msClksel32768);
    b.wr(pr::kClkselTimer3Clk, pr::kTimerClkselMosc);  // unchanged: no callback
    BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(2), 32768.0);
    BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(7), 10e6);
    BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(1), 32768.0);
    BOOST_REQUIRE_EQUAL(changes.size(), 3u);
    BOOST_CHECK(changes[0] == std::make_pair(2u, 32768.0));
    BOOST_CHECK(changes[1] == std::make_pair(7u, 10e6));
    BOOST_CHECK(changes[2] == std::make_pair(1u, 32768.0));
    b.wr(pr::kClkselTimer4Clk, 3);  // reserved: no clock
    BOOST_CHECK_EQUAL(b.prcm.timer_clock_hz(4), 0.0);
    BOOST_CHECK_THROW(b.prcm.timer_clock_hz(8), std::out_of_range);
    BOOST_CHECK(b.clean());
}

// PRM_RSTCTRL.RST_GLOBAL_WARM_SW (Table 8-196): the PRCM resets its warm-reset-sensitive
// registers, PRM_RSTST records GLOBAL_WARM_SW_RST (Table 8-198), warm_reset pulses and the
// platform callback runs. CM_DPLL registers are warm reset insensitive (Table 8-144).
BOOST_FIXTURE_TEST_CASE(warm_and_cold_software_reset, vp::test::FreshSim) {
    Bench b;
    std::vector<std::pair<sc_time, bool>> pulses;
    std::vector<vp::ResetKind> kinds;
    b.prcm.warm_reset.on_change(
        [&](bool l, const sc_time& off) { pulses.emplace_back(sc_time_stamp() + off, l); });
    b.prcm.on_reset_request([&](vp::ResetKind k) { kinds.push_back(k); });
    b.wr(pr::kPrmRstst, 0xFFFFFFFF);  // software clears the power-on cause
    b.wr(pr::kCmPerGpio1Clkctrl, pr::kModulemodeEnable);
    b.wr(pr::kClkselTimer2Clk, pr::kTimerClksel32k);
    b.wr(pr::kCmPerL4lsClkstctrl, pr::kClktrctrlSwSleep);
    sc_start(5 * kUs);
    const sc_time t = sc_time_stamp();
    b.wr(pr::kPrmRstctrl, pr::kRstGlobalWarmSw);  // U-Boot reset_cpu()
    BOOST_REQUIRE_EQUAL(pulses.size(), 2u);
    BOOST_CHECK(pulses[0].first == t && pulses[0].second);
    BOOST_CHECK(pulses[1].first == t && !pulses[1].second);
    BOOST_REQUIRE_EQUAL(kinds.size(), 1u);
    BOOST_CHECK(kinds[0] == vp::ResetKind::warm_sw);
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstst), pr::kRststGlobalWarmSwRst);
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstctrl), 0u);  // auto-cleared
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x30000u);
    BOOST_CHECK(!b.prcm.clock("cm_per.gpio1").read());
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerL4lsClkstctrl), 0xC0102u);
    BOOST_CHECK_EQUAL(b.rd(pr::kClkselTimer2Clk), pr::kTimerClksel32k);  // insensitive
    // A cold software reset resets everything; PRM_RSTST shows the power-on cause only.
    b.wr(pr::kPrmRstctrl, pr::kRstGlobalColdSw);
    BOOST_CHECK(kinds.back() == vp::ResetKind::cold_sw);
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstst), pr::kRststGlobalColdRst);
    BOOST_CHECK_EQUAL(b.rd(pr::kClkselTimer2Clk), pr::kTimerClkselMosc);
    BOOST_CHECK(b.clean());
}

// WDT1 expiry (the WDT's reset request on wdt_reset_in): a global warm reset whose cause
// PRM_RSTST records as WDT1_RST, bit 4 (SPRUH73 Table 8-198; U-Boot's PRM_RSTST_WDT1_RST is
// 1 << 4). Warm-reset-insensitive registers keep their values (Table 8-144), warm_reset pulses
// at the instant of the request's rising edge, and a falling edge does nothing.
BOOST_FIXTURE_TEST_CASE(wdt1_reset_request_is_a_warm_reset, vp::test::FreshSim) {
    Bench b;
    vp::Wire wdt_request("wdt1.reset_request");
    wdt_request.connect(b.prcm.wdt_reset_in);
    std::vector<std::pair<sc_time, bool>> pulses;
    std::vector<vp::ResetKind> kinds;
    b.prcm.warm_reset.on_change(
        [&](bool l, const sc_time& off) { pulses.emplace_back(sc_time_stamp() + off, l); });
    b.prcm.on_reset_request([&](vp::ResetKind k) { kinds.push_back(k); });
    b.wr(pr::kPrmRstst, 0xFFFFFFFF);  // software clears the power-on cause
    b.wr(pr::kCmPerGpio1Clkctrl, pr::kModulemodeEnable);
    b.wr(pr::kClkselTimer2Clk, pr::kTimerClksel32k);
    sc_start(5 * kUs);
    // The request rises 3 ns after the current time (a model's local-time offset).
    wdt_request.write(true, 3 * kNs);
    BOOST_CHECK(pulses.empty());  // acted on in the PRCM's process, not in the writer's call
    sc_start(10 * kNs);
    BOOST_REQUIRE_EQUAL(pulses.size(), 2u);
    BOOST_CHECK(pulses[0].first == 5 * kUs + 3 * kNs && pulses[0].second);
    BOOST_CHECK(pulses[1].first == 5 * kUs + 3 * kNs && !pulses[1].second);
    BOOST_REQUIRE_EQUAL(kinds.size(), 1u);
    BOOST_CHECK(kinds[0] == vp::ResetKind::wdt1);
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstst), pr::kRststWdt1Rst);
    BOOST_CHECK_EQUAL(pr::kRststWdt1Rst, 1u << 4);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x30000u);           // warm sensitive
    BOOST_CHECK_EQUAL(b.rd(pr::kClkselTimer2Clk), pr::kTimerClksel32k);  // insensitive
    // The falling edge of the request is no new reset; the next rising edge is, and the
    // cause bits accumulate until software clears them (W1toClr).
    wdt_request.write(false);
    sc_start(10 * kNs);
    BOOST_CHECK_EQUAL(kinds.size(), 1u);
    b.wr(pr::kPrmRstctrl, pr::kRstGlobalWarmSw);
    BOOST_CHECK_EQUAL(b.rd(pr::kPrmRstst), pr::kRststWdt1Rst | pr::kRststGlobalWarmSwRst);
    wdt_request.write(true);
    sc_start(10 * kNs);
    BOOST_CHECK_EQUAL(kinds.size(), 3u);
    BOOST_CHECK(b.clean());
}

// A board that starts "as U-Boot left it": modules enabled and DPLLs locked at time 0 and
// again after a warm reset.
BOOST_FIXTURE_TEST_CASE(enabled_at_start_presets, vp::test::FreshSim) {
    vp::PrcmParams p;
    p.enabled_at_start = {"cm_per.gpio1", "cm_wkup.uart0", "cm_per.cpgmac0"};
    p.dplls_at_start = {{"mpu", 125, 2, 1}, {"core", 125, 2, 1, 10, 8, 4}};
    Bench b(p);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x2u);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmWkupUart0Clkctrl), 0x2u);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerCpgmac0Clkctrl), 0x2u);  // STBYST 0 as well
    BOOST_CHECK(b.prcm.clock("cm_per.gpio1").read());
    BOOST_CHECK_EQUAL(b.cpu2.read32(0x0), 0x50600801u);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmIdlestDpllMpu), pr::kStDpllClk);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmClkmodeDpllMpu) & pr::kDpllEnMask, pr::kDpllEnLock);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmClkselDpllMpu), (125u << pr::kMultShift) | 2u);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("mpu"), 1000.0, 1e-9);
    BOOST_CHECK_CLOSE(b.prcm.dpll_mhz("core_m4"), 200.0, 1e-9);
    b.wr(pr::kCmPerGpio1Clkctrl, 0);
    b.wr(pr::kPrmRstctrl, pr::kRstGlobalWarmSw);
    BOOST_CHECK_EQUAL(b.rd(pr::kCmPerGpio1Clkctrl), 0x2u);
    BOOST_CHECK(b.prcm.clock("cm_per.gpio1").read());
    BOOST_CHECK(b.clean());
}

// Bad names and parameters are clear errors.
BOOST_FIXTURE_TEST_CASE(bad_input, vp::test::FreshSim) {
    vp::Prcm prcm("prcm");
    BOOST_CHECK_THROW(prcm.clock("cm_per.gpio4"), std::out_of_range);
    BOOST_CHECK_THROW(prcm.dpll_mhz("core"), std::out_of_range);
    BOOST_CHECK_THROW(prcm.idlest("nope"), std::out_of_range);
    BOOST_CHECK(prcm.has_clock("cm_wkup.uart0"));
    BOOST_CHECK(!prcm.has_clock("cm_wkup.uart1"));
    // Names follow the TRM (0-based): cm_per.gpio1 is GPIO1, Linux's "gpio2" (am335x.md §2).
    BOOST_CHECK(prcm.has_clock("cm_per.gpio1") && prcm.has_clock("cm_per.gpio3"));
    vp::PrcmParams p;
    p.enabled_at_start = {"cm_per.gpio9"};
    BOOST_CHECK_THROW(vp::Prcm("prcm2", p), std::invalid_argument);
    vp::PrcmParams q;
    q.dplls_at_start = {{"mpu", 1, 0, 1}};  // M must be >= 2
    BOOST_CHECK_THROW(vp::Prcm("prcm3", q), std::invalid_argument);
    vp::PrcmParams r;
    r.dplls_at_start = {{"gpu", 10, 0, 1}};
    BOOST_CHECK_THROW(vp::Prcm("prcm4", r), std::invalid_argument);
    vp::PrcmParams s;
    s.clk_m_osc_hz = 0;
    BOOST_CHECK_THROW(vp::Prcm("prcm5", s), std::invalid_argument);
}

// --- Register scripts -----------------------------------------------------------------------

namespace {

std::string source_dir() {
    const char* d = std::getenv("VP_SOURCE_DIR");
    return d ? d : ".";
}

// A small AM335x: the script master at the root of the interconnect, the PRCM, the Control
// Module and the INTC at their TRM addresses, clock enables wired as the SoC will wire them
// (cm_wkup.control gates the Control Module; the INTC is always clocked).
struct MiniSoc {
    std::ostringstream out;
    vp::Router bus{"bus"};
    vp::Prcm prcm{"prcm"};
    vp::ControlModule control{"control"};
    vp::Intc intc{"intc"};
    std::unique_ptr<vp::script::ScriptMaster> master;

    explicit MiniSoc(const std::string& file) {
        for (const auto& d : vp::am335x_domains())
            bus.add_domain(d);
        bus.map({"prcm", 0x44E00000, pr::kWindowSize, vp::kDomainL4Wkup}, prcm.socket);
        bus.map({"control", 0x44E10000, vp::control::kWindowSize, vp::kDomainL4Wkup},
                control.socket);
        bus.map({"intc", 0x48200000, vp::intc::kWindowSize, vp::kDomainL4Per}, intc.socket);
        prcm.clock("cm_wkup.control").connect(control.clock_enable);
        master = std::make_unique<vp::script::ScriptMaster>(
            "script", vp::script::parse_script(source_dir() + "/tests/scripts/" + file), out);
        master->socket.bind(bus.in);
        master->on_complete([] { sc_stop(); });
    }
};

void run_script(const std::string& file) {
    MiniSoc soc(file);
    sc_start();
    BOOST_TEST_MESSAGE(soc.out.str());
    BOOST_CHECK(soc.master->done());
    BOOST_CHECK_MESSAGE(soc.master->passed(), file << ":\n" << soc.out.str());
    BOOST_CHECK(soc.master->steps() > 0);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(script_prcm_uboot_clocks, vp::test::FreshSim) {
    run_script("prcm_uboot_clocks.yaml");
}

BOOST_FIXTURE_TEST_CASE(script_intc_linux_init, vp::test::FreshSim) {
    run_script("intc_linux_init.yaml");
}

BOOST_FIXTURE_TEST_CASE(script_control_uboot, vp::test::FreshSim) {
    run_script("control_uboot.yaml");
}
