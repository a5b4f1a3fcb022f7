// The periodic tick and jiffies (kernel/time/{jiffies,tick-common,timer}.c,
// include/linux/jiffies.h), reduced to a periodic clockevent (docs/guest/drivers.md).
//
//   HZ = 100: omap2plus_defconfig sets no CONFIG_HZ, and arch/arm's HZ_FIXED is 0 for OMAP,
//   so the Kconfig choice default HZ_100 applies.
//   jiffies starts at INITIAL_JIFFIES (-300 s worth, so it wraps 5 minutes after boot, as
//   Linux does to catch wrap bugs); compare with time_after()/time_before().
//   A clockevent driver (timer-ti-dm on DMTIMER2) registers with
//   clockevents_register_device(); the tick layer puts it in periodic mode and its interrupt
//   calls tick_handle_periodic(), which advances jiffies by one.
//   msleep() waits with wfi until jiffies reaches its target.
// Plain C++17, no SystemC.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace kernel {

constexpr unsigned HZ = 100;
constexpr unsigned MSEC_PER_SEC = 1000;
constexpr unsigned USEC_PER_SEC = 1000000;
// 32-bit like unsigned long on ARM.
constexpr uint32_t INITIAL_JIFFIES = static_cast<uint32_t>(-300 * static_cast<int32_t>(HZ));

extern uint32_t jiffies;
extern uint64_t jiffies_64;

inline bool time_after(uint32_t a, uint32_t b) {
    return static_cast<int32_t>(b - a) < 0;
}
inline bool time_before(uint32_t a, uint32_t b) {
    return time_after(b, a);
}
inline bool time_after_eq(uint32_t a, uint32_t b) {
    return static_cast<int32_t>(a - b) >= 0;
}
// include/linux/jiffies.h for HZ dividing 1000: rounds up.
inline uint32_t msecs_to_jiffies(unsigned ms) {
    return (ms + (MSEC_PER_SEC / HZ) - 1) / (MSEC_PER_SEC / HZ);
}
inline unsigned jiffies_to_msecs(uint32_t j) {
    return j * (MSEC_PER_SEC / HZ);
}

// struct clock_event_device, periodic only.
constexpr unsigned CLOCK_EVT_FEAT_PERIODIC = 0x1;
constexpr unsigned CLOCK_EVT_FEAT_ONESHOT = 0x2;
struct clock_event_device {
    std::string name;
    unsigned features = 0;
    unsigned rating = 0;
    unsigned irq = 0;
    unsigned long rate = 0;  // Hz of the counter
    std::function<int(clock_event_device&)> set_state_periodic;
    std::function<int(clock_event_device&)> set_state_shutdown;
    std::function<void(clock_event_device&)> event_handler;  // set by the tick layer
};

// Registers `dev` (it must support periodic mode) as the tick device: event_handler =
// tick_handle_periodic, then set_state_periodic. Replaces a previous tick device (which is
// shut down). Returns 0, or -EINVAL for a device without periodic support.
int clockevents_register_device(clock_event_device* dev);
// Shuts the tick device down and forgets it (driver removal, tests).
void clockevents_unregister_device(clock_event_device* dev);
clock_event_device* tick_device();
// The periodic tick: do_timer(1).
void tick_handle_periodic(clock_event_device& dev);
// Ticks handled since boot (jiffies_64 - INITIAL_JIFFIES).
uint64_t tick_count();

// Sleeps at least `ms` milliseconds: msecs_to_jiffies(ms) + 1 ticks, waiting with wfi
// (interrupts must be enabled). Throws std::logic_error when no tick device runs or
// interrupts are disabled (it would wait forever).
void msleep(unsigned ms);
// Waits with wfi until time_after_eq(jiffies, target); the same errors as msleep.
void wait_until_jiffies(uint32_t target);
// Busy-waits `us` microseconds of CPU time (a calibrated delay loop: core cycles).
void udelay(unsigned long us);

// Back to INITIAL_JIFFIES with no tick device (tests, kernel teardown).
void time_reset();

}  // namespace kernel
