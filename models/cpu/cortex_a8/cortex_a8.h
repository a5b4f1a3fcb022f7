// The Cortex-A8 CPU model: the SystemC initiator that implements the guest seam sw/hal/cpu.h
// (DESIGN.md §2, §4, §5; docs/models/cortex_a8.md).
//
//   vp::CortexA8 cpu("cpu", params);
//   cpu.socket.bind(bus.in);                  // initiator on L3F
//   intc.nirq.connect(cpu.irq);               // level-sensitive request lines (vp::Intc)
//   cpu.set_entry([](hal::Cpu& c) { kernel_main(c); });
//   cpu.on_exit([](const vp::CortexA8::ExitStatus&) { sc_core::sc_stop(); });
//   sc_core::sc_start();
//
// - One SC_THREAD runs the guest entry (hal::this_cpu() is this CPU while it runs). Loads and
//   stores go through the D-TLB (misses: the table walker issues each descriptor read as a
//   32-bit TLM read), the permission check, and then DMI or b_transport on `socket`.
// - Time: the CPU keeps its local time in core cycles and synchronises with SystemC through
//   a tlm_quantumkeeper when the quantum is used up, on wfi(), and before Device/Strongly-
//   ordered accesses (params.sync_on_device).
// - Interrupts: `irq` / `fiq` are level wires (true = request pending). A pending, unmasked
//   request is taken at the next synchronisation point, at the next slow-path call after the
//   line rose, when the guest unmasks it, or on wfi(): the registered handler is called in the
//   guest thread in kernel mode with the interrupt masked, as an exception would.
// - Aborts: a refused access writes DFSR/DFAR (IFSR/IFAR for fetches) and calls the guest's
//   abort handler (kernel mode, IRQs masked): retry → the access is made again; fixup → a try_*
//   access returns false; fatal (or fixup of a plain access) → hal::GuestOops.
// - Two timing modes (params.mode): functional (fixed latencies, inline fast path) and
//   approximate (cache hierarchy model on every access, memory latency from the TLM delay).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "models/core/log.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "models/cpu/cache/hierarchy.h"
#include "models/cpu/cortex_a8/cp15_file.h"
#include "models/cpu/cortex_a8/params.h"
#include "models/cpu/mmu/fault.h"
#include "models/cpu/mmu/tlb.h"
#include "models/cpu/mmu/types.h"
#include "models/cpu/mmu/walk_cache.h"
#include "models/cpu/mmu/walker.h"
#include "sw/hal/cpu.h"

namespace vp {

// hal::Cpu is the first base so that the guest's virtual calls need no `this` adjustment.
class CortexA8 : public hal::Cpu, public sc_core::sc_module {
  public:
    // Initiator port on L3F (physical addresses, 32-bit).
    tlm_utils::simple_initiator_socket<CortexA8> socket;
    // Interrupt request inputs (the core's nIRQ / nFIQ pins, active-high here: true = pending).
    Wire irq;
    Wire fiq;

    enum class ExitCode : uint8_t {
        running,    // the guest entry has not returned yet
        ok,         // the entry returned
        oops,       // a hal::GuestOops escaped the entry (see abort)
        undefined,  // an undefined CP15 access (vp::UndefinedInstruction) escaped the entry
        error,      // any other exception escaped the entry, or there was no entry
    };
    struct ExitStatus {
        ExitCode code = ExitCode::running;
        std::string message;                  // the oops/undefined/error text
        std::optional<hal::AbortInfo> abort;  // the abort of an oops (DFSR/DFAR …)
        bool ok() const { return code == ExitCode::ok; }
    };

    SC_HAS_PROCESS(CortexA8);
    // Throws std::invalid_argument for invalid parameters (validate()).
    CortexA8(sc_core::sc_module_name name, const CortexA8Params& params = CortexA8Params{});
    ~CortexA8() override;

    // ---- Guest binding ----------------------------------------------------------------------
    // The guest kernel's entry point, run by the CPU's thread from time 0.
    void set_entry(std::function<void(hal::Cpu&)> entry);
    // Called in the CPU's thread once the entry has returned (or failed) and time is synced.
    void on_exit(std::function<void(const ExitStatus&)> callback);
    const sc_core::sc_event& exit_event() const { return exit_event_; }
    bool finished() const { return status_.code != ExitCode::running; }
    const ExitStatus& exit_status() const { return status_; }

    // ---- hal::Cpu ---------------------------------------------------------------------------
    bool try_load(uint32_t va, unsigned size, uint64_t& value, bool as_user = false) override;
    bool try_store(uint32_t va, unsigned size, uint64_t value, bool as_user = false) override;
    size_t copy(uint32_t dst_va, uint32_t src_va, size_t n, bool as_user = false) override;
    size_t fill(uint32_t va, uint8_t byte, size_t n, bool as_user = false) override;
    size_t read_block(uint32_t va, void* host, size_t n, bool as_user = false) override;
    size_t write_block(uint32_t va, const void* host, size_t n, bool as_user = false) override;
    void fetch(uint32_t va, size_t bytes) override;
    uint32_t mrc(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2) override;
    void mcr(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2, uint32_t value) override;
    void dsb() override;
    void dmb() override;
    void isb() override;
    hal::Mode mode() const override { return mode_; }
    void set_mode(hal::Mode m) override;
    void irq_enable(bool on) override;
    void fiq_enable(bool on) override;
    bool irqs_enabled() const override { return !irq_masked_; }
    void wfi() override;
    void compute(uint64_t cycles) override;
    uint64_t cycles() const override;
    uint64_t clock_hz() const override { return clock_hz_; }
    void set_irq_handler(std::function<void()> handler) override;
    void set_fiq_handler(std::function<void()> handler) override;
    void set_abort_handler(std::function<hal::AbortAction(const hal::AbortInfo&)> handler) override;

    // ---- Platform and inspection --------------------------------------------------------------
    const CortexA8Params& params() const { return params_; }
    // Changes the core clock (an OPP change); call from the guest thread or before simulation.
    void set_clock_hz(uint64_t hz);
    const mmu::MmuRegs& mmu_regs() const { return regs_; }
    const Cp15File& cp15() const { return cp15_; }
    // A CP15 register by name ("SCTLR", "DFSR" …) without side effects.
    uint32_t cp15_reg(const std::string& name) const { return cp15_.peek(name); }
    mmu::Tlb& dtlb() { return *dtlb_; }
    mmu::Tlb& itlb() { return *itlb_; }
    mmu::Tlb* l2_tlb() { return l2_tlb_.get(); }
    mmu::WalkCache* walk_cache() { return walk_cache_.get(); }
    cache::Hierarchy* caches() { return caches_.get(); }  // null in functional mode
    // Whether loads/stores may be served by the inline soft-TLB (functional mode, fast_path on,
    // a D-TLB policy whose hits change no state).
    bool fast_path_enabled() const { return fast_enabled_; }
    // Valid soft-TLB entries (read and write tables, both privilege levels).
    unsigned fast_path_entries() const;
    // Core cycles not yet synchronised with SystemC time.
    uint64_t local_cycles() const;
    sc_core::sc_time local_time() const { return cycles_to_time(local_cycles()); }
    // Folds the inline fast path's counts into the statistics (done at every sync point and
    // at exit; call it before reading statistics in the middle of a run).
    void fold_fast_path() { fold_fast(); }
    // Brings SystemC time up to the CPU's local time without taking interrupts. For platform
    // agents that run in the CPU's thread between guest operations (the register-script
    // executor); call from the guest thread only.
    void synchronize() { sync(false); }
    Logger& log() { return log_; }

  protected:
    uint64_t load_slow(uint32_t va, unsigned size) override;
    void store_slow(uint32_t va, unsigned size, uint64_t value) override;

  private:
    // ---- translation ----
    // One translation. `e` points into a TLB (valid until that TLB's next fill), at the walk
    // result or at a held copy (a flat entry, an L2-TLB entry, or a copy made by detach()).
    // The storage for those two is raw: an Xlate is made on every slow-path access, and
    // zero-filling ~200 bytes each time would cost more than the rest of a TLB hit.
    struct Xlate {
        const mmu::TlbEntry* e = nullptr;
        std::optional<mmu::Fault> fault;
        uint32_t pa = 0;
        bool in_tlb = false;  // the entry is held by the I- or D-TLB now
        bool hit = false;     // it came from a first-level TLB hit
        const mmu::WalkResult* walk = nullptr;

        Xlate() {}
        Xlate(const Xlate&) = delete;
        Xlate& operator=(const Xlate&) = delete;
        const mmu::TlbEntry& entry() const { return *e; }
        void hold(const mmu::TlbEntry& entry) { e = new (own_buf) mmu::TlbEntry(entry); }
        void detach() {  // before another translation may refill the TLB `e` points into
            if (hit) hold(*e);
        }
        template <typename... A>
        const mmu::WalkResult& start_walk(A&&... a) {  // built in place: no copy
            walk = new (walk_buf) mmu::WalkResult(mmu::walk(std::forward<A>(a)...));
            return *walk;
        }

      private:
        alignas(mmu::TlbEntry) unsigned char own_buf[sizeof(mmu::TlbEntry)];
        alignas(mmu::WalkResult) unsigned char walk_buf[sizeof(mmu::WalkResult)];
    };
    static_assert(std::is_trivially_destructible_v<mmu::TlbEntry> &&
                      std::is_trivially_destructible_v<mmu::WalkResult>,
                  "Xlate keeps these in raw storage without destroying them");
    class WalkReader : public mmu::DescriptorReader {
      public:
        explicit WalkReader(CortexA8& cpu) : cpu_(cpu) {}
        bool read(uint32_t pa, uint32_t& value, bool cacheable_walk) override {
            return cpu_.walk_read(pa, value, cacheable_walk);
        }

      private:
        CortexA8& cpu_;
    };
    struct DmiRegion {
        uint64_t start;
        uint64_t end;  // inclusive
        uint8_t* ptr;  // host address of `start`
        bool read;
        bool write;
    };
    struct DmiRefusal {
        uint64_t start;
        uint64_t end;
        bool write;
    };
    struct ShadowSlot {  // a mirror of one D-TLB slot (which pages the fast path may derive)
        uint32_t va_base = 0;
        uint32_t bytes = 0;
        bool valid = false;
    };

    void run();
    void build_cp15();
    void reset_state();

    // Slow-path framing: fold the fast path, take interrupts flagged by the lines, sync when
    // the quantum is used up (enter); sync if needed and recompute the fast budget (leave).
    void enter() {
        fold_fast();
        if (irq_attention_) take_interrupts();
        if (local_cycles_ >= quantum_cycles_) sync();
    }
    void leave() {
        if (local_cycles_ >= quantum_cycles_) sync();
        update_budget();
    }
    void fold_fast() {
        if ((fast_loads_ | fast_stores_) != 0) fold_fast_counts();
    }
    void fold_fast_counts();
    void update_budget() {
        if (fast_enabled_)
            grant_budget();
        else
            fast_budget_ = 0;
    }
    void grant_budget();
    void sync(bool take_irqs = true);
    void require_guest_thread(const char* what) const;

    // Time conversion at the current clock (the SystemC time resolution is exact).
    sc_core::sc_time cycles_to_time(uint64_t cycles) const;
    uint64_t time_to_cycles(const sc_core::sc_time& t) const;  // rounded up

    // Interrupts.
    void line_changed(bool level, const sc_core::sc_time& offset);
    void take_interrupts();
    void run_interrupt(bool is_fiq);

    // Aborts.
    hal::AbortAction deliver_abort(const mmu::Fault& f, unsigned size, bool user);
    [[noreturn]] void oops(const mmu::Fault& f, unsigned size, bool user, const char* why);

    // Memory accesses.
    bool privileged() const { return mode_ == hal::Mode::kernel; }
    // A D-TLB lookup already made for the current access (handed from quick_access() to the
    // general path so that the access counts one lookup).
    struct PreLookup {
        bool done = false;
        const mmu::TlbEntry* e = nullptr;
    };
    bool quick_access(uint32_t va, unsigned size, bool write, uint64_t& value, PreLookup& pre);
    bool access(uint32_t va, unsigned size, mmu::AccessKind kind, uint64_t& value, bool priv,
                bool is_try, PreLookup* pre = nullptr);
    // false: `fault` is set (nothing else is changed on the failure path).
    bool attempt_access(uint32_t va, unsigned size, mmu::AccessKind kind, uint64_t& value,
                        bool priv, mmu::Fault& fault, PreLookup* pre);
    // false: the bus answered with an error.
    bool perform(const Xlate& x, uint32_t va, unsigned size, bool write, uint8_t* buf, bool priv);
    // false: x.fault is set (x.e too when the fault is a permission/domain/alignment one).
    bool translate(uint32_t va, mmu::AccessKind kind, bool priv, unsigned size, Xlate& x,
                   PreLookup* pre = nullptr);
    bool fill_tlb(mmu::Tlb& tlb, const mmu::TlbEntry& e);
    // Walks into x.walk (with timing and statistics); false when the walk faulted.
    bool timed_walk(uint32_t va, mmu::AccessKind kind, Xlate& x);
    bool walk_read(uint32_t pa, uint32_t& value, bool cacheable_walk);
    uint64_t memory_callback(uint32_t line_pa, bool write);
    cache::Attrs data_cache_attrs(const mmu::MemAttrs& a) const;
    cache::Attrs fetch_cache_attrs(const mmu::MemAttrs& a) const;
    void approximate_data_timing(uint32_t pa, size_t n, bool write, const cache::Attrs& ca);

    // Block operations.
    bool block_chunk(uint32_t va, uint8_t* host, size_t n, bool write, bool priv);
    bool block_move(const Xlate& x, uint8_t* host, size_t n, bool write);
    size_t block_rw(uint32_t va, uint8_t* host, size_t n, bool write, bool as_user);

    // Bus.
    // One b_transport at the CPU's local time. `bus_cycles` (optional): the latency the bus
    // annotated, in core cycles (rounded up).
    bool transport(tlm::tlm_command cmd, uint32_t pa, uint8_t* data, unsigned len,
                   uint64_t* bus_cycles);
    bool bus_timed(bool write, uint32_t pa, uint8_t* data, unsigned len);
    bool move_data(bool write, uint32_t pa, uint8_t* data, unsigned len);
    uint8_t* dmi_ptr(uint32_t pa, unsigned len, bool write);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
    void peek_physical(uint32_t pa, uint8_t* data, unsigned len);

    // Fast path.
    void fast_fill(const mmu::TlbEntry& entry, uint32_t pa, uint32_t va, bool priv);
    void fast_flush();
    void fast_invalidate_range(uint32_t va_base, uint32_t bytes);
    void note_dtlb_slot(unsigned slot, const mmu::TlbEntry& e);
    void reconcile_dtlb();

    // CP15 side effects.
    void mmu_regs_changed();
    void tlb_op(mmu::Cp15Reg op, uint32_t value);
    void cache_op_by_mva(mmu::Cp15Reg op, uint32_t va);
    void cache_op_by_set_way(mmu::Cp15Reg op, uint32_t operand);
    void address_translation_op(mmu::Cp15Reg op, uint32_t va);
    void tlb_preload(bool data, uint32_t va);
    void apply_cache_enables();

    CortexA8Params params_;
    Logger log_;
    bool approximate_;
    uint64_t clock_hz_;
    uint64_t units_per_second_;     // SystemC time units per second
    uint64_t units_per_cycle_ = 0;  // when exact (e.g. 1000 ps at 1 GHz), else 0
    double cycles_per_unit_ = 0;    // 1 / units_per_cycle_
    uint64_t quantum_cycles_ = 1;
    tlm_utils::tlm_quantumkeeper qk_;
    sc_core::sc_process_handle thread_;

    // Time.
    uint64_t synced_cycles_ = 0;  // cycles up to the last synchronisation
    uint64_t local_cycles_ = 0;   // cycles ahead of SystemC time (excluding unfolded fast hits)
    uint64_t walk_read_cycles_ = 0;

    // Execution state.
    hal::Mode mode_ = hal::Mode::kernel;
    bool irq_masked_ = true;  // CPSR.I, CPSR.F: masked at reset
    bool fiq_masked_ = true;
    bool irq_attention_ = false;  // a line rose since interrupts were last looked at
    unsigned abort_depth_ = 0;
    sc_core::sc_event irq_event_;
    sc_core::sc_event exit_event_;
    std::function<void(hal::Cpu&)> entry_;
    std::function<void(const ExitStatus&)> on_exit_;
    std::function<void()> irq_handler_;
    std::function<void()> fiq_handler_;
    std::function<hal::AbortAction(const hal::AbortInfo&)> abort_handler_;
    ExitStatus status_;

    // CP15 state (the MMU's registers live in regs_).
    mmu::MmuRegs regs_;
    struct Cp15State {
        uint32_t actlr = 0, cpacr = 0, scr = 0, sder = 0, nsacr = 0, csselr = 0;
        uint32_t dfsr = 0, ifsr = 0, adfsr = 0, aifsr = 0, dfar = 0, ifar = 0, par = 0;
        uint32_t vbar = 0, fcseidr = 0, tpidrurw = 0, tpidruro = 0, tpidrprw = 0;
    } cp_;
    Cp15File cp15_;
    uint32_t clidr_ = 0;
    std::array<uint32_t, 16> ccsidr_{};  // by CSSELR value (Level[3:1], InD[0])

    // Translation units.
    std::unique_ptr<mmu::Tlb> itlb_;
    std::unique_ptr<mmu::Tlb> dtlb_;
    std::unique_ptr<mmu::Tlb> l2_tlb_;
    std::unique_ptr<mmu::WalkCache> walk_cache_;
    WalkReader reader_{*this};
    std::unique_ptr<cache::Hierarchy> caches_;

    // Walk reads inside the cache model's memory callback.
    bool walk_fill_pending_ = false;
    uint32_t walk_fill_pa_ = 0;
    uint8_t* walk_fill_buf_ = nullptr;
    bool walk_fill_ok_ = false;

    // Bus.
    tlm::tlm_generic_payload payload_;
    std::vector<DmiRegion> dmi_;
    std::vector<DmiRefusal> dmi_refused_;
    DmiRegion dmi_last_{1, 0, nullptr, false, false};  // the region that last answered
    unsigned line_bytes_ = 64;

    // Fast path.
    bool fast_enabled_ = false;
    std::vector<ShadowSlot> dtlb_shadow_;

    // Statistics (gem5-style names under params.stat_prefix).
    stats::Counter loads_;
    stats::Counter stores_;
    stats::Counter fetches_;
    stats::Counter fetch_lines_;
    stats::Counter block_ops_;
    stats::Counter block_bytes_;
    stats::Counter idle_cycles_;
    stats::Formula cycles_stat_;
    stats::Counter irqs_taken_;
    stats::Counter fiqs_taken_;
    stats::Counter sync_points_;
    stats::Counter wfis_;
    stats::Counter data_aborts_;
    stats::Counter prefetch_aborts_;
    stats::Counter device_accesses_;
    stats::Counter bus_errors_;
    stats::Counter line_fills_;
    stats::Counter line_writebacks_;
    stats::Counter dmi_invalidations_;
    stats::Counter fast_hits_;
    stats::Counter fast_fills_;
    stats::Counter fast_flushes_;
    stats::Counter barriers_;
    stats::Counter walks_;
    stats::Counter walks_data_;
    stats::Counter walks_inst_;
    stats::Counter walks_section_;
    stats::Counter walks_page_;
    stats::Counter walks_faulted_;
    stats::Counter walk_reads_;
    stats::Counter walk_cycles_;
    stats::IntHistogram walk_latency_;
    std::vector<std::unique_ptr<stats::Counter>> faults_;  // by mmu::FaultType

    // Study statistics (docs/observability.md, "Study statistics"): derived when read.
    // cpu.busy_cycles: core cycles since the last statistics reset (Registry::reset_all, e.g.
    // at the start of a workload's measured part) less the wfi idle cycles counted since then,
    // so that every ratio below covers the same interval as the counters it divides.
    class BusyCycles final : public stats::StatBase {
      public:
        BusyCycles(std::string name, std::string description, const CortexA8& cpu)
            : StatBase(std::move(name), std::move(description)), cpu_(cpu) {}
        void reset() override;
        double value() const override;

      private:
        const CortexA8& cpu_;
        uint64_t base_ = 0;  // cycles() at the last reset
    };
    double busy_cycles() const { return busy_cycles_stat_.value(); }
    double study_ops() const;  // instruction-equivalent operations
    stats::Counter compute_cycles_;
    BusyCycles busy_cycles_stat_;
    stats::Formula ops_stat_;
    stats::Formula cycles_per_op_;
    stats::Formula amat_cycles_;
    stats::Formula dtlb_mpki_;
    stats::Formula itlb_mpki_;
    stats::Formula avg_walk_cycles_;
    stats::Formula walk_cycle_share_;
};

}  // namespace vp
