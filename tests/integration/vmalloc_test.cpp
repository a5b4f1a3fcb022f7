// vmalloc on the booted guest kernel (sw/mm/vmalloc.h) over the Cortex-A8 model.
//
// Expected values:
//  - linux-mm.md §15 vmalloc rows and §7.1/§7.2: vmalloc(1 MiB) = 256 pages + a guard page,
//    /proc/vmallocinfo size 1052672 "pages=256 vmalloc"; vmalloc(0) NULL with a warning;
//    vfree(NULL) no-op; vfree then vmalloc gives another VA until the lazy purge; a read at the
//    area end is a kernel translation fault; lazy_max_pages = 8192 on one CPU;
//  - the walk of a vmalloc'd access (DDI 0406C B3.5.4/B3.5.5): L1 read at TTBR0 | VA[31:20]
//    << 2, L2 read at L1[31:10] | VA[19:12] << 2; the L1 entry points at +2048/+3072 of a pte
//    page (linux-mm.md §3), the L2 entry is cpu_v7_set_pte_ext of PAGE_KERNEL: small page,
//    XN, AP[0], TEX[0]:C:B = 111 (L_PTE_MT_WRITEALLOC), APX clear (dirty);
//  - lib/test_vmalloc.c cases (linux-mm.md §14.1) that make sense on one CPU.
#define BOOST_TEST_MODULE vmalloc
#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <vector>

#include "sw/arch/arm/fault.h"
#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/page.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/printk_capture.h"
#include "tests/support/sim_context.h"

namespace {

using namespace kernel;

constexpr uint32_t kSwapperPa = 0x80004000u;
constexpr uint32_t kBbbVmallocStart = 0xE0800000u;  // linux-mm.md §2.2
constexpr uint32_t kBbbRamEnd = 0xA0000000u;

using QuietLog = vp::test::PrintkCapture;

// vfree()s every area; true when none of them was a failed (0) allocation.
bool vfree_all(const std::vector<uint32_t>& areas) {
    bool all = true;
    for (uint32_t p : areas) {
        all = all && p != 0;
        vfree(p);
    }
    return all;
}

// Boots a BBB and runs `body` in the guest.
template <typename F>
void on_bbb(F body, uint64_t ddr = vp::test::kBbbDdrBytes) {
    vp::test::GuestMachine m(ddr);
    m.run([&](hal::Cpu& c) {
        System sys(ddr == vp::test::kBbbDdrBytes ? vp::test::bbb_boot_info()
                                                 : vp::test::boot_info("test", ddr));
        body(c, m);
    });
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(vmalloc_1mib_is_256_scattered_pages_and_a_guard, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        const uint32_t p = vmalloc(1u << 20);
        BOOST_REQUIRE(p != 0u);
        BOOST_TEST(p >= kBbbVmallocStart);
        BOOST_TEST(p < VMALLOC_END);
        BOOST_TEST((p & (PAGE_SIZE - 1)) == 0u);
        BOOST_TEST(is_vmalloc_addr(p));
        const vm_struct* vm = find_vm_area(p);
        BOOST_REQUIRE(vm != nullptr);
        BOOST_TEST(vm->size == 1052672u);  // 1 MiB + the guard page
        BOOST_TEST(vm->nr_pages == 256u);
        // vmallocinfo line: 0xSTART-0xEND 1052672 caller pages=256 vmalloc.
        const std::string info = vmallocinfo();
        char head[64];
        std::snprintf(head, sizeof head, "0x%08x-0x%08x 1052672 ", p, p + 1052672u);
        const size_t at = info.find(head);
        BOOST_TEST(at != std::string::npos);
        const std::string line = info.substr(at, info.find('\n', at) - at);
        BOOST_TEST(line.find(" pages=256 vmalloc") != std::string::npos);
        // Pages are valid RAM PFNs; virt_to_phys of the VA is not (it is above high_memory).
        bool all_ram = true;
        for (uint32_t off = 0; off < (1u << 20); off += PAGE_SIZE) {
            const pfn_t pfn = vmalloc_to_pfn(p + off);
            all_ram = all_ram && pfn >= 0x80000u && pfn < (kBbbRamEnd >> PAGE_SHIFT);
        }
        BOOST_TEST(all_ram);
        BOOST_TEST(virt_to_phys(p) >= kBbbRamEnd);
        // The memory works: write at both ends, read back.
        c.store32(p, 0x11223344u);
        c.store32(p + (1u << 20) - 4, 0x55667788u);
        BOOST_TEST(c.load32(p) == 0x11223344u);
        BOOST_TEST(c.load32(p + (1u << 20) - 4) == 0x55667788u);
        vfree(p);
    });
}

BOOST_FIXTURE_TEST_CASE(vmalloc_zero_warns_vfree_null_is_silent, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const unsigned long w = warn_count();
        BOOST_TEST(vmalloc(0) == 0u);
        BOOST_TEST(warn_count() == w + 1);
        vfree(0);
        BOOST_TEST(warn_count() == w + 1);
        // More than all RAM: NULL.
        BOOST_TEST(vmalloc(600u << 20) == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(vfree_then_vmalloc_gets_another_va_until_the_purge, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const uint32_t a = vmalloc(8 * PAGE_SIZE);
        vfree(a);
        BOOST_TEST(vmap_lazy_nr() == 9u);  // the area and its guard page wait for the purge
        const uint32_t b = vmalloc(8 * PAGE_SIZE);
        BOOST_TEST(b != a);
        vfree(b);
        const unsigned long by_mva = tlb_flush_counts().by_mva;
        vm_unmap_aliases();  // the purge: one flush over the union of the freed ranges
        BOOST_TEST(vmap_lazy_nr() == 0u);
        BOOST_TEST(tlb_flush_counts().by_mva - by_mva == 18u);  // [a, b + 9 pages)
        const uint32_t c2 = vmalloc(8 * PAGE_SIZE);
        BOOST_TEST(c2 == a);  // first fit from the lowest address again
        vfree(c2);
    });
}

BOOST_FIXTURE_TEST_CASE(lazy_purge_runs_beyond_lazy_max_pages, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        BOOST_TEST(lazy_max_pages() == 8192u);
        const unsigned long purges = vmalloc_stats().purges;
        // 1 MiB areas: 257 pages each on the lazy list; the 32nd free crosses 8192.
        for (int i = 0; i < 31; ++i)
            vfree(vmalloc(1u << 20));
        BOOST_TEST(vmalloc_stats().purges == purges);
        BOOST_TEST(vmap_lazy_nr() == 31u * 257u);
        vfree(vmalloc(1u << 20));
        BOOST_TEST(vmalloc_stats().purges == purges + 1);
        BOOST_TEST(vmap_lazy_nr() == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(reading_the_guard_page_oopses, vp::test::FreshSim) {
    QuietLog log;
    bool oopsed = false;
    uint32_t far = 0, fsr = 0, end = 0;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        const uint32_t p = vmalloc(3 * PAGE_SIZE);
        end = p + 3 * PAGE_SIZE;
        (void)c.load32(end - 4);
        try {
            (void)c.load32(end);
        } catch (const hal::GuestOops& e) {
            oopsed = true;
            far = e.info().far;
            fsr = e.info().fsr;
        }
        vfree(p);
    });
    BOOST_TEST(oopsed);
    BOOST_TEST(far == end);
    // A translation fault (page: FS 0b00111; section: 0b00101), DDI 0406C B4.1.52.
    const uint32_t fs = fsr::fs(fsr);
    BOOST_TEST((fs == fsr::TRANSLATION_PAGE || fs == fsr::TRANSLATION_SECTION));
    BOOST_TEST(log.text.find("Unable to handle kernel paging request at virtual address") !=
               std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(vfree_of_a_bad_address_warns_and_goes_on, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        const uint32_t p = vmalloc(2 * PAGE_SIZE);
        const uint32_t k = kmalloc(PAGE_SIZE, GFP_KERNEL);  // page aligned, not a vm area
        const unsigned long w = warn_count();
        vfree(p + 4);  // not page aligned: "bad address"
        vfree(k);      // not a vm area: "nonexistent vm area"
        BOOST_TEST(warn_count() == w + 2);
        BOOST_TEST(log.text.find("Trying to vfree() bad address") != std::string::npos);
        BOOST_TEST(log.text.find("Trying to vfree() nonexistent vm area") != std::string::npos);
        c.store32(p, 7);  // the area is intact
        BOOST_TEST(c.load32(p) == 7u);
        vfree(p);
        kfree(k);
    });
}

BOOST_FIXTURE_TEST_CASE(vmalloc_access_walks_l1_then_l2_address_by_address, vp::test::FreshSim) {
    QuietLog log;
    std::vector<vp::TransactionMonitor::Record> recs;
    uint32_t va = 0, pfn = 0;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine& m) {
        const uint32_t p = vmalloc(4 * PAGE_SIZE);
        va = p + 2 * PAGE_SIZE + 0x124;
        pfn = vmalloc_to_pfn(va);
        c.store32(va, 0xCAFEF00Du);
        cp15_write(cp15::TLBIALL, 0);
        m.clear_records();
        BOOST_TEST(c.load32(va) == 0xCAFEF00Du);
        recs = m.bus_records();
    });
    BOOST_REQUIRE(recs.size() >= 2u);
    BOOST_TEST(recs[0].address == (kSwapperPa | ((va >> 20) << 2)));
    const uint32_t l1 = static_cast<uint32_t>(recs[0].value());
    BOOST_TEST((l1 & PMD_TYPE_MASK) == PMD_TYPE_TABLE);
    // The hardware table of this MiB: +2048 (even MiB) or +3072 (odd MiB) of the pte page.
    BOOST_TEST((l1 & 0xFFFu & ~0x3FFu) == (((va >> 20) & 1) ? 0xC00u : 0x800u));
    BOOST_TEST(recs[1].address == ((l1 & 0xFFFFFC00u) | (((va >> 12) & 0xFFu) << 2)));
    const uint32_t l2 = static_cast<uint32_t>(recs[1].value());
    BOOST_TEST((l2 >> 12) == pfn);
    BOOST_TEST((l2 & 0xFFFu) == (PTE_EXT_XN | PTE_TYPE_SMALL | PTE_BUFFERABLE | PTE_CACHEABLE |
                                 PTE_EXT_AP0 | PTE_EXT_TEX(1)));
}

BOOST_FIXTURE_TEST_CASE(vzalloc_zeroes_reused_pages, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        const uint32_t a = vmalloc(16 * PAGE_SIZE);
        c.fill(a, 0xAA, 16 * PAGE_SIZE);
        vfree(a);
        vm_unmap_aliases();
        const uint32_t b = vzalloc(16 * PAGE_SIZE);
        std::vector<uint8_t> host(16 * PAGE_SIZE, 0xFF);
        c.read_block(b, host.data(), host.size());
        bool zero = true;
        for (uint8_t x : host)
            zero = zero && x == 0;
        BOOST_TEST(zero);
        vfree(b);
    });
}

BOOST_FIXTURE_TEST_CASE(vmap_maps_given_pages_and_vunmap_keeps_them, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        page* pages[4];
        for (auto& p : pages)
            p = alloc_page(GFP_KERNEL);
        const uint32_t v = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
        BOOST_REQUIRE(v != 0u);
        for (uint32_t i = 0; i < 4; ++i) {
            c.store32(v + i * PAGE_SIZE + 8, 100 + i);
            BOOST_TEST(vmalloc_to_page(v + i * PAGE_SIZE) == pages[i]);
        }
        vunmap(v);
        for (uint32_t i = 0; i < 4; ++i)
            BOOST_TEST(c.load32(page_address(pages[i]) + 8) == 100 + i);
        BOOST_TEST(vmallocinfo().find(" vmap\n") == std::string::npos);
        for (auto& p : pages)
            __free_page(p);
    });
}

// ---- lib/test_vmalloc.c (linux-mm.md §14.1), single CPU -------------------------------------

BOOST_FIXTURE_TEST_CASE(test_vmalloc_fix_size_alloc_test, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        unsigned failed = 0;
        for (int i = 0; i < 2000; ++i) {
            const uint32_t p = vmalloc(PAGE_SIZE);
            if (!p) {
                ++failed;
                continue;
            }
            c.store8(p, 'a');
            vfree(p);
        }
        BOOST_TEST(failed == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(test_vmalloc_full_fit_alloc_test, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        // fls(1) x 8192 pairs of one-page areas; free every second to make holes; one-page
        // vmallocs must keep succeeding.
        constexpr int kPairs = 8192;
        std::vector<uint32_t> junk, ptrs;
        for (int i = 0; i < kPairs; ++i) {
            ptrs.push_back(vmalloc(PAGE_SIZE));
            junk.push_back(vmalloc(PAGE_SIZE));
        }
        for (uint32_t j : junk)
            vfree(j);
        unsigned failed = 0;
        for (int i = 0; i < 1000; ++i) {
            const uint32_t p = vmalloc(PAGE_SIZE);
            if (!p) {
                ++failed;
                continue;
            }
            c.store8(p, 'a');
            vfree(p);
        }
        BOOST_TEST(failed == 0u);
        BOOST_TEST(vfree_all(ptrs));  // every allocation succeeded
    });
}

BOOST_FIXTURE_TEST_CASE(test_vmalloc_long_busy_list_alloc_test, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        std::vector<uint32_t> busy;
        for (int i = 0; i < 15000; ++i)
            busy.push_back(vmalloc(PAGE_SIZE));
        unsigned failed = 0;
        for (int i = 0; i < 200; ++i) {
            const uint32_t big = vmalloc(100 * PAGE_SIZE);
            const uint32_t small = vmalloc(PAGE_SIZE);
            if (!big || !small) ++failed;
            if (big) c.store8(big, 'a');
            if (small) c.store8(small, 'a');
            vfree(big);
            vfree(small);
        }
        BOOST_TEST(failed == 0u);
        BOOST_TEST(vfree_all(busy));  // every allocation succeeded
    });
}

BOOST_FIXTURE_TEST_CASE(test_vmalloc_random_size_alloc_test, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        std::mt19937 rng(12345);
        unsigned failed = 0;
        for (int i = 0; i < 500; ++i) {
            const uint32_t n = rng() % 100 + 1;
            const uint32_t p = vmalloc(n * PAGE_SIZE);
            if (!p) {
                ++failed;
                continue;
            }
            c.store8(p, 'a');
            c.store8(p + n * PAGE_SIZE - 1, 'z');
            vfree(p);
        }
        BOOST_TEST(failed == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(test_vmalloc_fix_align_and_random_align, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        // fix_align_alloc_test: 5 pages, align 2 x THREAD_ALIGN (THREAD_SIZE 8 KiB), zeroed.
        constexpr uint32_t kAlign = 2 * 8192;
        unsigned misaligned = 0, failed = 0, dirty = 0;
        for (int i = 0; i < 200; ++i) {
            const uint32_t p =
                __vmalloc_node_range(5 * PAGE_SIZE, kAlign, VMALLOC_START(), VMALLOC_END,
                                     GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, 0);
            if (!p) {
                ++failed;
                continue;
            }
            if (p & (kAlign - 1)) ++misaligned;
            if (c.load32(p + 4 * PAGE_SIZE)) ++dirty;
            c.store32(p + 4 * PAGE_SIZE, 0xFFFFFFFFu);
            vfree(p);
        }
        // random_size_align_alloc_test: 1..10 pages, alignment 2^0..2^22.
        std::mt19937 rng(7);
        for (int i = 0; i < 200; ++i) {
            const unsigned long align = 1ul << (rng() % 23);
            const uint32_t size = (rng() % 10 + 1) * PAGE_SIZE;
            const uint32_t p = __vmalloc_node_range(size, align, VMALLOC_START(), VMALLOC_END,
                                                    GFP_KERNEL, PAGE_KERNEL, 0);
            if (!p) {
                ++failed;
                continue;
            }
            if (p & (std::max<unsigned long>(align, PAGE_SIZE) - 1)) ++misaligned;
            vfree(p);
        }
        BOOST_TEST(failed == 0u);
        BOOST_TEST(misaligned == 0u);
        BOOST_TEST(dirty == 0u);
    });
}

BOOST_FIXTURE_TEST_CASE(test_vmalloc_align_shift_alloc_test_fails_past_the_range,
                        vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        // One page with alignment 2^i: succeeds while an aligned address fits in
        // [0xE080_0000, 0xFF80_0000), i.e. up to 2^28 (0xF000_0000); 2^29 and up must fail
        // (xfail in test_vmalloc.c).
        for (unsigned i = 0; i <= 28; ++i) {
            const uint32_t p = __vmalloc_node_range(PAGE_SIZE, 1ul << i, VMALLOC_START(),
                                                    VMALLOC_END, GFP_KERNEL, PAGE_KERNEL, 0);
            BOOST_TEST(p != 0u, "align 2^" << i);
            vfree(p);
        }
        for (unsigned i = 29; i < 32; ++i)
            BOOST_TEST(__vmalloc_node_range(PAGE_SIZE, 1ul << i, VMALLOC_START(), VMALLOC_END,
                                            GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL, 0) == 0u,
                       "align 2^" << i);
    });
}

BOOST_FIXTURE_TEST_CASE(test_vmalloc_vm_map_ram_like_loop, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        // vm_map_ram_test: map a bulk of pages, write, unmap, in a loop (vmap/vunmap here).
        std::vector<page*> pages(32);
        for (auto& p : pages)
            p = alloc_page(GFP_KERNEL);
        unsigned failed = 0;
        for (int i = 0; i < 300; ++i) {
            const uint32_t v = vmap(pages.data(), 32, VM_MAP, PAGE_KERNEL);
            if (!v) {
                ++failed;
                continue;
            }
            c.fill(v, static_cast<uint8_t>(i), 32 * PAGE_SIZE);
            vunmap(v);
        }
        BOOST_TEST(failed == 0u);
        for (auto& p : pages)
            __free_page(p);
    });
}

BOOST_FIXTURE_TEST_CASE(kvmalloc_and_kvfree_take_both_paths, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const uint32_t small = kvmalloc(100, GFP_KERNEL);
        const uint32_t big = kvmalloc(16u << 20, GFP_KERNEL);  // above KMALLOC_MAX_SIZE (8 MiB)
        BOOST_TEST(!is_vmalloc_addr(small));
        BOOST_TEST(is_vmalloc_addr(big));
        kvfree(small);
        kvfree(big);
        BOOST_TEST(find_vm_area(big) == nullptr);
    });
}
