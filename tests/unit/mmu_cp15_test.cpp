// CP15 encodings, the A8 MIDR and the short-descriptor fault status encodings.
#define BOOST_TEST_MODULE mmu_cp15
#include <boost/test/unit_test.hpp>

#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/fault.h"

using namespace vp::mmu;

namespace {
// The operands exactly as written in "MCR/MRC p15, opc1, Rt, CRn, CRm, opc2".
void expect_enc(Cp15Reg r, unsigned opc1, unsigned crn, unsigned crm, unsigned opc2) {
    BOOST_TEST(r.opc1 == opc1);
    BOOST_TEST(r.crn == crn);
    BOOST_TEST(r.crm == crm);
    BOOST_TEST(r.opc2 == opc2);
}
}  // namespace

// DDI 0406C B4.1 / mmu-tlb.md §1.1: translation registers.
BOOST_AUTO_TEST_CASE(translation_register_encodings) {
    expect_enc(cp15reg::MIDR, 0, 0, 0, 0);
    expect_enc(cp15reg::CTR, 0, 0, 0, 1);
    expect_enc(cp15reg::CCSIDR, 1, 0, 0, 0);
    expect_enc(cp15reg::CLIDR, 1, 0, 0, 1);
    expect_enc(cp15reg::CSSELR, 2, 0, 0, 0);
    expect_enc(cp15reg::SCTLR, 0, 1, 0, 0);
    expect_enc(cp15reg::ACTLR, 0, 1, 0, 1);
    expect_enc(cp15reg::TTBR0, 0, 2, 0, 0);
    expect_enc(cp15reg::TTBR1, 0, 2, 0, 1);
    expect_enc(cp15reg::TTBCR, 0, 2, 0, 2);
    expect_enc(cp15reg::DACR, 0, 3, 0, 0);
    expect_enc(cp15reg::DFSR, 0, 5, 0, 0);
    expect_enc(cp15reg::IFSR, 0, 5, 0, 1);
    expect_enc(cp15reg::DFAR, 0, 6, 0, 0);
    expect_enc(cp15reg::IFAR, 0, 6, 0, 2);
    expect_enc(cp15reg::PRRR, 0, 10, 2, 0);
    expect_enc(cp15reg::NMRR, 0, 10, 2, 1);
    expect_enc(cp15reg::CONTEXTIDR, 0, 13, 0, 1);
    expect_enc(cp15reg::TPIDRURW, 0, 13, 0, 2);
    expect_enc(cp15reg::TPIDRURO, 0, 13, 0, 3);
    expect_enc(cp15reg::TPIDRPRW, 0, 13, 0, 4);
}

// Linux arch/arm/mm/tlb-v7.S, cache-v7.S, proc-v7-2level.S (mmu-tlb.md §4.1, §4.3):
// "mcr p15, 0, r0, c8, c7, 0" TLBIALL, "c8, c7, 1" TLBIMVA, "c8, c7, 2" TLBIASID,
// "c7, c5, 6" BPIALL, "c7, c10, 1" DCCMVAC …
BOOST_AUTO_TEST_CASE(maintenance_operation_encodings) {
    expect_enc(cp15reg::TLBIALL, 0, 8, 7, 0);
    expect_enc(cp15reg::TLBIMVA, 0, 8, 7, 1);
    expect_enc(cp15reg::TLBIASID, 0, 8, 7, 2);
    expect_enc(cp15reg::ITLBIALL, 0, 8, 5, 0);
    expect_enc(cp15reg::ITLBIMVA, 0, 8, 5, 1);
    expect_enc(cp15reg::ITLBIASID, 0, 8, 5, 2);
    expect_enc(cp15reg::DTLBIALL, 0, 8, 6, 0);
    expect_enc(cp15reg::DTLBIMVA, 0, 8, 6, 1);
    expect_enc(cp15reg::DTLBIASID, 0, 8, 6, 2);
    expect_enc(cp15reg::ICIALLU, 0, 7, 5, 0);
    expect_enc(cp15reg::ICIMVAU, 0, 7, 5, 1);
    expect_enc(cp15reg::BPIALL, 0, 7, 5, 6);
    expect_enc(cp15reg::CP15ISB, 0, 7, 5, 4);
    expect_enc(cp15reg::DCIMVAC, 0, 7, 6, 1);
    expect_enc(cp15reg::DCISW, 0, 7, 6, 2);
    expect_enc(cp15reg::DCCMVAC, 0, 7, 10, 1);
    expect_enc(cp15reg::DCCSW, 0, 7, 10, 2);
    expect_enc(cp15reg::CP15DSB, 0, 7, 10, 4);
    expect_enc(cp15reg::CP15DMB, 0, 7, 10, 5);
    expect_enc(cp15reg::DCCMVAU, 0, 7, 11, 1);
    expect_enc(cp15reg::DCCIMVAC, 0, 7, 14, 1);
    expect_enc(cp15reg::DCCISW, 0, 7, 14, 2);
    // A8 TRM §3.2.56: D-TLB lockdown c10, c0, 0; I-TLB lockdown c10, c0, 1.
    expect_enc(cp15reg::DTLB_LOCKDOWN, 0, 10, 0, 0);
    expect_enc(cp15reg::ITLB_LOCKDOWN, 0, 10, 0, 1);
}

// The A8 has no Multiprocessing Extensions (mmu-tlb.md §4.1): the inner-shareable forms
// (CRm = c3) and TLBIMVAA (c8, c7, 3) are not part of the table.
BOOST_AUTO_TEST_CASE(no_mp_extension_operations) {
    BOOST_TEST(cp15_name(cp15(0, 8, 3, 0)) == nullptr);  // TLBIALLIS
    BOOST_TEST(cp15_name(cp15(0, 8, 3, 1)) == nullptr);  // TLBIMVAIS
    BOOST_TEST(cp15_name(cp15(0, 8, 7, 3)) == nullptr);  // TLBIMVAA
    BOOST_TEST(!cp15_by_name("TLBIALLIS").has_value());
}

BOOST_AUTO_TEST_CASE(names_round_trip_and_are_unique) {
    const char* names[] = {"MIDR",    "SCTLR",   "TTBR0",      "TTBR1",         "TTBCR",
                           "DACR",    "DFSR",    "IFSR",       "DFAR",          "IFAR",
                           "TLBIALL", "TLBIMVA", "TLBIASID",   "DCCMVAC",       "BPIALL",
                           "PRRR",    "NMRR",    "CONTEXTIDR", "DTLB_LOCKDOWN", "CP15DSB"};
    for (const char* n : names) {
        auto r = cp15_by_name(n);
        BOOST_TEST_REQUIRE(r.has_value(), n);
        BOOST_TEST(std::string(cp15_name(*r)) == n);
    }
    BOOST_TEST(!cp15_by_name("NOT_A_REGISTER").has_value());
    BOOST_TEST(!cp15_by_name("").has_value());
    BOOST_TEST(cp15(0, 8, 7, 0).key() != cp15(0, 8, 7, 1).key());
    BOOST_TEST(cp15(1, 0, 0, 0).key() != cp15(0, 0, 0, 0).key());  // CCSIDR vs MIDR: opc1
}

// MIDR of the AM335x's Cortex-A8 r3p2 (brief; A8 TRM §3.2 Main ID Register fields).
BOOST_AUTO_TEST_CASE(a8_midr) {
    BOOST_TEST(kCortexA8Midr == 0x413FC082u);
    BOOST_TEST((kCortexA8Midr >> 24) == 0x41u);             // implementer ARM
    BOOST_TEST(((kCortexA8Midr >> 4) & 0xFFFu) == 0xC08u);  // part number Cortex-A8
}

// Register bit positions: DDI 0406C B4.1 (SCTLR, TTBCR, TTBR), A8 TRM §3.2.56 (lockdown).
BOOST_AUTO_TEST_CASE(register_bit_fields) {
    BOOST_TEST(sctlr::M == 0x1u);
    BOOST_TEST(sctlr::A == 0x2u);
    BOOST_TEST(sctlr::C == 0x4u);
    BOOST_TEST(sctlr::I == 0x1000u);
    BOOST_TEST(sctlr::TRE == 0x10000000u);
    BOOST_TEST(sctlr::AFE == 0x20000000u);
    BOOST_TEST(ttbcr::PD0 == 0x10u);
    BOOST_TEST(ttbcr::PD1 == 0x20u);
    BOOST_TEST(ttbcr::N_MASK == 0x7u);
    BOOST_TEST(ttbr::C == 0x1u);
    BOOST_TEST(ttbr::RGN_MASK == 0x18u);
    BOOST_TEST(tlb_lockdown::P == 0x1u);
    BOOST_TEST(tlb_lockdown::BASE_SHIFT == 27u);
    BOOST_TEST(tlb_lockdown::VICTIM_SHIFT == 22u);
    // Linux's v7 2-level SCTLR "set" value 0x10c03c7d has M, C, I, Z, V, TRE and not AFE
    // (mmu-tlb.md §2.3).
    const uint32_t linux_set = 0x10c03c7du;
    BOOST_TEST((linux_set & sctlr::M) != 0u);
    BOOST_TEST((linux_set & sctlr::TRE) != 0u);
    BOOST_TEST((linux_set & sctlr::AFE) == 0u);
    BOOST_TEST((linux_set & sctlr::A) == 0u);
    // DACR: Linux kernel value 0x51 = domain 0 client, 1 no access, 2 client, 3 client
    // (mmu-tlb.md §2.1).
    BOOST_TEST(dacr::field(0x51u, 0) == dacr::CLIENT);
    BOOST_TEST(dacr::field(0x51u, 1) == dacr::NO_ACCESS);
    BOOST_TEST(dacr::field(0x51u, 2) == dacr::CLIENT);
    BOOST_TEST(dacr::field(0xC0000000u, 15) == dacr::MANAGER);
}

// DDI 0406C Table B3-23 (short-descriptor FSR encodings) / mmu-tlb.md §2.4.
BOOST_AUTO_TEST_CASE(fault_status_codes) {
    struct Row {
        FaultType t;
        unsigned fs;
        bool domain_valid;
    };
    const Row rows[] = {
        {FaultType::alignment, 0x01, false},
        {FaultType::debug_event, 0x02, false},
        {FaultType::access_flag_l1, 0x03, true},
        {FaultType::access_flag_l2, 0x06, true},
        {FaultType::icache_maintenance, 0x04, false},
        {FaultType::translation_l1, 0x05, false},
        {FaultType::translation_l2, 0x07, true},
        {FaultType::sync_external, 0x08, false},
        {FaultType::domain_l1, 0x09, true},
        {FaultType::domain_l2, 0x0B, true},
        {FaultType::sync_external_walk_l1, 0x0C, false},
        {FaultType::sync_external_walk_l2, 0x0E, true},
        {FaultType::permission_l1, 0x0D, true},
        {FaultType::permission_l2, 0x0F, true},
        {FaultType::tlb_conflict, 0x10, false},
        {FaultType::lockdown, 0x14, false},
        {FaultType::async_external, 0x16, false},
        {FaultType::async_parity, 0x18, false},
        {FaultType::sync_parity, 0x19, false},
        {FaultType::coprocessor_abort, 0x1A, false},
        {FaultType::sync_parity_walk_l1, 0x1C, false},
        {FaultType::sync_parity_walk_l2, 0x1E, false},
    };
    for (const Row& r : rows) {
        BOOST_TEST(fault_status(r.t) == r.fs, fault_name(r.t));
        BOOST_TEST(fault_domain_valid(r.t) == r.domain_valid, fault_name(r.t));
    }
    BOOST_TEST(fault_level(FaultType::translation_l1) == 1u);
    BOOST_TEST(fault_level(FaultType::permission_l2) == 2u);
    BOOST_TEST(fault_level(FaultType::alignment) == 0u);
    // Linux fsr-2level.c names the entries the same way.
    BOOST_TEST(std::string(fault_description(FaultType::translation_l2)) ==
               "page translation fault");
    BOOST_TEST(std::string(fault_description(FaultType::permission_l1)) ==
               "section permission fault");
}

// FSR layout (DDI 0406C B4.1 DFSR/IFSR): FS[3:0] bits 3:0, Domain 7:4, FS[4] bit 10, WnR bit 11.
BOOST_AUTO_TEST_CASE(fsr_layout) {
    // Domain fault, section, domain 3, write: FS 0b01001 → 0x9 | 3 << 4 | WnR.
    Fault f = make_fault(FaultType::domain_l1, 0xC0001234u, AccessKind::write, 3);
    BOOST_TEST(f.fsr == 0x839u);
    BOOST_TEST(f.far == 0xC0001234u);
    BOOST_TEST(f.is_data_abort());
    // The same as a read: no WnR.
    BOOST_TEST(make_fault(FaultType::domain_l1, 0, AccessKind::read, 3).fsr == 0x039u);
    // Instruction fetch: IFSR has no Domain and no WnR.
    Fault p = make_fault(FaultType::permission_l2, 0x8000u, AccessKind::fetch, 3);
    BOOST_TEST(p.fsr == 0x00Fu);
    BOOST_TEST(p.is_prefetch_abort());
    BOOST_TEST(p.far == 0x8000u);
    // FS[4] goes to bit 10: asynchronous external abort 0b10110 → 0x406.
    BOOST_TEST(make_fault(FaultType::async_external, 0, AccessKind::read, 0).fsr == 0x406u);
    // Parity error on an L2 walk 0b11110 → 0x40E (domain not valid, so not reported).
    BOOST_TEST(make_fault(FaultType::sync_parity_walk_l2, 0, AccessKind::read, 7).fsr == 0x40Eu);
    // L1 translation fault: domain not valid even if one is passed.
    BOOST_TEST(make_fault(FaultType::translation_l1, 0, AccessKind::write, 5).fsr == 0x805u);
    // L2 translation fault: domain valid.
    BOOST_TEST(make_fault(FaultType::translation_l2, 0, AccessKind::read, 5).fsr == 0x057u);
    // Alignment, write: 0x801 (Linux's "alignment exception", FSR index 1).
    BOOST_TEST(make_fault(FaultType::alignment, 1, AccessKind::write, 9).fsr == 0x801u);
    BOOST_TEST(compose_fsr(0x1F, 0xF, true, true) == (0xFu | 0xF0u | 0x400u | 0x800u));
}
