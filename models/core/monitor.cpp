#include "models/core/monitor.h"

#include <fmt/format.h>

#include "models/core/tlm_util.h"

namespace vp {

uint64_t TransactionMonitor::Record::value() const {
    return load_le(data.data(), data.size());
}

TransactionMonitor::TransactionMonitor(sc_core::sc_module_name name)
    : sc_module(name), target("target"), initiator("initiator") {
    target.register_b_transport(this, &TransactionMonitor::b_transport);
    target.register_transport_dbg(this, &TransactionMonitor::transport_dbg);
    target.register_get_direct_mem_ptr(this, &TransactionMonitor::get_direct_mem_ptr);
    initiator.register_invalidate_direct_mem_ptr(this,
                                                 &TransactionMonitor::invalidate_direct_mem_ptr);
}

void TransactionMonitor::violation(const std::string& what, const tlm::tlm_generic_payload& p) {
    violations_.push_back(fmt::format("{} @ {}: {} (addr {:#x}, len {})", name(),
                                      sc_core::sc_time_stamp().to_string(), what, p.get_address(),
                                      p.get_data_length()));
}

void TransactionMonitor::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    if (p.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE)
        violation("initiator did not set TLM_INCOMPLETE_RESPONSE", p);
    if (p.get_data_length() == 0) violation("data length 0", p);
    if (p.get_byte_enable_ptr() && p.get_byte_enable_length() == 0)
        violation("byte enable pointer with byte enable length 0", p);
    if (p.get_streaming_width() == 0) violation("streaming width 0", p);

    const tlm::tlm_command cmd = p.get_command();
    unsigned char* const data = p.get_data_ptr();
    const unsigned len = p.get_data_length();
    unsigned char* const be = p.get_byte_enable_ptr();
    const unsigned be_len = p.get_byte_enable_length();
    const unsigned sw = p.get_streaming_width();
    const uint64_t addr = p.get_address();

    // Bytes a write with byte enables must leave alone: read them first (debug).
    std::vector<uint8_t> before;
    if (be && cmd == tlm::TLM_WRITE_COMMAND && len <= 64) {
        tlm::tlm_generic_payload d;
        before.assign(len, 0);
        setup_payload(d, tlm::TLM_READ_COMMAND, addr, before.data(), len);
        if (initiator->transport_dbg(d) != len) before.clear();
    }

    Record r{sc_core::sc_time_stamp() + delay,
             sc_core::SC_ZERO_TIME,
             cmd,
             addr,
             len,
             {},
             tlm::TLM_INCOMPLETE_RESPONSE,
             false};
    if (cmd == tlm::TLM_WRITE_COMMAND && data) r.data.assign(data, data + len);
    const sc_core::sc_time in = delay;

    initiator->b_transport(p, delay);

    if (p.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE)
        violation("target returned without setting a response status", p);
    if (p.get_command() != cmd || p.get_data_ptr() != data || p.get_data_length() != len ||
        p.get_byte_enable_ptr() != be || p.get_byte_enable_length() != be_len ||
        p.get_streaming_width() != sw)
        violation("target modified a payload attribute it must not change", p);
    if (delay < in) violation("target decreased the annotated delay", p);

    if (!before.empty() && p.is_response_ok()) {
        std::vector<uint8_t> after(len, 0);
        tlm::tlm_generic_payload d;
        setup_payload(d, tlm::TLM_READ_COMMAND, addr, after.data(), len);
        if (initiator->transport_dbg(d) == len) {
            for (unsigned i = 0; i < len; ++i)
                if (be[i % be_len] != 0xFF && after[i] != before[i])
                    violation(fmt::format("byte {} written although its byte enable is off", i), p);
        }
    }

    r.latency = delay - in;
    r.response = p.get_response_status();
    if (cmd == tlm::TLM_READ_COMMAND && data) r.data.assign(data, data + len);
    if (recording_) records_.push_back(std::move(r));
}

unsigned TransactionMonitor::transport_dbg(tlm::tlm_generic_payload& p) {
    const unsigned len = p.get_data_length();
    unsigned n = initiator->transport_dbg(p);
    if (n > len) violation("debug transport reported more bytes than requested", p);
    if (recording_) {
        Record r{sc_core::sc_time_stamp(),
                 sc_core::SC_ZERO_TIME,
                 p.get_command(),
                 p.get_address(),
                 len,
                 {},
                 p.get_response_status(),
                 true};
        if (p.get_data_ptr()) r.data.assign(p.get_data_ptr(), p.get_data_ptr() + std::min(n, len));
        records_.push_back(std::move(r));
    }
    return n;
}

bool TransactionMonitor::get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
    const uint64_t addr = p.get_address();
    const bool ok = initiator->get_direct_mem_ptr(p, dmi);
    if (!ok) return false;
    const uint64_t s = dmi.get_start_address(), e = dmi.get_end_address();
    if (s > e) violation("DMI region with start > end", p);
    if (addr < s || addr > e) violation("DMI region does not contain the requested address", p);
    if (!dmi.get_dmi_ptr()) violation("DMI granted with a null pointer", p);
    if (p.is_read() && !dmi.is_read_allowed()) violation("DMI for a read without read access", p);
    if (p.is_write() && !dmi.is_write_allowed())
        violation("DMI for a write without write access", p);
    if (check_dmi_data_ && dmi.get_dmi_ptr() && s <= e) {
        // The end address is inclusive: its byte must be the target's byte at `e`.
        for (uint64_t a : {s, e}) {
            uint8_t byte = 0;
            tlm::tlm_generic_payload d;
            setup_payload(d, tlm::TLM_READ_COMMAND, a, &byte, 1);
            if (initiator->transport_dbg(d) == 1 && byte != dmi.get_dmi_ptr()[a - s])
                violation(fmt::format("DMI pointer disagrees with the target at {:#x} "
                                      "(is the end address inclusive?)",
                                      a),
                          p);
        }
    }
    return true;
}

void TransactionMonitor::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    target->invalidate_direct_mem_ptr(start, end);
}

}  // namespace vp
