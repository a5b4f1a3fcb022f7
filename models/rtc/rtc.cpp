#include "models/rtc/rtc.h"

#include <algorithm>
#include <stdexcept>

#include "models/timer/tick_math.h"

namespace vp {

using namespace rtc;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

constexpr uint64_t kSecondsPerDay = 86400;
constexpr unsigned kYearsPerCycle = 100;  // YEARS holds two digits: 2000-2099
enum Field : unsigned { kFSec, kFMin, kFHour, kFDay, kFMonth, kFYear, kFWeek, kFieldCount };

bool leap(unsigned year) {
    return year % 4 == 0;
}  // 2000-2099: every fourth year, 2000 too

unsigned days_in_month(unsigned year, unsigned month) {
    static const unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

uint64_t days_before_year(unsigned year) {
    return year * 365ull + (year + 3) / 4;
}

const uint64_t kCycleSeconds = days_before_year(kYearsPerCycle) * kSecondsPerDay;

uint64_t to_seconds(unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                    unsigned second) {
    uint64_t days = days_before_year(year);
    for (unsigned m = 1; m < month; ++m)
        days += days_in_month(year, m);
    days += day - 1;
    return days * kSecondsPerDay + hour * 3600ull + minute * 60ull + second;
}

uint32_t to_bcd(unsigned v) {
    return ((v / 10) << 4) | (v % 10);
}

// BCD to binary; false if a digit is above 9.
bool from_bcd(uint32_t b, unsigned& v) {
    const unsigned lo = b & 0xF, hi = (b >> 4) & 0xF;
    if (lo > 9 || hi > 9) return false;
    v = hi * 10 + lo;
    return true;
}

}  // namespace

Rtc::Rtc(sc_core::sc_module_name name, const RtcParams& p)
    : Peripheral(name, kWindowSize, p.stat_prefix),
      irq_timer(std::string(this->name()) + ".irq_timer"),
      irq_alarm(std::string(this->name()) + ".irq_alarm"),
      params_(p),
      alarms_(stat_prefix() + ".alarms", "alarm and alarm2 events"),
      timer_irqs_(stat_prefix() + ".timer_irqs", "periodic timer interrupt pulses"),
      locked_writes_(stat_prefix() + ".locked_writes",
                     "writes ignored because the kick registers were not unlocked") {
    const std::string who = std::string(this->name()) + ": ";
    if (p.year > 99) throw std::invalid_argument(who + "year must be 0-99 (2000-2099)");
    if (p.month < 1 || p.month > 12) throw std::invalid_argument(who + "month must be 1-12");
    if (p.day < 1 || p.day > days_in_month(p.year, p.month))
        throw std::invalid_argument(who + "day " + std::to_string(p.day) +
                                    " does not exist in month " + std::to_string(p.month));
    if (p.hour > 23 || p.minute > 59 || p.second > 59)
        throw std::invalid_argument(who + "time must be 00:00:00-23:59:59");
    if (p.weekday > 6) throw std::invalid_argument(who + "weekday must be 0 (Sunday)-6");
    if (p.ocp_clock_hz == 0) throw std::invalid_argument(who + "ocp_clock_hz must be > 0 Hz");

    // Linux rtc-omap reads and writes the time registers with readb/writeb: all sizes.
    regs().set_default_sizes(kSizeAny);

    add_time_register("SECONDS_REG", kSeconds, to_bcd(p.second), kSecondsMask, kFSec);
    add_time_register("MINUTES_REG", kMinutes, to_bcd(p.minute), kMinutesMask, kFMin);
    add_time_register("HOURS_REG", kHours, to_bcd(p.hour), kHoursMask, kFHour);
    add_time_register("DAYS_REG", kDays, to_bcd(p.day), kDaysMask, kFDay);
    add_time_register("MONTHS_REG", kMonths, to_bcd(p.month), kMonthsMask, kFMonth);
    add_time_register("YEARS_REG", kYears, to_bcd(p.year), kYearsMask, kFYear);
    add_time_register("WEEKS_REG", kWeeks, p.weekday, kWeeksMask, kFWeek);

    auto resched = [this](Register&, uint32_t, uint32_t) { reschedule(); };
    const struct {
        const char* name;
        uint32_t mask;
        uint32_t reset;
    } alarm_fields[6] = {{"SECONDS", kSecondsMask, 0}, {"MINUTES", kMinutesMask, 0},
                         {"HOURS", kHoursMask, 0},     {"DAYS", kDaysMask, 1},
                         {"MONTHS", kMonthsMask, 1},   {"YEARS", kYearsMask, 0}};
    for (unsigned i = 0; i < 6; ++i) {
        const auto& f = alarm_fields[i];
        add_protected(std::string("ALARM_") + f.name + "_REG", kAlarmSeconds + 4 * i, f.reset,
                      f.mask, resched);
        add_protected(std::string("ALARM2_") + f.name + "_REG", kAlarm2Seconds + 4 * i, f.reset,
                      f.mask, resched);
    }

    ctrl_ = &add_protected("RTC_CTRL_REG", kCtrl, 0, kCtrlWritable,
                           [this](Register& r, uint32_t written, uint32_t old) {
                               const sc_time t = access_time();
                               const bool was = (old & kCtrlStopRtc) && !(old & kCtrlRtcDisable);
                               const bool is =
                                   (r.get() & kCtrlStopRtc) && !(r.get() & kCtrlRtcDisable);
                               if (!was && is) start(t);
                               if (was && !is) stop(t);
                               // ROUND_30S: software can only set it; the RTC clears it once
                               // the rounding is done at the next second (20.3.5.14).
                               if (written & kCtrlRound30s) round_pending_ = true;
                               if (round_pending_) r.set_bits(kCtrlRound30s);
                               reschedule();
                           });
    ctrl_->unimplemented("AUTO_COMP", 2, 1)
        .unimplemented("TEST_MODE", 4, 1)
        .unimplemented("SET_32_COUNTER", 5, 1);
    status_ =
        &add_protected("RTC_STATUS_REG", kStatus, 0, kStatusAlarm | kStatusAlarm2,
                       [this](Register&, uint32_t, uint32_t) { update_alarm_irq(access_time()); });
    status_->w1c()
        .on_read([this](Register&) { return status_value(access_time()); })
        .on_peek(
            [this](Register&) { return status_value(std::max(sc_core::sc_time_stamp(), last_)); });
    interrupts_ = &add_protected("RTC_INTERRUPTS_REG", kInterrupts, 0, kInterruptsWritable,
                                 [this](Register&, uint32_t, uint32_t) {
                                     update_alarm_irq(access_time());
                                     reschedule();
                                 });
    add_protected("RTC_COMP_LSB_REG", kCompLsb, 0, kCompMask).unimplemented("RTC_COMP_LSB", 0, 8);
    add_protected("RTC_COMP_MSB_REG", kCompMsb, 0, kCompMask).unimplemented("RTC_COMP_MSB", 0, 8);
    add_protected("RTC_OSC_REG", kOsc, kOscReset, kOscWritable)
        .unimplemented("SW1", 0, 1)
        .unimplemented("SW2", 1, 1)
        .unimplemented("RES_SELECT", 2, 1)
        .unimplemented("SEL_32KCLK_SRC", 3, 1)
        .unimplemented("OSC32K_GZ", 4, 1)
        .unimplemented("EN_32KCLK", 6, 1);
    add_protected("RTC_SCRATCH0_REG", kScratch0, 0, 0xFFFFFFFF);
    add_protected("RTC_SCRATCH1_REG", kScratch1, 0, 0xFFFFFFFF);
    add_protected("RTC_SCRATCH2_REG", kScratch2, 0, 0xFFFFFFFF);
    // Kick state machine (20.3.3.5.3, Figure 20-58).
    regs().add("KICK0R", kKick0, 0).wo().on_write([this](Register&, uint32_t v, uint32_t) {
        kick_state_ = v == kKick0Key ? kKick0Done : kLocked;
    });
    regs().add("KICK1R", kKick1, 0).wo().on_write([this](Register&, uint32_t v, uint32_t) {
        kick_state_ = (kick_state_ == kKick0Done && v == kKick1Key) ? kUnlocked : kLocked;
    });
    regs().add("RTC_REVISION", kRevision, kRevisionReset).ro();
    add_protected("RTC_SYSCONFIG", kSysconfig, kSysconfigReset, kSysconfigWritable)
        .unimplemented("IDLEMODE", 0, 2);
    add_protected("RTC_IRQWAKEEN", kIrqWakeEn, 0, kIrqWakeEnWritable)
        .unimplemented("TIMER_WAKEEN", 0, 1)
        .unimplemented("ALARM_WAKEEN", 1, 1);
    // External wake-up status bits [15:12] are write-1-to-clear and never set here.
    add_protected("RTC_PMIC", kPmic, 0, kPmicWritable & ~0xF000u)
        .unimplemented("EXT_WAKEUP_EN", 0, 4)
        .unimplemented("EXT_WAKEUP_POL", 4, 4)
        .unimplemented("EXT_WAKEUP_DB_EN", 8, 4)
        .unimplemented("PWR_ENABLE_EN", 16, 1);
    add_protected("RTC_DEBOUNCE", kDebounce, 0, kDebounceMask).unimplemented("DEBOUNCE_REG", 0, 8);

    SC_METHOD(on_event);
    sensitive << timer_event_ << alarm_event_ << pulse_event_;
    dont_initialize();

    reset_at(SC_ZERO_TIME);
}

// --- registers ----------------------------------------------------------------------------

Register& Rtc::add_protected(const std::string& name, uint32_t offset, uint32_t reset,
                             uint32_t writable, Action action) {
    Register& r = regs().add(name, offset, reset).writable(writable);
    r.on_write([this, action](Register& reg, uint32_t written, uint32_t old) {
        if (kick_state_ != kUnlocked) {
            // Out of reset the registers are write-protected until KICK0R/KICK1R get their
            // keys (20.3.5.23): the write has no effect.
            reg.set(old);
            ++locked_writes_;
            if (log_.once("locked:" + reg.name()))
                VP_LOG(log_, warning,
                       "write to {} ignored: registers locked (write {:#x} to "
                       "KICK0R then {:#x} to KICK1R first)",
                       reg.name(), kKick0Key, kKick1Key);
            return;
        }
        if (action) action(reg, written, old);
    });
    return r;
}

void Rtc::add_time_register(const std::string& name, uint32_t offset, uint32_t reset, uint32_t mask,
                            unsigned field) {
    Register& r = add_protected(
        name, offset, reset, mask,
        [this, field](Register& reg, uint32_t, uint32_t) { write_time_field(field, reg.get()); });
    r.on_read([this, field](Register&) {
        // Reading SECONDS copies the whole time/date into the read shadow; the other
        // registers return the shadow (20.3.3.5.4).
        if (field == kFSec) latch(calendar(secs_));
        return shadow_[field];
    });
    r.on_peek([this, field](Register&) {
        return encode_field(calendar(seconds_now(std::max(sc_core::sc_time_stamp(), last_))),
                            field);
    });
}

uint32_t Rtc::encode_field(const DateTime& dt, unsigned field) const {
    switch (field) {
        case kFSec:
            return to_bcd(dt.second);
        case kFMin:
            return to_bcd(dt.minute);
        case kFHour:
            if (ctrl_ && (ctrl_->get() & kCtrlMode1224)) {
                // 12-hour mode: 01-12 with PM_nAM (20.3.5.3).
                const unsigned h = dt.hour % 12 == 0 ? 12 : dt.hour % 12;
                return to_bcd(h) | (dt.hour >= 12 ? kHoursPmNam : 0);
            }
            return to_bcd(dt.hour);
        case kFDay:
            return to_bcd(dt.day);
        case kFMonth:
            return to_bcd(dt.month);
        case kFYear:
            return to_bcd(dt.year);
        default:
            return dt.weekday;
    }
}

void Rtc::latch(const DateTime& dt) {
    for (unsigned f = 0; f < kFieldCount; ++f)
        shadow_[f] = encode_field(dt, f);
}

namespace {
// Hours register value (BCD, PM_nAM in 12-hour mode) to 0-23; false if invalid.
bool decode_hour(uint32_t v, bool mode12, unsigned& hour) {
    unsigned h;
    if (!from_bcd(v & kHoursBcdMask, h)) return false;
    if (!mode12) {
        if (h > 23 || (v & kHoursPmNam)) return false;
        hour = h;
        return true;
    }
    if (h < 1 || h > 12) return false;
    hour = (h % 12) + ((v & kHoursPmNam) ? 12 : 0);
    return true;
}
}  // namespace

void Rtc::write_time_field(unsigned field, uint32_t value) {
    if (busy_at(access_time()) && log_.once("busy-write"))
        VP_LOG(log_, warning,
               "time register written while STATUS.BUSY = 1: the TRM does not "
               "guarantee such an access (20.3.3.5.5)");
    DateTime dt = calendar(secs_);
    const unsigned weekday = dt.weekday;
    unsigned v = 0;
    bool ok = true;
    switch (field) {
        case kFSec:
            ok = from_bcd(value, v) && v <= 59;
            if (ok) dt.second = v;
            break;
        case kFMin:
            ok = from_bcd(value, v) && v <= 59;
            if (ok) dt.minute = v;
            break;
        case kFHour:
            ok = decode_hour(value, ctrl_->get() & kCtrlMode1224, v);
            if (ok) dt.hour = v;
            break;
        case kFDay:
            ok = from_bcd(value, v) && v >= 1 && v <= 31;
            if (ok) dt.day = v;
            break;
        case kFMonth:
            ok = from_bcd(value, v) && v >= 1 && v <= 12;
            if (ok) dt.month = v;
            break;
        case kFYear:
            ok = from_bcd(value, v);
            if (ok) dt.year = v;
            break;
        default:
            ok = value <= 6;
            break;
    }
    if (!ok) {
        if (log_.once("bad-time:" + std::to_string(field)))
            VP_LOG(log_, warning,
                   "invalid time/calendar value {:#x} written at offset {:#x}: "
                   "write ignored",
                   value, field * 4);
        return;
    }
    if (field == kFWeek) {
        week_ref_day_ = static_cast<int64_t>(secs_ / kSecondsPerDay);
        week_ref_val_ = value;
    } else {
        // A day beyond the month's length (e.g. while YEARS/MONTHS/DAYS are written one by
        // one) is held at the month's last day.
        dt.day = std::min(dt.day, days_in_month(dt.year, dt.month));
        const uint64_t cycle = secs_ / kCycleSeconds;
        secs_ = cycle * kCycleSeconds +
                to_seconds(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second);
        // WEEKS is its own counter: setting the date does not change it.
        week_ref_day_ = static_cast<int64_t>(secs_ / kSecondsPerDay);
        week_ref_val_ = weekday;
    }
    shadow_[field] = encode_field(calendar(secs_), field);
    reschedule();
}

Rtc::DateTime Rtc::calendar(uint64_t secs) const {
    DateTime dt{};
    uint64_t s = secs % kCycleSeconds;
    uint64_t days = s / kSecondsPerDay;
    s %= kSecondsPerDay;
    dt.hour = static_cast<unsigned>(s / 3600);
    dt.minute = static_cast<unsigned>((s / 60) % 60);
    dt.second = static_cast<unsigned>(s % 60);
    unsigned y = 0;
    while (y + 1 < kYearsPerCycle && days_before_year(y + 1) <= days)
        ++y;
    days -= days_before_year(y);
    unsigned m = 1;
    while (days >= days_in_month(y, m))
        days -= days_in_month(y, m++);
    dt.year = y;
    dt.month = m;
    dt.day = static_cast<unsigned>(days) + 1;
    const int64_t d = static_cast<int64_t>(secs / kSecondsPerDay) - week_ref_day_;
    dt.weekday = static_cast<unsigned>(((static_cast<int64_t>(week_ref_val_) + d) % 7 + 7) % 7);
    return dt;
}

Rtc::DateTime Rtc::now() const {
    return calendar(seconds_now(std::max(sc_core::sc_time_stamp(), last_)));
}

// --- time -----------------------------------------------------------------------------------

uint64_t Rtc::seconds_now(const sc_time& t) const {
    if (!running_ || t <= base_) return secs_;
    return secs_ + tick::ticks_in(t - base_, 1);
}

bool Rtc::busy_at(const sc_time& t) const {
    // BUSY: the next second update is due within the busy window (20.3.5.15: "0 = updating
    // event in more than 15 us").
    if (!running_ || t < base_) return false;
    const uint64_t k = tick::ticks_in(t - base_, 1);
    const sc_time next = base_ + tick::ticks_time(k + 1, 1);
    return next - t <= params_.busy_window;
}

uint32_t Rtc::status_value(const sc_time& t) const {
    return (busy_at(t) ? kStatusBusy : 0) | (running_ ? kStatusRun : 0) | events_ |
           (status_->get() & (kStatusAlarm | kStatusAlarm2));
}

uint64_t Rtc::timer_period() const {
    static const uint64_t kPeriod[4] = {1, 60, 3600, kSecondsPerDay};
    return kPeriod[interrupts_->get() & kInterruptsEveryMask];
}

bool Rtc::decode_alarm(uint32_t first, uint64_t& secs) {
    unsigned sec, min, hour, day, month, year;
    auto val = [&](unsigned i) { return regs().at(first + 4 * i)->get(); };
    if (!from_bcd(val(0), sec) || sec > 59 || !from_bcd(val(1), min) || min > 59 ||
        !decode_hour(val(2), ctrl_->get() & kCtrlMode1224, hour) || !from_bcd(val(3), day) ||
        !from_bcd(val(4), month) || month < 1 || month > 12 || !from_bcd(val(5), year) || day < 1 ||
        day > days_in_month(year, month))
        return false;
    secs = to_seconds(year, month, day, hour, min, sec);
    return true;
}

uint64_t Rtc::alarm_delta(uint32_t first) {
    // Seconds from now to the next second at which the time equals the alarm (0: none).
    uint64_t a;
    if (!decode_alarm(first, a)) return 0;
    const uint64_t cur = secs_ % kCycleSeconds;
    const uint64_t d = (a + kCycleSeconds - cur) % kCycleSeconds;
    return d == 0 ? kCycleSeconds : d;
}

void Rtc::process_ticks(uint64_t k) {
    const sc_time b0 = base_;
    const uint64_t s0 = secs_;
    // Alarms whose second falls inside this step (20.3.3.4.2.2).
    const struct {
        uint32_t first, status;
    } alarms[2] = {{kAlarmSeconds, kStatusAlarm}, {kAlarm2Seconds, kStatusAlarm2}};
    for (const auto& a : alarms) {
        const uint64_t d = alarm_delta(a.first);
        if (d >= 1 && d <= k) {
            ++alarms_;
            status_->set_bits(a.status);
            update_alarm_irq(b0 + tick::ticks_time(d, 1));
        }
    }
    // The timer interrupt: a pulse at the last period boundary inside this step.
    if (interrupts_->get() & kInterruptsItTimer) {
        const uint64_t p = timer_period();
        const uint64_t last = ((s0 + k) / p) * p;
        if (last > s0) {
            const sc_time tb = b0 + tick::ticks_time(last - s0, 1);
            ++timer_irqs_;
            irq_timer.write(true, tick::offset_of(tb));
            const sc_time width = params_.timer_pulse != SC_ZERO_TIME
                                      ? params_.timer_pulse
                                      : tick::cycles(1, 1, params_.ocp_clock_hz);
            pulse_end_ = tick::add(tb, width);
        }
    }
    secs_ = s0 + k;
    base_ = b0 + tick::ticks_time(k, 1);
    if (round_pending_) {
        // ROUND_30S: at the next second the time goes to the nearest minute (20.3.3.5.4.1).
        const uint64_t first = s0 + 1;
        const uint64_t sec = first % 60;
        const uint64_t rounded = sec >= 30 ? first + (60 - sec) : first - sec;
        secs_ = rounded + (k - 1);
        round_pending_ = false;
        ctrl_->clear_bits(kCtrlRound30s);
    }
    // STATUS[5:2] show which units the last update completed (Table 20-60).
    const uint64_t s = secs_ % kCycleSeconds;
    events_ = kStatusOneSec | (s % 60 == 0 ? kStatusOneMin : 0) |
              (s % 3600 == 0 ? kStatusOneHr : 0) | (s % kSecondsPerDay == 0 ? kStatusOneDay : 0);
}

void Rtc::advance_to(sc_time t) {
    if (t < last_) t = last_;
    if (pulse_end_ <= t) {  // a pulse from an earlier step ends first
        irq_timer.write(false, tick::offset_of(pulse_end_));
        pulse_end_ = tick::never();
    }
    if (running_ && t > base_) {
        const uint64_t k = tick::ticks_in(t - base_, 1);
        if (k) process_ticks(k);
    }
    if (pulse_end_ <= t) {
        irq_timer.write(false, tick::offset_of(pulse_end_));
        pulse_end_ = tick::never();
    }
    last_ = t;
}

void Rtc::start(const sc_time& t) {
    advance_to(t);
    running_ = true;
    base_ = t >= phase_ ? t - phase_ : SC_ZERO_TIME;
}

void Rtc::stop(const sc_time& t) {
    advance_to(t);
    phase_ = t > base_ ? t - base_ : SC_ZERO_TIME;
    running_ = false;
}

void Rtc::update_alarm_irq(const sc_time& t) {
    const uint32_t st = status_->get();
    const uint32_t en = interrupts_->get();
    const bool level = ((st & kStatusAlarm) && (en & kInterruptsItAlarm)) ||
                       ((st & kStatusAlarm2) && (en & kInterruptsItAlarm2));
    irq_alarm.write(level, tick::offset_of(t));
}

// --- reset, events, transport ----------------------------------------------------------------

void Rtc::reset_at(const sc_time& at) {
    advance_to(at);
    regs().reset();
    const RtcParams& p = params_;
    secs_ = to_seconds(p.year, p.month, p.day, p.hour, p.minute, p.second);
    week_ref_day_ = static_cast<int64_t>(secs_ / kSecondsPerDay);
    week_ref_val_ = p.weekday;
    round_pending_ = false;
    events_ = 0;
    phase_ = SC_ZERO_TIME;
    kick_state_ = kLocked;
    running_ = p.running;
    base_ = last_;
    if (running_) ctrl_->set(kCtrlStopRtc);
    latch(calendar(secs_));
    if (!tick::is_never(pulse_end_)) {
        pulse_end_ = tick::never();
        irq_timer.write(false, tick::offset_of(last_));
    }
    update_alarm_irq(last_);
}

void Rtc::reset() {
    reset_at(access_time());
    reschedule();
}

void Rtc::reschedule() {
    sc_time timer = tick::never();
    sc_time alarm = tick::never();
    const uint32_t en = interrupts_->get();
    if (running_ && (en & kInterruptsItTimer)) {
        const uint64_t p = timer_period();
        timer = tick::add(base_, tick::ticks_time((secs_ / p + 1) * p - secs_, 1));
    }
    if (running_) {
        uint64_t d = 0;
        if (en & kInterruptsItAlarm) d = alarm_delta(kAlarmSeconds);
        if (en & kInterruptsItAlarm2) {
            const uint64_t d2 = alarm_delta(kAlarm2Seconds);
            if (d2 && (!d || d2 < d)) d = d2;
        }
        if (d) alarm = tick::add(base_, tick::ticks_time(d, 1));
    }
    tick::arm_at(timer_event_, timer);
    tick::arm_at(alarm_event_, alarm);
    tick::arm_at(pulse_event_, pulse_end_);
}

void Rtc::on_event() {
    advance_to(sc_core::sc_time_stamp());
    reschedule();
}

void Rtc::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
    advance_to(sc_core::sc_time_stamp() + delay);
    Peripheral::b_transport(p, delay);
    reschedule();
}

}  // namespace vp
