#include "models/cpu/mmu/attributes.h"

#include "models/cpu/mmu/cp15.h"

namespace vp::mmu {

namespace {

// TEX[2] = 1: "cacheable memory" form (Table B3-10, last row).
constexpr unsigned kTexCacheableForm = 0x4u;
constexpr unsigned kTexOuterMask = 0x3u;
// The TEX:C:B codes of Table B3-10 with TEX[2] = 0, written as TEX<<2 | C<<1 | B.
constexpr unsigned texcb(unsigned tex, bool c, bool b) {
    return (tex << 2) | (static_cast<unsigned>(c) << 1) | static_cast<unsigned>(b);
}
constexpr unsigned kStronglyOrdered = texcb(0, false, false);
constexpr unsigned kSharedDevice = texcb(0, false, true);
constexpr unsigned kWtNoWa = texcb(0, true, false);
constexpr unsigned kWbNoWa = texcb(0, true, true);
constexpr unsigned kNonCacheable = texcb(1, false, false);
constexpr unsigned kWbWa = texcb(1, true, true);
constexpr unsigned kNonSharedDevice = texcb(2, false, false);

MemAttrs strongly_ordered() {
    MemAttrs a;
    a.type = MemType::strongly_ordered;
    a.shareable = true;  // Strongly-ordered memory is always shareable
    return a;
}

MemAttrs device(bool shareable) {
    MemAttrs a;
    a.type = MemType::device;
    a.shareable = shareable;
    return a;
}

MemAttrs normal(CachePolicy inner, CachePolicy outer, bool shareable) {
    MemAttrs a;
    a.type = MemType::normal;
    a.inner = inner;
    a.outer = outer;
    a.shareable = shareable;
    return a;
}

MemAttrs reserved_encoding() {
    MemAttrs a = strongly_ordered();
    a.reserved = true;
    return a;
}

CachePolicy policy(unsigned two_bits) {
    return static_cast<CachePolicy>(two_bits & 0x3u);
}

}  // namespace

MemAttrs decode_tex_cb(unsigned tex, bool c, bool b, bool s) {
    tex &= 0x7u;
    if (tex & kTexCacheableForm) {
        const unsigned inner = texcb(0, c, b);  // C:B as a 2-bit value
        return normal(policy(inner), policy(tex & kTexOuterMask), s);
    }
    switch (texcb(tex, c, b)) {
        case kStronglyOrdered:
            return strongly_ordered();
        case kSharedDevice:
            return device(true);
        case kWtNoWa:
            return normal(CachePolicy::write_through, CachePolicy::write_through, s);
        case kWbNoWa:
            return normal(CachePolicy::write_back_no_write_allocate,
                          CachePolicy::write_back_no_write_allocate, s);
        case kNonCacheable:
            return normal(CachePolicy::non_cacheable, CachePolicy::non_cacheable, s);
        case kWbWa:
            return normal(CachePolicy::write_back_write_allocate,
                          CachePolicy::write_back_write_allocate, s);
        case kNonSharedDevice:
            return device(false);
        default:
            return reserved_encoding();
    }
}

MemAttrs decode_remap(uint32_t prrr_value, uint32_t nmrr_value, unsigned tex, bool c, bool b,
                      bool s) {
    // n = TEX[0]:C:B
    const unsigned n =
        ((tex & 1u) << 2) | (static_cast<unsigned>(c) << 1) | static_cast<unsigned>(b);
    const uint32_t tr = (prrr_value >> (n * prrr::TR_BITS)) & prrr::TR_MASK;
    switch (tr) {
        case prrr::TR_SO:
            return strongly_ordered();
        case prrr::TR_DEVICE:
            return device((prrr_value & (s ? prrr::DS1 : prrr::DS0)) != 0);
        case prrr::TR_NORMAL: {
            const uint32_t ir =
                (nmrr_value >> (nmrr::IR_SHIFT + n * nmrr::FIELD_BITS)) & nmrr::FIELD_MASK;
            const uint32_t orr =
                (nmrr_value >> (nmrr::OR_SHIFT + n * nmrr::FIELD_BITS)) & nmrr::FIELD_MASK;
            return normal(policy(ir), policy(orr), (prrr_value & (s ? prrr::NS1 : prrr::NS0)) != 0);
        }
        default:
            return reserved_encoding();
    }
}

MemAttrs decode_attributes(const MmuRegs& regs, unsigned tex, bool c, bool b, bool s) {
    if (regs.sctlr & sctlr::TRE) return decode_remap(regs.prrr, regs.nmrr, tex, c, b, s);
    return decode_tex_cb(tex, c, b, s);
}

MemAttrs flat_attributes(const MmuRegs& regs, AccessKind kind) {
    if (kind != AccessKind::fetch) return strongly_ordered();
    const CachePolicy p =
        (regs.sctlr & sctlr::I) ? CachePolicy::write_through : CachePolicy::non_cacheable;
    return normal(p, p, false);
}

}  // namespace vp::mmu
