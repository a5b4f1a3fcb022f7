// The target for every TRM module that is not modelled yet (docs/models/router.md).
//
// A named window that logs the first access to each register offset
// ("read of unimplemented register at +0x134") and then, per its policy:
//   - read_zero (default): reads return zero, writes are ignored, TLM_OK_RESPONSE —
//     software that only probes or initialises the module goes on;
//   - error: TLM_ADDRESS_ERROR_RESPONSE, the response of a register-bank hole
//     (AXI DECERR): the CPU takes an external abort at the exact access, which is what a
//     user who wants to find every use of a missing model asks for.
// Accesses beyond the window's size always answer TLM_ADDRESS_ERROR_RESPONSE.
// Statistics: "<stat prefix>.accesses" (default prefix: the module name).
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <string>
#include <unordered_set>

#include "models/core/log.h"
#include "models/core/stats.h"

namespace vp {

enum class UnimplementedPolicy : uint8_t { read_zero, error };

// "read_zero" / "error" (the names a configuration uses); false on an unknown name.
bool parse_unimplemented_policy(const std::string& text, UnimplementedPolicy& out);
const char* unimplemented_policy_name(UnimplementedPolicy p);

struct UnimplementedParams {
    uint64_t size = 0x1000;  // bytes of the window (> 0)
    UnimplementedPolicy policy = UnimplementedPolicy::read_zero;
    sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME;  // added to every access
    std::string stat_prefix;                                  // default: the module name
};

class Unimplemented : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<Unimplemented> socket;

    // Throws std::invalid_argument for a size of 0.
    Unimplemented(sc_core::sc_module_name name, const UnimplementedParams& params = {});

    UnimplementedPolicy policy() const { return params_.policy; }
    void set_policy(UnimplementedPolicy p) { params_.policy = p; }
    uint64_t size() const { return params_.size; }
    uint64_t accesses() const { return accesses_.get(); }
    // Offsets accessed so far (each logged once).
    const std::unordered_set<uint64_t>& offsets_seen() const { return seen_; }
    Logger& log() { return log_; }

  private:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& p);

    UnimplementedParams params_;
    Logger log_;
    std::unordered_set<uint64_t> seen_;
    stats::Counter accesses_;
};

}  // namespace vp
