// Aborts produced by the MMU, with the exact short-descriptor fault status register value.
//
// FSR layout (DDI 0406C B4.1, DFSR/IFSR, short-descriptor format): FS[3:0] at bits[3:0],
// Domain at bits[7:4] (DFSR only, where the fault encoding says it is valid), FS[4] at bit 10,
// WnR at bit 11 (DFSR only), ExT at bit 12 (external aborts; this model reports 0).
// The FS encodings are those of DDI 0406C Table B3-23 "Short-descriptor format FSR encodings"
// (mmu-tlb.md §2.4): "section" = first level, "page" = second level.
#pragma once

#include <cstdint>

#include "models/cpu/mmu/types.h"

namespace vp::mmu {

enum class FaultType : uint8_t {
    alignment,              // FS 0b00001
    debug_event,            // FS 0b00010
    access_flag_l1,         // FS 0b00011 (section)
    icache_maintenance,     // FS 0b00100
    translation_l1,         // FS 0b00101 (section)
    access_flag_l2,         // FS 0b00110 (page)
    translation_l2,         // FS 0b00111 (page)
    sync_external,          // FS 0b01000 (not on a walk)
    domain_l1,              // FS 0b01001 (section)
    domain_l2,              // FS 0b01011 (page)
    sync_external_walk_l1,  // FS 0b01100
    permission_l1,          // FS 0b01101 (section)
    sync_external_walk_l2,  // FS 0b01110
    permission_l2,          // FS 0b01111 (page)
    tlb_conflict,           // FS 0b10000 (not implemented by the A8; listed for completeness)
    lockdown,               // FS 0b10100 (IMPLEMENTATION DEFINED)
    async_external,         // FS 0b10110 (DFSR only)
    async_parity,           // FS 0b11000 (DFSR only)
    sync_parity,            // FS 0b11001
    coprocessor_abort,      // FS 0b11010 (IMPLEMENTATION DEFINED)
    sync_parity_walk_l1,    // FS 0b11100
    sync_parity_walk_l2,    // FS 0b11110
};

namespace fsr {
inline constexpr uint32_t FS_LOW_MASK = 0xFu;  // FS[3:0] at bits[3:0]
inline constexpr unsigned FS4_SOURCE_BIT = 4;  // bit 4 of the 5-bit FS value …
inline constexpr unsigned FS4_SHIFT = 10;      // … goes to FSR bit 10
inline constexpr unsigned DOMAIN_SHIFT = 4;    // Domain at bits[7:4]
inline constexpr uint32_t DOMAIN_MASK = 0xFu;
inline constexpr uint32_t WNR = 1u << 11;  // write, not read (DFSR)
inline constexpr uint32_t EXT = 1u << 12;  // external abort type (IMPLEMENTATION DEFINED)
}  // namespace fsr

// The 5-bit FS value of a fault type.
uint8_t fault_status(FaultType t);
// Whether the FSR Domain field is valid for this fault (DDI 0406C Table B3-23).
bool fault_domain_valid(FaultType t);
// 1 or 2 for faults tied to a translation level, 0 otherwise.
unsigned fault_level(FaultType t);
// "translation_l2" …
const char* fault_name(FaultType t);
// Linux's text for the fault (arch/arm/mm/fsr-2level.c), e.g. "page translation fault".
const char* fault_description(FaultType t);

struct Fault {
    FaultType type = FaultType::translation_l1;
    AccessKind access = AccessKind::read;
    uint32_t far = 0;    // faulting VA: DFAR for data aborts, IFAR for prefetch aborts
    uint8_t domain = 0;  // domain of the translation when known (0 otherwise)
    uint32_t fsr = 0;    // the DFSR (read/write) or IFSR (fetch) value, see make_fault

    bool is_prefetch_abort() const { return access == AccessKind::fetch; }
    bool is_data_abort() const { return access != AccessKind::fetch; }
    uint8_t status() const { return fault_status(type); }
    unsigned level() const { return fault_level(type); }
    bool operator==(const Fault& o) const {
        return type == o.type && access == o.access && far == o.far && domain == o.domain &&
               fsr == o.fsr;
    }
};

// Builds a Fault and its FSR value. Data aborts (read/write) get the DFSR layout: Domain when
// the encoding has it valid, WnR = 1 for writes. Instruction fetches get the IFSR layout
// (no Domain, no WnR: those bits read as zero).
Fault make_fault(FaultType t, uint32_t va, AccessKind access, uint8_t domain);

// Compose an FSR value from the parts (for tests and the CPU's register view).
uint32_t compose_fsr(uint8_t fs, uint8_t domain, bool domain_valid, bool wnr);

}  // namespace vp::mmu
