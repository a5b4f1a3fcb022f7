// Cortex-A8 values and field layouts used by the CPU model's CP15 table that the MMU library's
// cp15.h does not carry (docs/models/cortex_a8.md gives the source of each; [?] = reset values
// not confirmed in the A8 TRM text available, chosen as documented there).
#pragma once

#include <cstdint>

#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/fault.h"

namespace vp::a8 {

// --- identification (Cortex-A8 TRM r3p2, DDI 0344K §3.2) --------------------------------------
// CTR §3.2.3 Table 3-6: format 0b100, CWG 2 (4 words), DMinLine 4 (16 words), L1Ip 0b10
// (VIPT), IMinLine 4.
inline constexpr uint32_t kCtr = 0x82048004u;
inline constexpr uint32_t kTcmtr = 0x00000000u;  // §3.2.4: no TCM
// TLBTR §3.2.5 Table 3-9: ILsize 0x20, DLsize 0x20 (32 lockable entries each), nU = 1.
inline constexpr uint32_t kTlbtr = 0x00202001u;
inline constexpr uint32_t kAidr = 0x00000000u;  // IMPLEMENTATION DEFINED, no content [?]

// --- reset values [?] (docs/models/cortex_a8.md §CP15) -------------------------------------------
// SCTLR §3.2.25: RAO bits [6:3], 16, 18, 22 (U), 23 (XP); M = A = C = Z = I = V = 0 with the
// configuration pins low. Linux's "cr=10c5387d" on an AM335x is this value | M C Z I V TRE.
inline constexpr uint32_t kSctlrReset = 0x00C50078u;
inline constexpr uint32_t kActlrReset = 0x00000002u;  // L2EN = 1
// PRRR / NMRR: the values the ARMv7 ARM gives as the usual reset state (DDI 0406C B4.1.127).
inline constexpr uint32_t kPrrrReset = 0x00098AA4u;
inline constexpr uint32_t kNmrrReset = 0x44E048E0u;

// --- writable fields ---------------------------------------------------------------------------
inline constexpr uint32_t kSctlrWritable =
    mmu::sctlr::M | mmu::sctlr::A | mmu::sctlr::C | mmu::sctlr::Z | mmu::sctlr::I | mmu::sctlr::V |
    mmu::sctlr::RR | mmu::sctlr::EE | mmu::sctlr::TRE | mmu::sctlr::AFE | mmu::sctlr::TE;
inline constexpr uint32_t kTtbcrWritable = mmu::ttbcr::N_MASK | mmu::ttbcr::PD0 | mmu::ttbcr::PD1;
inline constexpr uint32_t kDfsrWritable =
    mmu::fsr::FS_LOW_MASK | (mmu::fsr::DOMAIN_MASK << mmu::fsr::DOMAIN_SHIFT) |
    (1u << mmu::fsr::FS4_SHIFT) | mmu::fsr::WNR | mmu::fsr::EXT;
inline constexpr uint32_t kIfsrWritable =
    mmu::fsr::FS_LOW_MASK | (1u << mmu::fsr::FS4_SHIFT) | mmu::fsr::EXT;
inline constexpr uint32_t kCsselrWritable = 0xFu;       // Level[3:1], InD[0]
inline constexpr uint32_t kVbarWritable = 0xFFFFFFE0u;  // 32-byte aligned vector base
inline constexpr uint32_t kFcseWritable = 0xFE000000u;  // FCSE PID[31:25]

// --- PAR after an ATS1C** operation (DDI 0406C B4.1.111, short-descriptor format) ---------------
namespace par {
inline constexpr uint32_t F = 1u << 0;      // 1: the translation aborted
inline constexpr uint32_t SS = 1u << 1;     // supersection
inline constexpr unsigned OUTER_SHIFT = 2;  // Outer[3:2]: 00 NC, 01 WB-WA, 10 WT, 11 WB-noWA
inline constexpr unsigned INNER_SHIFT = 4;  // Inner[6:4]
inline constexpr uint32_t SH = 1u << 7;     // shareable
inline constexpr uint32_t NS = 1u << 9;
inline constexpr uint32_t PA_MASK = 0xFFFFF000u;
inline constexpr uint32_t INNER_NC = 0b000, INNER_SO = 0b001, INNER_DEVICE = 0b011,
                          INNER_WB_WA = 0b101, INNER_WT = 0b110, INNER_WB_NOWA = 0b111;
// Abort: FS[5:0] at bits[6:1] = DFSR {ExT[12], FS[4] (bit 10), FS[3:0]}.
inline constexpr unsigned FAULT_FS_SHIFT = 1;
inline constexpr unsigned FAULT_FS4_BIT = 4;  // position of FS[4] inside the 6-bit field
inline constexpr unsigned FAULT_EXT_BIT = 5;  // position of ExT inside the 6-bit field
}  // namespace par

}  // namespace vp::a8
