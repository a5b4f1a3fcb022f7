#include "models/uart/uart.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace vp {

using namespace uart;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

// Register-access views: the access mode (Table 19-16) crossed with the submode
// (Tables 19-17 to 19-19). One bit each, so an alias row can name several.
constexpr unsigned kViewOpMsrSpr = 1u << 0;
constexpr unsigned kViewOpTcrTlr = 1u << 1;
constexpr unsigned kViewAMsrSpr = 1u << 2;
constexpr unsigned kViewATcrTlr = 1u << 3;
constexpr unsigned kViewBXoff = 1u << 4;
constexpr unsigned kViewBTcrTlr = 1u << 5;
constexpr unsigned kViewsOp = kViewOpMsrSpr | kViewOpTcrTlr;
constexpr unsigned kViewsA = kViewAMsrSpr | kViewATcrTlr;
constexpr unsigned kViewsB = kViewBXoff | kViewBTcrTlr;
constexpr unsigned kViewsAll = kViewsOp | kViewsA | kViewsB;
constexpr unsigned kViewsMsrSpr = kViewOpMsrSpr | kViewAMsrSpr;
constexpr unsigned kViewsTcrTlr = kViewOpTcrTlr | kViewATcrTlr | kViewBTcrTlr;

// SPRUH73 Table 19-20 (UART function, Table 19-22): what each aliased offset shows.
struct AliasRow {
    uint32_t offset;
    unsigned views;
    const char* read;
    const char* write;
};
constexpr AliasRow kAliasTable[] = {
    {kRhr, kViewsOp, "RHR", "THR"},
    {kDll, kViewsA | kViewsB, "DLL", "DLL"},
    {kIer, kViewsOp, "IER", "IER"},
    {kDlh, kViewsA | kViewsB, "DLH", "DLH"},
    {kIir, kViewsOp | kViewsA, "IIR", "FCR"},
    {kEfr, kViewsB, "EFR", "EFR"},
    {kMcr, kViewsOp | kViewsA, "MCR", "MCR"},
    {kXon1, kViewsB, "XON1_ADDR1", "XON1_ADDR1"},
    {kLsr, kViewsOp | kViewsA, "LSR", nullptr},
    {kXon2, kViewsB, "XON2_ADDR2", "XON2_ADDR2"},
    {kMsr, kViewsMsrSpr, "MSR", nullptr},
    {kTcr, kViewsTcrTlr, "TCR", "TCR"},
    {kXoff1, kViewBXoff, "XOFF1", "XOFF1"},
    {kSpr, kViewsMsrSpr, "SPR", "SPR"},
    {kTlr, kViewsTcrTlr, "TLR", "TLR"},
    {kXoff2, kViewBXoff, "XOFF2", "XOFF2"},
    {kSflsr, kViewsAll, "SFLSR", "TXFLL"},
    {kResume, kViewsAll, "RESUME", "TXFLH"},
    {kSfregl, kViewsAll, "SFREGL", "RXFLL"},
    {kSfregh, kViewsAll, "SFREGH", "RXFLH"},
    {kBlr, kViewsOp, "BLR", "BLR"},
    {kUasr, kViewsA | kViewsB, "UASR", nullptr},
    {kAcreg, kViewsOp, "ACREG", "ACREG"},
    {kEblr, kViewsOp, "EBLR", "EBLR"},
};

constexpr uint64_t kPsPerSecond = 1000000000000ull;
constexpr uint32_t kByteMask = 0xFF;
constexpr unsigned kBitsPerByte = 8;

UartParams validated(const UartParams& p) {
    if (p.fclk_hz == 0) throw std::invalid_argument("UART: fclk_hz must be greater than 0");
    if (p.fifo_depth == 0 || p.fifo_depth > kByteMask)
        throw std::invalid_argument(
            fmt::format("UART: fifo_depth {} is out of range (1-255)", p.fifo_depth));
    if (p.host_poll_period <= SC_ZERO_TIME)
        throw std::invalid_argument("UART: host_poll_period must be greater than 0");
    return p;
}

// Written bits of a bus access (byte lanes of the 32-bit word, honouring byte enables).
uint32_t lane_bits(const tlm::tlm_generic_payload& p) {
    const unsigned len = p.get_data_length();
    if (len == 0 || len > 4) return 0xFFFFFFFFu;
    const unsigned lane = static_cast<unsigned>(p.get_address() & 3u);
    const uint8_t* be = p.get_byte_enable_ptr();
    const unsigned be_len = p.get_byte_enable_length();
    uint32_t m = 0;
    for (unsigned i = 0; i < len && lane + i < 4; ++i)
        if (!be || be_len == 0 || be[i % be_len] == TLM_BYTE_ENABLED)
            m |= kByteMask << (8 * (lane + i));
    return m;
}

}  // namespace

Uart::Uart(sc_core::sc_module_name name, const UartParams& params,
           std::unique_ptr<UartBackend> backend)
    : Peripheral(name, kWindowSize, validated(params).stat_prefix),
      irq(std::string(this->name()) + ".irq"),
      dma_tx(std::string(this->name()) + ".dma_tx"),
      dma_rx(std::string(this->name()) + ".dma_rx"),
      params_(validated(params)),
      backend_(backend ? std::move(backend) : std::make_unique<NullUartBackend>()),
      aliases_(log_),
      tx_chars_(stat_prefix() + ".tx_chars", "characters transmitted on the TX line"),
      rx_chars_(stat_prefix() + ".rx_chars", "characters received into the RX FIFO"),
      rx_overruns_(stat_prefix() + ".rx_overruns", "characters lost to a full RX FIFO"),
      rx_lost_(stat_prefix() + ".rx_lost",
               "characters that arrived while the receiver was not running"),
      tx_dropped_(stat_prefix() + ".tx_dropped", "THR writes with the TX FIFO full") {
    SC_HAS_PROCESS(Uart);
    SC_METHOD(service);
    sensitive << wake_;
    dont_initialize();
    SC_METHOD(host_poll);
    sensitive << poll_event_;
    dont_initialize();

    // 8250_omap reads and writes the 8-bit registers with byte accesses (UPIO_MEM, reg-shift
    // 2) and MVR/SYSC/SYSS/SCR with 32-bit ones; U-Boot uses 32-bit: every width is taken.
    regs().set_default_sizes(kSizeAny);
    declare_registers();
}

Uart::~Uart() = default;

// ---- registers -------------------------------------------------------------------------------

void Uart::declare_registers() {
    auto t = [this] { return access_time(); };

    // Aliased registers (SPRUH73 §19.5.1; reset values from their headings).
    dll_ = &aliases_.add("DLL", 0, kDivisorLowMask).on_write([this, t](uint32_t v, uint32_t old) {
        divisor_write(*dll_, v, old, t());
    });
    dlh_ = &aliases_.add("DLH", 0, kDivisorHighMask).on_write([this, t](uint32_t v, uint32_t old) {
        divisor_write(*dlh_, v, old, t());
    });
    aliases_.add("RHR").ro().on_read([this, t] { return rhr_read(t()); }).on_peek([this] {
        return static_cast<uint32_t>(rx_fifo_.empty() ? last_rhr_ : rx_fifo_.front());
    });
    aliases_.add("THR").on_write(
        [this, t](uint32_t v, uint32_t) { thr_write(static_cast<uint8_t>(v & kByteMask), t()); });
    ier_ = &aliases_.add("IER").on_write([this](uint32_t v, uint32_t old) {
        // IER[7:4] can be written only when EFR[4] = 1 (Table 19-35).
        if (!(efr_->get() & kEfrEnhancedEn))
            ier_->set((v & ~kIerEnhancedBits) | (old & kIerEnhancedBits));
        if (ier_->get() & (kIerXoffIt | kIerRtsIt | kIerCtsIt) && log().once("ier-flow"))
            VP_LOG(log(), info,
                   "IER XOFF/RTS/CTS interrupts enabled: flow control is not modelled");
    });
    aliases_.add("IIR", kIirReset).ro().on_read([this] { return iir_value(); }).on_peek([this] {
        return iir_value();
    });
    fcr_ = &aliases_.add("FCR").on_write([this](uint32_t v, uint32_t old) { fcr_write(v, old); });
    efr_ = &aliases_.add("EFR").on_write([this](uint32_t v, uint32_t) {
        if ((v & kEfrNotModelled) && log().once("efr-flow"))
            VP_LOG(log(), info, "EFR = {:#x}: software/hardware flow control is not modelled", v);
    });
    mcr_ = &aliases_.add("MCR", 0, kMcrWritable).on_write([this](uint32_t v, uint32_t old) {
        // MCR[7:5] can be written only when EFR[4] = 1 (Table 19-43).
        if (!(efr_->get() & kEfrEnhancedEn))
            mcr_->set((v & ~kMcrEnhancedBits) | (old & kMcrEnhancedBits));
        update_msr(old);
    });
    aliases_.add("XON1_ADDR1");
    aliases_.add("XON2_ADDR2");
    aliases_.add("LSR", kLsrReset)
        .ro()
        .on_read([this] {
            const uint32_t v = lsr_value();
            overrun_ = false;  // "Reading LSR clears OE" (Table 19-48)
            return v;
        })
        .on_peek([this] { return lsr_value(); });
    aliases_.add("MSR")
        .ro()
        .on_read([this] {
            const uint32_t v = msr_value();
            msr_delta_ = 0;  // the change bits are "cleared on a read" (Table 19-50)
            return v;
        })
        .on_peek([this] { return msr_value(); });
    aliases_.add("TCR");
    tlr_ = &aliases_.add("TLR");
    aliases_.add("SPR");
    aliases_.add("XOFF1");
    aliases_.add("XOFF2");
    // IrDA frame registers: declared, not modelled (UART mode only).
    for (const char* n : {"SFLSR", "RESUME", "SFREGL", "SFREGH", "UASR"})
        aliases_.add(n).ro();
    aliases_.add("TXFLL");
    aliases_.add("TXFLH", 0, kTxflhWritable);
    aliases_.add("RXFLL");
    aliases_.add("RXFLH", 0, kRxflhWritable);
    // BLR[7] STSFIFORESET is self-clearing; BLR[5:0] reserved (Table 19-65).
    aliases_.add("BLR", kBlrReset, kBlrWritable).on_write([this](uint32_t v, uint32_t) {
        aliases_.find("BLR")->set(v & ~kBlrStsFifoReset);
    });
    aliases_.add("ACREG");
    aliases_.add("EBLR");
    for (const AliasRow& r : kAliasTable)
        aliases_.map(r.offset, r.views, r.read, r.write);

    // Registers at their own offsets in every mode.
    lcr_ = &regs()
                .add("LCR", kLcr, 0, kRegWidthBytes)
                .writable(kData8Writable)
                .on_write([this](Register& r, uint32_t, uint32_t) {
                    if ((r.get() & kLcrBreakEn) && log().once("break"))
                        VP_LOG(log(), info,
                               "LCR.BREAK_EN: the TX line is held low, characters are not sent");
                });
    mdr1_ =
        &regs()
             .add("MDR1", kMdr1, kMdr1Reset, kRegWidthBytes)
             .writable(kData8Writable)
             .field("MODESELECT", 0, 3)
             .unimplemented("IRSLEEP", 3, 1)
             .unimplemented("SETTXIR", 4, 1)
             .unimplemented("SCT", 5, 1)
             .unimplemented("SIPMODE", 6, 1)
             .unimplemented("FRAMEENDMODE", 7, 1)
             .on_write([this](Register& r, uint32_t, uint32_t) {
                 const uint32_t mode = r.get() & kMdr1ModeSelectMask;
                 if (mode == kMdr1Uart16xAutobaud && log().once("autobaud"))
                     VP_LOG(log(), info, "MDR1: UART 16x auto-baud runs as plain 16x");
                 if (mode != kMdr1Uart16x && mode != kMdr1Uart16xAutobaud && mode != kMdr1Uart13x &&
                     mode != kMdr1Disable && log().once("irda:" + std::to_string(mode)))
                     VP_LOG(log(), warning,
                            "MDR1 mode {} (IrDA/CIR) is not modelled: no characters move", mode);
                 start_tx(access_time());
             });
    regs()
        .add("MDR2", kMdr2, 0, kRegWidthBytes)
        .writable(kMdr2Writable)
        .unimplemented("STSFIFOTRIG", 1, 2)
        .unimplemented("UARTPULSE", 3, 1)
        .unimplemented("CIRPULSEMODE", 4, 2)
        .unimplemented("IRRXINVERT", 6, 1)
        .unimplemented("SETTXIRALT", 7, 1);
    scr_ = &regs()
                .add("SCR", kScr, 0, kRegWidthBytes)
                .writable(kData8Writable)
                .field("DMAMODECTL", 0, 1)
                .field("DMAMODE2", 1, 2)
                .field("TXEMPTYCTLIT", 3, 1)
                .unimplemented("RXCTSDSRWAKEUPENABLE", 4, 1)
                .unimplemented("DSRIT", 5, 1)
                .field("TXTRIGGRANU1", 6, 1)
                .field("RXTRIGGRANU1", 7, 1);
    // SSR[2] DMACOUNTERRST is R/W in Table 19-69 (Table 19-20 lists no write; the field
    // table wins); SSR[0] reflects a full TX FIFO.
    auto ssr = [this] {
        return (ssr_->get() & kSsrDmaCounterRst) |
               (tx_fifo_.size() >= params_.fifo_depth ? kSsrTxFifoFull : 0u);
    };
    ssr_ = &regs()
                .add("SSR", kSsr, kSsrReset, kRegWidthBytes)
                .writable(kSsrDmaCounterRst)
                .on_read([ssr](Register&) { return ssr(); })
                .on_peek([ssr](Register&) { return ssr(); });
    regs().add("MVR", kMvr, params_.mvr, kMvrWidthBytes).ro();
    sysc_ = &regs()
                 .add("SYSC", kSysc, 0, kRegWidthBytes)
                 .writable(kSyscWritable)
                 .unimplemented("AUTOIDLE", 0, 1)
                 .field("SOFTRESET", 1, 1)
                 .unimplemented("ENAWAKEUP", 2, 1)
                 .unimplemented("IDLEMODE", 3, 2)
                 .on_write([this](Register& r, uint32_t, uint32_t) {
                     if (r.get() & kSyscSoftReset) soft_reset(access_time());
                 });
    regs()
        .add("SYSS", kSyss, 0, kRegWidthBytes)
        .ro()
        .on_read([this](Register&) { return reset_done(access_time()) ? kSyssResetDone : 0u; })
        .on_peek([this](Register&) {
            return reset_done(sc_core::sc_time_stamp()) ? kSyssResetDone : 0u;
        });
    regs()
        .add("WER", kWer, kWerReset, kRegWidthBytes)
        .writable(kData8Writable);  // wake-up: stored, not modelled
    regs()
        .add("CFPS", kCfps, kCfpsReset, kRegWidthBytes)
        .writable(kData8Writable);  // CIR: stored, not modelled
    regs()
        .add("RXFIFO_LVL", kRxfifoLvl, 0, kRegWidthBytes)
        .ro()
        .on_read([this](Register&) { return static_cast<uint32_t>(rx_fifo_.size()); })
        .on_peek([this](Register&) { return static_cast<uint32_t>(rx_fifo_.size()); });
    regs()
        .add("TXFIFO_LVL", kTxfifoLvl, 0, kRegWidthBytes)
        .ro()
        .on_read([this](Register&) { return static_cast<uint32_t>(tx_fifo_.size()); })
        .on_peek([this](Register&) { return static_cast<uint32_t>(tx_fifo_.size()); });
    ier2_ = &regs().add("IER2", kIer2, 0, kRegWidthBytes).writable(kIer2Writable);
    isr2_ = &regs().add("ISR2", kIsr2, 0, kRegWidthBytes).writable(kIer2Writable);
    freq_sel_ = &regs().add("FREQ_SEL", kFreqSel, 0, kRegWidthBytes).writable(kData8Writable);
    mdr3_ = &regs()
                 .add("MDR3", kMdr3, 0, kRegWidthBytes)
                 .writable(kMdr3Writable)
                 .unimplemented("DISABLE_CIR_RX_DEMOD", 0, 1)
                 .on_write([this](Register& r, uint32_t, uint32_t old) {
                     // "Changing this bit (to any value) will automatically disable the
                     // device by setting MDR[2:0] to 111" (Table 19-81).
                     if ((r.get() ^ old) & kMdr3NonDefaultFreq)
                         mdr1_->set((mdr1_->get() & ~kMdr1ModeSelectMask) | kMdr1Disable);
                 });
    tx_dma_threshold_ = &regs()
                             .add("TX_DMA_THRESHOLD", kTxDmaThreshold, 0, kRegWidthBytes)
                             .writable(kTxDmaThresholdWritable);

    aliases_.attach(regs(), [this] { return current_view(); });
}

Uart::AccessMode Uart::access_mode() const {
    const uint32_t lcr = lcr_->get() & kByteMask;
    if (lcr == kLcrConfigModeB) return AccessMode::config_b;
    return (lcr & kLcrDivEn) ? AccessMode::config_a : AccessMode::operational;
}

unsigned Uart::current_view() const {
    const bool tcr_tlr = (efr_->get() & kEfrEnhancedEn) && (mcr_->get() & kMcrTcrTlr);
    switch (access_mode()) {
        case AccessMode::operational:
            return tcr_tlr ? kViewOpTcrTlr : kViewOpMsrSpr;
        case AccessMode::config_a:
            return tcr_tlr ? kViewATcrTlr : kViewAMsrSpr;
        case AccessMode::config_b:
            return tcr_tlr ? kViewBTcrTlr : kViewBXoff;
    }
    return kViewOpMsrSpr;
}

uint32_t Uart::peek(const std::string& name) {
    if (AliasedRegister* a = aliases_.find(name)) return a->peek();
    if (Register* r = regs().find(name)) return r->peek();
    throw std::out_of_range(fmt::format("{}: no register named {}", this->name(), name));
}

bool Uart::has_register(const std::string& name) const {
    return aliases_.find(name) || const_cast<Uart*>(this)->regs().find(name);
}

std::vector<std::string> Uart::register_names() const {
    std::vector<std::string> out;
    for (const auto& r : const_cast<Uart*>(this)->regs().registers()) {
        if (aliases_.is_port(r->offset())) {
            for (const auto& a : aliases_.registers())
                for (uint32_t off : aliases_.offsets_of(a->name()))
                    if (off == r->offset()) out.push_back(a->name());
        } else {
            out.push_back(r->name());
        }
    }
    return out;
}

std::string Uart::dump() {
    std::string out;
    for (const std::string& n : register_names()) {
        const uint32_t off = aliases_.find(n) ? aliases_.offsets_of(n).front() : regs()[n].offset();
        out += fmt::format("{:<18} {:#06x} = {:#06x}\n", n, off, peek(n));
    }
    return out;
}

// ---- time ------------------------------------------------------------------------------------

void Uart::start_of_simulation() {
    started_ = true;
    reschedule();
    if (backend_->polled()) poll_event_.notify(params_.host_poll_period);
}

void Uart::set_backend(std::unique_ptr<UartBackend> backend) {
    backend_ = backend ? std::move(backend) : std::make_unique<NullUartBackend>();
    if (!started_) return;
    reschedule();
    poll_event_.cancel();
    if (backend_->polled()) poll_event_.notify(params_.host_poll_period);
}

void Uart::take_timed_input(const sc_time& t) {
    chunk_buf_.clear();
    backend_->take_due(t, chunk_buf_);
    for (const UartInputChunk& c : chunk_buf_)
        queue_rx(c.bytes, c.at);
}

void Uart::advance(const sc_time& t_in, const sc_time& offset) {
    const sc_time t = std::max(t_in, now_);
    take_timed_input(t);
    enum { kNone, kTx, kRx, kTimeout };
    for (;;) {
        int which = kNone;
        sc_time when = t;
        if (tx_busy_ && tx_done_ <= when) {
            which = kTx;
            when = tx_done_;
        }
        if (!rx_wire_.empty() && rx_wire_.front().done <= when &&
            (which == kNone || rx_wire_.front().done < when)) {
            which = kRx;
            when = rx_wire_.front().done;
        }
        if (timeout_armed() && timeout_at() <= when && (which == kNone || timeout_at() < when)) {
            which = kTimeout;
            when = timeout_at();
        }
        if (which == kNone) break;
        now_ = when;
        if (which == kTx) {
            finish_tx(when);
        } else if (which == kRx) {
            const WireChar c = rx_wire_.front();
            rx_wire_.pop_front();
            if (mcr_->get() & kMcrLoopbackEn) {
                // In loopback the RX input is disconnected from the pin (Table 19-43).
                ++rx_lost_;
            } else {
                receive_char(c.byte, c.done);
            }
        } else {
            timeout_latched_ = true;
        }
    }
    now_ = t;
    update_outputs(offset);
}

void Uart::reschedule() {
    if (!started_) return;
    const sc_time now = sc_core::sc_time_stamp();
    bool any = false;
    sc_time next;
    auto consider = [&](const sc_time& t) {
        if (!any || t < next) next = t;
        any = true;
    };
    if (tx_busy_) consider(tx_done_);
    if (!rx_wire_.empty()) consider(rx_wire_.front().done);
    if (timeout_armed()) consider(timeout_at());
    if (auto in = backend_->next_input_time()) consider(*in);
    wake_.cancel();
    if (any) wake_.notify(next > now ? next - now : SC_ZERO_TIME);
}

void Uart::service() {
    advance(sc_core::sc_time_stamp(), SC_ZERO_TIME);
    reschedule();
}

void Uart::host_poll() {
    const sc_time now = sc_core::sc_time_stamp();
    advance(now, SC_ZERO_TIME);
    backend_->poll();
    // Host bytes are taken only while the receiver runs and the line has room: the rest
    // waits in the host (socket buffer, terminal), as a sender would wait for the line.
    if (line_running() && !(mcr_->get() & kMcrLoopbackEn) && rx_wire_.size() < params_.fifo_depth) {
        std::vector<uint8_t> buf(params_.fifo_depth - rx_wire_.size());
        const size_t n = backend_->read_host(buf.data(), buf.size());
        if (n > 0) {
            buf.resize(n);
            queue_rx(buf, now);
        }
    }
    update_outputs(SC_ZERO_TIME);
    reschedule();
    if (backend_->polled()) poll_event_.notify(params_.host_poll_period);
}

void Uart::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
    const sc_time offset = delay;
    advance(sc_core::sc_time_stamp() + offset, offset);
    aliases_.set_access_lanes(lane_bits(p));
    Peripheral::b_transport(p, delay);
    aliases_.set_access_lanes(0xFFFFFFFFu);
    update_outputs(offset);
    reschedule();
}

unsigned Uart::transport_dbg(tlm::tlm_generic_payload& p) {
    if (!p.is_write()) return Peripheral::transport_dbg(p);
    // A debugger write stores into the register the current access mode shows at that
    // offset, without side effects; anything else goes through the base.
    const auto base = static_cast<uint32_t>(p.get_address());
    const unsigned len = p.get_data_length();
    unsigned done = 0;
    for (; done < len; ++done) {
        const uint32_t a = base + done;
        if (a >= regs().size()) break;
        const unsigned shift = 8 * (a & 3u);
        const uint32_t byte = static_cast<uint32_t>(p.get_data_ptr()[done]) << shift;
        if (aliases_.is_port(a)) {
            if (AliasedRegister* w = aliases_.writer(a & ~3u, current_view()))
                w->set((w->get() & ~(kByteMask << shift)) | (byte & w->writable()));
        } else if (Register* r = regs().at(a & ~3u)) {
            r->set((r->get() & ~(kByteMask << shift)) | byte);
        }
    }
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return done;
}

// ---- line configuration ----------------------------------------------------------------------

uint32_t Uart::divisor() const {
    return ((dlh_->get() & kDivisorHighMask) << kDivisorHighShift) |
           (dll_->get() & kDivisorLowMask);
}

unsigned Uart::oversampling() const {
    const uint32_t mode = mdr1_->get() & kMdr1ModeSelectMask;
    unsigned os;
    if (mode == kMdr1Uart16x || mode == kMdr1Uart16xAutobaud)
        os = kOversample16x;
    else if (mode == kMdr1Uart13x)
        os = kOversample13x;
    else
        return 0;  // disabled, or an IrDA/CIR mode
    if (mdr3_->get() & kMdr3NonDefaultFreq) {
        // Samples per bit from FREQ_SEL (Table 19-80), which must be at least 6.
        const unsigned f = freq_sel_->get() & kByteMask;
        return f >= kFreqSelMin ? f : 0;
    }
    return os;
}

unsigned Uart::half_bits_per_char() const {
    const uint32_t lcr = lcr_->get();
    const unsigned data = kMinDataBits + (lcr & kLcrCharLengthMask);
    const unsigned parity = (lcr & kLcrParityEn) ? 1 : 0;
    // Table 19-42: NB_STOP gives 1.5 stop bits with 5-bit words, 2 otherwise.
    const unsigned stop_halves = (lcr & kLcrNbStop) ? (data == kMinDataBits ? 3 : 4) : 2;
    return 2 * (kStartBits + data + parity) + stop_halves;
}

bool Uart::line_running() const {
    return oversampling() != 0 && divisor() != 0;
}

namespace {
// `halves` half-bit times at `os` samples per bit, divisor `div`, functional clock `fclk`.
sc_time line_time(uint64_t halves, unsigned os, uint32_t div, uint64_t fclk) {
    const unsigned __int128 num = static_cast<unsigned __int128>(halves) * os * div * kPsPerSecond;
    const unsigned __int128 den = static_cast<unsigned __int128>(2) * fclk;
    const auto ps = static_cast<uint64_t>((num + den / 2) / den);
    return sc_time(static_cast<double>(ps), sc_core::SC_PS);
}
}  // namespace

sc_time Uart::char_time() const {
    if (!line_running()) return SC_ZERO_TIME;
    return line_time(half_bits_per_char(), oversampling(), divisor(), params_.fclk_hz);
}

sc_time Uart::rx_timeout() const {
    if (!line_running()) return SC_ZERO_TIME;
    const unsigned data = kMinDataBits + (lcr_->get() & kLcrCharLengthMask);
    const unsigned bits = kTimeoutWordLengths * data + kTimeoutExtraBits;
    return line_time(2ull * bits, oversampling(), divisor(), params_.fclk_hz);
}

void Uart::divisor_write(AliasedRegister& reg, uint32_t v, uint32_t old, const sc_time& t) {
    // "DLL and DLH can be written to only before sleep mode is enabled (IER[4])".
    if (ier_->get() & kIerSleepMode) {
        reg.set(old);
        if (log().once("dl-sleep"))
            VP_LOG(log(), warning, "{} write of {:#x} ignored: IER.SLEEPMODE is set", reg.name(),
                   v);
        return;
    }
    // §19.3.8.1.1: MDR1 must be 7 (disabled) while the divisor changes.
    if (v != old && (mdr1_->get() & kMdr1ModeSelectMask) != kMdr1Disable && log().once("dl-live"))
        VP_LOG(log(), warning,
               "{} changed while MDR1 is not 7 (disabled): the TRM calls the "
               "result unpredictable; the new rate applies to the next character",
               reg.name());
    start_tx(t);
}

// ---- TX --------------------------------------------------------------------------------------

void Uart::thr_write(uint8_t byte, const sc_time& t) {
    const size_t capacity = fifo_enabled() ? params_.fifo_depth : 1;
    if (tx_fifo_.size() >= capacity) {
        ++tx_dropped_;
        if (log().once("tx-full"))
            VP_LOG(log(), warning, "THR write of {:#04x} with the TX FIFO full: character lost",
                   byte);
        return;
    }
    tx_fifo_.push_back(byte);
    start_tx(t);
}

void Uart::start_tx(const sc_time& t) {
    if (tx_busy_ || tx_fifo_.empty() || !line_running()) return;
    tx_shift_ = tx_fifo_.front();
    tx_fifo_.pop_front();
    tx_busy_ = true;
    tx_done_ = std::max(t, now_) + char_time();
    if (tx_fifo_.empty()) isr2_->set_bits(kIsr2TxFifoEmptySts);
}

void Uart::finish_tx(const sc_time& t) {
    tx_busy_ = false;
    const uint8_t b = tx_shift_;
    ++tx_chars_;
    if (mcr_->get() & kMcrLoopbackEn) {
        // Loopback: the transmitter output feeds the receiver; the TX pin stays idle.
        receive_char(b, t);
    } else if (!(lcr_->get() & kLcrBreakEn)) {
        for (auto& l : tx_listeners_)
            l(b, t);
        backend_->write(b, t);
    }
    start_tx(t);
}

// ---- RX --------------------------------------------------------------------------------------

void Uart::inject_rx(const std::vector<uint8_t>& bytes, const sc_time& at) {
    const sc_time now = sc_core::sc_time_stamp();
    advance(now, SC_ZERO_TIME);
    queue_rx(bytes, std::max(at, now));
    reschedule();
}

void Uart::queue_rx(const std::vector<uint8_t>& bytes, const sc_time& at) {
    if (bytes.empty()) return;
    if (!line_running()) {
        rx_lost_ += bytes.size();
        if (log().once("rx-off"))
            VP_LOG(log(), warning,
                   "{} character(s) arrived at {} while the receiver is not running (MDR1 not a "
                   "UART mode or divisor 0): lost",
                   bytes.size(), at.to_string());
        return;
    }
    const sc_time ct = char_time();
    for (uint8_t b : bytes) {
        const sc_time start = std::max(at, rx_line_free_);
        rx_line_free_ = start + ct;
        rx_wire_.push_back({b, rx_line_free_});
    }
}

void Uart::receive_char(uint8_t byte, const sc_time& t) {
    if (!line_running()) {
        ++rx_lost_;
        return;
    }
    rx_idle_since_ = t;  // activity on the RX line restarts the time-out counter
    if (rx_fifo_.size() >= rx_capacity()) {
        // §19.3.8.1.3.6: the character is lost, RHR is not overwritten, LSR.OE is set.
        overrun_ = true;
        ++rx_overruns_;
        VP_LOG(log(), debug, "RX overrun: {:#04x} lost", byte);
        return;
    }
    rx_fifo_.push_back(byte);
    ++rx_chars_;
}

uint8_t Uart::rhr_read(const sc_time& t) {
    if (rx_fifo_.empty()) return last_rhr_;
    last_rhr_ = rx_fifo_.front();
    rx_fifo_.pop_front();
    // §19.3.8.1.3.7.1: reading RHR resets the time-out counter.
    rx_idle_since_ = t;
    timeout_latched_ = false;
    if (rx_fifo_.empty()) isr2_->set_bits(kIsr2RxFifoEmptySts);
    return last_rhr_;
}

bool Uart::timeout_armed() const {
    return fifo_enabled() && !rx_fifo_.empty() && !timeout_latched_ && line_running();
}

sc_time Uart::timeout_at() const {
    return rx_idle_since_ + rx_timeout();
}

// ---- registers with behaviour ----------------------------------------------------------------

void Uart::fcr_write(uint32_t value, uint32_t old) {
    uint32_t v = value;
    // FCR[5:4] can be written only when EFR[4] = 1 (Table 19-40).
    if (!(efr_->get() & kEfrEnhancedEn)) v = (v & ~kFcrTxTrigMask) | (old & kFcrTxTrigMask);
    // FIFO_EN and DMA_MODE change only while the baud clock is stopped (DLL = DLH = 0).
    if (divisor() != 0 && ((v ^ old) & kFcrBaudStoppedOnly)) {
        if (log().once("fcr-baud"))
            VP_LOG(log(), warning,
                   "FCR FIFO_EN/DMA_MODE change ignored: the baud clock runs (DLL/DLH != 0)");
        v = (v & ~kFcrBaudStoppedOnly) | (old & kFcrBaudStoppedOnly);
    }
    const bool fifo_toggled = (v ^ old) & kFcrFifoEn;
    fcr_->set(v & ~kFcrSelfClearing);
    if ((v & kFcrRxFifoClear) || fifo_toggled) {
        rx_fifo_.clear();
        timeout_latched_ = false;
    }
    if ((v & kFcrTxFifoClear) || fifo_toggled) tx_fifo_.clear();
}

namespace {
// MSR[7:4] for a given MCR: in loopback the modem inputs follow MCR (Table 19-50); outside
// loopback the (unconnected) modem inputs are inactive.
uint32_t modem_inputs(uint32_t mcr) {
    if (!(mcr & kMcrLoopbackEn)) return 0;
    return ((mcr & kMcrRts) ? kMsrNctsSts : 0) | ((mcr & kMcrDtr) ? kMsrNdsrSts : 0) |
           ((mcr & kMcrRiStsCh) ? kMsrNriSts : 0) | ((mcr & kMcrCdStsCh) ? kMsrNcdSts : 0);
}
}  // namespace

void Uart::update_msr(uint32_t old_mcr) {
    const uint32_t before = modem_inputs(old_mcr);
    const uint32_t after = modem_inputs(mcr_->get());
    const uint32_t d = before ^ after;
    if (d & kMsrNctsSts) msr_delta_ |= kMsrCtsSts;
    if (d & kMsrNdsrSts) msr_delta_ |= kMsrDsrSts;
    // RI_STS: the RI input went from low to high, i.e. NRI_STS from 1 to 0.
    if ((before & kMsrNriSts) && !(after & kMsrNriSts)) msr_delta_ |= kMsrRiSts;
    if (d & kMsrNcdSts) msr_delta_ |= kMsrDcdSts;
}

uint32_t Uart::msr_value() const {
    return modem_inputs(mcr_->get()) | msr_delta_;
}

uint32_t Uart::lsr_value() const {
    uint32_t v = 0;
    if (!rx_fifo_.empty()) v |= kLsrRxFifoE;
    if (overrun_) v |= kLsrRxOe;
    // No parity, framing or break errors: the host side delivers clean characters.
    if (tx_fifo_.empty()) v |= kLsrTxFifoE;
    if (tx_fifo_.empty() && !tx_busy_) v |= kLsrTxSrE;
    return v;
}

uint32_t Uart::iir_value() const {
    const uint32_t ier = ier_->get();
    uint32_t id = kIirNoPending;
    // Table 19-11, highest priority first.
    if ((ier & kIerLineStsIt) && overrun_)
        id = kIirLineStatus;
    else if ((ier & kIerRhrIt) && timeout_latched_)
        id = kIirRxTimeout;
    else if ((ier & kIerRhrIt) && rhr_condition())
        id = kIirRhr;
    else if ((ier & kIerThrIt) && thr_condition())
        id = kIirThr;
    else if ((ier & kIerModemStsIt) && msr_delta_)
        id = kIirModem;
    return id | (fifo_enabled() ? kIirFcrMirror : 0);
}

void Uart::clear_state(const sc_time& t) {
    rx_lost_ += rx_wire_.size();
    tx_fifo_.clear();
    tx_busy_ = false;
    rx_fifo_.clear();
    rx_wire_.clear();
    rx_line_free_ = t;
    rx_idle_since_ = t;
    timeout_latched_ = false;
    overrun_ = false;
    last_rhr_ = 0;
    msr_delta_ = 0;
}

void Uart::soft_reset(const sc_time& t) {
    VP_LOG(log(), debug, "SYSC.SOFTRESET at {}", t.to_string());
    Peripheral::reset();
    aliases_.reset();
    clear_state(t);
    const sc_time cycle(1.0 / static_cast<double>(params_.fclk_hz), sc_core::SC_SEC);
    reset_done_at_ = t + cycle * params_.softreset_fclk_cycles;
}

void Uart::reset() {
    const sc_time now = sc_core::sc_time_stamp();
    advance(now, SC_ZERO_TIME);
    Peripheral::reset();
    aliases_.reset();
    clear_state(now);
    reset_done_at_ = SC_ZERO_TIME;
    update_outputs(SC_ZERO_TIME);
    reschedule();
}

// ---- levels ----------------------------------------------------------------------------------

bool Uart::fifo_enabled() const {
    return fcr_->get() & kFcrFifoEn;
}

unsigned Uart::rx_capacity() const {
    return fifo_enabled() ? params_.fifo_depth : 1;
}

unsigned Uart::tx_trigger_spaces() const {
    const unsigned fcr_field = (fcr_->get() & kFcrTxTrigMask) >> kFcrTxTrigShift;
    const unsigned tlr_field = tlr_->get() & kTlrTxFifoTrigDmaMask;
    unsigned v;
    if (scr_->get() & kScrTxTrigGranu1)  // Table 19-14: TLR[3:0]:FCR[5:4], 1..63
        v = (tlr_field << kGranu1FcrBits) | fcr_field;
    else if (tlr_field != 0)
        v = kTlrGranularity * tlr_field;
    else
        v = kTxTriggerSpaces[fcr_field];
    return std::clamp(v, 1u, params_.fifo_depth);  // 0 is "not supported": taken as 1
}

unsigned Uart::rx_trigger_chars() const {
    const unsigned fcr_field = (fcr_->get() & kFcrRxTrigMask) >> kFcrRxTrigShift;
    const unsigned tlr_field = (tlr_->get() & kTlrRxFifoTrigDmaMask) >> kTlrRxFifoTrigDmaShift;
    unsigned v;
    if (scr_->get() & kScrRxTrigGranu1)  // Table 19-15: TLR[7:4]:FCR[7:6], 1..63
        v = (tlr_field << kGranu1FcrBits) | fcr_field;
    else if (tlr_field != 0)
        v = kTlrGranularity * tlr_field;
    else
        v = kRxTriggerChars[fcr_field];
    return std::clamp(v, 1u, params_.fifo_depth);
}

bool Uart::thr_condition() const {
    // SCR[3]: the THR interrupt waits for the TX FIFO and the shift register to be empty.
    if (scr_->get() & kScrTxEmptyCtlIt) return tx_fifo_.empty() && !tx_busy_;
    if (fifo_enabled()) return params_.fifo_depth - tx_fifo_.size() >= tx_trigger_spaces();
    return tx_fifo_.empty();
}

bool Uart::rhr_condition() const {
    if (fifo_enabled()) return rx_fifo_.size() >= rx_trigger_chars();
    return !rx_fifo_.empty();
}

unsigned Uart::dma_mode() const {
    const uint32_t scr = scr_->get();
    if (scr & kScrDmaModeCtl) return (scr & kScrDmaMode2Mask) >> kScrDmaMode2Shift;
    return (fcr_->get() & kFcrDmaMode) ? 1 : 0;
}

void Uart::update_outputs(const sc_time& offset) {
    const bool enhanced_irq = (ier2_->get() & isr2_->get() & kIer2Writable) != 0;
    irq.write(!(iir_value() & kIirNoPending) || enhanced_irq, offset);

    // §19.3.6.4: DMA mode 1 requests both directions, mode 2 RX only, mode 3 TX only.
    const unsigned mode = dma_mode();
    const unsigned spaces = tx_trigger_spaces();
    unsigned threshold = params_.fifo_depth - spaces;
    const unsigned direct = tx_dma_threshold_->get();
    if ((mdr3_->get() & kMdr3SetDmaTxThreshold) && direct + spaces <= params_.fifo_depth)
        threshold = direct;
    const bool tx_req = (mode == 1 || mode == 3) && tx_fifo_.size() < threshold;
    const bool rx_req = (mode == 1 || mode == 2) && rx_fifo_.size() >= rx_trigger_chars();
    dma_tx.write(tx_req, offset);
    dma_rx.write(rx_req, offset);
}

}  // namespace vp
