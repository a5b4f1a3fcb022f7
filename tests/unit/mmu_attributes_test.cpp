// Memory region attributes: TEX/C/B with SCTLR.TRE = 0 and PRRR/NMRR remap with TRE = 1.
#define BOOST_TEST_MODULE mmu_attributes
#include <boost/test/unit_test.hpp>

#include "models/cpu/mmu/attributes.h"
#include "models/cpu/mmu/cp15.h"

using namespace vp::mmu;

namespace {
constexpr CachePolicy NC = CachePolicy::non_cacheable;
constexpr CachePolicy WBWA = CachePolicy::write_back_write_allocate;
constexpr CachePolicy WT = CachePolicy::write_through;
constexpr CachePolicy WB = CachePolicy::write_back_no_write_allocate;

void expect(const MemAttrs& a, MemType type, CachePolicy inner, CachePolicy outer, bool shareable,
            bool reserved = false) {
    BOOST_TEST(static_cast<int>(a.type) == static_cast<int>(type));
    BOOST_TEST(static_cast<int>(a.inner) == static_cast<int>(inner));
    BOOST_TEST(static_cast<int>(a.outer) == static_cast<int>(outer));
    BOOST_TEST(a.shareable == shareable);
    BOOST_TEST(a.reserved == reserved);
}
}  // namespace

// DDI 0406C B3.8.2, Table B3-10 "TEX, C, and B encodings when TRE == 0" (mmu-tlb.md §3.1).
BOOST_AUTO_TEST_CASE(tre0_defined_encodings) {
    // 000 0 0: Strongly-ordered, always shareable (S ignored).
    expect(decode_tex_cb(0, false, false, false), MemType::strongly_ordered, NC, NC, true);
    // 000 0 1: Shareable Device.
    expect(decode_tex_cb(0, false, true, false), MemType::device, NC, NC, true);
    // 000 1 0: Normal, outer and inner write-through, no write-allocate; S from the descriptor.
    expect(decode_tex_cb(0, true, false, false), MemType::normal, WT, WT, false);
    expect(decode_tex_cb(0, true, false, true), MemType::normal, WT, WT, true);
    // 000 1 1: Normal, outer and inner write-back, no write-allocate.
    expect(decode_tex_cb(0, true, true, true), MemType::normal, WB, WB, true);
    // 001 0 0: Normal, outer and inner non-cacheable.
    expect(decode_tex_cb(1, false, false, false), MemType::normal, NC, NC, false);
    // 001 1 1: Normal, outer and inner write-back, write-allocate.
    expect(decode_tex_cb(1, true, true, false), MemType::normal, WBWA, WBWA, false);
    // 010 0 0: Non-shareable Device.
    expect(decode_tex_cb(2, false, false, true), MemType::device, NC, NC, false);
}

// Table B3-10 last row: TEX = 1BB, C:B = AA → Normal, outer policy BB, inner policy AA,
// with 00 NC, 01 WB-WA, 10 WT, 11 WB-no-WA.
BOOST_AUTO_TEST_CASE(tre0_cacheable_memory_form) {
    const CachePolicy enc[4] = {NC, WBWA, WT, WB};
    for (unsigned bb = 0; bb < 4; ++bb) {
        for (unsigned aa = 0; aa < 4; ++aa) {
            const bool c = (aa & 2) != 0, b = (aa & 1) != 0;
            BOOST_TEST_CONTEXT("TEX=1" << bb << " AA=" << aa) {
                expect(decode_tex_cb(4 | bb, c, b, true), MemType::normal, enc[aa], enc[bb], true);
            }
        }
    }
    // Example: TEX=101 (outer WB-WA), C=1 B=0 (inner WT).
    expect(decode_tex_cb(5, true, false, false), MemType::normal, WT, WBWA, false);
}

// Reserved / IMPLEMENTATION DEFINED rows of Table B3-10: our documented choice is
// Strongly-ordered with `reserved` set (docs/models/mmu.md).
BOOST_AUTO_TEST_CASE(tre0_reserved_encodings) {
    struct Code {
        unsigned tex;
        bool c, b;
    };
    const Code reserved[] = {{1, true, false}, {1, false, true}, {2, false, true},
                             {2, true, false}, {2, true, true},  {3, false, false},
                             {3, false, true}, {3, true, false}, {3, true, true}};
    for (const Code& r : reserved) {
        BOOST_TEST_CONTEXT("TEX=" << r.tex << " C=" << r.c << " B=" << r.b) {
            expect(decode_tex_cb(r.tex, r.c, r.b, false), MemType::strongly_ordered, NC, NC, true,
                   true);
        }
    }
}

// DDI 0406C B3.8.3 with Linux's values PRRR = 0xFF0A81A8, NMRR = 0x40E040E0
// (arch/arm/mm/proc-v7-2level.S; decoded in mmu-tlb.md §3.2).
BOOST_AUTO_TEST_CASE(tre1_linux_remap) {
    const uint32_t prrr = 0xFF0A81A8u, nmrr = 0x40E040E0u;
    auto at = [&](unsigned tex, bool c, bool b, bool s) {
        return decode_remap(prrr, nmrr, tex, c, b, s);
    };
    // n = 0 UNCACHED: Strongly-ordered.
    expect(at(0, false, false, false), MemType::strongly_ordered, NC, NC, true);
    // n = 1 BUFFERABLE: Normal NC/NC; S = 1 → NS1 = 1 shareable, S = 0 → NS0 = 0 not.
    expect(at(0, false, true, true), MemType::normal, NC, NC, true);
    expect(at(0, false, true, false), MemType::normal, NC, NC, false);
    // n = 2 WRITETHROUGH: Normal WT/WT.
    expect(at(0, true, false, false), MemType::normal, WT, WT, false);
    // n = 3 WRITEBACK: Normal WB-noWA (Linux UP lowmem policy "writeback").
    expect(at(0, true, true, false), MemType::normal, WB, WB, false);
    // n = 4 DEV_SHARED / DEV_NONSHARED: Device; S = 1 → DS1 = 1 shareable, S = 0 → DS0 = 0.
    expect(at(1, false, false, true), MemType::device, NC, NC, true);
    expect(at(1, false, false, false), MemType::device, NC, NC, false);
    // n = 7 WRITEALLOC: Normal WB-WA/WB-WA.
    expect(at(1, true, true, true), MemType::normal, WBWA, WBWA, true);
    // n = 5, 6: PRRR.TR = 00 → Strongly-ordered.
    expect(at(1, false, true, false), MemType::strongly_ordered, NC, NC, true);
    expect(at(1, true, false, false), MemType::strongly_ordered, NC, NC, true);
}

// With TRE = 1, TEX[2:1] are free for the OS and do not change the attributes (B3.8.3).
BOOST_AUTO_TEST_CASE(tre1_ignores_tex_2_1) {
    const uint32_t prrr = 0xFF0A81A8u, nmrr = 0x40E040E0u;
    for (unsigned hi = 0; hi < 4; ++hi) {
        const unsigned tex = (hi << 1) | 1u;
        BOOST_TEST((decode_remap(prrr, nmrr, tex, true, true, true) ==
                    decode_remap(prrr, nmrr, 1, true, true, true)));
        BOOST_TEST((decode_remap(prrr, nmrr, hi << 1, true, true, false) ==
                    decode_remap(prrr, nmrr, 0, true, true, false)));
    }
}

// PRRR.TRn = 0b11 is reserved: same documented choice as the TRE = 0 reserved encodings.
BOOST_AUTO_TEST_CASE(tre1_reserved_type) {
    expect(decode_remap(0x3u, 0, 0, false, false, false), MemType::strongly_ordered, NC, NC, true,
           true);
}

BOOST_AUTO_TEST_CASE(decode_attributes_selects_by_sctlr_tre) {
    MmuRegs regs;
    regs.prrr = 0xFF0A81A8u;
    regs.nmrr = 0x40E040E0u;
    // TEX=001 C=0 B=0: TRE=0 → Normal NC (Table B3-10); TRE=1 → n=4 → Device.
    regs.sctlr = 0;
    expect(decode_attributes(regs, 1, false, false, true), MemType::normal, NC, NC, true);
    regs.sctlr = sctlr::TRE;
    expect(decode_attributes(regs, 1, false, false, true), MemType::device, NC, NC, true);
}

// DDI 0406C B3.2.1: MMU off → data Strongly-ordered; instruction fetches Normal, write-through
// cacheable when SCTLR.I = 1, non-cacheable when I = 0.
BOOST_AUTO_TEST_CASE(mmu_off_attributes) {
    MmuRegs regs;
    BOOST_TEST(static_cast<int>(flat_attributes(regs, AccessKind::read).type) ==
               static_cast<int>(MemType::strongly_ordered));
    BOOST_TEST(static_cast<int>(flat_attributes(regs, AccessKind::write).type) ==
               static_cast<int>(MemType::strongly_ordered));
    MemAttrs f = flat_attributes(regs, AccessKind::fetch);
    BOOST_TEST(static_cast<int>(f.type) == static_cast<int>(MemType::normal));
    BOOST_TEST(static_cast<int>(f.inner) == static_cast<int>(NC));
    regs.sctlr = sctlr::I;
    f = flat_attributes(regs, AccessKind::fetch);
    BOOST_TEST(static_cast<int>(f.inner) == static_cast<int>(WT));
    BOOST_TEST(static_cast<int>(f.outer) == static_cast<int>(WT));
}
