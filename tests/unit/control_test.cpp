#define BOOST_TEST_MODULE control
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>

#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/control/control.h"
#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "tests/support/sim_context.h"

// Expected values: SPRUH73 §9.3.1 (register headings and field tables, Table numbers in the
// comments), reference/am335x.md §10/§12/§16, U-Boot arch/arm/mach-omap2/am33xx/emif4.c
// (config_vtp), board/ti/am335x/board.c + Linux ti_cm_get_macid (MAC byte order) and
// board/ti/am335x/mux.c (pad values).

using namespace sc_core;
namespace cm = vp::control;

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

struct Bench {
    Initiator cpu{"cpu"};
    vp::TransactionMonitor mon{"mon"};
    vp::ControlModule scm;
    explicit Bench(const vp::ControlModuleParams& p = {}) : scm("control", p) {
        cpu.socket.bind(mon.target);
        mon.initiator.bind(scm.socket);
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
    uint32_t rd(uint32_t off) { return cpu.read32(off); }
    void wr(uint32_t off, uint32_t v) { BOOST_CHECK(cpu.write32(off, v) == tlm::TLM_OK_RESPONSE); }
    bool clean() const { return mon.violations().empty(); }
};

struct Expect {
    uint32_t offset;
    uint32_t value;
};

// Every non-pad register with its reset value under the default (BeagleBone Black) params.
const Expect kResetValues[] = {
    {0x000, 0x0},         // control_revision (Table 9-11)
    {0x004, 0x0},         // control_hwinfo (9-12)
    {0x010, 0x0},         // control_sysconfig (9-13)
    {0x040, 0x00400317},  // control_status: a BeagleBone reads 0x00400317 (am335x.md §10)
    {0x110, 0x0},         // control_emif_sdram_config (9-15)
    {0x428, 0x0},
    {0x42C, 0x0},  // core/mpu_sldo_ctrl (9-16, 9-17)
    {0x444, 0x0},
    {0x448, 0x0},
    {0x44C, 0x0},
    {0x458, 0x0},
    {0x468, 0x0},
    {0x470, 0x0},         // [x] clk32kdivratio .. deepsleep_ctrl (docs/models/control.md)
    {0x50C, 0x0},         // dpll_pwr_sw_status (9-24)
    {0x600, 0x2B94402E},  // device_id: DEVREV 2 (PG2.1), PARTNUM 0xB944, MFGR 0x017 (9-25)
    {0x604, 0x0},         // dev_feature (9-26)
    {0x608, 0x0},
    {0x60C, 0x0},
    {0x614, 0x0},         // init_priority_0/1, tptc_cfg
    {0x620, 0x3C000000},  // usb_ctrl0: bits 31:24 reset 0x3C (Table 9-30)
    {0x624, 0x0},
    {0x628, 0x3C000000} /* [x] */,
    {0x62C, 0x0},
    {0x630, 0x0},
    {0x634, 0x0},
    {0x638, 0x0},
    {0x63C, 0x0},  // MAC ids (params 0)
    {0x644, 0x0},
    {0x648, 0x0},
    {0x650, 0x0},
    {0x664, 0x0},
    {0x670, 0x0},
    {0x674, 0x0},
    {0x690, 0x0},
    {0x694, 0x0},
    {0x698, 0x0},
    {0x69C, 0x0},
    {0x6A0, 0x0},
    {0x6A4, 0x0},
    {0x6A8, 0x0},  // [x] stores
    {0x770, 0x0},
    {0x774, 0x0},
    {0x778, 0x0},
    {0x77C, 0x0},
    {0x7B8, 0x0},
    {0x7BC, 0x0},
    {0x7D0, 0x0},         // vdd_*_opp_*, bb_scale (9-50 .. 9-57)
    {0x7F4, 0x04516141},  // usb_vid_pid (9-58)
    {0x7FC, 0x00011C2F},  // efuse_sma: ZCZ, 1 GHz [x]
    {0xE00, 0x0},
    {0xE04, 0x0},
    {0xE0C, 0x0},
    {0xE14, 0x0},  // 9-61 .. 9-64
    {0xFD0, 0x0},
    {0xFD4, 0x0},
    {0xFD8, 0x0},
    {0x1000, 0x0},
    {0x1318, 0x03030300},  // dpll_pwr_sw_ctrl: PGOODIN/PONIN = 1 (Table 9-85)
    {0x131C, 0x0},
    {0x1320, 0x0},
    {0x1324, 0x0},
    {0x1328, 0x0},
    {0x132C, 0x0},
    {0x1330, 0x0},
    {0x1334, 0x0},
    {0x1338, 0x0},
    {0x133C, 0x0},
    {0x1340, 0x0},
    {0x1344, 0x0},
    {0x1404, 0x0},
    {0x1408, 0x0},
    {0x140C, 0x0},
    {0x1440, 0x0},
    {0x1444, 0x0},
};

const sc_time kUs(1, SC_US);

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
    // TPCC_EVT_MUX_0_3 .. _60_63 reset to 0 (Tables 9-65 .. 9-80).
    for (uint32_t i = 0; i < cm::kTpccEvtMuxRegs; ++i) {
        listed.insert(cm::kTpccEvtMux0 + 4 * i);
        BOOST_CHECK_EQUAL(b.rd(cm::kTpccEvtMux0 + 4 * i), 0u);
    }
    // Pads (Table 9-60): RXACTIVE resets to 1; the other fields are pad-dependent [x].
    unsigned pads = 0;
    for (const auto& r : b.scm.regs().registers()) {
        if (r->offset() < cm::kPadConfFirst || r->offset() > cm::kPadConfLast) continue;
        ++pads;
        listed.insert(r->offset());
        BOOST_CHECK_EQUAL(b.rd(r->offset()), cm::kPadRxactive);
    }
    BOOST_CHECK_EQUAL(pads, 124u);  // the conf_* rows of Table 9-10
    BOOST_CHECK_EQUAL(b.scm.regs().registers().size(), listed.size());
    tlm::tlm_response_status st;
    b.cpu.read32(0x9BC, &st);  // between conf_warmrstn and conf_nnmi: reserved
    BOOST_CHECK(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(b.clean());
}

// Board parameters: SYSBOOT pins and crystal in CONTROL_STATUS (Table 9-14), silicon
// revision in DEVICE_ID (Table 9-25), MAC_ID registers in U-Boot/Linux byte order.
BOOST_FIXTURE_TEST_CASE(board_parameters, vp::test::FreshSim) {
    vp::ControlModuleParams p;
    p.sysboot = 0x3C1B;
    p.crystal_hz = 25e6;
    p.silicon_rev = 1;
    p.mac_id0 = 0x001122334455;  // 00:11:22:33:44:55
    p.mac_id1 = 0xC8A030A1B2C3;
    p.efuse_sma = 0x00011FAF;
    // The other crystal codes (elaborated before the bench starts the kernel).
    for (double hz : {19.2e6, 24e6, 26e6}) {
        vp::ControlModuleParams q;
        q.crystal_hz = hz;
        vp::ControlModule m(("c" + std::to_string(static_cast<int>(hz))).c_str(), q);
        const uint32_t code = hz == 19.2e6 ? cm::kCrystal19_2MHz
                              : hz == 24e6 ? cm::kCrystal24MHz
                                           : cm::kCrystal26MHz;
        BOOST_CHECK_EQUAL(m.control_status() >> cm::kStatusSysboot1Shift, code);
    }
    Bench b(p);
    // [7:0] SYSBOOT[7:0], [10:8] GP, [21:16] SYSBOOT[13:8], [23:22] crystal 2 = 25 MHz.
    BOOST_CHECK_EQUAL(b.rd(cm::kStatus), 0x00BC031Bu);
    BOOST_CHECK_EQUAL(b.rd(cm::kDeviceId), 0x1B94402Eu);
    BOOST_CHECK_EQUAL(b.rd(cm::kMacId0Hi), 0x33221100u);  // bytes 3..0
    BOOST_CHECK_EQUAL(b.rd(cm::kMacId0Lo), 0x5544u);      // bytes 5..4
    BOOST_CHECK_EQUAL(b.rd(cm::kMacId1Hi), 0xA130A0C8u);
    BOOST_CHECK_EQUAL(b.rd(cm::kMacId1Lo), 0xC3B2u);
    BOOST_CHECK_EQUAL(b.rd(cm::kEfuseSma), 0x00011FAFu);
    BOOST_CHECK_EQUAL(b.scm.crystal_hz(), 25e6);
    BOOST_CHECK(b.clean());
}

BOOST_FIXTURE_TEST_CASE(bad_parameters, vp::test::FreshSim) {
    vp::ControlModuleParams a;
    a.sysboot = 0x4000;  // SYSBOOT[15:14] are the crystal
    BOOST_CHECK_THROW(vp::ControlModule("a", a), std::invalid_argument);
    vp::ControlModuleParams c;
    c.crystal_hz = 20e6;
    BOOST_CHECK_THROW(vp::ControlModule("c", c), std::invalid_argument);
    vp::ControlModuleParams r;
    r.silicon_rev = 16;
    BOOST_CHECK_THROW(vp::ControlModule("r", r), std::invalid_argument);
    vp::ControlModuleParams m;
    m.mac_id0 = 1ull << 48;
    BOOST_CHECK_THROW(vp::ControlModule("m", m), std::invalid_argument);
    BOOST_CHECK_THROW(vp::ControlModule::gpio_pad_offset(4, 0), std::out_of_range);
    BOOST_CHECK_THROW(vp::ControlModule::gpio_pad_offset(0, 32), std::out_of_range);
    vp::ControlModule ok("ok");
    BOOST_CHECK_THROW(ok.pad_conf(0x7FC), std::out_of_range);
    BOOST_CHECK_THROW(ok.pad_conf(0x9BC), std::out_of_range);
    BOOST_CHECK_THROW(ok.edma_event_mux(64), std::out_of_range);
}

// Field types: identification registers read-only, pad fields [6:0] R/W (Table 9-60),
// VTP_CTRL READY read-only (9-63), EVT_MUX 6-bit fields (9-65), DDR_DATA0 31:30 R (9-100),
// CONTROL_EMIF_SDRAM_CONFIG bits 23 and 20 R (9-15).
BOOST_FIXTURE_TEST_CASE(access_policies, vp::test::FreshSim) {
    Bench b;
    b.wr(cm::kStatus, 0);
    BOOST_CHECK_EQUAL(b.rd(cm::kStatus), 0x00400317u);
    b.wr(cm::kDeviceId, 0);
    BOOST_CHECK_EQUAL(b.rd(cm::kDeviceId), 0x2B94402Eu);
    b.wr(cm::kConfGpmcA5, 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(b.rd(cm::kConfGpmcA5), 0x7Fu);
    b.wr(cm::kVtpCtrl, 0xFFFFFFFE);  // READY (bit 5) and pcin/ncin are read-only
    BOOST_CHECK_EQUAL(b.rd(cm::kVtpCtrl), 0x5Eu);
    b.wr(cm::kTpccEvtMux0, 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(b.rd(cm::kTpccEvtMux0), 0x3F3F3F3Fu);
    b.wr(cm::kDdrData0Ioctrl, 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(b.rd(cm::kDdrData0Ioctrl), 0x3FFFFFFFu);
    b.wr(cm::kEmifSdramConfig, 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(b.rd(cm::kEmifSdramConfig), 0xFF6FFFFFu);
    b.wr(cm::kSysconfig, 0xFFFFFFFF);  // IDLEMODE [3:2] only (Table 9-13)
    BOOST_CHECK_EQUAL(b.rd(cm::kSysconfig), 0xCu);
    b.wr(cm::kDdrCkeCtrl, 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(b.rd(cm::kDdrCkeCtrl), 0x1u);
    BOOST_CHECK(b.clean());
}

BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    Bench b;
    b.scm.clock_enable.write(false);  // CM_WKUP_CONTROL_CLKCTRL.MODULEMODE = 0
    tlm::tlm_response_status st;
    b.cpu.read32(cm::kStatus, &st);
    BOOST_CHECK(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_CHECK(b.cpu.write32(cm::kConfGpmcA5, 7) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    b.scm.clock_enable.write(true);
    BOOST_CHECK_EQUAL(b.rd(cm::kConfGpmcA5), cm::kPadReset);
    BOOST_CHECK(b.clean());
}

// The Control Module has no SOFTRESET bit (control_sysconfig, Table 9-13); it is reset by
// the PRCM's global resets, which the platform forwards to reset(): reset values return.
BOOST_FIXTURE_TEST_CASE(reset_restores_reset_values, vp::test::FreshSim) {
    Bench b;
    b.wr(cm::kConfGpmcA5, 0x0F);
    b.wr(cm::kTpccEvtMux0, 0x01020304);
    b.wr(cm::kVtpCtrl, 0x40);
    b.wr(cm::kVtpCtrl, 0x41);
    sc_start(2 * kUs);
    BOOST_CHECK_EQUAL(b.rd(cm::kVtpCtrl), 0x61u);
    b.scm.reset();
    BOOST_CHECK_EQUAL(b.rd(cm::kConfGpmcA5), cm::kPadReset);
    BOOST_CHECK_EQUAL(b.rd(cm::kTpccEvtMux0), 0u);
    BOOST_CHECK_EQUAL(b.rd(cm::kVtpCtrl), 0u);
    BOOST_CHECK_EQUAL(b.rd(cm::kStatus), 0x00400317u);
    BOOST_CHECK(b.clean());
}

// GPIO -> pad (pin multiplexing, mode 7): the BeagleBone USR LEDs GPIO1_21..24 are
// gpmc_a5..a8 (am335x.md §11), GPIO0_6 is spi0_cs1 (µSD card detect), GPIO2_8 is lcd_data2
// (§16, the S2 boot button); a GPIO input reads its pad only when RXACTIVE is set.
BOOST_FIXTURE_TEST_CASE(gpio_pads_and_rxactive, vp::test::FreshSim) {
    Bench b;
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(1, 21), 0x854);
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(1, 24), 0x860);
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(0, 6), 0x960);
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(2, 8), 0x8A8);
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(1, 0), 0x800);   // gpmc_ad0
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(0, 22), 0x820);  // gpmc_ad8
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(3, 21), 0x9AC);  // mcasp0_ahclkx
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(0, 24), -1);     // not pinned out
    BOOST_CHECK_EQUAL(vp::ControlModule::gpio_pad_offset(3, 31), -1);
    // Every pad the table names is a real conf_* register.
    for (unsigned bank = 0; bank < cm::kGpioBanks; ++bank)
        for (unsigned pin = 0; pin < cm::kGpioPins; ++pin) {
            const int off = vp::ControlModule::gpio_pad_offset(bank, pin);
            if (off >= 0) BOOST_CHECK_NO_THROW(b.scm.pad_conf(static_cast<uint32_t>(off)));
        }
    std::vector<std::pair<uint32_t, uint32_t>> changes;
    b.scm.on_pad_change([&](uint32_t off, uint32_t v) { changes.emplace_back(off, v); });
    BOOST_CHECK(b.scm.pad_rx_active(1, 21));  // RXACTIVE resets to 1
    b.wr(0x854, 0x0F);                        // Linux: PIN_OUTPUT | MUX_MODE7 (pull disabled)
    BOOST_CHECK(!b.scm.pad_rx_active(1, 21));
    BOOST_CHECK_EQUAL(b.scm.pad_mux_mode(1, 21), 7);
    b.wr(0x960, 0x37);  // PIN_INPUT_PULLUP | MUX_MODE7
    BOOST_CHECK(b.scm.pad_rx_active(0, 6));
    b.wr(0x960, 0x37);                         // unchanged: no callback
    BOOST_CHECK(!b.scm.pad_rx_active(0, 24));  // no pad
    BOOST_CHECK_EQUAL(b.scm.pad_mux_mode(0, 24), -1);
    BOOST_REQUIRE_EQUAL(changes.size(), 2u);
    BOOST_CHECK(changes[0] == std::make_pair(0x854u, 0x0Fu));
    BOOST_CHECK(changes[1] == std::make_pair(0x960u, 0x37u));
    BOOST_CHECK(b.clean());
}

// U-Boot emif4.c config_vtp(): VTP_CTRL |= ENABLE; &= ~START_EN; |= START_EN; poll READY.
// READY rises ControlModuleParams.vtp_training after the START_EN (CLRZ) rise.
BOOST_FIXTURE_TEST_CASE(uboot_config_vtp, vp::test::FreshSim) {
    Bench b;
    b.wr(cm::kVtpCtrl, b.rd(cm::kVtpCtrl) | cm::kVtpEnable);
    b.wr(cm::kVtpCtrl, b.rd(cm::kVtpCtrl) & ~cm::kVtpClrz);
    sc_start(kUs);
    const sc_time t0 = sc_time_stamp();
    b.wr(cm::kVtpCtrl, b.rd(cm::kVtpCtrl) | cm::kVtpClrz);
    unsigned polls = 0;
    while (!(b.rd(cm::kVtpCtrl) & cm::kVtpReady)) {
        BOOST_REQUIRE(++polls < 100);
        sc_start(100, SC_NS);
    }
    BOOST_CHECK(sc_time_stamp() == t0 + kUs);
    BOOST_CHECK_EQUAL(polls, 10u);
    BOOST_CHECK_EQUAL(b.rd(cm::kVtpCtrl), 0x61u);
    b.wr(cm::kVtpCtrl, 0x40);  // CLRZ low clears the controller
    BOOST_CHECK_EQUAL(b.rd(cm::kVtpCtrl), 0x40u);
    b.wr(cm::kVtpCtrl, 0x01);  // CLRZ rises without ENABLE (bypass): no training
    sc_start(2 * kUs);
    BOOST_CHECK_EQUAL(b.rd(cm::kVtpCtrl), 0x01u);
    BOOST_CHECK(b.clean());
}

// EDMA event crossbar (Table 9-65): 6-bit selection per DMA event, 4 events per register.
BOOST_FIXTURE_TEST_CASE(edma_event_crossbar, vp::test::FreshSim) {
    Bench b;
    std::vector<std::pair<unsigned, unsigned>> changes;
    b.scm.on_edma_mux_change([&](unsigned e, unsigned in) { changes.emplace_back(e, in); });
    b.wr(cm::kTpccEvtMux0 + 4 * 5, 0x00280000);  // TPCC_EVT_MUX_20_23: event 22 <- input 40
    BOOST_CHECK_EQUAL(b.scm.edma_event_mux(22), 40u);
    BOOST_CHECK_EQUAL(b.scm.edma_event_mux(20), 0u);
    b.wr(cm::kTpccEvtMux0 + 4 * 15, 0x3F000000);  // _60_63: event 63 <- 63
    BOOST_CHECK_EQUAL(b.scm.edma_event_mux(63), 63u);
    BOOST_REQUIRE_EQUAL(changes.size(), 2u);
    BOOST_CHECK(changes[0] == std::make_pair(22u, 40u));
    BOOST_CHECK(changes[1] == std::make_pair(63u, 63u));
    BOOST_CHECK(b.clean());
}

// TPTC_CFG (Table 9-29): TCnDBS at bits 2n+1:2n, 00/01/10/11 = 16/32/64/128 bytes, reset 0.
// The change callback reports each TC whose size changes, also on a module reset.
BOOST_FIXTURE_TEST_CASE(tptc_cfg_default_burst, vp::test::FreshSim) {
    Bench b;
    std::vector<std::pair<unsigned, unsigned>> changes;
    b.scm.on_tptc_burst_change(
        [&](unsigned tc, unsigned bytes) { changes.emplace_back(tc, bytes); });
    for (unsigned tc = 0; tc < cm::kTptcs; ++tc)
        BOOST_CHECK_EQUAL(b.scm.tptc_default_burst(tc), 16u);
    b.wr(cm::kTptcCfg, 0xFFFFFF39);  // TC2DBS 3, TC1DBS 2, TC0DBS 1; bits 31:6 reserved
    BOOST_CHECK_EQUAL(b.rd(cm::kTptcCfg), 0x39u);
    BOOST_CHECK_EQUAL(b.scm.tptc_default_burst(0), 32u);
    BOOST_CHECK_EQUAL(b.scm.tptc_default_burst(1), 64u);
    BOOST_CHECK_EQUAL(b.scm.tptc_default_burst(2), 128u);
    BOOST_REQUIRE_EQUAL(changes.size(), 3u);
    BOOST_CHECK(changes[0] == std::make_pair(0u, 32u));
    BOOST_CHECK(changes[2] == std::make_pair(2u, 128u));
    b.wr(cm::kTptcCfg, 0x3A);  // only TC0 changes (TC0DBS 1 -> 2: 64 bytes)
    BOOST_REQUIRE_EQUAL(changes.size(), 4u);
    BOOST_CHECK(changes[3] == std::make_pair(0u, 64u));
    b.scm.reset();
    BOOST_CHECK_EQUAL(changes.size(), 7u);
    BOOST_CHECK(changes.back() == std::make_pair(2u, 16u));
    BOOST_CHECK_THROW(b.scm.tptc_default_burst(3), std::out_of_range);
    BOOST_CHECK(b.clean());
}

// A module reset returns every crossbar field to 0 (Table 9-65 reset) and reports the
// fields that change, so the TPCC goes back to the direct events.
BOOST_FIXTURE_TEST_CASE(edma_crossbar_reset_is_reported, vp::test::FreshSim) {
    Bench b;
    std::vector<std::pair<unsigned, unsigned>> changes;
    b.scm.on_edma_mux_change([&](unsigned e, unsigned in) { changes.emplace_back(e, in); });
    b.wr(cm::kTpccEvtMux0 + 4 * 3, 0x00000016);  // event 12 <- input 22 (TINT0)
    b.scm.reset();
    BOOST_REQUIRE_EQUAL(changes.size(), 2u);
    BOOST_CHECK(changes[1] == std::make_pair(12u, 0u));
    BOOST_CHECK_EQUAL(b.scm.edma_event_mux(12), 0u);
    BOOST_CHECK(b.clean());
}

// What U-Boot's SPL reads to identify the board (arch/arm/mach-omap2/am33xx: the crystal
// from CONTROL_STATUS[23:22], the silicon revision from DEVICE_ID[31:28], the part
// number from DEVICE_ID[27:12], the MACs), then the UART0 pad mux of mux.c.
BOOST_FIXTURE_TEST_CASE(uboot_identification_sequence, vp::test::FreshSim) {
    vp::ControlModuleParams p;
    p.mac_id0 = 0xC8A030A1B2C3;
    Bench b(p);
    const uint32_t status = b.rd(cm::kStatus);
    const unsigned crystal = (status >> cm::kStatusSysboot1Shift) & 0x3;
    BOOST_CHECK_EQUAL(crystal, cm::kCrystal24MHz);  // every BeagleBone: 24 MHz (§12)
    BOOST_CHECK_EQUAL((status >> cm::kStatusDevtypeShift) & 0x7, cm::kDevtypeGp);
    const uint32_t id = b.rd(cm::kDeviceId);
    BOOST_CHECK_EQUAL(id >> cm::kDevrevShift, 2u);  // "AM335X-GP rev 2.1"
    BOOST_CHECK_EQUAL((id >> cm::kPartnumShift) & cm::kPartnumMask, 0xB944u);
    const uint32_t hi = b.rd(cm::kMacId0Hi);
    const uint32_t lo = b.rd(cm::kMacId0Lo);
    const uint8_t mac[6] = {static_cast<uint8_t>(hi),       static_cast<uint8_t>(hi >> 8),
                            static_cast<uint8_t>(hi >> 16), static_cast<uint8_t>(hi >> 24),
                            static_cast<uint8_t>(lo),       static_cast<uint8_t>(lo >> 8)};
    const uint8_t want[6] = {0xC8, 0xA0, 0x30, 0xA1, 0xB2, 0xC3};
    BOOST_CHECK_EQUAL_COLLECTIONS(mac, mac + 6, want, want + 6);
    b.wr(cm::kConfUart0Rxd, 0x30);  // MODE(0) | PULLUP_EN | RXACTIVE
    b.wr(cm::kConfUart0Txd, 0x08);  // MODE(0) | PULLUDEN
    BOOST_CHECK_EQUAL(b.scm.pad_conf(cm::kConfUart0Rxd), 0x30u);
    BOOST_CHECK(b.scm.pad_rx_active(1, 10));  // uart0_rxd carries GPIO1_10 in mode 7
    BOOST_CHECK(b.clean());
}
