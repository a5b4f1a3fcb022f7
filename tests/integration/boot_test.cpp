// The guest kernel's boot (sw/kernel/boot.h) on the Cortex-A8 model: page tables in DDR,
// MMU on, the "Virtual kernel memory layout" block, memblock reservations.
//
// Expected values:
//  - the layout block: linux-mm.md §2.1/§2.2 (BBB: lowmem 0xC000_0000-0xE000_0000 512 MB,
//    vmalloc 0xE080_0000-0xFF80_0000 496 MB, pkmap 0xBFE0_0000 2 MB, modules 0xBF00_0000-
//    0xBFE0_0000 14 MB, fixmap 0xFFC8_0000-0xFFF0_0000, vector 0xFFFF_0000); EVM 1 GiB:
//    lowmem ends at the 768 MiB limit (VMALLOC_END - 240 MiB - 8 MiB), vmalloc 240 MB;
//    line format of arch/arm/mm/init.c mem_init (Linux 4.19-5.10);
//  - DACR_INIT with CPU_SW_DOMAIN_PAN (asm/domain.h): kernel/io/vectors client, user no access
//    = 0x51; TTBR0 = swapper_pg_dir PA 0x8000_4000 | TTB_FLAGS_UP (C | RGN=01) (linux-mm.md §3,
//    proc-v7-2level.S); PRRR 0xFF0A81A8 / NMRR 0x40E040E0, SCTLR.TRE = 1, AFE = 0;
//  - lowmem section descriptors (mmu-tlb.md §1.4, mmu.c mem_types): MT_MEMORY_RW = section |
//    AP_WRITE | XN | TEX(1)CB (WBWA), domain 0, global; kernel text without XN;
//  - the walk of a lowmem access: one L1 read at TTBR | VA[31:20] << 2 (DDI 0406C B3.5.4).
#define BOOST_TEST_MODULE boot
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/memblock.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/printk_capture.h"
#include "tests/support/sim_context.h"

namespace {

using namespace kernel;

constexpr uint32_t kSwapperPa = 0x80004000u;  // linux-mm.md §3
constexpr uint32_t kL1SectionRw = PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_SECT_XN |
                                  PMD_SECT_TEX(1) | PMD_SECT_CACHEABLE | PMD_SECT_BUFFERABLE;

using LogCapture = vp::test::PrintkCapture;

}  // namespace

BOOST_FIXTURE_TEST_CASE(bbb_layout_block_is_linux_s, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    LogCapture log;
    std::string block;
    m.run([&](hal::Cpu&) {
        System sys(vp::test::bbb_boot_info());
        block = sys.layout_text();
    });
    // linux-mm.md §2.2 (BBB, VMSPLIT_3G, 512 MiB); fixmap per the 5.11+ fixmap.h.
    const std::string expected =
        "Virtual kernel memory layout:\n"
        "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n"
        "    fixmap  : 0xffc80000 - 0xfff00000   (2560 kB)\n"
        "    vmalloc : 0xe0800000 - 0xff800000   ( 496 MB)\n"
        "    lowmem  : 0xc0000000 - 0xe0000000   ( 512 MB)\n"
        "    pkmap   : 0xbfe00000 - 0xc0000000   (   2 MB)\n"
        "    modules : 0xbf000000 - 0xbfe00000   (  14 MB)\n";
    BOOST_TEST(block.substr(0, expected.size()) == expected);
    BOOST_TEST(block.find("      .text : 0xc0008000 - ") != std::string::npos);
    BOOST_TEST(log.text.find("Virtual kernel memory layout:") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(evm_1gib_has_highmem_and_a_768mib_lowmem, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kEvmDdrBytes);
    LogCapture log;
    std::string block;
    unsigned long high_pages = 0;
    m.run([&](hal::Cpu&) {
        System sys(vp::test::evm_boot_info());
        block = sys.layout_text();
        high_pages = sys.mm().pages().get_zone(ZONE_HIGHMEM).managed_pages;
    });
    // lowmem limit = VMALLOC_END - 240 MiB - 8 MiB - PAGE_OFFSET = 768 MiB (linux-mm.md §2.1).
    BOOST_TEST(block.find("    vmalloc : 0xf0800000 - 0xff800000   ( 240 MB)\n") !=
               std::string::npos);
    BOOST_TEST(block.find("    lowmem  : 0xc0000000 - 0xf0000000   ( 768 MB)\n") !=
               std::string::npos);
    // 256 MiB of RAM above the limit is ZONE_HIGHMEM (linux-mm.md §4).
    BOOST_TEST(high_pages == (256u << 20) / PAGE_SIZE);
}

BOOST_FIXTURE_TEST_CASE(mmu_registers_as_arm_linux_programs_them, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    LogCapture log;
    uint32_t dacr = 0, ttbr0 = 0, ttbcr = 1, sctlr = 0, prrr = 0, nmrr = 0;
    m.run([&](hal::Cpu&) {
        System sys(vp::test::bbb_boot_info());
        dacr = cp15_read(cp15::DACR);
        ttbr0 = cp15_read(cp15::TTBR0);
        ttbcr = cp15_read(cp15::TTBCR);
        sctlr = cp15_read(cp15::SCTLR);
        prrr = cp15_read(cp15::PRRR);
        nmrr = cp15_read(cp15::NMRR);
    });
    BOOST_TEST(dacr == 0x51u);  // domain.h DACR_INIT with CPU_SW_DOMAIN_PAN
    BOOST_TEST(ttbr0 == (kSwapperPa | 0x1u | (1u << 3)));  // TTB_IRGN_WBWA | TTB_RGN_OC_WBWA
    BOOST_TEST(ttbcr == 0u);
    BOOST_TEST((sctlr & (sctlr::M | sctlr::C | sctlr::I | sctlr::Z | sctlr::TRE)) ==
               (sctlr::M | sctlr::C | sctlr::I | sctlr::Z | sctlr::TRE));
    BOOST_TEST((sctlr & sctlr::AFE) == 0u);
    BOOST_TEST(prrr == 0xFF0A81A8u);
    BOOST_TEST(nmrr == 0x40E040E0u);
}

BOOST_FIXTURE_TEST_CASE(lowmem_is_global_sections_text_executable, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    LogCapture log;
    std::vector<uint32_t> l1;
    uint32_t vec_l1 = 0, l4_l1 = 0, gap_l1 = 1;
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        for (uint32_t mb = 0; mb < 16; ++mb)
            l1.push_back(c.load32(sys.swapper_pg_dir() + ((PAGE_OFFSET >> 20) + mb) * 4));
        vec_l1 = c.load32(sys.swapper_pg_dir() + (VECTORS_BASE >> 20) * 4);
        l4_l1 = c.load32(sys.swapper_pg_dir() + (L4_34XX_VIRT >> 20) * 4);
        gap_l1 = c.load32(sys.swapper_pg_dir() + (0xE0000000u >> 20) * 4);
    });
    // 0xC00-0xC09: kernel text to __init_end (10 MiB) executable; from 0xC0A XN.
    for (uint32_t mb = 0; mb < 10; ++mb)
        BOOST_TEST(l1[mb] == ((0x80000000u + (mb << 20)) | (kL1SectionRw & ~PMD_SECT_XN)));
    for (uint32_t mb = 10; mb < 16; ++mb)
        BOOST_TEST(l1[mb] == ((0x80000000u + (mb << 20)) | kL1SectionRw));
    // The vectors: a page table in DOMAIN_VECTORS (3).
    BOOST_TEST((vec_l1 & PMD_TYPE_MASK) == PMD_TYPE_TABLE);
    BOOST_TEST(((vec_l1 >> 5) & 0xFu) == 3u);
    // L4_PER static map: a Device section (TEX(1) C=0 B=0 with TRE = index 4), XN, shared,
    // DOMAIN_IO (2) (mmu.c MT_DEVICE).
    BOOST_TEST(l4_l1 == (0x48000000u | PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_SECT_XN |
                         PMD_SECT_TEX(1) | PMD_SECT_S | (2u << 5)));
    // The 8 MiB after lowmem is unmapped (linux-mm.md §2.2).
    BOOST_TEST(gap_l1 == 0u);
}

BOOST_FIXTURE_TEST_CASE(lowmem_access_is_one_l1_read_per_megabyte, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    LogCapture log;
    std::vector<vp::TransactionMonitor::Record> recs;
    uint32_t buf = 0;
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        buf = kmalloc(4096, GFP_KERNEL);
        BOOST_REQUIRE(buf != 0u);
        cp15_write(cp15::TLBIALL, 0);
        m.clear_records();
        (void)c.load32(buf);
        (void)c.load32(buf + 64);
        recs = m.bus_records();
    });
    // Functional mode: the data comes from DMI; the bus sees the walk: one L1 descriptor read
    // at TTBR0 | VA[31:20] << 2 (section), no second-level read.
    BOOST_REQUIRE(recs.size() == 1u);
    BOOST_TEST(recs[0].address == (kSwapperPa | ((buf >> 20) << 2)));
    BOOST_TEST(recs[0].length == 4u);
    BOOST_TEST(((recs[0].value() & PMD_TYPE_MASK) == PMD_TYPE_SECT));
}

BOOST_FIXTURE_TEST_CASE(memblock_reserves_image_tables_and_cma, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    LogCapture log;
    bool img = false, pgd = false, cma = false;
    m.run([&](hal::Cpu&) {
        System sys(vp::test::bbb_boot_info());
        img = memblock_is_region_reserved(0x80008000u, 4096);
        pgd = memblock_is_region_reserved(kSwapperPa, 16384);
        cma = sys.mm().cma().size != 0 && memblock_is_region_reserved(sys.mm().cma().base, 4096);
    });
    BOOST_TEST(img);
    BOOST_TEST(pgd);
    BOOST_TEST(cma);
}

BOOST_FIXTURE_TEST_CASE(bad_boot_info_is_a_clear_error, vp::test::FreshSim) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    LogCapture log;
    bool empty = false, hole = false, twice = false;
    m.run([&](hal::Cpu&) {
        BootInfo b = vp::test::bbb_boot_info();
        b.mem.clear();
        try {
            System s(b);
        } catch (const std::invalid_argument&) {
            empty = true;
        }
        b = vp::test::bbb_boot_info();
        b.mem.push_back({0xA8000000u, 1u << 20});
        try {
            System s(b);
        } catch (const std::invalid_argument&) {
            hole = true;
        }
        System s(vp::test::bbb_boot_info());
        try {
            System s2(vp::test::bbb_boot_info());
        } catch (const std::logic_error&) {
            twice = true;
        }
    });
    BOOST_TEST(empty);
    BOOST_TEST(hole);
    BOOST_TEST(twice);
}

BOOST_FIXTURE_TEST_CASE(approximate_mode_boot_sees_every_table_write, vp::test::FreshSim) {
    // With the cache model on, page-table stores go into L1-D (write-back) while the walker
    // reads L2/memory: only the DCCMVAC after each table write (proc-v7) makes the new
    // entries visible. A vmalloc'd buffer must then read back what was written.
    vp::test::GuestMachineParams p;
    p.cpu.mode = vp::TimingMode::approximate;
    vp::test::GuestMachine m(p);
    LogCapture log;
    uint32_t got = 0;
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        const uint32_t v = kernel::vmalloc(3 * PAGE_SIZE);
        BOOST_REQUIRE(v != 0u);
        c.store32(v + 2 * PAGE_SIZE + 16, 0x5EEDu);
        got = c.load32(v + 2 * PAGE_SIZE + 16);
    });
    BOOST_TEST(got == 0x5EEDu);
}
