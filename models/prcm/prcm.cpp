#include "models/prcm/prcm.h"

#include <algorithm>
#include <stdexcept>

namespace vp {

using namespace prcm;
using sc_core::sc_time;

namespace {

// CLKCTRL flavours.
enum ModuleFlags : unsigned {
    kMaster = 1u << 0,    // has STBYST (bit 18): an initiator module
    kOptClock = 1u << 1,  // bit 18 is an R/W optional functional clock enable (GPIO)
    kRoMode = 1u << 2,    // MODULEMODE is read-only (L4WKUP, WKUP_M3): a static register
    kDebugss = 1u << 3,   // CM_WKUP_DEBUGSS_CLKCTRL: extra R/W fields
};

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

struct Prcm::Module {
    std::string clock_name;
    Register* reg = nullptr;
    std::unique_ptr<Wire> wire;
    unsigned flags = 0;
    bool enabled = false;
    unsigned final_idlest = kIdlestDisabled;
    unsigned transit_idlest = kIdlestTrans;  // what IDLEST reads until change_at
    sc_time change_at = sc_core::SC_ZERO_TIME;
};

struct Prcm::Dpll {
    enum class Mode { stop, mn_bypass, idle_bypass, locked };
    std::string name;
    bool core = false;
    bool per = false;
    Register* clkmode = nullptr;
    Register* idlest = nullptr;
    Register* clksel = nullptr;
    Register* m2 = nullptr;                            // MPU, DDR, DISP, PER
    Register* hsdiv[3] = {nullptr, nullptr, nullptr};  // CORE M4, M5, M6
    Mode before = Mode::mn_bypass;
    Mode after = Mode::mn_bypass;
    sc_time change_at = sc_core::SC_ZERO_TIME;
    bool pending = false;
    Mode mode_at(const sc_time& at) const { return at >= change_at ? after : before; }
    uint32_t mult() const {
        return (clksel->get() & (per ? kPerMultMask : kMultMask)) >> kMultShift;
    }
    uint32_t div() const { return clksel->get() & (per ? kPerDivMask : kDivMask); }
};

Prcm::Prcm(sc_core::sc_module_name name, const PrcmParams& params)
    : Peripheral(name, kWindowSize, params.stat_prefix),
      warm_reset(std::string(this->name()) + ".warm_reset"),
      wdt_reset_in(std::string(this->name()) + ".wdt_reset_in"),
      params_(params),
      module_enables_(stat_prefix() + ".module_enables", "CLKCTRL MODULEMODE enable writes"),
      dpll_locks_(stat_prefix() + ".dpll_locks", "DPLL lock requests"),
      warm_resets_(stat_prefix() + ".warm_resets", "software global resets requested"),
      wdt_resets_(stat_prefix() + ".wdt_resets", "warm resets requested by WDT1") {
    if (!(params.clk_m_osc_hz > 0))
        throw std::invalid_argument(std::string(this->name()) +
                                    ": PrcmParams.clk_m_osc_hz must be more than 0");
    if (params.tclkin_hz < 0)
        throw std::invalid_argument(std::string(this->name()) +
                                    ": PrcmParams.tclkin_hz must not be negative");
    timer_clksel_.assign(kTimers, nullptr);
    declare_registers();
    for (const auto& n : params_.enabled_at_start)
        if (!has_clock(n))
            throw std::invalid_argument(std::string(this->name()) +
                                        ": enabled_at_start names unknown clock '" + n +
                                        "'; clocks are: " + join(clock_names()));
    for (const auto& p : params_.dplls_at_start) {
        auto it = by_dpll_.find(p.dpll);
        if (it == by_dpll_.end())
            throw std::invalid_argument(std::string(this->name()) +
                                        ": dplls_at_start names unknown DPLL '" + p.dpll +
                                        "'; DPLLs are: mpu, core, per, ddr, disp");
        const uint32_t max_m =
            it->second->per ? (kPerMultMask >> kMultShift) : (kMultMask >> kMultShift);
        const uint32_t max_n = it->second->per ? kPerDivMask : kDivMask;
        const uint32_t max_m2 = it->second->per ? kDivM2PerMask : kDivM2Mask;
        if (p.m < kMinMult || p.m > max_m || p.n > max_n || p.m2 < 1 || p.m2 > max_m2 ||
            p.m4 > kDivM2Mask || p.m5 > kDivM2Mask || p.m6 > kDivM2Mask)
            throw std::invalid_argument(std::string(this->name()) + ": dplls_at_start '" + p.dpll +
                                        "' has out-of-range factors (M " +
                                        std::to_string(kMinMult) + ".." + std::to_string(max_m) +
                                        ", N 0.." + std::to_string(max_n) + ", dividers 1..31)");
    }
    SC_HAS_PROCESS(Prcm);
    SC_METHOD(dpll_process);
    sensitive << dpll_event_;
    dont_initialize();
    SC_METHOD(wdt_reset_process);
    sensitive << wdt_reset_event_;
    dont_initialize();
    // WDT1 reset request: acted on in wdt_reset_process at the instant of the rising edge.
    wdt_reset_in.on_change([this](bool level, const sc_time& offset) {
        if (level) wdt_reset_event_.notify(offset);
    });
    apply_reset(false, sc_core::SC_ZERO_TIME);
    for (const auto& o : dpll_outputs())
        notified_mhz_[o] = output_mhz(o, sc_core::SC_ZERO_TIME);
}

Prcm::~Prcm() = default;

// --- Declaration helpers ---------------------------------------------------------------------

Register& Prcm::add_store(const std::string& reg, uint32_t offset, uint32_t reset,
                          uint32_t writable, bool warm_insensitive) {
    Register& r = regs().add(reg, offset, reset);
    if (writable == 0)
        r.ro();
    else
        r.writable(writable);
    if (warm_insensitive) warm_insensitive_.push_back(&r);
    return r;
}

void Prcm::add_clkstctrl(const std::string& reg, uint32_t offset, uint32_t reset, bool read_only) {
    Register& r = regs().add(reg, offset, reset);
    r.field("CLKTRCTRL", 0, 2);
    if (read_only) {
        r.ro();
        return;
    }
    r.writable(kClktrctrlMask).on_write([this](Register& g, uint32_t, uint32_t) {
        if ((g.get() & kClktrctrlMask) == kClktrctrlReserved && log_.once("clktrctrl:" + g.name()))
            VP_LOG(log_, warning, "{}: CLKTRCTRL = 3 is reserved", g.name());
    });
}

Prcm::Module& Prcm::add_module(const std::string& reg, uint32_t offset, const std::string& clock,
                               uint32_t reset, unsigned flags) {
    auto m = std::make_unique<Module>();
    m->clock_name = clock;
    m->flags = flags;
    m->wire = std::make_unique<Wire>(std::string(name()) + "." + clock);
    Module* mp = m.get();
    Register& r = regs().add(reg, offset, reset);
    r.field("MODULEMODE", 0, 2).field("IDLEST", kIdlestShift, 2);
    if (flags & (kMaster | kOptClock)) r.field(flags & kMaster ? "STBYST" : "OPTFCLKEN", 18, 1);
    if (flags & kRoMode) {
        r.ro();
    } else {
        uint32_t writable = kModulemodeMask;
        if (flags & kOptClock) writable |= kOptfclken;
        if (flags & kDebugss) writable = kDebugssWritable;
        r.writable(writable)
            .on_read([this, mp](Register&) { return module_value(*mp, access_time()); })
            .on_peek([this, mp](Register&) { return module_value(*mp, sc_core::sc_time_stamp()); })
            .on_write([this, mp](Register&, uint32_t, uint32_t old) { module_written(*mp, old); });
    }
    m->reg = &r;
    by_clock_[clock] = mp;
    modules_.push_back(std::move(m));
    return *mp;
}

void Prcm::add_dpll(const std::string& name, const std::string& up, uint32_t clkmode,
                    uint32_t idlest, uint32_t clksel, uint32_t div_m2, bool core, bool per) {
    auto d = std::make_unique<Dpll>();
    Dpll* dp = d.get();
    d->name = name;
    d->core = core;
    d->per = per;
    d->clkmode = &regs()
                      .add("CM_CLKMODE_DPLL_" + up, clkmode, kDpllClkmodeReset)
                      .writable(per ? kClkmodePerWritable : kClkmodeWritable)
                      .field("DPLL_EN", 0, 3)
                      .unimplemented("DPLL_SSC_EN", 12, 1)
                      .on_write([this, dp](Register&, uint32_t, uint32_t old) {
                          clkmode_written(*dp, old);
                      });
    // Read-only and updated by the DPLL; warm reset insensitive (Table 8-98).
    d->idlest =
        &regs()
             .add("CM_IDLEST_DPLL_" + up, idlest, 0)
             .ro()
             .field("ST_DPLL_CLK", 0, 1)
             .field("ST_MN_BYPASS", 8, 1)
             .on_read([this, dp](Register&) { return dpll_status(*dp, access_time()); })
             .on_peek([this, dp](Register&) { return dpll_status(*dp, sc_core::sc_time_stamp()); });
    d->clksel = &regs()
                     .add(per ? "CM_CLKSEL_DPLL_PERIPH" : "CM_CLKSEL_DPLL_" + up, clksel, 0)
                     .writable(per    ? kClkselPeriphWritable
                               : core ? kClkselCoreWritable
                                      : kClkselWritable)
                     .field("DPLL_DIV", 0, per ? 8 : 7)
                     .field("DPLL_MULT", kMultShift, per ? 12 : 11)
                     .on_write([this](Register&, uint32_t, uint32_t) { notify_clock_changes(); });
    auto divider = [this, dp](const std::string& reg, uint32_t off, uint32_t reset,
                              uint32_t writable, uint32_t field, uint32_t chack,
                              bool insensitive) -> Register* {
        Register& r =
            regs()
                .add(reg, off, reset)
                .writable(writable)
                .field("DIV", 0, field == kDivM2PerMask ? 7 : 5)
                .on_read([this, dp](Register& g) {
                    return g.get() | (dpll_locked(*dp, access_time()) ? kStClkout : 0);
                })
                .on_peek([this, dp](Register& g) {
                    return g.get() | (dpll_locked(*dp, sc_core::sc_time_stamp()) ? kStClkout : 0);
                })
                .on_write([this, field, chack](Register& g, uint32_t, uint32_t old) {
                    if ((g.get() ^ old) & field) {
                        // DIVCHACK toggles once the new divider is in effect.
                        g.set(g.get() ^ chack);
                        if ((g.get() & field) == 0 && log_.once("div0:" + g.name()))
                            VP_LOG(log_, warning, "{}: divider 0 is reserved", g.name());
                    }
                    notify_clock_changes();
                });
        if (insensitive) warm_insensitive_.push_back(&r);
        return &r;
    };
    if (core) {
        d->hsdiv[0] = divider("CM_DIV_M4_DPLL_CORE", kCmDivM4DpllCore, kHsdivReset, kHsdivWritable,
                              kDivM2Mask, kDivChack, false);
        d->hsdiv[1] = divider("CM_DIV_M5_DPLL_CORE", kCmDivM5DpllCore, kHsdivReset, kHsdivWritable,
                              kDivM2Mask, kDivChack, false);
        // M6 is warm reset insensitive (Table 8-143).
        d->hsdiv[2] = divider("CM_DIV_M6_DPLL_CORE", kCmDivM6DpllCore, kHsdivReset, kHsdivWritable,
                              kDivM2Mask, kDivChack, true);
    } else {
        d->m2 = divider("CM_DIV_M2_DPLL_" + up, div_m2, kDivM2Reset,
                        per ? kDivM2PerWritable : kDivM2Writable, per ? kDivM2PerMask : kDivM2Mask,
                        per ? kDivChackPer : kDivChack, false);
    }
    if (per) {
        regs()
            .add("CM_CLKDCOLDO_DPLL_PER", kCmClkdcoldoDpllPer, 0)
            .writable(kClkdcoldoWritable)
            .on_read([this, dp](Register& g) {
                return g.get() | (dpll_locked(*dp, access_time()) ? kStClkout : 0);
            })
            .on_peek([this, dp](Register& g) {
                return g.get() | (dpll_locked(*dp, sc_core::sc_time_stamp()) ? kStClkout : 0);
            });
    }
    by_dpll_[name] = dp;
    dplls_.push_back(std::move(d));
}

void Prcm::add_timer_clksel(unsigned timer, const std::string& reg, uint32_t offset, uint32_t reset,
                            uint32_t mask) {
    Register& r = regs()
                      .add(reg, offset, reset)
                      .writable(mask)
                      .field("CLKSEL", 0, mask == kTimerClkselMask ? 2 : 3);
    r.on_write([this, timer](Register& g, uint32_t, uint32_t old) {
        const uint32_t now = g.get();
        g.set(old);
        const double old_hz = timer_hz_of(timer);
        g.set(now);
        timer_clksel_written(timer, old_hz);
    });
    warm_insensitive_.push_back(&r);  // every CM_DPLL register is (Table 8-144)
    timer_clksel_[timer] = &r;
}

// --- The register map ------------------------------------------------------------------------

void Prcm::declare_registers() {
    const uint32_t off = kClkctrlSlaveOffReset;
    const uint32_t moff = kClkctrlMasterOffReset;
    constexpr uint32_t kOn = kModulemodeEnable;                    // "module on" resets (§16)
    constexpr uint32_t kOnDisabled = kClkctrlSlaveOffReset | kOn;  // 0x30002
    constexpr uint32_t kOnMasterDisabled = kClkctrlMasterOffReset | kOn;  // 0x70002

    // CM_PER, SPRUH73 §8.1.12.1 (Table 8-30).
    add_clkstctrl("CM_PER_L4LS_CLKSTCTRL", kCmPer + 0x00, 0xC0102);
    add_clkstctrl("CM_PER_L3S_CLKSTCTRL", kCmPer + 0x04, 0xA);
    add_clkstctrl("CM_PER_L4FW_CLKSTCTRL", kCmPer + 0x08, 0x2);  // U-Boot's; not in the TRM [?]
    add_clkstctrl("CM_PER_L3_CLKSTCTRL", kCmPer + 0x0C, 0x12);
    struct Row {
        const char* reg;
        uint32_t offset;
        const char* clock;
        uint32_t reset;
        unsigned flags;
    };
    static const Row per_rows[] = {
        {"CM_PER_CPGMAC0_CLKCTRL", 0x14, "cm_per.cpgmac0", moff, kMaster},
        {"CM_PER_LCDC_CLKCTRL", 0x18, "cm_per.lcdc", moff, kMaster},
        {"CM_PER_USB0_CLKCTRL", 0x1C, "cm_per.usb0", moff, kMaster},
        {"CM_PER_TPTC0_CLKCTRL", 0x24, "cm_per.tptc0", moff, kMaster},
        {"CM_PER_EMIF_CLKCTRL", 0x28, "cm_per.emif", off, 0},
        {"CM_PER_OCMCRAM_CLKCTRL", 0x2C, "cm_per.ocmcram", off, 0},
        {"CM_PER_GPMC_CLKCTRL", 0x30, "cm_per.gpmc", kOnDisabled, 0},
        {"CM_PER_MCASP0_CLKCTRL", 0x34, "cm_per.mcasp0", off, 0},
        {"CM_PER_UART5_CLKCTRL", 0x38, "cm_per.uart5", off, 0},
        {"CM_PER_MMC0_CLKCTRL", 0x3C, "cm_per.mmc0", off, 0},
        {"CM_PER_ELM_CLKCTRL", 0x40, "cm_per.elm", off, 0},
        {"CM_PER_I2C2_CLKCTRL", 0x44, "cm_per.i2c2", off, 0},
        {"CM_PER_I2C1_CLKCTRL", 0x48, "cm_per.i2c1", off, 0},
        {"CM_PER_SPI0_CLKCTRL", 0x4C, "cm_per.spi0", off, 0},
        {"CM_PER_SPI1_CLKCTRL", 0x50, "cm_per.spi1", off, 0},
        {"CM_PER_L4LS_CLKCTRL", 0x60, "cm_per.l4ls", kOn, 0},
        {"CM_PER_MCASP1_CLKCTRL", 0x68, "cm_per.mcasp1", off, 0},
        {"CM_PER_UART1_CLKCTRL", 0x6C, "cm_per.uart1", off, 0},
        {"CM_PER_UART2_CLKCTRL", 0x70, "cm_per.uart2", off, 0},
        {"CM_PER_UART3_CLKCTRL", 0x74, "cm_per.uart3", off, 0},
        {"CM_PER_UART4_CLKCTRL", 0x78, "cm_per.uart4", off, 0},
        {"CM_PER_TIMER7_CLKCTRL", 0x7C, "cm_per.timer7", off, 0},
        {"CM_PER_TIMER2_CLKCTRL", 0x80, "cm_per.timer2", off, 0},
        {"CM_PER_TIMER3_CLKCTRL", 0x84, "cm_per.timer3", off, 0},
        {"CM_PER_TIMER4_CLKCTRL", 0x88, "cm_per.timer4", off, 0},
        // RNG, AES0, SHA0: Linux am3.h offsets; not in the public TRM table [?].
        {"CM_PER_RNG_CLKCTRL", 0x90, "cm_per.rng", off, 0},
        {"CM_PER_AES0_CLKCTRL", 0x94, "cm_per.aes0", off, 0},
        {"CM_PER_SHA0_CLKCTRL", 0xA0, "cm_per.sha0", off, 0},
        {"CM_PER_GPIO1_CLKCTRL", 0xAC, "cm_per.gpio1", off, kOptClock},
        {"CM_PER_GPIO2_CLKCTRL", 0xB0, "cm_per.gpio2", off, kOptClock},
        {"CM_PER_GPIO3_CLKCTRL", 0xB4, "cm_per.gpio3", off, kOptClock},
        {"CM_PER_TPCC_CLKCTRL", 0xBC, "cm_per.tpcc", off, 0},
        {"CM_PER_DCAN0_CLKCTRL", 0xC0, "cm_per.dcan0", off, 0},
        {"CM_PER_DCAN1_CLKCTRL", 0xC4, "cm_per.dcan1", off, 0},
        {"CM_PER_EPWMSS1_CLKCTRL", 0xCC, "cm_per.epwmss1", off, 0},
        {"CM_PER_EPWMSS0_CLKCTRL", 0xD4, "cm_per.epwmss0", off, 0},
        {"CM_PER_EPWMSS2_CLKCTRL", 0xD8, "cm_per.epwmss2", off, 0},
        {"CM_PER_L3_INSTR_CLKCTRL", 0xDC, "cm_per.l3_instr", kOn, 0},
        {"CM_PER_L3_CLKCTRL", 0xE0, "cm_per.l3", kOn, 0},
        {"CM_PER_IEEE5000_CLKCTRL", 0xE4, "cm_per.ieee5000", kOnMasterDisabled, kMaster},
        {"CM_PER_PRU_ICSS_CLKCTRL", 0xE8, "cm_per.pru_icss", moff, kMaster},
        {"CM_PER_TIMER5_CLKCTRL", 0xEC, "cm_per.timer5", off, 0},
        {"CM_PER_TIMER6_CLKCTRL", 0xF0, "cm_per.timer6", off, 0},
        {"CM_PER_MMC1_CLKCTRL", 0xF4, "cm_per.mmc1", off, 0},
        {"CM_PER_MMC2_CLKCTRL", 0xF8, "cm_per.mmc2", off, 0},
        {"CM_PER_TPTC1_CLKCTRL", 0xFC, "cm_per.tptc1", moff, kMaster},
        {"CM_PER_TPTC2_CLKCTRL", 0x100, "cm_per.tptc2", moff, kMaster},
        {"CM_PER_SPINLOCK_CLKCTRL", 0x10C, "cm_per.spinlock", off, 0},
        {"CM_PER_MAILBOX0_CLKCTRL", 0x110, "cm_per.mailbox0", off, 0},
        {"CM_PER_L4HS_CLKCTRL", 0x120, "cm_per.l4hs", kOn, 0},
        {"CM_PER_OCPWP_CLKCTRL", 0x130, "cm_per.ocpwp", kOnMasterDisabled, kMaster},
        {"CM_PER_CLKDIV32K_CLKCTRL", 0x14C, "cm_per.clkdiv32k", off, 0},
    };
    for (const Row& r : per_rows)
        add_module(r.reg, kCmPer + r.offset, r.clock, r.reset, r.flags);
    add_clkstctrl("CM_PER_L4HS_CLKSTCTRL", kCmPer + 0x11C, 0x7A);
    add_clkstctrl("CM_PER_OCPWP_L3_CLKSTCTRL", kCmPer + 0x12C, 0x2);
    add_clkstctrl("CM_PER_PRU_ICSS_CLKSTCTRL", kCmPer + 0x140, 0x2);
    add_clkstctrl("CM_PER_CPSW_CLKSTCTRL", kCmPer + 0x144, 0x2);
    add_clkstctrl("CM_PER_LCDC_CLKSTCTRL", kCmPer + 0x148, 0x2);
    add_clkstctrl("CM_PER_CLK_24MHZ_CLKSTCTRL", kCmPer + 0x150, 0x2);

    // CM_WKUP, §8.1.12.2 (Table 8-89).
    add_clkstctrl("CM_WKUP_CLKSTCTRL", kCmWkup + 0x00, 0x6);
    static const Row wkup_rows[] = {
        {"CM_WKUP_CONTROL_CLKCTRL", 0x04, "cm_wkup.control", off, 0},
        {"CM_WKUP_GPIO0_CLKCTRL", 0x08, "cm_wkup.gpio0", off, kOptClock},
        {"CM_WKUP_L4WKUP_CLKCTRL", 0x0C, "cm_wkup.l4wkup", kOn, kRoMode},
        {"CM_WKUP_TIMER0_CLKCTRL", 0x10, "cm_wkup.timer0", kOnDisabled, 0},
        {"CM_WKUP_DEBUGSS_CLKCTRL", 0x14, "cm_wkup.debugss", 0x52580002, kMaster | kDebugss},
        {"CM_WKUP_WKUP_M3_CLKCTRL", 0xB0, "cm_wkup.wkup_m3", kOn, kRoMode},
        {"CM_WKUP_UART0_CLKCTRL", 0xB4, "cm_wkup.uart0", off, 0},
        {"CM_WKUP_I2C0_CLKCTRL", 0xB8, "cm_wkup.i2c0", off, 0},
        {"CM_WKUP_ADC_TSC_CLKCTRL", 0xBC, "cm_wkup.adc_tsc", off, 0},
        {"CM_WKUP_SMARTREFLEX0_CLKCTRL", 0xC0, "cm_wkup.smartreflex0", off, 0},
        {"CM_WKUP_TIMER1_CLKCTRL", 0xC4, "cm_wkup.timer1", off, 0},
        {"CM_WKUP_SMARTREFLEX1_CLKCTRL", 0xC8, "cm_wkup.smartreflex1", off, 0},
        {"CM_WKUP_WDT1_CLKCTRL", 0xD4, "cm_wkup.wdt1", kOnDisabled, 0},
    };
    for (const Row& r : wkup_rows)
        add_module(r.reg, kCmWkup + r.offset, r.clock, r.reset, r.flags);
    add_clkstctrl("CM_L3_AON_CLKSTCTRL", kCmWkup + 0x18, 0x1A);
    add_clkstctrl("CM_L4_WKUP_AON_CLKSTCTRL", kCmWkup + 0xCC, 0x6, true);  // CLKTRCTRL is R
    // DPLL control: AUTOIDLE (not supported, stored), SSC (stored, warm reset insensitive).
    constexpr uint32_t kAutoidleWritable = 0x7;
    constexpr uint32_t kDeltamstepWritable = 0xFFFFF;
    constexpr uint32_t kModfreqdivWritable = 0x77F;
    struct DpllRow {
        const char* name;
        const char* up;
        uint32_t autoidle, idlest, ssc_delta, ssc_mod, clksel, clkmode, div_m2;
        bool core, per;
    };
    static const DpllRow dpll_rows[] = {
        {"mpu", "MPU", 0x1C, 0x20, 0x24, 0x28, 0x2C, 0x88, 0xA8, false, false},
        {"ddr", "DDR", 0x30, 0x34, 0x38, 0x3C, 0x40, 0x94, 0xA0, false, false},
        {"disp", "DISP", 0x44, 0x48, 0x4C, 0x50, 0x54, 0x98, 0xA4, false, false},
        {"core", "CORE", 0x58, 0x5C, 0x60, 0x64, 0x68, 0x90, 0, true, false},
        {"per", "PER", 0x6C, 0x70, 0x74, 0x78, 0x9C, 0x8C, 0xAC, false, true},
    };
    for (const DpllRow& d : dpll_rows) {
        const std::string up = d.up;
        add_store("CM_AUTOIDLE_DPLL_" + up, kCmWkup + d.autoidle, 0, kAutoidleWritable)
            .unimplemented("AUTO_DPLL_MODE", 0, 3);
        add_store("CM_SSC_DELTAMSTEP_DPLL_" + up, kCmWkup + d.ssc_delta, 0, kDeltamstepWritable,
                  true);
        add_store("CM_SSC_MODFREQDIV_DPLL_" + up, kCmWkup + d.ssc_mod, 0, kModfreqdivWritable,
                  true);
        add_dpll(d.name, up, kCmWkup + d.clkmode, kCmWkup + d.idlest, kCmWkup + d.clksel,
                 d.div_m2 ? kCmWkup + d.div_m2 : 0, d.core, d.per);
    }

    // CM_DPLL, §8.1.12.3 (Table 8-144): every register is warm reset insensitive.
    constexpr uint32_t kTimerClkselReset = kTimerClkselMosc;  // CLK_M_OSC (Tables 8-145..)
    add_timer_clksel(7, "CLKSEL_TIMER7_CLK", kClkselTimer7Clk, kTimerClkselReset, kTimerClkselMask);
    add_timer_clksel(2, "CLKSEL_TIMER2_CLK", kClkselTimer2Clk, kTimerClkselReset, kTimerClkselMask);
    add_timer_clksel(3, "CLKSEL_TIMER3_CLK", kClkselTimer3Clk, kTimerClkselReset, kTimerClkselMask);
    add_timer_clksel(4, "CLKSEL_TIMER4_CLK", kClkselTimer4Clk, kTimerClkselReset, kTimerClkselMask);
    add_store("CM_MAC_CLKSEL", kCmDpll + 0x14, 0x4, 0x4, true);
    add_timer_clksel(5, "CLKSEL_TIMER5_CLK", kClkselTimer5Clk, kTimerClkselReset, kTimerClkselMask);
    add_timer_clksel(6, "CLKSEL_TIMER6_CLK", kClkselTimer6Clk, kTimerClkselReset, kTimerClkselMask);
    add_store("CM_CPTS_RFT_CLKSEL", kCmDpll + 0x20, 0, 0x1, true);
    add_timer_clksel(1, "CLKSEL_TIMER1MS_CLK", kClkselTimer1msClk, kTimer1msClkselMosc,
                     kTimer1msClkselMask);
    add_store("CLKSEL_GFX_FCLK", kCmDpll + 0x2C, 0, 0x3, true);
    add_store("CLKSEL_PRU_ICSS_OCP_CLK", kCmDpll + 0x30, 0, 0x1, true);
    add_store("CLKSEL_LCDC_PIXEL_CLK", kCmDpll + 0x34, 0, 0x3, true);
    add_store("CLKSEL_WDT1_CLK", kCmDpll + 0x38, 0x1, 0x1, true);
    add_store("CLKSEL_GPIO0_DBCLK", kCmDpll + 0x3C, 0, 0x3, true);

    // CM_MPU, CM_DEVICE, CM_RTC, CM_GFX, CM_CEFUSE (§8.1.12.4 .. §8.1.12.8).
    add_clkstctrl("CM_MPU_CLKSTCTRL", kCmMpu + 0x00, 0x6);
    add_module("CM_MPU_MPU_CLKCTRL", kCmMpuMpuClkctrl, "cm_mpu.mpu", kOn, kMaster);
    add_store("CM_CLKOUT_CTRL", kCmDevice + 0x00, 0, 0xBF);
    add_module("CM_RTC_RTC_CLKCTRL", kCmRtc + 0x00, "cm_rtc.rtc", kOnDisabled, 0);
    add_clkstctrl("CM_RTC_CLKSTCTRL", kCmRtc + 0x04, 0x102);
    add_clkstctrl("CM_GFX_L3_CLKSTCTRL", kCmGfx + 0x00, 0x2);
    add_module("CM_GFX_GFX_CLKCTRL", kCmGfx + 0x04, "cm_gfx.gfx", moff, kMaster);
    add_clkstctrl("CM_GFX_L4LS_GFX_CLKSTCTRL", kCmGfx + 0x0C, 0x102);
    add_module("CM_GFX_MMUCFG_CLKCTRL", kCmGfx + 0x10, "cm_gfx.mmucfg", off, 0);
    add_module("CM_GFX_MMUDATA_CLKCTRL", kCmGfx + 0x14, "cm_gfx.mmudata", off, 0);
    add_clkstctrl("CM_CEFUSE_CLKSTCTRL", kCmCefuse + 0x00, 0x2);
    add_module("CM_CEFUSE_CEFUSE_CLKCTRL", kCmCefuse + 0x20, "cm_cefuse.cefuse", off, 0);

    // PRM_IRQ, §8.1.13.1 (Table 8-176).
    constexpr uint32_t kPrmIrqBits = 0xFD00;  // recal 15..11, ForceWkup 10, Transition 8
    add_store("REVISION_PRM", kPrmIrq + 0x00, 0, 0);
    add_store("PRM_IRQSTATUS_MPU", kPrmIrq + 0x04, 0, kPrmIrqBits).w1c();
    add_store("PRM_IRQENABLE_MPU", kPrmIrq + 0x08, 0, kPrmIrqBits);
    add_store("PRM_IRQSTATUS_M3", kPrmIrq + 0x0C, 0, kPrmIrqBits).w1c();
    add_store("PRM_IRQENABLE_M3", kPrmIrq + 0x10, 0, kPrmIrqBits);
    // PRM_PER, PRM_WKUP, PRM_MPU (§8.1.13.2 .. §8.1.13.4).
    add_store("RM_PER_RSTCTRL", kPrmPer + 0x00, 0x2, 0x2);
    add_store("PM_PER_PWRSTST", kPrmPer + 0x08, 0x01E60007, 0, true);
    add_store("PM_PER_PWRSTCTRL", kPrmPer + 0x0C, 0xEE0000EB, 0xEE0000FB);
    add_store("RM_WKUP_RSTCTRL", kPrmWkup + 0x00, 0x8, 0x8);
    add_store("PM_WKUP_PWRSTCTRL", kPrmWkup + 0x04, 0x8, 0x18);
    add_store("PM_WKUP_PWRSTST", kPrmWkup + 0x08, 0x00060004, 0, true);
    add_store("RM_WKUP_RSTST", kPrmWkup + 0x0C, 0, 0xE0, true).w1c();
    add_store("PM_MPU_PWRSTCTRL", kPrmMpu + 0x00, 0x01FF0007, 0x01C30017);
    add_store("PM_MPU_PWRSTST", kPrmMpu + 0x04, 0x157, 0, true);
    add_store("RM_MPU_RSTST", kPrmMpu + 0x08, 0, 0x60, true).w1c();
    // PRM_DEVICE, §8.1.13.5 (Table 8-195).
    regs()
        .add("PRM_RSTCTRL", kPrmRstctrl, 0)
        .wo()
        .writable(kRstctrlWritable)
        .field("RST_GLOBAL_WARM_SW", 0, 1)
        .field("RST_GLOBAL_COLD_SW", 1, 1)
        .on_write([this](Register& g, uint32_t, uint32_t) {
            const uint32_t v = g.get();
            g.set(0);  // auto-cleared, reads 0
            if (v & kRstGlobalColdSw)
                request_reset(ResetKind::cold_sw, access_offset());
            else if (v & kRstGlobalWarmSw)
                request_reset(ResetKind::warm_sw, access_offset());
        });
    add_store("PRM_RSTTIME", kPrmRsttime, kRsttimeReset, 0x1FFF, true);
    add_store("PRM_RSTST", kPrmRstst, kRststReset, kRststWritable, true)
        .w1c()
        .field("GLOBAL_COLD_RST", 0, 1)
        .field("GLOBAL_WARM_SW_RST", 1, 1)
        .field("WDT1_RST", 4, 1)
        .field("EXTERNAL_WARM_RST", 5, 1)
        .field("ICEPICK_RST", 9, 1);
    add_store("PRM_SRAM_COUNT", kPrmDevice + 0x0C, 0x78000017, 0xFFFFFF3F, true);
    add_store("PRM_LDO_SRAM_CORE_SETUP", kPrmDevice + 0x10, 0, 0x1FF, true);
    add_store("PRM_LDO_SRAM_CORE_CTRL", kPrmDevice + 0x14, 0, 0x1, true);
    add_store("PRM_LDO_SRAM_MPU_SETUP", kPrmDevice + 0x18, 0, 0x1FF, true);  // [?]
    add_store("PRM_LDO_SRAM_MPU_CTRL", kPrmDevice + 0x1C, 0, 0x1, true);     // [?]
    // PRM_RTC, PRM_GFX, PRM_CEFUSE (§8.1.13.6 .. §8.1.13.8).
    add_store("PM_RTC_PWRSTCTRL", kPrmRtc + 0x00, 0x4, 0x14);
    add_store("PM_RTC_PWRSTST", kPrmRtc + 0x04, 0x4, 0, true);
    add_store("PM_GFX_PWRSTCTRL", kPrmGfx + 0x00, 0x00060044, 0x57);
    add_store("RM_GFX_RSTCTRL", kPrmGfx + 0x04, 0x1, 0x1);
    add_store("PM_GFX_PWRSTST", kPrmGfx + 0x10, 0x17, 0, true);
    add_store("RM_GFX_RSTST", kPrmGfx + 0x14, 0, 0x1, true).w1c();
    add_store("PM_CEFUSE_PWRSTCTRL", kPrmCefuse + 0x00, 0, 0x13);
    add_store("PM_CEFUSE_PWRSTST", kPrmCefuse + 0x04, 0x7, 0, true);
}

// --- Module clocks ---------------------------------------------------------------------------

unsigned Prcm::module_idlest(const Module& m, const sc_time& at) const {
    if (m.flags & kRoMode) return (m.reg->get() & kIdlestMask) >> kIdlestShift;
    return at < m.change_at ? m.transit_idlest : m.final_idlest;
}

uint32_t Prcm::module_value(const Module& m, const sc_time& at) const {
    uint32_t v = m.reg->get();
    if (m.flags & kRoMode) return v;
    const unsigned idle = module_idlest(m, at);
    v = (v & ~kIdlestMask) | (idle << kIdlestShift);
    // Masters: in standby unless fully functional [?] (docs/models/prcm.md).
    if (m.flags & kMaster) v = idle == kIdlestFunc ? (v & ~kStbyst) : (v | kStbyst);
    return v;
}

void Prcm::module_written(Module& m, uint32_t old) {
    const uint32_t mode = m.reg->get() & kModulemodeMask;
    if (mode == (old & kModulemodeMask)) return;
    if (mode != kModulemodeEnable && mode != kModulemodeDisabled &&
        log_.once("modulemode:" + m.clock_name))
        VP_LOG(log_, warning, "{}: MODULEMODE = {} is reserved on AM335x; the module stays off",
               m.reg->name(), mode);
    const bool en = mode == kModulemodeEnable;
    if (en == m.enabled) return;
    m.enabled = en;
    m.final_idlest = en ? kIdlestFunc : kIdlestDisabled;
    m.transit_idlest = kIdlestTrans;
    m.change_at = access_time() + params_.module_transition;
    if (en) ++module_enables_;
    VP_LOG(log_, debug, "{} {}", m.clock_name, en ? "enabled" : "disabled");
    m.wire->write(en, access_offset());
}

Wire& Prcm::clock(const std::string& name) {
    auto it = by_clock_.find(name);
    if (it == by_clock_.end())
        throw std::out_of_range(std::string(this->name()) + ": no clock named '" + name +
                                "'; clocks are: " + join(clock_names()));
    return *it->second->wire;
}

bool Prcm::has_clock(const std::string& name) const {
    return by_clock_.count(name) != 0;
}

std::vector<std::string> Prcm::clock_names() const {
    std::vector<std::string> v;
    for (const auto& kv : by_clock_)
        v.push_back(kv.first);
    return v;
}

unsigned Prcm::idlest(const std::string& name) const {
    auto it = by_clock_.find(name);
    if (it == by_clock_.end())
        throw std::out_of_range(std::string(this->name()) + ": no clock named '" + name + "'");
    return module_idlest(*it->second, sc_core::sc_time_stamp());
}

// --- DPLLs -----------------------------------------------------------------------------------

uint32_t Prcm::dpll_status(const Dpll& d, const sc_time& at) const {
    switch (d.mode_at(at)) {
        case Dpll::Mode::locked:
            return kStDpllClk;
        case Dpll::Mode::mn_bypass:
            return kStMnBypass;
        default:
            return 0;
    }
}

bool Prcm::dpll_locked(const Dpll& d, const sc_time& at) const {
    return d.mode_at(at) == Dpll::Mode::locked;
}

void Prcm::clkmode_written(Dpll& d, uint32_t old) {
    const uint32_t en = d.clkmode->get() & kDpllEnMask;
    if (en == (old & kDpllEnMask)) return;
    const sc_time at = access_time();
    const Dpll::Mode cur = d.mode_at(at);
    Dpll::Mode target = cur;
    sc_time delay = params_.dpll_bypass_time;
    switch (en) {
        case kDpllEnMnBypass:
            target = Dpll::Mode::mn_bypass;
            // "The DPLL_MULT register bits are reset to 0 automatically by putting the DPLL
            // in this mode" (Table 8-124).
            d.clksel->clear_bits(d.per ? kPerMultMask : kMultMask);
            break;
        case kDpllEnLock:
            if (d.mult() < kMinMult) {
                if (log_.once("nolock:" + d.name))
                    VP_LOG(log_, error,
                           "DPLL {}: lock requested with M = {} (M must be 2 or more): it "
                           "will not lock",
                           d.name, d.mult());
                break;
            }
            target = Dpll::Mode::locked;
            delay = params_.dpll_lock_time;
            ++dpll_locks_;
            break;
        case kDpllEnIdleBypassLowPower:
            target = Dpll::Mode::idle_bypass;
            break;
        case kDpllEnIdleBypassFastRelock:
            if (!d.per) {
                target = Dpll::Mode::idle_bypass;
                break;
            }
            [[fallthrough]];
        case kDpllEnLowPowerStop:
            if (d.per) {
                target = Dpll::Mode::stop;
                break;
            }
            [[fallthrough]];
        default:
            if (log_.once("dpll_en:" + d.name))
                VP_LOG(log_, warning, "DPLL {}: DPLL_EN = {} is reserved; mode unchanged", d.name,
                       en);
            break;
    }
    d.before = cur;
    d.after = target;
    d.change_at = at + delay;
    d.pending = target != cur;
    if (!d.pending) d.change_at = at;
    schedule_dpll_event();
}

double Prcm::output_mhz(const std::string& output, const sc_time& at) const {
    std::string dpll = output;
    int hsdiv = -1;
    if (output == "core_m4") hsdiv = 0;
    if (output == "core_m5") hsdiv = 1;
    if (output == "core_m6") hsdiv = 2;
    if (hsdiv >= 0) dpll = "core";
    auto it = by_dpll_.find(dpll);
    if (it == by_dpll_.end() || (dpll == "core" && hsdiv < 0))
        throw std::out_of_range(std::string(name()) + ": no DPLL output '" + output +
                                "'; outputs are: " + join(dpll_outputs()));
    const Dpll& d = *it->second;
    const Register* divider = d.core ? d.hsdiv[hsdiv] : d.m2;
    const uint32_t div = divider->get() & (d.per ? kDivM2PerMask : kDivM2Mask);
    if (div == 0) return 0;  // reserved divider: no clock
    const double fref = params_.clk_m_osc_hz;
    double f = 0;
    switch (d.mode_at(at)) {
        case Dpll::Mode::stop:
            return 0;
        case Dpll::Mode::mn_bypass:
        case Dpll::Mode::idle_bypass:
            f = fref;
            break;  // the bypass clock, CLKINP [?]
        case Dpll::Mode::locked:
            f = fref * d.mult() / (d.div() + 1.0);
            if (d.core) f *= kCoreDcoFactor;
            break;
    }
    return f / div / 1e6;
}

double Prcm::dpll_mhz(const std::string& output) const {
    return output_mhz(output, sc_core::sc_time_stamp());
}

std::vector<std::string> Prcm::dpll_outputs() const {
    return {"mpu", "ddr", "disp", "per", "core_m4", "core_m5", "core_m6"};
}

void Prcm::notify_clock_changes() {
    for (const auto& o : dpll_outputs()) {
        const double v = output_mhz(o, sc_core::sc_time_stamp());
        auto it = notified_mhz_.find(o);
        if (it != notified_mhz_.end() && it->second == v) continue;
        notified_mhz_[o] = v;
        VP_LOG(log_, info, "DPLL output {} = {} MHz", o, v);
        for (auto& f : clock_listeners_)
            f(o, v);
    }
}

void Prcm::schedule_dpll_event() {
    const sc_time now = sc_core::sc_time_stamp();
    bool any = false;
    sc_time next;
    for (const auto& d : dplls_)
        if (d->pending && (!any || d->change_at < next)) {
            next = d->change_at;
            any = true;
        }
    if (any) dpll_event_.notify(next > now ? next - now : sc_core::SC_ZERO_TIME);
}

void Prcm::dpll_process() {
    const sc_time now = sc_core::sc_time_stamp();
    for (const auto& d : dplls_)
        if (d->pending && d->change_at <= now) {
            d->pending = false;
            VP_LOG(log_, debug, "DPLL {} status now {:#x}", d->name, dpll_status(*d, now));
        }
    notify_clock_changes();
    schedule_dpll_event();
}

// --- Timer clocks ----------------------------------------------------------------------------

double Prcm::timer_hz_of(unsigned timer) const {
    if (timer == 0) return kClkRc32kHz;  // DMTIMER0: fixed CLK_RC32K (§16)
    const uint32_t sel = timer_clksel_[timer]->get();
    if (timer == 1) {
        switch (sel & kTimer1msClkselMask) {
            case kTimer1msClkselMosc:
                return params_.clk_m_osc_hz;
            case kTimer1msClksel32k:
                return kClk32kHz;
            case kTimer1msClkselTclkin:
                return params_.tclkin_hz;
            case kTimer1msClkselRc32k:
                return kClkRc32kHz;
            case kTimer1msClksel32768:
                return kClk32kHz;
            default:
                return 0;  // reserved
        }
    }
    switch (sel & kTimerClkselMask) {
        case kTimerClkselTclkin:
            return params_.tclkin_hz;
        case kTimerClkselMosc:
            return params_.clk_m_osc_hz;
        case kTimerClksel32k:
            return kClk32kHz;
        default:
            return 0;  // reserved
    }
}

double Prcm::timer_clock_hz(unsigned timer) const {
    if (timer >= kTimers)
        throw std::out_of_range(std::string(name()) + ": DMTIMER" + std::to_string(timer) +
                                " does not exist (timers are 0-7)");
    return timer_hz_of(timer);
}

void Prcm::timer_clksel_written(unsigned timer, double old_hz) {
    const double hz = timer_hz_of(timer);
    if (hz == 0 && log_.once("timersel:" + std::to_string(timer)))
        VP_LOG(log_, warning, "DMTIMER{} clock source {} is reserved or not driven (0 Hz)", timer,
               timer_clksel_[timer]->get());
    if (hz == old_hz) return;
    VP_LOG(log_, info, "DMTIMER{} functional clock = {} Hz", timer, hz);
    for (auto& f : timer_listeners_)
        f(timer, hz);
}

// --- Resets ----------------------------------------------------------------------------------

void Prcm::apply_presets() {
    for (const auto& n : params_.enabled_at_start) {
        Module& m = *by_clock_.at(n);
        if (m.flags & kRoMode) continue;
        uint32_t v = (m.reg->get() & ~(kModulemodeMask | kIdlestMask)) | kModulemodeEnable;
        if (m.flags & kMaster) v &= ~kStbyst;
        m.reg->set(v);
    }
    for (const auto& p : params_.dplls_at_start) {
        Dpll& d = *by_dpll_.at(p.dpll);
        const uint32_t m_mask = d.per ? kPerMultMask : kMultMask;
        const uint32_t n_mask = d.per ? kPerDivMask : kDivMask;
        d.clksel->set((d.clksel->get() & ~(m_mask | n_mask)) | ((p.m << kMultShift) & m_mask) |
                      (p.n & n_mask));
        if (d.core) {
            const unsigned div[3] = {p.m4, p.m5, p.m6};
            for (int i = 0; i < 3; ++i)
                if (div[i]) d.hsdiv[i]->set((d.hsdiv[i]->get() & ~kDivM2Mask) | div[i]);
        } else {
            const uint32_t mask = d.per ? kDivM2PerMask : kDivM2Mask;
            d.m2->set((d.m2->get() & ~mask) | (p.m2 & mask));
        }
        d.clkmode->set((d.clkmode->get() & ~kDpllEnMask) | kDpllEnLock);
    }
}

void Prcm::apply_reset(bool warm, const sc_time& offset) {
    std::vector<double> timer_hz(kTimers);
    for (unsigned t = 0; t < kTimers; ++t)
        timer_hz[t] = timer_hz_of(t);
    for (const auto& r : regs().registers()) {
        const bool keep = warm && std::find(warm_insensitive_.begin(), warm_insensitive_.end(),
                                            r.get()) != warm_insensitive_.end();
        if (!keep) r->reset();
    }
    apply_presets();
    for (const auto& m : modules_) {
        const uint32_t v = m->reg->get();
        m->enabled = (v & kModulemodeMask) == kModulemodeEnable;
        m->final_idlest = (v & kIdlestMask) >> kIdlestShift;
        m->transit_idlest = kIdlestTrans;
        m->change_at = sc_core::SC_ZERO_TIME;
        // A module enabled at reset (MODULEMODE = 2 in its reset value, e.g. WDT1, RTC,
        // TIMER0, GPMC: SPRUH73 §8.1.12 resets 0x00030002) reads its reset IDLEST (3) and
        // becomes functional one transition time later, so a driver's poll for IDLEST = 0
        // (U-Boot's wait_for_clk_enable) completes, as it does on a real board.
        if (m->enabled && m->final_idlest != kIdlestFunc) {
            m->transit_idlest = m->final_idlest;
            m->final_idlest = kIdlestFunc;
            m->change_at = sc_core::sc_time_stamp() + offset + params_.module_transition;
        }
        m->wire->write(m->enabled, offset);
    }
    for (const auto& d : dplls_) {
        const uint32_t en = d->clkmode->get() & kDpllEnMask;
        d->before = d->after = en == kDpllEnLock ? Dpll::Mode::locked : Dpll::Mode::mn_bypass;
        d->change_at = sc_core::SC_ZERO_TIME;
        d->pending = false;
    }
    for (unsigned t = 1; t < kTimers; ++t)
        if (timer_hz_of(t) != timer_hz[t])
            for (auto& f : timer_listeners_)
                f(t, timer_hz_of(t));
    if (!notified_mhz_.empty()) notify_clock_changes();
}

void Prcm::reset() {
    apply_reset(false, sc_core::SC_ZERO_TIME);
}

void Prcm::wdt_reset_process() {
    ++wdt_resets_;
    request_reset(ResetKind::wdt1, sc_core::SC_ZERO_TIME);
}

void Prcm::request_reset(ResetKind kind, const sc_time& offset) {
    const bool warm = kind != ResetKind::cold_sw;
    if (kind == ResetKind::wdt1) {
        VP_LOG(log_, info, "global warm reset requested by WDT1");
    } else {
        VP_LOG(log_, info, "global {} software reset requested", warm ? "warm" : "cold");
        ++warm_resets_;
    }
    Register& rstst = regs()["PRM_RSTST"];
    apply_reset(warm, offset);
    // PRM_RSTST logs the source once the reset is released (Table 8-198); a cold reset
    // leaves only GLOBAL_COLD_RST.
    if (kind == ResetKind::warm_sw)
        rstst.set_bits(kRststGlobalWarmSwRst);
    else if (kind == ResetKind::wdt1)
        rstst.set_bits(kRststWdt1Rst);
    else
        rstst.set(kRststGlobalColdRst);
    warm_reset.write(true, offset);
    warm_reset.write(false, offset);
    for (auto& f : reset_listeners_)
        f(kind);
}

}  // namespace vp
