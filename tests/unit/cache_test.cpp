// Cache timing model: geometry, replacement, write policies, CP15 c7 maintenance, identification
// registers and the hierarchy calibration (models/cpu/cache, docs/models/cache.md).
//
// Sources of the expected values:
//  - SPRUH73 (AM335x TRM) §3.1.1: L1 I/D 32 KB 4-way 16-word lines; L2 256 KB 8-way 16-word.
//  - DDI 0406C (ARMv7-A ARM) B4.1 (CCSIDR, CLIDR, CSSELR), B4.2.1 set/way
//    operand (way in [31:32-A], set in [L+S-1:L], level in [3:1]).
//  - Cortex-A8 TRM (DDI 0344) c0 Cache Size ID / Cache Level ID registers: L1-D 32 KB
//    0xE00FE01A, L1-I 32 KB 0x200FE01A, L2 256 KB 0xF03FE03A, CLIDR 0x0A000023 (the same
//    values are read back from AM335x silicon); 16 KB L1-D 0xE007E01A.
//  - Cortex-A8 TRM cycle-timing table (reproduced in Stallings COA Table 14.2): D-TLB miss with
//    descriptors in L2 = 24 cycles; L1-D load miss replay = 8 cycles; store misses do not stall.
//  - lmbench lat_mem_rd on AM335x at 1 GHz (am335x.md §16): 3.0 ns in L1, 8.9–14.7 ns in L2.
#define BOOST_TEST_MODULE cache
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <utility>
#include <vector>

#include "models/core/stats.h"
#include "models/cpu/cache/cache.h"
#include "models/cpu/cache/hierarchy.h"

using namespace vp::cache;

namespace {

// A small cache for replacement tests: 4 sets x 4 ways x 64 B = 1 KB. Addresses 256 B apart
// (sets x line) fall in the same set.
CacheParams small(const std::string& name, Replacement r, uint32_t ways = 4) {
    CacheParams p;
    p.name = name;
    p.size_bytes = 4 * ways * 64;
    p.ways = ways;
    p.line_bytes = 64;
    p.replacement = r;
    p.hit_latency_cycles = 1;
    p.write_policy = WritePolicy::write_back;
    p.allocate_on_write = true;
    p.seed = 12345;
    return p;
}

constexpr uint32_t kSetStride = 4 * 64;  // small(): same set every 256 bytes
constexpr Policy kWbwa = Policy::write_back_write_allocate;

// Memory below the hierarchy: a fixed latency and a log of every call.
struct FakeMemory {
    uint64_t read_cycles = 100;
    uint64_t write_cycles = 50;
    std::vector<std::pair<uint32_t, bool>> calls;
    MemoryFn fn() {
        return [this](uint32_t line, bool write) {
            calls.emplace_back(line, write);
            return write ? write_cycles : read_cycles;
        };
    }
};

}  // namespace

// ---- Geometry ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a8_geometry_decodes_to_sets_and_field_widths) {
    // SPRUH73 §3.1.1: 32 KB / (4 ways x 64 B) = 128 sets; A = log2(4) = 2, L = log2(64) = 6,
    // S = log2(128) = 7 (DDI 0406C B4.2.1).
    Cache l1d{CacheParams::a8_l1d("t.l1d")};
    BOOST_TEST(l1d.sets() == 128u);
    BOOST_TEST(l1d.way_bits() == 2u);
    BOOST_TEST(l1d.line_bits() == 6u);
    BOOST_TEST(l1d.set_bits() == 7u);
    BOOST_TEST(l1d.set_of(0x80000000u + 5 * 64) == 5u);
    BOOST_TEST(l1d.set_of(0x80000000u + 128 * 64) == 0u);  // one way (8 KB) further: wraps
    // 256 KB / (8 x 64 B) = 512 sets; A = 3, S = 9.
    Cache l2{CacheParams::a8_l2("t.l2")};
    BOOST_TEST(l2.sets() == 512u);
    BOOST_TEST(l2.way_bits() == 3u);
    BOOST_TEST(l2.set_bits() == 9u);
    BOOST_TEST(l2.line_address(0x8000107Fu) == 0x80001040u);
}

BOOST_AUTO_TEST_CASE(bad_geometry_is_a_clear_error_naming_the_cache) {
    auto p = CacheParams::a8_l1d("bad.l1d");
    p.size_bytes = 48 * 1024;  // 192 sets: not a power of two
    try {
        Cache c{p};
        BOOST_FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("bad.l1d") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("192 sets") != std::string::npos);
    }
    p = CacheParams::a8_l1d("bad.l1d");
    p.line_bytes = 8;  // CCSIDR.LineSize cannot describe lines under 4 words
    BOOST_CHECK_THROW(Cache{p}, std::invalid_argument);
    p = CacheParams::a8_l1d("bad.l1d");
    p.ways = 0;
    BOOST_CHECK_THROW(Cache{p}, std::invalid_argument);
    p = CacheParams::a8_l1d("bad.l1d");
    p.size_bytes = 1000;  // not a multiple of ways x line
    BOOST_CHECK_THROW(Cache{p}, std::invalid_argument);
    // The statistics of a failed construction are gone: the name can be reused.
    BOOST_TEST(vp::stats::Registry::global().find("bad.l1d.accesses") == nullptr);

    auto h = HierarchyParams::a8("bad");
    BOOST_CHECK_THROW(Hierarchy(h, MemoryFn{}), std::invalid_argument);
    h.l2.line_bytes = 32;  // L2 lines smaller than L1 lines
    FakeMemory mem;
    BOOST_CHECK_THROW(Hierarchy(h, mem.fn()), std::invalid_argument);
}

// ---- Identification registers --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ccsidr_and_clidr_match_the_cortex_a8_trm) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("id"), mem.fn()};
    BOOST_TEST(h.l1d().ccsidr() == 0xE00FE01Au);  // A8 TRM CCSIDR, 32 KB L1 data
    BOOST_TEST(h.l1i().ccsidr() == 0x200FE01Au);  // A8 TRM CCSIDR, 32 KB L1 instruction
    BOOST_TEST(h.l2()->ccsidr() == 0xF03FE03Au);  // A8 TRM CCSIDR, 256 KB L2
    BOOST_TEST(h.clidr() == 0x0A000023u);         // A8 TRM CLIDR: LoUU 1, LoC 2, L2 unified
    // CSSELR selection (DDI 0406C B4.1, CSSELR): Level[3:1], InD[0].
    BOOST_TEST(h.ccsidr(0x0) == 0xE00FE01Au);
    BOOST_TEST(h.ccsidr(0x1) == 0x200FE01Au);
    BOOST_TEST(h.ccsidr(0x2) == 0xF03FE03Au);
    BOOST_TEST(h.ccsidr(0x3) == 0u);  // no level-2 instruction cache
    BOOST_TEST(h.ccsidr(0x4) == 0u);  // no level 3

    // The 16 KB L1 configuration of the A8 (A8 TRM CCSIDR table: 0xE007E01A).
    auto p = CacheParams::a8_l1d("id.l1d16");
    p.size_bytes = 16 * 1024;
    BOOST_TEST(Cache{p}.ccsidr() == 0xE007E01Au);
}

BOOST_AUTO_TEST_CASE(clidr_without_l2_has_one_level) {
    // DDI 0406C B4.1, CLIDR: Ctype1 = 0b011 (separate I/D), Ctype2 = 0 (none), LoC = 1; the A8's
    // LoUU = 1 is kept.
    auto hp = HierarchyParams::a8("nol2");
    hp.l2_present = false;
    FakeMemory mem;
    Hierarchy h{hp, mem.fn()};
    BOOST_TEST(h.clidr() == ((1u << 27) | (1u << 24) | 0x3u));
    BOOST_TEST(h.l2() == nullptr);
    BOOST_TEST(h.ccsidr(0x2) == 0u);
}

BOOST_AUTO_TEST_CASE(ccsidr_fields_give_back_the_geometry_as_software_decodes_it) {
    // Software (e.g. Linux v7_flush_dcache_all) derives the set/way loop from CCSIDR:
    // NumSets = [27:13] + 1, Associativity = [12:3] + 1, line = 2^(LineSize + 4) bytes.
    Cache l2{CacheParams::a8_l2("f.l2")};
    const uint32_t v = l2.ccsidr();
    BOOST_TEST((((v >> 13) & 0x7FFFu) + 1u) == 512u);
    BOOST_TEST((((v >> 3) & 0x3FFu) + 1u) == 8u);
    BOOST_TEST((1u << ((v & 0x7u) + 4u)) == 64u);
    BOOST_TEST((v & 0xF0000000u) == 0xF0000000u);  // WT, WB, RA, WA all supported
}

// ---- Replacement ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(lru_replaces_the_least_recently_used_line_in_exact_order) {
    Cache c{small("lru", Replacement::lru)};
    const uint32_t a[7] = {
        0x0,           kSetStride, 2 * kSetStride, 3 * kSetStride, 4 * kSetStride, 5 * kSetStride,
        6 * kSetStride};
    for (int i = 0; i < 4; ++i)
        BOOST_TEST(!c.access(a[i], false, kWbwa).hit);  // ways 0..3
    BOOST_TEST(c.access(a[0], false, kWbwa).hit);
    BOOST_TEST(c.access(a[2], false, kWbwa).hit);
    // Recency now, oldest first: a1, a3, a0, a2.
    auto r = c.access(a[4], false, kWbwa);
    BOOST_TEST(r.evicted);
    BOOST_TEST(!c.contains(a[1]));
    c.access(a[5], false, kWbwa);
    BOOST_TEST(!c.contains(a[3]));
    c.access(a[6], false, kWbwa);
    BOOST_TEST(!c.contains(a[0]));
    BOOST_TEST(c.contains(a[2]));
    BOOST_TEST(c.contains(a[4]));
    BOOST_TEST(c.contains(a[5]));
    BOOST_TEST(c.contains(a[6]));
    BOOST_TEST(c.evictions() == 3u);
}

BOOST_AUTO_TEST_CASE(allocation_fills_the_lowest_invalid_way_first) {
    Cache c{small("fill", Replacement::random)};
    for (uint32_t i = 0; i < 4; ++i) {
        c.access(i * kSetStride, false, kWbwa);
        BOOST_TEST(c.line_at(0, i).value() == i * kSetStride);  // way i
    }
    c.invalidate_line(2 * kSetStride);  // way 2 becomes invalid
    auto r = c.access(9 * kSetStride, false, kWbwa);
    BOOST_TEST(!r.evicted);  // a free way was used, not the replacement policy
    BOOST_TEST(c.line_at(0, 2).value() == 9 * kSetStride);
}

BOOST_AUTO_TEST_CASE(round_robin_replaces_ways_in_turn_ignoring_hits) {
    Cache c{small("rr", Replacement::round_robin)};
    for (uint32_t i = 0; i < 4; ++i)
        c.access(i * kSetStride, false, kWbwa);
    c.access(0, false, kWbwa);  // hits do not move the victim counter
    for (uint32_t i = 0; i < 4; ++i) {
        const uint32_t pa = (10 + i) * kSetStride;
        c.access(pa, false, kWbwa);
        BOOST_TEST(c.line_at(0, i).value() == pa);  // way 0, 1, 2, 3 in turn
    }
}

BOOST_AUTO_TEST_CASE(random_replacement_is_seeded_and_reaches_every_way) {
    Cache c1{small("rnd1", Replacement::random)};
    Cache c2{small("rnd2", Replacement::random)};
    std::vector<int> used(4, 0);
    for (uint32_t i = 0; i < 400; ++i) {
        const uint32_t pa = i * kSetStride;
        c1.access(pa, false, kWbwa);
        c2.access(pa, false, kWbwa);
        for (uint32_t w = 0; w < 4; ++w) {
            BOOST_TEST((c1.line_at(0, w) == c2.line_at(0, w)));  // same seed, same choices
            if (i >= 4 && c1.line_at(0, w) == pa) ++used[w];
        }
        BOOST_TEST(c1.contains(pa));  // the new line is always allocated
    }
    for (int n : used)
        BOOST_TEST(n > 50);  // 396 replacements over 4 ways: none starved
}

BOOST_AUTO_TEST_CASE(replacement_names_parse) {
    Replacement r{};
    BOOST_TEST(parse_replacement("round_robin", r));
    BOOST_TEST((r == Replacement::round_robin));
    BOOST_TEST(!parse_replacement("plru", r));
    WritePolicy w{};
    BOOST_TEST(parse_write_policy("write_through", w));
    BOOST_TEST((w == WritePolicy::write_through));
    BOOST_TEST(!parse_write_policy("wb", w));
}

// ---- Write policies ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(write_back_keeps_dirty_lines_and_writes_them_back_on_eviction) {
    Cache c{small("wb", Replacement::lru)};
    c.access(0x40, false, kWbwa);
    auto w = c.access(0x40, true, kWbwa);  // write hit
    BOOST_TEST(w.hit);
    BOOST_TEST(!w.write_to_next);  // absorbed
    BOOST_TEST(c.is_dirty(0x40));
    for (uint32_t i = 1; i < 4; ++i)
        c.access(0x40 + i * kSetStride, false, kWbwa);
    auto r = c.access(0x40 + 4 * kSetStride, false, kWbwa);  // evicts the LRU line 0x40
    BOOST_TEST(r.evicted);
    BOOST_TEST(r.evicted_dirty.value() == 0x40u);  // line address of the dirty victim
    BOOST_TEST(c.writebacks() == 1u);
    // A clean victim is evicted without a write-back.
    auto r2 = c.access(0x40 + 5 * kSetStride, false, kWbwa);
    BOOST_TEST(r2.evicted);
    BOOST_TEST(!r2.evicted_dirty.has_value());
    BOOST_TEST(c.writebacks() == 1u);
}

BOOST_AUTO_TEST_CASE(write_through_never_dirties_and_forwards_every_write) {
    Cache c{small("wt", Replacement::lru)};
    c.access(0x80, false, Policy::write_through);
    auto w = c.access(0x80, true, Policy::write_through);
    BOOST_TEST(w.hit);
    BOOST_TEST(w.write_to_next);
    BOOST_TEST(!c.is_dirty(0x80));
    auto m = c.access(0x1080, true, Policy::write_through);  // WT write miss: no allocation
    BOOST_TEST(!m.allocated);
    BOOST_TEST(m.write_to_next);
    BOOST_TEST(!c.contains(0x1080));

    // A write-through cache forwards writes even for write-back pages.
    auto p = small("wt2", Replacement::lru);
    p.write_policy = WritePolicy::write_through;
    Cache t{p};
    t.access(0x80, false, kWbwa);
    BOOST_TEST(t.access(0x80, true, kWbwa).write_to_next);
    BOOST_TEST(!t.is_dirty(0x80));
}

BOOST_AUTO_TEST_CASE(no_write_allocate_sends_write_misses_on) {
    Cache c{small("nwa", Replacement::lru)};
    auto m = c.access(0x100, true, Policy::write_back_no_write_allocate);
    BOOST_TEST(!m.hit);
    BOOST_TEST(!m.allocated);
    BOOST_TEST(m.write_to_next);
    BOOST_TEST(!c.contains(0x100));
    // A write-allocate page allocates, dirty.
    auto a = c.access(0x100, true, kWbwa);
    BOOST_TEST(a.allocated);
    BOOST_TEST(!a.write_to_next);
    BOOST_TEST(c.is_dirty(0x100));
    // The A8 L1-D does not allocate on writes at all (its CCSIDR.WA = 0).
    Cache l1d{CacheParams::a8_l1d("nwa.l1d")};
    BOOST_TEST(!l1d.access(0x100, true, kWbwa).allocated);
}

BOOST_AUTO_TEST_CASE(non_cacheable_bypasses_without_state_or_statistics) {
    Cache c{small("nc", Replacement::lru)};
    auto r = c.access(0x200, false, Policy::non_cacheable);
    BOOST_TEST(r.bypass);
    BOOST_TEST(r.latency_cycles == 0u);
    BOOST_TEST(!c.contains(0x200));
    BOOST_TEST(c.accesses() == 0u);
}

BOOST_AUTO_TEST_CASE(writing_an_instruction_cache_is_a_caller_error) {
    Cache l1i{CacheParams::a8_l1i("ro.l1i")};
    BOOST_CHECK_THROW(l1i.access(0x0, true, kWbwa), std::logic_error);
}

// ---- Maintenance ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(maintenance_by_address_cleans_invalidates_or_both) {
    Cache c{small("mva", Replacement::lru)};
    std::vector<uint32_t> wb;
    auto log = [&](uint32_t line) { wb.push_back(line); };
    c.access(0x1000, true, kWbwa);        // dirty
    auto cl = c.clean_line(0x1010, log);  // any address in the line
    BOOST_TEST(cl.writebacks == 1u);
    BOOST_TEST(wb == std::vector<uint32_t>{0x1000});
    BOOST_TEST(c.contains(0x1000));
    BOOST_TEST(!c.is_dirty(0x1000));
    BOOST_TEST(c.clean_line(0x1000, log).writebacks == 0u);  // already clean

    c.access(0x1000, true, kWbwa);
    auto inv = c.invalidate_line(0x1000);  // DCIMVAC: dirty data dropped, no write-back
    BOOST_TEST(inv.dirty_discarded == 1u);
    BOOST_TEST(inv.writebacks == 0u);
    BOOST_TEST(!c.contains(0x1000));

    c.access(0x2000, true, kWbwa);
    auto ci = c.clean_invalidate_line(0x2000, log);
    BOOST_TEST(ci.writebacks == 1u);
    BOOST_TEST(!c.contains(0x2000));
    BOOST_TEST(wb.back() == 0x2000u);
    BOOST_TEST(c.clean_invalidate_line(0x3000, log).lines_matched == 0u);  // a miss: no-op

    c.access(0x40, true, kWbwa);
    c.access(0x80, true, kWbwa);
    c.access(0xC0, false, kWbwa);
    auto all = c.clean_all(log);
    BOOST_TEST(all.writebacks == 2u);
    BOOST_TEST(all.lines_matched == 3u);
    BOOST_TEST(c.invalidate_all().lines_matched == 3u);
    BOOST_TEST(c.valid_lines() == 0u);
}

BOOST_AUTO_TEST_CASE(set_way_operand_of_the_l1d_follows_the_armv7_format) {
    // DDI 0406C B4.2.1 for the A8 L1-D (A = 2, L = 6, S = 7): set 5, way 3, level 1 (field 0)
    // → way << (32 - A) | set << L | (level - 1) << 1.
    constexpr uint32_t A = 2, L = 6;
    constexpr uint32_t operand = (3u << (32 - A)) | (5u << L) | (0u << 1);
    static_assert(operand == 0xC0000140u, "the formula itself");
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("sw"), mem.fn()};
    Cache& l1d = h.l1d();
    BOOST_TEST(l1d.encode_set_way(0, 5, 3) == operand);
    const SetWay sw = l1d.decode_set_way(operand);
    BOOST_TEST(sw.level == 0u);
    BOOST_TEST(sw.set == 5u);
    BOOST_TEST(sw.way == 3u);

    // Four lines of set 5 (8 KB apart = one way of 128 sets x 64 B) fill ways 0..3; the
    // fourth (way 3) is made dirty by a store hit.
    const uint32_t base = 0x80000000u + 5 * 64;
    for (uint32_t i = 0; i < 4; ++i)
        h.data_access(base + i * 8192, false);
    const uint32_t way3 = base + 3 * 8192;
    BOOST_TEST(l1d.line_at(5, 3).value() == way3);
    h.data_access(way3, true);
    BOOST_TEST(l1d.is_dirty(way3));

    auto c = h.dcache_by_set_way(operand, MaintOp::clean_invalidate);  // DCCISW
    BOOST_TEST(c.ok);
    BOOST_TEST(c.writebacks == 1u);
    BOOST_TEST(c.lines_to_l2 == 1u);  // set/way at level 1 writes the line to the next level
    BOOST_TEST(!l1d.contains(way3));
    BOOST_TEST(h.l2()->is_dirty(way3));
    for (uint32_t i = 0; i < 3; ++i)
        BOOST_TEST(l1d.contains(base + i * 8192));

    // Level 2 (field 1), L2 geometry A = 3, L = 6: cleaning the L2 set/way that holds the
    // line writes it to memory.
    const uint32_t l2_set = h.l2()->set_of(way3);
    uint32_t l2_way = 0;
    while (l2_way < 8 && h.l2()->line_at(l2_set, l2_way) != way3)
        ++l2_way;
    BOOST_REQUIRE(l2_way < 8u);
    const uint32_t op2 = (l2_way << (32 - 3)) | (l2_set << 6) | (1u << 1);
    BOOST_TEST(h.l2()->encode_set_way(1, l2_set, l2_way) == op2);
    mem.calls.clear();
    auto c2 = h.dcache_by_set_way(op2, MaintOp::clean);  // DCCSW, level 2
    BOOST_TEST(c2.lines_to_memory == 1u);
    BOOST_TEST(c2.cycles == mem.write_cycles);
    BOOST_TEST((mem.calls == std::vector<std::pair<uint32_t, bool>>{{way3, true}}));
    BOOST_TEST(!h.l2()->is_dirty(way3));

    // No level 3 on the A8: the operation reports it and changes nothing.
    BOOST_TEST(!h.dcache_by_set_way(2u << 1, MaintOp::clean).ok);
}

BOOST_AUTO_TEST_CASE(set_way_with_non_power_of_two_ways_rounds_a_up) {
    // DDI 0406C B4.2.1: A = log2(ASSOCIATIVITY) rounded up: 3 ways → A = 2, way in [31:30].
    Cache c{small("w3", Replacement::lru, 3)};
    BOOST_TEST(c.way_bits() == 2u);
    BOOST_TEST(c.decode_set_way(2u << 30).way == 2u);
    BOOST_TEST(!c.decode_set_way(3u << 30).way_valid);  // no way 3
    BOOST_TEST(c.maintain_set_way(3u << 30, MaintOp::invalidate).lines_matched == 0u);
}

BOOST_AUTO_TEST_CASE(hierarchy_maintenance_to_the_points_of_unification_and_coherency) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("pt"), mem.fn()};
    const uint32_t pa = 0x80010000u;
    h.data_access(pa, false);  // in L1-D and L2
    h.data_access(pa, true);   // store hit: dirty in L1-D
    BOOST_TEST(h.l1d().is_dirty(pa));
    mem.calls.clear();

    // DCCMVAU: clean to PoU = L2 on the A8 (CLIDR.LoUU = 1): the line goes to L2, not memory.
    auto u = h.dcache_by_mva(pa, MaintOp::clean, Point::unification);
    BOOST_TEST(u.writebacks == 1u);
    BOOST_TEST(u.lines_to_l2 == 1u);
    BOOST_TEST(u.lines_to_memory == 0u);
    BOOST_TEST(mem.calls.empty());
    BOOST_TEST(h.l2()->is_dirty(pa));

    // DCCIMVAC: clean+invalidate to PoC: both levels, one memory write.
    h.data_access(pa, true);  // dirty in L1 again
    auto c = h.dcache_by_mva(pa, MaintOp::clean_invalidate, Point::coherency);
    BOOST_TEST(c.lines_to_memory == 1u);
    BOOST_TEST((mem.calls == std::vector<std::pair<uint32_t, bool>>{{pa, true}}));
    BOOST_TEST(!h.l1d().contains(pa));
    BOOST_TEST(!h.l2()->contains(pa));

    // DCIMVAC discards dirty data at both levels.
    h.data_access(pa, false);
    h.data_access(pa, true);
    auto i = h.dcache_by_mva(pa, MaintOp::invalidate);
    BOOST_TEST(i.dirty_discarded == 1u);
    BOOST_TEST(i.writebacks == 0u);

    // ICIMVAU / ICIALLU reach only the instruction cache.
    h.inst_fetch(pa);
    h.data_access(pa, false);
    h.icache_invalidate_by_mva(pa);
    BOOST_TEST(!h.l1i().contains(pa));
    BOOST_TEST(h.l1d().contains(pa));
    h.inst_fetch(pa + 64);
    h.icache_invalidate_all();
    BOOST_TEST(h.l1i().valid_lines() == 0u);

    auto all = h.clean_invalidate_all();
    BOOST_TEST(all.ok);
    BOOST_TEST(h.l1d().valid_lines() == 0u);
    BOOST_TEST(h.l2()->valid_lines() == 0u);
}

// ---- Hierarchy timing ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(hierarchy_latencies_for_l1_hit_l2_hit_and_memory) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("lat"), mem.fn()};
    const uint32_t pa = 0x80100000u;

    auto m = h.data_access(pa, false);  // cold: L1 lookup + L2 lookup + memory
    BOOST_TEST((m.level == Level::memory));
    BOOST_TEST(m.cycles == 3u + 8u + mem.read_cycles);
    BOOST_TEST(m.memory_reads == 1u);
    BOOST_TEST((mem.calls.back() == std::pair<uint32_t, bool>{pa, false}));

    auto l1 = h.data_access(pa + 4, false);  // same line
    BOOST_TEST((l1.level == Level::l1));
    BOOST_TEST(l1.cycles == 3u);  // lmbench 3.0 ns at 1 GHz

    h.l1d().invalidate_line(pa);  // still in L2
    auto l2 = h.data_access(pa, false);
    BOOST_TEST((l2.level == Level::l2));
    // H&P 5e §2.6: 11 cycles for an L1 miss that hits L2 on the A8; lmbench 8.9–14.7 ns.
    BOOST_TEST(l2.cycles == 11u);
    BOOST_TEST(l2.cycles >= 9u);
    BOOST_TEST(l2.cycles <= 12u);
    // The L2 part is the A8's 8-cycle L1-D load-miss replay (A8 TRM timing table).
    BOOST_TEST(l2.cycles - l1.cycles == 8u);
}

BOOST_AUTO_TEST_CASE(stores_are_posted_and_follow_the_a8_allocation_policy) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("st"), mem.fn()};
    const uint32_t pa = 0x80200000u;
    // Store miss everywhere, WB-WA page: not allocated in L1-D (CCSIDR.WA = 0), allocated in
    // L2 (CCSIDR.WA = 1) with a line fill. The core does not stall (A8 timing table).
    auto s = h.data_access(pa, true);
    BOOST_TEST(s.cycles == 1u);  // posted_store_cycles
    BOOST_TEST(s.posted_cycles == 3u + 8u + mem.read_cycles);
    BOOST_TEST(!h.l1d().contains(pa));
    BOOST_TEST(h.l2()->is_dirty(pa));

    auto hp = HierarchyParams::a8("st2");
    hp.stores_posted = false;
    FakeMemory mem2;
    Hierarchy u{hp, mem2.fn()};
    u.data_access(pa, false);
    auto hit = u.data_access(pa, true);  // store hit in L1-D, write-back: absorbed
    BOOST_TEST((hit.level == Level::l1));
    BOOST_TEST(hit.cycles == 3u);
    BOOST_TEST(u.l1d().is_dirty(pa));
    // A write-through page: the store also goes through L2 to memory.
    const Attrs wt = Attrs::both(Policy::write_through);
    u.data_access(pa + 0x1000, false, wt);
    auto w = u.data_access(pa + 0x1000, true, wt);
    BOOST_TEST((w.level == Level::memory));
    BOOST_TEST(w.memory_writes == 1u);
    BOOST_TEST(w.cycles == 3u + 8u + mem2.write_cycles);
    BOOST_TEST(!u.l1d().is_dirty(pa + 0x1000));
    BOOST_TEST(!u.l2()->is_dirty(pa + 0x1000));
}

BOOST_AUTO_TEST_CASE(dirty_victims_are_written_back_posted_or_charged) {
    // A direct-mapped 256 B L1-D and 512 B L2 make the conflicts easy to place.
    auto hp = HierarchyParams::a8("wbk");
    hp.l1d.size_bytes = 256;
    hp.l1d.ways = 1;
    hp.l2.size_bytes = 512;
    hp.l2.ways = 1;
    FakeMemory mem;
    {
        Hierarchy h{hp, mem.fn()};
        const uint32_t a = 0x80000000u, b = a + 512;  // same L1 set, same L2 set
        h.data_access(a, true);                       // dirty in L2 (L1 does not allocate)
        mem.calls.clear();
        auto r = h.data_access(b, false);  // L2 miss evicts dirty a
        BOOST_TEST(r.writebacks == 1u);
        BOOST_TEST(r.cycles == 3u + 8u + mem.read_cycles);  // posted: not charged
        BOOST_TEST(r.posted_cycles == mem.write_cycles);
        // The fill is issued first, the victim leaves the eviction buffer after it.
        BOOST_TEST((mem.calls == std::vector<std::pair<uint32_t, bool>>{{b, false}, {a, true}}));
        BOOST_TEST(h.l2()->writebacks() == 1u);
    }
    hp.charge_writebacks = true;
    {
        Hierarchy h{hp, mem.fn()};
        const uint32_t a = 0x80000000u, b = a + 512;
        h.data_access(a, true);
        auto r = h.data_access(b, false);
        BOOST_TEST(r.cycles == 3u + 8u + mem.read_cycles + mem.write_cycles);
    }
}

BOOST_AUTO_TEST_CASE(l1_victims_go_to_l2) {
    auto hp = HierarchyParams::a8("l1v");
    hp.l1d.size_bytes = 256;  // direct-mapped, 4 sets
    hp.l1d.ways = 1;
    FakeMemory mem;
    Hierarchy h{hp, mem.fn()};
    const uint32_t a = 0x80000000u, b = a + 256;  // same L1 set, different L2 sets
    h.data_access(a, false);
    h.data_access(a, true);  // dirty in L1
    h.l2()->invalidate_line(a);
    mem.calls.clear();
    auto r = h.data_access(b, false);
    BOOST_TEST(r.writebacks == 1u);
    BOOST_TEST(h.l2()->is_dirty(a));  // the eviction buffer wrote the whole line into L2
    BOOST_TEST((mem.calls == std::vector<std::pair<uint32_t, bool>>{{b, false}}));
}

BOOST_AUTO_TEST_CASE(instruction_fetches_use_l1i_and_l2_only) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("if"), mem.fn()};
    const uint32_t pa = 0x80300000u;
    auto m = h.inst_fetch(pa);
    BOOST_TEST((m.level == Level::memory));
    BOOST_TEST(m.cycles == 0u + 8u + mem.read_cycles);  // fetch hits are pipelined (0)
    auto hit = h.inst_fetch(pa + 8);
    BOOST_TEST((hit.level == Level::l1));
    BOOST_TEST(hit.cycles == 0u);
    BOOST_TEST(h.l1d().accesses() == 0u);
    BOOST_TEST(h.l1i().accesses() == 2u);
}

BOOST_AUTO_TEST_CASE(non_cacheable_device_and_strongly_ordered_bypass_both_levels) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("byp"), mem.fn()};
    auto r = h.data_access(0x44E09000u, false, Attrs::non_cacheable());
    BOOST_TEST((r.level == Level::bypass));
    BOOST_TEST(r.cycles == 0u);
    BOOST_TEST(mem.calls.empty());
    BOOST_TEST(h.l1d().accesses() == 0u);
    BOOST_TEST(h.l2()->accesses() == 0u);
    BOOST_TEST((h.data_access(0x44E09000u, true, Attrs::non_cacheable()).level == Level::bypass));
}

BOOST_AUTO_TEST_CASE(disabled_caches_are_skipped) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("dis"), mem.fn()};
    h.set_l2_enabled(false);  // ACTLR.L2EN = 0
    auto r = h.data_access(0x80400000u, false);
    BOOST_TEST(r.cycles == 3u + mem.read_cycles);
    BOOST_TEST(h.l2()->accesses() == 0u);
    BOOST_TEST((h.walk_access(0x80400000u).level == Level::bypass));
    h.set_l1d_enabled(false);
    BOOST_TEST((h.data_access(0x80400040u, false).level == Level::bypass));
}

// ---- Table walks ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(walk_reads_go_to_l2_and_never_touch_l1d) {
    // A8 TRM (mmu-tlb.md §5.2): "the processor cannot perform a translation table walk from
    // L1 cache".
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("walk"), mem.fn()};
    const uint32_t desc = 0x80004000u;
    h.data_access(desc, false);  // the descriptor line is now in L1-D and L2
    const uint64_t l1d_before = h.l1d().accesses();
    auto w = h.walk_access(desc);
    BOOST_TEST((w.level == Level::l2));
    BOOST_TEST(w.cycles == 8u);
    BOOST_TEST(h.l1d().accesses() == l1d_before);

    h.l2()->invalidate_line(desc);  // L1-D still holds it, but the walker cannot see it
    auto m = h.walk_access(desc);
    BOOST_TEST((m.level == Level::memory));
    BOOST_TEST(m.cycles == 8u + mem.read_cycles);
    BOOST_TEST(h.l1d().accesses() == l1d_before);
    BOOST_TEST((h.walk_access(desc, Policy::non_cacheable).level == Level::bypass));
}

BOOST_AUTO_TEST_CASE(page_walk_with_descriptors_in_l2_costs_24_cycles) {
    // A8 TRM timing table (Stallings COA Table 14.2; mmu-tlb.md §5.3): a D-TLB miss whose
    // translation table entries are in L2 costs 24 cycles. A page walk is two dependent reads.
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("cal"), mem.fn()};
    const uint32_t l1_desc = 0x80004000u + (0xC01u << 2);
    const uint32_t l2_desc = 0x8F704C00u + (0x23u << 2);
    h.walk_access(l1_desc);  // bring both lines into L2 (an earlier walk)
    h.walk_access(l2_desc);
    const uint64_t walk =
        h.walk_overhead_cycles() + h.walk_access(l1_desc).cycles + h.walk_access(l2_desc).cycles;
    BOOST_TEST(walk >= 21u);
    BOOST_TEST(walk <= 27u);
    BOOST_TEST(walk == 24u);
}

// ---- Statistics ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(statistics_have_the_gem5_style_names) {
    FakeMemory mem;
    Hierarchy h{HierarchyParams::a8("cpu"), mem.fn()};
    h.data_access(0x80000000u, false);
    h.data_access(0x80000000u, false);
    h.data_access(0x80000000u, false);
    h.data_access(0x80000040u, false);
    auto& reg = vp::stats::Registry::global();
    for (const char* cache : {"cpu.l1i", "cpu.l1d", "cpu.l2"})
        for (const char* s :
             {".accesses", ".hits", ".misses", ".writebacks", ".evictions", ".hit_rate"})
            BOOST_TEST(reg.find(std::string(cache) + s) != nullptr, cache << s);
    BOOST_TEST(reg.find("cpu.l1d.accesses")->value() == 4.0);
    BOOST_TEST(reg.find("cpu.l1d.hits")->value() == 2.0);
    BOOST_TEST(reg.find("cpu.l1d.misses")->value() == 2.0);
    BOOST_TEST(reg.find("cpu.l1d.hit_rate")->value() == 0.5);
    BOOST_TEST(reg.find("cpu.l2.accesses")->value() == 2.0);
    BOOST_TEST(reg.find("cpu.l2.hit_rate")->value() == 0.0);
    // A second hierarchy with the same names is refused by the registry.
    BOOST_CHECK_THROW(Hierarchy(HierarchyParams::a8("cpu"), mem.fn()), std::logic_error);
}
