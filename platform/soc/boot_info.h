// What the boot loader hands the guest kernel, built from the configuration: the DDR bank, the
// devices of the memory map with their INTC lines and clock controls, the machine name, and
// the kernel's boot options (`kernel.*`). The stand-in for U-Boot's device tree and bootargs.
#pragma once

#include "platform/config/platform_config.h"
#include "sw/kernel/boot.h"

namespace vp::platform {

// "TI AM335x BeagleBone Black" from the board file's name, as its DT `model` reads.
kernel::BootInfo make_boot_info(const config::PlatformConfig& cfg);

}  // namespace vp::platform
