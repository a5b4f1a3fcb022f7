#include "models/cpu/mmu/translate.h"

#include <stdexcept>
#include <string>

#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/permissions.h"

namespace vp::mmu {

namespace {

constexpr unsigned kMaxAccessBytes = 8;

TranslateResult finish(TranslateResult r, const TlbEntry& e, uint32_t va, std::optional<Fault> f) {
    r.entry = e;
    r.has_entry = true;
    r.fault = std::move(f);
    if (!r.fault) r.pa = e.translate(va);
    return r;
}

}  // namespace

TranslateResult translate(const MmuRegs& regs, uint32_t va, AccessKind kind, bool privileged,
                          unsigned size, DescriptorReader& reader, const TranslationUnits& units) {
    if (size == 0 || size > kMaxAccessBytes || (size & (size - 1)) != 0)
        throw std::invalid_argument("mmu::translate: access size must be 1, 2, 4 or 8, got " +
                                    std::to_string(size));
    TranslateResult r;

    if ((regs.sctlr & sctlr::M) == 0) {
        r.source = TranslationSource::flat;
        const TlbEntry e = flat_entry(regs, va, kind);
        return finish(std::move(r), e, va, check(e, regs, va, kind, privileged, size, true));
    }

    if (auto f = check_alignment(regs, va, kind, size)) {
        r.fault = f;
        return r;
    }

    const uint8_t asid = regs.asid();
    if (units.tlb) {
        if (const TlbEntry* e = units.tlb->lookup(va, asid)) {
            r.source = TranslationSource::tlb;
            return finish(std::move(r), *e, va, check(*e, regs, va, kind, privileged, size, false));
        }
    }
    if (units.l2_tlb) {
        if (const TlbEntry* e = units.l2_tlb->lookup(va, asid)) {
            r.source = TranslationSource::l2_tlb;
            const TlbEntry copy = *e;
            if (units.tlb) units.tlb->insert(copy);
            return finish(std::move(r), copy, va,
                          check(copy, regs, va, kind, privileged, size, false));
        }
    }

    r.source = TranslationSource::walk;
    r.walk = walk(regs, va, kind, reader, units.walk_cache);
    if (!r.walk.ok()) {
        r.fault = r.walk.fault;
        return r;
    }
    const TlbEntry e = r.walk.entry;
    std::optional<Fault> f = check(e, regs, va, kind, privileged, size, true);
    if (entry_cacheable(f)) {
        if (units.tlb) r.inserted = units.tlb->insert(e) >= 0 || r.inserted;
        if (units.l2_tlb) r.inserted = units.l2_tlb->insert(e) >= 0 || r.inserted;
    }
    return finish(std::move(r), e, va, std::move(f));
}

}  // namespace vp::mmu
