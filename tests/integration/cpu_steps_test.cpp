// The CPU steps of register scripts (cp15, vread, vwrite, expect_fault) on the full BeagleBone
// Black platform: parsed by the built-in registry, run by vp::sim::CpuScriptExecutor in the
// Cortex-A8's thread, through its MMU and D-TLB (docs/scripts.md "CPU steps").
//
// Expected values: ARM ARM DDI 0406C B3.5.1 (short descriptors: L1 page table type 0b01, L2
// small page type 0b1x with AP[1:0] at bits 5:4), B3.5.5 (the L2 descriptor address is
// L1desc[31:10] | VA[19:12] << 2), B4.1.52 (DFSR FS: 0b00111 translation fault, page, with the
// domain of the L1 descriptor; WnR bit 11); Cortex-A8 TRM 3.2.1 (MIDR 0x413FC082).
#define BOOST_TEST_MODULE cpu_steps
#include <boost/test/unit_test.hpp>

#include <systemc>

#include <sstream>
#include <string>

#include "models/core/stats.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "platform/config/platform_config.h"
#include "platform/script/cpu_steps.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "platform/sim/cpu_executor.h"
#include "platform/soc/soc.h"
#include "tests/support/sim_context.h"

using vp::script::ScriptError;
using vp::script::ScriptMaster;

namespace {

// The BBB SoC with a script master and the CPU serving its CPU steps, as `--script` runs it.
struct Bench {
    vp::config::PlatformConfig cfg = vp::config::load_platform_config("beaglebone-black");
    vp::platform::Soc soc{"soc", cfg};
    std::ostringstream log;
    ScriptMaster master;
    vp::sim::CpuScriptExecutor exec{soc.cpu()};

    explicit Bench(const std::string& text)
        : master("script", vp::script::parse_script_text(text, "t.yaml"), log) {
        soc.attach_initiator(master.socket, "script");
        soc.cpu().set_entry([this](hal::Cpu&) { exec.serve(); });
        master.set_cpu_executor(&exec);
        master.check_platform();
        master.on_complete([] { sc_core::sc_stop(); });
    }
    void run() { sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS)); }
    double stat(const std::string& name) {
        auto* s = vp::stats::Registry::global().find(name);
        BOOST_REQUIRE_MESSAGE(s, "no statistic " << name);
        return s->value();
    }
    // The failures of step `i` (0-based, counted steps and comments alike).
    const std::vector<std::string>& failures(size_t i) const {
        return master.records().at(i).result.failures;
    }
};

// Tables for a small page: L1 at 0x80004000, entry for VA 0x40000000 (index 0x400, at
// 0x80005000) → L2 table at 0x80010000 (domain 0); L2 entry 3 (VA 0x40003000, at
// 0x8001000C) → PA 0x80200000, AP[1:0] = 11 (full access).
const char* kSmallPage = R"(
- write: {addr: 0x80005000, value: 0x80010001}
- write: {addr: 0x8001000C, value: 0x80200032}
- write: {addr: 0x80200010, value: 0xA5A5F00D}
- cp15: {crn: 3, crm: 0, value: 1}
- cp15: {crn: 2, crm: 0, opc2: 2, value: 0}
- cp15: {crn: 2, crm: 0, opc2: 0, value: 0x80004000}
- cp15: {crn: 8, crm: 7, opc2: 0, value: 0}
- cp15: {crn: 1, crm: 0, opc2: 0, value: 0x00C50079}
)";

}  // namespace

BOOST_FIXTURE_TEST_CASE(cp15_reads_and_writes_reach_the_register_file, vp::test::FreshSim) {
    Bench b(R"(
- cp15: {crn: 0, crm: 0, expect: 0x413FC082}
- cp15: {crn: 13, crm: 0, opc2: 1, value: 0x00000042}
- cp15: {crn: 13, crm: 0, opc2: 1, expect: 0x00000042}
)");
    b.run();
    BOOST_TEST(b.master.passed());
    BOOST_TEST(b.soc.cpu().cp15_reg("CONTEXTIDR") == 0x42u);
}

BOOST_FIXTURE_TEST_CASE(small_page_walk_reads_l1_then_l2_descriptor, vp::test::FreshSim) {
    Bench b(std::string(kSmallPage) + R"(
- vread: {va: 0x40003010, expect: 0xA5A5F00D}
- expect_stat: {name: cpu.walker.walks_page, value: 1}
- expect_stat: {name: cpu.walker.reads, value: 2}
- vwrite: {va: 0x40003014, value: 0x01020304}
- read: {addr: 0x80200014, expect: 0x01020304}
- vwrite: {va: 0x40003018, size: 8, value: 0x1122334455667788}
- read: {addr: 0x80200018, expect: 0x55667788}
- read: {addr: 0x8020001C, expect: 0x11223344}
- vread: {va: 0x40003018, size: 8, expect: 0x1122334455667788}
- vread: {va: 0x40004000, expect_fault: {fsr: 0x007, far: 0x40004000}}
- vwrite: {va: 0x40004008, value: 0, expect_fault: {fsr: 0x807, far: 0x40004008}}
)");
    b.run();
    BOOST_TEST(b.master.passed(), b.log.str());
    BOOST_TEST(b.stat("cpu.data_aborts") == 2);
}

BOOST_FIXTURE_TEST_CASE(an_unexpected_abort_fails_the_step_and_the_script_goes_on,
                        vp::test::FreshSim) {
    Bench b(std::string(kSmallPage) + R"(
- vread: {va: 0x40005000}
- vread: {va: 0x40003010, expect: 0xA5A5F00D}
)");
    b.run();
    BOOST_TEST(!b.master.passed());
    BOOST_TEST(b.master.failed_steps() == 1u);
    const auto& f = b.failures(b.master.records().size() - 2);
    BOOST_REQUIRE_EQUAL(f.size(), 1u);
    BOOST_TEST(f[0] == "unexpected data abort DFSR=0x00000007 DFAR=0x40005000");
}

BOOST_FIXTURE_TEST_CASE(expect_fault_fails_when_the_access_completes_or_differs,
                        vp::test::FreshSim) {
    Bench b(std::string(kSmallPage) + R"(
- vread: {va: 0x40003010, expect_fault: {fsr: 0x007, far: 0x40003010}}
- vread: {va: 0x40006000, expect_fault: {fsr: 0x005, far: 0x40006000}}
)");
    b.run();
    BOOST_TEST(b.master.failed_steps() == 2u);
    const size_t n = b.master.records().size();
    BOOST_TEST(b.failures(n - 2).at(0).find("expected a fault") == 0u);
    BOOST_TEST(b.failures(n - 1).at(0) ==
               "expected DFSR 0x00000005 DFAR 0x40006000 (DFSR compared on FS, domain, WnR), "
               "got DFSR 0x00000007 DFAR 0x40006000");
}

BOOST_FIXTURE_TEST_CASE(vfetch_goes_through_the_itlb_and_reports_ifsr, vp::test::FreshSim) {
    // B3.7.2: an XN small page (L2 bit 0) in a Client domain gives a Permission fault, page
    // (IFSR FS 0b01111) on a fetch; B4.1.96: the IFSR has no domain and no WnR.
    Bench b(std::string(kSmallPage) + R"(
- write: {addr: 0x80010010, value: 0x80201033}
- vfetch: {va: 0x40003000, size: 128}
- expect_stat: {name: cpu.itlb.misses, value: 1}
- expect_stat: {name: cpu.fetch_lines, value: 2}
- vfetch: {va: 0x40004000, expect_fault: {fsr: 0x00F, far: 0x40004000}}
)");
    b.run();
    BOOST_TEST(b.master.passed(), b.log.str());
    BOOST_TEST(b.soc.cpu().cp15_reg("IFSR") == 0x00Fu);
    BOOST_TEST(b.soc.cpu().cp15_reg("IFAR") == 0x40004000u);
}

BOOST_FIXTURE_TEST_CASE(an_undefined_cp15_encoding_fails_the_step, vp::test::FreshSim) {
    // c15 with opc1 = 7 is not a register of the Cortex-A8 (TRM Table 3-2): UNDEFINED.
    Bench b(R"(
- cp15: {crn: 15, opc1: 7, crm: 15, opc2: 7, expect: 0}
- cp15: {crn: 0, crm: 0, expect: 0x413FC082}
)");
    b.run();
    BOOST_TEST(b.master.failed_steps() == 1u);
    BOOST_TEST(b.master.records().at(0).result.text.find("undefined instruction") !=
               std::string::npos);
    BOOST_TEST(b.master.done());
}

BOOST_FIXTURE_TEST_CASE(cpu_steps_take_their_simulated_time, vp::test::FreshSim) {
    // A vread that walks (two descriptor reads) and reads DDR ends later than it starts.
    Bench b(std::string(kSmallPage) + "- vread: {va: 0x40003010}\n");
    b.run();
    const auto& r = b.master.records().back();
    BOOST_TEST(r.end > r.start);
}

BOOST_AUTO_TEST_CASE(dfsr_compare_mask_is_fs_domain_and_wnr) {
    // B4.1.52: FS[3:0] bits 3:0, Domain 7:4, FS[4] bit 10, WnR bit 11; ExT (bit 12) not.
    BOOST_TEST(vp::script::kDfsrCompareMask == 0xCFFu);
}
