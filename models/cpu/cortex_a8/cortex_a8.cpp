// Cortex-A8 model: construction, the guest thread, time, interrupts, aborts and the system
// instructions. Memory accesses are in cortex_a8_mem.cpp, the CP15 table in cortex_a8_cp15.cpp.
#include "models/cpu/cortex_a8/cortex_a8.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/cpu/mmu/cp15.h"

namespace vp {

namespace {

// More inline accesses than this between two slow-path calls are never granted, so the fast
// path's counts are folded into the statistics at least this often.
constexpr int64_t kMaxFastBudget = int64_t{1} << 24;
// Interrupts taken back to back at one check before leaving the rest for the next one.
constexpr unsigned kMaxInterruptsPerCheck = 64;
// Nested aborts (an abort inside the abort handler …) before giving up.
constexpr unsigned kMaxAbortDepth = 8;
// Walk latency histogram: 8-cycle buckets up to 512 cycles.
constexpr double kWalkBucketCycles = 8;
constexpr size_t kWalkBuckets = 64;
// A block operation counts one operation per word it moves (ARM's LDM/STM move 32-bit words).
constexpr uint64_t kBlockWordBytes = 4;

const CortexA8Params& checked(const CortexA8Params& p) {
    validate(p);
    return p;
}

std::string stat(const CortexA8Params& p, const char* leaf) {
    return p.stat_prefix + "." + leaf;
}

}  // namespace

CortexA8::CortexA8(sc_core::sc_module_name name, const CortexA8Params& params)
    : hal::Cpu(),
      sc_core::sc_module(name),
      socket("socket"),
      irq(std::string(sc_core::sc_module::name()) + ".nirq"),
      fiq(std::string(sc_core::sc_module::name()) + ".nfiq"),
      params_(checked(params)),
      log_(sc_core::sc_module::name()),
      approximate_(params.mode == TimingMode::approximate),
      clock_hz_(params.clock_hz),
      units_per_second_(static_cast<uint64_t>(
          std::llround(1.0 / sc_core::sc_get_time_resolution().to_seconds()))),
      loads_(stat(params_, "loads"), "data loads (LDR*, including fast-path hits)"),
      stores_(stat(params_, "stores"), "data stores (STR*, including fast-path hits)"),
      fetches_(stat(params_, "fetches"), "instruction-stream fetch() calls"),
      fetch_lines_(stat(params_, "fetch_lines"), "cache lines of instructions fetched"),
      block_ops_(stat(params_, "block_ops"), "copy/fill/read_block/write_block calls"),
      block_bytes_(stat(params_, "block_bytes"), "bytes moved by block operations"),
      idle_cycles_(stat(params_, "idle_cycles"), "cycles spent waiting in wfi"),
      cycles_stat_(stat(params_, "cycles"), "core cycles since reset (busy + idle)",
                   [this] { return static_cast<double>(cycles()); }),
      irqs_taken_(stat(params_, "irqs_taken"), "IRQ exceptions taken"),
      fiqs_taken_(stat(params_, "fiqs_taken"), "FIQ exceptions taken"),
      sync_points_(stat(params_, "sync_points"), "synchronisations with SystemC time"),
      wfis_(stat(params_, "wfi"), "wait-for-interrupt calls"),
      data_aborts_(stat(params_, "data_aborts"), "data aborts delivered to the guest"),
      prefetch_aborts_(stat(params_, "prefetch_aborts"), "prefetch aborts delivered"),
      device_accesses_(stat(params_, "device_accesses"),
                       "Device/Strongly-ordered bus transactions"),
      bus_errors_(stat(params_, "bus_errors"), "bus transactions answered with an error"),
      line_fills_(stat(params_, "line_fills"), "cache line fills from memory (approximate)"),
      line_writebacks_(stat(params_, "line_writebacks"), "cache lines written to memory"),
      dmi_invalidations_(stat(params_, "dmi_invalidations"), "DMI invalidations received"),
      fast_hits_(stat(params_, "fast_path.hits"), "accesses served by the inline fast path"),
      fast_fills_(stat(params_, "fast_path.fills"), "fast-path entries installed"),
      fast_flushes_(stat(params_, "fast_path.flushes"), "whole fast-path flushes"),
      barriers_(stat(params_, "barriers"), "DSB/DMB/ISB"),
      walks_(stat(params_, "walker.walks"), "translation table walks"),
      walks_data_(stat(params_, "walker.walks_data"), "walks for data accesses (D-TLB misses)"),
      walks_inst_(stat(params_, "walker.walks_inst"), "walks for fetches (I-TLB misses)"),
      walks_section_(stat(params_, "walker.walks_section"),
                     "walks ending in a section or supersection (1 descriptor read)"),
      walks_page_(stat(params_, "walker.walks_page"),
                  "walks ending in a large or small page (2 descriptor reads)"),
      walks_faulted_(stat(params_, "walker.walks_faulted"),
                     "walks ending in a translation fault or an external abort"),
      walk_reads_(stat(params_, "walker.reads"), "descriptor reads (32-bit TLM reads)"),
      walk_cycles_(stat(params_, "walker.walk_cycles"), "core cycles spent in walks"),
      walk_latency_(stat(params_, "walker.latency"), "walk latency (core cycles)",
                    kWalkBucketCycles, kWalkBuckets, 1.0),
      compute_cycles_(stat(params_, "compute_cycles"),
                      "cycles of non-memory work annotated by compute()"),
      busy_cycles_stat_(stat(params_, "busy_cycles"),
                        "cycles since the last statistics reset, less idle_cycles", *this),
      ops_stat_(stat(params_, "ops"),
                "instruction-equivalent operations: loads + stores + compute cycles + "
                "32-bit words moved by block operations",
                [this] { return study_ops(); }),
      cycles_per_op_(stat(params_, "cycles_per_op"), "busy_cycles / ops (CPI-equivalent)",
                     [this] { return busy_cycles() / study_ops(); }),
      amat_cycles_(stat(params_, "amat_cycles"),
                   "average memory access time: (busy_cycles - compute_cycles) / (loads + "
                   "stores + block words), translation included",
                   [this] {
                       return (busy_cycles() - static_cast<double>(compute_cycles_.get())) /
                              (study_ops() - static_cast<double>(compute_cycles_.get()));
                   }),
      dtlb_mpki_(stat(params_, "dtlb.mpki"), "D-TLB misses per 1000 ops",
                 [this] { return 1000.0 * static_cast<double>(dtlb_->misses()) / study_ops(); }),
      itlb_mpki_(stat(params_, "itlb.mpki"), "I-TLB misses per 1000 ops",
                 [this] { return 1000.0 * static_cast<double>(itlb_->misses()) / study_ops(); }),
      avg_walk_cycles_(stat(params_, "walker.avg_walk_cycles"), "walk_cycles / walks",
                       [this] {
                           return static_cast<double>(walk_cycles_.get()) /
                                  static_cast<double>(walks_.get());
                       }),
      walk_cycle_share_(
          stat(params_, "walker.walk_cycle_share"),
          "walk_cycles / busy_cycles: the share of time spent in table walks",
          [this] { return static_cast<double>(walk_cycles_.get()) / busy_cycles(); }) {
    const std::string& prefix = params_.stat_prefix;
    socket.register_invalidate_direct_mem_ptr(this, &CortexA8::invalidate_dmi);
    irq.on_change([this](bool level, const sc_core::sc_time& off) { line_changed(level, off); });
    fiq.on_change([this](bool level, const sc_core::sc_time& off) { line_changed(level, off); });

    for (unsigned t = 0; t <= static_cast<unsigned>(mmu::FaultType::sync_parity_walk_l2); ++t) {
        const auto type = static_cast<mmu::FaultType>(t);
        faults_.push_back(std::make_unique<stats::Counter>(
            prefix + ".walker.faults." + mmu::fault_name(type), mmu::fault_description(type)));
    }

    itlb_ = std::make_unique<mmu::Tlb>(prefix + ".itlb", params_.itlb);
    dtlb_ = std::make_unique<mmu::Tlb>(prefix + ".dtlb", params_.dtlb);
    if (params_.l2_tlb)
        l2_tlb_ = std::make_unique<mmu::Tlb>(prefix + ".l2tlb", params_.l2_tlb_geometry);
    if (params_.walk_cache_entries > 0)
        walk_cache_ =
            std::make_unique<mmu::WalkCache>(prefix + ".walk_cache", params_.walk_cache_entries);
    dtlb_shadow_.resize(dtlb_->capacity());

    cache::HierarchyParams hp = params_.caches;
    hp.l1i.name = prefix + ".l1i";
    hp.l1d.name = prefix + ".l1d";
    hp.l2.name = prefix + ".l2";
    line_bytes_ = hp.l2_present ? hp.l2.line_bytes : hp.l1d.line_bytes;
    {
        // Identification registers come from the cache geometry in both modes; functional mode
        // has no cache model, so a short-lived one (under a private statistics prefix) answers.
        cache::HierarchyParams id = hp;
        id.l1i.name = prefix + ".__id.l1i";
        id.l1d.name = prefix + ".__id.l1d";
        id.l2.name = prefix + ".__id.l2";
        cache::Hierarchy probe(id, [](uint32_t, bool) { return uint64_t{0}; });
        clidr_ = probe.clidr();
        for (uint32_t sel = 0; sel < ccsidr_.size(); ++sel)
            ccsidr_[sel] = probe.ccsidr(sel);
    }
    if (approximate_)
        caches_ = std::make_unique<cache::Hierarchy>(
            hp, [this](uint32_t line_pa, bool write) { return memory_callback(line_pa, write); });

    fast_enabled_ = params_.fast_path && !approximate_ && !dtlb_->hit_changes_state();
    flush_fast_path();
    fast_budget_ = 0;

    units_per_cycle_ = units_per_second_ % clock_hz_ == 0 ? units_per_second_ / clock_hz_ : 0;
    cycles_per_unit_ = units_per_cycle_ ? 1.0 / static_cast<double>(units_per_cycle_) : 0.0;
    quantum_cycles_ = std::max<uint64_t>(1, time_to_cycles(params_.quantum));
    tlm_utils::tlm_quantumkeeper::set_global_quantum(params_.quantum);
    qk_.reset();

    build_cp15();
    reset_state();

    SC_THREAD(run);
    set_stack_size(params_.stack_bytes);
}

CortexA8::~CortexA8() {
    try {
        if (&hal::this_cpu() == this) hal::set_this_cpu(nullptr);
    } catch (const std::logic_error&) {
        // no CPU registered: nothing to clear
    }
}

void CortexA8::reset_state() {
    cp15_.reset();
    mode_ = hal::Mode::kernel;
    fast_mode_ = mode_;
    irq_masked_ = true;
    fiq_masked_ = true;
    apply_cache_enables();
}

void CortexA8::set_entry(std::function<void(hal::Cpu&)> entry) {
    entry_ = std::move(entry);
}

void CortexA8::on_exit(std::function<void(const ExitStatus&)> callback) {
    on_exit_ = std::move(callback);
}

void CortexA8::set_irq_handler(std::function<void()> handler) {
    irq_handler_ = std::move(handler);
}

void CortexA8::set_fiq_handler(std::function<void()> handler) {
    fiq_handler_ = std::move(handler);
}

void CortexA8::set_abort_handler(std::function<hal::AbortAction(const hal::AbortInfo&)> handler) {
    abort_handler_ = std::move(handler);
}

// ---- The guest thread -------------------------------------------------------------------------

void CortexA8::run() {
    thread_ = sc_core::sc_get_current_process_handle();
    hal::set_this_cpu(this);
    ExitStatus st;
    try {
        if (!entry_) throw std::runtime_error("no guest entry: set_entry() was not called");
        entry_(*this);
        st.code = ExitCode::ok;
    } catch (const sc_core::sc_unwind_exception&) {
        throw;  // the thread is being killed or reset: SystemC must see this one
    } catch (const hal::GuestOops& e) {
        st.code = ExitCode::oops;
        st.message = e.what();
        st.abort = e.info();
        VP_LOG(log_, error, "{}\n  DFSR={:#010x} DFAR={:#010x} IFSR={:#010x} IFAR={:#010x}",
               e.what(), cp_.dfsr, cp_.dfar, cp_.ifsr, cp_.ifar);
    } catch (const UndefinedInstruction& e) {
        st.code = ExitCode::undefined;
        st.message = e.what();
        VP_LOG(log_, error, "{}", e.what());
    } catch (const std::exception& e) {
        st.code = ExitCode::error;
        st.message = e.what();
        VP_LOG(log_, error, "guest entry failed: {}", e.what());
    }
    sync(false);
    status_ = st;
    VP_LOG(log_, info, "guest exited ({}) after {} cycles", static_cast<int>(st.code), cycles());
    exit_event_.notify(sc_core::SC_ZERO_TIME);
    if (on_exit_) on_exit_(status_);
}

void CortexA8::require_guest_thread(const char* what) const {
    if (sc_core::sc_get_current_process_handle() != thread_)
        throw std::logic_error(fmt::format(
            "{}: {} called outside the CPU's guest thread (only the guest may use hal::Cpu)",
            name(), what));
}

// ---- Time -------------------------------------------------------------------------------------

sc_core::sc_time CortexA8::cycles_to_time(uint64_t cycles) const {
    if (units_per_cycle_) return sc_core::sc_time::from_value(cycles * units_per_cycle_);
    const unsigned __int128 units =
        static_cast<unsigned __int128>(cycles) * units_per_second_ / clock_hz_;
    return sc_core::sc_time::from_value(static_cast<uint64_t>(units));
}

uint64_t CortexA8::time_to_cycles(const sc_core::sc_time& t) const {
    if (units_per_cycle_) {
        // ceil(v / units_per_cycle_) without a 64-bit division: a floating-point estimate
        // corrected to the exact quotient.
        const uint64_t v = t.value();
        uint64_t q = static_cast<uint64_t>(static_cast<double>(v) * cycles_per_unit_);
        while (q > 0 && q * units_per_cycle_ > v)
            --q;
        while ((q + 1) * units_per_cycle_ <= v)
            ++q;
        return q + (q * units_per_cycle_ != v ? 1 : 0);
    }
    const unsigned __int128 n = static_cast<unsigned __int128>(t.value()) * clock_hz_;
    return static_cast<uint64_t>((n + units_per_second_ - 1) / units_per_second_);
}

uint64_t CortexA8::local_cycles() const {
    return local_cycles_ + fast_loads_ * params_.functional.load_cycles +
           fast_stores_ * params_.functional.store_cycles;
}

uint64_t CortexA8::cycles() const {
    return synced_cycles_ + local_cycles();
}

void CortexA8::set_clock_hz(uint64_t hz) {
    CortexA8Params p = params_;
    p.clock_hz = hz;
    validate(p);
    if (sc_core::sc_is_running() && sc_core::sc_get_current_process_handle() == thread_)
        sync(false);
    params_.clock_hz = hz;
    clock_hz_ = hz;
    units_per_cycle_ = units_per_second_ % hz == 0 ? units_per_second_ / hz : 0;
    cycles_per_unit_ = units_per_cycle_ ? 1.0 / static_cast<double>(units_per_cycle_) : 0.0;
    quantum_cycles_ = std::max<uint64_t>(1, time_to_cycles(params_.quantum));
    update_budget();
}

void CortexA8::fold_fast_counts() {
    const uint64_t nl = fast_loads_;
    const uint64_t ns = fast_stores_;
    fast_loads_ = 0;
    fast_stores_ = 0;
    loads_ += nl;
    stores_ += ns;
    fast_hits_ += nl + ns;
    dtlb_->count_hits(nl + ns);
    local_cycles_ += nl * params_.functional.load_cycles + ns * params_.functional.store_cycles;
}

void CortexA8::grant_budget() {
    if (irq_attention_ || local_cycles_ >= quantum_cycles_) {
        fast_budget_ = 0;
        return;
    }
    // The inline path may serve every access up to and including the one that reaches the
    // end of the quantum, never one after it: the slow path that follows then syncs at the
    // same point as a slow-path-only run would (so both give the same statistics).
    const uint64_t remaining = quantum_cycles_ - local_cycles_;
    const uint64_t cmax = std::max(params_.functional.load_cycles, params_.functional.store_cycles);
    const uint64_t n = cmax ? (remaining + cmax - 1) / cmax : uint64_t(kMaxFastBudget);
    fast_budget_ = static_cast<int64_t>(std::min<uint64_t>(n, kMaxFastBudget));
}

void CortexA8::sync(bool take_irqs) {
    require_guest_thread("a synchronisation");
    fold_fast();
    const uint64_t c = local_cycles_;
    local_cycles_ = 0;
    synced_cycles_ += c;
    qk_.set(cycles_to_time(c));
    qk_.sync();
    hal::set_this_cpu(this);  // another CPU's thread may have run meanwhile
    ++sync_points_;
    if (irq.read() || fiq.read()) {
        if (take_irqs)
            take_interrupts();
        else
            irq_attention_ = true;
    }
}

// ---- Interrupts -------------------------------------------------------------------------------

void CortexA8::line_changed(bool level, const sc_core::sc_time& offset) {
    if (!level) return;
    irq_attention_ = true;
    fast_budget_ = 0;  // the next access leaves the inline path and looks at the lines
    if (sc_core::sc_is_running()) irq_event_.notify(offset);
}

void CortexA8::take_interrupts() {
    irq_attention_ = false;
    for (unsigned n = 0; n < kMaxInterruptsPerCheck; ++n) {
        if (fiq.read() && !fiq_masked_ && fiq_handler_) {
            run_interrupt(true);
        } else if (irq.read() && !irq_masked_ && irq_handler_) {
            run_interrupt(false);
        } else {
            if ((fiq.read() && !fiq_masked_ && !fiq_handler_ && log_.once("no-fiq-handler")) ||
                (irq.read() && !irq_masked_ && !irq_handler_ && log_.once("no-irq-handler")))
                VP_LOG(log_, warning,
                       "an unmasked interrupt is pending but the guest registered no handler "
                       "for it: it stays pending");
            return;
        }
    }
    if (log_.once("interrupt-storm"))
        VP_LOG(log_, warning,
               "{} interrupts taken back to back: the handler does not clear its source?",
               kMaxInterruptsPerCheck);
}

void CortexA8::run_interrupt(bool is_fiq) {
    // Exception entry (DDI 0406C B1.8): IRQ mode with CPSR.I set; FIQ mode with I and F set.
    struct Restore {
        CortexA8& c;
        hal::Mode mode;
        bool i, f;
        ~Restore() {
            c.set_mode(mode);
            c.irq_masked_ = i;
            c.fiq_masked_ = f;
        }
    } restore{*this, mode_, irq_masked_, fiq_masked_};
    set_mode(hal::Mode::kernel);
    irq_masked_ = true;
    if (is_fiq) {
        fiq_masked_ = true;
        ++fiqs_taken_;
        fiq_handler_();
    } else {
        ++irqs_taken_;
        irq_handler_();
    }
}

void CortexA8::irq_enable(bool on) {
    enter();
    irq_masked_ = !on;
    if (on && irq.read()) take_interrupts();
    leave();
}

void CortexA8::fiq_enable(bool on) {
    enter();
    fiq_masked_ = !on;
    if (on && fiq.read()) take_interrupts();
    leave();
}

void CortexA8::wfi() {
    enter();
    ++wfis_;
    sync();
    if (!irq.read() && !fiq.read()) {
        const sc_core::sc_time t0 = sc_core::sc_time_stamp();
        while (!irq.read() && !fiq.read())
            sc_core::wait(irq_event_);
        hal::set_this_cpu(this);
        const uint64_t idle = time_to_cycles(sc_core::sc_time_stamp() - t0);
        synced_cycles_ += idle;
        idle_cycles_ += idle;
        take_interrupts();
    }
    leave();
}

// ---- Aborts -----------------------------------------------------------------------------------

hal::AbortAction CortexA8::deliver_abort(const mmu::Fault& f, unsigned size, bool user) {
    const bool data = f.is_data_abort();
    if (data) {
        cp_.dfsr = f.fsr;
        cp_.dfar = f.far;
        ++data_aborts_;
    } else {
        cp_.ifsr = f.fsr;
        cp_.ifar = f.far;
        ++prefetch_aborts_;
    }
    ++*faults_[static_cast<size_t>(f.type)];
    VP_LOG(log_, debug, "{} abort at {:#010x}: {} (FSR {:#x})", data ? "data" : "prefetch", f.far,
           mmu::fault_description(f.type), f.fsr);
    if (!abort_handler_ || abort_depth_ >= kMaxAbortDepth) return hal::AbortAction::fatal;

    hal::AbortInfo info{};
    info.kind = data ? hal::AbortInfo::data : hal::AbortInfo::prefetch;
    info.fsr = f.fsr;
    info.far = f.far;
    info.write = f.access == mmu::AccessKind::write;
    info.user = user;
    info.size = size;

    // Exception entry: Abort mode (PL1) with CPSR.I set; the return restores CPSR.
    struct Restore {
        CortexA8& c;
        hal::Mode mode;
        bool i;
        ~Restore() {
            c.set_mode(mode);
            c.irq_masked_ = i;
            --c.abort_depth_;
        }
    } restore{*this, mode_, irq_masked_};
    ++abort_depth_;
    set_mode(hal::Mode::kernel);
    irq_masked_ = true;
    return abort_handler_(info);
}

void CortexA8::oops(const mmu::Fault& f, unsigned size, bool user, const char* why) {
    hal::AbortInfo info{};
    info.kind = f.is_data_abort() ? hal::AbortInfo::data : hal::AbortInfo::prefetch;
    info.fsr = f.fsr;
    info.far = f.far;
    info.write = f.access == mmu::AccessKind::write;
    info.user = user;
    info.size = size;
    // The header of a Linux ARM oops (arch/arm/mm/fault.c __do_kernel_fault, traps.c die).
    const char* what = f.far < (1u << 12) ? "NULL pointer dereference" : "paging request";
    const char* access = f.access == mmu::AccessKind::write   ? "write"
                         : f.access == mmu::AccessKind::fetch ? "execute"
                                                              : "read";
    throw hal::GuestOops(
        info, fmt::format("Unable to handle kernel {} at virtual address {:08x} when {}\n"
                          "Internal error: Oops: {:x} [#1] ARM ({}; {})",
                          what, f.far, access, f.fsr, mmu::fault_description(f.type), why));
}

// ---- System instructions ----------------------------------------------------------------------

namespace {
constexpr unsigned kMaxCrn = 15, kMaxOpc1 = 7, kMaxCrm = 15, kMaxOpc2 = 7;
}

uint32_t CortexA8::mrc(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2) {
    enter();
    const mmu::Cp15Reg enc = mmu::cp15(opc1, crn, crm, opc2);
    if (crn > kMaxCrn || opc1 > kMaxOpc1 || crm > kMaxCrm || opc2 > kMaxOpc2) {
        fast_budget_ = 0;
        throw UndefinedInstruction(enc, false, "operand out of range");
    }
    uint32_t v = 0;
    try {
        v = cp15_.read(enc, privileged());
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
    return v;
}

void CortexA8::mcr(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2, uint32_t value) {
    enter();
    const mmu::Cp15Reg enc = mmu::cp15(opc1, crn, crm, opc2);
    if (crn > kMaxCrn || opc1 > kMaxOpc1 || crm > kMaxCrm || opc2 > kMaxOpc2) {
        fast_budget_ = 0;
        throw UndefinedInstruction(enc, true, "operand out of range");
    }
    try {
        cp15_.write(enc, value, privileged());
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
}

void CortexA8::dsb() {
    enter();
    ++barriers_;
    leave();
}

void CortexA8::dmb() {
    enter();
    ++barriers_;
    leave();
}

void CortexA8::isb() {
    enter();
    ++barriers_;
    leave();
}

void CortexA8::set_mode(hal::Mode m) {
    mode_ = m;
    fast_mode_ = m;
}

void CortexA8::compute(uint64_t cycles) {
    enter();
    local_cycles_ += cycles;
    compute_cycles_ += cycles;
    leave();
}

// ---- Study statistics ---------------------------------------------------------------------------

void CortexA8::BusyCycles::reset() {
    base_ = cpu_.cycles();
}

double CortexA8::BusyCycles::value() const {
    return static_cast<double>(cpu_.cycles() - base_) -
           static_cast<double>(cpu_.idle_cycles_.get());
}

double CortexA8::study_ops() const {
    // One operation per load, store and compute cycle (compute(n) stands for n single-cycle
    // instructions), and one per 32-bit word a block operation moved (an LDM/STM element).
    return static_cast<double>(loads_.get() + stores_.get() + compute_cycles_.get() +
                               block_bytes_.get() / kBlockWordBytes);
}

}  // namespace vp
