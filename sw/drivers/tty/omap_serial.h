// The OMAP UART as Linux's 8250_omap drives it (drivers/tty/serial/8250/8250_omap.c,
// 8250_port.c; SPRUH73 §19; am335x.md §5), with the serial console.
//
//   omap8250_probe(info, baud): clock on, then omap8250_startup + omap_8250_set_termios for
//     8N1 at `baud` from the 48 MHz functional clock: 16x or 13x oversampling, whichever has
//     the smaller error (115200: 16x, divisor 26), FIFOs on (FCR 0x11: TX trigger 1 space,
//     RX 48 characters with TLR/SCR granularity 1), then omap8250_restore_regs (MDR1 = 7,
//     EFR.ECB, MCR.TCRTLR, FCR, SCR, TCR, TLR, IER, DLL/DLH, EFR, LCR, MDR1 = mode);
//     request_irq on the UART line: received bytes go into a ring buffer (RDI / RX timeout).
//   console: omap_serial_console_write() is serial8250_console_write: IER saved and cleared,
//     each character (LF -> CR LF) written to THR after LSR.THRE reads 1, then a wait for
//     THRE|TEMT, IER restored; so the text leaves at the line's pace.
//   register_omap_console() makes it the printk console (replaying the log buffer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sw/kernel/boot.h"

namespace drivers {

// Register offsets (reg-shift 2; SPRUH73 Table 19-37).
constexpr uint32_t UART_RX = 0x00;   // RHR (read)
constexpr uint32_t UART_TX = 0x00;   // THR (write)
constexpr uint32_t UART_DLL = 0x00;  // config modes
constexpr uint32_t UART_IER = 0x04;
constexpr uint32_t UART_DLM = 0x04;
constexpr uint32_t UART_IIR = 0x08;
constexpr uint32_t UART_FCR = 0x08;
constexpr uint32_t UART_EFR = 0x08;  // config mode B
constexpr uint32_t UART_LCR = 0x0C;
constexpr uint32_t UART_MCR = 0x10;
constexpr uint32_t UART_XON1 = 0x10;
constexpr uint32_t UART_LSR = 0x14;
constexpr uint32_t UART_XON2 = 0x14;
constexpr uint32_t UART_TI752_TCR = 0x18;
constexpr uint32_t UART_XOFF1 = 0x18;
constexpr uint32_t UART_TI752_TLR = 0x1C;
constexpr uint32_t UART_XOFF2 = 0x1C;
constexpr uint32_t UART_OMAP_MDR1 = 0x20;
constexpr uint32_t UART_OMAP_SCR = 0x40;
constexpr uint32_t UART_OMAP_SYSC = 0x54;
constexpr uint32_t UART_OMAP_SYSS = 0x58;
// Bits.
constexpr uint32_t UART_IER_RDI = 0x01;
constexpr uint32_t UART_IER_THRI = 0x02;
constexpr uint32_t UART_IER_RLSI = 0x04;
constexpr uint32_t UART_IIR_NO_INT = 0x01;
constexpr uint32_t UART_FCR_ENABLE_FIFO = 0x01;
constexpr uint32_t UART_FCR_CLEAR_RCVR = 0x02;
constexpr uint32_t UART_FCR_CLEAR_XMIT = 0x04;
constexpr unsigned OMAP_UART_FCR_TX_TRIG = 4;
constexpr unsigned OMAP_UART_FCR_RX_TRIG = 6;
constexpr uint32_t UART_LCR_WLEN8 = 0x03;
constexpr uint32_t UART_LCR_CONF_MODE_A = 0x80;
constexpr uint32_t UART_LCR_CONF_MODE_B = 0xBF;
constexpr uint32_t UART_EFR_ECB = 0x10;
constexpr uint32_t UART_MCR_TCRTLR = 0x40;
constexpr uint32_t UART_LSR_DR = 0x01;
constexpr uint32_t UART_LSR_THRE = 0x20;
constexpr uint32_t UART_LSR_TEMT = 0x40;
constexpr uint32_t BOTH_EMPTY = UART_LSR_TEMT | UART_LSR_THRE;
constexpr uint32_t UART_OMAP_MDR1_16X_MODE = 0x00;
constexpr uint32_t UART_OMAP_MDR1_13X_MODE = 0x03;
constexpr uint32_t UART_OMAP_MDR1_DISABLE = 0x07;
constexpr uint32_t OMAP_UART_SCR_TX_EMPTY = 1u << 3;
constexpr uint32_t OMAP_UART_SCR_TX_TRIG_GRANU1_MASK = 1u << 6;
constexpr uint32_t OMAP_UART_SCR_RX_TRIG_GRANU1_MASK = 1u << 7;
constexpr unsigned UART_TI752_TLR_TX = 0;
constexpr unsigned UART_TI752_TLR_RX = 4;
constexpr unsigned TX_TRIGGER = 1;                  // 8250_omap.c
constexpr unsigned RX_TRIGGER = 48;                 // 8250_omap.c
constexpr unsigned long OMAP_UART_FCLK = 48000000;  // DT clock-frequency
constexpr unsigned UART_WAIT_TMOUT = 10000;         // wait_for_xmitr(): 10 ms in 1 us steps
constexpr size_t OMAP_SERIAL_RX_RING = 4096;

constexpr uint32_t omap_uart_tcr_restore(unsigned x) {
    return (x / 4) << 4;
}
constexpr uint32_t omap_uart_tcr_halt(unsigned x) {
    return (x / 4) << 0;
}

// The divisor and mode omap_8250_get_divisor() picks for `baud` from `uartclk`.
struct OmapUartDivisor {
    uint32_t quot;
    uint32_t mdr1;  // UART_OMAP_MDR1_16X_MODE or _13X_MODE
};
OmapUartDivisor omap_8250_get_divisor(unsigned long uartclk, unsigned baud);

// Probes "uartN" at `baud` 8N1. 0, -EINVAL (bad name or baud), -EBUSY, -ENODEV (no INTC),
// -ENOMEM or the clock / request_irq error.
int omap8250_probe(const kernel::DeviceInfo& info, unsigned baud = 115200);
void omap8250_remove_all();
uint32_t omap8250_base(unsigned port);

// serial8250_console_write on port `port`; returns the characters written (-ENODEV).
int omap_serial_console_write(unsigned port, const std::string& text);
// Makes `port` the printk console (register_console: the log buffer is replayed).
int register_omap_console(unsigned port);
void unregister_omap_console();

// Received input: bytes the interrupt handler has queued, then (polled) any still in the
// RX FIFO. Returns the number of bytes copied.
size_t omap_serial_read(unsigned port, uint8_t* buf, size_t max);
// One byte, polled (LSR.DR): 0..255, or -1 when none is waiting (-ENODEV).
int omap_serial_getc(unsigned port);

}  // namespace drivers
