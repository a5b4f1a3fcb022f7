// The kmalloc rows of linux-mm.md §15 on the real platform: the guest kernel booted on the
// Cortex-A8 model (tests/support/guest_machine.h), every access through the MMU — the unit
// tests (kmalloc_test, slub_test) check the same semantics on the flat FakeCpu.
//
// Expected values: linux-mm.md §6.1 (ARMv7 kmalloc classes: KMALLOC_MIN_SIZE 64 from the
// 64-byte line, kmalloc-192, powers of two to 8 KiB, larger from the buddy), §6.2
// (ZERO_SIZE_PTR = 0x10, krealloc, KMALLOC_MAX_SIZE = 8 MiB with ARCH_FORCE_MAX_ORDER 11 and
// the one-time WARN), §15; ARM ARM B4.1.52 (a load from the unmapped first MiB: translation
// fault, section, FS 0b00101; DFAR = the address).
#define BOOST_TEST_MODULE kmalloc_platform
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/gfp.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "tests/support/guest_machine.h"
#include "tests/support/sim_context.h"

using kernel::GFP_KERNEL;
using kernel::kfree;
using kernel::kmalloc;
using kernel::ksize;

namespace {

// Boots the BBB layout and runs `body` on the booted kernel.
void on_booted_kernel(const std::function<void(hal::Cpu&, kernel::System&)>& body) {
    vp::test::GuestMachine m;
    m.run([&](hal::Cpu& c) {
        kernel::System sys(vp::test::bbb_boot_info());
        body(c, sys);
    });
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(kmalloc_classes_on_the_cpu_model, vp::test::FreshSim) {
    on_booted_kernel([](hal::Cpu& c, kernel::System&) {
        struct Row {
            size_t size;
            size_t ksize;
        };
        // §15: kmalloc(1), (8) → kmalloc-64; (100) → kmalloc-128 (no 96 class on ARMv7);
        // (150) → kmalloc-192; (8192) → kmalloc-8k; (8193) → order-2 pages, ksize 16384.
        for (const Row r : {Row{1, 64}, Row{8, 64}, Row{100, 128}, Row{150, 192}, Row{8192, 8192},
                            Row{8193, 16384}}) {
            BOOST_TEST_CONTEXT("kmalloc(" << r.size << ")") {
                const uint32_t p = kmalloc(r.size, GFP_KERNEL);
                BOOST_REQUIRE(p != 0u);
                BOOST_TEST(p >= kernel::PAGE_OFFSET);  // the linear map
                BOOST_TEST(p % 64 == 0u);
                BOOST_TEST(ksize(p) == r.ksize);
                if (r.size > 8192) BOOST_TEST(p % kernel::PAGE_SIZE == 0u);
                // The whole object is usable memory through the MMU.
                c.store32(p + static_cast<uint32_t>(r.ksize) - 4, 0xA5A5A5A5u);
                BOOST_TEST(c.load32(p + static_cast<uint32_t>(r.ksize) - 4) == 0xA5A5A5A5u);
                kfree(p);
            }
        }
    });
}

BOOST_FIXTURE_TEST_CASE(kmalloc_zero_returns_zero_size_ptr_which_faults, vp::test::FreshSim) {
    bool faulted = false;
    uint32_t dfar = 0, dfsr = 0;
    on_booted_kernel([&](hal::Cpu& c, kernel::System&) {
        const uint32_t p = kmalloc(0, GFP_KERNEL);
        BOOST_TEST(p == kernel::ZERO_SIZE_PTR);
        BOOST_TEST(p == 0x10u);
        kfree(p);  // a no-op
        kfree(0);  // so is NULL
        try {
            (void)c.load32(p);
        } catch (const hal::GuestOops& e) {
            faulted = true;
            dfar = e.info().far;
            dfsr = e.info().fsr;
        }
    });
    BOOST_TEST(faulted);
    BOOST_TEST(dfar == 0x10u);
    BOOST_TEST((dfsr & 0x40Fu) == 0x005u);  // translation fault, section
}

BOOST_FIXTURE_TEST_CASE(kmalloc_above_max_size_fails_with_one_warning, vp::test::FreshSim) {
    on_booted_kernel([](hal::Cpu&, kernel::System&) {
        kernel::reset_warn_count();
        BOOST_TEST(kernel::KMALLOC_MAX_SIZE == 8u << 20);
        BOOST_TEST(kmalloc(kernel::KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == 0u);
        BOOST_TEST(kernel::warn_count() == 1u);
        BOOST_TEST(kmalloc(kernel::KMALLOC_MAX_SIZE + 1, GFP_KERNEL | kernel::__GFP_NOWARN) == 0u);
        BOOST_TEST(kernel::warn_count() == 1u);
        // The largest size works: an order-11 block from the buddy.
        const uint32_t big = kmalloc(kernel::KMALLOC_MAX_SIZE, GFP_KERNEL);
        BOOST_TEST(big != 0u);
        kfree(big);
    });
}

BOOST_FIXTURE_TEST_CASE(krealloc_rows, vp::test::FreshSim) {
    on_booted_kernel([](hal::Cpu& c, kernel::System&) {
        // krealloc(NULL, n) = kmalloc(n); within the bucket: the same pointer, data kept;
        // krealloc(p, 0) frees and returns ZERO_SIZE_PTR.
        const uint32_t p = kernel::krealloc(0, 40, GFP_KERNEL);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(ksize(p) == 64u);
        c.store32(p, 0x600DF00Du);
        BOOST_TEST(kernel::krealloc(p, 60, GFP_KERNEL) == p);
        const uint32_t q = kernel::krealloc(p, 1000, GFP_KERNEL);
        BOOST_TEST(ksize(q) == 1024u);
        BOOST_TEST(c.load32(q) == 0x600DF00Du);
        BOOST_TEST(kernel::krealloc(q, 0, GFP_KERNEL) == kernel::ZERO_SIZE_PTR);
    });
}

BOOST_FIXTURE_TEST_CASE(every_page_comes_back_after_kmalloc_churn, vp::test::FreshSim) {
    on_booted_kernel([](hal::Cpu& c, kernel::System& sys) {
        auto shrink = [&] {
            for (kernel::kmem_cache* s : sys.mm().slab().caches())
                kernel::kmem_cache_shrink(s);
        };
        shrink();
        const unsigned long free0 = kernel::nr_free_pages();
        std::vector<uint32_t> live;
        for (unsigned i = 0; i < 4000; ++i) {
            const size_t size = 16u << (i % 10);  // 16 B .. 8 KiB
            const uint32_t p = kmalloc(size, GFP_KERNEL);
            BOOST_REQUIRE(p != 0u);
            c.store32(p, i);
            live.push_back(p);
            if (i % 3 == 2) {
                kfree(live.front());
                live.erase(live.begin());
            }
        }
        for (uint32_t p : live)
            kfree(p);
        shrink();
        BOOST_TEST(kernel::nr_free_pages() == free0);
    });
}
