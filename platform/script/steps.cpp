// The built-in steps: how each is parsed and what it does when it runs.
#include "platform/script/steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/core/wire.h"
#include "platform/script/cpu_steps.h"
#include "platform/script/step_parser.h"

namespace vp::script {

namespace {

// A value printed with as many hex digits as its access size: 0x000000ff, 0x00ff, 0xff.
std::string hex(uint64_t v, unsigned size) {
    return fmt::format("{:#0{}x}", v, 2 + 2 * size);
}

std::string addr_text(uint64_t a) {
    return fmt::format("0x{:08x}", a);
}

std::string response_mismatch(tlm::tlm_response_status want, tlm::tlm_response_status got) {
    return fmt::format("expected response {}, got {}", vp::response_name(want),
                       vp::response_name(got));
}

// Two statistic values are equal when they agree to 1 part in 1e9 (counters compare exactly;
// formulas such as a miss rate may carry rounding).
bool same_value(double a, double b) {
    if (a == b) return true;
    const double scale = std::max(std::fabs(a), std::fabs(b));
    return std::fabs(a - b) <= 1e-9 * scale;
}

std::string number_text(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15)
        return fmt::format("{:.0f}", v);
    return fmt::format("{:.10g}", v);
}

// How many close statistic names a failed expect_stat suggests.
constexpr size_t kStatMatches = 3;

const char* level_name(bool level) {
    return level ? "high" : "low";
}

// A value a read can never match: bits of `value` outside `mask`.
void check_inside_mask(const StepParser& p, const char* field, uint64_t value, uint64_t mask,
                       unsigned size) {
    if (value & ~mask) {
        p.fail(p.field(field), field,
               fmt::format("{} {} has bits outside mask {}: it can never match", field,
                           hex(value, size), hex(mask, size)));
    }
}

std::unique_ptr<Step> parse_write(StepParser& p) {
    p.fields({"addr", "value", "size", "expect_response"});
    auto s = std::make_unique<WriteStep>(StepKind::write, p.key(), p.where());
    s->addr = p.number("addr", kMaxAddress);
    s->size = p.size();
    s->value = p.sized("value", s->size);
    if (p.has("expect_response")) s->expect_response = p.response("expect_response");
    return s;
}

std::unique_ptr<Step> parse_read(StepParser& p) {
    p.fields({"addr", "size", "expect", "mask", "expect_response"});
    auto s = std::make_unique<ReadStep>(StepKind::read, p.key(), p.where());
    s->addr = p.number("addr", kMaxAddress);
    s->size = p.size();
    s->mask = size_mask(s->size);
    if (p.has("expect_response")) s->expect_response = p.response("expect_response");
    if (p.has("expect")) {
        s->has_expect = true;
        s->expect = p.sized("expect", s->size);
    }
    if (p.has("mask")) {
        s->mask = p.sized("mask", s->size);
        if (!s->has_expect)
            p.fail(p.field("mask"), "mask", "mask without expect: give the expected value too");
    }
    if (s->has_expect) {
        if (s->expect_response != tlm::TLM_OK_RESPONSE) {
            p.fail(p.field("expect"), "expect",
                   fmt::format("a read that expects {} returns no data: drop expect",
                               vp::response_name(s->expect_response)));
        }
        check_inside_mask(p, "expect", s->expect, s->mask, s->size);
    }
    return s;
}

std::unique_ptr<Step> parse_poll(StepParser& p) {
    p.fields({"addr", "size", "mask", "value", "timeout", "interval"});
    auto s = std::make_unique<PollStep>(StepKind::poll, p.key(), p.where());
    s->addr = p.number("addr", kMaxAddress);
    s->size = p.size();
    s->mask = p.has("mask") ? p.sized("mask", s->size) : size_mask(s->size);
    s->value = p.sized("value", s->size);
    check_inside_mask(p, "value", s->value, s->mask, s->size);
    if (!p.has("timeout"))
        p.fail(p.body(), "", "poll needs a timeout (e.g. timeout: 10us): it must not hang");
    s->timeout = p.time("timeout");
    if (p.has("interval")) {
        s->interval = p.time("interval");
        if (s->interval == sc_core::SC_ZERO_TIME)
            p.fail(p.field("interval"), "interval", "interval must be more than 0");
    }
    return s;
}

std::unique_ptr<Step> parse_wait(StepParser& p) {
    auto s = std::make_unique<WaitStep>(StepKind::wait, p.key(), p.where());
    s->duration = p.time_scalar();
    return s;
}

std::unique_ptr<Step> parse_expect_irq(StepParser& p) {
    p.fields({"line", "level"});
    auto s = std::make_unique<ExpectIrqStep>(StepKind::expect_irq, p.key(), p.where());
    const uint64_t line = p.number("line", std::numeric_limits<uint64_t>::max());
    if (line >= kIntcLines) {
        p.fail(p.field("line"), "line",
               fmt::format("INTC input line {} does not exist (lines are 0–{})", line,
                           kIntcLines - 1));
    }
    s->line = static_cast<unsigned>(line);
    s->line_where = p.where(p.field("line"), "line");
    if (p.has("level")) s->level = p.level("level");
    return s;
}

std::unique_ptr<Step> parse_expect_stat(StepParser& p) {
    p.fields({"name", "value"});
    auto s = std::make_unique<ExpectStatStep>(StepKind::expect_stat, p.key(), p.where());
    s->name = p.text("name");
    if (s->name.empty()) p.fail(p.field("name"), "name", "empty statistic name");
    s->value = p.real("value");
    return s;
}

std::unique_ptr<Step> parse_comment(StepParser& p) {
    auto s = std::make_unique<CommentStep>(StepKind::comment, p.key(), p.where());
    if (p.body().IsDefined() && !p.body().IsNull()) s->text = p.scalar();
    std::replace(s->text.begin(), s->text.end(), '\n', ' ');
    return s;
}

}  // namespace

void add_builtin_steps(StepRegistry& r) {
    r.add("write", parse_write);
    r.add("read", parse_read);
    r.add("poll", parse_poll);
    r.add("wait", parse_wait);
    r.add("expect_irq", parse_expect_irq);
    r.add("expect_stat", parse_expect_stat);
    r.add("comment", parse_comment);
    add_cpu_steps(r);
}

// ---------------------------------------------------------------------------------------

StepResult WriteStep::run(StepContext& ctx) const {
    uint64_t data = value;
    const auto resp = ctx.access(tlm::TLM_WRITE_COMMAND, addr, size, data);
    StepResult r;
    r.text = fmt::format("write {} <- {} ({})", addr_text(addr), hex(value, size),
                         vp::response_name(resp));
    if (resp != expect_response) r.failures.push_back(response_mismatch(expect_response, resp));
    return r;
}

StepResult ReadStep::run(StepContext& ctx) const {
    uint64_t data = 0;
    const auto resp = ctx.access(tlm::TLM_READ_COMMAND, addr, size, data);
    StepResult r;
    if (resp == tlm::TLM_OK_RESPONSE)
        r.text = fmt::format("read  {} -> {} (ok)", addr_text(addr), hex(data, size));
    else
        r.text = fmt::format("read  {} ({})", addr_text(addr), vp::response_name(resp));
    if (resp != expect_response) {
        r.failures.push_back(response_mismatch(expect_response, resp));
    } else if (has_expect && (data & mask) != expect) {
        r.failures.push_back(fmt::format("expected {} (mask {}), got {}", hex(expect, size),
                                         hex(mask, size), hex(data, size)));
    }
    return r;
}

StepResult PollStep::run(StepContext& ctx) const {
    const sc_core::sc_time t0 = ctx.now();
    StepResult r;
    uint64_t data = 0;
    sc_core::sc_time next = t0;  // when the current read is issued
    for (uint64_t reads = 1;; ++reads) {
        data = 0;
        const auto resp = ctx.access(tlm::TLM_READ_COMMAND, addr, size, data);
        if (resp != tlm::TLM_OK_RESPONSE) {
            r.text = fmt::format("poll  {} ({})", addr_text(addr), vp::response_name(resp));
            r.failures.push_back(
                fmt::format("poll read {} returned {}", reads, vp::response_name(resp)));
            return r;
        }
        if ((data & mask) == value) {
            r.text = fmt::format("poll  {} -> {} (ok) after {} read{}, {}", addr_text(addr),
                                 hex(data, size), reads, reads == 1 ? "" : "s",
                                 format_time(ctx.now() - t0));
            return r;
        }
        // Reads are issued at t0 + k·interval, as long as that is within the timeout.
        next += interval;
        if (next > t0 + timeout) {
            r.text = fmt::format("poll  {} -> {} (ok) after {} read{}", addr_text(addr),
                                 hex(data, size), reads, reads == 1 ? "" : "s");
            r.failures.push_back(fmt::format(
                "poll timed out after {}, last value {} (waiting "
                "for {} under mask {})",
                format_time(timeout), hex(data, size), hex(value, size), hex(mask, size)));
            return r;
        }
        if (next > ctx.now()) ctx.wait(next - ctx.now());
    }
}

StepResult WaitStep::run(StepContext& ctx) const {
    ctx.wait(duration);
    return StepResult{fmt::format("wait  {}", format_time(duration)), {}};
}

StepResult ExpectIrqStep::run(StepContext& ctx) const {
    StepResult r;
    const vp::Wire* w = ctx.irq_line(line);
    if (!w) {
        r.text = fmt::format("expect_irq line {}", line);
        r.failures.push_back(
            fmt::format("INTC input line {} is not connected on this platform", line));
        return r;
    }
    const bool got = w->read();
    r.text = fmt::format("expect_irq line {} -> {}", line, level_name(got));
    if (got != level)
        r.failures.push_back(
            fmt::format("expected {}, got {}", level_name(level), level_name(got)));
    return r;
}

StepResult ExpectStatStep::run(StepContext& ctx) const {
    StepResult r;
    const vp::stats::Registry& reg = ctx.stats();
    if (const vp::stats::StatBase* s = reg.find(name)) {
        const double got = s->value();
        r.text = fmt::format("expect_stat {} = {}", name, number_text(got));
        if (!same_value(got, value))
            r.failures.push_back(
                fmt::format("expected {}, got {}", number_text(value), number_text(got)));
        return r;
    }
    // Not found: name the statistics that look like what was meant.
    std::vector<std::string> names;
    for (const vp::stats::StatBase* s : reg.list())
        names.push_back(s->name());
    // Long dotted names share most of their text: allow fewer edits than for a word.
    std::vector<std::string> close =
        close_matches(name, names, kStatMatches, std::max<size_t>(2, name.size() / 6));
    const auto leaf = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
    for (const auto& n : names) {
        if (close.size() >= kStatMatches) break;
        const bool suffix = n.size() > name.size() &&
                            n.compare(n.size() - name.size(), name.size(), name) == 0 &&
                            n[n.size() - name.size() - 1] == '.';
        const bool same_leaf = n.size() > leaf.size() &&
                               n.compare(n.size() - leaf.size(), leaf.size(), leaf) == 0 &&
                               n[n.size() - leaf.size() - 1] == '.';
        if ((suffix || same_leaf) && std::find(close.begin(), close.end(), n) == close.end())
            close.push_back(n);
    }
    r.text = fmt::format("expect_stat {} (no such statistic)", name);
    std::string hint;
    if (!close.empty()) {
        hint = " (close matches: ";
        for (size_t i = 0; i < close.size(); ++i)
            hint += (i ? ", " : "") + close[i];
        hint += ")";
    } else {
        hint = fmt::format(" (no close match among {} statistics)", names.size());
    }
    r.failures.push_back(fmt::format("no statistic named '{}'{}", name, hint));
    return r;
}

StepResult CommentStep::run(StepContext&) const {
    return StepResult{"# " + text, {}};
}

StepResult CpuStep::run(StepContext& ctx) const {
    CpuStepExecutor* cpu = ctx.cpu();
    if (!cpu) {
        return StepResult{key(),
                          {fmt::format("step '{}' needs the CPU model, and this platform "
                                       "has none",
                                       key())}};
    }
    return cpu->execute(*this, ctx);
}

}  // namespace vp::script
