// The kernel's data/prefetch abort handling (arch/arm/mm/fault.c, fsr-2level.c).
//
// System installs do_abort() as the CPU's abort handler. It decodes the fault status
// (DFSR/IFSR FS[4] ‖ FS[3:0]) and dispatches as Linux's fsr_info table does:
//  - translation faults on kernel addresses (>= TASK_SIZE): do_translation_fault copies the
//    L1 pair from init_mm (swapper_pg_dir) into the current page directory when init_mm has
//    it and the current one does not (the vmalloc-area sync), and retries the access;
//  - faults at user addresses (< TASK_SIZE): the hook registered with
//    set_user_fault_handler() (the user mm's do_page_fault); without a hook they are bad
//    areas;
//  - anything else — or a user-address fault the hook refuses — is a kernel oops: printk
//    "Unable to handle kernel paging request at virtual address %08x" (or "NULL pointer
//    dereference" below PAGE_SIZE), the "[%08x] *pgd=%08x" walk and "Internal error: Oops"
//    lines, then AbortAction::fatal (the access throws hal::GuestOops). Inside a
//    FaultFixupScope (Linux's exception table: copy_from_kernel_nofault, uaccess) the
//    access is fixed up instead (AbortAction::fixup, a try_* access returns false).
// Plain C++17, no SystemC.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sw/hal/cpu.h"

namespace kernel {

// Fault status codes, FS[4] << 4 | FS[3:0] (DDI 0406C B4.1.52, short-descriptor format).
namespace fsr {
constexpr uint32_t FS_LOW_MASK = 0xFu;
constexpr unsigned FS_HIGH_SHIFT = 10;  // FS[4] at bit 10
constexpr uint32_t WNR = 1u << 11;
constexpr uint32_t ALIGNMENT = 0x01;
constexpr uint32_t DEBUG = 0x02;
constexpr uint32_t ACCESS_FLAG_SECTION = 0x03;
constexpr uint32_t ICACHE_MAINT = 0x04;
constexpr uint32_t TRANSLATION_SECTION = 0x05;
constexpr uint32_t ACCESS_FLAG_PAGE = 0x06;
constexpr uint32_t TRANSLATION_PAGE = 0x07;
constexpr uint32_t EXTERNAL = 0x08;
constexpr uint32_t DOMAIN_SECTION = 0x09;
constexpr uint32_t EXTERNAL_L1 = 0x0C;
constexpr uint32_t PERMISSION_SECTION = 0x0D;
constexpr uint32_t EXTERNAL_L2 = 0x0E;
constexpr uint32_t DOMAIN_PAGE = 0x0B;
constexpr uint32_t PERMISSION_PAGE = 0x0F;
constexpr uint32_t fs(uint32_t fsr_value) {
    return (fsr_value & FS_LOW_MASK) | (((fsr_value >> FS_HIGH_SHIFT) & 1u) << 4);
}
}  // namespace fsr

// Linux's name of a fault status ("page translation fault", "section domain fault" ...).
const char* fsr_name(uint32_t fsr_value);

using UserFaultHandler = std::function<hal::AbortAction(const hal::AbortInfo&)>;
// Registers the handler for faults at user addresses; an empty function removes it.
// Returns the previous handler.
UserFaultHandler set_user_fault_handler(UserFaultHandler handler);

// The abort dispatcher (do_DataAbort / do_PrefetchAbort).
hal::AbortAction do_abort(const hal::AbortInfo& info);
// Installs do_abort as `cpu`'s abort handler.
void install_abort_handler(hal::Cpu& cpu);

// While one lives, kernel faults that would oops are fixed up instead (no message): the
// exception-table entries of copy_from_kernel_nofault and the uaccess routines. Nests.
class FaultFixupScope {
  public:
    FaultFixupScope();
    ~FaultFixupScope();
    FaultFixupScope(const FaultFixupScope&) = delete;
    FaultFixupScope& operator=(const FaultFixupScope&) = delete;
};
bool fault_fixup_active();

// Counters since start (or reset_fault_counts()).
struct FaultCounts {
    unsigned long vmalloc_syncs = 0;  // L1 pairs copied from init_mm
    unsigned long user = 0;           // faults given to the user hook
    unsigned long fixups = 0;         // faults fixed up in a FaultFixupScope
    unsigned long oopses = 0;         // kernel oopses
};
const FaultCounts& fault_counts();
void reset_fault_counts();
// The text of the last oops (empty if none).
const std::string& last_oops();

}  // namespace kernel
