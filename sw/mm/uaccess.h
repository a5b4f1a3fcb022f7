// Copies between the kernel and user space (arch/arm/include/asm/uaccess.h, arch/arm/lib/
// copy_{to,from}_user.S; linux-mm.md §12.1, §14.7).
//
// - access_ok(): the whole range lies below TASK_SIZE (0xBF000000, VMSPLIT_3G), wrap checked,
//   so a kernel address fails before any access.
// - The copy opens the user domain in DACR for its duration (uaccess_save_and_enable /
//   uaccess_restore: DOMAIN_USER becomes client; with CPU_SW_DOMAIN_PAN it is no-access in
//   kernel mode otherwise) and makes every access *unprivileged*
//   (hal::Cpu's as_user, like LDRT/STRT), so the page's AP bits are checked as for PL0.
// - A fault goes through the data-abort handler: a user page may be demand-allocated (the
//   user fault hook of sw/mm/mmap.h answers retry); an unresolvable fault ends the copy
//   (a FaultFixupScope of sw/arch/arm/fault.h is open: Linux's exception-table fixup).
// - copy_to_user/copy_from_user/clear_user return the bytes NOT copied (0 = success);
//   copy_from_user zero-fills the uncopied tail of the kernel buffer. get_user/put_user
//   return 0 or -EFAULT; a failing get_user stores 0, a failing put_user writes nothing.
//
// The kernel side of a copy is either host memory (a kernel-stack buffer of the host-compiled
// guest: `void*`) or guest memory at a kernel virtual address (a kmalloc buffer: `uint32_t`).
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "sw/arch/arm/pgtable.h"  // TASK_SIZE, DOMAIN_USER, domain_val

namespace kernel {

constexpr bool access_ok(uint32_t addr, uint64_t size) {
    return size <= TASK_SIZE && addr <= TASK_SIZE - size;
}

// uaccess_save_and_enable(): opens DOMAIN_USER as client in DACR (ISB); returns the old DACR.
uint32_t uaccess_save_and_enable();
// uaccess_restore(): writes the saved DACR back (ISB).
void uaccess_restore(uint32_t old_dacr);

// ---- copies -------------------------------------------------------------------------------
unsigned long copy_to_user(uint32_t to, const void* from, unsigned long n);
unsigned long copy_to_user(uint32_t to, uint32_t from_kva, unsigned long n);
unsigned long copy_from_user(void* to, uint32_t from, unsigned long n);
unsigned long copy_from_user(uint32_t to_kva, uint32_t from, unsigned long n);
unsigned long clear_user(uint32_t to, unsigned long n);

// ---- single values (1, 2, 4 or 8 bytes) --------------------------------------------------------
int __get_user_bytes(uint32_t ptr, unsigned size, uint64_t& value);
int __put_user_bytes(uint32_t ptr, unsigned size, uint64_t value);

template <typename T>
int get_user(T& x, uint32_t ptr) {
    static_assert(std::is_integral_v<T> &&
                      (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8),
                  "get_user of a 1, 2, 4 or 8-byte integer");
    uint64_t v = 0;
    const int r = __get_user_bytes(ptr, sizeof(T), v);
    x = static_cast<T>(v);
    return r;
}

template <typename T>
int put_user(T x, uint32_t ptr) {
    static_assert(std::is_integral_v<T> &&
                      (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8),
                  "put_user of a 1, 2, 4 or 8-byte integer");
    return __put_user_bytes(ptr, sizeof(T), static_cast<uint64_t>(x));
}

}  // namespace kernel
