// DMTIMER clockevent (arch/arm/mach-omap2/timer.c omap2_gp_clockevent_init and
// include/clocksource/timer-ti-dm.h __omap_dm_timer_* helpers; SPRUH73 §20.1; am335x.md §7).
// The AM33xx kernel ticks on DMTIMER2 ("timer2", clocked from CLK_M_OSC by CLKSEL_TIMER2_CLK):
//
//   probe: clock on (CM_PER_TIMER2_CLKCTRL), TIDR read (v2 IP: functional registers at
//     +0x14), TSICR.POSTED = 1 (posted mode: each functional-register write first waits for
//     its TWPS bit to clear), request_irq(INTC 68, "gp_timer"), IRQENABLE_SET = OVF (and
//     IRQWAKEEN), then clockevents_register_device(): periodic mode =
//       stop (TCLR.ST = 0), TLDR = 0xFFFFFFFF - (rate / HZ - 1), TCRR = same,
//       TCLR = AR | ST;
//   interrupt: IRQSTATUS = OVF (W1C), then the tick handler (jiffies + 1).
// At 24 MHz and HZ = 100: TLDR = 0xFFFC5680, 2^32 - TLDR = 240000 ticks = 10 ms a tick.
#pragma once

#include <cstdint>

#include "sw/kernel/boot.h"
#include "sw/kernel/time.h"

namespace drivers {

// DMTIMER v2 registers (SPRUH73 Table 20-9).
constexpr uint32_t OMAP_TIMER_ID_OFFSET = 0x00;
constexpr uint32_t OMAP_TIMER_OCP_CFG_OFFSET = 0x10;
constexpr uint32_t OMAP_TIMER_V2_IRQSTATUS_RAW = 0x24;
constexpr uint32_t OMAP_TIMER_V2_IRQSTATUS = 0x28;
constexpr uint32_t OMAP_TIMER_V2_IRQENABLE_SET = 0x2C;
constexpr uint32_t OMAP_TIMER_V2_IRQENABLE_CLR = 0x30;
constexpr uint32_t OMAP_TIMER_V2_IRQWAKEEN = 0x34;
constexpr uint32_t OMAP_TIMER_CTRL_REG = 0x38;        // TCLR
constexpr uint32_t OMAP_TIMER_COUNTER_REG = 0x3C;     // TCRR
constexpr uint32_t OMAP_TIMER_LOAD_REG = 0x40;        // TLDR
constexpr uint32_t OMAP_TIMER_TRIGGER_REG = 0x44;     // TTGR
constexpr uint32_t OMAP_TIMER_WRITE_PEND_REG = 0x48;  // TWPS
constexpr uint32_t OMAP_TIMER_MATCH_REG = 0x4C;       // TMAR
constexpr uint32_t OMAP_TIMER_IF_CTRL_REG = 0x54;     // TSICR
// TWPS bits of the posted registers.
constexpr uint32_t WP_TCLR = 1u << 0;
constexpr uint32_t WP_TCRR = 1u << 1;
constexpr uint32_t WP_TLDR = 1u << 2;
constexpr uint32_t WP_TTGR = 1u << 3;
constexpr uint32_t WP_TMAR = 1u << 4;
// TCLR / TSICR / interrupt bits.
constexpr uint32_t OMAP_TIMER_CTRL_ST = 1u << 0;
constexpr uint32_t OMAP_TIMER_CTRL_AR = 1u << 1;
constexpr uint32_t OMAP_TIMER_CTRL_POSTED = 1u << 2;  // TSICR.POSTED
constexpr uint32_t OMAP_TIMER_INT_MATCH = 1u << 0;
constexpr uint32_t OMAP_TIMER_INT_OVERFLOW = 1u << 1;
constexpr uint32_t OMAP_TIMER_INT_CAPTURE = 1u << 2;
constexpr unsigned OMAP_TIMER_POSTED_POLLS = 100000;

// Probes `info` (DMTIMER2 on the AM33xx) as the tick device. `timer` is the DMTIMER number
// (for CLKSEL_TIMERn_CLK). 0, -ENODEV (no INTC / no clock rate), -ENOMEM, -EBUSY, or the
// error of request_irq / the clock.
int omap_dm_timer_clockevent_init(const kernel::DeviceInfo& info, unsigned timer = 2);
void omap_dm_timer_clockevent_exit();
kernel::clock_event_device* omap_dm_timer_clockevent();
uint32_t omap_dm_timer_base();  // ioremap cookie (tests)

}  // namespace drivers
