#define BOOST_TEST_MODULE intc
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/tlm_util.h"
#include "models/intc/intc.h"
#include "tests/support/sim_context.h"

// Expected values: SPRUH73 chapter 6 (section numbers in the comments), reference/am335x.md
// §8/§16, and Linux drivers/irqchip/irq-omap-intc.c for the driver sequence.

using namespace sc_core;
namespace ic = vp::intc;

namespace {

struct Initiator : sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(sc_module_name n) : sc_module(n), socket("socket") {}
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                                    unsigned len) {
        tlm::tlm_generic_payload p;
        vp::setup_payload(p, cmd, addr, data, len);
        sc_time delay = SC_ZERO_TIME;
        socket->b_transport(p, delay);
        return p.get_response_status();
    }
    uint32_t read32(uint64_t addr, tlm::tlm_response_status* st = nullptr) {
        uint8_t b[4] = {};
        auto s = access(tlm::TLM_READ_COMMAND, addr, b, 4);
        if (st) *st = s;
        return static_cast<uint32_t>(vp::load_le(b, 4));
    }
    tlm::tlm_response_status write32(uint64_t addr, uint32_t v) {
        uint8_t b[4];
        vp::store_le(b, v, 4);
        return access(tlm::TLM_WRITE_COMMAND, addr, b, 4);
    }
};

struct Edge {
    sc_time time;
    bool level;
};

// cpu -> monitor -> INTC; 128 input wires; nIRQ/nFIQ edges recorded with their times.
struct Bench {
    Initiator cpu{"cpu"};
    vp::TransactionMonitor mon{"mon"};
    vp::Intc intc;
    std::array<std::unique_ptr<vp::Wire>, ic::kLines> line;
    std::vector<Edge> irq_edges;
    std::vector<Edge> fiq_edges;

    explicit Bench(const vp::IntcParams& p = {}) : intc("intc", p) {
        cpu.socket.bind(mon.target);
        mon.initiator.bind(intc.socket);
        for (unsigned i = 0; i < ic::kLines; ++i) {
            line[i] = std::make_unique<vp::Wire>("irq" + std::to_string(i));
            intc.bind_input(i, *line[i]);
        }
        intc.nirq.on_change([this](bool l, const sc_time& off) {
            irq_edges.push_back({sc_time_stamp() + off, l});
        });
        intc.nfiq.on_change([this](bool l, const sc_time& off) {
            fiq_edges.push_back({sc_time_stamp() + off, l});
        });
        sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);
        sc_start(SC_ZERO_TIME);
    }
    uint32_t rd(uint32_t off) { return cpu.read32(off); }
    void wr(uint32_t off, uint32_t v) { BOOST_CHECK(cpu.write32(off, v) == tlm::TLM_OK_RESPONSE); }
    void raise(unsigned l) { line[l]->write(true); }
    void lower(unsigned l) { line[l]->write(false); }
    void unmask(unsigned l) { wr(ic::bank_reg(l / 32, ic::kMirClear), 1u << (l % 32)); }
    void mask(unsigned l) { wr(ic::bank_reg(l / 32, ic::kMirSet), 1u << (l % 32)); }
    void set_ilr(unsigned l, unsigned prio, bool fiq = false) {
        wr(ic::ilr(l), (prio << ic::kIlrPriorityShift) | (fiq ? ic::kIlrFiqnirq : 0));
    }
    bool clean() const { return mon.violations().empty(); }
};

const sc_time kNs(1, SC_NS);
// Default sort window: 10 cycles of the 100 MHz functional clock (TRM §6.2.5).
const sc_time kSort(100, SC_NS);

void run(const sc_time& t) {
    sc_start(t);
}

}  // namespace

// Reset value of every register, SPRUH73 §6.6.1 (register headings).
BOOST_FIXTURE_TEST_CASE(reset_values_of_every_register, vp::test::FreshSim) {
    Bench b;
    BOOST_CHECK_EQUAL(b.rd(ic::kRevision), 0x50u);           // §6.6.1.1 REVISION
    BOOST_CHECK_EQUAL(b.rd(ic::kSysconfig), 0u);             // §6.6.1.2
    BOOST_CHECK_EQUAL(b.rd(ic::kSysstatus), 1u);             // §6.6.1.3 RESETDONE, reset over
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 0xFFFFFF80u);       // §6.6.1.4
    BOOST_CHECK_EQUAL(b.rd(ic::kSirFiq), 0xFFFFFF80u);       // §6.6.1.5
    BOOST_CHECK_EQUAL(b.rd(ic::kControl), 0u);               // §6.6.1.6
    BOOST_CHECK_EQUAL(b.rd(ic::kProtection), 0u);            // §6.6.1.7
    BOOST_CHECK_EQUAL(b.rd(ic::kIdle), 0u);                  // §6.6.1.8
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority), 0xFFFFFFC0u);  // §6.6.1.9
    BOOST_CHECK_EQUAL(b.rd(ic::kFiqPriority), 0xFFFFFFC0u);  // §6.6.1.10
    BOOST_CHECK_EQUAL(b.rd(ic::kThreshold), 0xFFu);          // §6.6.1.11
    for (unsigned n = 0; n < ic::kBanks; ++n) {
        BOOST_TEST_CONTEXT("bank " << n) {
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kItr)), 0u);           // inputs low
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kMir)), 0xFFFFFFFFu);  // §6.6.1.13
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kMirClear)), 0u);      // reads 0
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kMirSet)), 0u);        // reads 0
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kIsrSet)), 0u);        // §6.6.1.16
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kIsrClear)), 0u);      // reads 0
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kPendingIrq)), 0u);    // §6.6.1.18
            BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(n, ic::kPendingFiq)), 0u);    // §6.6.1.19
        }
    }
    for (unsigned m = 0; m < ic::kLines; ++m)
        BOOST_CHECK_EQUAL(b.rd(ic::ilr(m)), 0u);  // §6.6.1.44
    BOOST_CHECK(!b.intc.nirq.read());
    BOOST_CHECK(!b.intc.nfiq.read());
    BOOST_CHECK(b.clean());
}

// Access policies (field types of Tables 6-5 .. 6-48) and the bus answers of the framework.
BOOST_FIXTURE_TEST_CASE(access_policies, vp::test::FreshSim) {
    Bench b;
    b.wr(ic::kRevision, 0x12345678);  // R: ignored
    BOOST_CHECK_EQUAL(b.rd(ic::kRevision), 0x50u);
    b.wr(ic::kSysconfig, 0x19);  // bits 4:3 are R (Table 6-6), bit 0 AUTOIDLE R/W
    BOOST_CHECK_EQUAL(b.rd(ic::kSysconfig), 0x1u);
    b.wr(ic::kProtection, 0xFFFFFFFF);  // [0] only (Table 6-11)
    BOOST_CHECK_EQUAL(b.rd(ic::kProtection), 0x1u);
    b.wr(ic::kIdle, 0xFFFFFFFF);  // [1:0] (Table 6-12)
    BOOST_CHECK_EQUAL(b.rd(ic::kIdle), 0x3u);
    b.wr(ic::kThreshold, 0xFFFFFF3F);  // [7:0] (Table 6-15)
    BOOST_CHECK_EQUAL(b.rd(ic::kThreshold), 0x3Fu);
    b.wr(ic::ilr(5), 0xFFFFFFFF);  // [7:0] R/W, 31:8 R (Table 6-48)
    BOOST_CHECK_EQUAL(b.rd(ic::ilr(5)), 0xFFu);
    b.wr(ic::kControl, 0x3);  // W: reads 0 (Table 6-10)
    BOOST_CHECK_EQUAL(b.rd(ic::kControl), 0u);
    b.wr(ic::kSirIrq, 0);  // read-only status
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 0xFFFFFF80u);
    // MIR_CLEAR / MIR_SET: write 1 clears / sets mask bits, read 0 (Tables 6-18, 6-19).
    b.wr(ic::bank_reg(2, ic::kMirClear), 0x0000F00F);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kMir)), 0xFFFF0FF0u);
    b.wr(ic::bank_reg(2, ic::kMirSet), 0x00000003);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kMir)), 0xFFFF0FF3u);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kMirClear)), 0u);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kMirSet)), 0u);
    b.wr(ic::bank_reg(2, ic::kMir), 0x12345678);  // MIR is R/W
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kMir)), 0x12345678u);
    // ISR_SET: write 1 sets, reads the active software interrupts; ISR_CLEAR clears.
    b.wr(ic::bank_reg(1, ic::kIsrSet), 0x5);
    b.wr(ic::bank_reg(1, ic::kIsrSet), 0x8);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kIsrSet)), 0xDu);
    b.wr(ic::bank_reg(1, ic::kIsrClear), 0x4);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kIsrSet)), 0x9u);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kItr)), 0u);  // ITR shows the inputs only
    // PENDING / ITR are read-only.
    b.wr(ic::bank_reg(0, ic::kPendingIrq), 0xFFFFFFFF);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(0, ic::kPendingIrq)), 0u);
    // Holes answer an address error; a 16-bit access a generic error (registers are 32-bit).
    tlm::tlm_response_status st;
    b.cpu.read32(0x18, &st);
    BOOST_CHECK(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    b.cpu.read32(0x300, &st);
    BOOST_CHECK(st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    uint8_t h[2] = {};
    BOOST_CHECK(b.cpu.access(tlm::TLM_READ_COMMAND, ic::kRevision, h, 2) ==
                tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_CHECK(b.clean());
}

// An access while the module clock is gated answers TLM_GENERIC_ERROR_RESPONSE
// (SPRUH73 §8.1.12: an OCP access to a disabled module returns an error).
BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    Bench b;
    b.intc.clock_enable.write(false);
    tlm::tlm_response_status st;
    b.cpu.read32(ic::kRevision, &st);
    BOOST_CHECK(st == tlm::TLM_GENERIC_ERROR_RESPONSE);
    BOOST_CHECK(b.cpu.write32(ic::kThreshold, 1) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    b.intc.clock_enable.write(true);
    BOOST_CHECK_EQUAL(b.rd(ic::kThreshold), 0xFFu);
    BOOST_CHECK(b.clean());
}

// SYSCONFIG.SOFTRESET (§6.6.1.2): restores reset values, deasserts nIRQ; SOFTRESET reads 0;
// SYSSTATUS.RESETDONE is 0 during the reset and 1 afterwards (§6.6.1.3).
BOOST_FIXTURE_TEST_CASE(soft_reset_restores_reset_values, vp::test::FreshSim) {
    Bench b;
    b.unmask(40);
    b.set_ilr(40, 7);
    b.wr(ic::kThreshold, 0x20);
    b.wr(ic::kProtection, 1);
    b.wr(ic::bank_reg(3, ic::kIsrSet), 0x1);
    b.raise(40);
    BOOST_CHECK(b.intc.nirq.read());
    run(200 * kNs);
    const sc_time t_reset = sc_time_stamp();
    b.wr(ic::kSysconfig, ic::kSysconfigSoftreset);
    BOOST_CHECK_EQUAL(b.rd(ic::kSysconfig), 0u);  // self-clearing, reads 0
    BOOST_CHECK_EQUAL(b.rd(ic::kSysstatus), 0u);  // reset on-going
    BOOST_CHECK(!b.intc.nirq.read());
    BOOST_REQUIRE_EQUAL(b.irq_edges.size(), 2u);
    BOOST_CHECK(!b.irq_edges[1].level);
    BOOST_CHECK(b.irq_edges[1].time == t_reset);
    run(100 * kNs);  // 10 cycles at 100 MHz (IntcParams.soft_reset_cycles)
    BOOST_CHECK_EQUAL(b.rd(ic::kSysstatus), 1u);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kMir)), 0xFFFFFFFFu);
    BOOST_CHECK_EQUAL(b.rd(ic::ilr(40)), 0u);
    BOOST_CHECK_EQUAL(b.rd(ic::kThreshold), 0xFFu);
    BOOST_CHECK_EQUAL(b.rd(ic::kProtection), 0u);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(3, ic::kIsrSet)), 0u);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 0xFFFFFF80u);
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority), 0xFFFFFFC0u);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kItr)), 1u << 8);  // the input is still high
    BOOST_CHECK(b.clean());
}

// The Linux omap-intc driver, register by register (drivers/irqchip/irq-omap-intc.c):
// omap_irq_soft_reset, the init writes (IDLE from omap3_intc_resume_idle, ILRs from
// omap_intc_restore_context, MIR_SET all as the generic chip masks every line),
// omap_irq_enable_protection, irq_gc_unmask_enable_reg (MIR_CLEAR), then one interrupt
// through omap_intc_handle_irq + handle_level_irq (mask_ack = MIR_SET + CONTROL.NEWIRQAGR,
// unmask = MIR_CLEAR).
BOOST_FIXTURE_TEST_CASE(linux_omap_intc_sequence, vp::test::FreshSim) {
    Bench b;
    constexpr unsigned kTimer2 = 68;  // DMTIMER2 (am335x.md §1.3)
    // omap_irq_soft_reset()
    BOOST_CHECK_EQUAL(b.rd(ic::kRevision) & 0xFF, 0x50u);  // "revision 5.0"
    const uint32_t sc = b.rd(ic::kSysconfig);
    b.wr(ic::kSysconfig, sc | ic::kSysconfigSoftreset);
    unsigned polls = 0;
    while (!(b.rd(ic::kSysstatus) & ic::kSysstatusResetdone)) {
        ++polls;
        BOOST_REQUIRE(polls < 100);
        run(20 * kNs);
    }
    BOOST_CHECK(polls > 0);  // RESETDONE really was low for a while
    b.wr(ic::kSysconfig, ic::kSysconfigAutoidle);
    // init: IDLE, ILRs, mask everything
    b.wr(ic::kIdle, 0);
    for (unsigned m = 0; m < ic::kLines; ++m)
        b.wr(ic::ilr(m), 0);
    for (unsigned n = 0; n < ic::kBanks; ++n)
        b.wr(ic::bank_reg(n, ic::kMirSet), 0xFFFFFFFF);
    // omap_irq_enable_protection()
    b.wr(ic::kProtection, b.rd(ic::kProtection) | ic::kProtectionEnable);
    BOOST_CHECK_EQUAL(b.rd(ic::kProtection), 1u);
    // request_irq -> unmask (MIR_CLEAR2 bit 4)
    b.unmask(kTimer2);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kMir)), ~(1u << 4));
    BOOST_CHECK(b.irq_edges.empty());

    // The timer raises its line: nIRQ rises at that instant (§6.1.1.3).
    run(1000 * kNs);
    const sc_time t_irq = sc_time_stamp();
    b.raise(kTimer2);
    BOOST_REQUIRE_EQUAL(b.irq_edges.size(), 1u);
    BOOST_CHECK(b.irq_edges[0].level);
    BOOST_CHECK(b.irq_edges[0].time == t_irq);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kItr)), 1u << 4);
    // omap_intc_handle_irq: PENDING_IRQ and SIR (after the sort window).
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kPendingIrq)), 1u << 4);
    const uint32_t sir = b.rd(ic::kSirIrq);
    BOOST_CHECK_EQUAL(sir & ic::kSpuriousFlag, 0u);  // not spurious
    BOOST_CHECK_EQUAL(sir & ic::kActiveMask, kTimer2);
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority), 0u);
    // handle_level_irq: mask_ack_irq = MIR_SET + CONTROL.NEWIRQAGR
    run(200 * kNs);
    b.mask(kTimer2);
    const sc_time t_ack = sc_time_stamp();
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_REQUIRE_EQUAL(b.irq_edges.size(), 2u);  // nothing else pending: nIRQ falls
    BOOST_CHECK(!b.irq_edges[1].level);
    BOOST_CHECK(b.irq_edges[1].time == t_ack);
    // the timer handler clears its interrupt, then the line is unmasked again
    b.lower(kTimer2);
    b.unmask(kTimer2);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(2, ic::kPendingIrq)), 0u);
    BOOST_CHECK_EQUAL(b.irq_edges.size(), 2u);
    BOOST_CHECK(b.clean());
}

// Priority sorting (§6.1.1.3): lowest ILR priority value first; among equal priorities the
// highest-numbered line; SIR stays latched until NEWIRQAGR, then the next one.
BOOST_FIXTURE_TEST_CASE(priorities_via_ilr, vp::test::FreshSim) {
    Bench b;
    for (unsigned l : {10u, 40u, 100u})
        b.unmask(l);
    b.set_ilr(10, 5);
    b.set_ilr(40, 2);
    b.set_ilr(100, 2);
    b.raise(10);
    b.raise(40);
    b.raise(100);
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 100u);  // tie at 2: the higher line wins
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority), 2u);
    b.lower(100);  // serviced; SIR stays latched until the agreement
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 100u);
    BOOST_CHECK(b.intc.nirq.read());
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_CHECK(b.intc.nirq.read());  // still pending work: stays asserted
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 40u);
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority), 2u);
    b.lower(40);
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 10u);
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority), 5u);
    b.lower(10);
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_CHECK(!b.intc.nirq.read());
    BOOST_CHECK_EQUAL(b.irq_edges.size(), 2u);  // one rise, one fall
    BOOST_CHECK(b.clean());
}

// THRESHOLD (§6.1.1.2.2): priorities lower than or equal to the threshold (value >= it) are
// masked, priority 0 never; a threshold of 0 acts like 1; 0xFF disables the mechanism.
// PENDING_IRQ is before the threshold (§6.1.1.2.1).
BOOST_FIXTURE_TEST_CASE(priority_threshold, vp::test::FreshSim) {
    Bench b;
    b.unmask(20);
    b.unmask(21);
    b.set_ilr(20, 5);
    b.set_ilr(21, 3);
    b.wr(ic::kThreshold, 3);
    b.raise(20);
    b.raise(21);
    BOOST_CHECK(!b.intc.nirq.read());  // 5 and 3 are both >= 3
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(0, ic::kPendingIrq)), (1u << 20) | (1u << 21));
    b.wr(ic::kThreshold, 4);  // now priority 3 passes
    BOOST_CHECK(b.intc.nirq.read());
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 21u);
    b.lower(21);
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_CHECK(!b.intc.nirq.read());  // 20 (priority 5) is still masked by the threshold
    b.wr(ic::kThreshold, 0);           // acts like 1: priority 0 passes, 1 does not
    b.set_ilr(20, 1);
    BOOST_CHECK(!b.intc.nirq.read());
    b.set_ilr(20, 0);
    BOOST_CHECK(b.intc.nirq.read());
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq) & ic::kActiveMask, 20u);
    b.lower(20);
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    b.wr(ic::kThreshold, ic::kThresholdDisabled);
    b.set_ilr(20, 63);
    b.raise(20);
    BOOST_CHECK(b.intc.nirq.read());  // 0xFF: nothing masked, even priority 63
    BOOST_CHECK(b.clean());
}

// FIQ steering (ILR.FIQNIRQ, §6.1.1.2.1; reserved on GP devices but modelled as the
// registers describe it): nFIQ, PENDING_FIQ, SIR_FIQ, FIQ_PRIORITY and NEWFIQAGR.
BOOST_FIXTURE_TEST_CASE(fiq_steering, vp::test::FreshSim) {
    Bench b;
    b.unmask(7);
    b.set_ilr(7, 9, true);
    const sc_time t0 = sc_time_stamp();
    b.raise(7);
    BOOST_CHECK(b.intc.nfiq.read());
    BOOST_CHECK(!b.intc.nirq.read());
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(0, ic::kPendingFiq)), 1u << 7);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(0, ic::kPendingIrq)), 0u);
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirFiq), 7u);
    BOOST_CHECK_EQUAL(b.rd(ic::kFiqPriority), 9u);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 0xFFFFFF80u);  // IRQ side untouched
    b.lower(7);
    b.wr(ic::kControl, ic::kControlNewIrqAgr);  // the IRQ agreement does not release FIQ
    BOOST_CHECK(b.intc.nfiq.read());
    const sc_time t1 = sc_time_stamp();
    b.wr(ic::kControl, ic::kControlNewFiqAgr);
    BOOST_CHECK(!b.intc.nfiq.read());
    BOOST_REQUIRE_EQUAL(b.fiq_edges.size(), 2u);
    BOOST_CHECK(b.fiq_edges[0].time == t0 && b.fiq_edges[0].level);
    BOOST_CHECK(b.fiq_edges[1].time == t1 && !b.fiq_edges[1].level);
    BOOST_CHECK(b.irq_edges.empty());
    BOOST_CHECK(b.clean());
}

// Spurious flag (§6.2.5): the line that started the sort goes away inside the window, or a
// mask change alters the result inside it -> SIR/PRIORITY bits 31:7 all ones; software
// (Linux omap_intc_handle_irq) acknowledges with NEWIRQAGR and nIRQ falls.
BOOST_FIXTURE_TEST_CASE(spurious_flag, vp::test::FreshSim) {
    Bench b;
    b.unmask(75);
    b.raise(75);
    run(30 * kNs);  // inside the 100 ns window
    b.lower(75);
    run(kSort);
    const uint32_t sir = b.rd(ic::kSirIrq);
    BOOST_CHECK_EQUAL(sir & ic::kSpuriousFlag, ic::kSpuriousFlag);
    BOOST_CHECK_EQUAL(sir & ic::kActiveMask, 75u);
    BOOST_CHECK_EQUAL(b.rd(ic::kIrqPriority) & ic::kSpuriousFlag, ic::kSpuriousFlag);
    BOOST_CHECK(b.intc.nirq.read());  // asserted until the agreement
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_CHECK(!b.intc.nirq.read());

    // A mask write inside the window.
    b.unmask(76);
    b.raise(75);
    b.raise(76);
    run(20 * kNs);
    b.mask(76);
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq) & ic::kSpuriousFlag, ic::kSpuriousFlag);
    b.wr(ic::kControl, ic::kControlNewIrqAgr);  // re-sorts: 75 is still pending
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 75u);  // valid this time

    // After the window the result is latched: the line going away does not change SIR.
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_CHECK(b.intc.nirq.read());
    run(kSort);
    b.lower(75);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 75u);
    BOOST_CHECK(b.intc.nirq.read());
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    BOOST_CHECK(!b.intc.nirq.read());
    BOOST_CHECK(b.clean());
}

// Software interrupts (ISR_SET/ISR_CLEAR, §6.1.1.1) and edges at exact times: an input
// change carries the writer's local-time offset, and nIRQ rises at that offset.
BOOST_FIXTURE_TEST_CASE(software_interrupt_and_edge_times, vp::test::FreshSim) {
    Bench b;
    b.unmask(33);
    run(500 * kNs);
    const sc_time t0 = sc_time_stamp();
    b.wr(ic::bank_reg(1, ic::kIsrSet), 1u << 1);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kPendingIrq)), 1u << 1);
    BOOST_CHECK_EQUAL(b.rd(ic::bank_reg(1, ic::kItr)), 0u);
    run(kSort);
    BOOST_CHECK_EQUAL(b.rd(ic::kSirIrq), 33u);
    b.wr(ic::bank_reg(1, ic::kIsrClear), 1u << 1);
    const sc_time t1 = sc_time_stamp();
    b.wr(ic::kControl, ic::kControlNewIrqAgr);
    // An input raised 30 ns ahead of the kernel time (temporal decoupling).
    b.unmask(3);
    b.line[3]->write(true, 30 * kNs);
    BOOST_REQUIRE_EQUAL(b.irq_edges.size(), 3u);
    BOOST_CHECK(b.irq_edges[0].time == t0 && b.irq_edges[0].level);
    BOOST_CHECK(b.irq_edges[1].time == t1 && !b.irq_edges[1].level);
    BOOST_CHECK(b.irq_edges[2].time == t1 + 30 * kNs && b.irq_edges[2].level);
    BOOST_CHECK(b.clean());
}

// Bad wiring gives a clear error, never a crash.
BOOST_FIXTURE_TEST_CASE(bad_input_lines, vp::test::FreshSim) {
    vp::Intc intc("intc");
    vp::Wire w1("w1"), w2("w2");
    BOOST_CHECK_THROW(intc.bind_input(128, w1), std::out_of_range);
    intc.bind_input(127, w1);
    BOOST_CHECK_THROW(intc.bind_input(127, w2), std::logic_error);
    BOOST_CHECK_THROW(intc.set_input(200, true), std::out_of_range);
    vp::IntcParams bad;
    bad.fclk_hz = 0;
    BOOST_CHECK_THROW(vp::Intc("intc2", bad), std::invalid_argument);
}
