#define BOOST_TEST_MODULE slub
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "sw/kernel/printk.h"
#include "sw/mm/mm.h"
#include "tests/support/fake_cpu.h"

using namespace kernel;

namespace {

constexpr uint64_t MiB = 1ull << 20;

struct Guest {
    vp::test::FakeCpu cpu;
    std::string log;
    PrintkSink old;
    std::unique_ptr<MemoryManager> mm;
    explicit Guest(MmConfig cfg = small()) {
        old = set_printk_sink([this](int, const std::string& t) { log += t; });
        mm = std::make_unique<MemoryManager>(cfg);
        mm->boot();
    }
    ~Guest() {
        mm.reset();
        set_printk_sink(old);
    }
    static MmConfig small() {
        MmConfig c;
        c.ram_size = 64 * MiB;
        c.kernel_size = 4 * MiB;
        c.cma_size = 0;
        return c;
    }
    bool logged(const std::string& s) const { return log.find(s) != std::string::npos; }
};

// slub_kunit.c's test_kmem_cache_create: debug flags as given, never merged, and not
// subject to slub_debug= (SLAB_NO_USER_FLAGS).
kmem_cache* test_cache(const char* name, unsigned size, slab_flags_t flags) {
    return kmem_cache_create(name, size, 0, flags | SLAB_NO_USER_FLAGS | SLAB_NO_MERGE);
}

}  // namespace

// ---- layout and geometry ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(free_pointer_sits_mid_object_and_free_is_one_store) {
    // mm/slub.c calculate_sizes (since 5.7): without debug, ctor or RCU the free pointer is
    // inside the free object at ALIGN_DOWN(object_size / 2, sizeof(void *)).
    Guest g;
    kmem_cache* s = test_cache("fp_mid", 100, 0);
    BOOST_REQUIRE(s);
    BOOST_TEST(s->offset == 48u);
    BOOST_TEST(s->size == 104u);  // ALIGN(100, ARCH_SLAB_MINALIGN 8)
    const uint32_t a = kmem_cache_alloc(s, GFP_KERNEL);
    const uint32_t b = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_TEST(b == a + s->size);  // objects come in address order from a new slab
    g.cpu.reset_counters();
    kmem_cache_free(s, a);
    BOOST_TEST(g.cpu.stores() == 1u);  // the free pointer, into the freed object
    BOOST_TEST(g.cpu.loads() == 0u);
    const uint32_t next_free = b + s->size;  // what the CPU freelist held
    BOOST_TEST(g.cpu.peek32(a + s->offset) == next_free);
    g.cpu.reset_counters();
    BOOST_TEST(kmem_cache_alloc(s, GFP_KERNEL) == a);  // LIFO
    BOOST_TEST(g.cpu.loads() == 1u);                   // one load: the free pointer
    BOOST_TEST(g.cpu.stores() == 0u);
    kmem_cache_free(s, a);
    kmem_cache_free(s, b);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(ctor_moves_the_free_pointer_out_and_runs_once_per_object) {
    // A constructor runs when a slab is populated, not at each allocation (linux-mm.md §6.2),
    // and forces the free pointer after the object.
    Guest g;
    unsigned calls = 0;
    kmem_cache* s = kmem_cache_create("ctor_cache", 64, 0, SLAB_NO_MERGE, [&](uint32_t obj) {
        ++calls;
        hal::this_cpu().store32(obj, 0xC0FFEE);
    });
    BOOST_REQUIRE(s);
    BOOST_TEST(s->offset == 64u);
    BOOST_TEST(s->size == 72u);
    const uint32_t a = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_TEST(calls == s->oo_objects);
    BOOST_TEST(g.cpu.peek32(a) == 0xC0FFEEu);
    kmem_cache_free(s, a);
    const uint32_t b = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_TEST(calls == s->oo_objects);
    BOOST_TEST(g.cpu.peek32(b) == 0xC0FFEEu);  // the free pointer did not clobber it
    kmem_cache_free(s, b);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(kmalloc_cache_geometry_matches_linux_on_one_cpu) {
    // linux-mm.md §6.3: min_objects = 4 x (fls(1) + 1) = 8; expected BBB geometry
    // -64: 64/0; -128: 32/0; -192: 21/0; -256: 16/0; -512: 8/0; -1k: 8/1; -2k: 8/2;
    // -4k: 8/3; -8k: 4/3 (objects per slab / order).
    Guest g;
    const struct {
        const char* name;
        unsigned objects, order;
    } expect[] = {{"kmalloc-64", 64, 0},  {"kmalloc-128", 32, 0}, {"kmalloc-192", 21, 0},
                  {"kmalloc-256", 16, 0}, {"kmalloc-512", 8, 0},  {"kmalloc-1k", 8, 1},
                  {"kmalloc-2k", 8, 2},   {"kmalloc-4k", 8, 3},   {"kmalloc-8k", 4, 3}};
    for (const auto& e : expect) {
        kmem_cache* s = find_kmem_cache(e.name);
        BOOST_REQUIRE_MESSAGE(s, e.name);
        BOOST_TEST(s->oo_objects == e.objects, e.name);
        BOOST_TEST(s->oo_order == e.order, e.name);
    }
    BOOST_TEST(find_kmem_cache("kmalloc-96") == nullptr);  // KMALLOC_MIN_SIZE 64: no 96
}

BOOST_AUTO_TEST_CASE(alignment_rules) {
    // slab_common.c calculate_alignment: SLAB_HWCACHE_ALIGN halves the 64-byte line while
    // the object fits in half; at least ARCH_SLAB_MINALIGN (8); an explicit align wins.
    Guest g;
    kmem_cache* a = kmem_cache_create("hw20", 20, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE);
    kmem_cache* b = kmem_cache_create("hw100", 100, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE);
    kmem_cache* c = kmem_cache_create("plain5", 5, 0, SLAB_NO_MERGE);
    kmem_cache* d = kmem_cache_create("al256", 40, 256, SLAB_NO_MERGE);
    BOOST_TEST(a->align == 32u);
    BOOST_TEST(b->align == 64u);
    BOOST_TEST(c->align == 8u);
    BOOST_TEST(d->align == 256u);
    for (kmem_cache* s : {a, b, c, d}) {
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_TEST(p % s->align == 0u, s->name);
        kmem_cache_free(s, p);
        kmem_cache_destroy(s);
    }
}

BOOST_AUTO_TEST_CASE(compatible_caches_merge_unless_told_not_to) {
    // slab_common.c find_mergeable: same size class, no ctor, no debug, not SLAB_NO_MERGE.
    Guest g;
    kmem_cache* k64 = find_kmem_cache("kmalloc-64");
    kmem_cache* m = kmem_cache_create("my_64", 64, 0, 0);
    BOOST_TEST(m == k64);
    BOOST_TEST(k64->refcount == 2);
    kmem_cache* n = kmem_cache_create("my_64_nomerge", 64, 0, SLAB_NO_MERGE);
    BOOST_TEST(n != k64);
    kmem_cache* r = kmem_cache_create("my_64_rz", 64, 0, SLAB_RED_ZONE);
    BOOST_TEST(r != k64);
    // 60 rounds up to the 8-byte alignment, 64: merged. 48 would waste 16 bytes: not merged.
    BOOST_TEST(kmem_cache_create("my_60", 60, 0, 0) == k64);
    kmem_cache_destroy(k64);
    kmem_cache* c = kmem_cache_create("my_48", 48, 0, 0);
    BOOST_TEST(c != k64);
    kmem_cache_destroy(m);  // drops the alias only
    BOOST_TEST(k64->refcount == 1);
    BOOST_TEST(find_kmem_cache("kmalloc-64") == k64);
    kmem_cache_destroy(n);
    kmem_cache_destroy(r);
    kmem_cache_destroy(c);
    BOOST_TEST(find_kmem_cache("my_64_nomerge") == nullptr);
    BOOST_TEST(find_kmem_cache("my_48") == nullptr);
}

BOOST_AUTO_TEST_CASE(slab_nomerge_keeps_caches_apart) {
    MmConfig cfg = Guest::small();
    cfg.slab_nomerge = true;
    Guest g(cfg);
    kmem_cache* m = kmem_cache_create("my_64", 64, 0, 0);
    BOOST_TEST(m != find_kmem_cache("kmalloc-64"));
    kmem_cache_destroy(m);
}

BOOST_AUTO_TEST_CASE(bad_cache_parameters_fail_cleanly) {
    Guest g;
    BOOST_TEST(kmem_cache_create("zero", 0, 0, 0) == nullptr);
    BOOST_TEST(kmem_cache_create("odd_align", 32, 24, 0) == nullptr);
    BOOST_TEST(kmem_cache_create("huge", 9 * MiB, 0, 0) == nullptr);
    BOOST_TEST(kmem_cache_create(nullptr, 32, 0, 0) == nullptr);
    BOOST_TEST(kmem_cache_create("flags", 32, 0, 0x40000000u) == nullptr);
    BOOST_TEST(g.logged("kmem_cache_create(zero) failed with error -22"));
    kmem_cache_destroy(nullptr);  // fine
    kmem_cache* s = test_cache("twice", 32, 0);
    kmem_cache_destroy(s);
    const unsigned long w = warn_count();
    kmem_cache_destroy(s);  // a double destroy is reported, not followed
    BOOST_TEST(warn_count() == w + 1);
    BOOST_TEST(kmem_cache_alloc(s, GFP_KERNEL) == 0u);
}

BOOST_AUTO_TEST_CASE(empty_slabs_beyond_min_partial_go_back_to_the_buddy) {
    // __slab_free: a slab whose inuse drops to 0 is discarded once the node keeps
    // min_partial (5 for small objects) partial slabs; shrink discards the rest.
    Guest g;
    kmem_cache* s = test_cache("churn", 512, 0);  // 8 objects per order-0 slab
    const unsigned long before = nr_free_pages();
    std::vector<uint32_t> objs;
    for (int i = 0; i < 8 * 20; ++i)
        objs.push_back(kmem_cache_alloc(s, GFP_KERNEL));
    BOOST_TEST(s->nr_slabs == 20u);
    BOOST_TEST(nr_free_pages() == before - 20);
    for (uint32_t p : objs)
        kmem_cache_free(s, p);
    BOOST_TEST(s->nr_partial <= s->min_partial);
    BOOST_TEST(s->min_partial == 5u);
    kmem_cache_shrink(s);
    BOOST_TEST(s->nr_slabs == 0u);
    BOOST_TEST(nr_free_pages() == before);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(bulk_allocation_is_all_or_nothing) {
    Guest g;
    kmem_cache* s = test_cache("bulk", 64, 0);
    uint32_t p[16] = {};
    BOOST_TEST(kmem_cache_alloc_bulk(s, GFP_KERNEL, 16, p) == 16);
    for (uint32_t x : p)
        BOOST_TEST(x != 0u);
    kmem_cache_free_bulk(s, 16, p);
    kmem_cache_destroy(s);
}

// ---- slabinfo
// --------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(slabinfo_has_linux_format) {
    // mm/slab_common.c: header "slabinfo - version: 2.1" and the column legend; per cache
    // "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu",
    // newest cache first, tunables 0 under SLUB, objsize = slot size. SLUB counts only the
    // free objects of partial slabs as free (CPU-slab objects show as active).
    Guest g;
    kmem_cache* s = test_cache("test_info", 100, 0);
    // 100 bytes -> slot 104 (8-byte alignment); order 0 (8 x 104 < 4 KiB, waste 40 <= 1/16);
    // 4096 / 104 = 39 objects.
    uint32_t p[3];
    for (uint32_t& x : p)
        x = kmem_cache_alloc(s, GFP_KERNEL);
    const std::string info = slabinfo();
    const std::string header =
        "slabinfo - version: 2.1\n"
        "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
        " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> "
        "<num_slabs> <sharedavail>\n";
    BOOST_TEST(info.substr(0, header.size()) == header);
    const std::string frozen =
        "test_info             39     39    104   39    1 : tunables    0    0    0 : slabdata "
        "     1      1      0\n";
    BOOST_TEST(info.substr(header.size(), frozen.size()) == frozen);
    kmem_cache_shrink(s);  // the CPU slab goes to the partial list: 36 free objects counted
    const std::string partial =
        "test_info              3     39    104   39    1 : tunables    0    0    0 : slabdata "
        "     1      1      0\n";
    BOOST_TEST(slabinfo().substr(header.size(), partial.size()) == partial);
    BOOST_TEST(info.find("kmalloc-8k") != std::string::npos);
    BOOST_TEST(info.find("kmalloc-8k") < info.find("kmalloc-64 "));  // newest first
    for (uint32_t x : p)
        kmem_cache_free(s, x);
    kmem_cache_destroy(s);
}

// ---- SLUB debug: lib/slub_kunit.c (linux-mm.md §14.2)
// -------------------------------------------------

BOOST_AUTO_TEST_CASE(test_clobber_zone) {
    // One byte into the right red zone of a live 64-byte object: validation reports 2
    // errors ("Redzone overwritten" and the restoring fix).
    Guest g;
    kmem_cache* s = test_cache("TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_TEST(g.cpu.peek8(p + 64) == SLUB_RED_ACTIVE);
    hal::this_cpu().store8(p + 64, 0x12);
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 2u);
    BOOST_TEST(slab_errors() == 2u);
    BOOST_TEST(g.logged("BUG TestSlub_RZ_alloc (Not tainted): Right Redzone overwritten"));
    BOOST_TEST(g.logged("First byte 0x12 instead of 0xcc"));
    BOOST_TEST(g.logged("FIX TestSlub_RZ_alloc: Restoring Right Redzone"));
    BOOST_TEST(g.cpu.peek8(p + 64) == SLUB_RED_ACTIVE);  // repaired
    BOOST_TEST(validate_slab_cache(s) == 0u);
    kmem_cache_free(s, p);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(test_next_pointer) {
    // Corrupt the free pointer of a freed object: 3 errors (freechain, object count, fix);
    // restore it: 2 (count, fix); a third validation: 0.
    Guest g;
    kmem_cache* s = test_cache("TestSlub_next_ptr_free", 64, SLAB_POISON);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    kmem_cache_free(s, p);
    const uint32_t ptr_addr = p + s->offset;
    const uint32_t tmp = g.cpu.peek32(ptr_addr);
    g.cpu.poke8(ptr_addr, static_cast<uint8_t>(~g.cpu.peek8(ptr_addr)));
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 3u);
    BOOST_TEST(g.logged("Freechain corrupt"));
    BOOST_TEST(g.logged("Wrong object count"));
    g.cpu.poke32(ptr_addr, tmp);
    BOOST_TEST(validate_slab_cache(s) == 2u);
    BOOST_TEST(validate_slab_cache(s) == 0u);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(test_first_word_and_50th_byte) {
    // Writes into a freed, poisoned object: 2 errors each ("Poison overwritten").
    Guest g;
    kmem_cache* s = test_cache("TestSlub_1th_word_free", 64, SLAB_POISON);
    uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    kmem_cache_free(s, p);
    // A freed poisoned object: 0x6b x 63, then 0xa5 (POISON_FREE, POISON_END).
    BOOST_TEST(g.cpu.peek8(p) == POISON_FREE);
    BOOST_TEST(g.cpu.peek8(p + 62) == POISON_FREE);
    BOOST_TEST(g.cpu.peek8(p + 63) == POISON_END);
    g.cpu.poke8(p, 0x78);
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 2u);
    BOOST_TEST(g.logged("Poison overwritten"));
    p = kmem_cache_alloc(s, GFP_KERNEL);
    kmem_cache_free(s, p);
    g.cpu.poke8(p + 50, 0x9a);
    BOOST_TEST(validate_slab_cache(s) == 2u);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(test_clobber_redzone_free) {
    // Writing the red zone after free: 2 errors (inactive red zone is 0xbb).
    Guest g;
    kmem_cache* s = test_cache("TestSlub_RZ_free", 64, SLAB_RED_ZONE);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    kmem_cache_free(s, p);
    BOOST_TEST(g.cpu.peek8(p + 64) == SLUB_RED_INACTIVE);
    g.cpu.poke8(p + 64, 0xab);
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 2u);
    BOOST_TEST(g.logged("First byte 0xab instead of 0xbb"));
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(test_kmalloc_redzone_access) {
    // kmalloc 18 bytes from a 32-byte SLAB_KMALLOC cache with orig_size tracking; writing
    // bytes 18-19 (inside the object, past the request) is detected: 2 errors.
    Guest g;
    kmem_cache* s =
        test_cache("TestSlub_RZ_kmalloc", 32, SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
    const uint32_t p = __kmalloc_cache(s, GFP_KERNEL, 18);
    BOOST_TEST(g.cpu.peek8(p + 18) == SLUB_RED_ACTIVE);
    g.cpu.poke8(p + 18, 0xab);
    g.cpu.poke8(p + 19, 0xab);
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 2u);
    BOOST_TEST(g.logged("kmalloc Redzone overwritten"));
    kmem_cache_free(s, p);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(test_leak_destroy) {
    // Destroying a cache with one live object: 2 errors ("Objects remaining ..." and the
    // object), a WARNING, and the cache stays.
    Guest g;
    kmem_cache* s = test_cache("TestSlub_leak_destroy", 64, 0);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    reset_slab_errors();
    const unsigned long w = warn_count();
    kmem_cache_destroy(s);
    BOOST_TEST(slab_errors() == 2u);
    BOOST_TEST(warn_count() == w + 1);
    BOOST_TEST(g.logged("Objects remaining in TestSlub_leak_destroy on __kmem_cache_shutdown()"));
    BOOST_TEST(find_kmem_cache("TestSlub_leak_destroy") == s);
    kmem_cache_free(s, p);  // still a working cache
}

BOOST_AUTO_TEST_CASE(test_krealloc_redzone_zeroing) {
    // With __GFP_ZERO: shrink 48->40 leaves bytes 40-63 as red zone (0xcc); grow to 56
    // zeroes 40-55 and keeps 56-63 red zone; grow to 112 moves to a 128-byte object, copies
    // 56 bytes and zeroes 56-111; no validation errors.
    Guest g;
    kmem_cache* s =
        test_cache("TestSlub_krealloc", 64, SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
    uint32_t p = __kmalloc_cache(s, GFP_KERNEL, 48);
    std::memset(g.cpu.host(p), 0xff, 48);
    p = krealloc(p, 40, GFP_KERNEL | __GFP_ZERO);
    for (unsigned i = 40; i < 64; ++i)
        BOOST_TEST(g.cpu.peek8(p + i) == SLUB_RED_ACTIVE);
    p = krealloc(p, 56, GFP_KERNEL | __GFP_ZERO);
    for (unsigned i = 40; i < 56; ++i)
        BOOST_TEST(g.cpu.peek8(p + i) == 0u);
    for (unsigned i = 56; i < 64; ++i)
        BOOST_TEST(g.cpu.peek8(p + i) == SLUB_RED_ACTIVE);
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 0u);
    std::memset(g.cpu.host(p), 0xff, 56);
    p = krealloc(p, 112, GFP_KERNEL | __GFP_ZERO);
    for (unsigned i = 0; i < 56; ++i)
        BOOST_TEST(g.cpu.peek8(p + i) == 0xffu);
    for (unsigned i = 56; i < 112; ++i)
        BOOST_TEST(g.cpu.peek8(p + i) == 0u);
    BOOST_TEST(ksize(p) == 128u);
    kfree(p);
    BOOST_TEST(slab_errors() == 0u);
    kmem_cache_destroy(s);
}

// ---- the frees the debug options (and KASAN) are meant to catch (linux-mm.md §14.4)
// ---------------

BOOST_AUTO_TEST_CASE(double_free_with_consistency_checks) {
    // kmem_cache_double_free: "Object already free", the object not freed again.
    Guest g;
    kmem_cache* s = test_cache("dbl", 64, SLAB_CONSISTENCY_CHECKS);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    const uint32_t q = kmem_cache_alloc(s, GFP_KERNEL);
    kmem_cache_free(s, p);
    kmem_cache_free(s, q);
    reset_slab_errors();
    kmem_cache_free(s, p);  // p is no longer the head of the freelist
    BOOST_TEST(slab_errors() == 2u);
    BOOST_TEST(g.logged("BUG dbl (Not tainted): Object already free"));
    BOOST_TEST(g.logged("FIX dbl: Object at 0x"));
    reset_slab_errors();
    BOOST_TEST(validate_slab_cache(s) == 0u);  // the freelist is intact
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(invalid_free_with_consistency_checks) {
    // kmem_cache_invalid_free: p + 1 is not an object: "Invalid object pointer".
    Guest g;
    kmem_cache* s = test_cache("inv", 64, SLAB_CONSISTENCY_CHECKS);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    reset_slab_errors();
    kmem_cache_free(s, p + 1);
    BOOST_TEST(slab_errors() == 2u);
    BOOST_TEST(g.logged("Invalid object pointer 0x"));
    kmem_cache_free(s, p);
    BOOST_TEST(validate_slab_cache(s) == 0u);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(free_checks_catch_a_redzone_overwrite_at_free) {
    // With F and Z, kmem_cache_free checks the object first: the overwrite is reported,
    // repaired, and the object is not freed ("Object at ... not freed").
    Guest g;
    kmem_cache* s = test_cache("fz", 64, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    g.cpu.poke8(p - 1, 0);  // the left red zone
    reset_slab_errors();
    kmem_cache_free(s, p);
    BOOST_TEST(g.logged("Left Redzone overwritten"));
    BOOST_TEST(g.logged("not freed"));
    BOOST_TEST(slab_errors() == 3u);
    kmem_cache_free(s, p);  // now clean: freed
    BOOST_TEST(slab_errors() == 3u);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(cheap_checks_without_debugging) {
    // Without debug flags a free of an interior pointer or of the object at the head of the
    // freelist is still refused and reported; the allocator keeps working.
    Guest g;
    kmem_cache* s = test_cache("cheap", 64, 0);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    reset_slab_errors();
    kmem_cache_free(s, p + 8);
    BOOST_TEST(g.logged("Invalid free of 0x"));
    kmem_cache_free(s, p);
    kmem_cache_free(s, p);
    BOOST_TEST(g.logged("Object already free"));
    BOOST_TEST(slab_errors() == 3u);
    const uint32_t a = kmem_cache_alloc(s, GFP_KERNEL);
    const uint32_t b = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_TEST(a != b);  // not handed out twice
    kmem_cache_free(s, a);
    kmem_cache_free(s, b);
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(a_corrupt_free_pointer_never_leads_outside_the_slab) {
    // A use-after-free write over the free pointer of a non-debug object: the pop notices
    // the pointer leaves the slab, reports "Freepointer corrupt", and takes a fresh slab.
    Guest g;
    kmem_cache* s = test_cache("uaf", 64, 0);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    kmem_cache_free(s, p);
    g.cpu.poke32(p + s->offset, 0x12345678);
    BOOST_TEST(kmem_cache_alloc(s, GFP_KERNEL) == p);
    const uint32_t q = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_TEST(q != 0u);
    BOOST_TEST(g.logged("Freepointer corrupt"));
    kmem_cache_free(s, p);
    kmem_cache_free(s, q);
}

BOOST_AUTO_TEST_CASE(store_user_tracks_the_owner) {
    Guest g;
    kmem_cache* s = test_cache("owner", 64, SLAB_STORE_USER | SLAB_RED_ZONE);
    const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
    g.cpu.poke8(p + 64, 0);
    validate_slab_cache(s);
    BOOST_TEST(g.logged("Allocated in 0x"));
    kmem_cache_free(s, p);
    g.cpu.poke8(p + 64, 0);
    validate_slab_cache(s);
    BOOST_TEST(g.logged("Freed in 0x"));
    kmem_cache_destroy(s);
}

BOOST_AUTO_TEST_CASE(slub_debug_boot_option) {
    // slub_debug=Z,kmalloc-64: red zones for kmalloc-64 only; slub_debug=FZPU: everything.
    {
        MmConfig cfg = Guest::small();
        cfg.slub_debug = "Z,kmalloc-64";
        Guest g(cfg);
        BOOST_TEST(find_kmem_cache("kmalloc-64")->flags == (SLAB_KMALLOC | SLAB_RED_ZONE));
        BOOST_TEST(!find_kmem_cache("kmalloc-128")->debug);
        const uint32_t p = kmalloc(64, GFP_KERNEL);
        g.cpu.poke8(p + 64, 1);
        BOOST_TEST(validate_slab_cache(find_kmem_cache("kmalloc-64")) == 2u);
        kfree(p);
    }
    {
        MmConfig cfg = Guest::small();
        cfg.slub_debug = "FZPU";
        Guest g(cfg);
        for (kmem_cache* s : g.mm->slab().caches())
            BOOST_TEST((s->flags & SLAB_DEBUG_FLAGS) ==
                       (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER));
        // kmalloc(100) on a debug kernel: bytes 100..127 are the kmalloc red zone.
        const uint32_t p = kmalloc(100, GFP_KERNEL);
        BOOST_TEST(g.cpu.peek8(p + 100) == SLUB_RED_ACTIVE);
        g.cpu.poke8(p + 100, 0);
        kfree(p);  // caught at free (F)
        BOOST_TEST(g.logged("kmalloc Redzone overwritten"));
    }
    slab_flags_t f;
    std::vector<std::string> names;
    SlabConfig::parse_slub_debug(",dentry", f, names);  // no letters: all of FZPU
    BOOST_TEST(f == (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER));
    BOOST_TEST(names == std::vector<std::string>{"dentry"});
    SlabConfig::parse_slub_debug("-", f, names);
    BOOST_TEST(f == 0u);
}
