// ARM short-descriptor page tables as 32-bit Linux builds them (arch/arm/include/asm/
// pgtable-2level.h, pgtable-2level-hwdef.h, pgtable.h, pgalloc.h; arch/arm/mm/proc-v7-2level.S
// cpu_v7_set_pte_ext; arch/arm/mm/mmu.c mem_types; linux-mm.md §3, mmu-tlb.md §1.4/§1.5).
//
// Linux's view is two-level with 2048 pgd entries of 8 bytes: each pgd entry is a *pair* of
// hardware L1 entries covering 2 MiB. A pte page (4 KiB) holds, in this order, the Linux
// shadow ptes of the 1st MiB (bytes 0-1023), of the 2nd MiB (1024-2047), the hardware L2
// table of the 1st MiB (2048-3071) and of the 2nd MiB (3072-4095); the two L1 entries point
// at +2048 and +3072. Linux keeps young/dirty/user/rdonly in the shadow pte; set_pte_ext
// derives the hardware entry from it.
//
// Everything here lives in simulated memory: a "pointer" to a table entry (pgd_t*, pmd_t*,
// pte_t* in Linux) is the entry's guest virtual address (uint32_t), and every read or write
// is a guest load/store through hal::this_cpu(). Table writes are followed by the D-cache
// clean by MVA (MCR p15,0,Rt,c7,c10,1, DCCMVAC) that proc-v7 does, so that the table walker,
// which does not look into L1-D, sees them; a DSB orders them before the next access.
//
// Plain C++17, no SystemC (DESIGN.md §2). docs/guest/boot.md describes the tables.
#pragma once

#include <cstdint>

#include "sw/mm/gfp.h"
#include "sw/mm/memory.h"

namespace kernel {

struct page;

// ---- Geometry (pgtable-2level.h) ---------------------------------------------------------
constexpr unsigned PMD_SHIFT = 21;
constexpr unsigned PGDIR_SHIFT = 21;
constexpr uint32_t PMD_SIZE = 1u << PMD_SHIFT;  // 2 MiB: one pgd entry (a pair of L1 entries)
constexpr uint32_t PMD_MASK = ~(PMD_SIZE - 1);
constexpr uint32_t PGDIR_SIZE = 1u << PGDIR_SHIFT;
constexpr uint32_t PGDIR_MASK = ~(PGDIR_SIZE - 1);
constexpr unsigned SECTION_SHIFT = 20;
constexpr uint32_t SECTION_SIZE = 1u << SECTION_SHIFT;  // one hardware L1 entry
constexpr uint32_t SECTION_MASK = ~(SECTION_SIZE - 1);
constexpr unsigned PTRS_PER_PTE = 512;   // Linux ptes per pte page (2 x 256)
constexpr unsigned PTRS_PER_PMD = 1;     // folded
constexpr unsigned PTRS_PER_PGD = 2048;  // 8-byte pgd entries in 16 KiB
constexpr uint32_t PTE_HWTABLE_PTRS = PTRS_PER_PTE;
constexpr uint32_t PTE_HWTABLE_OFF = PTE_HWTABLE_PTRS * 4;  // 2048: hardware tables
constexpr uint32_t PTE_HWTABLE_SIZE = PTRS_PER_PTE * 4;
constexpr uint32_t HW_L2_TABLE_BYTES = 1024;  // 256 hardware entries of 4 bytes
constexpr uint32_t PGD_BYTES = 16 * 1024;     // the L1 table, 16 KiB aligned

// TASK_SIZE = MODULES_VADDR = PAGE_OFFSET - 16 MiB (VMSPLIT_3G, linux-mm.md §2.1).
constexpr uint32_t TASK_SIZE = PAGE_OFFSET - (16u << 20);
constexpr uint32_t MODULES_VADDR = TASK_SIZE;
// FIRST_USER_ADDRESS: page 0 is never mapped (the NULL trap; ARMv7 uses high vectors).
constexpr uint32_t FIRST_USER_ADDRESS = PAGE_SIZE;
// Pgd entries below TASK_SIZE belong to user space; the rest are copied from swapper_pg_dir.
constexpr unsigned USER_PTRS_PER_PGD = TASK_SIZE / PGDIR_SIZE;
// The high vectors page (CONFIG_VECTORS_BASE) and the stubs page after it.
constexpr uint32_t VECTORS_BASE = 0xFFFF0000u;

// ---- Domains (asm/domain.h; linux-mm.md §3) -----------------------------------------------
constexpr unsigned DOMAIN_KERNEL = 0;
constexpr unsigned DOMAIN_USER = 1;
constexpr unsigned DOMAIN_IO = 2;
constexpr unsigned DOMAIN_VECTORS = 3;
constexpr uint32_t DOMAIN_NOACCESS = 0;
constexpr uint32_t DOMAIN_CLIENT = 1;
// ARMv7 kernels are built without CONFIG_CPU_USE_DOMAINS: "manager" is client (1), so the
// kernel's own mappings are permission-checked too.
constexpr uint32_t DOMAIN_MANAGER = 1;
constexpr uint32_t domain_val(unsigned dom, uint32_t type) {
    return type << (2 * dom);
}
constexpr uint32_t domain_mask(unsigned dom) {
    return 3u << (2 * dom);
}
// CONFIG_CPU_SW_DOMAIN_PAN (default on ARMv7 non-LPAE): the user domain is no-access in
// kernel mode except inside a uaccess window.
constexpr uint32_t DACR_INIT =
    domain_val(DOMAIN_USER, DOMAIN_NOACCESS) | domain_val(DOMAIN_KERNEL, DOMAIN_MANAGER) |
    domain_val(DOMAIN_IO, DOMAIN_CLIENT) | domain_val(DOMAIN_VECTORS, DOMAIN_CLIENT);
constexpr uint32_t DACR_DEFAULT = domain_val(DOMAIN_KERNEL, DOMAIN_CLIENT) |
                                  domain_val(DOMAIN_IO, DOMAIN_CLIENT) |
                                  domain_val(DOMAIN_VECTORS, DOMAIN_CLIENT);
constexpr uint32_t DACR_UACCESS_DISABLE = DACR_DEFAULT | domain_val(DOMAIN_USER, DOMAIN_NOACCESS);
constexpr uint32_t DACR_UACCESS_ENABLE = DACR_DEFAULT | domain_val(DOMAIN_USER, DOMAIN_CLIENT);

// ---- Hardware L1 entries (pgtable-2level-hwdef.h; mmu-tlb.md §1.4) --------------------------
using pmdval_t = uint32_t;
constexpr pmdval_t PMD_TYPE_MASK = 3u << 0;
constexpr pmdval_t PMD_TYPE_FAULT = 0u << 0;
constexpr pmdval_t PMD_TYPE_TABLE = 1u << 0;
constexpr pmdval_t PMD_TYPE_SECT = 2u << 0;
constexpr pmdval_t PMD_PXNTABLE = 1u << 2;  // LPAE-era cores only
constexpr pmdval_t PMD_BIT4 = 1u << 4;
constexpr unsigned PMD_DOMAIN_SHIFT = 5;
constexpr pmdval_t PMD_DOMAIN_MASK = 0xFu << PMD_DOMAIN_SHIFT;
constexpr pmdval_t PMD_DOMAIN(unsigned d) {
    return static_cast<pmdval_t>(d) << PMD_DOMAIN_SHIFT;
}
constexpr pmdval_t PMD_PROTECTION = 1u << 9;  // v5 only
constexpr pmdval_t PMD_SECT_PXN = 1u << 0;    // LPAE-era cores only
constexpr pmdval_t PMD_SECT_BUFFERABLE = 1u << 2;
constexpr pmdval_t PMD_SECT_CACHEABLE = 1u << 3;
constexpr pmdval_t PMD_SECT_XN = 1u << 4;
constexpr pmdval_t PMD_SECT_AP_WRITE = 1u << 10;
constexpr pmdval_t PMD_SECT_AP_READ = 1u << 11;
constexpr unsigned PMD_SECT_TEX_SHIFT = 12;
constexpr pmdval_t PMD_SECT_TEX(unsigned x) {
    return static_cast<pmdval_t>(x) << PMD_SECT_TEX_SHIFT;
}
constexpr pmdval_t PMD_SECT_APX = 1u << 15;
constexpr pmdval_t PMD_SECT_S = 1u << 16;
constexpr pmdval_t PMD_SECT_nG = 1u << 17;
constexpr pmdval_t PMD_SECT_SUPER = 1u << 18;
constexpr pmdval_t PMD_SECT_UNCACHED = 0;
constexpr pmdval_t PMD_SECT_WB = PMD_SECT_CACHEABLE | PMD_SECT_BUFFERABLE;
constexpr pmdval_t PMD_SECT_WBWA = PMD_SECT_TEX(1) | PMD_SECT_CACHEABLE | PMD_SECT_BUFFERABLE;
constexpr pmdval_t PMD_PT_BASE_MASK = 0xFFFFFC00u;  // page-table descriptor: L2 base [31:10]
// L1 page-table descriptors Linux writes (pgalloc.h).
constexpr pmdval_t _PAGE_KERNEL_TABLE = PMD_TYPE_TABLE | PMD_BIT4 | PMD_DOMAIN(DOMAIN_KERNEL);
constexpr pmdval_t _PAGE_USER_TABLE = PMD_TYPE_TABLE | PMD_BIT4 | PMD_DOMAIN(DOMAIN_USER);

// ---- Hardware L2 entries (small pages; mmu-tlb.md §1.5) -------------------------------------
constexpr uint32_t PTE_TYPE_MASK = 3u << 0;
constexpr uint32_t PTE_TYPE_FAULT = 0u << 0;
constexpr uint32_t PTE_TYPE_LARGE = 1u << 0;
constexpr uint32_t PTE_TYPE_SMALL = 2u << 0;
constexpr uint32_t PTE_EXT_XN = 1u << 0;  // small pages
constexpr uint32_t PTE_BUFFERABLE = 1u << 2;
constexpr uint32_t PTE_CACHEABLE = 1u << 3;
constexpr uint32_t PTE_EXT_AP0 = 1u << 4;
constexpr uint32_t PTE_EXT_AP1 = 2u << 4;
constexpr unsigned PTE_EXT_TEX_SHIFT = 6;
constexpr uint32_t PTE_EXT_TEX(unsigned x) {
    return static_cast<uint32_t>(x) << PTE_EXT_TEX_SHIFT;
}
constexpr uint32_t PTE_EXT_APX = 1u << 9;
constexpr uint32_t PTE_EXT_SHARED = 1u << 10;
constexpr uint32_t PTE_EXT_NG = 1u << 11;

// ---- Linux pte bits (pgtable-2level.h; linux-mm.md §3) --------------------------------------
using pteval_t = uint32_t;
constexpr pteval_t L_PTE_VALID = 1u << 0;
constexpr pteval_t L_PTE_PRESENT = 1u << 0;
constexpr pteval_t L_PTE_YOUNG = 1u << 1;
constexpr pteval_t L_PTE_DIRTY = 1u << 6;
constexpr pteval_t L_PTE_RDONLY = 1u << 7;
constexpr pteval_t L_PTE_USER = 1u << 8;
constexpr pteval_t L_PTE_XN = 1u << 9;
constexpr pteval_t L_PTE_SHARED = 1u << 10;
constexpr pteval_t L_PTE_NONE = 1u << 11;
// Memory types (bits 2-5); with TEX remap the hardware index is TEX[0]:C:B of the low 3 bits.
constexpr unsigned L_PTE_MT_SHIFT = 2;
constexpr pteval_t L_PTE_MT_UNCACHED = 0x00u << 2;      // strongly ordered
constexpr pteval_t L_PTE_MT_BUFFERABLE = 0x01u << 2;    // normal non-cacheable
constexpr pteval_t L_PTE_MT_WRITETHROUGH = 0x02u << 2;  // normal inner WT
constexpr pteval_t L_PTE_MT_WRITEBACK = 0x03u << 2;     // normal inner WB
constexpr pteval_t L_PTE_MT_MINICACHE = 0x06u << 2;     // (not used on v7)
constexpr pteval_t L_PTE_MT_WRITEALLOC = 0x07u << 2;    // normal inner WBWA
constexpr pteval_t L_PTE_MT_DEV_SHARED = 0x04u << 2;    // device
constexpr pteval_t L_PTE_MT_DEV_NONSHARED = 0x0Cu << 2;
constexpr pteval_t L_PTE_MT_DEV_WC = 0x09u << 2;  // normal non-cacheable
constexpr pteval_t L_PTE_MT_DEV_CACHED = 0x0Bu << 2;
constexpr pteval_t L_PTE_MT_VECTORS = 0x0Fu << 2;
constexpr pteval_t L_PTE_MT_MASK = 0x0Fu << 2;
// What a pte keeps of a physical address.
constexpr pteval_t PTE_PFN_MASK = 0xFFFFF000u;

// TEX remap registers Linux programs for ARMv7 (proc-v7-2level.S; linux-mm.md §3).
constexpr uint32_t PRRR = 0xFF0A81A8u;
constexpr uint32_t NMRR = 0x40E040E0u;

// ---- Values --------------------------------------------------------------------------------
struct pte_t {
    pteval_t pte = 0;
};
struct pgprot_t {
    pteval_t pgprot = 0;
};
constexpr pteval_t pte_val(pte_t p) {
    return p.pte;
}
constexpr pteval_t pgprot_val(pgprot_t p) {
    return p.pgprot;
}
constexpr pte_t __pte(pteval_t v) {
    return pte_t{v};
}
constexpr pgprot_t __pgprot(pteval_t v) {
    return pgprot_t{v};
}

// Kernel protections (pgtable.h with the v7 WBWA cache policy of build_mem_type_table).
constexpr pteval_t _L_PTE_DEFAULT = L_PTE_PRESENT | L_PTE_YOUNG;
constexpr pteval_t PGPROT_KERNEL_BASE =
    L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY | L_PTE_MT_WRITEALLOC;
constexpr pgprot_t PAGE_KERNEL{PGPROT_KERNEL_BASE | L_PTE_XN};
constexpr pgprot_t PAGE_KERNEL_EXEC{PGPROT_KERNEL_BASE};
constexpr pgprot_t PAGE_KERNEL_RO{PGPROT_KERNEL_BASE | L_PTE_XN | L_PTE_RDONLY};
// User protections (pgtable.h __PAGE_*; user ptes are not dirty until written).
constexpr pteval_t PGPROT_USER_BASE = _L_PTE_DEFAULT | L_PTE_MT_WRITEALLOC;
constexpr pgprot_t PAGE_NONE{PGPROT_USER_BASE | L_PTE_RDONLY | L_PTE_XN | L_PTE_NONE};
constexpr pgprot_t PAGE_SHARED{PGPROT_USER_BASE | L_PTE_USER | L_PTE_XN};
constexpr pgprot_t PAGE_SHARED_EXEC{PGPROT_USER_BASE | L_PTE_USER};
constexpr pgprot_t PAGE_COPY{PGPROT_USER_BASE | L_PTE_USER | L_PTE_RDONLY | L_PTE_XN};
constexpr pgprot_t PAGE_COPY_EXEC{PGPROT_USER_BASE | L_PTE_USER | L_PTE_RDONLY};
constexpr pgprot_t PAGE_READONLY{PGPROT_USER_BASE | L_PTE_USER | L_PTE_RDONLY | L_PTE_XN};
constexpr pgprot_t PAGE_READONLY_EXEC{PGPROT_USER_BASE | L_PTE_USER | L_PTE_RDONLY};

constexpr pgprot_t __pgprot_modify(pgprot_t p, pteval_t mask, pteval_t bits) {
    return pgprot_t{(p.pgprot & ~mask) | bits};
}
// Strongly-ordered (pgprot_noncached), Normal non-cacheable (writecombine, dmacoherent: the
// ARM_DMA_MEM_BUFFERABLE default of v7), Device (pgprot_device).
constexpr pgprot_t pgprot_noncached(pgprot_t p) {
    return __pgprot_modify(p, L_PTE_MT_MASK, L_PTE_MT_UNCACHED);
}
constexpr pgprot_t pgprot_writecombine(pgprot_t p) {
    return __pgprot_modify(p, L_PTE_MT_MASK, L_PTE_MT_BUFFERABLE);
}
constexpr pgprot_t pgprot_stronglyordered(pgprot_t p) {
    return __pgprot_modify(p, L_PTE_MT_MASK, L_PTE_MT_UNCACHED);
}
constexpr pgprot_t pgprot_device(pgprot_t p) {
    return __pgprot_modify(p, L_PTE_MT_MASK,
                           L_PTE_MT_DEV_SHARED | L_PTE_SHARED | L_PTE_DIRTY | L_PTE_XN);
}
constexpr pgprot_t pgprot_dmacoherent(pgprot_t p) {
    return __pgprot_modify(p, L_PTE_MT_MASK, L_PTE_MT_BUFFERABLE | L_PTE_XN);
}

// ---- pte helpers (pgtable.h) --------------------------------------------------------------
constexpr pte_t pfn_pte(pfn_t pfn, pgprot_t prot) {
    return pte_t{(static_cast<pteval_t>(pfn) << PAGE_SHIFT) | prot.pgprot};
}
constexpr pfn_t pte_pfn(pte_t p) {
    return (p.pte & PTE_PFN_MASK) >> PAGE_SHIFT;
}
constexpr bool pte_none(pte_t p) {
    return p.pte == 0;
}
constexpr bool pte_present(pte_t p) {
    return (p.pte & L_PTE_PRESENT) != 0;
}
constexpr bool pte_valid(pte_t p) {
    return (p.pte & L_PTE_VALID) != 0;
}
constexpr bool pte_young(pte_t p) {
    return (p.pte & L_PTE_YOUNG) != 0;
}
constexpr bool pte_dirty(pte_t p) {
    return (p.pte & L_PTE_DIRTY) != 0;
}
constexpr bool pte_write(pte_t p) {
    return (p.pte & L_PTE_RDONLY) == 0;
}
constexpr bool pte_exec(pte_t p) {
    return (p.pte & L_PTE_XN) == 0;
}
constexpr bool pte_user(pte_t p) {
    return (p.pte & L_PTE_USER) != 0;
}
constexpr pte_t pte_mkyoung(pte_t p) {
    return pte_t{p.pte | L_PTE_YOUNG};
}
constexpr pte_t pte_mkold(pte_t p) {
    return pte_t{p.pte & ~L_PTE_YOUNG};
}
constexpr pte_t pte_mkdirty(pte_t p) {
    return pte_t{p.pte | L_PTE_DIRTY};
}
constexpr pte_t pte_mkclean(pte_t p) {
    return pte_t{p.pte & ~L_PTE_DIRTY};
}
constexpr pte_t pte_mkwrite(pte_t p) {
    return pte_t{p.pte & ~L_PTE_RDONLY};
}
constexpr pte_t pte_wrprotect(pte_t p) {
    return pte_t{p.pte | L_PTE_RDONLY};
}
constexpr pte_t pte_modify(pte_t p, pgprot_t prot) {
    // Keep the pfn, young and dirty; take the rest from prot (pte_modify's mask).
    const pteval_t keep = PTE_PFN_MASK | L_PTE_YOUNG | L_PTE_DIRTY;
    return pte_t{(p.pte & keep) | (prot.pgprot & ~keep)};
}
// The hardware L2 entry cpu_v7_set_pte_ext derives from a Linux pte (no memory access):
// TEX[0]:C:B from the memory type; AP[0] always (PL1 access), AP[1] if user, APX if read-only
// or not dirty (dirty emulation), XN from L_PTE_XN; nothing (a fault entry) unless young,
// valid and not PROT_NONE (young emulation). `ext` is ORed in (PTE_EXT_NG for user addresses).
pteval_t pte_hw_value(pte_t pte, uint32_t ext);

// ---- Table entry addresses (guest VAs) ----------------------------------------------------
// pgd: VA of a 16 KiB page directory (swapper_pg_dir or a process pgd).
constexpr uint32_t pgd_index(uint32_t addr) {
    return addr >> PGDIR_SHIFT;
}
// The pgd entry (a pair of L1 entries) for `addr`: pgd_offset(mm->pgd, addr).
constexpr uint32_t pgd_offset(uint32_t pgd, uint32_t addr) {
    return pgd + pgd_index(addr) * 8;
}
// pmd_offset(pud, addr) is folded: the pmd pointer is the pgd entry (first L1 entry of the pair).
constexpr uint32_t pmd_offset(uint32_t pgd_entry, uint32_t /*addr*/) {
    return pgd_entry;
}
// The hardware L1 entry that translates `addr` (one of the pair).
constexpr uint32_t pmd_hw_entry(uint32_t pmdp, uint32_t addr) {
    return pmdp + ((addr & SECTION_SIZE) ? 4 : 0);
}
// The kernel's page directory (init_mm.pgd): VA of swapper_pg_dir (PHYS_OFFSET + 0x4000).
uint32_t swapper_pg_dir();
uint32_t pgd_offset_k(uint32_t addr);
uint32_t pmd_off_k(uint32_t addr);  // the kernel pmd (pgd entry) of addr
// Index of addr's Linux pte inside its pte page.
constexpr uint32_t pte_index(uint32_t addr) {
    return (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

// pmd value tests (on the first L1 entry of a pair, as Linux does).
constexpr bool pmd_none(pmdval_t v) {
    return v == 0;
}
constexpr bool pmd_present(pmdval_t v) {
    return v != 0;
}
constexpr bool pmd_table(pmdval_t v) {
    return (v & PMD_TYPE_MASK) == PMD_TYPE_TABLE;
}
constexpr bool pmd_sect(pmdval_t v) {
    return (v & PMD_TYPE_MASK) == PMD_TYPE_SECT;
}
constexpr bool pmd_bad(pmdval_t v) {
    return (v & PMD_TYPE_MASK) != PMD_TYPE_TABLE;  // pmd_bad: not a page-table pointer
}
// The VA of the pte page a table-type pmd points at (the hardware tables are at +2048).
constexpr uint32_t pmd_page_vaddr(pmdval_t v) {
    return phys_to_virt((v & PMD_PT_BASE_MASK) & PAGE_MASK);
}

// ---- Table accesses (guest loads/stores through hal::this_cpu()) --------------------------
// Boot only: while the MMU is off (System's paging_init), every table access below goes to
// the physical address of the lowmem VA it is given (VA = PA with the MMU off).
void set_early_paging(bool mmu_off);
bool early_paging();
// The address a table access uses for lowmem VA `va` (its PA while early_paging()).
uint32_t table_access_addr(uint32_t va);

pmdval_t pmd_read(uint32_t pmdp);  // the first L1 entry of the pair at pmdp
// DCCMVAC of the pair's line then DSB (flush_pmd_entry / clean_pmd_entry in tlbflush.h).
void flush_pmd_entry(uint32_t pmdp);
// Writes both L1 entries of a pgd entry for a pte page at physical `pte_page_pa` (pointing
// at +2048 and +3072) with `prot` (_PAGE_KERNEL_TABLE / _PAGE_USER_TABLE), then
// flush_pmd_entry (__pmd_populate).
void __pmd_populate(uint32_t pmdp, phys_addr_t pte_page_pa, pmdval_t prot);
void pmd_populate_kernel(uint32_t pmdp, phys_addr_t pte_page_pa);
void pmd_populate(uint32_t pmdp, phys_addr_t pte_page_pa);  // user table (DOMAIN_USER)
// Clears both L1 entries (pmd_clear) and flushes the line.
void pmd_clear(uint32_t pmdp);
// Writes one section entry (the L1 entry for `addr` inside the pair at pmdp) and flushes it.
void set_section(uint32_t pmdp, uint32_t addr, phys_addr_t pa, pmdval_t prot_sect);

// Linux pte of a table-type pmd: VA of the shadow pte for addr (pte_offset_kernel).
uint32_t pte_offset_kernel(uint32_t pmdp, uint32_t addr);
// Allocates a zeroed pte page when the pmd is empty (from memblock before the buddy exists,
// from the buddy after: pte_alloc_one_kernel / early_pte_alloc), populates the pmd, and
// returns the pte's VA. 0 when no memory (or when the pmd holds a section: a WARN).
uint32_t pte_alloc_kernel(uint32_t pmdp, uint32_t addr);
uint32_t pte_alloc_map(uint32_t pmdp, uint32_t addr);  // user tables (_PAGE_USER_TABLE)
// The same with the L1 descriptor bits given (early_pte_alloc with a mem_type's prot_l1).
uint32_t pte_alloc_prot(uint32_t pmdp, uint32_t addr, pmdval_t prot_l1);
// Frees a pte page a pmd points at (user teardown: free_pte_range) and clears the pmd.
void pte_free_table(uint32_t pmdp);
// pte pages allocated so far (early + runtime), for statistics.
unsigned long nr_pte_pages();

pte_t ptep_get(uint32_t ptep);  // reads the Linux pte
// cpu_v7_set_pte_ext: stores the Linux pte at ptep, the derived hardware entry at
// ptep + 2048, then cleans the hardware entry's D-cache line (DCCMVAC). No barrier: callers
// batch and end with a DSB (flush_cache_vmap, the TLB flush's barriers) — set_pte_at does.
void set_pte_ext(uint32_t ptep, pte_t pte, uint32_t ext);
// set_pte_at(mm, addr, ptep, pte): ext = nG for user addresses (< TASK_SIZE), then a DSB so
// the walker sees the entry before the next access.
void set_pte_at(uint32_t addr, uint32_t ptep, pte_t pte);
void pte_clear(uint32_t addr, uint32_t ptep);

// ---- Memory types (arch/arm/mm/mmu.c mem_types, for ARMv7 with TEX remap, UP) --------------
enum MemType : unsigned {
    MT_DEVICE = 0,
    MT_DEVICE_NONSHARED,
    MT_DEVICE_CACHED,
    MT_DEVICE_WC,
    MT_UNCACHED,
    MT_CACHECLEAN,
    MT_MINICLEAN,
    MT_LOW_VECTORS,
    MT_HIGH_VECTORS,
    MT_MEMORY_RWX,
    MT_MEMORY_RW,
    MT_MEMORY_RO,
    MT_ROM,
    MT_MEMORY_RWX_NONCACHED,
    MT_MEMORY_RW_DTCM,
    MT_MEMORY_RWX_ITCM,
    MT_MEMORY_RW_SO,
    MT_MEMORY_DMA_READY,
    MT_NR_TYPES,
};
struct mem_type {
    pteval_t prot_pte = 0;   // Linux pte bits for 4 KiB mappings
    pmdval_t prot_l1 = 0;    // L1 page-table descriptor bits
    pmdval_t prot_sect = 0;  // L1 section descriptor bits
    unsigned domain = DOMAIN_KERNEL;
    const char* name = "";
};
// nullptr for an unknown type.
const mem_type* get_mem_type(unsigned type);

// ---- Process page directories (for the user mm) ---------------------------------------------
// pgd_alloc: a 16 KiB (order-2, 16 KiB aligned) page directory whose user half is empty and
// whose kernel half (entries from USER_PTRS_PER_PGD) is a copy of swapper_pg_dir, cleaned to
// the point of coherency. Returns its VA, 0 on failure.
uint32_t pgd_alloc();
void pgd_free(uint32_t pgd);

// Copies init_mm's L1 entries for [start, end) into `pgd` where they differ (the vmalloc-area
// sync of check_vmalloc_seq / do_translation_fault). Returns the number of pairs copied.
unsigned sync_kernel_pgd_range(uint32_t pgd, uint32_t start, uint32_t end);
// init_mm.context.vmalloc_seq: bumped whenever a vmalloc-area L1 entry of init_mm changes.
unsigned vmalloc_seq();
void bump_vmalloc_seq();

// ---- Page-table walks (software, in the current tables) -------------------------------------
// The physical address `va` maps to in `pgd` (section or 4 KiB page), or false when unmapped.
bool pgd_lookup(uint32_t pgd, uint32_t va, phys_addr_t& pa);
// The Linux pte VA of `va` in `pgd`, 0 when the pmd is not a page table.
uint32_t pte_lookup(uint32_t pgd, uint32_t va);

}  // namespace kernel
