// TLB: A8 geometry and round-robin order, lockdown, maintenance, study policies and geometry,
// statistics, the second-level TLB and the walk cache statistics.
#define BOOST_TEST_MODULE tlb
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "models/core/stats.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/tlb.h"
#include "models/cpu/mmu/translate.h"

using namespace vp::mmu;

namespace {

TlbEntry entry(uint32_t va, PageSize size = PageSize::small_4k, bool global = true,
               uint8_t asid = 0) {
    TlbEntry e;
    e.size = size;
    e.kind = size == PageSize::small_4k     ? EntryKind::small_page
             : size == PageSize::large_64k  ? EntryKind::large_page
             : size == PageSize::section_1m ? EntryKind::section
                                            : EntryKind::supersection;
    e.level = (size == PageSize::small_4k || size == PageSize::large_64k) ? 2 : 1;
    e.va_base = va & page_mask(size);
    e.pa_base = 0x80000000u | (va & page_mask(size) & 0x0FFFFFFFu);
    e.global = global;
    e.asid = asid;
    return e;
}

// VA of the i-th distinct 4 KB page used to fill a TLB.
uint32_t page_va(unsigned i) {
    return 0x10000000u + i * 0x1000u;
}

double stat(const std::string& name) {
    auto* s = vp::stats::Registry::global().find(name);
    BOOST_TEST_REQUIRE(s != nullptr, name);
    return s->value();
}

uint32_t lockdown_value(unsigned base, unsigned victim, bool p) {
    // A8 TRM §3.2.56: Base[31:27], Victim[26:22], P[0].
    return (base << 27) | (victim << 22) | (p ? 1u : 0u);
}

}  // namespace

// A8 TRM §6.1 (mmu-tlb.md §5.1): 32 entries, fully associative, round-robin.
BOOST_AUTO_TEST_CASE(default_geometry_is_cortex_a8) {
    Tlb tlb("test.tlb");
    BOOST_TEST(tlb.capacity() == 32u);
    BOOST_TEST(tlb.geometry().ways == 32u);
    BOOST_TEST(tlb.geometry().sets() == 1u);
    BOOST_TEST(static_cast<int>(tlb.geometry().policy) ==
               static_cast<int>(ReplacementPolicy::round_robin));
    BOOST_TEST(!tlb.hit_changes_state());
    BOOST_TEST(tlb.valid_count() == 0u);
    BOOST_TEST(tlb.lockdown() == 0u);
}

// A8 TRM §3.2.56: "the oldest entry is always the next allocated"; the victim counter
// advances on every fill, and a hit changes nothing.
BOOST_AUTO_TEST_CASE(round_robin_replaces_oldest) {
    Tlb tlb("test.tlb");
    for (unsigned i = 0; i < 32; ++i)
        BOOST_TEST(tlb.insert(entry(page_va(i))) == int(i));
    BOOST_TEST(tlb.valid_count() == 32u);
    BOOST_TEST(tlb.evictions() == 0u);
    // Hits on the oldest entries do not protect them.
    for (int k = 0; k < 10; ++k) {
        BOOST_TEST(tlb.lookup(page_va(0), 0) != nullptr);
        BOOST_TEST(tlb.lookup(page_va(1), 0) != nullptr);
    }
    BOOST_TEST(tlb.insert(entry(page_va(32))) == 0);
    BOOST_TEST(tlb.lookup(page_va(0), 0) == nullptr);
    BOOST_TEST(tlb.lookup(page_va(1), 0) != nullptr);
    BOOST_TEST(tlb.insert(entry(page_va(33))) == 1);
    BOOST_TEST(tlb.lookup(page_va(1), 0) == nullptr);
    BOOST_TEST(tlb.evictions() == 2u);
    BOOST_TEST(tlb.victim() == 2u);
    // The lockdown register's Victim field shows the counter.
    BOOST_TEST(((tlb.lockdown() >> 22) & 0x1Fu) == 2u);
    // The counter wraps from 31 to Base (0).
    for (unsigned i = 34; i < 64; ++i)
        tlb.insert(entry(page_va(i)));
    BOOST_TEST(tlb.victim() == 0u);
    BOOST_TEST(tlb.insert(entry(page_va(64))) == 0);
}

// Our choice (docs/models/mmu.md): invalidation does not reset the victim counter.
BOOST_AUTO_TEST_CASE(round_robin_counter_survives_invalidate_all) {
    Tlb tlb("test.tlb");
    for (unsigned i = 0; i < 5; ++i)
        tlb.insert(entry(page_va(i)));
    BOOST_TEST(tlb.invalidate_all() == 5u);
    BOOST_TEST(tlb.insert(entry(page_va(99))) == 5);
}

// Lockdown register fields (A8 TRM §3.2.56) read back as written.
BOOST_AUTO_TEST_CASE(lockdown_register_round_trip) {
    Tlb tlb("test.tlb");
    tlb.set_lockdown(lockdown_value(2, 1, true));
    BOOST_TEST(tlb.lockdown() == 0x10400001u);
    tlb.set_lockdown(lockdown_value(31, 31, false));
    BOOST_TEST(tlb.lockdown() == 0xFFC00000u);
    tlb.set_lockdown(0);
    BOOST_TEST(tlb.lockdown() == 0u);
}

// Locking two entries the A8 way: P = 1 fills go to Victim and are locked; then Base moves
// above them. Locked entries are never replaced and survive TLBIALL ("invalidate unlocked
// entries"); TLBIMVA still removes them (our choice, docs/models/mmu.md).
BOOST_AUTO_TEST_CASE(lockdown_with_preserve_bit) {
    Tlb tlb("test.tlb");
    tlb.set_lockdown(lockdown_value(0, 0, true));
    BOOST_TEST(tlb.insert(entry(0xC0000000u, PageSize::section_1m)) == 0);
    BOOST_TEST(tlb.insert(entry(0xFFFF0000u)) == 1);
    BOOST_TEST(tlb.locked(0));
    BOOST_TEST(tlb.locked(1));
    BOOST_TEST(tlb.lockdown() == lockdown_value(0, 2, true));  // Victim advanced
    tlb.set_lockdown(lockdown_value(2, 2, false));
    BOOST_TEST(!tlb.locked(2));

    for (unsigned i = 0; i < 100; ++i) {
        const int slot = tlb.insert(entry(page_va(i)));
        BOOST_TEST(slot >= 2);
    }
    BOOST_TEST(tlb.lookup(0xC0012345u, 0) != nullptr);
    BOOST_TEST(tlb.lookup(0xFFFF0FF0u, 0) != nullptr);

    BOOST_TEST(tlb.invalidate_all() == 30u);
    BOOST_TEST(tlb.valid_count() == 2u);
    BOOST_TEST(tlb.lookup(0xC0012345u, 0) != nullptr);

    BOOST_TEST(tlb.invalidate_mva(0xC0000000u) == 1u);
    BOOST_TEST(tlb.lookup(0xC0012345u, 0) == nullptr);
    BOOST_TEST(tlb.valid_count() == 1u);
}

// Entries below Base are locked even when they were filled with P = 0.
BOOST_AUTO_TEST_CASE(lockdown_base_protects_lower_entries) {
    Tlb tlb("test.tlb");
    for (unsigned i = 0; i < 4; ++i)
        tlb.insert(entry(page_va(i)));
    tlb.set_lockdown(lockdown_value(4, 4, false));
    for (unsigned i = 4; i < 200; ++i)
        BOOST_TEST(tlb.insert(entry(page_va(i))) >= 4);
    for (unsigned i = 0; i < 4; ++i)
        BOOST_TEST(tlb.probe(page_va(i), 0) != nullptr);
    tlb.invalidate_all();
    BOOST_TEST(tlb.valid_count() == 4u);
    // The counter wraps to Base, not to 0.
    Tlb small("test.tlb2", TlbGeometry{4, 4, ReplacementPolicy::round_robin, 1});
    small.set_lockdown(lockdown_value(1, 3, false));
    BOOST_TEST(small.insert(entry(page_va(0))) == 3);
    BOOST_TEST(small.insert(entry(page_va(1))) == 1);
}

// When every entry is locked a fill is refused (-1): the walk result is used uncached.
BOOST_AUTO_TEST_CASE(all_locked_refuses_fill) {
    Tlb tlb("test.tlb", TlbGeometry{4, 4, ReplacementPolicy::round_robin, 1});
    tlb.set_lockdown(lockdown_value(4, 0, false));
    BOOST_TEST(tlb.insert(entry(page_va(0))) == -1);
    BOOST_TEST(tlb.valid_count() == 0u);
    BOOST_TEST(tlb.inserts() == 0u);
    Tlb lru("test.tlb.lru", TlbGeometry{4, 4, ReplacementPolicy::lru, 1});
    lru.set_lockdown(lockdown_value(4, 0, false));
    BOOST_TEST(lru.insert(entry(page_va(0))) == -1);
}

// TLBIMVA (VA[31:12] | ASID[7:0]) removes entries for that VA that are global or have that
// ASID, of any page size; TLBIASID removes non-global entries with the ASID
// (DDI 0406C B4.2 TLB maintenance; mmu-tlb.md §4.1).
BOOST_AUTO_TEST_CASE(invalidate_mva_asid_and_global) {
    Tlb tlb("test.tlb");
    tlb.insert(entry(0x00001000u, PageSize::small_4k, true));        // A: global
    tlb.insert(entry(0x00002000u, PageSize::small_4k, false, 5));    // B: ASID 5
    tlb.insert(entry(0x00002000u, PageSize::small_4k, false, 6));    // C: ASID 6
    tlb.insert(entry(0x00100000u, PageSize::section_1m, false, 5));  // D: ASID 5, 1 MB
    tlb.insert(entry(0x01000000u, PageSize::super_16m, true));       // E: global, 16 MB
    tlb.insert(entry(0x00030000u, PageSize::large_64k, false, 6));   // F: ASID 6, 64 KB

    // TLBIMVA VA 0x2000 ASID 5: only B.
    BOOST_TEST(tlb.invalidate_mva(0x00002000u | 5u) == 1u);
    BOOST_TEST(tlb.probe(0x00002000u, 5) == nullptr);
    BOOST_TEST(tlb.probe(0x00002000u, 6) != nullptr);
    // TLBIMVA with another ASID still removes the global entry A.
    BOOST_TEST(tlb.invalidate_mva(0x00001000u | 9u) == 1u);
    BOOST_TEST(tlb.probe(0x00001000u, 0) == nullptr);
    // A VA inside a section / supersection / large page removes the whole entry.
    BOOST_TEST(tlb.invalidate_mva(0x00123000u | 5u) == 1u);
    BOOST_TEST(tlb.probe(0x00100000u, 5) == nullptr);
    BOOST_TEST(tlb.invalidate_mva(0x01ABC000u | 77u) == 1u);
    BOOST_TEST(tlb.probe(0x01000000u, 0) == nullptr);
    BOOST_TEST(tlb.invalidate_mva(0x0003F000u | 5u) == 0u);  // F has ASID 6
    BOOST_TEST(tlb.probe(0x0003F000u, 6) != nullptr);
    // The low 12 bits of the operand above the ASID are ignored (ASID = 6 here).
    BOOST_TEST(tlb.invalidate_mva(0x0003FF06u) == 1u);

    // TLBIASID: non-global entries only.
    tlb.insert(entry(0x00005000u, PageSize::small_4k, true));
    tlb.insert(entry(0x00006000u, PageSize::small_4k, false, 6));
    BOOST_TEST(tlb.invalidate_asid(6) == 2u);  // C and the new ASID-6 page
    BOOST_TEST(tlb.probe(0x00005000u, 6) != nullptr);
    BOOST_TEST(tlb.valid_count() == 1u);
}

// ASID matching: non-global entries hit only for their ASID; global entries for every ASID.
BOOST_AUTO_TEST_CASE(asid_matching) {
    Tlb tlb("test.tlb");
    tlb.insert(entry(0x00008000u, PageSize::small_4k, false, 3));
    tlb.insert(entry(0xC0000000u, PageSize::section_1m, true));
    BOOST_TEST(tlb.lookup(0x00008ABCu, 3) != nullptr);
    BOOST_TEST(tlb.lookup(0x00008ABCu, 4) == nullptr);
    BOOST_TEST(tlb.lookup(0xC00FFFFFu, 4) != nullptr);
    BOOST_TEST(tlb.lookup(0xC00FFFFFu, 200) != nullptr);
}

// LRU: a hit makes an entry most recent, the least recently used is evicted.
BOOST_AUTO_TEST_CASE(lru_policy) {
    Tlb tlb("test.tlb", TlbGeometry{4, 4, ReplacementPolicy::lru, 1});
    BOOST_TEST(tlb.hit_changes_state());
    for (unsigned i = 0; i < 4; ++i)
        tlb.insert(entry(page_va(i)));
    tlb.lookup(page_va(0), 0);  // 0 is now the most recent; 1 is the LRU
    tlb.insert(entry(page_va(4)));
    BOOST_TEST(tlb.probe(page_va(1), 0) == nullptr);
    BOOST_TEST(tlb.probe(page_va(0), 0) != nullptr);
    tlb.lookup(page_va(2), 0);
    tlb.insert(entry(page_va(5)));  // LRU is now 3
    BOOST_TEST(tlb.probe(page_va(3), 0) == nullptr);
    BOOST_TEST(tlb.probe(page_va(2), 0) != nullptr);
}

// FIFO: hits do not matter, the first filled is evicted; empty slots are used first.
BOOST_AUTO_TEST_CASE(fifo_policy) {
    Tlb tlb("test.tlb", TlbGeometry{4, 4, ReplacementPolicy::fifo, 1});
    BOOST_TEST(!tlb.hit_changes_state());
    for (unsigned i = 0; i < 4; ++i)
        tlb.insert(entry(page_va(i)));
    tlb.lookup(page_va(0), 0);
    tlb.insert(entry(page_va(4)));
    BOOST_TEST(tlb.probe(page_va(0), 0) == nullptr);
    BOOST_TEST(tlb.probe(page_va(1), 0) != nullptr);
    // An invalidated slot is refilled before anything is evicted.
    tlb.invalidate_mva(page_va(2));
    const uint64_t ev = tlb.evictions();
    tlb.insert(entry(page_va(5)));
    BOOST_TEST(tlb.evictions() == ev);
    BOOST_TEST(tlb.probe(page_va(1), 0) != nullptr);
}

// Random: reproducible for a seed, uses empty slots first, eventually uses every slot.
BOOST_AUTO_TEST_CASE(random_policy) {
    Tlb a("test.tlb.a", TlbGeometry{8, 8, ReplacementPolicy::random, 1234});
    Tlb b("test.tlb.b", TlbGeometry{8, 8, ReplacementPolicy::random, 1234});
    std::set<int> used;
    for (unsigned i = 0; i < 200; ++i) {
        const int sa = a.insert(entry(page_va(i)));
        const int sb = b.insert(entry(page_va(i)));
        BOOST_TEST(sa == sb);
        if (i < 8) BOOST_TEST(sa == int(i));  // empty slots first
        used.insert(sa);
    }
    BOOST_TEST(used.size() == 8u);
    BOOST_TEST(a.evictions() == 192u);
    BOOST_TEST(!a.hit_changes_state());
}

// Set-associative: 8 entries, 2 ways → 4 sets; a 4 KB page lives in set VA[13:12], a 1 MB
// section in set VA[21:20].
BOOST_AUTO_TEST_CASE(set_associative_geometry) {
    Tlb tlb("test.tlb", TlbGeometry{8, 2, ReplacementPolicy::round_robin, 1});
    BOOST_TEST(tlb.geometry().sets() == 4u);
    // Three pages in set 0: the third replaces the first (round robin within the set).
    BOOST_TEST(tlb.insert(entry(0x00000000u)) == 0);
    BOOST_TEST(tlb.insert(entry(0x00004000u)) == 1);
    BOOST_TEST(tlb.insert(entry(0x00001000u)) == 2);  // set 1
    BOOST_TEST(tlb.insert(entry(0x00008000u)) == 0);  // set 0 again
    BOOST_TEST(tlb.probe(0x00000000u, 0) == nullptr);
    BOOST_TEST(tlb.probe(0x00004000u, 0) != nullptr);
    BOOST_TEST(tlb.probe(0x00001000u, 0) != nullptr);
    // A section at 0x00300000 → set 3; any VA inside it finds it.
    BOOST_TEST(tlb.insert(entry(0x00300000u, PageSize::section_1m)) == 6);
    BOOST_TEST(tlb.probe(0x00312345u, 0) != nullptr);
    BOOST_TEST(tlb.probe(0x003FF000u, 0) != nullptr);
    // A 16 MB entry at 0x05000000 → set 1 (VA[25:24] = 01).
    BOOST_TEST(tlb.insert(entry(0x05000000u, PageSize::super_16m)) == 3);
    BOOST_TEST(tlb.probe(0x05ABCDEFu, 0) != nullptr);
    // LRU per set.
    Tlb lru("test.tlb.lru", TlbGeometry{8, 2, ReplacementPolicy::lru, 1});
    lru.insert(entry(0x00000000u));
    lru.insert(entry(0x00004000u));
    lru.lookup(0x00000000u, 0);
    lru.insert(entry(0x00008000u));
    BOOST_TEST(lru.probe(0x00004000u, 0) == nullptr);
    BOOST_TEST(lru.probe(0x00000000u, 0) != nullptr);
}

BOOST_AUTO_TEST_CASE(geometry_validation) {
    BOOST_CHECK_THROW(Tlb("test.bad", TlbGeometry{0, 1, ReplacementPolicy::lru, 1}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(Tlb("test.bad", TlbGeometry{32, 0, ReplacementPolicy::lru, 1}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(Tlb("test.bad", TlbGeometry{32, 3, ReplacementPolicy::lru, 1}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(Tlb("test.bad", TlbGeometry{24, 2, ReplacementPolicy::lru, 1}),
                      std::invalid_argument);  // 12 sets
    BOOST_CHECK_THROW(Tlb("test.bad", TlbGeometry{8, 16, ReplacementPolicy::lru, 1}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(validate(TlbGeometry{kMaxTlbEntries * 2, 2, ReplacementPolicy::lru, 1}),
                      std::invalid_argument);
    try {
        validate(TlbGeometry{32, 3, ReplacementPolicy::lru, 1});
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("ways (3)") != std::string::npos);
    }
    BOOST_CHECK_NO_THROW(validate(TlbGeometry{64, 4, ReplacementPolicy::fifo, 1}));
    ReplacementPolicy p{};
    BOOST_TEST(parse_policy("lru", p));
    BOOST_TEST(static_cast<int>(p) == static_cast<int>(ReplacementPolicy::lru));
    BOOST_TEST(parse_policy("round_robin", p));
    BOOST_TEST(!parse_policy("plru", p));
}

// Statistics under the prefix, with the gem5-style names of DESIGN.md §8.
BOOST_AUTO_TEST_CASE(statistics) {
    Tlb tlb("test.stats.dtlb", TlbGeometry{4, 4, ReplacementPolicy::round_robin, 1});
    BOOST_TEST(stat("test.stats.dtlb.miss_rate") == 0.0);  // no lookups yet
    tlb.lookup(page_va(0), 0);                             // miss
    for (unsigned i = 0; i < 6; ++i)
        tlb.insert(entry(page_va(i)));                // 2 evictions
    tlb.lookup(page_va(5), 0);                        // hit
    tlb.lookup(page_va(0), 0);                        // miss (evicted)
    tlb.lookup(page_va(4), 0);                        // hit
    BOOST_TEST(tlb.probe(page_va(4), 0) != nullptr);  // not counted
    tlb.count_hits(6);                                // fast-path hits
    tlb.invalidate_mva(page_va(5));                   // 1 entry
    tlb.invalidate_all();                             // 3 entries
    tlb.invalidate_asid(9);                           // 0 entries, still an operation
    BOOST_TEST(stat("test.stats.dtlb.lookups") == 10.0);
    BOOST_TEST(stat("test.stats.dtlb.hits") == 8.0);
    BOOST_TEST(stat("test.stats.dtlb.misses") == 2.0);
    BOOST_TEST(stat("test.stats.dtlb.inserts") == 6.0);
    BOOST_TEST(stat("test.stats.dtlb.evictions") == 2.0);
    BOOST_TEST(stat("test.stats.dtlb.flushes") == 3.0);
    BOOST_TEST(stat("test.stats.dtlb.entries_flushed") == 4.0);
    BOOST_TEST(stat("test.stats.dtlb.miss_rate") == 0.2);
    BOOST_TEST(tlb.miss_rate() == 0.2);
    // Statistics leave the registry with the TLB.
    BOOST_TEST(vp::stats::Registry::global().list("test.stats.dtlb").size() == 8u);
}

BOOST_AUTO_TEST_CASE(statistics_removed_with_tlb) {
    { Tlb tlb("test.gone.itlb"); }
    BOOST_TEST(vp::stats::Registry::global().find("test.gone.itlb.hits") == nullptr);
}

// reset() empties everything, locked entries and lockdown register included.
BOOST_AUTO_TEST_CASE(reset_clears_locks) {
    Tlb tlb("test.tlb");
    tlb.set_lockdown(lockdown_value(0, 0, true));
    tlb.insert(entry(page_va(0)));
    tlb.reset();
    BOOST_TEST(tlb.valid_count() == 0u);
    BOOST_TEST(tlb.lockdown() == 0u);
    BOOST_TEST(!tlb.locked(0));
}

// --- second-level TLB and walk cache through translate() -------------------------------------

namespace {
struct FakeMemory : DescriptorReader {
    std::map<uint32_t, uint32_t> words;
    unsigned reads = 0;
    bool read(uint32_t pa, uint32_t& value, bool) override {
        ++reads;
        auto it = words.find(pa);
        value = it == words.end() ? 0u : it->second;
        return true;
    }
};
}  // namespace

BOOST_AUTO_TEST_CASE(second_level_tlb_and_walk_cache) {
    FakeMemory mem;
    MmuRegs regs;
    regs.sctlr = sctlr::M;
    regs.ttbr0 = 0x80004000u;
    regs.dacr = dacr::CLIENT;
    mem.words[0x80004000u] = 0x9F000001u;  // page table for VA 0x000xxxxx
    for (uint32_t i = 0; i < 8; ++i)
        mem.words[0x9F000000u + (i << 2)] = (0x00100000u + (i << 12)) | 0x32u;  // small, AP=11

    Tlb l1("test.l2t.dtlb", TlbGeometry{2, 2, ReplacementPolicy::round_robin, 1});
    Tlb l2("test.l2t.l2tlb", TlbGeometry{16, 16, ReplacementPolicy::round_robin, 1});
    WalkCache pwc("test.l2t.pwc", 4);
    const TranslationUnits units{&l1, &l2, &pwc};

    for (uint32_t i = 0; i < 3; ++i) {
        TranslateResult r = translate(regs, i << 12, AccessKind::read, true, 4, mem, units);
        BOOST_TEST_REQUIRE(r.ok());
        BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::walk));
        BOOST_TEST(r.pa == 0x00100000u + (i << 12));
    }
    // 3 walks, the last two found the L1 descriptor in the walk cache: 2 + 1 + 1 reads.
    BOOST_TEST(mem.reads == 4u);
    BOOST_TEST(pwc.hits() == 2u);
    BOOST_TEST(pwc.misses() == 1u);
    BOOST_TEST(stat("test.l2t.pwc.hits") == 2.0);
    BOOST_TEST(stat("test.l2t.pwc.misses") == 1.0);
    // Page 0 was evicted from the 2-entry first level but is in the second level.
    TranslateResult r = translate(regs, 0x00000010u, AccessKind::read, true, 4, mem, units);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::l2_tlb));
    BOOST_TEST(r.pa == 0x00100010u);
    BOOST_TEST(mem.reads == 4u);
    // … and it was refilled into the first level.
    r = translate(regs, 0x00000020u, AccessKind::read, true, 4, mem, units);
    BOOST_TEST(static_cast<int>(r.source) == static_cast<int>(TranslationSource::tlb));
    BOOST_TEST(l2.hits() == 1u);
}
