#define BOOST_TEST_MODULE emif
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>

#include <stdexcept>

#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "models/memory/ddr.h"
#include "models/memory/emif.h"
#include "tests/support/sim_context.h"

using namespace sc_core;
using vp::Ddr;
using vp::DdrParams;
using vp::Emif;
namespace e = vp::emif;

namespace {

constexpr double kTckNs = 2.5;  // DDR3-800: 400 MHz
constexpr unsigned kCtrl = 10;

// BeagleBone Black DDR3-800, as U-Boot programs it (am335x.md §10-§12).
DdrParams bbb(bool refresh = false) {
    DdrParams p;
    p.size = 512ull << 20;
    p.type = vp::DdrType::ddr3;
    p.clock_mhz = 400;
    p.geometry = {8, 15, 10, 2};
    p.timing = {};  // cl 6, cwl 5, trcd 6, trp 6, tras 14, trc 20, trrd 4, twr 6, twtr 4, trtp 4
    p.timing.cl = 6;
    p.timing.cwl = 5;
    p.timing.trcd = 6;
    p.timing.trp = 6;
    p.timing.tras = 14;
    p.timing.trc = 20;
    p.timing.trrd = 4;
    p.timing.twr = 6;
    p.timing.twtr = 4;
    p.timing.trtp = 4;
    p.timing.burst_length = 8;
    p.controller_cycles = kCtrl;
    p.refresh.enabled = refresh;  // U-Boot leaves it on; off keeps latencies simple
    p.refresh.trefi_ns = 7800;
    p.refresh.trfc_ns = 260;
    p.stat_prefix = "ddr";
    return p;
}

sc_time clocks(double n) {
    return sc_time(n * kTckNs, SC_NS);
}

struct Initiator : sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(sc_module_name n) : sc_module(n), socket("socket") {}
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                                    unsigned len, sc_time at, sc_time* latency = nullptr) {
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, data, len);
        sc_time delay = at;
        socket->b_transport(p, delay);
        if (latency) *latency = delay - at;
        return p.get_response_status();
    }
    uint32_t read32(uint64_t addr, sc_time at = SC_ZERO_TIME,
                    tlm::tlm_response_status* st = nullptr) {
        uint8_t b[4] = {};
        auto s = access(tlm::TLM_READ_COMMAND, addr, b, 4, at);
        if (st) *st = s;
        return static_cast<uint32_t>(vp::load_le(b, 4));
    }
    tlm::tlm_response_status write32(uint64_t addr, uint32_t v, sc_time at = SC_ZERO_TIME) {
        uint8_t b[4];
        vp::store_le(b, v, 4);
        return access(tlm::TLM_WRITE_COMMAND, addr, b, 4, at);
    }
    sc_time latency(tlm::tlm_command cmd, uint64_t addr, sc_time at) {
        uint8_t b[4] = {};
        sc_time l;
        access(cmd, addr, b, 4, at, &l);
        return l;
    }
};

// cpu → monitor → EMIF registers; dma → monitor → DDR.
struct Bench {
    Initiator cpu{"cpu"};
    Initiator dma{"dma"};
    vp::TransactionMonitor regs_mon{"regs_mon"};
    vp::TransactionMonitor ddr_mon{"ddr_mon"};
    Ddr ddr;
    Emif emif;
    explicit Bench(const DdrParams& p = bbb()) : ddr("ddr", p), emif("emif0", ddr) {
        cpu.socket.bind(regs_mon.target);
        regs_mon.initiator.bind(emif.socket);
        dma.socket.bind(ddr_mon.target);
        ddr_mon.initiator.bind(ddr.socket);
        // Elaboration only (binds the sockets): nothing to run, so no W571 warning.
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
    bool clean() const { return regs_mon.violations().empty() && ddr_mon.violations().empty(); }
};

const sc_time kLater(10, SC_US);

}  // namespace

// SPRUH73 §7.3.5: reset values of the registers that do not depend on the board.
BOOST_FIXTURE_TEST_CASE(trm_reset_values, vp::test::FreshSim) {
    Bench b;
    BOOST_CHECK_EQUAL(b.cpu.read32(0x000), 0x40443403u);  // EMIF_MOD_ID_REV, §7.3.5.1
    BOOST_CHECK_EQUAL(b.cpu.read32(0x00C), 0u);           // SDRAM_CONFIG_2, §7.3.5.4
    BOOST_CHECK_EQUAL(b.cpu.read32(0x038), 0u);           // PWR_MGMT_CTRL, §7.3.5.13
    BOOST_CHECK_EQUAL(b.cpu.read32(0x03C), 0u);           // PWR_MGMT_CTRL_SHDW
    BOOST_CHECK_EQUAL(b.cpu.read32(0x054), 0x00FFFFFFu);  // OCP_CONFIG, §7.3.5.15
    BOOST_CHECK_EQUAL(b.cpu.read32(0x058), 0x8000140Au);  // OCP_CFG_VAL_1, §7.3.5.16
    BOOST_CHECK_EQUAL(b.cpu.read32(0x05C), 0x00021616u);  // OCP_CFG_VAL_2 field table
    BOOST_CHECK_EQUAL(b.cpu.read32(0x088), 0x00010000u);  // PERF_CNT_CFG, §7.3.5.20
    BOOST_CHECK_EQUAL(b.cpu.read32(0x08C), 0u);           // PERF_CNT_SEL
    BOOST_CHECK_EQUAL(b.cpu.read32(0x098), 0x00050000u);  // READ_IDLE_CTRL, §7.3.5.23
    BOOST_CHECK_EQUAL(b.cpu.read32(0x09C), 0x00050000u);  // READ_IDLE_CTRL_SHDW field table
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0A4), 0u);           // IRQSTATUS_RAW_SYS
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0AC), 0u);           // IRQSTATUS_SYS
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0B4), 0u);           // IRQENABLE_SET_SYS
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0BC), 0u);           // IRQENABLE_CLR_SYS
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0C8), 0u);           // ZQ_CONFIG, §7.3.5.29
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0D4), 0u);           // RDWR_LVL_RMP_WIN
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0D8), 0u);           // RDWR_LVL_RMP_CTRL
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0DC), 0u);           // RDWR_LVL_CTRL
    BOOST_CHECK_EQUAL(b.cpu.read32(0x100), 0u);           // PRI_COS_MAP
    BOOST_CHECK_EQUAL(b.cpu.read32(0x120), 0x00000305u);  // RD_WR_EXEC_THRSH, §7.3.5.38
    // STATUS (§7.3.5.2): reg_dual_clk_mode = 1 as at reset, and reg_phy_dll_ready (bit 2)
    // set: the PHY the bootloader waited for is ready.
    BOOST_CHECK_EQUAL(b.cpu.read32(0x004), 0x40000004u);
    BOOST_CHECK(!b.emif.irq.read());
    BOOST_CHECK(b.clean());
}

// The board registers hold what U-Boot's SPL programs for the BeagleBone Black
// (ddr_defs.h, am335x.md §10): SDRAM_CONFIG 0x61C05332, SDRAM_TIM_1 0x0AAAD4DB,
// SDRAM_REF_CTRL 0xC30, DDR_PHY_CTRL_1 0x00100007; TIM_2.reg_t_rtp and TIM_3.reg_t_rfc as in
// its TIM2 0x266B7FDA and TIM3 0x501F867F.
BOOST_FIXTURE_TEST_CASE(board_registers_match_uboot_beaglebone_black, vp::test::FreshSim) {
    Bench b(bbb(true));
    BOOST_CHECK_EQUAL(b.cpu.read32(0x008), 0x61C05332u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x018), 0x0AAAD4DBu);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x01C), 0x0AAAD4DBu);  // shadow
    BOOST_CHECK_EQUAL(b.cpu.read32(0x010), 0x00000C30u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x014), 0x00000C30u);  // shadow
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0E4), 0x00100007u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0E8), 0x00100007u);  // shadow
    BOOST_CHECK_EQUAL((b.cpu.read32(0x020) >> 3) & 0x7, (0x266B7FDAu >> 3) & 0x7);
    BOOST_CHECK_EQUAL((b.cpu.read32(0x028) >> 4) & 0x1FF, (0x501F867Fu >> 4) & 0x1FF);
    BOOST_CHECK(b.clean());
}

// am335x.md §16: the GP EVM (rev >= 1.5) SDRAM_CONFIG 0x61C04BB2 is DDR3, CL 5, 16-bit,
// 16 row bits, 8 banks, 10 column bits.
BOOST_FIXTURE_TEST_CASE(sdram_config_composes_the_evm_value, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.clock_mhz = 303;
    p.size = 1ull << 30;
    p.geometry.row_bits = 16;
    p.timing.cl = 5;
    BOOST_CHECK_EQUAL(Emif::compose_sdram_config(p, vp::EmifParams{}), 0x61C04BB2u);
}

// Table 7-224, reg_cl: DDR2 values 2..5 are CL 2..5; DDR3 values 2, 4, ..., 14 are CL 5..11.
BOOST_AUTO_TEST_CASE(cas_latency_field_encoding) {
    unsigned cl = 0;
    uint32_t f = 0;
    BOOST_CHECK(e::decode_cl(vp::DdrType::ddr3, 2, cl) && cl == 5);
    BOOST_CHECK(e::decode_cl(vp::DdrType::ddr3, 4, cl) && cl == 6);
    BOOST_CHECK(e::decode_cl(vp::DdrType::ddr3, 14, cl) && cl == 11);
    BOOST_CHECK(!e::decode_cl(vp::DdrType::ddr3, 3, cl));
    BOOST_CHECK(!e::decode_cl(vp::DdrType::ddr3, 0, cl));
    BOOST_CHECK(e::decode_cl(vp::DdrType::ddr2, 4, cl) && cl == 4);
    BOOST_CHECK(!e::decode_cl(vp::DdrType::ddr2, 6, cl));
    BOOST_CHECK(e::encode_cl(vp::DdrType::ddr3, 8, f) && f == 8);
    BOOST_CHECK(!e::encode_cl(vp::DdrType::ddr3, 4, f));
    BOOST_CHECK(e::encode_cl(vp::DdrType::ddr2, 3, f) && f == 3);
}

// Table 7-228: every SDRAM_TIM_1 field holds cycles - 1.
BOOST_AUTO_TEST_CASE(tim1_field_encoding) {
    vp::DdrTiming t;
    t.trp = 6;
    t.trcd = 6;
    t.twr = 6;
    t.tras = 14;
    t.trc = 20;
    t.trrd = 4;
    t.twtr = 4;
    BOOST_CHECK_EQUAL(e::encode_tim1(t), 0x0AAAD4DBu);        // U-Boot BBB value
    const vp::DdrTiming r = e::decode_tim1(0x08891599u, {});  // the TRM reset value
    BOOST_CHECK_EQUAL(r.trp, 5u);
    BOOST_CHECK_EQUAL(r.trcd, 5u);
    BOOST_CHECK_EQUAL(r.twr, 5u);
    BOOST_CHECK_EQUAL(r.tras, 0x12u);
    BOOST_CHECK_EQUAL(r.trc, 0x17u);
    BOOST_CHECK_EQUAL(r.trrd, 4u);
    BOOST_CHECK_EQUAL(r.twtr, 2u);
    t.trc = 65;  // the field has 6 bits: at most 64 clocks
    BOOST_CHECK_THROW(e::encode_tim1(t), std::invalid_argument);
}

BOOST_FIXTURE_TEST_CASE(writing_tim1_changes_the_next_access, vp::test::FreshSim) {
    Bench b;
    // A row miss before: ctrl + tRCD + CL + BL/2.
    BOOST_CHECK(b.dma.latency(tlm::TLM_READ_COMMAND, 0, SC_ZERO_TIME) == clocks(kCtrl + 6 + 6 + 4));
    // reg_t_rcd (bits 24:21) = 9: tRCD = 10 clocks.
    const uint32_t tim1 = (0x0AAAD4DBu & ~(0xFu << 21)) | (9u << 21);
    BOOST_CHECK_EQUAL(b.cpu.write32(0x018, tim1), tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(b.ddr.timing().trcd, 10u);
    BOOST_CHECK_EQUAL(b.ddr.timing().trp, 6u);
    // A miss in another bank now takes ctrl + 10 + CL + BL/2.
    BOOST_CHECK(b.dma.latency(tlm::TLM_READ_COMMAND, 2048, kLater) == clocks(kCtrl + 10 + 6 + 4));
    BOOST_CHECK(b.clean());
}

BOOST_FIXTURE_TEST_CASE(writing_sdram_config_changes_type_cl_geometry, vp::test::FreshSim) {
    Bench b;
    b.dma.latency(tlm::TLM_READ_COMMAND, 0, SC_ZERO_TIME);  // opens row 0 of bank 0
    // reg_sdram_type = 2 (DDR2), reg_cl stays 4 (now CL 4), reg_ibank = 2 (4 banks).
    BOOST_CHECK_EQUAL(b.cpu.write32(0x008, 0x41C05322u), tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(b.ddr.type() == vp::DdrType::ddr2);
    BOOST_CHECK_EQUAL(b.ddr.timing().cl, 4u);
    BOOST_CHECK_EQUAL(b.ddr.geometry().banks, 4u);
    BOOST_CHECK_EQUAL(b.ddr.geometry().bus_bytes, 2u);
    BOOST_CHECK_EQUAL(b.ddr.geometry().col_bits, 10u);
    // The write reran SDRAM initialisation (precharge-all, §7.3.3.6): row 0 is closed.
    BOOST_CHECK(b.dma.latency(tlm::TLM_READ_COMMAND, 0, kLater) == clocks(kCtrl + 6 + 4 + 4));
    // DDR2 write latency is CL - 1 (JEDEC DDR2, AL = 0).
    BOOST_CHECK(b.dma.latency(tlm::TLM_WRITE_COMMAND, 0, kLater * 2) == clocks(kCtrl + 3 + 4));
    // Back to DDR3 with reg_cl = 8: CL 8.
    BOOST_CHECK_EQUAL(b.cpu.write32(0x008, 0x61C06332u), tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(b.ddr.type() == vp::DdrType::ddr3);
    BOOST_CHECK_EQUAL(b.ddr.timing().cl, 8u);
    BOOST_CHECK_EQUAL(b.ddr.geometry().banks, 8u);
    BOOST_CHECK(b.dma.latency(tlm::TLM_READ_COMMAND, 0, kLater * 3) == clocks(kCtrl + 6 + 8 + 4));
    // A reserved CL code is refused (logged), CL unchanged.
    BOOST_CHECK_EQUAL(b.cpu.write32(0x008, 0x61C05732u), tlm::TLM_OK_RESPONSE);  // reg_cl = 5
    BOOST_CHECK_EQUAL(b.ddr.timing().cl, 8u);
    BOOST_CHECK(b.clean());
}

// Table 7-226: a refresh rate below 8*reg_t_rfc + reg_t_rp + reg_t_rcd + 20 is loaded with it.
BOOST_FIXTURE_TEST_CASE(refresh_control_programs_the_ddr_refresh, vp::test::FreshSim) {
    Bench b;
    BOOST_CHECK_EQUAL(b.cpu.write32(0x010, 0x80000C30u), tlm::TLM_OK_RESPONSE);  // initref_dis
    BOOST_CHECK(!b.ddr.params().refresh.enabled);
    b.cpu.write32(0x010, 0x00000001u);
    const uint32_t min = 8 * ((0x501F867Fu >> 4) & 0x1FF) + 5 + 5 + 20;  // BBB fields
    BOOST_CHECK_EQUAL(b.cpu.read32(0x010), min);
    BOOST_CHECK(b.ddr.params().refresh.enabled);
    BOOST_CHECK_CLOSE(b.ddr.params().refresh.trefi_ns, min * kTckNs, 1e-9);
    b.cpu.write32(0x010, 0x00000C30u);  // 3120 clocks = 7.8 us
    BOOST_CHECK_CLOSE(b.ddr.params().refresh.trefi_ns, 7800.0, 1e-9);
    // SDRAM_TIM_3.reg_t_rfc (bits 12:4) = 127: tRFC = 128 clocks.
    b.cpu.write32(0x028, (0x501F867Fu & ~(0x1FFu << 4)) | (127u << 4));
    BOOST_CHECK_CLOSE(b.ddr.params().refresh.trfc_ns, 128 * kTckNs, 1e-9);
    // SDRAM_TIM_2.reg_t_rtp (bits 5:3) = 7: tRTP = 8 clocks.
    b.cpu.write32(0x020, (0x266B7FDAu & ~(0x7u << 3)) | (7u << 3));
    BOOST_CHECK_EQUAL(b.ddr.timing().trtp, 8u);
    BOOST_CHECK(b.clean());
}

// Tables 7-246..7-249: RAW is write-1-to-set, STATUS shows RAW & enable and write-1-clears
// RAW, ENABLE_SET/ENABLE_CLR set/clear one enable mask and both read it.
BOOST_FIXTURE_TEST_CASE(interrupt_registers_drive_the_irq_line, vp::test::FreshSim) {
    Bench b;
    b.cpu.write32(0x0A4, 0x1);  // raise reg_err_sys (debug set)
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0A4), 0x1u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0AC), 0x0u);  // not enabled
    BOOST_CHECK(!b.emif.irq.read());
    b.cpu.write32(0x0B4, 0x1);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0B4), 0x1u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0BC), 0x1u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0AC), 0x1u);
    BOOST_CHECK(b.emif.irq.read());
    b.cpu.write32(0x0AC, 0x1);  // service: write 1 to clear
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0A4), 0x0u);
    BOOST_CHECK(!b.emif.irq.read());
    b.cpu.write32(0x0A4, 0x2);  // reg_ta_sys, not enabled
    BOOST_CHECK(!b.emif.irq.read());
    b.cpu.write32(0x0BC, 0x1);  // disable err
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0B4), 0x0u);
    BOOST_CHECK(b.clean());
}

// Table 7-253: REG_RDWRLVLFULL_START self-clears.
BOOST_FIXTURE_TEST_CASE(full_leveling_trigger_self_clears, vp::test::FreshSim) {
    Bench b;
    b.cpu.write32(0x0DC, 0x80000000u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x0DC) & 0x80000000u, 0u);
    BOOST_CHECK(b.clean());
}

// Table 7-220: filter 2 counts reads, 1 activations; PERF_CNT_TIM counts DDR clocks.
BOOST_FIXTURE_TEST_CASE(performance_counters_count_ddr_events, vp::test::FreshSim) {
    Bench b;
    b.cpu.write32(0x088, (1u << 16) | 2u);  // counter 1: reads; counter 2: activations
    b.dma.latency(tlm::TLM_READ_COMMAND, 0, SC_ZERO_TIME);
    b.dma.latency(tlm::TLM_READ_COMMAND, 16, kLater);        // same row
    b.dma.latency(tlm::TLM_READ_COMMAND, 2048, kLater * 2);  // bank 1
    b.dma.latency(tlm::TLM_WRITE_COMMAND, 32, kLater * 3);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x080), 3u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x084), 2u);
    b.cpu.write32(0x088, (3u << 16) | 0u);  // counter 1: all accesses; counter 2: writes
    BOOST_CHECK_EQUAL(b.cpu.read32(0x080), 4u);
    BOOST_CHECK_EQUAL(b.cpu.read32(0x084), 1u);
    // 1 us of 400 MHz DDR clock.
    BOOST_CHECK_EQUAL(b.cpu.read32(0x090, sc_time(1, SC_US)), 400u);
    BOOST_CHECK(b.clean());
}

BOOST_FIXTURE_TEST_CASE(bus_errors_and_read_only_registers, vp::test::FreshSim) {
    Bench b;
    tlm::tlm_response_status st;
    b.cpu.read32(0x030, SC_ZERO_TIME, &st);  // reserved offset
    BOOST_CHECK_EQUAL(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    b.cpu.read32(0x1000, SC_ZERO_TIME, &st);  // beyond the register window
    BOOST_CHECK_EQUAL(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK_EQUAL(b.cpu.write32(0x000, 0), tlm::TLM_OK_RESPONSE);  // RO: ignored
    BOOST_CHECK_EQUAL(b.cpu.read32(0x000), 0x40443403u);
    uint8_t half[2] = {};
    BOOST_CHECK_EQUAL(b.cpu.access(tlm::TLM_READ_COMMAND, 0x008, half, 2, SC_ZERO_TIME),
                      tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_CHECK(b.clean());
}

BOOST_FIXTURE_TEST_CASE(reset_restores_board_values_and_ddr_timing, vp::test::FreshSim) {
    Bench b;
    b.cpu.write32(0x018, 0x08891599u);  // TRM reset timings
    BOOST_CHECK_EQUAL(b.ddr.timing().trcd, 5u);
    b.emif.reset();
    BOOST_CHECK_EQUAL(b.cpu.read32(0x018), 0x0AAAD4DBu);
    BOOST_CHECK_EQUAL(b.ddr.timing().trcd, 6u);
    BOOST_CHECK_EQUAL(b.ddr.timing().tras, 14u);
    BOOST_CHECK(b.clean());
}

BOOST_FIXTURE_TEST_CASE(unprogrammable_ddr_is_rejected, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.timing.cl = 4;  // DDR3 reg_cl covers CL 5..11 only
    Ddr ddr("ddr", p);
    BOOST_CHECK_THROW(Emif("emif0", ddr), std::invalid_argument);
}
