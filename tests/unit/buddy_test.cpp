#define BOOST_TEST_MODULE buddy
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
    explicit Guest(const MmConfig& cfg = MmConfig{}) {
        old = set_printk_sink([this](int, const std::string& t) { log += t; });
        mm = std::make_unique<MemoryManager>(cfg);
    }
    ~Guest() {
        mm.reset();
        set_printk_sink(old);
    }
    PageAllocator& pa() { return mm->pages(); }
};

// RAM whose only free memory is the order-3 block at PFN 0x80000 (PA 0x8000_0000-0x8000_7FFF),
// the start of linux-mm.md §5.4. The watermarks are put out of the way (min_free_kbytes 1 →
// WMARK_MIN 0); they have their own tests.
struct OneBlock : Guest {
    static MmConfig config() {
        MmConfig c;
        c.ram_size = 16 * MiB;
        c.kernel_size = 16 * MiB - TEXT_OFFSET;  // everything from 0x8000_8000 up
        c.cma_size = 0;
        c.reserve_mem_map = false;
        c.min_free_kbytes = 1;
        return c;
    }
    OneBlock() : Guest(config()) {
        memblock_phys_free(SWAPPER_PG_DIR_PHYS, SWAPPER_PG_DIR_SIZE);
        mm->mem_init();
    }
    std::vector<pfn_t> list(unsigned order) { return pa().free_list_pfns(ZONE_NORMAL, order); }
};

// The /proc/buddyinfo line of mm/vmstat.c: "Node %d, zone %8s " then "%6lu " per order.
std::string buddyinfo_line(const char* zone, std::vector<unsigned long> counts) {
    std::string s =
        std::string("Node 0, zone ") + std::string(8 - std::string(zone).size(), ' ') + zone + " ";
    for (unsigned long c : counts) {
        std::string n = std::to_string(c);
        s += std::string(6 - n.size(), ' ') + n + " ";
    }
    return s + "\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(worked_example_split_and_merge) {
    // linux-mm.md §5.4, step by step; buddyinfo columns o0..o3 go
    // 0 0 0 1 -> 1 1 1 0 -> 1 0 1 0 -> 0 1 1 0 -> 0 0 0 1.
    OneBlock g;
    const std::vector<unsigned long> zeros8(8, 0);
    auto line = [&](unsigned long o0, unsigned long o1, unsigned long o2, unsigned long o3) {
        std::vector<unsigned long> c{o0, o1, o2, o3};
        c.insert(c.end(), zeros8.begin(), zeros8.end());  // orders 4..11
        return buddyinfo_line("Normal", c);
    };
    BOOST_TEST(g.pa().buddyinfo() == line(0, 0, 0, 1));
    BOOST_TEST(g.list(3) == std::vector<pfn_t>{0x80000});

    // 1: alloc order 0 splits: o2 {0x80004}, o1 {0x80002}, o0 {0x80001}; returns 0x80000.
    page* a = alloc_pages(GFP_KERNEL, 0);
    BOOST_REQUIRE(a);
    BOOST_TEST(page_to_pfn(a) == 0x80000u);
    BOOST_TEST(g.list(2) == std::vector<pfn_t>{0x80004});
    BOOST_TEST(g.list(1) == std::vector<pfn_t>{0x80002});
    BOOST_TEST(g.list(0) == std::vector<pfn_t>{0x80001});
    BOOST_TEST(g.pa().buddyinfo() == line(1, 1, 1, 0));

    // 2: alloc order 1 takes 0x80002.
    page* b = alloc_pages(GFP_KERNEL, 1);
    BOOST_REQUIRE(b);
    BOOST_TEST(page_to_pfn(b) == 0x80002u);
    BOOST_TEST(g.pa().buddyinfo() == line(1, 0, 1, 0));

    // 3: free 0x80000 (o0): merges with 0x80001 into o1 at 0x80000; 0x80002 busy.
    __free_pages(a, 0);
    BOOST_TEST(g.list(1) == std::vector<pfn_t>{0x80000});
    BOOST_TEST(g.pa().buddyinfo() == line(0, 1, 1, 0));

    // 4: free 0x80002 (o1): o1 at 0x80000, then o2 with 0x80004: o3 at 0x80000.
    __free_pages(b, 1);
    BOOST_TEST(g.list(3) == std::vector<pfn_t>{0x80000});
    BOOST_TEST(g.pa().buddyinfo() == line(0, 0, 0, 1));
    BOOST_TEST(nr_free_pages() == 8u);
}

BOOST_AUTO_TEST_CASE(fragmentation_fails_order_1_with_order_0_pages_free) {
    // linux-mm.md §5.5 / §15: scattered order-0 pages cannot serve an order-1 request
    // (no compaction).
    OneBlock g;
    std::vector<page*> pages;
    for (int i = 0; i < 8; ++i)
        pages.push_back(alloc_pages(GFP_KERNEL, 0));
    for (int i = 0; i < 8; i += 2)
        __free_pages(pages[i], 0);
    BOOST_TEST(nr_free_pages() == 4u);
    BOOST_TEST(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1) == nullptr);
    page* p = alloc_pages(GFP_KERNEL, 0);
    BOOST_TEST(p != nullptr);
    __free_pages(p, 0);
    for (int i = 1; i < 8; i += 2)
        __free_pages(pages[i], 0);
    BOOST_TEST(g.list(3) == std::vector<pfn_t>{0x80000});
}

BOOST_AUTO_TEST_CASE(failure_is_reported_unless_nowarn) {
    // warn_alloc(): "page allocation failure: order:%u, mode:%#x(%pGg)".
    OneBlock g;
    BOOST_TEST(alloc_pages(GFP_KERNEL, 4) == nullptr);
    BOOST_TEST(g.log.find("page allocation failure: order:4, mode:0xcc0(GFP_KERNEL)") !=
               std::string::npos);
    g.log.clear();
    BOOST_TEST(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 4) == nullptr);
    BOOST_TEST(g.log.empty());
}

BOOST_AUTO_TEST_CASE(order_above_max_page_order_fails_with_one_warning) {
    // linux-mm.md §5.2 item 5: NULL at once with a WARN (once), silent with __GFP_NOWARN.
    Guest g;
    g.mm->mem_init();
    const unsigned long w = warn_count();
    BOOST_TEST(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == nullptr);
    BOOST_TEST(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == nullptr);
    BOOST_TEST(warn_count() == w + 1);
    page* p = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);  // 8 MiB: the largest block
    BOOST_REQUIRE(p);
    BOOST_TEST(page_to_pfn(p) % (1u << MAX_PAGE_ORDER) == 0u);
    __free_pages(p, MAX_PAGE_ORDER);
}

BOOST_AUTO_TEST_CASE(bbb_boot_state_is_consistent) {
    // After memblock_free_all: free pages = sum(nr_free[k] x 2^k) (linux-mm.md §5.7), every
    // free block aligned to its order, NR_PAGE_ORDERS = 12 columns, one zone (Normal).
    Guest g;
    g.mm->mem_init();
    const zone& z = g.pa().get_zone(ZONE_NORMAL);
    unsigned long sum = 0;
    for (unsigned o = 0; o <= MAX_PAGE_ORDER; ++o) {
        BOOST_TEST(z.free_area_[o].nr_free == g.pa().free_list_pfns(ZONE_NORMAL, o).size());
        for (pfn_t pfn : g.pa().free_list_pfns(ZONE_NORMAL, o))
            BOOST_TEST(pfn % (1u << o) == 0u);
        sum += z.free_area_[o].nr_free << o;
    }
    BOOST_TEST(sum == nr_free_pages());
    BOOST_TEST(z.free_area_[MAX_PAGE_ORDER].nr_free > 40u);  // most of 512 MiB in 8 MiB blocks
    const std::string info = g.pa().buddyinfo();
    BOOST_TEST(info.rfind("Node 0, zone   Normal ", 0) == 0u);
    BOOST_TEST(info.find("HighMem") == std::string::npos);
    BOOST_TEST(info.size() == std::string("Node 0, zone   Normal ").size() + 12 * 7 + 1);
}

BOOST_AUTO_TEST_CASE(bbb_watermarks_match_linux) {
    // linux-mm.md §5.6: min_free_kbytes = sqrt(16 x lowmem kB) = 2896 for 512 MiB; MIN 724
    // pages, gap = max(MIN/4, managed x 10/10000) = 181, LOW 905, HIGH 1086, PROMO 1267.
    MmConfig cfg;
    cfg.kernel_size = 0;  // (almost) all 512 MiB managed, as the reference's table assumes
    cfg.cma_size = 0;
    cfg.reserve_mem_map = false;
    Guest g(cfg);
    g.mm->mem_init();
    BOOST_TEST(g.pa().min_free_kbytes() == 2896u);
    const zone& z = g.pa().get_zone(ZONE_NORMAL);
    BOOST_TEST(z._watermark[WMARK_MIN] == 724u);
    BOOST_TEST(z._watermark[WMARK_LOW] == 905u);
    BOOST_TEST(z._watermark[WMARK_HIGH] == 1086u);
    BOOST_TEST(z._watermark[WMARK_PROMO] == 1267u);
}

BOOST_AUTO_TEST_CASE(gfp_kernel_stops_at_min_and_gfp_atomic_dips_below) {
    // __zone_watermark_ok: fails when free - (2^order - 1) <= mark. GFP_KERNEL (after the
    // LOW fast path) stops at WMARK_MIN; GFP_ATOMIC (__GFP_HIGH, cannot block) may use
    // MIN - MIN/2 - (MIN/2)/4: 724 -> 362 -> 272 pages (linux-mm.md §5.2 item 2).
    MmConfig cfg;
    cfg.kernel_size = 0;
    cfg.cma_size = 0;
    cfg.reserve_mem_map = false;
    Guest g(cfg);
    g.mm->mem_init();
    std::vector<page*> held;
    while (page* p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))
        held.push_back(p);
    BOOST_TEST(nr_free_pages() == 724u);
    while (page* p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0))
        held.push_back(p);
    BOOST_TEST(nr_free_pages() == 272u);
    // GFP_NOWAIT cannot block but has no __GFP_HIGH: no reserves.
    BOOST_TEST(alloc_pages(GFP_NOWAIT, 0) == nullptr);
    for (page* p : held)
        __free_pages(p, 0);
    BOOST_TEST(nr_free_pages() == totalram_pages());
}

BOOST_AUTO_TEST_CASE(highmem_zone_on_the_1GiB_evm) {
    // 1 GiB: Normal = lowmem (768 MiB), HighMem = the top 256 MiB (linux-mm.md §2.1, §4).
    // __GFP_HIGHMEM allocations come from HighMem (fallback order HighMem, Normal) and have
    // no page_address until kmap; GFP_KERNEL never gets highmem.
    MmConfig cfg;
    cfg.ram_size = 1024 * MiB;
    Guest g(cfg);
    g.mm->mem_init();
    const zone& hi = g.pa().get_zone(ZONE_HIGHMEM);
    const zone& lo = g.pa().get_zone(ZONE_NORMAL);
    BOOST_TEST(hi.zone_start_pfn == 0xB0000u);
    BOOST_TEST(hi.managed_pages == 256 * MiB / PAGE_SIZE);
    page* h = alloc_pages(GFP_HIGHUSER, 0);
    BOOST_REQUIRE(h);
    BOOST_TEST(page_to_pfn(h) >= 0xB0000u);
    BOOST_TEST(page_address(h) == 0u);
    page* n = alloc_pages(GFP_KERNEL, 0);
    BOOST_REQUIRE(n);
    BOOST_TEST(page_to_pfn(n) < 0xB0000u);
    BOOST_TEST(page_address(n) == pfn_to_virt(page_to_pfn(n)));
    // lowmem_reserve: Normal keeps managed(HighMem)/32 pages back from highmem-capable
    // requests (sysctl_lowmem_reserve_ratio).
    BOOST_TEST(lo.lowmem_reserve[ZONE_HIGHMEM] == hi.managed_pages / 32);
    // HighMem WMARK_MIN = clamp(managed/1024, 32, 128).
    BOOST_TEST(hi._watermark[WMARK_MIN] == 64u);
    const std::string info = g.pa().buddyinfo();
    BOOST_TEST(info.find("Node 0, zone   Normal ") != std::string::npos);
    BOOST_TEST(info.find("Node 0, zone  HighMem ") != std::string::npos);
    __free_pages(h, 0);
    __free_pages(n, 0);
    // A kmap component can give highmem pages an address.
    g.pa().highmem_page_address = [](const page*) { return 0xFFF00000u; };
    BOOST_TEST(page_address(h) == 0xFFF00000u);
}

BOOST_AUTO_TEST_CASE(gfp_dma_uses_normal_without_zone_dma) {
    // linux-mm.md §4: omap2plus has no ZONE_DMA; GFP_DMA is served from Normal. With
    // CONFIG_ZONE_DMA the AM335x's DMA zone spans all lowmem and Normal is empty.
    {
        Guest g;
        g.mm->mem_init();
        page* p = alloc_pages(GFP_KERNEL | GFP_DMA, 0);
        BOOST_REQUIRE(p);
        BOOST_TEST(p->zone == ZONE_NORMAL);
        __free_pages(p, 0);
    }
    {
        MmConfig cfg;
        cfg.zone_dma = true;
        Guest g(cfg);
        g.mm->mem_init();
        page* p = alloc_pages(GFP_KERNEL, 0);
        BOOST_REQUIRE(p);
        BOOST_TEST(p->zone == ZONE_DMA);
        const std::string info = g.pa().buddyinfo();
        BOOST_TEST(info.rfind("Node 0, zone      DMA ", 0) == 0u);
        BOOST_TEST(info.find("Normal") == std::string::npos);
        __free_pages(p, 0);
    }
}

BOOST_AUTO_TEST_CASE(gfp_zero_and_get_zeroed_page_clear_through_the_cpu) {
    Guest g;
    g.mm->mem_init();
    const uint32_t a = __get_free_page(GFP_KERNEL);
    g.cpu.host(a)[100] = 0x55;
    free_page(a);
    g.cpu.reset_counters();
    const uint32_t b = get_zeroed_page(GFP_KERNEL);
    BOOST_TEST(b == a);  // the page just freed is reused first (head of the order-0 list)
    BOOST_TEST(g.cpu.filled_bytes() == PAGE_SIZE);
    BOOST_TEST(g.cpu.peek8(b + 100) == 0u);
    g.cpu.reset_counters();
    page* p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
    BOOST_TEST(g.cpu.filled_bytes() == 4 * PAGE_SIZE);
    __free_pages(p, 2);
    free_page(b);
}

BOOST_AUTO_TEST_CASE(address_conversions_follow_the_linear_map) {
    // linux-mm.md §8: VA = PA - PHYS_OFFSET + PAGE_OFFSET; first RAM PFN 0x80000.
    Guest g;
    g.mm->mem_init();
    page* p = pfn_to_page(0x80000);
    BOOST_REQUIRE(p);
    BOOST_TEST(page_address(p) == 0xC0000000u);
    BOOST_TEST(page_to_phys(p) == 0x80000000u);
    BOOST_TEST(virt_to_page(0xC0000FFF) == p);
    BOOST_TEST(virt_to_phys(0xC1234567) == 0x81234567u);
    BOOST_TEST(phys_to_virt(0x9FFFFFFF) == 0xDFFFFFFFu);
    BOOST_TEST(pfn_valid(0x9FFFF));
    BOOST_TEST(!pfn_valid(0xA0000));
    BOOST_TEST(!pfn_valid(0x7FFFF));
    BOOST_TEST(virt_addr_valid(0xDFFFFFFF));
    BOOST_TEST(!virt_addr_valid(0xE0000000));         // high_memory
    BOOST_TEST(virt_to_page(0xE0800000) == nullptr);  // vmalloc space has no linear page
}

BOOST_AUTO_TEST_CASE(refcounts_follow_free_pages_semantics) {
    // __free_pages on a non-compound block whose first page has an extra reference frees
    // the rest at once and the first page at the last put_page (lib/test_free_pages.c,
    // linux-mm.md §14.8): nothing leaks.
    Guest g;
    g.mm->mem_init();
    const unsigned long before = nr_free_pages();
    page* p = alloc_pages(GFP_KERNEL, 3);
    get_page(p);
    __free_pages(p, 3);
    BOOST_TEST(nr_free_pages() == before - 1);
    put_page(p);
    BOOST_TEST(nr_free_pages() == before);
    // The same with __GFP_COMP: the compound page goes back whole at the last reference.
    page* c = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
    BOOST_TEST(PageHead(c));
    BOOST_TEST(PageTail(c + 1));
    get_page(c + 5);  // a reference through a tail page counts on the head
    __free_pages(c, 3);
    BOOST_TEST(nr_free_pages() == before - 8);
    put_page(c);
    BOOST_TEST(nr_free_pages() == before);
}

BOOST_AUTO_TEST_CASE(bad_frees_are_reported_and_the_kernel_goes_on) {
    // free_pages_check: "BUG: Bad page state" (mm/page_alloc.c bad_page).
    Guest g;
    g.mm->mem_init();
    page* p = alloc_pages(GFP_KERNEL, 0);
    __free_pages(p, 0);
    const unsigned long free_now = nr_free_pages();
    __free_pages(p, 0);  // double free
    BOOST_TEST(g.pa().bad_pages() == 1u);
    BOOST_TEST(g.log.find("BUG: Bad page state") != std::string::npos);
    BOOST_TEST(nr_free_pages() == free_now);
    __free_pages(pfn_to_page(PFN_DOWN(SWAPPER_PG_DIR_PHYS)), 0);  // a reserved page
    BOOST_TEST(g.pa().bad_pages() == 2u);
    free_pages(0xE0800000, 0);  // not a lowmem address: a warning, nothing freed
    BOOST_TEST(nr_free_pages() == free_now);
    BOOST_TEST(alloc_pages(GFP_KERNEL, 0) != nullptr);  // still working
}

BOOST_AUTO_TEST_CASE(max_order_is_configurable) {
    // A kernel without SOC_AM33XX has MAX_PAGE_ORDER 10: 11 buddyinfo columns, 4 MiB
    // blocks, KMALLOC_MAX_SIZE 4 MiB (linux-mm.md §1).
    MmConfig cfg;
    cfg.max_page_order = 10;
    cfg.cma_size = 16 * MiB;
    Guest g(cfg);
    g.mm->boot();
    BOOST_TEST(g.pa().nr_orders() == 11u);
    BOOST_TEST(g.pa().buddyinfo().size() ==
               std::string("Node 0, zone   Normal ").size() + 11 * 7 + 1);
    BOOST_TEST(kmalloc_max_size() == 4 * MiB);
    BOOST_TEST(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 11) == nullptr);
}

BOOST_AUTO_TEST_CASE(init_on_free_zeroes_freed_pages) {
    // init_on_free=1 (linux-mm.md §13): a freed page is zero; allocation then skips zeroing.
    MmConfig cfg;
    cfg.ram_size = 32 * MiB;
    cfg.kernel_size = 4 * MiB;
    cfg.cma_size = 0;
    cfg.init_on_free = true;
    Guest g(cfg);
    g.mm->mem_init();
    const uint32_t a = __get_free_pages(GFP_KERNEL, 1);
    std::memset(g.cpu.host(a), 0x77, 2 * PAGE_SIZE);
    g.cpu.reset_counters();
    free_pages(a, 1);
    BOOST_TEST(g.cpu.filled_bytes() == 2 * PAGE_SIZE);
    BOOST_TEST(g.cpu.peek8(a + PAGE_SIZE + 5) == 0u);
    g.cpu.reset_counters();
    const uint32_t b = get_zeroed_page(GFP_KERNEL);
    BOOST_TEST(g.cpu.filled_bytes() == 0u);
    BOOST_TEST(g.cpu.peek8(b) == 0u);
    free_page(b);
}

BOOST_AUTO_TEST_CASE(format_gfp_names_masks_as_linux_prints_them) {
    BOOST_TEST(format_gfp(GFP_KERNEL) == "GFP_KERNEL");
    BOOST_TEST(format_gfp(GFP_KERNEL | __GFP_ZERO) == "GFP_KERNEL|__GFP_ZERO");
    BOOST_TEST(format_gfp(GFP_ATOMIC) == "GFP_ATOMIC");
    BOOST_TEST(format_gfp(GFP_HIGHUSER_MOVABLE | __GFP_ZERO) == "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
    BOOST_TEST(GFP_KERNEL == 0xcc0u);  // "mode:0xcc0(GFP_KERNEL)" in Linux's OOM reports
    // Since 6.3 GFP_ATOMIC is __GFP_HIGH | __GFP_KSWAPD_RECLAIM (linux-mm.md §16).
    BOOST_TEST(GFP_ATOMIC == 0x820u);
}
