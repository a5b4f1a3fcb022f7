// Access checks: AP (AFE = 0 / 1), DACR, XN, alignment, and the fault-check order, both for
// check() alone and for a whole translate() (walk + check + TLB fill policy).
#define BOOST_TEST_MODULE mmu_permissions
#include <boost/test/unit_test.hpp>

#include <map>
#include <vector>

#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/permissions.h"
#include "models/cpu/mmu/translate.h"

using namespace vp::mmu;

namespace {

struct FakeMemory : DescriptorReader {
    std::map<uint32_t, uint32_t> words;
    std::vector<uint32_t> reads;
    bool read(uint32_t pa, uint32_t& value, bool) override {
        reads.push_back(pa);
        auto it = words.find(pa);
        value = it == words.end() ? 0u : it->second;
        return true;
    }
};

MemAttrs normal_wb() {
    MemAttrs a;
    a.type = MemType::normal;
    a.inner = a.outer = CachePolicy::write_back_write_allocate;
    a.shareable = false;
    return a;
}
MemAttrs device() {
    MemAttrs a;
    a.type = MemType::device;
    return a;
}

TlbEntry section(uint8_t domain, uint8_t ap, bool xn = false, MemAttrs attrs = normal_wb()) {
    TlbEntry e;
    e.kind = EntryKind::section;
    e.level = 1;
    e.size = PageSize::section_1m;
    e.va_base = 0x40000000u;
    e.pa_base = 0x80000000u;
    e.domain = domain;
    e.ap = ap;
    e.xn = xn;
    e.attrs = attrs;
    return e;
}

TlbEntry page(uint8_t domain, uint8_t ap, bool xn = false, MemAttrs attrs = normal_wb()) {
    TlbEntry e = section(domain, ap, xn, attrs);
    e.kind = EntryKind::small_page;
    e.level = 2;
    e.size = PageSize::small_4k;
    return e;
}

// DACR with every domain set to `v`.
uint32_t all_domains(uint32_t v) {
    uint32_t d = 0;
    for (unsigned i = 0; i < 16; ++i)
        d |= v << (2 * i);
    return d;
}

MmuRegs client_regs() {
    MmuRegs r;
    r.sctlr = sctlr::M;
    r.dacr = all_domains(dacr::CLIENT);
    return r;
}

bool is(const std::optional<Fault>& f, FaultType t) {
    return f.has_value() && static_cast<int>(f->type) == static_cast<int>(t);
}

constexpr uint32_t VA = 0x40001000u;

}  // namespace

// AFE = 0 (DDI 0406C B3.7, full access permissions model; mmu-tlb.md §2.2).
BOOST_AUTO_TEST_CASE(ap_full_model) {
    // {AP[2:0], PL1 read, PL1 write, PL0 read, PL0 write}
    struct Row {
        uint8_t ap;
        bool pr, pw, ur, uw;
    };
    const Row rows[] = {
        {0b000, false, false, false, false},  // no access
        {0b001, true, true, false, false},    // PL1 RW, PL0 none
        {0b010, true, true, true, false},     // PL1 RW, PL0 RO
        {0b011, true, true, true, true},      // full access
        {0b100, false, false, false, false},  // reserved: our choice = no access
        {0b101, true, false, false, false},   // PL1 RO, PL0 none
        {0b110, true, false, true, false},    // RO both (deprecated encoding)
        {0b111, true, false, true, false},    // RO both
    };
    const MmuRegs regs = client_regs();
    for (const Row& r : rows) {
        BOOST_TEST_CONTEXT("AP=" << int(r.ap)) {
            for (bool pg : {false, true}) {
                const TlbEntry e = pg ? page(0, r.ap) : section(0, r.ap);
                const FaultType perm = pg ? FaultType::permission_l2 : FaultType::permission_l1;
                auto pr = check(e, regs, VA, AccessKind::read, true, 4, true);
                auto pw = check(e, regs, VA, AccessKind::write, true, 4, true);
                auto ur = check(e, regs, VA, AccessKind::read, false, 4, true);
                auto uw = check(e, regs, VA, AccessKind::write, false, 4, true);
                BOOST_TEST(!pr.has_value() == r.pr);
                BOOST_TEST(!pw.has_value() == r.pw);
                BOOST_TEST(!ur.has_value() == r.ur);
                BOOST_TEST(!uw.has_value() == r.uw);
                if (pw) BOOST_TEST(is(pw, perm));
                if (uw) BOOST_TEST(is(uw, perm));
            }
        }
    }
}

// Permission fault FSR: section 0b01101, page 0b01111, domain valid, WnR for writes.
BOOST_AUTO_TEST_CASE(permission_fault_fsr) {
    const MmuRegs regs = client_regs();
    auto f = check(section(7, 0b101), regs, VA, AccessKind::write, true, 4, false);
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->fsr == (0x00Du | (7u << 4) | 0x800u));
    BOOST_TEST(f->far == VA);
    f = check(page(7, 0b010), regs, VA + 4, AccessKind::write, false, 4, false);
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->fsr == (0x00Fu | (7u << 4) | 0x800u));
    BOOST_TEST(f->far == VA + 4);
    // Linux's write to a clean (read-only mapped) user page: "page permission fault" 0x80F
    // with the user domain (1) (mmu-tlb.md §2.5).
    f = check(page(1, 0b010), regs, VA, AccessKind::write, false, 4, true);
    BOOST_TEST(f->fsr == 0x81Fu);
}

// AFE = 1: AP[2:1] model, AP[0] is the access flag (DDI 0406C B3.7; mmu-tlb.md §2.2).
BOOST_AUTO_TEST_CASE(ap_simplified_model) {
    MmuRegs regs = client_regs();
    regs.sctlr |= sctlr::AFE;
    struct Row {
        uint8_t ap21;
        bool pr, pw, ur, uw;
    };
    const Row rows[] = {
        {0b00, true, true, false, false},   // PL1 RW, PL0 none
        {0b01, true, true, true, true},     // RW both
        {0b10, true, false, false, false},  // PL1 RO, PL0 none
        {0b11, true, false, true, false},   // RO both
    };
    for (const Row& r : rows) {
        BOOST_TEST_CONTEXT("AP[2:1]=" << int(r.ap21)) {
            const TlbEntry e = section(0, static_cast<uint8_t>((r.ap21 << 1) | 1u));
            BOOST_TEST(!check(e, regs, VA, AccessKind::read, true, 4, true) == r.pr);
            BOOST_TEST(!check(e, regs, VA, AccessKind::write, true, 4, true) == r.pw);
            BOOST_TEST(!check(e, regs, VA, AccessKind::read, false, 4, true) == r.ur);
            BOOST_TEST(!check(e, regs, VA, AccessKind::write, false, 4, true) == r.uw);
        }
    }
}

// AFE = 1 and AP[0] = 0 → Access flag fault: section 0b00011, page 0b00110, domain valid.
// The A8 has no hardware access-flag management, so the fault is always raised.
BOOST_AUTO_TEST_CASE(access_flag_fault) {
    MmuRegs regs = client_regs();
    regs.sctlr |= sctlr::AFE;
    auto f = check(section(4, 0b010), regs, VA, AccessKind::read, true, 4, true);
    BOOST_TEST(is(f, FaultType::access_flag_l1));
    BOOST_TEST(f->fsr == (0x003u | (4u << 4)));
    f = check(page(4, 0b110), regs, VA, AccessKind::write, true, 4, true);
    BOOST_TEST(is(f, FaultType::access_flag_l2));
    BOOST_TEST(f->fsr == (0x006u | (4u << 4) | 0x800u));
    // An Access flag fault is not a cacheable result.
    BOOST_TEST(!entry_cacheable(f));
    BOOST_TEST(entry_cacheable(std::nullopt));
    BOOST_TEST(entry_cacheable(check(page(4, 0b111), regs, VA, AccessKind::write, true, 4, true)));
    // With AFE = 0, AP[0] = 0 is just an AP value (AP = 010: PL1 RW).
    regs.sctlr &= ~sctlr::AFE;
    BOOST_TEST(!check(section(4, 0b010), regs, VA, AccessKind::write, true, 4, true));
    // A TLB hit is not re-checked for the access flag (such entries are never cached).
    regs.sctlr |= sctlr::AFE;
    BOOST_TEST(!check(section(4, 0b010), regs, VA, AccessKind::read, true, 4, false));
}

// DACR (DDI 0406C B3.7, domains; mmu-tlb.md §2.1): 00 no access → Domain fault,
// 01 client → AP checked, 10 reserved → Domain fault (our choice, as QEMU), 11 manager → no
// AP and no XN check.
BOOST_AUTO_TEST_CASE(domains) {
    MmuRegs regs = client_regs();
    regs.dacr = (dacr::NO_ACCESS << 0) | (dacr::CLIENT << 2) | (dacr::RESERVED << 4) |
                (dacr::MANAGER << 6) | (dacr::NO_ACCESS << 30);
    // No access, section, domain 0: FS 0b01001.
    auto f = check(section(0, 0b011), regs, VA, AccessKind::read, true, 4, true);
    BOOST_TEST(is(f, FaultType::domain_l1));
    BOOST_TEST(f->fsr == 0x009u);
    // Page in domain 15: FS 0b01011, domain 15.
    f = check(page(15, 0b011), regs, VA, AccessKind::write, true, 4, true);
    BOOST_TEST(is(f, FaultType::domain_l2));
    BOOST_TEST(f->fsr == (0x00Bu | (15u << 4) | 0x800u));
    // Client: AP decides.
    BOOST_TEST(!check(section(1, 0b011), regs, VA, AccessKind::write, false, 4, true));
    BOOST_TEST(is(check(section(1, 0b000), regs, VA, AccessKind::read, true, 4, true),
                  FaultType::permission_l1));
    // Reserved: domain fault.
    BOOST_TEST(is(check(section(2, 0b011), regs, VA, AccessKind::read, true, 4, true),
                  FaultType::domain_l1));
    // Manager: AP = 000 and XN are not checked.
    BOOST_TEST(!check(section(3, 0b000), regs, VA, AccessKind::write, false, 4, true));
    BOOST_TEST(!check(section(3, 0b000, true), regs, VA, AccessKind::fetch, false, 4, true));
    // Supersections are in domain 0 (the walker sets it; check uses the entry's domain).
    TlbEntry super = section(0, 0b011);
    super.kind = EntryKind::supersection;
    super.size = PageSize::super_16m;
    BOOST_TEST(is(check(super, regs, VA, AccessKind::read, true, 4, true), FaultType::domain_l1));
}

// XN (DDI 0406C B3.7, execute-never): a fetch from an XN region in a client domain is a
// Permission fault reported in IFSR (no domain, no WnR); data accesses ignore XN.
BOOST_AUTO_TEST_CASE(execute_never) {
    const MmuRegs regs = client_regs();
    auto f = check(section(5, 0b011, true), regs, VA, AccessKind::fetch, true, 4, true);
    BOOST_TEST(is(f, FaultType::permission_l1));
    BOOST_TEST(f->fsr == 0x00Du);
    BOOST_TEST(f->is_prefetch_abort());
    f = check(page(5, 0b011, true), regs, VA, AccessKind::fetch, false, 4, true);
    BOOST_TEST(is(f, FaultType::permission_l2));
    BOOST_TEST(f->fsr == 0x00Fu);
    BOOST_TEST(!check(page(5, 0b011, true), regs, VA, AccessKind::read, false, 4, true));
    BOOST_TEST(!check(page(5, 0b011, false), regs, VA, AccessKind::fetch, false, 4, true));
    // A fetch needs read permission: AP = 001 is PL1-only.
    BOOST_TEST(is(check(page(5, 0b001), regs, VA, AccessKind::fetch, false, 4, true),
                  FaultType::permission_l2));
    BOOST_TEST(!check(page(5, 0b001), regs, VA, AccessKind::fetch, true, 4, true));
    // Read-only memory is executable.
    BOOST_TEST(!check(page(5, 0b111), regs, VA, AccessKind::fetch, false, 4, true));
}

// Alignment (DDI 0406C A3.2.1; mmu-tlb.md §2.3): SCTLR.A = 1 → any unaligned data access
// faults (FS 0b00001, domain not valid); with A = 0 unaligned accesses to Normal memory are
// allowed but those to Device or Strongly-ordered memory still fault.
BOOST_AUTO_TEST_CASE(alignment) {
    MmuRegs regs = client_regs();
    const TlbEntry ram = section(3, 0b011);
    BOOST_TEST(!check(ram, regs, VA + 2, AccessKind::read, true, 4, true));
    BOOST_TEST(!check(ram, regs, VA + 1, AccessKind::write, true, 2, true));
    regs.sctlr |= sctlr::A;
    auto f = check(ram, regs, VA + 2, AccessKind::read, true, 4, true);
    BOOST_TEST(is(f, FaultType::alignment));
    BOOST_TEST(f->fsr == 0x001u);
    BOOST_TEST(f->far == VA + 2);
    f = check(ram, regs, VA + 4, AccessKind::write, true, 8, true);
    BOOST_TEST(f->fsr == 0x801u);
    BOOST_TEST(!check(ram, regs, VA + 2, AccessKind::read, true, 2, true));
    BOOST_TEST(!check(ram, regs, VA + 3, AccessKind::read, true, 1, true));
    BOOST_TEST(!check(ram, regs, VA + 2, AccessKind::read, true, 0, true));  // 0 taken as 1

    regs.sctlr &= ~sctlr::A;
    const TlbEntry dev = section(3, 0b011, true, device());
    f = check(dev, regs, VA + 2, AccessKind::read, true, 4, true);
    BOOST_TEST(is(f, FaultType::alignment));
    BOOST_TEST(f->fsr == 0x001u);
    BOOST_TEST(!check(dev, regs, VA + 4, AccessKind::read, true, 4, true));
    MemAttrs so;
    so.type = MemType::strongly_ordered;
    BOOST_TEST(
        is(check(section(3, 0b011, false, so), regs, VA + 1, AccessKind::write, true, 2, true),
           FaultType::alignment));
    // Instruction fetches are not subject to these checks here.
    regs.sctlr |= sctlr::A;
    BOOST_TEST(
        !check(section(3, 0b011, false, so), regs, VA + 2, AccessKind::fetch, true, 4, true));
    BOOST_TEST(!check_alignment(regs, VA + 2, AccessKind::fetch, 4));
    BOOST_TEST(is(check_alignment(regs, VA + 2, AccessKind::read, 4), FaultType::alignment));
}

// The documented order (docs/models/mmu.md, "Fault-check order"): when several checks fail,
// the first in the order wins.
BOOST_AUTO_TEST_CASE(check_order) {
    MmuRegs regs = client_regs();
    regs.dacr = dacr::NO_ACCESS;  // domain 0: no access
    // 1 before 4: SCTLR.A alignment beats a Domain fault.
    regs.sctlr |= sctlr::A;
    BOOST_TEST(is(check(section(0, 0b011), regs, VA + 1, AccessKind::read, true, 4, true),
                  FaultType::alignment));
    regs.sctlr &= ~sctlr::A;
    // 3 before 4: Access flag beats Domain (no access).
    regs.sctlr |= sctlr::AFE;
    BOOST_TEST(is(check(page(0, 0b110), regs, VA, AccessKind::read, true, 4, true),
                  FaultType::access_flag_l2));
    // 3 applies in a Manager domain too (it is not a permission check).
    regs.dacr = dacr::MANAGER;
    BOOST_TEST(is(check(page(0, 0b110), regs, VA, AccessKind::read, true, 4, true),
                  FaultType::access_flag_l2));
    regs.sctlr &= ~sctlr::AFE;
    // 4 before 5: Domain beats XN.
    regs.dacr = dacr::NO_ACCESS;
    BOOST_TEST(is(check(section(0, 0b011, true), regs, VA, AccessKind::fetch, true, 4, true),
                  FaultType::domain_l1));
    // 6 before 7: Permission beats Device alignment.
    regs.dacr = dacr::CLIENT;
    BOOST_TEST(
        is(check(section(0, 0b000, true, device()), regs, VA + 2, AccessKind::read, true, 4, true),
           FaultType::permission_l1));
    // 7 still applies in a Manager domain.
    regs.dacr = dacr::MANAGER;
    BOOST_TEST(
        is(check(section(0, 0b000, true, device()), regs, VA + 2, AccessKind::read, true, 4, true),
           FaultType::alignment));
}

// --- whole translations ---------------------------------------------------------------------

namespace {
// Tables at 0x80004000 (N = 0); Linux-like registers, DACR domain 0 client.
MmuRegs table_regs() {
    MmuRegs r;
    r.sctlr = sctlr::M | sctlr::C;
    r.ttbr0 = 0x80004001u;
    r.dacr = dacr::CLIENT;
    r.contextidr = 7;
    return r;
}
}  // namespace

// Step 1 before step 2: a misaligned access to an unmapped VA with SCTLR.A = 1 is an
// Alignment fault and does not walk.
BOOST_AUTO_TEST_CASE(translate_alignment_before_walk) {
    FakeMemory mem;
    MmuRegs regs = table_regs();
    regs.sctlr |= sctlr::A;
    TranslateResult r = translate(regs, 0x00100002u, AccessKind::read, true, 4, mem);
    BOOST_TEST(is(r.fault, FaultType::alignment));
    BOOST_TEST(mem.reads.empty());
    regs.sctlr &= ~sctlr::A;
    r = translate(regs, 0x00100002u, AccessKind::read, true, 4, mem);
    BOOST_TEST(is(r.fault, FaultType::translation_l1));
    BOOST_TEST(mem.reads.size() == 1u);
}

// Step 2 before step 4: a page table in a no-access domain whose L2 entry is invalid gives a
// page Translation fault (the L2 descriptor is fetched before the domain is checked).
BOOST_AUTO_TEST_CASE(translate_translation_before_domain) {
    FakeMemory mem;
    MmuRegs regs = table_regs();
    regs.dacr = dacr::NO_ACCESS << 2;                       // domain 1: no access
    mem.words[0x80004000u] = 0x9F000000u | (1u << 5) | 1u;  // page table, domain 1
    TranslateResult r = translate(regs, 0x00003000u, AccessKind::read, true, 4, mem);
    BOOST_TEST(is(r.fault, FaultType::translation_l2));
    BOOST_TEST(r.fault->fsr == 0x017u);
    // With a valid L2 entry the same access is a page Domain fault.
    mem.words[0x9F000000u + (3u << 2)] = 0x00003032u;  // small page, AP=11
    r = translate(regs, 0x00003000u, AccessKind::read, true, 4, mem);
    BOOST_TEST(is(r.fault, FaultType::domain_l2));
    BOOST_TEST(r.fault->fsr == 0x01Bu);
}

// TLB fill policy: successful walks and walks that end in a Domain/Permission fault are
// cached; Access flag faults and Translation faults are not (mmu-tlb.md §4.3 rule 3).
BOOST_AUTO_TEST_CASE(translate_fill_policy) {
    FakeMemory mem;
    MmuRegs regs = table_regs();
    regs.sctlr |= sctlr::AFE;
    Tlb tlb("test.perm.dtlb");
    const TranslationUnits units{&tlb, nullptr, nullptr};

    // Section with AP[0] = 0 → Access flag fault, not cached.
    mem.words[0x80004000u + (0x001u << 2)] = 0x00100402u & ~(1u << 10);  // AP = 00
    TranslateResult r = translate(regs, 0x00100000u, AccessKind::read, true, 4, mem, units);
    BOOST_TEST(is(r.fault, FaultType::access_flag_l1));
    BOOST_TEST(!r.inserted);
    BOOST_TEST(tlb.valid_count() == 0u);
    // Software sets the access flag; no TLB maintenance is needed.
    mem.words[0x80004000u + (0x001u << 2)] = 0x00100402u;  // AP[0] = 1 (AP[2:1] = 00)
    r = translate(regs, 0x00100000u, AccessKind::read, true, 4, mem, units);
    BOOST_TEST(r.ok());
    BOOST_TEST(r.inserted);
    BOOST_TEST(r.pa == 0x00100000u);

    // Permission fault (PL0 access to a PL1-only section): cached, re-checked on the hit.
    r = translate(regs, 0x00100004u, AccessKind::read, false, 4, mem, units);
    BOOST_TEST(is(r.fault, FaultType::permission_l1));
    BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::tlb));

    mem.words[0x80004000u + (0x002u << 2)] = 0x00200402u;
    r = translate(regs, 0x00200000u, AccessKind::read, false, 4, mem, units);
    BOOST_TEST(is(r.fault, FaultType::permission_l1));
    BOOST_TEST(r.inserted);
    BOOST_TEST(tlb.valid_count() == 2u);

    // Translation fault: nothing cached.
    r = translate(regs, 0x00300000u, AccessKind::read, true, 4, mem, units);
    BOOST_TEST(is(r.fault, FaultType::translation_l1));
    BOOST_TEST(tlb.valid_count() == 2u);
}

BOOST_AUTO_TEST_CASE(translate_uses_tlb_then_walk) {
    FakeMemory mem;
    const MmuRegs regs = table_regs();
    // Section, AP=11, C=B=1 (Normal write-back: TEX/C/B = 000/1/1, Table B3-10).
    mem.words[0x80004000u + (0x001u << 2)] = 0x00100C0Eu;
    Tlb tlb("test.perm.dtlb");
    const TranslationUnits units{&tlb, nullptr, nullptr};
    // Unaligned word write to Normal memory with SCTLR.A = 0: allowed.
    TranslateResult r = translate(regs, 0x00123456u, AccessKind::write, false, 4, mem, units);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::walk));
    BOOST_TEST(r.pa == 0x00123456u);
    BOOST_TEST(r.walk.reads == 1u);
    r = translate(regs, 0x00154320u, AccessKind::read, false, 4, mem, units);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::tlb));
    BOOST_TEST(r.pa == 0x00154320u);
    BOOST_TEST(mem.reads.size() == 1u);
    BOOST_TEST(tlb.hits() == 1u);
    BOOST_TEST(tlb.misses() == 1u);
}

BOOST_AUTO_TEST_CASE(translate_mmu_off) {
    FakeMemory mem;
    MmuRegs regs;  // SCTLR.M = 0
    TranslateResult r = translate(regs, 0x44E09050u, AccessKind::read, true, 4, mem);
    BOOST_TEST(r.ok());
    BOOST_TEST(r.pa == 0x44E09050u);
    BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::flat));
    // MMU off: data is Strongly-ordered, so an unaligned access faults (DDI 0406C B3.2.1).
    r = translate(regs, 0x44E09052u, AccessKind::read, true, 4, mem);
    BOOST_TEST(is(r.fault, FaultType::alignment));
    BOOST_TEST(mem.reads.empty());
}

BOOST_AUTO_TEST_CASE(translate_rejects_bad_sizes) {
    FakeMemory mem;
    const MmuRegs regs = table_regs();
    for (unsigned bad : {0u, 3u, 5u, 16u}) {
        BOOST_CHECK_THROW(translate(regs, 0, AccessKind::read, true, bad, mem),
                          std::invalid_argument);
    }
}
