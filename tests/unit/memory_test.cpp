#define BOOST_TEST_MODULE memory
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/memory/memory.h"
#include "tests/support/sim_context.h"

using namespace sc_core;
using vp::Memory;
using vp::MemoryParams;

namespace {

// A test initiator whose accesses are made from the test body (no process needed: the
// targets never wait), at local time offset `at`.
struct Initiator : sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(sc_module_name n) : sc_module(n), socket("socket") {}

    struct Result {
        tlm::tlm_response_status status;
        sc_time latency;
    };
    Result access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len,
                  const uint8_t* be = nullptr, unsigned be_len = 0, unsigned sw = 0,
                  sc_time at = SC_ZERO_TIME) {
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, data, len);
        if (be) {
            p.set_byte_enable_ptr(const_cast<uint8_t*>(be));
            p.set_byte_enable_length(be_len);
        }
        if (sw) p.set_streaming_width(sw);
        sc_time delay = at;
        socket->b_transport(p, delay);
        return {p.get_response_status(), delay - at};
    }
    Result write32(uint64_t addr, uint32_t v) {
        uint8_t b[4];
        vp::store_le(b, v, 4);
        return access(tlm::TLM_WRITE_COMMAND, addr, b, 4);
    }
    uint32_t read32(uint64_t addr, tlm::tlm_response_status* st = nullptr) {
        uint8_t b[4] = {};
        Result r = access(tlm::TLM_READ_COMMAND, addr, b, 4);
        if (st) *st = r.status;
        return static_cast<uint32_t>(vp::load_le(b, 4));
    }
};

// Initiator → monitor → memory.
struct Bench {
    Initiator init{"init"};
    vp::TransactionMonitor mon{"mon"};
    Memory mem;
    Bench(const MemoryParams& p) : mem("mem", p) {
        init.socket.bind(mon.target);
        mon.initiator.bind(mem.socket);
        // Elaboration only (binds the sockets): nothing to run, so no W571 warning.
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        // Elaboration only (binds the sockets): nothing to run, so no W571 warning.
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
};

MemoryParams ram(uint64_t size) {
    MemoryParams p;
    p.size = size;
    p.read_latency = sc_time(10, SC_NS);
    p.write_latency = sc_time(20, SC_NS);
    return p;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(ram_write_then_read_returns_data_with_configured_latency,
                        vp::test::FreshSim) {
    Bench b(ram(64 * 1024));  // internal SRAM size, am335x.md §1.1
    auto w = b.init.write32(0x100, 0xDEADBEEF);
    BOOST_CHECK_EQUAL(w.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(w.latency == sc_time(20, SC_NS));
    uint8_t buf[4] = {};
    auto r = b.init.access(tlm::TLM_READ_COMMAND, 0x100, buf, 4);
    BOOST_CHECK_EQUAL(r.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK(r.latency == sc_time(10, SC_NS));
    BOOST_CHECK_EQUAL(vp::load_le(buf, 4), 0xDEADBEEFu);
    // Little-endian byte order in the host storage (the AM335x runs little-endian).
    BOOST_CHECK_EQUAL(b.mem.host_ptr()[0x100], 0xEF);
    BOOST_CHECK_EQUAL(b.mem.host_ptr()[0x103], 0xDE);
    BOOST_CHECK_EQUAL(b.mon.records().size(), 2u);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(ram_counts_reads_writes_and_bytes, vp::test::FreshSim) {
    MemoryParams p = ram(4096);
    p.stat_prefix = "ocmc0";
    Bench b(p);
    uint8_t line[64] = {};
    b.init.access(tlm::TLM_WRITE_COMMAND, 0, line, 64);
    b.init.read32(0);
    b.init.read32(4);
    auto& reg = vp::stats::Registry::global();
    BOOST_REQUIRE(reg.find("ocmc0.reads"));
    BOOST_CHECK_EQUAL(reg.find("ocmc0.reads")->value(), 2.0);
    BOOST_CHECK_EQUAL(reg.find("ocmc0.writes")->value(), 1.0);
    BOOST_CHECK_EQUAL(reg.find("ocmc0.bytes_read")->value(), 8.0);
    BOOST_CHECK_EQUAL(reg.find("ocmc0.bytes_written")->value(), 64.0);
    BOOST_CHECK(b.mon.violations().empty());
}

// IEEE 1666-2011, generic payload byte enables: a byte enable of 0x00 means the byte is neither
// written nor (for a read) copied into the data array; the pattern repeats every
// byte_enable_length.
BOOST_FIXTURE_TEST_CASE(byte_enables_are_honoured_on_write_and_read, vp::test::FreshSim) {
    Bench b(ram(4096));
    b.init.write32(0x10, 0x11223344);
    uint8_t data[4];
    vp::store_le(data, 0xAABBCCDD, 4);
    const uint8_t be[2] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED};  // repeats: on, off, on, off
    auto w = b.init.access(tlm::TLM_WRITE_COMMAND, 0x10, data, 4, be, 2);
    BOOST_CHECK_EQUAL(w.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(b.init.read32(0x10), 0x11BB33DDu);

    uint8_t out[4] = {0x55, 0x55, 0x55, 0x55};
    const uint8_t be_read[4] = {TLM_BYTE_DISABLED, TLM_BYTE_ENABLED, TLM_BYTE_ENABLED,
                                TLM_BYTE_DISABLED};
    auto r = b.init.access(tlm::TLM_READ_COMMAND, 0x10, out, 4, be_read, 4);
    BOOST_CHECK_EQUAL(r.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(out[0], 0x55);  // disabled: untouched
    BOOST_CHECK_EQUAL(out[1], 0x33);
    BOOST_CHECK_EQUAL(out[2], 0xBB);
    BOOST_CHECK_EQUAL(out[3], 0x55);
    BOOST_CHECK(b.mon.violations().empty());  // the monitor also checks disabled bytes
}

// IEEE 1666-2011, generic payload streaming width: with a streaming width below the length, the
// address range [address, address + streaming_width) is accessed again and again.
BOOST_FIXTURE_TEST_CASE(streaming_width_repeats_the_first_bytes, vp::test::FreshSim) {
    Bench b(ram(4096));
    b.init.write32(0x24, 0xCAFEF00D);  // just after the streamed window: must survive
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    auto w = b.init.access(tlm::TLM_WRITE_COMMAND, 0x20, data, 8, nullptr, 0, 4);
    BOOST_CHECK_EQUAL(w.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(b.init.read32(0x20), 0x08070605u);  // the last beat wins
    BOOST_CHECK_EQUAL(b.init.read32(0x24), 0xCAFEF00Du);

    uint8_t out[8] = {};
    auto r = b.init.access(tlm::TLM_READ_COMMAND, 0x20, out, 8, nullptr, 0, 4);
    BOOST_CHECK_EQUAL(r.status, tlm::TLM_OK_RESPONSE);
    BOOST_CHECK_EQUAL(vp::load_le(out, 8), 0x0807060508070605ull);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(out_of_range_access_is_an_address_error, vp::test::FreshSim) {
    const uint64_t size = 64 * 1024;
    Bench b(ram(size));
    tlm::tlm_response_status st;
    b.init.read32(size - 4, &st);
    BOOST_CHECK_EQUAL(st, tlm::TLM_OK_RESPONSE);  // the last word is inside
    b.init.read32(size - 2, &st);                 // straddles the end
    BOOST_CHECK_EQUAL(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    b.init.read32(size, &st);
    BOOST_CHECK_EQUAL(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    auto w = b.init.write32(~0ull - 1, 1);  // address + length wraps around 2^64
    BOOST_CHECK_EQUAL(w.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_CHECK(w.latency == SC_ZERO_TIME);
    BOOST_CHECK(b.mon.violations().empty());
}

// IEEE 1666-2011, DMI: the end address is inclusive.
BOOST_FIXTURE_TEST_CASE(dmi_grants_whole_ram_with_inclusive_end, vp::test::FreshSim) {
    const uint64_t size = 64 * 1024;
    Bench b(ram(size));
    b.init.write32(size - 4, 0xA1B2C3D4);
    tlm::tlm_generic_payload p;
    uint8_t dummy[4];
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x40, dummy, 4);
    tlm::tlm_dmi dmi;
    BOOST_REQUIRE(b.init.socket->get_direct_mem_ptr(p, dmi));
    BOOST_CHECK_EQUAL(dmi.get_start_address(), 0u);
    BOOST_CHECK_EQUAL(dmi.get_end_address(), size - 1);
    BOOST_CHECK(dmi.is_read_write_allowed());
    BOOST_CHECK(dmi.get_read_latency() == sc_time(10, SC_NS));
    BOOST_CHECK(dmi.get_write_latency() == sc_time(20, SC_NS));
    // The last byte through the pointer equals the last byte through b_transport.
    unsigned char* ptr = dmi.get_dmi_ptr();
    BOOST_CHECK_EQUAL(ptr[dmi.get_end_address() - dmi.get_start_address()], 0xA1);
    ptr[size - 1] = 0x5A;
    BOOST_CHECK_EQUAL(b.init.read32(size - 4) >> 24, 0x5Au);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(successful_access_hints_dmi, vp::test::FreshSim) {
    Bench b(ram(4096));
    tlm::tlm_generic_payload p;
    uint8_t buf[4] = {};
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0, buf, 4);
    sc_time d = SC_ZERO_TIME;
    b.init.socket->b_transport(p, d);
    BOOST_CHECK(p.is_dmi_allowed());
    BOOST_CHECK(b.mon.violations().empty());
}

// IEEE 1666-2011, generic payload response status: TLM_COMMAND_ERROR_RESPONSE for a command the
// target cannot execute.
BOOST_FIXTURE_TEST_CASE(rom_refuses_writes_and_keeps_its_content, vp::test::FreshSim) {
    MemoryParams p = ram(176 * 1024);  // boot ROM size, am335x.md §1.1
    p.read_only = true;
    Bench b(p);
    const uint8_t image[4] = {0x78, 0x56, 0x34, 0x12};
    b.mem.load(0x20000, image, sizeof image);  // the public ROM starts at 0x4002_0000
    auto w = b.init.write32(0x20000, 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(w.status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    w = b.init.write32(0x20000, 0);  // logged once, still refused
    BOOST_CHECK_EQUAL(w.status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    BOOST_CHECK_EQUAL(b.init.read32(0x20000), 0x12345678u);

    // Read DMI is read-only; write DMI is refused.
    tlm::tlm_generic_payload q;
    uint8_t buf[4];
    vp::setup_payload(q, tlm::TLM_READ_COMMAND, 0, buf, 4);
    tlm::tlm_dmi dmi;
    BOOST_REQUIRE(b.init.socket->get_direct_mem_ptr(q, dmi));
    BOOST_CHECK(dmi.is_read_allowed());
    BOOST_CHECK(!dmi.is_write_allowed());
    BOOST_CHECK_EQUAL(dmi.get_end_address(), 176u * 1024 - 1);
    tlm::tlm_dmi wdmi;
    vp::setup_payload(q, tlm::TLM_WRITE_COMMAND, 0, buf, 4);
    BOOST_CHECK(!b.init.socket->get_direct_mem_ptr(q, wdmi));

    // A debugger may write a ROM (transport_dbg).
    uint8_t patch[2] = {0xAA, 0xBB};
    vp::setup_payload(q, tlm::TLM_WRITE_COMMAND, 0x20000, patch, 2);
    BOOST_CHECK_EQUAL(b.init.socket->transport_dbg(q), 2u);
    BOOST_CHECK_EQUAL(b.init.read32(0x20000), 0x1234BBAAu);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(debug_transport_is_clipped_at_the_end, vp::test::FreshSim) {
    Bench b(ram(256));
    uint8_t buf[16];
    tlm::tlm_generic_payload q;
    vp::setup_payload(q, tlm::TLM_READ_COMMAND, 250, buf, 16);
    BOOST_CHECK_EQUAL(b.init.socket->transport_dbg(q), 6u);
    vp::setup_payload(q, tlm::TLM_READ_COMMAND, 256, buf, 4);
    BOOST_CHECK_EQUAL(b.init.socket->transport_dbg(q), 0u);
    BOOST_CHECK(b.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(bad_parameters_and_images_give_clear_errors, vp::test::FreshSim) {
    MemoryParams p;  // size 0
    BOOST_CHECK_THROW(Memory("empty", p), std::invalid_argument);
    p.size = 1024;
    Memory m("m", p);
    const uint8_t img[8] = {};
    BOOST_CHECK_THROW(m.load(1020, img, 8), std::out_of_range);
    BOOST_CHECK_NO_THROW(m.load(1016, img, 8));
}
