#include "models/wdt/wdt.h"

#include <algorithm>
#include <stdexcept>

#include "models/timer/tick_math.h"

namespace vp {

using namespace wdt;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

Wdt::Wdt(sc_core::sc_module_name name, const WdtParams& p)
    : Peripheral(name, kWindowSize, p.stat_prefix),
      irq(std::string(this->name()) + ".irq"),
      reset_request(std::string(this->name()) + ".reset_request"),
      clock_hz_(p.clock_hz),
      ocp_hz_(p.ocp_clock_hz),
      expiries_(stat_prefix() + ".expiries", "watchdog expiries (reset requests)"),
      discarded_writes_(stat_prefix() + ".discarded_writes",
                        "posted writes discarded by a later write to the same register") {
    if (clock_hz_ == 0 || ocp_hz_ == 0)
        throw std::invalid_argument("WDT: clock_hz and ocp_clock_hz must be > 0 Hz");
    const uint64_t ticks = tick::ticks_in(p.first_timeout, clock_hz_);
    if (ticks == 0 || ticks > kCounterWrap || tick::ticks_time(ticks, clock_hz_) != p.first_timeout)
        throw std::invalid_argument("WDT: first_timeout " + p.first_timeout.to_string() +
                                    " is not a whole number (1 .. 2^32) of " +
                                    std::to_string(clock_hz_) + " Hz clock ticks");
    first_count_ = static_cast<uint32_t>(kCounterWrap - ticks);

    // TRM 20.4.4: 32- and 16-bit accesses only; an 8-bit access "can corrupt register
    // content": answered with an error here.
    regs().set_default_sizes(kSize16 | kSize32);

    regs().add("WIDR", kWidr, kWidrReset).ro();
    regs()
        .add("WDSC", kWdsc, kWdscReset)
        .writable(kWdscWritable)
        .field("SOFTRESET", 1, 1)
        .unimplemented("IDLEMODE", kWdscIdlemodeShift, 2)
        .unimplemented("EMUFREE", 5, 1)
        .on_write([this](Register& r, uint32_t, uint32_t) {
            // SOFTRESET: back to the reset state, which is running (20.4.3.4); reads 0 once
            // done (instantaneous here).
            if (r.get() & kWdscSoftreset) reset_at(access_time());
        });
    regs().add("WDST", kWdst, kWdstReset).ro();
    // WISR / WIRQSTATRAW: the same raw status (20.4.4 note); WISR clears by writing 1,
    // WIRQSTATRAW sets by writing 1 (debug).
    raw_ = &regs().add("WIRQSTATRAW", kWirqStatRaw, 0).w1s().writable(kEventAll);
    raw_->on_write([this](Register&, uint32_t, uint32_t) { update_irq(access_time()); });
    regs()
        .add("WISR", kWisr, 0)
        .w1c()
        .writable(kEventAll)
        .on_read([this](Register&) { return raw_->get(); })
        .on_peek([this](Register&) { return raw_->get(); })
        .on_write([this](Register&, uint32_t written, uint32_t) {
            raw_->clear_bits(written & kEventAll);
            update_irq(access_time());
        });
    // WIER / WIRQENSET / WIRQENCLR: one enable mask (20.4.4 note).
    enable_ = &regs().add("WIER", kWier, 0).writable(kEventAll);
    enable_->on_write([this](Register&, uint32_t, uint32_t) { update_irq(access_time()); });
    regs()
        .add("WIRQSTAT", kWirqStat, 0)
        .w1c()
        .writable(kEventAll)
        .on_read([this](Register&) { return raw_->get() & enable_->get(); })
        .on_peek([this](Register&) { return raw_->get() & enable_->get(); })
        .on_write([this](Register&, uint32_t written, uint32_t) {
            // "Write 1 to clear the status (raw status gets cleared, even if not enabled)".
            raw_->clear_bits(written & kEventAll);
            update_irq(access_time());
        });
    regs()
        .add("WIRQENSET", kWirqEnSet, 0)
        .w1s()
        .writable(kEventAll)
        .on_read([this](Register&) { return enable_->get(); })
        .on_peek([this](Register&) { return enable_->get(); })
        .on_write([this](Register&, uint32_t written, uint32_t) {
            enable_->set_bits(written & kEventAll);
            update_irq(access_time());
        });
    regs()
        .add("WIRQENCLR", kWirqEnClr, 0)
        .w1c()
        .writable(kEventAll)
        .on_read([this](Register&) { return enable_->get(); })
        .on_peek([this](Register&) { return enable_->get(); })
        .on_write([this](Register&, uint32_t written, uint32_t) {
            enable_->clear_bits(written & kEventAll);
            update_irq(access_time());
        });

    wclr_ = &add_posted("WCLR", kWclr, kFWclr, kWclrReset, kWclrWritable)
                 .field("PTV", kWclrPtvShift, 3)
                 .field("PRE", 5, 1);
    wcrr_ = &add_posted("WCRR", kWcrr, kFWcrr, first_count_, 0xFFFFFFFF);
    wcrr_->on_read([this](Register&) { return count_at(access_time()); })
        .on_peek([this](Register&) { return count_at(std::max(sc_core::sc_time_stamp(), now_)); });
    wldr_ = &add_posted("WLDR", kWldr, kFWldr, kWldrReset, 0xFFFFFFFF);
    add_posted("WTGR", kWtgr, kFWtgr, 0, 0xFFFFFFFF);
    wwps_ = &regs().add("WWPS", kWwps, 0).ro();
    wdly_ = &add_posted("WDLY", kWdly, kFWdly, 0, 0xFFFFFFFF);
    add_posted("WSPR", kWspr, kFWspr, 0, 0xFFFFFFFF);

    SC_METHOD(on_event);
    sensitive << overflow_event_ << delay_event_ << sync_event_;
    dont_initialize();

    // Out of reset the watchdog counts (20.4.3.4).
    count_base_ = first_count_;
    divider_ = 1;
    running_ = true;
    reschedule();
}

Register& Wdt::add_posted(const std::string& name, uint32_t offset, Func f, uint32_t reset,
                          uint32_t writable) {
    // The written value reads back at once (20.4.3.9: "updated immediately"); its effect
    // (start/stop, reload, counter load) happens when it is resynchronised.
    Register& r = regs().add(name, offset, reset).writable(writable);
    r.on_write([this, f](Register& reg, uint32_t, uint32_t) { post(f, reg.get()); });
    func_regs_[f] = &r;
    return r;
}

sc_time Wdt::land_delay() const {
    // 2.5 functional clocks: the upper bound of the WSPR write latency (20.4.3.6 caution),
    // plus one interface clock as for the DMTIMER (20.1.3.10).
    return tick::cycles(1, 1, ocp_hz_) + tick::cycles(5, 2, clock_hz_);
}

sc_time Wdt::wwps_delay() const {
    // The WWPS bit clears once the write is done: 3 interface + 2.5 functional clocks, the
    // DMTIMER figure (20.1.3.10); the WDT section gives none.
    return tick::cycles(3, 1, ocp_hz_) + tick::cycles(5, 2, clock_hz_);
}

void Wdt::post(Func f, uint32_t value) {
    const sc_time tw = access_time();
    advance_to(tw);
    Pending& p = pending_[f];
    if (p.has_value) {
        // A write to a register with a write still pending discards the pending one, as for
        // the DMTIMER (20.1.3.10.1): software must poll WWPS between writes (20.4.3.8).
        ++discarded_writes_;
        if (log_.once("discard:" + std::to_string(f)))
            VP_LOG(log_, warning,
                   "write to {} while WWPS shows the previous one pending: "
                   "previous discarded",
                   func_regs_[f]->name());
    }
    p.has_value = true;
    p.value = value;
    p.land = tick::add(tw, land_delay());
    p.wwps = true;
    p.clear = tick::add(tw, wwps_delay());
    update_wwps();
}

uint64_t Wdt::ticks_at(const sc_time& t) const {
    return t <= anchor_ ? 0 : tick::ticks_in(t - anchor_, clock_hz_, divider_);
}

sc_time Wdt::tick_instant(uint64_t k) const {
    return tick::add(anchor_, tick::ticks_time(k, clock_hz_, divider_));
}

uint32_t Wdt::count_at(const sc_time& t) const {
    if (!running_) return count_base_;
    const uint64_t k = ticks_at(t);
    if (k <= anchor_ticks_) return count_base_;
    const uint64_t v = static_cast<uint64_t>(count_base_) + (k - anchor_ticks_);
    return v >= kCounterWrap ? 0xFFFFFFFFu : static_cast<uint32_t>(v);
}

void Wdt::rebase(const sc_time& t) {
    if (!running_) return;
    const uint64_t k = ticks_at(t);
    if (k <= anchor_ticks_) return;
    const uint64_t v = static_cast<uint64_t>(count_base_) + (k - anchor_ticks_);
    count_base_ = v >= kCounterWrap ? 0xFFFFFFFFu : static_cast<uint32_t>(v);
    anchor_ticks_ = k;
}

void Wdt::reload(const sc_time& t, bool overflow) {
    // Reload: counter = WLDR, prescaler reset, the WCLR ratio taken now (20.4.3.5, 20.4.3.9).
    const uint32_t wclr = wclr_->get();
    const uint64_t div = (wclr & kWclrPre) ? (1ull << ((wclr & kWclrPtvMask) >> kWclrPtvShift)) : 1;
    if (overflow && div == divider_) {
        // The tick grid continues from the overflow tick: expiries add up exactly.
        anchor_ticks_ += kCounterWrap - count_base_;
    } else {
        anchor_ = t;
        anchor_ticks_ = 0;
    }
    divider_ = div;
    count_base_ = wldr_->get();
}

sc_time Wdt::next_overflow() const {
    if (!running_) return tick::never();
    return tick_instant(anchor_ticks_ + (kCounterWrap - count_base_));
}

sc_time Wdt::next_delay() const {
    const uint32_t dly = wdly_->get();
    if (!running_ || dly <= count_base_) return tick::never();
    const sc_time t = tick_instant(anchor_ticks_ + (dly - count_base_));
    return t > now_ ? t : tick::never();
}

sc_time Wdt::next_sync() const {
    sc_time t = pulse_end_;
    for (const Pending& p : pending_) {
        if (p.has_value) t = std::min(t, p.land);
        if (p.wwps) t = std::min(t, p.clear);
    }
    return t;
}

void Wdt::advance_to(sc_time t) {
    if (t < now_) t = now_;
    for (;;) {
        const sc_time ts = next_sync();
        const sc_time to = next_overflow();
        const sc_time td = next_delay();
        const sc_time nx = std::min({ts, to, td});
        if (tick::is_never(nx) || nx > t) break;
        now_ = nx;
        if (ts == nx) {
            if (pulse_end_ <= nx) {
                pulse_end_ = tick::never();
                reset_request.write(false, tick::offset_of(nx));
            }
            for (unsigned f = 0; f < kFuncCount; ++f) {
                Pending& p = pending_[f];
                if (p.has_value && p.land <= nx) {
                    p.has_value = false;
                    apply(static_cast<Func>(f), p.value, nx);
                }
                if (p.wwps && p.clear <= nx) p.wwps = false;
            }
            update_wwps();
        } else if (to == nx) {
            do_overflow(nx);
        } else {
            do_delay(nx);
        }
    }
    now_ = t;
}

void Wdt::apply(Func f, uint32_t value, const sc_time& t) {
    switch (f) {
        case kFWspr: {
            // Stop after 0xAAAA then 0x5555; start after 0xBBBB then 0x4444 (20.4.3.8).
            const uint32_t key = value & kWsprKeyMask;
            const uint32_t prev = last_wspr_ & kWsprKeyMask;
            if (prev == kWsprDisable1 && key == kWsprDisable2 && running_) {
                rebase(t);
                running_ = false;
                VP_LOG(log_, info, "watchdog stopped");
            } else if (prev == kWsprEnable1 && key == kWsprEnable2 && !running_) {
                anchor_ = t;
                anchor_ticks_ = 0;
                running_ = true;
                VP_LOG(log_, info, "watchdog started");
            }
            last_wspr_ = value;
            break;
        }
        case kFWtgr:
            // A value different from the previous one reloads the counter (20.4.3.7).
            if (value != last_wtgr_) reload(t, false);
            last_wtgr_ = value;
            break;
        case kFWcrr:
            count_base_ = value;
            anchor_ = t;
            anchor_ticks_ = 0;
            break;
        default:
            // WCLR, WLDR, WDLY: values already visible; used at the next reload / compare.
            break;
    }
}

void Wdt::do_overflow(const sc_time& t) {
    ++expiries_;
    if (expiries_.get() == 1 || log_.enabled(LogLevel::debug))
        VP_LOG(log_, error, "watchdog expired at {}: reset request to the PRCM", t.to_string());
    reset_request.write(true, tick::offset_of(t));
    reload(t, true);
    // The reset pulse is one prescaled clock wide (20.4.3.5).
    pulse_end_ = tick::add(t, tick::ticks_time(1, clock_hz_, divider_));
    raise(kEventOvf, t);
}

void Wdt::do_delay(const sc_time& t) {
    rebase(t);
    raise(kEventDly, t);
}

void Wdt::raise(uint32_t events, const sc_time& t) {
    raw_->set_bits(events & kEventAll);
    update_irq(t);
}

void Wdt::update_irq(const sc_time& t) {
    irq.write((raw_->get() & enable_->get() & kEventAll) != 0, tick::offset_of(t));
}

void Wdt::update_wwps() {
    uint32_t v = 0;
    for (unsigned f = 0; f < kFuncCount; ++f)
        if (pending_[f].wwps) v |= 1u << f;
    wwps_->set(v);
}

void Wdt::reset_at(const sc_time& at) {
    advance_to(at);
    regs().reset();
    for (Pending& p : pending_)
        p = Pending{};
    running_ = true;
    divider_ = 1;
    count_base_ = first_count_;
    anchor_ = now_;
    anchor_ticks_ = 0;
    last_wspr_ = 0;
    last_wtgr_ = 0;
    if (!tick::is_never(pulse_end_)) {
        pulse_end_ = tick::never();
        reset_request.write(false, tick::offset_of(now_));
    }
    update_irq(now_);
}

void Wdt::reset() {
    reset_at(access_time());
    reschedule();
}

void Wdt::reschedule() {
    tick::arm_at(overflow_event_, next_overflow());
    tick::arm_at(delay_event_, next_delay());
    tick::arm_at(sync_event_, next_sync());
}

void Wdt::on_event() {
    advance_to(sc_core::sc_time_stamp());
    reschedule();
}

void Wdt::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
    advance_to(sc_core::sc_time_stamp() + delay);
    Peripheral::b_transport(p, delay);
    reschedule();
}

}  // namespace vp
