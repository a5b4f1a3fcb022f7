// CP15 (system control coprocessor) encodings that the Cortex-A8 MMU, TLBs and caches use,
// and the bit fields of the translation control registers.
//
// An encoding is the operand tuple of MRC/MCR p15, <opc1>, Rt, <CRn>, <CRm>, <opc2>.
// Sources: ARMv7-A ARM (DDI 0406C) chapter B4 (CP15 registers of a VMSA implementation) for the
// architectural registers and operations; Cortex-A8 TRM (DDI 0344) §3.2 for the A8-specific
// ones (ACTLR, TLB lockdown, TLB preload). The A8 has no Multiprocessing Extensions: no
// inner-shareable (…IS) or "all ASID" (TLBIMVAA) forms exist and none are listed here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vp::mmu {

struct Cp15Reg {
    uint8_t crn;
    uint8_t opc1;
    uint8_t crm;
    uint8_t opc2;

    // A dense key for switch statements and maps: CRn[15:12] opc1[11:8] CRm[7:4] opc2[3:0].
    constexpr uint32_t key() const {
        return (uint32_t{crn} << 12) | (uint32_t{opc1} << 8) | (uint32_t{crm} << 4) | opc2;
    }
    constexpr bool operator==(const Cp15Reg& o) const { return key() == o.key(); }
    constexpr bool operator!=(const Cp15Reg& o) const { return key() != o.key(); }
};

// Builds the tuple in the order MRC/MCR write it: p15, opc1, Rt, CRn, CRm, opc2.
constexpr Cp15Reg cp15(unsigned opc1, unsigned crn, unsigned crm, unsigned opc2) {
    return Cp15Reg{static_cast<uint8_t>(crn), static_cast<uint8_t>(opc1), static_cast<uint8_t>(crm),
                   static_cast<uint8_t>(opc2)};
}

namespace cp15reg {
// --- c0: identification -------------------------------------------------------------------------
inline constexpr Cp15Reg MIDR = cp15(0, 0, 0, 0);    // Main ID
inline constexpr Cp15Reg CTR = cp15(0, 0, 0, 1);     // Cache Type
inline constexpr Cp15Reg TCMTR = cp15(0, 0, 0, 2);   // TCM Type
inline constexpr Cp15Reg TLBTR = cp15(0, 0, 0, 3);   // TLB Type
inline constexpr Cp15Reg CCSIDR = cp15(1, 0, 0, 0);  // Cache Size ID (selected by CSSELR)
inline constexpr Cp15Reg CLIDR = cp15(1, 0, 0, 1);   // Cache Level ID
inline constexpr Cp15Reg AIDR = cp15(1, 0, 0, 7);    // Auxiliary ID
inline constexpr Cp15Reg CSSELR = cp15(2, 0, 0, 0);  // Cache Size Selection

// --- c1: system control -------------------------------------------------------------------------
inline constexpr Cp15Reg SCTLR = cp15(0, 1, 0, 0);
inline constexpr Cp15Reg ACTLR = cp15(0, 1, 0, 1);  // A8: bit1 L2EN
inline constexpr Cp15Reg CPACR = cp15(0, 1, 0, 2);
inline constexpr Cp15Reg SCR = cp15(0, 1, 1, 0);  // Security Extensions
inline constexpr Cp15Reg SDER = cp15(0, 1, 1, 1);
inline constexpr Cp15Reg NSACR = cp15(0, 1, 1, 2);

// --- c2, c3: translation table base and control, domains ----------------------------------------
inline constexpr Cp15Reg TTBR0 = cp15(0, 2, 0, 0);
inline constexpr Cp15Reg TTBR1 = cp15(0, 2, 0, 1);
inline constexpr Cp15Reg TTBCR = cp15(0, 2, 0, 2);
inline constexpr Cp15Reg DACR = cp15(0, 3, 0, 0);

// --- c5, c6: fault status and address -----------------------------------------------------------
inline constexpr Cp15Reg DFSR = cp15(0, 5, 0, 0);
inline constexpr Cp15Reg IFSR = cp15(0, 5, 0, 1);
inline constexpr Cp15Reg ADFSR = cp15(0, 5, 1, 0);
inline constexpr Cp15Reg AIFSR = cp15(0, 5, 1, 1);
inline constexpr Cp15Reg DFAR = cp15(0, 6, 0, 0);
inline constexpr Cp15Reg IFAR = cp15(0, 6, 0, 2);

// --- c7: cache and branch predictor maintenance, barriers, VA→PA --------------------------------
inline constexpr Cp15Reg PAR = cp15(0, 7, 4, 0);        // Physical Address (VA→PA result)
inline constexpr Cp15Reg ICIALLU = cp15(0, 7, 5, 0);    // invalidate all I-cache to PoU
inline constexpr Cp15Reg ICIMVAU = cp15(0, 7, 5, 1);    // invalidate I-cache line by MVA to PoU
inline constexpr Cp15Reg CP15ISB = cp15(0, 7, 5, 4);    // instruction synchronization barrier
inline constexpr Cp15Reg BPIALL = cp15(0, 7, 5, 6);     // invalidate all branch predictors
inline constexpr Cp15Reg BPIMVA = cp15(0, 7, 5, 7);     // invalidate branch predictor by MVA
inline constexpr Cp15Reg DCIMVAC = cp15(0, 7, 6, 1);    // invalidate D line by MVA to PoC
inline constexpr Cp15Reg DCISW = cp15(0, 7, 6, 2);      // invalidate D line by set/way
inline constexpr Cp15Reg ATS1CPR = cp15(0, 7, 8, 0);    // VA→PA, PL1 read
inline constexpr Cp15Reg ATS1CPW = cp15(0, 7, 8, 1);    // VA→PA, PL1 write
inline constexpr Cp15Reg ATS1CUR = cp15(0, 7, 8, 2);    // VA→PA, PL0 read
inline constexpr Cp15Reg ATS1CUW = cp15(0, 7, 8, 3);    // VA→PA, PL0 write
inline constexpr Cp15Reg DCCMVAC = cp15(0, 7, 10, 1);   // clean D line by MVA to PoC
inline constexpr Cp15Reg DCCSW = cp15(0, 7, 10, 2);     // clean D line by set/way
inline constexpr Cp15Reg CP15DSB = cp15(0, 7, 10, 4);   // data synchronization barrier
inline constexpr Cp15Reg CP15DMB = cp15(0, 7, 10, 5);   // data memory barrier
inline constexpr Cp15Reg DCCMVAU = cp15(0, 7, 11, 1);   // clean D line by MVA to PoU
inline constexpr Cp15Reg DCCIMVAC = cp15(0, 7, 14, 1);  // clean+invalidate D line by MVA to PoC
inline constexpr Cp15Reg DCCISW = cp15(0, 7, 14, 2);    // clean+invalidate D line by set/way

// --- c8: TLB maintenance (A8: I-side c5, D-side c6, unified c7; no IS, no MVAA) -----------------
inline constexpr Cp15Reg ITLBIALL = cp15(0, 8, 5, 0);
inline constexpr Cp15Reg ITLBIMVA = cp15(0, 8, 5, 1);
inline constexpr Cp15Reg ITLBIASID = cp15(0, 8, 5, 2);
inline constexpr Cp15Reg DTLBIALL = cp15(0, 8, 6, 0);
inline constexpr Cp15Reg DTLBIMVA = cp15(0, 8, 6, 1);
inline constexpr Cp15Reg DTLBIASID = cp15(0, 8, 6, 2);
inline constexpr Cp15Reg TLBIALL = cp15(0, 8, 7, 0);
inline constexpr Cp15Reg TLBIMVA = cp15(0, 8, 7, 1);
inline constexpr Cp15Reg TLBIASID = cp15(0, 8, 7, 2);

// --- c10: TLB lockdown and preload (A8), memory remap -------------------------------------------
inline constexpr Cp15Reg DTLB_LOCKDOWN = cp15(0, 10, 0, 0);
inline constexpr Cp15Reg ITLB_LOCKDOWN = cp15(0, 10, 0, 1);
// TLB preload: the opc2 → D/I mapping was not confirmed in the A8 TRM [?]; see docs/models/mmu.md.
inline constexpr Cp15Reg DTLB_PRELOAD = cp15(0, 10, 1, 0);
inline constexpr Cp15Reg ITLB_PRELOAD = cp15(0, 10, 1, 1);
inline constexpr Cp15Reg PRRR = cp15(0, 10, 2, 0);
inline constexpr Cp15Reg NMRR = cp15(0, 10, 2, 1);

// --- c12, c13: vectors, process and thread IDs --------------------------------------------------
inline constexpr Cp15Reg VBAR = cp15(0, 12, 0, 0);
inline constexpr Cp15Reg FCSEIDR = cp15(0, 13, 0, 0);
inline constexpr Cp15Reg CONTEXTIDR = cp15(0, 13, 0, 1);
inline constexpr Cp15Reg TPIDRURW = cp15(0, 13, 0, 2);  // user read/write thread ID
inline constexpr Cp15Reg TPIDRURO = cp15(0, 13, 0, 3);  // user read-only thread ID
inline constexpr Cp15Reg TPIDRPRW = cp15(0, 13, 0, 4);  // privileged-only thread ID
}  // namespace cp15reg

// Name of an encoding ("TLBIMVA"), or nullptr when this header does not know it.
const char* cp15_name(Cp15Reg r);
// Encoding of a name (exact, upper case, as above), for register scripts and the debugger.
std::optional<Cp15Reg> cp15_by_name(std::string_view name);

// --- identification values ----------------------------------------------------------------------
// MIDR of the AM335x Cortex-A8: implementer 0x41 (ARM), variant 3, architecture 0xF (CPUID
// scheme), part 0xC08 (Cortex-A8), revision 2 → r3p2.
inline constexpr uint32_t kCortexA8Midr = 0x413FC082u;

// --- SCTLR (DDI 0406C B4.1, SCTLR) --------------------------------------------------------------
namespace sctlr {
inline constexpr uint32_t M = 1u << 0;      // MMU enable
inline constexpr uint32_t A = 1u << 1;      // strict alignment checking
inline constexpr uint32_t C = 1u << 2;      // data / unified cache enable
inline constexpr uint32_t Z = 1u << 11;     // branch prediction enable
inline constexpr uint32_t I = 1u << 12;     // instruction cache enable
inline constexpr uint32_t V = 1u << 13;     // high exception vectors (0xFFFF0000)
inline constexpr uint32_t RR = 1u << 14;    // round-robin cache replacement
inline constexpr uint32_t U = 1u << 22;     // RAO in ARMv7 (unaligned access model)
inline constexpr uint32_t XP = 1u << 23;    // RAO in ARMv7 (extended page tables)
inline constexpr uint32_t VE = 1u << 24;    // interrupt vectors from the VIC port
inline constexpr uint32_t EE = 1u << 25;    // big-endian exception entry
inline constexpr uint32_t NMFI = 1u << 27;  // non-maskable FIQ
inline constexpr uint32_t TRE = 1u << 28;   // TEX remap enable (PRRR/NMRR)
inline constexpr uint32_t AFE = 1u << 29;   // access flag enable (simplified AP model)
inline constexpr uint32_t TE = 1u << 30;    // Thumb exception entry
}  // namespace sctlr

// --- ACTLR (Cortex-A8 TRM §3.2, Auxiliary Control Register) -------------------------------------
namespace actlr {
inline constexpr uint32_t L2EN = 1u << 1;  // L2 cache enable (together with SCTLR.C)
}

// --- TTBR0/TTBR1 (DDI 0406C B4.1), A8 = no Multiprocessing Extensions ---------------------------
namespace ttbr {
inline constexpr uint32_t C = 1u << 0;    // inner cacheable table walks
inline constexpr uint32_t S = 1u << 1;    // shareable table walks
inline constexpr uint32_t IMP = 1u << 2;  // implementation defined
inline constexpr unsigned RGN_SHIFT = 3;  // outer attributes of table walks
inline constexpr uint32_t RGN_MASK = 3u << RGN_SHIFT;
inline constexpr uint32_t NOS = 1u << 5;    // MP Extensions only (not A8)
inline constexpr uint32_t IRGN0 = 1u << 6;  // MP Extensions only (not A8)
// RGN values (also the encoding of CachePolicy).
inline constexpr uint32_t RGN_NC = 0, RGN_WB_WA = 1, RGN_WT = 2, RGN_WB_NOWA = 3;
// TTBR0 base = bits[31:14-N]; TTBR1 base = bits[31:14].
inline constexpr unsigned BASE_SHIFT_N0 = 14;
}  // namespace ttbr

// --- TTBCR (DDI 0406C B4.1) ---------------------------------------------------------------------
namespace ttbcr {
inline constexpr uint32_t N_MASK = 0x7u;   // bits[2:0]
inline constexpr uint32_t PD0 = 1u << 4;   // no walk on a TTBR0 miss
inline constexpr uint32_t PD1 = 1u << 5;   // no walk on a TTBR1 miss
inline constexpr uint32_t EAE = 1u << 31;  // LPAE only: absent on the A8 (ignored)
}  // namespace ttbcr

// --- DACR (DDI 0406C B4.1): 16 domains, 2 bits each ---------------------------------------------
namespace dacr {
inline constexpr unsigned DOMAINS = 16;
inline constexpr unsigned BITS_PER_DOMAIN = 2;
inline constexpr uint32_t FIELD_MASK = 0x3u;
inline constexpr uint32_t NO_ACCESS = 0, CLIENT = 1, RESERVED = 2, MANAGER = 3;
constexpr uint32_t field(uint32_t dacr_value, unsigned domain) {
    return (dacr_value >> (domain * BITS_PER_DOMAIN)) & FIELD_MASK;
}
}  // namespace dacr

// --- CONTEXTIDR (DDI 0406C B4.1) ----------------------------------------------------------------
namespace contextidr {
inline constexpr uint32_t ASID_MASK = 0xFFu;  // bits[7:0]
inline constexpr unsigned PROCID_SHIFT = 8;   // bits[31:8]
}  // namespace contextidr

// --- PRRR / NMRR (DDI 0406C B4.1, B3.8.3) -------------------------------------------------------
namespace prrr {
inline constexpr unsigned TR_BITS = 2;  // TRn at [2n+1:2n]
inline constexpr uint32_t TR_MASK = 0x3u;
inline constexpr uint32_t TR_SO = 0, TR_DEVICE = 1, TR_NORMAL = 2, TR_RESERVED = 3;
inline constexpr uint32_t DS0 = 1u << 16;  // Device shareable when S = 0
inline constexpr uint32_t DS1 = 1u << 17;  // Device shareable when S = 1
inline constexpr uint32_t NS0 = 1u << 18;  // Normal shareable when S = 0
inline constexpr uint32_t NS1 = 1u << 19;  // Normal shareable when S = 1
inline constexpr unsigned NOS_SHIFT = 24;  // NOSn at bit 24+n
}  // namespace prrr
namespace nmrr {
inline constexpr unsigned IR_SHIFT = 0;   // IRn at [2n+1:2n]
inline constexpr unsigned OR_SHIFT = 16;  // ORn at [2n+17:2n+16]
inline constexpr unsigned FIELD_BITS = 2;
inline constexpr uint32_t FIELD_MASK = 0x3u;
}  // namespace nmrr

// --- TLBIMVA operand (DDI 0406C B4.2): MVA[31:12] and ASID[7:0] ---------------------------------
namespace tlbimva {
inline constexpr uint32_t MVA_MASK = 0xFFFFF000u;
inline constexpr uint32_t ASID_MASK = 0xFFu;
}  // namespace tlbimva

// --- TLB lockdown registers (Cortex-A8 TRM §3.2.56) ---------------------------------------------
namespace tlb_lockdown {
inline constexpr unsigned BASE_SHIFT = 27;  // Base[31:27]: entries below are locked
inline constexpr uint32_t BASE_MASK = 0x1Fu;
inline constexpr unsigned VICTIM_SHIFT = 22;  // Victim[26:22]: next entry to be filled
inline constexpr uint32_t VICTIM_MASK = 0x1Fu;
inline constexpr uint32_t P = 1u << 0;  // preserve: fills are locked
}  // namespace tlb_lockdown

}  // namespace vp::mmu
