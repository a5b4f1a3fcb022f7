#include "sw/mm/mm.h"

#include <cinttypes>
#include <stdexcept>

#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"

namespace kernel {

namespace {

MemoryManager* g_mm = nullptr;
SlabAllocator* g_slab = nullptr;   // set by kmem_cache_init(): the kmalloc fast path
PageAllocator* g_pages = nullptr;  // set by mem_init()

constexpr uint64_t kPhysLimit = 1ull << 32;
constexpr uint32_t kMiB = 1u << 20;
// The vmalloc area may not grow so large that lowmem is under 32 MiB (early_vmalloc).
constexpr uint32_t kMinLowmem = 32u << 20;

SlabAllocator& slab_or_throw() {
    if (!g_slab) throw std::logic_error("kmalloc before kmem_cache_init()");
    return *g_slab;
}
PageAllocator& pages_or_throw() {
    if (!g_pages) throw std::logic_error("page allocator used before mem_init()");
    return *g_pages;
}

inline uint32_t ret_ip(void* a) {
    return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(a));
}
#define RET_IP ret_ip(__builtin_return_address(0))

}  // namespace

// ---- layout
// ---------------------------------------------------------------------------------------

MemoryLayout MemoryLayout::compute(phys_addr_t ram_base, uint64_t ram_size, uint32_t vmalloc_size,
                                   bool highmem) {
    if (ram_base != PHYS_OFFSET)
        throw std::invalid_argument("RAM must start at PHYS_OFFSET (0x80000000) on the AM335x");
    if (!ram_size || ram_size % PAGE_SIZE)
        throw std::invalid_argument("RAM size must be a non-zero multiple of 4 KiB");
    if (ram_base + ram_size > kPhysLimit)
        throw std::invalid_argument("RAM runs past 4 GiB (non-LPAE kernel)");
    if (vmalloc_size < VMALLOC_MIN_SIZE) {
        pr_warn("vmalloc area is too small, limiting to %uMiB\n", VMALLOC_MIN_SIZE / kMiB);
        vmalloc_size = VMALLOC_MIN_SIZE;
    }
    const uint32_t vmalloc_max = VMALLOC_END - (PAGE_OFFSET + kMinLowmem) - VMALLOC_OFFSET;
    if (vmalloc_size > vmalloc_max) {
        pr_warn("vmalloc area is too big, limiting to %uMiB\n", vmalloc_max / kMiB);
        vmalloc_size = vmalloc_max;
    }
    MemoryLayout l;
    l.ram_start = ram_base;
    l.ram_end = ram_base + ram_size;
    const uint32_t vmalloc_min = VMALLOC_END - vmalloc_size - VMALLOC_OFFSET;
    const uint64_t limit = static_cast<uint64_t>(PHYS_OFFSET) + (vmalloc_min - PAGE_OFFSET);
    l.lowmem_limit = std::min<uint64_t>(l.ram_end, limit) & PAGE_MASK;
    l.high_memory = static_cast<uint32_t>(l.lowmem_limit - PHYS_OFFSET + PAGE_OFFSET);
    l.vmalloc_start = (l.high_memory + VMALLOC_OFFSET) & ~(VMALLOC_OFFSET - 1);
    l.min_low_pfn = PFN_UP(ram_base);
    l.max_low_pfn = PFN_DOWN(l.lowmem_limit);
    l.max_pfn = highmem ? PFN_DOWN(l.ram_end) : l.max_low_pfn;
    return l;
}

// ---- boot
// -------------------------------------------------------------------------------------------

MemoryManager::MemoryManager(const MmConfig& cfg) : cfg_(cfg) {
    if (cfg_.max_page_order > kMaxSupportedOrder)
        throw std::invalid_argument("max_page_order above " + std::to_string(kMaxSupportedOrder));
    {  // reject a bad slub_debug= before anything else
        slab_flags_t f;
        std::vector<std::string> c;
        SlabConfig::parse_slub_debug(cfg_.slub_debug, f, c);
    }
    layout_ = MemoryLayout::compute(cfg_.ram_base, cfg_.ram_size, cfg_.vmalloc_size, cfg_.highmem);
    memblock_.add(cfg_.ram_base, cfg_.ram_size);
    if (layout_.ram_end > layout_.lowmem_limit && !cfg_.highmem) {
        pr_notice("Truncating RAM at 0x%08" PRIx64 "-0x%08" PRIx64 " to -0x%08" PRIx64 "\n",
                  static_cast<uint64_t>(cfg_.ram_base), layout_.ram_end - 1,
                  layout_.lowmem_limit - 1);
        pr_notice("Consider using a HIGHMEM enabled kernel.\n");
        memblock_.remove(static_cast<phys_addr_t>(layout_.lowmem_limit),
                         layout_.ram_end - layout_.lowmem_limit);
    }
    memblock_.set_current_limit(layout_.lowmem_limit);

    // The kernel image and the initial page directory.
    const uint64_t image_start = PHYS_OFFSET + TEXT_OFFSET;
    if (image_start + cfg_.kernel_size > layout_.lowmem_limit)
        throw std::invalid_argument("the kernel image does not fit in lowmem");
    memblock_.reserve(static_cast<phys_addr_t>(image_start), cfg_.kernel_size);
    memblock_.reserve(SWAPPER_PG_DIR_PHYS, SWAPPER_PG_DIR_SIZE);

    // dma_contiguous_reserve(): the CMA area, top-down in lowmem, pageblock aligned.
    if (cfg_.cma_size) {
        const uint64_t align = static_cast<uint64_t>(PAGE_SIZE) << cfg_.max_page_order;
        const uint32_t size = static_cast<uint32_t>((cfg_.cma_size + align - 1) & ~(align - 1));
        const phys_addr_t base = memblock_.phys_alloc_range(size, align, 0, layout_.lowmem_limit);
        if (base) {
            cma_ = {base, size};
            pr_info("cma: Reserved %u MiB at 0x%08x\n", size / kMiB, base);
        } else {
            pr_err("cma: Failed to reserve %u MiB\n", size / kMiB);
        }
    }
    g_mm = this;
}

MemoryManager::~MemoryManager() {
    if (g_mm == this) {
        g_mm = nullptr;
        if (g_slab == slab_.get()) g_slab = nullptr;
        if (g_pages == pages_.get()) g_pages = nullptr;
    }
}

PageAllocator& MemoryManager::pages() {
    if (!pages_) throw std::logic_error("the page allocator is not up yet (mem_init)");
    return *pages_;
}

SlabAllocator& MemoryManager::slab() {
    if (!slab_) throw std::logic_error("the slab allocator is not up yet (kmem_cache_init)");
    return *slab_;
}

void MemoryManager::mem_init() {
    if (pages_) throw std::logic_error("mem_init() called twice");
    // free_area_init(): Linux's mem_map comes from memblock; ours is a host array, but the
    // RAM it would take is still reserved so the page counts are Linux's.
    if (cfg_.reserve_mem_map) {
        const uint64_t bytes =
            static_cast<uint64_t>(layout_.max_pfn - layout_.min_low_pfn) * kStructPageBytes;
        mem_map_phys_ = memblock_.phys_alloc_range(bytes, L1_CACHE_BYTES, 0, layout_.lowmem_limit);
        if (!mem_map_phys_) throw std::invalid_argument("no lowmem left for mem_map");
    }
    PageAllocConfig pc;
    pc.max_order = cfg_.max_page_order;
    pc.zone_dma = cfg_.zone_dma;
    pc.min_free_kbytes = cfg_.min_free_kbytes;
    pc.init_on_alloc = cfg_.init_on_alloc;
    pc.init_on_free = cfg_.init_on_free;
    pages_ = std::make_unique<PageAllocator>(layout_, pc);
    g_pages = pages_.get();
    memblock_free_all();
    pages_->setup_watermarks();
    const unsigned long total_k = (layout_.max_pfn - layout_.min_low_pfn) * (PAGE_SIZE >> 10);
    const unsigned long avail_k = pages_->nr_free_pages() * (PAGE_SIZE >> 10);
    const unsigned long high_k = pages_->get_zone(ZONE_HIGHMEM).managed_pages * (PAGE_SIZE >> 10);
    pr_info(
        "Memory: %luK/%luK available (%uK kernel, %luK reserved, %uK cma-reserved, %luK "
        "highmem)\n",
        avail_k, total_k, cfg_.kernel_size >> 10, total_k - avail_k - (cma_.size >> 10),
        cma_.size >> 10, high_k);
}

unsigned long MemoryManager::memblock_free_all() {
    if (!pages_) throw std::logic_error("memblock_free_all() before the page allocator exists");
    if (released_) {
        warn_printk("memblock_free_all() called twice");
        return 0;
    }
    for (const memblock_region& r : memblock_.free_ranges()) {
        const pfn_t start = PFN_UP(r.base);
        const pfn_t end = PFN_DOWN(r.end());
        if (start >= end) continue;
        pages_->free_boot_range(start, end);
        released_ += end - start;
    }
    return released_;
}

void MemoryManager::kmem_cache_init() {
    if (!pages_) throw std::logic_error("kmem_cache_init() before mem_init()");
    if (slab_) throw std::logic_error("kmem_cache_init() called twice");
    SlabConfig sc;
    SlabConfig::parse_slub_debug(cfg_.slub_debug, sc.debug_flags, sc.debug_caches);
    sc.nomerge = cfg_.slab_nomerge;
    sc.min_objects = cfg_.slub_min_objects;
    sc.min_order = cfg_.slub_min_order;
    sc.max_order = cfg_.slub_max_order;
    sc.init_on_alloc = cfg_.init_on_alloc;
    sc.init_on_free = cfg_.init_on_free;
    slab_ = std::make_unique<SlabAllocator>(*pages_, sc);
    slab_->create_kmalloc_caches();
    g_slab = slab_.get();
}

MemoryManager& current_mm() {
    if (!g_mm) throw std::logic_error("no guest kernel memory manager is running");
    return *g_mm;
}

bool slab_is_available() {
    return g_slab != nullptr;
}

// ---- GFP names
// ---------------------------------------------------------------------------------------

std::string format_gfp(gfp_t gfp) {
    // The order of include/trace/events/mmflags.h: composite masks first.
    static const struct {
        gfp_t mask;
        const char* name;
    } kNames[] = {
        {GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
        {GFP_HIGHUSER, "GFP_HIGHUSER"},
        {GFP_USER, "GFP_USER"},
        {GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"},
        {GFP_KERNEL, "GFP_KERNEL"},
        {GFP_NOFS, "GFP_NOFS"},
        {GFP_ATOMIC, "GFP_ATOMIC"},
        {GFP_NOIO, "GFP_NOIO"},
        {GFP_NOWAIT, "GFP_NOWAIT"},
        {GFP_DMA, "GFP_DMA"},
        {__GFP_HIGHMEM, "__GFP_HIGHMEM"},
        {__GFP_DMA32, "GFP_DMA32"},
        {__GFP_HIGH, "__GFP_HIGH"},
        {__GFP_IO, "__GFP_IO"},
        {__GFP_FS, "__GFP_FS"},
        {__GFP_NOWARN, "__GFP_NOWARN"},
        {__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
        {__GFP_NOFAIL, "__GFP_NOFAIL"},
        {__GFP_NORETRY, "__GFP_NORETRY"},
        {__GFP_COMP, "__GFP_COMP"},
        {__GFP_ZERO, "__GFP_ZERO"},
        {__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"},
        {__GFP_MEMALLOC, "__GFP_MEMALLOC"},
        {__GFP_HARDWALL, "__GFP_HARDWALL"},
        {__GFP_THISNODE, "__GFP_THISNODE"},
        {__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"},
        {__GFP_MOVABLE, "__GFP_MOVABLE"},
        {__GFP_ACCOUNT, "__GFP_ACCOUNT"},
        {__GFP_WRITE, "__GFP_WRITE"},
        {__GFP_RECLAIM, "__GFP_RECLAIM"},
        {__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
        {__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
    };
    if (!gfp) return "0";
    std::string out;
    for (const auto& n : kNames) {
        if ((gfp & n.mask) != n.mask) continue;
        if (!out.empty()) out += '|';
        out += n.name;
        gfp &= ~n.mask;
        if (!gfp) break;
    }
    if (gfp) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%#x", gfp);
        if (!out.empty()) out += '|';
        out += buf;
    }
    return out;
}

// ---- memblock, by Linux's names
// ----------------------------------------------------------------------

void memblock_add(phys_addr_t base, phys_addr_t size) {
    current_mm().memblock().add(base, size);
}
void memblock_remove(phys_addr_t base, phys_addr_t size) {
    current_mm().memblock().remove(base, size);
}
void memblock_reserve(phys_addr_t base, phys_addr_t size) {
    current_mm().memblock().reserve(base, size);
}
void memblock_phys_free(phys_addr_t base, phys_addr_t size) {
    current_mm().memblock().phys_free(base, size);
}
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end) {
    return current_mm().memblock().phys_alloc_range(size, align, start, end);
}
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align) {
    return current_mm().memblock().phys_alloc_range(size, align, 0, kPhysLimit);
}
uint32_t memblock_alloc(phys_addr_t size, phys_addr_t align) {
    if (g_slab) {
        warn_printk("memblock_alloc after the slab allocator is up: use kzalloc");
        return g_slab->kmalloc(size, GFP_NOWAIT | __GFP_ZERO, RET_IP);
    }
    MemoryManager& mm = current_mm();
    const phys_addr_t pa = mm.memblock().phys_alloc_range(size, align, 0, mm.layout().lowmem_limit);
    if (!pa) return 0;
    const uint32_t va = phys_to_virt(pa);
    hal::this_cpu().fill(va, 0, size);
    return va;
}
void memblock_set_current_limit(phys_addr_t limit) {
    current_mm().memblock().set_current_limit(limit);
}
bool memblock_is_memory(phys_addr_t addr) {
    return current_mm().memblock().is_memory(addr);
}
bool memblock_is_map_memory(phys_addr_t addr) {
    return current_mm().memblock().is_memory(addr);
}
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size) {
    return current_mm().memblock().is_region_reserved(base, size);
}
uint64_t memblock_phys_mem_size() {
    return current_mm().memblock().phys_mem_size();
}
uint64_t memblock_reserved_size() {
    return current_mm().memblock().reserved_size();
}
uint64_t memblock_start_of_DRAM() {
    return current_mm().memblock().start_of_DRAM();
}
uint64_t memblock_end_of_DRAM() {
    return current_mm().memblock().end_of_DRAM();
}
unsigned long memblock_free_all() {
    return current_mm().memblock_free_all();
}

// ---- page allocator, by Linux's names
// --------------------------------------------------------------------

page* alloc_pages(gfp_t gfp, unsigned order) {
    return pages_or_throw().alloc_pages(gfp, order);
}
page* alloc_page(gfp_t gfp) {
    return pages_or_throw().alloc_pages(gfp, 0);
}
void __free_pages(page* p, unsigned order) {
    pages_or_throw().free_pages(p, order);
}
void __free_page(page* p) {
    pages_or_throw().free_pages(p, 0);
}
uint32_t __get_free_pages(gfp_t gfp, unsigned order) {
    PageAllocator& pa = pages_or_throw();
    if (gfp & __GFP_HIGHMEM) {
        warn_printk("__get_free_pages with __GFP_HIGHMEM: highmem pages have no address");
        gfp &= ~__GFP_HIGHMEM;
    }
    page* p = pa.alloc_pages(gfp, order);
    return p ? pa.page_address(p) : 0;
}
uint32_t __get_free_page(gfp_t gfp) {
    return __get_free_pages(gfp, 0);
}
uint32_t get_zeroed_page(gfp_t gfp) {
    return __get_free_pages(gfp | __GFP_ZERO, 0);
}
void free_pages(uint32_t addr, unsigned order) {
    if (!addr) return;
    PageAllocator& pa = pages_or_throw();
    page* p = pa.virt_to_page(addr);
    if (!p || (addr & ~PAGE_MASK)) {
        warn_printk("free_pages: 0x%08x is not a page-aligned lowmem address", addr);
        return;
    }
    pa.free_pages(p, order);
}
void free_page(uint32_t addr) {
    free_pages(addr, 0);
}
uint32_t page_address(const page* p) {
    return pages_or_throw().page_address(p);
}
page* pfn_to_page(pfn_t pfn) {
    return pages_or_throw().pfn_to_page(pfn);
}
pfn_t page_to_pfn(const page* p) {
    return pages_or_throw().page_to_pfn(p);
}
bool pfn_valid(pfn_t pfn) {
    return pages_or_throw().pfn_valid(pfn);
}
page* virt_to_page(uint32_t va) {
    return pages_or_throw().virt_to_page(va);
}
bool virt_addr_valid(uint32_t va) {
    return g_pages && g_pages->virt_to_page(va) != nullptr;
}
phys_addr_t page_to_phys(const page* p) {
    return static_cast<phys_addr_t>(PFN_PHYS(page_to_pfn(p)));
}
void get_page(page* p) {
    pages_or_throw().get_page(p);
}
void put_page(page* p) {
    pages_or_throw().put_page(p);
}
unsigned long nr_free_pages() {
    return pages_or_throw().nr_free_pages();
}
unsigned long totalram_pages() {
    return pages_or_throw().totalram_pages();
}
uint32_t high_memory() {
    return current_mm().layout().high_memory;
}
uint32_t VMALLOC_START() {
    return current_mm().layout().vmalloc_start;
}

// ---- slab, by Linux's names
// --------------------------------------------------------------------------------

kmem_cache* kmem_cache_create(const char* name, unsigned size, unsigned align, slab_flags_t flags,
                              kmem_ctor_t ctor) {
    return slab_or_throw().cache_create(name, size, align, flags, std::move(ctor));
}
void kmem_cache_destroy(kmem_cache* s) {
    slab_or_throw().cache_destroy(s, RET_IP);
}
uint32_t kmem_cache_alloc(kmem_cache* s, gfp_t gfp) {
    return slab_or_throw().cache_alloc(s, gfp, s ? s->object_size : 0, RET_IP);
}
uint32_t kmem_cache_zalloc(kmem_cache* s, gfp_t gfp) {
    return slab_or_throw().cache_alloc(s, gfp | __GFP_ZERO, s ? s->object_size : 0, RET_IP);
}
void kmem_cache_free(kmem_cache* s, uint32_t x) {
    slab_or_throw().cache_free(s, x, RET_IP);
}
int kmem_cache_shrink(kmem_cache* s) {
    return slab_or_throw().cache_shrink(s);
}
int kmem_cache_alloc_bulk(kmem_cache* s, gfp_t gfp, size_t nr, uint32_t* p) {
    SlabAllocator& sa = slab_or_throw();
    for (size_t i = 0; i < nr; ++i) {
        p[i] = sa.cache_alloc(s, gfp, s ? s->object_size : 0, RET_IP);
        if (!p[i]) {
            for (size_t k = 0; k < i; ++k)
                sa.cache_free(s, p[k], RET_IP);
            return 0;
        }
    }
    return static_cast<int>(nr);
}
void kmem_cache_free_bulk(kmem_cache* s, size_t nr, const uint32_t* p) {
    SlabAllocator& sa = slab_or_throw();
    for (size_t i = 0; i < nr; ++i)
        sa.cache_free(s, p[i], RET_IP);
}
const char* kmem_cache_name(const kmem_cache* s) {
    return s ? s->name.c_str() : "(null)";
}
uint32_t __kmalloc_cache(kmem_cache* s, gfp_t gfp, size_t size) {
    return slab_or_throw().cache_alloc(s, gfp, static_cast<unsigned>(size), RET_IP);
}
uint32_t kmalloc(size_t size, gfp_t gfp) {
    return slab_or_throw().kmalloc(size, gfp, RET_IP);
}
uint32_t kzalloc(size_t size, gfp_t gfp) {
    return slab_or_throw().kmalloc(size, gfp | __GFP_ZERO, RET_IP);
}
uint32_t kmalloc_array(size_t n, size_t size, gfp_t gfp) {
    // The guest's size_t is 32 bits: n x size must not overflow it.
    const uint64_t bytes = static_cast<uint64_t>(n) * size;
    if ((size && bytes / size != n) || bytes > 0xFFFFFFFFull) return 0;
    return slab_or_throw().kmalloc(static_cast<size_t>(bytes), gfp, RET_IP);
}
uint32_t kcalloc(size_t n, size_t size, gfp_t gfp) {
    const uint64_t bytes = static_cast<uint64_t>(n) * size;
    if ((size && bytes / size != n) || bytes > 0xFFFFFFFFull) return 0;
    return slab_or_throw().kmalloc(static_cast<size_t>(bytes), gfp | __GFP_ZERO, RET_IP);
}
uint32_t krealloc(uint32_t p, size_t new_size, gfp_t gfp) {
    return slab_or_throw().krealloc(p, new_size, gfp, RET_IP);
}
void kfree(uint32_t p) {
    slab_or_throw().kfree(p, RET_IP);
}
void kfree_sensitive(uint32_t p) {
    SlabAllocator& sa = slab_or_throw();
    const size_t ks = sa.ksize(p);
    if (ks) hal::this_cpu().fill(p, 0, ks);
    sa.kfree(p, RET_IP);
}
size_t ksize(uint32_t p) {
    return slab_or_throw().ksize(p);
}
size_t kmalloc_size_roundup(size_t size) {
    SlabAllocator& sa = slab_or_throw();
    if (size && size <= KMALLOC_MAX_CACHE_SIZE) return sa.kmalloc_slab(size)->object_size;
    if (size && size <= sa.kmalloc_max_size())
        return static_cast<size_t>(PAGE_SIZE) << get_order(size);
    return size;
}
uint32_t kmalloc_max_size() {
    return slab_or_throw().kmalloc_max_size();
}
unsigned kmalloc_index(size_t size) {
    if (!size) return 0;
    if (size <= KMALLOC_MIN_SIZE) return KMALLOC_SHIFT_LOW;
    if (KMALLOC_MIN_SIZE <= 32 && size > 64 && size <= 96) return 1;
    if (KMALLOC_MIN_SIZE <= 64 && size > 128 && size <= 192) return 2;
    unsigned i = 3;
    while ((static_cast<size_t>(1) << i) < size)
        ++i;
    return i;
}
unsigned long validate_slab_cache(kmem_cache* s) {
    return slab_or_throw().validate(s);
}
unsigned long slab_errors() {
    return slab_or_throw().errors();
}
void reset_slab_errors() {
    slab_or_throw().reset_errors();
}
std::string slabinfo() {
    return slab_or_throw().slabinfo();
}
kmem_cache* find_kmem_cache(const std::string& name) {
    return slab_or_throw().find_cache(name);
}

}  // namespace kernel
