// AM335x UART0–5: a 16C750-compatible UART with the TI extensions (SPRUH73 chapter 19),
// written for the way Linux's 8250_omap driver uses it (docs/models/uart.md).
//
//   - the three register-access modes (operational; configuration A, LCR[7] = 1 and
//     LCR != 0xBF; configuration B, LCR = 0xBF) and the TCR_TLR / MSR_SPR / XOFF submodes,
//     with the registers that share offsets declared as data (aliased_regs.h);
//   - 64-byte TX and RX FIFOs, trigger levels from FCR, TLR and SCR (Tables 19-14/15);
//   - IIR priorities (Table 19-11), LSR, MSR (loopback), SCR/SSR, SYSC soft reset with
//     SYSS.RESETDONE, MVR, FIFO level registers, IER2/ISR2;
//   - MDR1: UART 16x, 13x (and 16x auto-baud, run as 16x), disabled; characters move only
//     in a UART mode with a non-zero divisor;
//   - timing: a character takes (start + data + parity + stop bits) x 16 (or 13) x divisor /
//     fclk on the line. One event per interesting instant (a character's end, the RX
//     time-out), never per bit; state is brought up to an access's own time first, so a
//     temporally decoupled CPU sees the line as it is at its local time;
//   - the RX time-out after 4 x word length + 12 bit times of silence with data in the FIFO;
//   - interrupt output `irq` (level, high = asserted) and level DMA requests.
//
// Host side: a UartBackend (backend.h) gets each transmitted byte at its completion time
// and supplies received bytes (scripted at exact times; stdin/TCP polled at a low rate).
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "models/uart/aliased_regs.h"
#include "models/uart/backend.h"
#include "models/uart/uart_regs.h"

namespace vp {

struct UartParams {
    std::string stat_prefix;                 // statistics prefix; default: the module name
    uint64_t fclk_hz = 48000000;             // functional clock (SPRUH73 §19.3.8.1.1: 48 MHz)
    unsigned fifo_depth = uart::kFifoDepth;  // TX and RX FIFO depth, 1..255 (TRM: 64)
    uint32_t mvr = uart::kMvrValue;          // MVR value [?] (docs/models/uart.md)
    // How often host backends (stdin, TCP) are polled, in simulated time.
    sc_core::sc_time host_poll_period{1, sc_core::SC_MS};
    // SYSC.SOFTRESET to SYSS.RESETDONE (ten functional-clock cycles by default) [?].
    unsigned softreset_fclk_cycles = 10;
};

class Uart : public Peripheral {
  public:
    // Interrupt request to the INTC (UART0 72, UART1 73, UART2 74, UART3–5 44–46).
    Wire irq;
    // DMA requests to the EDMA (level: high while the FIFO wants service), SPRUH73 §19.3.6.4.
    Wire dma_tx;
    Wire dma_rx;

    // Register-access modes (SPRUH73 Table 19-16).
    enum class AccessMode { operational, config_a, config_b };

    // Throws std::invalid_argument for bad parameters. Without a backend, output is
    // discarded (NullUartBackend).
    Uart(sc_core::sc_module_name name, const UartParams& params = {},
         std::unique_ptr<UartBackend> backend = nullptr);
    ~Uart() override;

    // Replaces the host side (e.g. before the simulation starts).
    void set_backend(std::unique_ptr<UartBackend> backend);
    UartBackend& backend() { return *backend_; }

    // Power-on reset: every register to its reset value, FIFOs empty, RESETDONE = 1.
    void reset() override;

    // --- observation (tests, --dump-registers): never a side effect -----------------------
    // Value of any register by its TRM name ("DLL", "LSR", "EFR", "MDR1", ...), whatever the
    // current access mode. Throws std::out_of_range for an unknown name.
    uint32_t peek(const std::string& name);
    bool has_register(const std::string& name) const;
    // Names of every register (aliases included).
    std::vector<std::string> register_names() const;
    // One line per register: name, offset(s), value.
    std::string dump();

    AccessMode access_mode() const;
    // Time one character takes on the line now; SC_ZERO_TIME while the baud clock is
    // stopped (divisor 0) or the mode moves no characters.
    sc_core::sc_time char_time() const;
    // The RX time-out interval now (4 x word length + 12 bits).
    sc_core::sc_time rx_timeout() const;
    size_t tx_fifo_level() const { return tx_fifo_.size(); }
    size_t rx_fifo_level() const { return rx_fifo_.size(); }
    bool transmitter_busy() const { return tx_busy_; }

    // Every character leaving the TX line, with its completion time (before the backend).
    using TxListener = std::function<void(uint8_t byte, const sc_core::sc_time& done)>;
    void on_tx(TxListener listener) { tx_listeners_.push_back(std::move(listener)); }

    // Puts bytes on the RX line as a remote transmitter would, the first start bit at `at`
    // (not before now); characters follow back to back at the current line rate.
    void inject_rx(const std::vector<uint8_t>& bytes, const sc_core::sc_time& at);

  protected:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;
    unsigned transport_dbg(tlm::tlm_generic_payload& p) override;
    void start_of_simulation() override;

  private:
    struct WireChar {
        uint8_t byte;
        sc_core::sc_time done;  // end of its stop bit(s): when the receiver has it
    };

    void declare_registers();
    unsigned current_view() const;

    // Time: brings the model up to `t` (processes every character end and time-out due by
    // then, in time order), then updates the output wires with `offset`.
    void advance(const sc_core::sc_time& t, const sc_core::sc_time& offset);
    void service();    // SC_METHOD on wake_: advance to now
    void host_poll();  // SC_METHOD on poll_event_: host input and housekeeping
    void reschedule();
    void take_timed_input(const sc_core::sc_time& t);

    // Line configuration.
    uint32_t divisor() const;
    unsigned oversampling() const;  // 0: this mode moves no characters
    unsigned half_bits_per_char() const;
    bool line_running() const;  // a UART mode (16x/13x) and a non-zero divisor
    void divisor_write(AliasedRegister& reg, uint32_t v, uint32_t old, const sc_core::sc_time& t);

    // TX.
    void thr_write(uint8_t byte, const sc_core::sc_time& t);
    void start_tx(const sc_core::sc_time& t);
    void finish_tx(const sc_core::sc_time& t);
    // RX.
    void queue_rx(const std::vector<uint8_t>& bytes, const sc_core::sc_time& at);
    void receive_char(uint8_t byte, const sc_core::sc_time& t);
    uint8_t rhr_read(const sc_core::sc_time& t);
    bool timeout_armed() const;
    sc_core::sc_time timeout_at() const;

    // Registers with behaviour.
    void fcr_write(uint32_t value, uint32_t old);
    void mcr_changed(uint32_t old);
    void update_msr(uint32_t old_mcr);
    uint32_t lsr_value() const;
    uint32_t iir_value() const;
    uint32_t msr_value() const;
    void soft_reset(const sc_core::sc_time& t);
    void clear_state(const sc_core::sc_time& t);
    bool reset_done(const sc_core::sc_time& t) const { return t >= reset_done_at_; }

    // Levels.
    unsigned tx_trigger_spaces() const;
    unsigned rx_trigger_chars() const;
    unsigned rx_capacity() const;
    bool fifo_enabled() const;
    bool thr_condition() const;
    bool rhr_condition() const;
    unsigned dma_mode() const;
    void update_outputs(const sc_core::sc_time& offset);

    UartParams params_;
    std::unique_ptr<UartBackend> backend_;
    AliasMap aliases_;
    // Cached pointers to the aliased registers used in the logic.
    AliasedRegister *dll_, *dlh_, *ier_, *fcr_, *efr_, *mcr_, *tlr_;
    Register *lcr_, *mdr1_, *scr_, *ssr_, *sysc_, *ier2_, *isr2_, *mdr3_, *freq_sel_,
        *tx_dma_threshold_;

    std::deque<uint8_t> tx_fifo_;
    bool tx_busy_ = false;
    uint8_t tx_shift_ = 0;
    sc_core::sc_time tx_done_;

    std::deque<uint8_t> rx_fifo_;
    std::deque<WireChar> rx_wire_;
    sc_core::sc_time rx_line_free_;
    sc_core::sc_time rx_idle_since_;  // last character received or RHR read
    bool timeout_latched_ = false;
    bool overrun_ = false;
    uint8_t last_rhr_ = 0;
    uint32_t msr_delta_ = 0;

    sc_core::sc_time reset_done_at_;
    sc_core::sc_time now_;  // the time the model has been brought up to

    std::vector<TxListener> tx_listeners_;
    sc_core::sc_event wake_;
    sc_core::sc_event poll_event_;
    bool started_ = false;
    std::vector<UartInputChunk> chunk_buf_;

    stats::Counter tx_chars_;
    stats::Counter rx_chars_;
    stats::Counter rx_overruns_;
    stats::Counter rx_lost_;
    stats::Counter tx_dropped_;
};

}  // namespace vp
