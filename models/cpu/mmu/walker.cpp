#include "models/cpu/mmu/walker.h"

#include "models/cpu/mmu/attributes.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/descriptor.h"
#include "models/cpu/mmu/walk_cache.h"

namespace vp::mmu {

namespace {

constexpr unsigned kVaBits = 32;

uint32_t field(uint32_t v, unsigned shift, uint32_t mask) {
    return (v >> shift) & mask;
}

}  // namespace

bool uses_ttbr1(const MmuRegs& regs, uint32_t va) {
    const unsigned n = regs.ttbcr & ttbcr::N_MASK;
    if (n == 0) return false;
    return (va >> (kVaBits - n)) != 0;  // VA[31:32-N] != 0
}

uint32_t l1_descriptor_address(const MmuRegs& regs, uint32_t va) {
    if (uses_ttbr1(regs, va)) {
        // TTBR1 always addresses a 16 KB table: TTBR1[31:14] | VA[31:20] << 2.
        const uint32_t base = regs.ttbr1 & (~0u << ttbr::BASE_SHIFT_N0);
        return base | ((va >> table::L1_INDEX_SHIFT) << table::DESC_SHIFT);
    }
    const unsigned n = regs.ttbcr & ttbcr::N_MASK;
    const uint32_t base = regs.ttbr0 & (~0u << (ttbr::BASE_SHIFT_N0 - n));
    const uint32_t index = (va << n) >> (n + table::L1_INDEX_SHIFT);  // VA[31-N:20]
    return base | (index << table::DESC_SHIFT);
}

uint32_t l2_descriptor_address(uint32_t l1, uint32_t va) {
    return (l1 & l1desc::PT_BASE_MASK) |
           (field(va, table::L2_INDEX_SHIFT, table::L2_INDEX_MASK) << table::DESC_SHIFT);
}

bool walk_cacheable(const MmuRegs& regs, uint32_t ttbr_value) {
    return (ttbr_value & ttbr::C) != 0 && (regs.sctlr & sctlr::C) != 0;
}

TlbEntry decode_section(const MmuRegs& regs, uint32_t va, uint32_t l1) {
    TlbEntry e;
    const bool super = (l1 & l1desc::SUPERSECTION) != 0;
    e.level = 1;
    e.kind = super ? EntryKind::supersection : EntryKind::section;
    e.size = super ? PageSize::super_16m : PageSize::section_1m;
    e.va_base = va & page_mask(e.size);
    e.pa_base = l1 & (super ? l1desc::SUPER_BASE_MASK : l1desc::SECTION_BASE_MASK);
    e.domain =
        super ? 0 : static_cast<uint8_t>(field(l1, l1desc::DOMAIN_SHIFT, l1desc::DOMAIN_MASK));
    e.ap = static_cast<uint8_t>(field(l1, l1desc::AP_SHIFT, l1desc::AP_MASK) |
                                ((l1 & l1desc::APX) ? ap::AP2 : 0u));
    e.xn = (l1 & l1desc::XN) != 0;
    e.ns = (l1 & l1desc::NS) != 0;
    e.global = (l1 & l1desc::NG) == 0;
    e.asid = e.global ? 0 : regs.asid();
    e.tex = static_cast<uint8_t>(field(l1, l1desc::TEX_SHIFT, l1desc::TEX_MASK));
    e.c = (l1 & l1desc::C) != 0;
    e.b = (l1 & l1desc::B) != 0;
    e.s = (l1 & l1desc::S) != 0;
    e.attrs = decode_attributes(regs, e.tex, e.c, e.b, e.s);
    e.l1_desc = l1;
    e.l2_desc = 0;
    return e;
}

TlbEntry decode_page(const MmuRegs& regs, uint32_t va, uint32_t l1, uint32_t l2) {
    TlbEntry e;
    const bool small = (l2 & l2desc::SMALL_BIT) != 0;
    e.level = 2;
    e.kind = small ? EntryKind::small_page : EntryKind::large_page;
    e.size = small ? PageSize::small_4k : PageSize::large_64k;
    e.va_base = va & page_mask(e.size);
    e.pa_base = l2 & (small ? l2desc::SMALL_BASE_MASK : l2desc::LARGE_BASE_MASK);
    e.domain = static_cast<uint8_t>(field(l1, l1desc::DOMAIN_SHIFT, l1desc::DOMAIN_MASK));
    e.ap = static_cast<uint8_t>(field(l2, l2desc::AP_SHIFT, l2desc::AP_MASK) |
                                ((l2 & l2desc::APX) ? ap::AP2 : 0u));
    e.xn = small ? (l2 & l2desc::SMALL_XN) != 0 : (l2 & l2desc::LARGE_XN) != 0;
    e.ns = (l1 & l1desc::PT_NS) != 0;
    e.global = (l2 & l2desc::NG) == 0;
    e.asid = e.global ? 0 : regs.asid();
    e.tex = static_cast<uint8_t>(
        field(l2, small ? l2desc::SMALL_TEX_SHIFT : l2desc::LARGE_TEX_SHIFT, l2desc::TEX_MASK));
    e.c = (l2 & l2desc::C) != 0;
    e.b = (l2 & l2desc::B) != 0;
    e.s = (l2 & l2desc::S) != 0;
    e.attrs = decode_attributes(regs, e.tex, e.c, e.b, e.s);
    e.l1_desc = l1;
    e.l2_desc = l2;
    return e;
}

TlbEntry flat_entry(const MmuRegs& regs, uint32_t va, AccessKind kind) {
    TlbEntry e;
    e.level = 1;
    e.kind = EntryKind::flat;
    e.size = PageSize::section_1m;
    e.va_base = va & page_mask(e.size);
    e.pa_base = e.va_base;
    e.global = true;
    e.attrs = flat_attributes(regs, kind);
    return e;
}

WalkResult walk(const MmuRegs& regs, uint32_t va, AccessKind kind, DescriptorReader& reader,
                WalkCache* wc) {
    WalkResult r;
    if ((regs.sctlr & sctlr::M) == 0) {
        r.entry = flat_entry(regs, va, kind);
        return r;
    }

    r.used_ttbr1 = uses_ttbr1(regs, va);
    const uint32_t ttbr_value = r.used_ttbr1 ? regs.ttbr1 : regs.ttbr0;
    r.cacheable_walk = walk_cacheable(regs, ttbr_value);
    r.walk_outer = static_cast<CachePolicy>(
        field(ttbr_value, ttbr::RGN_SHIFT, ttbr::RGN_MASK >> ttbr::RGN_SHIFT));

    const uint32_t pd = r.used_ttbr1 ? ttbcr::PD1 : ttbcr::PD0;
    if (regs.ttbcr & pd) {
        r.fault = make_fault(FaultType::translation_l1, va, kind, 0);
        return r;
    }

    // Level 1.
    const uint32_t l1_addr = l1_descriptor_address(regs, va);
    uint32_t l1 = 0;
    if (wc && wc->lookup(l1_addr, l1)) {
        r.walk_cache_hit = true;
    } else {
        r.read_addr[r.reads++] = l1_addr;
        if (!reader.read(l1_addr, l1, r.cacheable_walk)) {
            r.fault = make_fault(FaultType::sync_external_walk_l1, va, kind, 0);
            return r;
        }
    }

    const uint32_t l1_type = l1 & l1desc::TYPE_MASK;
    if (l1_type == l1desc::TYPE_FAULT || l1_type == l1desc::TYPE_RESERVED) {
        r.fault = make_fault(FaultType::translation_l1, va, kind, 0);
        return r;
    }
    if (l1_type == l1desc::TYPE_SECTION) {
        r.entry = decode_section(regs, va, l1);
        if (r.entry.kind == EntryKind::supersection)
            r.ignored_pa_high_bits =
                (l1 & (l1desc::SUPER_PA_35_32_MASK | l1desc::SUPER_PA_39_36_MASK)) != 0;
        return r;
    }

    // Page table: level 2.
    if (wc && !r.walk_cache_hit) wc->insert(l1_addr, l1);
    const uint8_t domain =
        static_cast<uint8_t>(field(l1, l1desc::DOMAIN_SHIFT, l1desc::DOMAIN_MASK));
    const uint32_t l2_addr = l2_descriptor_address(l1, va);
    uint32_t l2 = 0;
    r.read_addr[r.reads++] = l2_addr;
    if (!reader.read(l2_addr, l2, r.cacheable_walk)) {
        r.fault = make_fault(FaultType::sync_external_walk_l2, va, kind, domain);
        return r;
    }
    if ((l2 & l2desc::TYPE_MASK) == l2desc::TYPE_FAULT) {
        r.fault = make_fault(FaultType::translation_l2, va, kind, domain);
        return r;
    }
    r.entry = decode_page(regs, va, l1, l2);
    return r;
}

}  // namespace vp::mmu
