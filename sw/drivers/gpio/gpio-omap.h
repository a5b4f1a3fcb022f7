// OMAP GPIO driver (drivers/gpio/gpio-omap.c, "ti,omap4-gpio"; SPRUH73 §25; am335x.md §4)
// and the legacy gpiolib calls on it. Bank N ("gpioN") holds GPIOs 32N .. 32N+31.
//
//   probe: clock on, omap_gpio_mod_init (interrupts disabled and cleared, debounce off, CTRL
//     = 0), a 32-line irq domain (chip "gpio"), request_irq on the bank's first INTC line
//     (line A: IRQSTATUS_0 / IRQSTATUS_SET_0 / _CLR_0, as Linux uses);
//   output: SETDATAOUT / CLEARDATAOUT, then OE bit cleared; input: OE bit set; the value of
//     an output reads DATAOUT, of an input DATAIN;
//   irq: gpio_to_irq(); the trigger (IRQF_TRIGGER_RISING/FALLING/both, or LEVEL) goes to
//     RISINGDETECT / FALLINGDETECT / LEVELDETECTn; edges use handle_edge_irq (ack =
//     IRQSTATUS_0 W1C), levels handle_level_irq; unmask = IRQSTATUS_SET_0, mask = _CLR_0.
//   The bank interrupt (omap_gpio_irq_handler) loops: status & enable, clears the edge
//   bits first, then dispatches each pin, lowest first.
#pragma once

#include <cstdint>

#include "sw/kernel/boot.h"

namespace drivers {

// Register offsets (SPRUH73 Table 25-5; Linux OMAP4_GPIO_*).
constexpr uint32_t OMAP4_GPIO_REVISION = 0x0000;
constexpr uint32_t OMAP4_GPIO_SYSCONFIG = 0x0010;
constexpr uint32_t OMAP4_GPIO_IRQSTATUSRAW0 = 0x0024;
constexpr uint32_t OMAP4_GPIO_IRQSTATUS0 = 0x002C;
constexpr uint32_t OMAP4_GPIO_IRQSTATUSSET0 = 0x0034;
constexpr uint32_t OMAP4_GPIO_IRQSTATUSCLR0 = 0x003C;
constexpr uint32_t OMAP4_GPIO_IRQWAKEN0 = 0x0044;
constexpr uint32_t OMAP4_GPIO_CTRL = 0x0130;
constexpr uint32_t OMAP4_GPIO_OE = 0x0134;
constexpr uint32_t OMAP4_GPIO_DATAIN = 0x0138;
constexpr uint32_t OMAP4_GPIO_DATAOUT = 0x013C;
constexpr uint32_t OMAP4_GPIO_LEVELDETECT0 = 0x0140;
constexpr uint32_t OMAP4_GPIO_LEVELDETECT1 = 0x0144;
constexpr uint32_t OMAP4_GPIO_RISINGDETECT = 0x0148;
constexpr uint32_t OMAP4_GPIO_FALLINGDETECT = 0x014C;
constexpr uint32_t OMAP4_GPIO_DEBOUNCENABLE = 0x0150;
constexpr uint32_t OMAP4_GPIO_CLEARDATAOUT = 0x0190;
constexpr uint32_t OMAP4_GPIO_SETDATAOUT = 0x0194;
constexpr unsigned OMAP_GPIO_PER_BANK = 32;
constexpr unsigned OMAP_GPIO_BANKS = 4;

// Probes bank "gpioN" (N from the name): 0, -EINVAL (bad name), -EBUSY (probed), -ENODEV (no
// INTC), -ENOMEM, or the clock / request_irq error.
int omap_gpio_probe(const kernel::DeviceInfo& info);
void omap_gpio_remove_all();
uint32_t omap_gpio_base(unsigned bank);  // ioremap cookie, 0 if not probed

// Legacy gpiolib (include/linux/gpio.h). Errors: -EINVAL (no such GPIO / bank not probed),
// -EBUSY (requested twice).
int gpio_request(unsigned gpio, const char* label);
void gpio_free(unsigned gpio);
int gpio_direction_input(unsigned gpio);
int gpio_direction_output(unsigned gpio, int value);
void gpio_set_value(unsigned gpio, int value);
int gpio_get_value(unsigned gpio);  // 0/1, or -EINVAL
int gpio_to_irq(unsigned gpio);     // Linux irq, or -EINVAL

}  // namespace drivers
