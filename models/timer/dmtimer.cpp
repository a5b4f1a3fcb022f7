#include "models/timer/dmtimer.h"

#include <algorithm>
#include <stdexcept>

#include "models/timer/tick_math.h"

namespace vp {

using namespace dmtimer;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {
void check_clock(uint64_t hz, const char* what) {
    if (hz == 0) throw std::invalid_argument(std::string("DMTIMER: ") + what + " must be > 0 Hz");
}
}  // namespace

DmTimerBase::DmTimerBase(sc_core::sc_module_name name, const DmTimerParams& p)
    : Peripheral(name, kWindowSize, p.stat_prefix),
      irq(std::string(this->name()) + ".irq"),
      capture_in(std::string(this->name()) + ".capture_in"),
      clock_hz_(p.clock_hz),
      ocp_hz_(p.ocp_clock_hz),
      overflows_(stat_prefix() + ".overflows", "counter overflows"),
      matches_(stat_prefix() + ".matches", "compare matches"),
      captures_(stat_prefix() + ".captures", "counter captures into TCAR1/TCAR2"),
      discarded_writes_(stat_prefix() + ".discarded_writes",
                        "posted writes discarded by a later write to the same register") {
    check_clock(p.clock_hz, "clock_hz");
    check_clock(p.ocp_clock_hz, "ocp_clock_hz");
    // TRM 20.1.3.8: 16- or 32-bit OCP accesses; Table 20-9: no error for an address with
    // no register (it reads as zero), an error for an unsupported byte enable (8-bit).
    regs().set_default_sizes(kSize16 | kSize32);
    regs().set_hole_policy(RegisterBank::HolePolicy::read_zero);

    SC_METHOD(on_event);
    sensitive << overflow_event_ << match_event_ << sync_event_;
    dont_initialize();

    capture_in.on_change([this](bool level, const sc_time& off) {
        on_capture_edge(level, sc_core::sc_time_stamp() + off);
        reschedule();
    });
    clock_enable.on_change([this](bool on, const sc_time& off) {
        on_gate(on, sc_core::sc_time_stamp() + off);
        reschedule();
    });
}

// --- registers ------------------------------------------------------------------------

Register& DmTimerBase::add_posted(const std::string& name, uint32_t offset, Func f, uint32_t reset,
                                  uint32_t writable) {
    Register& r = regs().add(name, offset, reset).writable(writable);
    r.on_write([this, f](Register& reg, uint32_t, uint32_t old) {
        const uint32_t v = reg.get();
        reg.set(old);  // reads return the landed value until the write lands (20.1.3.10.1)
        post(f, v);
    });
    func_regs_[f] = &r;
    return r;
}

void DmTimerBase::declare_functional_registers(const Layout& l) {
    add_posted("TCLR", l.tclr, kFTclr, 0, kTclrWritable)
        .field("ST", 0, 1)
        .field("AR", 1, 1)
        .field("PTV", 2, 3)
        .field("PRE", 5, 1)
        .field("CE", 6, 1)
        .unimplemented("SCPWM", 7, 1)
        .field("TCM", 8, 2)
        .unimplemented("TRG", 10, 2)
        .unimplemented("PT", 12, 1)
        .field("CAPT_MODE", 13, 1)
        .unimplemented("GPO_CFG", 14, 1);
    add_posted("TCRR", l.tcrr, kFTcrr, 0, 0xFFFFFFFF)
        .on_read([this](Register&) { return read_counter(); })
        .on_peek([this](Register&) { return counter_at(); });
    add_posted("TLDR", l.tldr, kFTldr, 0, 0xFFFFFFFF);
    add_posted("TTGR", l.ttgr, kFTtgr, kTtgrRead, 0xFFFFFFFF);
    twps_ = &regs().add("TWPS", l.twps, 0).ro();
    add_posted("TMAR", l.tmar, kFTmar, 0, 0xFFFFFFFF);
    tcar1_ = &regs().add("TCAR1", l.tcar1, 0).ro().on_read([this](Register& r) {
        return read_capture(r);
    });
    tsicr_ = &regs()
                  .add("TSICR", l.tsicr, kTsicrReset)
                  .writable(kTsicrWritable)
                  .field("SFT", 1, 1)
                  .field("POSTED", 2, 1)
                  .on_write([this](Register& r, uint32_t, uint32_t) {
                      if (r.get() & kTsicrSft) {
                          functional_reset(access_time());
                          r.clear_bits(kTsicrSft);  // reads return 0 (20.1.5.16)
                      }
                  });
    tcar2_ = &regs().add("TCAR2", l.tcar2, 0).ro().on_read([this](Register& r) {
        return read_capture(r);
    });
}

// --- time and counting ----------------------------------------------------------------

uint64_t DmTimerBase::divider() const {
    // Table 20-7: PS = 2^(PTV+1) when PRE = 1, else 1.
    if (!(tclr_ & kTclrPre)) return 1;
    return 2ull << ((tclr_ & kTclrPtvMask) >> kTclrPtvShift);
}

uint64_t DmTimerBase::ticks_at(const sc_time& t) const {
    return t <= anchor_ ? 0 : tick::ticks_in(t - anchor_, clock_hz_, divider());
}

sc_time DmTimerBase::tick_instant(uint64_t k) const {
    return tick::add(anchor_, tick::ticks_time(k, clock_hz_, divider()));
}

void DmTimerBase::restart_grid(const sc_time& t) {
    anchor_ = t;
    anchor_ticks_ = 0;
}

uint32_t DmTimerBase::count_at(const sc_time& t) const {
    if (!counting_) return count_base_;
    const uint64_t k = ticks_at(t);
    if (k <= anchor_ticks_) return count_base_;
    const uint64_t v = static_cast<uint64_t>(count_base_) + (k - anchor_ticks_);
    return v >= kCounterWrap ? 0xFFFFFFFFu : static_cast<uint32_t>(v);
}

uint32_t DmTimerBase::counter_at(const sc_time& offset) const {
    return count_at(std::max(sc_core::sc_time_stamp() + offset, now_));
}

void DmTimerBase::rebase(const sc_time& t) {
    // Moves the reference tick to the last tick at or before t (the prescaler phase is kept).
    if (!counting_) return;
    const uint64_t k = ticks_at(t);
    if (k <= anchor_ticks_) return;
    const uint64_t v = static_cast<uint64_t>(count_base_) + (k - anchor_ticks_);
    count_base_ = v >= kCounterWrap ? 0xFFFFFFFFu : static_cast<uint32_t>(v);
    anchor_ticks_ = k;
}

void DmTimerBase::update_counting(const sc_time& t) {
    const bool c = (tclr_ & kTclrSt) && gate_on_;
    if (c == counting_) return;
    rebase(t);
    restart_grid(t);  // start or stop resets the prescaler (Table 20-6)
    counting_ = c;
}

sc_time DmTimerBase::next_overflow() const {
    if (!counting_) return tick::never();
    return tick_instant(anchor_ticks_ + (kCounterWrap - count_base_));
}

sc_time DmTimerBase::next_match() const {
    if (!counting_ || !(tclr_ & kTclrCe) || tmar_ <= count_base_) return tick::never();
    const sc_time t = tick_instant(anchor_ticks_ + (tmar_ - count_base_));
    // An instant at or before now_ was already passed (or handled by check_match).
    return t > now_ ? t : tick::never();
}

sc_time DmTimerBase::next_sync() const {
    sc_time t = tick::never();
    for (const Pending& p : pending_) {
        if (p.has_value) t = std::min(t, p.land);
        if (p.twps) t = std::min(t, p.clear);
    }
    return t;
}

sc_time DmTimerBase::write_accomplish_delay() const {
    // TRM 20.1.3.10: T(write accomplish) = 1 OCP clock + 2.5 timer clocks.
    return tick::cycles(1, 1, ocp_hz_) + tick::cycles(5, 2, clock_hz_);
}

sc_time DmTimerBase::resync_delay() const {
    // TRM 20.1.3.10/11: T(reset posted max) = T(stall max) = 3 OCP clocks + 2.5 timer clocks.
    return tick::cycles(3, 1, ocp_hz_) + tick::cycles(5, 2, clock_hz_);
}

void DmTimerBase::advance_to(sc_time t) {
    if (t < now_) t = now_;
    for (;;) {
        const sc_time ts = next_sync();
        const sc_time to = next_overflow();
        const sc_time tm = next_match();
        const sc_time nx = std::min({ts, to, tm});
        if (tick::is_never(nx) || nx > t) break;
        now_ = nx;
        // At one instant: an OCP update first, then reload, then match (TRM 20.1.5.10
        // priority: OCP update, reload, one-shot reset, increment).
        if (ts == nx) {
            process_sync(nx);
        } else if (to == nx) {
            do_overflow(nx);
        } else {
            do_match(nx);
        }
    }
    now_ = t;
}

void DmTimerBase::process_sync(const sc_time& t) {
    for (unsigned f = 0; f < kFuncCount; ++f) {
        Pending& p = pending_[f];
        if (p.has_value && p.land <= t) {
            p.has_value = false;
            apply(static_cast<Func>(f), p.value, t);
        }
        if (p.twps && p.clear <= t) p.twps = false;
    }
    update_twps();
}

void DmTimerBase::do_overflow(const sc_time& t) {
    ++overflows_;
    VP_LOG(log_, debug, "overflow at {}", t.to_string());
    raise_events(kIrqOvf, t);
    if (tclr_ & kTclrAr) {
        // Auto-reload: TCRR = TLDR, prescaler reset (Table 20-6). The tick grid continues
        // from the overflow tick, so periods add up exactly.
        anchor_ticks_ += kCounterWrap - count_base_;
        count_base_ = reload_value(t);
    } else {
        // One-shot: the counter stays at 0 and ST auto-clears (20.1.3.1, 20.1.5.9), unless an
        // OCP write of TCLR lands at the same instant (the OCP update has priority).
        anchor_ticks_ += kCounterWrap - count_base_;
        count_base_ = 0;
        if (last_tclr_land_ != t) {
            tclr_ &= ~kTclrSt;
            if (func_regs_[kFTclr]) func_regs_[kFTclr]->set(tclr_);
            update_counting(t);
        }
    }
    check_match(t);
}

void DmTimerBase::do_match(const sc_time& t) {
    rebase(t);
    ++matches_;
    raise_events(kIrqMat, t);
}

void DmTimerBase::check_match(const sc_time& t) {
    // MAT is raised when (CE and TCRR == TMAR) becomes true (20.1.3.3).
    if ((tclr_ & kTclrCe) && count_at(t) == tmar_) {
        ++matches_;
        raise_events(kIrqMat, t);
    }
}

uint32_t DmTimerBase::reload_value(const sc_time&) {
    return tldr_;
}

void DmTimerBase::apply_extra(Func f, uint32_t value, const sc_time&) {
    if (func_regs_[f]) func_regs_[f]->set(value);
}

void DmTimerBase::apply(Func f, uint32_t value, const sc_time& t) {
    switch (f) {
        case kFTclr:
            apply_tclr(value, t);
            break;
        case kFTcrr:
            // TCRR write: load the counter, reset the prescaler (Table 20-6).
            rebase(t);
            count_base_ = value;
            restart_grid(t);
            check_match(t);
            break;
        case kFTldr:
            tldr_ = value;
            func_regs_[kFTldr]->set(value);
            break;
        case kFTtgr:
            // TTGR write: TCRR = TLDR whatever the value written, prescaler reset (20.1.5.12).
            rebase(t);
            count_base_ = tldr_;
            restart_grid(t);
            check_match(t);
            break;
        case kFTmar:
            tmar_ = value;
            func_regs_[kFTmar]->set(value);
            check_match(t);
            break;
        default:
            apply_extra(f, value, t);
            break;
    }
}

void DmTimerBase::apply_tclr(uint32_t value, const sc_time& t) {
    const uint32_t old = tclr_;
    rebase(t);  // the ticks so far count with the old prescaler
    if ((old ^ value) & (kTclrPre | kTclrPtvMask)) {
        // A new prescaler ratio applies from the last tick of the old one.
        anchor_ = tick_instant(anchor_ticks_);
        anchor_ticks_ = 0;
    }
    tclr_ = value & kTclrWritable;
    func_regs_[kFTclr]->set(tclr_);
    last_tclr_land_ = t;
    if ((old ^ tclr_) & kTclrSt) {
        update_counting(t);
    }
    if (!(old & kTclrTcmMask) && (tclr_ & kTclrTcmMask)) {
        // TCM leaving "no capture" clears TCAR_IT_FLAG and the edge logic (20.1.5.9).
        capture_state_ = kCaptureIdle;
        clear_capture_flag(t);
    }
    if (!(old & kTclrCe) && (tclr_ & kTclrCe)) check_match(t);
}

// --- posted writes and synchronised reads ---------------------------------------------

void DmTimerBase::post(Func f, uint32_t value) {
    const sc_time tw = access_time();
    advance_to(tw);
    Pending& p = pending_[f];
    if (p.has_value) {
        // TRM 20.1.3.10.1: a write to a register whose previous write is still pending
        // discards the previous one.
        ++discarded_writes_;
        if (log_.once("discard:" + std::to_string(f)))
            VP_LOG(log_, warning,
                   "posted write to {} while the previous one is pending: previous discarded",
                   func_regs_[f] ? func_regs_[f]->name() : std::string("?"));
    }
    if (f == kFTtgr && pending_[kFTcrr].has_value) {
        // A TTGR write while a TCRR write is pending discards the TCRR value (am335x.md §7.3).
        pending_[kFTcrr].has_value = false;
        ++discarded_writes_;
    }
    const bool posted = tsicr_->get() & kTsicrPosted;
    p.has_value = true;
    p.value = value;
    p.land = tick::add(tw, write_accomplish_delay());
    if (posted) {
        p.twps = true;
        p.clear = tick::add(tw, resync_delay());
    } else {
        extra_delay_ += resync_delay();  // the access stalls until the resync is done
    }
    update_twps();
}

uint32_t DmTimerBase::read_counter() {
    const bool posted = tsicr_->get() & kTsicrPosted;
    if (posted) return count_at(access_time());
    // Non-posted read (20.1.3.11.2): sampled 1 OCP + 2.5 timer clocks after the request,
    // acknowledged 3 OCP + 2.5 timer clocks after it.
    const sc_time sample = tick::add(access_time(), write_accomplish_delay());
    advance_to(sample);
    extra_delay_ += resync_delay();
    return count_at(sample);
}

uint32_t DmTimerBase::read_capture(Register& r) {
    if (!(tsicr_->get() & kTsicrPosted)) {
        advance_to(tick::add(access_time(), write_accomplish_delay()));
        extra_delay_ += resync_delay();
    }
    return r.get();
}

void DmTimerBase::update_twps() {
    uint32_t v = 0;
    for (unsigned f = 0; f < kFuncCount; ++f)
        if (pending_[f].twps) v |= 1u << f;
    if (twps_) twps_->set(v);
}

// --- capture, gating, clock -------------------------------------------------------------

void DmTimerBase::on_capture_edge(bool level, const sc_time& at) {
    advance_to(at);
    const uint32_t tcm = (tclr_ & kTclrTcmMask) >> kTclrTcmShift;
    const bool active =
        (tcm == kTcmRising && level) || (tcm == kTcmFalling && !level) || tcm == kTcmBoth;
    if (!active || capture_state_ == kCaptureDone) return;
    const uint32_t v = count_at(now_);
    ++captures_;
    if (capture_state_ == kCaptureIdle) {
        tcar1_->set(v);
        if (tclr_ & kTclrCaptMode) {
            capture_state_ = kCaptureFirstDone;  // the second event goes to TCAR2
            return;
        }
    } else {
        tcar2_->set(v);
    }
    capture_state_ = kCaptureDone;  // further events ignored until TCAR_IT_FLAG is cleared
    raise_events(kIrqTcar, now_);
}

void DmTimerBase::on_gate(bool on, const sc_time& at) {
    advance_to(at);
    gate_on_ = on;
    update_counting(now_);
}

void DmTimerBase::set_clock_hz(uint64_t hz, const sc_time& offset) {
    check_clock(hz, "clock_hz");
    advance_to(sc_core::sc_time_stamp() + offset);
    rebase(now_);
    restart_grid(now_);  // the partial tick of the old clock is dropped
    clock_hz_ = hz;
    reschedule();
}

// --- resets, events, transport ------------------------------------------------------------

void DmTimerBase::functional_reset(const sc_time& at) {
    // TSICR.SFT: resets the functional part (counter, TCLR, TLDR, TMAR, captures, pending
    // writes); the OCP-side registers (TIOCP_CFG, IRQ status and enables, TSICR) are kept.
    advance_to(at);
    for (Pending& p : pending_)
        p = Pending{};
    update_twps();
    for (Register* r : func_regs_)
        if (r) r->reset();
    tcar1_->reset();
    tcar2_->reset();
    tclr_ = tldr_ = tmar_ = 0;
    count_base_ = 0;
    restart_grid(now_);
    counting_ = false;
    capture_state_ = kCaptureIdle;
    last_tclr_land_ = tick::never();
}

void DmTimerBase::reset_at(const sc_time& at) {
    advance_to(at);
    regs().reset();
    for (Pending& p : pending_)
        p = Pending{};
    tclr_ = tldr_ = tmar_ = 0;
    count_base_ = 0;
    restart_grid(now_);
    counting_ = false;
    capture_state_ = kCaptureIdle;
    last_tclr_land_ = tick::never();
    reset_extra();
    drive_irq(false, now_);
}

void DmTimerBase::reset() {
    reset_at(access_time());
    reschedule();
}

void DmTimerBase::drive_irq(bool level, const sc_time& at) {
    irq.write(level, tick::offset_of(at));
}

void DmTimerBase::reschedule() {
    tick::arm_at(overflow_event_, next_overflow());
    tick::arm_at(match_event_, next_match());
    tick::arm_at(sync_event_, next_sync());
}

void DmTimerBase::on_event() {
    advance_to(sc_core::sc_time_stamp());
    reschedule();
}

void DmTimerBase::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
    // Bring the model to the initiator's local time before the register callbacks run.
    if (clock_enable.read()) advance_to(sc_core::sc_time_stamp() + delay);
    extra_delay_ = SC_ZERO_TIME;
    Peripheral::b_transport(p, delay);
    delay += extra_delay_;
    extra_delay_ = SC_ZERO_TIME;
    reschedule();
}

// --- DmTimer (v2) --------------------------------------------------------------------------

DmTimer::DmTimer(sc_core::sc_module_name name, const DmTimerParams& p) : DmTimerBase(name, p) {
    regs().add("TIDR", kTidr, kTidrReset).ro();
    regs()
        .add("TIOCP_CFG", kTiocpCfg, 0)
        .writable(kTiocpWritable)
        .field("SOFTRESET", 0, 1)
        .unimplemented("EMUFREE", 1, 1)
        .unimplemented("IDLEMODE", kTiocpIdlemodeShift, 2)
        .on_write([this](Register& r, uint32_t, uint32_t) {
            // SOFTRESET: the whole module returns to its reset state; the bit reads 0 again
            // once the (instantaneous) reset is done (20.1.5.2).
            if (r.get() & kTiocpSoftreset) reset_at(access_time());
        });
    regs()
        .add("IRQ_EOI", kIrqEoi, 0)
        .writable(kIrqEoiDmaAck)
        .unimplemented("DMAEVENT_ACK", 0, 1)
        .on_read([](Register&) { return 0u; });  // reads always return 0 (20.1.5.3)
    raw_ = &regs()
                .add("IRQSTATUS_RAW", kIrqStatusRaw, 0)
                .w1s()
                .writable(kIrqAll)
                .on_write([this](Register&, uint32_t, uint32_t) { update_irq(access_time()); });
    status_ = &regs()
                   .add("IRQSTATUS", kIrqStatus, 0)
                   .w1c()
                   .writable(kIrqAll)
                   .on_read([this](Register&) { return raw_->get() & enable_set_->get(); })
                   .on_peek([this](Register&) { return raw_->get() & enable_set_->get(); })
                   .on_write([this](Register&, uint32_t written, uint32_t) {
                       // Write 1 clears the raw status, enabled or not (20.1.5.5).
                       raw_->clear_bits(written & kIrqAll);
                       if (written & kIrqTcar) rearm_capture();
                       update_irq(access_time());
                   });
    enable_set_ = &regs()
                       .add("IRQENABLE_SET", kIrqEnableSet, 0)
                       .w1s()
                       .writable(kIrqAll)
                       .on_write([this](Register& r, uint32_t, uint32_t) {
                           enable_clr_->set(r.get());
                           update_irq(access_time());
                       });
    enable_clr_ = &regs()
                       .add("IRQENABLE_CLR", kIrqEnableClr, 0)
                       .w1c()
                       .writable(kIrqAll)
                       .on_write([this](Register& r, uint32_t, uint32_t) {
                           enable_set_->set(r.get());
                           update_irq(access_time());
                       });
    regs()
        .add("IRQWAKEEN", kIrqWakeEn, 0)
        .writable(kIrqAll)
        .unimplemented("MAT_WUP_ENA", 0, 1)
        .unimplemented("OVF_WUP_ENA", 1, 1)
        .unimplemented("TCAR_WUP_ENA", 2, 1);
    declare_functional_registers(
        {kTclr, kTcrr, kTldr, kTtgr, kTwps, kTmar, kTcar1, kTsicr, kTcar2});
}

void DmTimer::update_irq(const sc_time& at) {
    status_->set(raw_->get() & enable_set_->get());
    drive_irq(status_->get() != 0, at);
}

void DmTimer::raise_events(uint32_t bits, const sc_time& at) {
    raw_->set_bits(bits & kIrqAll);
    update_irq(at);
}

void DmTimer::clear_capture_flag(const sc_time& at) {
    raw_->clear_bits(kIrqTcar);
    update_irq(at);
}

}  // namespace vp
