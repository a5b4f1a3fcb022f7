// MMIO accessors as ARM Linux defines them (arch/arm/include/asm/io.h; linux-mm.md §9.2):
//   readl(a)  = one 32-bit load, then __iormb() (rmb = DSB on ARMv7), so later normal-memory
//               reads (a DMA buffer the device just filled) happen after it;
//   writel(v,a) = __iowmb() (wmb = DSB ST + outer sync; no outer cache on the AM335x)
//               then one 32-bit store, so earlier normal-memory writes (DMA descriptors) are
//               visible before the device sees the register write;
//   *_relaxed: no barriers. ioread32/iowrite32 are readl/writel on ARM.
// `addr` is a virtual address returned by ioremap (an __iomem cookie).
#pragma once

#include <cstdint>

#include "sw/hal/cpu.h"

namespace hal {

inline uint8_t readb_relaxed(Cpu& c, uint32_t addr) {
    return c.load8(addr);
}
inline uint16_t readw_relaxed(Cpu& c, uint32_t addr) {
    return c.load16(addr);
}
inline uint32_t readl_relaxed(Cpu& c, uint32_t addr) {
    return c.load32(addr);
}
inline void writeb_relaxed(Cpu& c, uint8_t v, uint32_t addr) {
    c.store8(addr, v);
}
inline void writew_relaxed(Cpu& c, uint16_t v, uint32_t addr) {
    c.store16(addr, v);
}
inline void writel_relaxed(Cpu& c, uint32_t v, uint32_t addr) {
    c.store32(addr, v);
}

inline void iormb(Cpu& c) {
    c.dsb();
}
inline void iowmb(Cpu& c) {
    c.dsb();
}

inline uint8_t readb(Cpu& c, uint32_t addr) {
    uint8_t v = readb_relaxed(c, addr);
    iormb(c);
    return v;
}
inline uint16_t readw(Cpu& c, uint32_t addr) {
    uint16_t v = readw_relaxed(c, addr);
    iormb(c);
    return v;
}
inline uint32_t readl(Cpu& c, uint32_t addr) {
    uint32_t v = readl_relaxed(c, addr);
    iormb(c);
    return v;
}
inline void writeb(Cpu& c, uint8_t v, uint32_t addr) {
    iowmb(c);
    writeb_relaxed(c, v, addr);
}
inline void writew(Cpu& c, uint16_t v, uint32_t addr) {
    iowmb(c);
    writew_relaxed(c, v, addr);
}
inline void writel(Cpu& c, uint32_t v, uint32_t addr) {
    iowmb(c);
    writel_relaxed(c, v, addr);
}
inline uint32_t ioread32(Cpu& c, uint32_t addr) {
    return readl(c, addr);
}
inline void iowrite32(Cpu& c, uint32_t v, uint32_t addr) {
    writel(c, v, addr);
}
inline uint16_t ioread16(Cpu& c, uint32_t addr) {
    return readw(c, addr);
}
inline void iowrite16(Cpu& c, uint16_t v, uint32_t addr) {
    writew(c, v, addr);
}
inline uint8_t ioread8(Cpu& c, uint32_t addr) {
    return readb(c, addr);
}
inline void iowrite8(Cpu& c, uint8_t v, uint32_t addr) {
    writeb(c, v, addr);
}

// The same accessors on this_cpu(), spelled as in Linux drivers: readl(base + OFFSET).
inline uint32_t readl(uint32_t addr) {
    return readl(this_cpu(), addr);
}
inline uint16_t readw(uint32_t addr) {
    return readw(this_cpu(), addr);
}
inline uint8_t readb(uint32_t addr) {
    return readb(this_cpu(), addr);
}
inline void writel(uint32_t v, uint32_t addr) {
    writel(this_cpu(), v, addr);
}
inline void writew(uint16_t v, uint32_t addr) {
    writew(this_cpu(), v, addr);
}
inline void writeb(uint8_t v, uint32_t addr) {
    writeb(this_cpu(), v, addr);
}
inline uint32_t readl_relaxed(uint32_t addr) {
    return readl_relaxed(this_cpu(), addr);
}
inline void writel_relaxed(uint32_t v, uint32_t addr) {
    writel_relaxed(this_cpu(), v, addr);
}

}  // namespace hal
