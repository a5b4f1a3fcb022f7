#define BOOST_TEST_MODULE kmalloc
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <random>
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
    explicit Guest(MmConfig cfg = MmConfig{}) {
        old = set_printk_sink([this](int, const std::string& t) { log += t; });
        mm = std::make_unique<MemoryManager>(cfg);
        mm->boot();
    }
    ~Guest() {
        mm.reset();
        set_printk_sink(old);
    }
    bool logged(const std::string& s) const { return log.find(s) != std::string::npos; }
};

}  // namespace

BOOST_AUTO_TEST_CASE(size_classes_at_every_boundary) {
    // linux-mm.md §6.1 (ARMv7, KMALLOC_MIN_SIZE 64): 1-64 -> 64, 65-128 -> 128 (no 96),
    // 129-192 -> 192, then powers of two to 8 KiB; ksize is the bucket size.
    Guest g;
    const struct {
        size_t size;
        const char* cache;
        size_t ksize;
    } cases[] = {
        {1, "kmalloc-64", 64},      {8, "kmalloc-64", 64},      {64, "kmalloc-64", 64},
        {65, "kmalloc-128", 128},   {90, "kmalloc-128", 128},   {96, "kmalloc-128", 128},
        {97, "kmalloc-128", 128},   {100, "kmalloc-128", 128},  {128, "kmalloc-128", 128},
        {129, "kmalloc-192", 192},  {150, "kmalloc-192", 192},  {192, "kmalloc-192", 192},
        {193, "kmalloc-256", 256},  {256, "kmalloc-256", 256},  {257, "kmalloc-512", 512},
        {512, "kmalloc-512", 512},  {513, "kmalloc-1k", 1024},  {1024, "kmalloc-1k", 1024},
        {1025, "kmalloc-2k", 2048}, {2048, "kmalloc-2k", 2048}, {2049, "kmalloc-4k", 4096},
        {4096, "kmalloc-4k", 4096}, {4097, "kmalloc-8k", 8192}, {8192, "kmalloc-8k", 8192},
    };
    for (const auto& c : cases) {
        const uint32_t p = kmalloc(c.size, GFP_KERNEL);
        BOOST_REQUIRE(p);
        BOOST_TEST(virt_to_page(p)->slab_cache != nullptr);
        kmem_cache* s = g.mm->slab().kmalloc_slab(c.size);
        BOOST_TEST(s->name == c.cache, "kmalloc(" << c.size << ")");
        BOOST_TEST(ksize(p) == c.ksize, "kmalloc(" << c.size << ")");
        BOOST_TEST(kmalloc_size_roundup(c.size) == c.ksize);
        // At least 64-byte aligned; power-of-two sizes aligned to their size (§6.1).
        BOOST_TEST(p % 64 == 0u);
        if ((c.ksize & (c.ksize - 1)) == 0) BOOST_TEST(p % c.ksize == 0u);
        kfree(p);
    }
}

BOOST_AUTO_TEST_CASE(kmalloc_index_rule) {
    // __kmalloc_index (linux-mm.md §6.1): 0 -> 0; <= 64 -> 6; 129..192 -> 2; else ceil(log2).
    BOOST_TEST(kmalloc_index(0) == 0u);
    BOOST_TEST(kmalloc_index(1) == 6u);
    BOOST_TEST(kmalloc_index(64) == 6u);
    BOOST_TEST(kmalloc_index(65) == 7u);
    BOOST_TEST(kmalloc_index(96) == 7u);
    BOOST_TEST(kmalloc_index(128) == 7u);
    BOOST_TEST(kmalloc_index(129) == 2u);
    BOOST_TEST(kmalloc_index(192) == 2u);
    BOOST_TEST(kmalloc_index(193) == 8u);
    BOOST_TEST(kmalloc_index(8192) == 13u);
}

BOOST_AUTO_TEST_CASE(zero_size_and_null) {
    // kmalloc(0) returns ZERO_SIZE_PTR (16): not NULL, faults when dereferenced; kfree(NULL)
    // and kfree(ZERO_SIZE_PTR) are no-ops; ksize of either is 0 (linux-mm.md §6.2, §15).
    Guest g;
    const unsigned long free_before = nr_free_pages();
    BOOST_TEST(kmalloc(0, GFP_KERNEL) == 0x10u);
    BOOST_TEST(ZERO_OR_NULL_PTR(0x10));
    BOOST_TEST(!ZERO_OR_NULL_PTR(0x11));
    kfree(0);
    kfree(ZERO_SIZE_PTR);
    BOOST_TEST(ksize(0) == 0u);
    BOOST_TEST(ksize(ZERO_SIZE_PTR) == 0u);
    BOOST_CHECK_THROW(hal::this_cpu().load8(ZERO_SIZE_PTR), hal::GuestOops);
    BOOST_TEST(nr_free_pages() == free_before);
    BOOST_TEST(slab_errors() == 0u);
}

BOOST_AUTO_TEST_CASE(large_kmalloc_comes_from_the_buddy) {
    // 8193 .. KMALLOC_MAX_SIZE: page allocator, order get_order(size), __GFP_COMP,
    // page-aligned, ksize PAGE_SIZE << order (linux-mm.md §6.1, §15).
    Guest g;
    const unsigned long before = nr_free_pages();
    const uint32_t p = kmalloc(8193, GFP_KERNEL);
    BOOST_REQUIRE(p);
    BOOST_TEST(p % PAGE_SIZE == 0u);
    BOOST_TEST(ksize(p) == 16384u);
    page* pg = virt_to_page(p);
    BOOST_TEST(PageHead(pg));
    BOOST_TEST(!PageSlab(pg));
    BOOST_TEST(pg->large_kmalloc());
    BOOST_TEST(nr_free_pages() == before - 4);
    kfree(p);
    BOOST_TEST(nr_free_pages() == before);
    // The largest: KMALLOC_MAX_SIZE = 8 MiB (MAX_PAGE_ORDER 11).
    const uint32_t big = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
    BOOST_REQUIRE(big);
    BOOST_TEST(ksize(big) == KMALLOC_MAX_SIZE);
    kfree(big);
    // KMALLOC_MAX_SIZE + 1: NULL and a one-time WARN; silent with __GFP_NOWARN.
    const unsigned long w = warn_count();
    BOOST_TEST(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == 0u);
    BOOST_TEST(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == 0u);
    BOOST_TEST(warn_count() == w + 1);
    BOOST_TEST(nr_free_pages() == before);
}

BOOST_AUTO_TEST_CASE(kzalloc_zeroes_through_guest_stores) {
    Guest g;
    const uint32_t p = kmalloc(8, GFP_KERNEL);
    std::memset(g.cpu.host(p), 0xee, 64);
    kfree(p);
    g.cpu.reset_counters();
    const uint32_t q = kzalloc(8, GFP_KERNEL);
    BOOST_TEST(q == p);
    BOOST_TEST(g.cpu.filled_bytes() == 64u);  // the whole kmalloc-64 object
    for (unsigned i = 0; i < 64; ++i)
        BOOST_TEST(g.cpu.peek8(q + i) == 0u);
    kfree(q);
    const uint32_t c = kcalloc(10, 30, GFP_KERNEL);  // 300 bytes -> kmalloc-512, zeroed
    BOOST_TEST(ksize(c) == 512u);
    BOOST_TEST(g.cpu.peek8(c + 299) == 0u);
    kfree(c);
}

BOOST_AUTO_TEST_CASE(array_overflow_returns_null) {
    // kmalloc_array / kcalloc return NULL when n x size overflows (the guest's 32-bit size_t).
    Guest g;
    BOOST_TEST(kmalloc_array(0x10000, 0x10001, GFP_KERNEL) == 0u);
    BOOST_TEST(kcalloc(0x80000000u, 2, GFP_KERNEL) == 0u);
    const uint32_t p = kmalloc_array(4, 16, GFP_KERNEL);
    BOOST_TEST(ksize(p) == 64u);
    kfree(p);
}

BOOST_AUTO_TEST_CASE(krealloc_semantics) {
    // linux-mm.md §6.2: NULL -> kmalloc; size 0 -> frees and returns ZERO_SIZE_PTR; fits in
    // the bucket -> same pointer; else a new object with the old contents, the old freed;
    // failure -> NULL and p still valid.
    Guest g;
    uint32_t p = krealloc(0, 100, GFP_KERNEL);
    BOOST_TEST(ksize(p) == 128u);
    for (unsigned i = 0; i < 100; ++i)
        g.cpu.poke8(p + i, static_cast<uint8_t>(i));
    BOOST_TEST(krealloc(p, 120, GFP_KERNEL) == p);  // within the bucket
    const uint32_t q = krealloc(p, 1000, GFP_KERNEL);
    BOOST_TEST(q != p);
    BOOST_TEST(ksize(q) == 1024u);
    for (unsigned i = 0; i < 100; ++i)
        BOOST_TEST(g.cpu.peek8(q + i) == i);
    // The old object went back: the next kmalloc-128 allocation reuses it.
    const uint32_t r = kmalloc(100, GFP_KERNEL);
    BOOST_TEST(r == p);
    kfree(r);
    BOOST_TEST(krealloc(q, 16 * MiB, GFP_KERNEL | __GFP_NOWARN) == 0u);
    BOOST_TEST(g.cpu.peek8(q + 99) == 99u);  // still valid
    BOOST_TEST(krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
    // krealloc with __GFP_ZERO inside the bucket zeroes from the new size to its end.
    uint32_t z = kmalloc(100, GFP_KERNEL);
    std::memset(g.cpu.host(z), 0xff, 128);
    z = krealloc(z, 50, GFP_KERNEL | __GFP_ZERO);
    for (unsigned i = 50; i < 128; ++i)
        BOOST_TEST(g.cpu.peek8(z + i) == 0u);
    BOOST_TEST(g.cpu.peek8(z + 49) == 0xffu);
    // Large: grow copies the whole old allocation.
    uint32_t l = kmalloc(10000, GFP_KERNEL);
    g.cpu.poke8(l + 9999, 0x42);
    l = krealloc(l, 100000, GFP_KERNEL);
    BOOST_TEST(g.cpu.peek8(l + 9999) == 0x42u);
    kfree(l);
    kfree(z);
    BOOST_TEST(slab_errors() == 0u);
}

BOOST_AUTO_TEST_CASE(kfree_sensitive_zeroes_ksize_bytes) {
    Guest g;
    const uint32_t p = kmalloc(100, GFP_KERNEL);
    std::memset(g.cpu.host(p), 0x5e, 128);
    g.cpu.reset_counters();
    kfree_sensitive(p);
    BOOST_TEST(g.cpu.filled_bytes() == 128u);
    BOOST_TEST(g.cpu.peek8(p + 127) == 0u);
}

BOOST_AUTO_TEST_CASE(bad_kfrees_are_reported_and_the_kernel_goes_on) {
    // Interior pointers, double frees, non-kmalloc pages (linux-mm.md §6.2, §14.4
    // kmalloc_large_invalid_free) are reported; nothing is freed; nothing crashes.
    Guest g;
    const uint32_t p = kmalloc(100, GFP_KERNEL);
    kfree(p + 4);
    BOOST_TEST(g.logged("Invalid free of 0x"));
    kfree(p);
    kfree(p);
    BOOST_TEST(g.logged("Object already free"));
    const uint32_t big = kmalloc(20000, GFP_KERNEL);
    kfree(big + 1);
    BOOST_TEST(g.logged("not the start of a large kmalloc"));
    kfree(big);
    const uint32_t page = __get_free_page(GFP_KERNEL);
    kfree(page);  // a page-allocator page, not kmalloc
    BOOST_TEST(g.logged("Not a kmalloc allocation"));
    kfree(0xE0900000);  // vmalloc space
    BOOST_TEST(g.logged("not a linear-map"));
    free_page(page);
    const uint32_t a = kmalloc(100, GFP_KERNEL);
    const uint32_t b = kmalloc(100, GFP_KERNEL);
    BOOST_TEST(a != b);
    kfree(a);
    kfree(b);
}

BOOST_AUTO_TEST_CASE(kfree_via_page_and_via_phys_are_fine) {
    // KASAN's "must not report" cases (linux-mm.md §14.4): the same object reached through
    // page_address(virt_to_page(p)) + offset, or phys_to_virt(virt_to_phys(p)).
    Guest g;
    const uint32_t p = kmalloc(100, GFP_KERNEL);
    kfree(page_address(virt_to_page(p)) + (p & ~PAGE_MASK));
    const uint32_t q = kmalloc(100, GFP_KERNEL);
    kfree(phys_to_virt(virt_to_phys(q)));
    BOOST_TEST(slab_errors() == 0u);
}

// ---- lib/test_meminit.c (linux-mm.md §14.3)
// ----------------------------------------------------------

namespace {

MmConfig meminit_config(bool on_alloc, bool on_free) {
    MmConfig c;
    c.ram_size = 128 * MiB;
    c.kernel_size = 4 * MiB;
    c.cma_size = 0;
    c.init_on_alloc = on_alloc;
    c.init_on_free = on_free;
    return c;
}

bool all_zero(vp::test::FakeCpu& cpu, uint32_t p, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (cpu.peek8(p + static_cast<uint32_t>(i))) return false;
    return true;
}

void meminit_suite(bool on_alloc, bool on_free) {
    Guest g(meminit_config(on_alloc, on_free));
    // test_pages: for each order, alloc, fill with garbage, free, realloc: all zero.
    for (unsigned order = 0; order <= 10; ++order) {
        const size_t n = static_cast<size_t>(PAGE_SIZE) << order;
        uint32_t p = __get_free_pages(GFP_KERNEL, order);
        std::memset(g.cpu.host(p), 0x3c, n);
        free_pages(p, order);
        p = __get_free_pages(GFP_KERNEL, order);
        BOOST_TEST(all_zero(g.cpu, p, n), "order " << order);
        free_pages(p, order);
    }
    // test_kvmalloc (the kmalloc half): sizes 2^0 .. 2^19.
    for (unsigned shift = 0; shift <= 19; ++shift) {
        const size_t size = size_t{1} << shift;
        uint32_t p = kmalloc(size, GFP_KERNEL);
        std::memset(g.cpu.host(p), 0x3c, size);
        kfree(p);
        p = kmalloc(size, GFP_KERNEL);
        BOOST_TEST(all_zero(g.cpu, p, size), "kmalloc " << size);
        kfree(p);
    }
    // test_kmemcache: caches of 8..4096 bytes with and without ctor: new objects are zero,
    // ctor bytes always equal the ctor pattern.
    for (unsigned size = 8; size <= 4096; size *= 2) {
        for (bool with_ctor : {false, true}) {
            kmem_ctor_t ctor;
            if (with_ctor) ctor = [size](uint32_t obj) { hal::this_cpu().fill(obj, 0x1f, size); };
            kmem_cache* s = kmem_cache_create("test_cache", size, 0, SLAB_NO_MERGE, ctor);
            uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
            if (!with_ctor) std::memset(g.cpu.host(p), 0x3c, size);
            kmem_cache_free(s, p);
            p = kmem_cache_alloc(s, GFP_KERNEL);
            bool ok = true;
            for (unsigned i = 0; i < size; ++i)
                ok &= g.cpu.peek8(p + i) == (with_ctor ? 0x1f : 0);
            BOOST_TEST(ok, "cache " << size << (with_ctor ? " with ctor" : ""));
            kmem_cache_free(s, p);
            kmem_cache_destroy(s);
        }
    }
    // SLAB_TYPESAFE_BY_RCU objects are not wiped by free (test_rcu_persistent).
    kmem_cache* rcu = kmem_cache_create("rcu_cache", 64, 0, SLAB_TYPESAFE_BY_RCU);
    uint32_t a = kmem_cache_alloc(rcu, GFP_KERNEL);
    uint32_t b = kmem_cache_alloc(rcu, GFP_KERNEL);  // keeps the slab alive
    g.cpu.poke32(a, 0xDEADBEEF);
    kmem_cache_free(rcu, a);
    BOOST_TEST(g.cpu.peek32(a) == 0xDEADBEEFu);
    kmem_cache_free(rcu, b);
    kmem_cache_destroy(rcu);
}

}  // namespace

BOOST_AUTO_TEST_CASE(test_meminit_init_on_alloc) {
    meminit_suite(true, false);
}

BOOST_AUTO_TEST_CASE(test_meminit_init_on_free) {
    meminit_suite(false, true);
}

// ---- invariant stress test
// ---------------------------------------------------------------------------

namespace {

void stress(const MmConfig& cfg, unsigned seed, unsigned steps, bool highmem_pages = false) {
    Guest g(cfg);
    const unsigned long free_start = nr_free_pages();
    const std::string buddy_start = g.mm->pages().buddyinfo();
    std::mt19937 rng(seed);
    struct Obj {
        enum Kind { kmalloc_obj, cache_obj, pages_obj } kind;
        uint32_t addr;
        page* pg;
        unsigned order;
        kmem_cache* cache;
        uint32_t size;
    };
    std::vector<kmem_cache*> caches = {
        kmem_cache_create("stress_24", 24, 0, 0),
        kmem_cache_create("stress_100_hw", 100, 0, SLAB_HWCACHE_ALIGN),
        kmem_cache_create("stress_700", 700, 0, SLAB_NO_MERGE),
        kmem_cache_create("stress_ctor", 200, 0, 0,
                          [](uint32_t o) { hal::this_cpu().store32(o, 7); }),
    };
    std::vector<Obj> live;
    auto check_pattern = [&](const Obj& o) {
        if (o.kind == Obj::pages_obj) return;
        BOOST_REQUIRE_EQUAL(g.cpu.peek32(o.addr), o.addr ^ 0x5A5A5A5Au);
    };
    for (unsigned step = 0; step < steps; ++step) {
        const bool do_alloc = live.empty() || rng() % 100 < 55;
        if (do_alloc) {
            Obj o{};
            const unsigned what = rng() % 10;
            if (what < 6) {
                o.kind = Obj::kmalloc_obj;
                const unsigned r = rng() % 100;
                o.size = r < 85 ? 4 + rng() % 1024
                                : (r < 97 ? 1025 + rng() % 8192 : 8193 + rng() % 70000);
                o.addr = kmalloc(o.size, (rng() & 1) ? GFP_KERNEL : GFP_ATOMIC);
            } else if (what < 9) {
                o.kind = Obj::cache_obj;
                o.cache = caches[rng() % caches.size()];
                o.size = o.cache->object_size;
                o.addr = kmem_cache_alloc(o.cache, GFP_KERNEL);
            } else {
                o.kind = Obj::pages_obj;
                o.order = rng() % 5;
                const gfp_t gfp = (highmem_pages && (rng() & 1)) ? GFP_HIGHUSER : GFP_KERNEL;
                o.pg = alloc_pages(gfp | __GFP_NOWARN, o.order);
                if (!o.pg) continue;
                o.addr = page_to_pfn(o.pg);  // highmem pages have no address
            }
            BOOST_REQUIRE(o.addr);
            if (o.kind != Obj::pages_obj) g.cpu.poke32(o.addr, o.addr ^ 0x5A5A5A5Au);
            live.push_back(o);
        } else {
            const size_t i = rng() % live.size();
            const Obj o = live[i];
            live[i] = live.back();
            live.pop_back();
            check_pattern(o);
            if (o.kind == Obj::kmalloc_obj) {
                if (rng() % 8 == 0) {  // sometimes grow or shrink first
                    const uint32_t n = krealloc(o.addr, 1 + rng() % 3000, GFP_KERNEL);
                    BOOST_REQUIRE(n);
                    BOOST_REQUIRE_EQUAL(g.cpu.peek32(n), o.addr ^ 0x5A5A5A5Au);
                    kfree(n);
                } else {
                    kfree(o.addr);
                }
            } else if (o.kind == Obj::cache_obj) {
                kmem_cache_free(o.cache, o.addr);
            } else {
                __free_pages(o.pg, o.order);
            }
        }
    }
    for (const Obj& o : live) {
        check_pattern(o);
        if (o.kind == Obj::kmalloc_obj)
            kfree(o.addr);
        else if (o.kind == Obj::cache_obj)
            kmem_cache_free(o.cache, o.addr);
        else
            __free_pages(o.pg, o.order);
    }
    for (kmem_cache* s : g.mm->slab().caches())
        BOOST_TEST(validate_slab_cache(s) == 0u, s->name);
    for (kmem_cache* s : caches)
        kmem_cache_destroy(s);
    for (kmem_cache* s : g.mm->slab().caches())
        kmem_cache_shrink(s);
    BOOST_TEST(slab_errors() == 0u);
    BOOST_TEST(g.mm->pages().bad_pages() == 0u);
    // Exact page accounting: every page is back in the buddy, merged as at boot.
    BOOST_TEST(nr_free_pages() == free_start);
    BOOST_TEST(g.mm->pages().buddyinfo() == buddy_start);
    for (const kmem_cache* s : g.mm->slab().caches())
        BOOST_TEST(s->nr_slabs == 0u, s->name);
}

}  // namespace

BOOST_AUTO_TEST_CASE(stress_all_pages_return_to_the_buddy) {
    MmConfig cfg;
    cfg.ram_size = 128 * MiB;
    cfg.cma_size = 0;
    stress(cfg, 12345, 200000);
}

BOOST_AUTO_TEST_CASE(stress_with_full_slub_debugging) {
    MmConfig cfg;
    cfg.ram_size = 128 * MiB;
    cfg.cma_size = 0;
    cfg.slub_debug = "FZPU";
    stress(cfg, 777, 30000);
}

BOOST_AUTO_TEST_CASE(stress_with_init_on_free) {
    MmConfig cfg;
    cfg.ram_size = 64 * MiB;
    cfg.kernel_size = 4 * MiB;
    cfg.cma_size = 0;
    cfg.init_on_free = true;
    stress(cfg, 4242, 30000);
}

BOOST_AUTO_TEST_CASE(stress_with_highmem) {
    // The 1 GiB EVM with `vmalloc=960M`: 48 MiB of lowmem, the rest highmem.
    MmConfig cfg;
    cfg.ram_size = 1024 * MiB;
    cfg.vmalloc_size = 960 * MiB;
    cfg.kernel_size = 4 * MiB;
    cfg.cma_size = 0;
    stress(cfg, 99, 60000, /*highmem_pages=*/true);
}
