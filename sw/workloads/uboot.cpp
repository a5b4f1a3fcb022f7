#include "sw/workloads/uboot.h"

#include <cstdint>

#include "sw/hal/io.h"
#include "sw/kernel/boot.h"

namespace workload {

namespace {

// WDT registers (SPRUH73 Table 20-94) and the disable sequence (§20.4.3.8).
constexpr uint32_t WDT_WWPS = 0x34;
constexpr uint32_t WDT_WSPR = 0x48;
constexpr uint32_t WWPS_W_PEND_WSPR = 1u << 4;
constexpr uint32_t WSPR_STOP_1 = 0xAAAA;
constexpr uint32_t WSPR_STOP_2 = 0x5555;
constexpr unsigned kPollLimit = 10000;  // posted writes complete within a few 32 kHz cycles

void wait_wspr_posted(uint32_t base) {
    for (unsigned i = 0; i < kPollLimit; ++i)
        if (!(hal::readl(base + WDT_WWPS) & WWPS_W_PEND_WSPR)) return;
}

}  // namespace

void uboot_handoff(const kernel::BootInfo& info) {
    if (const kernel::DeviceInfo* wdt = info.device("wdt1")) {
        hal::writel(WSPR_STOP_1, wdt->base + WDT_WSPR);
        wait_wspr_posted(wdt->base);
        hal::writel(WSPR_STOP_2, wdt->base + WDT_WSPR);
        wait_wspr_posted(wdt->base);
    }
}

}  // namespace workload
