// Runs the CPU steps of a register script (cp15, vread, vwrite: platform/script/cpu_steps.h)
// on the Cortex-A8 model, in the CPU's own thread, so that they go through its MMU, TLBs and
// caches exactly as guest code would (docs/scripts.md, "CPU steps").
//
//   CpuScriptExecutor exec(soc.cpu());
//   soc.cpu().set_entry([&](hal::Cpu&) { exec.serve(); });   // the CPU's thread serves steps
//   master.set_cpu_executor(&exec);                           // the script thread posts them
//
// The script's thread posts a step and waits; the CPU thread runs it, brings SystemC time up
// to the CPU's local time (so the step costs its simulated time), folds the inline fast
// path's counts into the statistics, and hands the result back.
#pragma once

#include <systemc>

#include <optional>

#include "platform/script/cpu_steps.h"
#include "platform/script/script.h"
#include "sw/hal/cpu.h"

namespace vp {
class CortexA8;
}

namespace vp::sim {

class CpuScriptExecutor final : public script::CpuStepExecutor {
  public:
    explicit CpuScriptExecutor(CortexA8& cpu);

    // The CPU's guest entry while a script runs: serves steps until the simulation ends.
    void serve();

    // From the script's thread.
    script::StepResult execute(const script::Step& step, script::StepContext& ctx) override;

  private:
    script::StepResult run(const script::Step& step);
    // vfetch: false on a prefetch abort.
    bool fetch(const script::VirtualAccessStep& a);

    CortexA8& cpu_;
    const script::Step* pending_ = nullptr;
    script::StepResult result_;
    bool done_ = false;
    sc_core::sc_event work_event_;
    sc_core::sc_event done_event_;
    std::optional<hal::AbortInfo> abort_;  // the abort of the step being run
};

}  // namespace vp::sim
