#include "sw/drivers/clocksource/timer-ti-dm.h"

#include <cerrno>

#include "sw/drivers/clk/omap_clk.h"
#include "sw/drivers/irqchip/irq-omap-intc.h"
#include "sw/hal/io.h"
#include "sw/kernel/irq.h"
#include "sw/kernel/printk.h"
#include "sw/mm/ioremap.h"

namespace drivers {

using kernel::pr_err;
using kernel::pr_info;
using kernel::pr_warn;

using hal::readl_relaxed;
using hal::writel_relaxed;

namespace {

struct OmapDmTimer {
    uint32_t io_base = 0;
    uint32_t func_base = 0;  // v2: io_base + 0x14 holds the legacy functional map
    uint32_t irq_stat = 0;
    uint32_t irq_ena = 0;
    uint32_t pend = 0;
    bool posted = false;
    unsigned irq = 0;
    std::string clkctrl;
    kernel::clock_event_device evt;
};

OmapDmTimer* g_clkev = nullptr;

// __omap_dm_timer_write(): in posted mode wait for the register's TWPS bit first.
void dm_write(OmapDmTimer& t, uint32_t reg, uint32_t value, uint32_t wp_bit) {
    if (t.posted && wp_bit) {
        unsigned polls = 0;
        while (readl_relaxed(t.pend) & wp_bit)
            if (++polls == OMAP_TIMER_POSTED_POLLS) {
                pr_err("dmtimer: TWPS bit %#x stuck\n", wp_bit);
                break;
            }
    }
    writel_relaxed(value, t.io_base + reg);
}

uint32_t dm_read(OmapDmTimer& t, uint32_t reg, uint32_t wp_bit) {
    if (t.posted && wp_bit)
        while (readl_relaxed(t.pend) & wp_bit) {
        }
    return readl_relaxed(t.io_base + reg);
}

// __omap_dm_timer_stop()
void dm_stop(OmapDmTimer& t) {
    uint32_t l = dm_read(t, OMAP_TIMER_CTRL_REG, WP_TCLR);
    if (l & OMAP_TIMER_CTRL_ST) {
        l &= ~OMAP_TIMER_CTRL_ST;
        dm_write(t, OMAP_TIMER_CTRL_REG, l, WP_TCLR);
    }
    // Ack possibly pending interrupts.
    writel_relaxed(OMAP_TIMER_INT_CAPTURE | OMAP_TIMER_INT_OVERFLOW | OMAP_TIMER_INT_MATCH,
                   t.irq_stat);
}

// omap2_gp_timer_set_periodic()
int set_periodic(kernel::clock_event_device& evt) {
    OmapDmTimer& t = *g_clkev;
    dm_stop(t);
    const uint32_t period = static_cast<uint32_t>(evt.rate / kernel::HZ) - 1;
    // "Looks like we need to first set the load value separately".
    dm_write(t, OMAP_TIMER_LOAD_REG, 0xFFFFFFFFu - period, WP_TLDR);
    // __omap_dm_timer_load_start(): TCRR = load, then TCLR = AR | ST.
    dm_write(t, OMAP_TIMER_COUNTER_REG, 0xFFFFFFFFu - period, WP_TCRR);
    dm_write(t, OMAP_TIMER_CTRL_REG, OMAP_TIMER_CTRL_AR | OMAP_TIMER_CTRL_ST, WP_TCLR);
    return 0;
}

int set_shutdown(kernel::clock_event_device&) {
    dm_stop(*g_clkev);
    return 0;
}

// omap2_gp_timer_interrupt()
kernel::irqreturn_t gp_timer_interrupt(int, void*) {
    OmapDmTimer& t = *g_clkev;
    writel_relaxed(OMAP_TIMER_INT_OVERFLOW, t.irq_stat);
    if (t.evt.event_handler) t.evt.event_handler(t.evt);
    return kernel::IRQ_HANDLED;
}

}  // namespace

int omap_dm_timer_clockevent_init(const kernel::DeviceInfo& info, unsigned timer) {
    if (g_clkev) return -EBUSY;
    if (info.irqs.empty() || !omap_intc_domain()) {
        pr_err("%s: no interrupt controller or no interrupt line\n", info.name.c_str());
        return -ENODEV;
    }
    if (const int ret = omap_hwmod_enable(info.clkctrl)) return ret;
    const unsigned long rate = omap_timer_fclk_rate(timer);
    if (rate == 0 || rate == ~0ul || rate < kernel::HZ) {
        pr_err("%s: no usable functional clock\n", info.name.c_str());
        return -ENODEV;
    }
    auto* t = new OmapDmTimer;
    t->io_base = kernel::ioremap(info.base, info.size);
    if (!t->io_base) {
        delete t;
        return -ENOMEM;
    }
    t->clkctrl = info.clkctrl;
    // __omap_dm_timer_init_regs(): TIDR[31:16] != 0 is the v2 IP.
    const uint32_t tidr = readl_relaxed(t->io_base + OMAP_TIMER_ID_OFFSET);
    if (!(tidr >> 16)) {
        pr_err("%s: not a v2 DMTIMER (TIDR %08x)\n", info.name.c_str(), tidr);
        kernel::iounmap(t->io_base);
        delete t;
        return -ENODEV;
    }
    t->func_base = t->io_base + 0x14;
    t->irq_stat = t->io_base + OMAP_TIMER_V2_IRQSTATUS;
    t->irq_ena = t->io_base + OMAP_TIMER_V2_IRQENABLE_SET;
    t->pend = t->io_base + OMAP_TIMER_WRITE_PEND_REG;
    g_clkev = t;
    // __omap_dm_timer_enable_posted()
    dm_write(*t, OMAP_TIMER_IF_CTRL_REG, OMAP_TIMER_CTRL_POSTED, 0);
    t->posted = true;

    t->irq = omap_intc_irq(info.irqs.front());
    if (const int ret =
            kernel::request_irq(t->irq, gp_timer_interrupt, kernel::IRQF_TIMER, "gp_timer", t)) {
        t->irq = 0;
        omap_dm_timer_clockevent_exit();
        return ret;
    }
    // __omap_dm_timer_int_enable(OVF)
    writel_relaxed(OMAP_TIMER_INT_OVERFLOW, t->irq_ena);
    dm_write(*t, OMAP_TIMER_V2_IRQWAKEEN, OMAP_TIMER_INT_OVERFLOW, 0);

    kernel::clock_event_device& evt = t->evt;
    evt.name = "timer" + std::to_string(timer);
    evt.features = kernel::CLOCK_EVT_FEAT_PERIODIC | kernel::CLOCK_EVT_FEAT_ONESHOT;
    evt.rating = 300;
    evt.irq = t->irq;
    evt.rate = rate;
    evt.set_state_periodic = set_periodic;
    evt.set_state_shutdown = set_shutdown;
    pr_info("clockevent: %s at %lu Hz\n", evt.name.c_str(), rate);
    return kernel::clockevents_register_device(&evt);
}

void omap_dm_timer_clockevent_exit() {
    if (!g_clkev) return;
    kernel::clockevents_unregister_device(&g_clkev->evt);
    if (g_clkev->irq) kernel::free_irq(g_clkev->irq, g_clkev);
    kernel::iounmap(g_clkev->io_base);
    delete g_clkev;
    g_clkev = nullptr;
}

kernel::clock_event_device* omap_dm_timer_clockevent() {
    return g_clkev ? &g_clkev->evt : nullptr;
}

uint32_t omap_dm_timer_base() {
    return g_clkev ? g_clkev->io_base : 0;
}

}  // namespace drivers
