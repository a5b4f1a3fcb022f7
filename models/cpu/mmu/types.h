// Plain data types shared by the table walker, the permission check and the TLB.
#pragma once

#include <cstdint>

#include "models/cpu/mmu/cp15.h"

namespace vp::mmu {

// The CP15 registers that translation depends on (values as software wrote them).
struct MmuRegs {
    uint32_t sctlr = 0;
    uint32_t ttbr0 = 0;
    uint32_t ttbr1 = 0;
    uint32_t ttbcr = 0;
    uint32_t dacr = 0;
    uint32_t prrr = 0;
    uint32_t nmrr = 0;
    uint32_t contextidr = 0;

    uint8_t asid() const {
        return static_cast<uint8_t>(contextidr & vp::mmu::contextidr::ASID_MASK);
    }
};

enum class AccessKind : uint8_t { read, write, fetch };

const char* access_kind_name(AccessKind k);

// Memory type (DDI 0406C A3.5).
enum class MemType : uint8_t { strongly_ordered, device, normal };

// Cache policy of one level (inner or outer). The numeric values are the architectural
// 2-bit encoding used by TEX[1:0]/C,B of the "1BB AA" form, NMRR.IRn/ORn and TTBR.RGN.
enum class CachePolicy : uint8_t {
    non_cacheable = 0,
    write_back_write_allocate = 1,
    write_through = 2,  // no write-allocate
    write_back_no_write_allocate = 3,
};

const char* mem_type_name(MemType t);
const char* cache_policy_name(CachePolicy p);

struct MemAttrs {
    MemType type = MemType::strongly_ordered;
    CachePolicy inner = CachePolicy::non_cacheable;
    CachePolicy outer = CachePolicy::non_cacheable;
    bool shareable = true;
    // The encoding was reserved or IMPLEMENTATION DEFINED (see attributes.h for what we map
    // it to); the CPU model may log it.
    bool reserved = false;

    bool is_device_or_so() const { return type != MemType::normal; }
    bool inner_cacheable() const {
        return type == MemType::normal && inner != CachePolicy::non_cacheable;
    }
    bool outer_cacheable() const {
        return type == MemType::normal && outer != CachePolicy::non_cacheable;
    }
    bool operator==(const MemAttrs& o) const {
        return type == o.type && inner == o.inner && outer == o.outer && shareable == o.shareable &&
               reserved == o.reserved;
    }
    bool operator!=(const MemAttrs& o) const { return !(*this == o); }
};

// Page sizes of the short-descriptor format; the value is log2(bytes).
enum class PageSize : uint8_t { small_4k = 12, large_64k = 16, section_1m = 20, super_16m = 24 };

constexpr unsigned page_shift(PageSize s) {
    return static_cast<unsigned>(s);
}
constexpr uint32_t page_bytes(PageSize s) {
    return 1u << page_shift(s);
}
constexpr uint32_t page_mask(PageSize s) {
    return ~(page_bytes(s) - 1u);
}  // VA bits kept

// What produced an entry.
enum class EntryKind : uint8_t {
    section,       // level 1, 1 MB
    supersection,  // level 1, 16 MB
    large_page,    // level 2, 64 KB
    small_page,    // level 2, 4 KB
    flat,          // MMU disabled (SCTLR.M = 0): VA = PA, no permission checks
};

const char* entry_kind_name(EntryKind k);

// One translation, as a TLB holds it.
struct TlbEntry {
    uint32_t va_base = 0;  // VA & page_mask(size): the tag
    uint32_t pa_base = 0;  // PA of the first byte of the page
    PageSize size = PageSize::small_4k;
    EntryKind kind = EntryKind::small_page;
    uint8_t level = 1;   // 1 = first-level descriptor, 2 = second-level
    uint8_t asid = 0;    // meaningful when !global
    bool global = true;  // nG = 0
    uint8_t domain = 0;  // 0 for supersections
    uint8_t ap = 0;      // AP[2:0] (AP[2] = APX)
    bool xn = false;
    bool ns = false;  // NS bit of the descriptor (recorded, not used for matching)
    uint8_t tex = 0;  // raw TEX[2:0], C, B, S of the descriptor
    bool c = false;
    bool b = false;
    bool s = false;
    MemAttrs attrs;
    uint32_t l1_desc = 0;  // raw descriptors (for tests and the debugger)
    uint32_t l2_desc = 0;  // 0 for level-1 entries

    uint32_t mask() const { return page_mask(size); }
    bool contains(uint32_t va) const { return (va & mask()) == va_base; }
    uint32_t translate(uint32_t va) const { return pa_base | (va & ~mask()); }
    bool matches(uint32_t va, uint8_t cur_asid) const {
        return contains(va) && (global || asid == cur_asid);
    }
    // AP[0] is the access flag when SCTLR.AFE = 1.
    bool access_flag() const { return (ap & 1u) != 0; }
};

}  // namespace vp::mmu
