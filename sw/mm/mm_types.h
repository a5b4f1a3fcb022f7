// A process address space: mm_struct and vm_area_struct (include/linux/mm_types.h,
// include/linux/mm.h, arch/arm/include/asm/mmu.h; docs/guest/user.md).
//
// The page directory and the page tables are in simulated memory (sw/arch/arm/pgtable.h);
// the VMA list and the counters are host bookkeeping, as struct page is (docs/guest/mm.md).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "sw/arch/arm/pgtable.h"
#include "sw/mm/memory.h"

namespace kernel {

// vm_flags (include/linux/mm.h).
constexpr unsigned long VM_NONE = 0x00000000;
constexpr unsigned long VM_READ = 0x00000001;
constexpr unsigned long VM_WRITE = 0x00000002;
constexpr unsigned long VM_EXEC = 0x00000004;
constexpr unsigned long VM_SHARED = 0x00000008;
constexpr unsigned long VM_MAYREAD = 0x00000010;
constexpr unsigned long VM_MAYWRITE = 0x00000020;
constexpr unsigned long VM_MAYEXEC = 0x00000040;
constexpr unsigned long VM_MAYSHARE = 0x00000080;
constexpr unsigned long VM_GROWSDOWN = 0x00000100;
constexpr unsigned long VM_PFNMAP = 0x00000400;
constexpr unsigned long VM_LOCKED = 0x00002000;
constexpr unsigned long VM_IO = 0x00004000;
constexpr unsigned long VM_DONTEXPAND = 0x00040000;
constexpr unsigned long VM_ACCOUNT = 0x00100000;
constexpr unsigned long VM_DONTDUMP = 0x04000000;

// mmap prot and flags (include/uapi/asm-generic/mman-common.h, mman.h).
constexpr unsigned long PROT_NONE = 0x0;
constexpr unsigned long PROT_READ = 0x1;
constexpr unsigned long PROT_WRITE = 0x2;
constexpr unsigned long PROT_EXEC = 0x4;
constexpr unsigned long MAP_SHARED = 0x01;
constexpr unsigned long MAP_PRIVATE = 0x02;
constexpr unsigned long MAP_TYPE = 0x0f;
constexpr unsigned long MAP_FIXED = 0x10;
constexpr unsigned long MAP_ANONYMOUS = 0x20;
constexpr unsigned long MAP_POPULATE = 0x008000;

// The 8-bit ASID with its generation above it (arch/arm/mm/context.c).
struct mm_context_t {
    uint64_t id = 0;           // generation << ASID_BITS | asid; 0 = never had one
    unsigned vmalloc_seq = 0;  // init_mm's vmalloc_seq when the kernel half was last synced
};

struct mm_struct;

struct vm_area_struct {
    uint32_t vm_start = 0;  // first byte
    uint32_t vm_end = 0;    // one past the last byte
    unsigned long vm_flags = 0;
    pgprot_t vm_page_prot{};
    pfn_t vm_pgoff = 0;  // VM_PFNMAP (COW) mappings: the first pfn
    mm_struct* vm_mm = nullptr;
};

// A signal the fault handler raised for a user access it could not resolve.
struct user_fault_signal {
    int signo = 0;    // SIGSEGV (11) or SIGBUS (7); 0 = none
    int si_code = 0;  // SEGV_MAPERR (1: no mapping) / SEGV_ACCERR (2: no permission)
    uint32_t addr = 0;
    uint32_t fsr = 0;
};

struct mm_struct {
    uint32_t pgd = 0;  // VA of the 16 KiB page directory (order-2 buddy block)
    std::map<uint32_t, vm_area_struct> mmap;  // VMAs by vm_start
    mm_context_t context;
    uint32_t mmap_base = 0;  // top-down layout: the highest address mmap hands out
    uint32_t task_size = 0;
    int mm_users = 1;
    std::string comm;                    // the process name, for messages
    std::set<unsigned> pte_table_slots;  // pgd indices whose user pte table this mm allocated
    // Counters.
    unsigned long anon_pages = 0;   // MM_ANONPAGES (pages this mm owns)
    unsigned long pte_tables = 0;   // pte pages of the user half
    unsigned long faults = 0;       // faults resolved (pages mapped or ptes fixed)
    unsigned long minor_zero = 0;   // read faults answered with the zero page
    unsigned long cow = 0;          // zero-page copies on write
    user_fault_signal last_signal;  // the last SIGSEGV/SIGBUS
};

}  // namespace kernel
