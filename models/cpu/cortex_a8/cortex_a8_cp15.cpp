// The Cortex-A8 CP15 table (as data) and the side effects of its operations.
#include <fmt/format.h>

#include "models/cpu/cortex_a8/a8_regs.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/permissions.h"

namespace vp {

namespace {

using mmu::Cp15Reg;
namespace r = mmu::cp15reg;

Cp15Row ro(Cp15Reg enc, uint32_t value) {
    Cp15Row row;
    row.enc = enc;
    row.name = mmu::cp15_name(enc);
    row.access = Cp15Access::ro;
    row.reset = value;
    row.on_read = [value] { return value; };
    return row;
}

Cp15Row rw(Cp15Reg enc, uint32_t* storage, uint32_t reset, uint32_t mask = 0xFFFFFFFFu) {
    Cp15Row row;
    row.enc = enc;
    row.name = mmu::cp15_name(enc);
    row.access = Cp15Access::rw;
    row.storage = storage;
    row.reset = reset;
    row.write_mask = mask;
    return row;
}

Cp15Row op(Cp15Reg enc, std::function<void(uint32_t)> effect) {
    Cp15Row row;
    row.enc = enc;
    row.name = mmu::cp15_name(enc);
    row.access = Cp15Access::wo;
    row.on_write = [effect = std::move(effect)](uint32_t, uint32_t v) { effect(v); };
    return row;
}

cache::MaintOp maint_kind(Cp15Reg enc) {
    if (enc == r::DCIMVAC || enc == r::DCISW) return cache::MaintOp::invalidate;
    if (enc == r::DCCIMVAC || enc == r::DCCISW) return cache::MaintOp::clean_invalidate;
    return cache::MaintOp::clean;
}

// PAR.Inner[6:4] of a memory type / inner policy (DDI 0406C B4.1.111).
uint32_t par_inner(const mmu::MemAttrs& a) {
    if (a.type == mmu::MemType::strongly_ordered) return a8::par::INNER_SO;
    if (a.type == mmu::MemType::device) return a8::par::INNER_DEVICE;
    switch (a.inner) {
        case mmu::CachePolicy::non_cacheable:
            return a8::par::INNER_NC;
        case mmu::CachePolicy::write_back_write_allocate:
            return a8::par::INNER_WB_WA;
        case mmu::CachePolicy::write_through:
            return a8::par::INNER_WT;
        case mmu::CachePolicy::write_back_no_write_allocate:
            return a8::par::INNER_WB_NOWA;
    }
    return a8::par::INNER_NC;
}

}  // namespace

void CortexA8::build_cp15() {
    // --- c0: identification --------------------------------------------------------------
    cp15_.add(ro(r::MIDR, mmu::kCortexA8Midr));
    cp15_.add(ro(r::CTR, a8::kCtr));
    cp15_.add(ro(r::TCMTR, a8::kTcmtr));
    cp15_.add(ro(r::TLBTR, a8::kTlbtr));
    cp15_.add(ro(r::CLIDR, clidr_));
    cp15_.add(ro(r::AIDR, a8::kAidr));
    {
        Cp15Row ccsidr = ro(r::CCSIDR, 0);
        ccsidr.on_read = [this] { return ccsidr_[cp_.csselr & a8::kCsselrWritable]; };
        cp15_.add(std::move(ccsidr));
    }
    cp15_.add(rw(r::CSSELR, &cp_.csselr, 0, a8::kCsselrWritable));

    // --- c1: system control ---------------------------------------------------------------
    {
        Cp15Row sctlr = rw(r::SCTLR, &regs_.sctlr, a8::kSctlrReset, a8::kSctlrWritable);
        sctlr.on_write = [this](uint32_t, uint32_t) {
            mmu_regs_changed();
            apply_cache_enables();
        };
        cp15_.add(std::move(sctlr));
    }
    {
        Cp15Row actlr = rw(r::ACTLR, &cp_.actlr, a8::kActlrReset);
        actlr.on_write = [this](uint32_t, uint32_t) { apply_cache_enables(); };
        cp15_.add(std::move(actlr));
    }
    cp15_.add(rw(r::CPACR, &cp_.cpacr, 0));
    cp15_.add(rw(r::SCR, &cp_.scr, 0));
    cp15_.add(rw(r::SDER, &cp_.sder, 0));
    cp15_.add(rw(r::NSACR, &cp_.nsacr, 0));

    // --- c2, c3: translation tables and domains (each write flushes the fast path) -----------
    auto mmu_row = [this](Cp15Reg enc, uint32_t* storage, uint32_t reset, uint32_t mask) {
        Cp15Row row = rw(enc, storage, reset, mask);
        row.on_write = [this](uint32_t, uint32_t) { mmu_regs_changed(); };
        cp15_.add(std::move(row));
    };
    mmu_row(r::TTBR0, &regs_.ttbr0, 0, 0xFFFFFFFFu);
    mmu_row(r::TTBR1, &regs_.ttbr1, 0, 0xFFFFFFFFu);
    mmu_row(r::TTBCR, &regs_.ttbcr, 0, a8::kTtbcrWritable);
    mmu_row(r::DACR, &regs_.dacr, 0, 0xFFFFFFFFu);

    // --- c5, c6: fault status and address -------------------------------------------------
    cp15_.add(rw(r::DFSR, &cp_.dfsr, 0, a8::kDfsrWritable));
    cp15_.add(rw(r::IFSR, &cp_.ifsr, 0, a8::kIfsrWritable));
    cp15_.add(rw(r::ADFSR, &cp_.adfsr, 0));
    cp15_.add(rw(r::AIFSR, &cp_.aifsr, 0));
    cp15_.add(rw(r::DFAR, &cp_.dfar, 0));
    cp15_.add(rw(r::IFAR, &cp_.ifar, 0));

    // --- c7: cache maintenance, barriers, address translation ------------------------------
    cp15_.add(rw(r::PAR, &cp_.par, 0));
    cp15_.add(op(r::ICIALLU, [this](uint32_t) {
        if (caches_) local_cycles_ += caches_->icache_invalidate_all().cycles;
    }));
    cp15_.add(op(r::ICIMVAU, [this](uint32_t va) { cache_op_by_mva(r::ICIMVAU, va); }));
    cp15_.add(op(r::BPIALL, [](uint32_t) {}));  // no branch predictor model
    cp15_.add(op(r::BPIMVA, [](uint32_t) {}));
    for (Cp15Reg e : {r::DCIMVAC, r::DCCMVAC, r::DCCMVAU, r::DCCIMVAC})
        cp15_.add(op(e, [this, e](uint32_t va) { cache_op_by_mva(e, va); }));
    for (Cp15Reg e : {r::DCISW, r::DCCSW, r::DCCISW})
        cp15_.add(op(e, [this, e](uint32_t sw) { cache_op_by_set_way(e, sw); }));
    for (Cp15Reg e : {r::ATS1CPR, r::ATS1CPW, r::ATS1CUR, r::ATS1CUW})
        cp15_.add(op(e, [this, e](uint32_t va) { address_translation_op(e, va); }));
    for (Cp15Reg e : {r::CP15ISB, r::CP15DSB, r::CP15DMB}) {
        Cp15Row barrier = op(e, [this](uint32_t) { ++barriers_; });
        barrier.user_write = true;  // the CP15 barrier operations are allowed at PL0
        cp15_.add(std::move(barrier));
    }

    // --- c8: TLB maintenance ----------------------------------------------------------------
    for (Cp15Reg e : {r::ITLBIALL, r::ITLBIMVA, r::ITLBIASID, r::DTLBIALL, r::DTLBIMVA,
                      r::DTLBIASID, r::TLBIALL, r::TLBIMVA, r::TLBIASID})
        cp15_.add(op(e, [this, e](uint32_t v) { tlb_op(e, v); }));

    // --- c10: TLB lockdown and preload, memory remap ----------------------------------------
    {
        Cp15Row d = rw(r::DTLB_LOCKDOWN, nullptr, 0);
        d.on_read = [this] { return dtlb_->lockdown(); };
        d.on_write = [this](uint32_t, uint32_t v) { dtlb_->set_lockdown(v); };
        cp15_.add(std::move(d));
        Cp15Row i = rw(r::ITLB_LOCKDOWN, nullptr, 0);
        i.on_read = [this] { return itlb_->lockdown(); };
        i.on_write = [this](uint32_t, uint32_t v) { itlb_->set_lockdown(v); };
        cp15_.add(std::move(i));
    }
    cp15_.add(op(r::DTLB_PRELOAD, [this](uint32_t va) { tlb_preload(true, va); }));
    cp15_.add(op(r::ITLB_PRELOAD, [this](uint32_t va) { tlb_preload(false, va); }));
    mmu_row(r::PRRR, &regs_.prrr, a8::kPrrrReset, 0xFFFFFFFFu);
    mmu_row(r::NMRR, &regs_.nmrr, a8::kNmrrReset, 0xFFFFFFFFu);

    // --- c12, c13: vectors, process and thread IDs -----------------------------------------
    cp15_.add(rw(r::VBAR, &cp_.vbar, 0, a8::kVbarWritable));
    {
        Cp15Row fcse = rw(r::FCSEIDR, &cp_.fcseidr, 0, a8::kFcseWritable);
        fcse.on_write = [this](uint32_t, uint32_t v) {
            mmu_regs_changed();
            if (v != 0 && log_.once("fcse"))
                VP_LOG(log_, warning,
                       "FCSEIDR = {:#x}: the Fast Context Switch Extension is not modelled "
                       "(virtual addresses are used unmodified)",
                       v);
        };
        cp15_.add(std::move(fcse));
    }
    mmu_row(r::CONTEXTIDR, &regs_.contextidr, 0, 0xFFFFFFFFu);
    {
        Cp15Row urw = rw(r::TPIDRURW, &cp_.tpidrurw, 0);
        urw.user_read = true;
        urw.user_write = true;
        cp15_.add(std::move(urw));
        Cp15Row uro = rw(r::TPIDRURO, &cp_.tpidruro, 0);
        uro.user_read = true;
        cp15_.add(std::move(uro));
        cp15_.add(rw(r::TPIDRPRW, &cp_.tpidrprw, 0));
    }
}

// ---- Side effects ----------------------------------------------------------------------------

void CortexA8::mmu_regs_changed() {
    // TTBR/TTBCR/CONTEXTIDR/DACR/SCTLR/PRRR/NMRR: what the fast path proved may no longer hold.
    fast_flush();
}

void CortexA8::apply_cache_enables() {
    if (!caches_) return;
    caches_->set_l1d_enabled((regs_.sctlr & mmu::sctlr::C) != 0);
    caches_->set_l1i_enabled((regs_.sctlr & mmu::sctlr::I) != 0);
    caches_->set_l2_enabled((cp_.actlr & mmu::actlr::L2EN) != 0);
    // SCTLR.RR: round-robin replacement in the L1 caches; 0 selects the A8's random policy.
    caches_->set_l1_replacement((regs_.sctlr & mmu::sctlr::RR) ? cache::Replacement::round_robin
                                                               : params_.caches.l1d.replacement);
}

void CortexA8::tlb_op(Cp15Reg e, uint32_t value) {
    const bool inst = e == r::ITLBIALL || e == r::ITLBIMVA || e == r::ITLBIASID ||
                      e == r::TLBIALL || e == r::TLBIMVA || e == r::TLBIASID;
    const bool data = e == r::DTLBIALL || e == r::DTLBIMVA || e == r::DTLBIASID ||
                      e == r::TLBIALL || e == r::TLBIMVA || e == r::TLBIASID;
    auto apply = [&](mmu::Tlb& t) {
        if (e == r::ITLBIALL || e == r::DTLBIALL || e == r::TLBIALL)
            t.invalidate_all();
        else if (e == r::ITLBIMVA || e == r::DTLBIMVA || e == r::TLBIMVA)
            t.invalidate_mva(value);
        else
            t.invalidate_asid(static_cast<uint8_t>(value & mmu::contextidr::ASID_MASK));
    };
    if (inst) apply(*itlb_);
    if (data) apply(*dtlb_);
    if (l2_tlb_) apply(*l2_tlb_);  // a unified second level holds both sides' entries
    if (walk_cache_) walk_cache_->invalidate_all();
    if (data) reconcile_dtlb();
}

void CortexA8::cache_op_by_mva(Cp15Reg e, uint32_t va) {
    // The operation looks the address up like a load would (the D-TLB, or the I-TLB for
    // ICIMVAU) in both timing modes, so TLB statistics do not depend on the mode. A
    // translation that aborts makes the operation a no-op: the model does not raise cache-
    // maintenance aborts (DDI 0406C B3.12.3 allows a Translation fault here; documented).
    const bool inst = e == r::ICIMVAU;
    Xlate x;
    translate(va, inst ? mmu::AccessKind::fetch : mmu::AccessKind::read, true, 1, x);
    const bool translated = !x.fault || (x.fault->type != mmu::FaultType::translation_l1 &&
                                         x.fault->type != mmu::FaultType::translation_l2 &&
                                         x.fault->type != mmu::FaultType::sync_external_walk_l1 &&
                                         x.fault->type != mmu::FaultType::sync_external_walk_l2 &&
                                         x.fault->type != mmu::FaultType::alignment);
    if (!translated) {
        if (log_.once("cmo-fault"))
            VP_LOG(log_, info, "cache maintenance by MVA at unmapped {:#010x} ignored", va);
        return;
    }
    if (!caches_) return;
    const uint32_t pa = x.entry().translate(va);
    if (inst) {
        local_cycles_ += caches_->icache_invalidate_by_mva(pa).cycles;
        return;
    }
    const cache::Point point =
        e == r::DCCMVAU ? cache::Point::unification : cache::Point::coherency;
    local_cycles_ += caches_->dcache_by_mva(pa, maint_kind(e), point).cycles;
}

void CortexA8::cache_op_by_set_way(Cp15Reg e, uint32_t operand) {
    if (!caches_) return;
    const cache::MaintCost c = caches_->dcache_by_set_way(operand, maint_kind(e));
    local_cycles_ += c.cycles;
}

void CortexA8::address_translation_op(Cp15Reg e, uint32_t va) {
    // ATS1C{P,U}{R,W}: stage-1 translation as PL1 or PL0, read or write; the result (or the
    // abort, which is not taken) goes to PAR (DDI 0406C B4.2.6, B4.1.111).
    const bool user = e == r::ATS1CUR || e == r::ATS1CUW;
    const bool write = e == r::ATS1CPW || e == r::ATS1CUW;
    Xlate x;
    if (!translate(va, write ? mmu::AccessKind::write : mmu::AccessKind::read, !user, 1, x)) {
        const uint32_t fsr = x.fault->fsr;
        uint32_t fs = fsr & mmu::fsr::FS_LOW_MASK;
        if (fsr & (1u << mmu::fsr::FS4_SHIFT)) fs |= 1u << a8::par::FAULT_FS4_BIT;
        if (fsr & mmu::fsr::EXT) fs |= 1u << a8::par::FAULT_EXT_BIT;
        cp_.par = (fs << a8::par::FAULT_FS_SHIFT) | a8::par::F;
        return;
    }
    const mmu::MemAttrs& a = x.entry().attrs;
    uint32_t par = x.pa & a8::par::PA_MASK;
    if (x.entry().kind == mmu::EntryKind::supersection) par |= a8::par::SS;
    par |= par_inner(a) << a8::par::INNER_SHIFT;
    if (a.type == mmu::MemType::normal)
        par |= static_cast<uint32_t>(a.outer) << a8::par::OUTER_SHIFT;
    if (a.shareable) par |= a8::par::SH;
    if (x.entry().ns) par |= a8::par::NS;
    cp_.par = par;
}

void CortexA8::tlb_preload(bool data, uint32_t va) {
    // A8 TLB preload (c10, c1): walk and load the entry for `va` without an access; an abort
    // is not reported (the preload is a hint) [?] (docs/models/cortex_a8.md).
    Xlate x;
    (void)translate(va, data ? mmu::AccessKind::read : mmu::AccessKind::fetch, true, 1, x);
}

}  // namespace vp
