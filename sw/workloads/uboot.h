// What the boot loader leaves behind before it jumps to the kernel (U-Boot SPL/U-Boot on the
// AM335x boards), done here with the MMU off at physical addresses, so every workload starts
// from the state a real kernel starts from.
#pragma once

namespace kernel {
struct BootInfo;
}

namespace workload {

// U-Boot's hw_watchdog_disable() (drivers/watchdog/omap_wdt.c): WDT1 runs from reset and
// would warm-reset the SoC after about 2 s; U-Boot stops it with the WSPR 0xAAAA / 0x5555
// sequence, waiting for WWPS.W_PEND_WSPR after each write (SPRUH73 §20.4.3.8).
void uboot_handoff(const kernel::BootInfo& info);

}  // namespace workload
