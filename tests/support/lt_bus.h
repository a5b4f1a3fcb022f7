// Test support for register models: a loosely-timed test initiator with a transaction
// monitor, an IRQ-edge recorder, and a small stand-in platform (a PRCM clock-gating stub and
// an address decoder) on which a model's register script runs before the model is in the
// SoC. Header-only, shared by the peripheral tests (tests/unit/{gpio,dmtimer,...}_test.cpp).
#pragma once

#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "models/core/wire.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"

namespace vp::test {

using sc_core::SC_MS;
using sc_core::SC_PS;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_ZERO_TIME;

// |a - b| <= 1 ps: the model rounds instants up to the 1 ps time resolution.
inline bool near(const sc_time& a, const sc_time& b) {
    const sc_time d = a > b ? a - b : b - a;
    return d <= sc_time(1, SC_PS);
}

// Posted writes of the timer modules (DMTIMER TRM 20.1.3.10-11; WDT 20.4.3.6, as chosen in
// docs/models/wdt.md): a write takes effect 1 interface (OCP) clock + 2.5 functional clocks
// after it is made, and its pending bit (TWPS / WWPS) clears after 3 OCP + 2.5 functional
// clocks.
inline sc_time posted_write_lands(double ocp_hz, double fclk_hz) {
    return sc_time(1 / ocp_hz + 2.5 / fclk_hz, sc_core::SC_SEC);
}
inline sc_time posted_pending_clears(double ocp_hz, double fclk_hz) {
    return sc_time(3 / ocp_hz + 2.5 / fclk_hz, sc_core::SC_SEC);
}

struct Access {
    tlm::tlm_response_status response;
    uint32_t value;
};

// A loosely-timed test initiator: it keeps a local time offset that grows with the latency
// each access reports (a stalled non-posted access), like a CPU with a quantum keeper.
struct Bus : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bus> socket;
    vp::TransactionMonitor mon;
    sc_time local = SC_ZERO_TIME;
    sc_time last_latency = SC_ZERO_TIME;
    explicit Bus(sc_core::sc_module_name n) : sc_module(n), socket("socket"), mon("mon") {
        socket.bind(mon.target);
    }
    sc_time now() const { return sc_time_stamp() + local; }
    Access access(tlm::tlm_command cmd, uint32_t addr, uint32_t v, unsigned len) {
        uint8_t buf[4];
        vp::store_le(buf, v, 4);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, buf, len);
        sc_time d = local;
        socket->b_transport(p, d);
        last_latency = d - local;
        local = d;
        return {p.get_response_status(), static_cast<uint32_t>(vp::load_le(buf, len))};
    }
    uint32_t rd(uint32_t addr, unsigned len = 4) {
        Access a = access(tlm::TLM_READ_COMMAND, addr, 0, len);
        BOOST_REQUIRE_MESSAGE(
            a.response == tlm::TLM_OK_RESPONSE,
            "read of " << std::hex << addr << ": " << vp::response_name(a.response));
        return a.value;
    }
    void wr(uint32_t addr, uint32_t v, unsigned len = 4) {
        Access a = access(tlm::TLM_WRITE_COMMAND, addr, v, len);
        BOOST_REQUIRE_MESSAGE(
            a.response == tlm::TLM_OK_RESPONSE,
            "write of " << std::hex << addr << ": " << vp::response_name(a.response));
    }
    // Lets the kernel catch up with the local time, then runs until absolute time t.
    void run_to(const sc_time& t) {
        sc_start(local);
        local = SC_ZERO_TIME;
        if (t > sc_time_stamp()) sc_start(t - sc_time_stamp());
    }
    void run(const sc_time& d) { run_to(now() + d); }
};

struct Edges {
    std::vector<std::pair<sc_time, bool>> log;
    void attach(vp::Wire& w) {
        w.on_change([this](bool level, const sc_time& off) {
            log.emplace_back(sc_time_stamp() + off, level);
        });
    }
};

// ---- Register-script harness: ScriptMaster -> Decoder -> {PRCM stand-in, the model} --------
// Runs a tests/scripts file of this model the way `am335x-vp --script` will once the model is
// in the SoC: physical addresses of the AM335x memory map (am335x.md §1), the module clock
// gated until CLKCTRL.MODULEMODE = 2, the 10 ms default time limit (configs/soc/am335x.yaml).

// The PRCM as far as these scripts need it (SPRUH73 §8.1.12): MODULEMODE = 2 enables the
// module clock (IDLEST reads 0), anything else gates it (IDLEST 3); other registers store.
struct PrcmStub : sc_core::sc_module {
    tlm_utils::simple_target_socket<PrcmStub> socket;
    std::map<uint32_t, uint32_t> value;
    std::map<uint32_t, vp::Wire*> clkctrl;
    std::function<void(uint32_t offset, uint32_t value)> on_write;
    explicit PrcmStub(sc_core::sc_module_name n) : sc_module(n), socket("socket") {
        socket.register_b_transport(this, &PrcmStub::b_transport);
    }
    void gate(uint32_t offset, vp::Wire& module_clock) {
        clkctrl[offset] = &module_clock;
        module_clock.write((value[offset] & 3u) == 2u);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time&) {
        const auto off = static_cast<uint32_t>(p.get_address());
        uint32_t& v = value[off];
        if (p.is_write()) {
            v = static_cast<uint32_t>(vp::load_le(p.get_data_ptr(), p.get_data_length()));
            auto it = clkctrl.find(off);
            if (it != clkctrl.end()) it->second->write((v & 3u) == 2u);
            if (on_write) on_write(off, v);
        } else {
            uint32_t r = v;
            if (clkctrl.count(off)) r = (v & ~0x30000u) | ((v & 3u) == 2u ? 0u : 0x30000u);
            vp::store_le(p.get_data_ptr(), r, p.get_data_length());
        }
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

// Two windows: the PRCM and the model.
struct Decoder : sc_core::sc_module {
    tlm_utils::simple_target_socket<Decoder> target;
    tlm_utils::simple_initiator_socket<Decoder> out[2];
    uint64_t base[2] = {}, size[2] = {};
    unsigned used = 0;
    explicit Decoder(sc_core::sc_module_name n) : sc_module(n), target("target") {
        target.register_b_transport(this, &Decoder::b_transport);
    }
    template <typename Socket>
    void map(uint64_t b, uint64_t s, Socket& t) {
        base[used] = b;
        size[used] = s;
        out[used++].bind(t);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time& d) {
        const uint64_t a = p.get_address();
        for (unsigned i = 0; i < used; ++i) {
            if (a >= base[i] && a - base[i] < size[i]) {
                p.set_address(a - base[i]);
                out[i]->b_transport(p, d);
                p.set_address(a);
                return;
            }
        }
        p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
};

constexpr uint64_t kPrcmBase = 0x44E00000;  // am335x.md §1.2
constexpr uint64_t kPrcmSize = 0x2000;

// Runs the script; returns whether it passed, with its log in `log`.
inline bool run_script(const std::string& file, Decoder& bus, std::map<unsigned, vp::Wire*> irqs,
                       std::string& log) {
    const char* src = std::getenv("VP_SOURCE_DIR");
    const std::string path = (src ? std::string(src) + "/" : std::string()) + file;
    std::ostringstream out;
    vp::script::ScriptMaster master("script", vp::script::parse_script(path), out);
    master.socket.bind(bus.target);
    master.set_irq_lookup([irqs](unsigned line) -> const vp::Wire* {
        auto it = irqs.find(line);
        return it == irqs.end() ? nullptr : it->second;
    });
    master.check_platform();
    master.on_complete([] { sc_core::sc_stop(); });
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                            sc_core::SC_DO_NOTHING);
    sc_start(sc_time(10, SC_MS));
    log = out.str();
    return master.passed();
}

}  // namespace vp::test
