// Small TLM-2.0 helpers shared by models, the platform and tests.
#pragma once

#include <tlm>

#include <cstdint>
#include <cstring>
#include <string>

namespace vp {

// "ok", "address_error", "generic_error", "command_error", "burst_error",
// "byte_enable_error", "incomplete" — the names register scripts use.
const char* response_name(tlm::tlm_response_status s);
bool parse_response_name(const std::string& text, tlm::tlm_response_status& out);

// Prepares a payload for one access (response INCOMPLETE, no byte enables, no DMI hint).
inline void setup_payload(tlm::tlm_generic_payload& p, tlm::tlm_command cmd, uint64_t addr,
                          uint8_t* data, unsigned len) {
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_byte_enable_ptr(nullptr);
    p.set_byte_enable_length(0);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

inline uint64_t load_le(const uint8_t* p, unsigned len) {
    uint64_t v = 0;
    for (unsigned i = 0; i < len && i < 8; ++i)
        v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
}

inline void store_le(uint8_t* p, uint64_t v, unsigned len) {
    for (unsigned i = 0; i < len && i < 8; ++i)
        p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace vp
