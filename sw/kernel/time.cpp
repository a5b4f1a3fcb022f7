#include "sw/kernel/time.h"

#include <cerrno>
#include <stdexcept>

#include "sw/hal/cpu.h"

namespace kernel {

uint32_t jiffies = INITIAL_JIFFIES;
uint64_t jiffies_64 = INITIAL_JIFFIES;

namespace {
clock_event_device* g_tick = nullptr;
}

int clockevents_register_device(clock_event_device* dev) {
    if (!dev || !(dev->features & CLOCK_EVT_FEAT_PERIODIC) || !dev->set_state_periodic)
        return -EINVAL;
    if (g_tick && g_tick != dev && g_tick->set_state_shutdown) g_tick->set_state_shutdown(*g_tick);
    g_tick = dev;
    dev->event_handler = tick_handle_periodic;
    return dev->set_state_periodic(*dev);
}

void clockevents_unregister_device(clock_event_device* dev) {
    if (!dev || dev != g_tick) return;
    if (dev->set_state_shutdown) dev->set_state_shutdown(*dev);
    dev->event_handler = nullptr;
    g_tick = nullptr;
}

clock_event_device* tick_device() {
    return g_tick;
}

void tick_handle_periodic(clock_event_device&) {
    // do_timer(1)
    ++jiffies_64;
    jiffies = static_cast<uint32_t>(jiffies_64);
}

uint64_t tick_count() {
    return jiffies_64 - INITIAL_JIFFIES;
}

void wait_until_jiffies(uint32_t target) {
    hal::Cpu& cpu = hal::this_cpu();
    if (!g_tick)
        throw std::logic_error("msleep: no tick device is running (jiffies never advance)");
    if (!cpu.irqs_enabled())
        throw std::logic_error("msleep: interrupts are disabled (jiffies never advance)");
    while (!time_after_eq(jiffies, target))
        cpu.wfi();
}

void msleep(unsigned ms) {
    // kernel/time/timer.c: timeout = msecs_to_jiffies(msecs) + 1.
    wait_until_jiffies(jiffies + msecs_to_jiffies(ms) + 1);
}

void udelay(unsigned long us) {
    hal::Cpu& cpu = hal::this_cpu();
    cpu.compute(static_cast<uint64_t>(us) * cpu.clock_hz() / USEC_PER_SEC);
}

void time_reset() {
    g_tick = nullptr;
    jiffies_64 = INITIAL_JIFFIES;
    jiffies = INITIAL_JIFFIES;
}

}  // namespace kernel
