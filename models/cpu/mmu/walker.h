// Short-descriptor translation table walk (VMSAv7, Cortex-A8: no LPAE, no PXN, 32-bit PA).
//
//   WalkResult r = walk(regs, va, AccessKind::read, reader);
//   if (!r.ok()) raise(*r.fault);          // never cache a failed walk
//   else { tlb.insert(r.entry); … }         // then check permissions (permissions.h)
//
// The walk implements DDI 0406C B3.5 (mmu-tlb.md §1.2–1.6):
//  - TTBR selection by TTBCR.N: N = 0 → TTBR0 always; N > 0 → TTBR1 when VA[31:32-N] != 0.
//  - TTBCR.PD0/PD1 = 1 for the selected TTBR → section Translation fault, no memory access.
//  - L1 descriptor address: TTBR0[31:14-N] | VA[31-N:20] << 2, or TTBR1[31:14] | VA[31:20] << 2.
//  - L2 descriptor address: L1desc[31:10] | VA[19:12] << 2.
//  - A descriptor read that the reader reports as a bus error → synchronous external abort on
//    translation table walk, first (FS 0b01100) or second (FS 0b01110) level.
//  - Type 0b00 (and 0b11 at level 1: no PXN on the A8) → Translation fault, section or page.
//  - Supersections: PA[39:32] (descriptor bits [23:20] and [8:5]) are ignored because the A8
//    has a 32-bit PA; `ignored_pa_high_bits` tells the caller they were non-zero. Domain = 0.
//  - Replication: a supersection is 16 identical L1 entries and a large page 16 identical L2
//    entries; the walker reads only the copy the VA selects and the resulting TLB entry covers
//    the whole 16 MB / 64 KB (so any VA in the range then hits it).
// The walk produces no permission, domain or access-flag fault: those are check()'s
// (permissions.h), in the order documented in docs/models/mmu.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "models/cpu/mmu/fault.h"
#include "models/cpu/mmu/types.h"

namespace vp::mmu {

class WalkCache;

// Reads one aligned 32-bit descriptor from physical memory. The CPU model implements it with
// a TLM read (routed to L2 when `cacheable_walk`, else to the interconnect) and accumulates
// the latency itself. Returns false on a bus error.
class DescriptorReader {
  public:
    virtual ~DescriptorReader() = default;
    virtual bool read(uint32_t pa, uint32_t& value, bool cacheable_walk) = 0;
};

struct WalkResult {
    std::optional<Fault> fault;           // set when the walk failed: nothing may be cached
    TlbEntry entry;                       // the translation when !fault
    unsigned reads = 0;                   // descriptor reads issued (0, 1 or 2)
    std::array<uint32_t, 2> read_addr{};  // their physical addresses, in order
    bool cacheable_walk = false;          // how the reads were issued (see walk_cacheable)
    CachePolicy walk_outer = CachePolicy::non_cacheable;  // TTBR.RGN of the walk
    bool used_ttbr1 = false;
    bool walk_cache_hit = false;        // the L1 descriptor came from the walk cache
    bool ignored_pa_high_bits = false;  // supersection with PA[39:32] != 0 (ignored)

    bool ok() const { return !fault.has_value(); }
};

// Which TTBR translates `va` (false = TTBR0, true = TTBR1), per TTBCR.N.
bool uses_ttbr1(const MmuRegs& regs, uint32_t va);
// Physical address of the first-level descriptor for `va` (ignores PD0/PD1).
uint32_t l1_descriptor_address(const MmuRegs& regs, uint32_t va);
// Physical address of the second-level descriptor for `va` under page-table descriptor `l1`.
uint32_t l2_descriptor_address(uint32_t l1, uint32_t va);
// Cacheability of walks through `ttbr` on the A8 (no Multiprocessing Extensions): TTBR.C
// (bit 0, inner cacheable) and SCTLR.C (the A8 looks walks up in L2 only, and L2 is disabled
// when SCTLR.C = 0). The outer RGN policy is reported separately.
bool walk_cacheable(const MmuRegs& regs, uint32_t ttbr);

// Walks the tables for `va`. With the MMU off (SCTLR.M = 0) it returns a flat entry (VA = PA,
// attributes per DDI 0406C B3.2.1) without reading memory. `wc` (optional) is consulted and
// filled for page-table descriptors.
WalkResult walk(const MmuRegs& regs, uint32_t va, AccessKind kind, DescriptorReader& reader,
                WalkCache* wc = nullptr);

// Builds the TlbEntry of a section/supersection descriptor (bits[1:0] = 0b10), or of a page
// (l1 = page-table descriptor, l2 = large/small page descriptor). No validity checks: the
// walker calls them only with valid descriptors. Exposed for tests and the debugger.
TlbEntry decode_section(const MmuRegs& regs, uint32_t va, uint32_t l1);
TlbEntry decode_page(const MmuRegs& regs, uint32_t va, uint32_t l1, uint32_t l2);
TlbEntry flat_entry(const MmuRegs& regs, uint32_t va, AccessKind kind);

}  // namespace vp::mmu
