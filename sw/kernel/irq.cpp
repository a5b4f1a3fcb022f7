#include "sw/kernel/irq.h"

#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"

namespace kernel {

struct irq_domain {
    std::string name;
    irq_chip* chip = nullptr;
    void* chip_data = nullptr;
    irq_flow flow = irq_flow::level;
    std::vector<unsigned> revmap;  // hwirq -> virq (0 = none)
};

namespace {

struct irqaction {
    irq_handler_t handler;
    unsigned long flags = 0;
    std::string name;
    void* dev_id = nullptr;
};

// struct irq_desc, the host-side bookkeeping of one virq.
struct irq_desc {
    irq_data data;
    irq_domain* domain = nullptr;
    irq_flow flow = irq_flow::level;
    unsigned type = IRQ_TYPE_NONE;
    std::vector<irqaction> actions;
    unsigned depth = 1;  // disabled until requested (IRQ_NOAUTOEN-free irqs start at 0 then)
    bool masked = true;
    bool pending = false;  // an edge that arrived while disabled (IRQS_PENDING)
    unsigned long count = 0;
    unsigned long unhandled = 0;
};

struct IrqCore {
    std::vector<std::unique_ptr<irq_domain>> domains;
    std::map<unsigned, irq_desc> descs;
    unsigned next_irq = NR_IRQS_LEGACY;
    unsigned long err_count = 0;
};

IrqCore& core() {
    static IrqCore c;
    return c;
}

irq_desc* desc_of(unsigned irq) {
    auto it = core().descs.find(irq);
    return it == core().descs.end() ? nullptr : &it->second;
}

irq_chip* chip_of(irq_desc& d) {
    return d.domain ? d.domain->chip : nullptr;
}

void chip_mask(irq_desc& d) {
    irq_chip* c = chip_of(d);
    if (c && c->irq_mask) c->irq_mask(d.data);
    d.masked = true;
}

void chip_unmask(irq_desc& d) {
    irq_chip* c = chip_of(d);
    if (c && c->irq_unmask) c->irq_unmask(d.data);
    d.masked = false;
}

void chip_ack(irq_desc& d) {
    irq_chip* c = chip_of(d);
    if (c && c->irq_ack) c->irq_ack(d.data);
}

void chip_mask_ack(irq_desc& d) {
    irq_chip* c = chip_of(d);
    if (c && c->irq_mask_ack) {
        c->irq_mask_ack(d.data);
        d.masked = true;
        return;
    }
    chip_mask(d);
    chip_ack(d);
}

// handle_irq_event(): every action; note_interrupt() counts the unhandled ones.
irqreturn_t handle_irq_event(irq_desc& d) {
    int ret = IRQ_NONE;
    // An action may free_irq() itself: iterate over a copy.
    const std::vector<irqaction> actions = d.actions;
    for (const irqaction& a : actions)
        ret |= a.handler(static_cast<int>(d.data.irq), a.dev_id);
    if (ret == IRQ_NONE) {
        ++d.unhandled;
        if (d.unhandled == 1) pr_err("irq %u: nobody cared\n", d.data.irq);
    }
    return static_cast<irqreturn_t>(ret);
}

void handle_level_irq(irq_desc& d) {
    chip_mask_ack(d);
    if (d.actions.empty() || d.depth > 0) return;  // stays masked until enabled/requested
    ++d.count;
    handle_irq_event(d);
    if (d.depth == 0) chip_unmask(d);
}

void handle_edge_irq(irq_desc& d) {
    if (d.actions.empty() || d.depth > 0) {
        d.pending = true;
        chip_mask_ack(d);
        return;
    }
    ++d.count;
    chip_ack(d);
    handle_irq_event(d);
}

void handle_simple_irq(irq_desc& d) {
    if (d.actions.empty() || d.depth > 0) {
        d.pending = true;
        return;
    }
    ++d.count;
    handle_irq_event(d);
}

void irq_startup(irq_desc& d) {
    d.depth = 0;
    irq_chip* c = chip_of(d);
    if (c && c->irq_startup) {
        c->irq_startup(d.data);
        d.masked = false;
    } else {
        chip_unmask(d);
    }
}

const char* type_name(const irq_desc& d) {
    return (d.flow == irq_flow::level) ? "Level" : "Edge";
}

}  // namespace

irq_domain* irq_domain_add_linear(const std::string& name, unsigned size, irq_chip* chip,
                                  void* chip_data, irq_flow flow) {
    auto d = std::make_unique<irq_domain>();
    d->name = name;
    d->chip = chip;
    d->chip_data = chip_data;
    d->flow = flow;
    d->revmap.assign(size, 0);
    core().domains.push_back(std::move(d));
    return core().domains.back().get();
}

void irq_domain_remove(irq_domain* d) {
    if (!d) return;
    for (unsigned virq : d->revmap)
        if (virq) core().descs.erase(virq);
    auto& v = core().domains;
    for (auto it = v.begin(); it != v.end(); ++it)
        if (it->get() == d) {
            v.erase(it);
            return;
        }
}

unsigned irq_create_mapping(irq_domain* d, unsigned long hwirq) {
    if (!d || hwirq >= d->revmap.size()) return 0;
    if (d->revmap[hwirq]) return d->revmap[hwirq];
    if (core().next_irq >= NR_IRQS) {
        pr_err("irq: no free irq descriptor for %s hwirq %lu\n", d->name.c_str(), hwirq);
        return 0;
    }
    const unsigned virq = core().next_irq++;
    irq_desc& desc = core().descs[virq];
    desc.data.irq = virq;
    desc.data.hwirq = hwirq;
    desc.data.chip_data = d->chip_data;
    desc.domain = d;
    desc.flow = d->flow;
    d->revmap[hwirq] = virq;
    return virq;
}

unsigned irq_find_mapping(irq_domain* d, unsigned long hwirq) {
    if (!d || hwirq >= d->revmap.size()) return 0;
    return d->revmap[hwirq];
}

int generic_handle_irq(unsigned irq) {
    irq_desc* d = desc_of(irq);
    if (!d) return -EINVAL;
    switch (d->flow) {
        case irq_flow::level:
            handle_level_irq(*d);
            break;
        case irq_flow::edge:
            handle_edge_irq(*d);
            break;
        case irq_flow::simple:
            handle_simple_irq(*d);
            break;
    }
    return 0;
}

int generic_handle_domain_irq(irq_domain* d, unsigned long hwirq) {
    const unsigned irq = irq_find_mapping(d, hwirq);
    if (!irq) return -EINVAL;
    return generic_handle_irq(irq);
}

int irq_set_irq_type(unsigned irq, unsigned type) {
    irq_desc* d = desc_of(irq);
    if (!d) return -EINVAL;
    type &= IRQ_TYPE_SENSE_MASK;
    irq_chip* c = chip_of(*d);
    if (c && c->irq_set_type) {
        const int ret = c->irq_set_type(d->data, type);
        if (ret) return ret;
    }
    d->type = type;
    return 0;
}

void irq_set_handler(unsigned irq, irq_flow flow) {
    if (irq_desc* d = desc_of(irq)) d->flow = flow;
}

unsigned irq_get_trigger_type(unsigned irq) {
    irq_desc* d = desc_of(irq);
    return d ? d->type : IRQ_TYPE_NONE;
}

unsigned long irq_to_hwirq(unsigned irq) {
    irq_desc* d = desc_of(irq);
    return d ? d->data.hwirq : ~0ul;
}

int request_irq(unsigned irq, irq_handler_t handler, unsigned long flags, const char* name,
                void* dev) {
    irq_desc* d = desc_of(irq);
    if (!d || !handler) return -EINVAL;
    if (!d->actions.empty()) {
        const bool shared = (flags & IRQF_SHARED) && (d->actions.front().flags & IRQF_SHARED);
        if (!shared) {
            pr_err("genirq: Flags mismatch irq %u. %08lx (%s) vs. %08lx (%s)\n", irq, flags,
                   name ? name : "", d->actions.front().flags, d->actions.front().name.c_str());
            return -EBUSY;
        }
    }
    const unsigned trigger = static_cast<unsigned>(flags & IRQF_TRIGGER_MASK);
    if (d->actions.empty() && trigger) {
        const int ret = irq_set_irq_type(irq, trigger);
        if (ret) return ret;
    }
    d->actions.push_back({std::move(handler), flags, name ? name : "", dev});
    if (d->actions.size() == 1) {
        d->pending = false;
        irq_startup(*d);
    }
    return 0;
}

void free_irq(unsigned irq, void* dev) {
    irq_desc* d = desc_of(irq);
    if (!d) {
        warn_printk("Trying to free IRQ %u which is not mapped\n", irq);
        return;
    }
    for (auto it = d->actions.begin(); it != d->actions.end(); ++it) {
        if (it->dev_id != dev) continue;
        d->actions.erase(it);
        if (d->actions.empty()) {
            chip_mask(*d);
            d->depth = 1;
        }
        return;
    }
    warn_printk("Trying to free already-free IRQ %u\n", irq);
}

void disable_irq_nosync(unsigned irq) {
    irq_desc* d = desc_of(irq);
    if (!d) return;
    if (d->depth++ == 0) chip_mask(*d);
}

void disable_irq(unsigned irq) {
    // synchronize_irq() has nothing to wait for: one CPU, handlers run to completion.
    disable_irq_nosync(irq);
}

void enable_irq(unsigned irq) {
    irq_desc* d = desc_of(irq);
    if (!d) return;
    if (d->depth == 0) {
        warn_printk("Unbalanced enable for IRQ %u\n", irq);
        return;
    }
    if (--d->depth == 0 && !d->actions.empty()) {
        chip_unmask(*d);
        if (d->pending) {
            // check_irq_resend(): replay an edge that arrived while disabled.
            d->pending = false;
            generic_handle_irq(irq);
        }
    }
}

unsigned long kstat_irqs(unsigned irq) {
    irq_desc* d = desc_of(irq);
    return d ? d->count : 0;
}

unsigned long irq_err_count() {
    return core().err_count;
}

void irq_err_count_inc() {
    ++core().err_count;
}

std::string show_interrupts() {
    std::string out = "           CPU0       \n";
    char line[256];
    for (const auto& [irq, d] : core().descs) {
        if (d.actions.empty()) continue;
        std::snprintf(line, sizeof line, "%3u: %10lu %8s %3lu %-8s", irq, d.count,
                      d.domain && d.domain->chip ? d.domain->chip->name.c_str() : "None",
                      d.data.hwirq, type_name(d));
        out += line;
        for (size_t i = 0; i < d.actions.size(); ++i)
            out += (i == 0 ? " " : ", ") + d.actions[i].name;
        out += "\n";
    }
    std::snprintf(line, sizeof line, "Err: %10lu\n", core().err_count);
    out += line;
    return out;
}

void set_handle_irq(std::function<void()> handler) {
    hal::this_cpu().set_irq_handler(std::move(handler));
}

void local_irq_enable() {
    hal::this_cpu().irq_enable(true);
}

void local_irq_disable() {
    hal::this_cpu().irq_enable(false);
}

bool irqs_disabled() {
    return !hal::this_cpu().irqs_enabled();
}

void irq_core_reset() {
    if (hal::Cpu* c = hal::this_cpu_or_null()) c->set_irq_handler({});
    core().descs.clear();
    core().domains.clear();
    core().next_irq = NR_IRQS_LEGACY;
    core().err_count = 0;
}

}  // namespace kernel
