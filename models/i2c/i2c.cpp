#include "models/i2c/i2c.h"

#include <algorithm>
#include <stdexcept>

namespace vp {

using namespace i2c;
using sc_core::sc_time;

namespace {
constexpr uint64_t kPsPerSecond = 1'000'000'000'000ULL;

bool valid_fifo_depth(unsigned d) {
    return d == 8 || d == 16 || d == 32 || d == 64;
}

// Checked before the sc_module is built, so a bad parameter leaves no half-made module behind.
std::string checked_prefix(const I2cParams& p, const char* name) {
    if (p.fclk_hz == 0)
        throw std::invalid_argument(std::string(name) +
                                    ": I2C functional clock (fclk_hz) must be more than 0");
    if (!valid_fifo_depth(p.fifo_depth))
        throw std::invalid_argument(std::string(name) + ": I2C FIFO depth " +
                                    std::to_string(p.fifo_depth) +
                                    " is not one the IP has (8, 16, 32 or 64 bytes)");
    return p.stat_prefix;
}

uint32_t fifodepth_code(unsigned depth) {
    uint32_t code = 0;
    for (unsigned d = 8; d < depth; d <<= 1)
        ++code;
    return code;
}
}  // namespace

I2c::I2c(sc_core::sc_module_name name, const I2cParams& p)
    : Peripheral(name, kWindowSize, checked_prefix(p, name)),
      irq(std::string(this->name()) + ".irq"),
      dma_rx(std::string(this->name()) + ".dma_rx"),
      dma_tx(std::string(this->name()) + ".dma_tx"),
      bus(std::string(this->name()) + ".bus"),
      fclk_hz_(p.fclk_hz),
      fifo_depth_(p.fifo_depth),
      fifodepth_code_(fifodepth_code(p.fifo_depth)),
      smart_idle_wakeup_(p.smart_idle_wakeup),
      transfers_(stat_prefix() + ".transfers", "master transfers started (START + address)"),
      bytes_tx_(stat_prefix() + ".tx_bytes", "data bytes sent on the bus"),
      bytes_rx_(stat_prefix() + ".rx_bytes", "data bytes received from the bus"),
      nacks_(stat_prefix() + ".nacks", "transfers ended by a NACK"),
      access_errors_(stat_prefix() + ".fifo_access_errors",
                     "DATA reads of an empty RX FIFO / writes to a full TX FIFO (AERR)") {
    declare_registers();
    SC_METHOD(on_wake);
    sensitive << wake_;
    dont_initialize();
}

void I2c::declare_registers() {
    RegisterBank& r = regs();
    // Linux accesses the I2C with readw/writew; 32-bit accesses read the upper half as 0.
    r.set_default_sizes(kSize16 | kSize32);
    auto now = [this] { return access_time(); };

    r.add("REVNB_LO", kRevnbLo, kRevnbLoValue, 2).ro();
    r.add("REVNB_HI", kRevnbHi, kRevnbHiValue, 2).ro();

    sysc_ = &r.add("SYSC", kSysc, 0, 2)
                 .writable(kSyscWritable)
                 .unimplemented("AUTOIDLE", 0, 1)
                 .field("SRST", 1, 1)
                 .unimplemented("ENAWAKEUP", 2, 1)
                 .unimplemented("IDLEMODE", 3, 2)
                 .unimplemented("CLKACTIVITY", 8, 2)
                 .on_write([this, now](Register& reg, uint32_t, uint32_t) {
                     if (reg.get() & kSyscSrst) {
                         soft_reset(now());
                         return;
                     }
                     const uint32_t idle = (reg.get() & kSyscIdlemodeMask) >> kSyscIdlemodeShift;
                     if (idle == kSyscIdlemodeSmartWakeup && !smart_idle_wakeup_ &&
                         log().once("idlemode3"))
                         VP_LOG(log(), warning,
                                "SYSC.IDLEMODE = 3 (smart-idle wakeup) exists only on I2C0 "
                                "(SPRUH73 Table 21-11)");
                 });

    raw_ = &r.add("IRQSTATUS_RAW", kIrqstatusRaw, 0, 2)
                .w1s()
                .writable(kIrqLatchedBits)
                .on_read([this](Register&) { return raw(); })
                .on_peek([this](Register&) { return raw(); })
                .on_write([this, now](Register&, uint32_t, uint32_t) { update_irq(now()); });
    status_ = &r.add("IRQSTATUS", kIrqstatus, 0, 2)
                   .w1c()
                   .writable(kIrqLatchedBits)
                   .on_read([this](Register&) { return (raw() & enables()) | (raw() & kIrqBb); })
                   .on_peek([this](Register&) { return (raw() & enables()) | (raw() & kIrqBb); })
                   .on_write([this, now](Register& reg, uint32_t, uint32_t) {
                       raw_->set(reg.get());
                       // A condition that still holds raises its event again (TRM 21.3.14.1).
                       update_flags(now());
                   });
    ie_set_ = &r.add("IRQENABLE_SET", kIrqenableSet, 0, 2)
                   .w1s()
                   .writable(kIrqEnableMask)
                   .on_write([this, now](Register& reg, uint32_t, uint32_t) {
                       ie_clr_->set(reg.get());
                       update_irq(now());
                   });
    ie_clr_ = &r.add("IRQENABLE_CLR", kIrqenableClr, 0, 2)
                   .w1c()
                   .writable(kIrqEnableMask)
                   .on_write([this, now](Register& reg, uint32_t, uint32_t) {
                       ie_set_->set(reg.get());
                       update_irq(now());
                   });
    r.add("WE", kWe, 0, 2).writable(kWeWritable).unimplemented("WAKEUP_ENABLES", 0, 15);
    auto dma_pair = [&](const char* set_name, uint32_t set_off, const char* clr_name,
                        uint32_t clr_off, Register*& set, Register*& clr) {
        set = &r.add(set_name, set_off, 0, 2).w1s().writable(kDmaEnable);
        clr = &r.add(clr_name, clr_off, 0, 2).w1c().writable(kDmaEnable);
        set->on_write([this, now, &clr](Register& reg, uint32_t, uint32_t) {
            clr->set(reg.get());
            update_flags(now());
        });
        clr->on_write([this, now, &set](Register& reg, uint32_t, uint32_t) {
            set->set(reg.get());
            update_flags(now());
        });
    };
    dma_pair("DMARXENABLE_SET", kDmarxenableSet, "DMARXENABLE_CLR", kDmarxenableClr, dmarx_set_,
             dmarx_clr_);
    dma_pair("DMATXENABLE_SET", kDmatxenableSet, "DMATXENABLE_CLR", kDmatxenableClr, dmatx_set_,
             dmatx_clr_);
    r.add("DMARXWAKE_EN", kDmarxwakeEn, 0, 2)
        .writable(kWeWritable)
        .unimplemented("WAKEUP_ENABLES", 0, 15);
    r.add("DMATXWAKE_EN", kDmatxwakeEn, 0, 2)
        .writable(kWeWritable)
        .unimplemented("WAKEUP_ENABLES", 0, 15);

    // RDONE: the module is out of reset once I2C_EN = 1 (Table 21-23; Linux omap_i2c_reset
    // sets CON.I2C_EN before polling it).
    auto rdone = [this](Register&) { return (con_->get() & kConEn) ? kSyssRdone : 0u; };
    r.add("SYSS", kSyss, 0, 2).ro().on_read(rdone).on_peek(rdone);

    buf_ = &r.add("BUF", kBuf, 0, 2).on_write([this, now](Register&, uint32_t, uint32_t) {
        write_buf(now());
    });
    auto cnt_view = [this](Register& reg) {
        const bool active = phase_ == Phase::start || phase_ == Phase::address ||
                            phase_ == Phase::data || phase_ == Phase::stall_tx ||
                            phase_ == Phase::stall_rx;
        return active ? (dcount_ & kCntMask) : reg.get();
    };
    cnt_ = &r.add("CNT", kCnt, 0, 2)
                .writable(kCntMask)
                .on_read(cnt_view)
                .on_peek(cnt_view)
                .on_write([this](Register&, uint32_t, uint32_t) {
                    if (phase_ != Phase::idle && phase_ != Phase::held && log().once("cnt-busy"))
                        VP_LOG(log(), warning,
                               "CNT written during a transfer (SPRUH73 Table 21-25: must not "
                               "change between STT and ARDY)");
                    tx_written_ = 0;
                });
    data_ = &r.add("DATA", kData, 0, 2)
                 .writable(kDataMask)
                 .on_read([this, now](Register&) { return read_data(now()); })
                 .on_peek([this](Register&) {
                     return rx_fifo_.empty() ? uint32_t{last_read_} : uint32_t{rx_fifo_.front()};
                 })
                 .on_write([this, now](Register&, uint32_t, uint32_t) { write_data(now()); });
    con_ =
        &r.add("CON", kCon, 0, 2)
             .writable(kConWritable)
             .field("STT", 0, 1)
             .field("STP", 1, 1)
             .unimplemented("XOA", kConXoaShift, 4)
             .field("XSA", 8, 1)
             .field("TRX", 9, 1)
             .field("MST", 10, 1)
             .unimplemented("STB", 11, 1)
             .field("OPMODE", kConOpmodeShift, 2)
             .field("I2C_EN", 15, 1)
             .on_write([this, now](Register&, uint32_t, uint32_t old) { write_con(old, now()); });
    r.add("OA", kOa, 0, 2).writable(kAddrMask).unimplemented("OA", 0, 10);
    sa_ = &r.add("SA", kSa, 0, 2).writable(kAddrMask);
    auto clock_reg = [&](const char* name, uint32_t off, uint32_t mask) {
        return &r.add(name, off, 0, 2)
                    .writable(mask)
                    .on_write([this, name](Register&, uint32_t, uint32_t) {
                        if ((con_->get() & kConEn) && log().once(std::string("clk-en:") + name))
                            VP_LOG(log(), warning,
                                   "{} written while CON.I2C_EN = 1 (SPRUH73 Tables 21-30..32: "
                                   "unpredictable); used from the next transfer",
                                   name);
                    });
    };
    psc_ = clock_reg("PSC", kPsc, kPscMask);
    scll_ = clock_reg("SCLL", kScll, kSclMask);
    sclh_ = clock_reg("SCLH", kSclh, kSclMask);
    auto systest_view = [this](Register& reg) { return reg.get() | systest_lines(); };
    systest_ = &r.add("SYSTEST", kSystest, 0, 2)
                    .writable(kSystestWritableTest)
                    .on_read(systest_view)
                    .on_peek(systest_view)
                    .on_write([this, now](Register&, uint32_t, uint32_t old) {
                        write_systest(old, now());
                    });
    auto bufstat = [this](Register&) {
        const uint32_t rx = std::min<uint32_t>(rx_level(), kBufstatRxstatMask);
        // TXSTAT: initial DCOUNT minus the bytes written to DATA (Table 21-34; 0 after reset,
        // so a CNT of 0 counts as 0 here), saturated to the 6-bit field.
        const uint32_t cnt = cnt_->get() & kCntMask;
        const uint32_t left = cnt > tx_written_ ? cnt - tx_written_ : 0;
        const uint32_t tx = std::min<uint32_t>(left, kBufstatTxstatMask);
        return (fifodepth_code_ << kBufstatFifodepthShift) | (rx << kBufstatRxstatShift) | tx;
    };
    r.add("BUFSTAT", kBufstat, fifodepth_code_ << kBufstatFifodepthShift, 2)
        .ro()
        .on_read(bufstat)
        .on_peek(bufstat);
    r.add("OA1", kOa1, 0, 2).writable(kAddrMask).unimplemented("OA1", 0, 10);
    r.add("OA2", kOa2, 0, 2).writable(kAddrMask).unimplemented("OA2", 0, 10);
    r.add("OA3", kOa3, 0, 2).writable(kAddrMask).unimplemented("OA3", 0, 10);
    r.add("ACTOA", kActoa, 0, 2).ro();
    r.add("SBLOCK", kSblock, 0, 2).writable(kOwnAddrBits).unimplemented("OA_EN", 0, 4);
}

// --- time --------------------------------------------------------------------------------

sc_time I2c::offset_of(const sc_time& t) const {
    const sc_time now = sc_core::sc_time_stamp();
    return t > now ? t - now : sc_core::SC_ZERO_TIME;
}

void I2c::schedule(const sc_time& t) {
    next_ = t;
    pending_ = true;
    wake_.notify(offset_of(t));
}

void I2c::on_wake() {
    advance(sc_core::sc_time_stamp());
    if (pending_) wake_.notify(offset_of(next_));
}

void I2c::advance(const sc_time& t) {
    while (pending_ && next_ <= t) {
        pending_ = false;
        const sc_time when = next_;  // a copy: step() schedules the next event into next_
        step(when);
    }
}

sc_time I2c::scl_period() const {
    const uint64_t iclk_cycles = (psc_->get() & kPscMask) + 1;
    const uint64_t scl_cycles =
        (scll_->get() & kSclMask) + kScllOffset + (sclh_->get() & kSclMask) + kSclhOffset;
    const uint64_t fclk_cycles = iclk_cycles * scl_cycles;
    const uint64_t ps = (fclk_cycles * kPsPerSecond + fclk_hz_ / 2) / fclk_hz_;
    return sc_time(static_cast<double>(ps), sc_core::SC_PS);
}

void I2c::b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
    if (clock_enable.read()) {
        advance(sc_core::sc_time_stamp() + delay);
        sync_views();
        const uint64_t addr = p.get_address();
        // A 16-bit write to the upper half of a register's word touches only reserved bits
        // ("must be written with 0s", TRM 21.4): ignored, so it cannot trigger side effects.
        if (p.is_write() && p.get_data_length() == 2 && (addr & 3) == 2 && addr < kWindowSize &&
            regs().at(static_cast<uint32_t>(addr & ~3ull))) {
            if (log().once("upper-half"))
                VP_LOG(log(), warning,
                       "16-bit write at offset {:#x} (upper half of a 16-bit register) ignored",
                       addr);
            p.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
    }
    Peripheral::b_transport(p, delay);
}

// --- state machine --------------------------------------------------------------------------

bool I2c::bus_busy() const {
    return phase_ != Phase::idle || bus.external_busy();
}

void I2c::step(const sc_time& t) {
    switch (phase_) {
        case Phase::start:
            // STT self-clears once the (repeated) START is on the bus (Table 21-27).
            con_->clear_bits(kConStt);
            phase_ = Phase::address;
            schedule(t + period_ * kSclPerByte);
            update_flags(t);
            break;
        case Phase::address: {
            bool ack = false;
            if (ten_bit_) {
                if (log().once("xsa"))
                    VP_LOG(log(), warning,
                           "10-bit slave addressing (CON.XSA) is not modelled: no device "
                           "answers, NACK");
            } else {
                ack = bus.start(address_, reading_, t);
            }
            if (!ack) {
                on_nack(t);
                break;
            }
            begin_byte(t);
            break;
        }
        case Phase::data:
            if (reading_) {
                const bool last = dcount_ == 1;
                const uint8_t b = bus.read(!last, t);
                ++bytes_rx_;
                --dcount_;
                if (rx_fifo_.size() >= fifo_depth_) {
                    // Shift register full and FIFO full: hold SCL low (ROVR, Table 21-12).
                    cur_byte_ = b;
                    rovr_ = true;
                    phase_ = Phase::stall_rx;
                    update_flags(t);
                    break;
                }
                rx_fifo_.push_back(b);
                if (dcount_ == 0)
                    end_of_transfer(t);
                else
                    begin_byte(t);
            } else {
                const bool ack = bus.write(cur_byte_, t);
                ++bytes_tx_;
                --dcount_;
                if (!ack) {
                    on_nack(t);
                    break;
                }
                if (dcount_ == 0)
                    end_of_transfer(t);
                else
                    begin_byte(t);
            }
            break;
        case Phase::stop:
            finish_stop(t);
            break;
        default:
            break;
    }
}

void I2c::request_start(const sc_time& t) {
    if (phase_ == Phase::stop) {
        // Our own STOP is still on the bus: the START follows it.
        start_after_stop_ = true;
        return;
    }
    if (phase_ != Phase::idle && phase_ != Phase::held) return;
    if (phase_ == Phase::idle && bus.external_busy()) {
        // Another master owns the bus: arbitration lost, MST/STP cleared, the module becomes
        // a slave (Table 21-12, AL).
        con_->clear_bits(kConStt | kConStp | kConMst);
        set_events(kIrqAl, t);
        return;
    }
    begin_transfer(t);
}

void I2c::begin_transfer(const sc_time& t) {
    const uint32_t con = con_->get();
    if ((con & kConOpmodeMask) && log().once("opmode"))
        VP_LOG(log(), warning, "CON.OPMODE = {} is reserved on AM335x (only 0, F/S); using F/S",
               (con & kConOpmodeMask) >> kConOpmodeShift);
    reading_ = !(con & kConTrx);
    ten_bit_ = (con & kConXsa) != 0;
    address_ = static_cast<uint8_t>(sa_->get() & kAddr7Mask);
    const uint32_t cnt = cnt_->get() & kCntMask;
    dcount_ = cnt ? cnt : kCntZeroMeans;
    period_ = scl_period();
    tx_active_ = !reading_;
    xdr_fired_ = false;
    rx_ended_ = false;
    rdr_armed_ = false;
    ardy_when_empty_ = false;
    ++transfers_;
    phase_ = Phase::start;
    schedule(t + period_);
    update_flags(t);
}

void I2c::begin_byte(const sc_time& t) {
    if (reading_) {
        phase_ = Phase::data;
        schedule(t + period_ * kSclPerByte);
    } else if (tx_fifo_.empty()) {
        // Shift register and FIFO empty with bytes left: SCL held low (XUDF, Table 21-12).
        phase_ = Phase::stall_tx;
        xudf_ = true;
    } else {
        cur_byte_ = tx_fifo_.front();
        tx_fifo_.pop_front();
        phase_ = Phase::data;
        schedule(t + period_ * kSclPerByte);
    }
    update_flags(t);
}

void I2c::end_of_transfer(const sc_time& t) {
    tx_active_ = false;
    if (con_->get() & kConStp) {
        // DCOUNT reached 0 with STP: a STOP follows (Table 21-25).
        phase_ = Phase::stop;
        stop_ends_transfer_ = true;
        schedule(t + period_);
        update_flags(t);
        return;
    }
    // No STP: SCL held low, the bus stays ours for a repeated START; ARDY once DCOUNT has
    // passed 0 (and, receiving, the RX FIFO is empty) (Table 21-12, ARDY).
    phase_ = Phase::held;
    if (reading_) {
        rx_ended_ = true;
        rdr_armed_ = true;
        ardy_when_empty_ = true;
        update_flags(t);
    } else {
        set_events(kIrqArdy, t);
    }
}

void I2c::finish_stop(const sc_time& t) {
    bus.stop(t);
    phase_ = Phase::idle;
    // MST clears on the STOP, STP once the condition is generated (Table 21-27); the bus
    // is free (BF, BB = 0).
    con_->clear_bits(kConStp | kConMst);
    uint32_t ev = kIrqBf;
    if (stop_ends_transfer_) {
        if (reading_) {
            rx_ended_ = true;
            rdr_armed_ = true;
            ardy_when_empty_ = true;
        } else {
            ev |= kIrqArdy;
        }
    }
    stop_ends_transfer_ = false;
    set_events(ev, t);
    if (start_after_stop_) {
        start_after_stop_ = false;
        if ((con_->get() & (kConEn | kConMst | kConStt)) == (kConEn | kConMst | kConStt))
            request_start(t);
    }
}

void I2c::on_nack(const sc_time& t) {
    // No acknowledge: the core ends the transfer, clears MST and STP and keeps SCL low until
    // the host writes STP (Table 21-12, NACK; Linux omap_i2c_xfer_msg sets CON.STP itself).
    // ARDY follows so that the driver's message completes (i2c-omap omap_i2c_xfer_data
    // completes a NACKed message on ARDY).
    ++nacks_;
    tx_active_ = false;
    phase_ = Phase::held;
    con_->clear_bits(kConMst | kConStp | kConStt);
    set_events(kIrqNack | kIrqArdy, t);
}

void I2c::abort(const sc_time& t) {
    if (phase_ != Phase::idle) bus.release(t);
    phase_ = Phase::idle;
    pending_ = false;
    wake_.cancel();
    start_after_stop_ = false;
    stop_ends_transfer_ = false;
    tx_active_ = false;
    xdr_fired_ = false;
    rx_ended_ = false;
    rdr_armed_ = false;
    ardy_when_empty_ = false;
    rovr_ = false;
    xudf_ = false;
    dcount_ = 0;
    tx_fifo_.clear();
    rx_fifo_.clear();
}

// --- status ------------------------------------------------------------------------------

uint32_t I2c::raw() const {
    uint32_t v = raw_->get() & kIrqLatchedBits;
    if (bus_busy()) v |= kIrqBb;
    if (rovr_) v |= kIrqRovr;
    if (xudf_) v |= kIrqXudf;
    return v;
}

uint32_t I2c::enables() const {
    return ie_set_->get() & kIrqEnableMask;
}

unsigned I2c::tx_threshold() const {
    const unsigned t = ((buf_->get() & kBufTxtrshMask) >> kBufTxtrshShift) + 1;
    return std::min(t, fifo_depth_);
}

unsigned I2c::rx_threshold() const {
    const unsigned t = ((buf_->get() & kBufRxtrshMask) >> kBufRxtrshShift) + 1;
    return std::min(t, fifo_depth_);
}

uint32_t I2c::tx_left_to_write() const {
    const uint32_t cnt = cnt_->get() & kCntMask;
    const uint32_t total = cnt ? cnt : kCntZeroMeans;
    return total > tx_written_ ? total - tx_written_ : 0;
}

void I2c::set_events(uint32_t bits, const sc_time& t) {
    raw_->set_bits(bits & kIrqLatchedBits);
    update_flags(t);
}

void I2c::update_flags(const sc_time& t, bool tx_requests) {
    if (con_->get() & kConEn) {
        const uint32_t buf = buf_->get();
        uint32_t ev = 0;
        // Receive side (TRM 21.3.14.1, 21.3.14.4; Table 21-12 RRDY, RDR, ARDY).
        const unsigned rxl = rx_level();
        const unsigned rxt = rx_threshold();
        if (rxl >= rxt && !(buf & kBufRdmaEn)) ev |= kIrqRrdy;
        if (rdr_armed_ && rx_ended_) {
            if (rxl > 0 && rxl < rxt) {
                ev |= kIrqRdr;
                rdr_armed_ = false;
            } else if (rxl == 0) {
                rdr_armed_ = false;
            }
        }
        if (ardy_when_empty_ && rxl == 0 && phase_ != Phase::stall_rx) {
            ev |= kIrqArdy;
            ardy_when_empty_ = false;
        }
        // Transmit side (Table 21-12 XRDY, XDR): the TX FIFO is below the threshold and
        // the host still has bytes to write. A request is raised when the module needs data
        // (transfer start, a byte leaving the FIFO, the host clearing the flag), not while
        // the host is filling the FIFO.
        if (tx_active_ && tx_requests) {
            const unsigned txl = tx_level();
            const unsigned txt = tx_threshold();
            const uint32_t left = tx_left_to_write();
            if (txl < txt) {
                if (left >= txt) {
                    if (!(buf & kBufXdmaEn)) ev |= kIrqXrdy;
                } else if (left > 0 && !xdr_fired_) {
                    ev |= kIrqXdr;
                    xdr_fired_ = true;
                }
            }
        }
        raw_->set_bits(ev);
        // DMA requests follow the RRDY / XRDY conditions (TRM 21.3.12).
        const bool rx_req = (buf & kBufRdmaEn) && (dmarx_set_->get() & kDmaEnable) && rxl >= rxt;
        const bool tx_req = (buf & kBufXdmaEn) && (dmatx_set_->get() & kDmaEnable) && tx_active_ &&
                            tx_level() < tx_threshold() && tx_left_to_write() > 0;
        dma_rx.write(rx_req, offset_of(t));
        dma_tx.write(tx_req, offset_of(t));
    } else {
        dma_rx.write(false, offset_of(t));
        dma_tx.write(false, offset_of(t));
    }
    update_irq(t);
}

void I2c::update_irq(const sc_time& t) {
    irq.write((raw() & enables()) != 0, offset_of(t));
}

void I2c::sync_views() {
    // The W1C views share their state with the canonical registers.
    status_->set(raw_->get());
    ie_clr_->set(ie_set_->get());
    dmarx_clr_->set(dmarx_set_->get());
    dmatx_clr_->set(dmatx_set_->get());
}

uint32_t I2c::systest_lines() const {
    const uint32_t v = systest_->get();
    const uint32_t tmode = (v & kSystestTmodeMask) >> kSystestTmodeShift;
    if ((v & kSystestStEn) && tmode == kSystestTmodeSdaSclIo) {
        // SDA/SCL I/O mode: the lines follow SCL_O / SDA_O (1 = released, pulled up).
        uint32_t lines = 0;
        if (v & kSystestSclO) lines |= kSystestSclI | kSystestSclIFunc | kSystestSclOFunc;
        if (v & kSystestSdaO) lines |= kSystestSdaI | kSystestSdaIFunc | kSystestSdaOFunc;
        return lines;
    }
    // Functional mode: an idle bus is high (pull-ups, TRM 21.3.2); while a transfer is in
    // progress or we hold SCL low the lines read low (one value per byte, not per bit).
    const uint32_t released = kSystestSclOFunc | kSystestSdaOFunc;
    if (bus.external_busy()) return released;
    if (phase_ == Phase::idle || !(con_->get() & kConEn))
        return released | kSystestSclIFunc | kSystestSdaIFunc;
    return 0;
}

// --- register side effects -------------------------------------------------------------------

void I2c::write_con(uint32_t old, const sc_time& t) {
    const uint32_t v = con_->get();
    if ((old & kConEn) && !(v & kConEn)) {
        partial_reset(t);
        return;
    }
    if (!(v & kConEn)) return;  // in reset: registers are accessible, nothing runs
    const bool active = phase_ == Phase::start || phase_ == Phase::address ||
                        phase_ == Phase::data || phase_ == Phase::stall_tx ||
                        phase_ == Phase::stall_rx;
    if (v & kConStt) {
        if (!(v & kConMst)) {
            if (log().once("slave-stt"))
                VP_LOG(log(), warning, "CON.STT without MST: slave mode is not modelled");
            con_->clear_bits(kConStt);
        } else if (active) {
            if (!(old & kConStt)) {
                if (log().once("stt-busy"))
                    VP_LOG(log(), warning,
                           "CON.STT written during a transfer ignored (SPRUH73 Table 21-27)");
                con_->clear_bits(kConStt);
            }
        } else {
            request_start(t);
        }
    } else if (v & kConStp) {
        if (phase_ == Phase::held) {
            phase_ = Phase::stop;
            stop_ends_transfer_ = false;
            schedule(t + period_);
            update_flags(t);
        } else if (phase_ == Phase::idle) {
            con_->clear_bits(kConStp);  // nothing to stop
        }
        // During a transfer STP is kept: the STOP follows when DCOUNT reaches 0.
    }
    update_flags(t);
}

void I2c::write_buf(const sc_time& t) {
    const uint32_t v = buf_->get();
    if (v & kBufTxfifoClr) {
        tx_fifo_.clear();
        tx_written_ = 0;
    }
    if (v & kBufRxfifoClr) {
        rx_fifo_.clear();
        if (phase_ == Phase::stall_rx) {
            rx_fifo_.push_back(cur_byte_);
            rovr_ = false;
            if (dcount_ == 0)
                end_of_transfer(t);
            else
                begin_byte(t);
        }
    }
    // The FIFO clear bits are self-clearing and read 0 (Table 21-24).
    buf_->clear_bits(kBufTxfifoClr | kBufRxfifoClr);
    const unsigned txt = ((v & kBufTxtrshMask) >> kBufTxtrshShift) + 1;
    const unsigned rxt = ((v & kBufRxtrshMask) >> kBufRxtrshShift) + 1;
    if ((txt > fifo_depth_ || rxt > fifo_depth_) && log().once("threshold"))
        VP_LOG(log(), warning,
               "BUF threshold above the {}-byte FIFO (SPRUH73 Table 21-24: must not exceed the "
               "depth); using {}",
               fifo_depth_, fifo_depth_);
    update_flags(t);
}

void I2c::write_data(const sc_time& t) {
    const uint8_t b = static_cast<uint8_t>(data_->get() & kDataMask);
    if (tx_fifo_.size() >= fifo_depth_) {
        // Write to a full TX FIFO: ignored, AERR (Table 21-26).
        ++access_errors_;
        if (log().once("aerr-tx"))
            VP_LOG(log(), warning, "DATA write with the TX FIFO full: ignored (AERR)");
        set_events(kIrqAerr, t);
        return;
    }
    tx_fifo_.push_back(b);
    ++tx_written_;
    xudf_ = false;  // "XUDF is clear when writing I2C_DATA"
    if (phase_ == Phase::stall_tx)
        begin_byte(t);
    else
        update_flags(t, false);
}

uint32_t I2c::read_data(const sc_time& t) {
    if (rx_fifo_.empty()) {
        // Read of an empty RX FIFO: the previous data again, AERR (Table 21-26).
        ++access_errors_;
        if (log().once("aerr-rx"))
            VP_LOG(log(), warning, "DATA read with the RX FIFO empty: previous byte, AERR");
        set_events(kIrqAerr, t);
        return last_read_;
    }
    last_read_ = rx_fifo_.front();
    rx_fifo_.pop_front();
    rovr_ = false;  // "ROVR is clear when reading I2C_DATA"
    if (phase_ == Phase::stall_rx) {
        rx_fifo_.push_back(cur_byte_);
        if (dcount_ == 0)
            end_of_transfer(t);
        else
            begin_byte(t);
    } else {
        update_flags(t);
    }
    return last_read_;
}

void I2c::write_systest(uint32_t old, const sc_time& t) {
    uint32_t v = systest_->get();
    if (!(v & kSystestStEn)) {
        v &= kSystestWritableNormal;
        systest_->set(v);
    }
    if ((v & kSystestStEn) && (v & kSystestSsb) && !(old & kSystestSsb))
        raw_->set_bits(kIrqSsbBits);  // SSB sets status bits 5:0 (Table 21-33)
    const uint32_t tmode = (v & kSystestTmodeMask) >> kSystestTmodeShift;
    if ((v & kSystestStEn) && tmode != 0 && tmode != kSystestTmodeSdaSclIo && log().once("tmode"))
        VP_LOG(log(), warning, "SYSTEST.TMODE = {} (test/loop-back mode) is not modelled", tmode);
    update_irq(t);
}

void I2c::partial_reset(const sc_time& t) {
    // CON.I2C_EN = 0: FIFOs cleared, status bits to their defaults; configuration registers
    // keep their values (Table 21-27, I2C_EN).
    abort(t);
    raw_->set(0);
    update_flags(t);
}

void I2c::soft_reset(const sc_time& t) {
    // SYSC.SRST: the whole module as for a hardware reset, SYSC included (Table 21-11).
    Peripheral::reset();
    reset_state(t);
}

void I2c::reset_state(const sc_time& t) {
    abort(t);
    tx_written_ = 0;
    last_read_ = 0;
    cur_byte_ = 0;
    update_flags(t);
}

void I2c::reset() {
    Peripheral::reset();
    reset_state(sc_core::sc_time_stamp());
}

}  // namespace vp
