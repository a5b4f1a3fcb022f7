#include "sw/drivers/dma/edma.h"

#include <cerrno>
#include <cstdio>
#include <vector>

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

using hal::readl;
using hal::writel;

namespace {

struct Edma {
    uint32_t base = 0;
    uint32_t size = 0;
    unsigned ccint = 0;
    unsigned num_channels = 0;
    unsigned num_slots = 0;
    unsigned num_tc = 0;
    bool chmap_exist = false;
    std::vector<bool> slot_inuse;
    int dummy_slot = -1;
    kernel::device dev;
    // The memcpy channel.
    bool chan_allocated = false;
    unsigned ch = EDMA_MEMCPY_CHANNEL;
    int slot = -1;
    bool busy = false;
    std::function<void()> done;
    unsigned long completions = 0;
};

Edma* g_edma = nullptr;

uint32_t sh0(uint32_t reg, unsigned ch) {
    return g_edma->base + EDMA_SHADOW0 + reg + 4 * (ch / 32);
}
uint32_t ch_bit(unsigned ch) {
    return 1u << (ch % 32);
}
uint32_t parm(unsigned slot, uint32_t word) {
    return g_edma->base + EDMA_PARM + PARM_SIZE * slot + word;
}

struct Pset {
    uint32_t opt = 0, src = 0, a_b_cnt = 0, dst = 0, src_dst_bidx = 0,
             link_bcntrld = EDMA_LINK_NULL, src_dst_cidx = 0, ccnt = 0;
};

// edma_write_slot(): the eight words, in order.
void write_slot(unsigned slot, const Pset& p) {
    writel(p.opt, parm(slot, PARM_OPT));
    writel(p.src, parm(slot, PARM_SRC));
    writel(p.a_b_cnt, parm(slot, PARM_A_B_CNT));
    writel(p.dst, parm(slot, PARM_DST));
    writel(p.src_dst_bidx, parm(slot, PARM_SRC_DST_BIDX));
    writel(p.link_bcntrld, parm(slot, PARM_LINK_BCNTRLD));
    writel(p.src_dst_cidx, parm(slot, PARM_SRC_DST_CIDX));
    writel(p.ccnt, parm(slot, PARM_CCNT));
}

// The dummy set (edma.c dummy_paramset): link NULL, CCNT 1.
Pset dummy_paramset() {
    Pset p;
    p.link_bcntrld = EDMA_LINK_NULL;
    p.ccnt = 1;
    return p;
}

// edma_alloc_slot(EDMA_SLOT_ANY): with a channel map, the first free set after the channels.
int alloc_slot() {
    for (unsigned s = g_edma->chmap_exist ? g_edma->num_channels : 0; s < g_edma->num_slots; ++s)
        if (!g_edma->slot_inuse[s]) {
            g_edma->slot_inuse[s] = true;
            write_slot(s, dummy_paramset());
            return static_cast<int>(s);
        }
    return -ENOMEM;
}

// edma_stop()
void edma_stop(unsigned ch) {
    writel(ch_bit(ch), sh0(SH_EECR, ch));
    writel(ch_bit(ch), sh0(SH_ECR, ch));
    writel(ch_bit(ch), sh0(SH_SECR, ch));
    writel(ch_bit(ch), g_edma->base + EDMA_EMCR + 4 * (ch / 32));
    // Clear a possibly pending completion interrupt.
    writel(ch_bit(ch), sh0(SH_ICR, ch));
}

// edma_link(): LINK of `from` = PaRAM address of `to`.
void edma_link(unsigned from, unsigned to) {
    const uint32_t v = readl(parm(from, PARM_LINK_BCNTRLD));
    writel((v & 0xFFFF0000u) | (EDMA_PARM + PARM_SIZE * to), parm(from, PARM_LINK_BCNTRLD));
}

// dma_irq_handler()
kernel::irqreturn_t dma_irq_handler(int, void*) {
    Edma& e = *g_edma;
    unsigned bank = 0;
    uint32_t sh_ipr = readl(e.base + EDMA_SHADOW0 + SH_IPR);
    uint32_t sh_ier;
    if (!sh_ipr) {
        sh_ipr = readl(e.base + EDMA_SHADOW0 + SH_IPR + 4);
        if (!sh_ipr) return kernel::IRQ_NONE;
        sh_ier = readl(e.base + EDMA_SHADOW0 + SH_IER + 4);
        bank = 1;
    } else {
        sh_ier = readl(e.base + EDMA_SHADOW0 + SH_IER);
    }
    do {
        const unsigned slot = static_cast<unsigned>(__builtin_ctz(sh_ipr));
        sh_ipr &= ~(1u << slot);
        if (sh_ier & (1u << slot)) {
            const unsigned channel = (bank << 5) | slot;
            // Clear the corresponding IPR bit.
            writel(1u << slot, e.base + EDMA_SHADOW0 + SH_ICR + 4 * bank);
            // edma_completion_handler()
            if (e.chan_allocated && channel == e.ch && e.busy) {
                e.busy = false;
                ++e.completions;
                if (e.done) e.done();
            }
        }
    } while (sh_ipr);
    writel(1, e.base + EDMA_SHADOW0 + SH_IEVAL);
    return kernel::IRQ_HANDLED;
}

}  // namespace

int edma_probe(const kernel::DeviceInfo& tpcc, const kernel::DeviceInfo& tptc0) {
    if (g_edma) return -EBUSY;
    if (tpcc.irqs.empty() || !omap_intc_domain()) return -ENODEV;
    if (const int ret = omap_hwmod_enable(tpcc.clkctrl)) return ret;
    if (const int ret = omap_hwmod_enable(tptc0.clkctrl)) return ret;
    auto* e = new Edma;
    e->base = kernel::ioremap(tpcc.base, tpcc.size);
    if (!e->base) {
        delete e;
        return -ENOMEM;
    }
    g_edma = e;
    char name[32];
    std::snprintf(name, sizeof name, "%x.edma", static_cast<unsigned>(tpcc.base));
    e->dev.name = name;
    e->dev.driver = "edma";
    // edma_setup_from_hw()
    const uint32_t cccfg = readl(e->base + EDMA_CCCFG);
    e->num_channels = 1u << ((cccfg & GET_NUM_DMACH_MASK) + 1);
    e->num_slots = 1u << (((cccfg >> GET_NUM_PAENTRY_SHIFT) & GET_NUM_PAENTRY_MASK) + 4);
    e->num_tc = ((cccfg >> GET_NUM_EVQUE_SHIFT) & GET_NUM_EVQUE_MASK) + 1;
    e->chmap_exist = (cccfg & CHMAP_EXIST) != 0;
    e->slot_inuse.assign(e->num_slots, false);
    // Every PaRAM set starts as the dummy set.
    for (unsigned s = 0; s < e->num_slots; ++s)
        write_slot(s, dummy_paramset());
    // Queue priorities: queue n at priority n (edma_assign_priority_to_queue).
    uint32_t quepri = 0;
    for (unsigned q = 0; q < e->num_tc; ++q)
        quepri |= q << (4 * q);
    writel(quepri, e->base + EDMA_QUEPRI);
    e->dummy_slot = alloc_slot();
    char irq_name[48];
    std::snprintf(irq_name, sizeof irq_name, "%s_ccint", name);
    e->ccint = omap_intc_irq(tpcc.irqs.front());
    if (const int ret = kernel::request_irq(e->ccint, dma_irq_handler, 0, irq_name, e)) {
        kernel::iounmap(e->base);
        delete e;
        g_edma = nullptr;
        return ret;
    }
    pr_info("edma %s: TI EDMA DMA engine driver\n", name);
    return 0;
}

void edma_remove() {
    if (!g_edma) return;
    edma_free_memcpy_channel();
    kernel::free_irq(g_edma->ccint, g_edma);
    kernel::iounmap(g_edma->base);
    delete g_edma;
    g_edma = nullptr;
}

uint32_t edma_base() {
    return g_edma ? g_edma->base : 0;
}

kernel::device* edma_device() {
    return g_edma ? &g_edma->dev : nullptr;
}

int edma_alloc_memcpy_channel() {
    if (!g_edma) return -ENODEV;
    Edma& e = *g_edma;
    if (e.chan_allocated) return -EBUSY;
    const unsigned ch = e.ch;
    // edma_alloc_channel(): through shadow region 0.
    const uint32_t drae = e.base + EDMA_DRAE + 4 * (ch / 32);
    writel(readl(drae) | ch_bit(ch), drae);
    edma_stop(ch);
    // edma_setup_interrupt(): ICR, then IESR.
    writel(ch_bit(ch), sh0(SH_ICR, ch));
    writel(ch_bit(ch), sh0(SH_IESR, ch));
    // edma_map_dmach_to_queue(): queue 0 (DMAQNUM: 4 bits per channel, 8 per register).
    const uint32_t qreg = e.base + EDMA_DMAQNUM + 4 * (ch / 8);
    const unsigned shift = (ch % 8) * 4;
    writel(readl(qreg) & ~(0x7u << shift), qreg);
    const int slot = alloc_slot();
    if (slot < 0) return slot;
    e.slot = slot;
    if (e.chmap_exist) writel(static_cast<uint32_t>(slot) << 5, e.base + EDMA_DCHMAP + 4 * ch);
    e.chan_allocated = true;
    return 0;
}

void edma_free_memcpy_channel() {
    if (!g_edma || !g_edma->chan_allocated) return;
    Edma& e = *g_edma;
    edma_stop(e.ch);
    writel(ch_bit(e.ch), sh0(SH_IECR, e.ch));
    if (e.slot >= 0) {
        write_slot(static_cast<unsigned>(e.slot), dummy_paramset());
        e.slot_inuse[static_cast<unsigned>(e.slot)] = false;
    }
    e.slot = -1;
    e.busy = false;
    e.chan_allocated = false;
}

unsigned edma_memcpy_slot() {
    return g_edma && g_edma->slot >= 0 ? static_cast<unsigned>(g_edma->slot) : 0;
}

int edma_memcpy(kernel::dma_addr_t dst, kernel::dma_addr_t src, uint32_t len,
                std::function<void()> done) {
    if (!g_edma || !g_edma->chan_allocated) return -ENODEV;
    if (len == 0 || len > 0xFFFF) return -EINVAL;
    Edma& e = *g_edma;
    if (e.busy) return -EBUSY;
    // edma_prep_dma_memcpy() -> edma_config_pset(burst 1, MEM_TO_MEM): A-sync,
    // ACNT = len, BCNT = 1, CCNT = 1, BIDX = CIDX = ACNT.
    Pset p;
    p.opt = ((e.ch << TCC_SHIFT) & TCC_MASK) | ITCCHEN | TCINTEN;
    p.src = src;
    p.dst = dst;
    p.a_b_cnt = (1u << 16) | len;
    p.src_dst_bidx = (len << 16) | len;
    p.src_dst_cidx = (len << 16) | len;
    p.link_bcntrld = EDMA_LINK_NULL;
    p.ccnt = 1;
    e.done = std::move(done);
    e.busy = true;
    // edma_execute(): write the set, link it to the dummy slot, edma_start(): ESR.
    const unsigned slot = static_cast<unsigned>(e.slot);
    write_slot(slot, p);
    edma_link(slot, static_cast<unsigned>(e.dummy_slot));
    writel(ch_bit(e.ch), sh0(SH_ESR, e.ch));
    return 0;
}

bool edma_wait(unsigned ms) {
    if (!g_edma) return false;
    hal::Cpu& cpu = hal::this_cpu();
    const bool ticking = kernel::tick_device() != nullptr;
    const uint32_t timeout = kernel::jiffies + kernel::msecs_to_jiffies(ms);
    while (g_edma->busy) {
        if (ticking && kernel::time_after(kernel::jiffies, timeout)) return false;
        cpu.wfi();
    }
    return true;
}

unsigned long edma_completions() {
    return g_edma ? g_edma->completions : 0;
}

}  // namespace drivers
