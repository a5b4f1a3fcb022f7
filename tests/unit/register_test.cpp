// The register framework (DESIGN.md §6; issue "Platform foundation" item 2).
// Register names, offsets and reset values below are real AM335x ones, from SPRUH73
// (GPIO §25.4.1, I2C §21.4.1, UART §19.5.1), so each case mirrors how a model uses it.
#define BOOST_TEST_MODULE register
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include "models/core/monitor.h"
#include "models/core/peripheral.h"
#include "models/core/tlm_util.h"
#include "tests/support/sim_context.h"

using vp::RegStatus;

namespace {

struct Bank {
    vp::Logger log{"test.bank"};
    vp::RegisterBank bank{log, 0x200};

    uint32_t rd(uint32_t off, unsigned len = 4, RegStatus* st = nullptr, bool debug = false) {
        uint8_t b[4] = {0, 0, 0, 0};
        RegStatus s = bank.read(off, b, len, nullptr, 0, debug);
        if (st) *st = s;
        return static_cast<uint32_t>(vp::load_le(b, len));
    }
    RegStatus wr(uint32_t off, uint32_t v, unsigned len = 4) {
        uint8_t b[4];
        vp::store_le(b, v, len);
        return bank.write(off, b, len);
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(reset_values_and_rw) {
    Bank t;
    // GPIO_OE resets to 0xFFFFFFFF (SPRUH73 §25.4.1.16).
    t.bank.add("OE", 0x134, 0xFFFFFFFF);
    BOOST_TEST(t.rd(0x134) == 0xFFFFFFFFu);
    BOOST_TEST(t.wr(0x134, 0xFF00FF00) == RegStatus::ok);
    BOOST_TEST(t.rd(0x134) == 0xFF00FF00u);
    t.bank.reset();
    BOOST_TEST(t.rd(0x134) == 0xFFFFFFFFu);
}

BOOST_AUTO_TEST_CASE(read_only_write_is_ignored_and_ok) {
    Bank t;
    // GPIO_REVISION is read-only, 0x50600801 (SPRUH73 §25.4.1.1).
    t.bank.add("REVISION", 0x000, 0x50600801).ro();
    BOOST_TEST(t.wr(0x000, 0) == RegStatus::ok);
    BOOST_TEST(t.rd(0x000) == 0x50600801u);
    BOOST_TEST(!t.log.once("ro:REVISION"));  // the ignored write was logged (once)
}

BOOST_AUTO_TEST_CASE(write_one_to_clear_and_set) {
    Bank t;
    // GPIO_IRQSTATUS_0 is W1C, GPIO_IRQSTATUS_SET_0 is W1S (SPRUH73 §25.4.1.6, .8).
    auto& st = t.bank.add("IRQSTATUS_0", 0x02C).w1c();
    auto& set = t.bank.add("IRQSTATUS_SET_0", 0x034).w1s();
    st.set(0x0000000F);
    t.wr(0x02C, 0x00000005);
    BOOST_TEST(t.rd(0x02C) == 0x0000000Au);
    t.wr(0x034, 0x1);
    t.wr(0x034, 0x4);
    BOOST_TEST(set.get() == 0x5u);
}

BOOST_AUTO_TEST_CASE(write_only_reads_zero_and_read_to_clear) {
    Bank t;
    // GPIO_CLEARDATAOUT (0x190) reads as 0 per its description; an RC status register.
    auto& clr = t.bank.add("CLEARDATAOUT", 0x190).wo();
    t.wr(0x190, 0x00200000);
    BOOST_TEST(clr.get() == 0x00200000u);
    BOOST_TEST(t.rd(0x190) == 0u);
    auto& rc = t.bank.add("STATUS_RC", 0x100).rc();
    rc.set(0x3);
    BOOST_TEST(t.rd(0x100, 4, nullptr, /*debug=*/true) == 0x3u);  // a debug read keeps it
    BOOST_TEST(t.rd(0x100) == 0x3u);
    BOOST_TEST(t.rd(0x100) == 0x0u);
}

BOOST_AUTO_TEST_CASE(writable_mask_keeps_read_only_fields) {
    Bank t;
    auto& r = t.bank.add("CTRL", 0x030, 0x0000F000).writable(0x000000FF);
    t.wr(0x030, 0xFFFFFFFF);
    BOOST_TEST(r.get() == 0x0000F0FFu);
}

BOOST_AUTO_TEST_CASE(sizes_alignment_and_holes) {
    Bank t;
    // I2C registers are 16 bits wide and the i2c-omap driver uses 16-bit accesses
    // (SPRUH73 §21.4.1: I2C_CON at 0xA4, reset 0).
    auto& con = t.bank.add("I2C_CON", 0x0A4, 0, 2).sizes(vp::kSize16 | vp::kSize32);
    BOOST_TEST(t.wr(0x0A4, 0x8400, 2) == RegStatus::ok);
    BOOST_TEST(con.get() == 0x8400u);
    BOOST_TEST(t.rd(0x0A4, 2) == 0x8400u);
    BOOST_TEST(t.rd(0x0A4, 4) == 0x8400u);  // upper half of a 16-bit register reads 0
    RegStatus st;
    t.rd(0x0A4, 1, &st);
    BOOST_CHECK(st == RegStatus::bad_size);  // 8-bit not declared
    t.rd(0x0A6, 4, &st);
    BOOST_CHECK(st == RegStatus::bad_size);  // misaligned word
    t.rd(0x0A8, 4, &st);
    BOOST_CHECK(st == RegStatus::hole);  // nothing there
    uint8_t b[8] = {};
    BOOST_CHECK(t.bank.read(0x0A4, b, 8) == RegStatus::too_long);
    t.bank.set_hole_policy(vp::RegisterBank::HolePolicy::read_zero);
    BOOST_TEST(t.rd(0x0A8, 4, &st) == 0u);
    BOOST_CHECK(st == RegStatus::ok);
}

BOOST_AUTO_TEST_CASE(partial_access_merges_into_the_register) {
    Bank t;
    t.bank.set_default_sizes(vp::kSizeAny);
    auto& r = t.bank.add("DATA", 0x040, 0x11223344);
    t.wr(0x041, 0xAA, 1);
    BOOST_TEST(r.get() == 0x1122AA44u);
    t.wr(0x042, 0xBBCC, 2);
    BOOST_TEST(r.get() == 0xBBCCAA44u);
    BOOST_TEST(t.rd(0x043, 1) == 0xBBu);
    BOOST_TEST(t.rd(0x040, 2) == 0xAA44u);
}

BOOST_AUTO_TEST_CASE(byte_enables_are_honoured) {
    Bank t;
    auto& r = t.bank.add("DATA", 0x040, 0x11223344);
    uint8_t data[4] = {0xA1, 0xA2, 0xA3, 0xA4};
    uint8_t be[4] = {0xFF, 0x00, 0xFF, 0x00};
    BOOST_CHECK(t.bank.write(0x040, data, 4, be, 4) == RegStatus::ok);
    BOOST_TEST(r.get() == 0x11A333A1u);
}

BOOST_AUTO_TEST_CASE(callbacks_and_unimplemented_fields) {
    Bank t;
    uint32_t written = 0, old_seen = 0;
    int reads = 0;
    auto& r = t.bank.add("SYSCONFIG", 0x010)
                  .field("SOFTRESET", 1, 1)
                  .unimplemented("IDLEMODE", 3, 2)
                  .on_write([&](vp::Register&, uint32_t w, uint32_t old) {
                      written = w;
                      old_seen = old;
                  })
                  .on_read([&](vp::Register& self) {
                      ++reads;
                      return self.get() | 0x100;
                  });
    t.wr(0x010, 0x18);
    BOOST_TEST(written == 0x18u);
    BOOST_TEST(old_seen == 0u);
    BOOST_TEST(!t.log.once("unimpl:SYSCONFIG.IDLEMODE"));  // logged at the first change
    BOOST_TEST(t.rd(0x010) == 0x118u);
    BOOST_TEST(reads == 1);
    BOOST_TEST(r.peek() == 0x18u);  // peek has no side effect and skips on_read
    BOOST_TEST(reads == 1);
}

BOOST_AUTO_TEST_CASE(arrays_and_lookup_by_name) {
    Bank t;
    // INTC_ILRm: 128 registers from 0x100, stride 4 (SPRUH73 §6.6.1.44).
    auto ilr = t.bank.add_array("ILR", 0x100, 64, 4);
    BOOST_TEST(ilr.size() == 64u);
    BOOST_TEST(t.bank["ILR63"].offset() == 0x1FCu);
    BOOST_TEST(t.bank.at(0x104) == ilr[1]);
    BOOST_CHECK_THROW(t.bank["NOPE"], std::out_of_range);
    BOOST_CHECK_THROW(t.bank.add("CLASH", 0x100), std::logic_error);
    BOOST_TEST(t.bank.dump().find("ILR7") != std::string::npos);
}

// ---- Through TLM: the peripheral base class ---------------------------------------------

namespace {

struct TestPeripheral : vp::Peripheral {
    explicit TestPeripheral(sc_core::sc_module_name n) : Peripheral(n, 0x1000) {
        regs().add("REVISION", 0x000, 0x50600801).ro();
        regs().add("OE", 0x134, 0xFFFFFFFF);
    }
};

struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
    explicit Initiator(sc_core::sc_module_name n) : sc_module(n) {}
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint32_t& v,
                                    unsigned len = 4) {
        uint8_t b[8] = {};
        vp::store_le(b, v, len);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, b, len);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, d);
        if (cmd == tlm::TLM_READ_COMMAND) v = static_cast<uint32_t>(vp::load_le(b, len));
        return p.get_response_status();
    }
};

struct Bench {
    Initiator init{"init"};
    vp::TransactionMonitor mon{"mon"};
    TestPeripheral dev{"dev"};
    Bench() {
        init.socket.bind(mon.target);
        mon.initiator.bind(dev.socket);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(gated_clock_gives_generic_error, vp::test::FreshSim) {
    Bench b;
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    uint32_t v = 0;
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x134, v) == tlm::TLM_OK_RESPONSE);
    // The L4 answers an access to a module whose clock is off with an error (SPRUH73
    // §8.1.12: "any OCP access to a disabled module returns an error").
    b.dev.clock_enable.write(false);
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x134, v) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    b.dev.clock_enable.write(true);
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x134, v) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(v == 0xFFFFFFFFu);
    BOOST_TEST(b.mon.violations().empty());
    BOOST_TEST(b.mon.records().size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(responses_through_tlm, vp::test::FreshSim) {
    Bench b;
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    uint32_t v = 0;
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x0FC, v) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x135, v, 1) ==
                tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x134, v, 2) ==
                tlm::TLM_GENERIC_ERROR_RESPONSE);
    v = 0x1234;
    BOOST_CHECK(b.init.access(tlm::TLM_WRITE_COMMAND, 0x000, v) == tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(b.init.access(tlm::TLM_READ_COMMAND, 0x000, v) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(v == 0x50600801u);
    BOOST_TEST(b.mon.violations().empty());
    const auto& r = b.mon.records();
    BOOST_REQUIRE(r.size() == 5u);
    BOOST_TEST(r[3].command == tlm::TLM_WRITE_COMMAND);
    BOOST_TEST(r[3].value() == 0x1234u);
    BOOST_TEST(r[4].value() == 0x50600801u);
}
