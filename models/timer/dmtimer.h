// DMTIMER0 and DMTIMER2-7 of the AM335x (TRM SPRUH73 §20.1, the OMAP4-style "v2" layout),
// and the counting engine shared with DMTIMER1_1MS (dmtimer_1ms.h, §20.2).
//
// The counter is never ticked: its value is computed from the simulated time since the last
// start/reload/write, the prescaler and the functional clock. The next overflow, the next
// match and the next posted-write resynchronisation are each one sc_event, re-armed after
// every access. Reads of TCRR use the reader's local time (sc_time_stamp() + the annotated
// delay). Posted mode (TSICR.POSTED=1, the reset value) acknowledges functional writes at once
// and lands them 1 OCP + 2.5 timer clocks later, with the TWPS bit set until 3 OCP + 2.5 timer
// clocks; non-posted mode stalls the access by 3 OCP + 2.5 timer clocks instead (§20.1.3.9-11).
// See docs/models/dmtimer.md for the choices made where the TRM is silent.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

namespace dmtimer {
// Register window (TRM Table 2-3: 4 KB per timer).
constexpr uint32_t kWindowSize = 0x1000;

// v2 register offsets (TRM Table 20-10).
constexpr uint32_t kTidr = 0x00;
constexpr uint32_t kTiocpCfg = 0x10;
constexpr uint32_t kIrqEoi = 0x20;
constexpr uint32_t kIrqStatusRaw = 0x24;
constexpr uint32_t kIrqStatus = 0x28;
constexpr uint32_t kIrqEnableSet = 0x2C;
constexpr uint32_t kIrqEnableClr = 0x30;
constexpr uint32_t kIrqWakeEn = 0x34;
constexpr uint32_t kTclr = 0x38;
constexpr uint32_t kTcrr = 0x3C;
constexpr uint32_t kTldr = 0x40;
constexpr uint32_t kTtgr = 0x44;
constexpr uint32_t kTwps = 0x48;
constexpr uint32_t kTmar = 0x4C;
constexpr uint32_t kTcar1 = 0x50;
constexpr uint32_t kTsicr = 0x54;
constexpr uint32_t kTcar2 = 0x58;

// Reset values (TRM §20.1.5).
constexpr uint32_t kTidrReset = 0x40000100;  // 20.1.5.1
constexpr uint32_t kTtgrRead = 0xFFFFFFFF;   // 20.1.5.12: TTGR always reads all ones
constexpr uint32_t kTsicrReset = 0x4;        // 20.1.5.16: POSTED = 1 in the field table

// TIOCP_CFG (v2, 20.1.5.2).
constexpr uint32_t kTiocpSoftreset = 1u << 0;
constexpr uint32_t kTiocpEmufree = 1u << 1;
constexpr unsigned kTiocpIdlemodeShift = 2;
constexpr uint32_t kTiocpWritable = 0xF;

// Interrupt bits of IRQSTATUS_RAW / IRQSTATUS / IRQENABLE_* / IRQWAKEEN (and v1 TISR/TIER).
constexpr uint32_t kIrqMat = 1u << 0;
constexpr uint32_t kIrqOvf = 1u << 1;
constexpr uint32_t kIrqTcar = 1u << 2;
constexpr uint32_t kIrqAll = kIrqMat | kIrqOvf | kIrqTcar;

// IRQ_EOI (20.1.5.3).
constexpr uint32_t kIrqEoiDmaAck = 1u << 0;

// TCLR (20.1.5.9).
constexpr uint32_t kTclrSt = 1u << 0;
constexpr uint32_t kTclrAr = 1u << 1;
constexpr unsigned kTclrPtvShift = 2;
constexpr uint32_t kTclrPtvMask = 7u << kTclrPtvShift;
constexpr uint32_t kTclrPre = 1u << 5;
constexpr uint32_t kTclrCe = 1u << 6;
constexpr uint32_t kTclrScpwm = 1u << 7;
constexpr unsigned kTclrTcmShift = 8;
constexpr uint32_t kTclrTcmMask = 3u << kTclrTcmShift;
constexpr unsigned kTclrTrgShift = 10;
constexpr uint32_t kTclrPt = 1u << 12;
constexpr uint32_t kTclrCaptMode = 1u << 13;
constexpr uint32_t kTclrGpoCfg = 1u << 14;
constexpr uint32_t kTclrWritable = 0x7FFF;
// TCLR.TCM values.
constexpr uint32_t kTcmNone = 0;
constexpr uint32_t kTcmRising = 1;
constexpr uint32_t kTcmFalling = 2;
constexpr uint32_t kTcmBoth = 3;

// TSICR (20.1.5.16).
constexpr uint32_t kTsicrSft = 1u << 1;
constexpr uint32_t kTsicrPosted = 1u << 2;
constexpr uint32_t kTsicrWritable = kTsicrSft | kTsicrPosted;

// TWPS bits (20.1.5.13; the 1 ms timer adds bits 5-9, 20.2.4.11).
constexpr uint32_t kTwpsTclr = 1u << 0;
constexpr uint32_t kTwpsTcrr = 1u << 1;
constexpr uint32_t kTwpsTldr = 1u << 2;
constexpr uint32_t kTwpsTtgr = 1u << 3;
constexpr uint32_t kTwpsTmar = 1u << 4;

// Counter overflow: the count wraps past 0xFFFF_FFFF (20.1.3.1).
constexpr uint64_t kCounterWrap = 1ull << 32;
}  // namespace dmtimer

struct DmTimerParams {
    std::string stat_prefix;              // statistics prefix (default: the module name)
    uint64_t clock_hz = 24'000'000;       // functional clock: CLK_M_OSC (CLKSEL reset, §16)
    uint64_t ocp_clock_hz = 100'000'000;  // L4 interface clock (§12: L4LS / L4_WKUP 100 MHz)
};

// The counting engine and the functional registers common to both register layouts.
class DmTimerBase : public Peripheral {
  public:
    // Interrupt request (level, high = asserted) to the INTC.
    Wire irq;
    // PIEVENTCAPT: the capture input pin (TCLR.TCM selects the edges).
    Wire capture_in;

    // The functional clock changed (the PRCM's CLKSEL_TIMERn_CLK). `offset`: the caller's
    // local-time offset; the counter keeps its value and continues at the new rate.
    void set_clock_hz(uint64_t hz, const sc_core::sc_time& offset = sc_core::SC_ZERO_TIME);
    uint64_t clock_hz() const { return clock_hz_; }
    uint64_t ocp_clock_hz() const { return ocp_hz_; }

    void reset() override;

    // Whether the counter is counting (TCLR.ST and the module clock on).
    bool counting() const { return counting_; }
    // The counter value at sc_time_stamp() + offset, without side effects (debug view).
    uint32_t counter_at(const sc_core::sc_time& offset = sc_core::SC_ZERO_TIME) const;

    // Resynchronisation delays of TRM §20.1.3.10-11 at the current clocks.
    sc_core::sc_time write_accomplish_delay() const;  // 1 OCP + 2.5 timer clocks
    sc_core::sc_time resync_delay() const;            // 3 OCP + 2.5 timer clocks

  protected:
    // Functional registers that go through the timer clock domain. The order is the TWPS
    // bit order of the 1 ms timer (20.2.4.11); the v2 timer has the first five.
    enum Func : unsigned {
        kFTclr,
        kFTcrr,
        kFTldr,
        kFTtgr,
        kFTmar,
        kFTpir,
        kFTnir,
        kFTcvr,
        kFTocr,
        kFTowr,
        kFuncCount
    };

    struct Layout {
        uint32_t tclr, tcrr, tldr, ttgr, twps, tmar, tcar1, tsicr, tcar2;
    };

    DmTimerBase(sc_core::sc_module_name name, const DmTimerParams& p);
    SC_HAS_PROCESS(DmTimerBase);

    // Declares TCLR, TCRR, TLDR, TTGR, TWPS, TMAR, TCAR1, TSICR and TCAR2.
    void declare_functional_registers(const Layout& l);
    // A register whose writes resynchronise into the timer clock domain (posted or not).
    Register& add_posted(const std::string& name, uint32_t offset, Func f, uint32_t reset,
                         uint32_t writable);

    // Layout-specific hooks.
    virtual void raise_events(uint32_t bits, const sc_core::sc_time& at) = 0;
    virtual void clear_capture_flag(const sc_core::sc_time& at) = 0;
    virtual uint32_t reload_value(const sc_core::sc_time& at);
    virtual void apply_extra(Func f, uint32_t value, const sc_core::sc_time& at);
    virtual void reset_extra() {}

    // Processes every internal instant (landing, overflow, match) up to `t`.
    void advance_to(sc_core::sc_time t);
    // The TCAR status was cleared by software: a new capture may happen (20.1.3.2).
    void rearm_capture() { capture_state_ = kCaptureIdle; }
    void drive_irq(bool level, const sc_core::sc_time& at);
    // Whole-module reset at `at` (TIOCP_CFG.SOFTRESET, or reset()).
    void reset_at(const sc_core::sc_time& at);

    uint32_t tldr() const { return tldr_; }
    Register* func_reg(Func f) const { return func_regs_[f]; }
    const sc_core::sc_time& model_time() const { return now_; }

    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;

  private:
    enum CaptureState : uint8_t { kCaptureIdle, kCaptureFirstDone, kCaptureDone };
    struct Pending {
        bool has_value = false;  // a value still to land
        uint32_t value = 0;
        sc_core::sc_time land;   // when the value takes effect
        bool twps = false;       // TWPS bit set (posted mode)
        sc_core::sc_time clear;  // when the TWPS bit clears
    };

    uint64_t divider() const;
    uint64_t ticks_at(const sc_core::sc_time& t) const;
    sc_core::sc_time tick_instant(uint64_t k) const;
    void restart_grid(const sc_core::sc_time& t);
    uint32_t count_at(const sc_core::sc_time& t) const;
    void rebase(const sc_core::sc_time& t);
    void update_counting(const sc_core::sc_time& t);
    sc_core::sc_time next_overflow() const;
    sc_core::sc_time next_match() const;
    sc_core::sc_time next_sync() const;
    void process_sync(const sc_core::sc_time& t);
    void do_overflow(const sc_core::sc_time& t);
    void do_match(const sc_core::sc_time& t);
    void check_match(const sc_core::sc_time& t);
    void apply(Func f, uint32_t value, const sc_core::sc_time& t);
    void apply_tclr(uint32_t value, const sc_core::sc_time& t);
    void post(Func f, uint32_t value);
    uint32_t read_counter();
    uint32_t read_capture(Register& r);
    void update_twps();
    void functional_reset(const sc_core::sc_time& at);
    void on_capture_edge(bool level, const sc_core::sc_time& at);
    void on_gate(bool on, const sc_core::sc_time& at);
    void reschedule();
    void on_event();

    uint64_t clock_hz_;
    uint64_t ocp_hz_;

    // Effective (landed) functional state.
    uint32_t tclr_ = 0;
    uint32_t tldr_ = 0;
    uint32_t tmar_ = 0;
    bool gate_on_ = true;
    bool counting_ = false;
    // While counting, the counter is count_base_ at prescaled tick number anchor_ticks_
    // after anchor_ (the last prescaler reset): instants are anchor_ + ceil(k * PS / fclk),
    // so rounding to the time resolution never accumulates over reloads.
    uint32_t count_base_ = 0;
    sc_core::sc_time anchor_;
    uint64_t anchor_ticks_ = 0;
    sc_core::sc_time now_;  // model time processed so far
    sc_core::sc_time last_tclr_land_ = sc_core::sc_max_time();
    CaptureState capture_state_ = kCaptureIdle;
    std::array<Pending, kFuncCount> pending_{};
    std::array<Register*, kFuncCount> func_regs_{};
    Register* twps_ = nullptr;
    Register* tsicr_ = nullptr;
    Register* tcar1_ = nullptr;
    Register* tcar2_ = nullptr;
    sc_core::sc_time extra_delay_;

    sc_core::sc_event overflow_event_;
    sc_core::sc_event match_event_;
    sc_core::sc_event sync_event_;

    stats::Counter overflows_;
    stats::Counter matches_;
    stats::Counter captures_;
    stats::Counter discarded_writes_;
};

// DMTIMER0 / DMTIMER2-7 (v2 layout, TRM §20.1.5). Linux driver: timer-ti-dm.
class DmTimer : public DmTimerBase {
  public:
    explicit DmTimer(sc_core::sc_module_name name, const DmTimerParams& p = {});

  protected:
    void raise_events(uint32_t bits, const sc_core::sc_time& at) override;
    void clear_capture_flag(const sc_core::sc_time& at) override;

  private:
    void update_irq(const sc_core::sc_time& at);

    Register* raw_ = nullptr;
    Register* status_ = nullptr;
    Register* enable_set_ = nullptr;
    Register* enable_clr_ = nullptr;
};

}  // namespace vp
