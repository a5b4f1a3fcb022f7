// local_irq_save() / local_irq_restore() for the allocators' slow paths (the zone lock and
// SLUB's slow path are taken with interrupts off in Linux). The guest takes interrupts only
// inside hal::Cpu calls, so code between two hal calls is atomic with respect to them.
#pragma once

#include "sw/hal/cpu.h"

namespace kernel {

class IrqSave {
  public:
    IrqSave() : cpu_(hal::this_cpu()), was_on_(cpu_.irqs_enabled()) {
        if (was_on_) cpu_.irq_enable(false);
    }
    ~IrqSave() {
        if (was_on_) cpu_.irq_enable(true);
    }
    IrqSave(const IrqSave&) = delete;
    IrqSave& operator=(const IrqSave&) = delete;

  private:
    hal::Cpu& cpu_;
    bool was_on_;
};

}  // namespace kernel
