#include "sw/drivers/i2c/i2c-omap.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sw/drivers/clk/omap_clk.h"
#include "sw/drivers/irqchip/irq-omap-intc.h"
#include "sw/hal/io.h"
#include "sw/kernel/irq.h"
#include "sw/kernel/printk.h"
#include "sw/kernel/time.h"
#include "sw/mm/ioremap.h"

namespace drivers {

using kernel::pr_err;
using kernel::pr_info;
using kernel::pr_warn;

using hal::readw;
using hal::writew;

namespace {

constexpr unsigned kBuses = 3;

struct OmapI2c {
    unsigned bus = 0;
    uint32_t base = 0;
    unsigned irq = 0;
    std::string clkctrl;
    unsigned speed = 400;
    uint16_t pscstate = 0, scllstate = 0, sclhstate = 0;
    uint16_t westate = OMAP_I2C_WE_ALL;
    uint16_t iestate = OMAP_I2C_IE_DEFAULT;
    uint16_t sysc = 0;
    uint8_t fifo_size = 0;
    uint8_t threshold = 0;
    bool bb_valid = false;
    bool receiver = false;
    uint8_t* buf = nullptr;
    uint16_t buf_len = 0;
    int cmd_err = 0;
    bool cmd_complete = false;
    bool active = false;  // a message is in flight
};

std::array<OmapI2c*, kBuses> g_buses{};

uint16_t rd(OmapI2c& o, uint32_t reg) {
    return readw(o.base + reg);
}
void wr(OmapI2c& o, uint32_t reg, uint16_t v) {
    writew(v, o.base + reg);
}
void ack_stat(OmapI2c& o, uint16_t stat) {
    wr(o, OMAP_I2C_STAT_REG, stat);
}

// omap_i2c_reset()
int omap_i2c_reset(OmapI2c& o) {
    const uint16_t sysc = rd(o, OMAP_I2C_SYSC_REG);
    // Disable the controller before the soft reset.
    wr(o, OMAP_I2C_CON_REG, rd(o, OMAP_I2C_CON_REG) & ~OMAP_I2C_CON_EN);
    wr(o, OMAP_I2C_SYSC_REG, OMAP_I2C_SYSC_SRST);
    // For some reason EN must be set before the reset-done bit gets set.
    wr(o, OMAP_I2C_CON_REG, OMAP_I2C_CON_EN);
    const uint32_t timeout = kernel::jiffies + kernel::msecs_to_jiffies(OMAP_I2C_TIMEOUT_MS);
    unsigned polls = 0;
    while (!(rd(o, OMAP_I2C_SYSS_REG) & OMAP_I2C_SYSS_RDONE)) {
        if (kernel::time_after(kernel::jiffies, timeout) || ++polls > 100000) {
            pr_warn("omap_i2c i2c%u: timeout waiting for controller reset\n", o.bus);
            return -ETIMEDOUT;
        }
        kernel::udelay(10);
    }
    // SYSC is cleared by the reset: rewrite it.
    wr(o, OMAP_I2C_SYSC_REG, sysc);
    o.bb_valid = false;  // schedule bus monitoring on the next transfer
    return 0;
}

// __omap_i2c_init()
void omap_i2c_hw_init(OmapI2c& o) {
    wr(o, OMAP_I2C_CON_REG, 0);
    wr(o, OMAP_I2C_PSC_REG, o.pscstate);
    wr(o, OMAP_I2C_SCLL_REG, o.scllstate);
    wr(o, OMAP_I2C_SCLH_REG, o.sclhstate);
    wr(o, OMAP_I2C_WE_REG, o.westate);
    wr(o, OMAP_I2C_CON_REG, OMAP_I2C_CON_EN);
    if (o.iestate) wr(o, OMAP_I2C_IE_REG, o.iestate);
}

void receive_data(OmapI2c& o, unsigned num) {
    while (num-- && o.buf_len) {
        *o.buf++ = static_cast<uint8_t>(rd(o, OMAP_I2C_DATA_REG));
        --o.buf_len;
    }
}

void transmit_data(OmapI2c& o, unsigned num) {
    while (num-- && o.buf_len) {
        wr(o, OMAP_I2C_DATA_REG, *o.buf++);
        --o.buf_len;
    }
}

// omap_i2c_xfer_data(): -EAGAIN while the message goes on, else the error bits (0 = done).
int xfer_data(OmapI2c& o) {
    int err = 0;
    unsigned count = 0;
    for (;;) {
        const uint16_t bits = rd(o, OMAP_I2C_IE_REG);
        uint16_t stat = rd(o, OMAP_I2C_STAT_REG) & bits;
        if (o.receiver)
            stat &= ~(OMAP_I2C_STAT_XDR | OMAP_I2C_STAT_XRDY);
        else
            stat &= ~(OMAP_I2C_STAT_RDR | OMAP_I2C_STAT_RRDY);
        if (!stat) return -EAGAIN;  // my work here is done
        if (count++ == 100) {
            pr_warn("omap_i2c i2c%u: Too much work in one IRQ\n", o.bus);
            return -EAGAIN;
        }
        if (stat & OMAP_I2C_STAT_NACK) {
            err |= OMAP_I2C_STAT_NACK;
            ack_stat(o, OMAP_I2C_STAT_NACK);
        }
        if (stat & OMAP_I2C_STAT_AL) {
            pr_err("omap_i2c i2c%u: Arbitration lost\n", o.bus);
            err |= OMAP_I2C_STAT_AL;
            ack_stat(o, OMAP_I2C_STAT_AL);
        }
        // ProDB0017052: clear ARDY twice.
        if (stat & OMAP_I2C_STAT_ARDY) ack_stat(o, OMAP_I2C_STAT_ARDY);
        if (stat & (OMAP_I2C_STAT_ARDY | OMAP_I2C_STAT_NACK | OMAP_I2C_STAT_AL)) {
            ack_stat(o, OMAP_I2C_STAT_RRDY | OMAP_I2C_STAT_RDR | OMAP_I2C_STAT_XRDY |
                            OMAP_I2C_STAT_XDR | OMAP_I2C_STAT_ARDY);
            return err;
        }
        if (stat & OMAP_I2C_STAT_RDR) {
            receive_data(o, o.fifo_size ? o.buf_len : 1);
            ack_stat(o, OMAP_I2C_STAT_RDR);
            continue;
        }
        if (stat & OMAP_I2C_STAT_RRDY) {
            receive_data(o, o.threshold ? o.threshold : 1);
            ack_stat(o, OMAP_I2C_STAT_RRDY);
            continue;
        }
        if (stat & OMAP_I2C_STAT_XDR) {
            transmit_data(o, o.fifo_size ? o.buf_len : 1);
            ack_stat(o, OMAP_I2C_STAT_XDR);
            continue;
        }
        if (stat & OMAP_I2C_STAT_XRDY) {
            transmit_data(o, o.threshold ? o.threshold : 1);
            ack_stat(o, OMAP_I2C_STAT_XRDY);
            continue;
        }
        if (stat & OMAP_I2C_STAT_ROVR) {
            pr_err("omap_i2c i2c%u: Receive overrun\n", o.bus);
            ack_stat(o, OMAP_I2C_STAT_ROVR);
            return err | OMAP_I2C_STAT_ROVR;
        }
        if (stat & OMAP_I2C_STAT_XUDF) {
            pr_err("omap_i2c i2c%u: Transmit underflow\n", o.bus);
            ack_stat(o, OMAP_I2C_STAT_XUDF);
            return err | OMAP_I2C_STAT_XUDF;
        }
    }
}

// omap_i2c_isr() + omap_i2c_isr_thread(), run together (one CPU, no threads).
kernel::irqreturn_t omap_i2c_isr(int, void* dev) {
    OmapI2c& o = *static_cast<OmapI2c*>(dev);
    const uint16_t mask = rd(o, OMAP_I2C_IE_REG);
    const uint16_t stat = rd(o, OMAP_I2C_STAT_REG);
    if (!(stat & mask)) return kernel::IRQ_NONE;
    if (!o.active) {
        // No message in flight: a stale event; acknowledge it.
        ack_stat(o, stat & mask);
        return kernel::IRQ_HANDLED;
    }
    const int ret = xfer_data(o);
    if (ret != -EAGAIN) {
        o.cmd_err = ret;
        o.cmd_complete = true;
        o.active = false;
    }
    return kernel::IRQ_HANDLED;
}

// omap_i2c_resize_fifo()
void resize_fifo(OmapI2c& o, uint16_t size, bool is_rx) {
    o.threshold = static_cast<uint8_t>(std::clamp<unsigned>(size, 1u, o.fifo_size));
    uint16_t buf = rd(o, OMAP_I2C_BUF_REG);
    if (is_rx) {
        buf &= ~(OMAP_I2C_BUF_TRSH_MASK << OMAP_I2C_BUF_RXTRSH_SHIFT);
        buf |= ((o.threshold - 1) << OMAP_I2C_BUF_RXTRSH_SHIFT) | OMAP_I2C_BUF_RXFIF_CLR;
    } else {
        buf &= ~OMAP_I2C_BUF_TRSH_MASK;
        buf |= (o.threshold - 1) | OMAP_I2C_BUF_TXFIF_CLR;
    }
    wr(o, OMAP_I2C_BUF_REG, buf);
}

// Waits with wfi for the completion; false on timeout.
bool wait_for_completion_timeout(OmapI2c& o, unsigned ms) {
    hal::Cpu& cpu = hal::this_cpu();
    const bool ticking = kernel::tick_device() != nullptr;
    const uint32_t timeout = kernel::jiffies + kernel::msecs_to_jiffies(ms);
    while (!o.cmd_complete) {
        if (ticking && kernel::time_after(kernel::jiffies, timeout)) return false;
        cpu.wfi();
    }
    return true;
}

// omap_i2c_wait_for_bb_valid()
int wait_for_bb_valid(OmapI2c& o) {
    if (o.bb_valid) return 0;
    const uint32_t timeout =
        kernel::jiffies + kernel::msecs_to_jiffies(OMAP_I2C_BUS_FREE_TIMEOUT_MS);
    uint32_t bus_free_timeout = 0;
    bool bus_free_armed = false;
    for (;;) {
        const uint16_t stat = rd(o, OMAP_I2C_STAT_REG);
        // BB or BF: the IP has seen bus activity and tracks the bus state.
        if (stat & (OMAP_I2C_STAT_BB | OMAP_I2C_STAT_BF)) break;
        // Otherwise the signals on the bus decide.
        const uint16_t systest = rd(o, OMAP_I2C_SYSTEST_REG);
        if ((systest & OMAP_I2C_SYSTEST_SCL_I_FUNC) && (systest & OMAP_I2C_SYSTEST_SDA_I_FUNC)) {
            if (!bus_free_armed) {
                bus_free_armed = true;
                bus_free_timeout =
                    kernel::jiffies + kernel::msecs_to_jiffies(OMAP_I2C_BUS_FREE_TIMEOUT_MS);
            }
            if (kernel::time_after(kernel::jiffies, bus_free_timeout)) break;
        } else {
            bus_free_armed = false;
        }
        if (kernel::time_after(kernel::jiffies, timeout)) {
            pr_warn("omap_i2c i2c%u: timeout waiting for bus ready\n", o.bus);
            return -ETIMEDOUT;
        }
        kernel::msleep(1);
    }
    o.bb_valid = true;
    return 0;
}

// omap_i2c_wait_for_bb()
int wait_for_bb(OmapI2c& o) {
    const uint32_t timeout = kernel::jiffies + kernel::msecs_to_jiffies(OMAP_I2C_TIMEOUT_MS);
    while (rd(o, OMAP_I2C_STAT_REG) & OMAP_I2C_STAT_BB) {
        if (kernel::time_after(kernel::jiffies, timeout)) {
            pr_warn("omap_i2c i2c%u: timeout waiting for bus ready\n", o.bus);
            return -ETIMEDOUT;
        }
        kernel::msleep(1);
    }
    return 0;
}

// omap_i2c_xfer_msg()
int xfer_msg(OmapI2c& o, i2c_msg& msg, bool stop) {
    o.receiver = (msg.flags & I2C_M_RD) != 0;
    resize_fifo(o, msg.len, o.receiver);
    wr(o, OMAP_I2C_SA_REG, msg.addr);
    o.buf = msg.buf;
    o.buf_len = msg.len;
    wr(o, OMAP_I2C_CNT_REG, o.buf_len);
    // Clear the FIFO buffers.
    wr(o, OMAP_I2C_BUF_REG,
       rd(o, OMAP_I2C_BUF_REG) | OMAP_I2C_BUF_RXFIF_CLR | OMAP_I2C_BUF_TXFIF_CLR);
    o.cmd_complete = false;
    o.cmd_err = 0;
    o.active = true;
    uint16_t w = OMAP_I2C_CON_EN | OMAP_I2C_CON_MST | OMAP_I2C_CON_STT;
    if (msg.flags & I2C_M_TEN) w |= OMAP_I2C_CON_XA;
    if (!(msg.flags & I2C_M_RD)) w |= OMAP_I2C_CON_TRX;
    if (stop) w |= OMAP_I2C_CON_STP;
    wr(o, OMAP_I2C_CON_REG, w);
    if (!wait_for_completion_timeout(o, OMAP_I2C_TIMEOUT_MS)) {
        pr_err("omap_i2c i2c%u: controller timed out\n", o.bus);
        o.active = false;
        omap_i2c_reset(o);
        omap_i2c_hw_init(o);
        return -ETIMEDOUT;
    }
    if (!o.cmd_err) return 0;
    if (o.cmd_err & (OMAP_I2C_STAT_ROVR | OMAP_I2C_STAT_XUDF)) {
        omap_i2c_reset(o);
        omap_i2c_hw_init(o);
        return -EIO;
    }
    if (o.cmd_err & OMAP_I2C_STAT_AL) return -EAGAIN;
    if (o.cmd_err & OMAP_I2C_STAT_NACK) {
        wr(o, OMAP_I2C_CON_REG, rd(o, OMAP_I2C_CON_REG) | OMAP_I2C_CON_STP);
        return -EREMOTEIO;
    }
    return -EIO;
}

}  // namespace

OmapI2cTiming omap_i2c_timing(unsigned long fclk_hz, unsigned speed_khz) {
    const unsigned long fclk_khz = fclk_hz / 1000;
    const unsigned long internal_clk = speed_khz > 100 ? 9600 : 4000;
    const unsigned long psc = fclk_khz / internal_clk - 1;
    unsigned long scll, sclh;
    if (speed_khz > 100) {  // fast mode
        const unsigned long scl = internal_clk / speed_khz;
        scll = scl - (scl / 3) - 7;
        sclh = (scl / 3) - 5;
    } else {  // standard mode
        scll = internal_clk / (speed_khz * 2) - 7;
        sclh = internal_clk / (speed_khz * 2) - 5;
    }
    return {static_cast<uint16_t>(psc), static_cast<uint16_t>(scll), static_cast<uint16_t>(sclh)};
}

int omap_i2c_probe(const kernel::DeviceInfo& info, unsigned speed_khz) {
    if (info.name.size() != 4 || info.name.compare(0, 3, "i2c") != 0 || info.name[3] < '0' ||
        info.name[3] >= static_cast<char>('0' + kBuses) || speed_khz == 0 || speed_khz > 400)
        return -EINVAL;
    const unsigned bus = static_cast<unsigned>(info.name[3] - '0');
    if (g_buses[bus]) return -EBUSY;
    if (info.irqs.empty() || !omap_intc_domain()) return -ENODEV;
    if (const int ret = omap_hwmod_enable(info.clkctrl)) return ret;
    auto* o = new OmapI2c;
    o->bus = bus;
    o->speed = speed_khz;
    o->clkctrl = info.clkctrl;
    o->base = kernel::ioremap(info.base, info.size);
    if (!o->base) {
        delete o;
        return -ENOMEM;
    }
    const uint16_t rev_hi = rd(*o, OMAP_I2C_REVNB_HI);
    // FIFO: 8 << FIFODEPTH bytes, half of it as the threshold unit.
    const unsigned s = (rd(*o, OMAP_I2C_BUFSTAT_REG) >> OMAP_I2C_BUFSTAT_FIFODEPTH_SHIFT) & 0x3;
    o->fifo_size = static_cast<uint8_t>((0x8u << s) / 2);
    const OmapI2cTiming t = omap_i2c_timing(OMAP_I2C_FCLK, speed_khz);
    o->pscstate = t.psc;
    o->scllstate = t.scll;
    o->sclhstate = t.sclh;
    if (const int ret = omap_i2c_reset(*o)) {
        kernel::iounmap(o->base);
        delete o;
        return ret;
    }
    omap_i2c_hw_init(*o);
    o->irq = omap_intc_irq(info.irqs.front());
    char name[32];
    std::snprintf(name, sizeof name, "%x.i2c", static_cast<unsigned>(info.base));
    if (const int ret = kernel::request_irq(o->irq, omap_i2c_isr, kernel::IRQF_ONESHOT, name, o)) {
        kernel::iounmap(o->base);
        delete o;
        return ret;
    }
    g_buses[bus] = o;
    // Scheme 1 (REVNB_HI[15:14] = 1): rev = REVNB_HI << 16 | REVNB_LO; Linux prints
    // OMAP_I2C_REV_SCHEME_1_MAJOR(rev) = (rev & 0x0700) >> 7 and _MINOR(rev) = rev & 0x1f.
    const uint32_t rev = static_cast<uint32_t>(rev_hi) << 16 | rd(*o, OMAP_I2C_REVNB_LO);
    pr_info("omap_i2c %s: bus %u rev%u.%u at %u kHz\n", name, bus, (rev & 0x0700u) >> 7,
            rev & 0x1Fu, speed_khz);
    return 0;
}

void omap_i2c_remove_all() {
    for (OmapI2c*& o : g_buses) {
        if (!o) continue;
        kernel::free_irq(o->irq, o);
        kernel::iounmap(o->base);
        delete o;
        o = nullptr;
    }
}

uint32_t omap_i2c_base(unsigned bus) {
    return bus < kBuses && g_buses[bus] ? g_buses[bus]->base : 0;
}

int i2c_transfer(unsigned bus, i2c_msg* msgs, int num) {
    if (bus >= kBuses || !g_buses[bus] || !msgs || num <= 0) return -EINVAL;
    OmapI2c& o = *g_buses[bus];
    for (int i = 0; i < num; ++i)
        if (msgs[i].len == 0 || !msgs[i].buf) return -EOPNOTSUPP;  // I2C_AQ_NO_ZERO_LEN
    int r = wait_for_bb_valid(o);
    if (r == 0) r = wait_for_bb(o);
    for (int i = 0; r == 0 && i < num; ++i)
        r = xfer_msg(o, msgs[i], i == num - 1);
    if (r == 0) r = num;
    wait_for_bb(o);
    return r;
}

int at24_read(unsigned bus, uint16_t addr, uint16_t offset, uint8_t* buf, uint16_t len) {
    uint8_t a[2] = {static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset & 0xFF)};
    i2c_msg msgs[2] = {{addr, 0, 2, a}, {addr, I2C_M_RD, len, buf}};
    const int r = i2c_transfer(bus, msgs, 2);
    return r == 2 ? 0 : (r < 0 ? r : -EIO);
}

int ti_board_id_read(unsigned bus, TiBoardId& out, uint16_t addr) {
    uint8_t h[60] = {};
    if (const int r = at24_read(bus, addr, 0, h, sizeof h)) return r;
    const uint32_t magic = static_cast<uint32_t>(h[0]) | (static_cast<uint32_t>(h[1]) << 8) |
                           (static_cast<uint32_t>(h[2]) << 16) |
                           (static_cast<uint32_t>(h[3]) << 24);
    if (magic != TI_EEPROM_HEADER_MAGIC) {
        pr_err("at24: bad board-ID magic %08x\n", magic);
        return -ENODEV;
    }
    // ti_eeprom_string_cleanup(): a field ends at its first non-printable byte.
    const auto field = [&h](unsigned off, unsigned n) {
        std::string s;
        for (unsigned i = 0; i < n && h[off + i] >= 0x20 && h[off + i] < 0x7F; ++i)
            s += static_cast<char>(h[off + i]);
        return s;
    };
    out.name = field(4, 8);
    out.version = field(12, 4);
    out.serial = field(16, 12);
    out.config = field(28, 32);
    return 0;
}

int tps65217_reg_read(unsigned bus, uint8_t reg, uint8_t& value, uint16_t addr) {
    uint8_t r = reg;
    i2c_msg msgs[2] = {{addr, 0, 1, &r}, {addr, I2C_M_RD, 1, &value}};
    const int n = i2c_transfer(bus, msgs, 2);
    return n == 2 ? 0 : (n < 0 ? n : -EIO);
}

int tps65217_probe(unsigned bus, uint16_t addr) {
    uint8_t version = 0;
    if (const int r = tps65217_reg_read(bus, TPS65217_REG_CHIPID, version, addr)) {
        pr_err("tps65217 %u-%04x: Failed to read revision register: %d\n", bus, addr, r);
        return r;
    }
    pr_info("tps65217 %u-%04x: TPS65217 ID %#x version 1.%d\n", bus, addr,
            (version & TPS65217_CHIPID_CHIP_MASK) >> 4, version & TPS65217_CHIPID_REV_MASK);
    return version;
}

}  // namespace drivers
