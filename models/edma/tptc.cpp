#include "models/edma/tptc.h"

#include <algorithm>
#include <stdexcept>

#include "models/core/tlm_util.h"

namespace vp {

using namespace edma;

namespace {

bool valid_burst(unsigned bytes) {
    return bytes == 16 || bytes == 32 || bytes == 64 || bytes == 128;
}

bool power_of_two(uint32_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

// Table 11-22: largest BCNT the TC folds into one array.
constexpr unsigned kOptimiseMaxBcnt = 1023;

// RDRATE codes 1..4: 4, 8, 16, 32 cycles between read commands (§11.4.2.10).
constexpr unsigned kRdRateBaseCycles = 4;

// SAOPT .. SADSTBREF in sa_[] order, and the DF set registers in df_[n][] order.
constexpr uint32_t kSaOffsets[9] = {kSaOpt,    kSaSrc,    kSaCnt,     kSaDst,    kSaBidx,
                                    kSaMpprxy, kSaCntrld, kSaSrcBref, kSaDstBref};
constexpr const char* kSaNames[9] = {"SAOPT",    "SASRC",    "SACNT",     "SADST",    "SABIDX",
                                     "SAMPPRXY", "SACNTRLD", "SASRCBREF", "SADSTBREF"};
constexpr uint32_t kDfOffsets[6] = {kDfOpt, kDfSrc, kDfCnt, kDfDst, kDfBidx, kDfMpprxy};
constexpr const char* kDfNames[6] = {"DFOPT", "DFSRC", "DFCNT", "DFDST", "DFBIDX", "DFMPPRXY"};

constexpr unsigned kMaxBurstBytes = 128;  // the largest DBS

// One side (read or write) of a TR: BCNT arrays of ACNT bytes BIDX apart, cut into commands by
// the rules of §11.3.12.1.1 / Table 11-22:
//   - a 2D side with ACNT <= DBS, ACNT a power of 2, BIDX == ACNT, BCNT <= 1023 and
//     increment addressing is one array of ACNT x BCNT bytes ("optimised");
//   - an array no longer than DBS is one command;
//   - a longer array is cut into commands of at most DBS bytes, the first one ending on a DBS
//     boundary (Example 11-4: ACNT 128 from address 63 with DBS 64 reads 1, 64, 63 bytes);
//   - constant addressing (SAM/DAM) issues one command per FIFO-width word, the address
//     wrapping at the FIFO width.
class Cursor {
  public:
    struct Command {
        uint32_t addr;
        unsigned len;
    };
    Cursor(uint32_t base, int16_t bidx, uint16_t acnt, uint16_t bcnt, bool constant, unsigned fwid,
           unsigned dbs)
        : base_(base), bidx_(bidx), len_(acnt), constant_(constant), fwid_(fwid), dbs_(dbs) {
        if (bcnt > 1 && acnt <= dbs && power_of_two(acnt) && bidx == acnt &&
            bcnt <= kOptimiseMaxBcnt && !constant) {
            len_ = static_cast<uint32_t>(acnt) * bcnt;  // one array: array_ stays 0
        }
    }
    Command next() const {
        const uint32_t start = base_ + static_cast<uint32_t>(static_cast<int32_t>(array_) * bidx_);
        const uint32_t left = len_ - off_;
        if (constant_) {
            const uint32_t in_word = fwid_ - (off_ % fwid_);
            return {start + (off_ % fwid_), std::min({left, in_word, dbs_})};
        }
        const uint32_t addr = start + off_;
        if (len_ <= dbs_) return {addr, left};
        return {addr, std::min(left, dbs_ - (addr % dbs_))};
    }
    void advance(unsigned n) {
        off_ += n;
        if (off_ == len_) {
            off_ = 0;
            ++array_;
        }
    }

  private:
    uint32_t base_;
    int32_t bidx_;
    uint32_t len_;
    bool constant_;
    uint32_t fwid_;
    uint32_t dbs_;
    uint32_t array_ = 0;
    uint32_t off_ = 0;
};

uint32_t sa_opt(const EdmaTransferRequest& tr) {
    return (tr.opt & kSaOptKeep) | ((tr.priority & 0x7u) << kSaOptPriShift);
}
uint32_t counts(const EdmaTransferRequest& tr) {
    return static_cast<uint32_t>(tr.acnt) | (static_cast<uint32_t>(tr.bcnt) << 16);
}
uint32_t bidx(const EdmaTransferRequest& tr) {
    return static_cast<uint16_t>(tr.src_bidx) |
           (static_cast<uint32_t>(static_cast<uint16_t>(tr.dst_bidx)) << 16);
}

}  // namespace

EdmaTptc::EdmaTptc(sc_core::sc_module_name name, const EdmaTptcParams& p)
    : Peripheral(name, kTptcWindowSize, p.stat_prefix),
      initiator("initiator"),
      irq_error(std::string(this->name()) + ".irq_error"),
      params_(p),
      dbs_(p.default_burst_bytes),
      trs_(stat_prefix() + ".trs", "transfer requests executed"),
      read_cmds_(stat_prefix() + ".dma_reads", "read commands issued"),
      write_cmds_(stat_prefix() + ".dma_writes", "write commands issued"),
      bytes_(stat_prefix() + ".dma_bytes", "bytes moved"),
      bus_errors_(stat_prefix() + ".bus_errors", "read or write commands answered with an error") {
    if (!valid_burst(p.default_burst_bytes))
        throw std::invalid_argument(std::string(this->name()) +
                                    ": default_burst_bytes must be 16, 32, 64 or 128, got " +
                                    std::to_string(p.default_burst_bytes));
    if (p.clock_hz == 0)
        throw std::invalid_argument(std::string(this->name()) + ": clock_hz must be > 0");
    if (p.fifo_bytes < 2 * p.default_burst_bytes)
        throw std::invalid_argument(std::string(this->name()) + ": fifo_bytes (" +
                                    std::to_string(p.fifo_bytes) +
                                    ") must hold two bursts of default_burst_bytes");
    period_ = sc_core::sc_time(1e12 / static_cast<double>(p.clock_hz), sc_core::SC_PS);

    RegisterBank& r = regs();
    // §11.4.2.1-2: identification and configuration, read-only.
    r.add("PID", kTcPid, kTcPidReset).ro();
    r.add("TCCFG", kTcCfg, kTcCfgReset)
        .ro()
        .field("FIFOSIZE", 0, 3)
        .field("BUSWIDTH", 4, 2)
        .field("DREGDEPTH", 8, 2);
    // §11.4.2.3: no SOFTRESET on the TPTC (bits 1:0 reserved); the idle/standby handshakes
    // with the PRCM are not modelled.
    r.add("SYSCONFIG", kTcSysconfig, kTcSysconfigReset)
        .writable(kTcSysconfigWritable)
        .unimplemented("IDLEMODE", 2, 2)
        .unimplemented("STANDBYMODE", 4, 2);
    tcstat_ = &r.add("TCSTAT", kTcStat, kTcStatReset)
                   .ro()
                   .field("PROGBUSY", 0, 1)
                   .field("SRCACTV", 1, 1)
                   .field("WSACTV", 2, 1)
                   .field("DSTACTV", 4, 3)
                   .field("DFSTRTPTR", 12, 2);
    errstat_ = &r.add("ERRSTAT", kErrStat)
                    .ro()
                    .field("BUSERR", 0, 1)
                    .field("TRERR", 2, 1)
                    .field("MMRAERR", 3, 1);
    erren_ =
        &r.add("ERREN", kErrEn).writable(kErrMask).on_write([this](Register&, uint32_t, uint32_t) {
            update_irq(access_offset());
        });
    r.add("ERRCLR", kErrClr).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        const uint32_t bits = v & kErrMask;
        errstat_->clear_bits(bits);
        // §11.4.2.7: clearing BUSERR also clears ERRDET; TRERR/MMRAERR leave it.
        if (bits & kErrBuserr) errdet_->set(0);
        update_irq(access_offset());
    });
    errdet_ = &r.add("ERRDET", kErrDet)
                   .ro()
                   .field("STAT", 0, 4)
                   .field("TCC", 8, 6)
                   .field("TCINTEN", 16, 1)
                   .field("TCCHEN", 17, 1);
    r.add("ERRCMD", kErrCmd).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        // §11.4.2.9: EVAL pulses the error line if any ERRSTAT bit is still set.
        if (!(v & kEvalBit)) return;
        const sc_core::sc_time& off = access_offset();
        if (errstat_->get() & erren_->get() & kErrMask) {
            irq_error.write(false, off);
            irq_error.write(true, off);
        }
    });
    rdrate_ =
        &r.add("RDRATE", kRdRate)
             .writable(kRdRateMask)
             .on_write([this](Register& reg, uint32_t, uint32_t) {
                 if ((reg.get() & kRdRateMask) > kRdRateMaxCode &&
                     log().once("rdrate:" + std::to_string(reg.get())))
                     VP_LOG(log(), warning,
                            "RDRATE {} is reserved: reads issued as fast as possible", reg.get());
             });
    // §11.4.2.11-22: the source active set and the destination FIFO sets show the TRs the TC
    // holds (read-only, for debugging).
    for (unsigned i = 0; i < 9; ++i)
        sa_[i] = &r.add(kSaNames[i], kSaOffsets[i]).ro();
    r.add("DFCNTRLD", kDfCntrld).ro();
    r.add("DFSRCBREF", kDfSrcBref).ro();
    r.add("DFDSTBREF", kDfDstBref).ro();
    for (unsigned n = 0; n < kDfSets; ++n)
        for (unsigned i = 0; i < 6; ++i)
            df_[n][i] = &r.add(std::string(kDfNames[i]) + std::to_string(n),
                               kDfBase + kDfStride * n + kDfOffsets[i])
                             .ro();

    fifo_.reserve(p.fifo_bytes);
    clock_enable.on_change([this](bool on, const sc_core::sc_time& off) {
        if (on) clock_on_.notify(off);
    });
    SC_THREAD(run);
}

void EdmaTptc::set_default_burst(unsigned bytes) {
    if (!valid_burst(bytes) || params_.fifo_bytes < 2 * bytes)
        throw std::invalid_argument(std::string(name()) + ": default burst " +
                                    std::to_string(bytes) +
                                    " bytes (must be 16, 32, 64 or 128 and fit the FIFO twice)");
    dbs_ = bytes;
}

void EdmaTptc::reset() {
    Peripheral::reset();
    held_.clear();
    active_ = false;
    reading_ = false;
    ++generation_;
    df_start_ = 0;
    next_read_ = sc_core::SC_ZERO_TIME;
    irq_error.write(false);
}

void EdmaTptc::submit(const EdmaTransferRequest& tr) {
    held_.push_back(tr);
    update_status();
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    submitted_.notify(tr.ready > now ? tr.ready - now : sc_core::SC_ZERO_TIME);
}

void EdmaTptc::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    const bool clocked = clock_enable.read();
    const sc_core::sc_time offset = delay;
    Peripheral::b_transport(p, delay);
    // §11.4.2.5: an access to an address of the configuration map that holds no register.
    if (clocked && p.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE)
        set_error(kErrMmraerr, offset);
}

void EdmaTptc::run() {
    for (;;) {
        if (held_.empty()) {
            wait(submitted_);
            continue;
        }
        const sc_core::sc_time now = sc_core::sc_time_stamp();
        if (held_.front().ready > now) {  // submitted with the trigger's offset
            wait(held_.front().ready - now, submitted_);
            continue;
        }
        // A gated TC does not run (CM_PER_TPTCn_CLKCTRL.MODULEMODE = 0).
        if (!clock_enable.read()) {
            wait(clock_on_);
            continue;
        }
        const EdmaTransferRequest tr = held_.front();
        const uint64_t gen = generation_;
        active_ = true;
        load_active_set(tr);
        update_status();
        execute(tr);
        if (gen != generation_) continue;  // reset() during the transfer: drop it
        held_.pop_front();
        active_ = false;
        df_[df_start_][2]->set(0);  // DFCNT: nothing left to write
        df_start_ = (df_start_ + 1) % kDfSets;
        update_status();
        ++trs_;
        if (complete_) complete_(tr);
    }
}

void EdmaTptc::load_active_set(const EdmaTransferRequest& tr) {
    sa_[0]->set(sa_opt(tr));
    sa_[1]->set(tr.src);
    sa_[2]->set(counts(tr));
    sa_[3]->set(tr.dst);
    sa_[4]->set(bidx(tr));
    sa_[6]->set(counts(tr));  // SACNTRLD: the counts as programmed
    sa_[7]->set(tr.src);      // SASRCBREF
    sa_[8]->set(tr.dst);      // SADSTBREF
    Register* const* df = df_[df_start_];
    df[0]->set(sa_opt(tr));
    df[1]->set(0);  // "Source address is not applicable for Destination FIFO Register Set"
    df[2]->set(counts(tr));
    df[3]->set(tr.dst);
    df[4]->set(bidx(tr));
}

void EdmaTptc::update_status() {
    uint32_t v = kTcStatReset;
    const size_t waiting = held_.size() - (active_ ? 1 : 0);
    if (waiting) v |= kTcStatProgbusy;
    if (reading_) v |= kTcStatSrcactv;
    if (active_) v |= 1u << kTcStatDstactvShift;
    v |= df_start_ << kTcStatDfstrtptrShift;
    tcstat_->set(v);
}

void EdmaTptc::execute(const EdmaTransferRequest& tr) {
    const bool sam = tr.opt & kOptSam;
    const bool dam = tr.opt & kOptDam;
    const unsigned fwid_code = (tr.opt & kOptFwidMask) >> kOptFwidShift;
    // §11.3.3.8 / §11.3.12.3: constant addressing needs 32-byte aligned addresses and BIDX.
    const bool bad_const =
        (sam && ((tr.src % kConstAlignBytes) || (tr.src_bidx % kConstAlignBytes))) ||
        (dam && ((tr.dst % kConstAlignBytes) || (tr.dst_bidx % kConstAlignBytes)));
    if (bad_const || tr.acnt == 0 || tr.bcnt == 0 || ((sam || dam) && fwid_code > kFwidMaxCode)) {
        if (log().once("trerr"))
            VP_LOG(log(), warning,
                   "TR on channel {} violates the TR rules (ACNT/BCNT 0, or constant "
                   "addressing not 32-byte aligned / reserved FWID): TRERR, no data moved",
                   tr.channel);
        set_error(kErrTrerr, sc_core::SC_ZERO_TIME);
        return;
    }
    const unsigned fwid = 1u << fwid_code;  // bytes
    Cursor rd(tr.src, tr.src_bidx, tr.acnt, tr.bcnt, sam, fwid, dbs_);
    Cursor wr(tr.dst, tr.dst_bidx, tr.acnt, tr.bcnt, dam, fwid, dbs_);
    const uint64_t total = tr.bytes();
    const unsigned ring = params_.fifo_bytes;
    fifo_.assign(ring, 0);
    uint8_t cmd[kMaxBurstBytes];
    uint64_t r = 0;  // stream offsets: bytes read / written so far
    uint64_t w = 0;
    while (w < total) {
        // Reads run ahead of the writes as far as the FIFO allows.
        reading_ = r < total;
        update_status();
        while (r < total) {
            const Cursor::Command c = rd.next();
            if ((r - w) + c.len > ring) break;
            const unsigned code = rdrate_->get() & kRdRateMask;
            if (code != 0 && code <= kRdRateMaxCode) {
                const sc_core::sc_time now = sc_core::sc_time_stamp();
                if (next_read_ > now) wait(next_read_ - now);
                next_read_ = sc_core::sc_time_stamp() + period_ * (kRdRateBaseCycles << (code - 1));
            }
            issue(tlm::TLM_READ_COMMAND, c.addr, cmd, c.len, tr);
            for (unsigned i = 0; i < c.len; ++i)
                fifo_[(r + i) % ring] = cmd[i];
            rd.advance(c.len);
            r += c.len;
        }
        reading_ = false;
        update_status();
        // Writes drain what has been read, command by command.
        while (w < total) {
            const Cursor::Command c = wr.next();
            if (w + c.len > r) break;
            for (unsigned i = 0; i < c.len; ++i)
                cmd[i] = fifo_[(w + i) % ring];
            issue(tlm::TLM_WRITE_COMMAND, c.addr, cmd, c.len, tr);
            wr.advance(c.len);
            w += c.len;
        }
    }
}

void EdmaTptc::issue(tlm::tlm_command cmd, uint32_t addr, uint8_t* data, unsigned len,
                     const EdmaTransferRequest& tr) {
    setup_payload(payload_, cmd, addr, data, len);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    initiator->b_transport(payload_, delay);
    const bool read = cmd == tlm::TLM_READ_COMMAND;
    if (read)
        ++read_cmds_;
    else
        ++write_cmds_;
    bytes_ += read ? 0 : len;
    // The TC's own time: the next command starts when this one is done.
    if (delay > sc_core::SC_ZERO_TIME) wait(delay);
    if (payload_.get_response_status() != tlm::TLM_OK_RESPONSE) {
        ++bus_errors_;
        if (log().once(std::string("buserr:") + (read ? "r" : "w")))
            VP_LOG(log(), warning, "{} of {} bytes at {:#010x} (channel {}) got {}: BUSERR",
                   read ? "read" : "write", len, addr, tr.channel,
                   response_name(payload_.get_response_status()));
        // §11.4.2.8: ERRDET keeps the status code and the TR's completion settings.
        errdet_->set((read ? kErrDetStatRead : kErrDetStatWrite) | (tr.tcc() << kErrDetTccShift) |
                     ((tr.opt & kOptTcinten) ? kErrDetTcinten : 0) |
                     ((tr.opt & kOptTcchen) ? kErrDetTcchen : 0));
        set_error(kErrBuserr, sc_core::SC_ZERO_TIME);
    }
}

void EdmaTptc::set_error(uint32_t bits, const sc_core::sc_time& offset) {
    errstat_->set_bits(bits & kErrMask);
    update_irq(offset);
}

void EdmaTptc::update_irq(const sc_core::sc_time& offset) {
    irq_error.write((errstat_->get() & erren_->get() & kErrMask) != 0, offset);
}

}  // namespace vp
