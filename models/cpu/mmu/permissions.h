// Access checks on a translation (TLB hit or fresh walk): alignment, access flag, domain,
// execute-never and access permissions. Header-inline and allocation-free: the CPU model calls
// check() on every access that is not served by its host fast path.
//
// Fault-check order (docs/models/mmu.md §"Fault-check order" gives the justification):
//   1. Alignment, SCTLR.A = 1 (data accesses; independent of the translation)
//   2. [walk: Translation fault / external abort on walk — walker.h]
//   3. Access flag (SCTLR.AFE = 1 and AP[0] = 0), only for an entry fresh from a walk
//   4. Domain: DACR field 0b00 (no access) or 0b10 (reserved) → Domain fault
//   5. Client only: XN on an instruction fetch → Permission fault
//   6. Client only: AP[2:0] → Permission fault (DDI 0406C B3.7: full model when AFE = 0,
//      simplified AP[2:1] model when AFE = 1)
//   7. Alignment by memory type: an unaligned data access to Device or Strongly-ordered
//      memory → Alignment fault even when SCTLR.A = 0.
// Faults are "section" (level 1) for sections and supersections, "page" (level 2) for pages.
#pragma once

#include <cstdint>
#include <optional>

#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/descriptor.h"
#include "models/cpu/mmu/fault.h"
#include "models/cpu/mmu/types.h"

namespace vp::mmu {

namespace perm {
inline constexpr uint8_t NONE = 0;
inline constexpr uint8_t R = 1u << 0;
inline constexpr uint8_t W = 1u << 1;
inline constexpr uint8_t RW = R | W;

// AFE = 0, indexed by AP[2:0], {PL1, PL0}: DDI 0406C B3.7 full access permissions model
// (mmu-tlb.md §2.2). AP = 0b100 is reserved: we give it no access (docs/models/mmu.md).
inline constexpr uint8_t kFullModel[8][2] = {
    {NONE, NONE}, {RW, NONE}, {RW, R}, {RW, RW}, {NONE, NONE}, {R, NONE}, {R, R}, {R, R},
};
// AFE = 1, indexed by AP[2:1], {PL1, PL0} (DDI 0406C B3.7 simplified access permissions model,
// mmu-tlb.md §2.2).
inline constexpr uint8_t kSimplifiedModel[4][2] = {
    {RW, NONE},
    {RW, RW},
    {R, NONE},
    {R, R},
};
inline constexpr unsigned PL1 = 0, PL0 = 1;
}  // namespace perm

// Read/write permissions an entry grants at a privilege level (ignores domain and XN).
inline uint8_t ap_permissions(uint8_t ap_bits, bool afe, bool privileged) {
    const unsigned pl = privileged ? perm::PL1 : perm::PL0;
    if (afe) return perm::kSimplifiedModel[(ap_bits & ap::MASK) >> ap::AP21_SHIFT][pl];
    return perm::kFullModel[ap_bits & ap::MASK][pl];
}

// Step 1 alone: the check that precedes the translation (the caller runs it before a walk so
// that a misaligned access to an unmapped address reports Alignment, not Translation).
inline std::optional<Fault> check_alignment(const MmuRegs& regs, uint32_t va, AccessKind kind,
                                            unsigned size) {
    const uint32_t align_mask = size ? size - 1u : 0u;
    if (kind != AccessKind::fetch && (regs.sctlr & sctlr::A) && (va & align_mask))
        return make_fault(FaultType::alignment, va, kind, 0);
    return std::nullopt;
}

// Checks an access of `size` bytes (a power of two; 0 is taken as 1) at `va` through `e`.
// `privileged`: PL1 (true) or PL0/user (false). `is_walk_hit`: `e` comes from the walk made
// for this access (true) or from a TLB (false). The access flag is checked only for walk
// results: an entry that gives an Access flag fault is never put in a TLB (DDI 0406C; the
// caller inserts only when entry_cacheable() says so), and changing SCTLR.AFE requires TLB
// invalidation. Instruction fetches need read permission and XN = 0, and never get
// alignment faults here. A flat entry (MMU off) is checked for alignment only.
inline std::optional<Fault> check(const TlbEntry& e, const MmuRegs& regs, uint32_t va,
                                  AccessKind kind, bool privileged, unsigned size,
                                  bool is_walk_hit) {
    const bool data = kind != AccessKind::fetch;
    const uint32_t align_mask = size ? size - 1u : 0u;
    const bool unaligned = data && (va & align_mask) != 0;

    if (unaligned && (regs.sctlr & sctlr::A)) return make_fault(FaultType::alignment, va, kind, 0);

    if (e.kind != EntryKind::flat) {
        const bool page = e.level == 2;
        const bool afe = (regs.sctlr & sctlr::AFE) != 0;
        if (is_walk_hit && afe && (e.ap & ap::AP0) == 0)
            return make_fault(page ? FaultType::access_flag_l2 : FaultType::access_flag_l1, va,
                              kind, e.domain);

        const uint32_t d = dacr::field(regs.dacr, e.domain);
        if (d == dacr::NO_ACCESS || d == dacr::RESERVED)
            return make_fault(page ? FaultType::domain_l2 : FaultType::domain_l1, va, kind,
                              e.domain);
        if (d == dacr::CLIENT) {
            const FaultType perm_fault = page ? FaultType::permission_l2 : FaultType::permission_l1;
            if (!data && e.xn) return make_fault(perm_fault, va, kind, e.domain);
            const uint8_t need = kind == AccessKind::write ? perm::W : perm::R;
            if ((ap_permissions(e.ap, afe, privileged) & need) == 0)
                return make_fault(perm_fault, va, kind, e.domain);
        }
    }

    if (unaligned && e.attrs.is_device_or_so())
        return make_fault(FaultType::alignment, va, kind, 0);
    return std::nullopt;
}

// Whether a walk result may be put in a TLB given what check() said about it: everything but
// an Access flag fault (Translation faults and walk aborts never reach check()).
inline bool entry_cacheable(const std::optional<Fault>& check_result) {
    return !check_result || (check_result->type != FaultType::access_flag_l1 &&
                             check_result->type != FaultType::access_flag_l2);
}

}  // namespace vp::mmu
