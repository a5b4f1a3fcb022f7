#include "sw/arch/arm/pgtable.h"

#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"
#include "sw/mm/mm.h"
#include "sw/mm/page_alloc.h"

namespace kernel {

namespace {

bool g_early = false;
unsigned long g_pte_pages = 0;
unsigned g_vmalloc_seq = 0;

// The Linux pte bits that cpu_v7_set_pte_ext clears before building the hardware entry
// ("bic r3, r1, #0x3f0": memory-type bits 2-3 of the type, dirty, rdonly, user, xn).
constexpr pteval_t kSetPteClear = 0x3F0u;
// Linux memory-type bit that becomes TEX[0] of the hardware entry.
constexpr pteval_t kMtTex0 = 1u << 4;
constexpr uint32_t kLine = L1_CACHE_BYTES;

hal::Cpu& cpu() {
    return hal::this_cpu();
}

// DCCMVAC of the line holding `va` (the MVA is the access address: the PA with the MMU off).
void clean_line(uint32_t va) {
    cp15_write(cp15::DCCMVAC, table_access_addr(va) & ~(kLine - 1));
}

void clean_area(uint32_t va, uint32_t bytes) {
    for (uint32_t a = va & ~(kLine - 1); a < va + bytes; a += kLine)
        clean_line(a);
}

// A zeroed page for page tables: memblock before the buddy exists (early_alloc), the buddy
// after (pte_alloc_one_kernel: GFP_KERNEL | __GFP_ZERO). Returns its physical address or 0.
phys_addr_t alloc_table_page() {
    MemoryManager& mm = current_mm();
    phys_addr_t pa = 0;
    if (mm.buddy_available()) {
        page* p = alloc_page(GFP_KERNEL | __GFP_ZERO);
        if (!p) return 0;
        pa = page_to_phys(p);
    } else {
        pa = mm.memblock().phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, mm.layout().lowmem_limit);
        if (!pa) return 0;
        cpu().fill(table_access_addr(phys_to_virt(pa)), 0, PAGE_SIZE);
    }
    ++g_pte_pages;
    // clean_pte_table(): the hardware half must reach memory before the walker reads it.
    clean_area(phys_to_virt(pa) + PTE_HWTABLE_OFF, PTE_HWTABLE_SIZE);
    return pa;
}

uint32_t pte_alloc(uint32_t pmdp, uint32_t addr, pmdval_t prot) {
    const pmdval_t v = pmd_read(pmdp);
    if (pmd_none(v)) {
        const phys_addr_t pa = alloc_table_page();
        if (!pa) return 0;
        __pmd_populate(pmdp, pa, prot);
        if (addr >= PAGE_OFFSET) bump_vmalloc_seq();
    } else if (!pmd_table(v)) {
        warn_printk("pte_alloc: pmd %08x of %08x is not a page table", v, addr);
        return 0;
    }
    return pte_offset_kernel(pmdp, addr);
}

}  // namespace

// ---- early paging --------------------------------------------------------------------------

void set_early_paging(bool mmu_off) {
    g_early = mmu_off;
}
bool early_paging() {
    return g_early;
}
uint32_t table_access_addr(uint32_t va) {
    return g_early ? virt_to_phys(va) : va;
}

// ---- hardware entry ----------------------------------------------------------------------

pteval_t pte_hw_value(pte_t pte, uint32_t ext) {
    const pteval_t l = pte.pte;
    // Young emulation and PROT_NONE: no hardware entry until the page is young and valid.
    if (!(l & L_PTE_YOUNG) || !(l & L_PTE_VALID) || (l & L_PTE_NONE)) return 0;
    pteval_t hw = l & ~kSetPteClear & ~PTE_TYPE_MASK;
    hw |= ext | PTE_EXT_AP0 | PTE_TYPE_SMALL;
    if (l & kMtTex0) hw |= PTE_EXT_TEX(1);
    // Dirty emulation: hardware write permission only for writable, dirty ptes.
    if ((l & L_PTE_RDONLY) || !(l & L_PTE_DIRTY)) hw |= PTE_EXT_APX;
    if (l & L_PTE_USER) hw |= PTE_EXT_AP1;
    if (l & L_PTE_XN) hw |= PTE_EXT_XN;
    return hw;
}

// ---- directories ---------------------------------------------------------------------------

uint32_t swapper_pg_dir() {
    return phys_to_virt(SWAPPER_PG_DIR_PHYS);
}
uint32_t pgd_offset_k(uint32_t addr) {
    return pgd_offset(swapper_pg_dir(), addr);
}
uint32_t pmd_off_k(uint32_t addr) {
    return pmd_offset(pgd_offset_k(addr), addr);
}

pmdval_t pmd_read(uint32_t pmdp) {
    return cpu().load32(table_access_addr(pmdp));
}

void flush_pmd_entry(uint32_t pmdp) {
    clean_line(pmdp);  // both entries of a pair share one 64-byte line
    cpu().dsb();
}

void __pmd_populate(uint32_t pmdp, phys_addr_t pte_page_pa, pmdval_t prot) {
    const pmdval_t v = (pte_page_pa + PTE_HWTABLE_OFF) | prot;
    cpu().store32(table_access_addr(pmdp), v);
    cpu().store32(table_access_addr(pmdp + 4), v + HW_L2_TABLE_BYTES);
    flush_pmd_entry(pmdp);
}

void pmd_populate_kernel(uint32_t pmdp, phys_addr_t pte_page_pa) {
    __pmd_populate(pmdp, pte_page_pa, _PAGE_KERNEL_TABLE);
}

void pmd_populate(uint32_t pmdp, phys_addr_t pte_page_pa) {
    __pmd_populate(pmdp, pte_page_pa, _PAGE_USER_TABLE);
}

void pmd_clear(uint32_t pmdp) {
    cpu().store32(table_access_addr(pmdp), 0);
    cpu().store32(table_access_addr(pmdp + 4), 0);
    flush_pmd_entry(pmdp);
}

void set_section(uint32_t pmdp, uint32_t addr, phys_addr_t pa, pmdval_t prot_sect) {
    const uint32_t e = pmd_hw_entry(pmdp, addr);
    cpu().store32(table_access_addr(e), (pa & SECTION_MASK) | prot_sect);
    flush_pmd_entry(e);
}

uint32_t pte_offset_kernel(uint32_t pmdp, uint32_t addr) {
    return pmd_page_vaddr(pmd_read(pmdp)) + pte_index(addr) * 4;
}

uint32_t pte_alloc_kernel(uint32_t pmdp, uint32_t addr) {
    return pte_alloc(pmdp, addr, _PAGE_KERNEL_TABLE);
}

uint32_t pte_alloc_map(uint32_t pmdp, uint32_t addr) {
    return pte_alloc(pmdp, addr, _PAGE_USER_TABLE);
}

uint32_t pte_alloc_prot(uint32_t pmdp, uint32_t addr, pmdval_t prot_l1) {
    return pte_alloc(pmdp, addr, prot_l1);
}

void pte_free_table(uint32_t pmdp) {
    const pmdval_t v = pmd_read(pmdp);
    if (!pmd_table(v)) return;
    const uint32_t va = pmd_page_vaddr(v);
    pmd_clear(pmdp);
    if (current_mm().buddy_available() && virt_to_page(va)) {
        free_page(va);
        if (g_pte_pages) --g_pte_pages;
    }
}

unsigned long nr_pte_pages() {
    return g_pte_pages;
}

pte_t ptep_get(uint32_t ptep) {
    return pte_t{cpu().load32(table_access_addr(ptep))};
}

void set_pte_ext(uint32_t ptep, pte_t pte, uint32_t ext) {
    hal::Cpu& c = cpu();
    c.store32(table_access_addr(ptep), pte.pte);
    const uint32_t hw = ptep + PTE_HWTABLE_OFF;
    c.store32(table_access_addr(hw), pte_hw_value(pte, ext));
    clean_line(hw);
}

void set_pte_at(uint32_t addr, uint32_t ptep, pte_t pte) {
    set_pte_ext(ptep, pte, addr >= TASK_SIZE ? 0 : PTE_EXT_NG);
    cpu().dsb();
}

void pte_clear(uint32_t addr, uint32_t ptep) {
    set_pte_at(addr, ptep, pte_t{0});
}

// ---- memory types ----------------------------------------------------------------------------

namespace {

constexpr pteval_t PROT_PTE_DEVICE = L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY | L_PTE_XN;
constexpr pmdval_t PROT_SECT_DEVICE = PMD_TYPE_SECT | PMD_SECT_AP_WRITE;
constexpr pteval_t PROT_PTE_KERNEL = L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY;
// The write-back write-allocate policy of an ARMv7 UP kernel (build_mem_type_table).
constexpr pteval_t kKernPgprot = L_PTE_MT_WRITEALLOC;
constexpr pmdval_t kPolicyPmd = PMD_SECT_WBWA;

struct MemTypes {
    mem_type t[MT_NR_TYPES];
    MemTypes() {
        // Device types: XN on ARMv6+; TEX remap makes shared/non-shared device TEX[0]:C:B =
        // 100 and write-combine 001 (Normal non-cacheable).
        t[MT_DEVICE] = {PROT_PTE_DEVICE | L_PTE_MT_DEV_SHARED | L_PTE_SHARED, PMD_TYPE_TABLE,
                        PROT_SECT_DEVICE | PMD_SECT_S | PMD_SECT_XN | PMD_SECT_TEX(1), DOMAIN_IO,
                        "MT_DEVICE"};
        t[MT_DEVICE_NONSHARED] = {PROT_PTE_DEVICE | L_PTE_MT_DEV_NONSHARED, PMD_TYPE_TABLE,
                                  PROT_SECT_DEVICE | PMD_SECT_XN | PMD_SECT_TEX(1), DOMAIN_IO,
                                  "MT_DEVICE_NONSHARED"};
        t[MT_DEVICE_CACHED] = {PROT_PTE_DEVICE | L_PTE_MT_DEV_CACHED, PMD_TYPE_TABLE,
                               PROT_SECT_DEVICE | PMD_SECT_WB | PMD_SECT_XN, DOMAIN_IO,
                               "MT_DEVICE_CACHED"};
        t[MT_DEVICE_WC] = {PROT_PTE_DEVICE | L_PTE_MT_DEV_WC, PMD_TYPE_TABLE,
                           PROT_SECT_DEVICE | PMD_SECT_XN | PMD_SECT_BUFFERABLE, DOMAIN_IO,
                           "MT_DEVICE_WC"};
        t[MT_UNCACHED] = {PROT_PTE_DEVICE, PMD_TYPE_TABLE, PMD_TYPE_SECT | PMD_SECT_XN, DOMAIN_IO,
                          "MT_UNCACHED"};
        t[MT_CACHECLEAN] = {0, 0, PMD_TYPE_SECT | PMD_SECT_XN | PMD_SECT_APX | PMD_SECT_AP_WRITE,
                            DOMAIN_KERNEL, "MT_CACHECLEAN"};
        t[MT_MINICLEAN] = {0, 0, PMD_TYPE_SECT | PMD_SECT_XN | PMD_SECT_APX | PMD_SECT_AP_WRITE,
                           DOMAIN_KERNEL, "MT_MINICLEAN"};
        t[MT_LOW_VECTORS] = {PROT_PTE_KERNEL | L_PTE_RDONLY | kKernPgprot, PMD_TYPE_TABLE, 0,
                             DOMAIN_VECTORS, "MT_LOW_VECTORS"};
        t[MT_HIGH_VECTORS] = {PROT_PTE_KERNEL | L_PTE_USER | L_PTE_RDONLY | kKernPgprot,
                              PMD_TYPE_TABLE, 0, DOMAIN_VECTORS, "MT_HIGH_VECTORS"};
        t[MT_MEMORY_RWX] = {PROT_PTE_KERNEL | kKernPgprot, PMD_TYPE_TABLE,
                            PMD_TYPE_SECT | PMD_SECT_AP_WRITE | kPolicyPmd, DOMAIN_KERNEL,
                            "MT_MEMORY_RWX"};
        t[MT_MEMORY_RW] = {PROT_PTE_KERNEL | L_PTE_XN | kKernPgprot, PMD_TYPE_TABLE,
                           PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_SECT_XN | kPolicyPmd,
                           DOMAIN_KERNEL, "MT_MEMORY_RW"};
        t[MT_MEMORY_RO] = {
            PROT_PTE_KERNEL | L_PTE_XN | L_PTE_RDONLY | kKernPgprot, PMD_TYPE_TABLE,
            PMD_TYPE_SECT | PMD_SECT_XN | PMD_SECT_APX | PMD_SECT_AP_WRITE | kPolicyPmd,
            DOMAIN_KERNEL, "MT_MEMORY_RO"};
        t[MT_ROM] = {0, 0, PMD_TYPE_SECT | PMD_SECT_APX | PMD_SECT_AP_WRITE | kPolicyPmd,
                     DOMAIN_KERNEL, "MT_ROM"};
        t[MT_MEMORY_RWX_NONCACHED] = {PROT_PTE_KERNEL | L_PTE_MT_BUFFERABLE, PMD_TYPE_TABLE,
                                      PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_SECT_BUFFERABLE,
                                      DOMAIN_KERNEL, "MT_MEMORY_RWX_NONCACHED"};
        t[MT_MEMORY_RW_DTCM] = {PROT_PTE_KERNEL | L_PTE_XN, PMD_TYPE_TABLE,
                                PMD_TYPE_SECT | PMD_SECT_XN, DOMAIN_KERNEL, "MT_MEMORY_RW_DTCM"};
        t[MT_MEMORY_RWX_ITCM] = {PROT_PTE_KERNEL, PMD_TYPE_TABLE, 0, DOMAIN_KERNEL,
                                 "MT_MEMORY_RWX_ITCM"};
        t[MT_MEMORY_RW_SO] = {
            PROT_PTE_KERNEL | L_PTE_MT_UNCACHED | L_PTE_XN, PMD_TYPE_TABLE,
            PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_SECT_S | PMD_SECT_UNCACHED | PMD_SECT_XN,
            DOMAIN_KERNEL, "MT_MEMORY_RW_SO"};
        // No section form: CMA memory is always mapped with ptes so single pages can change.
        t[MT_MEMORY_DMA_READY] = {PROT_PTE_KERNEL | L_PTE_XN | kKernPgprot, PMD_TYPE_TABLE, 0,
                                  DOMAIN_KERNEL, "MT_MEMORY_DMA_READY"};
        // The domain goes into the L1 descriptors (end of build_mem_type_table).
        for (mem_type& m : t) {
            if (m.prot_l1) m.prot_l1 |= PMD_DOMAIN(m.domain);
            if (m.prot_sect) m.prot_sect |= PMD_DOMAIN(m.domain);
        }
    }
};

}  // namespace

const mem_type* get_mem_type(unsigned type) {
    static const MemTypes types;
    return type < MT_NR_TYPES ? &types.t[type] : nullptr;
}

// ---- process page directories ----------------------------------------------------------------

uint32_t pgd_alloc() {
    const uint32_t pgd = __get_free_pages(GFP_KERNEL, 2);
    if (!pgd) return 0;
    hal::Cpu& c = cpu();
    const uint32_t user_bytes = USER_PTRS_PER_PGD * 8;
    c.fill(pgd, 0, user_bytes);
    c.copy(pgd + user_bytes, swapper_pg_dir() + user_bytes, PGD_BYTES - user_bytes);
    clean_area(pgd, PGD_BYTES);
    c.dsb();
    return pgd;
}

void pgd_free(uint32_t pgd) {
    if (pgd) free_pages(pgd, 2);
}

unsigned sync_kernel_pgd_range(uint32_t pgd, uint32_t start, uint32_t end) {
    if (pgd == swapper_pg_dir()) return 0;
    hal::Cpu& c = cpu();
    unsigned copied = 0;
    for (uint64_t a = start & PGDIR_MASK; a < end; a += PGDIR_SIZE) {
        const uint32_t k = pgd_offset_k(static_cast<uint32_t>(a));
        const uint32_t u = pgd_offset(pgd, static_cast<uint32_t>(a));
        const uint32_t k0 = c.load32(k), k1 = c.load32(k + 4);
        if (c.load32(u) == k0 && c.load32(u + 4) == k1) continue;
        c.store32(u, k0);
        c.store32(u + 4, k1);
        clean_line(u);
        ++copied;
    }
    if (copied) c.dsb();
    return copied;
}

unsigned vmalloc_seq() {
    return g_vmalloc_seq;
}
void bump_vmalloc_seq() {
    ++g_vmalloc_seq;
}

// ---- software walks ------------------------------------------------------------------------

bool pgd_lookup(uint32_t pgd, uint32_t va, phys_addr_t& pa) {
    hal::Cpu& c = cpu();
    const uint32_t l1 = c.load32(table_access_addr(pgd + (va >> SECTION_SHIFT) * 4));
    if (pmd_sect(l1)) {
        pa = (l1 & SECTION_MASK) | (va & ~SECTION_MASK);
        return true;
    }
    if (!pmd_table(l1)) return false;
    const uint32_t l2 = c.load32(
        table_access_addr(phys_to_virt(l1 & PMD_PT_BASE_MASK) + ((va >> PAGE_SHIFT) & 0xFFu) * 4));
    if (!(l2 & PTE_TYPE_SMALL)) return false;
    pa = (l2 & PAGE_MASK) | (va & ~PAGE_MASK);
    return true;
}

uint32_t pte_lookup(uint32_t pgd, uint32_t va) {
    const uint32_t pmdp = pmd_offset(pgd_offset(pgd, va), va);
    if (!pmd_table(pmd_read(pmdp))) return 0;
    return pte_offset_kernel(pmdp, va);
}

}  // namespace kernel
