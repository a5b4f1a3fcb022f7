// struct page: the kernel's per-page bookkeeping (include/linux/mm_types.h, page-flags.h).
//
// In Linux the mem_map array lives in RAM (32 bytes a page, linux-mm.md §1). Here it is a
// host array (DESIGN.md §9 allows it): flags, buddy order, refcount, list links and the
// SLUB slab fields never cost simulated time. The RAM Linux would spend on it is still
// reserved from memblock (MmConfig::reserve_mem_map) so the free-page counts look like
// Linux's. What Linux keeps *inside* managed memory (SLUB free pointers, red zones, poison,
// zeroing) is accessed through hal::Cpu.
#pragma once

#include <cstdint>

#include "sw/mm/memory.h"

namespace kernel {

struct kmem_cache;

// Index into mem_map used as a list link; kNoPage ends a list.
constexpr uint32_t kNoPage = 0xFFFFFFFFu;

// Page flags (a subset of enum pageflags, plus the page types Linux keeps in page_type).
enum PageFlag : uint32_t {
    PG_reserved = 1u << 0,       // memblock-reserved, never in the buddy
    PG_buddy = 1u << 1,          // first page of a free buddy block (PageBuddy)
    PG_head = 1u << 2,           // first page of a compound page (__GFP_COMP)
    PG_tail = 1u << 3,           // other pages of a compound page
    PG_slab = 1u << 4,           // (head page of) a SLUB slab
    PG_large_kmalloc = 1u << 5,  // (head page of) a kmalloc() > KMALLOC_MAX_CACHE_SIZE
};

struct page {
    uint32_t flags = PG_reserved;
    uint8_t zone = 0;     // enum zone_type of the zone this page belongs to
    uint8_t order = 0;    // buddy order when PG_buddy (page->private); compound order when PG_head
    bool frozen = false;  // slab: owned by the CPU slab (kmem_cache_cpu)
    uint8_t unused = 0;
    int32_t _refcount = 0;
    uint32_t lru_prev = kNoPage;  // free-list / slab-list links (indices into mem_map)
    uint32_t lru_next = kNoPage;
    uint32_t compound_head = kNoPage;  // tail page: index of its head page
    // SLUB (struct slab overlays these fields of the head page in Linux).
    kmem_cache* slab_cache = nullptr;
    uint32_t freelist = 0;  // first free object (guest VA) not owned by the CPU
    uint16_t inuse = 0;     // objects allocated (all of them while frozen)
    uint16_t objects = 0;   // objects in this slab

    bool reserved() const { return flags & PG_reserved; }
    bool buddy() const { return flags & PG_buddy; }
    bool head() const { return flags & PG_head; }
    bool tail() const { return flags & PG_tail; }
    bool slab() const { return flags & PG_slab; }
    bool large_kmalloc() const { return flags & PG_large_kmalloc; }
};

// Linux's flag tests, by their names.
inline bool PageReserved(const page* p) {
    return p->reserved();
}
inline bool PageBuddy(const page* p) {
    return p->buddy();
}
inline bool PageHead(const page* p) {
    return p->head();
}
inline bool PageTail(const page* p) {
    return p->tail();
}
inline bool PageSlab(const page* p) {
    return p->slab();
}
inline bool PageCompound(const page* p) {
    return p->flags & (PG_head | PG_tail);
}
inline int page_count(const page* p) {
    return p->_refcount;
}

}  // namespace kernel
