#include "models/edma/tpcc.h"

#include <stdexcept>

namespace vp {

using namespace edma;

namespace {

constexpr const char* kParamWordNames[kParamWords] = {
    "OPT", "SRC", "A_B_CNT", "DST", "SRC_DST_BIDX", "LINK_BCNTRLD", "SRC_DST_CIDX", "CCNT"};

// Evaluation steps one register access or completion may cause before the model assumes a
// loop of dummy sets chained and linked to themselves (which the hardware would run forever)
// and leaves the rest pending.
constexpr unsigned kMaxEvaluationSteps = 4096;

constexpr uint32_t kCountMask = 0xFFFF;
constexpr unsigned kHighShift = 16;

uint32_t lo16(uint32_t v) {
    return v & kCountMask;
}
uint32_t hi16(uint32_t v) {
    return v >> kHighShift;
}
int32_t slo16(uint32_t v) {
    return static_cast<int16_t>(v & kCountMask);
}
int32_t shi16(uint32_t v) {
    return static_cast<int16_t>(v >> kHighShift);
}

}  // namespace

struct EdmaTpcc::ChanDesc {
    const char* name;
    uint32_t offset;
    Chan reg;
    unsigned half;
    RegAccess policy;
};

uint64_t EdmaTpcc::Bits64::get() const {
    return static_cast<uint64_t>(half[0]->get()) | (static_cast<uint64_t>(half[1]->get()) << 32);
}

void EdmaTpcc::Bits64::set(uint64_t v) {
    half[0]->set(static_cast<uint32_t>(v));
    half[1]->set(static_cast<uint32_t>(v >> 32));
}

EdmaTpcc::EdmaTpcc(sc_core::sc_module_name name, const EdmaTpccParams& p)
    : Peripheral(name, kTpccWindowSize, p.stat_prefix),
      irq_completion(irq_region[0]),
      irq_error(std::string(this->name()) + ".irq_error"),
      irq_mperr(std::string(this->name()) + ".irq_mperr"),
      params_(p),
      trs_(stat_prefix() + ".trs", "transfer requests submitted to the TCs"),
      missed_(stat_prefix() + ".events_missed", "events latched in EMR/QEMR"),
      null_trs_(stat_prefix() + ".null_trs", "triggers serviced on a NULL PaRAM set"),
      dummy_trs_(stat_prefix() + ".dummy_trs", "triggers serviced on a dummy PaRAM set"),
      completions_(stat_prefix() + ".completions", "completion codes latched in IPR"),
      chained_(stat_prefix() + ".chained", "completion codes chained to CER") {
    for (unsigned r = 0; r < kNumRegions; ++r)
        irq_region[r].set_name(std::string(this->name()) + ".irq_region" + std::to_string(r));
    for (unsigned ch = 0; ch < kNumDmaChannels; ++ch) {
        dma_events_[ch].set_name(std::string(this->name()) + ".event" + std::to_string(ch));
        dma_events_[ch].on_change([this, ch](bool level, const sc_core::sc_time& off) {
            if (level && event_source_[ch] == 0) hw_event(ch, off);
        });
    }
    // Crossbar inputs (Table 11-25): one input may feed several channels.
    for (unsigned k = 1; k < kNumDmaChannels; ++k) {
        crossbar_events_[k].set_name(std::string(this->name()) + ".xbar_event" + std::to_string(k));
        crossbar_events_[k].on_change([this, k](bool level, const sc_core::sc_time& off) {
            if (!level) return;
            for (unsigned ch = 0; ch < kNumDmaChannels; ++ch)
                if (event_source_[ch] == k) hw_event(ch, off);
        });
    }
    qstart_.fill(kQstatReset & kQstatStrtptrMask);
    declare_global();
    declare_channel_block(-1);
    for (unsigned r = 0; r < kNumRegions; ++r)
        declare_channel_block(static_cast<int>(r));
    declare_param();
    // The PaRAM accepts 8/16-bit accesses (Linux's ARM memcpy_toio writes a set byte by
    // byte); the other registers are 32-bit only.
}

void EdmaTpcc::declare_global() {
    RegisterBank& r = regs();
    // §11.4.1.1-3.
    r.add("PID", kPid, kPidReset).ro();
    r.add("CCCFG", kCccfg, kCccfgReset)
        .ro()
        .field("NUM_DMACH", 0, 3)
        .field("NUM_QDMACH", 4, 3)
        .field("NUM_INTCH", 8, 3)
        .field("NUM_PAENTRY", 12, 3)
        .field("NUM_EVQUE", 16, 3)
        .field("NUM_REGN", 20, 2)
        .field("CHMAP_EXIST", 24, 1)
        .field("MP_EXIST", 25, 1);
    // No SOFTRESET and no SYSSTATUS on the TPCC: SYSCONFIG bits 1:0 are reserved.
    r.add("SYSCONFIG", kSysconfig, kTpccSysconfigReset)
        .writable(kSysconfigIdlemodeMask)
        .unimplemented("IDLEMODE", kSysconfigIdlemodeShift, 2);
    // §11.4.1.4-8: channel → PaRAM set, QDMA channel → set + trigger word, channel → queue.
    for (unsigned ch = 0; ch < kNumDmaChannels; ++ch)
        dchmap_[ch] = &r.add("DCHMAP_" + std::to_string(ch), kDchmap + 4 * ch)
                           .writable(kDchmapPaentryMask)
                           .field("PAENTRY", kDchmapPaentryShift, 9);
    for (unsigned q = 0; q < kNumQdmaChannels; ++q)
        qchmap_[q] = &r.add("QCHMAP_" + std::to_string(q), kQchmap + 4 * q)
                          .writable(kQchmapWritable)
                          .field("TRWORD", kQchmapTrwordShift, 3)
                          .field("PAENTRY", kDchmapPaentryShift, 9);
    for (unsigned n = 0; n < kNumDmaChannels / kChannelsPerDmaqnum; ++n)
        dmaqnum_[n] =
            &r.add("DMAQNUM_" + std::to_string(n), kDmaqnum + 4 * n).writable(kDmaqnumWritable);
    qdmaqnum_ = &r.add("QDMAQNUM", kQdmaqnum).writable(kDmaqnumWritable);
    quepri_ = &r.add("QUEPRI", kQuepri, kQuepriReset)
                   .writable(kQuepriWritable)
                   .field("PRIQ0", 0, 3)
                   .field("PRIQ1", 4, 3)
                   .field("PRIQ2", 8, 3);
    // §11.4.1.9-17: error registers.
    const auto refresh_irqs = [this](Register&, uint32_t, uint32_t) {
        update_irqs(access_offset());
    };
    emr_.half[0] = &r.add("EMR", kEmr).ro();
    emr_.half[1] = &r.add("EMRH", kEmrh).ro();
    r.add("EMCR", kEmcr).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        emr_.half[0]->clear_bits(v);
        update_irqs(access_offset());
    });
    r.add("EMCRH", kEmcrh).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        emr_.half[1]->clear_bits(v);
        update_irqs(access_offset());
    });
    qemr_ = &r.add("QEMR", kQemr).ro();
    r.add("QEMCR", kQemcr).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        qemr_->clear_bits(v & kQdmaMask);
        update_irqs(access_offset());
    });
    ccerr_ = &r.add("CCERR", kCcerr)
                  .ro()
                  .field("QTHRXCD0", 0, 1)
                  .field("QTHRXCD1", 1, 1)
                  .field("QTHRXCD2", 2, 1)
                  .field("TCCERR", 16, 1);
    r.add("CCERRCLR", kCcerrclr).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        const uint32_t bits = v & kCcerrMask;
        ccerr_->clear_bits(bits);
        // §11.4.1.16: QTHRXCDn also clears QSTATn.WM and .THRXCD.
        for (unsigned q = 0; q < kNumQueues; ++q) {
            if (!(bits & (kCcerrQthrxcd0 << q))) continue;
            threshold_hit_[q] = false;
            watermark_[q] = static_cast<unsigned>(queues_[q].size());
            update_queue_status(q);
        }
        // The TCC limit may have eased in the meantime: retry waiting TRs.
        evaluate(access_offset());
    });
    r.add("EEVAL", kEeval).wo().writable(0).on_write([this](Register&, uint32_t v, uint32_t) {
        if (!(v & kEvalBit)) return;
        // §11.3.9.4: EVAL clears the interrupt to the INTC and pulses it again if error bits
        // are still set.
        const sc_core::sc_time& off = access_offset();
        irq_error.write(false, off);
        if (error_pending()) irq_error.write(true, off);
    });
    // §11.4.1.18-34: region access enables.
    for (unsigned n = 0; n < kNumDraeRegisters; ++n) {
        drae_[n][0] = &r.add("DRAE" + std::to_string(n), kDrae + 8 * n).on_write(refresh_irqs);
        drae_[n][1] = &r.add("DRAEH" + std::to_string(n), kDrae + 8 * n + 4).on_write(refresh_irqs);
    }
    for (unsigned n = 0; n < kNumDraeRegisters; ++n)
        qrae_[n] = &r.add("QRAE_" + std::to_string(n), kQrae + 4 * n).writable(kQdmaMask);
    // §11.4.1.35-85: queue entries, queue status, thresholds, CC status.
    for (unsigned q = 0; q < kNumQueues; ++q)
        for (unsigned e = 0; e < kQueueDepth; ++e)
            qentry_[q][e] = &r.add("Q" + std::to_string(q) + "E" + std::to_string(e),
                                   kQueueEntry + 0x40 * q + 4 * e)
                                 .ro()
                                 .field("ENUM", 0, 6)
                                 .field("ETYPE", kQueueEntryEtypeShift, 2);
    for (unsigned q = 0; q < kNumQueues; ++q)
        qstat_[q] = &r.add("QSTAT_" + std::to_string(q), kQstat + 4 * q, kQstatReset)
                         .ro()
                         .field("STRTPTR", 0, 4)
                         .field("NUMVAL", kQstatNumvalShift, 5)
                         .field("WM", kQstatWmShift, 5)
                         .field("THRXCD", 24, 1);
    qwmthra_ = &r.add("QWMTHRA", kQwmthra, kQwmthraReset)
                    .writable(kQwmthraWritable)
                    .field("Q0", 0, 5)
                    .field("Q1", 8, 5)
                    .field("Q2", 16, 5);
    const auto ccstat = [this](Register&) -> uint32_t {
        uint32_t v = 0;
        if ((er_.get() & eer_.get()) | esr_.get() | cer_.get()) v |= kCcstatEvtactv;
        if (qer_->get() & kQdmaMask) v |= kCcstatQevtactv;
        v |= compactv_ << kCcstatCompactvShift;
        bool tc_busy = false;
        for (unsigned q = 0; q < kNumQueues; ++q) {
            if (!queues_[q].empty()) v |= 1u << (kCcstatQueactvShift + q);
            if (tcs_[q] && tcs_[q]->busy()) tc_busy = true;
        }
        // ACTV: any part of the CC active, through the life of a TR (§11.4.1.85).
        if (v || tc_busy) v |= kCcstatActv;
        return v;
    };
    r.add("CCSTAT", kCcstat).ro().on_read(ccstat).on_peek(ccstat);
    // §11.4.1.86-90: memory protection, declared only.
    r.add("MPFAR", kMpfar).ro();
    Register& mpfsr = r.add("MPFSR", kMpfsr).ro();
    Register& mpfar = *r.find("MPFAR");
    r.add("MPFCR", kMpfcr)
        .wo()
        .writable(0)
        .on_write([&mpfsr, &mpfar](Register&, uint32_t v, uint32_t) {
            if (v & kMpfcrMpfclr) {
                mpfar.set(0);
                mpfsr.set(0);
            }
        });
    r.add("MPPAG", kMppag, kMppaReset).writable(kMppaWritable);
    for (unsigned n = 0; n < kNumDraeRegisters; ++n)
        r.add("MPPA_" + std::to_string(n), kMppa + 4 * n, kMppaReset).writable(kMppaWritable);
}

void EdmaTpcc::declare_channel_block(int region) {
    // §11.4.1.91-125 (global) and their shadow-region copies (Linux edma.c SH_*).
    static const ChanDesc kTable[] = {
        {"ER", kEr, Chan::er, 0, RegAccess::ro},
        {"ERH", kErh, Chan::er, 1, RegAccess::ro},
        {"ECR", kEcr, Chan::ecr, 0, RegAccess::wo},
        {"ECRH", kEcrh, Chan::ecr, 1, RegAccess::wo},
        {"ESR", kEsr, Chan::esr, 0, RegAccess::w1s},
        {"ESRH", kEsrh, Chan::esr, 1, RegAccess::w1s},
        {"CER", kCer, Chan::cer, 0, RegAccess::ro},
        {"CERH", kCerh, Chan::cer, 1, RegAccess::ro},
        {"EER", kEer, Chan::eer, 0, RegAccess::ro},
        {"EERH", kEerh, Chan::eer, 1, RegAccess::ro},
        {"EECR", kEecr, Chan::eecr, 0, RegAccess::wo},
        {"EECRH", kEecrh, Chan::eecr, 1, RegAccess::wo},
        {"EESR", kEesr, Chan::eesr, 0, RegAccess::wo},
        {"EESRH", kEesrh, Chan::eesr, 1, RegAccess::wo},
        {"SER", kSer, Chan::ser, 0, RegAccess::ro},
        {"SERH", kSerh, Chan::ser, 1, RegAccess::ro},
        {"SECR", kSecr, Chan::secr, 0, RegAccess::wo},
        {"SECRH", kSecrh, Chan::secr, 1, RegAccess::wo},
        {"IER", kIer, Chan::ier, 0, RegAccess::ro},
        {"IERH", kIerh, Chan::ier, 1, RegAccess::ro},
        {"IECR", kIecr, Chan::iecr, 0, RegAccess::wo},
        {"IECRH", kIecrh, Chan::iecr, 1, RegAccess::wo},
        {"IESR", kIesr, Chan::iesr, 0, RegAccess::wo},
        {"IESRH", kIesrh, Chan::iesr, 1, RegAccess::wo},
        {"IPR", kIpr, Chan::ipr, 0, RegAccess::ro},
        {"IPRH", kIprh, Chan::ipr, 1, RegAccess::ro},
        {"ICR", kIcr, Chan::icr, 0, RegAccess::wo},
        {"ICRH", kIcrh, Chan::icr, 1, RegAccess::wo},
        {"IEVAL", kIeval, Chan::ieval, 0, RegAccess::wo},
        {"QER", kQer, Chan::qer, 0, RegAccess::ro},
        {"QEER", kQeer, Chan::qeer, 0, RegAccess::ro},
        {"QEECR", kQeecr, Chan::qeecr, 0, RegAccess::wo},
        {"QEESR", kQeesr, Chan::qeesr, 0, RegAccess::wo},
        {"QSER", kQser, Chan::qser, 0, RegAccess::ro},
        {"QSECR", kQsecr, Chan::qsecr, 0, RegAccess::wo},
    };
    const uint32_t base = region < 0 ? kGlobalChannelBase
                                     : kShadowBase + kShadowStride * static_cast<uint32_t>(region);
    const std::string prefix = region < 0 ? "" : "SH" + std::to_string(region) + "_";
    for (const ChanDesc& d : kTable) {
        Register& reg = regs().add(prefix + d.name, base + d.offset).access(d.policy).writable(0);
        // Writes act through chan_write (the stored value of a global register is changed by
        // the model, never directly by the policy: writable(0)).
        reg.on_write([this, d, region](Register&, uint32_t v, uint32_t) {
            chan_write(d.reg, d.half, v & region_mask(d.reg, d.half, region), region);
        });
        if (region >= 0) {
            // A shadow register shows the global one through DRAEr/DRAEHr (QRAEr).
            const auto view = [this, d, region](Register&) {
                return chan_view(d.reg, d.half, region);
            };
            reg.on_read(view).on_peek(view);
            continue;
        }
        Register* g = &reg;
        switch (d.reg) {
            case Chan::er:
                er_.half[d.half] = g;
                break;
            case Chan::esr:
                esr_.half[d.half] = g;
                break;
            case Chan::cer:
                cer_.half[d.half] = g;
                break;
            case Chan::eer:
                eer_.half[d.half] = g;
                break;
            case Chan::ser:
                ser_.half[d.half] = g;
                break;
            case Chan::ier:
                ier_.half[d.half] = g;
                break;
            case Chan::ipr:
                ipr_.half[d.half] = g;
                break;
            case Chan::qer:
                qer_ = g;
                break;
            case Chan::qeer:
                qeer_ = g;
                break;
            case Chan::qser:
                qser_ = g;
                break;
            default:
                break;
        }
    }
}

void EdmaTpcc::declare_param() {
    // §11.3.3.1, Table 11-6. PaRAM is RAM: its content after reset is not given by the TRM;
    // the model clears it (Linux writes every set with its dummy set at probe anyway).
    for (unsigned set = 0; set < kNumParamSets; ++set) {
        for (unsigned w = 0; w < kParamWords; ++w) {
            Register& reg = regs()
                                .add("PARAM" + std::to_string(set) + "_" + kParamWordNames[w],
                                     kParamBase + kParamSetBytes * set + 4 * w)
                                .sizes(kSizeAny)
                                .on_write([this, set, w](Register&, uint32_t, uint32_t) {
                                    param_written(set, w);
                                });
            if (w == kPOpt) reg.writable(kOptWritable);
            if (w == kPCcnt) reg.writable(kCcntWritable);
            param_[set * kParamWords + w] = &reg;
        }
    }
}

void EdmaTpcc::connect_tc(unsigned queue, EdmaTptc& tc) {
    if (queue >= kNumQueues)
        throw std::out_of_range(std::string(name()) + ": event queue " + std::to_string(queue) +
                                " does not exist (queues 0-2)");
    tcs_[queue] = &tc;
    tc.on_complete([this](const EdmaTransferRequest& tr) { tr_done(tr); });
}

Wire& EdmaTpcc::dma_event(unsigned n) {
    if (n >= kNumDmaChannels)
        throw std::out_of_range(std::string(name()) + ": DMA event " + std::to_string(n) +
                                " does not exist (events 0-63)");
    return dma_events_[n];
}

Wire& EdmaTpcc::crossbar_event(unsigned k) {
    if (k == 0 || k >= kNumDmaChannels)
        throw std::out_of_range(std::string(name()) + ": crossbar event " + std::to_string(k) +
                                " does not exist (inputs 1-63; 0 selects the direct event)");
    return crossbar_events_[k];
}

bool EdmaTpcc::source_level(unsigned n) const {
    const unsigned k = event_source_[n];
    return k == 0 ? dma_events_[n].read() : crossbar_events_[k].read();
}

void EdmaTpcc::select_event_source(unsigned n, unsigned k, const sc_core::sc_time& offset) {
    if (n >= kNumDmaChannels || k >= kNumDmaChannels)
        throw std::out_of_range(std::string(name()) + ": event source " + std::to_string(k) +
                                " for DMA event " + std::to_string(n) +
                                " (events 0-63, sources 0 = direct, 1-63 = crossbar)");
    const bool before = source_level(n);
    event_source_[n] = k;
    if (!before && source_level(n)) hw_event(n, offset);
}

void EdmaTpcc::reset() {
    Peripheral::reset();
    for (auto& q : queues_)
        q.clear();
    qstart_.fill(kQstatReset & kQstatStrtptrMask);
    watermark_.fill(0);
    threshold_hit_.fill(false);
    compactv_ = 0;
    ++epoch_;  // completions of TRs submitted before the reset are dropped
    for (Wire& w : irq_region)
        w.write(false);
    irq_error.write(false);
    irq_mperr.write(false);
}

// --- channel registers ---------------------------------------------------------------------------

bool EdmaTpcc::is_qdma(Chan reg) const {
    return reg >= Chan::qer;
}

uint32_t EdmaTpcc::region_mask(Chan reg, unsigned half, int region) const {
    if (is_qdma(reg)) return (region < 0 ? 0xFFFFFFFFu : qrae_[region]->get()) & kQdmaMask;
    // IEVAL exists in every region and is not gated by DRAE (§11.4.1.119).
    if (region < 0 || reg == Chan::ieval) return 0xFFFFFFFFu;
    return drae_[region][half]->get();
}

Register* EdmaTpcc::chan_storage(Chan reg, unsigned half) const {
    switch (reg) {
        case Chan::er:
            return er_.half[half];
        case Chan::esr:
            return esr_.half[half];
        case Chan::cer:
            return cer_.half[half];
        case Chan::eer:
            return eer_.half[half];
        case Chan::ser:
            return ser_.half[half];
        case Chan::ier:
            return ier_.half[half];
        case Chan::ipr:
            return ipr_.half[half];
        case Chan::qer:
            return qer_;
        case Chan::qeer:
            return qeer_;
        case Chan::qser:
            return qser_;
        default:
            return nullptr;  // write-only
    }
}

uint32_t EdmaTpcc::chan_view(Chan reg, unsigned half, int region) const {
    const Register* g = chan_storage(reg, half);
    return g ? g->get() & region_mask(reg, half, region) : 0;
}

void EdmaTpcc::chan_write(Chan reg, unsigned half, uint32_t bits, int region) {
    const sc_core::sc_time off = access_offset();
    switch (reg) {
        case Chan::ecr:  // §11.4.1.93: clears ER (ESR and CER are not affected)
            er_.half[half]->clear_bits(bits);
            break;
        case Chan::esr:  // §11.4.1.95: manual trigger
            manual_trigger(half, bits, off);
            return;
        case Chan::eecr:
            eer_.half[half]->clear_bits(bits);
            break;
        case Chan::eesr:  // enabling a latched event lets it be queued
            eer_.half[half]->set_bits(bits);
            break;
        case Chan::secr:
            ser_.half[half]->clear_bits(bits);
            break;
        case Chan::iecr:
            ier_.half[half]->clear_bits(bits);
            break;
        case Chan::iesr:
            ier_.half[half]->set_bits(bits);
            break;
        case Chan::icr:
            ipr_.half[half]->clear_bits(bits);
            break;
        case Chan::ieval:
            // §11.3.9.3: pulses the region's completion interrupt if enabled interrupts are
            // still pending. The global completion interrupt (IEVAL at 0x1078) is not
            // connected on the AM335x (Table 11-1), so it has nothing to pulse.
            if ((bits & kEvalBit) && region >= 0 && irq_region[region].read()) {
                irq_region[region].write(false, off);
                irq_region[region].write(true, off);
            }
            return;
        case Chan::qeecr:
            qeer_->clear_bits(bits & kQdmaMask);
            break;
        case Chan::qeesr:
            qeer_->set_bits(bits & kQdmaMask);
            break;
        case Chan::qsecr:  // §11.4.1.125: clears QSER and QER
            qser_->clear_bits(bits & kQdmaMask);
            qer_->clear_bits(bits & kQdmaMask);
            break;
        default:
            return;  // read-only registers: the policy already ignored the write
    }
    evaluate(off);
}

// --- triggers -----------------------------------------------------------------------------------

void EdmaTpcc::hw_event(unsigned ch, const sc_core::sc_time& offset) {
    // §11.3.4.1.1: latched in ER even when disabled; a second event before the first was
    // serviced is missed (EMR), if the event is enabled.
    if (er_.test(ch)) {
        if (eer_.test(ch)) {
            set_error(emr_.half[ch / 32], 1u << (ch % 32));
            ++missed_;
        }
    } else {
        er_.set_bit(ch);
    }
    evaluate(offset);
}

void EdmaTpcc::manual_trigger(unsigned half, uint32_t bits, const sc_core::sc_time& offset) {
    for (unsigned b = 0; b < 32; ++b) {
        if (!(bits & (1u << b))) continue;
        const unsigned ch = 32 * half + b;
        // §11.4.1.95: a write of 1 to a bit that is still set is a missed event.
        if (esr_.test(ch)) {
            set_error(emr_.half[half], 1u << b);
            ++missed_;
        } else {
            esr_.set_bit(ch);
        }
    }
    evaluate(offset);
}

void EdmaTpcc::chain_trigger(unsigned ch) {
    // §11.4.1.97: CER has no enable; a chained event on a set CER bit is missed.
    if (cer_.test(ch)) {
        set_error(emr_.half[ch / 32], 1u << (ch % 32));
        ++missed_;
    } else {
        cer_.set_bit(ch);
    }
}

void EdmaTpcc::qdma_trigger(unsigned qch) {
    const uint32_t bit = 1u << qch;
    // §11.4.1.120: latched only while QEER is set; a second one while QER is set is missed.
    if (!(qeer_->get() & bit)) return;
    if (qer_->get() & bit) {
        set_error(qemr_, bit);
        ++missed_;
    } else {
        qer_->set_bits(bit);
    }
}

void EdmaTpcc::param_written(unsigned set, unsigned word) {
    // §11.3.4.2.1: a write to the trigger word of a QDMA channel's set is a QDMA event.
    bool triggered = false;
    for (unsigned q = 0; q < kNumQdmaChannels; ++q) {
        const uint32_t map = qchmap_[q]->get();
        if (((map & kDchmapPaentryMask) >> kDchmapPaentryShift) != set) continue;
        if (((map & kQchmapTrwordMask) >> kQchmapTrwordShift) != word) continue;
        qdma_trigger(q);
        triggered = true;
    }
    if (triggered) evaluate(access_offset());
}

// --- queueing and submission -----------------------------------------------------------------

unsigned EdmaTpcc::queue_of_dma(unsigned ch) const {
    const uint32_t reg = dmaqnum_[ch / kChannelsPerDmaqnum]->get();
    return (reg >> (kQnumBits * (ch % kChannelsPerDmaqnum))) & kQnumFieldMask;
}

unsigned EdmaTpcc::param_set_of(const QueueEntry& e) const {
    const uint32_t map =
        e.type == EventType::qdma ? qchmap_[e.channel]->get() : dchmap_[e.channel]->get();
    return (map & kDchmapPaentryMask) >> kDchmapPaentryShift;
}

EdmaTpcc::ParamSet EdmaTpcc::read_set(unsigned set) const {
    ParamSet s{};
    if (set >= kNumParamSets) return s;  // no such set: reads as a NULL set
    for (unsigned w = 0; w < kParamWords; ++w)
        s.w[w] = param_[set * kParamWords + w]->get();
    return s;
}

void EdmaTpcc::write_set(unsigned set, const ParamSet& s) {
    if (set >= kNumParamSets) return;
    for (unsigned w = 0; w < kParamWords; ++w)
        param_[set * kParamWords + w]->set(s.w[w]);
}

void EdmaTpcc::evaluate(const sc_core::sc_time& offset) {
    if (evaluating_) {  // re-entered from a completion or chain: the outer loop continues
        again_ = true;
        return;
    }
    evaluating_ = true;
    unsigned steps = 0;
    bool progress = true;
    while (progress) {
        again_ = false;
        progress = prioritize();
        progress = service_queues(offset) || progress || again_;
        if (++steps >= kMaxEvaluationSteps) {
            if (log().once("loop"))
                VP_LOG(log(), error,
                       "event evaluation did not settle after {} steps (dummy or NULL sets "
                       "chained and linked to themselves?): the rest stays pending",
                       kMaxEvaluationSteps);
            break;
        }
    }
    evaluating_ = false;
    update_irqs(offset);
}

bool EdmaTpcc::prioritize() {
    bool queued = false;
    // DMA channels before QDMA channels, lower channel numbers first (§11.3.10).
    for (unsigned ch = 0; ch < kNumDmaChannels; ++ch) {
        if (ser_.test(ch)) continue;  // already queued (or stopped by a NULL set)
        EventType type;
        if (er_.test(ch) && eer_.test(ch))
            type = EventType::event;
        else if (esr_.test(ch))
            type = EventType::manual;
        else if (cer_.test(ch))
            type = EventType::chained;
        else
            continue;
        const unsigned q = queue_of_dma(ch);
        if (q >= kNumQueues) {
            if (log().once("dmaqnum:" + std::to_string(ch)))
                VP_LOG(log(), error,
                       "DMAQNUM sends channel {} to queue {}, which does not exist: not queued", ch,
                       q);
            continue;
        }
        if (queues_[q].size() >= kQueueDepth) continue;  // waits for room
        ser_.set_bit(ch);
        enqueue(q, ch, type);
        queued = true;
    }
    for (unsigned qch = 0; qch < kNumQdmaChannels; ++qch) {
        const uint32_t bit = 1u << qch;
        if ((qser_->get() & bit) || !(qer_->get() & bit)) continue;
        const unsigned q = (qdmaqnum_->get() >> (kQnumBits * qch)) & kQnumFieldMask;
        if (q >= kNumQueues) {
            if (log().once("qdmaqnum:" + std::to_string(qch)))
                VP_LOG(log(), error,
                       "QDMAQNUM sends QDMA channel {} to queue {}, which does not exist", qch, q);
            continue;
        }
        if (queues_[q].size() >= kQueueDepth) continue;
        qser_->set_bits(bit);
        enqueue(q, qch, EventType::qdma);
        queued = true;
    }
    return queued;
}

void EdmaTpcc::enqueue(unsigned queue, unsigned channel, EventType type) {
    auto& q = queues_[queue];
    const unsigned slot = (qstart_[queue] + static_cast<unsigned>(q.size())) % kQueueDepth;
    qentry_[queue][slot]->set((channel & kQueueEntryEnumMask) |
                              (static_cast<uint32_t>(type) << kQueueEntryEtypeShift));
    q.push_back({channel, type});
    const unsigned n = static_cast<unsigned>(q.size());
    if (n > watermark_[queue]) watermark_[queue] = n;
    // §11.4.1.84: NUMVAL >= QWMTHRA.Qn (0..16; 17 and more disable) is a threshold error.
    const unsigned threshold = (qwmthra_->get() >> (kQwmthraFieldBits * queue)) & kQwmthraFieldMask;
    if (threshold <= kQueueDepth && n >= threshold) {
        threshold_hit_[queue] = true;
        set_error(ccerr_, kCcerrQthrxcd0 << queue);
    }
    update_queue_status(queue);
}

void EdmaTpcc::update_queue_status(unsigned queue) {
    qstat_[queue]->set((qstart_[queue] & kQstatStrtptrMask) |
                       (static_cast<uint32_t>(queues_[queue].size()) << kQstatNumvalShift) |
                       (watermark_[queue] << kQstatWmShift) |
                       (threshold_hit_[queue] ? kQstatThrxcd : 0));
}

bool EdmaTpcc::service_queues(const sc_core::sc_time& offset) {
    bool any = false;
    for (unsigned q = 0; q < kNumQueues; ++q)
        while (!queues_[q].empty() && service(q, offset))
            any = true;
    return any;
}

void EdmaTpcc::clear_source(const QueueEntry& e) {
    switch (e.type) {
        case EventType::event:
            er_.clear_bit(e.channel);
            break;
        case EventType::manual:
            esr_.clear_bit(e.channel);
            break;
        case EventType::chained:
            cer_.clear_bit(e.channel);
            break;
        case EventType::qdma:
            qer_->clear_bits(1u << e.channel);
            break;
    }
}

bool EdmaTpcc::service(unsigned queue, const sc_core::sc_time& offset) {
    const QueueEntry e = queues_[queue].front();
    const bool qdma = e.type == EventType::qdma;
    const unsigned set = param_set_of(e);
    if (set >= kNumParamSets && log().once("set:" + std::to_string(set)))
        VP_LOG(log(), error, "{} channel {} maps to PaRAM set {}, which does not exist (0-255)",
               qdma ? "QDMA" : "DMA", e.channel, set);
    const ParamSet s = read_set(set);
    const uint32_t opt = s.w[kPOpt];
    const uint32_t acnt = lo16(s.w[kPAbCnt]);
    const uint32_t bcnt = hi16(s.w[kPAbCnt]);
    const uint32_t ccnt = lo16(s.w[kPCcnt]);
    const bool is_static = opt & kOptStatic;
    const unsigned tcc = (opt & kOptTccMask) >> kOptTccShift;

    const auto pop = [&] {
        queues_[queue].pop_front();
        qstart_[queue] = (qstart_[queue] + 1) % kQueueDepth;
        update_queue_status(queue);
        clear_source(e);
    };
    const auto clear_secondary = [&] {
        if (qdma)
            qser_->clear_bits(1u << e.channel);
        else
            ser_.clear_bit(e.channel);
    };

    if (acnt == 0 && bcnt == 0 && ccnt == 0) {
        // §11.3.3.3 / Table 11-8: a NULL set. No TR; EMR (QEMR) set; SER (QSER) stays set, so
        // later events on the channel are not queued until software clears it. The link
        // update and the early completion codes still happen.
        pop();
        if (qdma)
            set_error(qemr_, 1u << e.channel);
        else
            set_error(emr_.half[e.channel / 32], 1u << (e.channel % 32));
        ++missed_;
        ++null_trs_;
        VP_LOG(log(), debug, "{} channel {}: NULL PaRAM set {}: EMR", qdma ? "QDMA" : "DMA",
               e.channel, set);
        if (!is_static) link_update(set, s);
        complete(tcc, opt & kOptTcinten, opt & kOptTcchen);
        return true;
    }
    if (acnt == 0 || bcnt == 0 || ccnt == 0) {
        // §11.3.3.4: a dummy set is a legal 0-byte transfer: no TR, no error.
        pop();
        clear_secondary();
        ++dummy_trs_;
        if (!is_static) link_update(set, s);
        complete(tcc, opt & kOptTcinten, opt & kOptTcchen);
        return true;
    }

    EdmaTptc* tc = tcs_[queue];
    if (!tc) {
        if (log().once("notc:" + std::to_string(queue)))
            VP_LOG(log(), error, "event queue {} has no transfer controller connected", queue);
        return false;
    }
    if (!tc->can_accept()) return false;  // waits for the TC (its completion re-evaluates)

    const bool absync = opt & kOptSyncdim;
    // Table 11-10: the counts before the final TR.
    const bool final = absync ? ccnt == 1 : (bcnt == 1 && ccnt == 1);
    const bool want_int = opt & (final ? kOptTcinten : kOptItcinten);
    const bool want_chain = opt & (final ? kOptTcchen : kOptItcchen);
    const bool early = opt & kOptTccmode;
    const bool reports = !early && (want_int || want_chain);
    if (reports && compactv_ >= kMaxOutstandingCompletions) {
        // §11.4.1.85: at 63 outstanding completion codes no new TR is serviced.
        if (!(ccerr_->get() & kCcerrTccerr)) set_error(ccerr_, kCcerrTccerr);
        return false;
    }

    EdmaTransferRequest tr;
    tr.id = next_id_++;
    tr.epoch = epoch_;
    tr.channel = e.channel;
    tr.qdma = qdma;
    tr.param_set = set;
    tr.queue = queue;
    tr.opt = opt;
    tr.src = s.w[kPSrc];
    tr.dst = s.w[kPDst];
    tr.acnt = static_cast<uint16_t>(acnt);
    tr.bcnt = static_cast<uint16_t>(absync ? bcnt : 1);
    tr.src_bidx = static_cast<int16_t>(slo16(s.w[kPSrcDstBidx]));
    tr.dst_bidx = static_cast<int16_t>(shi16(s.w[kPSrcDstBidx]));
    tr.final = final;
    tr.report_interrupt = !early && want_int;
    tr.report_chain = !early && want_chain;
    tr.priority = (quepri_->get() >> (kQnumBits * queue)) & kQnumFieldMask;
    tr.ready = sc_core::sc_time_stamp() + offset;

    pop();
    clear_secondary();
    if (!is_static) update_set(set, s, final);
    if (reports) ++compactv_;
    ++trs_;
    VP_LOG(log(), debug,
           "{} channel {} (set {}, queue {}): TR {:#010x} -> {:#010x}, ACNT {} BCNT {}{}",
           qdma ? "QDMA" : "DMA", e.channel, set, queue, tr.src, tr.dst, tr.acnt, tr.bcnt,
           final ? ", final" : "");
    tc->submit(tr);
    // §11.3.5 / TCCMODE: early completion is signalled when the TR is submitted.
    if (early) complete(tcc, want_int, want_chain);
    return true;
}

void EdmaTpcc::update_set(unsigned set, const ParamSet& s, bool final) {
    if (final) {
        link_update(set, s);
        return;
    }
    // Table 11-9: B-update (A-sync, BCNT > 1), C-update (A-sync last array of a frame, or
    // every AB-sync TR).
    ParamSet n = s;
    const uint32_t acnt = lo16(s.w[kPAbCnt]);
    const uint32_t bcnt = hi16(s.w[kPAbCnt]);
    const uint32_t ccnt = lo16(s.w[kPCcnt]);
    if (!(s.w[kPOpt] & kOptSyncdim) && bcnt > 1) {
        n.w[kPSrc] = s.w[kPSrc] + static_cast<uint32_t>(slo16(s.w[kPSrcDstBidx]));
        n.w[kPDst] = s.w[kPDst] + static_cast<uint32_t>(shi16(s.w[kPSrcDstBidx]));
        n.w[kPAbCnt] = acnt | ((bcnt - 1) << kHighShift);
    } else {
        n.w[kPSrc] = s.w[kPSrc] + static_cast<uint32_t>(slo16(s.w[kPSrcDstCidx]));
        n.w[kPDst] = s.w[kPDst] + static_cast<uint32_t>(shi16(s.w[kPSrcDstCidx]));
        n.w[kPCcnt] = (s.w[kPCcnt] & ~kCountMask) | (ccnt - 1);
        if (!(s.w[kPOpt] & kOptSyncdim))  // A-sync: BCNT reloads from BCNTRLD
            n.w[kPAbCnt] = acnt | (hi16(s.w[kPLinkBcntrld]) << kHighShift);
    }
    write_set(set, n);
}

void EdmaTpcc::link_update(unsigned set, const ParamSet& s) {
    if (set >= kNumParamSets) return;
    const uint32_t link = lo16(s.w[kPLinkBcntrld]);
    ParamSet n{};
    if (link == kLinkNull) {
        // §11.3.3.2.12: a NULL link writes 0 to the set, except LINK = FFFFh.
        n.w[kPLinkBcntrld] = kLinkNull;
    } else {
        const uint32_t offset = link & kLinkAddressMask;  // the upper 2 bits are ignored
        const unsigned from = offset / kParamSetBytes;
        if (offset % kParamSetBytes && log().once("linkalign:" + std::to_string(link)))
            VP_LOG(log(), warning, "LINK {:#06x} is not 32-byte aligned: set {} is used", link,
                   from);
        if (from >= kNumParamSets) {
            if (log().once("linkrange:" + std::to_string(link)))
                VP_LOG(log(), error,
                       "LINK {:#06x} points past the PaRAM (256 sets): a NULL set is loaded", link);
            n.w[kPLinkBcntrld] = kLinkNull;
        } else {
            n = read_set(from);
        }
    }
    write_set(set, n);
    // §11.3.3.7: a link update into the set of a QDMA channel writes its trigger word.
    bool triggered = false;
    for (unsigned q = 0; q < kNumQdmaChannels; ++q) {
        if (((qchmap_[q]->get() & kDchmapPaentryMask) >> kDchmapPaentryShift) != set) continue;
        qdma_trigger(q);
        triggered = true;
    }
    if (triggered) again_ = true;
}

void EdmaTpcc::complete(unsigned tcc, bool interrupt, bool chain) {
    if (interrupt) {
        ipr_.set_bit(tcc);
        ++completions_;
    }
    if (chain) {
        chain_trigger(tcc);
        ++chained_;
    }
}

void EdmaTpcc::tr_done(const EdmaTransferRequest& tr) {
    if (tr.epoch != epoch_) return;  // submitted before a reset
    if (tr.reports() && compactv_ > 0) --compactv_;
    complete(tr.tcc(), tr.report_interrupt, tr.report_chain);
    // The TC has room again and chained events may be waiting: at the completion time.
    evaluate(sc_core::SC_ZERO_TIME);
}

// --- errors and interrupts ---------------------------------------------------------------------

void EdmaTpcc::set_error(Register* reg, uint32_t bits) {
    reg->set_bits(bits);
}

bool EdmaTpcc::error_pending() const {
    return emr_.get() != 0 || (qemr_->get() & kQdmaMask) != 0 || (ccerr_->get() & kCcerrMask) != 0;
}

void EdmaTpcc::update_irqs(const sc_core::sc_time& offset) {
    const uint64_t pending = ipr_.get() & ier_.get();
    for (unsigned r = 0; r < kNumRegions; ++r) {
        const uint64_t mask = static_cast<uint64_t>(drae_[r][0]->get()) |
                              (static_cast<uint64_t>(drae_[r][1]->get()) << 32);
        irq_region[r].write((pending & mask) != 0, offset);
    }
    // The error line rises with the first error bit and stays up until EEVAL (§11.3.9.4).
    if (error_pending()) irq_error.write(true, offset);
}

}  // namespace vp
