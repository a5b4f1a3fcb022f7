#include "sw/drivers/tty/omap_serial.h"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <deque>

#include "sw/drivers/clk/omap_clk.h"
#include "sw/drivers/irqchip/irq-omap-intc.h"
#include "sw/hal/io.h"
#include "sw/kernel/irq.h"
#include "sw/kernel/printk.h"
#include "sw/kernel/time.h"
#include "sw/mm/ioremap.h"

namespace drivers {

using kernel::pr_err;
using kernel::pr_info;
using kernel::pr_warn;

using hal::readl;
using hal::writel;

namespace {

constexpr unsigned kPorts = 6;

struct OmapUart {
    unsigned line = 0;
    uint32_t base = 0;
    unsigned irq = 0;
    uint32_t ier = 0;
    uint32_t lcr = 0;
    uint32_t mcr = 0;
    uint32_t fcr = 0;
    uint32_t efr = 0;
    uint32_t scr = 0;
    OmapUartDivisor div{};
    std::deque<uint8_t> rx;
    unsigned long rx_overruns = 0;
};

std::array<OmapUart*, kPorts> g_ports{};
int g_console = -1;

// serial_in/serial_out: 16-bit registers at 32-bit spacing, accessed as 32-bit words.
uint32_t serial_in(OmapUart& up, uint32_t off) {
    return readl(up.base + off);
}
void serial_out(OmapUart& up, uint32_t off, uint32_t v) {
    writel(v, up.base + off);
}

// wait_for_xmitr(): LSR until `bits`, 1 us between reads, at most UART_WAIT_TMOUT reads.
void wait_for_xmitr(OmapUart& up, uint32_t bits) {
    for (unsigned tmout = UART_WAIT_TMOUT; tmout; --tmout) {
        if ((serial_in(up, UART_LSR) & bits) == bits) return;
        kernel::udelay(1);
    }
}

// omap8250_restore_regs()
void restore_regs(OmapUart& up) {
    serial_out(up, UART_OMAP_MDR1, UART_OMAP_MDR1_DISABLE);
    serial_out(up, UART_LCR, UART_LCR_CONF_MODE_B);
    serial_out(up, UART_EFR, UART_EFR_ECB);
    serial_out(up, UART_LCR, UART_LCR_CONF_MODE_A);
    serial_out(up, UART_MCR, UART_MCR_TCRTLR);
    serial_out(up, UART_FCR, up.fcr);
    serial_out(up, UART_OMAP_SCR, up.scr);  // omap8250_update_scr()
    serial_out(up, UART_LCR, UART_LCR_CONF_MODE_B);
    serial_out(up, UART_TI752_TCR, omap_uart_tcr_restore(16) | omap_uart_tcr_halt(52));
    serial_out(up, UART_TI752_TLR,
               ((TX_TRIGGER >> 2) << UART_TI752_TLR_TX) | ((RX_TRIGGER >> 2) << UART_TI752_TLR_RX));
    serial_out(up, UART_LCR, 0);
    // Drop TCR + TLR access; XON/XOFF later.
    serial_out(up, UART_MCR, up.mcr);
    serial_out(up, UART_IER, up.ier);
    serial_out(up, UART_LCR, UART_LCR_CONF_MODE_B);
    serial_out(up, UART_DLL, up.div.quot & 0xFF);  // serial_dl_write()
    serial_out(up, UART_DLM, (up.div.quot >> 8) & 0xFF);
    serial_out(up, UART_EFR, up.efr);
    // Flow control: none (XON/XOFF characters left at 0).
    serial_out(up, UART_LCR, UART_LCR_CONF_MODE_B);
    serial_out(up, UART_XON1, 0);
    serial_out(up, UART_XOFF1, 0);
    serial_out(up, UART_LCR, up.lcr);
    serial_out(up, UART_OMAP_MDR1, up.div.mdr1);  // omap8250_update_mdr1()
}

void drain_rx(OmapUart& up) {
    while (serial_in(up, UART_LSR) & UART_LSR_DR) {
        const uint8_t c = static_cast<uint8_t>(serial_in(up, UART_RX));
        if (up.rx.size() >= OMAP_SERIAL_RX_RING) {
            ++up.rx_overruns;
            continue;
        }
        up.rx.push_back(c);
    }
}

// omap8250_irq() / serial8250_handle_irq(): received data into the ring.
kernel::irqreturn_t omap8250_irq(int, void* dev) {
    OmapUart& up = *static_cast<OmapUart*>(dev);
    const uint32_t iir = serial_in(up, UART_IIR);
    if (iir & UART_IIR_NO_INT) return kernel::IRQ_NONE;
    drain_rx(up);
    return kernel::IRQ_HANDLED;
}

}  // namespace

OmapUartDivisor omap_8250_get_divisor(unsigned long uartclk, unsigned baud) {
    const auto round = [](unsigned long n, unsigned long d) { return (n + d / 2) / d; };
    unsigned long d13 = round(uartclk, 13ul * baud);
    unsigned long d16 = round(uartclk, 16ul * baud);
    if (!d13) d13 = 1;
    if (!d16) d16 = 1;
    const long abs13 = std::labs(static_cast<long>(baud) - static_cast<long>(uartclk / 13 / d13));
    const long abs16 = std::labs(static_cast<long>(baud) - static_cast<long>(uartclk / 16 / d16));
    if (abs13 >= abs16) return {static_cast<uint32_t>(d16), UART_OMAP_MDR1_16X_MODE};
    return {static_cast<uint32_t>(d13), UART_OMAP_MDR1_13X_MODE};
}

int omap8250_probe(const kernel::DeviceInfo& info, unsigned baud) {
    const std::string prefix = "uart";
    if (info.name.size() != prefix.size() + 1 || info.name.compare(0, 4, prefix) != 0 ||
        info.name.back() < '0' || info.name.back() >= static_cast<char>('0' + kPorts) ||
        baud == 0 || baud > OMAP_UART_FCLK / 13)
        return -EINVAL;
    const unsigned line = static_cast<unsigned>(info.name.back() - '0');
    if (g_ports[line]) return -EBUSY;
    if (info.irqs.empty() || !omap_intc_domain()) return -ENODEV;
    if (const int ret = omap_hwmod_enable(info.clkctrl)) return ret;
    auto* up = new OmapUart;
    up->line = line;
    up->base = kernel::ioremap(info.base, info.size);
    if (!up->base) {
        delete up;
        return -ENOMEM;
    }
    // omap8250_startup()
    serial_out(*up, UART_FCR, UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
    serial_out(*up, UART_LCR, UART_LCR_WLEN8);
    up->irq = omap_intc_irq(info.irqs.front());
    char name[32];
    std::snprintf(name, sizeof name, "%x.serial", static_cast<unsigned>(info.base));
    if (const int ret = kernel::request_irq(up->irq, omap8250_irq, 0, name, up)) {
        kernel::iounmap(up->base);
        delete up;
        return ret;
    }
    up->ier = UART_IER_RLSI | UART_IER_RDI;
    serial_out(*up, UART_IER, up->ier);
    // omap_8250_set_termios(): 8N1, FIFOs, the divisor.
    up->lcr = UART_LCR_WLEN8;
    up->div = omap_8250_get_divisor(OMAP_UART_FCLK, baud);
    up->fcr = UART_FCR_ENABLE_FIFO | ((TX_TRIGGER & 3) << OMAP_UART_FCR_TX_TRIG) |
              ((RX_TRIGGER & 3) << OMAP_UART_FCR_RX_TRIG);
    up->scr = OMAP_UART_SCR_RX_TRIG_GRANU1_MASK | OMAP_UART_SCR_TX_EMPTY |
              OMAP_UART_SCR_TX_TRIG_GRANU1_MASK;
    up->efr = 0;
    restore_regs(*up);
    g_ports[line] = up;
    pr_info("%s: ttyS%u at MMIO 0x%x (irq = %u, base_baud = %lu) is a 8250\n", name, line,
            static_cast<unsigned>(info.base), up->irq, OMAP_UART_FCLK / 16);
    return 0;
}

void omap8250_remove_all() {
    unregister_omap_console();
    for (OmapUart*& up : g_ports) {
        if (!up) continue;
        kernel::free_irq(up->irq, up);
        kernel::iounmap(up->base);
        delete up;
        up = nullptr;
    }
}

uint32_t omap8250_base(unsigned port) {
    return port < kPorts && g_ports[port] ? g_ports[port]->base : 0;
}

int omap_serial_console_write(unsigned port, const std::string& text) {
    if (port >= kPorts || !g_ports[port]) return -ENODEV;
    OmapUart& up = *g_ports[port];
    // serial8250_console_write(): interrupts off at the UART while the text goes out.
    const uint32_t ier = serial_in(up, UART_IER);
    serial_out(up, UART_IER, 0);
    int n = 0;
    for (char ch : text) {
        // uart_console_write(): LF becomes CR LF.
        if (ch == '\n') {
            wait_for_xmitr(up, UART_LSR_THRE);
            serial_out(up, UART_TX, '\r');
            ++n;
        }
        wait_for_xmitr(up, UART_LSR_THRE);
        serial_out(up, UART_TX, static_cast<uint8_t>(ch));
        ++n;
    }
    // Finally, wait for the transmitter to become empty and restore the IER.
    wait_for_xmitr(up, BOTH_EMPTY);
    serial_out(up, UART_IER, ier);
    return n;
}

int register_omap_console(unsigned port) {
    if (port >= kPorts || !g_ports[port]) return -ENODEV;
    g_console = static_cast<int>(port);
    kernel::register_console(
        [port](int, const std::string& text) { omap_serial_console_write(port, text); });
    pr_info("printk: console [ttyS%u] enabled\n", port);
    return 0;
}

void unregister_omap_console() {
    if (g_console < 0) return;
    g_console = -1;
    kernel::set_printk_sink({});
}

size_t omap_serial_read(unsigned port, uint8_t* buf, size_t max) {
    if (port >= kPorts || !g_ports[port] || !buf) return 0;
    OmapUart& up = *g_ports[port];
    drain_rx(up);
    size_t n = 0;
    while (n < max && !up.rx.empty()) {
        buf[n++] = up.rx.front();
        up.rx.pop_front();
    }
    return n;
}

int omap_serial_getc(unsigned port) {
    if (port >= kPorts || !g_ports[port]) return -ENODEV;
    OmapUart& up = *g_ports[port];
    if (!up.rx.empty()) {
        const int c = up.rx.front();
        up.rx.pop_front();
        return c;
    }
    if (serial_in(up, UART_LSR) & UART_LSR_DR)
        return static_cast<int>(serial_in(up, UART_RX) & 0xFF);
    return -1;
}

}  // namespace drivers
