// ScriptMaster: the bus master that runs a register script (docs/scripts.md).
//
// It sits where the MPU sits (physical addresses, no MMU): the platform binds `socket` into
// the SoC router, gives it the INTC input lines and (later) the CPU model, and stops the
// simulation from the completion callback:
//
//   vp::script::ScriptMaster master("script", vp::script::parse_script(path), std::cout);
//   master.socket.bind(router.cpu_target);
//   master.set_irq_lookup([&](unsigned line) { return intc.input(line); });
//   master.check_platform();            // ScriptError (exit 2) for a line the SoC lacks
//   master.on_complete([] { sc_core::sc_stop(); });
//   sc_core::sc_start();
//   return master.passed() ? 0 : 1;
//
// Timing is exact, with no quantum keeper: every access is one b_transport with a zero
// delay in, and the master wait()s for the delay the target annotates before the next step,
// so each step starts at the simulated time its log line shows.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "platform/script/script.h"

namespace vp::script {

class ScriptMaster : public sc_core::sc_module, private StepContext {
  public:
    tlm_utils::simple_initiator_socket<ScriptMaster> socket;

    // The platform's INTC input lines (0–127); nullptr for a line it does not have.
    using IrqLookup = std::function<const vp::Wire*(unsigned line)>;

    // Runs `script` from time 0, one line per step on `out`.
    ScriptMaster(sc_core::sc_module_name name, Script script, std::ostream& out);

    void set_irq_lookup(IrqLookup lookup) { irq_lookup_ = std::move(lookup); }
    void set_cpu_executor(CpuStepExecutor* cpu) { cpu_ = cpu; }
    // Called once, when the last step is done (the platform calls sc_stop() there).
    void on_complete(std::function<void()> callback) { on_complete_ = std::move(callback); }

    // Checks the script against the platform before the run: every expect_irq line exists
    // (the IRQ lookup answers it) and CPU steps have a CPU. Throws ScriptError (a
    // configuration error, exit status 2) naming the step's file, line and column. Without
    // this check, such a step fails when it runs instead.
    void check_platform() const;

    struct StepRecord {
        const Step* step;
        sc_core::sc_time start;  // simulated time when the step began (the log's time)
        sc_core::sc_time end;    // … and when it was done
        StepResult result;
    };
    const Script& script() const { return script_; }
    const std::vector<StepRecord>& records() const { return records_; }

    bool done() const { return done_; }
    // Every step has run and every expectation held.
    bool passed() const { return done_ && failed_ == 0; }
    unsigned steps() const { return passed_ + failed_; }  // counted steps run (no comments)
    unsigned passed_steps() const { return passed_; }
    unsigned failed_steps() const { return failed_; }
    // "N steps, N passed, N failed"
    std::string summary() const;

  private:
    void run();

    // StepContext
    sc_core::sc_time now() const override { return sc_core::sc_time_stamp(); }
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, unsigned size,
                                    uint64_t& data) override;
    void wait(const sc_core::sc_time& t) override;
    const vp::Wire* irq_line(unsigned line) const override;
    CpuStepExecutor* cpu() override { return cpu_; }
    const vp::stats::Registry& stats() const override;

    Script script_;
    std::ostream& out_;
    IrqLookup irq_lookup_;
    CpuStepExecutor* cpu_ = nullptr;
    std::function<void()> on_complete_;
    std::vector<StepRecord> records_;
    unsigned passed_ = 0;
    unsigned failed_ = 0;
    bool done_ = false;
};

}  // namespace vp::script
