// One whole translation in the documented fault-check order, using the optional TLBs and
// walk cache: the CPU model's slow path (a TLB miss, or any access its fast path does not
// serve). The pieces (Tlb::lookup, walk, check) stay usable on their own.
//
//   1. MMU off (SCTLR.M = 0)   → flat entry, only the alignment checks apply
//   2. SCTLR.A alignment        → Alignment fault (before any lookup or walk)
//   3. first-level TLB lookup   → hit: check(entry, is_walk_hit = false)
//   4. second-level TLB lookup  → hit: refill the first-level TLB, check(…, false)
//   5. table walk               → Translation fault / external abort: nothing cached
//   6. check(entry, is_walk_hit = true); the entry is inserted into both TLBs unless the check
//      gave an Access flag fault (entries with a Domain or Permission fault are cached: the
//      architecture allows it and the fault is re-detected by check() on every hit).
#pragma once

#include <cstdint>
#include <optional>

#include "models/cpu/mmu/fault.h"
#include "models/cpu/mmu/tlb.h"
#include "models/cpu/mmu/types.h"
#include "models/cpu/mmu/walk_cache.h"
#include "models/cpu/mmu/walker.h"

namespace vp::mmu {

struct TranslationUnits {
    Tlb* tlb = nullptr;     // the I-TLB or D-TLB (nullptr: no TLB)
    Tlb* l2_tlb = nullptr;  // optional unified second-level TLB
    WalkCache* walk_cache = nullptr;
};

enum class TranslationSource : uint8_t { flat, tlb, l2_tlb, walk, none };

struct TranslateResult {
    std::optional<Fault> fault;
    TlbEntry entry;  // meaningful when has_entry (also with a permission fault)
    bool has_entry = false;
    uint32_t pa = 0;  // physical address when !fault
    TranslationSource source = TranslationSource::none;
    WalkResult walk;        // the walk, when source == walk (reads, addresses …)
    bool inserted = false;  // the walk result went into the TLB(s)

    bool ok() const { return !fault.has_value(); }
};

// `size` must be 1, 2, 4 or 8 (std::invalid_argument otherwise: a CPU-model bug, not a guest
// fault). The ASID of the lookup is CONTEXTIDR[7:0].
TranslateResult translate(const MmuRegs& regs, uint32_t va, AccessKind kind, bool privileged,
                          unsigned size, DescriptorReader& reader,
                          const TranslationUnits& units = TranslationUnits{});

}  // namespace vp::mmu
