#include "platform/script/script_master.h"

#include <fmt/format.h>

#include <ostream>

#include "models/core/stats.h"
#include "models/core/tlm_util.h"

namespace vp::script {

namespace {
// "[   1.230 us]": the step's start time in microseconds, 3 decimals (ns resolution).
std::string stamp(const sc_core::sc_time& t) {
    return fmt::format("[{:8.3f} us]", t.to_seconds() * 1e6);
}
}  // namespace

ScriptMaster::ScriptMaster(sc_core::sc_module_name name, Script script, std::ostream& out)
    : sc_module(name), socket("socket"), script_(std::move(script)), out_(out) {
    SC_HAS_PROCESS(ScriptMaster);
    SC_THREAD(run);
}

void ScriptMaster::check_platform() const {
    for (const auto& step : script_.steps) {
        if (step->needs_cpu() && !cpu_) {
            throw ScriptError(step->where(),
                              fmt::format("step '{}' needs the CPU model, and this platform "
                                          "has none",
                                          step->key()));
        }
        for (const Step::IrqRef& ref : step->irq_lines()) {
            if (!irq_line(ref.line)) {
                throw ScriptError(ref.where,
                                  fmt::format("INTC input line {} is not connected on this "
                                              "platform",
                                              ref.line));
            }
        }
    }
}

std::string ScriptMaster::summary() const {
    return fmt::format("{} steps, {} passed, {} failed", steps(), passed_, failed_);
}

tlm::tlm_response_status ScriptMaster::access(tlm::tlm_command cmd, uint64_t addr, unsigned size,
                                              uint64_t& data) {
    uint8_t buf[8] = {};
    if (cmd == tlm::TLM_WRITE_COMMAND) vp::store_le(buf, data, size);
    tlm::tlm_generic_payload p;
    vp::setup_payload(p, cmd, addr, buf, size);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    // Exact timing: the access takes the time the path annotated before the next step.
    if (delay > sc_core::SC_ZERO_TIME) sc_core::sc_module::wait(delay);
    if (cmd == tlm::TLM_READ_COMMAND) data = vp::load_le(buf, size);
    return p.get_response_status();
}

void ScriptMaster::wait(const sc_core::sc_time& t) {
    if (t > sc_core::SC_ZERO_TIME) sc_core::sc_module::wait(t);
}

const vp::Wire* ScriptMaster::irq_line(unsigned line) const {
    return irq_lookup_ ? irq_lookup_(line) : nullptr;
}

const vp::stats::Registry& ScriptMaster::stats() const {
    return vp::stats::Registry::global();
}

void ScriptMaster::run() {
    struct Failure {
        const Step* step;
        std::string text;
    };
    std::vector<Failure> failures;
    for (const auto& step : script_.steps) {
        const sc_core::sc_time start = sc_core::sc_time_stamp();
        StepResult result = step->run(*this);
        std::string line =
            fmt::format("{} line {}: {}", stamp(start), step->where().line, result.text);
        if (!result.passed()) {
            line += " FAIL: ";
            for (size_t i = 0; i < result.failures.size(); ++i) {
                if (i) line += "; ";
                line += result.failures[i];
                failures.push_back({step.get(), result.failures[i]});
            }
        }
        out_ << line << std::endl;
        if (step->counted()) ++(result.passed() ? passed_ : failed_);
        records_.push_back({step.get(), start, sc_core::sc_time_stamp(), std::move(result)});
    }
    for (const Failure& f : failures) {
        out_ << fmt::format("FAIL {}:{}: {}: {}", f.step->where().file, f.step->where().line,
                            f.step->key(), f.text)
             << '\n';
    }
    out_ << summary() << std::endl;
    done_ = true;
    if (on_complete_) on_complete_();
}

}  // namespace vp::script
