// Register test scripts: `am335x-vp --script FILE.yaml` (DESIGN.md §10, docs/scripts.md).
//
// A script is a YAML list of steps. Each step is parsed into a Step object by the parser
// registered for its key (see step_parser.h), and run, in order, by the ScriptMaster
// (script_master.h), a bus master that sits where the MPU sits. New step kinds — the CPU
// steps `cp15`, `vread`, `vwrite`, `expect_fault` of a later issue — plug in by registering
// a parser in a StepRegistry and deriving from CpuStep; the CPU model runs them through
// the CpuStepExecutor interface below.
#pragma once

#include <systemc>
#include <tlm>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace vp {
class Wire;
namespace stats {
class Registry;
}
}  // namespace vp

namespace vp::script {

// Where something is in a script file.
struct Location {
    std::string file;
    int line = 0;      // 1-based; 0 = the file as a whole (e.g. it cannot be opened)
    int column = 0;    // 1-based
    std::string path;  // "steps[3].read.size" (0-based step index); empty for file errors
};

// A malformed script (a configuration error: the platform exits with status 2).
// what() = "<file>:<line>:<col>: error: <path>: <message>"; the parts that are unknown
// (line 0, empty path) are left out.
class ScriptError : public std::runtime_error {
  public:
    ScriptError(Location where, const std::string& message);
    const Location& where() const { return where_; }
    const std::string& message() const { return message_; }

  private:
    Location where_;
    std::string message_;
};

enum class StepKind { write, read, poll, wait, expect_irq, expect_stat, comment, cpu };
const char* step_kind_name(StepKind kind);
std::ostream& operator<<(std::ostream& os, StepKind kind);

// What one step did: the text of its log line and its failures (empty: it passed).
struct StepResult {
    std::string text;
    std::vector<std::string> failures;
    bool passed() const { return failures.empty(); }
};

class StepContext;

// One step of a script. Steps are immutable once parsed; run() is called once, from the
// ScriptMaster's SC_THREAD, and may wait().
class Step {
  public:
    Step(StepKind kind, std::string key, Location where)
        : kind_(kind), key_(std::move(key)), where_(std::move(where)) {}
    virtual ~Step() = default;
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

    StepKind kind() const { return kind_; }
    const std::string& key() const { return key_; }   // the YAML key: "read", "cp15" …
    const Location& where() const { return where_; }  // the step's list item

    // False for steps that only annotate the log (comment): not counted in the summary.
    virtual bool counted() const { return true; }
    // INTC input lines the step samples, with where each is written in the script; the
    // master checks them against the platform before the run (ScriptMaster::check_platform).
    struct IrqRef {
        unsigned line;
        Location where;
    };
    virtual std::vector<IrqRef> irq_lines() const { return {}; }
    // True when the step can only run on the CPU model (a CpuStepExecutor).
    virtual bool needs_cpu() const { return false; }

    virtual StepResult run(StepContext& ctx) const = 0;

  private:
    StepKind kind_;
    std::string key_;
    Location where_;
};

// Implemented by the Cortex-A8 model (a later issue) to run CPU steps — steps that go
// through its MMU, TLBs and caches rather than straight to the bus. The step is a CpuStep
// subclass declared with its parser; the executor tells them apart by key() or by type.
// Called from the script's SC_THREAD; it may wait(), and reports like any step.
class CpuStepExecutor {
  public:
    virtual ~CpuStepExecutor() = default;
    virtual StepResult execute(const Step& step, StepContext& ctx) = 0;
};

// The base of CPU steps: run() hands the step to the platform's CpuStepExecutor.
class CpuStep : public Step {
  public:
    CpuStep(std::string key, Location where)
        : Step(StepKind::cpu, std::move(key), std::move(where)) {}
    bool needs_cpu() const override { return true; }
    StepResult run(StepContext& ctx) const override;
};

// What a running step may use. The ScriptMaster implements it.
class StepContext {
  public:
    virtual ~StepContext() = default;
    virtual sc_core::sc_time now() const = 0;
    // One physical access of `size` bytes (1, 2 or 4) at `addr`, data little-endian in
    // `data` (read: filled in). Waits for the delay the target annotates, so that now()
    // afterwards is the access's completion time. Returns the target's response.
    virtual tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, unsigned size,
                                            uint64_t& data) = 0;
    virtual void wait(const sc_core::sc_time& t) = 0;
    // INTC input line 0–127; nullptr when the platform has no such line.
    virtual const vp::Wire* irq_line(unsigned line) const = 0;
    // The CPU model; nullptr when the platform has none.
    virtual CpuStepExecutor* cpu() = 0;
    virtual const vp::stats::Registry& stats() const = 0;
};

struct Script {
    std::string file;
    std::string description;  // the optional `description:` of the map form
    std::vector<std::unique_ptr<Step>> steps;
};

class StepRegistry;

// Parses a script file with the steps of StepRegistry::global(). Throws ScriptError.
Script parse_script(const std::string& path);
Script parse_script(const std::string& path, const StepRegistry& registry);
// Parses script text; `file` names it in error messages.
Script parse_script_text(const std::string& text, const std::string& file = "<script>");
Script parse_script_text(const std::string& text, const std::string& file,
                         const StepRegistry& registry);

// "1.230 us": a time as the log prints it (microseconds, 3 decimals).
std::string format_time(const sc_core::sc_time& t);

}  // namespace vp::script
