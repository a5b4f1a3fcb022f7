// User address spaces, demand paging and PL0 execution (mm/mmap.c, mm/memory.c,
// arch/arm/mm/fault.c, kernel/fork.c).
#include "sw/mm/mmap.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <vector>

#include "sw/arch/arm/fault.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/kernel/boot.h"
#include "sw/kernel/printk.h"
#include "sw/mm/asid.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/uaccess.h"

namespace kernel {

namespace {

struct State {
    const System* system = nullptr;
    bool initialized = false;
    uint32_t zero_page = 0;  // empty_zero_page (lowmem VA)
    pfn_t zero_pfn = 0;
    mm_struct* current = nullptr;
    UserFaultHandler previous_hook;
    UserMmStats stats;
};

State& raw_state() {
    static State s;
    return s;
}

State& state() {
    State& s = raw_state();
    const System* sys = system_running() ? &current_system() : nullptr;
    if (s.system != sys) {
        s = State{};
        s.system = sys;
    }
    return s;
}

bool has_asid(const mm_struct* mm) {
    return mm->context.id != 0;
}

// The Linux pte of addr in mm, allocating the pte table when `alloc`; 0 when there is none.
uint32_t get_pte(mm_struct* mm, uint32_t addr, bool alloc) {
    const uint32_t pmdp = pmd_offset(pgd_offset(mm->pgd, addr), addr);
    const pmdval_t v = pmd_read(pmdp);
    if (pmd_none(v)) {
        if (!alloc) return 0;
        const uint32_t ptep = pte_alloc_map(pmdp, addr);
        if (ptep) {
            mm->pte_table_slots.insert(pgd_index(addr));
            ++mm->pte_tables;
        }
        return ptep;
    }
    if (!pmd_table(v)) return 0;
    return pte_offset_kernel(pmdp, addr);
}

// zap_pte_range: clears the ptes of [start, end) in a VMA and frees anonymous pages.
void zap_range(mm_struct* mm, const vm_area_struct& vma, uint32_t start, uint32_t end) {
    State& s = state();
    for (uint32_t a = start; a < end; a += PAGE_SIZE) {
        const uint32_t ptep = get_pte(mm, a, false);
        if (!ptep) {
            a = std::max(a, (a & PMD_MASK) + PMD_SIZE - PAGE_SIZE);  // no table: next 2 MiB
            continue;
        }
        const pte_t pte = ptep_get(ptep);
        if (pte_none(pte)) continue;
        pte_clear(a, ptep);
        if (vma.vm_flags & VM_PFNMAP) continue;  // no struct page references
        const pfn_t pfn = pte_pfn(pte);
        if (pfn == s.zero_pfn) continue;
        if (page* p = pfn_to_page(pfn)) {
            __free_page(p);
            if (mm->anon_pages) --mm->anon_pages;
        }
    }
    hal::this_cpu().dsb();
}

void flush_user_range(mm_struct* mm, uint32_t start, uint32_t end) {
    if (has_asid(mm) && end > start) flush_tlb_range(mm_asid(mm), start, end);
}

hal::AbortAction bad_area(mm_struct* mm, const hal::AbortInfo& info, int signo, int code) {
    State& s = state();
    ++s.stats.segv;
    if (fault_fixup_active()) return hal::AbortAction::fixup;  // uaccess: exception table
    if (info.user) {
        if (mm) mm->last_signal = user_fault_signal{signo, code, info.far, info.fsr};
        return hal::AbortAction::fixup;  // the user access fails: run_user reports the signal
    }
    return hal::AbortAction::fatal;  // a kernel access: __do_kernel_fault (oops)
}

// handle_mm_fault for one page: true when the pte now allows the access.
bool handle_pte_fault(mm_struct* mm, vm_area_struct& vma, uint32_t address, bool write) {
    State& s = state();
    const uint32_t addr = address & PAGE_MASK;
    const uint32_t ptep = get_pte(mm, addr, true);
    if (!ptep) return false;
    const pte_t pte = ptep_get(ptep);
    if (pte_none(pte)) {
        if (vma.vm_flags & VM_PFNMAP) return false;  // nothing to fault in: SIGBUS
        if (!write && !(vma.vm_flags & VM_SHARED) && s.zero_pfn) {
            // do_anonymous_page, read: the shared zero page, read-only (vm_page_prot).
            set_pte_at(addr, ptep, pfn_pte(s.zero_pfn, vma.vm_page_prot));
            ++mm->minor_zero;
            ++mm->faults;
            return true;
        }
        page* p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
        if (!p) return false;
        pte_t entry = pfn_pte(page_to_pfn(p), vma.vm_page_prot);
        if (vma.vm_flags & VM_WRITE) entry = pte_mkwrite(pte_mkdirty(entry));
        set_pte_at(addr, ptep, entry);
        ++mm->anon_pages;
        ++mm->faults;
        ++s.stats.pages_mapped;
        return true;
    }
    if (write && !pte_write(pte)) {
        // do_wp_page: only the zero page is shared read-only in a writable private VMA.
        if (pte_pfn(pte) != s.zero_pfn || (vma.vm_flags & VM_PFNMAP)) return false;
        page* p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);  // a copy of zeroes
        if (!p) return false;
        const pte_t entry = pte_mkwrite(pte_mkdirty(pfn_pte(page_to_pfn(p), vma.vm_page_prot)));
        pte_clear(addr, ptep);  // ptep_clear_flush
        if (has_asid(mm)) flush_tlb_page(mm_asid(mm), addr);
        set_pte_at(addr, ptep, entry);
        ++mm->anon_pages;
        ++mm->cow;
        ++mm->faults;
        ++s.stats.pages_mapped;
        return true;
    }
    // A present pte that is old (young emulation: no hardware entry) or clean (dirty
    // emulation: hardware read-only): ptep_set_access_flags.
    pte_t entry = pte_mkyoung(pte);
    if (write) entry = pte_mkdirty(entry);
    set_pte_at(addr, ptep, entry);
    if (has_asid(mm)) flush_tlb_page(mm_asid(mm), addr);
    ++mm->faults;
    return true;
}

uint32_t get_unmapped_area(mm_struct* mm, uint32_t len) {
    uint32_t high = mm->mmap_base;
    for (auto it = mm->mmap.rbegin(); it != mm->mmap.rend(); ++it) {
        const vm_area_struct& v = it->second;
        if (v.vm_start >= high) continue;
        if (v.vm_end <= high && high - v.vm_end >= len) return high - len;
        high = std::min(high, v.vm_start);
    }
    if (high >= FIRST_USER_ADDRESS && high - FIRST_USER_ADDRESS >= len) return high - len;
    return 0;
}

bool range_free(mm_struct* mm, uint32_t start, uint32_t end) {
    for (const auto& kv : mm->mmap)
        if (kv.second.vm_start < end && start < kv.second.vm_end) return false;
    return true;
}

constexpr uint32_t err(int e) {
    return static_cast<uint32_t>(-e);
}

}  // namespace

// ---- setup -------------------------------------------------------------------------------------

void user_mm_init() {
    State& s = state();
    if (s.initialized || !s.system) return;
    s.initialized = true;
    s.zero_page = get_zeroed_page(GFP_KERNEL);
    s.zero_pfn = s.zero_page ? virt_to_pfn(s.zero_page) : 0;
    s.previous_hook =
        set_user_fault_handler([](const hal::AbortInfo& info) { return do_page_fault(info); });
}

void user_mm_exit() {
    State& s = raw_state();
    if (s.system && system_running() && s.system == &current_system() && s.initialized) {
        if (s.current) switch_mm(s.current, nullptr);
        set_user_fault_handler(std::move(s.previous_hook));
        if (s.zero_page) free_page(s.zero_page);
    }
    s = State{};
}

// ---- address spaces ----------------------------------------------------------------------------

mm_struct* mm_alloc() {
    State& s = state();
    if (!s.system) return nullptr;
    const uint32_t pgd = pgd_alloc();
    if (!pgd) return nullptr;
    mm_struct* mm = new mm_struct;
    mm->pgd = pgd;
    mm->task_size = TASK_SIZE;
    mm->mmap_base = TASK_SIZE - MMAP_MIN_GAP;
    mm->context.vmalloc_seq = vmalloc_seq();
    ++s.stats.mm_allocs;
    return mm;
}

void mmget(mm_struct* mm) {
    if (mm) ++mm->mm_users;
}

void mmput(mm_struct* mm) {
    if (!mm || --mm->mm_users > 0) return;
    State& s = state();
    if (s.current == mm) switch_mm(mm, nullptr);
    for (auto& kv : mm->mmap)
        zap_range(mm, kv.second, kv.second.vm_start, kv.second.vm_end);
    mm->mmap.clear();
    // free_pgtables: the user pte tables this mm allocated.
    for (unsigned idx : mm->pte_table_slots)
        pte_free_table(mm->pgd + idx * 8);
    if (has_asid(mm)) flush_tlb_mm(mm_asid(mm));  // tlb_finish_mmu
    pgd_free(mm->pgd);
    ++s.stats.mm_frees;
    delete mm;
}

mm_struct* current_user_mm() {
    return state().current;
}

void switch_mm(mm_struct* prev, mm_struct* next) {
    State& s = state();
    if (!next) {
        cpu_set_reserved_ttbr0();
        cp15_write(cp15::CONTEXTIDR, 0);
        hal::this_cpu().isb();
        s.current = nullptr;
        return;
    }
    if (prev != next || s.current != next) check_and_switch_context(next);
    s.current = next;
}

// ---- mappings ----------------------------------------------------------------------------------

pgprot_t vm_get_page_prot(unsigned long vm_flags) {
    // protection_map[VM_READ | VM_WRITE | VM_EXEC | VM_SHARED] (arch/arm/mm/mmu.c).
    static const pgprot_t map[16] = {
        PAGE_NONE,          PAGE_READONLY,      PAGE_COPY,        PAGE_COPY,
        PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_COPY_EXEC,   PAGE_COPY_EXEC,
        PAGE_NONE,          PAGE_READONLY,      PAGE_SHARED,      PAGE_SHARED,
        PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_SHARED_EXEC, PAGE_SHARED_EXEC,
    };
    return map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
}

vm_area_struct* find_vma(mm_struct* mm, uint32_t addr) {
    if (!mm) return nullptr;
    auto it = mm->mmap.upper_bound(addr);
    if (it == mm->mmap.begin()) return nullptr;
    --it;
    return addr < it->second.vm_end ? &it->second : nullptr;
}

uint32_t vm_mmap(mm_struct* mm, uint32_t addr, uint32_t len, unsigned long prot,
                 unsigned long flags) {
    if (!mm) return err(EINVAL);
    if (!(flags & MAP_ANONYMOUS)) return err(EBADF);  // no files: only anonymous memory
    const unsigned long type = flags & MAP_TYPE;
    if (type != MAP_SHARED && type != MAP_PRIVATE) return err(EINVAL);
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) return err(EINVAL);
    if (len == 0) return err(EINVAL);
    const uint32_t size = PAGE_ALIGN(len);
    if (size == 0 || size > TASK_SIZE) return err(ENOMEM);
    if (flags & MAP_FIXED) {
        if (addr & ~PAGE_MASK) return err(EINVAL);
        if (addr < FIRST_USER_ADDRESS) return err(EPERM);  // mmap_min_addr
        if (addr > TASK_SIZE - size) return err(ENOMEM);
        vm_munmap(mm, addr, size);
    } else {
        const uint32_t hint = PAGE_ALIGN(addr);
        if (hint >= FIRST_USER_ADDRESS && hint <= TASK_SIZE - size &&
            range_free(mm, hint, hint + size)) {
            addr = hint;
        } else {
            addr = get_unmapped_area(mm, size);
            if (!addr) return err(ENOMEM);
        }
    }
    vm_area_struct vma;
    vma.vm_start = addr;
    vma.vm_end = addr + size;
    vma.vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (prot & PROT_READ) vma.vm_flags |= VM_READ;
    if (prot & PROT_WRITE) vma.vm_flags |= VM_WRITE;
    if (prot & PROT_EXEC) vma.vm_flags |= VM_EXEC;
    if (type == MAP_SHARED) vma.vm_flags |= VM_SHARED | VM_MAYSHARE;
    vma.vm_page_prot = vm_get_page_prot(vma.vm_flags);
    vma.vm_mm = mm;
    vm_area_struct& v = mm->mmap[addr] = vma;
    if (flags & MAP_POPULATE) {
        const bool write = (v.vm_flags & VM_WRITE) != 0;
        for (uint32_t a = v.vm_start; a < v.vm_end; a += PAGE_SIZE)
            if (!handle_pte_fault(mm, v, a, write)) break;
    }
    return addr;
}

int vm_munmap(mm_struct* mm, uint32_t start, uint32_t len) {
    if (!mm || (start & ~PAGE_MASK) || len == 0) return -EINVAL;
    const uint32_t size = PAGE_ALIGN(len);
    if (size == 0 || size > TASK_SIZE || start > TASK_SIZE - size) return -EINVAL;
    const uint32_t end = start + size;
    std::vector<uint32_t> hit;
    for (const auto& kv : mm->mmap)
        if (kv.second.vm_start < end && start < kv.second.vm_end) hit.push_back(kv.first);
    for (uint32_t key : hit) {
        const vm_area_struct vma = mm->mmap[key];
        mm->mmap.erase(key);
        zap_range(mm, vma, std::max(start, vma.vm_start), std::min(end, vma.vm_end));
        if (vma.vm_start < start) {  // the part below stays
            vm_area_struct left = vma;
            left.vm_end = start;
            mm->mmap[left.vm_start] = left;
        }
        if (vma.vm_end > end) {  // the part above stays
            vm_area_struct right = vma;
            right.vm_start = end;
            if (vma.vm_flags & VM_PFNMAP) right.vm_pgoff += (end - vma.vm_start) >> PAGE_SHIFT;
            mm->mmap[right.vm_start] = right;
        }
    }
    if (!hit.empty()) flush_user_range(mm, start, end);
    return 0;
}

int remap_pfn_range(vm_area_struct* vma, uint32_t addr, pfn_t pfn, uint32_t size, pgprot_t prot) {
    if (!vma || !vma->vm_mm || size == 0 || (addr & ~PAGE_MASK) || (size & ~PAGE_MASK) ||
        addr < vma->vm_start || size > vma->vm_end - addr)
        return -EINVAL;
    mm_struct* mm = vma->vm_mm;
    const uint32_t end = addr + size;
    // A private writable (COW) mapping must be remapped whole; vm_pgoff remembers the pfn.
    const bool cow = (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
    if (cow) {
        if (addr != vma->vm_start || end != vma->vm_end) return -EINVAL;
        vma->vm_pgoff = pfn;
    }
    vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
    int rc = 0;
    uint32_t a = addr;
    for (; a < end; a += PAGE_SIZE) {
        const uint32_t ptep = get_pte(mm, a, true);
        if (!ptep) {
            rc = -ENOMEM;
            break;
        }
        if (!pte_none(ptep_get(ptep))) {
            rc = -EACCES;
            break;
        }
        set_pte_at(a, ptep, pfn_pte(pfn + ((a - addr) >> PAGE_SHIFT), prot));
    }
    if (rc) {
        // Undo what was written (the range was empty before).
        for (uint32_t b = addr; b < a; b += PAGE_SIZE)
            if (const uint32_t ptep = get_pte(mm, b, false)) pte_clear(b, ptep);
        hal::this_cpu().dsb();
        flush_user_range(mm, addr, a);
    }
    return rc;
}

// ---- faults ------------------------------------------------------------------------------------

hal::AbortAction do_page_fault(const hal::AbortInfo& info) {
    State& s = state();
    ++s.stats.page_faults;
    mm_struct* mm = s.current;
    const uint32_t fs = fsr::fs(info.fsr);
    const bool exec = info.kind == hal::AbortInfo::prefetch;
    const bool write = !exec && info.write;
    switch (fs) {
        case fsr::TRANSLATION_SECTION:
        case fsr::TRANSLATION_PAGE:
        case fsr::PERMISSION_SECTION:
        case fsr::PERMISSION_PAGE:
        case fsr::ACCESS_FLAG_SECTION:
        case fsr::ACCESS_FLAG_PAGE:
            break;
        default:
            // Domain faults (a kernel access to a user pointer outside uaccess, with
            // CPU_SW_DOMAIN_PAN), alignment, external aborts: do_bad_area.
            return bad_area(mm, info, info.user ? SIGSEGV : SIGBUS, SEGV_ACCERR);
    }
    vm_area_struct* vma = find_vma(mm, info.far);
    if (!vma) return bad_area(mm, info, SIGSEGV, SEGV_MAPERR);
    // __do_page_fault's vm_flags test (arch/arm/mm/fault.c).
    const unsigned long need = exec ? VM_EXEC : write ? VM_WRITE : (VM_READ | VM_WRITE | VM_EXEC);
    if (!(vma->vm_flags & need)) return bad_area(mm, info, SIGSEGV, SEGV_ACCERR);
    if (!handle_pte_fault(mm, *vma, info.far, write))
        return bad_area(mm, info, SIGBUS, 0);  // VM_FAULT_SIGBUS / OOM
    return hal::AbortAction::retry;
}

// ---- PL0
// -----------------------------------------------------------------------------------------

int run_user(mm_struct* mm, const std::function<void(hal::Cpu&)>& fn) {
    if (!mm) return SIGSEGV;
    State& s = state();
    switch_mm(s.current, mm);
    mm->last_signal = user_fault_signal{};
    hal::Cpu& cpu = hal::this_cpu();
    struct Back {
        hal::Cpu& cpu;
        uint32_t dacr;
        ~Back() {
            cpu.set_mode(hal::Mode::kernel);
            uaccess_restore(dacr);
        }
    } back{cpu, uaccess_save_and_enable()};  // user space runs with DOMAIN_USER client
    cpu.set_mode(hal::Mode::user);
    try {
        fn(cpu);
    } catch (const hal::GuestOops&) {
        if (mm->last_signal.signo == 0) throw;  // not the user's fault: a real oops
        return mm->last_signal.signo;
    }
    return 0;
}

const UserMmStats& user_mm_stats() {
    return state().stats;
}

}  // namespace kernel
