// The kernel's SLUB test suites on the real platform: the guest kernel booted on the Cortex-A8
// model (tests/support/guest_machine.h), every load and store through the simulated MMU. The
// unit tests (tests/unit/slub_test.cpp, kmalloc_test.cpp) check the same suites on the flat
// FakeCpu; here every corruption is a guest store at a virtual address, every check a guest
// load, and each case ends by showing that the kernel (and the simulation) goes on.
//
// Expected values and texts are Linux's:
//  - lib/tests/slub_kunit.c (linux-mm.md §14.2): the slab error counts of each case. Linux's
//    count is slab_add_kunit_errors(), called once by each object_err(), slab_err() and
//    slab_fix(); check_bytes_and_report() counts the report and restore_bytes()'s slab_fix,
//    so one damaged area is 2 errors.
//  - mm/slub.c report texts: slab_bug() "BUG <cache> (<taint>): <what>", check_bytes_and_report()
//    "<what> overwritten" / "First byte 0x.. instead of 0x..", restore_bytes()
//    "FIX <cache>: Restoring <what> ...", on_freelist() "Freechain corrupt" / "Wrong object
//    count", free_consistency_checks() "Invalid object pointer 0x..." / "Object already free",
//    free_debug_processing() "Object at 0x... not freed", __kmem_cache_shutdown()
//    "Objects remaining in <cache> on __kmem_cache_shutdown()".
//  - include/linux/poison.h (linux-mm.md §6.3): POISON_FREE 0x6b, POISON_END 0xa5,
//    SLUB_RED_ACTIVE 0xcc, SLUB_RED_INACTIVE 0xbb.
//  - lib/test_meminit.c (linux-mm.md §14.3) with init_on_alloc=1 and with init_on_free=1.
//  - mm/kasan/kasan_test_c.c (linux-mm.md §14.4): the bug classes that slub_debug=FZPU also
//    catches (writes into red zones, writes into freed poisoned objects, double and invalid
//    frees) and the ones it cannot see (see the comment before the KASAN section).
#define BOOST_TEST_MODULE slub_platform
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "sw/arch/arm/fault.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/gfp.h"
#include "sw/mm/memory.h"
#include "sw/mm/mm.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/printk_capture.h"
#include "tests/support/sim_context.h"

using namespace kernel;

namespace {

// A smaller board for the test_meminit runs: init_on_free wipes every page released at boot
// (linux-mm.md §13), and 128 MiB is enough for test_meminit's largest block (order 10).
constexpr uint64_t kMeminitDdrBytes = 128ull << 20;
constexpr uint32_t kPattern = 0x600DF00Du;
constexpr uint8_t kGarbage = 0x3c;

// The kernel goes on after a report (SLUB repairs what it reports and continues; linux-mm.md
// §13, §6.3): a new kmalloc object, a kmem_cache object and a page work through the MMU, and
// a clean allocation and free report nothing.
void kernel_goes_on(hal::Cpu& c) {
    const unsigned long errors = slab_errors();
    const uint32_t p = kmalloc(100, GFP_KERNEL);
    BOOST_REQUIRE(p != 0u);
    c.store32(p, kPattern);
    BOOST_TEST(c.load32(p) == kPattern);
    kmem_cache* s = kmem_cache_create("goes_on", 48, 0, SLAB_NO_MERGE);
    BOOST_REQUIRE(s != nullptr);
    const uint32_t o = kmem_cache_alloc(s, GFP_KERNEL);
    BOOST_REQUIRE(o != 0u);
    c.store32(o + 44, kPattern);
    BOOST_TEST(c.load32(o + 44) == kPattern);
    kmem_cache_free(s, o);
    kmem_cache_destroy(s);
    const uint32_t pg = __get_free_page(GFP_KERNEL);
    BOOST_REQUIRE(pg != 0u);
    c.store32(pg + PAGE_SIZE - 4, kPattern);
    BOOST_TEST(c.load32(pg + PAGE_SIZE - 4) == kPattern);
    free_page(pg);
    kfree(p);
    BOOST_TEST(slab_errors() == errors);
}

// Boots the guest kernel on the CPU model with the boot options `configure` sets, runs `body`,
// then kernel_goes_on(); checks afterwards that the guest ran to its end.
void on_kernel(const std::function<void(MmConfig&)>& configure,
               const std::function<void(hal::Cpu&, System&)>& body,
               uint64_t ddr_bytes = vp::test::kBbbDdrBytes) {
    vp::test::GuestMachine m(ddr_bytes);
    bool finished = false;
    m.run([&](hal::Cpu& c) {
        BootInfo info = vp::test::boot_info("TI AM335x BeagleBone Black", ddr_bytes);
        configure(info.mm);
        System sys(info);
        body(c, sys);
        kernel_goes_on(c);
        finished = true;
    });
    BOOST_TEST(finished);
}

void no_options(MmConfig&) {}
void slub_debug_fzpu(MmConfig& mm) {
    mm.slub_debug = "FZPU";
}

// lib/tests/slub_kunit.c test_kmem_cache_create(): the test's own debug flags plus
// SLAB_NO_USER_FLAGS, so the slub_debug= boot option does not apply.
kmem_cache* test_kmem_cache_create(const char* name, unsigned size, slab_flags_t flags) {
    return kmem_cache_create(name, size, 0, flags | SLAB_NO_USER_FLAGS);
}

// Guest loads through the MMU: true when all `n` bytes at `va` are zero.
bool all_zero(hal::Cpu& c, uint32_t va, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        if (c.load32(va + static_cast<uint32_t>(i))) return false;
    for (; i < n; ++i)
        if (c.load8(va + static_cast<uint32_t>(i))) return false;
    return true;
}

// All bytes of [va, va + n) except the 4-byte free pointer at `fp_offset` are zero.
bool zero_except_free_pointer(hal::Cpu& c, uint32_t va, size_t n, unsigned fp_offset) {
    for (uint32_t i = 0; i < n; ++i) {
        if (i >= fp_offset && i < fp_offset + kGuestPointerSize) continue;
        if (c.load8(va + i)) return false;
    }
    return true;
}

unsigned u(uint8_t b) {
    return b;
}

// A slab_bug() line, "BUG <cache> (<taint>): <what>..." (the taint part, print_tainted()'s,
// is not checked).
bool has_bug(const vp::test::PrintkCapture& log, const std::string& cache,
             const std::string& what) {
    const std::string head = "BUG " + cache + " (";
    for (size_t pos = log.text.find(head); pos != std::string::npos;
         pos = log.text.find(head, pos + 1)) {
        const size_t eol = log.text.find('\n', pos);
        if (log.text.substr(pos, eol - pos).find("): " + what) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

// ==== lib/tests/slub_kunit.c (linux-mm.md §14.2) ==============================================

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_clobber_zone, vp::test::FreshSim) {
    // One byte into the right red zone of a live 64-byte object: validate_slab_cache()
    // reports 2 errors ("Right Redzone overwritten" and the restoring fix).
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(u(c.load8(p + 64)) == u(SLUB_RED_ACTIVE));  // a live object's red zone
        c.store8(p + 64, 0x12);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);  // both reported against this cache
        BOOST_TEST(log.has("BUG TestSlub_RZ_alloc (Not tainted): Right Redzone overwritten"));
        BOOST_TEST(log.has("First byte 0x12 instead of 0xcc"));
        BOOST_TEST(log.has("FIX TestSlub_RZ_alloc: Restoring Right Redzone"));
        // restore_bytes() put 0xcc back: a second validation finds nothing.
        BOOST_TEST(u(c.load8(p + 64)) == u(SLUB_RED_ACTIVE));
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 0u);
        kmem_cache_free(s, p);
        kmem_cache_destroy(s);
        BOOST_TEST(find_kmem_cache("TestSlub_RZ_alloc") == nullptr);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_next_pointer, vp::test::FreshSim) {
    // Flip the low byte of a freed object's free pointer (p[s->offset] = ~p[s->offset]):
    // 3 errors (Freechain corrupt, wrong object count, its fix); restore the pointer: 2 (the
    // count repaired by the first run is now wrong the other way, and its fix); a third
    // validation: 0.
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_next_ptr_free", 64, SLAB_POISON);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kmem_cache_free(s, p);
        const uint32_t ptr_addr = p + s->offset;
        const uint32_t tmp = c.load32(ptr_addr);
        c.store8(ptr_addr, static_cast<uint8_t>(~c.load8(ptr_addr)));
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 3u);
        BOOST_TEST(has_bug(log, "TestSlub_next_ptr_free", "Freechain corrupt"));
        BOOST_TEST(log.has("Wrong object count"));
        c.store32(ptr_addr, tmp);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 2u);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 0u);
        BOOST_TEST(s->errors == 5u);
        kmem_cache_destroy(s);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_first_word, vp::test::FreshSim) {
    // A write to byte 0 of a freed, poisoned object: 2 errors ("Poison overwritten").
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_1th_word_free", 64, SLAB_POISON);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kmem_cache_free(s, p);
        // A freed poisoned object reads 0x6b ... 0x6b 0xa5 (POISON_FREE, POISON_END).
        BOOST_TEST(u(c.load8(p)) == u(POISON_FREE));
        BOOST_TEST(u(c.load8(p + 62)) == u(POISON_FREE));
        BOOST_TEST(u(c.load8(p + 63)) == u(POISON_END));
        c.store8(p, 0x78);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);
        BOOST_TEST(has_bug(log, "TestSlub_1th_word_free", "Poison overwritten"));
        BOOST_TEST(log.has("First byte 0x78 instead of 0x6b"));
        BOOST_TEST(u(c.load8(p)) == u(POISON_FREE));  // restored
        kmem_cache_destroy(s);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_clobber_50th_byte, vp::test::FreshSim) {
    // A write to byte 50 of a freed, poisoned object: 2 errors.
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_50th_word_free", 64, SLAB_POISON);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kmem_cache_free(s, p);
        c.store8(p + 50, 0x9a);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);
        BOOST_TEST(has_bug(log, "TestSlub_50th_word_free", "Poison overwritten"));
        BOOST_TEST(log.has("First byte 0x9a instead of 0x6b"));
        kmem_cache_destroy(s);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_clobber_redzone_free, vp::test::FreshSim) {
    // A write into the red zone after free (the inactive red zone is 0xbb): 2 errors.
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_RZ_free", 64, SLAB_RED_ZONE);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kmem_cache_free(s, p);
        BOOST_TEST(u(c.load8(p + 64)) == u(SLUB_RED_INACTIVE));
        c.store8(p + 64, 0xab);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);
        BOOST_TEST(has_bug(log, "TestSlub_RZ_free", "Right Redzone overwritten"));
        BOOST_TEST(log.has("First byte 0xab instead of 0xbb"));
        kmem_cache_destroy(s);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_kmalloc_redzone_access, vp::test::FreshSim) {
    // kmalloc 18 bytes from a 32-byte SLAB_KMALLOC cache that records the requested size
    // (SLAB_STORE_USER): writing bytes 18 and 19 (inside the object, past the request) is
    // found by validation: 2 errors ("kmalloc Redzone overwritten").
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_RZ_kmalloc", 32,
                                               SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = __kmalloc_cache(s, GFP_KERNEL, 18);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(u(c.load8(p + 18)) == u(SLUB_RED_ACTIVE));
        BOOST_TEST(u(c.load8(p + 31)) == u(SLUB_RED_ACTIVE));
        c.store8(p + 18, 0xab);
        c.store8(p + 19, 0xab);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);
        BOOST_TEST(has_bug(log, "TestSlub_RZ_kmalloc", "kmalloc Redzone overwritten"));
        BOOST_TEST(log.has("First byte 0xab instead of 0xcc"));
        kmem_cache_free(s, p);
        kmem_cache_destroy(s);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_leak_destroy, vp::test::FreshSim) {
    // kmem_cache_destroy() of a cache with one live object: 2 errors (linux-mm.md §14.2),
    // "Objects remaining in <cache> on __kmem_cache_shutdown()" (list_slab_objects()), the
    // WARN of kmem_cache_destroy(), and the cache is not destroyed (linux-mm.md §6.2:
    // "reports ... and leaks the cache").
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_leak_destroy", 64, SLAB_NO_MERGE);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        c.store32(p, kPattern);
        reset_slab_errors();
        const unsigned long warnings = warn_count();
        kmem_cache_destroy(s);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(warn_count() == warnings + 1);
        BOOST_TEST(
            log.has("Objects remaining in TestSlub_leak_destroy on __kmem_cache_shutdown()"));
        BOOST_TEST(find_kmem_cache("TestSlub_leak_destroy") == s);
        BOOST_TEST(c.load32(p) == kPattern);  // the leaked object is untouched
        kmem_cache_free(s, p);
    });
}

BOOST_FIXTURE_TEST_CASE(slub_kunit_test_krealloc_redzone_zeroing, vp::test::FreshSim) {
    // With __GFP_ZERO: shrinking 48 -> 40 makes bytes 40-63 red zone (0xcc); growing to 56
    // zeroes 40-55 and keeps 56-63 red zone; no validation error; growing to 112 moves to a
    // 128-byte kmalloc object, copies 56 bytes and zeroes 56-111.
    vp::test::PrintkCapture log;  // keeps the boot log off stderr
    on_kernel(no_options, [&](hal::Cpu& c, System&) {
        kmem_cache* s = test_kmem_cache_create("TestSlub_krealloc", 64,
                                               SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
        BOOST_REQUIRE(s != nullptr);
        uint32_t p = __kmalloc_cache(s, GFP_KERNEL, 48);
        BOOST_REQUIRE(p != 0u);
        c.fill(p, 0xff, 48);
        p = krealloc(p, 40, GFP_KERNEL | __GFP_ZERO);
        BOOST_REQUIRE(p != 0u);
        for (uint32_t i = 40; i < 64; ++i)
            BOOST_TEST(u(c.load8(p + i)) == u(SLUB_RED_ACTIVE), "byte " << i);
        p = krealloc(p, 56, GFP_KERNEL | __GFP_ZERO);
        BOOST_REQUIRE(p != 0u);
        for (uint32_t i = 40; i < 56; ++i)
            BOOST_TEST(u(c.load8(p + i)) == 0u, "byte " << i);
        for (uint32_t i = 56; i < 64; ++i)
            BOOST_TEST(u(c.load8(p + i)) == u(SLUB_RED_ACTIVE), "byte " << i);
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 0u);
        c.fill(p, 0xff, 56);
        p = krealloc(p, 112, GFP_KERNEL | __GFP_ZERO);
        BOOST_REQUIRE(p != 0u);
        for (uint32_t i = 0; i < 56; ++i)
            BOOST_TEST(u(c.load8(p + i)) == 0xffu, "byte " << i);
        for (uint32_t i = 56; i < 112; ++i)
            BOOST_TEST(u(c.load8(p + i)) == 0u, "byte " << i);
        BOOST_TEST(ksize(p) == 128u);  // kmalloc-128 (linux-mm.md §6.1)
        kfree(p);
        BOOST_TEST(slab_errors() == 0u);
        kmem_cache_destroy(s);
    });
}

// ==== double and invalid frees (kasan_test_c.c kmem_cache_double_free, kmem_cache_invalid_free;
// slub_debug F: free_consistency_checks) ======================================================

BOOST_FIXTURE_TEST_CASE(kmem_cache_double_free_is_object_already_free, vp::test::FreshSim) {
    // The object is on the slab's freelist (not its head: another free came after it):
    // object_err("Object already free") and slab_fix("Object at 0x... not freed"): 2 errors;
    // the freelist stays intact (validation finds nothing) and the object is handed out once.
    // SLAB_NO_MERGE: F alone is not in slab_common.c's SLAB_NEVER_MERGE, so without it Linux
    // (and this kernel) would alias the cache to kmalloc-64, which has no checks.
    vp::test::PrintkCapture log;
    on_kernel(no_options, [&](hal::Cpu&, System&) {
        kmem_cache* s =
            test_kmem_cache_create("dbl_free", 64, SLAB_CONSISTENCY_CHECKS | SLAB_NO_MERGE);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        const uint32_t q = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_REQUIRE(q != 0u);
        kmem_cache_free(s, p);
        kmem_cache_free(s, q);
        reset_slab_errors();
        kmem_cache_free(s, p);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);
        BOOST_TEST(has_bug(log, "dbl_free", "Object already free"));
        BOOST_TEST(log.has("FIX dbl_free: Object at 0x"));
        BOOST_TEST(log.has("not freed"));
        reset_slab_errors();
        validate_slab_cache(s);
        BOOST_TEST(slab_errors() == 0u);
        const uint32_t a = kmem_cache_alloc(s, GFP_KERNEL);
        const uint32_t b = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_TEST(a != b);
        kmem_cache_free(s, a);
        kmem_cache_free(s, b);
        kmem_cache_destroy(s);
    });
}

BOOST_FIXTURE_TEST_CASE(kmalloc_double_free_with_slub_debug, vp::test::FreshSim) {
    // slub_debug=FZPU: kfree twice (kasan_test_c.c kmalloc_double_kzfree's class): "Object
    // already free" on the kmalloc-64 cache, 2 errors, nothing freed twice.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu&, System&) {
        const uint32_t p = kmalloc(10, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kfree(p);
        reset_slab_errors();
        kfree(p);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(has_bug(log, "kmalloc-64", "Object already free"));
        BOOST_TEST(log.has("FIX kmalloc-64: Object at 0x"));
        const uint32_t a = kmalloc(10, GFP_KERNEL);
        const uint32_t b = kmalloc(10, GFP_KERNEL);
        BOOST_TEST(a != b);
        kfree(a);
        kfree(b);
    });
}

BOOST_FIXTURE_TEST_CASE(invalid_free_is_an_invalid_object_pointer, vp::test::FreshSim) {
    // kmem_cache_invalid_free: freeing p + 1 (not an object start) with F: slab_err("Invalid
    // object pointer 0x...") and slab_fix("... not freed"): 2 errors; the same through kfree
    // on a slub_debug=FZPU kernel. The real object is still live and frees cleanly.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu&, System&) {
        kmem_cache* s =
            test_kmem_cache_create("inv_free", 64, SLAB_CONSISTENCY_CHECKS | SLAB_NO_MERGE);
        BOOST_REQUIRE(s != nullptr);
        const uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        reset_slab_errors();
        kmem_cache_free(s, p + 1);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(s->errors == 2u);
        BOOST_TEST(has_bug(log, "inv_free", "Invalid object pointer 0x"));
        kmem_cache_free(s, p);
        BOOST_TEST(slab_errors() == 2u);
        kmem_cache_destroy(s);

        const uint32_t k = kmalloc(100, GFP_KERNEL);
        BOOST_REQUIRE(k != 0u);
        reset_slab_errors();
        kfree(k + 1);
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(has_bug(log, "kmalloc-128", "Invalid object pointer 0x"));
        kfree(k);
        BOOST_TEST(slab_errors() == 2u);
    });
}

// ==== lib/test_meminit.c (linux-mm.md §14.3) ==================================================

namespace {

// test_meminit on a kernel booted with init_on_alloc=1 or init_on_free=1: every fresh
// allocation reads back zero (test_pages, test_kvmalloc, test_kmemcache with bulk alloc),
// ctor bytes keep the ctor's pattern, SLAB_TYPESAFE_BY_RCU objects are not wiped by free.
void meminit_suite(hal::Cpu& c) {
    // test_pages: for each order, alloc, fill with garbage, free, alloc again: all zero.
    for (unsigned order = 0; order <= 10; ++order) {
        const size_t n = static_cast<size_t>(PAGE_SIZE) << order;
        uint32_t p = __get_free_pages(GFP_KERNEL, order);
        BOOST_REQUIRE(p != 0u);
        c.fill(p, kGarbage, n);
        free_pages(p, order);
        p = __get_free_pages(GFP_KERNEL, order);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(all_zero(c, p, n), "pages of order " << order);
        free_pages(p, order);
    }
    // test_kvmalloc: kmalloc and vmalloc of 2^0 .. 2^19 bytes.
    for (unsigned shift = 0; shift <= 19; ++shift) {
        const size_t size = size_t{1} << shift;
        uint32_t p = kmalloc(size, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        c.fill(p, kGarbage, size);
        kfree(p);
        p = kmalloc(size, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(all_zero(c, p, size), "kmalloc(" << size << ")");
        kfree(p);
        uint32_t v = vmalloc(size);
        BOOST_REQUIRE(v != 0u);
        c.fill(v, kGarbage, size);
        vfree(v);
        v = vmalloc(size);
        BOOST_REQUIRE(v != 0u);
        BOOST_TEST(all_zero(c, v, size), "vmalloc(" << size << ")");
        vfree(v);
    }
    // test_kmemcache: caches of 8 .. 4096 bytes with and without a constructor. Without one,
    // new objects (single and bulk) are zero; with one, the constructed bytes are never
    // wiped (slab_want_init_on_alloc/free exclude ctor caches). The test writes garbage
    // everywhere except the constructed bytes, as test_meminit.c does.
    constexpr unsigned kCtorBytes = 4;
    for (unsigned size = 8; size <= 4096; size *= 2) {
        for (const bool with_ctor : {false, true}) {
            BOOST_TEST_CONTEXT("cache of " << size << (with_ctor ? " with ctor" : "")) {
                kmem_ctor_t ctor;
                if (with_ctor) ctor = [](uint32_t obj) { hal::this_cpu().store32(obj, kPattern); };
                kmem_cache* s = kmem_cache_create("test_meminit", size, 0, SLAB_NO_MERGE, ctor);
                BOOST_REQUIRE(s != nullptr);
                uint32_t p = kmem_cache_alloc(s, GFP_KERNEL);
                BOOST_REQUIRE(p != 0u);
                if (with_ctor)
                    BOOST_TEST(c.load32(p) == kPattern);
                else
                    BOOST_TEST(all_zero(c, p, size));
                const unsigned skip = with_ctor ? kCtorBytes : 0;
                c.fill(p + skip, kGarbage, size - skip);
                kmem_cache_free(s, p);
                p = kmem_cache_alloc(s, GFP_KERNEL);
                BOOST_REQUIRE(p != 0u);
                if (with_ctor)
                    BOOST_TEST(c.load32(p) == kPattern);
                else
                    BOOST_TEST(all_zero(c, p, size));
                kmem_cache_free(s, p);
                if (!with_ctor) {
                    uint32_t bulk[8] = {};
                    BOOST_REQUIRE(kmem_cache_alloc_bulk(s, GFP_KERNEL, 8, bulk) == 8);
                    for (uint32_t o : bulk)
                        c.fill(o, kGarbage, size);
                    kmem_cache_free_bulk(s, 8, bulk);
                    BOOST_REQUIRE(kmem_cache_alloc_bulk(s, GFP_KERNEL, 8, bulk) == 8);
                    bool zero = true;
                    for (uint32_t o : bulk)
                        zero = zero && all_zero(c, o, size);
                    BOOST_TEST(zero, "bulk");
                    kmem_cache_free_bulk(s, 8, bulk);
                }
                kmem_cache_destroy(s);
            }
        }
    }
    // test_kmemcache / test_rcu_persistent: a SLAB_TYPESAFE_BY_RCU object is not wiped by
    // free (readers may still look at it until the grace period).
    kmem_cache* rcu = kmem_cache_create("test_meminit_rcu", 64, 0, SLAB_TYPESAFE_BY_RCU);
    BOOST_REQUIRE(rcu != nullptr);
    const uint32_t a = kmem_cache_alloc(rcu, GFP_KERNEL);
    const uint32_t keep = kmem_cache_alloc(rcu, GFP_KERNEL);  // keeps the slab alive
    BOOST_REQUIRE(a != 0u);
    BOOST_REQUIRE(keep != 0u);
    c.store32(a, kPattern);
    kmem_cache_free(rcu, a);
    BOOST_TEST(c.load32(a) == kPattern);
    kmem_cache_free(rcu, keep);
    kmem_cache_destroy(rcu);
    BOOST_TEST(slab_errors() == 0u);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(test_meminit_init_on_alloc, vp::test::FreshSim) {
    vp::test::PrintkCapture log;  // keeps the boot log off stderr
    on_kernel([](MmConfig& mm) { mm.init_on_alloc = true; },
              [&](hal::Cpu& c, System&) {
                  meminit_suite(c);
                  // init_on_alloc alone does not wipe at free (slab_free_hook's init is
                  // slab_want_init_on_free): a freed kmalloc-256 object keeps its data
                  // outside the free pointer (mid-object, linux-mm.md §6.3).
                  const uint32_t p = kmalloc(256, GFP_KERNEL);
                  BOOST_REQUIRE(p != 0u);
                  kmem_cache* s = find_kmem_cache("kmalloc-256");
                  BOOST_REQUIRE(s != nullptr);
                  BOOST_REQUIRE(s->offset != 0u);
                  c.fill(p, kGarbage, 256);
                  kfree(p);
                  BOOST_TEST(u(c.load8(p)) == u(kGarbage));
              },
              kMeminitDdrBytes);
}

BOOST_FIXTURE_TEST_CASE(test_meminit_init_on_free, vp::test::FreshSim) {
    vp::test::PrintkCapture log;  // keeps the boot log off stderr
    on_kernel([](MmConfig& mm) { mm.init_on_free = true; },
              [&](hal::Cpu& c, System&) {
                  meminit_suite(c);
                  // init_on_free wipes at free, read back through the linear map:
                  // free_pages_prepare clears a freed page; slab_free_hook clears a freed
                  // object before the free pointer is stored into it.
                  const uint32_t pg = __get_free_page(GFP_KERNEL);
                  BOOST_REQUIRE(pg != 0u);
                  c.fill(pg, kGarbage, PAGE_SIZE);
                  free_page(pg);
                  BOOST_TEST(all_zero(c, pg, PAGE_SIZE));
                  const uint32_t p = kmalloc(256, GFP_KERNEL);
                  BOOST_REQUIRE(p != 0u);
                  kmem_cache* s = find_kmem_cache("kmalloc-256");
                  BOOST_REQUIRE(s != nullptr);
                  c.fill(p, kGarbage, 256);
                  kfree(p);
                  BOOST_TEST(zero_except_free_pointer(c, p, 256, s->offset));
              },
              kMeminitDdrBytes);
}

// ==== the KASAN classes (mm/kasan/kasan_test_c.c, linux-mm.md §14.4) under slub_debug=FZPU ====
//
// What SLUB debugging catches, and when:
//  - out-of-bounds WRITES into a slab object's red zones: the right red zone after the bucket,
//    the left one before the object, and (kmalloc caches with U, which record the requested
//    size) the bytes between the request and the bucket ("kmalloc Redzone") — found by F's
//    checks at kfree / kmem_cache_free or by validation, not at the access;
//  - use-after-free WRITES into a poisoned (P) freed object — found at the next allocation of
//    that object or by validation;
//  - double frees and invalid frees (F).
// What it cannot catch (KASAN's shadow memory or KFENCE's guard pages are needed):
//  - any out-of-bounds or use-after-free READ (reads change no red-zone or poison byte);
//  - kmalloc_large_oob_right / kmalloc_large_uaf / page_alloc_uaf: allocations above
//    KMALLOC_MAX_CACHE_SIZE (8 KiB) and page allocations have no red zone and no poison, and
//    freed pages stay mapped in the linear map;
//  - vmalloc_oob inside the last page of a sub-page vmalloc (only the guard page after the
//    area faults, at page granularity);
//  - writes that leave a red-zone byte with its expected value, and writes into another live
//    object (kmalloc_uaf2-style reuse: SLUB has no quarantine).

BOOST_FIXTURE_TEST_CASE(kasan_kmalloc_oob_right_caught_by_redzones, vp::test::FreshSim) {
    // kmalloc_oob_right: a 115-byte object (kmalloc-128). Byte 115 lies in the kmalloc red
    // zone (115..127 are 0xcc), byte 128 in the right red zone. Each write is found at kfree
    // (F): the report and its restore (2) and "Object at ... not freed" (1) = 3 errors.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu& c, System&) {
        kmem_cache* k128 = find_kmem_cache("kmalloc-128");
        BOOST_REQUIRE(k128 != nullptr);
        const uint32_t p = kmalloc(115, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(u(c.load8(p + 115)) == u(SLUB_RED_ACTIVE));
        BOOST_TEST(u(c.load8(p + 127)) == u(SLUB_RED_ACTIVE));
        c.store8(p + 114, 'y');  // the last requested byte: fine
        c.store8(p + 115, 'x');
        reset_slab_errors();
        const unsigned long before = k128->errors;
        kfree(p);
        BOOST_TEST(slab_errors() == 3u);
        BOOST_TEST(k128->errors == before + 3);
        BOOST_TEST(has_bug(log, "kmalloc-128", "kmalloc Redzone overwritten"));
        BOOST_TEST(log.has("First byte 0x78 instead of 0xcc"));
        BOOST_TEST(log.has("not freed"));
        BOOST_TEST(u(c.load8(p + 115)) == u(SLUB_RED_ACTIVE));  // restored

        const uint32_t q = kmalloc(115, GFP_KERNEL);
        BOOST_REQUIRE(q != 0u);
        BOOST_TEST(u(c.load8(q + 128)) == u(SLUB_RED_ACTIVE));
        c.store8(q + 128, 'x');
        reset_slab_errors();
        kfree(q);
        BOOST_TEST(slab_errors() == 3u);
        BOOST_TEST(has_bug(log, "kmalloc-128", "Right Redzone overwritten"));
    });
}

BOOST_FIXTURE_TEST_CASE(kasan_kmalloc_oob_left_caught_by_left_redzone, vp::test::FreshSim) {
    // kmalloc_oob_left: byte -1 is the left red zone (SLAB_RED_ZONE puts one before each
    // object): found at kfree, 3 errors.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu& c, System&) {
        const uint32_t p = kmalloc(15, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(u(c.load8(p - 1)) == u(SLUB_RED_ACTIVE));
        c.store8(p - 1, 'x');
        reset_slab_errors();
        kfree(p);
        BOOST_TEST(slab_errors() == 3u);
        BOOST_TEST(has_bug(log, "kmalloc-64", "Left Redzone overwritten"));
        BOOST_TEST(u(c.load8(p - 1)) == u(SLUB_RED_ACTIVE));
    });
}

BOOST_FIXTURE_TEST_CASE(kasan_kmalloc_uaf_write_caught_by_poison, vp::test::FreshSim) {
    // kmalloc_uaf: kmalloc(10), kfree, write byte 8. The freed object is poisoned (0x6b);
    // validation of kmalloc-64 reports "Poison overwritten": 2 errors, and restores it.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu& c, System&) {
        const uint32_t p = kmalloc(10, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kfree(p);
        BOOST_TEST(u(c.load8(p + 8)) == u(POISON_FREE));
        c.store8(p + 8, 'x');
        reset_slab_errors();
        validate_slab_cache(find_kmem_cache("kmalloc-64"));
        BOOST_TEST(slab_errors() == 2u);
        BOOST_TEST(has_bug(log, "kmalloc-64", "Poison overwritten"));
        BOOST_TEST(log.has("First byte 0x78 instead of 0x6b"));
        BOOST_TEST(u(c.load8(p + 8)) == u(POISON_FREE));
    });
}

BOOST_FIXTURE_TEST_CASE(kasan_reads_are_not_caught_by_slub_debug, vp::test::FreshSim) {
    // An out-of-bounds read sees the red-zone byte (0xcc) and a use-after-free read the
    // poison (0x6b); neither changes memory, so SLUB has nothing to report (KASAN would).
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu& c, System&) {
        reset_slab_errors();
        const uint32_t p = kmalloc(115, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(u(c.load8(p + 120)) == u(SLUB_RED_ACTIVE));
        BOOST_TEST(u(c.load8(p + 128)) == u(SLUB_RED_ACTIVE));
        kfree(p);
        BOOST_TEST(u(c.load8(p)) == u(POISON_FREE));
        BOOST_TEST(u(c.load8(p + 127)) == u(POISON_END));
        validate_slab_cache(find_kmem_cache("kmalloc-128"));
        BOOST_TEST(slab_errors() == 0u);
        BOOST_TEST(!log.has("BUG kmalloc"));
    });
}

BOOST_FIXTURE_TEST_CASE(kasan_krealloc_and_ksize_move_the_kmalloc_redzone, vp::test::FreshSim) {
    // krealloc_more_oob: 201 -> 235 in the same kmalloc-256 object: bytes up to 234 are
    // usable (no report), byte 235 is reported. krealloc_less_oob: 235 -> 201: byte 201 is
    // reported. ksize_unpoisons_memory: after ksize() the whole bucket is usable; the byte
    // after it is the right red zone.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu& c, System&) {
        uint32_t p = kmalloc(201, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        uint32_t q = krealloc(p, 235, GFP_KERNEL);
        BOOST_TEST(q == p);  // fits the bucket (linux-mm.md §6.2)
        c.fill(q + 201, 'y', 34);
        reset_slab_errors();
        validate_slab_cache(find_kmem_cache("kmalloc-256"));
        BOOST_TEST(slab_errors() == 0u);
        c.store8(q + 235, 'x');
        kfree(q);
        BOOST_TEST(slab_errors() == 3u);
        BOOST_TEST(has_bug(log, "kmalloc-256", "kmalloc Redzone overwritten"));

        p = kmalloc(235, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        q = krealloc(p, 201, GFP_KERNEL);
        BOOST_TEST(q == p);
        BOOST_TEST(u(c.load8(q + 201)) == u(SLUB_RED_ACTIVE));
        c.store8(q + 201, 'x');
        reset_slab_errors();
        kfree(q);
        BOOST_TEST(slab_errors() == 3u);

        const uint32_t k = kmalloc(123, GFP_KERNEL);
        BOOST_REQUIRE(k != 0u);
        BOOST_TEST(ksize(k) == 128u);
        c.fill(k + 123, 'y', 5);  // bytes 123..127: now the caller's
        reset_slab_errors();
        kfree(k);
        BOOST_TEST(slab_errors() == 0u);
        const uint32_t m = kmalloc(123, GFP_KERNEL);
        BOOST_REQUIRE(m != 0u);
        BOOST_TEST(ksize(m) == 128u);
        c.store8(m + 128, 'x');
        kfree(m);
        BOOST_TEST(slab_errors() == 3u);
        BOOST_TEST(has_bug(log, "kmalloc-128", "Right Redzone overwritten"));
    });
}

BOOST_FIXTURE_TEST_CASE(kasan_must_not_report_cases, vp::test::FreshSim) {
    // kfree_via_page (page_address(virt_to_page(p)) + offset) and kfree_via_phys
    // (phys_to_virt(virt_to_phys(p))) name the same object: no report; kmem_cache_bulk
    // neither.
    vp::test::PrintkCapture log;  // keeps the boot log off stderr
    on_kernel(slub_debug_fzpu, [&](hal::Cpu&, System&) {
        reset_slab_errors();
        const uint32_t p = kmalloc(100, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        kfree(page_address(virt_to_page(p)) + (p & ~PAGE_MASK));
        const uint32_t q = kmalloc(100, GFP_KERNEL);
        BOOST_REQUIRE(q != 0u);
        kfree(phys_to_virt(virt_to_phys(q)));
        kmem_cache* s = kmem_cache_create("kasan_bulk", 200, 0, 0);
        BOOST_REQUIRE(s != nullptr);
        uint32_t objs[10] = {};
        BOOST_REQUIRE(kmem_cache_alloc_bulk(s, GFP_KERNEL, 10, objs) == 10);
        kmem_cache_free_bulk(s, 10, objs);
        kmem_cache_destroy(s);
        BOOST_TEST(slab_errors() == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(kasan_classes_slub_debug_cannot_catch, vp::test::FreshSim) {
    // kmalloc_large_oob_right (KMALLOC_MAX_CACHE_SIZE + 10 bytes come from the page
    // allocator: no red zone), kmalloc_large_uaf and page_alloc_uaf (order 4: freed pages stay
    // mapped, nothing poisons them), vmalloc_oob inside the last page: the writes succeed and
    // nothing is reported even with slub_debug=FZPU. Only the guard page after a vmalloc area
    // faults (linux-mm.md §7.1), which is the MMU, not SLUB.
    vp::test::PrintkCapture log;
    on_kernel(slub_debug_fzpu, [&](hal::Cpu& c, System&) {
        reset_slab_errors();
        const unsigned long warnings = warn_count();
        const size_t large = KMALLOC_MAX_CACHE_SIZE + 10;
        const uint32_t p = kmalloc(large, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(ksize(p) == 16384u);  // order 2 (linux-mm.md §6.1)
        c.store8(p + static_cast<uint32_t>(large), 'x');
        BOOST_TEST(u(c.load8(p + static_cast<uint32_t>(large))) == u('x'));
        kfree(p);
        c.store8(p, 'x');  // kmalloc_large_uaf
        BOOST_TEST(u(c.load8(p)) == u('x'));

        page* pg = alloc_pages(GFP_KERNEL, 4);
        BOOST_REQUIRE(pg != nullptr);
        const uint32_t va = page_address(pg);
        __free_pages(pg, 4);
        c.store32(va + (PAGE_SIZE << 4) - 4, kPattern);  // page_alloc_uaf
        BOOST_TEST(c.load32(va + (PAGE_SIZE << 4) - 4) == kPattern);

        const uint32_t v = vmalloc(3000);
        BOOST_REQUIRE(v != 0u);
        c.store8(v + 3000, 'x');  // vmalloc_oob, inside the page
        BOOST_TEST(u(c.load8(v + 3000)) == u('x'));
        {
            // The guard page: a kernel translation fault, fixed up here as
            // copy_from_kernel_nofault would (no oops).
            FaultFixupScope fixup;
            uint64_t value = 0;
            BOOST_TEST(!c.try_load(v + PAGE_SIZE, 1, value));
        }
        vfree(v);

        BOOST_TEST(slab_errors() == 0u);
        BOOST_TEST(warn_count() == warnings);
        BOOST_TEST(!log.has("BUG "));
    });
}
