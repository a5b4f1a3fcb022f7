#include "sw/kernel/boot.h"

#include <cstdio>
#include <stdexcept>

#include "sw/arch/arm/fault.h"
#include "sw/arch/arm/pgtable.h"
#include "sw/arch/arm/tlbflush.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/irq.h"
#include "sw/kernel/printk.h"
#include "sw/kernel/time.h"
#include "sw/mm/dma-mapping.h"
#include "sw/mm/highmem.h"
#include "sw/mm/ioremap.h"
#include "sw/mm/memblock.h"
#include "sw/mm/mmap.h"
#include "sw/mm/vmalloc.h"

namespace kernel {

namespace {

System* g_system = nullptr;

constexpr uint32_t KiB = 1u << 10;
constexpr uint32_t MiB = 1u << 20;
// [?] Section sizes of a Linux 4.19 omap2plus BeagleBone Black image, from its boot log
// (".text 9184 kB, .init 1024 kB, .data 311 kB, .bss 298 kB"; docs/guest/boot.md).
constexpr uint32_t kTextBytes = 9184 * KiB;
constexpr uint32_t kInitBytes = 1024 * KiB;
constexpr uint32_t kDataBytes = 311 * KiB;
constexpr uint32_t kBssBytes = 298 * KiB;
// The vectors page and the stubs page after it (early_trap_init's two pages).
constexpr uint32_t kVectorsPages = 2;

KernelImage make_image(uint32_t kernel_size) {
    const uint64_t want = static_cast<uint64_t>(kTextBytes) + kInitBytes + kDataBytes + kBssBytes;
    // A smaller kernel_size shrinks every section in proportion.
    auto part = [&](uint32_t bytes) {
        if (kernel_size >= want) return bytes;
        return static_cast<uint32_t>(static_cast<uint64_t>(bytes) * kernel_size / want) &
               ~(L1_CACHE_BYTES - 1);
    };
    KernelImage k;
    k.text = PAGE_OFFSET + TEXT_OFFSET;
    k.etext = k.text + part(kTextBytes);
    k.init_begin = k.etext;
    k.init_end = k.init_begin + part(kInitBytes);
    k.sdata = k.init_end;
    k.edata = k.sdata + part(kDataBytes);
    k.bss_start = k.edata;
    k.bss_stop = k.bss_start + part(kBssBytes);
    k.end = k.bss_stop;
    return k;
}

uint32_t round_up(uint32_t x, uint32_t a) {
    return (x + a - 1) & ~(a - 1);
}

}  // namespace

const DeviceInfo* BootInfo::device(const std::string& name) const {
    for (const DeviceInfo& d : devices)
        if (d.name == name) return &d;
    return nullptr;
}

System& current_system() {
    if (!g_system) throw std::logic_error("no guest kernel is running (kernel::System)");
    return *g_system;
}

bool system_running() {
    return g_system != nullptr;
}

uint32_t System::swapper_pg_dir() const {
    return kernel::swapper_pg_dir();
}

System::System(const BootInfo& info) : info_(info) {
    if (g_system) throw std::logic_error("a kernel::System is already running");
    if (!hal::this_cpu_or_null())
        throw std::logic_error("kernel::System must be constructed in the guest thread");
    if (info_.mem.empty()) throw std::invalid_argument("BootInfo: no memory bank");
    uint64_t next = info_.mem.front().start;
    uint64_t total = 0;
    for (const MemBank& b : info_.mem) {
        if (b.start != next)
            throw std::invalid_argument(
                "BootInfo: memory banks must be contiguous from PHYS_OFFSET");
        if (!b.size) throw std::invalid_argument("BootInfo: empty memory bank");
        next = b.start + b.size;
        total += b.size;
    }
    info_.mm.ram_base = info_.mem.front().start;
    info_.mm.ram_size = total;

    const uint32_t sctlr = cp15_read(cp15::SCTLR);
    if (sctlr & sctlr::M) throw std::logic_error("kernel::System: the MMU must be off at boot");

    set_early_paging(true);
    try {
        // start_kernel's first lines (setup_processor, setup_machine_fdt), then setup_arch.
        const uint32_t midr = cp15_read(cp15::MIDR);
        pr_notice("Booting Linux on physical CPU 0x0\n");
        pr_info("CPU: ARMv7 Processor [%08x] revision %u (ARMv7)\n", midr, midr & 0xFu);
        pr_info("OF: fdt: Machine model: %s\n", info_.machine.c_str());
        mm_ = std::make_unique<MemoryManager>(info_.mm);  // arm_memblock_init
        g_system = this;
        image_ = make_image(info_.mm.kernel_size);
        paging_init();
        enable_mmu();
        set_early_paging(false);
        print_layout();
        mm_->mem_init();
        highmem_init();
        mm_->kmem_cache_init();
        vmalloc_init();
        install_abort_handler(hal::this_cpu());
        booted_ = true;
    } catch (...) {
        set_early_paging(false);
        teardown();
        throw;
    }
}

System::~System() {
    teardown();
}

void System::teardown() {
    if (g_system == this) {
        if (booted_) hal::this_cpu().set_abort_handler(nullptr);
        // The subsystems that outlive their users' own cleanup: the DMA API (pools, dma-debug
        // entries) and the user-mm fault hook and zero page; then the IRQ and tick layers.
        dma_mapping_exit();
        user_mm_exit();
        irq_core_reset();
        time_reset();
        vmalloc_exit();
        ioremap_exit();
        highmem_exit();
        set_user_fault_handler(nullptr);
        g_system = nullptr;
    }
    mm_.reset();
    booted_ = false;
}

// ---- paging_init -------------------------------------------------------------------------------

void System::paging_init() {
    // prepare_page_table: no mapping exists yet (there is no head.S identity map here), so the
    // whole of swapper_pg_dir is cleared.
    hal::this_cpu().fill(SWAPPER_PG_DIR_PHYS, 0, SWAPPER_PG_DIR_SIZE);
    map_lowmem();
    map_cma_ptes();
    devicemaps_init();
    kmap_init();
    early_pte_pages_ = nr_pte_pages();
}

void System::map_lowmem() {
    // Kernel text (up to __init_end, rounded to sections) executable, the rest XN; all global.
    const phys_addr_t kernel_x_start = virt_to_phys(image_.text) & SECTION_MASK;
    const phys_addr_t kernel_x_end = round_up(virt_to_phys(image_.init_end), SECTION_SIZE);
    const phys_addr_t start = layout().ram_start;
    const phys_addr_t end = static_cast<phys_addr_t>(layout().lowmem_limit);
    auto map = [](phys_addr_t from, phys_addr_t to, unsigned type) {
        if (from >= to) return;
        map_desc md;
        md.virt = phys_to_virt(from);
        md.pfn = from >> PAGE_SHIFT;
        md.length = to - from;
        md.type = type;
        create_mapping(md);
    };
    map(start, std::max(start, kernel_x_start), MT_MEMORY_RW);
    map(std::max(start, kernel_x_start), std::min(end, kernel_x_end), MT_MEMORY_RWX);
    map(std::min(end, kernel_x_end), end, MT_MEMORY_RW);
}

void System::map_cma_ptes() {
    // dma_contiguous_remap: the CMA area's sections are replaced with 4 KiB ptes of
    // MT_MEMORY_DMA_READY so that the DMA code can change single pages.
    const cma_area& cma = mm_->cma();
    if (!cma.size) return;
    const uint32_t vstart = phys_to_virt(cma.base);
    const uint32_t vend = vstart + cma.size;
    for (uint64_t a = vstart & PGDIR_MASK; a < vend; a += PGDIR_SIZE)
        pmd_clear(pmd_off_k(static_cast<uint32_t>(a)));
    flush_tlb_kernel_range(vstart, vend);
    map_desc md;
    md.virt = vstart;
    md.pfn = cma.base >> PAGE_SHIFT;
    md.length = cma.size;
    md.type = MT_MEMORY_DMA_READY;
    iotable_init(&md, 1);
}

void System::devicemaps_init() {
    // The vectors page (and the stubs page) at 0xFFFF0000, from memblock.
    const phys_addr_t vectors = memblock_phys_alloc_range(
        kVectorsPages * PAGE_SIZE, PAGE_SIZE, 0, static_cast<phys_addr_t>(layout().lowmem_limit));
    if (!vectors) throw std::runtime_error("paging_init: no memory for the vectors page");
    hal::this_cpu().fill(vectors, 0, kVectorsPages * PAGE_SIZE);
    map_desc v;
    v.virt = VECTORS_BASE;
    v.pfn = vectors >> PAGE_SHIFT;
    v.length = PAGE_SIZE;
    v.type = MT_HIGH_VECTORS;
    create_mapping(v);
    v.virt = VECTORS_BASE + PAGE_SIZE;
    v.pfn += 1;
    v.type = MT_LOW_VECTORS;
    create_mapping(v);
    // am33xx_map_io: the L4_WKUP and L4_PER windows (arch/arm/mach-omap2/io.c).
    const map_desc io[] = {
        {AM33XX_L4_WK_IO_VIRT, AM33XX_L4_WK_IO_PHYS >> PAGE_SHIFT, AM33XX_L4_WK_IO_SIZE, MT_DEVICE},
        {L4_34XX_VIRT, L4_34XX_PHYS >> PAGE_SHIFT, L4_34XX_SIZE, MT_DEVICE},
    };
    iotable_init(io, 2);
}

void System::kmap_init() {
    // The pkmap pte page (pkmap_page_table) and the fixmap's (early_pte_alloc with
    // _PAGE_KERNEL_TABLE).
    if (info_.mm.highmem) pte_alloc_prot(pmd_off_k(PKMAP_BASE), PKMAP_BASE, _PAGE_KERNEL_TABLE);
    pte_alloc_prot(pmd_off_k(FIXADDR_START), FIXADDR_START, _PAGE_KERNEL_TABLE);
}

// ---- MMU on -------------------------------------------------------------------------------------

void System::enable_mmu() {
    hal::Cpu& c = hal::this_cpu();
    // __v7_setup / __enable_mmu: domains, TTBCR.N = 0 (TTBR0 only), TTBR0 with the walk
    // attributes of TTB_FLAGS_UP, TEX remap registers, a clean TLB, then SCTLR.
    dacr_ = DACR_INIT;
    cp15_write(cp15::DACR, dacr_);
    cp15_write(cp15::TTBCR, 0);
    set_ttb_flags(info_.ttb_cacheable ? ttbr::TTB_FLAGS_UP : 0);
    ttbr0_ = SWAPPER_PG_DIR_PHYS | ttb_flags();
    cp15_write(cp15::TTBR0, ttbr0_);
    cp15_write(cp15::PRRR, PRRR);
    cp15_write(cp15::NMRR, NMRR);
    c.dsb();
    cp15_write(cp15::TLBIALL, 0);
    c.dsb();
    uint32_t s = cp15_read(cp15::SCTLR);
    s &= ~(sctlr::AFE | sctlr::A);
    s |= sctlr::M | sctlr::C | sctlr::I | sctlr::Z | sctlr::V | sctlr::TRE;
    cp15_write(cp15::SCTLR, s);
    c.isb();
    sctlr_ = cp15_read(cp15::SCTLR);
    if (!(sctlr_ & sctlr::M)) throw std::runtime_error("the MMU did not turn on");
}

void System::print_layout() {
    // arch/arm/mm/init.c mem_init() of Linux 4.19 - 5.10 (MLK / MLM / MLK_ROUNDUP).
    const MemoryLayout& l = layout();
    const bool highmem = info_.mm.highmem;
    const uint32_t modules_end = highmem ? MODULES_END_HIGHMEM : PAGE_OFFSET;
    char buf[1024];
    int n = 0;
    auto kb = [](uint32_t b, uint32_t t) { return static_cast<long>((t - b) >> 10); };
    auto mb = [](uint32_t b, uint32_t t) { return static_cast<long>((t - b) >> 20); };
    auto kb_up = [](uint32_t b, uint32_t t) { return static_cast<long>((t - b + KiB - 1) / KiB); };
    n += std::snprintf(buf + n, sizeof buf - n, "Virtual kernel memory layout:\n");
    n += std::snprintf(buf + n, sizeof buf - n, "    vector  : 0x%08x - 0x%08x   (%4ld kB)\n",
                       VECTORS_BASE, VECTORS_BASE + PAGE_SIZE,
                       kb(VECTORS_BASE, VECTORS_BASE + PAGE_SIZE));
    n += std::snprintf(buf + n, sizeof buf - n, "    fixmap  : 0x%08x - 0x%08x   (%4ld kB)\n",
                       FIXADDR_START, FIXADDR_END, kb(FIXADDR_START, FIXADDR_END));
    n += std::snprintf(buf + n, sizeof buf - n, "    vmalloc : 0x%08x - 0x%08x   (%4ld MB)\n",
                       l.vmalloc_start, VMALLOC_END, mb(l.vmalloc_start, VMALLOC_END));
    n += std::snprintf(buf + n, sizeof buf - n, "    lowmem  : 0x%08x - 0x%08x   (%4ld MB)\n",
                       PAGE_OFFSET, l.high_memory, mb(PAGE_OFFSET, l.high_memory));
    if (highmem) {
        const uint32_t pk_end = PKMAP_BASE + LAST_PKMAP * PAGE_SIZE;
        n += std::snprintf(buf + n, sizeof buf - n, "    pkmap   : 0x%08x - 0x%08x   (%4ld MB)\n",
                           PKMAP_BASE, pk_end, mb(PKMAP_BASE, pk_end));
    }
    n += std::snprintf(buf + n, sizeof buf - n, "    modules : 0x%08x - 0x%08x   (%4ld MB)\n",
                       MODULES_VADDR, modules_end, mb(MODULES_VADDR, modules_end));
    const KernelImage& k = image_;
    n += std::snprintf(buf + n, sizeof buf - n, "      .text : 0x%08x - 0x%08x   (%4ld kB)\n",
                       k.text, k.etext, kb_up(k.text, k.etext));
    n += std::snprintf(buf + n, sizeof buf - n, "      .init : 0x%08x - 0x%08x   (%4ld kB)\n",
                       k.init_begin, k.init_end, kb_up(k.init_begin, k.init_end));
    n += std::snprintf(buf + n, sizeof buf - n, "      .data : 0x%08x - 0x%08x   (%4ld kB)\n",
                       k.sdata, k.edata, kb_up(k.sdata, k.edata));
    n += std::snprintf(buf + n, sizeof buf - n, "       .bss : 0x%08x - 0x%08x   (%4ld kB)\n",
                       k.bss_start, k.bss_stop, kb_up(k.bss_start, k.bss_stop));
    layout_text_.assign(buf, static_cast<size_t>(n));
    pr_notice("%s", layout_text_.c_str());
}

}  // namespace kernel
