// Short-descriptor table walk: descriptor types, walk addresses, TTBR selection, walk faults.
//
// Descriptors are written as hex literals built from the field positions of DDI 0406C B3.5.1
// (Figures "Short-descriptor first-level descriptor formats" and "second-level descriptor
// formats", reproduced in mmu-tlb.md §1.4/§1.5); each literal's fields are spelled out.
#define BOOST_TEST_MODULE mmu_walker
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <vector>

#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/tlb.h"
#include "models/cpu/mmu/walk_cache.h"
#include "models/cpu/mmu/walker.h"

using namespace vp::mmu;

namespace {

// Physical memory of 32-bit words that records every descriptor read.
struct FakeMemory : DescriptorReader {
    std::map<uint32_t, uint32_t> words;
    std::set<uint32_t> bus_errors;
    std::vector<uint32_t> reads;
    std::vector<bool> cacheable;

    bool read(uint32_t pa, uint32_t& value, bool cacheable_walk) override {
        reads.push_back(pa);
        cacheable.push_back(cacheable_walk);
        if (bus_errors.count(pa)) return false;
        auto it = words.find(pa);
        value = it == words.end() ? 0u : it->second;  // unwritten memory reads as 0 (fault)
        return true;
    }
};

// Linux-like setup: swapper_pg_dir at physical 0x80004000, TTBR0 flags IRGN_WB|RGN_OC_WB
// (0x49, arch/arm/mm/proc-v7-2level.S), TTBCR.N = 0, MMU + caches on, ASID 0x42.
MmuRegs linux_regs() {
    MmuRegs r;
    r.sctlr = sctlr::M | sctlr::C | sctlr::I;
    r.ttbr0 = 0x80004049u;
    r.ttbr1 = 0x80004049u;
    r.ttbcr = 0;
    r.dacr = 0x55555555u;
    r.contextidr = 0x1242u;  // PROCID 0x12, ASID 0x42
    return r;
}

}  // namespace

// Section: L1 read at TTBR0[31:14] | VA[31:20] << 2; PA = desc[31:20] | VA[19:0].
BOOST_AUTO_TEST_CASE(section_walk) {
    FakeMemory mem;
    // PA 0x80100000, AP[1:0]=01 (bit 10), C (bit 3), B (bit 2), domain 0, type 0b10.
    mem.words[0x80007004u] = 0x8010040Eu;
    const MmuRegs regs = linux_regs();
    WalkResult r = walk(regs, 0xC0123456u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(mem.reads == std::vector<uint32_t>{0x80007004u});
    BOOST_TEST(r.reads == 1u);
    BOOST_TEST(r.read_addr[0] == 0x80007004u);
    BOOST_TEST(r.entry.translate(0xC0123456u) == 0x80123456u);
    BOOST_TEST(r.entry.va_base == 0xC0100000u);
    BOOST_TEST(r.entry.pa_base == 0x80100000u);
    BOOST_TEST(static_cast<int>(r.entry.kind) == static_cast<int>(EntryKind::section));
    BOOST_TEST(static_cast<int>(r.entry.size) == static_cast<int>(PageSize::section_1m));
    BOOST_TEST(r.entry.level == 1u);
    BOOST_TEST(r.entry.domain == 0u);
    BOOST_TEST(r.entry.ap == 0x1u);
    BOOST_TEST(!r.entry.xn);
    BOOST_TEST(r.entry.global);
    BOOST_TEST(r.entry.c);
    BOOST_TEST(r.entry.b);
    BOOST_TEST(r.entry.l1_desc == 0x8010040Eu);
    // TTBR.C = 1 and SCTLR.C = 1 → cacheable walk; RGN = 01 → outer WB-WA.
    BOOST_TEST(r.cacheable_walk);
    BOOST_TEST(mem.cacheable.at(0));
    BOOST_TEST(static_cast<int>(r.walk_outer) ==
               static_cast<int>(CachePolicy::write_back_write_allocate));
}

// Section with every field set: NS(19) nG(17) S(16) APX(15) TEX=101(14:12) AP=10(11:10)
// domain 0xA (8:5) XN(4) C(3) B=0, type 0b10 → 0xABCBD95A.
BOOST_AUTO_TEST_CASE(section_fields) {
    FakeMemory mem;
    const uint32_t desc = 0xABC00000u | (1u << 19) | (1u << 17) | (1u << 16) | (1u << 15) |
                          (5u << 12) | (2u << 10) | (0xAu << 5) | (1u << 4) | (1u << 3) | 2u;
    BOOST_TEST(desc == 0xABCBD95Au);
    mem.words[0x80004000u + (0xABCu << 2)] = desc;
    const MmuRegs regs = linux_regs();
    WalkResult r = walk(regs, 0xABCFFFFFu, AccessKind::write, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r.entry.translate(0xABCFFFFFu) == 0xABCFFFFFu);
    BOOST_TEST(r.entry.ns);
    BOOST_TEST(!r.entry.global);
    BOOST_TEST(r.entry.asid == 0x42u);  // CONTEXTIDR[7:0]
    BOOST_TEST(r.entry.s);
    BOOST_TEST(r.entry.ap == 0x6u);  // AP[2]=1, AP[1:0]=10
    BOOST_TEST(r.entry.tex == 5u);
    BOOST_TEST(r.entry.domain == 0xAu);
    BOOST_TEST(r.entry.xn);
    BOOST_TEST(r.entry.c);
    BOOST_TEST(!r.entry.b);
}

// Small page: L1 page-table descriptor, then L2 read at L1desc[31:10] | VA[19:12] << 2;
// PA = desc[31:12] | VA[11:0]. The domain comes from the L1 descriptor.
BOOST_AUTO_TEST_CASE(small_page_walk) {
    FakeMemory mem;
    // L1 (VA[31:20] = 0): L2 table 0x9F000400, domain 1 (bits 8:5), type 0b01.
    mem.words[0x80004000u] = 0x9F000421u;
    // L2 (VA[19:12] = 0x12): PA 0x9ABCD000, nG (11), AP=11 (5:4), C, B, small (bit 1), XN (0).
    mem.words[0x9F000448u] = 0x9ABCD83Fu;
    const MmuRegs regs = linux_regs();
    WalkResult r = walk(regs, 0x00012345u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(mem.reads == (std::vector<uint32_t>{0x80004000u, 0x9F000448u}));
    BOOST_TEST(r.reads == 2u);
    BOOST_TEST(r.entry.translate(0x00012345u) == 0x9ABCD345u);
    BOOST_TEST(static_cast<int>(r.entry.kind) == static_cast<int>(EntryKind::small_page));
    BOOST_TEST(static_cast<int>(r.entry.size) == static_cast<int>(PageSize::small_4k));
    BOOST_TEST(r.entry.level == 2u);
    BOOST_TEST(r.entry.domain == 1u);
    BOOST_TEST(r.entry.ap == 0x3u);
    BOOST_TEST(r.entry.xn);
    BOOST_TEST(!r.entry.global);
    BOOST_TEST(r.entry.asid == 0x42u);
    BOOST_TEST(r.entry.l1_desc == 0x9F000421u);
    BOOST_TEST(r.entry.l2_desc == 0x9ABCD83Fu);
}

// Small page TEX is at bits 8:6 and APX at bit 9; S at 10.
BOOST_AUTO_TEST_CASE(small_page_fields) {
    FakeMemory mem;
    mem.words[0x80004000u] = 0x9F000001u;  // L2 table 0x9F000000, domain 0
    // PA 0x00345000, S (10), APX (9), TEX=111 (8:6), AP=01 (5:4), C=0 B=1, small, XN=0.
    const uint32_t l2 =
        0x00345000u | (1u << 10) | (1u << 9) | (7u << 6) | (1u << 4) | (1u << 2) | 2u;
    BOOST_TEST(l2 == 0x003457D6u);
    mem.words[0x9F000000u + (0x45u << 2)] = l2;
    WalkResult r = walk(linux_regs(), 0x00045ABCu, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r.entry.translate(0x00045ABCu) == 0x00345ABCu);
    BOOST_TEST(r.entry.tex == 7u);
    BOOST_TEST(r.entry.ap == 0x5u);
    BOOST_TEST(r.entry.s);
    BOOST_TEST(!r.entry.c);
    BOOST_TEST(r.entry.b);
    BOOST_TEST(!r.entry.xn);
    BOOST_TEST(r.entry.global);
}

// Large page: PA = desc[31:16] | VA[15:0]; XN at bit 15, TEX at 14:12.
BOOST_AUTO_TEST_CASE(large_page_walk) {
    FakeMemory mem;
    mem.words[0x80004000u] = 0x9F000441u;  // L2 table 0x9F000400, domain 2
    // PA 0x12340000, XN (15), TEX=001 (14:12), S (10), APX (9), AP=01 (5:4), C, B, type 0b01.
    const uint32_t large = 0x12340000u | (1u << 15) | (1u << 12) | (1u << 10) | (1u << 9) |
                           (1u << 4) | (1u << 3) | (1u << 2) | 1u;
    BOOST_TEST(large == 0x1234961Du);
    mem.words[0x9F000400u + (0x57u << 2)] = large;  // VA[19:12] = 0x57
    WalkResult r = walk(linux_regs(), 0x00057654u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(mem.reads == (std::vector<uint32_t>{0x80004000u, 0x9F00055Cu}));
    BOOST_TEST(r.entry.translate(0x00057654u) == 0x12347654u);
    BOOST_TEST(static_cast<int>(r.entry.kind) == static_cast<int>(EntryKind::large_page));
    BOOST_TEST(static_cast<int>(r.entry.size) == static_cast<int>(PageSize::large_64k));
    BOOST_TEST(r.entry.va_base == 0x00050000u);
    BOOST_TEST(r.entry.xn);
    BOOST_TEST(r.entry.tex == 1u);
    BOOST_TEST(r.entry.ap == 0x5u);
    BOOST_TEST(r.entry.domain == 2u);
    BOOST_TEST(r.entry.global);
}

// Large page replication (mmu-tlb.md §1.6): 16 identical L2 entries; the walk reads only the
// copy selected by VA[15:12] and the TLB entry covers all 64 KB.
BOOST_AUTO_TEST_CASE(large_page_replication) {
    FakeMemory mem;
    mem.words[0x80004000u] = 0x9F000401u;
    const uint32_t large = 0x12340000u | (3u << 4) | 1u;  // AP=11, large
    for (uint32_t i = 0x50; i < 0x60; ++i)
        mem.words[0x9F000400u + (i << 2)] = large;
    const MmuRegs regs = linux_regs();

    WalkResult first = walk(regs, 0x00050000u, AccessKind::read, mem);
    WalkResult last = walk(regs, 0x0005F123u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(first.ok());
    BOOST_TEST_REQUIRE(last.ok());
    BOOST_TEST(first.read_addr[1] == 0x9F000540u);  // index 0x50
    BOOST_TEST(last.read_addr[1] == 0x9F00057Cu);   // index 0x5F
    BOOST_TEST(first.entry.va_base == last.entry.va_base);
    BOOST_TEST(last.entry.translate(0x0005F123u) == 0x1234F123u);

    Tlb tlb("test.walker.tlb");
    const int slot = tlb.insert(first.entry);
    for (uint32_t va = 0x00050000u; va < 0x00060000u; va += 0x1000u) {
        const TlbEntry* e = tlb.lookup(va + 0xFFFu, 0x42);
        BOOST_TEST_REQUIRE(e != nullptr);
        BOOST_TEST(e == tlb.slot(static_cast<unsigned>(slot)));
        BOOST_TEST(e->translate(va) == 0x12340000u + (va - 0x00050000u));
    }
    BOOST_TEST(tlb.lookup(0x00060000u, 0x42) == nullptr);
    BOOST_TEST(tlb.lookup(0x0004F000u, 0x42) == nullptr);
}

// Supersection: bit 18 set; PA = desc[31:24] | VA[23:0]; domain is 0 (bits 8:5 are PA[39:36]).
BOOST_AUTO_TEST_CASE(supersection_walk_and_replication) {
    FakeMemory mem;
    // PA 0x45000000, supersection (18), AP=01 (11:10), type 0b10.
    const uint32_t super = 0x45000000u | (1u << 18) | (1u << 10) | 2u;
    BOOST_TEST(super == 0x45040402u);
    for (uint32_t i = 0xD20; i < 0xD30; ++i)
        mem.words[0x80004000u + (i << 2)] = super;
    const MmuRegs regs = linux_regs();

    WalkResult r = walk(regs, 0xD2345678u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(mem.reads == std::vector<uint32_t>{0x8000748Cu});  // index 0xD23
    BOOST_TEST(r.entry.translate(0xD2345678u) == 0x45345678u);
    BOOST_TEST(static_cast<int>(r.entry.kind) == static_cast<int>(EntryKind::supersection));
    BOOST_TEST(static_cast<int>(r.entry.size) == static_cast<int>(PageSize::super_16m));
    BOOST_TEST(r.entry.va_base == 0xD2000000u);
    BOOST_TEST(r.entry.domain == 0u);
    BOOST_TEST(!r.ignored_pa_high_bits);

    Tlb tlb("test.walker.tlb");
    const int slot = tlb.insert(r.entry);
    for (uint32_t va : {0xD2000000u, 0xD2FFFFFFu, 0xD2800000u, 0xD20FFFFFu, 0xD2F00000u}) {
        const TlbEntry* e = tlb.lookup(va, 0);
        BOOST_TEST_REQUIRE(e != nullptr);
        BOOST_TEST(e == tlb.slot(static_cast<unsigned>(slot)));
        BOOST_TEST(e->translate(va) == (0x45000000u | (va & 0x00FFFFFFu)));
    }
    BOOST_TEST(tlb.lookup(0xD3000000u, 0) == nullptr);
    BOOST_TEST(tlb.lookup(0xD1FFFFFFu, 0) == nullptr);

    // Any copy gives the same translation.
    WalkResult other = walk(regs, 0xD2F00000u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(other.ok());
    BOOST_TEST(other.entry.va_base == 0xD2000000u);
    BOOST_TEST(other.entry.pa_base == 0x45000000u);
}

// A8 has a 32-bit PA: supersection PA[39:32] fields (bits 23:20, 8:5) are ignored, the domain
// stays 0, and the walker tells the caller.
BOOST_AUTO_TEST_CASE(supersection_extended_pa_ignored) {
    FakeMemory mem;
    const uint32_t super = 0x45000000u | (0xFu << 20) | (1u << 18) | (1u << 10) | (0xFu << 5) | 2u;
    mem.words[0x80004000u + (0xD23u << 2)] = super;
    WalkResult r = walk(linux_regs(), 0xD2345678u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r.ignored_pa_high_bits);
    BOOST_TEST(r.entry.translate(0xD2345678u) == 0x45345678u);
    BOOST_TEST(r.entry.domain == 0u);
}

// Translation faults (DDI 0406C Table B3-23): L1 fault 0b00101 (no domain), L2 fault 0b00111
// (domain of the L1 descriptor); DFAR/IFAR = VA.
BOOST_AUTO_TEST_CASE(translation_faults) {
    FakeMemory mem;
    const MmuRegs regs = linux_regs();
    // L1 type 00 (memory is zero).
    WalkResult r = walk(regs, 0x12345678u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(static_cast<int>(r.fault->type) == static_cast<int>(FaultType::translation_l1));
    BOOST_TEST(r.fault->fsr == 0x005u);
    BOOST_TEST(r.fault->far == 0x12345678u);
    BOOST_TEST(r.reads == 1u);
    // Same as a write: WnR.
    r = walk(regs, 0x12345678u, AccessKind::write, mem);
    BOOST_TEST(r.fault->fsr == 0x805u);
    // Instruction fetch: IFSR.
    r = walk(regs, 0x12345678u, AccessKind::fetch, mem);
    BOOST_TEST(r.fault->fsr == 0x005u);
    BOOST_TEST(r.fault->is_prefetch_abort());

    // L1 type 11: reserved without PXN (A8) → section translation fault.
    mem.words[0x80004000u + (0x123u << 2)] = 0x12300003u;
    r = walk(regs, 0x12345678u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.fault->fsr == 0x005u);

    // L2 type 00 under a page table in domain 3.
    mem.words[0x80004000u + (0x123u << 2)] = 0x9F000000u | (3u << 5) | 1u;
    r = walk(regs, 0x12345678u, AccessKind::write, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(static_cast<int>(r.fault->type) == static_cast<int>(FaultType::translation_l2));
    BOOST_TEST(r.fault->fsr == (0x007u | (3u << 4) | 0x800u));
    BOOST_TEST(r.fault->far == 0x12345678u);
    BOOST_TEST(r.reads == 2u);
    BOOST_TEST(r.read_addr[1] == 0x9F000000u + (0x45u << 2));
}

// Bus error on a descriptor read → synchronous external abort on translation table walk:
// first level FS 0b01100, second level FS 0b01110 (mmu-tlb.md §2.4).
BOOST_AUTO_TEST_CASE(external_abort_on_walk) {
    FakeMemory mem;
    const MmuRegs regs = linux_regs();
    mem.bus_errors.insert(0x80004000u + (0x300u << 2));
    WalkResult r = walk(regs, 0x30000000u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(static_cast<int>(r.fault->type) ==
               static_cast<int>(FaultType::sync_external_walk_l1));
    BOOST_TEST(r.fault->fsr == 0x00Cu);
    BOOST_TEST(r.fault->far == 0x30000000u);
    BOOST_TEST(make_fault(FaultType::sync_external_walk_l1, 0, AccessKind::write, 0).fsr == 0x80Cu);

    mem.words[0x80004000u + (0x301u << 2)] = 0x9F000000u | (6u << 5) | 1u;  // domain 6
    mem.bus_errors.insert(0x9F000000u + (0x02u << 2));
    r = walk(regs, 0x30102000u, AccessKind::write, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(static_cast<int>(r.fault->type) ==
               static_cast<int>(FaultType::sync_external_walk_l2));
    BOOST_TEST(r.fault->fsr == (0x00Eu | (6u << 4) | 0x800u));
    BOOST_TEST(r.fault->far == 0x30102000u);
}

// TTBCR.N = 0..7 (mmu-tlb.md §1.2/1.3, DDI 0406C B3.5.4): VA[31:32-N] == 0 → TTBR0 with a
// 2^(14-N)-byte table, otherwise TTBR1 (16 KB table, index VA[31:20]).
BOOST_AUTO_TEST_CASE(ttbcr_n_split_literals) {
    MmuRegs regs = linux_regs();
    regs.ttbr0 = 0x10000000u;
    regs.ttbr1 = 0x20004000u;
    struct Case {
        unsigned n;
        uint32_t va;
        bool ttbr1;
        uint32_t l1_addr;
    };
    const Case cases[] = {
        {0, 0xFFF00000u, false, 0x10003FFCu}, {0, 0x00000000u, false, 0x10000000u},
        {1, 0x7FF00000u, false, 0x10001FFCu}, {1, 0x80000000u, true, 0x20006000u},
        {2, 0x3FF00000u, false, 0x10000FFCu}, {2, 0x40000000u, true, 0x20005000u},
        {7, 0x01F00000u, false, 0x1000007Cu}, {7, 0x02000000u, true, 0x20004080u},
        {7, 0xFFF00000u, true, 0x20007FFCu},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT("N=" << c.n << " VA=" << std::hex << c.va) {
            regs.ttbcr = c.n;
            FakeMemory mem;
            WalkResult r = walk(regs, c.va, AccessKind::read, mem);
            BOOST_TEST(uses_ttbr1(regs, c.va) == c.ttbr1);
            BOOST_TEST(r.used_ttbr1 == c.ttbr1);
            BOOST_TEST(mem.reads == std::vector<uint32_t>{c.l1_addr});
        }
    }
}

// Every N: the boundary 2^(32-N) and the TTBR0 base alignment (bits below 14-N ignored).
BOOST_AUTO_TEST_CASE(ttbcr_n_split_all) {
    for (unsigned n = 0; n <= 7; ++n) {
        BOOST_TEST_CONTEXT("N=" << n) {
            MmuRegs regs = linux_regs();
            regs.ttbcr = n;
            // TTBR0 table of 2^(14-N) bytes: base aligned to that, low flag bits present.
            regs.ttbr0 = 0x40000000u | (0x4000u >> n) | 0x19u;  // C, RGN=11
            regs.ttbr1 = 0x50008000u | 0x1u;
            const uint32_t base0 = 0x40000000u | (0x4000u >> n);
            FakeMemory mem;
            if (n == 0) {
                walk(regs, 0xFFFFFFFFu, AccessKind::read, mem);
                BOOST_TEST(mem.reads.back() == (base0 | (0xFFFu << 2)));
                continue;
            }
            const uint32_t boundary = 1u << (32 - n);
            walk(regs, boundary - 1, AccessKind::read, mem);
            // Last TTBR0 entry: index (2^(12-N) - 1).
            BOOST_TEST(mem.reads.back() == (base0 | (((1u << (12 - n)) - 1) << 2)));
            walk(regs, boundary, AccessKind::read, mem);
            BOOST_TEST(mem.reads.back() == (0x50008000u | ((boundary >> 20) << 2)));
        }
    }
}

// TTBR0 with N = 0 uses bits [31:14] only: bit 13 of TTBR0 is ignored.
BOOST_AUTO_TEST_CASE(ttbr0_base_alignment) {
    MmuRegs regs = linux_regs();
    regs.ttbr0 = 0x10002000u;
    FakeMemory mem;
    regs.ttbcr = 0;
    walk(regs, 0x00100000u, AccessKind::read, mem);
    BOOST_TEST(mem.reads.back() == 0x10000004u);
    regs.ttbcr = 1;  // 8 KB table: bit 13 is part of the base
    walk(regs, 0x00100000u, AccessKind::read, mem);
    BOOST_TEST(mem.reads.back() == 0x10002004u);
}

// PD0 / PD1 (TTBCR bits 4 / 5): a miss on the disabled TTBR gives a section translation
// fault without any memory access (mmu-tlb.md §1.2, A8 TRM §6.2).
BOOST_AUTO_TEST_CASE(pd0_pd1_disable_walks) {
    FakeMemory mem;
    MmuRegs regs = linux_regs();
    regs.ttbr0 = 0x10000000u;
    regs.ttbr1 = 0x20000000u;
    mem.words[0x10000000u + (0x001u << 2)] = 0x00100C02u;  // section, AP=11
    mem.words[0x20000000u + (0x800u << 2)] = 0x80000C02u;

    regs.ttbcr = 1 | ttbcr::PD0;
    WalkResult r = walk(regs, 0x00100000u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.fault->fsr == 0x005u);
    BOOST_TEST(r.reads == 0u);
    BOOST_TEST(mem.reads.empty());
    r = walk(regs, 0x80000000u, AccessKind::read, mem);
    BOOST_TEST(r.ok());

    mem.reads.clear();
    regs.ttbcr = 1 | ttbcr::PD1;
    r = walk(regs, 0x80000000u, AccessKind::write, mem);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.fault->fsr == 0x805u);
    BOOST_TEST(mem.reads.empty());
    r = walk(regs, 0x00100000u, AccessKind::read, mem);
    BOOST_TEST(r.ok());

    // N = 0: every VA uses TTBR0, so PD1 alone disables nothing.
    regs.ttbcr = ttbcr::PD1;
    r = walk(regs, 0x00100000u, AccessKind::read, mem);
    BOOST_TEST(r.ok());
}

// Walk cacheability on the A8 (no MP extensions): TTBR.C and SCTLR.C.
BOOST_AUTO_TEST_CASE(walk_cacheability) {
    FakeMemory mem;
    mem.words[0x80004000u] = 0x00000C02u;
    MmuRegs regs = linux_regs();
    WalkResult r = walk(regs, 0, AccessKind::read, mem);
    BOOST_TEST(r.cacheable_walk);
    regs.sctlr &= ~sctlr::C;
    r = walk(regs, 0, AccessKind::read, mem);
    BOOST_TEST(!r.cacheable_walk);
    BOOST_TEST(!mem.cacheable.back());
    regs = linux_regs();
    regs.ttbr0 = 0x80004000u | (2u << 3);  // C = 0, RGN = 10 (outer WT)
    r = walk(regs, 0, AccessKind::read, mem);
    BOOST_TEST(!r.cacheable_walk);
    BOOST_TEST(static_cast<int>(r.walk_outer) == static_cast<int>(CachePolicy::write_through));
}

// MMU off: flat mapping, no descriptor read (DDI 0406C B3.2.1).
BOOST_AUTO_TEST_CASE(mmu_off_is_flat) {
    FakeMemory mem;
    MmuRegs regs = linux_regs();
    regs.sctlr = 0;
    WalkResult r = walk(regs, 0x44E09000u, AccessKind::write, mem);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(mem.reads.empty());
    BOOST_TEST(r.entry.translate(0x44E09000u) == 0x44E09000u);
    BOOST_TEST(static_cast<int>(r.entry.kind) == static_cast<int>(EntryKind::flat));
    BOOST_TEST(static_cast<int>(r.entry.attrs.type) == static_cast<int>(MemType::strongly_ordered));
}

// Linux's TRE = 1 mappings through a walk (mmu-tlb.md §3.3): lowmem section "writeback" and
// an ioremap section TEX=001 C=B=0 S XN → Device shareable.
BOOST_AUTO_TEST_CASE(linux_mappings_attributes) {
    FakeMemory mem;
    MmuRegs regs = linux_regs();
    regs.sctlr |= sctlr::TRE;
    regs.prrr = 0xFF0A81A8u;
    regs.nmrr = 0x40E040E0u;
    mem.words[0x80007000u] = 0x8000040Eu;  // VA 0xC0000000: PA 0x80000000, AP=01, C, B
    // VA 0xFA000000 → PA 0x44E00000: S (16), TEX=001 (12), AP=01 (10), domain 2, XN (4).
    mem.words[0x80004000u + (0xFA0u << 2)] = 0x44E11452u;
    WalkResult ram = walk(regs, 0xC0000000u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(ram.ok());
    BOOST_TEST(static_cast<int>(ram.entry.attrs.type) == static_cast<int>(MemType::normal));
    BOOST_TEST(static_cast<int>(ram.entry.attrs.inner) ==
               static_cast<int>(CachePolicy::write_back_no_write_allocate));
    WalkResult io = walk(regs, 0xFA000138u, AccessKind::read, mem);
    BOOST_TEST_REQUIRE(io.ok());
    BOOST_TEST(io.entry.translate(0xFA000138u) == 0x44E00138u);
    BOOST_TEST(static_cast<int>(io.entry.attrs.type) == static_cast<int>(MemType::device));
    BOOST_TEST(io.entry.attrs.shareable);
    BOOST_TEST(io.entry.xn);
    BOOST_TEST(io.entry.domain == 2u);
}

// Optional walk cache: a page walk that hits skips the L1 read; sections and faults are not
// cached, so a previously invalid L1 entry is seen without maintenance.
BOOST_AUTO_TEST_CASE(walk_cache_saves_l1_reads) {
    FakeMemory mem;
    const MmuRegs regs = linux_regs();
    mem.words[0x80004000u] = 0x9F000401u;
    mem.words[0x9F000400u + (0x10u << 2)] = 0x00010032u;  // small page, AP=11
    mem.words[0x9F000400u + (0x11u << 2)] = 0x00011032u;
    mem.words[0x80007000u] = 0x80000C02u;  // section

    WalkCache wc("test.walker.pwc", 4);
    WalkResult a = walk(regs, 0x00010000u, AccessKind::read, mem, &wc);
    BOOST_TEST(a.ok());
    BOOST_TEST(!a.walk_cache_hit);
    BOOST_TEST(a.reads == 2u);
    WalkResult b = walk(regs, 0x00011000u, AccessKind::read, mem, &wc);
    BOOST_TEST(b.ok());
    BOOST_TEST(b.walk_cache_hit);
    BOOST_TEST(b.reads == 1u);
    BOOST_TEST(b.read_addr[0] == 0x9F000444u);
    BOOST_TEST(b.entry.translate(0x00011000u) == 0x00011000u);
    BOOST_TEST(wc.hits() == 1u);
    BOOST_TEST(wc.misses() == 1u);

    // Sections are leaf entries: never in the walk cache.
    walk(regs, 0xC0000000u, AccessKind::read, mem, &wc);
    WalkResult s = walk(regs, 0xC0000000u, AccessKind::read, mem, &wc);
    BOOST_TEST(!s.walk_cache_hit);
    BOOST_TEST(s.reads == 1u);

    // A fault descriptor is not cached: after software fills it, the next walk sees it.
    WalkResult f = walk(regs, 0x00500000u, AccessKind::read, mem, &wc);
    BOOST_TEST(!f.ok());
    mem.words[0x80004000u + (0x005u << 2)] = 0x00500C02u;
    WalkResult g = walk(regs, 0x00500000u, AccessKind::read, mem, &wc);
    BOOST_TEST(g.ok());

    // Maintenance empties it.
    wc.invalidate_all();
    BOOST_TEST(wc.valid_count() == 0u);
    WalkResult c = walk(regs, 0x00010000u, AccessKind::read, mem, &wc);
    BOOST_TEST(!c.walk_cache_hit);
    BOOST_TEST(c.reads == 2u);
}

BOOST_AUTO_TEST_CASE(walk_cache_rejects_zero_entries) {
    BOOST_CHECK_THROW(WalkCache("test.walker.bad", 0), std::invalid_argument);
}
