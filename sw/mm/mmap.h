// User address spaces: mm_alloc/mmput, switch_mm, anonymous mmap with demand paging, munmap,
// remap_pfn_range, the user page-fault handler and running code at PL0 (kernel/fork.c,
// mm/mmap.c, mm/memory.c, arch/arm/mm/fault.c; linux-mm.md §3, §12; docs/guest/user.md).
//
//   kernel::user_mm_init();                       // once the System is up: the fault hook
//   kernel::mm_struct* mm = kernel::mm_alloc();    // pgd with the kernel half of swapper
//   uint32_t p = kernel::vm_mmap(mm, 0, 8192, PROT_READ | PROT_WRITE,
//                                MAP_PRIVATE | MAP_ANONYMOUS);
//   int sig = kernel::run_user(mm, [&](hal::Cpu& c) { c.store32(p, 1); });  // PL0; 0 = ok
//   kernel::mmput(mm);                             // ptes, pages, tables, pgd freed
//
// Layout: top-down (Linux's default mmap layout) without randomisation (norandmaps):
// mmap_base = TASK_SIZE - 128 MiB (the minimum stack gap) = 0xB7000000, each new area ends
// at the highest free address below it.
//
// Faults: the user fault hook (sw/arch/arm/fault.h) resolves translation and permission
// faults inside a VMA whose flags allow the access (do_anonymous_page: a zeroed page,
// GFP_HIGHUSER_MOVABLE, mapped young and — for a writable VMA — dirty; a read of a private
// mapping maps the shared zero page, and the first write copies it; a present pte that is
// old or clean gets young/dirty) and answers retry. Anything else is a bad area: inside a
// uaccess window (FaultFixupScope) the copy is fixed up; a PL0 access records SIGSEGV
// (SEGV_MAPERR / SEGV_ACCERR) in mm->last_signal and answers fixup, so the CPU throws
// hal::GuestOops, which run_user() turns into the signal number it returns ("the process is
// killed"); a kernel-mode access (a raw user pointer outside uaccess, which CPU_SW_DOMAIN_PAN
// turns into a domain fault) is left to the kernel oops path.
#pragma once

#include <cstdint>
#include <functional>

#include "sw/hal/cpu.h"
#include "sw/mm/mm_types.h"

namespace kernel {

// Signals and si_codes (include/uapi/asm-generic/signal.h, siginfo.h).
constexpr int SIGBUS = 7;
constexpr int SIGSEGV = 11;
constexpr int SEGV_MAPERR = 1;
constexpr int SEGV_ACCERR = 2;

// The minimum gap below TASK_SIZE left for the stack (arch/arm/mm/mmap.c MIN_GAP).
constexpr uint32_t MMAP_MIN_GAP = 128u << 20;

// Linux returns errors from vm_mmap as values in the last page (IS_ERR_VALUE).
constexpr bool IS_ERR_VALUE(uint32_t x) {
    return x >= static_cast<uint32_t>(-4095);
}

// ---- setup ---------------------------------------------------------------------------------
// Registers do_page_fault as the user fault hook and allocates the zero page. Idempotent
// for one System; a new System starts afresh.
void user_mm_init();
// Unregisters the hook and frees the zero page (before the System goes away).
void user_mm_exit();

// ---- address spaces ------------------------------------------------------------------------
// A new mm: pgd_alloc (order-2 block, kernel half copied from swapper_pg_dir), no VMAs,
// no ASID yet. nullptr when out of memory.
mm_struct* mm_alloc();
// Drops a user; the last one tears the address space down: every pte cleared and its page
// freed, the user pte tables freed, flush_tlb_mm(ASID), the pgd freed.
void mmput(mm_struct* mm);
void mmget(mm_struct* mm);
// The mm whose tables are in TTBR0 (Linux: current->active_mm), nullptr for init_mm.
mm_struct* current_user_mm();
// switch_mm(prev, next): check_and_switch_context(next) when next != prev. nullptr `next`
// switches to the kernel's tables (swapper_pg_dir, CONTEXTIDR 0).
void switch_mm(mm_struct* prev, mm_struct* next);

// ---- mappings ------------------------------------------------------------------------------
// Anonymous mappings only (a file is not modelled): prot PROT_*, flags MAP_PRIVATE or
// MAP_SHARED with MAP_ANONYMOUS, optionally MAP_FIXED (replaces what is there) and
// MAP_POPULATE (faults every page in now). Returns the address, or -errno as IS_ERR_VALUE.
uint32_t vm_mmap(mm_struct* mm, uint32_t addr, uint32_t len, unsigned long prot,
                 unsigned long flags);
// Unmaps [start, start + len): VMAs are split or removed, ptes cleared, anonymous pages
// freed, user tables kept (as Linux frees them only with the VMA span), and the TLB entries
// flushed by MVA with the mm's ASID. 0 or -EINVAL.
int vm_munmap(mm_struct* mm, uint32_t start, uint32_t len);
// The VMA containing addr, or nullptr (find_vma + the vm_start check).
vm_area_struct* find_vma(mm_struct* mm, uint32_t addr);
// remap_pfn_range (§12.2): ptes for [addr, addr + size) -> consecutive pfns from `pfn` with
// `prot` (typically pgprot_noncached(vma->vm_page_prot) or pgprot_dmacoherent); sets VM_IO |
// VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP. addr and size page-aligned and inside the VMA;
// every target pte must be empty; on error the ptes written are cleared again. 0, -EINVAL,
// -EACCES (a pte is not empty, as remap_pte_range answers) or -ENOMEM.
int remap_pfn_range(vm_area_struct* vma, uint32_t addr, pfn_t pfn, uint32_t size, pgprot_t prot);
// vm_get_page_prot: the protection_map entry of arch/arm/mm/mmu.c for VM_READ/WRITE/EXEC/SHARED.
pgprot_t vm_get_page_prot(unsigned long vm_flags);

// ---- faults --------------------------------------------------------------------------------
// The user fault hook (do_page_fault for addresses below TASK_SIZE).
hal::AbortAction do_page_fault(const hal::AbortInfo& info);

// ---- running at PL0 ------------------------------------------------------------------------
// Runs `fn` as process `mm` in user mode: switch_mm to mm, the user domain open (as on
// return to user space), CPSR.M = USR; then back to SVC. Returns 0, or the signal (SIGSEGV /
// SIGBUS) that killed the user code; mm->last_signal says where. mm stays the current mm.
int run_user(mm_struct* mm, const std::function<void(hal::Cpu&)>& fn);

struct UserMmStats {
    unsigned long mm_allocs = 0;
    unsigned long mm_frees = 0;
    unsigned long page_faults = 0;   // faults given to do_page_fault
    unsigned long pages_mapped = 0;  // anonymous pages allocated by faults
    unsigned long segv = 0;          // bad-area results
};
const UserMmStats& user_mm_stats();

}  // namespace kernel
