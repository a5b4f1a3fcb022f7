// Memory region attributes from a descriptor's TEX[2:0], C, B and S bits.
//
// SCTLR.TRE = 0: DDI 0406C B3.8.2, Table B3-10 "TEX, C, and B encodings when TRE == 0"
//   (mmu-tlb.md §3.1), including the TEX[2] = 1 "cacheable memory" form: outer = TEX[1:0],
//   inner = C:B.
// SCTLR.TRE = 1: DDI 0406C B3.8.3 "Short-descriptor format memory region attributes, with TEX
//   remap": index n = TEX[0]:C:B selects PRRR.TRn (type), NMRR.IRn / NMRR.ORn (inner / outer
//   policy); shareability from PRRR.DS0/DS1 (Device) and NS0/NS1 (Normal) by the S bit.
//
// Choices for encodings the architecture leaves reserved or IMPLEMENTATION DEFINED (TRE = 0:
// TEX:C:B = 001:1:0, 001:0:1, 010:0:1, 010:1:x, 011:x:x; TRE = 1: PRRR.TRn = 0b11) — see
// docs/models/mmu.md: they decode as Strongly-ordered with `reserved` set, the most
// conservative type (no caching, no merging, alignment enforced).
#pragma once

#include <cstdint>

#include "models/cpu/mmu/types.h"

namespace vp::mmu {

// TRE = 0.
MemAttrs decode_tex_cb(unsigned tex, bool c, bool b, bool s);
// TRE = 1.
MemAttrs decode_remap(uint32_t prrr, uint32_t nmrr, unsigned tex, bool c, bool b, bool s);
// Picks one of the two by SCTLR.TRE.
MemAttrs decode_attributes(const MmuRegs& regs, unsigned tex, bool c, bool b, bool s);

// Attributes of an access with the MMU disabled (DDI 0406C B3.2.1): data accesses are
// Strongly-ordered; instruction fetches are Normal, inner and outer write-through cacheable
// when SCTLR.I = 1, non-cacheable otherwise.
MemAttrs flat_attributes(const MmuRegs& regs, AccessKind kind);

}  // namespace vp::mmu
