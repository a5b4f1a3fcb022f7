// Power, Reset and Clock Management of the AM335x: one model for the whole PRCM window at
// 0x44E0_0000 (CM_PER, CM_WKUP, CM_DPLL, CM_MPU, CM_DEVICE, CM_RTC, CM_GFX, CM_CEFUSE and
// PRM_IRQ .. PRM_CEFUSE), SPRUH73 §8.1.12 / §8.1.13, reference/am335x.md §2, §3, §12, §16.
// docs/models/prcm.md.
//
//   vp::Prcm prcm("prcm", vp::PrcmParams{});
//   prcm.clock("cm_per.gpio1").connect(gpio1.clock_enable);   // gating of a module
//   prcm.on_timer_clock_change([&](unsigned t, double hz) { ... });
//   prcm.warm_reset.on_change([&](bool on, const sc_time&) { if (on) soc.reset(); });
//
// Module clocks. Every *_CLKCTRL register drives a vp::Wire named after it, TRM/U-Boot
// (0-based) register name lower-cased without the "_CLKCTRL" suffix: "cm_per.gpio1" is
// CM_PER_GPIO1_CLKCTRL (which Linux calls AM3_L4LS_GPIO2_CLKCTRL, am335x.md §2). The wire
// is high while MODULEMODE = 2 (ENABLE); 0 is DISABLED, 1 and 3 are reserved on AM335x and
// count as disabled. IDLEST reads 1 (transition) for `module_transition` after MODULEMODE
// changes between enabled and disabled, then 0 (functional) or 3 (disabled).
//
// DPLLs (MPU, CORE, PER, DDR, DISP). CLKMODE.DPLL_EN = 4 (MN bypass) reaches
// IDLEST = ST_MN_BYPASS after `dpll_bypass_time`; 7 (lock) reaches ST_DPLL_CLK after
// `dpll_lock_time` when M >= 2. Output frequencies follow the TRM formulas (am335x.md §12)
// and are reported by dpll_mhz() and on_clock_change() at the instant they change.
//
// Resets. PRM_RSTCTRL.RST_GLOBAL_WARM_SW (bit 0) / RST_GLOBAL_COLD_SW (bit 1) reset the
// PRCM's own registers (a warm reset spares the "warm reset insensitive" ones), record the
// cause in PRM_RSTST, pulse `warm_reset` and call the on_reset_request callbacks, which the
// platform uses to reset the other peripherals.
//
// WDT1. A rising edge on `wdt_reset_in` (WDT1's reset_request) is a global warm reset with
// PRM_RSTST.WDT1_RST (bit 4, Table 8-198) as its logged cause. It takes effect in a PRCM
// process at the instant of the edge (not inside the WDT's own call), so the platform's
// reset of every module, the WDT included, never re-enters the model that asked for it.
#pragma once

#include <systemc>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

namespace prcm {

// --- Blocks inside the PRCM window (am335x.md §1.2; SPRUH73 Table 2-2) ----------------------
inline constexpr uint32_t kCmPer = 0x0000;
inline constexpr uint32_t kCmWkup = 0x0400;
inline constexpr uint32_t kCmDpll = 0x0500;
inline constexpr uint32_t kCmMpu = 0x0600;
inline constexpr uint32_t kCmDevice = 0x0700;
inline constexpr uint32_t kCmRtc = 0x0800;
inline constexpr uint32_t kCmGfx = 0x0900;
inline constexpr uint32_t kCmCefuse = 0x0A00;
inline constexpr uint32_t kPrmIrq = 0x0B00;
inline constexpr uint32_t kPrmPer = 0x0C00;
inline constexpr uint32_t kPrmWkup = 0x0D00;
inline constexpr uint32_t kPrmMpu = 0x0E00;
inline constexpr uint32_t kPrmDevice = 0x0F00;
inline constexpr uint32_t kPrmRtc = 0x1000;
inline constexpr uint32_t kPrmGfx = 0x1100;
inline constexpr uint32_t kPrmCefuse = 0x1200;
inline constexpr uint32_t kWindowSize = 0x2000;  // 8 KiB, as the SoC configuration maps it

// --- Registers software sequences use (offsets in the window) -------------------------------
// CM_PER (Table 8-30)
inline constexpr uint32_t kCmPerL4lsClkstctrl = kCmPer + 0x00;
inline constexpr uint32_t kCmPerL3sClkstctrl = kCmPer + 0x04;
inline constexpr uint32_t kCmPerL4fwClkstctrl = kCmPer + 0x08;  // not in Table 8-30 [?]
inline constexpr uint32_t kCmPerL3Clkstctrl = kCmPer + 0x0C;
inline constexpr uint32_t kCmPerEmifClkctrl = kCmPer + 0x28;
inline constexpr uint32_t kCmPerI2c1Clkctrl = kCmPer + 0x48;
inline constexpr uint32_t kCmPerL4lsClkctrl = kCmPer + 0x60;
inline constexpr uint32_t kCmPerUart1Clkctrl = kCmPer + 0x6C;
inline constexpr uint32_t kCmPerTimer2Clkctrl = kCmPer + 0x80;
inline constexpr uint32_t kCmPerGpio1Clkctrl = kCmPer + 0xAC;
inline constexpr uint32_t kCmPerCpgmac0Clkctrl = kCmPer + 0x14;
inline constexpr uint32_t kCmPerL3Clkctrl = kCmPer + 0xE0;
// CM_WKUP (Table 8-89)
inline constexpr uint32_t kCmWkupClkstctrl = kCmWkup + 0x00;
inline constexpr uint32_t kCmWkupControlClkctrl = kCmWkup + 0x04;
inline constexpr uint32_t kCmWkupGpio0Clkctrl = kCmWkup + 0x08;
inline constexpr uint32_t kCmWkupL4wkupClkctrl = kCmWkup + 0x0C;
inline constexpr uint32_t kCmWkupTimer0Clkctrl = kCmWkup + 0x10;
inline constexpr uint32_t kCmWkupDebugssClkctrl = kCmWkup + 0x14;
inline constexpr uint32_t kCmIdlestDpllMpu = kCmWkup + 0x20;
inline constexpr uint32_t kCmClkselDpllMpu = kCmWkup + 0x2C;
inline constexpr uint32_t kCmIdlestDpllDdr = kCmWkup + 0x34;
inline constexpr uint32_t kCmClkselDpllDdr = kCmWkup + 0x40;
inline constexpr uint32_t kCmIdlestDpllDisp = kCmWkup + 0x48;
inline constexpr uint32_t kCmClkselDpllDisp = kCmWkup + 0x54;
inline constexpr uint32_t kCmIdlestDpllCore = kCmWkup + 0x5C;
inline constexpr uint32_t kCmClkselDpllCore = kCmWkup + 0x68;
inline constexpr uint32_t kCmIdlestDpllPer = kCmWkup + 0x70;
inline constexpr uint32_t kCmClkdcoldoDpllPer = kCmWkup + 0x7C;
inline constexpr uint32_t kCmDivM4DpllCore = kCmWkup + 0x80;
inline constexpr uint32_t kCmDivM5DpllCore = kCmWkup + 0x84;
inline constexpr uint32_t kCmClkmodeDpllMpu = kCmWkup + 0x88;
inline constexpr uint32_t kCmClkmodeDpllPer = kCmWkup + 0x8C;
inline constexpr uint32_t kCmClkmodeDpllCore = kCmWkup + 0x90;
inline constexpr uint32_t kCmClkmodeDpllDdr = kCmWkup + 0x94;
inline constexpr uint32_t kCmClkmodeDpllDisp = kCmWkup + 0x98;
inline constexpr uint32_t kCmClkselDpllPeriph = kCmWkup + 0x9C;
inline constexpr uint32_t kCmDivM2DpllDdr = kCmWkup + 0xA0;
inline constexpr uint32_t kCmDivM2DpllDisp = kCmWkup + 0xA4;
inline constexpr uint32_t kCmDivM2DpllMpu = kCmWkup + 0xA8;
inline constexpr uint32_t kCmDivM2DpllPer = kCmWkup + 0xAC;
inline constexpr uint32_t kCmWkupUart0Clkctrl = kCmWkup + 0xB4;
inline constexpr uint32_t kCmWkupI2c0Clkctrl = kCmWkup + 0xB8;
inline constexpr uint32_t kCmWkupTimer1Clkctrl = kCmWkup + 0xC4;
inline constexpr uint32_t kCmWkupWdt1Clkctrl = kCmWkup + 0xD4;
inline constexpr uint32_t kCmDivM6DpllCore = kCmWkup + 0xD8;
// CM_DPLL (Table 8-144)
inline constexpr uint32_t kClkselTimer7Clk = kCmDpll + 0x04;
inline constexpr uint32_t kClkselTimer2Clk = kCmDpll + 0x08;
inline constexpr uint32_t kClkselTimer3Clk = kCmDpll + 0x0C;
inline constexpr uint32_t kClkselTimer4Clk = kCmDpll + 0x10;
inline constexpr uint32_t kClkselTimer5Clk = kCmDpll + 0x18;
inline constexpr uint32_t kClkselTimer6Clk = kCmDpll + 0x1C;
inline constexpr uint32_t kClkselTimer1msClk = kCmDpll + 0x28;
// CM_MPU (Table 8-159)
inline constexpr uint32_t kCmMpuMpuClkctrl = kCmMpu + 0x04;
// PRM_DEVICE (Table 8-195)
inline constexpr uint32_t kPrmRstctrl = kPrmDevice + 0x00;
inline constexpr uint32_t kPrmRsttime = kPrmDevice + 0x04;
inline constexpr uint32_t kPrmRstst = kPrmDevice + 0x08;

// --- CLKCTRL / CLKSTCTRL fields (Table 8-34 and the like) ----------------------------------
inline constexpr uint32_t kModulemodeMask = 0x3;
inline constexpr uint32_t kModulemodeDisabled = 0;
inline constexpr uint32_t kModulemodeEnable = 2;
inline constexpr unsigned kIdlestShift = 16;
inline constexpr uint32_t kIdlestMask = 0x3u << kIdlestShift;
inline constexpr uint32_t kIdlestFunc = 0;
inline constexpr uint32_t kIdlestTrans = 1;
inline constexpr uint32_t kIdlestIdle = 2;
inline constexpr uint32_t kIdlestDisabled = 3;
inline constexpr uint32_t kStbyst = 1u << 18;             // masters: 1 = in standby
inline constexpr uint32_t kOptfclken = 1u << 18;          // GPIO debounce clock (R/W)
inline constexpr uint32_t kDebugssWritable = 0x7FF80003;  // Table 8-95
inline constexpr uint32_t kClktrctrlMask = 0x3;
inline constexpr uint32_t kClktrctrlNoSleep = 0;
inline constexpr uint32_t kClktrctrlSwSleep = 1;
inline constexpr uint32_t kClktrctrlSwWkup = 2;
inline constexpr uint32_t kClktrctrlReserved = 3;
inline constexpr uint32_t kClkctrlSlaveOffReset = 0x00030000;   // §16
inline constexpr uint32_t kClkctrlMasterOffReset = 0x00070000;  // §16 (STBYST = 1)

// --- DPLL fields (Tables 8-98, 8-101, 8-124, 8-129, 8-130, 8-122) --------------------------
inline constexpr uint32_t kDpllEnMask = 0x7;
inline constexpr uint32_t kDpllEnLowPowerStop = 1;  // PER only
inline constexpr uint32_t kDpllEnMnBypass = 4;
inline constexpr uint32_t kDpllEnIdleBypassLowPower = 5;
inline constexpr uint32_t kDpllEnIdleBypassFastRelock = 6;  // not PER
inline constexpr uint32_t kDpllEnLock = 7;
inline constexpr uint32_t kClkmodeWritable = 0xD7FF;     // SSC_ACK (13), REGM4XEN (11) R
inline constexpr uint32_t kClkmodePerWritable = 0xD007;  // Table 8-125
inline constexpr uint32_t kStDpllClk = 1u << 0;
inline constexpr uint32_t kStMnBypass = 1u << 8;
inline constexpr unsigned kMultShift = 8;
inline constexpr uint32_t kMultMask = 0x7FFu << kMultShift;  // 11 bits, M = 2..2047
inline constexpr uint32_t kDivMask = 0x7F;                   // N = 0..127
inline constexpr uint32_t kBypClksel = 1u << 23;
inline constexpr uint32_t kClkselWritable = kBypClksel | kMultMask | kDivMask;
inline constexpr uint32_t kClkselCoreWritable = kMultMask | kDivMask;
inline constexpr uint32_t kPerMultMask = 0xFFFu << kMultShift;  // 12 bits, M = 2..4095
inline constexpr uint32_t kPerDivMask = 0xFF;                   // N = 0..255
inline constexpr unsigned kPerSdDivShift = 24;
inline constexpr uint32_t kClkselPeriphWritable =
    (0xFFu << kPerSdDivShift) | kPerMultMask | kPerDivMask;
inline constexpr uint32_t kMinMult = 2;
inline constexpr uint32_t kDivM2Mask = 0x1F;     // M2 = 1..31
inline constexpr uint32_t kDivM2PerMask = 0x7F;  // PER: [6:0]
inline constexpr uint32_t kDivChack = 1u << 5;   // toggles when the divider changes
inline constexpr uint32_t kDivChackPer = 1u << 7;
inline constexpr uint32_t kGateCtrl = 1u << 8;
inline constexpr uint32_t kStClkout = 1u << 9;  // ST_DPLL_CLKOUT / ST_HSDIVIDER_CLKOUTx
inline constexpr uint32_t kHsdivPwdn = 1u << 12;
inline constexpr uint32_t kDivM2Writable = kGateCtrl | kDivM2Mask;
inline constexpr uint32_t kDivM2PerWritable = kGateCtrl | kDivM2PerMask;
inline constexpr uint32_t kHsdivWritable = kHsdivPwdn | kGateCtrl | kDivM2Mask;
inline constexpr uint32_t kClkdcoldoWritable = kHsdivPwdn | kGateCtrl;
inline constexpr uint32_t kDpllClkmodeReset = kDpllEnMnBypass;  // Tables 8-124..8-128
inline constexpr uint32_t kDivM2Reset = 1;                      // Tables 8-130..8-133
inline constexpr uint32_t kHsdivReset = 4;                      // Tables 8-122, 8-123, 8-143
inline constexpr double kCoreDcoFactor = 2.0;  // CORE DCO = 2 * M / (N + 1) * fref (§12)

// --- Timer clock muxes (Tables 8-145..8-153) ----------------------------------------------
inline constexpr uint32_t kTimerClkselMask = 0x3;
inline constexpr uint32_t kTimerClkselTclkin = 0;
inline constexpr uint32_t kTimerClkselMosc = 1;
inline constexpr uint32_t kTimerClksel32k = 2;
inline constexpr uint32_t kTimer1msClkselMask = 0x7;
inline constexpr uint32_t kTimer1msClkselMosc = 0;
inline constexpr uint32_t kTimer1msClksel32k = 1;
inline constexpr uint32_t kTimer1msClkselTclkin = 2;
inline constexpr uint32_t kTimer1msClkselRc32k = 3;
inline constexpr uint32_t kTimer1msClksel32768 = 4;
inline constexpr double kClk32kHz = 32768.0;    // CLK_32KHZ and the 32.768 kHz crystal
inline constexpr double kClkRc32kHz = 32000.0;  // on-chip RC oscillator [?]
inline constexpr unsigned kTimers = 8;          // DMTIMER0 .. DMTIMER7 (1 = DMTIMER1_1MS)

// --- PRM_DEVICE fields (Tables 8-196..8-198) -----------------------------------------------
inline constexpr uint32_t kRstGlobalWarmSw = 1u << 0;
inline constexpr uint32_t kRstGlobalColdSw = 1u << 1;
inline constexpr uint32_t kRstctrlWritable = kRstGlobalWarmSw | kRstGlobalColdSw;
inline constexpr uint32_t kRststGlobalColdRst = 1u << 0;
inline constexpr uint32_t kRststGlobalWarmSwRst = 1u << 1;
inline constexpr uint32_t kRststWdt1Rst = 1u << 4;
inline constexpr uint32_t kRststExternalWarmRst = 1u << 5;
inline constexpr uint32_t kRststIcepickRst = 1u << 9;
inline constexpr uint32_t kRststWritable = 0x23F;  // W1toClr bits 9, 5..0
inline constexpr uint32_t kRststReset = kRststGlobalColdRst;
inline constexpr uint32_t kRsttimeReset = 0x1006;

}  // namespace prcm

// A DPLL as boot firmware left it (locked with these factors at time 0 and after resets).
// dpll: "mpu", "core", "per", "ddr" or "disp". For "core", m4/m5/m6 set the HSDIVIDER
// (0 keeps the TRM reset value); the other DPLLs use m2.
struct DpllPreset {
    std::string dpll;
    unsigned m = 0;
    unsigned n = 0;
    unsigned m2 = 1;
    unsigned m4 = 0;
    unsigned m5 = 0;
    unsigned m6 = 0;
};

struct PrcmParams {
    std::string stat_prefix;                                // default: the module name
    double clk_m_osc_hz = 24e6;                             // CLK_M_OSC (crystal, §12)
    double tclkin_hz = 0;                                   // TCLKIN pin; 0 = not driven
    sc_core::sc_time module_transition{1, sc_core::SC_US};  // IDLEST = 1 time [?]
    sc_core::sc_time dpll_bypass_time{1, sc_core::SC_US};   // DPLL_EN=4 -> bypass [?]
    sc_core::sc_time dpll_lock_time{10, sc_core::SC_US};    // DPLL_EN=7 -> locked [?]
    // Modules whose CLKCTRL reads MODULEMODE = 2, IDLEST = 0 after every reset ("as U-Boot
    // left it"), by clock name ("cm_per.gpio1"). Default: TRM reset values.
    std::vector<std::string> enabled_at_start;
    std::vector<DpllPreset> dplls_at_start;
};

// warm_sw / cold_sw: PRM_RSTCTRL; wdt1: WDT1 expiry (wdt_reset_in), a warm reset.
enum class ResetKind { warm_sw, cold_sw, wdt1 };

class Prcm : public Peripheral {
  public:
    // Pulses high then low (same instant) when software requests a global reset.
    Wire warm_reset;
    // Input: WDT1's reset request (connect wdt1.reset_request to it). A rising edge is a
    // warm reset logged as PRM_RSTST.WDT1_RST.
    Wire wdt_reset_in;

    Prcm(sc_core::sc_module_name name, const PrcmParams& params = {});
    ~Prcm() override;

    // The clock-enable output of a CLKCTRL register, e.g. "cm_wkup.uart0". Throws
    // std::out_of_range naming the valid names for an unknown one.
    Wire& clock(const std::string& name);
    bool has_clock(const std::string& name) const;
    std::vector<std::string> clock_names() const;
    // IDLEST of a module at the current simulated time (0 functional .. 3 disabled).
    unsigned idlest(const std::string& name) const;

    // Output frequency of a DPLL at the current simulated time, in MHz: "mpu", "ddr",
    // "disp", "per" (CLKOUT after M2), "core_m4", "core_m5", "core_m6" (HSDIVIDER outputs).
    // Throws std::out_of_range for another name.
    double dpll_mhz(const std::string& output) const;
    std::vector<std::string> dpll_outputs() const;
    // Called with (output, MHz) when a DPLL output changes (at the exact simulated time).
    void on_clock_change(std::function<void(const std::string&, double)> f) {
        clock_listeners_.push_back(std::move(f));
    }

    // Functional clock of DMTIMERn (n = 0..7; 1 is DMTIMER1_1MS) in Hz, from
    // CLKSEL_TIMERn_CLK / CLKSEL_TIMER1MS_CLK (DMTIMER0 is fixed to CLK_RC32K).
    // Throws std::out_of_range for n > 7.
    double timer_clock_hz(unsigned timer) const;
    void on_timer_clock_change(std::function<void(unsigned, double)> f) {
        timer_listeners_.push_back(std::move(f));
    }

    // Called when software requests a global reset (after the PRCM has reset itself).
    void on_reset_request(std::function<void(ResetKind)> f) {
        reset_listeners_.push_back(std::move(f));
    }

    // Power-on reset: TRM reset values, then the enabled_at_start / dplls_at_start presets.
    void reset() override;

  private:
    struct Module;
    struct Dpll;

    void declare_registers();
    Module& add_module(const std::string& reg, uint32_t offset, const std::string& clock,
                       uint32_t reset, unsigned flags);
    Register& add_store(const std::string& reg, uint32_t offset, uint32_t reset, uint32_t writable,
                        bool warm_insensitive = false);
    void add_clkstctrl(const std::string& reg, uint32_t offset, uint32_t reset,
                       bool read_only = false);
    void add_dpll(const std::string& name, const std::string& up, uint32_t clkmode, uint32_t idlest,
                  uint32_t clksel, uint32_t div_m2, bool core, bool per);
    void add_timer_clksel(unsigned timer, const std::string& reg, uint32_t offset, uint32_t reset,
                          uint32_t mask);

    uint32_t module_value(const Module& m, const sc_core::sc_time& at) const;
    unsigned module_idlest(const Module& m, const sc_core::sc_time& at) const;
    void module_written(Module& m, uint32_t old);

    uint32_t dpll_status(const Dpll& d, const sc_core::sc_time& at) const;
    bool dpll_locked(const Dpll& d, const sc_core::sc_time& at) const;
    void clkmode_written(Dpll& d, uint32_t old);
    double output_mhz(const std::string& output, const sc_core::sc_time& at) const;
    void notify_clock_changes();
    void schedule_dpll_event();
    void dpll_process();

    double timer_hz_of(unsigned timer) const;
    void timer_clksel_written(unsigned timer, double old_hz);

    void apply_reset(bool warm, const sc_core::sc_time& offset);
    void apply_presets();
    void request_reset(ResetKind kind, const sc_core::sc_time& offset);
    void wdt_reset_process();

    PrcmParams params_;
    std::vector<std::unique_ptr<Module>> modules_;
    std::map<std::string, Module*> by_clock_;
    std::vector<std::unique_ptr<Dpll>> dplls_;
    std::map<std::string, Dpll*> by_dpll_;
    std::vector<Register*> warm_insensitive_;
    std::vector<Register*> timer_clksel_;  // index = timer, nullptr for DMTIMER0
    std::map<std::string, double> notified_mhz_;
    sc_core::sc_event dpll_event_;
    sc_core::sc_event wdt_reset_event_;
    std::vector<std::function<void(const std::string&, double)>> clock_listeners_;
    std::vector<std::function<void(unsigned, double)>> timer_listeners_;
    std::vector<std::function<void(ResetKind)>> reset_listeners_;

    stats::Counter module_enables_;
    stats::Counter dpll_locks_;
    stats::Counter warm_resets_;
    stats::Counter wdt_resets_;
};

}  // namespace vp
