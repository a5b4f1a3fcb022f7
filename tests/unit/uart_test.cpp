#define BOOST_TEST_MODULE uart
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/uart/backend.h"
#include "models/uart/uart.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "tests/support/sim_context.h"

using namespace sc_core;
using namespace vp::uart;
using vp::Uart;
using vp::UartParams;

namespace {

// ---- facts used by the expectations (each from the TRM or Linux) ------------------------------

constexpr double kFclk = 48e6;  // SPRUH73 §19.3.8.1.1: 48 MHz functional clock
// Table 19-25: 115.2 kbps in 16x mode uses DLH,DLL = 0x00,0x1A (26).
constexpr unsigned kDiv115200 = 26;
// One 8N1 character: start + 8 data + stop = 10 bits (§19.3.8.1.3.1), each 16 x 26 fclk.
sc_time char_time_8n1(unsigned oversample = 16, unsigned div = kDiv115200) {
    return sc_time(10.0 * oversample * div / kFclk, SC_SEC);
}
// §19.3.8.1.3.7.1: RX idle after "4x the programmed word length + 12 bits".
sc_time timeout_8bit(unsigned div = kDiv115200) {
    return sc_time((4.0 * 8 + 12) * 16 * div / kFclk, SC_SEC);
}

bool near(const sc_time& a, const sc_time& b, const sc_time& tol = sc_time(1, SC_NS)) {
    return (a > b ? a - b : b - a) <= tol;
}

// Linux include/uapi/linux/serial_reg.h values used by 8250_omap.
constexpr uint32_t UART_LCR_WLEN8 = 0x03;
constexpr uint32_t UART_LCR_CONF_MODE_A = 0x80;
constexpr uint32_t UART_LCR_CONF_MODE_B = 0xBF;
constexpr uint32_t UART_EFR_ECB = 0x10;
constexpr uint32_t UART_MCR_TCRTLR = 0x40;
constexpr uint32_t UART_FCR_CLEAR_RCVR = 0x02;
constexpr uint32_t UART_FCR_CLEAR_XMIT = 0x04;
constexpr uint32_t UART_FCR_ENABLE_FIFO = 0x01;
constexpr uint32_t UART_IER_RDI = 0x01;
constexpr uint32_t UART_IER_THRI = 0x02;
constexpr uint32_t UART_IER_RLSI = 0x04;
constexpr uint32_t UART_LSR_DR = 0x01;
constexpr uint32_t UART_LSR_OE = 0x02;
constexpr uint32_t UART_LSR_THRE = 0x20;
constexpr uint32_t UART_LSR_TEMT = 0x40;
constexpr uint32_t UART_IIR_NO_INT = 0x01;
constexpr uint32_t UART_OMAP_MDR1_16X_MODE = 0x00;
constexpr uint32_t UART_OMAP_MDR1_13X_MODE = 0x03;
constexpr uint32_t UART_OMAP_MDR1_DISABLE = 0x07;

// ---- bench ---------------------------------------------------------------------------------

// A bus master whose test body runs in an SC_THREAD, so it can wait() between accesses.
struct Driver : sc_module {
    tlm_utils::simple_initiator_socket<Driver> socket;
    std::function<void()> body;
    SC_HAS_PROCESS(Driver);
    explicit Driver(sc_module_name n) : sc_module(n), socket("socket") { SC_THREAD(run); }
    void run() {
        if (body) body();
    }

    tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t addr, uint32_t& value,
                                    unsigned size, const sc_time& offset = SC_ZERO_TIME) {
        uint8_t buf[4] = {};
        vp::store_le(buf, value, size);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, buf, size);
        sc_time delay = offset;
        socket->b_transport(p, delay);
        if (cmd == tlm::TLM_READ_COMMAND) value = static_cast<uint32_t>(vp::load_le(buf, size));
        return p.get_response_status();
    }
    // 8-bit by default: 8250_omap uses UPIO_MEM (readb/writeb) at reg << 2.
    uint32_t rd(uint32_t off, unsigned size = 1, tlm::tlm_response_status* st = nullptr) {
        uint32_t v = 0;
        auto s = access(tlm::TLM_READ_COMMAND, off, v, size);
        if (st) *st = s;
        return v;
    }
    tlm::tlm_response_status wr(uint32_t off, uint32_t v, unsigned size = 1) {
        return access(tlm::TLM_WRITE_COMMAND, off, v, size);
    }
};

struct Edge {
    sc_time t;
    bool level;
};

struct Bench {
    Driver drv{"drv"};
    vp::TransactionMonitor mon{"mon"};
    std::unique_ptr<Uart> uart;
    std::vector<Edge> irq;
    std::vector<std::pair<uint8_t, sc_time>> tx;

    explicit Bench(std::unique_ptr<vp::UartBackend> backend = nullptr, UartParams p = {}) {
        if (p.stat_prefix.empty()) p.stat_prefix = "uart0";
        uart = std::make_unique<Uart>("uart0", p, std::move(backend));
        drv.socket.bind(mon.target);
        mon.initiator.bind(uart->socket);
        uart->irq.on_change([this](bool level, const sc_time& off) {
            irq.push_back({sc_time_stamp() + off, level});
        });
        uart->on_tx([this](uint8_t b, const sc_time& t) { tx.push_back({b, t}); });
    }
    void run(std::function<void()> body, const sc_time& limit = sc_time(50, SC_MS)) {
        drv.body = std::move(body);
        sc_start(limit);
    }
    std::string tx_text() const {
        std::string s;
        for (auto& c : tx)
            s.push_back(static_cast<char>(c.first));
        return s;
    }
};

// Linux 8250_omap bring-up for 115200 8N1 on an AM335x UART (drivers/tty/serial/8250/
// 8250_omap.c), register by register, from reset. Returns nothing; the caller checks.
void linux_bring_up(Driver& d) {
    // omap_8250_startup(): clear both FIFOs, LCR = WLEN8, IER = RLSI | RDI, WER.
    d.wr(kFcr, UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
    d.wr(kLcr, UART_LCR_WLEN8);
    d.wr(kIer, UART_IER_RLSI | UART_IER_RDI);
    d.wr(kWer, 0x7F | 0x80);  // OMAP_UART_WER_MOD_WKUP | OMAP_UART_TX_WAKEUP_EN (rev 6.3)
    // omap_8250_set_termios() -> omap8250_restore_regs().
    const uint32_t mcr = d.rd(kMcr);  // serial8250_in_MCR()
    d.wr(kLcr, UART_LCR_CONF_MODE_B);
    d.wr(kEfr, UART_EFR_ECB);
    d.wr(kLcr, UART_LCR_CONF_MODE_A);
    d.wr(kMcr, mcr | UART_MCR_TCRTLR);
    // up->fcr = ENABLE_FIFO | TX trigger 1 & 3 << 4 | RX trigger 48 & 3 << 6 = 0x11
    d.wr(kFcr, UART_FCR_ENABLE_FIFO | (1 & 3) << 4 | (48 & 3) << 6);
    // omap8250_update_scr(): SCR = RX_TRIG_GRANU1 | TX_EMPTY | TX_TRIG_GRANU1 = 0xC8
    if (d.rd(kScr) != 0xC8) d.wr(kScr, 0xC8);
    d.wr(kLcr, UART_LCR_CONF_MODE_B);
    d.wr(kTcr, ((16 / 4) << 4) | (52 / 4));  // OMAP_UART_TCR_RESTORE(16) | HALT(52)
    d.wr(kTlr, ((1 & 0x3c) >> 2) << 0 | ((48 & 0x3c) >> 2) << 4);  // TRIGGER_TLR_MASK: 0xC0
    d.wr(kLcr, 0);
    d.wr(kMcr, mcr);
    d.wr(kIer, UART_IER_RLSI | UART_IER_RDI);
    d.wr(kLcr, UART_LCR_CONF_MODE_B);
    d.wr(kDll, kDiv115200 & 0xFF);  // serial_dl_write(): DLL then DLM
    d.wr(kDlh, kDiv115200 >> 8);
    d.wr(kEfr, 0);  // priv->efr: no flow control
    d.wr(kLcr, UART_LCR_CONF_MODE_B);
    d.wr(kXon1, 0x11);   // termios c_cc[VSTART]
    d.wr(kXoff1, 0x13);  // termios c_cc[VSTOP]
    d.wr(kLcr, UART_LCR_WLEN8);
    // omap8250_update_mdr1() with the i202 erratum (revision 6.3): MDR1, udelay(2), FCR.
    d.wr(kMdr1, UART_OMAP_MDR1_16X_MODE);
    wait(2, SC_US);
    d.wr(kFcr, 0x11 | UART_FCR_CLEAR_XMIT | UART_FCR_CLEAR_RCVR);
    // __omap8250_set_mctrl(): MCR = DTR | RTS, then EFR (no auto-RTS) via mode B.
    d.wr(kMcr, 0x03);
    const uint32_t lcr = d.rd(kLcr);
    d.wr(kLcr, UART_LCR_CONF_MODE_B);
    d.wr(kEfr, 0);
    d.wr(kLcr, lcr);
}

// omap8250_soft_reset(): SCR DMA mode in two writes, SYSC.SOFTRESET, then every 1 us read
// SYSS until RESETDONE. Returns the number of SYSS reads.
unsigned linux_soft_reset(Driver& d) {
    d.wr(kScr, 0x02, 4);  // OMAP_UART_SCR_DMAMODE_1 (uart_write: writel)
    d.wr(kScr, 0x03, 4);  // | OMAP_UART_SCR_DMAMODE_CTL
    const uint32_t sysc = d.rd(kSysc, 4);
    d.wr(kSysc, sysc | kSyscSoftReset, 4);
    unsigned reads = 0;
    uint32_t syss;
    do {
        wait(1, SC_US);  // udelay(1)
        syss = d.rd(kSyss, 4);
        ++reads;
    } while (!(syss & kSyssResetDone) && reads < 100);
    return reads;
}

UartParams named(const std::string& prefix) {
    UartParams p;
    p.stat_prefix = prefix;
    return p;
}

}  // namespace

// =============================================================================================
// Errors in parameters and backend configuration (first: these cases throw on the main
// stack, which AddressSanitizer misjudges once SystemC has switched coroutine stacks)
// =============================================================================================

BOOST_FIXTURE_TEST_CASE(bad_parameters_are_clear_errors, vp::test::FreshSim) {
    UartParams p;
    p.fclk_hz = 0;
    BOOST_CHECK_THROW(Uart("u1", p), std::invalid_argument);
    p = UartParams{};
    p.fifo_depth = 0;
    BOOST_CHECK_THROW(Uart("u2", p), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(backend_configuration_errors) {
    vp::UartBackendConfig c;
    c.kind = vp::UartBackendConfig::Kind::tcp;
    c.address = "0.0.0.0";
    BOOST_CHECK_THROW(vp::make_uart_backend(c, "uart1"), std::invalid_argument);
    c.address = "192.168.1.1";
    BOOST_CHECK_THROW(vp::make_uart_backend(c, "uart1"), std::invalid_argument);
    c.address = "127.0.0.1";
    c.port = 70000;
    BOOST_CHECK_THROW(vp::make_uart_backend(c, "uart1"), std::invalid_argument);
    c = {};
    c.kind = vp::UartBackendConfig::Kind::file;
    c.path = "/nonexistent-dir/x/out.txt";
    try {
        vp::make_uart_backend(c, "uart2");
        BOOST_ERROR("no exception");
    } catch (const std::runtime_error& e) {
        BOOST_CHECK(std::string(e.what()).find("uart2") != std::string::npos);
        BOOST_CHECK(std::string(e.what()).find("/nonexistent-dir/x/out.txt") != std::string::npos);
    }
    vp::UartBackendConfig::Kind k;
    BOOST_CHECK(vp::parse_uart_backend_kind("stdout", k) &&
                k == vp::UartBackendConfig::Kind::stdio);
    BOOST_CHECK(!vp::parse_uart_backend_kind("serial", k));
    BOOST_CHECK(vp::is_loopback_address("127.0.0.2") && vp::is_loopback_address("::1") &&
                vp::is_loopback_address("localhost") && !vp::is_loopback_address("10.0.0.1"));
    // A port in use is a clear runtime error.
    vp::TcpUartBackend first("127.0.0.1", 0);
    BOOST_CHECK_THROW(vp::TcpUartBackend("127.0.0.1", first.port()), std::runtime_error);
}

// =============================================================================================
// Reset values and access policies
// =============================================================================================

// Every register's reset value, read over the bus in the access mode that shows it
// (SPRUH73 §19.5.1 register headings; Table 19-20 for the modes).
BOOST_FIXTURE_TEST_CASE(reset_values_of_every_register, vp::test::FreshSim) {
    Bench b;
    struct Row {
        const char* name;
        uint32_t offset;
        uint32_t lcr;  // access mode: 0 operational, 0x80 A, 0xBF B
        uint32_t reset;
        unsigned size;
    };
    const Row rows[] = {
        {"RHR", kRhr, 0x00, 0x00, 1},               // 19.5.1.2
        {"IER", kIer, 0x00, 0x00, 1},               // 19.5.1.6
        {"IIR", kIir, 0x00, 0x01, 1},               // 19.5.1.9: IT_PENDING = 1
        {"LCR", kLcr, 0x00, 0x00, 1},               // 19.5.1.13
        {"MCR", kMcr, 0x00, 0x00, 1},               // 19.5.1.14
        {"LSR", kLsr, 0x00, 0x60, 1},               // 19.5.1.19: TXSRE | TXFIFOE
        {"MSR", kMsr, 0x00, 0x00, 1},               // 19.5.1.21
        {"SPR", kSpr, 0x00, 0x00, 1},               // 19.5.1.23
        {"MDR1", kMdr1, 0x00, 0x07, 1},             // 19.5.1.26: disabled
        {"MDR2", kMdr2, 0x00, 0x00, 1},             // 19.5.1.27
        {"SFLSR", kSflsr, 0x00, 0x00, 1},           // 19.5.1.29
        {"RESUME", kResume, 0x00, 0x00, 1},         // 19.5.1.30
        {"SFREGL", kSfregl, 0x00, 0x00, 1},         // 19.5.1.33
        {"SFREGH", kSfregh, 0x00, 0x00, 1},         // 19.5.1.34
        {"BLR", kBlr, 0x00, 0x40, 1},               // 19.5.1.36: XBOFTYPE = 1
        {"ACREG", kAcreg, 0x00, 0x00, 1},           // 19.5.1.38
        {"SCR", kScr, 0x00, 0x00, 4},               // 19.5.1.39
        {"SSR", kSsr, 0x00, 0x04, 4},               // 19.5.1.40: DMACOUNTERRST = 1
        {"EBLR", kEblr, 0x00, 0x00, 1},             // 19.5.1.41
        {"SYSC", kSysc, 0x00, 0x00, 4},             // 19.5.1.43
        {"SYSS", kSyss, 0x00, 0x01, 4},             // 19.5.1.44: RESETDONE once reset has finished
        {"WER", kWer, 0x00, 0xFF, 4},               // 19.5.1.45
        {"CFPS", kCfps, 0x00, 0x69, 4},             // 19.5.1.46
        {"RXFIFO_LVL", kRxfifoLvl, 0x00, 0x00, 4},  // 19.5.1.47
        {"TXFIFO_LVL", kTxfifoLvl, 0x00, 0x00, 4},  // 19.5.1.48
        {"IER2", kIer2, 0x00, 0x00, 4},             // 19.5.1.49
        {"ISR2", kIsr2, 0x00, 0x00, 4},             // 19.5.1.50
        {"FREQ_SEL", kFreqSel, 0x00, 0x00, 4},      // 19.5.1.51
        {"MDR3", kMdr3, 0x00, 0x00, 4},             // 19.5.1.52
        {"TX_DMA_THRESHOLD", kTxDmaThreshold, 0x00, 0x00, 4},  // 19.5.1.53
        {"DLL", kDll, 0x80, 0x00, 1},                          // 19.5.1.3
        {"DLH", kDlh, 0x80, 0x00, 1},                          // 19.5.1.7
        {"UASR", kUasr, 0x80, 0x00, 1},                        // 19.5.1.37
        {"EFR", kEfr, 0xBF, 0x00, 1},                          // 19.5.1.8
        {"XON1_ADDR1", kXon1, 0xBF, 0x00, 1},                  // 19.5.1.15
        {"XON2_ADDR2", kXon2, 0xBF, 0x00, 1},                  // 19.5.1.16
        {"XOFF1", kXoff1, 0xBF, 0x00, 1},                      // 19.5.1.22
        {"XOFF2", kXoff2, 0xBF, 0x00, 1},                      // 19.5.1.25
    };
    b.run([&] {
        for (const Row& r : rows) {
            b.drv.wr(kLcr, r.lcr);
            tlm::tlm_response_status st;
            const uint32_t v = b.drv.rd(r.offset, r.size, &st);
            BOOST_CHECK_MESSAGE(st == tlm::TLM_OK_RESPONSE, r.name);
            BOOST_CHECK_MESSAGE(v == r.reset,
                                r.name << " reads " << std::hex << v << ", TRM reset " << r.reset);
            BOOST_CHECK_MESSAGE(b.uart->peek(r.name) == r.reset, r.name << " (peek)");
        }
        b.drv.wr(kLcr, 0);
    });
    // Write-only registers (THR, FCR, TXFLL/H, RXFLL/H) reset to 0 (19.5.1.1, .11, .28,
    // .31, .32, .35); TCR and TLR (19.5.1.20, .24) too. Visible by name only.
    for (const char* n : {"THR", "FCR", "TXFLL", "TXFLH", "RXFLL", "RXFLH", "TCR", "TLR"})
        BOOST_CHECK_MESSAGE(b.uart->peek(n) == 0, n);
    BOOST_CHECK(b.mon.violations().empty());
}

// MVR: the documented choice (docs/models/uart.md): scheme 1, major 6, minor 3, which
// Linux's omap_serial_fill_features_erratas() decodes as OMAP_UART_REV_63.
BOOST_FIXTURE_TEST_CASE(mvr_is_the_documented_revision_and_read_only, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        const uint32_t mvr = b.drv.rd(kMvr, 4);
        BOOST_CHECK_EQUAL(mvr, 0x50411603u);
        // Linux: scheme = mvr >> 30 = 1; major = (mvr & 0x700) >> 8; minor = mvr & 0x3f.
        BOOST_CHECK_EQUAL(mvr >> 30, 1u);
        BOOST_CHECK_EQUAL(((mvr & 0x700) >> 8) << 8 | (mvr & 0x3f), 0x0603u);
        BOOST_CHECK(b.drv.wr(kMvr, 0, 4) == tlm::TLM_OK_RESPONSE);  // RO: ignored
        BOOST_CHECK_EQUAL(b.drv.rd(kMvr, 4), 0x50411603u);
    });
}

// Read/write registers keep their writable bits (the field tables of §19.5.1); read-only
// ones ignore writes with an OK response (DESIGN.md §6).
BOOST_FIXTURE_TEST_CASE(access_policy_of_every_register, vp::test::FreshSim) {
    Bench b;
    struct Row {
        const char* name;
        uint32_t offset;
        uint32_t lcr;
        uint32_t writable;  // bits that keep a written 1 (0 = read-only)
    };
    const Row rows[] = {
        {"IER", kIer, 0x00, 0x0F},           // Table 19-35: IER[7:4] only with EFR[4] = 1
        {"MCR", kMcr, 0x00, 0x1F},           // Table 19-43: MCR[7:5] only with EFR[4] = 1
        {"SPR", kSpr, 0x00, 0xFF},           // Table 19-52
        {"MDR2", kMdr2, 0x00, 0xFE},         // Table 19-56: IRTXUNDERRUN is R
        {"BLR", kBlr, 0x00, 0x40},           // Table 19-65: bit 7 self-clears, [5:0] reserved
        {"ACREG", kAcreg, 0x00, 0xFF},       // Table 19-67
        {"SCR", kScr, 0x00, 0xFF},           // Table 19-68
        {"EBLR", kEblr, 0x00, 0xFF},         // Table 19-70
        {"WER", kWer, 0x00, 0xFF},           // Table 19-74
        {"CFPS", kCfps, 0x00, 0xFF},         // Table 19-75
        {"IER2", kIer2, 0x00, 0x03},         // Table 19-78
        {"FREQ_SEL", kFreqSel, 0x00, 0xFF},  // Table 19-80
        {"TX_DMA_THRESHOLD", kTxDmaThreshold, 0x00, 0x3F},  // Table 19-82
        {"SSR", kSsr, 0x00, 0x04},  // Table 19-69: DMACOUNTERRST R/W, the rest R
        {"LSR", kLsr, 0x00, 0},     // these are read-only (a write to 0x08 is FCR)
        {"MSR", kMsr, 0x00, 0},
        {"SYSS", kSyss, 0x00, 0},
        {"RXFIFO_LVL", kRxfifoLvl, 0x00, 0},
        {"TXFIFO_LVL", kTxfifoLvl, 0x00, 0},
        {"DLL", kDll, 0x80, 0xFF},          // Table 19-32
        {"DLH", kDlh, 0x80, 0x3F},          // Table 19-36: 6 MSBs
        {"UASR", kUasr, 0x80, 0},           // Table 19-66: R
        {"EFR", kEfr, 0xBF, 0xFF},          // Table 19-37
        {"XON1_ADDR1", kXon1, 0xBF, 0xFF},  // Table 19-44
        {"XON2_ADDR2", kXon2, 0xBF, 0xFF},  // Table 19-45
        {"XOFF1", kXoff1, 0xBF, 0xFF},      // Table 19-51
        {"XOFF2", kXoff2, 0xBF, 0xFF},      // Table 19-54
    };
    b.run([&] {
        for (const Row& r : rows) {
            for (uint32_t pattern : {0xA5u, 0x5Au}) {
                b.drv.wr(kLcr, r.lcr);
                const uint32_t before = b.uart->peek(r.name);
                BOOST_CHECK(b.drv.wr(r.offset, pattern) == tlm::TLM_OK_RESPONSE);
                const uint32_t expect =
                    r.writable ? (pattern & r.writable) | (before & ~r.writable & 0xFF) : before;
                const uint32_t got = b.drv.rd(r.offset);
                BOOST_CHECK_MESSAGE(got == expect, r.name << " wrote " << std::hex << pattern
                                                          << " read " << got << " expected "
                                                          << expect);
            }
            // Leave the UART quiet for the next row.
            if (std::string(r.name) == "EFR") b.drv.wr(kEfr, 0);
        }
        b.drv.wr(kLcr, 0);
        // SYSC (Table 19-72): AUTOIDLE, ENAWAKEUP, IDLEMODE keep their value; SOFTRESET
        // (bit 1) resets the module and reads 0.
        b.drv.wr(kSysc, 0x1D, 4);
        BOOST_CHECK_EQUAL(b.drv.rd(kSysc, 4), 0x1Du);
        b.drv.wr(kSysc, 0x00, 4);
        BOOST_CHECK_EQUAL(b.drv.rd(kSysc, 4), 0x00u);
        // LCR (Table 19-42) is R/W in every mode; 0x5A is operational mode.
        b.drv.wr(kLcr, 0x5A);
        BOOST_CHECK_EQUAL(b.drv.rd(kLcr), 0x5Au);
        b.drv.wr(kLcr, 0);
        // MDR1 (Table 19-55) R/W: 16x, back to disabled.
        b.drv.wr(kMdr1, UART_OMAP_MDR1_16X_MODE);
        BOOST_CHECK_EQUAL(b.drv.rd(kMdr1), 0x00u);
        b.drv.wr(kMdr1, UART_OMAP_MDR1_DISABLE);
        BOOST_CHECK_EQUAL(b.drv.rd(kMdr1), 0x07u);
        // MDR3 (Table 19-81): changing NONDEFAULT_FREQ forces MDR1[2:0] to 7.
        b.drv.wr(kMdr1, UART_OMAP_MDR1_16X_MODE);
        b.drv.wr(kMdr3, 0x02);
        BOOST_CHECK_EQUAL(b.drv.rd(kMdr3), 0x02u);
        BOOST_CHECK_EQUAL(b.drv.rd(kMdr1) & 7u, 7u);
        b.drv.wr(kMdr3, 0);
    });
    BOOST_CHECK(b.mon.violations().empty());
}

// 8-, 16- and 32-bit accesses all work (8250_omap: UPIO_MEM byte accesses; uart_read/
// uart_write: 32-bit); a 16-bit register reads 0 in its upper half; holes and misaligned
// accesses are errors.
BOOST_FIXTURE_TEST_CASE(access_widths_holes_and_alignment, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        b.drv.wr(kSpr, 0x3C, 1);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr, 1), 0x3Cu);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr, 2), 0x3Cu);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr, 4), 0x3Cu);
        b.drv.wr(kSpr, 0xFFFF1234u, 4);  // bits [31:8] reserved
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr, 4), 0x34u);
        // A byte write to the reserved upper byte leaves SPR[7:0] alone.
        b.drv.wr(kSpr + 1, 0x77, 1);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr, 4), 0x34u);
        // … and a byte written to THR's upper byte is not a character.
        b.drv.wr(kThr + 1, 0x41, 1);
        BOOST_CHECK_EQUAL(b.uart->tx_fifo_level(), 0u);
        b.drv.wr(kThr, 0x41, 1);  // MDR1 = 7 at reset: the character waits in THR
        BOOST_CHECK_EQUAL(b.uart->tx_fifo_level(), 1u);
        BOOST_CHECK_EQUAL(b.drv.rd(kCfps, 2), 0x69u);
        tlm::tlm_response_status st;
        // Table 19-29 lists nothing at 0x4C, 0x78, 0x7C or past 0x84.
        for (uint32_t hole : {0x4Cu, 0x78u, 0x7Cu, 0x88u, 0xFFCu}) {
            b.drv.rd(hole, 4, &st);
            BOOST_CHECK_MESSAGE(st == tlm::TLM_ADDRESS_ERROR_RESPONSE, "hole " << hole);
        }
        b.drv.rd(kLsr + 2, 4, &st);  // misaligned word
        BOOST_CHECK(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
    });
    BOOST_CHECK(b.mon.violations().empty());
}

// The module clock gated (CLKCTRL.MODULEMODE != 2) answers every access with an error
// (SPRUH73 §8.1.12; DESIGN.md §6) and changes nothing.
BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        b.uart->clock_enable.write(false);
        tlm::tlm_response_status st;
        b.drv.rd(kLsr, 1, &st);
        BOOST_CHECK(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
        BOOST_CHECK(b.drv.wr(kSpr, 0x55) == tlm::TLM_GENERIC_ERROR_RESPONSE);
        BOOST_CHECK(b.drv.wr(kThr, 0x41) == tlm::TLM_GENERIC_ERROR_RESPONSE);
        b.uart->clock_enable.write(true);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr), 0u);
        BOOST_CHECK_EQUAL(b.uart->tx_fifo_level(), 0u);
    });
    BOOST_CHECK(b.mon.violations().empty());
}

// =============================================================================================
// Register-access modes (Table 19-16, Table 19-20)
// =============================================================================================

BOOST_FIXTURE_TEST_CASE(access_modes_select_the_aliased_registers, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        // Mode A: LCR[7] = 1 and LCR != 0xBF (0x83 is still mode A).
        b.drv.wr(kLcr, 0x83);
        BOOST_CHECK(b.uart->access_mode() == Uart::AccessMode::config_a);
        b.drv.wr(kDll, 0x12);
        b.drv.wr(kDlh, 0x34);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x01u);  // IIR visible in mode A
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr), 0x60u);  // LSR visible in mode A
        b.drv.wr(kSpr, 0x99);                      // SPR in mode A (MSR_SPR submode)
        // Mode B: exactly 0xBF.
        b.drv.wr(kLcr, 0xBF);
        BOOST_CHECK(b.uart->access_mode() == Uart::AccessMode::config_b);
        BOOST_CHECK_EQUAL(b.drv.rd(kDll), 0x12u);
        BOOST_CHECK_EQUAL(b.drv.rd(kDlh), 0x34u);
        b.drv.wr(kEfr, 0x05);
        b.drv.wr(kXon1, 0x11);
        b.drv.wr(kXon2, 0x22);
        b.drv.wr(kXoff1, 0x33);
        b.drv.wr(kXoff2, 0x44);
        BOOST_CHECK_EQUAL(b.drv.rd(kEfr), 0x05u);
        BOOST_CHECK_EQUAL(b.drv.rd(kXon2), 0x22u);
        BOOST_CHECK_EQUAL(b.drv.rd(kXoff2), 0x44u);
        // Operational: RHR/THR, IER, IIR/FCR, MCR, LSR, MSR, SPR.
        b.drv.wr(kLcr, 0x03);
        BOOST_CHECK(b.uart->access_mode() == Uart::AccessMode::operational);
        b.drv.wr(kIer, 0x05);
        BOOST_CHECK_EQUAL(b.drv.rd(kIer), 0x05u);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr), 0x99u);
        BOOST_CHECK_EQUAL(b.drv.rd(kXon1), 0x00u);  // offset 0x10 is MCR here
        BOOST_CHECK_EQUAL(b.drv.rd(kMsr), 0x00u);
        BOOST_CHECK_EQUAL(b.uart->peek("DLL"), 0x12u);
        BOOST_CHECK_EQUAL(b.uart->peek("XON1_ADDR1"), 0x11u);
        BOOST_CHECK_EQUAL(b.uart->peek("XOFF1"), 0x33u);
        BOOST_CHECK_EQUAL(b.uart->peek("IER"), 0x05u);
        // Offsets 0x3C (ACREG) and 0x48 (EBLR) show nothing in configuration modes.
        b.drv.wr(kAcreg, 0x0F);
        b.drv.wr(kLcr, 0x80);
        BOOST_CHECK_EQUAL(b.drv.rd(kAcreg), 0x00u);
        b.drv.wr(kAcreg, 0xF0);  // ignored
        b.drv.wr(kLcr, 0x00);
        BOOST_CHECK_EQUAL(b.drv.rd(kAcreg), 0x0Fu);
    });
    BOOST_CHECK(b.mon.violations().empty());
}

// TCR and TLR replace MSR/SPR (op, A) and XOFF1/XOFF2 (B) when EFR[4] = 1 and MCR[6] = 1
// (Tables 19-17 to 19-19); MCR[6], IER[7:4] and FCR[5:4] need EFR[4] = 1 to be written.
BOOST_FIXTURE_TEST_CASE(tcr_tlr_submode_and_enhanced_bits, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        b.drv.wr(kMcr, 0x40);  // EFR[4] = 0: MCR[6] not writable
        BOOST_CHECK_EQUAL(b.drv.rd(kMcr), 0x00u);
        b.drv.wr(kIer, 0xF0);  // IER[7:4] not writable either
        BOOST_CHECK_EQUAL(b.drv.rd(kIer), 0x00u);
        b.drv.wr(kLcr, 0xBF);
        b.drv.wr(kEfr, UART_EFR_ECB);
        b.drv.wr(kLcr, 0x80);
        b.drv.wr(kMcr, UART_MCR_TCRTLR);
        BOOST_CHECK_EQUAL(b.drv.rd(kMcr), 0x40u);
        b.drv.wr(kTcr, 0x4D);  // mode A, TCR_TLR submode
        b.drv.wr(kTlr, 0xC0);
        b.drv.wr(kLcr, 0xBF);  // mode B, TCR_TLR submode: 0x18/0x1C are TCR/TLR
        BOOST_CHECK_EQUAL(b.drv.rd(kTcr), 0x4Du);
        BOOST_CHECK_EQUAL(b.drv.rd(kTlr), 0xC0u);
        b.drv.wr(kLcr, 0x00);  // operational, TCR_TLR
        BOOST_CHECK_EQUAL(b.drv.rd(kTcr), 0x4Du);
        b.drv.wr(kIer, 0x10);  // sleep mode: writable now
        BOOST_CHECK_EQUAL(b.drv.rd(kIer), 0x10u);
        b.drv.wr(kIer, 0x00);
        b.drv.wr(kMcr, 0x00);  // back to MSR_SPR
        BOOST_CHECK_EQUAL(b.drv.rd(kMsr), 0x00u);
        b.drv.wr(kLcr, 0xBF);  // mode B, XOFF submode
        BOOST_CHECK_EQUAL(b.drv.rd(kXoff1), 0x00u);
        b.drv.wr(kLcr, 0x00);
    });
    BOOST_CHECK_EQUAL(b.uart->peek("TCR"), 0x4Du);
    BOOST_CHECK_EQUAL(b.uart->peek("TLR"), 0xC0u);
    BOOST_CHECK(b.mon.violations().empty());
}

// FCR (Table 19-40): TX_FIFO_TRIG needs EFR[4] = 1; FIFO_EN and DMA_MODE change only while
// DLL = DLH = 0; the clear bits self-clear and empty the FIFOs.
BOOST_FIXTURE_TEST_CASE(fcr_write_restrictions, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        b.drv.wr(kFcr, 0x31);  // FIFO_EN + TX trigger 3: trigger ignored (EFR[4] = 0)
        BOOST_CHECK_EQUAL(b.uart->peek("FCR"), 0x01u);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir) & kIirFcrMirror, 0xC0u);  // IIR[7:6] mirror FCR[0]
        b.drv.wr(kLcr, 0x80);
        b.drv.wr(kDll, 1);     // the baud clock runs from now on
        b.drv.wr(kFcr, 0x00);  // FIFO_EN cannot be cleared now
        BOOST_CHECK_EQUAL(b.uart->peek("FCR") & 1u, 1u);
        b.drv.wr(kFcr, 0x08);  // nor DMA_MODE set
        BOOST_CHECK_EQUAL(b.uart->peek("FCR") & 8u, 0u);
        b.drv.wr(kDll, 0);  // baud clock stopped again
        b.drv.wr(kFcr, 0x00);
        BOOST_CHECK_EQUAL(b.uart->peek("FCR"), 0x00u);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x01u);
        b.drv.wr(kLcr, 0x00);
    });
    BOOST_CHECK(b.mon.violations().empty());
}

// =============================================================================================
// Soft reset (SYSC.SOFTRESET, SYSS.RESETDONE)
// =============================================================================================

// omap8250_soft_reset() replayed: RESETDONE reads 0 right after SOFTRESET and 1 after the
// reset has finished (Table 19-73); every register is back at its reset value.
BOOST_FIXTURE_TEST_CASE(soft_reset_restores_reset_values, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        b.drv.wr(kLcr, 0xBF);
        b.drv.wr(kEfr, 0x10);
        b.drv.wr(kXon1, 0x11);
        b.drv.wr(kLcr, 0x80);
        b.drv.wr(kDll, 0x1A);
        b.drv.wr(kLcr, 0x03);
        b.drv.wr(kFcr, 0x01);
        b.drv.wr(kSpr, 0x5A);
        b.drv.wr(kWer, 0x00);
        b.drv.wr(kMdr1, 0x00);
        b.drv.wr(kThr, 0x41);  // a character on the line
        BOOST_CHECK(b.uart->transmitter_busy());
        // SYSC.SOFTRESET; an immediate SYSS read still sees the reset in progress.
        b.drv.wr(kSysc, kSyscSoftReset, 4);
        BOOST_CHECK_EQUAL(b.drv.rd(kSyss, 4), 0u);
        BOOST_CHECK_EQUAL(b.drv.rd(kSysc, 4), 0u);  // SOFTRESET reads 0 (Table 19-72)
        wait(1, SC_US);
        BOOST_CHECK_EQUAL(b.drv.rd(kSyss, 4), 1u);
        BOOST_CHECK_EQUAL(b.drv.rd(kLcr), 0x00u);
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr), 0x60u);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x01u);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr), 0x00u);
        BOOST_CHECK_EQUAL(b.drv.rd(kMdr1), 0x07u);
        BOOST_CHECK_EQUAL(b.drv.rd(kWer), 0xFFu);
        BOOST_CHECK_EQUAL(b.drv.rd(kSsr), 0x04u);
        BOOST_CHECK_EQUAL(b.drv.rd(kMvr, 4), 0x50411603u);  // "A reset has no effect"
        b.drv.wr(kLcr, 0xBF);
        BOOST_CHECK_EQUAL(b.drv.rd(kEfr), 0x00u);
        BOOST_CHECK_EQUAL(b.drv.rd(kXon1), 0x00u);
        BOOST_CHECK_EQUAL(b.drv.rd(kDll), 0x00u);
        b.drv.wr(kLcr, 0x00);
        BOOST_CHECK(!b.uart->transmitter_busy());
        // And Linux's own loop: SCR writes, SYSC, then SYSS every 1 us.
        b.drv.wr(kSpr, 0x5A);
        const unsigned reads = linux_soft_reset(b.drv);
        BOOST_CHECK_EQUAL(reads, 1u);  // "By experiments, 1us enough" (8250_omap.c)
        BOOST_CHECK_EQUAL(b.drv.rd(kScr, 4), 0u);
        BOOST_CHECK_EQUAL(b.drv.rd(kSpr), 0u);
    });
    // The character in flight never left the line.
    BOOST_CHECK(b.tx.empty());
    BOOST_CHECK(b.mon.violations().empty());
}

// =============================================================================================
// Linux 8250_omap sequences
// =============================================================================================

// Probe and startup as 8250_omap performs them, checked transaction by transaction, then the
// configuration read back: DLL 26 for 115200 (Table 19-25), 8N1, FIFO on with Linux's
// triggers (RX 48, TX 1 with granularity 1: Tables 19-14/19-15), 16x mode.
BOOST_FIXTURE_TEST_CASE(linux_probe_and_startup_sequence, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        BOOST_CHECK_EQUAL(linux_soft_reset(b.drv), 1u);
        // omap_serial_fill_features_erratas(): readl(MVR)
        BOOST_CHECK_EQUAL(b.drv.rd(kMvr, 4), 0x50411603u);
        b.mon.clear();
        linux_bring_up(b.drv);
    });
    // The bus transactions, address by address (8-bit accesses at reg << 2).
    struct Tx {
        tlm::tlm_command cmd;
        uint32_t addr;
        uint32_t value;
    };
    const auto W = tlm::TLM_WRITE_COMMAND;
    const auto R = tlm::TLM_READ_COMMAND;
    const Tx expected[] = {
        {W, kFcr, 0x06}, {W, kLcr, 0x03},  {W, kIer, 0x05}, {W, kWer, 0xFF},  {R, kMcr, 0x00},
        {W, kLcr, 0xBF}, {W, kEfr, 0x10},  {W, kLcr, 0x80}, {W, kMcr, 0x40},  {W, kFcr, 0x11},
        {R, kScr, 0x00}, {W, kScr, 0xC8},  {W, kLcr, 0xBF}, {W, kTcr, 0x4D},  {W, kTlr, 0xC0},
        {W, kLcr, 0x00}, {W, kMcr, 0x00},  {W, kIer, 0x05}, {W, kLcr, 0xBF},  {W, kDll, 0x1A},
        {W, kDlh, 0x00}, {W, kEfr, 0x00},  {W, kLcr, 0xBF}, {W, kXon1, 0x11}, {W, kXoff1, 0x13},
        {W, kLcr, 0x03}, {W, kMdr1, 0x00}, {W, kFcr, 0x17}, {W, kMcr, 0x03},  {R, kLcr, 0x03},
        {W, kLcr, 0xBF}, {W, kEfr, 0x00},  {W, kLcr, 0x03},
    };
    const auto& rec = b.mon.records();
    BOOST_REQUIRE_EQUAL(rec.size(), std::size(expected));
    for (size_t i = 0; i < rec.size(); ++i) {
        BOOST_CHECK_MESSAGE(rec[i].command == expected[i].cmd &&
                                rec[i].address == expected[i].addr &&
                                rec[i].value() == expected[i].value &&
                                rec[i].response == tlm::TLM_OK_RESPONSE && rec[i].length == 1,
                            "transaction " << i << " at " << std::hex << rec[i].address);
    }
    BOOST_CHECK(b.mon.violations().empty());
    // The resulting configuration.
    BOOST_CHECK_EQUAL(b.uart->peek("DLL"), 26u);
    BOOST_CHECK_EQUAL(b.uart->peek("DLH"), 0u);
    BOOST_CHECK_EQUAL(b.uart->peek("LCR"), 0x03u);
    BOOST_CHECK_EQUAL(b.uart->peek("MDR1"), 0x00u);
    BOOST_CHECK_EQUAL(b.uart->peek("FCR"), 0x11u);
    BOOST_CHECK_EQUAL(b.uart->peek("SCR"), 0xC8u);
    BOOST_CHECK_EQUAL(b.uart->peek("TLR"), 0xC0u);
    BOOST_CHECK_EQUAL(b.uart->peek("IER"), 0x05u);
    BOOST_CHECK_EQUAL(b.uart->peek("MCR"), 0x03u);
    BOOST_CHECK(b.uart->char_time() == char_time_8n1());
    BOOST_CHECK_EQUAL(b.uart->peek("IIR"), 0xC1u);  // FIFOs on, nothing pending
}

// Interrupt-driven output as the 8250 core does it: serial8250_start_tx() sets IER.THRI,
// the THR interrupt fires (SCR.TX_EMPTY_CTL_IT: FIFO and shift register empty), the ISR
// (omap8250_irq -> serial8250_handle_irq -> serial8250_tx_chars) fills THR, and the next
// THR interrupt comes when the last character has left the line: 3 x 86.67 us later.
BOOST_FIXTURE_TEST_CASE(linux_interrupt_driven_output_timing, vp::test::FreshSim) {
    Bench b;
    sc_time t0, t_ier;
    b.run([&] {
        linux_bring_up(b.drv);
        wait(10, SC_US);
        t_ier = sc_time_stamp();
        b.drv.wr(kIer, UART_IER_RLSI | UART_IER_RDI | UART_IER_THRI);  // __start_tx()
        // omap8250_irq(): LSR, IIR; serial8250_handle_irq(): LSR, MSR, then tx_chars.
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr), UART_LSR_THRE | UART_LSR_TEMT);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC2u);  // THR interrupt, FIFOs enabled
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr), 0x60u);
        b.drv.rd(kMsr);
        t0 = sc_time_stamp();
        for (char c : std::string("ok\n"))
            b.drv.wr(kThr, static_cast<uint8_t>(c));
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC1u);  // nothing pending while characters move
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr), 0x00u);  // FIFO holds 2, shift register 1
        BOOST_CHECK_EQUAL(b.drv.rd(kTxfifoLvl, 4), 2u);
        wait(500, SC_US);
        // The next interrupt: the circular buffer is empty, __stop_tx() clears THRI.
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC2u);
        b.drv.wr(kIer, UART_IER_RLSI | UART_IER_RDI);
    });
    BOOST_CHECK_EQUAL(b.tx_text(), "ok\n");
    BOOST_REQUIRE_EQUAL(b.tx.size(), 3u);
    for (size_t k = 0; k < 3; ++k)
        BOOST_CHECK_MESSAGE(near(b.tx[k].second, t0 + char_time_8n1() * double(k + 1)),
                            "char " << k << " done at " << b.tx[k].second);
    // IRQ edges: up when THRI is enabled, down at the first THR write, up when the last
    // character is done, down when THRI is cleared.
    BOOST_REQUIRE_EQUAL(b.irq.size(), 4u);
    BOOST_CHECK(b.irq[0].level && b.irq[0].t == t_ier);
    BOOST_CHECK(!b.irq[1].level && b.irq[1].t == t0);
    BOOST_CHECK(b.irq[2].level && near(b.irq[2].t, t0 + char_time_8n1() * 3.0));
    BOOST_CHECK(!b.irq[3].level);
    BOOST_CHECK_EQUAL(vp::stats::Registry::global().find("uart0.tx_chars")->value(), 3.0);
    BOOST_CHECK(b.mon.violations().empty());
}

// Polled console output (serial8250_console_write(): IER = 0, then for each character
// wait_for_xmitr(THRE) and THR, then wait_for_xmitr(BOTH_EMPTY)): characters leave back to
// back, one every 86.67 us.
BOOST_FIXTURE_TEST_CASE(linux_console_write_polled, vp::test::FreshSim) {
    Bench b;
    sc_time t0;
    unsigned lsr_reads = 0;
    b.run([&] {
        linux_bring_up(b.drv);
        const uint32_t ier = b.drv.rd(kIer);
        b.drv.wr(kIer, 0);
        t0 = sc_time_stamp();
        for (char c : std::string("Booting")) {
            while (!(b.drv.rd(kLsr) & UART_LSR_THRE)) {
                ++lsr_reads;
                wait(1, SC_US);  // udelay(1) in wait_for_xmitr()
            }
            b.drv.wr(kThr, static_cast<uint8_t>(c));
        }
        while ((b.drv.rd(kLsr) & (UART_LSR_THRE | UART_LSR_TEMT)) != 0x60)
            wait(1, SC_US);
        b.drv.wr(kIer, ier);
    });
    BOOST_CHECK_EQUAL(b.tx_text(), "Booting");
    BOOST_REQUIRE_EQUAL(b.tx.size(), 7u);
    // The first two characters go at once (shift register + FIFO); each next one waits for
    // the FIFO to empty, so the line never idles: character k ends at t0 + (k+1) x 86.67 us,
    // within the 1 us polling granularity.
    for (size_t k = 0; k < 7; ++k)
        BOOST_CHECK_MESSAGE(
            near(b.tx[k].second, t0 + char_time_8n1() * double(k + 1), sc_time(1, SC_US)),
            "char " << k << " at " << b.tx[k].second);
    BOOST_CHECK(lsr_reads > 0);
    BOOST_CHECK(b.irq.empty());  // IER = 0 throughout
}

// Input through the scripted backend: "root\n" at 1 ms. With Linux's RX trigger of 48 the
// five characters do not reach the trigger, so the RX time-out interrupt (IIR 0xCC) fires
// 4 x 8 + 12 bit times after the last one; the ISR reads RHR while LSR.DR; the line drops
// with the first RHR read, which resets the time-out (Table 19-11, §19.3.8.1.3.7.1).
BOOST_FIXTURE_TEST_CASE(linux_scripted_input_rx_timeout, vp::test::FreshSim) {
    const sc_time at(1, SC_MS);
    std::vector<vp::UartInputChunk> in{{at, {'r', 'o', 'o', 't', '\n'}}};
    Bench b(std::make_unique<vp::ScriptedUartBackend>(in));
    std::string got;
    sc_time t_irq, t_first_read;
    b.run([&] {
        linux_bring_up(b.drv);
        // The "ISR": wait for the line, then omap8250_irq() + serial8250_rx_chars().
        while (!b.uart->irq.read())
            wait(1, SC_US);
        t_irq = sc_time_stamp();
        uint32_t lsr = b.drv.rd(kLsr);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xCCu);  // RX time-out, priority 2 (Table 19-11)
        lsr = b.drv.rd(kLsr);
        while (lsr & UART_LSR_DR) {
            if (got.empty()) t_first_read = sc_time_stamp();
            got.push_back(static_cast<char>(b.drv.rd(kRhr)));
            lsr = b.drv.rd(kLsr);
        }
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC1u);
    });
    BOOST_CHECK_EQUAL(got, "root\n");
    // The fifth character completes at 1 ms + 5 x 86.67 us; the time-out follows it.
    const sc_time expect_irq = at + char_time_8n1() * 5.0 + timeout_8bit();
    BOOST_CHECK_MESSAGE(near(t_irq, expect_irq, sc_time(1, SC_US)), "irq at " << t_irq);
    BOOST_REQUIRE_EQUAL(b.irq.size(), 2u);
    BOOST_CHECK(b.irq[0].level && near(b.irq[0].t, expect_irq));
    BOOST_CHECK(!b.irq[1].level && b.irq[1].t == t_first_read);
    BOOST_CHECK_EQUAL(vp::stats::Registry::global().find("uart0.rx_chars")->value(), 5.0);
}

// With 48 characters the RHR interrupt (IIR 0xC4) fires when the 48th arrives (Linux's
// trigger, Table 19-15 with granularity 1), before any time-out.
BOOST_FIXTURE_TEST_CASE(rx_trigger_level_interrupt, vp::test::FreshSim) {
    const sc_time at(1, SC_MS);
    std::vector<uint8_t> bytes(50, 'x');
    Bench b(
        std::make_unique<vp::ScriptedUartBackend>(std::vector<vp::UartInputChunk>{{at, bytes}}));
    b.run([&] {
        linux_bring_up(b.drv);
        wait(at + char_time_8n1() * 48.0 - sc_time_stamp() + sc_time(10, SC_NS));
        BOOST_CHECK_EQUAL(b.drv.rd(kRxfifoLvl), 48u);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC4u);
        for (int i = 0; i < 48; ++i)
            b.drv.rd(kRhr);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC1u);
    });
    BOOST_REQUIRE(!b.irq.empty());
    BOOST_CHECK(b.irq[0].level && near(b.irq[0].t, at + char_time_8n1() * 48.0));
}

// A 65th character with the 64-byte FIFO full is lost and sets LSR.OE; with IER.RLSI the
// line-status interrupt (IIR 0xC6, priority 1) is pending until LSR is read (Table 19-11).
BOOST_FIXTURE_TEST_CASE(rx_overrun_sets_oe_and_line_status_interrupt, vp::test::FreshSim) {
    std::vector<uint8_t> bytes;
    for (int i = 0; i < 66; ++i)
        bytes.push_back(static_cast<uint8_t>(i));
    Bench b(std::make_unique<vp::ScriptedUartBackend>(
        std::vector<vp::UartInputChunk>{{sc_time(100, SC_US), bytes}}));
    b.run([&] {
        linux_bring_up(b.drv);
        wait(10, SC_MS);
        BOOST_CHECK_EQUAL(b.drv.rd(kRxfifoLvl), 64u);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0xC6u);
        const uint32_t lsr = b.drv.rd(kLsr);
        BOOST_CHECK_EQUAL(lsr & (UART_LSR_OE | UART_LSR_DR), UART_LSR_OE | UART_LSR_DR);
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr) & UART_LSR_OE, 0u);  // cleared by the read
        // RHR is not overwritten: the first 64 characters are intact.
        for (uint32_t i = 0; i < 64; ++i)
            BOOST_CHECK_EQUAL(b.drv.rd(kRhr), i);
    });
    BOOST_CHECK_EQUAL(vp::stats::Registry::global().find("uart0.rx_overruns")->value(), 2.0);
}

// =============================================================================================
// Line timing, modes, FIFO-less operation, loopback
// =============================================================================================

// 13x mode (MDR1 = 3) with divisor 8 is 460.8 kbps (Table 19-25): 10 x 13 x 8 / 48 MHz per
// 8N1 character. 7E2 (LCR = 0x1E): 1 + 7 + 1 + 2 = 11 bits.
BOOST_FIXTURE_TEST_CASE(character_time_16x_13x_and_formats, vp::test::FreshSim) {
    Bench b;
    sc_time t0, t1;
    b.run([&] {
        b.drv.wr(kLcr, 0x80);
        b.drv.wr(kDll, 8);
        b.drv.wr(kLcr, UART_LCR_WLEN8);
        b.drv.wr(kMdr1, UART_OMAP_MDR1_13X_MODE);
        BOOST_CHECK(near(b.uart->char_time(), char_time_8n1(13, 8), sc_time(1, SC_PS)));
        t0 = sc_time_stamp();
        b.drv.wr(kThr, 'A');
        wait(100, SC_US);
        b.drv.wr(kLcr, 0x1E);  // 7 bits, even parity, 2 stop bits
        t1 = sc_time_stamp();
        b.drv.wr(kThr, 'B');
        wait(100, SC_US);
        // Mode 7 (disable): characters stay in the FIFO (§19.3.7.2).
        b.drv.wr(kMdr1, UART_OMAP_MDR1_DISABLE);
        b.drv.wr(kThr, 'C');
        wait(100, SC_US);
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr) & UART_LSR_THRE, 0u);
        b.drv.wr(kMdr1, UART_OMAP_MDR1_16X_MODE);  // 16x, divisor 8
        wait(100, SC_US);
    });
    BOOST_REQUIRE_EQUAL(b.tx.size(), 3u);
    BOOST_CHECK(near(b.tx[0].second, t0 + sc_time(10.0 * 13 * 8 / kFclk, SC_SEC)));
    BOOST_CHECK(near(b.tx[1].second, t1 + sc_time(11.0 * 13 * 8 / kFclk, SC_SEC)));
    BOOST_CHECK_EQUAL(b.tx[2].first, 'C');
}

// With FIFO_EN = 0 the THR and RHR are 1-byte holding registers (Table 19-40): a second
// character waits in THR, the RHR interrupt comes with the first character, no time-out.
BOOST_FIXTURE_TEST_CASE(fifo_disabled_holding_registers, vp::test::FreshSim) {
    Bench b(std::make_unique<vp::ScriptedUartBackend>(
        std::vector<vp::UartInputChunk>{{sc_time(1, SC_MS), {'a', 'b'}}}));
    b.run([&] {
        b.drv.wr(kLcr, 0x80);
        b.drv.wr(kDll, kDiv115200);
        b.drv.wr(kLcr, UART_LCR_WLEN8);
        b.drv.wr(kMdr1, 0);
        b.drv.wr(kIer, UART_IER_RDI | UART_IER_RLSI);
        b.drv.wr(kThr, '1');
        b.drv.wr(kThr, '2');  // THR holds it
        b.drv.wr(kThr, '3');  // THR full: lost
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr) & UART_LSR_THRE, 0u);
        wait(sc_time(1, SC_MS) + char_time_8n1() - sc_time_stamp() + sc_time(10, SC_NS));
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x04u);  // RHR, no FIFO mirror bits
        wait(char_time_8n1());
        // 'b' arrived with RHR still full: overrun, RHR keeps 'a'.
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x06u);
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr) & 0x03u, 0x03u);
        BOOST_CHECK_EQUAL(b.drv.rd(kRhr), uint32_t('a'));
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x01u);
        wait(1, SC_MS);
        BOOST_CHECK_EQUAL(b.drv.rd(kIir), 0x01u);  // no time-out without FIFO
    });
    BOOST_CHECK_EQUAL(b.tx_text(), "12");
}

// MCR.LOOPBACKEN: the transmitter feeds the receiver, the TX pin stays idle, and MSR[7:4]
// follow MCR[3:0] with the change bits set (Tables 19-43, 19-50).
BOOST_FIXTURE_TEST_CASE(loopback_mode, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        linux_bring_up(b.drv);
        b.drv.wr(kMcr, 0x10);                      // loopback, DTR/RTS off
        b.drv.rd(kMsr);                            // clear the change bits from entering loopback
        b.drv.wr(kMcr, 0x13);                      // + DTR + RTS
        BOOST_CHECK_EQUAL(b.drv.rd(kMsr), 0x33u);  // NDSR | NCTS | DSR_STS | CTS_STS
        BOOST_CHECK_EQUAL(b.drv.rd(kMsr), 0x30u);  // change bits cleared by the read
        b.drv.wr(kThr, 'L');
        wait(char_time_8n1() + sc_time(10, SC_NS));
        BOOST_CHECK_EQUAL(b.drv.rd(kLsr) & UART_LSR_DR, UART_LSR_DR);
        BOOST_CHECK_EQUAL(b.drv.rd(kRhr), uint32_t('L'));
        b.drv.wr(kMcr, 0x03);
    });
    BOOST_CHECK(b.tx.empty());
}

// A temporally decoupled initiator reads at its own local time (sc_time_stamp() + delay):
// LSR shows the character finished if the local time is past its end (DESIGN.md §5).
BOOST_FIXTURE_TEST_CASE(accesses_see_their_local_time, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        linux_bring_up(b.drv);
        b.drv.wr(kThr, 'x');
        uint32_t lsr = 0;
        b.drv.access(tlm::TLM_READ_COMMAND, kLsr, lsr, 1, sc_time(50, SC_US));
        BOOST_CHECK_EQUAL(lsr, UART_LSR_THRE);  // still shifting at +50 us
        b.drv.access(tlm::TLM_READ_COMMAND, kLsr, lsr, 1, char_time_8n1() + sc_time(1, SC_NS));
        BOOST_CHECK_EQUAL(lsr, UART_LSR_THRE | UART_LSR_TEMT);
    });
    BOOST_REQUIRE_EQUAL(b.tx.size(), 1u);
}

// Every register is readable by name, whatever the access mode (DESIGN.md §6), and the
// dump lists them all; the bank shows an aliased offset as one port named after its aliases.
BOOST_FIXTURE_TEST_CASE(dump_and_names, vp::test::FreshSim) {
    Bench b;
    b.run([&] {
        b.drv.wr(kLcr, 0xBF);  // configuration mode B: names still reach every register
        const std::string d = b.uart->dump();
        for (const char* n :
             {"RHR", "THR", "DLL", "IER", "EFR", "XOFF2", "TLR", "MDR1", "MVR", "SYSS"}) {
            BOOST_CHECK_MESSAGE(b.uart->has_register(n), n);
            BOOST_CHECK_MESSAGE(d.find(n) != std::string::npos, n);
        }
        BOOST_CHECK_EQUAL(b.uart->peek("IIR"), 0x01u);
        BOOST_CHECK_EQUAL(b.uart->peek("LCR"), 0xBFu);
        BOOST_CHECK_THROW(b.uart->peek("NOPE"), std::out_of_range);
        BOOST_CHECK(!b.uart->has_register("NOPE"));
        BOOST_CHECK(b.uart->regs().find("RHR/THR/DLL") != nullptr);
        b.drv.wr(kLcr, 0);
    });
}

// =============================================================================================
// Backends
// =============================================================================================

BOOST_FIXTURE_TEST_CASE(file_backend_writes_the_output, vp::test::FreshSim) {
    char path[] = "/tmp/uart_test_XXXXXX";
    const int fd = ::mkstemp(path);
    BOOST_REQUIRE(fd >= 0);
    ::close(fd);
    {
        Bench b(std::make_unique<vp::FileUartBackend>(path, false));
        b.run(
            [&] {
                linux_bring_up(b.drv);
                for (char c : std::string("file!\n"))
                    b.drv.wr(kThr, static_cast<uint8_t>(c));
            },
            sc_time(5, SC_MS));
    }
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    BOOST_CHECK_EQUAL(ss.str(), "file!\n");
    ::unlink(path);
}

// stdout/stdin backend on pipes: output appears on the out descriptor; input is taken only
// when ready (a poll with zero timeout), never blocking the simulation.
BOOST_FIXTURE_TEST_CASE(stdio_backend_on_pipes, vp::test::FreshSim) {
    int out[2], in[2];
    BOOST_REQUIRE(::pipe(out) == 0 && ::pipe(in) == 0);
    UartParams p;
    p.host_poll_period = sc_time(100, SC_US);
    Bench b(std::make_unique<vp::StdioUartBackend>(true, out[1], in[0]), p);
    std::string got;
    b.run(
        [&] {
            linux_bring_up(b.drv);
            wait(1, SC_MS);  // polls with nothing to read: the simulation goes on
            BOOST_CHECK_EQUAL(b.drv.rd(kRxfifoLvl), 0u);
            BOOST_CHECK(::write(in[1], "hi", 2) == 2);
            wait(2, SC_MS);
            while (b.drv.rd(kLsr) & UART_LSR_DR)
                got.push_back(static_cast<char>(b.drv.rd(kRhr)));
            b.drv.wr(kThr, 'Z');
        },
        sc_time(5, SC_MS));
    BOOST_CHECK_EQUAL(got, "hi");
    char buf[4] = {};
    BOOST_CHECK_EQUAL(::read(out[0], buf, sizeof buf), 1);
    BOOST_CHECK_EQUAL(buf[0], 'Z');
    for (int f : {out[0], out[1], in[0], in[1]})
        ::close(f);
}

// The TCP backend: a client on 127.0.0.1 receives what the guest transmits (including what
// was sent before it connected) and what it sends reaches RHR. Bounded loops throughout.
BOOST_FIXTURE_TEST_CASE(tcp_backend_with_a_client, vp::test::FreshSim) {
    auto backend = std::make_unique<vp::TcpUartBackend>("127.0.0.1", 0);
    vp::TcpUartBackend* tcp = backend.get();
    const unsigned port = tcp->port();
    BOOST_REQUIRE(port != 0);
    UartParams p;
    p.host_poll_period = sc_time(100, SC_US);
    Bench b(std::move(backend), p);

    // Before any client: the banner is kept.
    b.drv.body = [&] {
        linux_bring_up(b.drv);
        for (char c : std::string("login: "))
            b.drv.wr(kThr, static_cast<uint8_t>(c));
    };
    sc_start(2, SC_MS);
    BOOST_CHECK_EQUAL(tcp->pending_output(), 7u);

    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_REQUIRE(c >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    for (int i = 0; i < 1000 && !tcp->connected(); ++i)
        sc_start(100, SC_US);
    BOOST_REQUIRE(tcp->connected());

    // The client reads the banner (poll with a timeout: never hangs).
    std::string banner;
    for (int i = 0; i < 50 && banner.size() < 7; ++i) {
        pollfd pf{c, POLLIN, 0};
        if (::poll(&pf, 1, 100) > 0) {
            char buf[64];
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) break;
            banner.append(buf, static_cast<size_t>(n));
        }
    }
    BOOST_CHECK_EQUAL(banner, "login: ");

    // The client types; the guest sees it in RHR.
    BOOST_REQUIRE(::send(c, "root\n", 5, 0) == 5);
    for (int i = 0; i < 200 && b.uart->rx_fifo_level() < 5; ++i) {
        sc_start(1, SC_MS);
        if (b.uart->rx_fifo_level() < 5) ::usleep(1000);
    }
    BOOST_CHECK_EQUAL(b.uart->rx_fifo_level(), 5u);
    BOOST_CHECK_EQUAL(b.uart->peek("RHR"), uint32_t('r'));

    // A second client is turned away; the first stays.
    const int c2 = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_REQUIRE(::connect(c2, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    sc_start(1, SC_MS);
    BOOST_CHECK(tcp->connected());
    ::close(c2);

    // The client hangs up: the backend waits for the next one.
    ::close(c);
    for (int i = 0; i < 100 && tcp->connected(); ++i) {
        sc_start(1, SC_MS);
        // A read is what notices the hang-up: the guest must be receiving.
    }
    BOOST_CHECK(!tcp->connected());
}

// =============================================================================================
// The register script tests/scripts/uart_linux_startup.yaml, run by the ScriptMaster on a
// tiny platform: a PRCM stand-in for CM_WKUP (MODULEMODE drives UART0's clock enable;
// IDLEST reads 0 = functional) and UART0 at 0x44E09000 with its IRQ on INTC line 72.
// =============================================================================================

namespace {

struct MiniPrcm : sc_module {
    tlm_utils::simple_target_socket<MiniPrcm> socket;
    vp::Wire uart0_clk{"uart0_clk", false};
    uint32_t uart0_clkctrl = 0x00030000;  // SPRUH73 §8.1.12: slave module off
    explicit MiniPrcm(sc_module_name n) : sc_module(n), socket("socket") {
        socket.register_b_transport(this, &MiniPrcm::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time&) {
        uint32_t* reg = p.get_address() == 0xB4 ? &uart0_clkctrl : nullptr;  // CM_WKUP+0xB4
        if (!reg || p.get_data_length() != 4) {
            p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (p.is_write()) {
            const uint32_t v = static_cast<uint32_t>(vp::load_le(p.get_data_ptr(), 4));
            const bool on = (v & 3) == 2;
            *reg = on ? 2 : 0x00030000;  // IDLEST 0 (functional) or 3 (disabled)
            uart0_clk.write(on);
        } else {
            vp::store_le(p.get_data_ptr(), *reg, 4);
        }
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct MiniBus : sc_module {
    tlm_utils::simple_target_socket<MiniBus> target;
    tlm_utils::simple_initiator_socket<MiniBus> to_prcm;
    tlm_utils::simple_initiator_socket<MiniBus> to_uart;
    explicit MiniBus(sc_module_name n)
        : sc_module(n), target("target"), to_prcm("to_prcm"), to_uart("to_uart") {
        target.register_b_transport(this, &MiniBus::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time& d) {
        const uint64_t a = p.get_address();
        if (a >= 0x44E00400 && a < 0x44E00500) {
            p.set_address(a - 0x44E00400);
            to_prcm->b_transport(p, d);
        } else if (a >= 0x44E09000 && a < 0x44E0A000) {
            p.set_address(a - 0x44E09000);
            to_uart->b_transport(p, d);
        } else {
            p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        p.set_address(a);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(register_script_uart_linux_startup, vp::test::FreshSim) {
    const char* src = std::getenv("VP_SOURCE_DIR");
    const std::string path =
        std::string(src ? src : ".") + "/tests/scripts/uart_linux_startup.yaml";
    std::ostringstream log;
    MiniPrcm prcm("prcm");
    MiniBus bus("bus");
    Uart uart("uart0", named("l4_wkup.uart0"));  // the SoC's prefix: domain.region
    prcm.uart0_clk.connect(uart.clock_enable);   // gated at reset
    vp::script::ScriptMaster master("script", vp::script::parse_script(path), log);
    master.socket.bind(bus.target);
    bus.to_prcm.bind(prcm.socket);
    bus.to_uart.bind(uart.socket);
    master.set_irq_lookup(
        [&](unsigned line) -> const vp::Wire* { return line == 72 ? &uart.irq : nullptr; });
    master.check_platform();
    master.on_complete([] { sc_stop(); });
    sc_start(sc_time(100, SC_MS));
    BOOST_CHECK_MESSAGE(master.passed(), log.str());
    if (std::getenv("UART_TEST_SHOW_SCRIPT")) std::cout << log.str();
    BOOST_CHECK(master.done());
}
