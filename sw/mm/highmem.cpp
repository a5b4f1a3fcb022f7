#include "sw/mm/highmem.h"

#include <array>
#include <unordered_map>

#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"
#include "sw/mm/mm.h"
#include "sw/mm/page.h"
#include "sw/mm/page_alloc.h"

namespace kernel {

namespace {

// kmap_prot on ARM is PAGE_KERNEL.
constexpr pgprot_t kmap_prot = PAGE_KERNEL;

struct State {
    std::array<unsigned, LAST_PKMAP> pkmap_count{};
    unsigned last_pkmap_nr = 0;
    std::unordered_map<const page*, uint32_t> page_address_htable;  // set_page_address
    unsigned kmap_local_idx = 0;
    HighmemStats stats;
};
State g;

uint32_t pkmap_pte(unsigned nr) {
    // pkmap_page_table: the one pte page kmap_init made for the 2 MiB pkmap area.
    return pte_offset_kernel(pmd_off_k(PKMAP_BASE), PKMAP_ADDR(nr));
}

uint32_t fixmap_pte(uint32_t vaddr) {
    const uint32_t pmd = pmd_off_k(vaddr);
    if (pmd_table(pmd_read(pmd))) return pte_offset_kernel(pmd, vaddr);
    return pte_alloc_kernel(pmd, vaddr);
}

void flush_all_zero_pkmaps() {
    bool need_flush = false;
    for (unsigned i = 0; i < LAST_PKMAP; ++i) {
        if (g.pkmap_count[i] != 1) continue;
        g.pkmap_count[i] = 0;
        const uint32_t ptep = pkmap_pte(i);
        const pte_t pte = ptep_get(ptep);
        if (pte_none(pte)) continue;
        if (page* p = pfn_to_page(pte_pfn(pte))) g.page_address_htable.erase(p);
        pte_clear(PKMAP_ADDR(i), ptep);
        need_flush = true;
    }
    if (need_flush) {
        ++g.stats.pkmap_flushes;
        flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP));
    }
}

uint32_t map_new_virtual(page* p) {
    unsigned count = LAST_PKMAP;
    for (;;) {
        g.last_pkmap_nr = (g.last_pkmap_nr + 1) & LAST_PKMAP_MASK;
        if (!g.last_pkmap_nr) {
            flush_all_zero_pkmaps();
            count = LAST_PKMAP;
        }
        if (!g.pkmap_count[g.last_pkmap_nr]) break;
        if (--count) continue;
        // Linux sleeps on pkmap_map_wait here; the guest has nobody to wait for.
        warn_printk("kmap: all %u pkmap slots are in use", LAST_PKMAP);
        return 0;
    }
    const uint32_t vaddr = PKMAP_ADDR(g.last_pkmap_nr);
    set_pte_at(vaddr, pkmap_pte(g.last_pkmap_nr), pfn_pte(page_to_pfn(p), kmap_prot));
    g.pkmap_count[g.last_pkmap_nr] = 1;
    g.page_address_htable[p] = vaddr;
    return vaddr;
}

}  // namespace

bool PageHighMem(const page* p) {
    return p && p->zone == ZONE_HIGHMEM;
}

uint32_t kmap(page* p) {
    if (!p) return 0;
    if (!PageHighMem(p)) return page_address(p);
    auto it = g.page_address_htable.find(p);
    uint32_t vaddr = it == g.page_address_htable.end() ? 0 : it->second;
    if (!vaddr) vaddr = map_new_virtual(p);
    if (!vaddr) return 0;
    ++g.pkmap_count[PKMAP_NR(vaddr)];
    ++g.stats.kmaps;
    return vaddr;
}

void kunmap(page* p) {
    if (!p || !PageHighMem(p)) return;
    auto it = g.page_address_htable.find(p);
    if (it == g.page_address_htable.end()) {
        warn_printk("kunmap: page %#x is not kmapped", page_to_pfn(p));
        return;
    }
    unsigned& count = g.pkmap_count[PKMAP_NR(it->second)];
    if (count < 2) {
        warn_printk("kunmap: pkmap slot %u unbalanced", PKMAP_NR(it->second));
        return;
    }
    --count;
}

uint32_t kmap_page_address(const page* p) {
    if (!p) return 0;
    if (!PageHighMem(p)) return pfn_to_virt(page_to_pfn(p));
    auto it = g.page_address_htable.find(p);
    return it == g.page_address_htable.end() ? 0 : it->second;
}

uint32_t kmap_local_page(page* p) {
    if (!p) return 0;
    if (!PageHighMem(p)) return page_address(p);
    if (g.kmap_local_idx >= KM_MAX_IDX) {
        warn_printk("kmap_local: more than %u nested mappings", KM_MAX_IDX);
        return 0;
    }
    const unsigned idx = g.kmap_local_idx;
    const uint32_t vaddr = __fix_to_virt(FIX_KMAP_BEGIN + idx);
    const uint32_t ptep = fixmap_pte(vaddr);
    if (!ptep) return 0;
    if (!pte_none(ptep_get(ptep))) warn_printk("kmap_local: fixmap slot %u is not empty", idx);
    set_pte_at(vaddr, ptep, pfn_pte(page_to_pfn(p), kmap_prot));
    local_flush_tlb_kernel_page(vaddr);  // arch_kmap_local_post_map
    ++g.kmap_local_idx;
    ++g.stats.kmap_atomic;
    return vaddr;
}

void kunmap_local(uint32_t vaddr) {
    vaddr &= PAGE_MASK;
    if (vaddr < __fix_to_virt(FIX_KMAP_END) || vaddr > __fix_to_virt(FIX_KMAP_BEGIN)) {
        // A lowmem page's address: nothing was mapped.
        if (vaddr < PAGE_OFFSET) warn_printk("kunmap_local: bad address %08x", vaddr);
        return;
    }
    if (!g.kmap_local_idx) {
        warn_printk("kunmap_local: %08x is not mapped", vaddr);
        return;
    }
    const unsigned idx = g.kmap_local_idx - 1;
    if (vaddr != __fix_to_virt(FIX_KMAP_BEGIN + idx)) {
        warn_printk("kunmap_local: %08x is not the innermost mapping (%08x)", vaddr,
                    __fix_to_virt(FIX_KMAP_BEGIN + idx));
        return;
    }
    pte_clear(vaddr, fixmap_pte(vaddr));
    local_flush_tlb_kernel_page(vaddr);  // arch_kmap_local_post_unmap
    --g.kmap_local_idx;
}

uint32_t kmap_atomic(page* p) {
    return kmap_local_page(p);
}

void kunmap_atomic(uint32_t vaddr) {
    kunmap_local(vaddr);
}

void clear_highpage(page* p) {
    const uint32_t va = kmap_local_page(p);
    if (!va) return;
    hal::this_cpu().fill(va, 0, PAGE_SIZE);
    kunmap_local(va);
}

void copy_highpage(page* to, page* from) {
    const uint32_t vfrom = kmap_local_page(from);
    const uint32_t vto = kmap_local_page(to);
    if (vfrom && vto) hal::this_cpu().copy(vto, vfrom, PAGE_SIZE);
    if (vto) kunmap_local(vto);
    if (vfrom) kunmap_local(vfrom);
}

unsigned pkmap_count(unsigned nr) {
    return nr < LAST_PKMAP ? g.pkmap_count[nr] : 0;
}

unsigned kmap_local_depth() {
    return g.kmap_local_idx;
}

const HighmemStats& highmem_stats() {
    return g.stats;
}

void highmem_init() {
    g = State{};
    MemoryManager& mm = current_mm();
    if (!mm.buddy_available()) return;
    PageAllocator& pa = mm.pages();
    pa.highmem_page_address = [](const page* p) { return kmap_page_address(p); };
    pa.clear_highpage = [](page* p) { clear_highpage(p); };
}

void highmem_exit() {
    g = State{};
}

}  // namespace kernel
