// TLB maintenance as ARMv7 Linux does it on a uniprocessor Cortex-A8 (arch/arm/include/asm/
// tlbflush.h with v7wbi_tlb_flags_up, arch/arm/mm/tlb-v7.S; linux-mm.md §3, mmu-tlb.md §4).
//
// Every operation is the CP15 c8 operation Linux issues, through hal::this_cpu(): the A8 has
// no Multiprocessing Extensions, so the non-broadcast forms (TLBIALL c8,c7,0; TLBIMVA c8,c7,1;
// TLBIASID c8,c7,2) are used, each framed by the barriers Linux puts around it (DSB before,
// so earlier table writes are visible; DSB + ISB after). Plain C++17, no SystemC.
#pragma once

#include <cstdint>

namespace kernel {

// local_flush_tlb_all(): DSB; TLBIALL; DSB; ISB.
void local_flush_tlb_all();
void flush_tlb_all();
// One kernel page (global entry): DSB; TLBIMVA (va & PAGE_MASK); DSB; ISB.
void local_flush_tlb_kernel_page(uint32_t kaddr);
void flush_tlb_kernel_page(uint32_t kaddr);
// [start, end) of kernel addresses: v7wbi_flush_kern_tlb_range issues one TLBIMVA per page
// with no upper threshold (unlike arm64), framed by one DSB before and DSB + ISB after.
void local_flush_tlb_kernel_range(uint32_t start, uint32_t end);
void flush_tlb_kernel_range(uint32_t start, uint32_t end);
// The entries of one address space (user, non-global): TLBIASID with the 8-bit ASID.
void local_flush_tlb_mm(unsigned asid);
void flush_tlb_mm(unsigned asid);
// One user page of an address space: TLBIMVA with (va & PAGE_MASK) | asid.
void local_flush_tlb_page(unsigned asid, uint32_t uaddr);
void flush_tlb_page(unsigned asid, uint32_t uaddr);
// A user range: one TLBIMVA per page with the ASID (v7wbi_flush_user_tlb_range).
void flush_tlb_range(unsigned asid, uint32_t start, uint32_t end);

// Counts of the c8 operations issued by this file since start (for tests and statistics).
struct TlbFlushCounts {
    unsigned long all = 0;          // TLBIALL
    unsigned long by_mva = 0;       // TLBIMVA (kernel and user)
    unsigned long by_asid = 0;      // TLBIASID
    unsigned long range_calls = 0;  // flush_tlb_kernel_range / flush_tlb_range calls
};
const TlbFlushCounts& tlb_flush_counts();

// CP15 encodings (crn, opc1, crm, opc2) used by the kernel's arch code.
struct Cp15Op {
    unsigned crn, opc1, crm, opc2;
};
namespace cp15 {
constexpr Cp15Op MIDR{0, 0, 0, 0};
constexpr Cp15Op SCTLR{1, 0, 0, 0};
constexpr Cp15Op TTBR0{2, 0, 0, 0};
constexpr Cp15Op TTBR1{2, 0, 0, 1};
constexpr Cp15Op TTBCR{2, 0, 0, 2};
constexpr Cp15Op DACR{3, 0, 0, 0};
constexpr Cp15Op DFSR{5, 0, 0, 0};
constexpr Cp15Op IFSR{5, 0, 0, 1};
constexpr Cp15Op DFAR{6, 0, 0, 0};
constexpr Cp15Op IFAR{6, 0, 0, 2};
constexpr Cp15Op ICIALLU{7, 0, 5, 0};
constexpr Cp15Op BPIALL{7, 0, 5, 6};
constexpr Cp15Op DCCMVAC{7, 0, 10, 1};
constexpr Cp15Op DCCIMVAC{7, 0, 14, 1};
constexpr Cp15Op TLBIALL{8, 0, 7, 0};
constexpr Cp15Op TLBIMVA{8, 0, 7, 1};
constexpr Cp15Op TLBIASID{8, 0, 7, 2};
constexpr Cp15Op PRRR{10, 0, 2, 0};
constexpr Cp15Op NMRR{10, 0, 2, 1};
constexpr Cp15Op CONTEXTIDR{13, 0, 0, 1};
}  // namespace cp15
// MCR / MRC of one of the above on hal::this_cpu().
void cp15_write(Cp15Op op, uint32_t value);
uint32_t cp15_read(Cp15Op op);

// SCTLR bits the boot code sets (DDI 0406C B4.1.130).
namespace sctlr {
constexpr uint32_t M = 1u << 0;
constexpr uint32_t A = 1u << 1;
constexpr uint32_t C = 1u << 2;
constexpr uint32_t Z = 1u << 11;
constexpr uint32_t I = 1u << 12;
constexpr uint32_t V = 1u << 13;
constexpr uint32_t TRE = 1u << 28;
constexpr uint32_t AFE = 1u << 29;
}  // namespace sctlr
// TTBR0 walk attributes of an A8 (no MP Extensions): TTB_FLAGS_UP of proc-v7-2level.S =
// TTB_IRGN_WBWA (C, bit 0) | TTB_RGN_OC_WBWA (RGN = 01, bits 4:3).
namespace ttbr {
constexpr uint32_t C = 1u << 0;
constexpr uint32_t S = 1u << 1;
constexpr uint32_t RGN_OC_WBWA = 1u << 3;
constexpr uint32_t TTB_FLAGS_UP = C | RGN_OC_WBWA;
constexpr uint32_t BASE_MASK = 0xFFFFC000u;  // TTBCR.N = 0: 16 KiB-aligned table
}  // namespace ttbr

// The walk attributes every TTBR0 write carries: TTB_FLAGS_UP, or 0 (non-cacheable walks)
// when the boot option kernel.ttb_cacheable is off (BootInfo::ttb_cacheable; System sets it).
uint32_t ttb_flags();
void set_ttb_flags(uint32_t flags);

}  // namespace kernel
