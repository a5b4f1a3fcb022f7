// Base class of every memory-mapped peripheral (DESIGN.md §6).
//
// It owns the target socket and the register bank, and answers the bus so that models
// only declare registers and side effects:
//   - clock gated (clock_enable low: the PRCM's CLKCTRL.MODULEMODE is not "enabled")
//       → TLM_GENERIC_ERROR_RESPONSE, what the L4 interconnect returns and what Linux
//         reports as "external abort on non-linefetch"; logged once per gating period;
//   - no register at the offset → TLM_ADDRESS_ERROR_RESPONSE (or read-as-zero, per bank);
//   - an access width the register does not take, or misaligned → TLM_GENERIC_ERROR_RESPONSE;
//   - more than 4 bytes or a streaming width below the length → TLM_BURST_ERROR_RESPONSE;
//   - a write to a read-only register → ignored, logged once, TLM_OK_RESPONSE.
// Debug transport (transport_dbg) reads and writes registers without side effects and
// works while the clock is gated (a debugger's view).
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/register.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

class Peripheral : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<Peripheral> socket;
    // Input from the PRCM. High (enabled) until something drives it.
    Wire clock_enable;

    // `size`: bytes of the register window; `stat_prefix`: statistics prefix
    // (default: the module name, e.g. "gpio1" → "gpio1.reads").
    Peripheral(sc_core::sc_module_name name, uint32_t size, std::string stat_prefix = {});

    RegisterBank& regs() { return regs_; }
    Logger& log() { return log_; }
    const std::string& stat_prefix() const { return stat_prefix_; }

    // Restores every register's reset value; models override to reset their own state
    // too (and call Peripheral::reset()).
    virtual void reset();

    // Simulated time of the access being served: sc_time_stamp() + its annotated delay.
    // Valid inside register callbacks; outside an access it is sc_time_stamp().
    sc_core::sc_time access_time() const { return sc_core::sc_time_stamp() + access_offset_; }
    const sc_core::sc_time& access_offset() const { return access_offset_; }

    // Time one register access takes inside the module (added to the delay).
    void set_access_latency(const sc_core::sc_time& t) { access_latency_ = t; }

  protected:
    virtual void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    virtual unsigned transport_dbg(tlm::tlm_generic_payload& p);

    Logger log_;

  private:
    RegisterBank regs_;
    std::string stat_prefix_;
    sc_core::sc_time access_offset_ = sc_core::SC_ZERO_TIME;
    sc_core::sc_time access_latency_ = sc_core::SC_ZERO_TIME;
    bool gated_logged_ = false;
    stats::Counter reads_;
    stats::Counter writes_;
    stats::Counter errors_;
};

}  // namespace vp
