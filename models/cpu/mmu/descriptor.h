// Short-descriptor translation table formats (VMSAv7 without LPAE), DDI 0406C B3.5.1:
// first-level descriptors (fault, page table, section, supersection) and second-level
// descriptors (fault, large page, small page). Field positions only; decoding is in walker.cpp.
#pragma once

#include <cstdint>

namespace vp::mmu {

namespace l1desc {
inline constexpr uint32_t TYPE_MASK = 0x3u;  // bits[1:0]
inline constexpr uint32_t TYPE_FAULT = 0x0u;
inline constexpr uint32_t TYPE_PAGE_TABLE = 0x1u;
inline constexpr uint32_t TYPE_SECTION = 0x2u;   // section or supersection (bit 18)
inline constexpr uint32_t TYPE_RESERVED = 0x3u;  // PXN cores only; translation fault on the A8

// Section and supersection.
inline constexpr uint32_t B = 1u << 2;
inline constexpr uint32_t C = 1u << 3;
inline constexpr uint32_t XN = 1u << 4;
inline constexpr unsigned DOMAIN_SHIFT = 5;  // bits[8:5] (section and page table)
inline constexpr uint32_t DOMAIN_MASK = 0xFu;
inline constexpr uint32_t IMP = 1u << 9;  // implementation defined
inline constexpr unsigned AP_SHIFT = 10;  // AP[1:0] at bits[11:10]
inline constexpr uint32_t AP_MASK = 0x3u;
inline constexpr unsigned TEX_SHIFT = 12;  // TEX[2:0] at bits[14:12]
inline constexpr uint32_t TEX_MASK = 0x7u;
inline constexpr uint32_t APX = 1u << 15;  // AP[2]
inline constexpr uint32_t S = 1u << 16;
inline constexpr uint32_t NG = 1u << 17;
inline constexpr uint32_t SUPERSECTION = 1u << 18;
inline constexpr uint32_t NS = 1u << 19;
inline constexpr uint32_t SECTION_BASE_MASK = 0xFFF00000u;  // PA[31:20]
inline constexpr uint32_t SUPER_BASE_MASK = 0xFF000000u;    // PA[31:24]
// Supersection extended PA (optional, not on the A8: 32-bit PA): PA[35:32] = bits[23:20],
// PA[39:36] = bits[8:5].
inline constexpr uint32_t SUPER_PA_35_32_MASK = 0x00F00000u;
inline constexpr uint32_t SUPER_PA_39_36_MASK = 0x000001E0u;

// Page table.
inline constexpr uint32_t PT_NS = 1u << 3;
inline constexpr uint32_t PT_BASE_MASK = 0xFFFFFC00u;  // L2 table base, bits[31:10]
}  // namespace l1desc

namespace l2desc {
inline constexpr uint32_t TYPE_MASK = 0x3u;
inline constexpr uint32_t TYPE_FAULT = 0x0u;
inline constexpr uint32_t TYPE_LARGE = 0x1u;
inline constexpr uint32_t SMALL_BIT = 0x2u;  // bit1 = 1: small page (bit0 = XN)

inline constexpr uint32_t B = 1u << 2;
inline constexpr uint32_t C = 1u << 3;
inline constexpr unsigned AP_SHIFT = 4;  // AP[1:0] at bits[5:4]
inline constexpr uint32_t AP_MASK = 0x3u;
inline constexpr uint32_t APX = 1u << 9;  // AP[2]
inline constexpr uint32_t S = 1u << 10;
inline constexpr uint32_t NG = 1u << 11;

inline constexpr uint32_t SMALL_XN = 1u << 0;
inline constexpr unsigned SMALL_TEX_SHIFT = 6;  // TEX[2:0] at bits[8:6]
inline constexpr uint32_t SMALL_BASE_MASK = 0xFFFFF000u;

inline constexpr unsigned LARGE_TEX_SHIFT = 12;  // TEX[2:0] at bits[14:12]
inline constexpr uint32_t LARGE_XN = 1u << 15;
inline constexpr uint32_t LARGE_BASE_MASK = 0xFFFF0000u;

inline constexpr uint32_t TEX_MASK = 0x7u;
}  // namespace l2desc

// AP[2:0] as held in TlbEntry::ap (DDI 0406C B3.7).
namespace ap {
inline constexpr uint8_t AP0 = 0x1u;  // the access flag when SCTLR.AFE = 1
inline constexpr uint8_t AP1 = 0x2u;
inline constexpr uint8_t AP2 = 0x4u;       // APX: read-only / "disable write"
inline constexpr unsigned AP21_SHIFT = 1;  // AP[2:1]: the simplified (AFE = 1) model
inline constexpr uint8_t MASK = 0x7u;
}  // namespace ap

// Table geometry (DDI 0406C B3.5.1, B3.5.4).
namespace table {
inline constexpr unsigned L1_INDEX_SHIFT = 20;  // VA[31:20] (less N bits for TTBR0)
inline constexpr unsigned L2_INDEX_SHIFT = 12;  // VA[19:12]
inline constexpr uint32_t L2_INDEX_MASK = 0xFFu;
inline constexpr unsigned DESC_SHIFT = 2;  // 4-byte descriptors
inline constexpr unsigned REPLICAS = 16;   // supersection / large-page copies
}  // namespace table

}  // namespace vp::mmu
