#include "models/cpu/cortex_a8/params.h"

#include <fmt/format.h>

#include <stdexcept>

namespace vp {

namespace {

// The AM335x OPP table spans 300–1000 MHz (mmu-tlb.md §5.5); studies may go beyond it, but a
// clock outside [1 MHz, 4 GHz] is certainly a unit mistake (Hz vs MHz).
constexpr uint64_t kMinClockHz = 1'000'000;
constexpr uint64_t kMaxClockHz = 4'000'000'000;
// The cache model's memory callback moves one line through a stack buffer of this size.
constexpr uint32_t kMaxLineBytes = 256;
// A guest thread needs at least this much stack for the model's own frames.
constexpr size_t kMinStackBytes = 256 * 1024;

[[noreturn]] void bad(const std::string& what) {
    throw std::invalid_argument("cpu: " + what);
}

void check_tlb(const char* key, const mmu::TlbGeometry& g) {
    try {
        mmu::validate(g);
    } catch (const std::invalid_argument& e) {
        bad(fmt::format("{}: {}", key, e.what()));
    }
}

}  // namespace

const char* timing_mode_name(TimingMode m) {
    switch (m) {
        case TimingMode::functional:
            return "functional";
        case TimingMode::approximate:
            return "approximate";
    }
    return "?";
}

bool parse_timing_mode(const std::string& text, TimingMode& out) {
    if (text == "functional") {
        out = TimingMode::functional;
        return true;
    }
    if (text == "approximate") {
        out = TimingMode::approximate;
        return true;
    }
    return false;
}

void validate(const CortexA8Params& p) {
    if (p.clock_hz < kMinClockHz || p.clock_hz > kMaxClockHz)
        bad(fmt::format("clock_hz = {} is outside [{}, {}] (the AM335x OPPs are 300-1000 MHz)",
                        p.clock_hz, kMinClockHz, kMaxClockHz));
    if (p.quantum <= sc_core::SC_ZERO_TIME) bad("quantum must be greater than 0");
    if (p.mode != TimingMode::functional && p.mode != TimingMode::approximate)
        bad("mode must be functional or approximate");
    check_tlb("itlb", p.itlb);
    check_tlb("dtlb", p.dtlb);
    if (p.l2_tlb) check_tlb("l2_tlb", p.l2_tlb_geometry);
    for (const cache::CacheParams* c : {&p.caches.l1i, &p.caches.l1d, &p.caches.l2}) {
        if (c->line_bytes > kMaxLineBytes)
            bad(fmt::format("caches: line_bytes = {} of '{}' exceeds {}", c->line_bytes, c->name,
                            kMaxLineBytes));
    }
    if (p.stack_bytes < kMinStackBytes)
        bad(fmt::format("stack_bytes = {} is below the minimum {}", p.stack_bytes, kMinStackBytes));
    if (p.stat_prefix.empty()) bad("stat_prefix must not be empty");
}

}  // namespace vp
