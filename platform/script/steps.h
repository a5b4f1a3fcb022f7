// The built-in steps of register scripts (docs/scripts.md). Fields are public: a parsed
// script can be inspected by tests and tools.
#pragma once

#include <cstdint>
#include <string>

#include "platform/script/script.h"

namespace vp::script {

// Defaults and limits of the format (docs/scripts.md).
inline constexpr unsigned kDefaultSize = 4;
inline constexpr uint64_t kMaxAddress = 0xFFFFFFFFu;  // the MPU's 32-bit physical space
inline constexpr unsigned kIntcLines = 128;  // MPU INTC inputs 0–127 (TRM ch. 6, Interrupts)
inline const sc_core::sc_time kDefaultPollInterval{1, sc_core::SC_US};

// All ones in `size` bytes (1, 2 or 4).
inline uint64_t size_mask(unsigned size) {
    return size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
}

// `write: {addr, value, size, expect_response}`
class WriteStep final : public Step {
  public:
    using Step::Step;
    uint64_t addr = 0;
    unsigned size = kDefaultSize;
    uint64_t value = 0;
    tlm::tlm_response_status expect_response = tlm::TLM_OK_RESPONSE;
    StepResult run(StepContext& ctx) const override;
};

// `read: {addr, size, expect, mask, expect_response}`
class ReadStep final : public Step {
  public:
    using Step::Step;
    uint64_t addr = 0;
    unsigned size = kDefaultSize;
    bool has_expect = false;
    uint64_t expect = 0;
    uint64_t mask = size_mask(kDefaultSize);  // all ones of `size` unless given
    tlm::tlm_response_status expect_response = tlm::TLM_OK_RESPONSE;
    StepResult run(StepContext& ctx) const override;
};

// `poll: {addr, size, mask, value, timeout, interval}`: reads at t0, t0 + interval,
// t0 + 2·interval … while the read time is within t0 + timeout, until
// (data & mask) == value.
class PollStep final : public Step {
  public:
    using Step::Step;
    uint64_t addr = 0;
    unsigned size = kDefaultSize;
    uint64_t mask = size_mask(kDefaultSize);
    uint64_t value = 0;
    sc_core::sc_time timeout;
    sc_core::sc_time interval = kDefaultPollInterval;
    StepResult run(StepContext& ctx) const override;
};

// `wait: <time>`
class WaitStep final : public Step {
  public:
    using Step::Step;
    sc_core::sc_time duration;
    StepResult run(StepContext& ctx) const override;
};

// `expect_irq: {line, level}` — the INTC input line's level now (level defaults to 1).
class ExpectIrqStep final : public Step {
  public:
    using Step::Step;
    unsigned line = 0;
    bool level = true;
    Location line_where;  // where `line` is written (for platform errors)
    std::vector<IrqRef> irq_lines() const override { return {{line, line_where}}; }
    StepResult run(StepContext& ctx) const override;
};

// `expect_stat: {name, value}` — a statistic of vp::stats::Registry, compared as a number.
class ExpectStatStep final : public Step {
  public:
    using Step::Step;
    std::string name;
    double value = 0;
    StepResult run(StepContext& ctx) const override;
};

// `comment: <text>` — printed in the log, not counted as a step.
class CommentStep final : public Step {
  public:
    using Step::Step;
    std::string text;
    bool counted() const override { return false; }
    StepResult run(StepContext& ctx) const override;
};

}  // namespace vp::script
