// The DMA API and dma-debug on the real platform: the guest kernel (kernel::System) booted on
// the Cortex-A8 model (tests/support/guest_machine.h).
//
// Expected values:
//  - dma_alloc_coherent: linux-mm.md §11.1 and the §15 rows (one zeroed page for 100 bytes,
//    Normal non-cacheable = L_PTE_MT_BUFFERABLE + XN (pgprot_dmacoherent), handle = physical
//    address, CMA for blocking GFP, the 256 KiB atomic pool for GFP_ATOMIC, failing when full);
//  - streaming maintenance by direction: the §11.2 table (TO_DEVICE clean, FROM_DEVICE
//    invalidate, unmap TO_DEVICE nothing); the cache model's line state after DCCMVAC/DCIMVAC
//    (ARM ARM DDI 0406C B4.2.1; docs/models/cache.md §4);
//  - "rejecting DMA map of vmalloc memory" + DMA_MAPPING_ERROR: §15, include/linux/dma-mapping.h;
//  - dma-debug messages: kernel/dma/debug.c (linux-mm.md §14.6), one error per case;
//  - dma_set_mask: dma_direct_supported (the mask must reach the end of RAM, 0x9FFFFFFF on BBB).
#define BOOST_TEST_MODULE dma
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "sw/arch/arm/pgtable.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/dma-debug.h"
#include "sw/mm/dma-mapping.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"
#include "tests/support/guest_machine.h"
#include "tests/support/printk_capture.h"
#include "tests/support/sim_context.h"

using namespace kernel;

namespace {

// Records the kernel log while it lives.
using LogCapture = vp::test::PrintkCapture;

// Boots the BBB kernel in the guest, runs `body`, tears DMA state down.
void with_kernel(vp::test::GuestMachine& m, const std::function<void(hal::Cpu&, System&)>& body) {
    m.run([&](hal::Cpu& c) {
        System sys(vp::test::bbb_boot_info());
        dma_debug_reset();
        dma_mapping_init();
        body(c, sys);
        dma_mapping_exit();
        dma_debug_reset();
    });
}

pte_t linear_pte(uint32_t va) {
    const uint32_t ptep = pte_lookup(swapper_pg_dir(), va);
    BOOST_REQUIRE(ptep != 0u);
    return ptep_get(ptep);
}

vp::test::GuestMachineParams approximate() {
    vp::test::GuestMachineParams p;
    p.cpu.mode = vp::TimingMode::approximate;
    return p;
}

}  // namespace

// §15: dma_alloc_coherent(dev, 100, &h, GFP_KERNEL) -> one zeroed page, Normal non-cacheable
// CPU mapping (lowmem VA with CMA), h = physical address. Free restores PAGE_KERNEL (§11.1).
BOOST_FIXTURE_TEST_CASE(coherent_gfp_kernel_from_cma, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_kernel(m, [&](hal::Cpu& c, System& sys) {
        device dev{"48300000.dma", 0xFFFFFFFF, 0xFFFFFFFF, "edma"};
        const cma_area& cma = sys.mm().cma();
        dma_addr_t h = 0;
        const uint32_t va = dma_alloc_coherent(&dev, 100, &h, GFP_KERNEL);
        BOOST_REQUIRE(va != 0u);
        BOOST_TEST(std::string(dma_coherent_kind(va)) == "cma");
        BOOST_TEST(h == virt_to_phys(va));  // bus address = physical address
        BOOST_TEST((h >= cma.base && h < cma.base + cma.size));
        BOOST_TEST((va & ~PAGE_MASK) == 0u);  // whole pages
        const pte_t pte = linear_pte(va);
        BOOST_TEST((pte_val(pte) & L_PTE_MT_MASK) == L_PTE_MT_BUFFERABLE);  // Normal NC
        BOOST_TEST((pte_val(pte) & L_PTE_XN) != 0u);
        // Dirty the buffer, free it, allocate again: the same CMA page comes back zeroed.
        c.fill(va, 0xA5, PAGE_SIZE);
        dma_free_coherent(&dev, 100, va, h);
        BOOST_TEST((pte_val(linear_pte(va)) & L_PTE_MT_MASK) == L_PTE_MT_WRITEALLOC);
        dma_addr_t h2 = 0;
        const uint32_t va2 = dma_alloc_coherent(&dev, 100, &h2, GFP_KERNEL);
        BOOST_REQUIRE(va2 == va);
        std::vector<uint8_t> buf(PAGE_SIZE, 0xFF);
        c.read_block(va2, buf.data(), buf.size());
        bool zero = true;
        for (uint8_t b : buf)
            zero = zero && b == 0;
        BOOST_TEST(zero);
        dma_free_coherent(&dev, 100, va2, h2);
        BOOST_TEST(dma_stats().coherent_live == 0u);
        BOOST_TEST(dma_debug_error_count() == 0u);
    });
}

// A coherent buffer is Normal non-cacheable: CPU accesses through it allocate no line in L1-D
// or L2 (the cache model bypasses non-cacheable accesses, docs/models/cache.md §2).
BOOST_FIXTURE_TEST_CASE(coherent_buffer_allocates_no_cache_line, vp::test::FreshSim) {
    vp::test::GuestMachine m(approximate());
    with_kernel(m, [&](hal::Cpu& c, System&) {
        device dev;
        dev.name = "dev0";
        dma_addr_t h = 0;
        const uint32_t va = dma_alloc_coherent(&dev, 4096, &h, GFP_KERNEL);
        BOOST_REQUIRE(va != 0u);
        for (uint32_t off = 0; off < 4096; off += 64) {
            c.store32(va + off, off);
            BOOST_TEST(c.load32(va + off) == off);
        }
        auto* caches = m.cpu().caches();
        BOOST_REQUIRE(caches != nullptr);
        bool any = false;
        for (uint32_t off = 0; off < 4096; off += 64)
            any = any || caches->l1d().contains(h + off) ||
                  (caches->l2() && caches->l2()->contains(h + off));
        BOOST_TEST(!any);
        // The device (a physical write to DDR) and the CPU see the same memory at once.
        const uint32_t v = 0xD1CEu;
        std::memcpy(m.ddr().host_ptr() + (h - vp::test::kDdrBase), &v, 4);
        BOOST_TEST(c.load32(va) == v);
        dma_free_coherent(&dev, 4096, va, h);
    });
}

// §15: GFP_ATOMIC comes from the 256 KiB atomic pool (a vmalloc-space alias) and fails when
// the pool is exhausted.
BOOST_FIXTURE_TEST_CASE(atomic_pool_256k_then_exhausted, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_kernel(m, [&](hal::Cpu&, System&) {
        device dev;
        dev.name = "dev0";
        std::vector<std::pair<uint32_t, dma_addr_t>> bufs;
        for (unsigned i = 0; i < DMA_ATOMIC_POOL_SIZE / PAGE_SIZE; ++i) {
            dma_addr_t h = 0;
            const uint32_t va = dma_alloc_coherent(&dev, PAGE_SIZE, &h, GFP_ATOMIC);
            BOOST_REQUIRE(va != 0u);
            BOOST_TEST(is_vmalloc_addr(va));
            BOOST_TEST(std::string(dma_coherent_kind(va)) == "pool");
            bufs.push_back({va, h});
        }
        BOOST_TEST(dma_stats().atomic_pool_used == DMA_ATOMIC_POOL_SIZE);
        dma_addr_t h = 0;
        BOOST_TEST(dma_alloc_coherent(&dev, PAGE_SIZE, &h, GFP_ATOMIC) == 0u);
        // The pool pages are mapped non-cacheable in vmalloc space.
        const uint32_t ptep = pte_lookup(swapper_pg_dir(), bufs[0].first);
        BOOST_REQUIRE(ptep != 0u);
        BOOST_TEST((pte_val(ptep_get(ptep)) & L_PTE_MT_MASK) == L_PTE_MT_BUFFERABLE);
        for (auto& b : bufs)
            dma_free_coherent(&dev, PAGE_SIZE, b.first, b.second);
        BOOST_TEST(dma_stats().atomic_pool_used == 0u);
        BOOST_TEST(dma_alloc_coherent(&dev, PAGE_SIZE, &h, GFP_ATOMIC) != 0u);
    });
}

// §15: dma_map_single of vmalloc memory -> DMA_MAPPING_ERROR + warning.
BOOST_FIXTURE_TEST_CASE(map_single_refuses_vmalloc, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_kernel(m, [&](hal::Cpu&, System&) {
        device dev;
        dev.name = "dev0";
        const uint32_t v = vmalloc(PAGE_SIZE);
        BOOST_REQUIRE(v != 0u);
        LogCapture log;
        const dma_addr_t a = dma_map_single(&dev, v, 64, DMA_TO_DEVICE);
        BOOST_TEST(a == DMA_MAPPING_ERROR);
        BOOST_TEST(dma_mapping_error(&dev, a) != 0);
        BOOST_TEST(log.has("rejecting DMA map of vmalloc memory"));
        vfree(v);
    });
}

// §11.2: the maintenance of each direction reaches the cache model. The model is tag-only
// (data always comes from memory, docs/models/cortex_a8.md), so what is checked is the line
// state: TO_DEVICE cleans (line no longer dirty), FROM_DEVICE invalidates (line gone), and a
// device write to DDR is read by the CPU after unmap.
BOOST_FIXTURE_TEST_CASE(streaming_maintenance_by_direction, vp::test::FreshSim) {
    vp::test::GuestMachine m(approximate());
    with_kernel(m, [&](hal::Cpu& c, System&) {
        device dev;
        dev.name = "dev0";
        auto* caches = m.cpu().caches();
        BOOST_REQUIRE(caches != nullptr);
        const uint32_t buf = kmalloc(256, GFP_KERNEL);
        BOOST_REQUIRE(buf != 0u);
        const phys_addr_t pa = virt_to_phys(buf);
        // Bring the lines into L1-D (loads allocate) and dirty them (stores hit).
        for (uint32_t off = 0; off < 256; off += 4)
            (void)c.load32(buf + off);
        for (uint32_t off = 0; off < 256; off += 4)
            c.store32(buf + off, off);
        BOOST_REQUIRE(caches->l1d().contains(pa));
        BOOST_REQUIRE(caches->l1d().is_dirty(pa));

        dma_addr_t a = dma_map_single(&dev, buf, 256, DMA_TO_DEVICE);
        BOOST_REQUIRE(!dma_mapping_error(&dev, a));
        BOOST_TEST(a == pa);
        BOOST_TEST(!caches->l1d().is_dirty(pa));  // cleaned (DCCMVAC)
        dma_unmap_single(&dev, a, 256, DMA_TO_DEVICE);

        for (uint32_t off = 0; off < 256; off += 4)
            (void)c.load32(buf + off);
        BOOST_REQUIRE(caches->l1d().contains(pa));
        a = dma_map_single(&dev, buf, 256, DMA_FROM_DEVICE);
        BOOST_REQUIRE(!dma_mapping_error(&dev, a));
        BOOST_TEST(!caches->l1d().contains(pa));  // invalidated (DCIMVAC)
        BOOST_TEST(!caches->l1d().contains(pa + 192));
        // The device writes the buffer in DDR.
        const uint32_t v = 0x600DF00Du;
        std::memcpy(m.ddr().host_ptr() + (pa - vp::test::kDdrBase), &v, 4);
        dma_unmap_single(&dev, a, 256, DMA_FROM_DEVICE);
        BOOST_TEST(c.load32(buf) == v);
        kfree(buf);
        BOOST_TEST(dma_debug_error_count() == 0u);
    });
}

// §14.6, one error per case, each with its message.
BOOST_FIXTURE_TEST_CASE(dma_debug_errors, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_kernel(m, [&](hal::Cpu&, System&) {
        device dev{"48300000.dma", 0xFFFFFFFF, 0xFFFFFFFF, "edma"};
        const uint32_t buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
        BOOST_REQUIRE(buf != 0u);
        struct Case {
            const char* message;
            std::function<void()> run;
        };
        const std::vector<Case> cases = {
            {"DMA-API: edma 48300000.dma: device driver frees DMA memory with different size "
             "[device address=0x00000000",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
                 dma_mapping_error(&dev, a);
                 dma_unmap_single(&dev, a, 64, DMA_TO_DEVICE);
             }},
            {"device driver frees DMA memory with different direction",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
                 dma_mapping_error(&dev, a);
                 dma_unmap_single(&dev, a, 128, DMA_FROM_DEVICE);
             }},
            {"device driver tries to free DMA memory it has not allocated",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
                 dma_mapping_error(&dev, a);
                 dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);
                 dma_debug_set_num_errors(1);
                 dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);  // double unmap
             }},
            {"device driver tries to free an invalid DMA memory address",
             [&] { dma_unmap_single(&dev, DMA_MAPPING_ERROR, 128, DMA_TO_DEVICE); }},
            {"device driver failed to check map error",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
                 dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);
             }},
            {"device driver syncs DMA memory with different direction",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
                 dma_mapping_error(&dev, a);
                 dma_sync_single_for_device(&dev, a, 128, DMA_FROM_DEVICE);
                 dma_debug_set_num_errors(0);  // the unmap below is clean; keep the first
                 dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);
             }},
            {"device driver syncs DMA memory outside allocated range",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 128, DMA_BIDIRECTIONAL);
                 dma_mapping_error(&dev, a);
                 dma_sync_single_for_cpu(&dev, a + 64, 128, DMA_BIDIRECTIONAL);
                 dma_unmap_single(&dev, a, 128, DMA_BIDIRECTIONAL);
             }},
            {"cacheline tracking EEXIST, overlapping mappings aren't supported",
             [&] {
                 const dma_addr_t a = dma_map_single(&dev, buf, 64, DMA_FROM_DEVICE);
                 const dma_addr_t b = dma_map_single(&dev, buf, 64, DMA_FROM_DEVICE);
                 dma_mapping_error(&dev, a);
                 dma_mapping_error(&dev, b);
                 dma_unmap_single(&dev, a, 64, DMA_FROM_DEVICE);
                 dma_unmap_single(&dev, b, 64, DMA_FROM_DEVICE);
             }},
            {"device driver frees DMA memory with different size",
             [&] {
                 dma_addr_t h = 0;
                 const uint32_t va = dma_alloc_coherent(&dev, 8192, &h, GFP_KERNEL);
                 dma_free_coherent(&dev, 4096, va, h);
             }},
            {"device driver has pending DMA allocations while released from device [count=2]",
             [&] {
                 dma_addr_t h = 0;
                 const uint32_t va = dma_alloc_coherent(&dev, 4096, &h, GFP_KERNEL);
                 const dma_addr_t a = dma_map_single(&dev, buf, 64, DMA_TO_DEVICE);
                 dma_mapping_error(&dev, a);
                 BOOST_TEST(dma_release_device(&dev) == 2);
                 dma_debug_set_num_errors(0);
                 dma_unmap_single(&dev, a, 64, DMA_TO_DEVICE);
                 dma_free_coherent(&dev, 4096, va, h);
             }},
        };
        for (const Case& k : cases) {
            dma_debug_reset();
            LogCapture log;
            k.run();
            BOOST_TEST_CONTEXT(k.message) {
                BOOST_TEST(dma_debug_error_count() == 1u);
                BOOST_TEST(log.has(k.message), log.text);
            }
        }
        // The handle of the size case is the buffer's physical address.
        kfree(buf);
    });
}

// dma_free_coherent of an address that is no buffer: "Freeing invalid buffer" (arm_dma_free).
BOOST_FIXTURE_TEST_CASE(free_invalid_coherent_buffer, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_kernel(m, [&](hal::Cpu&, System&) {
        device dev;
        dev.name = "dev0";
        LogCapture log;
        const unsigned long warns = warn_count();
        dma_free_coherent(&dev, 4096, 0xC1000000u, 0x81000000u);
        BOOST_TEST(log.has("Freeing invalid buffer"));
        BOOST_TEST(warn_count() > warns);
    });
}

// dma_direct_supported: a mask below the end of RAM (0x9FFFFFFF on BBB) is refused.
BOOST_FIXTURE_TEST_CASE(dma_masks, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    with_kernel(m, [&](hal::Cpu&, System&) {
        device dev;
        dev.name = "dev0";
        BOOST_TEST(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(32)) == 0);
        BOOST_TEST(dma_set_mask(&dev, DMA_BIT_MASK(31)) == -EIO);
        BOOST_TEST(dev.dma_mask == DMA_BIT_MASK(32));
    });
}

// Invariant: after the coherent buffers and streaming maps are freed, the buddy allocator
// has every page back and the CMA area holds only the atomic pool (linux-mm.md §11.1: the
// pool is taken from CMA at init when there is a CMA area). The snapshot is taken after one
// warm-up round: SLUB keeps an empty slab and vmalloc pte tables are never freed (§3).
BOOST_FIXTURE_TEST_CASE(all_pages_back_after_dma_frees, vp::test::FreshSim) {
    vp::test::GuestMachine m;
    m.run([&](hal::Cpu&) {
        System sys(vp::test::bbb_boot_info());
        dma_debug_reset();
        dma_mapping_init();
        device dev;
        dev.name = "dev0";
        const unsigned long pool_pages = DMA_ATOMIC_POOL_SIZE / PAGE_SIZE;
        BOOST_TEST(dma_stats().cma_pages_used == pool_pages);
        auto round = [&] {
            std::vector<std::pair<uint32_t, dma_addr_t>> bufs;
            for (gfp_t g : {GFP_KERNEL, GFP_ATOMIC, GFP_KERNEL}) {
                dma_addr_t h = 0;
                const uint32_t va = dma_alloc_coherent(&dev, 3 * PAGE_SIZE, &h, g);
                BOOST_REQUIRE(va != 0u);
                bufs.push_back({va, h});
            }
            const uint32_t k = kmalloc(512, GFP_KERNEL);
            const dma_addr_t a = dma_map_single(&dev, k, 512, DMA_BIDIRECTIONAL);
            BOOST_REQUIRE(!dma_mapping_error(&dev, a));
            dma_unmap_single(&dev, a, 512, DMA_BIDIRECTIONAL);
            kfree(k);
            for (auto& b : bufs)
                dma_free_coherent(&dev, 3 * PAGE_SIZE, b.first, b.second);
        };
        round();
        const unsigned long before = nr_free_pages();
        round();
        BOOST_TEST(nr_free_pages() == before);
        BOOST_TEST(dma_stats().cma_pages_used == pool_pages);
        BOOST_TEST(dma_release_device(&dev) == 0);
        dma_mapping_exit();
        BOOST_TEST(dma_debug_error_count() == 0u);
    });
}
