// boot: the default workload — what a newcomer sees first (`make run`). The kernel boots on the
// board's facts and prints a boot log like a real BeagleBone's (docs/workloads.md).
#include <string>

#include "sw/hal/cpu.h"
#include "sw/hal/io.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/gfp.h"
#include "sw/mm/ioremap.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "sw/workloads/workloads.h"

namespace workload {

namespace {

// Control Module DEVICE_ID (SPRUH73 §9.3.1.x, am335x.md §10): DEVREV in bits 31:28.
constexpr uint32_t kControlDeviceId = 0x600;
constexpr unsigned kDevRevShift = 28;

// arch/arm/mach-omap2/id.c am33xx_check_revision: DEVREV 0 → ES1.0, 1 → ES2.0, 2 → ES2.1.
const char* am33xx_revision(uint32_t devrev) {
    switch (devrev) {
        case 0:
            return "ES1.0";
        case 1:
            return "ES2.0";
        case 2:
            return "ES2.1";
    }
    return "ES?";
}

void print_soc(const kernel::BootInfo& info) {
    const kernel::DeviceInfo* ctrl = info.device("control");
    if (!ctrl) return;
    const uint32_t base = kernel::ioremap(ctrl->base, ctrl->size);
    if (!base) return;
    const uint32_t id = hal::readl(base + kControlDeviceId);
    kernel::pr_info("AM335X %s (sgx neon)\n", am33xx_revision(id >> kDevRevShift));
    kernel::iounmap(base);
}

}  // namespace

void run_boot(const Context& ctx) {
    kernel::System sys(ctx.boot);
    print_soc(ctx.boot);
    kernel::pr_info("%s", sys.mm().pages().buddyinfo().c_str());
}

}  // namespace workload
