#include "sw/arch/arm/fault.h"

#include <cstdio>

#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/kernel/printk.h"

namespace kernel {

namespace {

UserFaultHandler g_user_handler;
unsigned g_fixup_depth = 0;
FaultCounts g_counts;
std::string g_last_oops;
unsigned g_die_counter = 0;
// Hardware L2 table: 256 entries indexed by VA[19:12].
constexpr uint32_t kL2IndexMask = 0xFFu;

uint32_t current_pgd() {
    return phys_to_virt(cp15_read(cp15::TTBR0) & ttbr::BASE_MASK);
}

// "[%08x] *pgd=%08x, *pte=%08x, *ppte=%08x" (arch/arm/mm/fault.c show_pte).
std::string show_pte(uint32_t addr) {
    hal::Cpu& c = hal::this_cpu();
    char buf[160];
    const uint32_t pgd = current_pgd();
    const uint32_t pmdp = pgd_offset(pgd, addr);
    const uint32_t l1 = c.load32(pmd_hw_entry(pmdp, addr));
    int n = std::snprintf(buf, sizeof buf, "[%08x] *pgd=%08x", addr, c.load32(pmdp));
    if (pmd_table(l1)) {
        const uint32_t hw =
            phys_to_virt(l1 & PMD_PT_BASE_MASK) + ((addr >> PAGE_SHIFT) & kL2IndexMask) * 4;
        const uint32_t linux_pte = hw - PTE_HWTABLE_OFF;
        std::snprintf(buf + n, sizeof buf - n, ", *pte=%08x, *ppte=%08x", c.load32(linux_pte),
                      c.load32(hw));
    } else if (!pmd_sect(l1) && l1 != 0) {
        std::snprintf(buf + n, sizeof buf - n, "(bad)");
    }
    return buf;
}

hal::AbortAction kernel_fault(const hal::AbortInfo& info) {
    if (fault_fixup_active()) {
        ++g_counts.fixups;
        return hal::AbortAction::fixup;
    }
    ++g_counts.oopses;
    const uint32_t fs = fsr::fs(info.fsr);
    const char* what = info.kind == hal::AbortInfo::prefetch ? "execute"
                       : info.write                          ? "write"
                                                             : "read";
    char line[200];
    g_last_oops.clear();
    printk(LOGLEVEL_ALERT, "8<--- cut here ---\n");
    std::snprintf(line, sizeof line, "Unable to handle kernel %s at virtual address %08x when %s\n",
                  info.far < PAGE_SIZE ? "NULL pointer dereference" : "paging request", info.far,
                  what);
    printk(LOGLEVEL_ALERT, "%s", line);
    g_last_oops += line;
    const std::string pte = show_pte(info.far) + "\n";
    printk(LOGLEVEL_ALERT, "%s", pte.c_str());
    g_last_oops += pte;
    std::snprintf(line, sizeof line, "Internal error: Oops: %x [#%u] ARM (%s)\n", fs,
                  ++g_die_counter, fsr_name(info.fsr));
    pr_emerg("%s", line);
    g_last_oops += line;
    return hal::AbortAction::fatal;
}

// do_translation_fault for a kernel address: copy the L1 pair from init_mm when init_mm
// has it and the current directory does not.
hal::AbortAction translation_fault(const hal::AbortInfo& info) {
    hal::Cpu& c = hal::this_cpu();
    const uint32_t addr = info.far;
    const uint32_t pmd = pgd_offset(current_pgd(), addr);
    const uint32_t pmd_k = pgd_offset_k(addr);
    const uint32_t k_entry = c.load32(pmd_hw_entry(pmd_k, addr));
    if (k_entry == 0) return kernel_fault(info);  // bad_area
    const uint32_t k0 = c.load32(pmd_k), k1 = c.load32(pmd_k + 4);
    if (c.load32(pmd) == k0 && c.load32(pmd + 4) == k1) return kernel_fault(info);
    c.store32(pmd, k0);
    c.store32(pmd + 4, k1);
    flush_pmd_entry(pmd);
    ++g_counts.vmalloc_syncs;
    return hal::AbortAction::retry;
}

}  // namespace

const char* fsr_name(uint32_t fsr_value) {
    switch (fsr::fs(fsr_value)) {
        case fsr::ALIGNMENT:
            return "alignment exception";
        case fsr::DEBUG:
            return "debug event";
        case fsr::ACCESS_FLAG_SECTION:
            return "section access flag fault";
        case fsr::ICACHE_MAINT:
            return "I-cache maintenance fault";
        case fsr::TRANSLATION_SECTION:
            return "section translation fault";
        case fsr::ACCESS_FLAG_PAGE:
            return "page access flag fault";
        case fsr::TRANSLATION_PAGE:
            return "page translation fault";
        case fsr::EXTERNAL:
            return "external abort on non-linefetch";
        case fsr::DOMAIN_SECTION:
            return "section domain fault";
        case fsr::DOMAIN_PAGE:
            return "page domain fault";
        case fsr::EXTERNAL_L1:
            return "external abort on translation";
        case fsr::PERMISSION_SECTION:
            return "section permission fault";
        case fsr::EXTERNAL_L2:
            return "external abort on translation";
        case fsr::PERMISSION_PAGE:
            return "page permission fault";
        default:
            return "unknown";
    }
}

UserFaultHandler set_user_fault_handler(UserFaultHandler handler) {
    UserFaultHandler old = std::move(g_user_handler);
    g_user_handler = std::move(handler);
    return old;
}

hal::AbortAction do_abort(const hal::AbortInfo& info) {
    if (info.far < TASK_SIZE) {
        if (g_user_handler) {
            ++g_counts.user;
            const hal::AbortAction a = g_user_handler(info);
            if (a != hal::AbortAction::fatal || info.user) return a;
        }
        return kernel_fault(info);
    }
    if (fsr::fs(info.fsr) == fsr::TRANSLATION_SECTION) return translation_fault(info);
    return kernel_fault(info);
}

void install_abort_handler(hal::Cpu& cpu) {
    cpu.set_abort_handler([](const hal::AbortInfo& i) { return do_abort(i); });
}

FaultFixupScope::FaultFixupScope() {
    ++g_fixup_depth;
}
FaultFixupScope::~FaultFixupScope() {
    --g_fixup_depth;
}
bool fault_fixup_active() {
    return g_fixup_depth != 0;
}

const FaultCounts& fault_counts() {
    return g_counts;
}
void reset_fault_counts() {
    g_counts = FaultCounts{};
}
const std::string& last_oops() {
    return g_last_oops;
}

}  // namespace kernel
