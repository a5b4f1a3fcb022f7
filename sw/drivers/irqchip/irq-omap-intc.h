// The AM335x MPU interrupt controller driver (drivers/irqchip/irq-omap-intc.c,
// "ti,am33xx-intc"; SPRUH73 §6.5; am335x.md §8).
//
//   omap_intc_probe(info)  ioremaps the INTC, soft-resets it (SYSCONFIG.SOFTRESET, poll
//       SYSSTATUS.RESETDONE), sets AUTOIDLE, masks every line, creates the 128-line irq
//       domain (chip "INTC", level flow: mask = MIR_SETn, unmask = MIR_CLEARn, ack =
//       CONTROL.NEWIRQAGR) and installs omap_intc_handle_irq as the CPU's IRQ entry;
//   omap_intc_handle_irq()  reads SIR_IRQ; all-ones SPURIOUSIRQFLAG = spurious (counted in
//       irq_err_count, NEWIRQAGR written); else dispatches ACTIVEIRQ through the domain;
//   omap_intc_irq(hwirq)  the Linux irq number of an INTC line (irq_of_parse_and_map).
#pragma once

#include <cstdint>

#include "sw/kernel/boot.h"
#include "sw/kernel/irq.h"

namespace drivers {

// Register offsets (SPRUH73 Table 6-4).
constexpr uint32_t INTC_REVISION = 0x00;
constexpr uint32_t INTC_SYSCONFIG = 0x10;
constexpr uint32_t INTC_SYSSTATUS = 0x14;
constexpr uint32_t INTC_SIR = 0x40;
constexpr uint32_t INTC_CONTROL = 0x48;
constexpr uint32_t INTC_PROTECTION = 0x4C;
constexpr uint32_t INTC_IDLE = 0x50;
constexpr uint32_t INTC_THRESHOLD = 0x68;
constexpr uint32_t INTC_MIR0 = 0x84;
constexpr uint32_t INTC_MIR_CLEAR0 = 0x88;
constexpr uint32_t INTC_MIR_SET0 = 0x8C;
constexpr uint32_t INTC_PENDING_IRQ0 = 0x98;
constexpr uint32_t INTC_BANK_STRIDE = 0x20;
constexpr uint32_t INTC_ILR0 = 0x100;
// Fields.
constexpr uint32_t INTC_SYSCONFIG_AUTOIDLE = 1u << 0;
constexpr uint32_t INTC_SYSCONFIG_SOFTRESET = 1u << 1;
constexpr uint32_t INTC_SYSSTATUS_RESETDONE = 1u << 0;
constexpr uint32_t INTC_CONTROL_NEWIRQAGR = 1u << 0;
constexpr uint32_t INTC_PROTECTION_ENABLE = 1u << 0;
constexpr uint32_t ACTIVEIRQ_MASK = 0x7F;
constexpr uint32_t SPURIOUSIRQ_MASK = 0x1FFFFFFu << 7;
constexpr unsigned OMAP_INTC_NR_IRQS = 128;  // am33xx: 128 lines, 4 banks
constexpr unsigned OMAP_INTC_RESET_POLLS = 100000;

// 0, -ENOMEM (ioremap), -ETIMEDOUT (RESETDONE never set), -EBUSY (already probed).
int omap_intc_probe(const kernel::DeviceInfo& info);
void omap_intc_remove();
kernel::irq_domain* omap_intc_domain();
// Linux irq of INTC line `hwirq` (created on first use); 0 if no INTC or hwirq >= 128.
unsigned omap_intc_irq(unsigned hwirq);
// The IRQ entry (handle_arch_irq).
void omap_intc_handle_irq();
uint32_t omap_intc_base();  // the ioremap cookie (tests)

}  // namespace drivers
