#include "models/intc/intc.h"

#include <stdexcept>
#include <string>

namespace vp {

using namespace intc;
using sc_core::sc_time;

Intc::Intc(sc_core::sc_module_name name, const IntcParams& params)
    : Peripheral(name, kWindowSize, params.stat_prefix),
      nirq(std::string(this->name()) + ".nirq"),
      nfiq(std::string(this->name()) + ".nfiq"),
      params_(params),
      irq_sorts_(stat_prefix() + ".irq_sorts", "IRQ priority sorts started"),
      fiq_sorts_(stat_prefix() + ".fiq_sorts", "FIQ priority sorts started"),
      spurious_(stat_prefix() + ".spurious", "sorts latched with the spurious flag") {
    if (!(params.fclk_hz > 0))
        throw std::invalid_argument(std::string(this->name()) +
                                    ": IntcParams.fclk_hz must be more than 0");
    const sc_time period(1.0 / params.fclk_hz, sc_core::SC_SEC);
    sort_window_ = period * static_cast<double>(params.sort_cycles);
    soft_reset_time_ = period * static_cast<double>(params.soft_reset_cycles);
    declare_registers();
}

// --- Registers (SPRUH73 Table 6-4) ----------------------------------------------------------

void Intc::declare_registers() {
    RegisterBank& r = regs();
    r.add("INTC_REVISION", kRevision, kRevisionReset).ro().field("REV", 0, 8);
    r.add("INTC_SYSCONFIG", kSysconfig, 0)
        .writable(kSysconfigWritable)
        .unimplemented("AUTOIDLE", 0, 1)
        .field("SOFTRESET", 1, 1)
        .on_write([this](Register& reg, uint32_t, uint32_t) {
            if (reg.get() & kSysconfigSoftreset) soft_reset(access_offset());
        });
    // RESETDONE reads 1 once the (soft) reset has completed (§6.6.1.3).
    auto sysstatus = [this](const sc_time& at) {
        return at >= reset_done_at_ ? kSysstatusResetdone : 0u;
    };
    r.add("INTC_SYSSTATUS", kSysstatus, 0)
        .ro()
        .field("RESETDONE", 0, 1)
        .on_read([this, sysstatus](Register&) { return sysstatus(access_time()); })
        .on_peek([sysstatus](Register&) { return sysstatus(sc_core::sc_time_stamp()); });
    r.add("INTC_SIR_IRQ", kSirIrq, kSirReset)
        .ro()
        .field("ACTIVEIRQ", 0, 7)
        .field("SPURIOUSIRQFLAG", 7, 25)
        .on_read([this](Register&) {
            settle(access_time());
            return sir_value(kIrq, access_time());
        })
        .on_peek([this](Register&) { return sir_value(kIrq, sc_core::sc_time_stamp()); });
    r.add("INTC_SIR_FIQ", kSirFiq, kSirReset)
        .ro()
        .field("ACTIVEFIQ", 0, 7)
        .field("SPURIOUSFIQFLAG", 7, 25)
        .on_read([this](Register&) {
            settle(access_time());
            return sir_value(kFiq, access_time());
        })
        .on_peek([this](Register&) { return sir_value(kFiq, sc_core::sc_time_stamp()); });
    r.add("INTC_CONTROL", kControl, 0)
        .wo()
        .writable(kControlWritable)
        .field("NEWIRQAGR", 0, 1)
        .field("NEWFIQAGR", 1, 1)
        .on_write([this](Register& reg, uint32_t, uint32_t) {
            const uint32_t v = reg.get();
            reg.set(0);  // the agreement bits act once and read as 0
            settle(access_time());
            if (v & kControlNewIrqAgr) agree(kIrq, access_offset());
            if (v & kControlNewFiqAgr) agree(kFiq, access_offset());
        });
    // The payload carries no privilege level, so PROTECTION is stored but not enforced.
    r.add("INTC_PROTECTION", kProtection, 0).writable(kProtectionEnable).field("PROTECTION", 0, 1);
    r.add("INTC_IDLE", kIdle, 0)
        .writable(kIdleWritable)
        .unimplemented("FUNCIDLE", 0, 1)
        .unimplemented("TURBO", 1, 1);
    r.add("INTC_IRQ_PRIORITY", kIrqPriority, kPriorityReset)
        .ro()
        .field("IRQPRIORITY", 0, 7)
        .field("SPURIOUSIRQFLAG", 7, 25)
        .on_read([this](Register&) {
            settle(access_time());
            return priority_value(kIrq, access_time());
        })
        .on_peek([this](Register&) { return priority_value(kIrq, sc_core::sc_time_stamp()); });
    r.add("INTC_FIQ_PRIORITY", kFiqPriority, kPriorityReset)
        .ro()
        .field("FIQPRIORITY", 0, 7)
        .field("SPURIOUSFIQFLAG", 7, 25)
        .on_read([this](Register&) {
            settle(access_time());
            return priority_value(kFiq, access_time());
        })
        .on_peek([this](Register&) { return priority_value(kFiq, sc_core::sc_time_stamp()); });
    // The threshold write is applied by the bank before the callback runs, so the callback
    // compares against the eligible sets computed with the old value.
    threshold_ = &r.add("INTC_THRESHOLD", kThreshold, kThresholdReset)
                      .writable(kThresholdWritable)
                      .field("PRIORITYTHRESHOLD", 0, 8)
                      .on_write([this](Register& reg, uint32_t, uint32_t old) {
                          change(reg, old, reg.get(), true);
                      });

    for (unsigned b = 0; b < kBanks; ++b) {
        const std::string n = std::to_string(b);
        r.add("INTC_ITR" + n, bank_reg(b, kItr), 0)
            .ro()
            .field("ITR", 0, 32)
            .on_read([this, b](Register&) { return itr_[b]; })
            .on_peek([this, b](Register&) { return itr_[b]; });
        mir_[b] = &r.add("INTC_MIR" + n, bank_reg(b, kMir), kMirReset)
                       .field("MIR", 0, 32)
                       .on_write([this](Register& reg, uint32_t, uint32_t old) {
                           change(reg, old, reg.get(), true);
                       });
        r.add("INTC_MIR_CLEAR" + n, bank_reg(b, kMirClear), 0)
            .wo()
            .field("MIRCLEAR", 0, 32)
            .on_write([this, b](Register& reg, uint32_t written, uint32_t) {
                reg.set(0);
                change(*mir_[b], mir_[b]->get(), mir_[b]->get() & ~written, true);
            });
        r.add("INTC_MIR_SET" + n, bank_reg(b, kMirSet), 0)
            .wo()
            .field("MIRSET", 0, 32)
            .on_write([this, b](Register& reg, uint32_t written, uint32_t) {
                reg.set(0);
                change(*mir_[b], mir_[b]->get(), mir_[b]->get() | written, true);
            });
        // Reads return the active software interrupts; a 1 sets one (§6.6.1.16).
        isr_[b] = &r.add("INTC_ISR_SET" + n, bank_reg(b, kIsrSet), 0)
                       .w1s()
                       .field("ISRSET", 0, 32)
                       .on_write([this](Register& reg, uint32_t, uint32_t old) {
                           change(reg, old, reg.get(), false);
                       });
        r.add("INTC_ISR_CLEAR" + n, bank_reg(b, kIsrClear), 0)
            .wo()
            .field("ISRCLEAR", 0, 32)
            .on_write([this, b](Register& reg, uint32_t written, uint32_t) {
                reg.set(0);
                change(*isr_[b], isr_[b]->get(), isr_[b]->get() & ~written, false);
            });
        r.add("INTC_PENDING_IRQ" + n, bank_reg(b, kPendingIrq), 0)
            .ro()
            .field("PENDINGIRQ", 0, 32)
            .on_read([this, b](Register&) { return pending(kIrq, b); })
            .on_peek([this, b](Register&) { return pending(kIrq, b); });
        r.add("INTC_PENDING_FIQ" + n, bank_reg(b, kPendingFiq), 0)
            .ro()
            .field("PENDINGFIQ", 0, 32)
            .on_read([this, b](Register&) { return pending(kFiq, b); })
            .on_peek([this, b](Register&) { return pending(kFiq, b); });
    }
    for (unsigned m = 0; m < kLines; ++m) {
        ilr_[m] = &r.add("INTC_ILR_" + std::to_string(m), ilr(m), 0)
                       .writable(kIlrWritable)
                       .field("FIQNIRQ", 0, 1)
                       .field("PRIORITY", kIlrPriorityShift, 6)
                       .on_write([this](Register& reg, uint32_t, uint32_t old) {
                           change(reg, old, reg.get(), true);
                       });
    }
}

// --- Inputs --------------------------------------------------------------------------------

void Intc::bind_input(unsigned line, Wire& w) {
    if (line >= kLines)
        throw std::out_of_range(std::string(name()) + ": INTC input line " + std::to_string(line) +
                                " does not exist (lines are 0-127)");
    if (bound_[line])
        throw std::logic_error(std::string(name()) + ": INTC input line " + std::to_string(line) +
                               " is bound twice");
    bound_[line] = true;
    w.on_change(
        [this, line](bool level, const sc_time& offset) { set_input(line, level, offset); });
    set_input(line, w.read());
}

void Intc::set_input(unsigned line, bool level, const sc_time& offset) {
    if (line >= kLines)
        throw std::out_of_range(std::string(name()) + ": INTC input line " + std::to_string(line) +
                                " does not exist (lines are 0-127)");
    const unsigned b = line / kLinesPerBank;
    const uint32_t bit = 1u << (line % kLinesPerBank);
    if (((itr_[b] & bit) != 0) == level) return;
    settle(now_of(offset));
    itr_[b] = level ? (itr_[b] | bit) : (itr_[b] & ~bit);
    evaluate(offset);
}

bool Intc::input(unsigned line) const {
    if (line >= kLines) return false;
    return (itr_[line / kLinesPerBank] >> (line % kLinesPerBank)) & 1u;
}

unsigned Intc::line_priority(unsigned line) const {
    return (ilr_.at(line)->get() & kIlrPriorityMask) >> kIlrPriorityShift;
}

bool Intc::line_is_fiq(unsigned line) const {
    return (ilr_.at(line)->get() & kIlrFiqnirq) != 0;
}

// --- Sorting -------------------------------------------------------------------------------

uint32_t Intc::raw(unsigned bank) const {
    return itr_[bank] | isr_[bank]->get();
}

// PENDING_IRQn / PENDING_FIQn: after masking and IRQ/FIQ selection, before the priority
// threshold and the sort (§6.1.1.2.1).
uint32_t Intc::pending(Type t, unsigned bank) const {
    uint32_t v = raw(bank) & ~mir_[bank]->get();
    uint32_t steered = 0;
    for (unsigned i = 0; i < kLinesPerBank; ++i)
        if (v & (1u << i)) {
            const bool fiq = (ilr_[bank * kLinesPerBank + i]->get() & kIlrFiqnirq) != 0;
            if (fiq == (t == kFiq)) steered |= 1u << i;
        }
    return steered;
}

// Priorities lower than or equal to the threshold (value >= threshold) are masked; priority
// 0 never is; a threshold of 0 acts like 1; 0xFF (and anything above 0x3F) masks nothing.
bool Intc::below_threshold(unsigned line) const {
    unsigned thr = threshold_->get() & kThresholdWritable;
    if (thr < kMinThreshold) thr = kMinThreshold;
    return line_priority(line) < thr;
}

Intc::LineSet Intc::eligible(Type t) const {
    LineSet s{};
    for (unsigned b = 0; b < kBanks; ++b) {
        const uint32_t p = pending(t, b);
        for (unsigned i = 0; i < kLinesPerBank; ++i)
            if ((p & (1u << i)) && below_threshold(b * kLinesPerBank + i)) s[b] |= 1u << i;
    }
    return s;
}

// Lowest priority value wins; among equals the highest-numbered line (§6.1.1.3).
int Intc::best(Type t) const {
    const LineSet s = eligible(t);
    int winner = -1;
    unsigned winner_prio = 0;
    for (int line = kLines - 1; line >= 0; --line) {
        if (!(s[line / kLinesPerBank] & (1u << (line % kLinesPerBank)))) continue;
        const unsigned p = line_priority(static_cast<unsigned>(line));
        if (winner < 0 || p < winner_prio) {
            winner = line;
            winner_prio = p;
        }
    }
    return winner;
}

void Intc::settle(const sc_time& at) {
    for (Type t : {kIrq, kFiq})
        if (sorter_[t].sorting && at >= sorter_[t].sort_end) finish_sort(t);
}

void Intc::finish_sort(Type t) {
    Sorter& s = sorter_[t];
    s.sorting = false;
    const int w = best(t);
    if (w >= 0) {
        s.active = static_cast<uint32_t>(w);
        s.priority = line_priority(static_cast<unsigned>(w));
    } else {
        s.active = s.trigger >= 0 ? static_cast<uint32_t>(s.trigger) : 0;
        s.priority = kNoPriority;
    }
    s.spurious = s.invalid || w < 0;
    if (s.spurious) ++spurious_;
    VP_LOG(log_, debug, "{} sort done: line {} priority {}{}", t == kIrq ? "IRQ" : "FIQ", s.active,
           s.priority, s.spurious ? " (spurious)" : "");
}

void Intc::evaluate(const sc_time& offset, const std::array<LineSet, 2>* before) {
    for (Type t : {kIrq, kFiq}) {
        Sorter& s = sorter_[t];
        if (s.sorting) {
            // TRM §6.2.5: the trigger went away, or a mask change altered the result.
            const LineSet now = eligible(t);
            const unsigned trig = static_cast<unsigned>(s.trigger);
            if (!(now[trig / kLinesPerBank] & (1u << (trig % kLinesPerBank)))) s.invalid = true;
            if (before && (*before)[t] != now) s.invalid = true;
        }
        if (s.asserted) continue;
        const int w = best(t);
        if (w < 0) continue;
        s.asserted = true;
        s.sorting = true;
        s.trigger = w;
        s.invalid = false;
        s.sort_end = now_of(offset) + sort_window_;
        ++(t == kIrq ? irq_sorts_ : fiq_sorts_);
        drive(t, true, offset);
    }
}

void Intc::change(Register& reg, uint32_t old, uint32_t now, bool config) {
    reg.set(old);  // finish sort windows that ended before this access with the old state
    settle(access_time());
    const std::array<LineSet, 2> before{eligible(kIrq), eligible(kFiq)};
    reg.set(now);
    evaluate(access_offset(), config ? &before : nullptr);
}

void Intc::agree(Type t, const sc_time& offset) {
    Sorter& s = sorter_[t];
    if (!s.asserted) return;
    s.asserted = false;
    s.sorting = false;
    const int w = best(t);
    if (w < 0) {
        drive(t, false, offset);
        return;
    }
    // Restart the sorter at once; the output stays asserted.
    s.asserted = true;
    s.sorting = true;
    s.trigger = w;
    s.invalid = false;
    s.sort_end = now_of(offset) + sort_window_;
    ++(t == kIrq ? irq_sorts_ : fiq_sorts_);
}

void Intc::drive(Type t, bool level, const sc_time& offset) {
    (t == kIrq ? nirq : nfiq).write(level, offset);
}

uint32_t Intc::sir_value(Type t, const sc_time& at) const {
    const Sorter& s = sorter_[t];
    if (s.sorting && at < s.sort_end) {
        // The sort has not finished: the number is not valid yet.
        return kSpuriousFlag | (static_cast<uint32_t>(s.trigger) & kActiveMask);
    }
    if (s.sorting) {  // finished but not settled yet (a debug view)
        const int w = best(t);
        const bool spurious = s.invalid || w < 0;
        const uint32_t active =
            w >= 0 ? static_cast<uint32_t>(w) : static_cast<uint32_t>(s.trigger);
        return (spurious ? kSpuriousFlag : 0u) | (active & kActiveMask);
    }
    return (s.spurious ? kSpuriousFlag : 0u) | (s.active & kActiveMask);
}

uint32_t Intc::priority_value(Type t, const sc_time& at) const {
    const Sorter& s = sorter_[t];
    if (s.sorting && at < s.sort_end) return kSpuriousFlag | kNoPriority;
    if (s.sorting) {
        const int w = best(t);
        if (s.invalid || w < 0) return kSpuriousFlag | kNoPriority;
        return line_priority(static_cast<unsigned>(w)) & kPriorityField;
    }
    return (s.spurious ? kSpuriousFlag : 0u) | (s.priority & kPriorityField);
}

// --- Reset ---------------------------------------------------------------------------------

void Intc::soft_reset(const sc_time& offset) {
    VP_LOG(log_, info, "soft reset");
    Peripheral::reset();
    for (Type t : {kIrq, kFiq}) {
        const bool was = sorter_[t].asserted;
        sorter_[t] = Sorter{};
        if (was) drive(t, false, offset);
    }
    reset_done_at_ = now_of(offset) + soft_reset_time_;
}

void Intc::reset() {
    Peripheral::reset();
    for (Type t : {kIrq, kFiq}) {
        const bool was = sorter_[t].asserted;
        sorter_[t] = Sorter{};
        if (was) drive(t, false, sc_core::SC_ZERO_TIME);
    }
    reset_done_at_ = sc_core::sc_time_stamp();
}

}  // namespace vp
