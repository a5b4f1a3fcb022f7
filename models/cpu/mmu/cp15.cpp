#include "models/cpu/mmu/cp15.h"

namespace vp::mmu {

namespace {

struct Named {
    const char* name;
    Cp15Reg reg;
};

#define VP_CP15_ENTRY(n) \
    Named {              \
#n, cp15reg::n   \
    }
constexpr Named kNames[] = {
    VP_CP15_ENTRY(MIDR),         VP_CP15_ENTRY(CTR),           VP_CP15_ENTRY(TCMTR),
    VP_CP15_ENTRY(TLBTR),        VP_CP15_ENTRY(CCSIDR),        VP_CP15_ENTRY(CLIDR),
    VP_CP15_ENTRY(AIDR),         VP_CP15_ENTRY(CSSELR),        VP_CP15_ENTRY(SCTLR),
    VP_CP15_ENTRY(ACTLR),        VP_CP15_ENTRY(CPACR),         VP_CP15_ENTRY(SCR),
    VP_CP15_ENTRY(SDER),         VP_CP15_ENTRY(NSACR),         VP_CP15_ENTRY(TTBR0),
    VP_CP15_ENTRY(TTBR1),        VP_CP15_ENTRY(TTBCR),         VP_CP15_ENTRY(DACR),
    VP_CP15_ENTRY(DFSR),         VP_CP15_ENTRY(IFSR),          VP_CP15_ENTRY(ADFSR),
    VP_CP15_ENTRY(AIFSR),        VP_CP15_ENTRY(DFAR),          VP_CP15_ENTRY(IFAR),
    VP_CP15_ENTRY(PAR),          VP_CP15_ENTRY(ICIALLU),       VP_CP15_ENTRY(ICIMVAU),
    VP_CP15_ENTRY(CP15ISB),      VP_CP15_ENTRY(BPIALL),        VP_CP15_ENTRY(BPIMVA),
    VP_CP15_ENTRY(DCIMVAC),      VP_CP15_ENTRY(DCISW),         VP_CP15_ENTRY(ATS1CPR),
    VP_CP15_ENTRY(ATS1CPW),      VP_CP15_ENTRY(ATS1CUR),       VP_CP15_ENTRY(ATS1CUW),
    VP_CP15_ENTRY(DCCMVAC),      VP_CP15_ENTRY(DCCSW),         VP_CP15_ENTRY(CP15DSB),
    VP_CP15_ENTRY(CP15DMB),      VP_CP15_ENTRY(DCCMVAU),       VP_CP15_ENTRY(DCCIMVAC),
    VP_CP15_ENTRY(DCCISW),       VP_CP15_ENTRY(ITLBIALL),      VP_CP15_ENTRY(ITLBIMVA),
    VP_CP15_ENTRY(ITLBIASID),    VP_CP15_ENTRY(DTLBIALL),      VP_CP15_ENTRY(DTLBIMVA),
    VP_CP15_ENTRY(DTLBIASID),    VP_CP15_ENTRY(TLBIALL),       VP_CP15_ENTRY(TLBIMVA),
    VP_CP15_ENTRY(TLBIASID),     VP_CP15_ENTRY(DTLB_LOCKDOWN), VP_CP15_ENTRY(ITLB_LOCKDOWN),
    VP_CP15_ENTRY(DTLB_PRELOAD), VP_CP15_ENTRY(ITLB_PRELOAD),  VP_CP15_ENTRY(PRRR),
    VP_CP15_ENTRY(NMRR),         VP_CP15_ENTRY(VBAR),          VP_CP15_ENTRY(FCSEIDR),
    VP_CP15_ENTRY(CONTEXTIDR),   VP_CP15_ENTRY(TPIDRURW),      VP_CP15_ENTRY(TPIDRURO),
    VP_CP15_ENTRY(TPIDRPRW),
};
#undef VP_CP15_ENTRY

}  // namespace

const char* cp15_name(Cp15Reg r) {
    for (const Named& n : kNames)
        if (n.reg == r) return n.name;
    return nullptr;
}

std::optional<Cp15Reg> cp15_by_name(std::string_view name) {
    for (const Named& n : kNames)
        if (name == n.name) return n.reg;
    return std::nullopt;
}

}  // namespace vp::mmu
