// Booting the guest kernel (arch/arm/kernel/setup.c setup_arch, arch/arm/mm/mmu.c
// paging_init, arch/arm/mm/init.c mem_init, init/main.c mm_init; docs/guest/boot.md).
//
//   kernel::BootInfo info = ...;        // from the board: DDR banks, devices, machine name
//   kernel::System sys(info);           // in the guest thread, MMU off: boots the kernel
//   uint32_t p = kernel::vmalloc(4096); // ... every access is now at a virtual address
//
// System's constructor runs Linux's order with the MMU off (VA = PA):
//   1. arm_memblock_init (MemoryManager ctor): RAM, kernel image, swapper_pg_dir, CMA area;
//   2. paging_init: prepare_page_table (clear the L1 outside the kernel), map_lowmem (1 MiB
//      sections, global: MT_MEMORY_RWX over the kernel text, MT_MEMORY_RW elsewhere),
//      the CMA area remapped with 4 KiB ptes (MT_MEMORY_DMA_READY), devicemaps_init (the
//      vectors page at 0xFFFF0000, the AM33xx iotable: L4_WKUP and L4_PER as MT_DEVICE
//      sections), kmap_init (pkmap and fixmap pte tables);
//   3. the MMU: DACR (DACR_INIT), TTBCR 0, TTBR0 = swapper_pg_dir | TTB_FLAGS_UP, PRRR/NMRR,
//      TLBIALL, SCTLR M|C|I|Z|TRE (AFE = 0), ISB;
//   4. the "Virtual kernel memory layout" block (pr_notice), mem_init (buddy), highmem
//      pages, kmem_cache_init (SLUB), vmalloc_init (static maps as VM_ARM_STATIC_MAPPING
//      areas), the abort handler (sw/arch/arm/fault.h).
// One System at a time; its destructor tears the kernel state down (the MMU stays on).
// Plain C++17, no SystemC.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sw/mm/memory.h"
#include "sw/mm/mm.h"

namespace kernel {

struct MemBank {
    phys_addr_t start = 0;
    uint64_t size = 0;
};

struct DeviceInfo {
    std::string name;  // region name of configs/soc/am335x.yaml: "uart0", "gpio1", "intc" ...
    phys_addr_t base = 0;
    uint32_t size = 0;
    std::vector<unsigned> irqs;  // INTC lines, in the YAML order
    std::string clkctrl;         // e.g. "cm_per.gpio1"; "" = always on
};

// A board LED on a GPIO (the DT's gpio-leds node).
struct LedInfo {
    std::string name;   // "usr0"
    unsigned gpio = 0;  // bank * 32 + pin
    bool active_low = false;
};

// A device on an I2C bus of the board (a child node of the DT's i2c bus).
struct I2cClientInfo {
    std::string compatible;  // "atmel,24c32", "ti,tps65217"
    unsigned bus = 0;        // i2c0 = 0
    uint16_t addr = 0;       // 7-bit address
};

struct BootInfo {
    std::string machine;  // DT model, e.g. "TI AM335x BeagleBone Black"
    std::vector<MemBank> mem;
    std::vector<DeviceInfo> devices;
    std::vector<LedInfo> leds;
    std::vector<I2cClientInfo> i2c_clients;
    MmConfig mm;  // ram_base/ram_size are filled from `mem` by System
    // Table walks cacheable: TTBR0 carries TTB_FLAGS_UP (inner/outer write-back, as ARMv7
    // Linux); false = walks read memory (YAML kernel.ttb_cacheable, the walk-cost study).
    bool ttb_cacheable = true;
    const DeviceInfo* device(const std::string& name) const;  // nullptr if absent
};

// The kernel image's sections (System.map symbols), all inside MmConfig::kernel_size from
// PAGE_OFFSET + TEXT_OFFSET. [?] Proportions of a 4.19 omap2plus BBB image (docs/guest/boot.md).
struct KernelImage {
    uint32_t text = 0, etext = 0;           // _text, _etext
    uint32_t init_begin = 0, init_end = 0;  // __init_begin, __init_end
    uint32_t sdata = 0, edata = 0;          // _sdata, _edata
    uint32_t bss_start = 0, bss_stop = 0;   // __bss_start, __bss_stop
    uint32_t end = 0;                       // _end
};

// Fixed virtual areas (linux-mm.md §2.2).
constexpr uint32_t MODULES_END_HIGHMEM = PAGE_OFFSET - (2u << 20);  // pkmap takes the top 2 MiB
// The AM33xx static maps (arch/arm/mach-omap2/io.c am33xx_io_desc; iomap.h).
constexpr phys_addr_t AM33XX_L4_WK_IO_PHYS = 0x44C00000u;
constexpr uint32_t AM33XX_L4_WK_IO_VIRT = 0xF9C00000u;  // PA + 0xB5000000
constexpr uint32_t AM33XX_L4_WK_IO_SIZE = 4u << 20;
constexpr phys_addr_t L4_34XX_PHYS = 0x48000000u;
constexpr uint32_t L4_34XX_VIRT = 0xFA000000u;  // PA + 0xB2000000
constexpr uint32_t L4_34XX_SIZE = 4u << 20;

class System {
  public:
    // Boots. Throws std::invalid_argument for a BootInfo that cannot boot (no memory bank,
    // a bank not at PHYS_OFFSET, banks not contiguous, a bad MmConfig), std::logic_error if
    // another System lives or hal::this_cpu() is not set, std::runtime_error if the MMU
    // refuses the tables.
    explicit System(const BootInfo& info);
    ~System();
    System(const System&) = delete;
    System& operator=(const System&) = delete;

    const BootInfo& info() const { return info_; }
    MemoryManager& mm() { return *mm_; }
    const MemoryLayout& layout() const { return mm_->layout(); }
    const KernelImage& image() const { return image_; }
    uint32_t swapper_pg_dir() const;  // VA (0xC0004000)
    // The "Virtual kernel memory layout:" block exactly as printed at boot.
    const std::string& layout_text() const { return layout_text_; }
    // DACR / TTBR0 / SCTLR values programmed at boot.
    uint32_t dacr() const { return dacr_; }
    uint32_t ttbr0() const { return ttbr0_; }
    uint32_t sctlr() const { return sctlr_; }
    unsigned long early_pte_pages() const { return early_pte_pages_; }

  private:
    void paging_init();
    void map_lowmem();
    void map_cma_ptes();
    void devicemaps_init();
    void kmap_init();
    void enable_mmu();
    void print_layout();
    void teardown();

    BootInfo info_;
    std::unique_ptr<MemoryManager> mm_;
    KernelImage image_;
    std::string layout_text_;
    uint32_t dacr_ = 0, ttbr0_ = 0, sctlr_ = 0;
    unsigned long early_pte_pages_ = 0;
    bool booted_ = false;
};

// The running kernel; throws std::logic_error when none.
System& current_system();
bool system_running();

}  // namespace kernel
