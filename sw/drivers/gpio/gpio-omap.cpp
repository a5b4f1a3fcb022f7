#include "sw/drivers/gpio/gpio-omap.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <string>

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

struct GpioBank {
    unsigned index = 0;
    uint32_t base = 0;
    unsigned irq = 0;  // the bank's INTC line (Linux irq)
    kernel::irq_domain* domain = nullptr;
    kernel::irq_chip chip;
    uint32_t requested = 0;
    uint32_t level_mask = 0;  // pins with a level trigger
    std::array<std::string, OMAP_GPIO_PER_BANK> labels;
};

std::array<GpioBank*, OMAP_GPIO_BANKS> g_banks{};

GpioBank* bank_of(unsigned gpio) {
    const unsigned b = gpio / OMAP_GPIO_PER_BANK;
    return b < OMAP_GPIO_BANKS ? g_banks[b] : nullptr;
}

// omap_gpio_rmw(): read-modify-write of one register.
void gpio_rmw(uint32_t reg, uint32_t mask, bool set) {
    uint32_t l = readl_relaxed(reg);
    if (set)
        l |= mask;
    else
        l &= ~mask;
    writel_relaxed(l, reg);
}

void set_direction(GpioBank& b, unsigned offset, bool input) {
    gpio_rmw(b.base + OMAP4_GPIO_OE, 1u << offset, input);
}

void set_dataout(GpioBank& b, unsigned offset, int value) {
    // omap_set_gpio_dataout_reg(): the set/clear registers, one bit.
    writel_relaxed(1u << offset,
                   b.base + (value ? OMAP4_GPIO_SETDATAOUT : OMAP4_GPIO_CLEARDATAOUT));
}

// omap_set_gpio_trigger(): the four detect registers of one pin.
void set_triggering(GpioBank& b, unsigned offset, unsigned type) {
    const uint32_t m = 1u << offset;
    gpio_rmw(b.base + OMAP4_GPIO_LEVELDETECT0, m, type & kernel::IRQ_TYPE_LEVEL_LOW);
    gpio_rmw(b.base + OMAP4_GPIO_LEVELDETECT1, m, type & kernel::IRQ_TYPE_LEVEL_HIGH);
    gpio_rmw(b.base + OMAP4_GPIO_RISINGDETECT, m, type & kernel::IRQ_TYPE_EDGE_RISING);
    gpio_rmw(b.base + OMAP4_GPIO_FALLINGDETECT, m, type & kernel::IRQ_TYPE_EDGE_FALLING);
    if (type & kernel::IRQ_TYPE_LEVEL_MASK)
        b.level_mask |= m;
    else
        b.level_mask &= ~m;
}

void clear_irqstatus(GpioBank& b, uint32_t bits) {
    writel_relaxed(bits, b.base + OMAP4_GPIO_IRQSTATUS0);
    // Flush posted write for the irq status to avoid spurious interrupts.
    readl_relaxed(b.base + OMAP4_GPIO_IRQSTATUS0);
}

GpioBank& bank_data(kernel::irq_data& d) {
    return *static_cast<GpioBank*>(d.chip_data);
}

void gpio_ack_irq(kernel::irq_data& d) {
    clear_irqstatus(bank_data(d), 1u << d.hwirq);
}

void gpio_mask_irq(kernel::irq_data& d) {
    writel_relaxed(1u << d.hwirq, bank_data(d).base + OMAP4_GPIO_IRQSTATUSCLR0);
}

void gpio_unmask_irq(kernel::irq_data& d) {
    GpioBank& b = bank_data(d);
    writel_relaxed(1u << d.hwirq, b.base + OMAP4_GPIO_IRQSTATUSSET0);
    // Level triggers are cleared once the source is gone, i.e. after the handler ran.
    if (b.level_mask & (1u << d.hwirq)) clear_irqstatus(b, 1u << d.hwirq);
}

int gpio_irq_type(kernel::irq_data& d, unsigned type) {
    GpioBank& b = bank_data(d);
    if (type & ~kernel::IRQ_TYPE_SENSE_MASK) return -EINVAL;
    set_triggering(b, static_cast<unsigned>(d.hwirq), type);
    kernel::irq_set_handler(d.irq, (type & kernel::IRQ_TYPE_LEVEL_MASK) ? kernel::irq_flow::level
                                                                        : kernel::irq_flow::edge);
    return 0;
}

void gpio_irq_startup(kernel::irq_data& d) {
    // omap_gpio_irq_startup(): the pin becomes an input, then unmasked.
    GpioBank& b = bank_data(d);
    set_direction(b, static_cast<unsigned>(d.hwirq), true);
    gpio_unmask_irq(d);
}

// omap_gpio_irq_handler()
kernel::irqreturn_t gpio_bank_irq(int, void* dev) {
    GpioBank& b = *static_cast<GpioBank*>(dev);
    for (;;) {
        const uint32_t enabled = readl_relaxed(b.base + OMAP4_GPIO_IRQSTATUSSET0);
        uint32_t isr = readl_relaxed(b.base + OMAP4_GPIO_IRQSTATUS0) & enabled;
        const uint32_t level = b.level_mask & enabled;
        // Clear edge-sensitive interrupts before the handlers run, so that none is missed.
        if (isr & ~level) clear_irqstatus(b, isr & ~level);
        if (!isr) break;
        while (isr) {
            const unsigned bit = static_cast<unsigned>(__builtin_ctz(isr));
            isr &= ~(1u << bit);
            kernel::generic_handle_domain_irq(b.domain, bit);
        }
    }
    return kernel::IRQ_HANDLED;
}

// omap_gpio_mod_init()
void gpio_mod_init(GpioBank& b) {
    const uint32_t all = 0xFFFFFFFFu;
    gpio_rmw(b.base + OMAP4_GPIO_IRQSTATUSSET0, all, false);
    gpio_rmw(b.base + OMAP4_GPIO_IRQSTATUS0, all, true);
    writel_relaxed(0, b.base + OMAP4_GPIO_DEBOUNCENABLE);
    writel_relaxed(0, b.base + OMAP4_GPIO_CTRL);  // interface clock ungated, module enabled
}

}  // namespace

int omap_gpio_probe(const kernel::DeviceInfo& info) {
    const std::string prefix = "gpio";
    if (info.name.size() != prefix.size() + 1 || info.name.compare(0, prefix.size(), prefix) != 0 ||
        info.name.back() < '0' || info.name.back() >= static_cast<char>('0' + OMAP_GPIO_BANKS))
        return -EINVAL;
    const unsigned index = static_cast<unsigned>(info.name.back() - '0');
    if (g_banks[index]) return -EBUSY;
    if (info.irqs.empty() || !omap_intc_domain()) return -ENODEV;
    if (const int ret = omap_hwmod_enable(info.clkctrl)) return ret;
    auto* b = new GpioBank;
    b->index = index;
    b->base = kernel::ioremap(info.base, info.size);
    if (!b->base) {
        delete b;
        return -ENOMEM;
    }
    gpio_mod_init(*b);
    kernel::irq_chip& c = b->chip;
    c.name = "gpio";
    c.irq_ack = gpio_ack_irq;
    c.irq_mask = gpio_mask_irq;
    c.irq_unmask = gpio_unmask_irq;
    c.irq_set_type = gpio_irq_type;
    c.irq_startup = gpio_irq_startup;
    b->domain = kernel::irq_domain_add_linear(info.name, OMAP_GPIO_PER_BANK, &b->chip, b,
                                              kernel::irq_flow::edge);
    b->irq = omap_intc_irq(info.irqs.front());
    char name[32];
    std::snprintf(name, sizeof name, "%x.gpio", static_cast<unsigned>(info.base));
    if (const int ret = kernel::request_irq(b->irq, gpio_bank_irq, 0, name, b)) {
        kernel::irq_domain_remove(b->domain);
        kernel::iounmap(b->base);
        delete b;
        return ret;
    }
    g_banks[index] = b;
    pr_info("gpio gpiochip%u: (%s): added GPIO chardev\n", index, name);
    return 0;
}

void omap_gpio_remove_all() {
    for (GpioBank*& b : g_banks) {
        if (!b) continue;
        kernel::free_irq(b->irq, b);
        kernel::irq_domain_remove(b->domain);
        kernel::iounmap(b->base);
        delete b;
        b = nullptr;
    }
}

uint32_t omap_gpio_base(unsigned bank) {
    return bank < OMAP_GPIO_BANKS && g_banks[bank] ? g_banks[bank]->base : 0;
}

int gpio_request(unsigned gpio, const char* label) {
    GpioBank* b = bank_of(gpio);
    if (!b) return -EINVAL;
    const uint32_t m = 1u << (gpio % OMAP_GPIO_PER_BANK);
    if (b->requested & m) return -EBUSY;
    b->requested |= m;
    b->labels[gpio % OMAP_GPIO_PER_BANK] = label ? label : "";
    return 0;
}

void gpio_free(unsigned gpio) {
    if (GpioBank* b = bank_of(gpio)) b->requested &= ~(1u << (gpio % OMAP_GPIO_PER_BANK));
}

int gpio_direction_input(unsigned gpio) {
    GpioBank* b = bank_of(gpio);
    if (!b) return -EINVAL;
    set_direction(*b, gpio % OMAP_GPIO_PER_BANK, true);
    return 0;
}

int gpio_direction_output(unsigned gpio, int value) {
    GpioBank* b = bank_of(gpio);
    if (!b) return -EINVAL;
    // omap_gpio_output(): the level first, then the driver on.
    set_dataout(*b, gpio % OMAP_GPIO_PER_BANK, value);
    set_direction(*b, gpio % OMAP_GPIO_PER_BANK, false);
    return 0;
}

void gpio_set_value(unsigned gpio, int value) {
    if (GpioBank* b = bank_of(gpio)) set_dataout(*b, gpio % OMAP_GPIO_PER_BANK, value);
}

int gpio_get_value(unsigned gpio) {
    GpioBank* b = bank_of(gpio);
    if (!b) return -EINVAL;
    const uint32_t m = 1u << (gpio % OMAP_GPIO_PER_BANK);
    // omap_gpio_get(): an output reads back its latch, an input its pad.
    const bool output = !(readl_relaxed(b->base + OMAP4_GPIO_OE) & m);
    const uint32_t reg = output ? OMAP4_GPIO_DATAOUT : OMAP4_GPIO_DATAIN;
    return (readl_relaxed(b->base + reg) & m) ? 1 : 0;
}

int gpio_to_irq(unsigned gpio) {
    GpioBank* b = bank_of(gpio);
    if (!b) return -EINVAL;
    const unsigned irq = kernel::irq_create_mapping(b->domain, gpio % OMAP_GPIO_PER_BANK);
    return irq ? static_cast<int>(irq) : -EINVAL;
}

}  // namespace drivers
