#include "models/cpu/mmu/fault.h"

namespace vp::mmu {

namespace {

struct FaultInfo {
    uint8_t fs;
    bool domain_valid;
    uint8_t level;
    const char* name;
    const char* description;
};

// Indexed by FaultType. FS values and domain validity: DDI 0406C Table B3-23; descriptions
// follow the Linux fsr_info table so the guest's messages and ours agree.
constexpr FaultInfo kFaults[] = {
    {0b00001, false, 0, "alignment", "alignment exception"},
    {0b00010, false, 0, "debug_event", "debug event"},
    {0b00011, true, 1, "access_flag_l1", "section access flag fault"},
    {0b00100, false, 0, "icache_maintenance", "I-cache maintenance fault"},
    {0b00101, false, 1, "translation_l1", "section translation fault"},
    {0b00110, true, 2, "access_flag_l2", "page access flag fault"},
    {0b00111, true, 2, "translation_l2", "page translation fault"},
    {0b01000, false, 0, "sync_external", "external abort on non-linefetch"},
    {0b01001, true, 1, "domain_l1", "section domain fault"},
    {0b01011, true, 2, "domain_l2", "page domain fault"},
    {0b01100, false, 1, "sync_external_walk_l1", "external abort on translation (level 1)"},
    {0b01101, true, 1, "permission_l1", "section permission fault"},
    {0b01110, true, 2, "sync_external_walk_l2", "external abort on translation (level 2)"},
    {0b01111, true, 2, "permission_l2", "page permission fault"},
    {0b10000, false, 0, "tlb_conflict", "TLB conflict abort"},
    {0b10100, false, 0, "lockdown", "lock abort"},
    {0b10110, false, 0, "async_external", "imprecise external abort"},
    {0b11000, false, 0, "async_parity", "asynchronous parity error"},
    {0b11001, false, 0, "sync_parity", "synchronous parity error"},
    {0b11010, false, 0, "coprocessor_abort", "coprocessor abort"},
    {0b11100, false, 1, "sync_parity_walk_l1", "parity error on translation (level 1)"},
    {0b11110, false, 2, "sync_parity_walk_l2", "parity error on translation (level 2)"},
};

static_assert(sizeof(kFaults) / sizeof(kFaults[0]) ==
                  static_cast<size_t>(FaultType::sync_parity_walk_l2) + 1,
              "kFaults must list every FaultType in order");

const FaultInfo& info(FaultType t) {
    return kFaults[static_cast<size_t>(t)];
}

}  // namespace

uint8_t fault_status(FaultType t) {
    return info(t).fs;
}
bool fault_domain_valid(FaultType t) {
    return info(t).domain_valid;
}
unsigned fault_level(FaultType t) {
    return info(t).level;
}
const char* fault_name(FaultType t) {
    return info(t).name;
}
const char* fault_description(FaultType t) {
    return info(t).description;
}

uint32_t compose_fsr(uint8_t fs, uint8_t domain, bool domain_valid, bool wnr) {
    uint32_t v = fs & fsr::FS_LOW_MASK;
    v |= static_cast<uint32_t>((fs >> fsr::FS4_SOURCE_BIT) & 1u) << fsr::FS4_SHIFT;
    if (domain_valid) v |= (uint32_t{domain} & fsr::DOMAIN_MASK) << fsr::DOMAIN_SHIFT;
    if (wnr) v |= fsr::WNR;
    return v;
}

Fault make_fault(FaultType t, uint32_t va, AccessKind access, uint8_t domain) {
    Fault f;
    f.type = t;
    f.access = access;
    f.far = va;
    f.domain = domain;
    const bool data = access != AccessKind::fetch;
    f.fsr = compose_fsr(fault_status(t), domain, data && fault_domain_valid(t),
                        access == AccessKind::write);
    return f;
}

const char* access_kind_name(AccessKind k) {
    switch (k) {
        case AccessKind::read:
            return "read";
        case AccessKind::write:
            return "write";
        case AccessKind::fetch:
            return "fetch";
    }
    return "?";
}

const char* mem_type_name(MemType t) {
    switch (t) {
        case MemType::strongly_ordered:
            return "strongly-ordered";
        case MemType::device:
            return "device";
        case MemType::normal:
            return "normal";
    }
    return "?";
}

const char* cache_policy_name(CachePolicy p) {
    switch (p) {
        case CachePolicy::non_cacheable:
            return "non-cacheable";
        case CachePolicy::write_back_write_allocate:
            return "write-back write-allocate";
        case CachePolicy::write_through:
            return "write-through";
        case CachePolicy::write_back_no_write_allocate:
            return "write-back no-write-allocate";
    }
    return "?";
}

const char* entry_kind_name(EntryKind k) {
    switch (k) {
        case EntryKind::section:
            return "section";
        case EntryKind::supersection:
            return "supersection";
        case EntryKind::large_page:
            return "large page";
        case EntryKind::small_page:
            return "small page";
        case EntryKind::flat:
            return "flat";
    }
    return "?";
}

}  // namespace vp::mmu
