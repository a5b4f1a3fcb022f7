// The generic IRQ layer (kernel/irq/*, include/linux/interrupt.h, include/linux/irq.h),
// reduced to what the AM335x drivers use (docs/guest/drivers.md).
//
//   - irq domains: an interrupt controller driver (irq-omap-intc, gpio-omap) creates a linear
//     domain of hardware lines with its irq_chip; irq_create_mapping() gives a Linux irq
//     number (a "virq", allocated from NR_IRQS_LEGACY = 16 upward as on ARM DT kernels);
//   - flow handlers: handle_level_irq (mask+ack, run the actions, unmask) and handle_edge_irq
//     (ack, run the actions), as kernel/irq/chip.c;
//   - request_irq / free_irq / enable_irq / disable_irq with the per-irq count of
//     /proc/interrupts (show_interrupts()).
// The arch IRQ entry is a function the root controller installs with set_handle_irq(); it
// becomes the hal::Cpu IRQ handler, called by the CPU model in the guest thread with
// interrupts masked. Bookkeeping lives in host objects (Linux keeps it in struct irq_desc).
// Plain C++17, no SystemC.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace kernel {

// include/linux/irqreturn.h
enum irqreturn_t : int { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 };
using irq_handler_t = std::function<irqreturn_t(int irq, void* dev_id)>;

// request_irq flags (include/linux/interrupt.h).
constexpr unsigned long IRQF_TRIGGER_NONE = 0x00000000;
constexpr unsigned long IRQF_TRIGGER_RISING = 0x00000001;
constexpr unsigned long IRQF_TRIGGER_FALLING = 0x00000002;
constexpr unsigned long IRQF_TRIGGER_HIGH = 0x00000004;
constexpr unsigned long IRQF_TRIGGER_LOW = 0x00000008;
constexpr unsigned long IRQF_TRIGGER_MASK =
    IRQF_TRIGGER_HIGH | IRQF_TRIGGER_LOW | IRQF_TRIGGER_RISING | IRQF_TRIGGER_FALLING;
constexpr unsigned long IRQF_SHARED = 0x00000080;
constexpr unsigned long IRQF_ONESHOT = 0x00002000;
constexpr unsigned long IRQF_TIMER = 0x00000200 | 0x00004000 | 0x00010000;

// Trigger types (include/linux/irq.h).
constexpr unsigned IRQ_TYPE_NONE = 0;
constexpr unsigned IRQ_TYPE_EDGE_RISING = 1;
constexpr unsigned IRQ_TYPE_EDGE_FALLING = 2;
constexpr unsigned IRQ_TYPE_EDGE_BOTH = IRQ_TYPE_EDGE_RISING | IRQ_TYPE_EDGE_FALLING;
constexpr unsigned IRQ_TYPE_LEVEL_HIGH = 4;
constexpr unsigned IRQ_TYPE_LEVEL_LOW = 8;
constexpr unsigned IRQ_TYPE_LEVEL_MASK = IRQ_TYPE_LEVEL_HIGH | IRQ_TYPE_LEVEL_LOW;
constexpr unsigned IRQ_TYPE_SENSE_MASK = 0xF;

constexpr unsigned NR_IRQS_LEGACY = 16;  // the first virq on ARM (arch/arm/kernel/irq.c)
constexpr unsigned NR_IRQS = 1024;       // irq descriptors available (sparse IRQs on ARM)

// What a chip callback gets (struct irq_data).
struct irq_data {
    unsigned irq = 0;
    unsigned long hwirq = 0;
    void* chip_data = nullptr;
};

// An interrupt controller's operations (struct irq_chip). Empty callbacks are skipped.
struct irq_chip {
    std::string name;  // the /proc/interrupts chip column ("INTC", "gpio")
    std::function<void(irq_data&)> irq_mask;
    std::function<void(irq_data&)> irq_unmask;
    std::function<void(irq_data&)> irq_ack;
    std::function<void(irq_data&)> irq_mask_ack;  // default: mask then ack
    std::function<int(irq_data&, unsigned type)> irq_set_type;
    std::function<void(irq_data&)> irq_startup;  // default: unmask
};

// The flow handler of an irq (kernel/irq/chip.c).
enum class irq_flow { level, edge, simple };

struct irq_domain;

// irq_domain_add_linear(): `size` hardware lines of `chip`; `flow` is the default handler.
irq_domain* irq_domain_add_linear(const std::string& name, unsigned size, irq_chip* chip,
                                  void* chip_data, irq_flow flow);
// Disposes the domain's mappings and the domain (their irqs must be free).
void irq_domain_remove(irq_domain* d);
// The virq of `hwirq`, created on first use; 0 (Linux's "no irq") for hwirq >= size or when
// the descriptors are exhausted.
unsigned irq_create_mapping(irq_domain* d, unsigned long hwirq);
unsigned irq_find_mapping(irq_domain* d, unsigned long hwirq);  // 0 if not mapped
// Runs the flow handler of the mapped irq; -EINVAL when `hwirq` is not mapped.
int generic_handle_domain_irq(irq_domain* d, unsigned long hwirq);
int generic_handle_irq(unsigned irq);

// irq_set_irq_type(): calls the chip's irq_set_type; -EINVAL for an unknown irq.
int irq_set_irq_type(unsigned irq, unsigned type);
// irq_set_handler_locked(): the flow of one irq (gpio-omap switches edge/level per type).
void irq_set_handler(unsigned irq, irq_flow flow);
unsigned irq_get_trigger_type(unsigned irq);
unsigned long irq_to_hwirq(unsigned irq);  // ~0ul if unknown

// request_irq(): 0, -EINVAL (unknown irq, no handler), -EBUSY (already requested without
// IRQF_SHARED on both). The trigger type of `flags`, if any, is set first; the first action
// starts the irq up (unmasks it).
int request_irq(unsigned irq, irq_handler_t handler, unsigned long flags, const char* name,
                void* dev);
// Removes the action of `dev`; the last one shuts the irq down (masks it). WARNs if none.
void free_irq(unsigned irq, void* dev);
// Nesting depth as in Linux: disable_irq increments and masks, enable_irq decrements and
// unmasks at 0 (an unbalanced enable WARNs).
void disable_irq(unsigned irq);
void disable_irq_nosync(unsigned irq);
void enable_irq(unsigned irq);

// Per-irq interrupt count (kstat_irqs) and the spurious/error count (irq_err_count).
unsigned long kstat_irqs(unsigned irq);
unsigned long irq_err_count();
void irq_err_count_inc();
// /proc/interrupts: the "CPU0" header, one line per requested irq
// ("%3d: %10u %8s %3lu %-8s %s"), then "Err:".
std::string show_interrupts();

// The arch IRQ entry (set_handle_irq in arch/arm/kernel/irq.c): installed as the running
// hal::Cpu's IRQ handler.
void set_handle_irq(std::function<void()> handler);
void local_irq_enable();
void local_irq_disable();
bool irqs_disabled();

// Forgets every domain, descriptor and count and removes the CPU's IRQ handler (tests,
// kernel teardown).
void irq_core_reset();

}  // namespace kernel
