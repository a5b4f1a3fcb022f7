#define BOOST_TEST_MODULE memblock
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include "sw/kernel/printk.h"
#include "sw/mm/mm.h"
#include "tests/support/fake_cpu.h"

using namespace kernel;

namespace {

constexpr uint64_t MiB = 1ull << 20;

// A FakeCpu, a printk sink that records, and a memory manager built from `cfg`.
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
};

}  // namespace

BOOST_AUTO_TEST_CASE(regions_merge_split_and_report_free_ranges) {
    Memblock mb;
    mb.add(0x80000000, 16 * MiB);
    mb.add(0x81000000, 16 * MiB);  // adjacent: merged
    BOOST_TEST(mb.memory.regions.size() == 1u);
    BOOST_TEST(mb.phys_mem_size() == 32 * MiB);
    mb.reserve(0x80100000, 0x1000);
    mb.reserve(0x80101000, 0x1000);  // adjacent reservations merge too
    BOOST_TEST(mb.reserved.regions.size() == 1u);
    BOOST_TEST(mb.reserved_size() == 0x2000u);
    BOOST_TEST(mb.is_reserved(0x80101FFF));
    BOOST_TEST(!mb.is_reserved(0x80102000));
    BOOST_TEST(mb.is_region_reserved(0x80100800, 0x10));
    const auto free = mb.free_ranges();
    BOOST_REQUIRE(free.size() == 2u);
    BOOST_TEST(free[0].base == 0x80000000u);
    BOOST_TEST(free[0].size == 0x100000u);
    BOOST_TEST(free[1].base == 0x80102000u);
    BOOST_TEST(free[1].end() == 0x82000000u);
    mb.phys_free(0x80100000, 0x1000);  // give half the reservation back: split
    BOOST_TEST(mb.reserved.regions.size() == 1u);
    BOOST_TEST(mb.reserved.regions[0].base == 0x80101000u);
    mb.remove(0x81000000, 8 * MiB);  // a hole in memory
    BOOST_TEST(mb.memory.regions.size() == 2u);
    BOOST_TEST(!mb.is_memory(0x81000000));
    BOOST_TEST(mb.is_memory(0x81800000));
    BOOST_TEST(mb.start_of_DRAM() == 0x80000000u);
    BOOST_TEST(mb.end_of_DRAM() == 0x82000000u);
}

BOOST_AUTO_TEST_CASE(a_range_past_4GiB_is_cut_there) {
    // memblock_cap_size(): physical addresses are 32-bit without LPAE.
    Memblock mb;
    mb.add(0xF0000000, 512 * MiB);
    BOOST_TEST(mb.end_of_DRAM() == 0x100000000ull);
    mb.add(0x80000000, 0);  // size 0: nothing
    BOOST_TEST(mb.memory.regions.size() == 1u);
}

BOOST_AUTO_TEST_CASE(allocation_is_top_down_aligned_and_below_the_limit) {
    // mm/memblock.c allocates top-down by default; ARM sets the limit to the lowmem limit.
    Memblock mb;
    mb.add(0x80000000, 64 * MiB);
    mb.set_current_limit(0x83000000);
    const phys_addr_t a = mb.phys_alloc_range(0x3000, 0x1000, 0, ~0ull);
    BOOST_TEST(a == 0x82FFD000u);
    BOOST_TEST(mb.is_region_reserved(a, 0x3000));
    const phys_addr_t b = mb.phys_alloc_range(0x100, 0x10000, 0, ~0ull);  // 64 KiB aligned
    BOOST_TEST(b == 0x82FF0000u);
    const phys_addr_t c = mb.phys_alloc_range(0x1000, 0x1000, 0x80000000, 0x80002000);
    BOOST_TEST(c == 0x80001000u);
    BOOST_TEST(mb.phys_alloc_range(128 * MiB, 0x1000, 0, ~0ull) == 0u);  // no room
}

BOOST_AUTO_TEST_CASE(bad_requests_fail_cleanly) {
    Guest g;
    Memblock& mb = g.mm->memblock();
    BOOST_TEST(mb.phys_alloc_range(0, 0x1000, 0, ~0ull) == 0u);
    BOOST_TEST(mb.phys_alloc_range(0x1000, 3, 0, ~0ull) == 0u);  // not a power of two
    BOOST_TEST(g.log.find("memblock: bad allocation request") != std::string::npos);
    // align 0 is SMP_CACHE_BYTES (64) with a warning, as in Linux.
    const unsigned long w = warn_count();
    const phys_addr_t a = mb.phys_alloc_range(100, 0, 0, ~0ull);
    BOOST_TEST(a != 0u);
    BOOST_TEST(a % 64 == 0u);
    BOOST_TEST(warn_count() == w + 1);
}

BOOST_AUTO_TEST_CASE(bbb_boot_reserves_kernel_page_directory_and_cma) {
    // arm_memblock_init(): the kernel image from PHYS_OFFSET + TEXT_OFFSET (0x8000),
    // swapper_pg_dir 16 KiB below it at PA 0x8000_4000 (linux-mm.md §3), and the CMA area
    // top-down in lowmem, aligned to a pageblock (2^MAX_PAGE_ORDER pages = 8 MiB).
    MmConfig cfg;  // BeagleBone Black: 512 MiB
    cfg.kernel_size = 10 * MiB;
    cfg.cma_size = 24 * MiB;
    Guest g(cfg);
    Memblock& mb = g.mm->memblock();
    BOOST_TEST(mb.phys_mem_size() == 512 * MiB);
    BOOST_TEST(mb.is_reserved(0x80004000));
    BOOST_TEST(mb.is_reserved(0x80007FFF));
    BOOST_TEST(mb.is_reserved(0x80008000));
    BOOST_TEST(mb.is_reserved(0x80008000 + 10 * MiB - 1));
    BOOST_TEST(!mb.is_reserved(0x80008000 + 10 * MiB));
    BOOST_TEST(!mb.is_reserved(0x80003FFF));
    BOOST_TEST(g.mm->cma().base == 0x9E800000u);  // 0xA000_0000 - 24 MiB
    BOOST_TEST(g.mm->cma().size == 24 * MiB);
    BOOST_TEST(mb.is_region_reserved(0x9E800000, 24 * MiB));
    BOOST_TEST(g.log.find("cma: Reserved 24 MiB at 0x9e800000") != std::string::npos);
    // The lowmem limit is the memblock limit.
    BOOST_TEST(mb.current_limit() == 0xA0000000ull);
}

BOOST_AUTO_TEST_CASE(bbb_layout_matches_linux) {
    // linux-mm.md §2.2: 512 MiB, VMSPLIT_3G: high_memory 0xE000_0000, VMALLOC_START
    // 0xE080_0000 (8 MiB gap), no highmem.
    Guest g;
    const MemoryLayout& l = g.mm->layout();
    BOOST_TEST(l.high_memory == 0xE0000000u);
    BOOST_TEST(l.vmalloc_start == 0xE0800000u);
    BOOST_TEST(!l.has_highmem());
    BOOST_TEST(l.max_low_pfn == 0xA0000u);
}

BOOST_AUTO_TEST_CASE(one_gib_evm_has_highmem_above_768_MiB) {
    // linux-mm.md §2.1: lowmem limit = VMALLOC_END - 240 MiB - 8 MiB - PAGE_OFFSET = 768 MiB
    // with the default vmalloc= size; the rest of 1 GiB is ZONE_HIGHMEM.
    MmConfig cfg;
    cfg.ram_size = 1024 * MiB;
    Guest g(cfg);
    const MemoryLayout& l = g.mm->layout();
    BOOST_TEST(l.lowmem_limit == 0xB0000000ull);
    BOOST_TEST(l.high_memory == 0xF0000000u);
    BOOST_TEST(l.vmalloc_start == 0xF0800000u);
    BOOST_TEST(l.max_pfn == 0xC0000u);
    BOOST_TEST(l.has_highmem());
    // Early allocations stay in lowmem.
    const phys_addr_t a = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
    BOOST_TEST(a < 0xB0000000u);
}

BOOST_AUTO_TEST_CASE(without_highmem_ram_above_lowmem_is_dropped) {
    // arch/arm/mm/mmu.c: "Truncating RAM at ..." when CONFIG_HIGHMEM is off.
    MmConfig cfg;
    cfg.ram_size = 1024 * MiB;
    cfg.highmem = false;
    Guest g(cfg);
    BOOST_TEST(g.mm->memblock().phys_mem_size() == 768 * MiB);
    BOOST_TEST(g.log.find("Truncating RAM at 0x80000000-0xbfffffff to -0xafffffff") !=
               std::string::npos);
    BOOST_TEST(!g.mm->layout().has_highmem());
}

BOOST_AUTO_TEST_CASE(vmalloc_size_is_clamped_as_linux_does) {
    // `vmalloc=` below 16 MiB is raised to 16 MiB (early_vmalloc).
    MmConfig cfg;
    cfg.ram_size = 1024 * MiB;
    cfg.vmalloc_size = 1 * MiB;
    Guest g(cfg);
    // limit = 0xFF80_0000 - 16 MiB - 8 MiB - 0xC000_0000 = 992 MiB of lowmem
    BOOST_TEST(g.mm->layout().lowmem_limit == 0x80000000ull + 992 * MiB);
    BOOST_TEST(g.log.find("vmalloc area is too small, limiting to 16MiB") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(impossible_configurations_are_clear_errors) {
    vp::test::FakeCpu cpu;
    MmConfig a;
    a.ram_base = 0x40000000;
    BOOST_CHECK_THROW(MemoryManager{a}, std::invalid_argument);
    MmConfig b;
    b.ram_size = 12345;
    BOOST_CHECK_THROW(MemoryManager{b}, std::invalid_argument);
    MmConfig c;
    c.ram_size = 4 * MiB;
    c.kernel_size = 8 * MiB;  // the image does not fit
    BOOST_CHECK_THROW(MemoryManager{c}, std::invalid_argument);
    MmConfig d;
    d.slub_debug = "FZQ";
    BOOST_CHECK_THROW(MemoryManager{d}, std::invalid_argument);
    MmConfig e;
    e.max_page_order = 40;
    BOOST_CHECK_THROW(MemoryManager{e}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(memblock_alloc_zeroes_through_the_cpu) {
    // memblock_alloc() returns zeroed memory (mm/memblock.c); here the zeroing is a guest
    // fill of the linear-map address.
    Guest g;
    g.cpu.poke8(phys_to_virt(0x9E7FF000), 0xAB);  // garbage where the allocation will land
    g.cpu.reset_counters();
    const uint32_t va = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
    BOOST_TEST(va == phys_to_virt(0x9E7FF000));  // just below the CMA area, top-down
    BOOST_TEST(g.cpu.filled_bytes() == PAGE_SIZE);
    BOOST_TEST(g.cpu.peek8(va) == 0u);
    BOOST_TEST(memblock_is_region_reserved(virt_to_phys(va), PAGE_SIZE));
}

BOOST_AUTO_TEST_CASE(free_all_hands_exactly_the_unreserved_pages_to_the_buddy) {
    MmConfig cfg;
    cfg.ram_size = 64 * MiB;
    cfg.kernel_size = 4 * MiB;
    cfg.cma_size = 8 * MiB;
    Guest g(cfg);
    const phys_addr_t early = memblock_phys_alloc(3 * PAGE_SIZE, PAGE_SIZE);  // a page table
    BOOST_TEST(early != 0u);
    g.mm->mem_init();
    // mem_map is reserved from memblock too: 32 bytes per page (linux-mm.md §1).
    const uint64_t pages = 64 * MiB / PAGE_SIZE;
    const uint64_t reserved = g.mm->memblock().reserved_size();
    BOOST_TEST(reserved ==
               4 * MiB + SWAPPER_PG_DIR_SIZE + 8 * MiB + 3 * PAGE_SIZE + pages * kStructPageBytes);
    BOOST_TEST(g.mm->pages_released() == pages - reserved / PAGE_SIZE);
    BOOST_TEST(nr_free_pages() == g.mm->pages_released());
    BOOST_TEST(totalram_pages() == g.mm->pages_released());
    // Reserved pages are PageReserved and never in the buddy.
    BOOST_TEST(PageReserved(pfn_to_page(PFN_DOWN(early))));
    BOOST_TEST(PageReserved(pfn_to_page(PFN_DOWN(SWAPPER_PG_DIR_PHYS))));
    BOOST_TEST(!PageReserved(pfn_to_page(PFN_DOWN(0x80000000))));
    BOOST_TEST(g.log.find("Memory: ") != std::string::npos);
    BOOST_TEST(g.mm->memblock_free_all() == 0u);  // a second time: WARN, nothing
}

BOOST_AUTO_TEST_CASE(memblock_alloc_after_slab_init_falls_back_to_kzalloc) {
    // mm/memblock.c memblock_alloc_internal: WARN_ON_ONCE(slab_is_available()) then kzalloc.
    Guest g;
    g.mm->boot();
    const unsigned long w = warn_count();
    const uint32_t p = memblock_alloc(100, 8);
    BOOST_TEST(p != 0u);
    BOOST_TEST(warn_count() == w + 1);
    BOOST_TEST(ksize(p) == 128u);  // a kmalloc-128 object
    kfree(p);
}
