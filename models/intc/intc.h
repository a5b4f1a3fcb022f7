// MPU interrupt controller (INTCPS) of the AM335x at 0x4820_0000: 128 level-sensitive
// inputs, IRQ/FIQ steering, 64 priority levels, priority threshold, SIR latching until
// NEWIRQAGR/NEWFIQAGR (SPRUH73 chapter 6; reference/am335x.md §8 and §16).
// docs/models/intc.md.
//
//   vp::Intc intc("intc", vp::IntcParams{});
//   intc.bind_input(68, soc.irq_line(68));   // level-sensitive, high = asserted
//   intc.nirq.connect(cpu.irq);              // high = IRQ asserted to the CPU
//
// Sorting (TRM §6.1.1.3, §6.2.5): when an IRQ (FIQ) becomes pending while no IRQ (FIQ)
// is being processed, nIRQ (nFIQ) rises at once and the priority sorter runs for
// `sort_cycles` functional-clock cycles. At the end of that window the winner (lowest
// priority value, the highest-numbered line on a tie) is latched in SIR_IRQ/IRQ_PRIORITY
// and stays there until software writes CONTROL.NEWIRQAGR. If, inside the window, the
// line that started the sort goes away or a mask/ILR/threshold change alters which lines
// are eligible, the latched result carries the spurious flag (bits 31:7 all ones). The
// output stays asserted until NEWIRQAGR; then the sorter restarts at once if anything is
// still pending (the output stays high, no edge), otherwise the output falls.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/core/wire.h"

namespace vp {

namespace intc {

// --- Register offsets (SPRUH73 Table 6-4) -------------------------------------------------
inline constexpr uint32_t kRevision = 0x00;
inline constexpr uint32_t kSysconfig = 0x10;
inline constexpr uint32_t kSysstatus = 0x14;
inline constexpr uint32_t kSirIrq = 0x40;
inline constexpr uint32_t kSirFiq = 0x44;
inline constexpr uint32_t kControl = 0x48;
inline constexpr uint32_t kProtection = 0x4C;
inline constexpr uint32_t kIdle = 0x50;
inline constexpr uint32_t kIrqPriority = 0x60;
inline constexpr uint32_t kFiqPriority = 0x64;
inline constexpr uint32_t kThreshold = 0x68;
// Bank n (n = 0..3, lines 32n..32n+31) at kBankBase + n * kBankStride + one of:
inline constexpr uint32_t kBankBase = 0x80;
inline constexpr uint32_t kBankStride = 0x20;
inline constexpr uint32_t kItr = 0x00;
inline constexpr uint32_t kMir = 0x04;
inline constexpr uint32_t kMirClear = 0x08;
inline constexpr uint32_t kMirSet = 0x0C;
inline constexpr uint32_t kIsrSet = 0x10;
inline constexpr uint32_t kIsrClear = 0x14;
inline constexpr uint32_t kPendingIrq = 0x18;
inline constexpr uint32_t kPendingFiq = 0x1C;
inline constexpr uint32_t bank_reg(unsigned bank, uint32_t reg) {
    return kBankBase + bank * kBankStride + reg;
}
// ILR_m (m = 0..127)
inline constexpr uint32_t kIlrBase = 0x100;
inline constexpr uint32_t kIlrStride = 4;
inline constexpr uint32_t ilr(unsigned line) {
    return kIlrBase + line * kIlrStride;
}
inline constexpr uint32_t kWindowSize = 0x1000;  // 4 KiB (am335x.md §1.3)

inline constexpr unsigned kLines = 128;
inline constexpr unsigned kBanks = 4;
inline constexpr unsigned kLinesPerBank = 32;

// --- Reset values (SPRUH73 §6.6.1.x headings) ---------------------------------------------
inline constexpr uint32_t kRevisionReset = 0x50;        // §6.6.1.1
inline constexpr uint32_t kSirReset = 0xFFFFFF80;       // §6.6.1.4/5: spurious, ACTIVE 0
inline constexpr uint32_t kPriorityReset = 0xFFFFFFC0;  // §6.6.1.9/10: spurious, prio 0x40
inline constexpr uint32_t kThresholdReset = 0xFF;       // §6.6.1.11: threshold disabled
inline constexpr uint32_t kMirReset = 0xFFFFFFFF;       // §6.6.1.13: all masked

// --- Fields ------------------------------------------------------------------------------
inline constexpr uint32_t kSysconfigAutoidle = 1u << 0;
inline constexpr uint32_t kSysconfigSoftreset = 1u << 1;
inline constexpr uint32_t kSysconfigWritable = 0xFFFFFFE7;  // bits 4:3 read-only (Table 6-6)
inline constexpr uint32_t kSysstatusResetdone = 1u << 0;
inline constexpr uint32_t kActiveMask = 0x7F;          // SIR [6:0] ACTIVEIRQ/ACTIVEFIQ
inline constexpr uint32_t kSpuriousFlag = 0xFFFFFF80;  // SIR / PRIORITY [31:7]
inline constexpr uint32_t kPriorityField = 0x7F;       // *_PRIORITY [6:0]
inline constexpr uint32_t kNoPriority = 0x40;          // *_PRIORITY reset field value
inline constexpr uint32_t kControlNewIrqAgr = 1u << 0;
inline constexpr uint32_t kControlNewFiqAgr = 1u << 1;
inline constexpr uint32_t kControlWritable = kControlNewIrqAgr | kControlNewFiqAgr;
inline constexpr uint32_t kProtectionEnable = 1u << 0;
inline constexpr uint32_t kIdleFuncidle = 1u << 0;
inline constexpr uint32_t kIdleTurbo = 1u << 1;
inline constexpr uint32_t kIdleWritable = kIdleFuncidle | kIdleTurbo;
inline constexpr uint32_t kThresholdWritable = 0xFF;
inline constexpr uint32_t kThresholdDisabled = 0xFF;
inline constexpr uint32_t kIlrFiqnirq = 1u << 0;  // 1 = FIQ (reserved on GP devices)
inline constexpr unsigned kIlrPriorityShift = 2;  // [7:2] PRIORITY, 0 = highest
inline constexpr uint32_t kIlrPriorityMask = 0xFC;
inline constexpr uint32_t kIlrWritable = 0xFF;  // bit 1 reserved R/W; 31:8 read-only
inline constexpr unsigned kMinThreshold = 1;    // a threshold of 0 acts like 1 (§6.1.1.2.2)

}  // namespace intc

struct IntcParams {
    std::string stat_prefix;          // default: the module name
    double fclk_hz = 100e6;           // INTC functional clock [?] (docs/models/intc.md)
    unsigned sort_cycles = 10;        // sorting window, TRM §6.2.5
    unsigned soft_reset_cycles = 10;  // SYSSTATUS.RESETDONE low after SOFTRESET [?]
};

class Intc : public Peripheral {
  public:
    // Outputs to the Cortex-A8 (level, high = asserted).
    Wire nirq;
    Wire nfiq;

    Intc(sc_core::sc_module_name name, const IntcParams& params = {});

    // Subscribes to `w` as input line `line` (0..127), level-sensitive. The SoC owns the
    // wire. Throws std::out_of_range for a line >= 128, std::logic_error for a line bound
    // twice.
    void bind_input(unsigned line, Wire& w);
    // Sets input `line` directly (what a bound wire does); `offset` as in Wire::write.
    void set_input(unsigned line, bool level,
                   const sc_core::sc_time& offset = sc_core::SC_ZERO_TIME);
    bool input(unsigned line) const;

    void reset() override;

    // Read-only views for tests and debuggers (no side effects).
    uint32_t sir_irq() const { return sir_value(kIrq, sc_core::sc_time_stamp()); }
    uint32_t sir_fiq() const { return sir_value(kFiq, sc_core::sc_time_stamp()); }
    unsigned line_priority(unsigned line) const;
    bool line_is_fiq(unsigned line) const;

  private:
    enum Type : unsigned { kIrq = 0, kFiq = 1 };

    // One priority sorter and its output (TRM §6.1.1.3).
    struct Sorter {
        bool asserted = false;  // output level; true from the sort start until NEWxxxAGR
        bool sorting = false;   // inside the sort window
        sc_core::sc_time sort_end;
        int trigger = -1;      // line that started the sort
        bool invalid = false;  // the window saw a change that invalidates the result
        uint32_t active = 0;   // latched ACTIVEIRQ/ACTIVEFIQ
        uint32_t priority = intc::kNoPriority;
        bool spurious = true;  // latched spurious flag
    };

    // Eligible lines (pending, unmasked, steered to `t`, above the threshold), per bank.
    using LineSet = std::array<uint32_t, intc::kBanks>;

    void declare_registers();
    sc_core::sc_time now_of(const sc_core::sc_time& offset) const {
        return sc_core::sc_time_stamp() + offset;
    }
    uint32_t raw(unsigned bank) const;  // ITR | ISR
    uint32_t pending(Type t, unsigned bank) const;
    bool below_threshold(unsigned line) const;
    LineSet eligible(Type t) const;
    int best(Type t) const;  // -1 when nothing is eligible
    // Brings the sorters up to time `at` (finishes windows that ended before it).
    void settle(const sc_core::sc_time& at);
    void finish_sort(Type t);
    // Re-evaluates both sorters after a state change at `offset`; `before` holds the
    // eligible sets before a configuration write (mask, ILR, threshold), or nullptr.
    void evaluate(const sc_core::sc_time& offset, const std::array<LineSet, 2>* before = nullptr);
    void agree(Type t, const sc_core::sc_time& offset);  // NEWIRQAGR / NEWFIQAGR
    void drive(Type t, bool level, const sc_core::sc_time& offset);
    void soft_reset(const sc_core::sc_time& offset);
    uint32_t sir_value(Type t, const sc_core::sc_time& at) const;
    uint32_t priority_value(Type t, const sc_core::sc_time& at) const;
    // A register write taking `reg` from `old` to `now` at the access time: finishes the
    // sort windows that ended before it, applies it, re-evaluates. `config`: a mask, ILR or
    // threshold write, which invalidates a running sort if it changes the eligible lines.
    void change(Register& reg, uint32_t old, uint32_t now, bool config);

    IntcParams params_;
    sc_core::sc_time sort_window_;
    sc_core::sc_time soft_reset_time_;
    sc_core::sc_time reset_done_at_;
    std::array<uint32_t, intc::kBanks> itr_{};  // input levels
    std::array<bool, intc::kLines> bound_{};
    std::array<Sorter, 2> sorter_{};
    std::array<Register*, intc::kBanks> mir_{};
    std::array<Register*, intc::kBanks> isr_{};
    std::array<Register*, intc::kLines> ilr_{};
    Register* threshold_ = nullptr;

    stats::Counter irq_sorts_;
    stats::Counter fiq_sorts_;
    stats::Counter spurious_;
};

}  // namespace vp
