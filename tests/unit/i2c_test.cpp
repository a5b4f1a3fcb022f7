// Tests of the I2C controller model (models/i2c/i2c.h) with the devices on its bus.
//
// Every expected value comes from SPRUH73 chapter 21 (the I2C chapter: Table 21-8 register map,
// Tables 21-9..21-39 fields and reset values, §21.3.14 FIFO management), from the Linux
// i2c-omap driver's documented register sequence (shared/reference/am335x.md §6, §6.1) or
// from the device data sheets; each check says which. Bus timing follows the TRM formula
// (tLOW = (SCLL + 7) ICLK, tHIGH = (SCLH + 5) ICLK, ICLK = fclk / (PSC + 1)) with the model's
// documented framing: START, repeated START and STOP one SCL period each, a byte nine.
#define BOOST_TEST_MODULE i2c
#include <boost/test/unit_test.hpp>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <vector>

#include "models/core/monitor.h"
#include "models/core/peripheral.h"
#include "models/i2c/at24.h"
#include "models/i2c/i2c.h"
#include "models/i2c/tps65217.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "tests/support/sim_context.h"

using namespace sc_core;
using namespace vp;
using namespace vp::i2c;

namespace {

sc_time us(double v) {
    return sc_time(v, SC_US);
}
sc_time ms(double v) {
    return sc_time(v, SC_MS);
}

struct Edge {
    sc_time time;
    bool level;
};

// Test initiator -> TransactionMonitor -> I2C controller. The test body runs in an SC_THREAD.
struct Bench : sc_module {
    SC_HAS_PROCESS(Bench);
    tlm_utils::simple_initiator_socket<Bench> init{"init"};
    TransactionMonitor mon{"mon"};
    I2c i2c;
    std::vector<Edge> edges;
    sc_event irq_rise;
    std::function<void()> body;
    bool finished = false;

    explicit Bench(sc_module_name n, const I2cParams& p = {}) : sc_module(n), i2c("i2c0", p) {
        init.bind(mon.target);
        mon.initiator.bind(i2c.socket);
        i2c.irq.on_change([this](bool level, const sc_time& off) {
            edges.push_back({sc_time_stamp() + off, level});
            if (level) irq_rise.notify(off);
        });
        SC_THREAD(run);
    }
    void run() {
        if (body) body();
        finished = true;
    }

    tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t off, uint32_t& data,
                                    unsigned size) {
        tlm::tlm_generic_payload p;
        uint8_t buf[4] = {};
        if (cmd == tlm::TLM_WRITE_COMMAND) std::memcpy(buf, &data, size);
        sc_time delay = SC_ZERO_TIME;
        p.set_command(cmd);
        p.set_address(off);
        p.set_data_ptr(buf);
        p.set_data_length(size);
        p.set_streaming_width(size);
        p.set_byte_enable_ptr(nullptr);
        p.set_byte_enable_length(0);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        init->b_transport(p, delay);
        if (cmd == tlm::TLM_READ_COMMAND) {
            data = 0;
            std::memcpy(&data, buf, size);
        }
        return p.get_response_status();
    }
    // Linux omap_i2c_read_reg / omap_i2c_write_reg: 16-bit readw / writew.
    uint16_t rd(uint32_t off) {
        uint32_t v = 0;
        BOOST_REQUIRE_EQUAL(access(tlm::TLM_READ_COMMAND, off, v, 2), tlm::TLM_OK_RESPONSE);
        return static_cast<uint16_t>(v);
    }
    void wr(uint32_t off, uint32_t v) {
        BOOST_REQUIRE_EQUAL(access(tlm::TLM_WRITE_COMMAND, off, v, 2), tlm::TLM_OK_RESPONSE);
    }
    std::vector<sc_time> rising_edges() const {
        std::vector<sc_time> out;
        for (const Edge& e : edges)
            if (e.level) out.push_back(e.time);
        return out;
    }
};

void run_sim(Bench& b, std::function<void()> body, sc_time limit = sc_time(5, SC_SEC)) {
    b.body = std::move(body);
    sc_start(limit);
    BOOST_REQUIRE_MESSAGE(b.finished, "the test body did not finish within the time limit");
    BOOST_CHECK_MESSAGE(b.mon.violations().empty(),
                        "TLM protocol violations: " +
                            (b.mon.violations().empty() ? std::string{} : b.mon.violations()[0]));
}

// --- the Linux i2c-omap driver, as a register sequence ---------------------------------------
// Each method is the register sequence of the i2c-omap function it is named after
// (drivers/i2c/busses/i2c-omap.c; shared/reference/am335x.md §6.1), written for the tests.
struct Msg {
    uint8_t addr;
    bool read;
    std::vector<uint8_t> data;  // write: bytes to send; read: filled in (size = length)
};

struct IsrRecord {
    sc_time time;
    uint16_t stat;  // IRQSTATUS & IRQENABLE as the handler saw it, direction-filtered
};

class OmapI2cDriver {
  public:
    // Linux: fifo_size = (8 << BUFSTAT.FIFODEPTH) / 2 = 16 bytes on the AM335x.
    static constexpr unsigned kFifoSize = 16;
    static constexpr uint16_t kIe = kIrqXrdy | kIrqRrdy | kIrqArdy | kIrqNack | kIrqAl | kIrqRdr |
                                    kIrqXdr;    // 0x601F (am335x.md §6.1)
    static constexpr uint16_t kWeAll = 0x636F;  // OMAP_I2C_WE_ALL (am335x.md §6)

    explicit OmapI2cDriver(Bench& b) : b_(b) {}

    // omap_i2c_reset(): disable, SYSC.SRST, CON.I2C_EN, poll SYSS.RDONE, restore SYSC.
    bool reset() {
        const uint16_t sysc = b_.rd(kSysc);
        b_.wr(kCon, b_.rd(kCon) & ~kConEn);
        b_.wr(kSysc, kSyscSrst);
        b_.wr(kCon, kConEn);
        const sc_time deadline = sc_time_stamp() + sc_time(1, SC_SEC);
        while (!(b_.rd(kSyss) & kSyssRdone)) {
            if (sc_time_stamp() > deadline) return false;
            wait(ms(1));  // msleep(1)
        }
        b_.wr(kSysc, sysc);
        bb_valid_ = false;
        return true;
    }

    // omap_i2c_init() -> __omap_i2c_init(): PSC/SCLL/SCLH for the bus speed, WE, CON.I2C_EN,
    // IRQENABLE. The values are Linux's for a 48 MHz fclk (am335x.md §6): 400 kHz
    // PSC 4 / SCLL 9 / SCLH 3, 100 kHz PSC 11 / SCLL 13 / SCLH 15.
    void init(unsigned khz) {
        const bool fast = khz > 100;
        psc_ = fast ? 4 : 11;
        scll_ = fast ? 9 : 13;
        sclh_ = fast ? 3 : 15;
        b_.wr(kCon, 0);
        b_.wr(kPsc, psc_);
        b_.wr(kScll, scll_);
        b_.wr(kSclh, sclh_);
        b_.wr(kWe, kWeAll);
        b_.wr(kCon, kConEn);
        b_.wr(kIrqenableSet, kIe);
    }

    // omap_i2c_wait_for_bb_valid(): BB or BF seen, or SCL and SDA high for 10 ms.
    bool wait_for_bb_valid() {
        if (bb_valid_) return true;
        sc_time free_since = SC_ZERO_TIME;
        bool bus_free = false;
        const sc_time deadline = sc_time_stamp() + sc_time(1, SC_SEC);
        for (;;) {
            if (b_.rd(kIrqstatus) & (kIrqBb | kIrqBf)) break;
            const uint16_t st = b_.rd(kSystest);
            if ((st & kSystestSclIFunc) && (st & kSystestSdaIFunc)) {
                if (!bus_free) {
                    bus_free = true;
                    free_since = sc_time_stamp();
                }
                if (sc_time_stamp() - free_since > ms(10)) break;
            } else {
                bus_free = false;
            }
            if (sc_time_stamp() > deadline) return false;
            wait(ms(1));
        }
        bb_valid_ = true;
        return true;
    }

    // omap_i2c_wait_for_bb(): poll IRQSTATUS.BB until 0.
    bool wait_for_bb() {
        const sc_time deadline = sc_time_stamp() + sc_time(1, SC_SEC);
        while (b_.rd(kIrqstatus) & kIrqBb) {
            if (sc_time_stamp() > deadline) return false;
            wait(ms(1));
        }
        return true;
    }

    // omap_i2c_xfer_common(): the message group; returns 0 or a negative errno.
    int transfer(std::vector<Msg>& msgs) {
        if (!wait_for_bb_valid()) return -110;
        if (!wait_for_bb()) return -110;
        int r = 0;
        for (size_t i = 0; i < msgs.size(); ++i) {
            r = xfer_msg(msgs[i], i + 1 == msgs.size());
            if (r) break;
        }
        wait_for_bb();
        return r;
    }

    std::vector<IsrRecord> isr_log;
    std::vector<sc_time> con_writes;  // times of the CON writes that start a message
    uint16_t psc_ = 0, scll_ = 0, sclh_ = 0;

  private:
    // omap_i2c_resize_fifo(): threshold = clamp(len, 1, fifo_size), TX or RX FIFO cleared.
    void resize_fifo(size_t len, bool rx) {
        threshold_ = static_cast<unsigned>(std::min<size_t>(std::max<size_t>(len, 1), kFifoSize));
        uint16_t buf = b_.rd(kBuf);
        if (rx) {
            buf &= ~kBufRxtrshMask;
            buf |= ((threshold_ - 1) << kBufRxtrshShift) | kBufRxfifoClr;
        } else {
            buf &= ~kBufTxtrshMask;
            buf |= (threshold_ - 1) | kBufTxfifoClr;
        }
        b_.wr(kBuf, buf);
    }

    // omap_i2c_xfer_msg().
    int xfer_msg(Msg& m, bool stop) {
        receiver_ = m.read;
        resize_fifo(m.data.size(), receiver_);
        b_.wr(kSa, m.addr);
        buf_ = &m.data;
        pos_ = 0;
        b_.wr(kCnt, static_cast<uint16_t>(m.data.size()));
        b_.wr(kBuf, b_.rd(kBuf) | kBufRxfifoClr | kBufTxfifoClr);
        cmd_err_ = 0;
        uint16_t con = kConEn | kConMst | kConStt;
        if (!m.read) con |= kConTrx;
        if (stop) con |= kConStp;
        con_writes.push_back(sc_time_stamp());
        b_.wr(kCon, con);
        // wait_for_completion_timeout(): the threaded handler runs on each IRQ.
        const sc_time deadline = sc_time_stamp() + sc_time(1, SC_SEC);
        bool done = false;
        while (!done) {
            if (!b_.i2c.irq.read()) {
                const sc_time left = deadline - sc_time_stamp();
                wait(left, b_.irq_rise);
                if (!b_.i2c.irq.read() && sc_time_stamp() >= deadline) {
                    reset();  // timeout: omap_i2c_reset + __omap_i2c_init
                    init(psc_ == 4 ? 400 : 100);
                    return -110;
                }
            }
            done = xfer_data();
        }
        if (!cmd_err_) return 0;
        if (cmd_err_ & kIrqAl) return -11;
        if (cmd_err_ & kIrqNack) {
            b_.wr(kCon, b_.rd(kCon) | kConStp);  // Linux ends the transfer itself
            return -121;                         // -EREMOTEIO
        }
        return -5;
    }

    // omap_i2c_xfer_data() as run by omap_i2c_isr_thread(); true when the message is done.
    bool xfer_data() {
        for (int count = 0; count < 100; ++count) {
            const uint16_t bits = b_.rd(kIrqenableSet);
            uint16_t stat = b_.rd(kIrqstatus) & bits;
            stat &= receiver_ ? ~(kIrqXdr | kIrqXrdy) : ~(kIrqRdr | kIrqRrdy);
            if (!stat) return false;  // -EAGAIN: wait for the next IRQ
            isr_log.push_back({sc_time_stamp(), stat});
            if (stat & kIrqNack) {
                cmd_err_ |= kIrqNack;
                b_.wr(kIrqstatus, kIrqNack);
                if (!(stat & ~kIrqNack)) return false;
            }
            if (stat & kIrqAl) {
                cmd_err_ |= kIrqAl;
                b_.wr(kIrqstatus, kIrqAl);
            }
            if (stat & kIrqArdy) b_.wr(kIrqstatus, kIrqArdy);
            if (stat & (kIrqArdy | kIrqNack | kIrqAl)) {
                b_.wr(kIrqstatus, kIrqRrdy | kIrqRdr | kIrqXrdy | kIrqXdr | kIrqArdy);
                return true;
            }
            if (stat & kIrqRdr) {
                receive(buf_->size() - pos_);
                b_.wr(kIrqstatus, kIrqRdr);
                continue;
            }
            if (stat & kIrqRrdy) {
                receive(threshold_);
                b_.wr(kIrqstatus, kIrqRrdy);
                continue;
            }
            if (stat & kIrqXdr) {
                transmit(buf_->size() - pos_);
                b_.wr(kIrqstatus, kIrqXdr);
                continue;
            }
            if (stat & kIrqXrdy) {
                transmit(threshold_);
                b_.wr(kIrqstatus, kIrqXrdy);
                continue;
            }
            if (stat & (kIrqRovr | kIrqXudf)) {
                cmd_err_ |= stat & (kIrqRovr | kIrqXudf);
                return true;
            }
        }
        return true;
    }
    void receive(size_t n) {
        for (size_t i = 0; i < n && pos_ < buf_->size(); ++i)
            (*buf_)[pos_++] = static_cast<uint8_t>(b_.rd(kData));
    }
    void transmit(size_t n) {
        for (size_t i = 0; i < n && pos_ < buf_->size(); ++i)
            b_.wr(kData, (*buf_)[pos_++]);
    }

    Bench& b_;
    bool bb_valid_ = false;
    bool receiver_ = false;
    unsigned threshold_ = 1;
    std::vector<uint8_t>* buf_ = nullptr;
    size_t pos_ = 0;
    uint16_t cmd_err_ = 0;
};

// The BeagleBone Black board-ID header of configs/boards/beaglebone-black.yaml (am335x.md §11,
// §16: "A335BNLT", version "00C0", serial "2134SBB00768"; no config, no MACs).
std::vector<uint8_t> bbb_header() {
    return ti_board_id("A335BNLT", "00C0", "2134SBB00768");
}

At24Params bbb_eeprom_params() {
    At24Params p;
    p.name = "board_eeprom";
    p.contents = bbb_header();
    return p;
}

// Reset values: TRM 21.4.1.x "[reset = 0h]" unless noted.
struct Reset {
    uint32_t off;
    uint16_t value;
    const char* why;
};
const std::vector<Reset>& trm_resets() {
    static const std::vector<Reset> v = {
        {kRevnbLo, 0x000B, "REVNB_LO: [?] chosen, Linux decodes rev 0.11 (BBB boot log)"},
        {kRevnbHi, 0x5040, "REVNB_HI: [?] chosen, SCHEME = 1 selects the IP v2 map in Linux"},
        {kSysc, 0, "Table 21-11"},
        {kIrqstatusRaw, 0, "Table 21-12"},
        {kIrqstatus, 0, "Table 21-13"},
        {kIrqenableSet, 0, "Table 21-14"},
        {kIrqenableClr, 0, "Table 21-15"},
        {kWe, 0, "Table 21-16"},
        {kDmarxenableSet, 0, "Table 21-17"},
        {kDmatxenableSet, 0, "Table 21-18"},
        {kDmarxenableClr, 0, "Table 21-19"},
        {kDmatxenableClr, 0, "Table 21-20"},
        {kDmarxwakeEn, 0, "Table 21-21"},
        {kDmatxwakeEn, 0, "Table 21-22"},
        {kSyss, 0, "Table 21-23: RDONE low until I2C_EN = 1"},
        {kBuf, 0, "Table 21-24"},
        {kCnt, 0, "Table 21-25"},
        {kData, 0, "Table 21-26"},
        {kCon, 0, "Table 21-27"},
        {kOa, 0, "Table 21-28"},
        {kSa, 0, "Table 21-29"},
        {kPsc, 0, "Table 21-30"},
        {kScll, 0, "Table 21-31"},
        {kSclh, 0, "Table 21-32"},
        // Table 21-33 lists 0h, but SCL_I_FUNC/SDA_I_FUNC/SCL_O_FUNC/SDA_O_FUNC are the line
        // states and an idle bus is high (TRM 21.3.2: "When the bus is free, both pins are
        // high"); Linux omap_i2c_wait_for_bb_valid relies on SCL_I_FUNC and SDA_I_FUNC = 1.
        {kSystest, kSystestSclIFunc | kSystestSclOFunc | kSystestSdaIFunc | kSystestSdaOFunc,
         "Table 21-33 + 21.3.2"},
        {kBufstat, 0x8000, "Table 21-34: FIFODEPTH = 2 (32 bytes)"},
        {kOa1, 0, "Table 21-35"},
        {kOa2, 0, "Table 21-36"},
        {kOa3, 0, "Table 21-37"},
        {kActoa, 0, "Table 21-38"},
        {kSblock, 0, "Table 21-39"},
    };
    return v;
}

void check_trm_resets(Bench& b) {
    for (const Reset& r : trm_resets()) {
        BOOST_TEST_CONTEXT(r.why) {
            BOOST_CHECK_EQUAL(b.rd(r.off), r.value);
        }
    }
}

}  // namespace

// First in the file: it throws, and under AddressSanitizer an exception after a SystemC run
// (coroutine stacks) can give false stack-use-after-scope reports.
BOOST_AUTO_TEST_CASE(bad_parameters_are_clear_errors) {
    vp::test::fresh_simcontext();
    I2cParams p;
    p.fclk_hz = 0;
    BOOST_CHECK_THROW(I2c("bad_clock", p), std::invalid_argument);
    p.fclk_hz = 48'000'000;
    p.fifo_depth = 24;
    BOOST_CHECK_THROW(I2c("bad_fifo", p), std::invalid_argument);
    I2cBus bus("bus");
    At24 e(bbb_eeprom_params());
    BOOST_CHECK_THROW(bus.attach(0x03, e), std::invalid_argument);  // reserved (UM10204)
    BOOST_CHECK_THROW(bus.attach(0x78, e), std::invalid_argument);
    bus.attach(0x50, e);
    BOOST_CHECK_THROW(bus.attach(0x50, e), std::invalid_argument);  // taken
}

// ===========================================================================================
// Register map: reset values and access policies of every register (TRM Table 21-8 and the
// field tables 21-9..21-39).
// ===========================================================================================

BOOST_FIXTURE_TEST_CASE(every_register_reset_value, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    // Every register of Table 21-8 exists.
    BOOST_CHECK_EQUAL(b->i2c.regs().registers().size(), trm_resets().size());
    run_sim(*b, [&] {
        check_trm_resets(*b);
        // Linux omap_i2c_probe reads offset 4: SCHEME (bits 15:14) = 1 -> reg_map_ip_v2.
        BOOST_CHECK_EQUAL(b->rd(kRevnbHi) >> kRevnbHiSchemeShift, 1);
    });
    BOOST_CHECK(!b->i2c.irq.read());
}

BOOST_FIXTURE_TEST_CASE(access_policies_of_plain_registers, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    struct Policy {
        uint32_t off;
        uint16_t after_all_ones;  // read after writing 0xFFFF: the R/W fields of the table
        const char* why;
    };
    const Policy rw[] = {
        {kRevnbLo, 0x000B, "Table 21-9: read only"},
        {kRevnbHi, 0x5040, "Table 21-10: read only"},
        {kWe, 0x6F6F, "Table 21-16: bits 14,13,11..8,6,5,3..0"},
        {kDmarxwakeEn, 0x6F6F, "Table 21-21"},
        {kDmatxwakeEn, 0x6F6F, "Table 21-22"},
        {kSyss, 0x0000, "Table 21-23: RDONE is status (I2C_EN = 0 here)"},
        {kCnt, 0xFFFF, "Table 21-25: DCOUNT 15:0"},
        {kOa, 0x03FF, "Table 21-28: OA 9:0"},
        {kSa, 0x03FF, "Table 21-29: SA 9:0"},
        {kPsc, 0x00FF, "Table 21-30: PSC 7:0"},
        {kScll, 0x00FF, "Table 21-31: SCLL 7:0"},
        {kSclh, 0x00FF, "Table 21-32: SCLH 7:0"},
        // TXSTAT = initial DCOUNT (0xFFFF written above) - bytes written, saturated to 6 bits.
        {kBufstat, 0x803F, "Table 21-34: read only"},
        {kOa1, 0x03FF, "Table 21-35"},
        {kOa2, 0x03FF, "Table 21-36"},
        {kOa3, 0x03FF, "Table 21-37"},
        {kActoa, 0x0000, "Table 21-38: read only"},
        {kSblock, 0x000F, "Table 21-39: OA3_EN..OA0_EN"},
    };
    run_sim(*b, [&] {
        for (const Policy& p : rw) {
            BOOST_TEST_CONTEXT(p.why) {
                b->wr(p.off, 0xFFFF);
                BOOST_CHECK_EQUAL(b->rd(p.off), p.after_all_ones);
            }
        }
        // SYSC: R/W fields CLKACTIVITY 9:8, IDLEMODE 4:3, ENAWAKEUP 2, AUTOIDLE 0 (Table 21-11);
        // SRST (bit 1) left out here: it resets the module (tested below).
        b->wr(kSysc, 0xFFFF & ~kSyscSrst);
        BOOST_CHECK_EQUAL(b->rd(kSysc), 0x031D);
        // BUF: all fields R/W, the FIFO clear bits read 0 (Table 21-24).
        b->wr(kBuf, 0xFFFF);
        BOOST_CHECK_EQUAL(b->rd(kBuf), 0xBFBF);
        // CON: I2C_EN, OPMODE, STB, MST, TRX, XSA, XOA3..0 R/W; bits 14, 3, 2 reserved
        // (Table 21-27). Without STT/STP nothing starts.
        b->wr(kCon, 0xFFFF & ~(kConStt | kConStp) & ~kConOpmodeMask);
        BOOST_CHECK_EQUAL(b->rd(kCon), 0x8FF0);
        b->wr(kCon, 0);
        // IRQENABLE_SET: write 1 sets, read = mask; bit 12 and 15 reserved (Table 21-14).
        b->wr(kIrqenableSet, 0xFFFF);
        BOOST_CHECK_EQUAL(b->rd(kIrqenableSet), 0x6FFF);
        BOOST_CHECK_EQUAL(b->rd(kIrqenableClr), 0x6FFF);
        b->wr(kIrqenableSet, 0);  // writing 0 has no effect
        BOOST_CHECK_EQUAL(b->rd(kIrqenableSet), 0x6FFF);
        b->wr(kIrqenableClr, kIrqXdr | kIrqAl);  // write 1 clears (Table 21-15)
        BOOST_CHECK_EQUAL(b->rd(kIrqenableSet), 0x6FFF & ~(kIrqXdr | kIrqAl));
        b->wr(kIrqenableClr, 0xFFFF);
        BOOST_CHECK_EQUAL(b->rd(kIrqenableSet), 0);
        // DMA enables: bit 0, set/clear pairs (Tables 21-17..21-20).
        b->wr(kDmarxenableSet, 0xFFFF);
        BOOST_CHECK_EQUAL(b->rd(kDmarxenableSet), 1);
        BOOST_CHECK_EQUAL(b->rd(kDmarxenableClr), 1);
        b->wr(kDmarxenableClr, 1);
        BOOST_CHECK_EQUAL(b->rd(kDmarxenableSet), 0);
        b->wr(kDmatxenableSet, 1);
        BOOST_CHECK_EQUAL(b->rd(kDmatxenableSet), 1);
        b->wr(kDmatxenableClr, 1);
        BOOST_CHECK_EQUAL(b->rd(kDmatxenableClr), 0);
        // SYSTEST: with ST_EN = 0 only ST_EN and FREE are writable (Table 21-33).
        b->wr(kSystest, kSystestFree | kSystestTmodeMask | kSystestSclO);
        BOOST_CHECK_EQUAL(b->rd(kSystest) & ~0x01E0u, kSystestFree);
        b->wr(kSystest, 0);
    });
}

BOOST_FIXTURE_TEST_CASE(irqstatus_raw_w1s_irqstatus_w1c_and_the_line, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    run_sim(*b, [&] {
        b->wr(kCon, kConEn);
        // IRQSTATUS_RAW: writing 1 sets an event (debug), BB/ROVR/XUDF are status only
        // (Table 21-12).
        b->wr(kIrqstatusRaw, 0xFFFF);
        BOOST_CHECK_EQUAL(b->rd(kIrqstatusRaw), kIrqAll & ~(kIrqBb | kIrqRovr | kIrqXudf));
        // IRQSTATUS shows only enabled events (Table 21-13); nothing enabled, line low.
        BOOST_CHECK_EQUAL(b->rd(kIrqstatus), 0);
        BOOST_CHECK(!b->i2c.irq.read());
        b->wr(kIrqenableSet, kIrqArdy | kIrqNack);
        BOOST_CHECK_EQUAL(b->rd(kIrqstatus), kIrqArdy | kIrqNack);
        BOOST_CHECK(b->i2c.irq.read());
        // IRQSTATUS: write 1 clears the event (Table 21-13); the line follows.
        b->wr(kIrqstatus, kIrqArdy);
        BOOST_CHECK_EQUAL(b->rd(kIrqstatus), kIrqNack);
        BOOST_CHECK(b->i2c.irq.read());
        b->wr(kIrqstatus, kIrqNack);
        BOOST_CHECK(!b->i2c.irq.read());
        // Clearing through IRQSTATUS also clears events that are not enabled.
        b->wr(kIrqstatus, 0xFFFF);
        BOOST_CHECK_EQUAL(b->rd(kIrqstatusRaw), 0);
        // SYSTEST.SSB (with ST_EN) sets status bits 5:0 (Table 21-33).
        b->wr(kSystest, kSystestStEn | kSystestSsb);
        BOOST_CHECK_EQUAL(b->rd(kIrqstatusRaw) & 0x3F, 0x3F);
        b->wr(kSystest, 0);
        // CON.I2C_EN = 0 returns the status bits to their defaults (Table 21-27).
        b->wr(kCon, 0);
        BOOST_CHECK_EQUAL(b->rd(kIrqstatusRaw), 0);
    });
    // Edges: up when ARDY|NACK enabled, down when NACK cleared, up on SSB (NACK, ARDY).
    const auto rises = b->rising_edges();
    BOOST_CHECK_EQUAL(rises.size(), 2u);
}

BOOST_FIXTURE_TEST_CASE(access_sizes_and_holes, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    run_sim(*b, [&] {
        uint32_t v = 0;
        // 16- and 32-bit accesses (Linux uses 16-bit); the upper half of a 32-bit read is 0.
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_READ_COMMAND, kBufstat, v, 4), tlm::TLM_OK_RESPONSE);
        BOOST_CHECK_EQUAL(v, 0x8000u);
        v = 0x12345;
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_WRITE_COMMAND, kSa, v, 4), tlm::TLM_OK_RESPONSE);
        BOOST_CHECK_EQUAL(b->rd(kSa), 0x345);
        // 8-bit accesses are not supported: generic error (an OCP error -> external abort).
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_READ_COMMAND, kSa, v, 1),
                          tlm::TLM_GENERIC_ERROR_RESPONSE);
        // A 16-bit write to the upper half of a register word touches reserved bits only.
        v = 0xFFFF;
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_WRITE_COMMAND, kData + 2, v, 2), tlm::TLM_OK_RESPONSE);
        BOOST_CHECK_EQUAL(b->i2c.tx_level(), 0u);
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_READ_COMMAND, kSa + 2, v, 2), tlm::TLM_OK_RESPONSE);
        BOOST_CHECK_EQUAL(v, 0u);
        // Offsets not in Table 21-8 are reserved: address error.
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_READ_COMMAND, 0x08, v, 2),
                          tlm::TLM_ADDRESS_ERROR_RESPONSE);
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_READ_COMMAND, 0xA0, v, 2),
                          tlm::TLM_ADDRESS_ERROR_RESPONSE);
    });
}

BOOST_FIXTURE_TEST_CASE(clock_gated_access_is_an_error, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    run_sim(*b, [&] {
        // CM_WKUP_I2C0_CLKCTRL.MODULEMODE = 0: the L4 answers an error (SPRUH73 §8.1.12).
        b->i2c.clock_enable.write(false);
        uint32_t v = 0;
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_READ_COMMAND, kRevnbHi, v, 2),
                          tlm::TLM_GENERIC_ERROR_RESPONSE);
        v = kConEn;
        BOOST_CHECK_EQUAL(b->access(tlm::TLM_WRITE_COMMAND, kCon, v, 2),
                          tlm::TLM_GENERIC_ERROR_RESPONSE);
        b->i2c.clock_enable.write(true);
        BOOST_CHECK_EQUAL(b->rd(kCon), 0);  // the gated write did nothing
        BOOST_CHECK_EQUAL(b->rd(kRevnbHi), 0x5040);
    });
}

BOOST_FIXTURE_TEST_CASE(soft_reset_restores_reset_values_and_rdone, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    run_sim(*b, [&] {
        b->wr(kSysc, 0x0215);
        b->wr(kPsc, 4);
        b->wr(kScll, 9);
        b->wr(kSclh, 3);
        b->wr(kOa, 0x1);
        b->wr(kSa, 0x50);
        b->wr(kCnt, 78);
        b->wr(kBuf, 0x0F0F);
        b->wr(kWe, 0x636F);
        b->wr(kIrqenableSet, 0x601F);
        b->wr(kSblock, 0x3);
        b->wr(kCon, kConEn);
        b->wr(kData, 0xA5);
        b->wr(kIrqstatusRaw, kIrqAl);
        BOOST_CHECK(b->i2c.irq.read());               // AL enabled in 0x601F
        BOOST_CHECK_EQUAL(b->rd(kSyss), kSyssRdone);  // RDONE once I2C_EN = 1 (Table 21-23)
        BOOST_CHECK_EQUAL(b->i2c.tx_level(), 1u);
        // SYSC.SRST: "entire module is reset as for the hardware reset" (Table 21-11), SYSC
        // included (Linux omap_i2c_reset rewrites it), SRST reads 0.
        b->wr(kSysc, kSyscSrst);
        check_trm_resets(*b);
        BOOST_CHECK_EQUAL(b->i2c.tx_level(), 0u);
        BOOST_CHECK(!b->i2c.irq.read());
        // RDONE rises once the module is enabled again (Linux: "we need to set the EN bit
        // before the reset done bit gets set").
        b->wr(kCon, kConEn);
        BOOST_CHECK_EQUAL(b->rd(kSyss), kSyssRdone);
        // Hardware reset (the PRCM / platform) likewise.
        b->wr(kPsc, 11);
        b->i2c.reset();
        check_trm_resets(*b);
    });
}

// ===========================================================================================
// The Linux i2c-omap sequences.
// ===========================================================================================

BOOST_FIXTURE_TEST_CASE(linux_reset_and_init_register_by_register, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    OmapI2cDriver drv(*b);
    run_sim(*b, [&] {
        b->mon.clear();
        BOOST_REQUIRE(drv.reset());
        drv.init(400);
    });
    // The bus transactions of omap_i2c_reset() + __omap_i2c_init() (am335x.md §6.1 step 1),
    // each a 16-bit access at time 0 (no poll iteration needed: RDONE is already 1).
    struct Access {
        tlm::tlm_command cmd;
        uint32_t off;
        uint32_t value;
    };
    const tlm::tlm_command R = tlm::TLM_READ_COMMAND, W = tlm::TLM_WRITE_COMMAND;
    const Access expected[] = {
        {R, kSysc, 0},     {R, kCon, 0},
        {W, kCon, 0},      {W, kSysc, kSyscSrst},
        {W, kCon, kConEn}, {R, kSyss, kSyssRdone},
        {W, kSysc, 0},     {W, kCon, 0},
        {W, kPsc, 4},      {W, kScll, 9},
        {W, kSclh, 3},     {W, kWe, 0x636F},
        {W, kCon, kConEn}, {W, kIrqenableSet, 0x601F},
    };
    const auto& rec = b->mon.records();
    BOOST_REQUIRE_EQUAL(rec.size(), std::size(expected));
    for (size_t i = 0; i < rec.size(); ++i) {
        BOOST_TEST_CONTEXT("access " << i) {
            BOOST_CHECK_EQUAL(rec[i].command, expected[i].cmd);
            BOOST_CHECK_EQUAL(rec[i].address, expected[i].off);
            BOOST_CHECK_EQUAL(rec[i].length, 2u);
            BOOST_CHECK_EQUAL(rec[i].value(), expected[i].value);
            BOOST_CHECK_EQUAL(rec[i].response, tlm::TLM_OK_RESPONSE);
            BOOST_CHECK(rec[i].time == SC_ZERO_TIME);
        }
    }
    // 400 kHz: ICLK = 48 MHz / 5 = 9.6 MHz, tLOW = 16 ICLK, tHIGH = 8 ICLK: 2.5 us (TRM
    // Tables 21-30..21-32).
    BOOST_CHECK(b->i2c.scl_period() == us(2.5));
    BOOST_CHECK(!b->i2c.irq.read());
}

BOOST_FIXTURE_TEST_CASE(scl_period_for_100_khz, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    OmapI2cDriver drv(*b);
    run_sim(*b, [&] { drv.init(100); });
    // 100 kHz: ICLK = 48 MHz / 12 = 4 MHz, tLOW = 20 ICLK, tHIGH = 20 ICLK: 10 us.
    BOOST_CHECK(b->i2c.scl_period() == us(10));
}

namespace {
// The at24 read of the board-ID header as Linux performs it (at24_read -> i2c_transfer):
// a write of the 2-byte word address without STOP, then a 78-byte read with STOP.
void header_read(unsigned khz, double scl_us) {
    auto b = std::make_unique<Bench>("bench");
    At24 eeprom(bbb_eeprom_params());
    b->i2c.bus.attach(0x50, eeprom);
    b->i2c.bus.set_tracing(true);
    OmapI2cDriver drv(*b);
    std::vector<Msg> msgs = {{0x50, false, {0x00, 0x00}},
                             {0x50, true, std::vector<uint8_t>(at24::kTiHeaderSize)}};
    int result = 1;
    sc_time done;
    run_sim(*b, [&] {
        BOOST_REQUIRE(drv.reset());
        drv.init(khz);
        result = drv.transfer(msgs);
        done = sc_time_stamp();
    });
    BOOST_REQUIRE_EQUAL(result, 0);
    BOOST_CHECK(msgs[1].data == bbb_header());
    // Magic AA 55 33 EE = 0xEE3355AA as a little-endian u32 (am335x.md §11).
    const uint32_t magic = msgs[1].data[0] | msgs[1].data[1] << 8 | msgs[1].data[2] << 16 |
                           static_cast<uint32_t>(msgs[1].data[3]) << 24;
    BOOST_CHECK_EQUAL(magic, 0xEE3355AAu);
    BOOST_CHECK_EQUAL(std::string(msgs[1].data.begin() + 4, msgs[1].data.begin() + 12), "A335BNLT");

    const sc_time T = us(scl_us);
    BOOST_REQUIRE_EQUAL(drv.con_writes.size(), 2u);
    const sc_time t0 = drv.con_writes[0];
    const sc_time t1 = drv.con_writes[1];
    // Message 1: START (T) + address (9T) + 2 bytes (18T): ARDY after 28 T, bus kept
    // (no STP: repeated START follows, Table 21-27 STP / 21-25 DCOUNT note 1).
    // Message 2: Sr (T) + address (9T) + 78 bytes (702T) + STOP (T) = 713 T.
    BOOST_CHECK(t1 == t0 + T * 28.0);
    BOOST_CHECK(done == t1 + T * 713.0);

    // Interrupts the handler served, with their times (am335x.md §6.1 step 4).
    std::vector<std::pair<sc_time, uint16_t>> want = {
        {t0, kIrqXrdy},              // TX: FIFO below threshold 2, 2 bytes to write
        {t0 + T * 28.0, kIrqArdy},   // DCOUNT passed 0 without STP
        {t1 + T * 154.0, kIrqRrdy},  // 16 bytes in the RX FIFO (threshold 16)
        {t1 + T * 298.0, kIrqRrdy},
        {t1 + T * 442.0, kIrqRrdy},
        {t1 + T * 586.0, kIrqRrdy},
        {t1 + T * 713.0, kIrqRdr},   // STOP with 14 < 16 bytes left: draining
        {t1 + T * 713.0, kIrqArdy},  // ... and ARDY once the FIFO is empty
    };
    for (const auto& r : drv.isr_log)
        BOOST_TEST_MESSAGE("handler at " << r.time << " stat " << std::hex << r.stat);
    BOOST_REQUIRE_EQUAL(drv.isr_log.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST_CONTEXT("handler pass " << i) {
            BOOST_CHECK(drv.isr_log[i].time == want[i].first);
            BOOST_CHECK_EQUAL(drv.isr_log[i].stat, want[i].second);
        }
    }
    // IRQ line edges: each rise at an event above, each fall when the handler cleared it.
    const auto rises = b->rising_edges();
    BOOST_REQUIRE_EQUAL(rises.size(), 7u);  // RDR and ARDY of the last pass share one rise
    BOOST_CHECK(rises[0] == t0);
    BOOST_CHECK(rises[1] == t0 + T * 28.0);
    BOOST_CHECK(rises[6] == t1 + T * 713.0);
    BOOST_CHECK(!b->i2c.irq.read());

    // The bus: START 0x50 W, 00, 00, Sr 0x50 R, 78 reads (the last NACKed), STOP.
    const auto& tr = b->i2c.bus.trace();
    BOOST_REQUIRE_EQUAL(tr.size(), 1u + 2u + 1u + 78u + 1u);
    BOOST_CHECK(tr[0].kind == I2cBusEvent::Kind::start && tr[0].value == 0x50 && !tr[0].read &&
                tr[0].ack && tr[0].time == t0 + T * 10.0);
    BOOST_CHECK(tr[1].kind == I2cBusEvent::Kind::write && tr[1].value == 0 &&
                tr[1].time == t0 + T * 19.0);
    BOOST_CHECK(tr[2].kind == I2cBusEvent::Kind::write && tr[2].time == t0 + T * 28.0);
    BOOST_CHECK(tr[3].kind == I2cBusEvent::Kind::restart && tr[3].read &&
                tr[3].time == t1 + T * 10.0);
    BOOST_CHECK(tr[4].kind == I2cBusEvent::Kind::read && tr[4].value == 0xAA && tr[4].ack);
    BOOST_CHECK(tr[81].kind == I2cBusEvent::Kind::read && !tr[81].ack);  // master NACK
    BOOST_CHECK(tr[82].kind == I2cBusEvent::Kind::stop && tr[82].time == t1 + T * 713.0);
    // omap_i2c_resize_fifo + omap_i2c_xfer_msg, transaction by transaction, for both messages
    // (am335x.md §6.1 step 3): BUF threshold + FIFO clear, SA, CNT, BUF |= both clears, CON.
    struct Access {
        tlm::tlm_command cmd;
        uint32_t off;
        uint32_t value;
    };
    const tlm::tlm_command R = tlm::TLM_READ_COMMAND, W = tlm::TLM_WRITE_COMMAND;
    const Access msg1[] = {
        {R, kBuf, 0x0000}, {W, kBuf, 0x0041},  // TXTRSH = 2 - 1, TXFIFO_CLR
        {W, kSa, 0x50},    {W, kCnt, 2},      {R, kBuf, 0x0001},
        {W, kBuf, 0x4041}, {W, kCon, 0x8601},  // I2C_EN | MST | TRX | STT
    };
    const Access msg2[] = {
        {R, kBuf, 0x0001}, {W, kBuf, 0x4F01},  // RXTRSH = 16 - 1, RXFIFO_CLR
        {W, kSa, 0x50},    {W, kCnt, 78},     {R, kBuf, 0x0F01},
        {W, kBuf, 0x4F41}, {W, kCon, 0x8403},  // I2C_EN | MST | STT | STP
    };
    const auto& recs = b->mon.records();
    auto check_setup = [&](const Access* want, size_t n, uint32_t con) {
        size_t end = 0;
        for (size_t i = 0; i < recs.size(); ++i)
            if (recs[i].command == W && recs[i].address == kCon && recs[i].value() == con)
                end = i + 1;
        BOOST_REQUIRE_GE(end, n);
        for (size_t i = 0; i < n; ++i) {
            const auto& r = recs[end - n + i];
            BOOST_TEST_CONTEXT("setup access " << i << " before CON = " << std::hex << con) {
                BOOST_CHECK_EQUAL(r.command, want[i].cmd);
                BOOST_CHECK_EQUAL(r.address, want[i].off);
                BOOST_CHECK_EQUAL(r.value(), want[i].value);
            }
        }
    };
    check_setup(msg1, std::size(msg1), 0x8601);
    check_setup(msg2, std::size(msg2), 0x8403);
    // Every register access was 16 bits and answered OK.
    for (const auto& r : b->mon.records()) {
        BOOST_CHECK_EQUAL(r.length, 2u);
        BOOST_CHECK_EQUAL(r.response, tlm::TLM_OK_RESPONSE);
    }
    b.reset();
}
}  // namespace

BOOST_FIXTURE_TEST_CASE(linux_eeprom_header_read_400khz, vp::test::FreshSim) {
    header_read(400, 2.5);
}

BOOST_FIXTURE_TEST_CASE(linux_eeprom_header_read_100khz, vp::test::FreshSim) {
    header_read(100, 10.0);
}

BOOST_FIXTURE_TEST_CASE(absent_address_gives_nack_then_ardy, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    At24 eeprom(bbb_eeprom_params());
    b->i2c.bus.attach(0x50, eeprom);
    OmapI2cDriver drv(*b);
    std::vector<Msg> msgs = {{0x51, true, std::vector<uint8_t>(1)}};
    int result = 0;
    sc_time stp_written, done;
    uint16_t raw_after = 0;
    run_sim(*b, [&] {
        BOOST_REQUIRE(drv.reset());
        drv.init(400);
        result = drv.transfer(msgs);
        done = sc_time_stamp();
        raw_after = b->rd(kIrqstatusRaw);
    });
    // No device at 0x51: NACK on the address byte (UM10204 §3.1.6), NACK + ARDY raised,
    // MST/STP cleared (Table 21-12 NACK), Linux sets STP and returns -EREMOTEIO.
    BOOST_CHECK_EQUAL(result, -121);
    const sc_time T = us(2.5);
    const sc_time t0 = drv.con_writes.at(0);
    BOOST_REQUIRE_EQUAL(drv.isr_log.size(), 1u);
    BOOST_CHECK(drv.isr_log[0].time == t0 + T * 10.0);
    BOOST_CHECK_EQUAL(drv.isr_log[0].stat, kIrqNack | kIrqArdy);
    // The STOP Linux asked for took one SCL period, then BB = 0 and BF = 1; Linux polls BB
    // with msleep(1), so it sees the bus free at its next poll, 1 ms later.
    BOOST_CHECK(done == t0 + T * 10.0 + ms(1));
    BOOST_CHECK(raw_after & kIrqBf);
    BOOST_CHECK(!(raw_after & kIrqBb));
    BOOST_CHECK(!b->i2c.bus_busy());
}

BOOST_FIXTURE_TEST_CASE(eeprom_page_write_xrdy_xdr_and_ack_polling, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    At24 eeprom(bbb_eeprom_params());
    b->i2c.bus.attach(0x50, eeprom);
    OmapI2cDriver drv(*b);
    // One 24LC32A page (32 bytes at 0x0100) after its 2-byte address: 34 bytes, threshold 16.
    std::vector<uint8_t> page(32);
    for (size_t i = 0; i < page.size(); ++i)
        page[i] = static_cast<uint8_t>(0x40 + i);
    std::vector<uint8_t> wbytes = {0x01, 0x00};
    wbytes.insert(wbytes.end(), page.begin(), page.end());
    std::vector<Msg> write = {{0x50, false, wbytes}};
    std::vector<Msg> poll = {{0x50, false, {0x01, 0x00}}, {0x50, true, std::vector<uint8_t>(32)}};
    int r_write = 1, r_busy = 0, r_after = 1;
    sc_time write_done;
    std::vector<IsrRecord> write_isr;
    run_sim(*b, [&] {
        BOOST_REQUIRE(drv.reset());
        drv.init(400);
        r_write = drv.transfer(write);
        write_done = sc_time_stamp();
        write_isr = drv.isr_log;
        r_busy = drv.transfer(poll);  // during tWC: NACK (acknowledge polling)
        wait(ms(5));
        r_after = drv.transfer(poll);  // after tWC: the page reads back
    });
    BOOST_CHECK_EQUAL(r_write, 0);
    BOOST_CHECK_EQUAL(r_busy, -121);
    BOOST_CHECK_EQUAL(r_after, 0);
    BOOST_CHECK(poll[1].data == page);
    const sc_time T = us(2.5);
    const sc_time t0 = drv.con_writes.at(0);
    // XRDY at the START (16 to write); XRDY again when the first byte leaves the FIFO (15 < 16,
    // 18 left); XDR when the FIFO is below 16 with 2 < 16 left (Table 21-12); ARDY after the
    // STOP: 10 T + 34 x 9 T + T = 317 T.
    const std::vector<std::pair<sc_time, uint16_t>> want = {
        {t0, kIrqXrdy},
        {t0 + T * 10.0, kIrqXrdy},
        {t0 + T * 154.0, kIrqXdr},  // byte 17 leaves the FIFO: 15 in it, 2 left to write
        {t0 + T * 317.0, kIrqArdy},
    };
    for (const auto& r : write_isr)
        BOOST_TEST_MESSAGE("handler at " << r.time << " stat " << std::hex << r.stat);
    BOOST_REQUIRE_EQUAL(write_isr.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST_CONTEXT("handler pass " << i) {
            BOOST_CHECK(write_isr[i].time == want[i].first);
            BOOST_CHECK_EQUAL(write_isr[i].stat, want[i].second);
        }
    }
    BOOST_CHECK(write_done == t0 + T * 317.0);
    // The page is in the array; the write cycle refused the first poll (24LC32A: no ACK
    // during tWC = 5 ms).
    BOOST_CHECK(std::equal(page.begin(), page.end(), eeprom.memory().begin() + 0x100));
    const auto* busy = vp::stats::Registry::global().find("board_eeprom.busy_nacks");
    BOOST_REQUIRE(busy);
    BOOST_CHECK_EQUAL(busy->value(), 1.0);
}

BOOST_FIXTURE_TEST_CASE(pmic_chipid_and_password_protected_dcdc_write, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    Tps65217 pmic;
    b->i2c.bus.attach(tps65217::kI2cAddress, pmic);
    OmapI2cDriver drv(*b);
    using namespace vp::tps65217;
    // regmap_read over I2C: register address without STOP, then one byte with STOP.
    auto reg_read = [&](uint8_t reg) {
        std::vector<Msg> m = {{kI2cAddress, false, {reg}}, {kI2cAddress, true, {0}}};
        BOOST_REQUIRE_EQUAL(drv.transfer(m), 0);
        return m[1].data[0];
    };
    auto reg_write = [&](uint8_t reg, uint8_t v) {
        std::vector<Msg> m = {{kI2cAddress, false, {reg, v}}};
        BOOST_REQUIRE_EQUAL(drv.transfer(m), 0);
    };
    // Linux tps65217_reg_write(..., TPS65217_PROTECT_L2): PASSWORD, write, PASSWORD, write.
    auto write_l2 = [&](uint8_t reg, uint8_t v) {
        reg_write(kPassword, reg ^ kPasswordKey);
        reg_write(reg, v);
        reg_write(kPassword, reg ^ kPasswordKey);
        reg_write(reg, v);
    };
    uint8_t chipid = 0, dcdc2_half = 0, dcdc2 = 0, slew = 0, password = 0xFF;
    uint32_t uv_before_go = 0;
    run_sim(*b, [&] {
        BOOST_REQUIRE(drv.reset());
        drv.init(400);
        chipid = reg_read(kChipid);
        // One unlocked write is only the first half of a level-2 write: no change.
        reg_write(kPassword, kDefdcdc2 ^ kPasswordKey);
        reg_write(kDefdcdc2, kDcdc1325mV);
        dcdc2_half = reg_read(kDefdcdc2);
        // tps65217_pmic_set_voltage_sel(): DEFDCDC2 (level 2), then DEFSLEW.GO (level 2).
        const uint8_t old = reg_read(kDefdcdc2);
        write_l2(kDefdcdc2, static_cast<uint8_t>((old & ~kDcdcSelMask) | kDcdc1325mV));
        dcdc2 = reg_read(kDefdcdc2);
        uv_before_go = pmic.dcdc_output_microvolts(2);
        const uint8_t s = reg_read(kDefslew);
        write_l2(kDefslew, s | kDefslewGo);
        slew = reg_read(kDefslew);
        password = reg_read(kPassword);
    });
    // BeagleBone Black: TPS65217C revision 1.2 (boot log "TPS65217 ID 0xe version 1.2").
    BOOST_CHECK_EQUAL(chipid, 0xE2);
    BOOST_CHECK_EQUAL(dcdc2_half, kDcdc1100mV);  // data sheet: level 2 needs both halves
    BOOST_CHECK_EQUAL(dcdc2, kDcdc1325mV);
    // The output follows the selector only after GO (data sheet DEFSLEW.GO); 0x08 = 1.100 V,
    // 0x11 = 1.325 V (am335x.md §11).
    BOOST_CHECK_EQUAL(uv_before_go, 1100000u);
    BOOST_CHECK_EQUAL(pmic.dcdc_output_microvolts(2), 1325000u);
    BOOST_CHECK_EQUAL(slew & kDefslewGo, 0);  // GO self-clears after the transition
    BOOST_CHECK_EQUAL(password, 0);           // PASSWORD cleared after the next transaction
}

// ===========================================================================================
// FIFO corner cases, arbitration, DMA (polled, register level).
// ===========================================================================================

namespace {
void start_read(Bench& b, uint16_t addr, uint16_t count, unsigned threshold) {
    b.wr(kBuf, ((threshold - 1) << kBufRxtrshShift) | kBufRxfifoClr | kBufTxfifoClr);
    b.wr(kSa, addr);
    b.wr(kCnt, count);
    b.wr(kCon, kConEn | kConMst | kConStt | kConStp);
}
void wait_until(const sc_time& t) {
    if (t > sc_time_stamp()) wait(t - sc_time_stamp());
}
}  // namespace

BOOST_FIXTURE_TEST_CASE(rx_fifo_full_holds_the_bus_with_rovr, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    At24 eeprom(bbb_eeprom_params());
    b->i2c.bus.attach(0x50, eeprom);
    OmapI2cDriver drv(*b);
    const sc_time T = us(2.5);
    std::vector<uint8_t> got;
    run_sim(*b, [&] {
        drv.init(400);
        const sc_time t0 = sc_time_stamp();
        start_read(*b, 0x50, 40, 16);
        // 32 bytes fill the FIFO (TRM 21.3.14: 32-byte FIFOs); byte 33 completes in the shift
        // register at 10 T + 33 x 9 T and the module holds SCL low: ROVR (Table 21-12).
        wait_until(t0 + T * 307.0 - sc_time(1, SC_NS));
        BOOST_CHECK(!(b->rd(kIrqstatusRaw) & kIrqRovr));
        wait_until(t0 + T * 307.0);
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqRovr);
        BOOST_CHECK_EQUAL((b->rd(kBufstat) >> kBufstatRxstatShift) & kBufstatRxstatMask, 32);
        BOOST_CHECK_EQUAL(b->rd(kCnt), 40 - 33);  // DCOUNT: bytes yet to receive
        wait(ms(1));                              // nobody reads: the bus stays held
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqRovr);
        const sc_time tr = sc_time_stamp();
        got.push_back(static_cast<uint8_t>(b->rd(kData)));  // "ROVR is clear when reading DATA"
        BOOST_CHECK(!(b->rd(kIrqstatusRaw) & kIrqRovr));
        // The held byte moves into the FIFO and byte 34 follows: full again at tr + 9 T.
        wait_until(tr + T * 9.0);
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqRovr);
        // Drain everything as it comes; the last byte, then STOP, then ARDY.
        const sc_time deadline = sc_time_stamp() + ms(2);
        while (got.size() < 40 && sc_time_stamp() < deadline) {
            if ((b->rd(kBufstat) >> kBufstatRxstatShift) & kBufstatRxstatMask)
                got.push_back(static_cast<uint8_t>(b->rd(kData)));
            else
                wait(us(1));
        }
        wait(T * 2.0);
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqArdy);
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqBf);
    });
    BOOST_REQUIRE_EQUAL(got.size(), 40u);
    BOOST_CHECK(std::equal(got.begin(), got.end(), eeprom.memory().begin()));
}

BOOST_FIXTURE_TEST_CASE(tx_fifo_empty_holds_the_bus_with_xudf, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    At24 eeprom(bbb_eeprom_params());
    b->i2c.bus.attach(0x50, eeprom);
    b->i2c.bus.set_tracing(true);
    OmapI2cDriver drv(*b);
    const sc_time T = us(2.5);
    run_sim(*b, [&] {
        drv.init(400);
        b->wr(kBuf, kBufTxfifoClr | kBufRxfifoClr);  // thresholds 1
        b->wr(kSa, 0x50);
        b->wr(kCnt, 3);
        const sc_time t0 = sc_time_stamp();
        b->wr(kCon, kConEn | kConMst | kConTrx | kConStt | kConStp);
        b->wr(kData, 0x02);  // word address high byte
        // Byte 1 leaves at 10 T and ends at 19 T; then shift register and FIFO are empty with
        // 2 bytes to go: XUDF, SCL held (Table 21-12 XUDF).
        wait_until(t0 + T * 19.0);
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqXudf);
        BOOST_CHECK_EQUAL(b->rd(kCnt), 2);
        wait(ms(1));
        const sc_time tw = sc_time_stamp();
        b->wr(kData, 0x00);  // "XUDF is clear when writing I2C_DATA"
        BOOST_CHECK(!(b->rd(kIrqstatusRaw) & kIrqXudf));
        wait_until(tw + T * 9.0);
        BOOST_CHECK(b->rd(kIrqstatusRaw) & kIrqXudf);
        const sc_time tw2 = sc_time_stamp();
        b->wr(kData, 0x5A);
        wait_until(tw2 + T * 10.0);  // last byte (9 T) and STOP (T)
        const uint16_t raw = b->rd(kIrqstatusRaw);
        BOOST_CHECK(raw & kIrqArdy);
        BOOST_CHECK(raw & kIrqBf);
        BOOST_CHECK(!(raw & kIrqBb));
        const auto& tr = b->i2c.bus.trace();
        BOOST_REQUIRE_EQUAL(tr.size(), 5u);
        BOOST_CHECK(tr[2].time == tw + T * 9.0);
        BOOST_CHECK(tr[3].time == tw2 + T * 9.0);
        BOOST_CHECK(tr[4].kind == I2cBusEvent::Kind::stop && tr[4].time == tw2 + T * 10.0);
    });
    // The written byte went to word address 0x0200 (written at the STOP).
    BOOST_CHECK_EQUAL(eeprom.memory()[0x200], 0x5A);
}

BOOST_FIXTURE_TEST_CASE(start_while_another_master_owns_the_bus_loses_arbitration,
                        vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    b->i2c.bus.set_tracing(true);
    OmapI2cDriver drv(*b);
    sc_time t0;
    run_sim(*b, [&] {
        drv.init(400);
        b->i2c.bus.set_external_busy(true);
        BOOST_CHECK(b->rd(kIrqstatus) & kIrqBb);  // BB reflects the bus (Table 21-12)
        b->wr(kSa, 0x50);
        b->wr(kCnt, 1);
        t0 = sc_time_stamp();
        b->wr(kCon, kConEn | kConMst | kConStt | kConStp);
        // AL: "the I2C attempts to start a transfer while BB is 1"; MST/STP cleared, the module
        // becomes a slave receiver (Table 21-12 AL, Table 21-27 MST).
        BOOST_CHECK(b->rd(kIrqstatus) & kIrqAl);
        BOOST_CHECK_EQUAL(b->rd(kCon) & (kConMst | kConStp | kConStt), 0);
    });
    BOOST_CHECK(b->i2c.bus.trace().empty());
    BOOST_REQUIRE(!b->rising_edges().empty());
    BOOST_CHECK(b->rising_edges().back() == t0);
}

BOOST_FIXTURE_TEST_CASE(rx_dma_request_replaces_rrdy, vp::test::FreshSim) {
    auto b = std::make_unique<Bench>("bench");
    At24 eeprom(bbb_eeprom_params());
    b->i2c.bus.attach(0x50, eeprom);
    OmapI2cDriver drv(*b);
    const sc_time T = us(2.5);
    std::vector<sc_time> dma_rises;
    b->i2c.dma_rx.on_change([&](bool l, const sc_time& off) {
        if (l) dma_rises.push_back(sc_time_stamp() + off);
    });
    run_sim(*b, [&] {
        drv.init(400);
        b->wr(kDmarxenableSet, kDmaEnable);
        const sc_time t0 = sc_time_stamp();
        b->wr(kBuf, kBufRdmaEn | (3u << kBufRxtrshShift));  // threshold 4
        b->wr(kSa, 0x50);
        b->wr(kCnt, 4);
        b->wr(kCon, kConEn | kConMst | kConStt | kConStp);
        wait_until(t0 + T * 47.0);
        // With RDMA_EN the RRDY status is forced to 0 and a DMA request is raised instead
        // (Table 21-24 RDMA_EN, TRM 21.3.14.3).
        BOOST_CHECK(!(b->rd(kIrqstatusRaw) & kIrqRrdy));
        BOOST_CHECK(b->i2c.dma_rx.read());
        for (int i = 0; i < 4; ++i)
            b->rd(kData);
        BOOST_CHECK(!b->i2c.dma_rx.read());
        BOOST_REQUIRE_EQUAL(dma_rises.size(), 1u);
        BOOST_CHECK(dma_rises[0] == t0 + T * 46.0);  // 4th byte: 10 T + 4 x 9 T
    });
}

// ===========================================================================================
// The register script tests/scripts/i2c_eeprom_header.yaml, run on a small platform until
// the SoC wires the I2C: a stand-in CM_WKUP (I2C0_CLKCTRL at 0x44E0_04B8) gates I2C0 at
// 0x44E0_B000 (am335x.md §1.2, §3.2).
// ===========================================================================================

namespace {
// CM_WKUP_I2C0_CLKCTRL only: MODULEMODE [1:0], IDLEST [17:16] (3 = disabled, 0 = functional)
// (SPRUH73 §8.1.12; reset 0x0003_0000 for a slave module, am335x.md §16).
struct FakeCmWkup : Peripheral {
    Wire i2c0_clock{"cm_wkup.i2c0"};
    explicit FakeCmWkup(sc_module_name n) : Peripheral(n, 0x100) {
        regs()
            .add("I2C0_CLKCTRL", 0xB8, 0x00030000)
            .writable(0x3)
            .on_write([this](Register& r, uint32_t, uint32_t) {
                const bool on = (r.get() & 0x3) == 2;
                r.set((r.get() & 0x3) | (on ? 0u : 0x00030000u));
                i2c0_clock.write(on);
            });
    }
};

struct Decoder : sc_module {
    tlm_utils::simple_target_socket<Decoder> in{"in"};
    tlm_utils::simple_initiator_socket<Decoder> prcm{"prcm"};
    tlm_utils::simple_initiator_socket<Decoder> i2c0{"i2c0"};
    explicit Decoder(sc_module_name n) : sc_module(n) {
        in.register_b_transport(this, &Decoder::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_time& d) {
        const uint64_t a = p.get_address();
        if (a >= 0x44E00400 && a < 0x44E00500) {
            p.set_address(a - 0x44E00400);
            prcm->b_transport(p, d);
        } else if (a >= 0x44E0B000 && a < 0x44E0C000) {
            p.set_address(a - 0x44E0B000);
            i2c0->b_transport(p, d);
        } else {
            p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        p.set_address(a);
    }
};

std::string source_dir() {
    const char* d = std::getenv("VP_SOURCE_DIR");
    return d ? d : ".";
}

void run_script_file(const std::string& rel, At24* eeprom, Tps65217* pmic, bool expect_pass) {
    std::ostringstream log;
    auto master = std::make_unique<vp::script::ScriptMaster>(
        "script", vp::script::parse_script(source_dir() + "/" + rel), log);
    auto dec = std::make_unique<Decoder>("l4_wkup");
    auto cm = std::make_unique<FakeCmWkup>("cm_wkup");
    I2cParams p;
    p.smart_idle_wakeup = true;
    auto i2c0 = std::make_unique<I2c>("i2c0", p);
    cm->i2c0_clock.connect(i2c0->clock_enable);  // gated at reset: MODULEMODE = 0
    if (eeprom) i2c0->bus.attach(0x50, *eeprom);
    if (pmic) i2c0->bus.attach(tps65217::kI2cAddress, *pmic);
    master->socket.bind(dec->in);
    dec->prcm.bind(cm->socket);
    dec->i2c0.bind(i2c0->socket);
    master->set_irq_lookup([&](unsigned line) -> const Wire* {
        return line == 70 ? &i2c0->irq : nullptr;  // I2C0 = INTC line 70
    });
    master->check_platform();
    master->on_complete([] { sc_stop(); });
    sc_start(sc_time(10, SC_SEC));
    BOOST_TEST_MESSAGE(log.str());
    BOOST_CHECK(master->done());
    BOOST_CHECK_EQUAL(master->passed(), expect_pass);
    if (master->passed() != expect_pass) BOOST_TEST_MESSAGE(log.str());
    master.reset();
    i2c0.reset();
    cm.reset();
    dec.reset();
}
}  // namespace

BOOST_FIXTURE_TEST_CASE(script_eeprom_header_read, vp::test::FreshSim) {
    At24 eeprom(bbb_eeprom_params());
    run_script_file("tests/scripts/i2c_eeprom_header.yaml", &eeprom, nullptr, true);
}

BOOST_FIXTURE_TEST_CASE(script_fails_without_the_eeprom, vp::test::FreshSim) {
    // The same script against an empty bus: the address is NACKed and the checks fail, which
    // shows the script really checks the header.
    run_script_file("tests/scripts/i2c_eeprom_header.yaml", nullptr, nullptr, false);
}

BOOST_FIXTURE_TEST_CASE(script_pmic_chipid_and_dcdc2, vp::test::FreshSim) {
    Tps65217 pmic;
    run_script_file("tests/scripts/i2c_pmic_dcdc.yaml", nullptr, &pmic, true);
    BOOST_CHECK_EQUAL(pmic.dcdc_output_microvolts(2), 1325000u);
}
