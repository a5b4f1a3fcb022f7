// The guest drivers (sw/drivers, docs/guest/drivers.md) on the full BeagleBone Black platform:
// vp::platform::Soc with its Cortex-A8, the guest kernel booted by kernel::System from the
// board's BootInfo, then the drivers probed from the DeviceInfo of each region.
//
// Expected values and where they come from:
//  - UART: 115200 8N1 in 16x mode, divisor 26 from the 48 MHz fclk (am335x.md §5.3; Linux
//    omap_8250_get_divisor); one character = 10 bits x 16 x 26 / 48 MHz = 86.667 us
//    (SPRUH73 §19.3.8.1.3: baud = fclk / (16 x divisor)); LF goes out as CR LF
//    (uart_console_write).
//  - Tick: HZ = 100 (omap2plus_defconfig: no CONFIG_HZ, the ARM default HZ_100); DMTIMER2 on
//    CLK_M_OSC = 24 MHz (CLKSEL_TIMER2_CLK reset 1, SPRUH73 Table 8-146; the BBB crystal,
//    am335x.md §11); the clockevent IRQ is INTC 68 named "gp_timer" (Linux /proc/interrupts
//    on a BBB); n ticks = n x 10 ms.
//  - EEPROM: the board file's board.eeprom (name A335BNLT, version 00C0, serial) in the TI
//    header at 0x50 (U-Boot struct ti_am_eeprom, magic 0xEE3355AA).
//  - PMIC: TPS65217C, CHIPID 0xE2 ("TPS65217 ID 0xe version 1.2" in BBB boot logs).
//  - GPIO: USR0 = GPIO1_21 (bone-common.dtsi); GPIO1_28 is pad conf_gpmc_ben1 at 0x878
//    (SPRUH73 Table 9-10, mode 7); bank 1 interrupt line A = INTC 98 (Table 6-1).
//  - EDMA: completion on INTC 12 (EDMACOMPINT, Table 6-1); memcpy channel 20
//    (am33xx.dtsi ti,edma-memcpy-channels).
#define BOOST_TEST_MODULE drivers
#include <boost/test/unit_test.hpp>

#include <systemc>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/gpio/gpio.h"
#include "models/uart/uart.h"
#include "platform/board/board.h"
#include "platform/config/platform_config.h"
#include "platform/soc/boot_info.h"
#include "platform/soc/soc.h"
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
#include "sw/mm/slab.h"
#include "tests/support/sim_context.h"

using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;

namespace {

const sc_time kCharTime = sc_time(10.0 * 16 * 26 / 48e6, sc_core::SC_SEC);  // 86.667 us

struct TxByte {
    uint8_t byte;
    sc_time done;
};

// The BeagleBone Black with the guest entry `body`, run until the entry returns.
struct Machine {
    vp::config::PlatformConfig cfg;
    std::unique_ptr<vp::platform::Soc> soc;
    kernel::BootInfo info;
    std::vector<TxByte> uart0_tx;
    std::function<void(kernel::System&)> body;
    std::string failure;

    Machine() : cfg(vp::config::load_platform_config("beaglebone-black", {})) {
        soc = std::make_unique<vp::platform::Soc>("soc", cfg);
        info = vp::platform::make_boot_info(cfg);
        auto* uart0 = soc->model_as<vp::Uart>("uart0");
        BOOST_REQUIRE(uart0);
        uart0->on_tx([this](uint8_t b, const sc_time& t) { uart0_tx.push_back({b, t}); });
        soc->cpu().set_entry([this](hal::Cpu&) { guest(); });
        soc->cpu().on_exit([](const vp::CortexA8::ExitStatus&) { sc_core::sc_stop(); });
    }

    const kernel::DeviceInfo& dev(const std::string& name) const {
        const kernel::DeviceInfo* d = info.device(name);
        if (!d) throw std::runtime_error("no device " + name + " in the BootInfo");
        return *d;
    }

    void guest() {
        kernel::System sys(info);
        try {
            body(sys);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        // Driver teardown, then the kernel's.
        drivers::edma_remove();
        drivers::omap_i2c_remove_all();
        drivers::omap_gpio_remove_all();
        drivers::omap8250_remove_all();
        drivers::omap_dm_timer_clockevent_exit();
        drivers::omap_intc_remove();
        drivers::omap_clk_exit();
        kernel::irq_core_reset();
        kernel::time_reset();
        kernel::dma_mapping_exit();
    }

    // Probes the interrupt controller, the clock helper and the tick.
    void core_drivers() {
        BOOST_REQUIRE_EQUAL(drivers::omap_clk_init(info), 0);
        BOOST_REQUIRE_EQUAL(drivers::omap_intc_probe(dev("intc")), 0);
        BOOST_REQUIRE_EQUAL(drivers::omap_dm_timer_clockevent_init(dev("dmtimer2"), 2), 0);
        kernel::local_irq_enable();
    }

    void run(const sc_time& limit = sc_time(5, sc_core::SC_SEC)) {
        sc_core::sc_start(limit);
        BOOST_REQUIRE_MESSAGE(soc->cpu().finished(), "the guest did not finish");
        BOOST_CHECK_MESSAGE(soc->cpu().exit_status().ok(), soc->cpu().exit_status().message);
        BOOST_CHECK_MESSAGE(failure.empty(), failure);
    }

    std::string uart0_text() const {
        std::string s;
        for (const TxByte& b : uart0_tx)
            s += static_cast<char>(b.byte);
        return s;
    }
};

double seconds(uint64_t cycles, uint64_t hz) {
    return static_cast<double>(cycles) / static_cast<double>(hz);
}

}  // namespace

// printk through the 8250_omap console on UART0: the text, CR LF, and 115200-baud pacing.
BOOST_FIXTURE_TEST_CASE(console_printk_on_uart0_at_115200, vp::test::FreshSim) {
    Machine m;
    uint32_t dll = 0, dlh = 0, lcr = 0, mdr1 = 0;
    m.body = [&](kernel::System&) {
        m.core_drivers();
        BOOST_REQUIRE_EQUAL(drivers::omap8250_probe(m.dev("uart0"), 115200), 0);
        const drivers::OmapUartDivisor d = drivers::omap_8250_get_divisor(48000000, 115200);
        BOOST_TEST(d.quot == 26u);
        BOOST_TEST(d.mdr1 == drivers::UART_OMAP_MDR1_16X_MODE);
        // The divisor latch as programmed (LCR = 0x80 opens it; restore LCR afterwards).
        const uint32_t base = drivers::omap8250_base(0);
        hal::writel(drivers::UART_LCR_CONF_MODE_A, base + drivers::UART_LCR);
        dll = hal::readl(base + drivers::UART_DLL);
        dlh = hal::readl(base + drivers::UART_DLM);
        hal::writel(drivers::UART_LCR_WLEN8, base + drivers::UART_LCR);
        lcr = hal::readl(base + drivers::UART_LCR);
        mdr1 = hal::readl(base + drivers::UART_OMAP_MDR1);
        kernel::clear_log_buf();
        BOOST_REQUIRE_EQUAL(drivers::register_omap_console(0), 0);
        kernel::pr_info("Hello from the guest on ttyS0\n");
    };
    m.run();
    BOOST_TEST(dll == 26u);
    BOOST_TEST(dlh == 0u);
    BOOST_TEST(lcr == 0x03u);  // 8N1
    BOOST_TEST(mdr1 == 0u);    // UART 16x
    const std::string text = m.uart0_text();
    BOOST_TEST(text.find("printk: console [ttyS0] enabled\r\n") != std::string::npos);
    const size_t at = text.find("Hello from the guest on ttyS0\r\n");
    BOOST_REQUIRE(at != std::string::npos);
    // Back to back on the line: one character time apart (the console refills THR as soon
    // as LSR.THRE shows the holding register empty).
    for (size_t i = at + 1; i < at + 30; ++i) {
        const sc_time gap = m.uart0_tx[i].done - m.uart0_tx[i - 1].done;
        BOOST_TEST((gap > kCharTime - sc_time(1, SC_NS) && gap < kCharTime + sc_time(1, SC_NS)),
                   "gap " << gap << " before character " << i);
    }
}

// Input on UART0: bytes put on the RX line are read by the driver (IRQ ring + polling).
BOOST_FIXTURE_TEST_CASE(console_input_is_readable, vp::test::FreshSim) {
    Machine m;
    std::string got;
    m.body = [&](kernel::System&) {
        m.core_drivers();
        BOOST_REQUIRE_EQUAL(drivers::omap8250_probe(m.dev("uart0"), 115200), 0);
        m.soc->model_as<vp::Uart>("uart0")->inject_rx({'l', 's', '\r'}, sc_core::sc_time_stamp());
        kernel::msleep(20);  // 3 characters (260 us) and the RX time-out (4 characters)
        uint8_t buf[16];
        const size_t n = drivers::omap_serial_read(0, buf, sizeof buf);
        got.assign(reinterpret_cast<char*>(buf), n);
    };
    m.run();
    BOOST_TEST(got == "ls\r");
}

// The DMTIMER2 clockevent: periodic ticks at HZ against simulated time, counted per irq.
BOOST_FIXTURE_TEST_CASE(tick_advances_jiffies_at_hz, vp::test::FreshSim) {
    Machine m;
    double elapsed = 0;
    uint32_t dj = 0;
    unsigned long ticks_counted = 0, irq_count = 0;
    std::string interrupts;
    unsigned long rate = 0;
    m.body = [&](kernel::System&) {
        m.core_drivers();
        rate = drivers::omap_dm_timer_clockevent()->rate;
        hal::Cpu& cpu = hal::this_cpu();
        const uint32_t j0 = kernel::jiffies;
        kernel::wait_until_jiffies(j0 + 1);  // align on a tick
        const uint64_t c0 = cpu.cycles();
        const uint32_t j1 = kernel::jiffies;
        kernel::wait_until_jiffies(j1 + 50);
        elapsed = seconds(cpu.cycles() - c0, cpu.clock_hz());
        dj = kernel::jiffies - j1;
        ticks_counted = static_cast<unsigned long>(kernel::tick_count());
        irq_count = kernel::kstat_irqs(drivers::omap_dm_timer_clockevent()->irq);
        interrupts = kernel::show_interrupts();
    };
    m.run();
    BOOST_TEST(rate == 24000000ul);
    BOOST_TEST(dj == 50u);
    // 50 ticks of 10 ms: 0.5 s, give or take the interrupt entry latency (< 10 us).
    BOOST_TEST(elapsed > 0.5 - 10e-6);
    BOOST_TEST(elapsed < 0.5 + 10e-6);
    BOOST_TEST(irq_count == ticks_counted);
    BOOST_TEST(interrupts.find("INTC  68 Level    gp_timer") != std::string::npos, interrupts);
}

// I2C0 at 400 kHz: the board-ID header of the EEPROM at 0x50 and the PMIC's CHIPID at 0x24.
BOOST_FIXTURE_TEST_CASE(i2c_eeprom_board_id_and_pmic_chipid, vp::test::FreshSim) {
    Machine m;
    drivers::TiBoardId id;
    int board_ret = -1, chipid = -1, nack = 0;
    uint16_t psc = 0, scll = 0, sclh = 0;
    m.body = [&](kernel::System&) {
        m.core_drivers();
        BOOST_REQUIRE_EQUAL(drivers::omap_i2c_probe(m.dev("i2c0"), 400), 0);
        const uint32_t base = drivers::omap_i2c_base(0);
        psc = hal::readw(base + drivers::OMAP_I2C_PSC_REG);
        scll = hal::readw(base + drivers::OMAP_I2C_SCLL_REG);
        sclh = hal::readw(base + drivers::OMAP_I2C_SCLH_REG);
        board_ret = drivers::ti_board_id_read(0, id);
        chipid = drivers::tps65217_probe(0);
        // Nobody at 0x51: an address NACK.
        uint8_t b = 0;
        nack = drivers::at24_read(0, 0x51, 0, &b, 1);
    };
    m.run();
    BOOST_TEST(psc == 4u);  // 400 kHz from 48 MHz (am335x.md §6)
    BOOST_TEST(scll == 9u);
    BOOST_TEST(sclh == 3u);
    BOOST_TEST(board_ret == 0);
    BOOST_TEST(id.name == m.cfg.board.eeprom.name);
    BOOST_TEST(id.name == "A335BNLT");
    BOOST_TEST(id.version == "00C0");
    BOOST_TEST(id.serial == "2134SBB00768");
    BOOST_TEST(chipid == 0xE2);
    BOOST_TEST(nack == -EREMOTEIO);
    BOOST_TEST(m.uart0_tx.empty());  // no console here: nothing on the line
}

// GPIO1: the USR0 LED follows gpio_set_value; a rising edge on GPIO1_28 is one IRQ.
BOOST_FIXTURE_TEST_CASE(gpio_led_and_edge_irq, vp::test::FreshSim) {
    Machine m;
    std::vector<sc_time> led_edges;
    m.soc->board().leds().at(0).lit->on_change(
        [&](bool, const sc_time& off) { led_edges.push_back(sc_core::sc_time_stamp() + off); });
    // Stimulus on GPIO1_28: high at 500 ms, low at 520 ms, high again at 540 ms.
    auto* gpio1 = m.soc->model_as<vp::Gpio>("gpio1");
    BOOST_REQUIRE(gpio1);
    struct Stim : sc_core::sc_module {
        vp::Gpio* g;
        Stim(sc_core::sc_module_name n, vp::Gpio* gp) : sc_module(n), g(gp) {
            SC_HAS_PROCESS(Stim);
            SC_THREAD(run);
        }
        void run() {
            wait(sc_time(500, SC_MS));
            g->pin_in(28).write(true);
            wait(sc_time(20, SC_MS));
            g->pin_in(28).write(false);
            wait(sc_time(20, SC_MS));
            g->pin_in(28).write(true);
        }
    } stim("stim", gpio1);
    unsigned handled = 0;
    int value_after = -1;
    unsigned long count = 0;
    int irq = -1;
    m.body = [&](kernel::System&) {
        m.core_drivers();
        BOOST_REQUIRE_EQUAL(drivers::omap_gpio_probe(m.dev("gpio1")), 0);
        // LED: three blinks of 50 ms.
        const unsigned usr0 = 32 + 21;
        BOOST_REQUIRE_EQUAL(drivers::gpio_request(usr0, "beaglebone:green:usr0"), 0);
        BOOST_REQUIRE_EQUAL(drivers::gpio_direction_output(usr0, 0), 0);
        for (int i = 0; i < 3; ++i) {
            drivers::gpio_set_value(usr0, 1);
            kernel::msleep(50);
            drivers::gpio_set_value(usr0, 0);
            kernel::msleep(50);
        }
        // Input with a rising-edge interrupt.
        const unsigned in = 32 + 28;
        BOOST_REQUIRE_EQUAL(
            drivers::omap_pinmux_set(0x878, drivers::PIN_INPUT | drivers::MUX_MODE7), 0);
        BOOST_REQUIRE_EQUAL(drivers::gpio_request(in, "button"), 0);
        BOOST_REQUIRE_EQUAL(drivers::gpio_direction_input(in), 0);
        irq = drivers::gpio_to_irq(in);
        BOOST_REQUIRE(irq > 0);
        BOOST_REQUIRE_EQUAL(kernel::request_irq(
                                static_cast<unsigned>(irq),
                                [&](int, void*) {
                                    ++handled;
                                    return kernel::IRQ_HANDLED;
                                },
                                kernel::IRQF_TRIGGER_RISING, "button", &handled),
                            0);
        BOOST_REQUIRE(kernel::time_before(kernel::jiffies, kernel::INITIAL_JIFFIES + 50));
        kernel::wait_until_jiffies(kernel::INITIAL_JIFFIES + 56);  // past 550 ms
        value_after = drivers::gpio_get_value(in);
        count = kernel::kstat_irqs(static_cast<unsigned>(irq));
        kernel::free_irq(static_cast<unsigned>(irq), &handled);
    };
    m.run();
    // Six LED changes 50 ms apart (the tick's 10 ms resolution: msleep(50) = 6 ticks).
    BOOST_REQUIRE_EQUAL(led_edges.size(), 6u);
    for (size_t i = 1; i < led_edges.size(); ++i) {
        const sc_time gap = led_edges[i] - led_edges[i - 1];
        BOOST_TEST((gap >= sc_time(50, SC_MS) && gap <= sc_time(60, SC_MS) + sc_time(20, SC_US)),
                   "LED gap " << gap);
    }
    BOOST_TEST(handled == 2u);  // two rising edges, the falling one ignored
    BOOST_TEST(count == 2u);
    BOOST_TEST(value_after == 1);
}

// EDMA memcpy: a coherent source, a streaming-mapped kmalloc destination, completion IRQ.
BOOST_FIXTURE_TEST_CASE(edma_memcpy_with_completion_irq, vp::test::FreshSim) {
    Machine m;
    std::vector<sc_time> line12;
    m.soc->irq_line(12).on_change([&](bool level, const sc_time& off) {
        if (level) line12.push_back(sc_core::sc_time_stamp() + off);
    });
    bool done_called = false, waited = false;
    unsigned mismatches = 0;
    unsigned long irq_count = 0;
    constexpr uint32_t kLen = 4096;
    m.body = [&](kernel::System&) {
        m.core_drivers();
        BOOST_REQUIRE_EQUAL(drivers::edma_probe(m.dev("tpcc"), m.dev("tptc0")), 0);
        BOOST_REQUIRE_EQUAL(drivers::edma_alloc_memcpy_channel(), 0);
        kernel::device* dev = drivers::edma_device();
        hal::Cpu& cpu = hal::this_cpu();
        kernel::dma_addr_t src_dma = 0;
        const uint32_t src = kernel::dma_alloc_coherent(dev, kLen, &src_dma, kernel::GFP_KERNEL);
        BOOST_REQUIRE(src != 0);
        const uint32_t dst = kernel::kmalloc(kLen, kernel::GFP_KERNEL);
        BOOST_REQUIRE(dst != 0);
        for (uint32_t i = 0; i < kLen; i += 4)
            cpu.store32(src + i, 0xA5000000u ^ (i * 2654435761u));
        const kernel::dma_addr_t dst_dma =
            kernel::dma_map_single(dev, dst, kLen, kernel::DMA_FROM_DEVICE);
        BOOST_REQUIRE(!kernel::dma_mapping_error(dev, dst_dma));
        BOOST_REQUIRE_EQUAL(
            drivers::edma_memcpy(dst_dma, src_dma, kLen, [&] { done_called = true; }), 0);
        waited = drivers::edma_wait(1000);
        kernel::dma_unmap_single(dev, dst_dma, kLen, kernel::DMA_FROM_DEVICE);
        for (uint32_t i = 0; i < kLen; i += 4)
            if (cpu.load32(dst + i) != (0xA5000000u ^ (i * 2654435761u))) ++mismatches;
        irq_count = kernel::kstat_irqs(drivers::omap_intc_irq(12));
        kernel::kfree(dst);
        kernel::dma_free_coherent(dev, kLen, src, src_dma);
    };
    m.run();
    BOOST_TEST(waited);
    BOOST_TEST(done_called);
    BOOST_TEST(mismatches == 0u);
    BOOST_TEST(irq_count == 1u);
    BOOST_TEST(line12.size() == 1u);
}
