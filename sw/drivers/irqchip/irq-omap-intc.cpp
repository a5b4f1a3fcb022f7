#include "sw/drivers/irqchip/irq-omap-intc.h"

#include <cerrno>

#include "sw/hal/io.h"
#include "sw/kernel/printk.h"
#include "sw/mm/ioremap.h"

namespace drivers {

using kernel::pr_err;
using kernel::pr_info;
using kernel::pr_warn;

using hal::readl;
using hal::writel;

namespace {

struct OmapIntc {
    uint32_t base = 0;
    kernel::irq_domain* domain = nullptr;
    kernel::irq_chip chip;
    bool spurious_logged = false;
};

OmapIntc* g_intc = nullptr;

uint32_t bank_reg(uint32_t reg, unsigned long hwirq) {
    return g_intc->base + reg + INTC_BANK_STRIDE * static_cast<uint32_t>(hwirq / 32);
}

uint32_t bank_bit(unsigned long hwirq) {
    return 1u << (hwirq % 32);
}

void omap_mask_irq(kernel::irq_data& d) {
    writel(bank_bit(d.hwirq), bank_reg(INTC_MIR_SET0, d.hwirq));
}

void omap_unmask_irq(kernel::irq_data& d) {
    writel(bank_bit(d.hwirq), bank_reg(INTC_MIR_CLEAR0, d.hwirq));
}

void omap_ack_irq(kernel::irq_data&) {
    writel(INTC_CONTROL_NEWIRQAGR, g_intc->base + INTC_CONTROL);
}

void omap_mask_ack_irq(kernel::irq_data& d) {
    omap_mask_irq(d);
    omap_ack_irq(d);
}

// omap_irq_soft_reset()
int omap_irq_soft_reset() {
    const uint32_t base = g_intc->base;
    writel(readl(base + INTC_SYSCONFIG) | INTC_SYSCONFIG_SOFTRESET, base + INTC_SYSCONFIG);
    unsigned polls = 0;
    while (!(readl(base + INTC_SYSSTATUS) & INTC_SYSSTATUS_RESETDONE))
        if (++polls == OMAP_INTC_RESET_POLLS) return -ETIMEDOUT;
    // Enable autoidle.
    writel(INTC_SYSCONFIG_AUTOIDLE, base + INTC_SYSCONFIG);
    return 0;
}

}  // namespace

int omap_intc_probe(const kernel::DeviceInfo& info) {
    if (g_intc) return -EBUSY;
    const uint32_t base = kernel::ioremap(info.base, info.size);
    if (!base) {
        pr_err("intc: unable to map %s at %08x\n", info.name.c_str(),
               static_cast<unsigned>(info.base));
        return -ENOMEM;
    }
    g_intc = new OmapIntc;
    g_intc->base = base;
    const uint32_t rev = readl(base + INTC_REVISION) & 0xFF;
    pr_info("IRQ: Found an INTC at 0x%08x (revision %u.%u) with %u interrupts\n", base, rev >> 4,
            rev & 0xF, OMAP_INTC_NR_IRQS);
    if (const int ret = omap_irq_soft_reset()) {
        pr_err("intc: soft reset timed out\n");
        omap_intc_remove();
        return ret;
    }
    // omap_irq_enable_protection(): registers from privileged mode only.
    writel(INTC_PROTECTION_ENABLE, base + INTC_PROTECTION);
    for (unsigned bank = 0; bank < OMAP_INTC_NR_IRQS / 32; ++bank)
        writel(0xFFFFFFFFu, base + INTC_MIR_SET0 + INTC_BANK_STRIDE * bank);

    kernel::irq_chip& c = g_intc->chip;
    c.name = "INTC";
    c.irq_mask = omap_mask_irq;
    c.irq_unmask = omap_unmask_irq;
    c.irq_ack = omap_ack_irq;
    c.irq_mask_ack = omap_mask_ack_irq;
    g_intc->domain = kernel::irq_domain_add_linear("intc", OMAP_INTC_NR_IRQS, &g_intc->chip, g_intc,
                                                   kernel::irq_flow::level);
    kernel::set_handle_irq(omap_intc_handle_irq);
    return 0;
}

void omap_intc_remove() {
    if (!g_intc) return;
    if (hal::Cpu* cpu = hal::this_cpu_or_null()) cpu->set_irq_handler({});
    if (g_intc->domain) kernel::irq_domain_remove(g_intc->domain);
    kernel::iounmap(g_intc->base);
    delete g_intc;
    g_intc = nullptr;
}

kernel::irq_domain* omap_intc_domain() {
    return g_intc ? g_intc->domain : nullptr;
}

unsigned omap_intc_irq(unsigned hwirq) {
    return g_intc ? kernel::irq_create_mapping(g_intc->domain, hwirq) : 0;
}

uint32_t omap_intc_base() {
    return g_intc ? g_intc->base : 0;
}

void omap_intc_handle_irq() {
    if (!g_intc) return;
    uint32_t irqnr = readl(g_intc->base + INTC_SIR);
    if ((irqnr & SPURIOUSIRQ_MASK) == SPURIOUSIRQ_MASK) {
        if (!g_intc->spurious_logged) {
            g_intc->spurious_logged = true;
            pr_err("omap_intc_handle_irq: spurious irq!\n");
        }
        kernel::irq_err_count_inc();
        writel(INTC_CONTROL_NEWIRQAGR, g_intc->base + INTC_CONTROL);
        return;
    }
    irqnr &= ACTIVEIRQ_MASK;
    if (kernel::generic_handle_domain_irq(g_intc->domain, irqnr) != 0) {
        // handle_bad_irq(): nobody mapped this line; keep it masked and release the INTC.
        kernel::irq_err_count_inc();
        pr_err("irq: no irq mapped for INTC line %u; masking it\n", irqnr);
        writel(bank_bit(irqnr), bank_reg(INTC_MIR_SET0, irqnr));
        writel(INTC_CONTROL_NEWIRQAGR, g_intc->base + INTC_CONTROL);
    }
}

}  // namespace drivers
