#define BOOST_TEST_MODULE ddr
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/memory/ddr.h"
#include "tests/support/sim_context.h"

using namespace sc_core;
using vp::Ddr;
using vp::DdrParams;

namespace {

// BeagleBone Black DDR3-800 (MT41K256M16HA-125E, am335x.md §11/§12): 400 MHz, so tCK = 2.5 ns;
// CL 6, tRCD 6, tRP 6, tRAS 14, tRC 20 (U-Boot's SDRAM_TIM_1 0x0AAAD4DB decoded with
// SPRUH73 Table 7-228); 16-bit bus, 8 banks, 10 column bits, 15 row bits (SDRAM_CONFIG
// 0x61C05332, Table 7-224); BL8 (the EMIF's mode register setting, §7.3.3.6.2).
constexpr double kTckNs = 2.5;
constexpr unsigned kCl = 6, kTrcd = 6, kTrp = 6, kTras = 14, kTrc = 20;
constexpr unsigned kBl = 8;
constexpr unsigned kBusBytes = 2;
constexpr unsigned kBurstClocks = kBl / 2;  // DDR: two beats per clock
constexpr unsigned kCtrl = 10;              // controller cycles chosen for the tests

DdrParams bbb(unsigned ctrl = kCtrl) {
    DdrParams p;
    p.size = 512ull << 20;
    p.type = vp::DdrType::ddr3;
    p.clock_mhz = 400;
    p.geometry = {8, 15, 10, kBusBytes};
    p.timing.cl = kCl;
    p.timing.cwl = 5;
    p.timing.trcd = kTrcd;
    p.timing.trp = kTrp;
    p.timing.tras = kTras;
    p.timing.trc = kTrc;
    p.timing.trrd = 4;
    p.timing.twr = 6;
    p.timing.twtr = 4;
    p.timing.trtp = 4;
    p.timing.burst_length = kBl;
    p.controller_cycles = ctrl;
    p.stat_prefix = "ddr";
    return p;
}

sc_time clocks(double n) {
    return sc_time(n * kTckNs, SC_NS);
}

// SPRUH73 Table 7-211 (REG_IBANK_POS=0, REG_EBANK_POS=0): row | bank | column, the column
// counting bus words (16-bit here, so one byte-select bit below it).
uint64_t addr_of(uint64_t row, unsigned bank, unsigned col) {
    return (row << (3 + 10 + 1)) | (uint64_t(bank) << (10 + 1)) | (uint64_t(col) << 1);
}

struct Initiator : sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(sc_module_name n) : sc_module(n), socket("socket") {}
    struct Result {
        tlm::tlm_response_status status;
        sc_time latency;
        sc_time end;  // arrival + latency
    };
    // An access arriving at simulated time `at` (sc_time_stamp() is 0: local-time offset).
    Result access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len, sc_time at) {
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, data, len);
        sc_time delay = at;
        socket->b_transport(p, delay);
        return {p.get_response_status(), delay - at, delay};
    }
    Result read(uint64_t addr, unsigned len, sc_time at) {
        uint8_t buf[256] = {};
        return access(tlm::TLM_READ_COMMAND, addr, buf, len, at);
    }
    Result write(uint64_t addr, unsigned len, sc_time at) {
        uint8_t buf[256] = {};
        return access(tlm::TLM_WRITE_COMMAND, addr, buf, len, at);
    }
};

struct Bench {
    Initiator init{"init"};
    vp::TransactionMonitor mon{"mon"};
    Ddr ddr;
    explicit Bench(const DdrParams& p) : ddr("ddr", p) {
        init.socket.bind(mon.target);
        mon.initiator.bind(ddr.socket);
        // Elaboration only (binds the sockets): nothing to run, so no W571 warning.
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
};

double stat(const std::string& name) {
    auto* s = vp::stats::Registry::global().find(name);
    BOOST_REQUIRE_MESSAGE(s, "no statistic " << name);
    return s->value();
}

long resident_bytes() {
    std::ifstream f("/proc/self/statm");
    long size = 0, resident = 0;
    f >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

const sc_time kLater(10, SC_US);  // long after any earlier access: no constraint left

}  // namespace

BOOST_FIXTURE_TEST_CASE(address_decode_follows_ibank_pos_0_mapping, vp::test::FreshSim) {
    Bench b(bbb());
    const auto l = b.ddr.decode(addr_of(0x1234, 5, 0x2AB) | 1);
    BOOST_CHECK_EQUAL(l.row, 0x1234u);
    BOOST_CHECK_EQUAL(l.bank, 5u);
    BOOST_CHECK_EQUAL(l.column, 0x2ABu);
    // One page is 2^10 words of 2 bytes: the next 2 KiB go to the next bank, same row.
    const auto n = b.ddr.decode(2048);
    BOOST_CHECK_EQUAL(n.bank, 1u);
    BOOST_CHECK_EQUAL(n.row, 0u);
    BOOST_CHECK_EQUAL(n.column, 0u);
    BOOST_CHECK_EQUAL(b.ddr.geometry().capacity(), 512ull << 20);
}

// JEDEC: a READ to a bank with no open row needs ACTIVATE, tRCD, then CL to the first
// data; a BL8 burst then takes BL/2 = 4 clocks on a DDR bus.
BOOST_FIXTURE_TEST_CASE(row_closed_then_row_hit_latencies, vp::test::FreshSim) {
    Bench b(bbb());
    auto first = b.init.read(addr_of(7, 2, 0), 4, SC_ZERO_TIME);
    BOOST_CHECK_EQUAL(first.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(first.latency == clocks(kCtrl + kTrcd + kCl + kBurstClocks));
    // Same row, arriving when the first one completed: a row hit, CL + burst.
    auto hit = b.init.read(addr_of(7, 2, 100), 4, first.end);
    BOOST_CHECK(hit.latency == clocks(kCtrl + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.row_misses"), 1.0);
    BOOST_CHECK_EQUAL(stat("ddr.row_hits"), 1.0);
    BOOST_CHECK_EQUAL(stat("ddr.row_conflicts"), 0.0);
    BOOST_CHECK_EQUAL(stat("ddr.row_hit_rate"), 0.5);
    BOOST_CHECK_EQUAL(stat("ddr.reads"), 2.0);
    // The latency histogram (ns) saw both.
    const auto& h = b.ddr.latency_stats();
    BOOST_CHECK_EQUAL(h.count(), 2u);
    BOOST_CHECK_CLOSE(h.min(), (kCtrl + kCl + kBurstClocks) * kTckNs, 1e-9);
    BOOST_CHECK_CLOSE(h.max(), (kCtrl + kTrcd + kCl + kBurstClocks) * kTckNs, 1e-9);
    BOOST_CHECK_EQUAL(stat("ddr.latency"), 2.0);
    BOOST_CHECK(b.mon.violations().empty());
}

// JEDEC: another row of an open bank needs PRECHARGE (tRP) before the ACTIVATE.
BOOST_FIXTURE_TEST_CASE(row_conflict_latency, vp::test::FreshSim) {
    Bench b(bbb());
    b.init.read(addr_of(7, 2, 0), 4, SC_ZERO_TIME);
    auto conflict = b.init.read(addr_of(8, 2, 0), 4, kLater);  // tRAS long satisfied
    BOOST_CHECK(conflict.latency == clocks(kCtrl + kTrp + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.row_conflicts"), 1.0);
    // Another bank keeps its own row: bank 3 is closed, bank 2 still holds row 8.
    auto other_bank = b.init.read(addr_of(8, 3, 0), 4, kLater * 2);
    BOOST_CHECK(other_bank.latency == clocks(kCtrl + kTrcd + kCl + kBurstClocks));
    auto back = b.init.read(addr_of(8, 2, 4), 4, kLater * 3);
    BOOST_CHECK(back.latency == clocks(kCtrl + kCl + kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

// A transfer of several bursts: a burst moves BL x bus width = 16 bytes.
BOOST_FIXTURE_TEST_CASE(transfer_time_counts_bursts, vp::test::FreshSim) {
    Bench b(bbb());
    auto line = b.init.read(addr_of(1, 0, 0), 64, SC_ZERO_TIME);  // a 64-byte cache line
    BOOST_CHECK(line.latency == clocks(kCtrl + kTrcd + kCl + 4 * kBurstClocks));
    // 4 bytes straddling a 16-byte burst boundary need two bursts.
    auto straddle = b.init.read(addr_of(1, 0, 0) + 14, 4, kLater);
    BOOST_CHECK(straddle.latency == clocks(kCtrl + kCl + 2 * kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

// An access that crosses a page (2 KiB here) continues in the next bank (Table 7-211).
BOOST_FIXTURE_TEST_CASE(page_crossing_access_opens_two_banks, vp::test::FreshSim) {
    Bench b(bbb(0));
    auto r = b.init.read(addr_of(0, 0, 1023), 4, SC_ZERO_TIME);  // last word of bank 0's page
    BOOST_CHECK_EQUAL(stat("ddr.row_misses"), 2.0);
    // Bank 1's ACTIVATE waits tRRD after bank 0's; its burst follows it on the bus.
    const unsigned trrd = 4;
    const double bank0_end = kTrcd + kCl + kBurstClocks;
    const double bank1_end = std::max(trrd + kTrcd + kCl, unsigned(bank0_end)) + kBurstClocks;
    BOOST_CHECK(r.latency == clocks(std::max(bank0_end, bank1_end)));
    BOOST_CHECK(b.mon.violations().empty());
}

// JEDEC tRAS: PRECHARGE no earlier than tRAS after ACTIVATE (and tRTP after a READ).
BOOST_FIXTURE_TEST_CASE(conflict_right_after_activate_waits_for_tras, vp::test::FreshSim) {
    DdrParams p = bbb(0);
    p.timing.trc = 15;  // so that tRAS + tRP (20) is the binding constraint
    Bench b(p);
    auto a = b.init.read(addr_of(1, 4, 0), 4, SC_ZERO_TIME);  // ACTIVATE at 0
    BOOST_CHECK(a.latency == clocks(kTrcd + kCl + kBurstClocks));
    // A second master's read of another row of the same bank, at the same time.
    auto c = b.init.read(addr_of(2, 4, 0), 4, SC_ZERO_TIME);
    const unsigned precharge = std::max(kTras, kTrcd + p.timing.trtp);
    const unsigned activate = std::max(precharge + kTrp, p.timing.trc);
    BOOST_CHECK_EQUAL(activate, kTras + kTrp);
    BOOST_CHECK(c.latency == clocks(activate + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

// JEDEC tRC: two ACTIVATEs of one bank at least tRC apart.
BOOST_FIXTURE_TEST_CASE(conflict_right_after_activate_waits_for_trc, vp::test::FreshSim) {
    DdrParams p = bbb(0);
    p.timing.tras = 8;
    p.timing.trp = 2;
    p.timing.trtp = 1;
    p.timing.trc = 20;  // > tRAS + tRP: binding
    Bench b(p);
    b.init.read(addr_of(1, 4, 0), 4, SC_ZERO_TIME);
    auto c = b.init.read(addr_of(2, 4, 0), 4, SC_ZERO_TIME);
    const unsigned precharge = std::max(p.timing.tras, kTrcd + p.timing.trtp);
    const unsigned activate = std::max(precharge + p.timing.trp, p.timing.trc);
    BOOST_CHECK_EQUAL(activate, p.timing.trc);
    BOOST_CHECK(c.latency == clocks(activate + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

// JEDEC tRRD: ACTIVATEs of different banks at least tRRD apart.
BOOST_FIXTURE_TEST_CASE(activates_of_two_banks_are_trrd_apart, vp::test::FreshSim) {
    DdrParams p = bbb(0);
    p.timing.trrd = 10;
    Bench b(p);
    b.init.read(addr_of(1, 0, 0), 4, SC_ZERO_TIME);
    auto second = b.init.read(addr_of(1, 1, 0), 4, SC_ZERO_TIME);
    BOOST_CHECK(second.latency == clocks(p.timing.trrd + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

// Writes: WRITE → data after CWL (DDR3); DDR2 write latency is RL - 1 = CL - 1 (JEDEC
// JESD79-2, AL = 0 as the EMIF programs it).
BOOST_FIXTURE_TEST_CASE(write_latency_uses_cwl_or_cl_minus_one, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.timing.cwl = 7;  // differs from CL - 1
    Bench b(p);
    auto w = b.init.write(addr_of(3, 3, 0), 4, SC_ZERO_TIME);
    BOOST_CHECK(w.latency == clocks(kCtrl + kTrcd + 7 + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.writes"), 1.0);
    b.ddr.set_type(vp::DdrType::ddr2);
    auto w2 = b.init.write(addr_of(3, 3, 8), 4, kLater);
    BOOST_CHECK(w2.latency == clocks(kCtrl + (kCl - 1) + kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

// JEDEC tWR: after the last write data, PRECHARGE waits tWR.
BOOST_FIXTURE_TEST_CASE(conflict_after_write_waits_for_write_recovery, vp::test::FreshSim) {
    DdrParams p = bbb(0);
    p.timing.twr = 12;
    Bench b(p);
    auto w = b.init.write(addr_of(1, 6, 0), 4, SC_ZERO_TIME);
    const double write_end = kTrcd + 5 + kBurstClocks;
    BOOST_CHECK(w.latency == clocks(write_end));
    auto c = b.init.read(addr_of(2, 6, 0), 4, w.end);
    const double precharge = std::max<double>(kTras, write_end + p.timing.twr);
    const double activate = std::max<double>(precharge + kTrp, kTrc);
    BOOST_CHECK(c.end == clocks(activate + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(closed_page_policy_precharges_after_each_access, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.page_policy = vp::PagePolicy::closed;
    Bench b(p);
    b.init.read(addr_of(5, 1, 0), 4, SC_ZERO_TIME);
    auto again = b.init.read(addr_of(5, 1, 2), 4, kLater);  // same row: no longer open
    BOOST_CHECK(again.latency == clocks(kCtrl + kTrcd + kCl + kBurstClocks));
    auto other = b.init.read(addr_of(6, 1, 0), 4, kLater * 2);  // no conflict either
    BOOST_CHECK(other.latency == clocks(kCtrl + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.row_misses"), 3.0);
    BOOST_CHECK_EQUAL(stat("ddr.row_hits"), 0.0);
    BOOST_CHECK_EQUAL(stat("ddr.row_conflicts"), 0.0);
    BOOST_CHECK(b.mon.violations().empty());
}

// Auto-refresh every tREFI: all banks precharged, then REFRESH blocks tRFC (JEDEC).
BOOST_FIXTURE_TEST_CASE(refresh_closes_rows_and_blocks_trfc, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.refresh.enabled = true;
    p.refresh.trefi_ns = 7800;  // DDR3 tREFI
    p.refresh.trfc_ns = 260;    // 4 Gb DDR3 tRFC = 104 clocks at 2.5 ns
    Bench b(p);
    b.init.read(addr_of(9, 0, 0), 4, SC_ZERO_TIME);  // opens row 9 of bank 0
    // Long after the first refresh at 7.8 us: row 9 was closed by it.
    auto after = b.init.read(addr_of(9, 0, 4), 4, sc_time(7800 + 1000, SC_NS));
    BOOST_CHECK(after.latency == clocks(kCtrl + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.refreshes"), 1.0);
    BOOST_CHECK_EQUAL(stat("ddr.row_hits"), 0.0);

    // Reopen the row, then arrive exactly at the second refresh (15.6 us): the access waits
    // for precharge-all (tRP) and tRFC, then activates (the controller's own cycles,
    // fewer than tRP + tRFC, are hidden under the refresh).
    b.init.read(addr_of(9, 0, 8), 4, sc_time(15000, SC_NS));
    auto blocked = b.init.read(addr_of(9, 0, 12), 4, sc_time(2 * 7800, SC_NS));
    const unsigned trfc = 104;
    BOOST_CHECK(blocked.latency == clocks(kTrp + trfc + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.refreshes"), 2.0);
    BOOST_CHECK(b.mon.violations().empty());
}

// DESIGN.md §5: a target's time is sc_time_stamp() + the annotated delay.
BOOST_FIXTURE_TEST_CASE(bank_state_uses_simulated_time_plus_delay, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.refresh.enabled = true;  // the first refresh at tREFI = 7.8 us closes every row
    Bench b(p);
    b.init.read(addr_of(9, 0, 0), 4, SC_ZERO_TIME);
    auto hit = b.init.read(addr_of(9, 0, 4), 4, sc_time(7, SC_US));  // before the refresh
    BOOST_CHECK(hit.latency == clocks(kCtrl + kCl + kBurstClocks));
    sc_start(sc_time(9, SC_US));  // now 9 us: past the refresh, with no delay annotated
    BOOST_CHECK(sc_time_stamp() == sc_time(9, SC_US));
    auto after = b.init.read(addr_of(9, 0, 8), 4, SC_ZERO_TIME);
    BOOST_CHECK(after.latency == clocks(kCtrl + kTrcd + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.refreshes"), 1.0);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(refresh_disabled_keeps_rows_open, vp::test::FreshSim) {
    Bench b(bbb());
    b.init.read(addr_of(9, 0, 0), 4, SC_ZERO_TIME);
    auto hit = b.init.read(addr_of(9, 0, 4), 4, sc_time(100, SC_US));
    BOOST_CHECK(hit.latency == clocks(kCtrl + kCl + kBurstClocks));
    BOOST_CHECK_EQUAL(stat("ddr.refreshes"), 0.0);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(set_timing_changes_the_next_access, vp::test::FreshSim) {
    Bench b(bbb());
    vp::DdrTiming t = b.ddr.timing();
    t.cl = 9;
    t.trcd = 11;
    b.ddr.set_timing(t);
    auto r = b.init.read(addr_of(2, 2, 0), 4, SC_ZERO_TIME);
    BOOST_CHECK(r.latency == clocks(kCtrl + 11 + 9 + kBurstClocks));
    vp::DdrTiming bad = t;
    bad.burst_length = 6;
    BOOST_CHECK_THROW(b.ddr.set_timing(bad), std::invalid_argument);
    BOOST_CHECK_EQUAL(b.ddr.timing().burst_length, 8u);  // unchanged
    BOOST_CHECK(b.mon.violations().empty());
}

// IEEE 1666-2011, DMI: the end address is inclusive; DMI users get a fixed latency.
BOOST_FIXTURE_TEST_CASE(dmi_covers_the_whole_ddr_with_row_hit_latency, vp::test::FreshSim) {
    Bench b(bbb());
    const uint64_t last = b.ddr.size() - 1;
    uint8_t v = 0x3C;
    b.init.access(tlm::TLM_WRITE_COMMAND, last, &v, 1, SC_ZERO_TIME);
    tlm::tlm_generic_payload p;
    uint8_t buf[4];
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x1000, buf, 4);
    tlm::tlm_dmi dmi;
    BOOST_REQUIRE(b.init.socket->get_direct_mem_ptr(p, dmi));
    BOOST_CHECK_EQUAL(dmi.get_start_address(), 0u);
    BOOST_CHECK_EQUAL(dmi.get_end_address(), last);
    BOOST_CHECK(dmi.is_read_write_allowed());
    BOOST_CHECK_EQUAL(dmi.get_dmi_ptr()[last], 0x3C);
    BOOST_CHECK(dmi.get_read_latency() == clocks(kCtrl + kCl + kBurstClocks));
    BOOST_CHECK(dmi.get_write_latency() == clocks(kCtrl + 5 + kBurstClocks));
    dmi.get_dmi_ptr()[last] = 0xC3;
    uint8_t back = 0;
    b.init.access(tlm::TLM_READ_COMMAND, last, &back, 1, kLater);
    BOOST_CHECK_EQUAL(back, 0xC3);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(one_gib_ddr_costs_no_host_memory_until_touched, vp::test::FreshSim) {
    const long before = resident_bytes();
    DdrParams p = bbb();
    p.size = 1ull << 30;  // the whole EMIF0 window (am335x.md §1.1)
    p.geometry.row_bits = 16;
    {
        Bench b(p);
        BOOST_CHECK_LT(resident_bytes() - before, 64l << 20);
        uint8_t v = 0x77;
        b.init.access(tlm::TLM_WRITE_COMMAND, (1ull << 30) - 1, &v, 1, SC_ZERO_TIME);
        b.init.access(tlm::TLM_WRITE_COMMAND, 0, &v, 1, kLater);
        BOOST_CHECK_LT(resident_bytes() - before, 64l << 20);
        BOOST_CHECK_EQUAL(b.ddr.host_ptr()[(1ull << 30) - 1], 0x77);
        BOOST_CHECK(b.mon.violations().empty());
    }
}

BOOST_FIXTURE_TEST_CASE(errors_take_no_ddr_time_and_are_reported, vp::test::FreshSim) {
    Bench b(bbb());
    auto r = b.init.read(b.ddr.size() - 2, 4, SC_ZERO_TIME);
    BOOST_CHECK_EQUAL(r.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(r.latency == SC_ZERO_TIME);
    BOOST_CHECK_EQUAL(stat("ddr.reads"), 0.0);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(bad_parameters_are_rejected_with_the_key, vp::test::FreshSim) {
    DdrParams p = bbb();
    p.geometry.banks = 3;
    try {
        vp::validate_ddr_params(p);
        BOOST_ERROR("banks = 3 accepted");
    } catch (const std::invalid_argument& e) {
        BOOST_CHECK(std::string(e.what()).find("ddr.geometry.banks") != std::string::npos);
    }
    p = bbb();
    p.timing.trcd = 0;
    BOOST_CHECK_THROW(vp::validate_ddr_params(p), std::invalid_argument);
    p = bbb();
    p.clock_mhz = 0;
    BOOST_CHECK_THROW(Ddr("bad", p), std::invalid_argument);
    p = bbb();
    p.size = 0;
    BOOST_CHECK_THROW(vp::validate_ddr_params(p), std::invalid_argument);
    vp::DdrType t;
    BOOST_CHECK(vp::parse_ddr_type("ddr2", t) && t == vp::DdrType::ddr2);
    BOOST_CHECK(!vp::parse_ddr_type("lpddr", t));
    vp::PagePolicy pp;
    BOOST_CHECK(vp::parse_page_policy("closed", pp) && pp == vp::PagePolicy::closed);
}
