// The Cortex-A8 CPU model on a tiny platform: CortexA8 → TransactionMonitor → a test system
// with 16 MiB of RAM at 0x80000000 (DMI) and a 4 KiB device at 0x44E00000 (no DMI).
//
// Expected values come from:
//  - Cortex-A8 TRM r3p2 (DDI 0344K) §3.2: MIDR, CTR (Table 3-6), TLBTR (Table 3-9), CLIDR
//    (Table 3-37), CCSIDR (Tables 3-41, 3-42);
//  - ARMv7-A ARM (DDI 0406C): short-descriptor formats (B3.5.1), walk addresses (B3.5.4,
//    B3.5.5), FSR encodings (Table B3-23), DFSR/IFSR layout (B4.1.52, B4.1.96), TTBCR
//    (B4.1.153), TLB maintenance (B4.2.2), PL0 access to CP15 (B3.17, B4.1.150);
//  - DESIGN.md §5 (interrupts taken at synchronisation points and on wfi).
#define BOOST_TEST_MODULE cortex_a8
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>

#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/core/wire.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/cpu/mmu/cp15.h"
#include "models/cpu/mmu/descriptor.h"
#include "sw/hal/cpu.h"
#include "tests/support/sim_context.h"

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;

namespace {

// ---- Physical map of the test system ---------------------------------------------------------
constexpr uint32_t kRam = 0x80000000u;
constexpr uint32_t kRamSize = 16u << 20;
constexpr uint32_t kDev = 0x44E00000u;
constexpr uint32_t kDevSize = 0x1000u;
constexpr uint32_t kDevIrq = 0xF00;    // write: bit 0 drives the IRQ line
constexpr uint32_t kDevError = 0xF04;  // any access: TLM_GENERIC_ERROR_RESPONSE
const sc_time kDevLatency(100, SC_NS);

// Translation tables in RAM.
constexpr uint32_t kTtb = kRam + 0x4000;       // 16 KB L1 table (16 KB aligned)
constexpr uint32_t kL2 = kRam + 0x8000;        // 1 KB L2 tables from here
constexpr uint32_t kDataPa = kRam + 0x100000;  // test data from 1 MB into RAM

// RAM + device that decodes absolute physical addresses itself.
struct TestSystem : sc_core::sc_module {
    tlm_utils::simple_target_socket<TestSystem> socket{"socket"};
    std::vector<uint8_t> ram;
    uint32_t regs[kDevSize / 4] = {};
    vp::Wire irq_out{"test.irq"};
    bool grant_dmi = true;
    unsigned dev_accesses = 0;

    explicit TestSystem(sc_core::sc_module_name n) : sc_module(n), ram(kRamSize, 0) {
        socket.register_b_transport(this, &TestSystem::b_transport);
        socket.register_transport_dbg(this, &TestSystem::dbg);
        socket.register_get_direct_mem_ptr(this, &TestSystem::dmi);
    }
    static bool in(uint64_t a, unsigned len, uint32_t base, uint32_t size) {
        return a >= base && a + len <= uint64_t{base} + size;
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time& delay) {
        const uint64_t a = p.get_address();
        const unsigned len = p.get_data_length();
        uint8_t* d = p.get_data_ptr();
        if (in(a, len, kRam, kRamSize)) {
            uint8_t* m = ram.data() + (a - kRam);
            if (p.is_read())
                std::memcpy(d, m, len);
            else
                std::memcpy(m, d, len);
            p.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        if (in(a, len, kDev, kDevSize)) {
            ++dev_accesses;
            delay += kDevLatency;
            const uint32_t off = static_cast<uint32_t>(a - kDev);
            if ((off & ~3u) == kDevError) {
                p.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
                return;
            }
            uint8_t* r = reinterpret_cast<uint8_t*>(regs) + off;
            if (p.is_read()) {
                std::memcpy(d, r, len);
            } else {
                std::memcpy(r, d, len);
                if ((off & ~3u) == kDevIrq) irq_out.write((regs[kDevIrq / 4] & 1u) != 0, delay);
            }
            p.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
    unsigned dbg(tlm::tlm_generic_payload& p) {
        const uint64_t a = p.get_address();
        const unsigned len = p.get_data_length();
        if (!in(a, len, kRam, kRamSize)) return 0;
        uint8_t* m = ram.data() + (a - kRam);
        if (p.is_read())
            std::memcpy(p.get_data_ptr(), m, len);
        else
            std::memcpy(m, p.get_data_ptr(), len);
        return len;
    }
    bool dmi(tlm::tlm_generic_payload& p, tlm::tlm_dmi& d) {
        const uint64_t a = p.get_address();
        if (grant_dmi && in(a, 1, kRam, kRamSize)) {
            d.allow_read_write();
            d.set_dmi_ptr(ram.data());
            d.set_start_address(kRam);
            d.set_end_address(uint64_t{kRam} + kRamSize - 1);
            return true;
        }
        d.allow_none();
        if (in(a, 1, kDev, kDevSize)) {
            d.set_start_address(kDev);
            d.set_end_address(kDev + kDevSize - 1);
        } else if (in(a, 1, kRam, kRamSize)) {
            d.set_start_address(kRam);
            d.set_end_address(uint64_t{kRam} + kRamSize - 1);
        } else {
            d.set_start_address(a);
            d.set_end_address(a);
        }
        return false;
    }
    void invalidate_ram_dmi() {
        socket->invalidate_direct_mem_ptr(kRam, uint64_t{kRam} + kRamSize - 1);
    }
    uint32_t ram32(uint32_t pa) const {
        uint32_t v;
        std::memcpy(&v, ram.data() + (pa - kRam), 4);
        return v;
    }
    void set_ram32(uint32_t pa, uint32_t v) { std::memcpy(ram.data() + (pa - kRam), &v, 4); }
};

struct Platform {
    vp::CortexA8 cpu;
    vp::TransactionMonitor mon{"mon"};
    TestSystem sys{"sys"};
    explicit Platform(const vp::CortexA8Params& p = vp::CortexA8Params{}) : cpu("cpu", p) {
        cpu.socket.bind(mon.target);
        mon.initiator.bind(sys.socket);
        sys.irq_out.connect(cpu.irq);
    }
    void run(std::function<void(hal::Cpu&)> guest) {
        cpu.set_entry(std::move(guest));
        sc_core::sc_start();
    }
    std::vector<vp::TransactionMonitor::Record> bus(bool include_debug = false) const {
        std::vector<vp::TransactionMonitor::Record> out;
        for (const auto& r : mon.records())
            if (include_debug || !r.debug) out.push_back(r);
        return out;
    }
};

double stat(const std::string& name) {
    const vp::stats::StatBase* s = vp::stats::Registry::global().find(name);
    BOOST_REQUIRE_MESSAGE(s, "no statistic " + name);
    return s->value();
}

// ---- Descriptors (DDI 0406C B3.5.1) ------------------------------------------------------------
namespace d {
using namespace vp::mmu;
// AP[2:0] values (B3.7.1, Table B3-8).
constexpr uint32_t AP_PRIV_RW = 0b001, AP_FULL = 0b011, AP_PRIV_RO = 0b101;
// TEX:C:B with TRE = 0 (Table B3-10): Normal write-back write-allocate, Device (shareable).
constexpr uint32_t NORMAL_WBWA_TEX = 0b001;

uint32_t section(uint32_t pa, uint32_t ap, bool device, unsigned domain = 0, bool xn = false,
                 bool ng = false) {
    uint32_t v = (pa & l1desc::SECTION_BASE_MASK) | l1desc::TYPE_SECTION;
    v |= (ap & 3u) << l1desc::AP_SHIFT;
    if (ap & 4u) v |= l1desc::APX;
    if (device)
        v |= l1desc::B;
    else
        v |= (NORMAL_WBWA_TEX << l1desc::TEX_SHIFT) | l1desc::C | l1desc::B;
    v |= (domain & l1desc::DOMAIN_MASK) << l1desc::DOMAIN_SHIFT;
    if (xn) v |= l1desc::XN;
    if (ng) v |= l1desc::NG;
    return v;
}
uint32_t page_table(uint32_t l2_pa, unsigned domain = 0) {
    return (l2_pa & l1desc::PT_BASE_MASK) | l1desc::TYPE_PAGE_TABLE |
           ((domain & l1desc::DOMAIN_MASK) << l1desc::DOMAIN_SHIFT);
}
uint32_t small_page(uint32_t pa, uint32_t ap, bool device = false) {
    uint32_t v = (pa & l2desc::SMALL_BASE_MASK) | l2desc::SMALL_BIT;
    v |= (ap & 3u) << l2desc::AP_SHIFT;
    if (ap & 4u) v |= l2desc::APX;
    if (device)
        v |= l2desc::B;
    else
        v |= (NORMAL_WBWA_TEX << l2desc::SMALL_TEX_SHIFT) | l2desc::C | l2desc::B;
    return v;
}
uint32_t l1_addr(uint32_t ttb, uint32_t va) {
    return ttb | ((va >> 20) << 2);
}  // B3.5.4
uint32_t l2_addr(uint32_t l1, uint32_t va) {
    return (l1 & 0xFFFFFC00u) | (((va >> 12) & 0xFF) << 2);
}
}  // namespace d

namespace c15 = vp::mmu::cp15reg;
void mcr(hal::Cpu& c, vp::mmu::Cp15Reg r, uint32_t v) {
    c.mcr(r.crn, r.opc1, r.crm, r.opc2, v);
}
uint32_t mrc(hal::Cpu& c, vp::mmu::Cp15Reg r) {
    return c.mrc(r.crn, r.opc1, r.crm, r.opc2);
}

// Guest-side setup with the MMU off (every store is a Strongly-ordered bus write).
constexpr uint32_t kDevVa = 0xE0000000u;
void identity_ram(hal::Cpu& c) {
    for (uint32_t mb = 0; mb < 4; ++mb) {
        const uint32_t a = kRam + (mb << 20);
        c.store32(d::l1_addr(kTtb, a), d::section(a, d::AP_PRIV_RW, false));
    }
    c.store32(d::l1_addr(kTtb, kDevVa), d::section(kDev, d::AP_PRIV_RW, true, 0, true));
}
void enable_mmu(hal::Cpu& c, uint32_t dacr = 0x55555555u, uint32_t extra_sctlr = 0) {
    mcr(c, c15::TTBR0, kTtb);
    mcr(c, c15::DACR, dacr);  // all domains client
    mcr(c, c15::SCTLR, mrc(c, c15::SCTLR) | vp::mmu::sctlr::M | extra_sctlr);
    mcr(c, c15::TLBIALL, 0);
}

}  // namespace

// ---- Parameters and CP15 ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(params_are_validated) {
    vp::CortexA8Params p;
    p.clock_hz = 0;
    BOOST_CHECK_EXCEPTION(vp::validate(p), std::invalid_argument, [](const auto& e) {
        return std::string(e.what()).find("clock_hz") != std::string::npos;
    });
    p = {};
    p.quantum = sc_core::SC_ZERO_TIME;
    BOOST_CHECK_THROW(vp::validate(p), std::invalid_argument);
    p = {};
    p.dtlb.entries = 24;  // ways must divide entries, sets a power of two
    p.dtlb.ways = 16;
    BOOST_CHECK_EXCEPTION(vp::validate(p), std::invalid_argument, [](const auto& e) {
        return std::string(e.what()).find("dtlb") != std::string::npos;
    });
    vp::TimingMode m;
    BOOST_TEST(vp::parse_timing_mode("approximate", m));
    BOOST_TEST((m == vp::TimingMode::approximate));
    BOOST_TEST(!vp::parse_timing_mode("cycle-accurate", m));
    BOOST_CHECK_NO_THROW(vp::validate(vp::CortexA8Params{}));
}

BOOST_FIXTURE_TEST_CASE(cp15_identification_registers_per_a8_trm, vp::test::FreshSim) {
    Platform p;
    uint32_t midr = 0, ctr = 0, tlbtr = 0, clidr = 0, l1d = 0, l1i = 0, l2 = 0;
    p.run([&](hal::Cpu& c) {
        midr = mrc(c, c15::MIDR);
        ctr = mrc(c, c15::CTR);
        tlbtr = mrc(c, c15::TLBTR);
        clidr = mrc(c, c15::CLIDR);
        mcr(c, c15::CSSELR, 0);  // level 1 data
        l1d = mrc(c, c15::CCSIDR);
        mcr(c, c15::CSSELR, 1);  // level 1 instruction
        l1i = mrc(c, c15::CCSIDR);
        mcr(c, c15::CSSELR, 2);  // level 2 unified
        l2 = mrc(c, c15::CCSIDR);
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(midr == 0x413FC082u);   // r3p2 Cortex-A8 (AM335x)
    BOOST_TEST(ctr == 0x82048004u);    // TRM Table 3-6
    BOOST_TEST(tlbtr == 0x00202001u);  // TRM Table 3-9: 32 lockable I and D entries, nU = 1
    BOOST_TEST(clidr == 0x0A000023u);  // TRM Table 3-37: LoU 1, LoC 2, L2 unified, L1 split
    BOOST_TEST(l1d == 0xE00FE01Au);    // TRM Table 3-42: 32 KB L1 data
    BOOST_TEST(l1i == 0x200FE01Au);    // TRM Table 3-42: 32 KB L1 instruction
    // 256 KB L2 (AM335x): Table 3-41 fields WT=WB=RA=WA=1, NumSets-1 = 256K/64/8 - 1 = 511,
    // Associativity-1 = 7, LineSize = log2(16 words) - 2 = 2.
    BOOST_TEST(l2 == ((0xFu << 28) | (511u << 13) | (7u << 3) | 2u));
}

BOOST_FIXTURE_TEST_CASE(cp15_writes_and_undefined_accesses, vp::test::FreshSim) {
    Platform p;
    uint32_t ttbcr = 0, dacr = 0, tpidruro = 0, csselr = 0;
    std::vector<std::string> undefined;
    auto expect_undef = [&](const char* what, auto&& f) {
        try {
            f();
        } catch (const vp::UndefinedInstruction&) {
            undefined.push_back(what);
        }
    };
    p.run([&](hal::Cpu& c) {
        mcr(c, c15::TTBCR, 0xFFFFFFFFu);
        ttbcr = mrc(c, c15::TTBCR);
        mcr(c, c15::DACR, 0x55555555u);
        dacr = mrc(c, c15::DACR);
        mcr(c, c15::CSSELR, 0xFFFFFFFFu);
        csselr = mrc(c, c15::CSSELR);
        mcr(c, c15::TTBCR, 0);
        mcr(c, c15::TPIDRURO, 0x1234u);
        expect_undef("write MIDR", [&] { mcr(c, c15::MIDR, 0); });
        expect_undef("read TLBIALL", [&] { mrc(c, c15::TLBIALL); });
        expect_undef("TLBIALLIS", [&] { c.mcr(8, 0, 3, 0, 0); });  // MP extensions only
        expect_undef("TLBIMVAA", [&] { c.mcr(8, 0, 7, 3, 0); });   // MP extensions only
        expect_undef("crn 16", [&] { c.mrc(16, 0, 0, 0); });
        c.set_mode(hal::Mode::user);
        expect_undef("PL0 read SCTLR", [&] { mrc(c, c15::SCTLR); });
        expect_undef("PL0 write TPIDRURO", [&] { mcr(c, c15::TPIDRURO, 1); });
        tpidruro = mrc(c, c15::TPIDRURO);  // readable at PL0
        mcr(c, c15::TPIDRURW, 7);          // read/write at PL0
        mcr(c, c15::CP15DSB, 0);           // CP15 barriers are allowed at PL0
        c.set_mode(hal::Mode::kernel);
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(ttbcr == 0x37u);  // N[2:0], PD0, PD1; EAE needs LPAE (not on the A8)
    BOOST_TEST(dacr == 0x55555555u);
    BOOST_TEST(csselr == 0xFu);  // Level[3:1], InD[0]
    BOOST_TEST(tpidruro == 0x1234u);
    BOOST_TEST(p.cpu.cp15_reg("TPIDRURW") == 7u);
    const std::vector<std::string> expected = {
        "write MIDR", "read TLBIALL",   "TLBIALLIS",         "TLBIMVAA",
        "crn 16",     "PL0 read SCTLR", "PL0 write TPIDRURO"};
    BOOST_TEST(undefined == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(undefined_instruction_ends_the_run, vp::test::FreshSim) {
    Platform p;
    bool exited = false;
    p.cpu.on_exit([&](const vp::CortexA8::ExitStatus&) { exited = true; });
    p.run([&](hal::Cpu& c) { c.mcr(9, 0, 12, 0, 1); });  // PMU: not modelled
    BOOST_TEST(exited);
    BOOST_TEST((p.cpu.exit_status().code == vp::CortexA8::ExitCode::undefined));
    BOOST_TEST(p.cpu.exit_status().message.find("undefined instruction") != std::string::npos);
}

// ---- MMU off, walks, TLB --------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(mmu_off_accesses_are_strongly_ordered_bus_transactions,
                        vp::test::FreshSim) {
    Platform p;
    uint32_t v = 0;
    p.run([&](hal::Cpu& c) {
        c.store32(kDataPa, 0xCAFEF00Du);
        v = c.load32(kDataPa);
    });
    // DDI 0406C B3.2.1: with the MMU off, data accesses are Strongly-ordered (no caching, no
    // DMI shortcut): each one is a bus transaction.
    const auto bus = p.bus();
    BOOST_TEST(v == 0xCAFEF00Du);
    BOOST_REQUIRE(bus.size() == 2u);
    BOOST_TEST((bus[0].command == tlm::TLM_WRITE_COMMAND));
    BOOST_TEST(bus[0].address == kDataPa);
    BOOST_TEST(bus[0].length == 4u);
    BOOST_TEST((bus[1].command == tlm::TLM_READ_COMMAND));
    BOOST_TEST(bus[1].value() == 0xCAFEF00Du);
    BOOST_TEST(stat("cpu.device_accesses") == 2);
    BOOST_TEST(p.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(section_walk_reads_one_descriptor_at_ttbr_plus_index, vp::test::FreshSim) {
    Platform p;
    constexpr uint32_t va = 0xC0000004u;
    uint32_t v1 = 0, v2 = 0;
    std::vector<vp::TransactionMonitor::Record> walk_bus, hit_bus;
    p.sys.set_ram32(kDataPa + 4, 0x11111111u);
    p.sys.set_ram32(kDataPa + 8, 0x22222222u);
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        c.store32(d::l1_addr(kTtb, va), d::section(kDataPa, d::AP_PRIV_RW, false));
        enable_mmu(c);
        p.mon.clear();
        v1 = c.load32(va);
        walk_bus = p.bus();
        p.mon.clear();
        v2 = c.load32(va + 4);
        hit_bus = p.bus();
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(v1 == 0x11111111u);
    BOOST_TEST(v2 == 0x22222222u);
    // One 32-bit descriptor read at TTBR0[31:14] | VA[31:20] << 2 (B3.5.4); the data itself
    // comes through DMI (Normal RAM).
    BOOST_REQUIRE(walk_bus.size() == 1u);
    BOOST_TEST(walk_bus[0].address == kTtb + (0xC00u << 2));
    BOOST_TEST(walk_bus[0].length == 4u);
    BOOST_TEST((walk_bus[0].command == tlm::TLM_READ_COMMAND));
    BOOST_TEST(hit_bus.empty());  // a D-TLB hit on DMI RAM: no bus transaction at all
    BOOST_TEST(stat("cpu.walker.walks") == 1);
    BOOST_TEST(stat("cpu.walker.walks_section") == 1);
    BOOST_TEST(stat("cpu.dtlb.misses") == 1);
    BOOST_TEST(stat("cpu.dtlb.hits") == 1);
    // Functional mode: walk = overhead 8 + one descriptor read 8 (params defaults).
    BOOST_TEST(stat("cpu.walker.walk_cycles") == 16);
    BOOST_TEST(p.mon.violations().empty());
}

BOOST_FIXTURE_TEST_CASE(page_walk_reads_l1_then_l2_descriptor, vp::test::FreshSim) {
    Platform p;
    constexpr uint32_t va = 0xD0003010u;
    const uint32_t l1 = d::page_table(kL2, 2);
    uint32_t v = 0;
    std::vector<vp::TransactionMonitor::Record> bus;
    p.sys.set_ram32(kDataPa + 0x2000 + 0x10, 0xABCD0123u);
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        c.store32(d::l1_addr(kTtb, va), l1);
        c.store32(d::l2_addr(l1, va), d::small_page(kDataPa + 0x2000, d::AP_PRIV_RW));
        enable_mmu(c);
        p.mon.clear();
        v = c.load32(va);
        bus = p.bus();
    });
    BOOST_TEST(v == 0xABCD0123u);
    BOOST_REQUIRE(bus.size() == 2u);
    BOOST_TEST(bus[0].address == kTtb + (0xD00u << 2));  // TTBR | VA[31:20] << 2
    BOOST_TEST(bus[0].value() == l1);
    BOOST_TEST(bus[1].address == (kL2 | (0x03u << 2)));  // L1[31:10] | VA[19:12] << 2
    BOOST_TEST(bus[1].length == 4u);
    BOOST_TEST(stat("cpu.walker.walks_page") == 1);
    BOOST_TEST(stat("cpu.walker.reads") == 2);
    BOOST_TEST(stat("cpu.walker.walk_cycles") == 24);  // 8 + 2 x 8: the A8's 24-cycle page walk
}

BOOST_FIXTURE_TEST_CASE(ttbcr_n_selects_ttbr0_for_low_addresses, vp::test::FreshSim) {
    Platform p;
    constexpr uint32_t ttb0 = kRam + 0x10000;  // 8 KB table for N = 1 (B3.5.4)
    constexpr uint32_t va = 0x12345678u;
    uint32_t v = 0;
    std::vector<vp::TransactionMonitor::Record> bus;
    p.sys.set_ram32(kDataPa + (va & 0xFFFFF), 0x5A5A5A5Au);
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        // TTBR0 with N = 1: base TTBR0[31:13], index VA[30:20].
        c.store32(ttb0 | (((va << 1) >> 21) << 2), d::section(kDataPa, d::AP_PRIV_RW, false));
        mcr(c, c15::TTBCR, 1);
        mcr(c, c15::TTBR1, kTtb);
        enable_mmu(c);
        mcr(c, c15::TTBR0, ttb0);
        p.mon.clear();
        v = c.load32(va);
        bus = p.bus();
    });
    BOOST_TEST(v == 0x5A5A5A5Au);
    BOOST_REQUIRE(bus.size() == 1u);
    BOOST_TEST(bus[0].address == ttb0 + (0x123u << 2));
}

// ---- Aborts ------------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(translation_fault_reaches_handler_and_retry_maps_the_page,
                        vp::test::FreshSim) {
    Platform p;
    constexpr uint32_t va = 0xD0005008u;
    const uint32_t l1 = d::page_table(kL2, 3);
    std::vector<hal::AbortInfo> seen;
    uint32_t v = 0, dfsr = 0, dfar = 0;
    p.sys.set_ram32(kDataPa + 0x5008, 0x600DF00Du);
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        c.store32(d::l1_addr(kTtb, va), l1);  // the L2 entry stays 0: a fault descriptor
        enable_mmu(c);
        c.set_abort_handler([&](const hal::AbortInfo& i) {
            seen.push_back(i);
            // Map the page (through the identity-mapped RAM); no TLB maintenance is needed:
            // entries that fault are never cached (DDI 0406C B3.10.1).
            c.store32(d::l2_addr(l1, i.far), d::small_page(kDataPa + 0x5000, d::AP_PRIV_RW));
            return hal::AbortAction::retry;
        });
        v = c.load32(va);
        c.store32(va + 0x1000 + 4, 0xFEEDu);  // the next page: a write fault, then retry
        dfsr = mrc(c, c15::DFSR);
        dfar = mrc(c, c15::DFAR);
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(v == 0x600DF00Du);
    BOOST_REQUIRE(seen.size() == 2u);
    // Page translation fault: FS = 0b00111, Domain valid (3), WnR = 0 (Table B3-23, B4.1.52).
    BOOST_TEST((seen[0].kind == hal::AbortInfo::data));
    BOOST_TEST(seen[0].fsr == 0x037u);
    BOOST_TEST(seen[0].far == va);
    BOOST_TEST(!seen[0].write);
    BOOST_TEST(seen[0].size == 4u);
    BOOST_TEST(!seen[0].user);
    BOOST_TEST(seen[1].fsr == 0x837u);  // WnR = 1 (bit 11)
    BOOST_TEST(seen[1].write);
    BOOST_TEST(dfsr == 0x837u);
    BOOST_TEST(dfar == va + 0x1004u);
    BOOST_TEST(p.sys.ram32(kDataPa + 0x500C) == 0xFEEDu);  // both pages map to the same frame
    BOOST_TEST(stat("cpu.walker.faults.translation_l2") == 2);
    BOOST_TEST(stat("cpu.data_aborts") == 2);
}

BOOST_FIXTURE_TEST_CASE(fixup_makes_try_access_fail_and_fatal_is_an_oops, vp::test::FreshSim) {
    Platform p;
    bool try_ok = true, plain_oops = false, fatal_oops = false, user_ok = true;
    hal::AbortInfo oops_info{}, user_info{};
    hal::AbortAction answer = hal::AbortAction::fixup;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        // 0xC0000000: kernel-only section (AP = 0b001: PL1 RW, PL0 none), domain 1.
        c.store32(d::l1_addr(kTtb, 0xC0000000u), d::section(kDataPa, d::AP_PRIV_RW, false, 1));
        enable_mmu(c);
        c.set_abort_handler([&](const hal::AbortInfo& i) {
            if (i.user) user_info = i;
            return answer;
        });
        uint64_t v = 0;
        try_ok = c.try_load(0x00100000u, 4, v);  // unmapped: section translation fault
        try {
            c.load32(0x00100000u);  // fixup without an exception-table entry: oops
        } catch (const hal::GuestOops&) {
            plain_oops = true;
        }
        user_ok = c.try_load(0xC0000000u, 4, v, /*as_user=*/true);  // LDRT to a PL1 page
        answer = hal::AbortAction::fatal;
        try {
            c.try_store(0x00200010u, 4, 1);
        } catch (const hal::GuestOops& e) {
            fatal_oops = true;
            oops_info = e.info();
        }
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(!try_ok);
    BOOST_TEST(plain_oops);
    BOOST_TEST(!user_ok);
    // Section permission fault, Domain 1, read: FS = 0b01101 (Table B3-23).
    BOOST_TEST(user_info.fsr == 0x01Du);
    BOOST_TEST(user_info.user);
    BOOST_TEST(fatal_oops);
    BOOST_TEST(oops_info.fsr == 0x805u);  // section translation fault (no Domain), WnR
    BOOST_TEST(oops_info.far == 0x00200010u);
}

BOOST_FIXTURE_TEST_CASE(oops_escaping_the_entry_is_reported, vp::test::FreshSim) {
    Platform p;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        enable_mmu(c);
        c.load32(0x00000010u);  // no handler: fatal
    });
    const auto& st = p.cpu.exit_status();
    BOOST_TEST((st.code == vp::CortexA8::ExitCode::oops));
    BOOST_REQUIRE(st.abort.has_value());
    BOOST_TEST(st.abort->fsr == 0x005u);
    BOOST_TEST(st.abort->far == 0x10u);
    BOOST_TEST(st.message.find("NULL pointer dereference") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(bus_errors_are_external_aborts, vp::test::FreshSim) {
    Platform p;
    std::vector<hal::AbortInfo> seen;
    bool r1 = true, r2 = true, r3 = true;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        // 0x10000000: page table in a physical hole → the L2 descriptor read fails.
        c.store32(d::l1_addr(kTtb, 0x10000000u), d::page_table(0x20000000u, 5));
        enable_mmu(c);
        c.set_abort_handler([&](const hal::AbortInfo& i) {
            seen.push_back(i);
            return hal::AbortAction::fixup;
        });
        uint64_t v;
        r1 = c.try_load(kDevVa + kDevError, 4, v);  // the device answers with an error
        r2 = c.try_store(kDevVa + kDevError, 4, 1);
        r3 = c.try_load(0x10000000u, 4, v);
    });
    BOOST_TEST(!r1);
    BOOST_TEST(!r2);
    BOOST_TEST(!r3);
    BOOST_REQUIRE(seen.size() == 3u);
    // Synchronous external abort, FS = 0b01000, no Domain (Table B3-23): "external abort on
    // non-linefetch" in Linux's words.
    BOOST_TEST(seen[0].fsr == 0x008u);
    BOOST_TEST(seen[0].far == kDevVa + kDevError);
    BOOST_TEST(seen[1].fsr == 0x808u);
    // External abort on the second-level walk read, FS = 0b01110, Domain (5) valid.
    BOOST_TEST(seen[2].fsr == 0x05Eu);
    BOOST_TEST(stat("cpu.walker.faults.sync_external_walk_l2") == 1);
    BOOST_TEST(stat("cpu.walker.faults.sync_external") == 2);
}

BOOST_FIXTURE_TEST_CASE(first_level_walk_abort, vp::test::FreshSim) {
    Platform p;
    uint32_t fsr = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        mcr(c, c15::TTBCR, 1);  // VA < 2 GB through TTBR0, which points at a hole
        mcr(c, c15::TTBR1, kTtb);
        enable_mmu(c);
        mcr(c, c15::TTBR0, 0x20000000u);
        c.set_abort_handler([&](const hal::AbortInfo& i) {
            fsr = i.fsr;
            return hal::AbortAction::fixup;
        });
        uint64_t v;
        c.try_load(0x10000000u, 4, v);
    });
    BOOST_TEST(fsr == 0x00Cu);  // FS = 0b01100: external abort on the first-level walk
}

BOOST_FIXTURE_TEST_CASE(prefetch_abort_on_execute_never, vp::test::FreshSim) {
    Platform p;
    hal::AbortInfo info{};
    bool oops = false;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        enable_mmu(c);
        c.set_abort_handler([&](const hal::AbortInfo& i) {
            info = i;
            return hal::AbortAction::fixup;  // a fetch has no fixup: still fatal
        });
        c.fetch(kRam + 0x1000, 64);  // executable kernel RAM: fine
        try {
            c.fetch(kDevVa + 0x40, 16);  // the device section is XN
        } catch (const hal::GuestOops&) {
            oops = true;
        }
    });
    BOOST_TEST(oops);
    BOOST_TEST((info.kind == hal::AbortInfo::prefetch));
    // Section permission fault in the IFSR layout: no Domain, no WnR (B4.1.96).
    BOOST_TEST(info.fsr == 0x00Du);
    BOOST_TEST(info.far == kDevVa + 0x40);
    BOOST_TEST(p.cpu.cp15_reg("IFSR") == 0x00Du);
    BOOST_TEST(p.cpu.cp15_reg("IFAR") == kDevVa + 0x40);
    BOOST_TEST(stat("cpu.itlb.misses") == 2);
    BOOST_TEST(stat("cpu.walker.walks_inst") == 2);
}

// ---- Device accesses ---------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(device_accesses_are_uncached_transactions_in_time, vp::test::FreshSim) {
    vp::CortexA8Params params;
    Platform p(params);
    std::vector<vp::TransactionMonitor::Record> bus;
    uint64_t cycles_before = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        enable_mmu(c);
        (void)c.load32(kDevVa + 0x10);  // the walk for the device section
        c.compute(500);
        cycles_before = c.cycles();
        p.mon.clear();
        for (int i = 0; i < 3; ++i)
            c.store32(kDevVa + 0x10, 0x100u + i);
        (void)c.load32(kDevVa + 0x10);
        (void)c.load32(kDevVa + 0x10);
        bus = p.bus();
    });
    // Device memory is never cached and never served by DMI: 5 accesses, 5 transactions.
    BOOST_REQUIRE(bus.size() == 5u);
    for (const auto& r : bus)
        BOOST_TEST(r.address == kDev + 0x10);
    BOOST_TEST(bus[4].value() == 0x102u);
    // The CPU synchronised before the first one: the device saw the CPU's exact time (1 GHz).
    BOOST_TEST(bus[0].time == sc_time(static_cast<double>(cycles_before), SC_NS));
    // Each access waited for the previous one's 100 ns.
    BOOST_TEST(bus[1].time == bus[0].time + kDevLatency);
    BOOST_TEST(stat("cpu.device_accesses") >= 5);
}

// ---- Interrupts --------------------------------------------------------------------------------

namespace {
struct IrqRaiser : sc_core::sc_module {
    vp::Wire& line;
    sc_time at;
    SC_HAS_PROCESS(IrqRaiser);
    IrqRaiser(sc_core::sc_module_name n, vp::Wire& l, sc_time t) : sc_module(n), line(l), at(t) {
        SC_THREAD(run);
    }
    void run() {
        wait(at);
        line.write(true);
    }
};
}  // namespace

BOOST_FIXTURE_TEST_CASE(irq_is_taken_at_the_next_sync_point_in_the_guest_thread,
                        vp::test::FreshSim) {
    vp::CortexA8Params params;  // 1 GHz, quantum 1 us = 1000 cycles
    Platform p(params);
    IrqRaiser raiser("raiser", p.sys.irq_out, sc_time(2500, SC_NS));
    sc_time taken_at;
    bool in_kernel = false, masked = false, same_cpu = false;
    unsigned count = 0;
    p.run([&](hal::Cpu& c) {
        c.set_irq_handler([&] {
            ++count;
            taken_at = sc_core::sc_time_stamp();
            in_kernel = c.mode() == hal::Mode::kernel;
            masked = !c.irqs_enabled();
            same_cpu = &hal::this_cpu() == &c;
            p.sys.irq_out.write(false);  // acknowledge at the source
        });
        c.set_mode(hal::Mode::user);
        c.irq_enable(true);
        for (int i = 0; i < 100; ++i)
            c.compute(100);
        c.set_mode(hal::Mode::kernel);
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(count == 1u);
    // Raised at 2.5 us; the CPU synchronises every 1000 cycles: taken at the 3 us sync point.
    BOOST_TEST(taken_at == sc_time(3, SC_US));
    BOOST_TEST(in_kernel);
    BOOST_TEST(masked);
    BOOST_TEST(same_cpu);
    BOOST_TEST(stat("cpu.irqs_taken") == 1);
}

BOOST_FIXTURE_TEST_CASE(wfi_waits_for_the_interrupt_then_takes_it, vp::test::FreshSim) {
    Platform p;
    IrqRaiser raiser("raiser", p.sys.irq_out, sc_time(5, SC_US));
    sc_time after_wfi;
    unsigned count = 0;
    p.run([&](hal::Cpu& c) {
        c.set_irq_handler([&] {
            ++count;
            p.sys.irq_out.write(false);
        });
        c.irq_enable(true);
        c.wfi();
        after_wfi = sc_core::sc_time_stamp();
    });
    BOOST_TEST(count == 1u);
    BOOST_TEST(after_wfi == sc_time(5, SC_US));
    BOOST_TEST(stat("cpu.idle_cycles") == 5000);  // 5 us at 1 GHz
    BOOST_TEST(p.cpu.cycles() == 5000u);
}

BOOST_FIXTURE_TEST_CASE(irq_raised_by_the_guests_own_store_is_taken_before_the_next_access,
                        vp::test::FreshSim) {
    Platform p;
    std::vector<std::string> order;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        enable_mmu(c);
        c.set_irq_handler([&] {
            order.push_back("irq");
            c.store32(kDevVa + kDevIrq, 0);  // lower the line
        });
        c.irq_enable(true);
        (void)c.load32(kRam + 0x200000);  // warm the fast path for this page
        (void)c.load32(kRam + 0x200004);
        c.store32(kDevVa + kDevIrq, 1);
        order.push_back("store");
        (void)c.load32(kRam + 0x200008);
        order.push_back("load");
    });
    const std::vector<std::string> expected = {"store", "irq", "load"};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(masked_irq_wakes_wfi_but_is_not_taken, vp::test::FreshSim) {
    Platform p;
    IrqRaiser raiser("raiser", p.sys.irq_out, sc_time(2, SC_US));
    unsigned count = 0;
    sc_time after;
    p.run([&](hal::Cpu& c) {
        c.set_irq_handler([&] {
            ++count;
            p.sys.irq_out.write(false);
        });
        c.wfi();  // IRQs masked (reset state): wakes, does not take it (DDI 0406C B1.8.11)
        after = sc_core::sc_time_stamp();
        c.irq_enable(true);  // unmasking with the request pending takes it at once
    });
    BOOST_TEST(after == sc_time(2, SC_US));
    BOOST_TEST(count == 1u);
}

// ---- TLB maintenance ---------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(tlb_maintenance_effects, vp::test::FreshSim) {
    Platform p;
    constexpr uint32_t va = 0xC0000000u;
    constexpr uint32_t va_ng = 0xC0100000u;
    constexpr uint32_t a = kRam + 0x200000, b = kRam + 0x300000;
    p.sys.set_ram32(a, 0xAAAAAAAAu);
    p.sys.set_ram32(b, 0xBBBBBBBBu);
    std::vector<uint32_t> v;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        c.store32(d::l1_addr(kTtb, va), d::section(a, d::AP_PRIV_RW, false));
        c.store32(d::l1_addr(kTtb, va_ng),
                  d::section(a, d::AP_PRIV_RW, false, 0, false, /*ng=*/true));
        enable_mmu(c);
        mcr(c, c15::CONTEXTIDR, 5);  // ASID 5
        v.push_back(c.load32(va));
        v.push_back(c.load32(va_ng));
        // Remap both to `b` in memory (through the identity map): the TLB keeps the old ones.
        c.store32(d::l1_addr(kTtb, va), d::section(b, d::AP_PRIV_RW, false));
        c.store32(d::l1_addr(kTtb, va_ng), d::section(b, d::AP_PRIV_RW, false, 0, false, true));
        v.push_back(c.load32(va));     // stale: still a
        v.push_back(c.load32(va_ng));  // stale: still a
        mcr(c, c15::TLBIASID, 5);      // removes the non-global entry only (B4.2.2)
        v.push_back(c.load32(va));     // global entry survives: a
        v.push_back(c.load32(va_ng));  // walked again: b
        mcr(c, c15::TLBIMVA, va | 5);  // removes va (global entries match any ASID)
        v.push_back(c.load32(va));     // b
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    const std::vector<uint32_t> expected = {0xAAAAAAAAu, 0xAAAAAAAAu, 0xAAAAAAAAu, 0xAAAAAAAAu,
                                            0xAAAAAAAAu, 0xBBBBBBBBu, 0xBBBBBBBBu};
    BOOST_TEST(v == expected, boost::test_tools::per_element());
    BOOST_TEST(stat("cpu.dtlb.flushes") == 3);  // TLBIALL in enable_mmu, TLBIASID, TLBIMVA
}

// ---- Fast path ---------------------------------------------------------------------------------

namespace {

// A mixed stream: section and page mappings, loads and stores, more pages than the D-TLB
// holds (evictions), unaligned and cross-page accesses, maintenance, DACR and ASID changes,
// compute, a device access, block operations.
void mixed_workload(hal::Cpu& c) {
    identity_ram(c);
    const uint32_t l1 = d::page_table(kL2, 0);
    c.store32(d::l1_addr(kTtb, 0xD0000000u), l1);
    for (uint32_t i = 0; i < 64; ++i)
        c.store32(d::l2_addr(l1, 0xD0000000u + (i << 12)),
                  d::small_page(kDataPa + (i << 12), i % 5 == 0 ? d::AP_PRIV_RO : d::AP_PRIV_RW));
    c.store32(d::l1_addr(kTtb, 0xC0000000u), d::section(kDataPa, d::AP_PRIV_RW, false));
    enable_mmu(c);
    c.set_abort_handler([](const hal::AbortInfo&) { return hal::AbortAction::fixup; });
    uint64_t sum = 0;
    for (int round = 0; round < 3; ++round) {
        for (uint32_t i = 0; i < 64; ++i) {
            const uint32_t base = 0xD0000000u + (i << 12);
            for (uint32_t w = 0; w < 64; ++w)
                sum += c.load32(base + w * 4);
            if (!c.try_store(base + 8, 4, sum)) sum += 1;  // read-only pages fault
            if (!c.try_store(base + 0x100, 2, i)) sum += 2;
            sum += c.load64(base + 0x200);
        }
        for (uint32_t w = 0; w < 2048; ++w)
            c.store32(0xC0000000u + w * 4, w);
        sum += c.load32(0xC0000FFEu);  // crosses a 4 KB boundary
        c.compute(777);
        if (round == 1) {
            mcr(c, c15::TLBIMVA, 0xD0005000u);
            mcr(c, c15::DACR, 0x55555555u);
            mcr(c, c15::CONTEXTIDR, 3);
        }
        (void)c.load32(kDevVa + 0x20);
        uint8_t buf[100];
        c.read_block(0xD0000FF0u, buf, sizeof buf);
        c.fill(0xC0010000u, 0x5A, 5000);
    }
    mcr(c, c15::TLBIALL, 0);
    for (uint32_t i = 0; i < 8; ++i)
        sum += c.load32(0xD0000000u + (i << 12));
    c.store32(kRam + 0x3F0000, static_cast<uint32_t>(sum));
}

std::map<std::string, double> run_workload(bool fast) {
    vp::test::fresh_simcontext();
    vp::CortexA8Params params;
    params.fast_path = fast;
    std::map<std::string, double> out;
    {
        Platform p(params);
        p.run(mixed_workload);
        BOOST_TEST(p.cpu.exit_status().ok());
        BOOST_TEST(p.cpu.fast_path_enabled() == fast);
        for (const vp::stats::StatBase* s : vp::stats::Registry::global().list("cpu"))
            out[s->name()] = s->value();
        out["ram.result"] = p.sys.ram32(kRam + 0x3F0000);
        out["sim.time_ns"] = sc_core::sc_time_stamp().to_seconds() * 1e9;
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fast_path_gives_exactly_the_slow_path_statistics) {
    const auto fast = run_workload(true);
    const auto slow = run_workload(false);
    BOOST_TEST(fast.at("cpu.fast_path.hits") > 10000);  // the fast path really served loads
    BOOST_TEST(slow.at("cpu.fast_path.hits") == 0);
    BOOST_REQUIRE(fast.size() == slow.size());
    for (const auto& [name, value] : fast) {
        if (name.rfind("cpu.fast_path.", 0) == 0) continue;
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(value == slow.at(name));
        }
    }
}

BOOST_FIXTURE_TEST_CASE(dmi_invalidation_flushes_the_fast_path, vp::test::FreshSim) {
    Platform p;
    unsigned before = 0, after = 0;
    uint32_t v = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        enable_mmu(c);
        c.store32(kRam + 0x200000, 0x1234u);
        (void)c.load32(kRam + 0x200000);
        before = p.cpu.fast_path_entries();
        p.sys.invalidate_ram_dmi();
        after = p.cpu.fast_path_entries();
        p.sys.grant_dmi = false;  // from now on, RAM only through b_transport
        p.mon.clear();
        v = c.load32(kRam + 0x200000);  // a D-TLB hit, but no DMI: a bus read
    });
    BOOST_TEST(before >= 2u);  // read and write entries of the page
    BOOST_TEST(after == 0u);
    BOOST_TEST(v == 0x1234u);
    BOOST_TEST(stat("cpu.dmi_invalidations") == 1);
    const auto bus = p.bus();
    BOOST_REQUIRE(bus.size() == 1u);
    BOOST_TEST(bus[0].address == kRam + 0x200000);
}

BOOST_FIXTURE_TEST_CASE(fast_path_forgets_pages_of_evicted_tlb_entries, vp::test::FreshSim) {
    Platform p;
    std::vector<uint32_t> v;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        const uint32_t l1 = d::page_table(kL2, 0);
        c.store32(d::l1_addr(kTtb, 0xD0000000u), l1);
        for (uint32_t i = 0; i < 40; ++i)
            c.store32(d::l2_addr(l1, 0xD0000000u + (i << 12)),
                      d::small_page(kDataPa + (i << 12), d::AP_PRIV_RW));
        enable_mmu(c);
        (void)c.load32(0xD0000000u);  // page 0 into the D-TLB and the fast path
        // Remap page 0 in memory, then push its entry out with 32 other pages (round-robin).
        c.store32(d::l2_addr(l1, 0xD0000000u), d::small_page(kDataPa + (39u << 12), d::AP_PRIV_RW));
        for (uint32_t i = 1; i <= 32; ++i)
            (void)c.load32(0xD0000000u + (i << 12));
        c.store32(kDataPa + (39u << 12), 0x39393939u);
        v.push_back(c.load32(0xD0000000u));  // must walk again and see the new mapping
    });
    BOOST_REQUIRE(v.size() == 1u);
    BOOST_TEST(v[0] == 0x39393939u);
    // Misses: page 0, the identity section of the L2 table, pages 1..32, the identity section
    // of kDataPa (evicted meanwhile by round-robin: 32 entries), page 0 again.
    BOOST_TEST(stat("cpu.dtlb.misses") == 36);
}

// ---- Block operations
// ----------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(block_operations_stop_at_an_unfixed_abort, vp::test::FreshSim) {
    Platform p;
    size_t wrote = 0, copied = 0, filled = 0;
    uint32_t far = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        const uint32_t l1 = d::page_table(kL2, 0);
        c.store32(d::l1_addr(kTtb, 0xD0000000u), l1);
        c.store32(d::l2_addr(l1, 0xD0000000u), d::small_page(kDataPa, d::AP_PRIV_RW));
        enable_mmu(c);  // page 0xD0001000 is unmapped
        c.set_abort_handler([&](const hal::AbortInfo& i) {
            far = i.far;
            return hal::AbortAction::fixup;
        });
        std::vector<uint8_t> src(300);
        for (size_t i = 0; i < src.size(); ++i)
            src[i] = static_cast<uint8_t>(i);
        wrote = c.write_block(0xD0000F00u, src.data(), src.size());
        copied = c.copy(kRam + 0x300000, 0xD0000F80u, 0x100);
        filled = c.fill(0xD0000FF0u, 0xEE, 64);
    });
    BOOST_TEST(wrote == 0x100u);  // up to the end of the mapped page
    BOOST_TEST(copied == 0x80u);
    BOOST_TEST(filled == 0x10u);
    BOOST_TEST(far == 0xD0001000u);  // the first byte of the unmapped page
    BOOST_TEST(p.sys.ram[kDataPa - kRam + 0xF05] == 5u);
    BOOST_TEST(p.sys.ram[0x300000 + 0x7F] == static_cast<uint8_t>(0x80 + 0x7F));
    BOOST_TEST(p.sys.ram[kDataPa - kRam + 0xFF0] == 0xEEu);
}

// ---- Study options
// -------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(fast_path_only_where_exact, vp::test::FreshSim) {
    {
        vp::CortexA8Params p;
        p.mode = vp::TimingMode::approximate;
        vp::CortexA8 cpu("a", p);
        BOOST_TEST(!cpu.fast_path_enabled());  // every access goes through the cache model
    }
    {
        vp::CortexA8Params p;
        p.dtlb.policy = vp::mmu::ReplacementPolicy::lru;  // a hit changes the LRU order
        vp::CortexA8 cpu("b", p);
        BOOST_TEST(!cpu.fast_path_enabled());
    }
    {
        vp::CortexA8Params p;
        p.fast_path = false;
        vp::CortexA8 cpu("c", p);
        BOOST_TEST(!cpu.fast_path_enabled());
    }
    vp::CortexA8 cpu("d");
    BOOST_TEST(cpu.fast_path_enabled());
}

BOOST_FIXTURE_TEST_CASE(second_level_tlb_refills_the_dtlb_without_a_walk, vp::test::FreshSim) {
    vp::CortexA8Params params;
    params.l2_tlb = true;  // 512 entries, 4-way (a study option; the A8 has none)
    Platform p(params);
    double walks_before = 0, walks_after = 0, l2_hits = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        const uint32_t l1 = d::page_table(kL2, 0);
        c.store32(d::l1_addr(kTtb, 0xD0000000u), l1);
        for (uint32_t i = 0; i < 40; ++i)
            c.store32(d::l2_addr(l1, 0xD0000000u + (i << 12)),
                      d::small_page(kDataPa + (i << 12), d::AP_PRIV_RW));
        enable_mmu(c);
        for (uint32_t i = 0; i < 40; ++i)
            (void)c.load32(0xD0000000u + (i << 12));
        walks_before = stat("cpu.walker.walks");
        // Pages 0..7 left the 32-entry D-TLB but are still in the second level.
        for (uint32_t i = 0; i < 8; ++i)
            (void)c.load32(0xD0000000u + (i << 12));
        walks_after = stat("cpu.walker.walks");
        l2_hits = stat("cpu.l2tlb.hits");
    });
    BOOST_TEST(p.cpu.exit_status().ok());
    BOOST_TEST(walks_after == walks_before);
    BOOST_TEST(l2_hits == 8);
}

BOOST_FIXTURE_TEST_CASE(walk_cache_saves_the_first_level_read, vp::test::FreshSim) {
    vp::CortexA8Params params;
    params.walk_cache_entries = 4;
    Platform p(params);
    std::vector<vp::TransactionMonitor::Record> bus;
    const uint32_t l1 = d::page_table(kL2, 0);
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        c.store32(d::l1_addr(kTtb, 0xD0000000u), l1);
        c.store32(d::l2_addr(l1, 0xD0001000u), d::small_page(kDataPa + 0x1000, d::AP_PRIV_RW));
        c.store32(d::l2_addr(l1, 0xD0002000u), d::small_page(kDataPa + 0x2000, d::AP_PRIV_RW));
        enable_mmu(c);
        (void)c.load32(0xD0001000u);  // L1 and L2 descriptor reads; the L1 one is cached
        p.mon.clear();
        (void)c.load32(0xD0002000u);  // same 1 MB: only the L2 descriptor is read
        bus = p.bus();
    });
    BOOST_REQUIRE(bus.size() == 1u);
    BOOST_TEST(bus[0].address == d::l2_addr(l1, 0xD0002000u));
    BOOST_TEST(stat("cpu.walk_cache.hits") == 1);
}

BOOST_FIXTURE_TEST_CASE(address_translation_operation_writes_par, vp::test::FreshSim) {
    Platform p;
    uint32_t ok_par = 0, fault_par = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        c.store32(d::l1_addr(kTtb, 0xC0000000u), d::section(kDataPa, d::AP_PRIV_RW, false));
        enable_mmu(c);
        mcr(c, c15::ATS1CPR, 0xC0012345u);
        ok_par = mrc(c, c15::PAR);
        mcr(c, c15::ATS1CUR, 0xC0012345u);  // PL0 has no access (AP = 0b001)
        fault_par = mrc(c, c15::PAR);
    });
    // DDI 0406C B4.1.111: PA[31:12] | Inner[6:4] = 0b101 (WB-WA) | Outer[3:2] = 0b01.
    BOOST_TEST((ok_par & 0xFFFFF000u) == kDataPa + 0x12000);
    BOOST_TEST((ok_par & 0x7Eu) == ((0b101u << 4) | (0b01u << 2)));
    // Abort: F = 1, FS[5:0] at [6:1]: section permission fault 0b001101.
    BOOST_TEST(fault_par == ((0b001101u << 1) | 1u));
    BOOST_TEST(stat("cpu.data_aborts") == 0);  // ATS does not take the abort
}

// ---- Study statistics (docs/observability.md "Study statistics") -------------------------------

namespace {

// Maps `pages` small pages at `va` (one L2 table at kL2, so at most 256) to consecutive
// physical pages from kDataPa, with the MMU off (Strongly-ordered stores, no walks).
void map_small_pages(hal::Cpu& c, uint32_t va, unsigned pages) {
    const uint32_t l1 = d::page_table(kL2);
    c.store32(d::l1_addr(kTtb, va), l1);
    for (unsigned i = 0; i < pages; ++i) {
        const uint32_t v = va + i * 0x1000u;
        c.store32(d::l2_addr(l1, v), d::small_page(kDataPa + i * 0x1000u, d::AP_PRIV_RW));
    }
}

// One load per page, `passes` times over `pages` pages, each followed by compute(work).
void scan_pages(hal::Cpu& c, uint32_t va, unsigned pages, unsigned passes, uint64_t work) {
    for (unsigned pass = 0; pass < passes; ++pass) {
        for (unsigned i = 0; i < pages; ++i) {
            (void)c.load32(va + i * 0x1000u);
            if (work) c.compute(work);
        }
    }
}

constexpr uint32_t kScanVa = 0xD0000000u;

}  // namespace

// A cyclic scan of 64 pages through the A8's 32-entry round-robin D-TLB (TRM §6.1; mmu-tlb.md
// §5.1) misses on every access; each miss is a 2-read page walk of 24 cycles (mmu-tlb.md §5.3,
// functional defaults 8 + 2 x 8); a load that hits L1 costs 3 cycles (load-to-use, am335x.md
// §16 lmbench 3.0 ns at 1 GHz). MPKI = 1000 x misses / instructions (mmu-tlb.md §6.3).
BOOST_FIXTURE_TEST_CASE(study_statistics_of_a_tlb_thrashing_scan, vp::test::FreshSim) {
    Platform p;
    constexpr unsigned kPages = 64, kPasses = 2;
    constexpr uint64_t kWork = 10;
    uint64_t cycles_before = 0, cycles_after = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        map_small_pages(c, kScanVa, kPages);
        enable_mmu(c);
        p.cpu.fold_fast_path();
        vp::stats::Registry::global().reset_all();
        cycles_before = c.cycles();
        scan_pages(c, kScanVa, kPages, kPasses, kWork);
        cycles_after = c.cycles();
    });
    BOOST_REQUIRE(p.cpu.exit_status().ok());
    constexpr double kAccesses = kPages * kPasses;
    BOOST_TEST(stat("cpu.dtlb.misses") == kAccesses);
    BOOST_TEST(stat("cpu.walker.walks_page") == kAccesses);
    BOOST_TEST(stat("cpu.compute_cycles") == kAccesses * kWork);
    // ops = loads + stores + compute cycles (+ block words: none here).
    BOOST_TEST(stat("cpu.ops") == kAccesses + kAccesses * kWork);
    BOOST_TEST(stat("cpu.dtlb.mpki") == 1000.0 * kAccesses / (kAccesses + kAccesses * kWork),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(stat("cpu.itlb.mpki") == 0.0);
    BOOST_TEST(stat("cpu.walker.avg_walk_cycles") == 24.0);
    // busy_cycles counts from the statistics reset, so the setup before it is left out and
    // every measured cycle is a load (3), a walk (24) or compute work.
    const double busy = stat("cpu.busy_cycles");
    BOOST_TEST(busy == static_cast<double>(cycles_after - cycles_before));
    BOOST_TEST(busy == kAccesses * (3 + 24 + kWork));
    BOOST_TEST(stat("cpu.amat_cycles") == 3.0 + 24.0);
    BOOST_TEST(stat("cpu.walker.walk_cycle_share") == 24.0 / (3 + 24 + kWork),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(stat("cpu.cycles_per_op") == busy / (kAccesses + kAccesses * kWork),
               boost::test_tools::tolerance(1e-12));
}

// The knee of a 4 KB-page scan sits at the A8 D-TLB reach, 32 entries x 4 KB = 128 KB
// (mmu-tlb.md §5.1): 32 pages miss only on the first pass, 33 pages miss on every access
// (round-robin replaces the oldest entry, which a cyclic scan needs next).
BOOST_FIXTURE_TEST_CASE(study_statistics_show_the_dtlb_reach_knee, vp::test::FreshSim) {
    Platform p;
    constexpr unsigned kPasses = 4;
    double misses_in_reach = 0, misses_past_reach = 0, ops_in_reach = 0, mpki_in = 0, mpki_past = 0;
    p.run([&](hal::Cpu& c) {
        identity_ram(c);
        map_small_pages(c, kScanVa, 33);
        enable_mmu(c);
        auto& reg = vp::stats::Registry::global();
        p.cpu.fold_fast_path();
        reg.reset_all();
        scan_pages(c, kScanVa, 32, kPasses, 0);
        p.cpu.fold_fast_path();
        misses_in_reach = stat("cpu.dtlb.misses");
        ops_in_reach = stat("cpu.ops");
        mpki_in = stat("cpu.dtlb.mpki");
        mcr(c, c15::TLBIALL, 0);
        reg.reset_all();
        scan_pages(c, kScanVa, 33, kPasses, 0);
        p.cpu.fold_fast_path();
        misses_past_reach = stat("cpu.dtlb.misses");
        mpki_past = stat("cpu.dtlb.mpki");
        // A block operation counts one operation per 32-bit word it moves.
        reg.reset_all();
        c.fill(kScanVa, 0, 0x1000);
    });
    BOOST_REQUIRE(p.cpu.exit_status().ok());
    BOOST_TEST(misses_in_reach == 32.0);
    BOOST_TEST(ops_in_reach == 32.0 * kPasses);
    BOOST_TEST(mpki_in == 1000.0 * 32 / (32 * kPasses), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(misses_past_reach == 33.0 * kPasses);
    BOOST_TEST(mpki_past == 1000.0);
    BOOST_TEST(stat("cpu.ops") == 0x1000 / 4);
}
