#include "platform/soc/boot_info.h"

namespace vp::platform {

kernel::BootInfo make_boot_info(const config::PlatformConfig& cfg) {
    kernel::BootInfo info;
    info.machine = cfg.board.model.empty() ? "TI AM335x " + cfg.board.name : cfg.board.model;
    for (const config::RegionConfig& r : cfg.memory_map) {
        if (r.model == config::RegionModel::ddr) {
            info.mem.push_back(
                kernel::MemBank{static_cast<kernel::phys_addr_t>(r.base), cfg.ddr.size});
            continue;
        }
        kernel::DeviceInfo d;
        d.name = r.name;
        d.base = static_cast<kernel::phys_addr_t>(r.base);
        d.size = static_cast<uint32_t>(r.size);
        d.irqs.assign(r.irqs.begin(), r.irqs.end());
        d.clkctrl = r.clkctrl;
        info.devices.push_back(std::move(d));
    }
    for (const config::LedConfig& l : cfg.board.leds)
        info.leds.push_back(kernel::LedInfo{l.name, l.bank * 32 + l.pin, l.active_low});
    // I2C0: the board-ID EEPROM (a 24C32-class part with 2-byte addressing, at 0x50 on every
    // board of am335x.md §11) and the PMIC the board file names.
    info.i2c_clients.push_back(kernel::I2cClientInfo{"atmel,24c32", 0, 0x50});
    if (cfg.board.pmic.model == "tps65217")
        info.i2c_clients.push_back(
            kernel::I2cClientInfo{"ti,tps65217", 0, static_cast<uint16_t>(cfg.board.pmic.address)});
    const config::KernelConfig& k = cfg.kernel;
    info.ttb_cacheable = k.ttb_cacheable;
    kernel::MmConfig& mm = info.mm;
    mm.kernel_size = static_cast<uint32_t>(k.image_size);
    mm.cma_size = static_cast<uint32_t>(k.cma);
    mm.vmalloc_size = static_cast<uint32_t>(k.vmalloc);
    mm.highmem = k.highmem;
    mm.max_page_order = k.max_order;
    mm.slub_debug = k.slub_debug;
    mm.init_on_alloc = k.init_on_alloc;
    mm.init_on_free = k.init_on_free;
    return info;
}

}  // namespace vp::platform
