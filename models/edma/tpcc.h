// EDMA3 channel controller (TPCC of the AM335x at 0x4900_0000, SPRUH73 §11.3, registers
// §11.4.1): 64 DMA channels, 8 QDMA channels, 256 PaRAM sets, 3 event queues feeding TPTC0-2,
// 4 shadow regions. Written for the way Linux drivers/dma/ti/edma.c uses it.
//
//   - PaRAM: 256 sets x 8 registers at 0x4000 + 32 n (declared registers, 8/16/32-bit access).
//   - Triggers: hardware events (dma_event(n) wires, rising edge → ER; enabled by EER), manual
//     (ESR), chained (CER, from TCCHEN/ITCCHEN) and QDMA (a write to the trigger word of the
//     set QCHMAPn points to, or a link update into it, while QEER is set).
//   - A triggered channel is queued on DMAQNUM's queue (SER set; QxEy, QSTAT), then its
//     PaRAM set is read: a NULL set (ACNT = BCNT = CCNT = 0) sets EMR/QEMR and leaves SER set;
//     a dummy set (some counts 0) completes at once; otherwise one TR (A-sync: ACNT bytes,
//     AB-sync: a frame) goes to the queue's TC, the set is updated (Table 11-9) and, when
//     exhausted, linked (LINK = FFFFh: nulled).
//   - Completion (normal: when the TC reports the TR; early, TCCMODE = 1: at submission) sets
//     IPR[TCC] (TCINTEN/ITCINTEN) and chains to CER[TCC] (TCCHEN/ITCCHEN).
//   - Shadow region r (0x2000 + 0x200 r) is a view of the channel registers through DRAEr /
//     QRAEr; its completion line is high while IPR & IER & DRAEr != 0.
// Memory protection (MPFAR...MPPA) is declared with its reset values but not enforced. See
// docs/models/edma.md.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <deque>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "models/edma/edma_regs.h"
#include "models/edma/tptc.h"

namespace vp {

struct EdmaTpccParams {
    std::string stat_prefix;  // statistics prefix (default: the module name)
};

class EdmaTpcc : public Peripheral {
  public:
    // Transfer-completion interrupts, one per shadow region (EDMA3CC_INTn, §11.3.9), level:
    // high while IPR & IER & DRAEn (and DRAEHn) != 0. On the AM335x region 0 (int_pend_po0,
    // EDMACOMPINT) is MPU INTC line 12, region 1 goes to the PRU-ICSS, 2 and 3 are unused
    // (Table 11-1). irq_completion is irq_region[0].
    Wire irq_region[edma::kNumRegions];
    Wire& irq_completion;
    // CC error interrupt (EDMA3CC_ERRINT, INTC 14): rises when an EMR/EMRH/QEMR/CCERR bit gets
    // set while the line is low; stays high until EEVAL.EVAL is written (§11.3.9.4), which
    // lowers it and raises it again if error bits are still set.
    Wire irq_error;
    // Memory-protection interrupt (EDMA3CC_MPINT, INTC 13). Memory protection is not modelled:
    // the line stays low.
    Wire irq_mperr;

    explicit EdmaTpcc(sc_core::sc_module_name name, const EdmaTpccParams& p = {});

    // Connects event queue `queue` (0..2) to its transfer controller (Q0 → TC0 ...; the
    // mapping is fixed, §11.4.1.6) and takes over its completion callback. Throws
    // std::out_of_range for a queue >= 3.
    void connect_tc(unsigned queue, EdmaTptc& tc);

    // Hardware DMA event n (0..63), the direct-mapped source of channel n (SPRUH73 Table
    // 11-24): while channel n's crossbar selection is 0 (the reset value), a rising edge
    // latches ER[n] (§11.3.4.1.1). Throws std::out_of_range.
    Wire& dma_event(unsigned n);
    // Crossbar-mapped event input k (1..63, Table 11-25: e.g. 7 = UTXEVT3, 22 = TINT0). It
    // triggers every channel whose selection is k (Control Module TPCC_EVT_MUX_n, Table
    // 9-65). Throws std::out_of_range for k = 0 (means "direct") or k > 63.
    Wire& crossbar_event(unsigned k);
    // Selects channel n's event source: 0 = the direct event dma_event(n), 1..63 = the
    // crossbar input k. The platform calls it from the Control Module's on_edma_mux_change.
    // Switching to a source whose line is high is a rising edge of the mux output: ER[n]
    // latches (at `offset`). Throws std::out_of_range for n or k > 63.
    void select_event_source(unsigned n, unsigned k,
                             const sc_core::sc_time& offset = sc_core::SC_ZERO_TIME);
    unsigned event_source(unsigned n) const { return event_source_.at(n); }

    void reset() override;

    // --- inspection (tests, debugger) -----------------------------------------------------
    uint32_t param(unsigned set, unsigned word) const {
        return param_[set * edma::kParamWords + word]->get();
    }
    unsigned queue_length(unsigned queue) const {
        return static_cast<unsigned>(queues_.at(queue).size());
    }
    unsigned outstanding_completions() const { return compactv_; }

  private:
    // The DMA/QDMA channel registers (global view at 0x1000; shadows at 0x2000 + 0x200 r).
    enum class Chan : uint8_t {
        er,
        ecr,
        esr,
        cer,
        eer,
        eecr,
        eesr,
        ser,
        secr,
        ier,
        iecr,
        iesr,
        ipr,
        icr,
        ieval,
        qer,
        qeer,
        qeecr,
        qeesr,
        qser,
        qsecr
    };
    struct ChanDesc;
    // A 64-bit channel register as its two 32-bit halves (ER/ERH ...).
    struct Bits64 {
        Register* half[2] = {};
        uint64_t get() const;
        void set(uint64_t v);
        bool test(unsigned n) const { return (get() >> n) & 1u; }
        void set_bit(unsigned n) { set(get() | (uint64_t{1} << n)); }
        void clear_bit(unsigned n) { set(get() & ~(uint64_t{1} << n)); }
    };
    struct QueueEntry {
        unsigned channel;
        edma::EventType type;
    };
    struct ParamSet {
        uint32_t w[edma::kParamWords];
    };

    void declare_global();
    void declare_channel_block(int region);
    void declare_param();

    // Channel register write semantics; `bits` already masked by the region's DRAE/QRAE.
    void chan_write(Chan reg, unsigned half, uint32_t bits, int region);
    uint32_t chan_view(Chan reg, unsigned half, int region) const;
    uint32_t region_mask(Chan reg, unsigned half, int region) const;
    bool is_qdma(Chan reg) const;
    Register* chan_storage(Chan reg, unsigned half) const;

    // Triggers (offset: the trigger's local-time offset).
    void hw_event(unsigned ch, const sc_core::sc_time& offset);
    void manual_trigger(unsigned half, uint32_t bits, const sc_core::sc_time& offset);
    void chain_trigger(unsigned ch);
    void qdma_trigger(unsigned qch);
    void param_written(unsigned set, unsigned word);

    // Prioritisation, queueing, TR submission.
    void evaluate(const sc_core::sc_time& offset);
    bool prioritize();
    bool service_queues(const sc_core::sc_time& offset);
    bool service(unsigned queue, const sc_core::sc_time& offset);
    void enqueue(unsigned queue, unsigned channel, edma::EventType type);
    void update_queue_status(unsigned queue);
    void clear_source(const QueueEntry& e);
    unsigned param_set_of(const QueueEntry& e) const;
    unsigned queue_of_dma(unsigned ch) const;
    ParamSet read_set(unsigned set) const;
    void write_set(unsigned set, const ParamSet& s);
    void update_set(unsigned set, const ParamSet& s, bool final);
    void link_update(unsigned set, const ParamSet& s);
    void complete(unsigned tcc, bool interrupt, bool chain);
    void tr_done(const EdmaTransferRequest& tr);

    // Errors and interrupts.
    void set_error(Register* reg, uint32_t bits);
    bool error_pending() const;
    void update_irqs(const sc_core::sc_time& offset);

    EdmaTpccParams params_;
    std::array<EdmaTptc*, edma::kNumQueues> tcs_{};
    std::array<Wire, edma::kNumDmaChannels> dma_events_;
    std::array<Wire, edma::kNumDmaChannels> crossbar_events_;     // index 0 unused
    std::array<unsigned, edma::kNumDmaChannels> event_source_{};  // 0 = direct
    bool source_level(unsigned n) const;

    Bits64 er_, esr_, cer_, eer_, ser_, ier_, ipr_, emr_;
    Register* qer_ = nullptr;
    Register* qeer_ = nullptr;
    Register* qser_ = nullptr;
    Register* qemr_ = nullptr;
    Register* ccerr_ = nullptr;
    Register* dchmap_[edma::kNumDmaChannels] = {};
    Register* qchmap_[edma::kNumQdmaChannels] = {};
    Register* dmaqnum_[edma::kNumDmaChannels / edma::kChannelsPerDmaqnum] = {};
    Register* qdmaqnum_ = nullptr;
    Register* quepri_ = nullptr;
    Register* qwmthra_ = nullptr;
    Register* drae_[edma::kNumDraeRegisters][2] = {};
    Register* qrae_[edma::kNumDraeRegisters] = {};
    Register* qstat_[edma::kNumQueues] = {};
    Register* qentry_[edma::kNumQueues][edma::kQueueDepth] = {};
    Register* param_[edma::kNumParamSets * edma::kParamWords] = {};

    std::array<std::deque<QueueEntry>, edma::kNumQueues> queues_;
    std::array<unsigned, edma::kNumQueues> qstart_{};     // QSTAT.STRTPTR
    std::array<unsigned, edma::kNumQueues> watermark_{};  // QSTAT.WM
    std::array<bool, edma::kNumQueues> threshold_hit_{};  // QSTAT.THRXCD
    unsigned compactv_ = 0;  // CCSTAT.COMPACTV: TRs that will report completion
    uint64_t next_id_ = 0;
    uint64_t epoch_ = 0;
    bool evaluating_ = false;
    bool again_ = false;

    stats::Counter trs_;
    stats::Counter missed_;
    stats::Counter null_trs_;
    stats::Counter dummy_trs_;
    stats::Counter completions_;
    stats::Counter chained_;
};

}  // namespace vp
