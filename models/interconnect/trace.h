// Transaction tracing hook of the interconnect router (DESIGN.md §8).
//
// The router hands one TraceEvent per bus transaction (b_transport; not debug
// transport) to the TraceSink set with Router::set_trace_sink(). The platform owns
// the sink and writes the trace file (text, JSON lines, filtering); the router only
// reports. While a sink is set and enabled the router refuses DMI, so that every access of
// every initiator goes through b_transport and shows in the trace.
#pragma once

#include <systemc>
#include <tlm>

#include <cstdint>
#include <string_view>

namespace vp {

struct TraceEvent {
    // sc_time_stamp() + the initiator's annotated delay when the transaction entered the
    // router: the simulated time at which the initiator issued it.
    sc_core::sc_time time;
    std::string_view initiator;  // Router::name_initiator() name, or "port<N>"
    std::string_view target;     // region name, or "unmapped" for a decode error
    tlm::tlm_command command;
    uint64_t address;  // global (system) address, as the initiator sent it
    unsigned length;
    // Write: the bytes written; read: the bytes returned (meaningless unless the response
    // is OK). Valid only during the on_transaction() call.
    const uint8_t* data;
    tlm::tlm_response_status response;
    // Delay added downstream of the initiator: router hops, contention and the target's
    // own latency.
    sc_core::sc_time latency;
};

class TraceSink {
  public:
    virtual ~TraceSink() = default;
    // Called after the transaction completed (the response and read data are known).
    virtual void on_transaction(const TraceEvent& event) = 0;
};

}  // namespace vp
