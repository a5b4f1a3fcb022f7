// The transaction monitor must catch targets and initiators that break the TLM-2.0 base
// protocol (IEEE 1666-2011 §14.17 response status, §14.7–14.13 payload attributes,
// §11.2.8 DMI: "the end address is inclusive").
#define BOOST_TEST_MODULE monitor
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>

#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "tests/support/sim_context.h"

namespace {

enum class Bug { none, no_response, changes_length, exclusive_dmi_end, writes_disabled_bytes };

// A deliberately broken 256-byte memory.
struct BrokenTarget : sc_core::sc_module {
    tlm_utils::simple_target_socket<BrokenTarget> socket{"socket"};
    uint8_t mem[256];
    Bug bug;
    BrokenTarget(sc_core::sc_module_name n, Bug b) : sc_module(n), bug(b) {
        for (int i = 0; i < 256; ++i)
            mem[i] = static_cast<uint8_t>(i);
        socket.register_b_transport(this, &BrokenTarget::b_transport);
        socket.register_transport_dbg(this, &BrokenTarget::dbg);
        socket.register_get_direct_mem_ptr(this, &BrokenTarget::dmi);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
        auto a = p.get_address();
        for (unsigned i = 0; i < p.get_data_length(); ++i) {
            if (p.is_read())
                p.get_data_ptr()[i] = mem[a + i];
            else if (bug == Bug::writes_disabled_bytes || !p.get_byte_enable_ptr() ||
                     p.get_byte_enable_ptr()[i % p.get_byte_enable_length()] == 0xFF)
                mem[a + i] = p.get_data_ptr()[i];
        }
        if (bug == Bug::changes_length) p.set_data_length(1);
        if (bug != Bug::no_response) p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned dbg(tlm::tlm_generic_payload& p) {
        for (unsigned i = 0; i < p.get_data_length(); ++i)
            if (p.is_read()) p.get_data_ptr()[i] = mem[p.get_address() + i];
        return p.get_data_length();
    }
    bool dmi(tlm::tlm_generic_payload&, tlm::tlm_dmi& d) {
        d.allow_read_write();
        // The bug: pointer offset by one, as if the end were exclusive.
        d.set_dmi_ptr(bug == Bug::exclusive_dmi_end ? mem + 1 : mem);
        d.set_start_address(0);
        d.set_end_address(bug == Bug::exclusive_dmi_end ? 254 : 255);
        return true;
    }
};

struct Init : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Init> socket{"socket"};
    explicit Init(sc_core::sc_module_name n) : sc_module(n) {}
};

struct Rig {
    Init init{"init"};
    vp::TransactionMonitor mon{"mon"};
    BrokenTarget tgt;
    explicit Rig(Bug b) : tgt("tgt", b) {
        init.socket.bind(mon.target);
        mon.initiator.bind(tgt.socket);
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
    void write(uint64_t a, uint32_t v, uint8_t* be = nullptr) {
        uint8_t b[4];
        vp::store_le(b, v, 4);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, tlm::TLM_WRITE_COMMAND, a, b, 4);
        if (be) {
            p.set_byte_enable_ptr(be);
            p.set_byte_enable_length(4);
        }
        sc_core::sc_time d;
        init.socket->b_transport(p, d);
    }
};

bool mentions(const std::vector<std::string>& v, const std::string& text) {
    for (const auto& s : v)
        if (s.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_correct_target_passes, vp::test::FreshSim) {
    Rig r(Bug::none);
    uint8_t be[4] = {0xFF, 0, 0xFF, 0};
    r.write(0x10, 0xAABBCCDD, be);
    tlm::tlm_generic_payload p;
    tlm::tlm_dmi dmi;
    uint8_t byte;
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x20, &byte, 1);
    BOOST_TEST(r.init.socket->get_direct_mem_ptr(p, dmi));
    BOOST_TEST(r.mon.violations().empty());
    BOOST_TEST(r.mon.records().size() == 1u);
    BOOST_TEST(r.tgt.mem[0x10] == 0xDDu);
    BOOST_TEST(r.tgt.mem[0x11] == 0x11u);  // disabled lane untouched
}

BOOST_FIXTURE_TEST_CASE(missing_response_status_is_caught, vp::test::FreshSim) {
    Rig r(Bug::no_response);
    r.write(0, 1);
    BOOST_TEST(mentions(r.mon.violations(), "without setting a response status"));
}

BOOST_FIXTURE_TEST_CASE(modified_attribute_is_caught, vp::test::FreshSim) {
    Rig r(Bug::changes_length);
    r.write(0, 1);
    BOOST_TEST(mentions(r.mon.violations(), "modified a payload attribute"));
}

BOOST_FIXTURE_TEST_CASE(exclusive_dmi_end_is_caught, vp::test::FreshSim) {
    Rig r(Bug::exclusive_dmi_end);
    tlm::tlm_generic_payload p;
    tlm::tlm_dmi dmi;
    uint8_t byte;
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0x20, &byte, 1);
    r.init.socket->get_direct_mem_ptr(p, dmi);
    BOOST_TEST(mentions(r.mon.violations(), "DMI pointer disagrees"));
}

BOOST_FIXTURE_TEST_CASE(ignored_byte_enables_are_caught, vp::test::FreshSim) {
    Rig r(Bug::writes_disabled_bytes);
    uint8_t be[4] = {0xFF, 0, 0, 0};
    r.write(0x40, 0xAABBCCDD, be);
    BOOST_TEST(mentions(r.mon.violations(), "byte enable is off"));
}

BOOST_FIXTURE_TEST_CASE(initiator_without_incomplete_status_is_caught, vp::test::FreshSim) {
    Rig r(Bug::none);
    uint8_t b[4] = {};
    tlm::tlm_generic_payload p;
    vp::setup_payload(p, tlm::TLM_READ_COMMAND, 0, b, 4);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    sc_core::sc_time d;
    r.init.socket->b_transport(p, d);
    BOOST_TEST(mentions(r.mon.violations(), "did not set TLM_INCOMPLETE_RESPONSE"));
}
