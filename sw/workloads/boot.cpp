// boot: the default workload — what a newcomer sees first (`make run`). The kernel boots on the
// board's facts, brings up the drivers as an AM335x Linux does, and demonstrates the platform:
// the board EEPROM and the PMIC over I2C, the timer tick and a heartbeat on USR0, an EDMA copy
// checked by the CPU, allocator self-tests and a user process with demand paging
// (docs/workloads.md). Every line it prints is a fact read from the simulated hardware.
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/drivers/clk/omap_clk.h"
#include "sw/drivers/clocksource/timer-ti-dm.h"
#include "sw/drivers/dma/edma.h"
#include "sw/drivers/gpio/gpio-omap.h"
#include "sw/drivers/i2c/i2c-omap.h"
#include "sw/drivers/irqchip/irq-omap-intc.h"
#include "sw/drivers/tty/omap_serial.h"
#include "sw/hal/cpu.h"
#include "sw/hal/io.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/irq.h"
#include "sw/kernel/printk.h"
#include "sw/kernel/time.h"
#include "sw/mm/dma-mapping.h"
#include "sw/mm/gfp.h"
#include "sw/mm/ioremap.h"
#include "sw/mm/mm_types.h"
#include "sw/mm/mmap.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "sw/workloads/shell.h"
#include "sw/workloads/uboot.h"
#include "sw/workloads/workloads.h"

namespace workload {

namespace {

using kernel::pr_err;
using kernel::pr_info;

// Control Module DEVICE_ID (SPRUH73 Table 9-10, offset 0x600): DEVREV in bits 31:28.
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

// A driver step that must succeed for the boot to go on.
void check(int ret, const char* what) {
    if (ret < 0) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(ret));
}

const kernel::DeviceInfo& device(const kernel::BootInfo& info, const char* name) {
    const kernel::DeviceInfo* d = info.device(name);
    if (!d) throw std::runtime_error(std::string("the board has no ") + name);
    return *d;
}

void print_soc(const kernel::BootInfo& info) {
    const kernel::DeviceInfo& ctrl = device(info, "control");
    check(drivers::omap_hwmod_enable(ctrl.clkctrl), "control module clock");
    const uint32_t base = kernel::ioremap(ctrl.base, ctrl.size);
    if (!base) throw std::runtime_error("ioremap of the control module failed");
    const uint32_t id = hal::readl(base + kControlDeviceId);
    pr_info("AM335X %s (sgx neon)\n", am33xx_revision(id >> kDevRevShift));
    kernel::iounmap(base);
}

// The I2C clients of the board (the DT's i2c0 children): the board-ID EEPROM, as U-Boot and
// the at24 driver read it, and the PMIC, as the tps65217 MFD driver probes it.
void board_devices(const kernel::BootInfo& info) {
    check(drivers::omap_i2c_probe(device(info, "i2c0"), 400), "i2c0");
    for (const kernel::I2cClientInfo& client : info.i2c_clients) {
        if (client.compatible == "atmel,24c32") {
            drivers::TiBoardId id;
            const int ret = drivers::ti_board_id_read(client.bus, id, client.addr);
            if (ret == 0)
                pr_info("at24 %u-%04x: board %s, version %s, serial %s\n", client.bus, client.addr,
                        id.name.c_str(), id.version.c_str(), id.serial.c_str());
            else
                pr_err("at24 %u-%04x: no TI board-ID header (%d)\n", client.bus, client.addr, ret);
        } else if (client.compatible == "ti,tps65217") {
            drivers::tps65217_probe(client.bus, client.addr);
        }
    }
}

// ledtrig-heartbeat at zero load: period 1260 ms (300 + 6720 / 7), on 70 ms, off period/4 -
// 70, on 70, off the rest — for `duration_ms`.
void heartbeat(const kernel::BootInfo& info, uint64_t duration_ms) {
    if (info.leds.empty()) return;
    const kernel::LedInfo& led = info.leds.front();
    const unsigned bank = led.gpio / 32;
    check(drivers::omap_gpio_probe(device(info, ("gpio" + std::to_string(bank)).c_str())),
          "gpio bank");
    check(drivers::gpio_request(led.gpio, led.name.c_str()), "gpio_request");
    auto set = [&](bool on) { drivers::gpio_set_value(led.gpio, on != led.active_low); };
    check(drivers::gpio_direction_output(led.gpio, led.active_low ? 1 : 0), "gpio direction");
    pr_info("leds-gpio: %s on gpio%u: heartbeat for %llu ms\n", led.name.c_str(), led.gpio,
            static_cast<unsigned long long>(duration_ms));
    constexpr unsigned kPeriod = 1260, kPulse = 70;
    const unsigned phases[4] = {kPulse, kPeriod / 4 - kPulse, kPulse,
                                kPeriod - kPeriod / 4 - kPulse};
    const uint32_t end =
        kernel::jiffies + kernel::msecs_to_jiffies(static_cast<unsigned>(duration_ms));
    for (unsigned i = 0; kernel::time_before(kernel::jiffies, end); ++i) {
        set(i % 2 == 0);
        const uint32_t left = end - kernel::jiffies;
        const uint32_t step = kernel::msecs_to_jiffies(phases[i % 4]);
        kernel::wait_until_jiffies(kernel::jiffies + (step < left ? step : left));
    }
    set(false);
}

// EDMA: a 4 KiB copy from a coherent buffer into a streaming-mapped kmalloc buffer.
void edma_selftest(const kernel::BootInfo& info, hal::Cpu& c) {
    check(drivers::edma_probe(device(info, "tpcc"), device(info, "tptc0")), "edma");
    check(drivers::edma_alloc_memcpy_channel(), "edma channel");
    kernel::device* dev = drivers::edma_device();
    constexpr uint32_t kLen = 4096;
    kernel::dma_addr_t src_dma = 0;
    const uint32_t src = kernel::dma_alloc_coherent(dev, kLen, &src_dma, kernel::GFP_KERNEL);
    const uint32_t dst = kernel::kmalloc(kLen, kernel::GFP_KERNEL);
    if (!src || !dst) throw std::runtime_error("edma self-test: no memory");
    for (uint32_t i = 0; i < kLen; i += 4)
        c.store32(src + i, 0xED7A0000u + i);
    const kernel::dma_addr_t dst_dma =
        kernel::dma_map_single(dev, dst, kLen, kernel::DMA_FROM_DEVICE);
    if (kernel::dma_mapping_error(dev, dst_dma)) throw std::runtime_error("dma_map_single");
    const uint64_t t0 = c.cycles();
    check(drivers::edma_memcpy(dst_dma, src_dma, kLen, {}), "edma_memcpy");
    const bool done = drivers::edma_wait(1000);
    const uint64_t cycles = c.cycles() - t0;
    kernel::dma_unmap_single(dev, dst_dma, kLen, kernel::DMA_FROM_DEVICE);
    unsigned bad = 0;
    for (uint32_t i = 0; i < kLen; i += 4)
        bad += c.load32(dst + i) != 0xED7A0000u + i;
    pr_info("edma: memcpy %u bytes %#010x -> %#010x: %s in %llu us (%u words wrong)\n", kLen,
            src_dma, dst_dma, done && bad == 0 ? "ok" : "FAILED",
            static_cast<unsigned long long>(cycles * 1000000 / c.clock_hz()), bad);
    kernel::kfree(dst);
    kernel::dma_free_coherent(dev, kLen, src, src_dma);
    drivers::edma_free_memcpy_channel();
    if (!done || bad) throw std::runtime_error("edma self-test failed");
}

// kmalloc, vmalloc and ioremap_wc: data written through each mapping reads back.
void mm_selftests(hal::Cpu& c) {
    unsigned failures = 0;
    // kmalloc: every class from 8 bytes to 8 KiB; ksize and 64-byte alignment (ARMv7).
    for (size_t size = 8; size <= 8192; size *= 2) {
        const uint32_t p = kernel::kmalloc(size, kernel::GFP_KERNEL);
        c.store32(p, static_cast<uint32_t>(size));
        failures += !p || (p % 64) != 0 || kernel::ksize(p) < size ||
                    c.load32(p) != static_cast<uint32_t>(size);
        kernel::kfree(p);
    }
    // vmalloc: 1 MiB of 4 KiB pages, a word per page.
    constexpr uint32_t kVsize = 1u << 20;
    const uint32_t v = kernel::vmalloc(kVsize);
    for (uint32_t o = 0; v && o < kVsize; o += kernel::PAGE_SIZE)
        c.store32(v + o, o ^ 0x5A5A5A5Au);
    for (uint32_t o = 0; v && o < kVsize; o += kernel::PAGE_SIZE)
        failures += c.load32(v + o) != (o ^ 0x5A5A5A5Au);
    failures += !v;
    kernel::vfree(v);
    // ioremap_wc of the OCMC RAM (L3F, 0x40300000): a new Normal non-cacheable mapping.
    const uint32_t o = kernel::ioremap_wc(0x40300000u, 64 * 1024);
    if (o) {
        hal::writel(0xC0FFEE00u, o + 0x100);
        failures += hal::readl(o + 0x100) != 0xC0FFEE00u;
        kernel::iounmap(o);
    }
    failures += !o;
    pr_info(
        "mm self-tests: kmalloc 8..8192, vmalloc 1 MiB at %#010x, ioremap_wc OCMC at "
        "%#010x: %s\n",
        v, o, failures ? "FAILED" : "ok");
    if (failures) throw std::runtime_error("memory-manager self-tests failed");
}

// A user process: 16 pages of anonymous memory, touched at PL0, each a demand fault.
void user_selftest() {
    kernel::user_mm_init();
    kernel::mm_struct* mm = kernel::mm_alloc();
    if (!mm) throw std::runtime_error("mm_alloc failed");
    constexpr uint32_t kPages = 16;
    const uint32_t va =
        kernel::vm_mmap(mm, 0, kPages * kernel::PAGE_SIZE, kernel::PROT_READ | kernel::PROT_WRITE,
                        kernel::MAP_PRIVATE | kernel::MAP_ANONYMOUS);
    if (kernel::IS_ERR_VALUE(va)) throw std::runtime_error("mmap failed");
    const unsigned long faults0 = kernel::user_mm_stats().page_faults;
    uint32_t sum = 0;
    const int sig = kernel::run_user(mm, [&](hal::Cpu& c) {
        for (uint32_t i = 0; i < kPages; ++i)
            c.store32(va + i * kernel::PAGE_SIZE, i);
        for (uint32_t i = 0; i < kPages; ++i)
            sum += c.load32(va + i * kernel::PAGE_SIZE);
    });
    const unsigned long faults = kernel::user_mm_stats().page_faults - faults0;
    pr_info("user: mmap %u pages at %#010x, touched at PL0: %lu page faults, sum %u: %s\n", kPages,
            va, faults, sum, sig == 0 && sum == kPages * (kPages - 1) / 2 ? "ok" : "FAILED");
    kernel::switch_mm(kernel::current_user_mm(), nullptr);
    kernel::mmput(mm);
    kernel::user_mm_exit();
    if (sig != 0) throw std::runtime_error("the user process was killed");
}

void teardown() {
    drivers::edma_remove();
    drivers::omap_i2c_remove_all();
    drivers::omap_gpio_remove_all();
    drivers::omap_dm_timer_clockevent_exit();
    drivers::unregister_omap_console();
    drivers::omap8250_remove_all();
    drivers::omap_intc_remove();
    drivers::omap_clk_exit();
    kernel::irq_core_reset();
    kernel::time_reset();
    kernel::dma_mapping_exit();
}

}  // namespace

void run_boot(const Context& ctx) {
    const kernel::BootInfo& info = ctx.boot;
    hal::Cpu& c = ctx.cpu;
    uboot_handoff(info);
    kernel::System sys(info);
    try {
        // time_init / init_IRQ / console_init, in Linux's order.
        check(drivers::omap_clk_init(info), "omap clocks");
        print_soc(info);
        check(drivers::omap_intc_probe(device(info, "intc")), "intc");
        check(drivers::omap_dm_timer_clockevent_init(device(info, "dmtimer2"), 2), "timer");
        kernel::local_irq_enable();
        check(drivers::omap8250_probe(device(info, "uart0"), 115200), "uart0");
        check(drivers::register_omap_console(0), "console");
        pr_info("%s", sys.mm().pages().buddyinfo().c_str());
        board_devices(info);
        if (ctx.params.boot.self_tests) {
            edma_selftest(info, c);
            mm_selftests(c);
            user_selftest();
        }
        heartbeat(info, ctx.params.boot.heartbeat_ps / 1'000'000'000ull);
        pr_info("%s", kernel::show_interrupts().c_str());
        pr_info("boot: done after %llu ms; jiffies %u\n",
                static_cast<unsigned long long>(c.cycles() * 1000 / c.clock_hz()),
                static_cast<unsigned>(kernel::jiffies - kernel::INITIAL_JIFFIES));
        if (ctx.params.boot.shell) run_shell(0);
    } catch (...) {
        teardown();
        throw;
    }
    teardown();
}

}  // namespace workload
