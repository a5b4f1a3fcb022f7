// RTC_SS of the AM335x (TRM SPRUH73 §20.3): a BCD time/calendar (seconds to years 2000-2099,
// day of week) counting whole seconds from the 32.768 kHz clock while CTRL.STOP_RTC is 1,
// with the kick-register write protection (KICK0R/KICK1R), STATUS.BUSY before each update,
// the periodic timer interrupt (INTC 75, a pulse every second/minute/hour/day) and the alarm
// interrupts (INTC 76, level until STATUS.ALARM/ALARM2 is written 1). Time is computed from
// simulated time; only the instants that raise an interrupt are events. Not modelled: crystal
// compensation, the 32 kHz counter test features, the PMIC power-enable state machine and the
// external wake-up inputs (their registers are stores). Linux driver: rtc-omap. See
// docs/models/rtc.md.
#pragma once

#include <systemc>

#include <cstdint>
#include <functional>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

namespace rtc {
constexpr uint32_t kWindowSize = 0x1000;  // 4 KB at 0x44E3_E000

// Register offsets (TRM Table 20-63).
constexpr uint32_t kSeconds = 0x00;
constexpr uint32_t kMinutes = 0x04;
constexpr uint32_t kHours = 0x08;
constexpr uint32_t kDays = 0x0C;
constexpr uint32_t kMonths = 0x10;
constexpr uint32_t kYears = 0x14;
constexpr uint32_t kWeeks = 0x18;
constexpr uint32_t kAlarmSeconds = 0x20;
constexpr uint32_t kAlarmMinutes = 0x24;
constexpr uint32_t kAlarmHours = 0x28;
constexpr uint32_t kAlarmDays = 0x2C;
constexpr uint32_t kAlarmMonths = 0x30;
constexpr uint32_t kAlarmYears = 0x34;
constexpr uint32_t kCtrl = 0x40;
constexpr uint32_t kStatus = 0x44;
constexpr uint32_t kInterrupts = 0x48;
constexpr uint32_t kCompLsb = 0x4C;
constexpr uint32_t kCompMsb = 0x50;
constexpr uint32_t kOsc = 0x54;
constexpr uint32_t kScratch0 = 0x60;
constexpr uint32_t kScratch1 = 0x64;
constexpr uint32_t kScratch2 = 0x68;
constexpr uint32_t kKick0 = 0x6C;
constexpr uint32_t kKick1 = 0x70;
constexpr uint32_t kRevision = 0x74;
constexpr uint32_t kSysconfig = 0x78;
constexpr uint32_t kIrqWakeEn = 0x7C;
constexpr uint32_t kAlarm2Seconds = 0x80;
constexpr uint32_t kAlarm2Minutes = 0x84;
constexpr uint32_t kAlarm2Hours = 0x88;
constexpr uint32_t kAlarm2Days = 0x8C;
constexpr uint32_t kAlarm2Months = 0x90;
constexpr uint32_t kAlarm2Years = 0x94;
constexpr uint32_t kPmic = 0x98;
constexpr uint32_t kDebounce = 0x9C;

// Reset values that are not 0 (TRM §20.3.5).
constexpr uint32_t kOscReset = 0x10;             // 20.3.5.19: OSC32K_GZ = 1
constexpr uint32_t kRevisionReset = 0x4EB00904;  // 20.3.5.25
constexpr uint32_t kSysconfigReset = 0x2;        // 20.3.5.26: IDLEMODE = smart idle

// Writable bits of the time/calendar registers (BCD fields, 20.3.5.1-13).
constexpr uint32_t kSecondsMask = 0x7F;
constexpr uint32_t kMinutesMask = 0x7F;
constexpr uint32_t kHoursMask = 0xBF;  // bit 6 reserved
constexpr uint32_t kHoursPmNam = 1u << 7;
constexpr uint32_t kHoursBcdMask = 0x3F;
constexpr uint32_t kDaysMask = 0x3F;
constexpr uint32_t kMonthsMask = 0x1F;
constexpr uint32_t kYearsMask = 0xFF;
constexpr uint32_t kWeeksMask = 0x07;

// CTRL_REG (20.3.5.14).
constexpr uint32_t kCtrlStopRtc = 1u << 0;  // 1 = running
constexpr uint32_t kCtrlRound30s = 1u << 1;
constexpr uint32_t kCtrlAutoComp = 1u << 2;
constexpr uint32_t kCtrlMode1224 = 1u << 3;  // 1 = 12-hour mode
constexpr uint32_t kCtrlTestMode = 1u << 4;
constexpr uint32_t kCtrlSet32Counter = 1u << 5;
constexpr uint32_t kCtrlRtcDisable = 1u << 6;
constexpr uint32_t kCtrlWritable = 0x7F;

// STATUS_REG (20.3.5.15).
constexpr uint32_t kStatusBusy = 1u << 0;
constexpr uint32_t kStatusRun = 1u << 1;
constexpr uint32_t kStatusOneSec = 1u << 2;
constexpr uint32_t kStatusOneMin = 1u << 3;
constexpr uint32_t kStatusOneHr = 1u << 4;
constexpr uint32_t kStatusOneDay = 1u << 5;
constexpr uint32_t kStatusAlarm = 1u << 6;
constexpr uint32_t kStatusAlarm2 = 1u << 7;

// INTERRUPTS_REG (20.3.5.16).
constexpr uint32_t kInterruptsEveryMask = 0x3;  // 0 second, 1 minute, 2 hour, 3 day
constexpr uint32_t kInterruptsItTimer = 1u << 2;
constexpr uint32_t kInterruptsItAlarm = 1u << 3;
constexpr uint32_t kInterruptsItAlarm2 = 1u << 4;
constexpr uint32_t kInterruptsWritable = 0x1F;

// Other writable masks.
constexpr uint32_t kCompMask = 0xFF;
constexpr uint32_t kOscWritable = 0x5F;  // bit 5 reserved
constexpr uint32_t kSysconfigWritable = 0x3;
constexpr uint32_t kIrqWakeEnWritable = 0x3;
constexpr uint32_t kPmicWritable = 0x1FFFF;  // PWR_ENABLE_SM [18:17] is read-only
constexpr uint32_t kDebounceMask = 0xFF;

// Kick registers (20.3.3.5.3).
constexpr uint32_t kKick0Key = 0x83E70B13;
constexpr uint32_t kKick1Key = 0x95A4F1E0;
}  // namespace rtc

struct RtcParams {
    std::string stat_prefix;  // statistics prefix (default: the module name)
    // The time/calendar at reset (TRM reset values: 2000-01-01 00:00:00, WEEKS 0). year is
    // the two-digit year 0-99 (2000-2099), weekday 0 (Sunday) - 6.
    unsigned year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, weekday = 0;
    // CTRL.STOP_RTC at reset: false as in the TRM (the RTC is frozen until software starts
    // it); true for a board whose RTC kept running on its backup supply.
    bool running = false;
    uint64_t ocp_clock_hz = 100'000'000;  // width of the timer-interrupt pulse (1 OCP cycle)
    // Width of the timer-interrupt pulse; zero: one OCP cycle (TRM 20.3.5.15). A platform whose
    // INTC does not latch short pulses may widen it.
    sc_core::sc_time timer_pulse = sc_core::SC_ZERO_TIME;
    // STATUS.BUSY is set this long before each second update (TRM 20.3.3.5.5: 15 us).
    sc_core::sc_time busy_window = sc_core::sc_time(15, sc_core::SC_US);
};

class Rtc : public Peripheral {
  public:
    explicit Rtc(sc_core::sc_module_name name, const RtcParams& p = {});

    Wire irq_timer;  // RTCINT, INTC line 75: a one-OCP-cycle pulse per period
    Wire irq_alarm;  // RTCALARMINT, INTC line 76: level while an enabled alarm is pending

    struct DateTime {
        unsigned year, month, day, hour, minute, second, weekday;  // 24-hour, year 0-99
    };
    // The current time and date (at sc_time_stamp()), without side effects.
    DateTime now() const;
    bool running() const { return running_; }
    bool locked() const { return kick_state_ != kUnlocked; }

    void reset() override;

  protected:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;

  private:
    SC_HAS_PROCESS(Rtc);
    enum KickState : uint8_t { kLocked, kKick0Done, kUnlocked };
    using Action = std::function<void(Register&, uint32_t written, uint32_t old)>;

    Register& add_protected(const std::string& name, uint32_t offset, uint32_t reset,
                            uint32_t writable, Action action = {});
    void add_time_register(const std::string& name, uint32_t offset, uint32_t reset, uint32_t mask,
                           unsigned field);
    void write_time_field(unsigned field, uint32_t value);
    uint32_t encode_field(const DateTime& dt, unsigned field) const;
    bool decode_alarm(uint32_t first_offset, uint64_t& secs);
    void latch(const DateTime& dt);
    DateTime calendar(uint64_t secs) const;
    uint64_t seconds_now(const sc_core::sc_time& t) const;
    void advance_to(sc_core::sc_time t);
    void process_ticks(uint64_t k);
    uint64_t alarm_delta(uint32_t first_offset);
    uint64_t timer_period() const;
    void start(const sc_core::sc_time& t);
    void stop(const sc_core::sc_time& t);
    void update_alarm_irq(const sc_core::sc_time& t);
    uint32_t status_value(const sc_core::sc_time& t) const;
    bool busy_at(const sc_core::sc_time& t) const;
    void reset_at(const sc_core::sc_time& at);
    void reschedule();
    void on_event();

    RtcParams params_;
    uint64_t secs_ = 0;         // seconds since 2000-01-01 00:00:00, not wrapped at 2100
    int64_t week_ref_day_ = 0;  // WEEKS counts days: weekday = ref_val + (day - ref_day)
    unsigned week_ref_val_ = 0;
    bool running_ = false;
    bool round_pending_ = false;
    sc_core::sc_time base_;   // time of the second boundary secs_ belongs to (running)
    sc_core::sc_time phase_;  // time into the current second while stopped
    sc_core::sc_time last_;
    sc_core::sc_time pulse_end_ = sc_core::sc_max_time();
    uint32_t events_ = 0;  // STATUS ONE_*_EVENT bits of the last update
    KickState kick_state_ = kLocked;
    uint32_t shadow_[7] = {};  // TC values latched by a SECONDS read (20.3.3.5.4)

    Register* ctrl_ = nullptr;
    Register* status_ = nullptr;
    Register* interrupts_ = nullptr;

    sc_core::sc_event timer_event_;
    sc_core::sc_event alarm_event_;
    sc_core::sc_event pulse_event_;

    stats::Counter alarms_;
    stats::Counter timer_irqs_;
    stats::Counter locked_writes_;
};

}  // namespace vp
