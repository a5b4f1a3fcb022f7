// EDMA3 memcpy channel as Linux's ti edma driver runs it (drivers/dma/ti/edma.c:
// edma_probe, edma_alloc_chan_resources, edma_prep_dma_memcpy, edma_execute/edma_start,
// dma_irq_handler; SPRUH73 §11.3; am335x.md §9).
//
//   probe: clocks of the TPCC and TPTC0 on; CCCFG read (channels, PaRAM sets, queues);
//     every PaRAM set written with the dummy set; QUEPRI; the dummy slot (first set after
//     the channels); request_irq on INTC 12 ("<base>.edma_ccint").
//   memcpy channel (AM335x DT: ti,edma-memcpy-channels = <20 21>): DRAE0 bit, edma_stop
//     (EECR/ECR/SECR/EMCR/ICR), ICR + IESR through shadow region 0, DMAQNUM = queue 0, a
//     PaRAM slot and DCHMAP = slot << 5.
//   edma_memcpy(dst, src, len): the PaRAM set of edma_prep_dma_memcpy for len < 64 KiB
//     (A-sync, ACNT = len, BCNT = CCNT = 1, BIDX = ACNT, OPT = TCC(ch) | ITCCHEN | TCINTEN),
//     linked to the dummy slot, started by ESR (shadow region 0). Completion: the INTC 12
//     handler reads IPR, writes ICR, runs the channel's completion, writes IEVAL.
// Buffers are DMA addresses from dma_alloc_coherent / dma_map_single (sw/mm/dma-mapping.h).
#pragma once

#include <cstdint>
#include <functional>

#include "sw/kernel/boot.h"
#include "sw/mm/dma-mapping.h"

namespace drivers {

// TPCC registers (SPRUH73 Table 11-25).
constexpr uint32_t EDMA_CCCFG = 0x0004;
constexpr uint32_t EDMA_DCHMAP = 0x0100;
constexpr uint32_t EDMA_DMAQNUM = 0x0240;
constexpr uint32_t EDMA_QUEPRI = 0x0284;
constexpr uint32_t EDMA_EMCR = 0x0308;
constexpr uint32_t EDMA_DRAE = 0x0340;
constexpr uint32_t EDMA_SHADOW0 = 0x2000;
constexpr uint32_t SH_ECR = 0x08;
constexpr uint32_t SH_ESR = 0x10;
constexpr uint32_t SH_EECR = 0x28;
constexpr uint32_t SH_SECR = 0x40;
constexpr uint32_t SH_IER = 0x50;
constexpr uint32_t SH_IECR = 0x58;
constexpr uint32_t SH_IESR = 0x60;
constexpr uint32_t SH_IPR = 0x68;
constexpr uint32_t SH_ICR = 0x70;
constexpr uint32_t SH_IEVAL = 0x78;
constexpr uint32_t EDMA_PARM = 0x4000;
constexpr uint32_t PARM_SIZE = 0x20;
// PaRAM words (Table 11-6).
constexpr uint32_t PARM_OPT = 0x00;
constexpr uint32_t PARM_SRC = 0x04;
constexpr uint32_t PARM_A_B_CNT = 0x08;
constexpr uint32_t PARM_DST = 0x0C;
constexpr uint32_t PARM_SRC_DST_BIDX = 0x10;
constexpr uint32_t PARM_LINK_BCNTRLD = 0x14;
constexpr uint32_t PARM_SRC_DST_CIDX = 0x18;
constexpr uint32_t PARM_CCNT = 0x1C;
// OPT bits.
constexpr uint32_t SYNCDIM = 1u << 2;
constexpr unsigned TCC_SHIFT = 12;
constexpr uint32_t TCC_MASK = 0x3Fu << TCC_SHIFT;
constexpr uint32_t TCINTEN = 1u << 20;
constexpr uint32_t ITCINTEN = 1u << 21;
constexpr uint32_t TCCHEN = 1u << 22;
constexpr uint32_t ITCCHEN = 1u << 23;
constexpr uint32_t EDMA_LINK_NULL = 0xFFFF;
// CCCFG fields.
constexpr uint32_t GET_NUM_DMACH_MASK = 0x7;
constexpr unsigned GET_NUM_PAENTRY_SHIFT = 12;
constexpr uint32_t GET_NUM_PAENTRY_MASK = 0x7;
constexpr unsigned GET_NUM_EVQUE_SHIFT = 16;
constexpr uint32_t GET_NUM_EVQUE_MASK = 0x7;
constexpr uint32_t CHMAP_EXIST = 1u << 24;
constexpr unsigned EDMA_MEMCPY_CHANNEL = 20;  // am33xx.dtsi ti,edma-memcpy-channels

// Probes the TPCC (`tpcc`: irqs [12, 13, 14]) with transfer controller 0 (`tptc0`, for its
// clock). 0, -EBUSY, -ENODEV (no INTC), -ENOMEM or the clock / request_irq error.
int edma_probe(const kernel::DeviceInfo& tpcc, const kernel::DeviceInfo& tptc0);
void edma_remove();
uint32_t edma_base();
kernel::device* edma_device();  // struct device of the controller ("49000000.edma")

// Allocates the memcpy channel (EDMA_MEMCPY_CHANNEL): 0, -ENODEV, -EBUSY.
int edma_alloc_memcpy_channel();
void edma_free_memcpy_channel();
unsigned edma_memcpy_slot();  // its PaRAM set
// Starts a copy of `len` (1 .. 65535) bytes between DMA addresses; `done` runs from the
// completion interrupt. 0, -EINVAL, -ENODEV (no channel), -EBUSY (a copy in flight).
int edma_memcpy(kernel::dma_addr_t dst, kernel::dma_addr_t src, uint32_t len,
                std::function<void()> done);
// Waits with wfi until the copy in flight completes; false after `ms` (when ticking).
bool edma_wait(unsigned ms = 1000);
unsigned long edma_completions();

}  // namespace drivers
