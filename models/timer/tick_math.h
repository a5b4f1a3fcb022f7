// Exact conversions between simulated time and clock ticks, for models whose registers are
// computed from time (DMTIMER, WDT, RTC, GPIO debounce) instead of being ticked.
//
// A clock of `hz` divided by `div` ticks at base + ceil(k * div / hz) (in time-resolution
// units), so k ticks of a 24 MHz clock are exact over any span even though one tick is not a
// whole number of picoseconds. Intermediate products use 128-bit integers; a time beyond
// what sc_time can hold is "never" (sc_max_time()).
#pragma once

#include <sysc/kernel/sc_event.h>
#include <sysc/kernel/sc_simcontext.h>
#include <sysc/kernel/sc_time.h>

#include <cmath>
#include <cstdint>

namespace vp::tick {

using u128 = unsigned __int128;

// Time-resolution units per second (1e12 with SystemC's default 1 ps resolution).
inline uint64_t units_per_second() {
    static const uint64_t u =
        static_cast<uint64_t>(std::llround(1.0 / sc_core::sc_get_time_resolution().to_seconds()));
    return u;
}

inline const sc_core::sc_time& never() {
    return sc_core::sc_max_time();
}
inline bool is_never(const sc_core::sc_time& t) {
    return t == sc_core::sc_max_time();
}

// Whole ticks of a clock of `hz` / `div` in a span `dt` (rounded down).
inline uint64_t ticks_in(const sc_core::sc_time& dt, uint64_t hz, uint64_t div = 1) {
    const u128 num = static_cast<u128>(dt.value()) * hz;
    const u128 den = static_cast<u128>(units_per_second()) * div;
    const u128 k = num / den;
    return k > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(k);
}

// Span of `k` ticks of a clock of `hz` / `div` (rounded up to the time resolution), or
// never() if it does not fit.
inline sc_core::sc_time ticks_time(uint64_t k, uint64_t hz, uint64_t div = 1) {
    const u128 num = static_cast<u128>(k) * div * units_per_second();
    const u128 v = (num + hz - 1) / hz;
    if (v >= static_cast<u128>(never().value())) return never();
    return sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(v));
}

// Span of num/den cycles of a clock of `hz` (e.g. 5/2 for "2.5 timer clocks"), rounded up.
inline sc_core::sc_time cycles(uint64_t num, uint64_t den, uint64_t hz) {
    const u128 n = static_cast<u128>(num) * units_per_second();
    const u128 d = static_cast<u128>(den) * hz;
    const u128 v = (n + d - 1) / d;
    if (v >= static_cast<u128>(never().value())) return never();
    return sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(v));
}

// a + b, saturating at never().
inline sc_core::sc_time add(const sc_core::sc_time& a, const sc_core::sc_time& b) {
    if (is_never(a) || is_never(b)) return never();
    const auto room = never().value() - a.value();
    if (b.value() >= room) return never();
    return a + b;
}

// The offset of an instant from the kernel's current time, for Wire::write (never negative).
inline sc_core::sc_time offset_of(const sc_core::sc_time& at) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    return at > now ? at - now : sc_core::SC_ZERO_TIME;
}

// (Re)arms `ev` for the absolute simulated time `at` (now if it is already past); a never
// time leaves it cancelled. Models keep one event per future instant this way.
inline void arm_at(sc_core::sc_event& ev, const sc_core::sc_time& at) {
    ev.cancel();
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (!is_never(at)) ev.notify(at > now ? at - now : sc_core::SC_ZERO_TIME);
}

}  // namespace vp::tick
