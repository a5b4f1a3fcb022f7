#include "platform/sim/cpu_executor.h"

#include <fmt/format.h>

#include <stdexcept>

#include "models/cpu/cortex_a8/cortex_a8.h"
#include "platform/script/cpu_steps.h"
#include "platform/script/steps.h"

namespace vp::sim {

using script::Cp15Step;
using script::StepResult;
using script::VirtualAccessStep;

namespace {

std::string hex(uint64_t v, unsigned size) {
    return fmt::format("{:#0{}x}", v, 2 + 2 * size);
}

std::string cp15_name(const Cp15Step& s) {
    return fmt::format("p15, {}, c{}, c{}, {}", s.opc1, s.crn, s.crm, s.opc2);
}

std::string fault_text(const hal::AbortInfo& a) {
    const bool data = a.kind == hal::AbortInfo::data;
    return fmt::format("{} abort {}={:#010x} {}={:#010x}", data ? "data" : "prefetch",
                       data ? "DFSR" : "IFSR", a.fsr, data ? "DFAR" : "IFAR", a.far);
}

}  // namespace

CpuScriptExecutor::CpuScriptExecutor(CortexA8& cpu) : cpu_(cpu) {}

void CpuScriptExecutor::serve() {
    // An abort ends the step's access (try_load/try_store return false); the step reports it.
    cpu_.set_abort_handler([this](const hal::AbortInfo& info) {
        abort_ = info;
        return hal::AbortAction::fixup;
    });
    for (;;) {
        while (!pending_)
            sc_core::wait(work_event_);
        result_ = run(*pending_);
        cpu_.synchronize();
        cpu_.fold_fast_path();
        pending_ = nullptr;
        done_ = true;
        done_event_.notify(sc_core::SC_ZERO_TIME);
    }
}

StepResult CpuScriptExecutor::execute(const script::Step& step, script::StepContext&) {
    done_ = false;
    pending_ = &step;
    work_event_.notify(sc_core::SC_ZERO_TIME);
    while (!done_)
        sc_core::wait(done_event_);
    return result_;
}

bool CpuScriptExecutor::fetch(const VirtualAccessStep& a) {
    // A fetch runs at the current privilege: PL0 for a user step, then back.
    const hal::Mode before = cpu_.mode();
    if (a.user) cpu_.set_mode(hal::Mode::user);
    bool ok = true;
    try {
        cpu_.fetch(a.va, a.size);
    } catch (const hal::GuestOops&) {
        ok = false;  // the prefetch abort (a fetch has no fix-up): abort_ holds IFSR/IFAR
    }
    if (a.user) cpu_.set_mode(before);
    return ok;
}

StepResult CpuScriptExecutor::run(const script::Step& step) {
    StepResult r;
    abort_.reset();
    try {
        if (const auto* c = dynamic_cast<const Cp15Step*>(&step)) {
            if (c->is_write) {
                cpu_.mcr(c->crn, c->opc1, c->crm, c->opc2, c->value);
                r.text = fmt::format("cp15  {} <- {}", cp15_name(*c), hex(c->value, 4));
            } else {
                const uint32_t v = cpu_.mrc(c->crn, c->opc1, c->crm, c->opc2);
                r.text = fmt::format("cp15  {} -> {}", cp15_name(*c), hex(v, 4));
                if ((v & c->mask) != c->expect)
                    r.failures.push_back(fmt::format("expected {} (mask {}), got {}",
                                                     hex(c->expect, 4), hex(c->mask, 4),
                                                     hex(v, 4)));
            }
            return r;
        }
        const auto* a = dynamic_cast<const VirtualAccessStep*>(&step);
        if (!a) {
            r.failures.push_back("the CPU cannot run step '" + step.key() + "'");
            return r;
        }
        uint64_t data = a->value;
        const bool ok = a->is_fetch   ? fetch(*a)
                        : a->is_write ? cpu_.try_store(a->va, a->size, a->value, a->user)
                                      : cpu_.try_load(a->va, a->size, data, a->user);
        const char* op = a->is_fetch ? "vfetch" : a->is_write ? "vwrite" : "vread ";
        const char* pl = a->user ? " (PL0)" : "";
        const char* fsr = a->is_fetch ? "IFSR" : "DFSR";
        const char* far = a->is_fetch ? "IFAR" : "DFAR";
        if (ok) {
            r.text = a->is_fetch ? fmt::format("{} 0x{:08x} ({} bytes){}", op, a->va, a->size, pl)
                     : a->is_write
                         ? fmt::format("{} 0x{:08x} <- {}{}", op, a->va, hex(a->value, a->size), pl)
                         : fmt::format("{} 0x{:08x} -> {}{}", op, a->va, hex(data, a->size), pl);
            if (a->expect_fault)
                r.failures.push_back(
                    fmt::format("expected a fault ({} {:#010x}, {} {:#010x}), the access completed",
                                fsr, a->expect_fault->fsr, far, a->expect_fault->far));
            else if (a->has_expect && (data & a->mask) != a->expect)
                r.failures.push_back(fmt::format("expected {} (mask {}), got {}",
                                                 hex(a->expect, a->size), hex(a->mask, a->size),
                                                 hex(data, a->size)));
            return r;
        }
        if (!abort_) {
            r.text = fmt::format("{} 0x{:08x}{}: the access failed", op, a->va, pl);
            r.failures.push_back("the access failed without an abort");
            return r;
        }
        r.text = fmt::format("{} 0x{:08x}{}: {}", op, a->va, pl, fault_text(*abort_));
        if (!a->expect_fault) {
            r.failures.push_back("unexpected " + fault_text(*abort_));
        } else {
            const uint32_t got =
                abort_->fsr & (a->is_fetch ? script::kIfsrCompareMask : script::kDfsrCompareMask);
            if (got != a->expect_fault->fsr || abort_->far != a->expect_fault->far)
                r.failures.push_back(fmt::format(
                    "expected {} {:#010x} {} {:#010x} ({} compared on {}), got {} {:#010x} {} "
                    "{:#010x}",
                    fsr, a->expect_fault->fsr, far, a->expect_fault->far, fsr,
                    a->is_fetch ? "FS" : "FS, domain, WnR", fsr, got, far, abort_->far));
        }
    } catch (const UndefinedInstruction& e) {
        r.text = fmt::format("{}: undefined instruction", step.key());
        r.failures.push_back(e.what());
    } catch (const std::exception& e) {
        r.text = fmt::format("{}: error", step.key());
        r.failures.push_back(e.what());
    }
    return r;
}

}  // namespace vp::sim
