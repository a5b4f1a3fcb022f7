// The buddy page allocator (mm/page_alloc.c, include/linux/mmzone.h; linux-mm.md §4, §5).
//
// Zones (DMA if configured, Normal = lowmem, HighMem = RAM above the lowmem limit), each
// with free_area[0..MAX_PAGE_ORDER]: a free list of blocks per order and its block count.
// Allocation takes the smallest block of at least the wanted order and splits it
// (expand: the upper halves go back to the lower orders); freeing merges a block with its
// buddy (pfn ^ (1 << order)) while the buddy is free and of the same order. Watermarks,
// lowmem_reserve and the GFP zone modifiers are Linux's. Differences from Linux (see
// docs/guest/mm.md): one free list per order (no migratetypes), no per-CPU page lists
// (frees merge at once, so /proc/buddyinfo is exact), no reclaim or compaction (a request
// that fails the watermarks or finds no block fails).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sw/mm/gfp.h"
#include "sw/mm/memory.h"
#include "sw/mm/page.h"

namespace hal {
class Cpu;
}

namespace kernel {

// ARCH_FORCE_MAX_ORDER for SOC_AM33XX (linux-mm.md §1): orders 0..11, 8 MiB blocks.
constexpr unsigned MAX_PAGE_ORDER = 11;
// The largest MAX_PAGE_ORDER this implementation accepts (arrays are sized by it).
constexpr unsigned kMaxSupportedOrder = 15;
constexpr unsigned PAGE_ALLOC_COSTLY_ORDER = 3;

enum zone_type : uint8_t { ZONE_DMA = 0, ZONE_NORMAL = 1, ZONE_HIGHMEM = 2, MAX_NR_ZONES = 3 };
enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

struct free_area {
    uint32_t head = kNoPage;  // first block (index into mem_map)
    uint32_t tail = kNoPage;
    unsigned long nr_free = 0;  // free blocks of this order
};

struct zone {
    const char* name = "";
    zone_type idx = ZONE_NORMAL;
    pfn_t zone_start_pfn = 0;
    unsigned long spanned_pages = 0;
    unsigned long present_pages = 0;
    unsigned long managed_pages = 0;  // pages handed to the buddy allocator
    unsigned long free_pages = 0;     // NR_FREE_PAGES of this zone
    unsigned long _watermark[NR_WMARK] = {};
    unsigned long lowmem_reserve[MAX_NR_ZONES] = {};
    free_area free_area_[kMaxSupportedOrder + 1];

    bool populated() const { return present_pages != 0; }
    bool contains(pfn_t pfn) const {
        return pfn >= zone_start_pfn && pfn - zone_start_pfn < spanned_pages;
    }
    unsigned long min_wmark_pages() const { return _watermark[WMARK_MIN]; }
    unsigned long low_wmark_pages() const { return _watermark[WMARK_LOW]; }
    unsigned long high_wmark_pages() const { return _watermark[WMARK_HIGH]; }
};

// Internal allocation flags (mm/internal.h ALLOC_*), used by the watermark check.
enum AllocFlags : unsigned {
    ALLOC_WMARK_MIN = WMARK_MIN,
    ALLOC_WMARK_LOW = WMARK_LOW,
    ALLOC_WMARK_HIGH = WMARK_HIGH,
    ALLOC_NO_WATERMARKS = 0x04,
    ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1,
    ALLOC_MIN_RESERVE = 0x08,  // __GFP_HIGH: may dip below WMARK_MIN by half
    ALLOC_NON_BLOCK = 0x10,    // cannot sleep: a further quarter
};

struct PageAllocConfig {
    unsigned max_order = MAX_PAGE_ORDER;
    bool zone_dma = false;         // CONFIG_ZONE_DMA (AM335x: no DMA limit, so DMA = all lowmem)
    uint32_t min_free_kbytes = 0;  // 0 = Linux's formula, sqrt(16 x lowmem kB)
    unsigned watermark_scale_factor = 10;
    bool init_on_alloc = false;  // init_on_alloc=1
    bool init_on_free = false;   // init_on_free=1
};

class PageAllocator {
  public:
    PageAllocator(const MemoryLayout& layout, const PageAllocConfig& cfg);

    // ---- mem_map --------------------------------------------------------------------------
    bool pfn_valid(pfn_t pfn) const { return pfn - first_pfn_ < mem_map_.size(); }
    page* pfn_to_page(pfn_t pfn) { return pfn_valid(pfn) ? &mem_map_[pfn - first_pfn_] : nullptr; }
    pfn_t page_to_pfn(const page* p) const {
        return first_pfn_ + static_cast<pfn_t>(p - mem_map_.data());
    }
    uint32_t page_index(const page* p) const { return static_cast<uint32_t>(p - mem_map_.data()); }
    page* index_page(uint32_t i) { return &mem_map_[i]; }
    // Lowmem: the linear-map address; highmem: 0 unless a kmap hook says otherwise.
    uint32_t page_address(const page* p) const;
    // The page of a lowmem VA, or nullptr if `va` is not in the linear map of RAM.
    page* virt_to_page(uint32_t va) {
        if (va - PAGE_OFFSET >= lowmem_bytes_) return nullptr;
        return &mem_map_[(va - PAGE_OFFSET) >> PAGE_SHIFT];
    }
    // The head page of a compound page (or the page itself).
    page* compound_head(page* p) { return p->tail() ? &mem_map_[p->compound_head] : p; }

    // ---- boot -------------------------------------------------------------------------------
    // Gives [start_pfn, end_pfn) to the buddy allocator as Linux's __free_pages_memory does
    // (largest aligned blocks, merged as they arrive). Adds them to the zones' managed pages.
    void free_boot_range(pfn_t start_pfn, pfn_t end_pfn);
    // min_free_kbytes, WMARK_MIN/LOW/HIGH/PROMO and lowmem_reserve (init_per_zone_wmark_min).
    void setup_watermarks();

    // ---- allocation -----------------------------------------------------------------------
    page* alloc_pages(gfp_t gfp, unsigned order);
    void free_pages(page* p, unsigned order);  // __free_pages
    void get_page(page* p);
    void put_page(page* p);

    // ---- state ------------------------------------------------------------------------------
    unsigned max_order() const { return cfg_.max_order; }
    unsigned nr_orders() const { return cfg_.max_order + 1; }
    const PageAllocConfig& config() const { return cfg_; }
    zone& get_zone(zone_type t) { return zones_[t]; }
    const zone& get_zone(zone_type t) const { return zones_[t]; }
    zone& page_zone(const page* p) { return zones_[p->zone]; }
    unsigned long nr_free_pages() const;
    unsigned long totalram_pages() const;  // managed pages of all zones
    uint32_t min_free_kbytes() const { return min_free_kbytes_; }
    // Blocks of each order on a zone's free list, walked (for checks against nr_free).
    std::vector<pfn_t> free_list_pfns(zone_type t, unsigned order) const;
    // /proc/buddyinfo, exactly as mm/vmstat.c prints it.
    std::string buddyinfo() const;
    // Watermark test (mm/page_alloc.c __zone_watermark_ok).
    bool zone_watermark_ok(const zone& z, unsigned order, unsigned long mark,
                           zone_type highest_zoneidx, unsigned alloc_flags) const;
    // Bad page reports ("BUG: Bad page state") since start.
    unsigned long bad_pages() const { return bad_pages_; }

    // Highmem hooks for kmap (another component): the address a highmem page is mapped at
    // (0 = none), and a way to zero one for __GFP_ZERO / init_on_*.
    std::function<uint32_t(const page*)> highmem_page_address;
    std::function<void(page*)> clear_highpage;

  private:
    friend class SlabAllocator;
    zone_type gfp_zone(gfp_t gfp) const;
    page* get_page_from_freelist(gfp_t gfp, unsigned order, unsigned alloc_flags,
                                 zone_type highest);
    page* rmqueue_smallest(zone& z, unsigned order);
    void expand(zone& z, page* p, unsigned low, unsigned high);
    void free_one_page(page* p, pfn_t pfn, unsigned order, bool to_tail);
    void free_the_page(page* p, unsigned order);
    void prep_new_page(page* p, unsigned order, gfp_t gfp);
    void clear_pages(page* p, unsigned order);
    bool page_is_buddy(const page* buddy, unsigned order, uint8_t zone) const;
    bool buddy_merge_likely(pfn_t pfn, pfn_t buddy_pfn, unsigned order, uint8_t zone) const;
    void add_to_free_list(page* p, zone& z, unsigned order, bool tail);
    void del_from_free_list(page* p, zone& z, unsigned order);
    void bad_page(page* p, const char* reason);
    void warn_alloc(gfp_t gfp, unsigned order);

    MemoryLayout layout_;
    PageAllocConfig cfg_;
    std::vector<page> mem_map_;
    pfn_t first_pfn_ = 0;
    uint32_t lowmem_bytes_ = 0;  // bytes of RAM in the linear map (RAM starts at PHYS_OFFSET)
    zone zones_[MAX_NR_ZONES];
    uint32_t min_free_kbytes_ = 0;
    unsigned long bad_pages_ = 0;
    bool warned_order_ = false;
};

// ---- Linux's names, on the current kernel (MemoryManager) -------------------------------
page* alloc_pages(gfp_t gfp, unsigned order);
page* alloc_page(gfp_t gfp);
void __free_pages(page* p, unsigned order);
void __free_page(page* p);
// Lowmem only (__GFP_HIGHMEM is not allowed): the block's linear-map VA, or 0.
uint32_t __get_free_pages(gfp_t gfp, unsigned order);
uint32_t __get_free_page(gfp_t gfp);
uint32_t get_zeroed_page(gfp_t gfp);
void free_pages(uint32_t addr, unsigned order);
void free_page(uint32_t addr);
uint32_t page_address(const page* p);
page* pfn_to_page(pfn_t pfn);
pfn_t page_to_pfn(const page* p);
bool pfn_valid(pfn_t pfn);
page* virt_to_page(uint32_t va);
bool virt_addr_valid(uint32_t va);
phys_addr_t page_to_phys(const page* p);
void get_page(page* p);
void put_page(page* p);
unsigned long nr_free_pages();
unsigned long totalram_pages();
// get_order(): the smallest order whose block holds `size` bytes (size > 0).
constexpr unsigned get_order(uint64_t size) {
    unsigned order = 0;
    uint64_t pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    while ((1ull << order) < pages)
        ++order;
    return order;
}
uint32_t high_memory();
uint32_t VMALLOC_START();

}  // namespace kernel
