// The assembled AM335x decodes every region of configs/soc/am335x.yaml, and the holes
// between them answer TLM_ADDRESS_ERROR_RESPONSE (issue "Platform foundation" item 8:
// "router decode for every region of the SoC file"; addresses: SPRUH73 §2.1, Tables 2-1…2-4,
// as collected in reference/am335x.md §1).
#define BOOST_TEST_MODULE soc_decode
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "platform/config/platform_config.h"
#include "platform/soc/soc.h"
#include "tests/support/sim_context.h"

namespace {

struct Master : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Master> socket{"socket"};
    explicit Master(sc_core::sc_module_name n) : sc_module(n) {}
    tlm::tlm_response_status read(uint64_t addr, unsigned len = 4) {
        uint8_t b[4] = {};
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, tlm::TLM_READ_COMMAND, addr, b, len);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, d);
        return p.get_response_status();
    }
};

double stat(const std::string& name) {
    auto* s = vp::stats::Registry::global().find(name);
    BOOST_REQUIRE_MESSAGE(s, "no statistic " << name);
    return s->value();
}

struct Rig {
    vp::config::PlatformConfig cfg;
    std::unique_ptr<vp::platform::Soc> soc;
    Master master{"master"};
    vp::TransactionMonitor mon{"mon"};
    explicit Rig(const std::string& board) : cfg(vp::config::load_platform_config(board)) {
        soc = std::make_unique<vp::platform::Soc>("soc", cfg);
        master.socket.bind(mon.target);
        soc->attach_initiator(mon.initiator, "test");
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_region_of_the_soc_file_decodes_to_its_model, vp::test::FreshSim) {
    Rig r("beaglebone-black");
    BOOST_REQUIRE(r.cfg.memory_map.size() > 50u);
    for (const auto& region : r.cfg.memory_map) {
        const std::string reads = "interconnect.region." + region.name + ".reads";
        const double before = stat(reads);
        // First and last word of the region reach the region's target (whatever register
        // it finds there), never the decode-error path.
        BOOST_TEST_CONTEXT(region.name) {
            BOOST_CHECK(r.master.read(region.base) != tlm::TLM_ADDRESS_ERROR_RESPONSE ||
                        region.model != vp::config::RegionModel::ram);
            r.master.read(region.base + region.size - 4);
            BOOST_TEST(stat(reads) == before + 2);
        }
    }
    BOOST_TEST(stat("interconnect.decode_errors") == 0);
    BOOST_TEST(r.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(trm_addresses_decode_to_the_right_module, vp::test::FreshSim) {
    Rig r("beaglebone-black");
    // SPRUH73 Table 2-2/2-3 (reference/am335x.md §1.2, §1.3, §14).
    const std::pair<uint64_t, const char*> known[] = {
        {0x40000000, "boot_rom"}, {0x402F0400, "sram"},     {0x40300000, "ocmc0"},
        {0x44E00000, "prcm"},     {0x44E07000, "gpio0"},    {0x44E09000, "uart0"},
        {0x44E0B000, "i2c0"},     {0x44E10000, "control"},  {0x44E31000, "dmtimer1_1ms"},
        {0x44E35000, "wdt1"},     {0x48040000, "dmtimer2"}, {0x4804C000, "gpio1"},
        {0x481AC000, "gpio2"},    {0x481AE000, "gpio3"},    {0x4819C000, "i2c2"},
        {0x48200000, "intc"},     {0x49000000, "tpcc"},     {0x4C000000, "emif0"},
        {0x80000000, "ddr"},      {0x9FFFFFFC, "ddr"},
    };
    for (const auto& [addr, name] : known) {
        BOOST_TEST_CONTEXT(name) {
            const vp::config::RegionConfig* region = r.cfg.region_at(addr);
            BOOST_REQUIRE(region != nullptr);
            BOOST_TEST(region->name == name);
            BOOST_TEST(r.soc->router().region_at(addr) == name);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(holes_answer_address_error, vp::test::FreshSim) {
    Rig r("beaglebone-black");
    // Not decoded by any target (SPRUH73 Table 2-1 reserved ranges): between the SGX530 and
    // the EMIF0 SDRAM window; above the BeagleBone Black's 512 MiB of DDR.
    for (uint64_t a : {0x60000000ull, 0x7FFFFFFCull, 0xA0000000ull, 0xFFFFFFFCull}) {
        BOOST_TEST_CONTEXT(std::hex << a) {
            BOOST_CHECK(r.master.read(a) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        }
    }
    BOOST_TEST(stat("interconnect.decode_errors") == 4);
    BOOST_TEST(r.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(the_evm_has_1_gib_of_ddr, vp::test::FreshSim) {
    // AM335x GP EVM: 1 GiB DDR3 (reference/am335x.md §16, SDRAM_CONFIG 0x61C04BB2 decoded).
    Rig r("am335x-evm");
    BOOST_CHECK(r.master.read(0xBFFFFFFC) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(r.soc->router().region_at(0xBFFFFFFC) == "ddr");
}

BOOST_FIXTURE_TEST_CASE(unmapped_read_zero_policy, vp::test::FreshSim) {
    // interconnect.unmapped: read_zero — a hole reads 0 and ignores writes, still counted.
    vp::config::PlatformConfig cfg =
        vp::config::load_platform_config("beaglebone-black", {"interconnect.unmapped=read_zero"});
    vp::platform::Soc soc("soc", cfg);
    Master master("master");
    soc.attach_initiator(master.socket, "test");
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    BOOST_CHECK(master.read(0x60000000) == tlm::TLM_OK_RESPONSE);
    BOOST_TEST(stat("interconnect.decode_errors") == 1);
}
