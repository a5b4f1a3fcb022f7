// GPIO0-3 of the AM335x (TRM SPRUH73 chapter 25, the OMAP4-style "GPIO v2" module): 32 pins
// per bank, two interrupt lines (A = line 0, B = line 1), level and edge detection, per-pin
// debounce on the 32 kHz debounce clock, set/clear data-out registers.
//
// Pins: pin_out(n) is the level the module drives on pad n (DATAOUT[n] when OE[n] = 0, low
// when the output driver is off) and pin_oe(n) is high while it drives; the board drives
// pin_in(n). What DATAIN and the event detectors see is the pad: DATAOUT for an output pin
// (the output driver wins over the board), pin_in(n) for an input pin — through the pad's
// input buffer, which exists only while the Control Module's conf_<pad>.RXACTIVE is set
// (GpioParams::rx_active; a pad without it reads 0), and through the debouncer when
// DEBOUNCENABLE[n] is set. Linux driver: gpio-omap. See docs/models/gpio.md.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

namespace gpio {
constexpr uint32_t kWindowSize = 0x1000;  // TRM Table 2-3: 4 KB per bank
constexpr unsigned kPins = 32;
constexpr unsigned kIrqLines = 2;

// Register offsets (TRM Table 25-5).
constexpr uint32_t kRevision = 0x000;
constexpr uint32_t kSysconfig = 0x010;
constexpr uint32_t kEoi = 0x020;
constexpr uint32_t kIrqStatusRaw0 = 0x024;
constexpr uint32_t kIrqStatusRaw1 = 0x028;
constexpr uint32_t kIrqStatus0 = 0x02C;
constexpr uint32_t kIrqStatus1 = 0x030;
constexpr uint32_t kIrqStatusSet0 = 0x034;
constexpr uint32_t kIrqStatusSet1 = 0x038;
constexpr uint32_t kIrqStatusClr0 = 0x03C;
constexpr uint32_t kIrqStatusClr1 = 0x040;
constexpr uint32_t kIrqWaken0 = 0x044;
constexpr uint32_t kIrqWaken1 = 0x048;
constexpr uint32_t kSysstatus = 0x114;
constexpr uint32_t kCtrl = 0x130;
constexpr uint32_t kOe = 0x134;
constexpr uint32_t kDatain = 0x138;
constexpr uint32_t kDataout = 0x13C;
constexpr uint32_t kLevelDetect0 = 0x140;
constexpr uint32_t kLevelDetect1 = 0x144;
constexpr uint32_t kRisingDetect = 0x148;
constexpr uint32_t kFallingDetect = 0x14C;
constexpr uint32_t kDebounceEnable = 0x150;
constexpr uint32_t kDebouncingTime = 0x154;
constexpr uint32_t kClearDataout = 0x190;
constexpr uint32_t kSetDataout = 0x194;

// Reset values (TRM §25.4.1).
constexpr uint32_t kRevisionReset = 0x50600801;  // 25.4.1.1
constexpr uint32_t kOeReset = 0xFFFFFFFF;        // 25.4.1.16: every pin an input

// SYSCONFIG (25.4.1.2).
constexpr uint32_t kSysconfigAutoidle = 1u << 0;
constexpr uint32_t kSysconfigSoftreset = 1u << 1;
constexpr uint32_t kSysconfigEnawakeup = 1u << 2;
constexpr unsigned kSysconfigIdlemodeShift = 3;
constexpr uint32_t kSysconfigWritable = 0x1F;

// EOI (25.4.1.3).
constexpr uint32_t kEoiDmaAck = 1u << 0;

// SYSSTATUS (25.4.1.14).
constexpr uint32_t kSysstatusResetdone = 1u << 0;

// CTRL (25.4.1.15).
constexpr uint32_t kCtrlDisablemodule = 1u << 0;
constexpr unsigned kCtrlGatingratioShift = 1;
constexpr uint32_t kCtrlWritable = 0x7;

// DEBOUNCINGTIME (25.4.1.24): debounce = (DEBOUNCETIME + 1) debounce-clock cycles.
constexpr uint32_t kDebounceTimeMask = 0xFF;
}  // namespace gpio

struct GpioParams {
    std::string stat_prefix;             // statistics prefix (default: the module name)
    uint64_t debounce_clock_hz = 32768;  // GPIOn_GDBCLK (TRM 25.3.2.1: the 32 kHz clock)
    // Whether pad `pin` of this bank has its input buffer on (Control Module conf_<pad>
    // RXACTIVE, bit 5). Empty: always on.
    std::function<bool(unsigned pin)> rx_active;
};

class Gpio : public Peripheral {
  public:
    explicit Gpio(sc_core::sc_module_name name, const GpioParams& p = {});

    // Interrupt lines A (irq[0], IRQSTATUS_0) and B (irq[1], IRQSTATUS_1), level, high =
    // asserted. AM335x INTC lines: GPIO0 96/97, GPIO1 98/99, GPIO2 32/33, GPIO3 62/63.
    Wire irq[gpio::kIrqLines];
    // The debounce clock (CM_*_GPIOn_CLKCTRL.OPTFCLKEN_GPIO_n_GDBCLK, bit 18). High until
    // driven. While it is low, debounced inputs are frozen (TRM 25.3.1).
    Wire debounce_clock;

    Wire& pin_in(unsigned n);   // driven by the board
    Wire& pin_out(unsigned n);  // driven by the module
    Wire& pin_oe(unsigned n);   // high while the module drives pad n (OE[n] = 0)

    // The Control Module changed a pad's configuration (RXACTIVE): re-sample the pins.
    void pad_config_changed(const sc_core::sc_time& offset = sc_core::SC_ZERO_TIME);

    void reset() override;

    // The levels the module sees on its 32 pads now (after RXACTIVE and debounce) = DATAIN.
    uint32_t input_levels() const { return detected_; }
    sc_core::sc_time debounce_time() const;

  protected:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;

  private:
    SC_HAS_PROCESS(Gpio);
    void reset_at(const sc_core::sc_time& at);
    uint32_t pad_levels() const;
    uint32_t rx_mask() const;
    bool detecting() const;
    void evaluate(sc_core::sc_time t);
    void advance_debounce(const sc_core::sc_time& t);
    void set_detected(uint32_t levels, uint32_t which, const sc_core::sc_time& t);
    void apply_levels(const sc_core::sc_time& t);
    void raise(uint32_t events, const sc_core::sc_time& t);
    void update_irq(const sc_core::sc_time& t);
    void drive_outputs(const sc_core::sc_time& t);
    void set_dataout(uint32_t v);
    void reschedule();
    void on_debounce_event();

    std::function<bool(unsigned)> rx_active_;
    uint64_t debounce_hz_;

    std::array<Wire, gpio::kPins> pin_in_;
    std::array<Wire, gpio::kPins> pin_out_;
    std::array<Wire, gpio::kPins> pin_oe_;

    uint32_t inputs_ = 0;    // levels the board drives on pin_in
    uint32_t detected_ = 0;  // levels after RXACTIVE and debounce: DATAIN, edge detection
    uint32_t pending_ = 0;   // debounced pins waiting for their input to stay stable
    std::array<sc_core::sc_time, gpio::kPins> deadline_{};
    sc_core::sc_time last_;  // latest time processed
    sc_core::sc_event debounce_event_;

    Register* raw_[gpio::kIrqLines] = {};
    Register* status_[gpio::kIrqLines] = {};
    Register* set_[gpio::kIrqLines] = {};
    Register* clr_[gpio::kIrqLines] = {};
    Register* oe_ = nullptr;
    Register* dataout_ = nullptr;
    Register* setdataout_ = nullptr;
    Register* cleardataout_ = nullptr;
    Register* leveldetect0_ = nullptr;
    Register* leveldetect1_ = nullptr;
    Register* rising_ = nullptr;
    Register* falling_ = nullptr;
    Register* debounce_en_ = nullptr;
    Register* debounce_time_ = nullptr;
    Register* ctrl_ = nullptr;

    stats::Counter edge_events_;
    stats::Counter level_events_;
};

}  // namespace vp
