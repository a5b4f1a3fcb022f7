// OMAP clock and pad helpers for the AM335x drivers (docs/guest/drivers.md): what Linux's
// omap hwmod / clkctrl code (arch/arm/mach-omap2/omap_hwmod.c _enable_clocks +
// _omap4_wait_target_ready, drivers/clk/ti/clkctrl.c) and pinctrl-single do for a driver.
//
//   omap_clk_init(prcm, control)  maps the PRCM and the Control Module (ioremap);
//   omap_hwmod_enable("cm_per.gpio1")  CLKCTRL.MODULEMODE = 2 (ENABLE), then polls IDLEST
//       until 0 (functional) or 2 (interface idle), at most 2 ms (MAX_MODULE_READY_TIME);
//       modules are really clock-gated: touching one before this is a data abort;
//   omap_sys_clk_rate()  CLK_M_OSC from CONTROL_STATUS.SYSBOOT[15:14] (19.2/24/25/26 MHz);
//   omap_timer_fclk_rate(n)  DMTIMERn's functional clock from CLKSEL_TIMERn_CLK;
//   omap_pinmux_set(offset, value)  one pad configuration register (pinctrl-single,pins).
// Clock names are the SoC file's clkctrl names (configs/soc/am335x.yaml), the offsets those
// of SPRUH73 Tables 8-30 (CM_PER) and 8-89 (CM_WKUP).
#pragma once

#include <cstdint>
#include <string>

#include "sw/kernel/boot.h"

namespace drivers {

// PRCM offsets (SPRUH73 §8.1.12).
constexpr uint32_t CM_PER = 0x0000;
constexpr uint32_t CM_WKUP = 0x0400;
constexpr uint32_t CM_DPLL = 0x0500;
constexpr uint32_t MODULEMODE_MASK = 0x3;
constexpr uint32_t MODULEMODE_SWCTRL = 0x2;  // ENABLE
constexpr unsigned IDLEST_SHIFT = 16;
constexpr uint32_t IDLEST_MASK = 0x3u << IDLEST_SHIFT;
constexpr uint32_t IDLEST_FUNCTIONAL = 0;
constexpr uint32_t IDLEST_INTERFACE_IDLE = 2;
constexpr uint32_t IDLEST_DISABLED = 3;
constexpr unsigned MAX_MODULE_READY_TIME_US = 2000;  // omap_hwmod.c
// CLKSEL_TIMERn_CLK (Table 8-144): 0 TCLKIN, 1 CLK_M_OSC, 2 CLK_32KHZ.
constexpr uint32_t CLKSEL_TIMER_MASK = 0x3;
constexpr uint32_t CLKSEL_TIMER_M_OSC = 1;
constexpr uint32_t CLKSEL_TIMER_32K = 2;
constexpr unsigned long CLK_32KHZ_RATE = 32768;
// Control Module (SPRUH73 Table 9-10 / 9-14).
constexpr uint32_t CONTROL_STATUS = 0x40;
constexpr unsigned CONTROL_STATUS_SYSBOOT1_SHIFT = 22;  // [23:22] crystal
constexpr uint32_t CONTROL_STATUS_SYSBOOT1_MASK = 0x3;
constexpr uint32_t PAD_CONF_FIRST = 0x800;
constexpr uint32_t PAD_CONF_LAST = 0xA34;
// pinctrl values (include/dt-bindings/pinctrl/am33xx.h).
constexpr uint32_t MUX_MODE7 = 7;
constexpr uint32_t PULL_DISABLE = 1u << 3;
constexpr uint32_t PULL_UP = 1u << 4;
constexpr uint32_t INPUT_EN = 1u << 5;
constexpr uint32_t PIN_OUTPUT = PULL_DISABLE;
constexpr uint32_t PIN_INPUT = INPUT_EN | PULL_DISABLE;

// Maps the PRCM and Control Module windows. Returns 0, -ENODEV (a region missing) or
// -ENOMEM (ioremap refused).
int omap_clk_init(const kernel::DeviceInfo& prcm, const kernel::DeviceInfo& control);
// From a BootInfo ("prcm", "control").
int omap_clk_init(const kernel::BootInfo& info);
void omap_clk_exit();
bool omap_clk_ready();

// CLKCTRL register offset of a clock name, or -1 if unknown.
int omap_clkctrl_offset(const std::string& clkctrl);
// Enables a module's clock and waits for it: 0, -ENOENT (unknown name), -ETIMEDOUT (IDLEST
// never left 1/3), -ENODEV (omap_clk_init not done). "" (always on) returns 0 at once.
int omap_hwmod_enable(const std::string& clkctrl);
// MODULEMODE = 0 (DISABLED); 0 or -ENOENT / -ENODEV.
int omap_hwmod_disable(const std::string& clkctrl);
// Current IDLEST of a module (0..3), or -ENOENT / -ENODEV.
int omap_hwmod_idlest(const std::string& clkctrl);

unsigned long omap_sys_clk_rate();
// 0 for TCLKIN (not driven on the boards) or a reserved selection; -1ul for a timer
// without a CLKSEL register (0 is the RC oscillator: 32768 taken).
unsigned long omap_timer_fclk_rate(unsigned timer);
// Writes a pad configuration register (0x800..0xA34): 0 or -EINVAL.
int omap_pinmux_set(uint32_t offset, uint32_t value);

}  // namespace drivers
