#include "models/gpio/gpio.h"

#include <algorithm>
#include <bitset>
#include <stdexcept>

#include "models/timer/tick_math.h"

namespace vp {

using namespace gpio;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {
unsigned popcount(uint32_t v) {
    return static_cast<unsigned>(std::bitset<32>(v).count());
}
}  // namespace

Gpio::Gpio(sc_core::sc_module_name name, const GpioParams& p)
    : Peripheral(name, kWindowSize, p.stat_prefix),
      debounce_clock(std::string(this->name()) + ".debounce_clock", true),
      rx_active_(p.rx_active),
      debounce_hz_(p.debounce_clock_hz),
      edge_events_(stat_prefix() + ".edge_events", "rising/falling-edge events detected"),
      level_events_(stat_prefix() + ".level_events", "level events raised into IRQSTATUS_RAW") {
    if (debounce_hz_ == 0) throw std::invalid_argument("GPIO: debounce_clock_hz must be > 0 Hz");
    const std::string base = this->name();
    for (unsigned k = 0; k < kIrqLines; ++k)
        irq[k].set_name(base + ".irq" + std::to_string(k));
    for (unsigned n = 0; n < kPins; ++n) {
        pin_in_[n].set_name(base + ".pin_in" + std::to_string(n));
        pin_out_[n].set_name(base + ".pin_out" + std::to_string(n));
        pin_oe_[n].set_name(base + ".pin_oe" + std::to_string(n));
        pin_in_[n].on_change([this, n](bool level, const sc_time& off) {
            if (level)
                inputs_ |= 1u << n;
            else
                inputs_ &= ~(1u << n);
            evaluate(sc_core::sc_time_stamp() + off);
            reschedule();
        });
    }
    debounce_clock.on_change([this](bool, const sc_time& off) {
        evaluate(sc_core::sc_time_stamp() + off);
        reschedule();
    });
    clock_enable.on_change([this](bool, const sc_time& off) {
        evaluate(sc_core::sc_time_stamp() + off);
        reschedule();
    });

    // TRM 25.3.1: every register is 8-, 16- or 32-bit accessible (Linux reads REVISION with
    // readw in omap_gpio_show_rev).
    regs().set_default_sizes(kSizeAny);

    regs().add("REVISION", kRevision, kRevisionReset).ro();
    regs()
        .add("SYSCONFIG", kSysconfig, 0)
        .writable(kSysconfigWritable)
        .unimplemented("AUTOIDLE", 0, 1)
        .field("SOFTRESET", 1, 1)
        .unimplemented("ENAWAKEUP", 2, 1)
        .unimplemented("IDLEMODE", kSysconfigIdlemodeShift, 2)
        .on_write([this](Register& r, uint32_t, uint32_t) {
            // SOFTRESET has the effect of the OCP hardware reset and reads 0 (25.3.2.4).
            if (r.get() & kSysconfigSoftreset) reset_at(access_time());
        });
    regs()
        .add("EOI", kEoi, 0)
        .writable(kEoiDmaAck)
        .unimplemented("DMAEVENT_ACK", 0, 1)
        .on_read([](Register&) { return 0u; });  // reads always return 0 (25.4.1.3)

    const uint32_t raw_off[kIrqLines] = {kIrqStatusRaw0, kIrqStatusRaw1};
    const uint32_t status_off[kIrqLines] = {kIrqStatus0, kIrqStatus1};
    const uint32_t set_off[kIrqLines] = {kIrqStatusSet0, kIrqStatusSet1};
    const uint32_t clr_off[kIrqLines] = {kIrqStatusClr0, kIrqStatusClr1};
    const uint32_t waken_off[kIrqLines] = {kIrqWaken0, kIrqWaken1};
    for (unsigned k = 0; k < kIrqLines; ++k) {
        const std::string s = std::to_string(k);
        // IRQSTATUS_RAW_n: every detected event, enabled or not; writing 1 sets (25.4.1.4).
        raw_[k] =
            &regs()
                 .add("IRQSTATUS_RAW_" + s, raw_off[k], 0)
                 .w1s()
                 .on_write([this](Register&, uint32_t, uint32_t) { update_irq(access_time()); });
        // IRQSTATUS_n: the enabled events; writing 1 clears the event (25.4.1.6).
        status_[k] = &regs()
                          .add("IRQSTATUS_" + s, status_off[k], 0)
                          .w1c()
                          .on_read([this, k](Register&) { return raw_[k]->get() & set_[k]->get(); })
                          .on_write([this, k](Register&, uint32_t written, uint32_t) {
                              raw_[k]->clear_bits(written);
                              // A level still present raises its event again (25.3.3.4).
                              apply_levels(access_time());
                              update_irq(access_time());
                          });
        // IRQSTATUS_SET_n / _CLR_n: one enable mask, set or cleared by writing 1; both read
        // the mask (25.3.4.2).
        set_[k] = &regs()
                       .add("IRQSTATUS_SET_" + s, set_off[k], 0)
                       .w1s()
                       .on_write([this, k](Register& r, uint32_t, uint32_t) {
                           clr_[k]->set(r.get());
                           update_irq(access_time());
                       });
        clr_[k] = &regs()
                       .add("IRQSTATUS_CLR_" + s, clr_off[k], 0)
                       .w1c()
                       .on_write([this, k](Register& r, uint32_t, uint32_t) {
                           set_[k]->set(r.get());
                           update_irq(access_time());
                       });
        regs().add("IRQWAKEN_" + s, waken_off[k], 0).unimplemented("INTLINE", 0, 32);
    }

    // RESETDONE reads 1: resets complete at once in this model (25.3.2.4).
    regs().add("SYSSTATUS", kSysstatus, kSysstatusResetdone).ro();
    ctrl_ = &regs()
                 .add("CTRL", kCtrl, 0)
                 .writable(kCtrlWritable)
                 .field("DISABLEMODULE", 0, 1)
                 .unimplemented("GATINGRATIO", kCtrlGatingratioShift, 2)
                 .on_write([this](Register&, uint32_t, uint32_t) {
                     evaluate(access_time());
                     apply_levels(access_time());
                 });
    oe_ = &regs().add("OE", kOe, kOeReset).on_write([this](Register&, uint32_t, uint32_t) {
        drive_outputs(access_time());
        evaluate(access_time());
    });
    regs()
        .add("DATAIN", kDatain, 0)
        .ro()
        .on_read([this](Register&) {
            evaluate(access_time());
            return detected_;
        })
        .on_peek([this](Register&) { return detected_; });
    auto dataout_written = [this](Register& r, uint32_t, uint32_t) {
        set_dataout(r.get());
        drive_outputs(access_time());
        evaluate(access_time());
    };
    dataout_ = &regs().add("DATAOUT", kDataout, 0).on_write(dataout_written);
    leveldetect0_ =
        &regs()
             .add("LEVELDETECT0", kLevelDetect0, 0)
             .on_write([this](Register&, uint32_t, uint32_t) { apply_levels(access_time()); });
    leveldetect1_ =
        &regs()
             .add("LEVELDETECT1", kLevelDetect1, 0)
             .on_write([this](Register&, uint32_t, uint32_t) { apply_levels(access_time()); });
    rising_ = &regs().add("RISINGDETECT", kRisingDetect, 0);
    falling_ = &regs().add("FALLINGDETECT", kFallingDetect, 0);
    debounce_en_ =
        &regs()
             .add("DEBOUNCENABLE", kDebounceEnable, 0)
             .on_write([this](Register&, uint32_t, uint32_t) { evaluate(access_time()); });
    // Bits 31:8 are "reserved, R/W" in Table 25-29: stored, unused.
    debounce_time_ = &regs().add("DEBOUNCINGTIME", kDebouncingTime, 0).field("DEBOUNCETIME", 0, 8);
    // CLEARDATAOUT / SETDATAOUT: write 1 clears / sets DATAOUT bits; reads return DATAOUT
    // (25.4.1.25-26). Their stored values mirror DATAOUT, so the W1C / W1S policy computes
    // the new DATAOUT.
    cleardataout_ = &regs().add("CLEARDATAOUT", kClearDataout, 0).w1c().on_write(dataout_written);
    setdataout_ = &regs().add("SETDATAOUT", kSetDataout, 0).w1s().on_write(dataout_written);

    SC_METHOD(on_debounce_event);
    sensitive << debounce_event_;
    dont_initialize();
}

Wire& Gpio::pin_in(unsigned n) {
    if (n >= kPins)
        throw std::out_of_range(std::string(name()) + ": no pin " + std::to_string(n) +
                                " (pins are 0-31)");
    return pin_in_[n];
}

Wire& Gpio::pin_out(unsigned n) {
    if (n >= kPins)
        throw std::out_of_range(std::string(name()) + ": no pin " + std::to_string(n) +
                                " (pins are 0-31)");
    return pin_out_[n];
}

Wire& Gpio::pin_oe(unsigned n) {
    if (n >= kPins)
        throw std::out_of_range(std::string(name()) + ": no pin " + std::to_string(n) +
                                " (pins are 0-31)");
    return pin_oe_[n];
}

sc_time Gpio::debounce_time() const {
    // TRM 25.3.4.4: (DEBOUNCETIME + 1) cycles of the debounce clock ("31 us" each at 32 kHz).
    return tick::cycles((debounce_time_->get() & kDebounceTimeMask) + 1, 1, debounce_hz_);
}

uint32_t Gpio::pad_levels() const {
    const uint32_t oe = oe_->get();  // 1 = input
    return (~oe & dataout_->get()) | (oe & inputs_);
}

uint32_t Gpio::rx_mask() const {
    if (!rx_active_) return 0xFFFFFFFF;
    uint32_t m = 0;
    for (unsigned n = 0; n < kPins; ++n)
        if (rx_active_(n)) m |= 1u << n;
    return m;
}

bool Gpio::detecting() const {
    // CTRL.DISABLEMODULE gates the event detection (25.4.1.15); so does the PRCM.
    return clock_enable.read() && !(ctrl_->get() & kCtrlDisablemodule);
}

void Gpio::evaluate(sc_time t) {
    if (t < last_) t = last_;
    advance_debounce(t);
    last_ = t;
    const uint32_t sampled = pad_levels() & rx_mask();
    const uint32_t deb = debounce_en_->get();
    set_detected(sampled, ~deb, t);  // pins without debounce follow the pad at once
    if (debounce_clock.read()) {
        const uint32_t differ = (sampled ^ detected_) & deb;
        pending_ &= differ;  // back to the debounced level: the change is filtered out
        uint32_t start = differ & ~pending_;
        const sc_time d = tick::add(t, debounce_time());
        while (start) {
            const unsigned n = static_cast<unsigned>(__builtin_ctz(start));
            start &= start - 1;
            deadline_[n] = d;
            pending_ |= 1u << n;
        }
    } else {
        pending_ = 0;  // no debounce clock: debounced inputs are frozen (25.3.1)
    }
}

void Gpio::advance_debounce(const sc_time& t) {
    // A debounced pin takes its new level once the input has been stable for the
    // debounce time; handle the deadlines in time order.
    while (pending_) {
        unsigned best = kPins;
        for (uint32_t m = pending_; m; m &= m - 1) {
            const unsigned n = static_cast<unsigned>(__builtin_ctz(m));
            if (best == kPins || deadline_[n] < deadline_[best]) best = n;
        }
        const sc_time d = deadline_[best];
        if (d > t) break;
        pending_ &= ~(1u << best);
        set_detected(~detected_, 1u << best, d);
    }
}

void Gpio::set_detected(uint32_t levels, uint32_t which, const sc_time& t) {
    const uint32_t changed = (detected_ ^ levels) & which;
    if (!changed) return;
    detected_ ^= changed;
    if (!detecting()) return;
    const uint32_t rising = changed & detected_ & rising_->get();
    const uint32_t falling = changed & ~detected_ & falling_->get();
    if (rising | falling) {
        edge_events_ += popcount(rising | falling);
        raise(rising | falling, t);
    }
    apply_levels(t);
}

void Gpio::apply_levels(const sc_time& t) {
    if (!detecting()) return;
    // LEVELDETECT1: event while high; LEVELDETECT0: event while low (25.4.1.19-20).
    const uint32_t active =
        (leveldetect1_->get() & detected_) | (leveldetect0_->get() & ~detected_);
    const uint32_t fresh = active & ~(raw_[0]->get() & raw_[1]->get());
    if (!fresh) return;
    level_events_ += popcount(fresh);
    raise(active, t);
}

void Gpio::raise(uint32_t events, const sc_time& t) {
    // An event sets the pin's bit in both raw registers; each line masks with its own
    // enable (25.3.3.2).
    for (unsigned k = 0; k < kIrqLines; ++k)
        raw_[k]->set_bits(events);
    update_irq(t);
}

void Gpio::update_irq(const sc_time& t) {
    for (unsigned k = 0; k < kIrqLines; ++k) {
        const uint32_t s = raw_[k]->get() & set_[k]->get();
        status_[k]->set(s);
        irq[k].write(s != 0, tick::offset_of(t));
    }
}

void Gpio::set_dataout(uint32_t v) {
    dataout_->set(v);
    setdataout_->set(v);
    cleardataout_->set(v);
}

void Gpio::drive_outputs(const sc_time& t) {
    const uint32_t oe = oe_->get();
    const uint32_t out = dataout_->get();
    const sc_time off = tick::offset_of(t);
    for (unsigned n = 0; n < kPins; ++n) {
        const bool drive = !(oe & (1u << n));
        pin_oe_[n].write(drive, off);
        pin_out_[n].write(drive && (out & (1u << n)), off);
    }
}

void Gpio::pad_config_changed(const sc_time& offset) {
    evaluate(sc_core::sc_time_stamp() + offset);
    reschedule();
}

void Gpio::reset_at(const sc_time& at) {
    if (at > last_) last_ = at;
    regs().reset();
    pending_ = 0;
    // After reset every pin is an input without debounce: DATAIN follows the pads at once;
    // no events (every detector is off).
    detected_ = pad_levels() & rx_mask();
    drive_outputs(last_);
    update_irq(last_);
}

void Gpio::reset() {
    reset_at(access_time());
    reschedule();
}

void Gpio::reschedule() {
    debounce_event_.cancel();
    if (!pending_) return;
    sc_time d = tick::never();
    for (uint32_t m = pending_; m; m &= m - 1)
        d = std::min(d, deadline_[static_cast<unsigned>(__builtin_ctz(m))]);
    if (tick::is_never(d)) return;
    const sc_time now = sc_core::sc_time_stamp();
    debounce_event_.notify(d > now ? d - now : SC_ZERO_TIME);
}

void Gpio::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
    // Debounce deadlines that fall before the initiator's local time happen first.
    if (pending_) evaluate(sc_core::sc_time_stamp() + delay);
    Peripheral::b_transport(p, delay);
    reschedule();
}

void Gpio::on_debounce_event() {
    evaluate(sc_core::sc_time_stamp());
    reschedule();
}

}  // namespace vp
