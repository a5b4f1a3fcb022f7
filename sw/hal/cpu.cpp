#include "sw/hal/cpu.h"

#include <stdexcept>

namespace hal {

namespace {
Cpu* g_cpu = nullptr;
}

Cpu& this_cpu() {
    if (!g_cpu) throw std::logic_error("hal::this_cpu(): no CPU is running the guest");
    return *g_cpu;
}

Cpu* this_cpu_or_null() {
    return g_cpu;
}

void set_this_cpu(Cpu* cpu) {
    g_cpu = cpu;
}

}  // namespace hal
