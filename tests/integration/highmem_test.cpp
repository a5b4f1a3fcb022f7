// Highmem on the 1 GiB AM335x EVM (sw/mm/highmem.h): kmap through the pkmap area, kmap_atomic
// through the fixmap, vmalloc of highmem pages.
//
// Expected values (linux-mm.md §10, §2.2, §15 "kmap(lowmem page) = page_address(page)"):
//  - PKMAP_BASE = PAGE_OFFSET - 2 MiB = 0xBFE0_0000, LAST_PKMAP = 512 slots; slots whose count
//    fell to zero are cleared only when the search wraps (one flush_tlb_kernel_range over the
//    pkmap area);
//  - kmap_atomic slots: __fix_to_virt(FIX_KMAP_BEGIN + idx) = FIXADDR_TOP - (1 + idx) pages,
//    FIXADDR_TOP = 0xFFF0_0000 - 4 KiB (fixmap.h), strictly nested;
//  - vmalloc uses GFP_KERNEL | __GFP_HIGHMEM, and the zone fallback order starts at HighMem
//    (linux-mm.md §4, §7.1).
#define BOOST_TEST_MODULE highmem
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sw/arch/arm/tlbflush.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/highmem.h"
#include "sw/mm/page.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/vmalloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/printk_capture.h"
#include "tests/support/sim_context.h"

namespace {

using namespace kernel;

using QuietLog = vp::test::PrintkCapture;

template <typename F>
void on_evm(F body) {
    vp::test::GuestMachine m(vp::test::kEvmDdrBytes);
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::evm_boot_info());
        body(c);
    });
}

page* highmem_page() {
    return alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(kmap_of_lowmem_is_page_address, vp::test::FreshSim) {
    QuietLog log;
    on_evm([&](hal::Cpu&) {
        page* p = alloc_page(GFP_KERNEL);
        BOOST_REQUIRE(p != nullptr);
        BOOST_TEST(!PageHighMem(p));
        BOOST_TEST(kmap(p) == page_address(p));
        BOOST_TEST(kmap_atomic(p) == page_address(p));
        BOOST_TEST(kmap_local_depth() == 0u);  // nothing mapped
        kunmap_atomic(page_address(p));
        kunmap(p);
        __free_page(p);
    });
}

BOOST_FIXTURE_TEST_CASE(kmap_of_highmem_uses_a_pkmap_slot, vp::test::FreshSim) {
    QuietLog log;
    on_evm([&](hal::Cpu& c) {
        page* p = highmem_page();
        BOOST_REQUIRE(p != nullptr);
        BOOST_TEST(PageHighMem(p));
        BOOST_TEST(page_address(p) == 0u);  // not mapped yet
        const uint32_t va = kmap(p);
        BOOST_TEST(va >= 0xBFE00000u);
        BOOST_TEST(va < 0xC0000000u);
        BOOST_TEST(page_address(p) == va);
        BOOST_TEST(pkmap_count(PKMAP_NR(va)) == 2u);  // mapped, one user
        c.store32(va + 12, 0xABCD0123u);
        BOOST_TEST(kmap(p) == va);  // a second user shares the slot
        kunmap(p);
        kunmap(p);
        BOOST_TEST(pkmap_count(PKMAP_NR(va)) == 1u);  // mapped, unused: cleared at wrap
        // The data is in the page: read it through a fixmap slot.
        const uint32_t a = kmap_atomic(p);
        BOOST_TEST(c.load32(a + 12) == 0xABCD0123u);
        kunmap_atomic(a);
        __free_page(p);
    });
}

BOOST_FIXTURE_TEST_CASE(pkmap_wrap_flushes_the_unused_slots_at_once, vp::test::FreshSim) {
    QuietLog log;
    on_evm([&](hal::Cpu&) {
        std::vector<page*> pages;
        for (unsigned i = 0; i < LAST_PKMAP + 4; ++i)
            pages.push_back(highmem_page());
        const unsigned long flushes = highmem_stats().pkmap_flushes;
        const unsigned long ranges = tlb_flush_counts().range_calls;
        for (page* p : pages) {
            BOOST_REQUIRE(kmap(p) != 0u);
            kunmap(p);
        }
        BOOST_TEST(highmem_stats().pkmap_flushes == flushes + 1);
        BOOST_TEST(tlb_flush_counts().range_calls >= ranges + 1);
        for (page* p : pages)
            __free_page(p);
    });
}

BOOST_FIXTURE_TEST_CASE(all_pkmap_slots_busy_warns, vp::test::FreshSim) {
    QuietLog log;
    on_evm([&](hal::Cpu&) {
        std::vector<page*> pages;
        for (unsigned i = 0; i < LAST_PKMAP + 1; ++i)
            pages.push_back(highmem_page());
        unsigned mapped = 0;
        for (unsigned i = 0; i < LAST_PKMAP; ++i)
            mapped += kmap(pages[i]) != 0;
        BOOST_TEST(mapped == LAST_PKMAP);
        const unsigned long w = warn_count();
        BOOST_TEST(kmap(pages[LAST_PKMAP]) == 0u);  // Linux would sleep here
        BOOST_TEST(warn_count() == w + 1);
        for (unsigned i = 0; i < LAST_PKMAP; ++i)
            kunmap(pages[i]);
    });
}

BOOST_FIXTURE_TEST_CASE(kmap_atomic_slots_nest_below_fixaddr_top, vp::test::FreshSim) {
    QuietLog log;
    on_evm([&](hal::Cpu& c) {
        page* a = highmem_page();
        page* b = highmem_page();
        const uint32_t va = kmap_atomic(a);
        const uint32_t vb = kmap_atomic(b);
        BOOST_TEST(va == 0xFFEFE000u);  // FIXADDR_TOP - 1 page (FIX_KMAP_BEGIN = 1)
        BOOST_TEST(vb == 0xFFEFD000u);
        BOOST_TEST(kmap_local_depth() == 2u);
        c.store32(va, 1);
        c.store32(vb, 2);
        const unsigned long w = warn_count();
        kunmap_atomic(va);  // out of order: refused with a warning
        BOOST_TEST(warn_count() == w + 1);
        kunmap_atomic(vb);
        kunmap_atomic(va);
        BOOST_TEST(kmap_local_depth() == 0u);
        const uint32_t ka = kmap(a), kb = kmap(b);
        BOOST_TEST(c.load32(ka) == 1u);
        BOOST_TEST(c.load32(kb) == 2u);
        kunmap(a);
        kunmap(b);
        __free_page(a);
        __free_page(b);
    });
}

BOOST_FIXTURE_TEST_CASE(vmalloc_takes_highmem_pages_and_vzalloc_zeroes_them, vp::test::FreshSim) {
    QuietLog log;
    on_evm([&](hal::Cpu& c) {
        // Dirty some highmem pages, free them, then vzalloc must hand out zeroes.
        std::vector<page*> dirty;
        for (int i = 0; i < 8; ++i) {
            page* p = highmem_page();
            const uint32_t v = kmap_atomic(p);
            c.fill(v, 0x5A, PAGE_SIZE);
            kunmap_atomic(v);
            dirty.push_back(p);
        }
        for (page* p : dirty)
            __free_page(p);
        const uint32_t z = vzalloc(8 * PAGE_SIZE);
        BOOST_REQUIRE(z != 0u);
        unsigned high = 0;
        bool zero = true;
        for (uint32_t off = 0; off < 8 * PAGE_SIZE; off += 4)
            zero = zero && c.load32(z + off) == 0;
        for (uint32_t i = 0; i < 8; ++i)
            high += PageHighMem(vmalloc_to_page(z + i * PAGE_SIZE));
        BOOST_TEST(high == 8u);
        BOOST_TEST(zero);
        vfree(z);
    });
}
