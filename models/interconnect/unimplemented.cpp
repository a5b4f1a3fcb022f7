#include "models/interconnect/unimplemented.h"

#include <fmt/format.h>

#include <cstring>
#include <stdexcept>

namespace vp {

bool parse_unimplemented_policy(const std::string& text, UnimplementedPolicy& out) {
    if (text == "read_zero") {
        out = UnimplementedPolicy::read_zero;
        return true;
    }
    if (text == "error") {
        out = UnimplementedPolicy::error;
        return true;
    }
    return false;
}

const char* unimplemented_policy_name(UnimplementedPolicy p) {
    return p == UnimplementedPolicy::error ? "error" : "read_zero";
}

Unimplemented::Unimplemented(sc_core::sc_module_name name, const UnimplementedParams& params)
    : sc_module(name),
      socket("socket"),
      params_(params),
      log_(this->name()),
      accesses_((params.stat_prefix.empty() ? std::string(this->name()) : params.stat_prefix) +
                    ".accesses",
                "accesses to this unimplemented module") {
    if (params_.size == 0)
        throw std::invalid_argument(fmt::format("{}: unimplemented module of size 0", name));
    socket.register_b_transport(this, &Unimplemented::b_transport);
    socket.register_transport_dbg(this, &Unimplemented::transport_dbg);
}

void Unimplemented::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    ++accesses_;
    delay += params_.access_latency;
    const uint64_t off = p.get_address();
    const unsigned len = p.get_data_length();
    const bool inside = off < params_.size && len <= params_.size - off;
    const char* what = p.is_read() ? "read" : p.is_write() ? "write" : "access";
    if (seen_.insert(off).second) {
        VP_LOG(log_, warning, "{} of unimplemented register at +{:#x}{}", what, off,
               !inside ? " (outside the module: address error)"
               : params_.policy == UnimplementedPolicy::error ? " (address error)"
               : p.is_read()                                  ? " (reads as zero)"
                                                              : " (ignored)");
    }
    if (!inside || params_.policy == UnimplementedPolicy::error) {
        p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (p.is_read() && p.get_data_ptr()) {
        const unsigned char* be = p.get_byte_enable_ptr();
        const unsigned be_len = p.get_byte_enable_length();
        for (unsigned i = 0; i < len; ++i)
            if (!be || be_len == 0 || be[i % be_len] == TLM_BYTE_ENABLED) p.get_data_ptr()[i] = 0;
    }
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned Unimplemented::transport_dbg(tlm::tlm_generic_payload& p) {
    // A debugger sees what the bus sees: zeros (read_zero), nothing (error).
    const uint64_t off = p.get_address();
    if (params_.policy == UnimplementedPolicy::error || off >= params_.size) return 0;
    const uint64_t room = params_.size - off;
    const unsigned n =
        room < p.get_data_length() ? static_cast<unsigned>(room) : p.get_data_length();
    if (p.is_read() && p.get_data_ptr()) std::memset(p.get_data_ptr(), 0, n);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return n;
}

}  // namespace vp
