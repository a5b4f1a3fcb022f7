// I2C0-2 of the AM335x (SPRUH73 chapter 21, the "IP v2" I2C with 32-byte FIFOs), master mode,
// written for the Linux i2c-omap driver (omap_i2c_init, omap_i2c_xfer_msg, omap_i2c_isr_thread)
// and U-Boot's omap24xx_i2c. See docs/models/i2c.md.
//
//   vp::I2c i2c0("i2c0", vp::I2cParams{});       // fclk 48 MHz (PER DPLL M2 / 4)
//   i2c0.bus.attach(0x50, eeprom);                // devices on the modelled bus
//   i2c0.irq.connect(intc_line_70);               // I2C0 70, I2C1 71, I2C2 30
//   prcm_clock.connect(i2c0.clock_enable);        // CM_WKUP_I2C0_CLKCTRL / CM_PER_I2Cn
//
// Registers are 16 bits wide and take 16- and 32-bit accesses (Linux uses readw/writew).
// A transfer takes its real time: SCL period = (SCLL + 7 + SCLH + 5) ICLK periods with
// ICLK = fclk / (PSC + 1) (TRM Tables 21-30..21-32); START, repeated START and STOP take one
// SCL period each, every byte (address or data, with its ACK bit) nine. The model schedules
// one event per byte, never per bit, and computes everything else from the access time.
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "models/i2c/bus.h"

namespace vp {

namespace i2c {
constexpr uint32_t kWindowSize = 0x1000;  // TRM Table 2-2/2-3: 4 KB per instance

// Register offsets (TRM Table 21-8).
constexpr uint32_t kRevnbLo = 0x00;
constexpr uint32_t kRevnbHi = 0x04;
constexpr uint32_t kSysc = 0x10;
constexpr uint32_t kIrqstatusRaw = 0x24;
constexpr uint32_t kIrqstatus = 0x28;
constexpr uint32_t kIrqenableSet = 0x2C;
constexpr uint32_t kIrqenableClr = 0x30;
constexpr uint32_t kWe = 0x34;
constexpr uint32_t kDmarxenableSet = 0x38;
constexpr uint32_t kDmatxenableSet = 0x3C;
constexpr uint32_t kDmarxenableClr = 0x40;
constexpr uint32_t kDmatxenableClr = 0x44;
constexpr uint32_t kDmarxwakeEn = 0x48;
constexpr uint32_t kDmatxwakeEn = 0x4C;
constexpr uint32_t kSyss = 0x90;
constexpr uint32_t kBuf = 0x94;
constexpr uint32_t kCnt = 0x98;
constexpr uint32_t kData = 0x9C;
constexpr uint32_t kCon = 0xA4;
constexpr uint32_t kOa = 0xA8;
constexpr uint32_t kSa = 0xAC;
constexpr uint32_t kPsc = 0xB0;
constexpr uint32_t kScll = 0xB4;
constexpr uint32_t kSclh = 0xB8;
constexpr uint32_t kSystest = 0xBC;
constexpr uint32_t kBufstat = 0xC0;
constexpr uint32_t kOa1 = 0xC4;
constexpr uint32_t kOa2 = 0xC8;
constexpr uint32_t kOa3 = 0xCC;
constexpr uint32_t kActoa = 0xD0;
constexpr uint32_t kSblock = 0xD4;

// REVNB_LO / REVNB_HI (TRM 21.4.1.1/2 give only placeholders; see docs/models/i2c.md): chosen
// so that Linux decodes scheme 1 (HI[15:14] = 1, "IP v2" map), revision 0.11 (LO MAJOR = 0,
// MINOR = 0x0B), as BeagleBone boot logs print "omap_i2c 44e0b000.i2c: bus 0 rev0.11".
constexpr uint32_t kRevnbLoValue = 0x000B;
constexpr uint32_t kRevnbHiValue = 0x5040;
constexpr uint32_t kRevnbHiSchemeShift = 14;

// SYSC (Table 21-11).
constexpr uint32_t kSyscAutoidle = 1u << 0;
constexpr uint32_t kSyscSrst = 1u << 1;
constexpr uint32_t kSyscEnawakeup = 1u << 2;
constexpr unsigned kSyscIdlemodeShift = 3;
constexpr uint32_t kSyscIdlemodeMask = 0x3u << kSyscIdlemodeShift;
constexpr uint32_t kSyscIdlemodeSmartWakeup = 3;  // "available only on I2C0"
constexpr unsigned kSyscClkactivityShift = 8;
constexpr uint32_t kSyscWritable = 0x031F;

// IRQSTATUS_RAW / IRQSTATUS / IRQENABLE_SET / IRQENABLE_CLR / WE bits (Tables 21-12..21-16).
constexpr uint32_t kIrqAl = 1u << 0;
constexpr uint32_t kIrqNack = 1u << 1;
constexpr uint32_t kIrqArdy = 1u << 2;
constexpr uint32_t kIrqRrdy = 1u << 3;
constexpr uint32_t kIrqXrdy = 1u << 4;
constexpr uint32_t kIrqGc = 1u << 5;
constexpr uint32_t kIrqStc = 1u << 6;
constexpr uint32_t kIrqAerr = 1u << 7;
constexpr uint32_t kIrqBf = 1u << 8;
constexpr uint32_t kIrqAas = 1u << 9;
constexpr uint32_t kIrqXudf = 1u << 10;
constexpr uint32_t kIrqRovr = 1u << 11;
constexpr uint32_t kIrqBb = 1u << 12;
constexpr uint32_t kIrqRdr = 1u << 13;
constexpr uint32_t kIrqXdr = 1u << 14;
constexpr uint32_t kIrqAll = 0x7FFF;         // bits 14:0 of IRQSTATUS_RAW
constexpr uint32_t kIrqEnableMask = 0x6FFF;  // IRQENABLE has no BB bit (bit 12 reserved)
// Bits that reflect a condition rather than a latched event: BB (bus state), ROVR and XUDF
// ("writing into this bit has no effect"; cleared by DATA accesses or I2C_EN = 0).
constexpr uint32_t kIrqConditionBits = kIrqBb | kIrqRovr | kIrqXudf;
constexpr uint32_t kIrqLatchedBits = kIrqAll & ~kIrqConditionBits;
// SYSTEST.SSB sets the six status bits 5:0 (Table 21-33).
constexpr uint32_t kIrqSsbBits = 0x3F;
// WE / DMARXWAKE_EN / DMATXWAKE_EN writable bits (Tables 21-16, 21-21, 21-22).
constexpr uint32_t kWeWritable = 0x6F6F;

// DMA enable set/clear registers: bit 0 (Tables 21-17..21-20).
constexpr uint32_t kDmaEnable = 1u << 0;

// SYSS (Table 21-23).
constexpr uint32_t kSyssRdone = 1u << 0;

// BUF (Table 21-24).
constexpr unsigned kBufTxtrshShift = 0;
constexpr uint32_t kBufTxtrshMask = 0x3F;
constexpr uint32_t kBufTxfifoClr = 1u << 6;
constexpr uint32_t kBufXdmaEn = 1u << 7;
constexpr unsigned kBufRxtrshShift = 8;
constexpr uint32_t kBufRxtrshMask = 0x3Fu << kBufRxtrshShift;
constexpr uint32_t kBufRxfifoClr = 1u << 14;
constexpr uint32_t kBufRdmaEn = 1u << 15;

// CNT (Table 21-25): DCOUNT = 0 means 65536 bytes.
constexpr uint32_t kCntMask = 0xFFFF;
constexpr uint32_t kCntZeroMeans = 65536;

// DATA (Table 21-26).
constexpr uint32_t kDataMask = 0xFF;

// CON (Table 21-27).
constexpr uint32_t kConStt = 1u << 0;
constexpr uint32_t kConStp = 1u << 1;
constexpr unsigned kConXoaShift = 4;  // XOA3..XOA0 in bits 4..7
constexpr uint32_t kConXsa = 1u << 8;
constexpr uint32_t kConTrx = 1u << 9;
constexpr uint32_t kConMst = 1u << 10;
constexpr uint32_t kConStb = 1u << 11;
constexpr unsigned kConOpmodeShift = 12;
constexpr uint32_t kConOpmodeMask = 0x3u << kConOpmodeShift;  // only 0 (F/S) is valid
constexpr uint32_t kConEn = 1u << 15;
constexpr uint32_t kConWritable = 0xBFF3;

// OA / SA / OA1-3 (Tables 21-28, 21-29, 21-35..37): 10-bit addresses.
constexpr uint32_t kAddrMask = 0x3FF;
constexpr uint32_t kAddr7Mask = 0x7F;
// PSC, SCLL, SCLH (Tables 21-30..21-32): 8 bits each.
constexpr uint32_t kPscMask = 0xFF;
constexpr uint32_t kSclMask = 0xFF;
constexpr unsigned kScllOffset = 7;  // tLOW = (SCLL + 7) ICLK periods
constexpr unsigned kSclhOffset = 5;  // tHIGH = (SCLH + 5) ICLK periods
// One byte with its ACK bit on the wire.
constexpr unsigned kSclPerByte = 9;

// SYSTEST (Table 21-33).
constexpr uint32_t kSystestSdaO = 1u << 0;
constexpr uint32_t kSystestSdaI = 1u << 1;
constexpr uint32_t kSystestSclO = 1u << 2;
constexpr uint32_t kSystestSclI = 1u << 3;
constexpr uint32_t kSystestSdaOFunc = 1u << 5;
constexpr uint32_t kSystestSdaIFunc = 1u << 6;
constexpr uint32_t kSystestSclOFunc = 1u << 7;
constexpr uint32_t kSystestSclIFunc = 1u << 8;
constexpr uint32_t kSystestSsb = 1u << 11;
constexpr unsigned kSystestTmodeShift = 12;
constexpr uint32_t kSystestTmodeMask = 0x3u << kSystestTmodeShift;
constexpr uint32_t kSystestTmodeSdaSclIo = 3;
constexpr uint32_t kSystestFree = 1u << 14;
constexpr uint32_t kSystestStEn = 1u << 15;
// Writable while ST_EN = 0 ("all others bits in register are read only", FREE independent).
constexpr uint32_t kSystestWritableNormal = kSystestStEn | kSystestFree;
constexpr uint32_t kSystestWritableTest =
    kSystestStEn | kSystestFree | kSystestTmodeMask | kSystestSsb | kSystestSclO | kSystestSdaO;

// BUFSTAT (Table 21-34).
constexpr uint32_t kBufstatTxstatMask = 0x3F;
constexpr unsigned kBufstatRxstatShift = 8;
constexpr uint32_t kBufstatRxstatMask = 0x3F;
constexpr unsigned kBufstatFifodepthShift = 14;

// ACTOA, SBLOCK (Tables 21-38, 21-39): four own-address bits.
constexpr uint32_t kOwnAddrBits = 0xF;
}  // namespace i2c

struct I2cParams {
    std::string stat_prefix;        // statistics prefix (default: the module name)
    uint64_t fclk_hz = 48'000'000;  // functional clock: PER DPLL M2 / 4 (am335x.md §12)
    // FIFO depth in bytes, 8/16/32/64 (BUFSTAT.FIFODEPTH); AM335x: 32 (TRM 21.3.14, Table 21-34).
    unsigned fifo_depth = 32;
    // SYSC.IDLEMODE = 3 (smart-idle wakeup) exists only on I2C0 (Table 21-11).
    bool smart_idle_wakeup = false;
};

class I2c : public Peripheral {
  public:
    // Throws std::invalid_argument for a zero clock or a FIFO depth the IP cannot have.
    explicit I2c(sc_core::sc_module_name name, const I2cParams& p = {});

    // The interrupt line (level, high = asserted): IRQSTATUS_RAW & IRQENABLE != 0.
    Wire irq;
    // DMA requests (level, high = asserted): BUF.RDMA_EN / XDMA_EN with DMARX/TXENABLE
    // (TRM 21.3.12, 21.3.14.3). Not used by Linux on the AM335x; for an EDMA model.
    Wire dma_rx;
    Wire dma_tx;
    // The devices on this controller's bus.
    I2cBus bus;

    void reset() override;

    // --- introspection for tests and the platform ---------------------------------------
    // One SCL period with the current PSC/SCLL/SCLH (what a transfer started now would use).
    sc_core::sc_time scl_period() const;
    unsigned rx_level() const { return static_cast<unsigned>(rx_fifo_.size()); }
    unsigned tx_level() const { return static_cast<unsigned>(tx_fifo_.size()); }
    bool bus_busy() const;

  protected:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;

  private:
    SC_HAS_PROCESS(I2c);

    enum class Phase : uint8_t {
        idle,      // we do not own the bus
        start,     // START / repeated START condition on the bus
        address,   // address byte (+ ACK)
        data,      // a data byte (+ ACK)
        stall_tx,  // TX FIFO empty, bytes still to send: SCL held low (XUDF)
        stall_rx,  // RX FIFO full and a byte in the shift register: SCL held low (ROVR)
        stop,      // STOP condition on the bus
        held,      // transfer done without STOP, or NACK: we keep SCL low
    };

    void declare_registers();
    void on_wake();
    void advance(const sc_core::sc_time& t);
    void schedule(const sc_core::sc_time& t);
    void step(const sc_core::sc_time& t);
    sc_core::sc_time offset_of(const sc_core::sc_time& t) const;

    // Transfers.
    void request_start(const sc_core::sc_time& t);
    void begin_transfer(const sc_core::sc_time& t);
    void begin_byte(const sc_core::sc_time& t);
    void end_of_transfer(const sc_core::sc_time& t);
    void finish_stop(const sc_core::sc_time& t);
    void on_nack(const sc_core::sc_time& t);
    void abort(const sc_core::sc_time& t);

    // Status.
    uint32_t raw() const;  // IRQSTATUS_RAW as read: latched events + condition bits
    uint32_t enables() const;
    void set_events(uint32_t bits, const sc_core::sc_time& t);
    // Re-evaluates the condition-driven events (RRDY, RDR, ARDY on an empty RX FIFO, and with
    // `tx_requests` XRDY/XDR) and the IRQ and DMA lines.
    void update_flags(const sc_core::sc_time& t, bool tx_requests = true);
    void update_irq(const sc_core::sc_time& t);
    void sync_views();
    unsigned tx_threshold() const;
    unsigned rx_threshold() const;
    uint32_t tx_left_to_write() const;
    uint32_t systest_lines() const;

    // Register side effects.
    void write_con(uint32_t old, const sc_core::sc_time& t);
    void write_buf(const sc_core::sc_time& t);
    void write_data(const sc_core::sc_time& t);
    uint32_t read_data(const sc_core::sc_time& t);
    void write_systest(uint32_t old, const sc_core::sc_time& t);
    void partial_reset(const sc_core::sc_time& t);
    void soft_reset(const sc_core::sc_time& t);
    void reset_state(const sc_core::sc_time& t);

    uint64_t fclk_hz_;
    unsigned fifo_depth_;
    uint32_t fifodepth_code_;
    bool smart_idle_wakeup_;

    // Registers the model touches from its logic.
    Register* sysc_ = nullptr;
    Register* raw_ = nullptr;
    Register* status_ = nullptr;
    Register* ie_set_ = nullptr;
    Register* ie_clr_ = nullptr;
    Register* dmarx_set_ = nullptr;
    Register* dmarx_clr_ = nullptr;
    Register* dmatx_set_ = nullptr;
    Register* dmatx_clr_ = nullptr;
    Register* buf_ = nullptr;
    Register* cnt_ = nullptr;
    Register* data_ = nullptr;
    Register* con_ = nullptr;
    Register* sa_ = nullptr;
    Register* psc_ = nullptr;
    Register* scll_ = nullptr;
    Register* sclh_ = nullptr;
    Register* systest_ = nullptr;

    // Bus state.
    Phase phase_ = Phase::idle;
    sc_core::sc_event wake_;
    bool pending_ = false;
    sc_core::sc_time next_;
    sc_core::sc_time period_;  // SCL period of the transfer in progress
    bool start_after_stop_ = false;
    bool stop_ends_transfer_ = false;  // the STOP in progress ends a transfer's data phase

    // The transfer in progress.
    bool reading_ = false;
    uint8_t address_ = 0;
    bool ten_bit_ = false;
    uint32_t dcount_ = 0;      // bytes still to move on the bus
    uint32_t tx_written_ = 0;  // bytes the host wrote to DATA for this transfer
    bool tx_active_ = false;   // master transmitter with bytes still to load (XRDY/XDR)
    bool xdr_fired_ = false;
    bool rx_ended_ = false;  // the receive transfer ended on the bus (RDR may fire)
    bool rdr_armed_ = false;
    bool ardy_when_empty_ = false;
    uint8_t cur_byte_ = 0;  // TX byte on the wire / RX byte in the shift register
    bool rovr_ = false;
    bool xudf_ = false;

    std::deque<uint8_t> tx_fifo_;
    std::deque<uint8_t> rx_fifo_;
    uint8_t last_read_ = 0;

    stats::Counter transfers_;
    stats::Counter bytes_tx_;
    stats::Counter bytes_rx_;
    stats::Counter nacks_;
    stats::Counter access_errors_;
};

}  // namespace vp
