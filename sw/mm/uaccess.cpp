// copy_{to,from}_user, clear_user, get_user/put_user on hal::Cpu's unprivileged accesses.
#include "sw/mm/uaccess.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "sw/arch/arm/fault.h"
#include "sw/hal/cpu.h"

namespace kernel {

namespace {

// DACR: MRC/MCR p15, 0, Rt, c3, c0, 0.
constexpr unsigned kDacrCrn = 3, kDacrOpc1 = 0, kDacrCrm = 0, kDacrOpc2 = 0;

// The kernel-side bounce buffer for guest-to-guest copies (the copy runs in page pieces).
constexpr unsigned long kBounce = 4096;

// The user domain stays open for the life of one of these (uaccess_save_and_enable ...
// uaccess_restore around the copy loop, as arm_copy_from_user's callers do).
struct UaccessWindow {
    FaultFixupScope fixup;  // the exception-table entries of the copy routines
    uint32_t saved;
    UaccessWindow() : saved(uaccess_save_and_enable()) {}
    ~UaccessWindow() { uaccess_restore(saved); }
    UaccessWindow(const UaccessWindow&) = delete;
    UaccessWindow& operator=(const UaccessWindow&) = delete;
};

}  // namespace

uint32_t uaccess_save_and_enable() {
    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t old = cpu.mrc(kDacrCrn, kDacrOpc1, kDacrCrm, kDacrOpc2);
    const uint32_t mask = domain_mask(DOMAIN_USER);
    const uint32_t now = (old & ~mask) | domain_val(DOMAIN_USER, DOMAIN_CLIENT);
    if (now != old) {
        cpu.mcr(kDacrCrn, kDacrOpc1, kDacrCrm, kDacrOpc2, now);
        cpu.isb();
    }
    return old;
}

void uaccess_restore(uint32_t old_dacr) {
    hal::Cpu& cpu = hal::this_cpu();
    if (cpu.mrc(kDacrCrn, kDacrOpc1, kDacrCrm, kDacrOpc2) == old_dacr) return;
    cpu.mcr(kDacrCrn, kDacrOpc1, kDacrCrm, kDacrOpc2, old_dacr);
    cpu.isb();
}

unsigned long copy_to_user(uint32_t to, const void* from, unsigned long n) {
    if (n == 0) return 0;
    if (!access_ok(to, n) || !from) return n;
    UaccessWindow w;
    const size_t done = hal::this_cpu().write_block(to, from, n, true);
    return n - static_cast<unsigned long>(done);
}

unsigned long copy_to_user(uint32_t to, uint32_t from_kva, unsigned long n) {
    if (n == 0) return 0;
    if (!access_ok(to, n)) return n;
    hal::Cpu& cpu = hal::this_cpu();
    std::vector<uint8_t> buf(std::min(n, kBounce));
    unsigned long done = 0;
    UaccessWindow w;
    while (done < n) {
        const unsigned long piece = std::min<unsigned long>(n - done, buf.size());
        // The kernel side is read privileged; a fault there ends the copy like a user one.
        const size_t got = cpu.read_block(from_kva + done, buf.data(), piece, false);
        const size_t put = cpu.write_block(to + done, buf.data(), got, true);
        done += static_cast<unsigned long>(put);
        if (got != piece || put != got) break;
    }
    return n - done;
}

unsigned long copy_from_user(void* to, uint32_t from, unsigned long n) {
    if (n == 0) return 0;
    if (!to) return n;
    size_t done = 0;
    if (access_ok(from, n)) {
        UaccessWindow w;
        done = hal::this_cpu().read_block(from, to, n, true);
    }
    // Linux: the uncopied tail of the kernel buffer is zeroed.
    std::memset(static_cast<uint8_t*>(to) + done, 0, n - done);
    return n - static_cast<unsigned long>(done);
}

unsigned long copy_from_user(uint32_t to_kva, uint32_t from, unsigned long n) {
    if (n == 0) return 0;
    hal::Cpu& cpu = hal::this_cpu();
    unsigned long done = 0;
    if (access_ok(from, n)) {
        std::vector<uint8_t> buf(std::min(n, kBounce));
        UaccessWindow w;
        while (done < n) {
            const unsigned long piece = std::min<unsigned long>(n - done, buf.size());
            const size_t got = cpu.read_block(from + done, buf.data(), piece, true);
            const size_t put = cpu.write_block(to_kva + done, buf.data(), got, false);
            done += static_cast<unsigned long>(put);
            if (got != piece || put != got) break;
        }
    }
    if (done < n) cpu.fill(to_kva + done, 0, n - done, false);
    return n - done;
}

unsigned long clear_user(uint32_t to, unsigned long n) {
    if (n == 0) return 0;
    if (!access_ok(to, n)) return n;
    UaccessWindow w;
    const size_t done = hal::this_cpu().fill(to, 0, n, true);
    return n - static_cast<unsigned long>(done);
}

int __get_user_bytes(uint32_t ptr, unsigned size, uint64_t& value) {
    value = 0;
    if (!access_ok(ptr, size)) return -EFAULT;
    UaccessWindow w;
    uint64_t v = 0;
    if (!hal::this_cpu().try_load(ptr, size, v, true)) return -EFAULT;
    value = v;
    return 0;
}

int __put_user_bytes(uint32_t ptr, unsigned size, uint64_t value) {
    if (!access_ok(ptr, size)) return -EFAULT;
    UaccessWindow w;
    return hal::this_cpu().try_store(ptr, size, value, true) ? 0 : -EFAULT;
}

}  // namespace kernel
