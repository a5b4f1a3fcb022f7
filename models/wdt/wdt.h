// WDT1, the AM335x watchdog timer (TRM SPRUH73 §20.4): an up-counter on the 32 kHz clock that
// runs from reset (about 2 s to the first expiry, Table 20-105), stopped and started with the
// WSPR sequences 0xAAAA/0x5555 and 0xBBBB/0x4444, reloaded by writing a new value to WTGR.
// Functional-register writes are posted: WWPS shows them pending until they are resynchronised
// into the 32 kHz domain. An overflow pulses `reset_request` (the PRCM turns it into a warm
// reset) and sets EVENT_OVF; the counter reaching WDLY sets EVENT_DLY; the interrupt line
// (INTC 91) is asserted while an enabled event is pending. Linux driver: omap_wdt; U-Boot
// disables it in SPL (hw_watchdog_disable). See docs/models/wdt.md.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

namespace wdt {
constexpr uint32_t kWindowSize = 0x1000;  // 4 KB at 0x44E3_5000

// Register offsets (TRM Table 20-111).
constexpr uint32_t kWidr = 0x00;
constexpr uint32_t kWdsc = 0x10;
constexpr uint32_t kWdst = 0x14;
constexpr uint32_t kWisr = 0x18;
constexpr uint32_t kWier = 0x1C;
constexpr uint32_t kWclr = 0x24;
constexpr uint32_t kWcrr = 0x28;
constexpr uint32_t kWldr = 0x2C;
constexpr uint32_t kWtgr = 0x30;
constexpr uint32_t kWwps = 0x34;
constexpr uint32_t kWdly = 0x44;
constexpr uint32_t kWspr = 0x48;
constexpr uint32_t kWirqStatRaw = 0x54;
constexpr uint32_t kWirqStat = 0x58;
constexpr uint32_t kWirqEnSet = 0x5C;
constexpr uint32_t kWirqEnClr = 0x60;

// Reset values (TRM §20.4.4.1).
constexpr uint32_t kWidrReset = 0x0;         // 20.4.4.1.1
constexpr uint32_t kWdscReset = 0x10;        // 20.4.4.1.2: IDLEMODE = 2 (smart idle)
constexpr uint32_t kWdstReset = 0x1;         // 20.4.4.1.3: RESETDONE
constexpr uint32_t kWclrReset = 0x20;        // 20.4.4.1.6: PRE = 1, PTV = 0
constexpr uint32_t kWldrReset = 0xFFFFFFBE;  // Table 20-102 (the register heading says 0)

// WDSC (20.4.4.1.2).
constexpr uint32_t kWdscSoftreset = 1u << 1;
constexpr unsigned kWdscIdlemodeShift = 3;
constexpr uint32_t kWdscEmufree = 1u << 5;
constexpr uint32_t kWdscWritable = kWdscSoftreset | (3u << kWdscIdlemodeShift) | kWdscEmufree;

// WDST (20.4.4.1.3).
constexpr uint32_t kWdstResetdone = 1u << 0;

// WCLR (20.4.4.1.6): PS = 2^PTV when PRE = 1, else 1 (Table 20-103).
constexpr unsigned kWclrPtvShift = 2;
constexpr uint32_t kWclrPtvMask = 7u << kWclrPtvShift;
constexpr uint32_t kWclrPre = 1u << 5;
constexpr uint32_t kWclrWritable = kWclrPtvMask | kWclrPre;

// Interrupt events (WISR / WIER / WIRQSTATRAW / WIRQSTAT / WIRQENSET / WIRQENCLR).
constexpr uint32_t kEventOvf = 1u << 0;
constexpr uint32_t kEventDly = 1u << 1;
constexpr uint32_t kEventAll = kEventOvf | kEventDly;

// WWPS bits (20.4.4.1.10).
constexpr uint32_t kWwpsWclr = 1u << 0;
constexpr uint32_t kWwpsWcrr = 1u << 1;
constexpr uint32_t kWwpsWldr = 1u << 2;
constexpr uint32_t kWwpsWtgr = 1u << 3;
constexpr uint32_t kWwpsWspr = 1u << 4;
constexpr uint32_t kWwpsWdly = 1u << 5;

// WSPR start/stop sequences (20.4.3.8): the low 16 bits count.
constexpr uint32_t kWsprKeyMask = 0xFFFF;
constexpr uint32_t kWsprDisable1 = 0xAAAA;
constexpr uint32_t kWsprDisable2 = 0x5555;
constexpr uint32_t kWsprEnable1 = 0xBBBB;
constexpr uint32_t kWsprEnable2 = 0x4444;

constexpr uint64_t kCounterWrap = 1ull << 32;
}  // namespace wdt

struct WdtParams {
    std::string stat_prefix;              // statistics prefix (default: the module name)
    uint64_t clock_hz = 32768;            // WDT1 functional clock (CLK_32KHZ)
    uint64_t ocp_clock_hz = 100'000'000;  // L4_WKUP interface clock (§16)
    // Time from reset to the first expiry: "2 s" (TRM Table 20-105). Sets the counter's
    // start value; must be a whole number of (prescaler 1) clock ticks and at least one.
    sc_core::sc_time first_timeout = sc_core::sc_time(2, sc_core::SC_SEC);
};

class Wdt : public Peripheral {
  public:
    explicit Wdt(sc_core::sc_module_name name, const WdtParams& p = {});

    Wire irq;            // WDT1 interrupt, INTC line 91 (level, high = asserted)
    Wire reset_request;  // pulses high for one prescaled tick at each expiry (to the PRCM)

    void reset() override;
    bool running() const { return running_; }
    uint64_t expiries() const { return expiries_.get(); }

  protected:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;

  private:
    SC_HAS_PROCESS(Wdt);
    enum Func : unsigned { kFWclr, kFWcrr, kFWldr, kFWtgr, kFWspr, kFWdly, kFuncCount };
    struct Pending {
        bool has_value = false;
        uint32_t value = 0;
        sc_core::sc_time land;
        bool wwps = false;
        sc_core::sc_time clear;
    };

    Register& add_posted(const std::string& name, uint32_t offset, Func f, uint32_t reset,
                         uint32_t writable);
    void post(Func f, uint32_t value);
    void apply(Func f, uint32_t value, const sc_core::sc_time& t);
    void advance_to(sc_core::sc_time t);
    uint32_t count_at(const sc_core::sc_time& t) const;
    void rebase(const sc_core::sc_time& t);
    void reload(const sc_core::sc_time& t, bool overflow);
    uint64_t ticks_at(const sc_core::sc_time& t) const;
    sc_core::sc_time tick_instant(uint64_t k) const;
    sc_core::sc_time next_overflow() const;
    sc_core::sc_time next_delay() const;
    sc_core::sc_time next_sync() const;
    void do_overflow(const sc_core::sc_time& t);
    void do_delay(const sc_core::sc_time& t);
    void raise(uint32_t events, const sc_core::sc_time& t);
    void update_irq(const sc_core::sc_time& t);
    void update_wwps();
    void reset_at(const sc_core::sc_time& at);
    sc_core::sc_time land_delay() const;
    sc_core::sc_time wwps_delay() const;
    void reschedule();
    void on_event();

    uint64_t clock_hz_;
    uint64_t ocp_hz_;
    uint32_t first_count_;  // counter value at reset (from WdtParams::first_timeout)

    bool running_ = true;
    uint64_t divider_ = 1;  // prescaler in use (WCLR is considered at reload, 20.4.3.9)
    // While running the counter is count_base_ at tick anchor_ticks_ after anchor_ (the last
    // prescaler reset); instants are anchor_ + ceil(k * PS / fclk).
    uint32_t count_base_ = 0;
    sc_core::sc_time anchor_;
    uint64_t anchor_ticks_ = 0;
    sc_core::sc_time now_;
    uint32_t last_wspr_ = 0;  // last landed WSPR value, for the two-write sequences
    uint32_t last_wtgr_ = 0;  // last landed WTGR value: a different one reloads
    sc_core::sc_time pulse_end_ = sc_core::sc_max_time();
    std::array<Pending, kFuncCount> pending_{};

    Register* wcrr_ = nullptr;
    Register* wldr_ = nullptr;
    Register* wclr_ = nullptr;
    Register* wdly_ = nullptr;
    Register* wwps_ = nullptr;
    Register* raw_ = nullptr;
    Register* enable_ = nullptr;
    std::array<Register*, kFuncCount> func_regs_{};

    sc_core::sc_event overflow_event_;
    sc_core::sc_event delay_event_;
    sc_core::sc_event sync_event_;

    stats::Counter expiries_;
    stats::Counter discarded_writes_;
};

}  // namespace vp
