#include "sw/mm/page_alloc.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"
#include "sw/mm/irq.h"

namespace kernel {

namespace {

const char* const kZoneNames[MAX_NR_ZONES] = {"DMA", "Normal", "HighMem"};

// sysctl_lowmem_reserve_ratio (mm/page_alloc.c): DMA 256, Normal 32, HighMem 0.
constexpr unsigned long kLowmemReserveRatio[MAX_NR_ZONES] = {256, 32, 0};
// min_free_kbytes is clamped to [128, 262144] (init_per_zone_wmark_min).
constexpr unsigned long kMinFreeKbytesLow = 128;
constexpr unsigned long kMinFreeKbytesHigh = 262144;
// HighMem WMARK_MIN = clamp(managed / 1024, SWAP_CLUSTER_MAX, 128) pages.
constexpr unsigned long kSwapClusterMax = 32;
constexpr unsigned long kHighmemMinCap = 128;
constexpr unsigned long kHighmemMinDivisor = 1024;
constexpr unsigned long kWatermarkScaleDivisor = 10000;

unsigned long int_sqrt(unsigned long x) {
    unsigned long r = static_cast<unsigned long>(std::sqrt(static_cast<double>(x)));
    while (r * r > x)
        --r;
    while ((r + 1) * (r + 1) <= x)
        ++r;
    return r;
}

}  // namespace

PageAllocator::PageAllocator(const MemoryLayout& layout, const PageAllocConfig& cfg)
    : layout_(layout), cfg_(cfg) {
    if (cfg_.max_order > kMaxSupportedOrder)
        throw std::invalid_argument("page allocator: max_order " + std::to_string(cfg_.max_order) +
                                    " is above the supported " +
                                    std::to_string(kMaxSupportedOrder));
    if (layout_.ram_start != PHYS_OFFSET)
        throw std::invalid_argument("page allocator: RAM must start at PHYS_OFFSET");
    first_pfn_ = layout_.min_low_pfn;
    mem_map_.resize(layout_.max_pfn - first_pfn_);
    lowmem_bytes_ = static_cast<uint32_t>(PFN_PHYS(layout_.max_low_pfn) - PHYS_OFFSET);

    for (unsigned i = 0; i < MAX_NR_ZONES; ++i) {
        zones_[i].name = kZoneNames[i];
        zones_[i].idx = static_cast<zone_type>(i);
    }
    zone& low = zones_[cfg_.zone_dma ? ZONE_DMA : ZONE_NORMAL];
    low.zone_start_pfn = layout_.min_low_pfn;
    low.spanned_pages = low.present_pages = layout_.max_low_pfn - layout_.min_low_pfn;
    zone& high = zones_[ZONE_HIGHMEM];
    high.zone_start_pfn = layout_.max_low_pfn;
    high.spanned_pages = high.present_pages = layout_.max_pfn - layout_.max_low_pfn;
    for (unsigned i = 0; i < MAX_NR_ZONES; ++i) {
        zone& z = zones_[i];
        for (unsigned long k = 0; k < z.spanned_pages; ++k)
            mem_map_[z.zone_start_pfn + k - first_pfn_].zone = static_cast<uint8_t>(i);
    }
}

uint32_t PageAllocator::page_address(const page* p) const {
    const pfn_t pfn = page_to_pfn(p);
    if (pfn < layout_.max_low_pfn) return pfn_to_virt(pfn);
    return highmem_page_address ? highmem_page_address(p) : 0;
}

// ---- free lists -------------------------------------------------------------------------------

void PageAllocator::add_to_free_list(page* p, zone& z, unsigned order, bool tail) {
    free_area& a = z.free_area_[order];
    const uint32_t i = page_index(p);
    if (a.head == kNoPage) {
        p->lru_prev = p->lru_next = kNoPage;
        a.head = a.tail = i;
    } else if (tail) {
        p->lru_prev = a.tail;
        p->lru_next = kNoPage;
        mem_map_[a.tail].lru_next = i;
        a.tail = i;
    } else {
        p->lru_next = a.head;
        p->lru_prev = kNoPage;
        mem_map_[a.head].lru_prev = i;
        a.head = i;
    }
    p->flags |= PG_buddy;
    p->order = static_cast<uint8_t>(order);
    ++a.nr_free;
    z.free_pages += 1ul << order;
}

void PageAllocator::del_from_free_list(page* p, zone& z, unsigned order) {
    free_area& a = z.free_area_[order];
    if (p->lru_prev != kNoPage)
        mem_map_[p->lru_prev].lru_next = p->lru_next;
    else
        a.head = p->lru_next;
    if (p->lru_next != kNoPage)
        mem_map_[p->lru_next].lru_prev = p->lru_prev;
    else
        a.tail = p->lru_prev;
    p->lru_prev = p->lru_next = kNoPage;
    p->flags &= ~PG_buddy;
    p->order = 0;
    --a.nr_free;
    z.free_pages -= 1ul << order;
}

std::vector<pfn_t> PageAllocator::free_list_pfns(zone_type t, unsigned order) const {
    std::vector<pfn_t> out;
    for (uint32_t i = zones_[t].free_area_[order].head; i != kNoPage; i = mem_map_[i].lru_next)
        out.push_back(first_pfn_ + i);
    return out;
}

// ---- merging (__free_one_page) -----------------------------------------------------------------

bool PageAllocator::page_is_buddy(const page* buddy, unsigned order, uint8_t zone_id) const {
    return buddy->buddy() && buddy->order == order && buddy->zone == zone_id;
}

// Freed blocks go to the tail of their list when the block one order up looks as if it
// could merge soon, so they are less likely to be split again first (buddy_merge_likely).
bool PageAllocator::buddy_merge_likely(pfn_t pfn, pfn_t buddy_pfn, unsigned order,
                                       uint8_t zone_id) const {
    if (order + 1 >= cfg_.max_order) return false;
    const pfn_t higher = pfn & buddy_pfn;
    const pfn_t higher_buddy = higher ^ (1u << (order + 1));
    if (!pfn_valid(higher_buddy)) return false;
    return page_is_buddy(&mem_map_[higher_buddy - first_pfn_], order + 1, zone_id);
}

void PageAllocator::free_one_page(page* p, pfn_t pfn, unsigned order, bool to_tail) {
    zone& z = zones_[p->zone];
    const uint8_t zone_id = p->zone;
    while (order < cfg_.max_order) {
        const pfn_t buddy_pfn = pfn ^ (1u << order);
        if (!pfn_valid(buddy_pfn)) break;
        page* buddy = &mem_map_[buddy_pfn - first_pfn_];
        if (!page_is_buddy(buddy, order, zone_id)) break;
        del_from_free_list(buddy, z, order);
        const pfn_t combined = buddy_pfn & pfn;
        p = &mem_map_[combined - first_pfn_];
        pfn = combined;
        ++order;
    }
    if (!to_tail) to_tail = buddy_merge_likely(pfn, pfn ^ (1u << order), order, zone_id);
    add_to_free_list(p, z, order, to_tail);
}

// ---- boot ---------------------------------------------------------------------------------------

void PageAllocator::free_boot_range(pfn_t start, pfn_t end) {
    start = std::max(start, first_pfn_);
    end = std::min<pfn_t>(end, first_pfn_ + static_cast<pfn_t>(mem_map_.size()));
    while (start < end) {
        // Never let a block straddle a zone boundary.
        const zone& z = zones_[mem_map_[start - first_pfn_].zone];
        const pfn_t zone_end = z.zone_start_pfn + static_cast<pfn_t>(z.spanned_pages);
        const pfn_t stop = std::min(end, zone_end);
        while (start < stop) {
            unsigned order =
                std::min<unsigned>(cfg_.max_order, static_cast<unsigned>(__builtin_ctz(start)));
            while (start + (1u << order) > stop)
                --order;
            page* p = &mem_map_[start - first_pfn_];
            for (pfn_t k = 0; k < (1u << order); ++k) {
                page& q = p[k];
                q.flags &= ~PG_reserved;
                q._refcount = 0;
            }
            zones_[p->zone].managed_pages += 1ul << order;
            if (cfg_.init_on_free) clear_pages(p, order);
            free_one_page(p, start, order, /*to_tail=*/true);  // FPI_TO_TAIL
            start += 1u << order;
        }
    }
}

void PageAllocator::setup_watermarks() {
    unsigned long lowmem_pages = 0;
    for (const zone& z : zones_)
        if (z.idx != ZONE_HIGHMEM) lowmem_pages += z.managed_pages;
    if (cfg_.min_free_kbytes) {
        min_free_kbytes_ = cfg_.min_free_kbytes;
    } else {
        const unsigned long lowmem_kbytes = lowmem_pages * (PAGE_SIZE >> 10);
        min_free_kbytes_ = static_cast<uint32_t>(
            std::clamp(int_sqrt(lowmem_kbytes * 16), kMinFreeKbytesLow, kMinFreeKbytesHigh));
    }
    const unsigned long pages_min = min_free_kbytes_ >> (PAGE_SHIFT - 10);
    for (zone& z : zones_) {
        unsigned long tmp = lowmem_pages ? pages_min * z.managed_pages / lowmem_pages : 0;
        if (z.idx == ZONE_HIGHMEM) {
            z._watermark[WMARK_MIN] =
                std::clamp(z.managed_pages / kHighmemMinDivisor, kSwapClusterMax, kHighmemMinCap);
        } else {
            z._watermark[WMARK_MIN] = tmp;
        }
        tmp = std::max(tmp >> 2,
                       z.managed_pages * cfg_.watermark_scale_factor / kWatermarkScaleDivisor);
        z._watermark[WMARK_LOW] = z._watermark[WMARK_MIN] + tmp;
        z._watermark[WMARK_HIGH] = z._watermark[WMARK_LOW] + tmp;
        z._watermark[WMARK_PROMO] = z._watermark[WMARK_HIGH] + tmp;
    }
    // setup_per_zone_lowmem_reserve: a lower zone keeps back pages from allocations that
    // could have used a higher zone.
    for (unsigned i = 0; i < MAX_NR_ZONES; ++i) {
        unsigned long managed = 0;
        zones_[i].lowmem_reserve[i] = 0;
        for (unsigned j = i + 1; j < MAX_NR_ZONES; ++j) {
            managed += zones_[j].managed_pages;
            zones_[i].lowmem_reserve[j] =
                kLowmemReserveRatio[i] ? managed / kLowmemReserveRatio[i] : 0;
        }
    }
}

// ---- allocation ---------------------------------------------------------------------------------

zone_type PageAllocator::gfp_zone(gfp_t gfp) const {
    if ((gfp & __GFP_HIGHMEM) && zones_[ZONE_HIGHMEM].populated()) return ZONE_HIGHMEM;
    if ((gfp & __GFP_DMA) && zones_[ZONE_DMA].populated()) return ZONE_DMA;
    // Without ZONE_DMA, GFP_DMA is served from Normal (linux-mm.md §4).
    return zones_[ZONE_NORMAL].populated() ? ZONE_NORMAL : ZONE_DMA;
}

bool PageAllocator::zone_watermark_ok(const zone& z, unsigned order, unsigned long mark,
                                      zone_type highest, unsigned alloc_flags) const {
    long min = static_cast<long>(mark);
    long free_pages = static_cast<long>(z.free_pages) - ((1l << order) - 1);
    if (alloc_flags & ALLOC_MIN_RESERVE) {
        min -= min / 2;
        if (alloc_flags & ALLOC_NON_BLOCK) min -= min / 4;
    }
    if (free_pages <= min + static_cast<long>(z.lowmem_reserve[highest])) return false;
    if (!order) return true;
    for (unsigned o = order; o <= cfg_.max_order; ++o)
        if (z.free_area_[o].nr_free) return true;
    return false;
}

page* PageAllocator::rmqueue_smallest(zone& z, unsigned order) {
    for (unsigned current = order; current <= cfg_.max_order; ++current) {
        free_area& a = z.free_area_[current];
        if (a.head == kNoPage) continue;
        page* p = &mem_map_[a.head];
        del_from_free_list(p, z, current);
        expand(z, p, order, current);
        return p;
    }
    return nullptr;
}

// Halves a block of order `high` down to `low`, giving the upper halves back.
void PageAllocator::expand(zone& z, page* p, unsigned low, unsigned high) {
    unsigned long size = 1ul << high;
    while (high > low) {
        --high;
        size >>= 1;
        add_to_free_list(p + size, z, high, /*tail=*/false);
    }
}

page* PageAllocator::get_page_from_freelist(gfp_t gfp, unsigned order, unsigned alloc_flags,
                                            zone_type highest) {
    for (int zi = highest; zi >= 0; --zi) {
        zone& z = zones_[zi];
        if (!z.populated() || !z.managed_pages) continue;
        if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
            const unsigned long mark = z._watermark[alloc_flags & ALLOC_WMARK_MASK];
            if (!zone_watermark_ok(z, order, mark, highest, alloc_flags)) continue;
        }
        if (page* p = rmqueue_smallest(z, order)) {
            prep_new_page(p, order, gfp);
            return p;
        }
    }
    return nullptr;
}

void PageAllocator::clear_pages(page* p, unsigned order) {
    const unsigned long n = 1ul << order;
    if (page_to_pfn(p) < layout_.max_low_pfn) {
        hal::this_cpu().fill(page_address(p), 0, n * PAGE_SIZE);
        return;
    }
    for (unsigned long k = 0; k < n; ++k) {
        if (clear_highpage) {
            clear_highpage(p + k);
        } else if (const uint32_t va = page_address(p + k)) {
            hal::this_cpu().fill(va, 0, PAGE_SIZE);
        } else {
            static bool once = false;
            if (!once) {
                once = true;
                warn_printk("highmem page %#x cannot be zeroed: no kmap (clear_highpage) hook",
                            page_to_pfn(p + k));
            }
        }
    }
}

void PageAllocator::prep_new_page(page* p, unsigned order, gfp_t gfp) {
    const unsigned long n = 1ul << order;
    p->_refcount = 1;
    // With init_on_free every free page is already zero (Linux skips the second clearing).
    if ((cfg_.init_on_alloc || (gfp & __GFP_ZERO)) && !cfg_.init_on_free) clear_pages(p, order);
    if ((gfp & __GFP_COMP) && order) {
        p->flags |= PG_head;
        p->order = static_cast<uint8_t>(order);
        const uint32_t head = page_index(p);
        for (unsigned long k = 1; k < n; ++k) {
            p[k].flags |= PG_tail;
            p[k].compound_head = head;
        }
    }
}

void PageAllocator::warn_alloc(gfp_t gfp, unsigned order) {
    if (gfp & __GFP_NOWARN) return;
    pr_warn("kernel: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n", order,
            gfp, format_gfp(gfp).c_str());
}

page* PageAllocator::alloc_pages(gfp_t gfp, unsigned order) {
    if (order > cfg_.max_order) {
        // Linux: WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp), then NULL.
        if (!(gfp & __GFP_NOWARN) && !warned_order_) {
            warned_order_ = true;
            warn_printk("mm/page_alloc.c: __alloc_pages: order %u > MAX_PAGE_ORDER (%u)", order,
                        cfg_.max_order);
        }
        return nullptr;
    }
    IrqSave irq;  // spin_lock_irqsave(&zone->lock)
    const zone_type highest = gfp_zone(gfp);
    // Fast path: the low watermark.
    if (page* p = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, highest)) return p;
    // Slow path (no reclaim or compaction here): the min watermark, lowered by __GFP_HIGH
    // and again for callers that cannot sleep (gfp_to_alloc_flags).
    unsigned flags = ALLOC_WMARK_MIN;
    if (gfp & __GFP_HIGH) flags |= ALLOC_MIN_RESERVE;
    if (!gfpflags_allow_blocking(gfp)) flags |= ALLOC_NON_BLOCK;
    if (page* p = get_page_from_freelist(gfp, order, flags, highest)) return p;
    warn_alloc(gfp, order);
    return nullptr;
}

// ---- freeing ------------------------------------------------------------------------------------

void PageAllocator::bad_page(page* p, const char* reason) {
    ++bad_pages_;
    pr_err("BUG: Bad page state in process swapper  pfn:%05x\n", page_to_pfn(p));
    pr_err("page dumped because: %s\n", reason);
}

void PageAllocator::free_the_page(page* p, unsigned order) {
    const unsigned long n = 1ul << order;
    for (unsigned long k = 0; k < n; ++k) {
        page& q = p[k];
        q.flags &= ~(PG_head | PG_tail | PG_slab | PG_large_kmalloc);
        q.compound_head = kNoPage;
        q.slab_cache = nullptr;
        q.freelist = 0;
        q.inuse = q.objects = 0;
        q.frozen = false;
        q._refcount = 0;
    }
    p->order = 0;
    if (cfg_.init_on_free) clear_pages(p, order);
    IrqSave irq;
    free_one_page(p, page_to_pfn(p), order, /*to_tail=*/false);
}

void PageAllocator::free_pages(page* p, unsigned order) {
    if (!p) return;
    if (order > cfg_.max_order) {
        bad_page(p, "free of an order above MAX_PAGE_ORDER");
        return;
    }
    if (p->buddy() || p->_refcount <= 0) {
        bad_page(p, p->buddy() ? "page is already free (PageBuddy)" : "nonzero _refcount");
        return;
    }
    if (p->reserved()) {
        bad_page(p, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set (PG_reserved)");
        return;
    }
    if (p->tail()) {
        bad_page(p, "free of a tail page of a compound page");
        return;
    }
    if (p->head() && p->order != order) {
        bad_page(p, "compound page freed with the wrong order");
        return;
    }
    const bool head = p->head();
    if (--p->_refcount == 0) {
        free_the_page(p, order);
    } else if (!head) {
        // Someone else holds the first page: free the rest now, as __free_pages does.
        while (order-- > 0)
            free_the_page(p + (1u << order), order);
    }
}

void PageAllocator::get_page(page* p) {
    ++compound_head(p)->_refcount;
}

void PageAllocator::put_page(page* p) {
    p = compound_head(p);
    if (p->_refcount <= 0) {
        bad_page(p, "put_page of a page with a zero _refcount");
        return;
    }
    if (--p->_refcount == 0) free_the_page(p, p->head() ? p->order : 0);
}

// ---- state
// ----------------------------------------------------------------------------------------

unsigned long PageAllocator::nr_free_pages() const {
    unsigned long n = 0;
    for (const zone& z : zones_)
        n += z.free_pages;
    return n;
}

unsigned long PageAllocator::totalram_pages() const {
    unsigned long n = 0;
    for (const zone& z : zones_)
        n += z.managed_pages;
    return n;
}

// mm/vmstat.c frag_show_print: "Node %d, zone %8s " then "%6lu " per order, for every
// populated zone.
std::string PageAllocator::buddyinfo() const {
    std::string out;
    char buf[32];
    for (const zone& z : zones_) {
        if (!z.populated()) continue;
        std::snprintf(buf, sizeof buf, "Node %d, zone %8s ", 0, z.name);
        out += buf;
        for (unsigned o = 0; o <= cfg_.max_order; ++o) {
            std::snprintf(buf, sizeof buf, "%6lu ", z.free_area_[o].nr_free);
            out += buf;
        }
        out += '\n';
    }
    return out;
}

}  // namespace kernel
