// EDMA3 (models/edma): the channel controller EdmaTpcc and the transfer controllers EdmaTptc on
// a tiny platform — a test CPU (initiator -> TransactionMonitor) and TPTC0-2 (initiator ->
// TransactionMonitor each) on a vp::Router with one L3F domain, OCMC-like and DDR-like
// memories, the TPCC and the TPTCs at their AM335x addresses.
//
// Expected values come from SPRUH73 (chapter 11 unless noted; sections and tables are cited at
// each check), from Linux drivers/dma/ti/edma.c (the register sequences, function by function)
// and from this bench's own parameters (memory latencies, router occupancy), never from the
// model's output. Transfer times are the sums of the bench's memory latencies over the
// commands the TRM's fragmentation rules give (§11.3.12.1.1, Table 11-22, Example 11-4).
#define BOOST_TEST_MODULE edma
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/control/control.h"
#include "models/core/monitor.h"
#include "models/core/stats.h"
#include "models/core/tlm_util.h"
#include "models/edma/edma.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "models/prcm/prcm.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "tests/support/sim_context.h"

using namespace vp::edma;
using sc_core::SC_NS;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;

namespace {

// --- addresses (am335x.md §1; SPRUH73 Table 2-1) -------------------------------------------------
constexpr uint32_t kTpcc = 0x49000000;
constexpr uint32_t kTptc[kNumQueues] = {0x49800000, 0x49900000, 0x49A00000};
constexpr uint32_t kOcmc = 0x40300000;
constexpr uint32_t kDdr = 0x80000000;
constexpr uint32_t kPrcm = 0x44E00000;
constexpr uint32_t kUnmapped = 0x60000000;  // nothing there (am335x.md §1)

// --- this bench's memory latencies (bench parameters, not TRM values) --------------------------
constexpr double kDdrReadNs = 40;
constexpr double kDdrWriteNs = 20;
constexpr double kOcmcReadNs = 10;
constexpr double kOcmcWriteNs = 10;
constexpr double kL3PeriodNs = 5;  // 200 MHz L3F (Table 11-4)

sc_time ns(double v) {
    return sc_time(v, SC_NS);
}
sc_time us(double v) {
    return sc_time(v, SC_US);
}

uint32_t bit(unsigned ch) {
    return 1u << (ch % 32);
}

// --- test CPU
// --------------------------------------------------------------------------------------
struct Cpu : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Cpu> socket;
    vp::TransactionMonitor mon;
    sc_time last_delay;
    explicit Cpu(sc_core::sc_module_name n) : sc_module(n), socket("socket"), mon("mon") {
        socket.bind(mon.target);
    }
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t addr, uint32_t& v,
                                    unsigned len) {
        uint8_t buf[4];
        vp::store_le(buf, v, 4);
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, buf, len);
        sc_time d = SC_ZERO_TIME;
        socket->b_transport(p, d);
        last_delay = d;
        v = static_cast<uint32_t>(vp::load_le(buf, len));
        return p.get_response_status();
    }
    uint32_t rd(uint32_t addr, unsigned len = 4) {
        uint32_t v = 0;
        const auto r = access(tlm::TLM_READ_COMMAND, addr, v, len);
        BOOST_REQUIRE_MESSAGE(r == tlm::TLM_OK_RESPONSE,
                              "read of " << std::hex << addr << ": " << vp::response_name(r));
        return v;
    }
    void wr(uint32_t addr, uint32_t v, unsigned len = 4) {
        const auto r = access(tlm::TLM_WRITE_COMMAND, addr, v, len);
        BOOST_REQUIRE_MESSAGE(r == tlm::TLM_OK_RESPONSE,
                              "write of " << std::hex << addr << ": " << vp::response_name(r));
    }
    tlm::tlm_response_status rd_status(uint32_t addr, unsigned len = 4) {
        uint32_t v = 0;
        return access(tlm::TLM_READ_COMMAND, addr, v, len);
    }
    tlm::tlm_response_status wr_status(uint32_t addr, uint32_t v, unsigned len = 4) {
        return access(tlm::TLM_WRITE_COMMAND, addr, v, len);
    }
};

// Edges of a wire with their simulated times (sc_time_stamp() + the writer's offset).
struct Edges {
    std::vector<std::pair<sc_time, bool>> log;
    void attach(vp::Wire& w) {
        w.on_change([this](bool level, const sc_time& off) {
            log.emplace_back(sc_time_stamp() + off, level);
        });
    }
    unsigned rises() const {
        unsigned n = 0;
        for (const auto& e : log)
            n += e.second ? 1 : 0;
        return n;
    }
};

struct Bench;

struct BenchParams {
    unsigned dbs = 16;              // TPTC_CFG.TCnDBS reset = 16 bytes (Table 9-29)
    unsigned occupancy_cycles = 0;  // L3F occupancy per transaction (contention test)
    bool with_prcm = false;
    // Called before the end of elaboration, for extra modules (a script master).
    std::function<void(Bench&)> before_start;
};

vp::RouterParams router_params(const BenchParams& bp) {
    vp::RouterParams p;
    vp::DomainParams l3f;
    l3f.name = "l3f";
    l3f.period = ns(kL3PeriodNs);
    l3f.hop_cycles = 0;  // the bench's interconnect adds no latency of its own ...
    l3f.occupancy_cycles = bp.occupancy_cycles;  // ... unless a test asks for contention
    p.domains.push_back(l3f);
    return p;
}

vp::MemoryParams memory(uint64_t size, double rd_ns, double wr_ns) {
    vp::MemoryParams p;
    p.size = size;
    p.read_latency = ns(rd_ns);
    p.write_latency = ns(wr_ns);
    return p;
}

struct Bench {
    vp::Router bus;
    vp::Memory ocmc;
    vp::Memory ddr;
    vp::EdmaTpcc tpcc;
    std::unique_ptr<vp::EdmaTptc> tc[kNumQueues];
    std::unique_ptr<vp::TransactionMonitor> tc_mon[kNumQueues];
    std::unique_ptr<vp::Prcm> prcm;
    Cpu cpu;
    Edges ccint;   // region 0 completion (INTC 12)
    Edges ccerr;   // CC error (INTC 14)
    Edges tcerr0;  // TPTC0 error (INTC 112)

    explicit Bench(const BenchParams& bp = {})
        : bus("bus", router_params(bp)),
          ocmc("ocmc", memory(0x10000, kOcmcReadNs, kOcmcWriteNs)),
          ddr("ddr", memory(0x100000, kDdrReadNs, kDdrWriteNs)),
          tpcc("tpcc"),
          cpu("cpu") {
        cpu.mon.initiator.bind(bus.in);
        bus.name_initiator(0, "cpu");
        for (unsigned i = 0; i < kNumQueues; ++i) {
            vp::EdmaTptcParams tp;
            tp.default_burst_bytes = bp.dbs;
            const std::string n = "tptc" + std::to_string(i);
            tc[i] = std::make_unique<vp::EdmaTptc>(n.c_str(), tp);
            tc_mon[i] = std::make_unique<vp::TransactionMonitor>((n + "_mon").c_str());
            tc[i]->initiator.bind(tc_mon[i]->target);
            tc_mon[i]->initiator.bind(bus.in);
            bus.name_initiator(i + 1, n);
        }
        bus.map({"ocmc", kOcmc, 0x10000, "l3f"}, ocmc.socket);
        bus.map({"ddr", kDdr, 0x100000, "l3f"}, ddr.socket);
        bus.map({"tpcc", kTpcc, 0x100000, "l3f"}, tpcc.socket);
        for (unsigned i = 0; i < kNumQueues; ++i) {
            bus.map({"tptc" + std::to_string(i), kTptc[i], 0x100000, "l3f"}, tc[i]->socket);
            tpcc.connect_tc(i, *tc[i]);
        }
        if (bp.with_prcm) {
            prcm = std::make_unique<vp::Prcm>("prcm");
            bus.map({"prcm", kPrcm, vp::prcm::kWindowSize, "l3f"}, prcm->socket);
            prcm->clock("cm_per.tpcc").connect(tpcc.clock_enable);
            prcm->clock("cm_per.tptc0").connect(tc[0]->clock_enable);
            prcm->clock("cm_per.tptc1").connect(tc[1]->clock_enable);
            prcm->clock("cm_per.tptc2").connect(tc[2]->clock_enable);
        }
        ccint.attach(tpcc.irq_completion);
        ccerr.attach(tpcc.irq_error);
        tcerr0.attach(tc[0]->irq_error);
        if (bp.before_start) bp.before_start(*this);
        sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                                sc_core::SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);  // end of elaboration
    }
    ~Bench() {
        BOOST_CHECK_MESSAGE(cpu.mon.violations().empty(), "TLM base-protocol violation (cpu)");
        for (auto& m : tc_mon)
            BOOST_CHECK_MESSAGE(m->violations().empty(), "TLM base-protocol violation (tptc)");
    }

    // Register helpers.
    uint32_t cc(uint32_t off) { return cpu.rd(kTpcc + off); }
    void cc(uint32_t off, uint32_t v) { cpu.wr(kTpcc + off, v); }
    static uint32_t sh(unsigned region, uint32_t off) {
        return kShadowBase + kShadowStride * region + off;
    }
    static uint32_t gl(uint32_t off) { return kGlobalChannelBase + off; }
    static uint32_t pa(unsigned set, unsigned word) {
        return kParamBase + kParamSetBytes * set + 4 * word;
    }
    uint32_t tcr(unsigned n, uint32_t off) { return cpu.rd(kTptc[n] + off); }
    void tcr(unsigned n, uint32_t off, uint32_t v) { cpu.wr(kTptc[n] + off, v); }

    // Memory back doors (test data, not bus traffic).
    uint8_t* ddr_at(uint32_t addr) { return ddr.host_ptr() + (addr - kDdr); }
    uint8_t* ocmc_at(uint32_t addr) { return ocmc.host_ptr() + (addr - kOcmc); }
    uint8_t* mem_at(uint32_t addr) { return addr >= kDdr ? ddr_at(addr) : ocmc_at(addr); }
    void pattern(uint32_t addr, unsigned len, uint8_t seed) {
        for (unsigned i = 0; i < len; ++i)
            mem_at(addr)[i] = static_cast<uint8_t>(seed + 7 * i);
    }
};

// A PaRAM set as Linux's struct edmacc_param lays it out (Table 11-6).
struct Param {
    uint32_t opt = 0, src = 0, a_b_cnt = 0, dst = 0, src_dst_bidx = 0, link_bcntrld = 0,
             src_dst_cidx = 0, ccnt = 0;
    uint32_t word(unsigned w) const {
        const uint32_t v[8] = {opt,          src,          a_b_cnt,      dst,
                               src_dst_bidx, link_bcntrld, src_dst_cidx, ccnt};
        return v[w];
    }
};

// Linux edma.c dummy_paramset: LINK = 0xFFFF, CCNT = 1 (a dummy set, §11.3.3.4).
Param dummy_paramset() {
    Param p;
    p.link_bcntrld = 0xFFFF;
    p.ccnt = 1;
    return p;
}

uint32_t counts(unsigned acnt, unsigned bcnt) {
    return (bcnt << 16) | acnt;
}
uint32_t pair16(int lo, int hi) {
    return (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16) | static_cast<uint16_t>(lo);
}
uint32_t tcc(unsigned n) {
    return n << kOptTccShift;  // EDMA_TCC(t) in edma.c
}

void write_set(Bench& b, unsigned set, const Param& p) {
    for (unsigned w = 0; w < kParamWords; ++w)
        b.cc(Bench::pa(set, w), p.word(w));
}

void check_set(Bench& b, unsigned set, const Param& p, const std::string& what) {
    for (unsigned w = 0; w < kParamWords; ++w)
        BOOST_TEST(b.cc(Bench::pa(set, w)) == p.word(w),
                   what << ": PaRAM set " << set << " word " << w);
}

// --- Linux drivers/dma/ti/edma.c, register by register -------------------------------------------
struct LinuxEdma {
    Bench& b;
    static constexpr unsigned kDummySlot = 0;  // the first slot edma_alloc_slot(ANY) finds

    // edma_write_slot(): memcpy_toio of the 32-byte set; on ARM, _memcpy_toio
    // (arch/arm/kernel/io.c) writes byte by byte.
    void write_slot(unsigned slot, const Param& p, bool bytewise) {
        for (unsigned w = 0; w < kParamWords; ++w) {
            if (!bytewise) {
                b.cc(Bench::pa(slot, w), p.word(w));
                continue;
            }
            for (unsigned i = 0; i < 4; ++i)
                b.cpu.wr(kTpcc + Bench::pa(slot, w) + i, (p.word(w) >> (8 * i)) & 0xFF, 1);
        }
    }
    void modify(uint32_t off, uint32_t and_mask, uint32_t or_bits) {  // edma_modify()
        b.cc(off, (b.cc(off) & and_mask) | or_bits);
    }
    // edma_assign_channel_eventq()
    void assign_channel_eventq(unsigned ch, unsigned q) {
        const unsigned shift = (ch & 7) * 4;
        modify(kDmaqnum + 4 * (ch >> 3), ~(0x7u << shift), q << shift);
    }
    // edma_probe(), the part that touches the registers (am33xx.dtsi: ti,tptcs =
    // <&edma_tptc0 7>, <&edma_tptc1 5>, <&edma_tptc2 0> → default_queue 0).
    void probe() {
        BOOST_TEST(b.cc(kCccfg) == 0x03224445u);  // edma_setup_from_hw
        for (unsigned slot = 0; slot < kNumParamSets; ++slot)
            write_slot(slot, dummy_paramset(), false);
        write_slot(kDummySlot, dummy_paramset(), false);  // ecc->dummy_slot = edma_alloc_slot
        const unsigned prio[kNumQueues] = {7, 5, 0};
        for (unsigned q = 0; q < kNumQueues; ++q)  // edma_assign_priority_to_queue
            modify(kQuepri, ~(0x7u << (4 * q)), prio[q] << (4 * q));
        for (unsigned r = 0; r < kNumRegions; ++r) {
            b.cc(kDrae + 8 * r, 0);
            b.cc(kDrae + 8 * r + 4, 0);
            b.cc(kQrae + 4 * r, 0);
        }
        for (unsigned ch = 0; ch < kNumDmaChannels; ++ch) {
            assign_channel_eventq(ch, 0);
            b.cc(kDchmap + 4 * ch, kDummySlot << 5);  // edma_set_chmap(dummy_slot)
        }
    }
    // edma_stop()
    void stop(unsigned ch) {
        const uint32_t hi = (ch >> 5) * 4;
        b.cc(Bench::sh(0, kEecr + hi), bit(ch));
        b.cc(Bench::sh(0, kEcr + hi), bit(ch));
        b.cc(Bench::sh(0, kSecr + hi), bit(ch));
        b.cc(kEmcr + hi, bit(ch));
        b.cc(Bench::sh(0, kIcr + hi), bit(ch));
    }
    // edma_alloc_chan_resources() → edma_alloc_channel(), edma_alloc_slot(), edma_set_chmap()
    void alloc_chan_resources(unsigned ch, unsigned slot) {
        const uint32_t hi = (ch >> 5) * 4;
        modify(kDrae + hi, 0xFFFFFFFF, bit(ch));  // edma_or_array2(DRAE, 0, idx, bit)
        stop(ch);
        b.cc(Bench::sh(0, kIcr + hi), bit(ch));  // edma_setup_interrupt(true)
        b.cc(Bench::sh(0, kIesr + hi), bit(ch));
        assign_channel_eventq(ch, 0);
        write_slot(slot, dummy_paramset(), false);
        b.cc(kDchmap + 4 * ch, slot << 5);
    }
    // edma_prep_dma_memcpy() for len < SZ_64K with DMA_PREP_INTERRUPT → edma_config_pset()
    // with burst 1: A-synchronized, ACNT = len, BCNT = 1, CCNT = 1.
    static Param prep_memcpy(unsigned ch, uint32_t dst, uint32_t src, unsigned len) {
        Param p;
        p.opt = tcc(ch) | kOptItcchen | kOptTcinten;
        p.src = src;
        p.dst = dst;
        p.src_dst_bidx = pair16(static_cast<int>(len), static_cast<int>(len));
        p.src_dst_cidx = pair16(static_cast<int>(len), static_cast<int>(len));
        p.a_b_cnt = counts(len, 1);
        p.ccnt = 1;
        p.link_bcntrld = 0xFFFFFFFF;
        return p;
    }
    // edma_link(from, to): LINK_BCNTRLD = (old & 0xffff0000) | PARM_OFFSET(to)
    void link(unsigned from, unsigned to) {
        modify(Bench::pa(from, kPLinkBcntrld), 0xFFFF0000, kParamBase + kParamSetBytes * to);
    }
    // edma_start() for a channel without a hardware event: SH_ESR
    void start(unsigned ch) { b.cc(Bench::sh(0, kEsr + (ch >> 5) * 4), bit(ch)); }
    // dma_irq_handler(): SH_IPR, SH_IER, SH_ICR per bit, edma_completion_handler() (edma_stop),
    // SH_IEVAL. Returns the channels it handled.
    std::vector<unsigned> irq_handler() {
        std::vector<unsigned> handled;
        uint32_t ipr = b.cc(Bench::sh(0, kIpr));
        unsigned bank = 0;
        uint32_t ier;
        if (!ipr) {
            ipr = b.cc(Bench::sh(0, kIprh));
            if (!ipr) return handled;
            ier = b.cc(Bench::sh(0, kIerh));
            bank = 1;
        } else {
            ier = b.cc(Bench::sh(0, kIer));
        }
        do {
            unsigned slot = 0;
            while (!(ipr & (1u << slot)))
                ++slot;
            ipr &= ~(1u << slot);
            if (ier & (1u << slot)) {
                const unsigned ch = (bank << 5) | slot;
                b.cc(Bench::sh(0, kIcr + 4 * bank), 1u << slot);
                stop(ch);  // edma_completion_handler: the last set is done
                handled.push_back(ch);
            }
        } while (ipr);
        b.cc(Bench::sh(0, kIeval), 1);
        return handled;
    }
    // edma_error_pending()
    bool error_pending() { return b.cc(kEmr) || b.cc(kEmrh) || b.cc(kQemr) || b.cc(kCcerr); }
    // dma_ccerr_handler() (edma_error_handler() only reads the slot here: no descriptor).
    std::vector<unsigned> ccerr_handler() {
        std::vector<unsigned> missed;
        if (!error_pending()) {
            b.cc(kEeval, 1);
            return missed;
        }
        unsigned cnt = 0;
        for (;;) {
            for (unsigned j = 0; j < 2; ++j) {
                const uint32_t emr = b.cc(kEmr + 4 * j);
                for (unsigned i = 0; i < 32; ++i) {
                    if (!(emr & (1u << i))) continue;
                    b.cc(kEmcr + 4 * j, 1u << i);
                    b.cc(Bench::sh(0, kSecr + 4 * j), 1u << i);
                    missed.push_back(32 * j + i);
                }
            }
            const uint32_t qemr = b.cc(kQemr);
            if (qemr) {
                b.cc(kQemcr, qemr);
                b.cc(Bench::sh(0, kQsecr), qemr);
            }
            const uint32_t ccerr = b.cc(kCcerr);
            if (ccerr) b.cc(kCcerrclr, ccerr);
            if (!error_pending()) break;
            if (++cnt > 10) break;
        }
        b.cc(kEeval, 1);
        return missed;
    }
};

struct Cmd {
    tlm::tlm_command cmd;
    uint32_t addr;
    unsigned len;
};

// Checks a TC's transactions: commands in order, each starting when the previous one ended
// (the TC waits each command's latency), the first at `start`. Returns the end time.
sc_time check_commands(const vp::TransactionMonitor& mon, size_t first,
                       const std::vector<Cmd>& expect, const sc_time& start) {
    const auto& r = mon.records();
    BOOST_REQUIRE_EQUAL(r.size() - first, expect.size());
    sc_time t = start;
    for (size_t i = 0; i < expect.size(); ++i) {
        const auto& rec = r[first + i];
        BOOST_TEST((rec.command == expect[i].cmd), "command " << i);
        BOOST_TEST(rec.address == expect[i].addr, "address of command " << i);
        BOOST_TEST(rec.length == expect[i].len, "length of command " << i);
        BOOST_TEST(rec.response == tlm::TLM_OK_RESPONSE, "response of command " << i);
        BOOST_TEST(rec.time == t, "start of command " << i);
        t = rec.time + rec.latency;
    }
    return t;
}

// The commands of one INCR side of a TR by the TRM rules: an array no longer than DBS is one
// command; a longer one is cut at DBS boundaries (§11.3.12.1.1).
void append_array(std::vector<Cmd>& v, tlm::tlm_command c, uint32_t addr, unsigned len,
                  unsigned dbs) {
    if (len <= dbs) {
        v.push_back({c, addr, len});
        return;
    }
    while (len) {
        const unsigned n = std::min(len, dbs - addr % dbs);
        v.push_back({c, addr, n});
        addr += n;
        len -= n;
    }
}

constexpr auto R = tlm::TLM_READ_COMMAND;
constexpr auto W = tlm::TLM_WRITE_COMMAND;

}  // namespace

// ===================================================================================================
// Reset values and access policies
// ===================================================================================================

// Every TPCC register: reset values of §11.4.1.1-125 (register headings) and the access type
// of each field (R, W, R/W).
BOOST_FIXTURE_TEST_CASE(tpcc_reset_values_and_policies, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    auto ro = [&](uint32_t off, uint32_t reset, const char* what) {
        BOOST_TEST(b->cc(off) == reset, what);
        b->cc(off, ~reset);
        BOOST_TEST(b->cc(off) == reset, what << " is read-only");
    };
    auto rw = [&](uint32_t off, uint32_t reset, uint32_t writable, const char* what) {
        BOOST_TEST(b->cc(off) == reset, what);
        b->cc(off, 0xFFFFFFFF);
        BOOST_TEST(b->cc(off) == (writable | (reset & ~writable)), what << " writable bits");
        b->cc(off, 0);
        BOOST_TEST(b->cc(off) == (reset & ~writable), what << " cleared");
        b->cc(off, reset);
    };
    auto wo = [&](uint32_t off, const char* what) {
        b->cc(off, 0);  // W fields: no effect for 0, read as 0
        BOOST_TEST(b->cc(off) == 0u, what << " reads 0");
    };
    ro(kPid, 0x40014C00, "PID (11.4.1.1: PID[31:16] 4001h, [15:0] 4C00h)");
    ro(kCccfg, 0x03224445, "CCCFG (11.4.1.2)");
    rw(kSysconfig, 0x8, 0xC, "SYSCONFIG (11.4.1.3: IDLEMODE R/W 2h, bits 1:0 reserved)");
    for (unsigned ch = 0; ch < kNumDmaChannels; ++ch)
        rw(kDchmap + 4 * ch, 0, 0x3FE0, "DCHMAP (11.4.1.4: PAENTRY [13:5])");
    for (unsigned q = 0; q < kNumQdmaChannels; ++q)
        rw(kQchmap + 4 * q, 0, 0x3FFC, "QCHMAP (11.4.1.5: PAENTRY [13:5], TRWORD [4:2])");
    for (unsigned n = 0; n < 8; ++n)
        rw(kDmaqnum + 4 * n, 0, 0x77777777, "DMAQNUM (11.4.1.6: E0-E7, 3 bits each)");
    rw(kQdmaqnum, 0, 0x77777777, "QDMAQNUM (11.4.1.7)");
    rw(kQuepri, 0x777, 0x777, "QUEPRI (11.4.1.8: PRIQ0-2 = 7)");
    ro(kEmr, 0, "EMR (11.4.1.9)");
    ro(kEmrh, 0, "EMRH (11.4.1.10)");
    wo(kEmcr, "EMCR (11.4.1.11)");
    wo(kEmcrh, "EMCRH (11.4.1.12)");
    ro(kQemr, 0, "QEMR (11.4.1.13)");
    wo(kQemcr, "QEMCR (11.4.1.14)");
    ro(kCcerr, 0, "CCERR (11.4.1.15)");
    wo(kCcerrclr, "CCERRCLR (11.4.1.16)");
    wo(kEeval, "EEVAL (11.4.1.17)");
    for (unsigned r = 0; r < 8; ++r) {
        rw(kDrae + 8 * r, 0, 0xFFFFFFFF, "DRAEn (11.4.1.18-32)");
        rw(kDrae + 8 * r + 4, 0, 0xFFFFFFFF, "DRAEHn (11.4.1.19-33)");
        rw(kQrae + 4 * r, 0, 0xFF, "QRAEn (11.4.1.34)");
    }
    for (unsigned q = 0; q < kNumQueues; ++q)
        for (unsigned e = 0; e < kQueueDepth; ++e)
            ro(kQueueEntry + 0x40 * q + 4 * e, 0, "QqEe (11.4.1.35-82)");
    for (unsigned q = 0; q < kNumQueues; ++q)
        ro(kQstat + 4 * q, 0xF, "QSTATn (11.4.1.83: STRTPTR = Fh)");
    rw(kQwmthra, 0x000A0A0A, 0x001F1F1F, "QWMTHRA (11.4.1.84: Q0-2 = Ah)");
    ro(kCcstat, 0, "CCSTAT (11.4.1.85)");
    ro(kMpfar, 0, "MPFAR (11.4.1.86)");
    ro(kMpfsr, 0, "MPFSR (11.4.1.87)");
    wo(kMpfcr, "MPFCR (11.4.1.88)");
    // 11.4.1.89-90: reset 676h; AIDm [15:10], EXT [9], SR..UX [5:0] R/W, [7:6] reserved R.
    rw(kMppag, 0x676, 0xFE3F, "MPPAG (11.4.1.89)");
    for (unsigned n = 0; n < 8; ++n)
        rw(kMppa + 4 * n, 0x676, 0xFE3F, "MPPA_n (11.4.1.90)");
    // 11.4.1.91-125: the channel registers, global and in each shadow region (all 0).
    struct {
        uint32_t off;
        bool writable_is_trigger;  // W or R/W with side effects: only checked for reset
        bool read_only;
        const char* name;
    } const chans[] = {
        {kEr, false, true, "ER"},       {kErh, false, true, "ERH"},
        {kEcr, true, false, "ECR"},     {kEcrh, true, false, "ECRH"},
        {kEsr, true, false, "ESR"},     {kEsrh, true, false, "ESRH"},
        {kCer, false, true, "CER"},     {kCerh, false, true, "CERH"},
        {kEer, false, true, "EER"},     {kEerh, false, true, "EERH"},
        {kEecr, true, false, "EECR"},   {kEecrh, true, false, "EECRH"},
        {kEesr, true, false, "EESR"},   {kEesrh, true, false, "EESRH"},
        {kSer, false, true, "SER"},     {kSerh, false, true, "SERH"},
        {kSecr, true, false, "SECR"},   {kSecrh, true, false, "SECRH"},
        {kIer, false, true, "IER"},     {kIerh, false, true, "IERH"},
        {kIecr, true, false, "IECR"},   {kIecrh, true, false, "IECRH"},
        {kIesr, true, false, "IESR"},   {kIesrh, true, false, "IESRH"},
        {kIpr, false, true, "IPR"},     {kIprh, false, true, "IPRH"},
        {kIcr, true, false, "ICR"},     {kIcrh, true, false, "ICRH"},
        {kIeval, true, false, "IEVAL"}, {kQer, false, true, "QER"},
        {kQeer, false, true, "QEER"},   {kQeecr, true, false, "QEECR"},
        {kQeesr, true, false, "QEESR"}, {kQser, false, true, "QSER"},
        {kQsecr, true, false, "QSECR"},
    };
    for (int region = -1; region < static_cast<int>(kNumRegions); ++region) {
        const uint32_t base = region < 0 ? kGlobalChannelBase : Bench::sh(region, 0);
        for (const auto& c : chans) {
            BOOST_TEST(b->cc(base + c.off) == 0u, c.name << " in region " << region);
            if (c.read_only) {
                // 11.4.1.91/97/99/105/109/115: "R" — e.g. IER "cannot be written directly".
                b->cc(base + c.off, 0xFFFFFFFF);
                BOOST_TEST(b->cc(base + c.off) == 0u, c.name << " is read-only");
            } else if (c.off != kEsr && c.off != kEsrh) {
                wo(base + c.off, c.name);  // W: reads return 0
            }
        }
    }
    // §11.3.3 / Table 11-5: 256 PaRAM sets of 8 words at 0x4000. PaRAM is RAM, its reset
    // content is not given by the TRM: the model clears it (docs/models/edma.md). R/W, with
    // OPT bits 31:24 (PRIV, PRIVID) read-only (Figure 11-8).
    for (unsigned set = 0; set < kNumParamSets; ++set)
        for (unsigned w = 0; w < kParamWords; ++w)
            BOOST_TEST(b->cc(Bench::pa(set, w)) == 0u);
    b->cc(Bench::pa(5, kPOpt), 0xFFFFFFFF);
    BOOST_TEST(b->cc(Bench::pa(5, kPOpt)) == 0x00FFFFFFu);
    b->cc(Bench::pa(5, kPSrc), 0xDEADBEEF);
    BOOST_TEST(b->cc(Bench::pa(5, kPSrc)) == 0xDEADBEEFu);
    // 8- and 16-bit PaRAM accesses (Table 11-6 has 16-bit fields; ARM memcpy_toio is bytewise).
    b->cpu.wr(kTpcc + Bench::pa(5, kPAbCnt) + 2, 0x1234, 2);
    b->cpu.wr(kTpcc + Bench::pa(5, kPAbCnt), 0x56, 1);
    BOOST_TEST(b->cc(Bench::pa(5, kPAbCnt)) == 0x12340056u);
    BOOST_TEST(b->cpu.rd(kTpcc + Bench::pa(5, kPAbCnt) + 2, 2) == 0x1234u);
    // Holes of Table 11-26 and the other registers' 32-bit access.
    BOOST_TEST(b->cpu.rd_status(kTpcc + 0x008) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b->cpu.rd_status(kTpcc + 0x288) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // Shadow regions 4-7 do not exist (CCCFG.NUM_REGN = 4 regions).
    BOOST_TEST(b->cpu.rd_status(kTpcc + Bench::sh(4, kEr)) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b->cpu.rd_status(kTpcc + kPid, 2) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    // Past the 64 KB the registers span (Linux maps 0x10000), inside the 1 MB window.
    BOOST_TEST(b->cpu.rd_status(kTpcc + 0x10000) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

// Every TPTC register: §11.4.2.1-46.
BOOST_FIXTURE_TEST_CASE(tptc_reset_values_and_policies, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    for (unsigned n = 0; n < kNumQueues; ++n) {
        auto ro = [&](uint32_t off, uint32_t reset, const std::string& what) {
            BOOST_TEST(b->tcr(n, off) == reset, what);
            b->tcr(n, off, ~reset);
            BOOST_TEST(b->tcr(n, off) == reset, what << " is read-only");
        };
        auto rw = [&](uint32_t off, uint32_t reset, uint32_t writable, const std::string& what) {
            BOOST_TEST(b->tcr(n, off) == reset, what);
            b->tcr(n, off, 0xFFFFFFFF);
            BOOST_TEST(b->tcr(n, off) == (writable | (reset & ~writable)), what);
            b->tcr(n, off, reset);
        };
        ro(kTcPid, 0x40007C00, "PID (11.4.2.1: 4000h / 7C00h)");
        ro(kTcCfg, 0x224, "TCCFG (11.4.2.2: DREGDEPTH 2h, BUSWIDTH 2h, FIFOSIZE 4h)");
        rw(kTcSysconfig, 0x28, 0x3C, "SYSCONFIG (11.4.2.3: STANDBYMODE/IDLEMODE 2h)");
        ro(kTcStat, 0x100, "TCSTAT (11.4.2.4: bit 8 reserved, reads 1)");
        ro(kErrStat, 0, "ERRSTAT (11.4.2.5)");
        rw(kErrEn, 0, 0xD, "ERREN (11.4.2.6: MMRAERR, TRERR, BUSERR)");
        b->tcr(n, kErrClr, 0);
        BOOST_TEST(b->tcr(n, kErrClr) == 0u, "ERRCLR (11.4.2.7) is write-only");
        ro(kErrDet, 0, "ERRDET (11.4.2.8)");
        b->tcr(n, kErrCmd, 0);
        BOOST_TEST(b->tcr(n, kErrCmd) == 0u, "ERRCMD (11.4.2.9) is write-only");
        rw(kRdRate, 0, 0x7, "RDRATE (11.4.2.10)");
        for (uint32_t off : {kSaOpt, kSaSrc, kSaCnt, kSaDst, kSaBidx, kSaMpprxy, kSaCntrld,
                             kSaSrcBref, kSaDstBref, kDfCntrld, kDfSrcBref, kDfDstBref})
            ro(off, 0, "source active / DF reload set (11.4.2.11-22)");
        for (unsigned s = 0; s < kDfSets; ++s)
            for (uint32_t off : {kDfOpt, kDfSrc, kDfCnt, kDfDst, kDfBidx, kDfMpprxy})
                ro(kDfBase + kDfStride * s + off, 0, "destination FIFO set (11.4.2.23-46)");
    }
}

// ERRSTAT.MMRAERR (§11.4.2.5): "User attempted to read or write to an invalid address in
// configuration memory map"; ERREN gates the error line (§11.4.2.6), ERRCLR clears
// (§11.4.2.7), ERRCMD.EVAL pulses the line while a bit is set (§11.4.2.9).
BOOST_FIXTURE_TEST_CASE(tptc_mmr_address_error_and_error_line, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    b->tcr(0, kErrEn, kErrMmraerr);
    sc_start(ns(100));
    const sc_time t1 = sc_time_stamp();
    BOOST_TEST(b->cpu.rd_status(kTptc[0] + 0x008) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b->tcr(0, kErrStat) == kErrMmraerr);
    BOOST_TEST(b->tc[0]->irq_error.read());
    sc_start(ns(100));
    const sc_time t2 = sc_time_stamp();
    b->tcr(0, kErrCmd, kEvalBit);  // pulse: low and high again at once
    sc_start(ns(100));
    const sc_time t3 = sc_time_stamp();
    b->tcr(0, kErrClr, kErrMmraerr);
    BOOST_TEST(b->tcr(0, kErrStat) == 0u);
    BOOST_TEST(!b->tc[0]->irq_error.read());
    const std::vector<std::pair<sc_time, bool>> expect = {
        {t1, true}, {t2, false}, {t2, true}, {t3, false}};
    BOOST_TEST((b->tcerr0.log == expect));
    // An address past the registers, inside the TC's 1 MB window, is the same error.
    BOOST_TEST(b->cpu.wr_status(kTptc[0] + 0x1000, 0) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b->tcr(0, kErrStat) == kErrMmraerr);
}

// Clock-gated access → TLM_GENERIC_ERROR_RESPONSE (SPRUH73 §8.1.12: an OCP access to a
// disabled module returns an error), and a gated TC does not start a transfer.
BOOST_FIXTURE_TEST_CASE(clock_gated_access_gives_error, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    b->tpcc.clock_enable.write(false);
    b->tc[1]->clock_enable.write(false);
    BOOST_TEST(b->cpu.rd_status(kTpcc + kPid) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_TEST(b->cpu.wr_status(kTpcc + Bench::pa(0, 0), 1) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_TEST(b->cpu.rd_status(kTptc[1] + kTcPid) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_TEST(b->tcr(0, kTcPid) == 0x40007C00u);  // TPTC0 is clocked
    b->tpcc.clock_enable.write(true);
    BOOST_TEST(b->cc(kPid) == 0x40014C00u);
    BOOST_TEST(b->cc(Bench::pa(0, 0)) == 0u);  // the gated write changed nothing

    // A transfer on queue 1 waits while TPTC1 is gated.
    b->cc(Bench::pa(3, kPOpt), kOptSyncdim | tcc(3) | kOptTcinten);
    b->cc(Bench::pa(3, kPSrc), kOcmc);
    b->cc(Bench::pa(3, kPAbCnt), counts(16, 1));
    b->cc(Bench::pa(3, kPDst), kOcmc + 0x100);
    b->cc(Bench::pa(3, kPLinkBcntrld), kLinkNull);
    b->cc(Bench::pa(3, kPCcnt), 1);
    b->cc(kDchmap + 4 * 3, 3 << 5);
    b->cc(kDmaqnum, 1u << 12);  // E3 = queue 1
    b->cc(Bench::gl(kEsr), bit(3));
    sc_start(ns(500));
    BOOST_TEST(b->tc_mon[1]->records().empty());
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == 0u);
    const sc_time on = sc_time_stamp();
    b->tc[1]->clock_enable.write(true);
    sc_start(ns(500));
    const sc_time end =
        check_commands(*b->tc_mon[1], 0, {{R, kOcmc, 16}, {W, kOcmc + 0x100, 16}}, on);
    BOOST_TEST(end == on + ns(kOcmcReadNs + kOcmcWriteNs));
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(3));
}

// The TPCC and TPTC have no SYSCONFIG.SOFTRESET (§11.4.1.3, §11.4.2.3: bits 1:0 reserved) and
// no SYSSTATUS: writing those bits does nothing. The module reset (PRCM, reset()) restores
// every reset value.
BOOST_FIXTURE_TEST_CASE(no_softreset_and_module_reset_restores_reset_values, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    b->cc(kDchmap + 4 * 9, 9 << 5);
    b->cc(kSysconfig, 0x3);                           // "SOFTRESET" bit 1 and bit 0: reserved
    BOOST_TEST(b->cc(kSysconfig) == 0x0u);            // IDLEMODE written 0, bits 1:0 read 0
    BOOST_TEST(b->cc(kDchmap + 4 * 9) == (9u << 5));  // nothing was reset
    BOOST_TEST(b->cpu.rd_status(kTpcc + 0x014) == tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no SYSSTATUS
    b->tcr(0, kTcSysconfig, 0x3);
    BOOST_TEST(b->tcr(0, kTcSysconfig) == 0x0u);
    BOOST_TEST(b->cpu.rd_status(kTptc[0] + 0x014) == tlm::TLM_ADDRESS_ERROR_RESPONSE);

    // Change a register of each kind, raise IPR and an error, then reset.
    b->cc(kQuepri, 0x057);
    b->cc(kDrae, 0xFFFFFFFF);
    b->cc(kQwmthra, 0x10);
    b->cc(Bench::pa(7, kPSrc), 0x1234);
    b->cc(Bench::gl(kIesr), bit(2));
    b->cc(Bench::gl(kEesr), 0xF0);
    b->cc(Bench::pa(2, kPOpt), tcc(2) | kOptTcinten);  // dummy set (CCNT 0): completes at once
    b->cc(Bench::pa(2, kPAbCnt), counts(4, 1));
    b->cc(kDchmap + 4 * 2, 2 << 5);
    b->cc(Bench::gl(kEsr), bit(2));
    b->cc(Bench::gl(kEsr), bit(9));  // set 9 is NULL: EMR
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(2));
    BOOST_TEST(b->cc(kEmr) == bit(9));
    BOOST_TEST(b->tpcc.irq_completion.read());
    BOOST_TEST(b->tpcc.irq_error.read());
    b->tcr(1, kRdRate, 3);
    b->tcr(1, kErrEn, kErrBuserr);

    b->tpcc.reset();
    b->tc[1]->reset();
    BOOST_TEST(b->cc(kSysconfig) == 0x8u);
    BOOST_TEST(b->cc(kQuepri) == 0x777u);
    BOOST_TEST(b->cc(kDrae) == 0u);
    BOOST_TEST(b->cc(kQwmthra) == 0x000A0A0Au);
    BOOST_TEST(b->cc(kDchmap + 4 * 9) == 0u);
    BOOST_TEST(b->cc(Bench::pa(7, kPSrc)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kIer)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kEer)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kSer)) == 0u);
    BOOST_TEST(b->cc(kEmr) == 0u);
    BOOST_TEST(b->cc(kQstat) == 0xFu);
    BOOST_TEST(!b->tpcc.irq_completion.read());
    BOOST_TEST(!b->tpcc.irq_error.read());
    BOOST_TEST(b->tcr(1, kRdRate) == 0u);
    BOOST_TEST(b->tcr(1, kErrEn) == 0u);
    BOOST_TEST(b->tcr(1, kTcSysconfig) == 0x28u);
}

// ===================================================================================================
// Linux edma.c: dma_async memcpy with the completion interrupt
// ===================================================================================================

// edma_probe → edma_alloc_chan_resources(20) → edma_prep_dma_memcpy(100 bytes,
// DMA_PREP_INTERRUPT) → edma_issue_pending (edma_execute: PaRAM 1, link to the dummy slot 0,
// edma_start: SH_ESR) → completion on INTC 12 → dma_irq_handler (SH_IPR, SH_IER, SH_ICR,
// edma_stop, SH_IEVAL). Memcpy channel 20: am33xx.dtsi ti,edma-memcpy-channels = <20 21>.
BOOST_FIXTURE_TEST_CASE(linux_memcpy_with_completion_irq, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    LinuxEdma drv{*b};
    constexpr unsigned kCh = 20;
    constexpr unsigned kSlot = 1;  // edma_alloc_slot(ANY): the first free slot after the dummy
    constexpr uint32_t kSrc = kDdr + 0x1004;  // not DBS-aligned: the first read is short
    constexpr uint32_t kDst = kOcmc + 0x10;
    constexpr unsigned kLen = 100;
    drv.probe();
    drv.alloc_chan_resources(kCh, kSlot);
    BOOST_TEST(b->cc(kQuepri) == 0x057u);  // Q0 priority 7, Q1 5, Q2 0
    BOOST_TEST(b->cc(kDrae) == bit(kCh));
    BOOST_TEST(b->cc(Bench::sh(0, kIer)) == bit(kCh));
    BOOST_TEST(b->cc(kDchmap + 4 * kCh) == (kSlot << 5));

    b->pattern(kSrc, kLen, 0x11);
    std::memset(b->ocmc_at(kOcmc), 0xEE, 0x100);  // guard bytes around the destination
    sc_start(us(1));

    const Param p = LinuxEdma::prep_memcpy(kCh, kDst, kSrc, kLen);
    BOOST_TEST(p.opt == 0x00914000u);  // EDMA_TCC(20) | ITCCHEN | TCINTEN
    drv.write_slot(kSlot, p, true);    // edma_execute → edma_write_slot (byte writes)
    drv.link(kSlot, LinuxEdma::kDummySlot);
    BOOST_TEST(b->cc(Bench::pa(kSlot, kPLinkBcntrld)) == 0xFFFF4000u);
    const sc_time t0 = sc_time_stamp();
    drv.start(kCh);
    BOOST_TEST(b->ccint.log.empty());
    // §11.4.1.95: the ESR bit clears once the TR is submitted — here at once (TC0 idle).
    BOOST_TEST(b->cc(Bench::sh(0, kEsr)) == 0u);
    sc_start(us(2));

    // §11.3.12.1.1: ACNT 100 > DBS 16: reads cut at 16-byte boundaries from 0x...1004 (12,
    // 16 x 5, 8); writes from the aligned 0x...0010 (16 x 6, 4). 100 bytes fit the 512-byte
    // FIFO, so all reads come before the writes.
    std::vector<Cmd> expect;
    append_array(expect, R, kSrc, kLen, 16);
    append_array(expect, W, kDst, kLen, 16);
    BOOST_TEST(expect.size() == 14u);
    BOOST_TEST(expect.front().len == 12u);
    const sc_time end = check_commands(*b->tc_mon[0], 0, expect, t0);
    // The completion time is the sum of the command latencies: 7 DDR reads, 7 OCMC writes.
    BOOST_TEST(end == t0 + ns(7 * kDdrReadNs + 7 * kOcmcWriteNs));
    // The TC reported the final TR: IPR[TCC = 20] (Table 11-16), INTC 12 rises then.
    BOOST_TEST(b->cc(Bench::sh(0, kIpr)) == bit(kCh));
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(kCh));
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 1u);
    BOOST_TEST(b->ccint.log[0].first == end);
    BOOST_TEST(b->ccint.log[0].second);
    // The bytes arrived; the guard bytes are untouched.
    BOOST_TEST(std::memcmp(b->ocmc_at(kDst), b->ddr_at(kSrc), kLen) == 0);
    BOOST_TEST(b->ocmc_at(kDst)[-1] == 0xEE);
    BOOST_TEST(b->ocmc_at(kDst)[kLen] == 0xEE);
    // Table 11-9: the final TR links: set 1 now holds the dummy set (Linux edma_residue: "If
    // the position is 0, then EDMA loaded the closing dummy slot").
    check_set(*b, kSlot, dummy_paramset(), "after the link update");
    BOOST_TEST(b->cc(Bench::sh(0, kSer)) == 0u);
    BOOST_TEST(b->cc(kEmr) == 0u);
    BOOST_TEST(b->cc(kCcstat) == 0u);  // idle
    BOOST_TEST(!b->tpcc.irq_error.read());

    // dma_irq_handler.
    const sc_time t_isr = sc_time_stamp();
    const auto handled = drv.irq_handler();
    BOOST_TEST((handled == std::vector<unsigned>{kCh}));
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == 0u);
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 2u);  // ICR lowered it; IEVAL had nothing to pulse
    BOOST_TEST(b->ccint.log[1].first == t_isr);
    BOOST_TEST(!b->ccint.log[1].second);
    BOOST_TEST(b->cc(Bench::gl(kEer)) == 0u);
    BOOST_TEST(vp::stats::Registry::global().find("tpcc.trs")->value() == 1.0);
    BOOST_TEST(vp::stats::Registry::global().find("tptc0.dma_bytes")->value() == kLen);

    // A second trigger now finds the dummy set (Table 11-8): no TR, no EMR, no completion.
    drv.start(kCh);
    sc_start(us(1));
    BOOST_TEST(b->tc_mon[0]->records().size() == expect.size());
    BOOST_TEST(b->cc(kEmr) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kSer)) == 0u);
    BOOST_TEST(b->ccerr.log.empty());
}

// edma_prep_dma_memcpy for len >= SZ_64K uses two slots: slot 0 A-synchronized with
// ITCCHEN | TCCHEN and TCC = its own channel (every array chains the next one, the last one
// chains into the linked slot 1), slot 1 with TCINTEN. Scaled down here (ACNT 32 instead of
// 32767) so that the test stays short; the PaRAM structure is Linux's.
BOOST_FIXTURE_TEST_CASE(linux_two_slot_memcpy_self_chaining, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    LinuxEdma drv{*b};
    constexpr unsigned kCh = 21;
    drv.probe();
    drv.alloc_chan_resources(kCh, 1);
    constexpr unsigned kSlot1 = 2;  // echan->slot[1] = edma_alloc_slot(ANY)
    drv.write_slot(kSlot1, dummy_paramset(), false);
    constexpr uint32_t kSrc = kOcmc;
    constexpr uint32_t kDst = kDdr + 0x2000;
    constexpr unsigned kAcnt = 32;
    constexpr unsigned kArrays = 3;
    constexpr unsigned kRest = 16;
    b->pattern(kSrc, kAcnt * kArrays + kRest, 0x42);
    Param p0;  // edma_config_pset(burst 1) for pset_len = 3 x 32: BCNT 3, CCNT 1, CIDX = ACNT
    p0.opt = tcc(kCh) | kOptItcchen | kOptTcchen;
    p0.src = kSrc;
    p0.dst = kDst;
    p0.a_b_cnt = counts(kAcnt, kArrays);
    p0.src_dst_bidx = pair16(kAcnt, kAcnt);
    p0.src_dst_cidx = pair16(kAcnt, kAcnt);
    p0.link_bcntrld = 0xFFFFFFFF;
    p0.ccnt = 1;
    Param p1;  // the rest
    p1.opt = tcc(kCh) | kOptItcchen | kOptTcinten;
    p1.src = kSrc + kAcnt * kArrays;
    p1.dst = kDst + kAcnt * kArrays;
    p1.a_b_cnt = counts(kRest, 1);
    p1.src_dst_bidx = pair16(kRest, kRest);
    p1.src_dst_cidx = pair16(kRest, kRest);
    p1.link_bcntrld = 0xFFFFFFFF;
    p1.ccnt = 1;
    // edma_execute: both slots, slot 1 → slot 2 → dummy slot.
    drv.write_slot(1, p0, true);
    drv.write_slot(kSlot1, p1, true);
    drv.link(1, kSlot1);
    drv.link(kSlot1, LinuxEdma::kDummySlot);
    const sc_time t0 = sc_time_stamp();
    drv.start(kCh);
    sc_start(us(2));
    // Four TRs, one after the other: three arrays of 32 bytes (two 16-byte commands each,
    // aligned), then the 16-byte rest from the linked set.
    std::vector<Cmd> expect;
    for (unsigned a = 0; a < kArrays; ++a) {
        append_array(expect, R, kSrc + kAcnt * a, kAcnt, 16);
        append_array(expect, W, kDst + kAcnt * a, kAcnt, 16);
    }
    append_array(expect, R, kSrc + kAcnt * kArrays, kRest, 16);
    append_array(expect, W, kDst + kAcnt * kArrays, kRest, 16);
    const sc_time end = check_commands(*b->tc_mon[0], 0, expect, t0);
    BOOST_TEST(end == t0 + ns(7 * kOcmcReadNs + 7 * kDdrWriteNs));
    BOOST_TEST(std::memcmp(b->ddr_at(kDst), b->ocmc_at(kSrc), kAcnt * kArrays + kRest) == 0);
    // Table 11-13: ITCCHEN gives BCNT x CCNT - 1 = 2 chained events, TCCHEN 1, and slot 1's
    // ITCCHEN none (a single TR); one interrupt (TCINTEN of the last set).
    BOOST_TEST(vp::stats::Registry::global().find("tpcc.chained")->value() == 3.0);
    BOOST_TEST(vp::stats::Registry::global().find("tpcc.trs")->value() == 4.0);
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 1u);
    BOOST_TEST(b->ccint.log[0].first == end);
    BOOST_TEST(b->cc(Bench::gl(kCer)) == 0u);
    BOOST_TEST(b->cc(kEmr) == 0u);
    check_set(*b, 1, dummy_paramset(), "after the second link");
}

// ===================================================================================================
// Synchronization types, parameter updates and linking (§11.3.2, Table 11-9)
// ===================================================================================================

// AB-synchronized: each event moves one frame of BCNT arrays (§11.3.2.2); CCNT events
// exhaust the set; SRC/DST += CIDX from the first array of the frame (Table 11-9 C-update);
// TCINTEN + ITCINTEN give CCNT interrupts (Table 11-17).
BOOST_FIXTURE_TEST_CASE(ab_sync_frames_with_intermediate_interrupts, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    constexpr unsigned kCh = 5;
    constexpr uint32_t kSrc = kDdr + 0x400;
    constexpr uint32_t kDst = kOcmc + 0x800;
    b->pattern(kSrc, 0x200, 0x30);
    Param p;
    p.opt = kOptSyncdim | tcc(kCh) | kOptTcinten | kOptItcinten;
    p.src = kSrc;
    p.dst = kDst;
    p.a_b_cnt = counts(16, 4);        // a frame: 4 arrays of 16 bytes
    p.src_dst_bidx = pair16(32, 16);  // gather: source arrays 32 apart, destination packed
    p.src_dst_cidx = pair16(0x100, 0x40);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 2;
    write_set(*b, kCh, p);
    b->cc(kDchmap + 4 * kCh, kCh << 5);
    b->cc(kDrae, bit(kCh));
    b->cc(Bench::sh(0, kIesr), bit(kCh));

    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::sh(0, kEsr), bit(kCh));
    sc_start(us(1));
    // Frame 1. Read side: SRCBIDX 32 != ACNT 16 → 4 arrays, one 16-byte command each. Write
    // side: DSTBIDX == ACNT 16, a power of 2 <= DBS → optimised into 64 bytes → 4 commands
    // (Table 11-22).
    std::vector<Cmd> f1;
    for (unsigned a = 0; a < 4; ++a)
        f1.push_back({R, kSrc + 32 * a, 16});
    append_array(f1, W, kDst, 64, 16);
    const sc_time end1 = check_commands(*b->tc_mon[0], 0, f1, t0);
    BOOST_TEST(end1 == t0 + ns(4 * kDdrReadNs + 4 * kOcmcWriteNs));
    // Intermediate completion (ITCINTEN): IPR, interrupt.
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(kCh));
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 1u);
    BOOST_TEST(b->ccint.log[0].first == end1);
    // Table 11-9, AB-sync C-update: SRC/DST += CIDX, CCNT - 1; ACNT, BCNT unchanged.
    BOOST_TEST(b->cc(Bench::pa(kCh, kPSrc)) == kSrc + 0x100);
    BOOST_TEST(b->cc(Bench::pa(kCh, kPDst)) == kDst + 0x40);
    BOOST_TEST(b->cc(Bench::pa(kCh, kPAbCnt)) == counts(16, 4));
    BOOST_TEST(b->cc(Bench::pa(kCh, kPCcnt)) == 1u);
    for (unsigned a = 0; a < 4; ++a)
        BOOST_TEST(std::memcmp(b->ocmc_at(kDst + 16 * a), b->ddr_at(kSrc + 32 * a), 16) == 0);

    b->cc(Bench::sh(0, kIcr), bit(kCh));
    const sc_time t1 = sc_time_stamp();
    b->cc(Bench::sh(0, kEsr), bit(kCh));
    sc_start(us(1));
    std::vector<Cmd> f2;
    for (unsigned a = 0; a < 4; ++a)
        f2.push_back({R, kSrc + 0x100 + 32 * a, 16});
    append_array(f2, W, kDst + 0x40, 64, 16);
    const sc_time end2 = check_commands(*b->tc_mon[0], f1.size(), f2, t1);
    // Final TR (CCNT was 1): TCINTEN, and the NULL link nulls the set (§11.3.3.2.12).
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 3u);  // rise, fall (ICR), rise
    BOOST_TEST(b->ccint.log[2].first == end2);
    Param null_set;
    null_set.link_bcntrld = kLinkNull;
    check_set(*b, kCh, null_set, "exhausted, NULL link");
    BOOST_TEST(vp::stats::Registry::global().find("tpcc.completions")->value() == 2.0);
}

// A-synchronized: each event moves one array; B-update while BCNT > 1, C-update (BCNT reloads
// from BCNTRLD, SRC/DST += CIDX from the last array) when BCNT == 1 and CCNT > 1, link update
// on the final TR (Table 11-9); BCNT x CCNT events exhaust the set (Table 11-10); TCINTEN alone
// gives one interrupt (Table 11-17).
BOOST_FIXTURE_TEST_CASE(a_sync_b_and_c_updates, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    constexpr unsigned kCh = 12;
    constexpr unsigned kSet = 70;  // DCHMAP may point anywhere (§11.4.1.4)
    constexpr uint32_t kSrc = kOcmc + 0x1000;
    constexpr uint32_t kDst = kOcmc + 0x2000;
    b->pattern(kSrc, 0x100, 0x55);
    Param p;
    p.opt = tcc(kCh) | kOptTcinten;
    p.src = kSrc;
    p.dst = kDst;
    p.a_b_cnt = counts(8, 3);
    p.src_dst_bidx = pair16(8, 16);
    p.link_bcntrld = (3u << 16) | kLinkNull;  // BCNTRLD 3
    p.src_dst_cidx = pair16(8, 16);
    p.ccnt = 2;
    write_set(*b, kSet, p);
    b->cc(kDchmap + 4 * kCh, kSet << 5);
    b->cc(Bench::gl(kIesr), bit(kCh));
    b->cc(kDrae, bit(kCh));
    struct After {
        uint32_t src, dst, abcnt, ccnt;
    };
    const After after[5] = {
        {kSrc + 8, kDst + 16, counts(8, 2), 2},   // B-update
        {kSrc + 16, kDst + 32, counts(8, 1), 2},  // B-update
        {kSrc + 24, kDst + 48, counts(8, 3), 1},  // C-update: += CIDX, BCNT = BCNTRLD
        {kSrc + 32, kDst + 64, counts(8, 2), 1}, {kSrc + 40, kDst + 80, counts(8, 1), 1},
    };
    for (unsigned ev = 0; ev < 6; ++ev) {
        const size_t first = b->tc_mon[0]->records().size();
        const sc_time t = sc_time_stamp();
        b->cc(Bench::gl(kEsr), bit(kCh));
        sc_start(us(1));
        check_commands(*b->tc_mon[0], first, {{R, kSrc + 8 * ev, 8}, {W, kDst + 16 * ev, 8}}, t);
        if (ev < 5) {
            BOOST_TEST(b->cc(Bench::pa(kSet, kPSrc)) == after[ev].src, "event " << ev);
            BOOST_TEST(b->cc(Bench::pa(kSet, kPDst)) == after[ev].dst, "event " << ev);
            BOOST_TEST(b->cc(Bench::pa(kSet, kPAbCnt)) == after[ev].abcnt, "event " << ev);
            BOOST_TEST(b->cc(Bench::pa(kSet, kPCcnt)) == after[ev].ccnt, "event " << ev);
            BOOST_TEST(b->ccint.log.empty(), "no interrupt before the final TR");
        }
    }
    BOOST_TEST(b->ccint.rises() == 1u);
    Param null_set;
    null_set.link_bcntrld = kLinkNull;
    check_set(*b, kSet, null_set, "exhausted");
    for (unsigned a = 0; a < 6; ++a)
        BOOST_TEST(std::memcmp(b->ocmc_at(kDst + 16 * a), b->ocmc_at(kSrc + 8 * a), 8) == 0);
}

// Linking (§11.3.3.7): at exhaustion the set is reloaded from LINK (any set, the upper two
// bits of LINK ignored), here a ping-pong of two sets linking to each other.
BOOST_FIXTURE_TEST_CASE(link_reloads_the_set, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    constexpr unsigned kCh = 8;
    Param ping;
    ping.opt = kOptSyncdim | tcc(kCh) | kOptTcinten;
    ping.src = kOcmc;
    ping.dst = kOcmc + 0x400;
    ping.a_b_cnt = counts(16, 1);
    ping.link_bcntrld = kParamBase + kParamSetBytes * 101;  // absolute form 0x4000 + 32 n
    ping.ccnt = 1;
    Param pong = ping;
    pong.src = kOcmc + 0x100;
    pong.dst = kOcmc + 0x500;
    pong.link_bcntrld = kParamSetBytes * 100;  // relative form
    write_set(*b, 100, ping);
    write_set(*b, 101, pong);
    write_set(*b, kCh, ping);
    b->cc(kDchmap + 4 * kCh, kCh << 5);
    for (unsigned ev = 0; ev < 3; ++ev) {
        const size_t first = b->tc_mon[0]->records().size();
        const sc_time t = sc_time_stamp();
        b->cc(Bench::gl(kEsr), bit(kCh));
        sc_start(us(1));
        const Param& used = ev % 2 ? pong : ping;
        check_commands(*b->tc_mon[0], first, {{R, used.src, 16}, {W, used.dst, 16}}, t);
        check_set(*b, kCh, ev % 2 ? ping : pong, "after the link update");
    }
}

// ===================================================================================================
// Chaining (§11.3.8)
// ===================================================================================================

// Channel 10's final TR chains (TCCHEN, TCC = 11) to channel 11: CER[11] is set and triggers
// it (§11.3.4.1.3); channel 11's TCINTEN interrupts. The interrupt comes at the sum of both
// transfers' latencies.
BOOST_FIXTURE_TEST_CASE(chaining_two_channels, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    Param a;
    a.opt = kOptSyncdim | tcc(11) | kOptTcchen;
    a.src = kDdr;
    a.dst = kOcmc;
    a.a_b_cnt = counts(32, 1);
    a.link_bcntrld = kLinkNull;
    a.ccnt = 1;
    Param c = a;
    c.opt = kOptSyncdim | tcc(11) | kOptTcinten;
    c.src = kOcmc;
    c.dst = kDdr + 0x100;
    write_set(*b, 10, a);
    write_set(*b, 11, c);
    b->cc(kDchmap + 4 * 10, 10 << 5);
    b->cc(kDchmap + 4 * 11, 11 << 5);
    b->cc(kDrae, bit(10) | bit(11));
    b->cc(Bench::sh(0, kIesr), bit(11));
    b->pattern(kDdr, 32, 0x77);
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::sh(0, kEsr), bit(10));
    sc_start(us(1));
    std::vector<Cmd> expect;
    append_array(expect, R, kDdr, 32, 16);
    append_array(expect, W, kOcmc, 32, 16);
    append_array(expect, R, kOcmc, 32, 16);
    append_array(expect, W, kDdr + 0x100, 32, 16);
    const sc_time end = check_commands(*b->tc_mon[0], 0, expect, t0);
    BOOST_TEST(end ==
               t0 + ns(2 * kDdrReadNs + 2 * kOcmcWriteNs + 2 * kOcmcReadNs + 2 * kDdrWriteNs));
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 1u);
    BOOST_TEST(b->ccint.log[0].first == end);
    BOOST_TEST(b->cc(Bench::sh(0, kIpr)) == bit(11));  // only the interrupt TCC
    BOOST_TEST(b->cc(Bench::gl(kCer)) == 0u);          // cleared when serviced
    BOOST_TEST(std::memcmp(b->ddr_at(kDdr + 0x100), b->ddr_at(kDdr), 32) == 0);
}

// Early completion (TCCMODE = 1, Table 11-7): the completion code is returned when the TR is
// submitted, while the TC still moves the data; CCSTAT.COMPACTV does not count it.
BOOST_FIXTURE_TEST_CASE(early_completion, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    Param p;
    p.opt = kOptSyncdim | tcc(4) | kOptTcinten | kOptTccmode;
    p.src = kDdr;
    p.dst = kOcmc;
    p.a_b_cnt = counts(64, 1);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, 4, p);
    b->cc(kDchmap + 4 * 4, 4 << 5);
    b->cc(kDrae, bit(4));
    b->cc(Bench::gl(kIesr), bit(4));
    sc_start(ns(50));
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), bit(4));
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 1u);
    BOOST_TEST(b->ccint.log[0].first == t0);
    BOOST_TEST((b->cc(kCcstat) & (0x3Fu << 8)) == 0u);  // COMPACTV 0
    BOOST_TEST((b->cc(kCcstat) & (1u << 4)) != 0u);     // ACTV: the TC is busy
    sc_start(us(1));
    BOOST_TEST(b->tc_mon[0]->records().size() == 8u);  // the data still moved
}

// ===================================================================================================
// Events, queues and errors
// ===================================================================================================

// A manual trigger on a channel still queued is a missed event (§11.4.1.95); so is a second
// hardware event while ER is set and enabled (§11.3.4.1.1). The error interrupt rises with the
// first error bit (§11.3.9.4). Queue state: QSTAT.NUMVAL, the head entry QqEe (ETYPE 1 =
// manual, ENUM = channel, §11.4.1.35), CCSTAT.QUEACTV0.
BOOST_FIXTURE_TEST_CASE(missed_events_and_queues, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    for (unsigned ch = 0; ch < 6; ++ch) {
        Param p;
        p.opt = kOptSyncdim | tcc(ch);
        p.src = kOcmc + 0x100 * ch;
        p.dst = kDdr + 0x100 * ch;
        p.a_b_cnt = counts(128, 1);
        p.link_bcntrld = kLinkNull;
        p.ccnt = 1;
        write_set(*b, ch, p);
        b->cc(kDchmap + 4 * ch, ch << 5);
    }
    // Channels 0-4 at once: TPTC0 holds 4 TRs (TCCFG.DREGDEPTH = 4 entries); channel 4 waits.
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), 0x1F);
    BOOST_TEST(b->tc[0]->outstanding() == 4u);
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == 0x10u);  // cleared only once submitted
    BOOST_TEST(b->cc(Bench::gl(kSer)) == 0x10u);  // in the queue
    const uint32_t qstat = b->cc(kQstat);
    BOOST_TEST(((qstat >> 8) & 0x1F) == 1u);                        // NUMVAL
    const unsigned head = qstat & 0xF;                              // STRTPTR
    BOOST_TEST(b->cc(kQueueEntry + 4 * head) == (4u | (1u << 6)));  // ENUM 4, ETYPE manual
    const uint32_t ccstat = b->cc(kCcstat);
    BOOST_TEST((ccstat & 1u) != 0u);          // EVTACTV (ESR pending)
    BOOST_TEST((ccstat & (1u << 16)) != 0u);  // QUEACTV0
    BOOST_TEST((ccstat & (1u << 4)) != 0u);   // ACTV
    // ECR does not clear ESR (§11.4.1.95).
    b->cc(Bench::gl(kEcr), 0x10);
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == 0x10u);
    // Second manual trigger on channel 4: missed.
    b->cc(Bench::gl(kEsr), 0x10);
    BOOST_TEST(b->cc(kEmr) == 0x10u);
    BOOST_REQUIRE_EQUAL(b->ccerr.log.size(), 1u);
    BOOST_TEST(b->ccerr.log[0].first == t0);
    BOOST_TEST(b->ccerr.log[0].second);
    // Hardware event 5, enabled: the first is latched and queued, the second is missed.
    b->cc(Bench::gl(kEesr), bit(5));
    b->tpcc.dma_event(5).write(true);
    b->tpcc.dma_event(5).write(false);
    BOOST_TEST(b->cc(Bench::gl(kEr)) == bit(5));
    BOOST_TEST(b->cc(Bench::gl(kSer)) == (0x10u | bit(5)));
    b->tpcc.dma_event(5).write(true);
    BOOST_TEST(b->cc(kEmr) == (0x10u | bit(5)));
    BOOST_TEST(b->ccerr.log.size() == 1u);  // no new edge while the line is up
    sc_start(us(5));
    // Six TRs ran on TPTC0, channel 4 once (the missed event is lost), then channel 5.
    BOOST_TEST(vp::stats::Registry::global().find("tptc0.trs")->value() == 6.0);
    const auto& r = b->tc_mon[0]->records();
    BOOST_TEST(r[r.size() - 16].address == kOcmc + 0x500);  // the last TR is channel 5's
    BOOST_TEST(b->cc(Bench::gl(kEr)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kSer)) == 0u);
    BOOST_TEST(((b->cc(kQstat) >> 8) & 0x1F) == 0u);
    // EMR stays until EMCR; the line until EEVAL (§11.3.9.4).
    b->cc(kEmcr, 0x30);
    BOOST_TEST(b->tpcc.irq_error.read());
    b->cc(kEeval, 1);
    BOOST_TEST(!b->tpcc.irq_error.read());
}

// A trigger on a NULL set (ACNT = BCNT = CCNT = 0, §11.3.3.3, Table 11-8): no TR, EMR set,
// SER stays set (later events wait), the error interrupt rises (INTC 14). Linux
// dma_ccerr_handler clears EMR, SER and writes EEVAL.
BOOST_FIXTURE_TEST_CASE(null_set_trigger_error_interrupt, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    LinuxEdma drv{*b};
    constexpr unsigned kCh = 30;
    Param null_set;
    null_set.link_bcntrld = kLinkNull;
    write_set(*b, 40, null_set);
    b->cc(kDchmap + 4 * kCh, 40 << 5);
    b->cc(kDrae, bit(kCh));
    sc_start(ns(200));
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::sh(0, kEsr), bit(kCh));
    BOOST_TEST(b->cc(kEmr) == bit(kCh));
    BOOST_TEST(b->cc(Bench::gl(kSer)) == bit(kCh));
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == 0u);
    BOOST_REQUIRE_EQUAL(b->ccerr.log.size(), 1u);
    BOOST_TEST(b->ccerr.log[0].first == t0);
    // A second trigger waits: SER is still set (not queued, not missed: ESR was clear).
    b->cc(Bench::sh(0, kEsr), bit(kCh));
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == bit(kCh));
    sc_start(us(1));
    BOOST_TEST(b->tc_mon[0]->records().empty());
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == bit(kCh));

    // dma_ccerr_handler: EMCR + SECR; the SECR lets the waiting trigger through, which hits
    // the NULL set again; the handler's loop clears that too; EEVAL lowers the line.
    const sc_time t1 = sc_time_stamp();
    const auto missed = drv.ccerr_handler();
    BOOST_TEST((missed == std::vector<unsigned>{kCh, kCh}));
    BOOST_TEST(b->cc(kEmr) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kSer)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == 0u);
    BOOST_REQUIRE_EQUAL(b->ccerr.log.size(), 2u);
    BOOST_TEST(b->ccerr.log[1].first == t1);
    BOOST_TEST(!b->ccerr.log[1].second);
    BOOST_TEST(vp::stats::Registry::global().find("tpcc.null_trs")->value() == 2.0);
    BOOST_TEST(b->tc_mon[0]->records().empty());
}

// Queue threshold (§11.4.1.84): NUMVAL >= QWMTHRA.Qn sets CCERR.QTHRXCDn and QSTATn.THRXCD;
// CCERRCLR clears both and QSTAT.WM (§11.4.1.16).
BOOST_FIXTURE_TEST_CASE(queue_threshold_error, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    for (unsigned ch = 0; ch < 6; ++ch) {
        Param p;
        p.opt = kOptSyncdim | tcc(ch);
        p.src = kOcmc;
        p.dst = kOcmc + 0x1000 + 0x100 * ch;
        p.a_b_cnt = counts(64, 1);
        p.link_bcntrld = kLinkNull;
        p.ccnt = 1;
        write_set(*b, ch, p);
        b->cc(kDchmap + 4 * ch, ch << 5);
    }
    b->cc(kQwmthra, 0x000A0A02);   // Q0 threshold 2
    b->cc(Bench::gl(kEsr), 0x3F);  // 6 events: 4 to TPTC0, at most 6 queued at once
    BOOST_TEST(b->cc(kCcerr) == 0x1u);
    BOOST_TEST((b->cc(kQstat) & (1u << 24)) != 0u);
    BOOST_TEST(b->tpcc.irq_error.read());
    sc_start(us(5));
    b->cc(kCcerrclr, 0x1);
    BOOST_TEST(b->cc(kCcerr) == 0u);
    BOOST_TEST((b->cc(kQstat) & (1u << 24)) == 0u);
    BOOST_TEST(((b->cc(kQstat) >> 16) & 0x1F) == 0u);
}

// QDMA (§11.3.4.2): a write to the trigger word (QCHMAPn.TRWORD) of the set QCHMAPn points to
// triggers the channel while QEER is set; STATIC keeps the set (Table 11-9 note); QDMAQNUM
// picks the queue, here TPTC1.
BOOST_FIXTURE_TEST_CASE(qdma_trigger_word, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    constexpr unsigned kQch = 1;
    constexpr unsigned kSet = 50;
    constexpr unsigned kTcc = 40;
    b->cc(kQchmap + 4 * kQch, (kSet << 5) | (kPCcnt << 2));  // trigger word 7 = CCNT
    b->cc(kQdmaqnum, 1u << (4 * kQch));                      // queue 1
    b->cc(kDrae + 4, bit(kTcc));  // DRAEH0: TCC 40 is bit 8 of the high word
    b->cc(Bench::gl(kIesrh), bit(kTcc));
    Param p;
    p.opt = kOptStatic | kOptSyncdim | tcc(kTcc) | kOptTcinten;
    p.src = kOcmc;
    p.dst = kOcmc + 0x300;
    p.a_b_cnt = counts(32, 2);
    p.src_dst_bidx = pair16(32, 32);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    b->pattern(kOcmc, 64, 0x99);
    // QEER clear: writing the trigger word does nothing.
    write_set(*b, kSet, p);
    sc_start(us(1));
    BOOST_TEST(b->tc_mon[1]->records().empty());
    BOOST_TEST(b->cc(Bench::gl(kQer)) == 0u);
    // Enabled: the CCNT write triggers.
    b->cc(Bench::gl(kQeesr), 1u << kQch);
    BOOST_TEST(b->cc(Bench::gl(kQeer)) == (1u << kQch));
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::pa(kSet, kPCcnt), 1);
    sc_start(us(1));
    // ACNT 32 == BIDX, power of 2, > DBS 16: not folded (ACNT > DBS), 2 arrays of 2 commands.
    std::vector<Cmd> expect;
    append_array(expect, R, kOcmc, 32, 16);
    append_array(expect, R, kOcmc + 32, 32, 16);
    append_array(expect, W, kOcmc + 0x300, 32, 16);
    append_array(expect, W, kOcmc + 0x320, 32, 16);
    check_commands(*b->tc_mon[1], 0, expect, t0);
    BOOST_TEST(b->tc_mon[0]->records().empty());
    BOOST_TEST(b->cc(Bench::gl(kIprh)) == bit(kTcc));
    check_set(*b, kSet, p, "STATIC set");
    BOOST_TEST(b->cc(Bench::gl(kQer)) == 0u);
    BOOST_TEST(b->cc(Bench::gl(kQser)) == 0u);
    BOOST_TEST(std::memcmp(b->ocmc_at(kOcmc + 0x300), b->ocmc_at(kOcmc), 64) == 0);
}

// ===================================================================================================
// Interrupt regions (§11.3.9.1.1, §11.3.9.3)
// ===================================================================================================

// EDMA3CC_INTn = OR(IPR & IER & DRAEn). A channel owned by region 1 interrupts region 1 only;
// region 0 does not see its IPR bit through its shadow; writes through a region whose DRAE
// lacks the bit do nothing; IEVAL pulses its own region's line while enabled interrupts are
// pending.
BOOST_FIXTURE_TEST_CASE(shadow_regions_and_ieval, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    Edges region1;
    region1.attach(b->tpcc.irq_region[1]);
    constexpr unsigned kCh = 7;
    Param p;
    p.opt = kOptSyncdim | tcc(kCh) | kOptTcinten;
    p.src = kOcmc;
    p.dst = kOcmc + 0x40;
    p.a_b_cnt = counts(16, 1);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, kCh, p);
    b->cc(kDchmap + 4 * kCh, kCh << 5);
    b->cc(kDrae + 8 * 1, bit(kCh));        // DRAE1
    b->cc(Bench::sh(0, kIesr), bit(kCh));  // region 0 has no access: no effect
    BOOST_TEST(b->cc(Bench::gl(kIer)) == 0u);
    b->cc(Bench::sh(1, kIesr), bit(kCh));
    BOOST_TEST(b->cc(Bench::gl(kIer)) == bit(kCh));
    b->cc(Bench::sh(0, kEsr), bit(kCh));  // no effect either
    sc_start(us(1));
    BOOST_TEST(b->tc_mon[0]->records().empty());
    b->cc(Bench::sh(1, kEsr), bit(kCh));
    sc_start(us(1));
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(kCh));
    BOOST_TEST(b->cc(Bench::sh(1, kIpr)) == bit(kCh));
    BOOST_TEST(b->cc(Bench::sh(0, kIpr)) == 0u);  // masked by DRAE0
    BOOST_TEST(b->tpcc.irq_region[1].read());
    BOOST_TEST(b->ccint.log.empty());  // region 0 (INTC 12) stays low
    const sc_time t = sc_time_stamp();
    b->cc(Bench::sh(1, kIeval), 1);  // pulse region 1
    b->cc(Bench::sh(0, kIeval), 1);  // region 0: nothing pending, nothing happens
    BOOST_REQUIRE_EQUAL(region1.log.size(), 3u);
    BOOST_TEST(region1.log[1].first == t);
    BOOST_TEST(!region1.log[1].second);
    BOOST_TEST(region1.log[2].first == t);
    BOOST_TEST(region1.log[2].second);
    BOOST_TEST(b->ccint.log.empty());
    b->cc(Bench::sh(0, kIcr), bit(kCh));  // no access through region 0
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(kCh));
    b->cc(Bench::sh(1, kIcr), bit(kCh));
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == 0u);
    BOOST_TEST(!b->tpcc.irq_region[1].read());
    // The global view is not gated by DRAE: the set is NULL now (NULL link), so EMR.
    b->cc(Bench::gl(kEsr), bit(kCh));
    BOOST_TEST(b->cc(kEmr) == bit(kCh));
}

// ===================================================================================================
// Transfer controller behaviour
// ===================================================================================================

// §11.3.12.1.1 Example 11-4 with DBS = 64 (Control Module TPTC_CFG.TCnDBS = 2):
//  1. ACNT 8, BCNT 8, SRCBIDX 8, DSTBIDX 10, SRC 64, DST 191: the read side is optimised to
//     one 64-byte command; the write side is 8 commands of 8 bytes.
//  2. ACNT 128, SRC 63, DST 513: reads 1, 64, 63 bytes; writes 63, 64, 1 bytes.
BOOST_FIXTURE_TEST_CASE(command_fragmentation_trm_example_11_4, vp::test::FreshSim) {
    BenchParams bp;
    bp.dbs = 64;
    auto b = std::make_unique<Bench>(bp);
    BOOST_TEST(b->tc[0]->default_burst() == 64u);
    Param p;
    p.opt = kOptSyncdim | tcc(1);
    p.src = kOcmc + 64;
    p.dst = kDdr + 191;
    p.a_b_cnt = counts(8, 8);
    p.src_dst_bidx = pair16(8, 10);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, 1, p);
    b->cc(kDchmap + 4, 1 << 5);
    b->pattern(kOcmc, 0x400, 0x01);
    sc_start(ns(10));
    sc_time t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), bit(1));
    sc_start(us(1));
    std::vector<Cmd> ex1 = {{R, kOcmc + 64, 64}};
    for (unsigned a = 0; a < 8; ++a)
        ex1.push_back({W, kDdr + 191 + 10 * a, 8});
    check_commands(*b->tc_mon[0], 0, ex1, t0);
    for (unsigned a = 0; a < 8; ++a)
        BOOST_TEST(std::memcmp(b->ddr_at(kDdr + 191 + 10 * a), b->ocmc_at(kOcmc + 64 + 8 * a), 8) ==
                   0);

    p.src = kOcmc + 63;
    p.dst = kDdr + 513;
    p.a_b_cnt = counts(128, 1);
    p.src_dst_bidx = 0;
    write_set(*b, 1, p);
    t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), bit(1));
    sc_start(us(1));
    check_commands(*b->tc_mon[0], ex1.size(),
                   {{R, kOcmc + 63, 1},
                    {R, kOcmc + 64, 64},
                    {R, kOcmc + 128, 63},
                    {W, kDdr + 513, 63},
                    {W, kDdr + 576, 64},
                    {W, kDdr + 640, 1}},
                   t0);
    BOOST_TEST(std::memcmp(b->ddr_at(kDdr + 513), b->ocmc_at(kOcmc + 63), 128) == 0);
}

// The Control Module drives the EDMA as the SoC wires it: TPCC_EVT_MUX_n (SPRUH73 Table
// 9-65; §11.3.20 Table 11-25) selects channel n's event source (0 = the direct event of Table
// 11-24, k = crossbar input k), TPTC_CFG.TCnDBS (Table 9-29: 0..3 = 16..128 bytes) the TCs'
// default burst size, which cuts a TR's commands at DBS boundaries (§11.3.12.1.1).
// Crossbar inputs are 1-63 and channels 0-63 (TRM Table 11-25). Checked on a TPCC that has
// not run: an exception thrown after SystemC has switched stacks confuses ASan
// (tests/support/each_case.sh).
BOOST_FIXTURE_TEST_CASE(crossbar_indices_out_of_range_throw, vp::test::FreshSim) {
    vp::EdmaTpcc tpcc("tpcc");
    BOOST_CHECK_THROW(tpcc.crossbar_event(0), std::out_of_range);
    BOOST_CHECK_THROW(tpcc.crossbar_event(64), std::out_of_range);
    BOOST_CHECK_THROW(tpcc.select_event_source(64, 0), std::out_of_range);
    BOOST_CHECK_THROW(tpcc.select_event_source(0, 64), std::out_of_range);
    BOOST_CHECK_NO_THROW(tpcc.crossbar_event(63));
}

BOOST_FIXTURE_TEST_CASE(control_module_crossbar_and_default_burst, vp::test::FreshSim) {
    constexpr uint32_t kControl = 0x44E10000;
    std::unique_ptr<vp::ControlModule> scm;
    BenchParams bp;
    bp.before_start = [&](Bench& b) {
        scm = std::make_unique<vp::ControlModule>("control");
        b.bus.map({"control", kControl, vp::control::kWindowSize, "l3f"}, scm->socket);
    };
    auto b = std::make_unique<Bench>(bp);
    // The SoC's wiring lines.
    scm->on_edma_mux_change([&](unsigned event, unsigned input) {
        b->tpcc.select_event_source(event, input, scm->access_offset());
    });
    scm->on_tptc_burst_change(
        [&](unsigned tc, unsigned bytes) { b->tc[tc]->set_default_burst(bytes); });

    // Channel 12 (Table 11-24: "Open"), routed to crossbar input 22 (TINT0) as Linux's
    // ti-dma-crossbar does: TPCC_EVT_MUX_12_15 field 0 = 22.
    // EER[12] stays clear: ER latches events of disabled channels too (§11.3.4.1.1).
    b->cpu.wr(kControl + vp::control::kTpccEvtMux0 + 4 * 3, 22);
    BOOST_TEST(b->tpcc.event_source(12) == 22u);
    b->tpcc.dma_event(12).write(true);  // the direct source is no longer selected
    b->tpcc.dma_event(12).write(false);
    BOOST_TEST(b->cc(Bench::gl(kEr)) == 0u);
    b->tpcc.crossbar_event(22).write(true);
    BOOST_TEST(b->cc(Bench::gl(kEr)) == bit(12));
    b->tpcc.crossbar_event(22).write(false);
    b->cc(Bench::gl(kEcr), bit(12));
    // Back to 0: the direct event again (Linux writes 0 when it frees the channel).
    b->cpu.wr(kControl + vp::control::kTpccEvtMux0 + 4 * 3, 0);
    b->tpcc.crossbar_event(22).write(true);
    BOOST_TEST(b->cc(Bench::gl(kEr)) == 0u);
    b->tpcc.crossbar_event(22).write(false);
    // Selecting a source whose line is already high is a rising edge of the mux output.
    b->tpcc.crossbar_event(7).write(true);
    b->cpu.wr(kControl + vp::control::kTpccEvtMux0 + 4 * 3, 7);
    BOOST_TEST(b->cc(Bench::gl(kEr)) == bit(12));
    b->tpcc.crossbar_event(7).write(false);
    b->cc(Bench::gl(kEcr), bit(12));

    // TPTC_CFG: TC0DBS = 2 (64 bytes), TC1DBS = 3 (128 bytes).
    BOOST_TEST(b->tc[0]->default_burst() == 16u);
    b->cpu.wr(kControl + vp::control::kTptcCfg, 0x0E);
    BOOST_TEST(scm->tptc_default_burst(0) == 64u);
    BOOST_TEST(b->tc[0]->default_burst() == 64u);
    BOOST_TEST(b->tc[1]->default_burst() == 128u);
    BOOST_TEST(b->tc[2]->default_burst() == 16u);
    Param p;
    p.opt = kOptSyncdim | tcc(1);
    p.src = kOcmc;
    p.dst = kDdr;
    p.a_b_cnt = counts(256, 1);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, 1, p);
    b->cc(kDchmap + 4, 1 << 5);
    b->pattern(kOcmc, 256, 0x31);
    b->tc_mon[0]->clear();
    b->cc(Bench::gl(kEsr), bit(1));
    sc_start(us(2));
    std::vector<unsigned> reads;
    for (const auto& r : b->tc_mon[0]->records())
        if (r.command == R) reads.push_back(r.length);
    BOOST_TEST((reads == std::vector<unsigned>{64, 64, 64, 64}));
    BOOST_TEST(std::memcmp(b->ddr_at(kDdr), b->ocmc_at(kOcmc), 256) == 0);
    // A Control Module reset brings TPTC_CFG (16 bytes) and the crossbar (direct) back.
    scm->reset();
    BOOST_TEST(b->tc[0]->default_burst() == 16u);
    BOOST_TEST(b->tc[1]->default_burst() == 16u);
    BOOST_TEST(b->tpcc.event_source(12) == 0u);
    b.reset();
    scm.reset();
}

// RDRATE (§11.4.2.10): 1 = 4 cycles between read commands; the TC runs at the 200 MHz L3F
// clock (Table 11-4), so reads issue at least 20 ns apart.
BOOST_FIXTURE_TEST_CASE(rdrate_spaces_read_commands, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    b->tcr(0, kRdRate, 1);
    Param p;
    p.opt = kOptSyncdim | tcc(2);
    p.src = kOcmc;
    p.dst = kOcmc + 0x100;
    p.a_b_cnt = counts(64, 1);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, 2, p);
    b->cc(kDchmap + 8, 2 << 5);
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), bit(2));
    sc_start(us(1));
    const auto& r = b->tc_mon[0]->records();
    BOOST_REQUIRE_EQUAL(r.size(), 8u);
    for (unsigned i = 0; i < 4; ++i) {
        BOOST_TEST(r[i].command == tlm::TLM_READ_COMMAND);
        BOOST_TEST(r[i].time == t0 + ns(20.0 * i), "read " << i);
    }
    // The writes follow the last read (issued at 60 ns, done at 70 ns), back to back.
    for (unsigned i = 0; i < 4; ++i)
        BOOST_TEST(r[4 + i].time == t0 + ns(70 + kOcmcWriteNs * i), "write " << i);
}

// A bus error on a write (§11.4.2.5 BUSERR, §11.4.2.8 ERRDET: STAT 8h-Fh = write error, TCC,
// TCINTEN, TCCHEN of the TR): with ERREN.BUSERR the TC's error line rises (INTC 112). The TR
// still completes (IPR). ERRCLR.BUSERR clears ERRSTAT and ERRDET (§11.4.2.7).
BOOST_FIXTURE_TEST_CASE(tc_bus_error, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>();
    b->tcr(0, kErrEn, kErrBuserr);
    Param p;
    p.opt = kOptSyncdim | tcc(9) | kOptTcinten;
    p.src = kOcmc;
    p.dst = kUnmapped;
    p.a_b_cnt = counts(32, 1);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, 9, p);
    b->cc(kDchmap + 4 * 9, 9 << 5);
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), bit(9));
    sc_start(us(1));
    const auto& r = b->tc_mon[0]->records();
    BOOST_REQUIRE_EQUAL(r.size(), 4u);
    BOOST_TEST(r[2].response == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    BOOST_TEST(b->tcr(0, kErrStat) == kErrBuserr);
    BOOST_TEST(b->tcr(0, kErrDet) == (0x8u | (9u << 8) | (1u << 16)));
    BOOST_REQUIRE(!b->tcerr0.log.empty());
    BOOST_TEST(b->tcerr0.log[0].first == r[2].time + r[2].latency);
    BOOST_TEST(b->tcerr0.log[0].second);
    BOOST_TEST(b->cc(Bench::gl(kIpr)) == bit(9));
    BOOST_TEST(b->tc_mon[0]->records().front().time == t0);
    b->tcr(0, kErrClr, kErrBuserr);
    BOOST_TEST(b->tcr(0, kErrStat) == 0u);
    BOOST_TEST(b->tcr(0, kErrDet) == 0u);
    BOOST_TEST(!b->tc[0]->irq_error.read());
}

// The TC's transactions go through the interconnect and contend with the CPU there: with an
// L3F occupancy of 2 cycles (10 ns) per transaction, the CPU's ESR write and a CPU read of
// DDR issued at the same instant go first, so the TC's first read waits 20 ns and the
// completion moves by 20 ns.
BOOST_FIXTURE_TEST_CASE(contends_with_the_cpu_in_the_interconnect, vp::test::FreshSim) {
    BenchParams bp;
    bp.occupancy_cycles = 2;
    auto b = std::make_unique<Bench>(bp);
    Param p;
    p.opt = kOptSyncdim | tcc(6) | kOptTcinten;
    p.src = kDdr;
    p.dst = kOcmc;
    p.a_b_cnt = counts(64, 1);
    p.link_bcntrld = kLinkNull;
    p.ccnt = 1;
    write_set(*b, 6, p);
    b->cc(kDchmap + 4 * 6, 6 << 5);
    b->cc(kDrae, bit(6));
    b->cc(Bench::gl(kIesr), bit(6));
    sc_start(us(1));  // the set-up writes' busy periods are over
    const sc_time t0 = sc_time_stamp();
    b->cc(Bench::gl(kEsr), bit(6));  // occupies L3F [t0, t0 + 10 ns)
    b->cpu.rd(kDdr + 0x800);         // waits 10 ns, occupies [t0 + 10, t0 + 20)
    BOOST_TEST(b->cpu.last_delay == ns(10 + kDdrReadNs));
    sc_start(us(1));
    const auto& r = b->tc_mon[0]->records();
    BOOST_REQUIRE_EQUAL(r.size(), 8u);
    BOOST_TEST(r[0].time == t0);
    BOOST_TEST(r[0].latency == ns(20 + kDdrReadNs));
    BOOST_REQUIRE_EQUAL(b->ccint.log.size(), 1u);
    BOOST_TEST(b->ccint.log[0].first == t0 + ns(20 + 4 * kDdrReadNs + 4 * kOcmcWriteNs));
}

// ===================================================================================================
// Bad input
// ===================================================================================================

BOOST_FIXTURE_TEST_CASE(bad_input_gets_a_clear_error, vp::test::FreshSim) {
    // Parameters (before elaboration: modules are built then).
    vp::EdmaTptcParams bad;
    bad.default_burst_bytes = 24;  // TPTC_CFG.TCnDBS: 16, 32, 64 or 128 bytes (Table 9-29)
    BOOST_CHECK_THROW(vp::EdmaTptc("bad_dbs", bad), std::invalid_argument);
    bad.default_burst_bytes = 128;
    bad.fifo_bytes = 128;
    BOOST_CHECK_THROW(vp::EdmaTptc("bad_fifo", bad), std::invalid_argument);
    bad.fifo_bytes = 512;
    bad.clock_hz = 0;
    BOOST_CHECK_THROW(vp::EdmaTptc("bad_clock", bad), std::invalid_argument);
    // Run-time errors, checked before the simulation starts (under AddressSanitizer, an
    // exception thrown after SystemC's coroutines have run can be misreported).
    BenchParams bp;
    bp.before_start = [](Bench& b) {
        BOOST_CHECK_THROW(b.tpcc.connect_tc(3, *b.tc[0]), std::out_of_range);
        BOOST_CHECK_THROW(b.tpcc.dma_event(64), std::out_of_range);
        BOOST_CHECK_THROW(b.tc[0]->set_default_burst(48), std::invalid_argument);
    };
    auto b = std::make_unique<Bench>(bp);
    // DCHMAP.PAENTRY above 255 (the field is 9 bits, the sets 0-255): serviced as a NULL set.
    b->cc(kDchmap + 4 * 3, 300u << 5);
    b->cc(Bench::gl(kEsr), bit(3));
    BOOST_TEST(b->cc(kEmr) == bit(3));
    // DMAQNUM naming a queue that does not exist (3-7 reserved): the event is not queued.
    b->cc(kDmaqnum, 5u << 16);  // E4 = 5
    b->cc(Bench::gl(kEsr), bit(4));
    BOOST_TEST(b->cc(Bench::gl(kEsr)) == bit(4));
    BOOST_TEST(b->cc(Bench::gl(kSer)) == bit(3));
    // A LINK past the 256 sets loads a NULL set.
    Param p;
    p.opt = kOptSyncdim;
    p.src = kOcmc;
    p.dst = kOcmc + 0x80;
    p.a_b_cnt = counts(4, 1);
    p.link_bcntrld = 0x7FE0;  // set 511
    p.ccnt = 1;
    write_set(*b, 11, p);
    b->cc(kDchmap + 4 * 11, 11 << 5);
    b->cc(Bench::gl(kEsr), bit(11));
    Param null_set;
    null_set.link_bcntrld = kLinkNull;
    check_set(*b, 11, null_set, "LINK out of range");
    sc_start(us(1));
}

// ===================================================================================================
// Register script tests/scripts/edma_memcpy.yaml on a bench with the PRCM
// ===================================================================================================

BOOST_FIXTURE_TEST_CASE(script_edma_memcpy, vp::test::FreshSim) {
    const char* src = std::getenv("VP_SOURCE_DIR");
    const std::string path = std::string(src ? src : ".") + "/tests/scripts/edma_memcpy.yaml";
    std::ostringstream out;
    std::unique_ptr<vp::script::ScriptMaster> master;
    BenchParams bp;
    bp.with_prcm = true;
    bp.before_start = [&](Bench& b) {
        master = std::make_unique<vp::script::ScriptMaster>("script",
                                                            vp::script::parse_script(path), out);
        // CM_PER_TPCC_CLKCTRL / CM_PER_TPTCn_CLKCTRL are disabled at reset (am335x.md §16):
        // the script enables them first (its thread starts at time 0).
        BOOST_TEST(!b.tpcc.clock_enable.read());
        BOOST_TEST(!b.tc[0]->clock_enable.read());
        master->socket.bind(b.bus.in);
        b.bus.name_initiator(1 + kNumQueues, "script");
        master->set_irq_lookup([&b](unsigned line) -> const vp::Wire* {
            switch (line) {
                case 12:
                    return &b.tpcc.irq_completion;
                case 13:
                    return &b.tpcc.irq_mperr;
                case 14:
                    return &b.tpcc.irq_error;
                case 112:
                case 113:
                case 114:
                    return &b.tc[line - 112]->irq_error;
                default:
                    return nullptr;
            }
        });
    };
    auto b = std::make_unique<Bench>(bp);
    master->check_platform();
    sc_start(us(200));
    BOOST_TEST_MESSAGE(out.str());
    BOOST_TEST(master->done());
    BOOST_TEST(master->passed(), out.str());
    BOOST_TEST(master->failed_steps() == 0u);
    BOOST_TEST(master->steps() > 0u);
    master.reset();
}
