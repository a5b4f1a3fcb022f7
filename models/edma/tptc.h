// EDMA3 transfer controller (TPTC0-2 of the AM335x, SPRUH73 §11.3.12, registers §11.4.2): the
// data-movement engine. The channel controller (EdmaTpcc) submits transfer requests (TRs); the
// TC executes them from its own SC_THREAD with real read and write transactions on its
// initiator socket (bound into the L3F interconnect by the SoC), so a transfer takes simulated
// time, contends with the CPU in the router and shows up in transaction traces. When the last
// write of a TR is done the TC reports the TR back to the TPCC (its completion callback), at
// that exact simulated time.
//
// Command fragmentation follows §11.3.12.1.1: every read and write command is at most the
// default burst size (DBS, Control Module TPTC_CFG, 16 bytes at reset) and the first command of
// an array aligns the following ones to DBS; a 2D TR with ACNT <= DBS, ACNT a power of 2,
// BIDX == ACNT, BCNT <= 1023 and increment addressing is optimised into one array (Table
// 11-22). Reads run ahead of writes by at most the 512-byte FIFO (TCCFG.FIFOSIZE). RDRATE
// spaces read commands. A bus error sets ERRSTAT.BUSERR/ERRDET; ERREN gates the error line
// (irq_error, INTC 112-114). See docs/models/edma.md.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "models/edma/edma_regs.h"

namespace vp {

// A transfer request as the TPCC hands it to a TPTC (§11.3.3.6): an A-synchronized TR moves
// one array of ACNT bytes (BCNT = 1), an AB-synchronized TR moves BCNT arrays of ACNT bytes
// separated by SRCBIDX/DSTBIDX. CCNT of a TR is always 1.
struct EdmaTransferRequest {
    uint64_t id = 0;       // sequence number given by the TPCC
    uint64_t epoch = 0;    // TPCC reset generation (completions of an older one are dropped)
    unsigned channel = 0;  // DMA (0-63) or QDMA (0-7) channel
    bool qdma = false;
    unsigned param_set = 0;
    unsigned queue = 0;
    uint32_t opt = 0;  // the PaRAM set's OPT when the TR was read
    uint32_t src = 0;
    uint32_t dst = 0;
    uint16_t acnt = 0;
    uint16_t bcnt = 1;
    int16_t src_bidx = 0;
    int16_t dst_bidx = 0;
    bool final = false;             // the last TR of the PaRAM set
    bool report_interrupt = false;  // the TC returns the TCC to set IPR[TCC]
    bool report_chain = false;      // the TC returns the TCC to set CER[TCC]
    unsigned priority = 7;          // QUEPRI of its queue (SAOPT.PRI)
    sc_core::sc_time ready;         // submission time: the TC starts no earlier

    unsigned tcc() const { return (opt & edma::kOptTccMask) >> edma::kOptTccShift; }
    bool reports() const { return report_interrupt || report_chain; }
    uint64_t bytes() const { return static_cast<uint64_t>(acnt) * bcnt; }
};

struct EdmaTptcParams {
    std::string stat_prefix;  // statistics prefix (default: the module name)
    // Default burst size DBS in bytes: 16, 32, 64 or 128. The Control Module's TPTC_CFG
    // (0x44E1_0614, Table 9-29) resets TCnDBS to 0 = 16 bytes.
    unsigned default_burst_bytes = 16;
    // TC clock: L3_Fast, CORE_CLKOUTM4 = 200 MHz (Table 11-4). Used for RDRATE spacing.
    uint64_t clock_hz = 200000000;
    // Data FIFO: TCCFG.FIFOSIZE = 4 = 512 bytes (Table 11-154). At least 2 x DBS.
    unsigned fifo_bytes = 512;
};

class EdmaTptc : public Peripheral {
  public:
    // Master port into the interconnect (the SoC binds it into the router, name "tptc<n>").
    tlm_utils::simple_initiator_socket<EdmaTptc> initiator;
    // Error interrupt (TCERRINTn), level: high while ERRSTAT & ERREN != 0.
    // AM335x INTC lines 112 (TPTC0), 113 (TPTC1), 114 (TPTC2).
    Wire irq_error;

    // Throws std::invalid_argument for a DBS other than 16/32/64/128, a zero clock or a FIFO
    // smaller than two bursts.
    explicit EdmaTptc(sc_core::sc_module_name name, const EdmaTptcParams& p = {});

    // --- the TPCC side ---------------------------------------------------------------------
    // TRs the TC holds (executing + waiting): at most edma::kDfSets (TCCFG.DREGDEPTH = 4).
    bool can_accept() const { return held_.size() < edma::kDfSets; }
    size_t outstanding() const { return held_.size(); }
    bool busy() const { return !held_.empty(); }
    // Queues a TR; the TC starts it at tr.ready at the earliest, after the TRs before it.
    void submit(const EdmaTransferRequest& tr);
    using CompletionFn = std::function<void(const EdmaTransferRequest&)>;
    // Called from the TC's thread when a TR's last write is done (sc_time_stamp() is then
    // the completion time).
    void on_complete(CompletionFn f) { complete_ = std::move(f); }

    // Default burst size (Control Module TPTC_CFG.TCnDBS). Throws std::invalid_argument for
    // a size other than 16/32/64/128 or one the FIFO cannot hold twice.
    void set_default_burst(unsigned bytes);
    unsigned default_burst() const { return dbs_; }
    const sc_core::sc_time& clock_period() const { return period_; }

    void reset() override;

  protected:
    // Adds ERRSTAT.MMRAERR for an access to an address the TC does not decode.
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) override;

  private:
    SC_HAS_PROCESS(EdmaTptc);
    void run();
    void execute(const EdmaTransferRequest& tr);
    // One read or write command; waits the latency it was annotated with.
    void issue(tlm::tlm_command cmd, uint32_t addr, uint8_t* data, unsigned len,
               const EdmaTransferRequest& tr);
    void set_error(uint32_t bits, const sc_core::sc_time& offset);
    void update_irq(const sc_core::sc_time& offset);
    void update_status();
    void load_active_set(const EdmaTransferRequest& tr);

    EdmaTptcParams params_;
    unsigned dbs_;
    sc_core::sc_time period_;
    CompletionFn complete_;
    std::deque<EdmaTransferRequest> held_;  // front = executing (when active_)
    bool active_ = false;
    bool reading_ = false;
    uint64_t generation_ = 0;     // bumped by reset(): a TR in flight then is dropped
    unsigned df_start_ = 0;       // TCSTAT.DFSTRTPTR
    sc_core::sc_time next_read_;  // RDRATE: earliest issue time of the next read command
    sc_core::sc_event submitted_;
    sc_core::sc_event clock_on_;
    tlm::tlm_generic_payload payload_;
    std::vector<uint8_t> fifo_;  // the data FIFO as a ring, indexed by stream offset

    Register* tcstat_ = nullptr;
    Register* errstat_ = nullptr;
    Register* erren_ = nullptr;
    Register* errdet_ = nullptr;
    Register* rdrate_ = nullptr;
    Register* sa_[9] = {};  // SAOPT .. SADSTBREF
    Register* df_[edma::kDfSets][6] = {};

    stats::Counter trs_;
    stats::Counter read_cmds_;
    stats::Counter write_cmds_;
    stats::Counter bytes_;
    stats::Counter bus_errors_;
};

}  // namespace vp
