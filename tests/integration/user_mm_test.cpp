// User address spaces on the real platform: demand paging through real data aborts, munmap,
// two processes at the same VA, ASID rollover, remap_pfn_range of a DMA buffer, PAN.
//
// Expected values:
//  - first touch of an anonymous page: one data abort, DFSR FS = 0b00111 "translation fault
//    (page)" with WnR for a write, DFAR = the address (DDI 0406C B4.1.52, mmu-tlb.md §2.4/§2.5);
//    the very first touch of a 2 MiB region has no L2 table yet, so its L1 entry faults:
//    FS = 0b00101 "translation fault (section)"; the second touch takes no abort;
//  - a read first maps the zero page read-only, the first write then takes a permission
//    fault (page), FS 0b01111 (mm/memory.c do_anonymous_page/do_wp_page; mmu-tlb.md §2.5);
//  - access after munmap / write to a read-only VMA: SIGSEGV with SEGV_MAPERR / SEGV_ACCERR
//    (arch/arm/mm/fault.c __do_page_fault);
//  - ASIDs: 8 bits, ASID 0 reserved, so 255 per generation; the 256th new mm starts a new
//    generation and a TLBIALL is issued (arch/arm/mm/context.c; mmu-tlb.md §4.2);
//  - a kernel dereference of a user pointer outside uaccess takes a domain fault with
//    CPU_SW_DOMAIN_PAN (linux-mm.md §3), FS 0b01011 (page domain fault) and is an oops.
#define BOOST_TEST_MODULE user_mm
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sw/arch/arm/fault.h"
#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/asid.h"
#include "sw/mm/dma-mapping.h"
#include "sw/mm/mmap.h"
#include "sw/mm/page_alloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/sim_context.h"

using namespace kernel;

namespace {

constexpr uint32_t kFsTranslationSection = 0x05;
constexpr uint32_t kFsTranslationPage = 0x07;
constexpr uint32_t kFsPermissionPage = 0x0F;
constexpr uint32_t kFsDomainPage = 0x0B;
constexpr uint32_t kWnR = 1u << 11;

uint32_t fs_of(uint32_t dfsr) {
    return (dfsr & 0xF) | (((dfsr >> 10) & 1u) << 4);
}

void with_user(vp::test::GuestMachine& m, const std::function<void(hal::Cpu&)>& body) {
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        asid_reset();
        user_mm_init();
        body(c);
        user_mm_exit();
    });
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(demand_paging_first_touch_one_translation_fault, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        mm_struct* mm = mm_alloc();
        BOOST_REQUIRE(mm);
        const uint32_t p =
            vm_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        BOOST_REQUIRE(!IS_ERR_VALUE(p));
        BOOST_TEST(p == TASK_SIZE - MMAP_MIN_GAP - 2 * PAGE_SIZE);  // top-down layout
        const unsigned long f0 = user_mm_stats().page_faults;
        // The first page of the region: no pte table yet, the L1 entry faults.
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { c.store32(p + PAGE_SIZE, 1u); }) == 0);
        BOOST_TEST(fs_of(m.cpu().cp15_reg("DFSR")) == kFsTranslationSection);
        BOOST_TEST(user_mm_stats().page_faults - f0 == 1u);
        const int sig = run_user(mm, [&](hal::Cpu& c) { c.store32(p + 8, 0x1234u); });
        BOOST_TEST(sig == 0);
        BOOST_TEST(user_mm_stats().page_faults - f0 == 2u);
        const uint32_t dfsr = m.cpu().cp15_reg("DFSR");
        BOOST_TEST(fs_of(dfsr) == kFsTranslationPage);
        BOOST_TEST((dfsr & kWnR) != 0u);
        BOOST_TEST(m.cpu().cp15_reg("DFAR") == p + 8);
        // Second touch: no abort.
        uint32_t v = 0;
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { v = c.load32(p + 8); }) == 0);
        BOOST_TEST(v == 0x1234u);
        BOOST_TEST(user_mm_stats().page_faults - f0 == 2u);
        BOOST_TEST(mm->anon_pages == 2u);
        mmput(mm);
    });
}

BOOST_FIXTURE_TEST_CASE(read_maps_zero_page_then_write_copies, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        mm_struct* mm = mm_alloc();
        const uint32_t p =
            vm_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        uint32_t v = 1;
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { v = c.load32(p); }) == 0);
        BOOST_TEST(v == 0u);
        BOOST_TEST(mm->minor_zero == 1u);
        BOOST_TEST(mm->anon_pages == 0u);
        BOOST_TEST(fs_of(m.cpu().cp15_reg("DFSR")) == kFsTranslationSection);  // no table yet
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { c.store32(p, 7); }) == 0);
        BOOST_TEST(fs_of(m.cpu().cp15_reg("DFSR")) == kFsPermissionPage);
        BOOST_TEST(mm->cow == 1u);
        BOOST_TEST(mm->anon_pages == 1u);
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { v = c.load32(p); }) == 0);
        BOOST_TEST(v == 7u);
        mmput(mm);
    });
}

BOOST_FIXTURE_TEST_CASE(munmap_then_access_segfaults, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        mm_struct* mm = mm_alloc();
        const uint32_t p =
            vm_mmap(mm, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) {
                       for (uint32_t i = 0; i < 3; ++i)
                           c.store32(p + i * PAGE_SIZE, i);
                   }) == 0);
        BOOST_TEST(mm->anon_pages == 3u);
        const unsigned long flushes = tlb_flush_counts().by_mva;
        BOOST_TEST(vm_munmap(mm, p + PAGE_SIZE, PAGE_SIZE) == 0);
        BOOST_TEST(mm->anon_pages == 2u);
        BOOST_TEST(tlb_flush_counts().by_mva > flushes);  // TLBIMVA with the ASID
        BOOST_TEST(mm->mmap.size() == 2u);                // the VMA was split
        const int sig = run_user(mm, [&](hal::Cpu& c) { (void)c.load32(p + PAGE_SIZE); });
        BOOST_TEST(sig == SIGSEGV);
        BOOST_TEST(mm->last_signal.si_code == SEGV_MAPERR);
        BOOST_TEST(mm->last_signal.addr == p + PAGE_SIZE);
        // The neighbours still work.
        uint32_t v = 0;
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { v = c.load32(p + 2 * PAGE_SIZE); }) == 0);
        BOOST_TEST(v == 2u);
        mmput(mm);
    });
}

BOOST_FIXTURE_TEST_CASE(write_to_readonly_vma_is_accerr, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        mm_struct* mm = mm_alloc();
        const uint32_t p = vm_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
        uint32_t v = 1;
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { v = c.load32(p); }) == 0);
        BOOST_TEST(v == 0u);
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) { c.store32(p, 1); }) == SIGSEGV);
        BOOST_TEST(mm->last_signal.si_code == SEGV_ACCERR);
        BOOST_TEST(fs_of(mm->last_signal.fsr) == kFsPermissionPage);
        mmput(mm);
    });
}

BOOST_FIXTURE_TEST_CASE(two_processes_same_va_different_data, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        constexpr uint32_t kVa = 0x10000000u;
        mm_struct* a = mm_alloc();
        mm_struct* b = mm_alloc();
        for (mm_struct* mm : {a, b})
            BOOST_REQUIRE(vm_mmap(mm, kVa, PAGE_SIZE, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == kVa);
        BOOST_TEST(run_user(a, [&](hal::Cpu& c) { c.store32(kVa, 0xAAAAu); }) == 0);
        BOOST_TEST(run_user(b, [&](hal::Cpu& c) { c.store32(kVa, 0xBBBBu); }) == 0);
        BOOST_TEST(mm_asid(a) != mm_asid(b));
        BOOST_TEST(m.cpu().cp15_reg("CONTEXTIDR") == static_cast<uint32_t>(b->context.id));
        uint32_t va = 0, vb = 0;
        BOOST_TEST(run_user(a, [&](hal::Cpu& c) { va = c.load32(kVa); }) == 0);
        BOOST_TEST(run_user(b, [&](hal::Cpu& c) { vb = c.load32(kVa); }) == 0);
        BOOST_TEST(va == 0xAAAAu);
        BOOST_TEST(vb == 0xBBBBu);
        mmput(a);
        mmput(b);
    });
}

BOOST_FIXTURE_TEST_CASE(asid_rollover_after_255_then_tlbiall, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        const unsigned long all0 = tlb_flush_counts().all;
        for (unsigned i = 1; i < NUM_USER_ASIDS; ++i) {  // ASIDs 1..255
            mm_struct* mm = mm_alloc();
            BOOST_REQUIRE(mm);
            switch_mm(current_user_mm(), mm);
            BOOST_TEST(mm_asid(mm) == i);
            switch_mm(mm, nullptr);
            mmput(mm);
        }
        BOOST_TEST(asid_stats().rollovers == 0u);
        BOOST_TEST(tlb_flush_counts().all - all0 == 0u);
        mm_struct* mm = mm_alloc();
        switch_mm(current_user_mm(), mm);
        BOOST_TEST(asid_stats().rollovers == 1u);
        BOOST_TEST(tlb_flush_counts().all - all0 == 1u);
        BOOST_TEST(mm_asid(mm) != 0u);
        BOOST_TEST((mm->context.id >> ASID_BITS) == 2u);  // second generation
        switch_mm(mm, nullptr);
        mmput(mm);
    });
}

// remap_pfn_range (§12.2) of a coherent DMA buffer with pgprot_dmacoherent: the user and the
// kernel see each other's writes.
BOOST_FIXTURE_TEST_CASE(remap_dma_buffer_into_user, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu& c) {
        dma_mapping_init();
        device dev;
        dev.name = "dev0";
        dma_addr_t h = 0;
        const uint32_t kva = dma_alloc_coherent(&dev, 2 * PAGE_SIZE, &h, GFP_KERNEL);
        BOOST_REQUIRE(kva != 0u);
        mm_struct* mm = mm_alloc();
        const uint32_t u =
            vm_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
        vm_area_struct* vma = find_vma(mm, u);
        BOOST_REQUIRE(vma);
        BOOST_TEST(remap_pfn_range(vma, u, h >> PAGE_SHIFT, 2 * PAGE_SIZE,
                                   pgprot_dmacoherent(vma->vm_page_prot)) == 0);
        BOOST_TEST((vma->vm_flags & (VM_IO | VM_PFNMAP)) == (VM_IO | VM_PFNMAP));
        // A second remap over filled ptes is refused.
        BOOST_TEST(remap_pfn_range(vma, u, h >> PAGE_SHIFT, PAGE_SIZE, vma->vm_page_prot) ==
                   -EACCES);
        BOOST_TEST(run_user(mm, [&](hal::Cpu& cc) { cc.store32(u + PAGE_SIZE + 4, 0xCAFEu); }) ==
                   0);
        BOOST_TEST(c.load32(kva + PAGE_SIZE + 4) == 0xCAFEu);
        c.store32(kva, 0xBEEFu);
        uint32_t v = 0;
        BOOST_TEST(run_user(mm, [&](hal::Cpu& cc) { v = cc.load32(u); }) == 0);
        BOOST_TEST(v == 0xBEEFu);
        mmput(mm);
        dma_free_coherent(&dev, 2 * PAGE_SIZE, kva, h);
        dma_mapping_exit();
    });
}

// CPU_SW_DOMAIN_PAN: the kernel touching a user pointer outside a uaccess window takes a
// domain fault and oopses.
BOOST_FIXTURE_TEST_CASE(kernel_raw_user_access_is_domain_fault, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu& c) {
        mm_struct* mm = mm_alloc();
        const uint32_t p =
            vm_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        BOOST_TEST(run_user(mm, [&](hal::Cpu& cc) { cc.store32(p, 5); }) == 0);
        bool oops = false;
        try {
            (void)c.load32(p);  // kernel mode, DOMAIN_USER no-access
        } catch (const hal::GuestOops&) {
            oops = true;
        }
        BOOST_TEST(oops);
        BOOST_TEST(fs_of(m.cpu().cp15_reg("DFSR")) == kFsDomainPage);
        BOOST_TEST(last_oops().find("Unable to handle kernel paging request") != std::string::npos);
        mmput(mm);
    });
}

// Invariant: every page (data, pte tables, the pgd) is back in the buddy after mmput.
BOOST_FIXTURE_TEST_CASE(all_pages_back_after_mmput, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_user(m, [&](hal::Cpu&) {
        const unsigned long before = nr_free_pages();
        mm_struct* mm = mm_alloc();
        const uint32_t p = vm_mmap(mm, 0, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
        BOOST_REQUIRE(!IS_ERR_VALUE(p));
        BOOST_TEST(mm->anon_pages == 64u);
        const uint32_t q = vm_mmap(mm, 0x00400000u, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS);
        BOOST_TEST(q == 0x00400000u);  // a free hint is honoured
        BOOST_TEST(run_user(mm, [&](hal::Cpu& c) {
                       for (uint32_t i = 0; i < 4; ++i)
                           c.store8(q + i * PAGE_SIZE, 1);
                   }) == 0);
        BOOST_TEST(nr_free_pages() < before);
        mmput(mm);
        BOOST_TEST(nr_free_pages() == before);
    });
}
