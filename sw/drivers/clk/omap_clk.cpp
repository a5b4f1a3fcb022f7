#include "sw/drivers/clk/omap_clk.h"

#include <cerrno>
#include <map>

#include "sw/hal/io.h"
#include "sw/kernel/printk.h"
#include "sw/kernel/time.h"
#include "sw/mm/ioremap.h"

namespace drivers {

using kernel::pr_err;
using kernel::pr_info;
using kernel::pr_warn;

using hal::readl;
using hal::writel;

namespace {

uint32_t g_prcm = 0;
uint32_t g_control = 0;
bool g_control_enabled = false;

// CLKCTRL offsets in the PRCM window (SPRUH73 Table 8-30 CM_PER, Table 8-89 CM_WKUP).
const std::map<std::string, uint32_t>& clkctrl_table() {
    static const std::map<std::string, uint32_t> t = {
        {"cm_per.tptc0", CM_PER + 0x24},     {"cm_per.uart5", CM_PER + 0x38},
        {"cm_per.i2c2", CM_PER + 0x44},      {"cm_per.i2c1", CM_PER + 0x48},
        {"cm_per.uart1", CM_PER + 0x6C},     {"cm_per.uart2", CM_PER + 0x70},
        {"cm_per.uart3", CM_PER + 0x74},     {"cm_per.uart4", CM_PER + 0x78},
        {"cm_per.timer7", CM_PER + 0x7C},    {"cm_per.timer2", CM_PER + 0x80},
        {"cm_per.timer3", CM_PER + 0x84},    {"cm_per.timer4", CM_PER + 0x88},
        {"cm_per.gpio1", CM_PER + 0xAC},     {"cm_per.gpio2", CM_PER + 0xB0},
        {"cm_per.gpio3", CM_PER + 0xB4},     {"cm_per.tpcc", CM_PER + 0xBC},
        {"cm_per.timer5", CM_PER + 0xEC},    {"cm_per.timer6", CM_PER + 0xF0},
        {"cm_per.tptc1", CM_PER + 0xFC},     {"cm_per.tptc2", CM_PER + 0x100},
        {"cm_wkup.control", CM_WKUP + 0x04}, {"cm_wkup.gpio0", CM_WKUP + 0x08},
        {"cm_wkup.timer0", CM_WKUP + 0x10},  {"cm_wkup.uart0", CM_WKUP + 0xB4},
        {"cm_wkup.i2c0", CM_WKUP + 0xB8},    {"cm_wkup.timer1", CM_WKUP + 0xC4},
        {"cm_wkup.wdt1", CM_WKUP + 0xD4},
    };
    return t;
}

// CLKSEL_TIMERn_CLK offsets (Table 8-144), index = timer.
constexpr int kTimerClksel[8] = {-1,
                                 -1,
                                 CM_DPLL + 0x08,
                                 CM_DPLL + 0x0C,
                                 CM_DPLL + 0x10,
                                 CM_DPLL + 0x18,
                                 CM_DPLL + 0x1C,
                                 CM_DPLL + 0x04};

int ensure_control() {
    if (!g_control) return -ENODEV;
    if (g_control_enabled) return 0;
    const int ret = omap_hwmod_enable("cm_wkup.control");
    if (ret == 0) g_control_enabled = true;
    return ret;
}

}  // namespace

int omap_clk_init(const kernel::DeviceInfo& prcm, const kernel::DeviceInfo& control) {
    omap_clk_exit();
    g_prcm = kernel::ioremap(prcm.base, prcm.size);
    g_control = kernel::ioremap(control.base, control.size);
    if (!g_prcm || !g_control) {
        pr_err("omap_clk: cannot map the PRCM (%08x) or the Control Module (%08x)\n",
               static_cast<unsigned>(prcm.base), static_cast<unsigned>(control.base));
        omap_clk_exit();
        return -ENOMEM;
    }
    return 0;
}

int omap_clk_init(const kernel::BootInfo& info) {
    const kernel::DeviceInfo* prcm = info.device("prcm");
    const kernel::DeviceInfo* control = info.device("control");
    if (!prcm || !control) {
        pr_err("omap_clk: the boot information has no %s region\n", prcm ? "control" : "prcm");
        return -ENODEV;
    }
    return omap_clk_init(*prcm, *control);
}

void omap_clk_exit() {
    if (g_prcm) kernel::iounmap(g_prcm);
    if (g_control) kernel::iounmap(g_control);
    g_prcm = g_control = 0;
    g_control_enabled = false;
}

bool omap_clk_ready() {
    return g_prcm != 0;
}

int omap_clkctrl_offset(const std::string& clkctrl) {
    auto it = clkctrl_table().find(clkctrl);
    return it == clkctrl_table().end() ? -1 : static_cast<int>(it->second);
}

int omap_hwmod_idlest(const std::string& clkctrl) {
    if (!g_prcm) return -ENODEV;
    const int off = omap_clkctrl_offset(clkctrl);
    if (off < 0) return -ENOENT;
    return static_cast<int>((readl(g_prcm + off) & IDLEST_MASK) >> IDLEST_SHIFT);
}

int omap_hwmod_enable(const std::string& clkctrl) {
    if (clkctrl.empty()) return 0;
    if (!g_prcm) return -ENODEV;
    const int off = omap_clkctrl_offset(clkctrl);
    if (off < 0) {
        pr_err("omap_hwmod: no CLKCTRL for clock %s\n", clkctrl.c_str());
        return -ENOENT;
    }
    const uint32_t reg = g_prcm + static_cast<uint32_t>(off);
    // omap4_cminst_module_enable: MODULEMODE = SWCTRL (read-modify-write).
    uint32_t v = readl(reg);
    v = (v & ~MODULEMODE_MASK) | MODULEMODE_SWCTRL;
    writel(v, reg);
    // omap4_cminst_wait_module_ready: IDLEST functional or interface-idle, polled each us.
    for (unsigned us = 0; us <= MAX_MODULE_READY_TIME_US; ++us) {
        const uint32_t st = (readl(reg) & IDLEST_MASK) >> IDLEST_SHIFT;
        if (st == IDLEST_FUNCTIONAL || st == IDLEST_INTERFACE_IDLE) return 0;
        kernel::udelay(1);
    }
    pr_err("omap_hwmod: %s: _wait_target_ready failed: -16\n", clkctrl.c_str());
    return -ETIMEDOUT;
}

int omap_hwmod_disable(const std::string& clkctrl) {
    if (clkctrl.empty()) return 0;
    if (!g_prcm) return -ENODEV;
    const int off = omap_clkctrl_offset(clkctrl);
    if (off < 0) return -ENOENT;
    const uint32_t reg = g_prcm + static_cast<uint32_t>(off);
    writel(readl(reg) & ~MODULEMODE_MASK, reg);
    if (clkctrl == "cm_wkup.control") g_control_enabled = false;
    return 0;
}

unsigned long omap_sys_clk_rate() {
    if (ensure_control() != 0) return 0;
    // SYSBOOT[15:14] latched in CONTROL_STATUS[23:22] (Table 9-14).
    static const unsigned long kRates[4] = {19200000, 24000000, 25000000, 26000000};
    const uint32_t st = readl(g_control + CONTROL_STATUS);
    return kRates[(st >> CONTROL_STATUS_SYSBOOT1_SHIFT) & CONTROL_STATUS_SYSBOOT1_MASK];
}

unsigned long omap_timer_fclk_rate(unsigned timer) {
    if (timer >= 8 || kTimerClksel[timer] < 0) return timer == 0 ? CLK_32KHZ_RATE : ~0ul;
    if (!g_prcm) return 0;
    switch (readl(g_prcm + static_cast<uint32_t>(kTimerClksel[timer])) & CLKSEL_TIMER_MASK) {
        case CLKSEL_TIMER_M_OSC:
            return omap_sys_clk_rate();
        case CLKSEL_TIMER_32K:
            return CLK_32KHZ_RATE;
        default:
            return 0;  // TCLKIN: not driven on the boards
    }
}

int omap_pinmux_set(uint32_t offset, uint32_t value) {
    if (offset < PAD_CONF_FIRST || offset > PAD_CONF_LAST || (offset & 3)) return -EINVAL;
    const int ret = ensure_control();
    if (ret) return ret;
    writel(value, g_control + offset);
    return 0;
}

}  // namespace drivers
