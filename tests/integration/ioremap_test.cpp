// ioremap / iounmap on the booted guest kernel (sw/mm/ioremap.h) over the Cortex-A8 model.
//
// Expected values:
//  - linux-mm.md §15 ioremap rows and §9.1: ioremap(0x44E0_9000 UART0, 4 KiB) = static-map
//    address 0xF9E0_9000 with nothing new mapped; ioremap(0x4A10_0000 CPSW, 16 KiB) = a new
//    vmalloc-range VA, 16 KiB aligned, 4 KiB Device ptes, guard page; ioremap of RAM = NULL +
//    WARN; the sub-page offset is kept;
//  - the Device pte (cpu_v7_set_pte_ext of MT_DEVICE's L_PTE_MT_DEV_SHARED | L_PTE_SHARED |
//    L_PTE_XN): small page, XN, AP[0], TEX[0] = 1 with C = B = 0 (TEX-remap index 4 =
//    Device, linux-mm.md §3), S; ioremap_wc: index 1 (B only) = Normal non-cacheable;
//  - the bus: a readl/writel of the cookie reaches the device's physical address
//    (DESIGN.md §4).
#define BOOST_TEST_MODULE ioremap
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/io.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/ioremap.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/vmalloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/printk_capture.h"
#include "tests/support/sim_context.h"

namespace {

using namespace kernel;

using QuietLog = vp::test::PrintkCapture;

template <typename F>
void on_bbb(F body) {
    vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        body(c, m);
    });
}

uint32_t hw_pte(uint32_t va) {
    return ptep_get(pte_lookup(swapper_pg_dir(), va) + PTE_HWTABLE_OFF).pte;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(uart0_comes_from_the_static_l4_wkup_map, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const std::string before = vmallocinfo();
        const uint32_t va = ioremap(0x44E09000u, 4096);
        BOOST_TEST(va == 0xF9E09000u);        // PA + 0xB500_0000 (linux-mm.md §2.2)
        BOOST_TEST(vmallocinfo() == before);  // nothing new mapped
        BOOST_TEST(ioremap_stats().static_hits == 1u);
        // GPIO1 in L4_PER: PA + 0xB200_0000.
        BOOST_TEST(ioremap(0x4804C000u, 4096) == 0xFA04C000u);
        iounmap(va);  // a static mapping stays
        BOOST_TEST(vmallocinfo() == before);
        // The static maps are listed as ioremap areas of their physical windows.
        BOOST_TEST(before.find("0xf9c00000-0xfa000000 4194304 iotable_init phys=0x44c00000 "
                               "ioremap") != std::string::npos);
        BOOST_TEST(before.find("0xfa000000-0xfa400000 4194304 iotable_init phys=0x48000000 "
                               "ioremap") != std::string::npos);
    });
}

BOOST_FIXTURE_TEST_CASE(cpsw_gets_a_new_device_mapping_with_a_guard, vp::test::FreshSim) {
    QuietLog log;
    std::vector<vp::TransactionMonitor::Record> recs;
    uint32_t va = 0;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine& m) {
        va = ioremap(0x4A100000u, 16 * 1024);
        BOOST_REQUIRE(va != 0u);
        BOOST_TEST(is_vmalloc_addr(va));
        BOOST_TEST((va & (16 * 1024 - 1)) == 0u);  // aligned to the size's power of two
        const vm_struct* vm = find_vm_area(va);
        BOOST_REQUIRE(vm != nullptr);
        BOOST_TEST(vm->size == 20480u);  // 16 KiB + guard page
        BOOST_TEST(vm->phys_addr == 0x4A100000u);
        BOOST_TEST((vm->flags & VM_IOREMAP) != 0u);
        for (uint32_t i = 0; i < 4; ++i) {
            const uint32_t e = hw_pte(va + i * PAGE_SIZE);
            BOOST_TEST((e >> 12) == ((0x4A100000u >> 12) + i));
            BOOST_TEST((e & 0xFFFu) == (PTE_EXT_XN | PTE_TYPE_SMALL | PTE_EXT_AP0 | PTE_EXT_TEX(1) |
                                        PTE_EXT_SHARED));
        }
        BOOST_TEST(pte_none(ptep_get(pte_lookup(swapper_pg_dir(), va + 16 * 1024))));
        const std::string info = vmallocinfo();
        char want[96];
        std::snprintf(want, sizeof want, "0x%08x-0x%08x   20480 ", va, va + 20480);
        BOOST_TEST(info.find(want) != std::string::npos);
        BOOST_TEST(info.find("phys=0x4a100000 ioremap") != std::string::npos);
        // Register accesses reach the device at its physical address.
        m.clear_records();
        hal::writel(0x12345678u, va + 4);
        const uint32_t back = hal::readl(va + 4);
        BOOST_TEST(back == 0x12345678u);
        recs = m.bus_records();
    });
    bool wrote = false, read = false;
    for (const auto& r : recs) {
        if (r.address == 0x4A100004u && r.command == tlm::TLM_WRITE_COMMAND)
            wrote = r.value() == 0x12345678u;
        if (r.address == 0x4A100004u && r.command == tlm::TLM_READ_COMMAND) read = true;
    }
    BOOST_TEST(wrote);
    BOOST_TEST(read);
}

BOOST_FIXTURE_TEST_CASE(ram_is_refused_with_a_warning, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const unsigned long w = warn_count();
        BOOST_TEST(ioremap(0x80000000u, 4096) == 0u);
        BOOST_TEST(ioremap(0x9F000000u, 64) == 0u);
        BOOST_TEST(warn_count() == w + 2);
        BOOST_TEST(ioremap(0x4A100000u, 0) == 0u);       // zero size
        BOOST_TEST(ioremap(0xFFFFF000u, 0x2000) == 0u);  // wraps around
    });
}

BOOST_FIXTURE_TEST_CASE(offset_is_kept_and_wc_is_normal_noncacheable, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const uint32_t va = ioremap(0x4A100010u, 8);
        BOOST_REQUIRE(va != 0u);
        BOOST_TEST((va & 0xFFFu) == 0x10u);
        const uint32_t wc = ioremap_wc(0x4A102000u, 4096);
        BOOST_REQUIRE(wc != 0u);
        // MT_DEVICE_WC: L_PTE_MT_DEV_WC (0x9 << 2) -> TEX[0]:C:B = 001 = Normal non-cacheable.
        BOOST_TEST((hw_pte(wc) & 0xFFFu) ==
                   (PTE_EXT_XN | PTE_TYPE_SMALL | PTE_BUFFERABLE | PTE_EXT_AP0));
        iounmap(va);
        iounmap(wc);
    });
}

BOOST_FIXTURE_TEST_CASE(iounmap_releases_and_access_after_purge_faults, vp::test::FreshSim) {
    QuietLog log;
    bool oops = false;
    on_bbb([&](hal::Cpu& c, vp::test::GuestMachine&) {
        const uint32_t va = ioremap(0x4A100000u, 4096);
        (void)hal::readl(va);
        iounmap(va);
        BOOST_TEST(find_vm_area(va) == nullptr);
        BOOST_TEST(pte_none(ptep_get(pte_lookup(swapper_pg_dir(), va))));
        vm_unmap_aliases();  // the lazy purge flushes the stale TLB entry
        try {
            (void)c.load32(va);
        } catch (const hal::GuestOops&) {
            oops = true;
        }
        const unsigned long w = warn_count();
        iounmap(0xE0900000u);  // no ioremap cookie
        BOOST_TEST(warn_count() == w + 1);
    });
    BOOST_TEST(oops);
}

BOOST_FIXTURE_TEST_CASE(iomem_lists_ram_kernel_and_devices, vp::test::FreshSim) {
    QuietLog log;
    on_bbb([&](hal::Cpu&, vp::test::GuestMachine&) {
        const std::string s = iomem_listing();
        BOOST_TEST(s.find("44e09000-44e09fff : uart0\n") != std::string::npos);
        BOOST_TEST(s.find("4a100000-4a103fff : cpsw\n") != std::string::npos);
        BOOST_TEST(s.find("80000000-9fffffff : System RAM\n") != std::string::npos);
        BOOST_TEST(s.find("  80008000-") != std::string::npos);
        BOOST_TEST(s.find(" : Kernel code\n") != std::string::npos);
        BOOST_TEST(s.find(" : Kernel data\n") != std::string::npos);
        // By address: the L4_WKUP devices before L4_PER before RAM.
        BOOST_TEST(s.find("uart0") < s.find("gpio1"));
        BOOST_TEST(s.find("gpio1") < s.find("System RAM"));
    });
}
