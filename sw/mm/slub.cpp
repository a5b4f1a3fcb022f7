#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"
#include "sw/mm/irq.h"
#include "sw/mm/slab.h"

namespace kernel {

namespace {

// kmalloc_info[]: cache names and sizes by index (index 1 = 96 is never created on ARMv7).
const char* const kKmallocNames[KMALLOC_SHIFT_HIGH + 1] = {
    nullptr,      "kmalloc-96", "kmalloc-192", nullptr,       nullptr,
    nullptr,      "kmalloc-64", "kmalloc-128", "kmalloc-256", "kmalloc-512",
    "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",  "kmalloc-8k"};
constexpr unsigned kKmallocSizes[KMALLOC_SHIFT_HIGH + 1] = {0,   96,  192, 0,    0,    0,    64,
                                                            128, 256, 512, 1024, 2048, 4096, 8192};
// The size_index[] table of a kernel with KMALLOC_MIN_SIZE 8, by (size - 1) / 8 for 1..192;
// setup_kmalloc_cache_index_table() adjusts it for the real minimum.
constexpr uint8_t kDefaultSizeIndex[24] = {3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1,
                                           7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2};
constexpr size_t kSizeIndexMax = 192;

// slab_common.c: flags that forbid merging, and flags that must match to merge.
constexpr slab_flags_t SLAB_NEVER_MERGE = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER |
                                          SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE |
                                          SLAB_NO_MERGE;
constexpr slab_flags_t SLAB_MERGE_SAME =
    SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT;
constexpr slab_flags_t SLAB_FLAGS_PERMITTED =
    SLAB_DEBUG_FLAGS | SLAB_KMALLOC | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 |
    SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_NO_MERGE |
    SLAB_ACCOUNT | SLAB_NO_USER_FLAGS;
// MIN_PARTIAL / MAX_PARTIAL (mm/slub.c).
constexpr unsigned long kMinPartial = 5;
constexpr unsigned long kMaxPartial = 10;

unsigned fls(unsigned long x) {
    return x ? 64 - static_cast<unsigned>(__builtin_clzl(x)) : 0;
}
unsigned ilog2(unsigned long x) {
    return fls(x) - 1;
}
bool is_power_of_2(unsigned long x) {
    return x && !(x & (x - 1));
}
unsigned align_up(unsigned x, unsigned a) {
    return (x + a - 1) & ~(a - 1);
}
unsigned order_objects(unsigned order, unsigned size) {
    return (PAGE_SIZE << order) / size;
}

bool name_matches(const std::string& pattern, const char* name) {
    if (!pattern.empty() && pattern.back() == '*')
        return std::string(name).compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) ==
               0;
    return pattern == name;
}

}  // namespace

// ---- configuration ------------------------------------------------------------------------------

void SlabConfig::parse_slub_debug(const std::string& option, slab_flags_t& flags,
                                  std::vector<std::string>& caches) {
    flags = 0;
    caches.clear();
    if (option.empty() || option == "-") return;
    const size_t comma = option.find(',');
    const std::string letters = option.substr(0, comma);
    for (char c : letters) {
        switch (c) {
            case 'f':
            case 'F':
                flags |= SLAB_CONSISTENCY_CHECKS;
                break;
            case 'z':
            case 'Z':
                flags |= SLAB_RED_ZONE;
                break;
            case 'p':
            case 'P':
                flags |= SLAB_POISON;
                break;
            case 'u':
            case 'U':
                flags |= SLAB_STORE_USER;
                break;
            case 't':
            case 'T':
                flags |= SLAB_TRACE;
                break;
            case '-':
                break;
            case '1':
                break;  // "slub_debug=1": the default set
            default:
                throw std::invalid_argument(std::string("slub_debug: unknown option '") + c +
                                            "' (known: F Z P U T -)");
        }
    }
    if (!flags && letters != "-")
        flags = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
    size_t pos = comma;
    while (pos != std::string::npos) {
        const size_t next = option.find(',', pos + 1);
        std::string name =
            option.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
        if (!name.empty()) caches.push_back(name);
        pos = next;
    }
}

SlabAllocator::SlabAllocator(PageAllocator& pages, const SlabConfig& cfg)
    : pages_(pages), cfg_(cfg) {
    if (cfg_.max_order > pages_.max_order())
        throw std::invalid_argument("slub_max_order above MAX_PAGE_ORDER");
    if (cfg_.nr_cpus == 0) cfg_.nr_cpus = 1;
    kmalloc_max_size_ = 1u << (pages_.max_order() + PAGE_SHIFT);
    // setup_kmalloc_cache_index_table()
    std::copy(std::begin(kDefaultSizeIndex), std::end(kDefaultSizeIndex), size_index_);
    for (unsigned i = 8; i < KMALLOC_MIN_SIZE; i += 8)
        size_index_[(i - 1) / 8] = KMALLOC_SHIFT_LOW;
    if (KMALLOC_MIN_SIZE >= 64)
        for (unsigned i = 64 + 8; i <= 96; i += 8)
            size_index_[(i - 1) / 8] = 7;
    if (KMALLOC_MIN_SIZE >= 128)
        for (unsigned i = 128 + 8; i <= 192; i += 8)
            size_index_[(i - 1) / 8] = 8;
}

SlabAllocator::~SlabAllocator() {
    for (kmem_cache* s : caches_)
        delete s;
    for (kmem_cache* s : dead_)
        delete s;
}

slab_flags_t SlabAllocator::debug_flags_for(const char* name, slab_flags_t flags) const {
    if (flags & SLAB_NO_USER_FLAGS) return flags;
    if (cfg_.debug_caches.empty()) return flags | cfg_.debug_flags;
    for (const std::string& pattern : cfg_.debug_caches)
        if (name_matches(pattern, name)) return flags | cfg_.debug_flags;
    return flags;
}

// calculate_order(): the smallest order holding min_objects whose waste is at most 1/16 of
// the slab (then 1/8, 1/4), within slub_max_order; else get_order(size).
unsigned SlabAllocator::calculate_order(unsigned size) const {
    unsigned min_objects = cfg_.min_objects;
    if (!min_objects) min_objects = 4 * (fls(cfg_.nr_cpus) + 1);
    const unsigned max_objects = std::max(order_objects(cfg_.max_order, size), 1u);
    min_objects = std::min(min_objects, max_objects);
    const unsigned min_order =
        std::max(cfg_.min_order, get_order(static_cast<uint64_t>(min_objects) * size));
    if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
        return get_order(static_cast<uint64_t>(size) * MAX_OBJS_PER_PAGE) - 1;
    for (unsigned fraction = 16; fraction > 1; fraction /= 2) {
        unsigned order = min_order;
        for (; order <= cfg_.max_order; ++order) {
            const unsigned slab_size = PAGE_SIZE << order;
            if (slab_size % size <= slab_size / fraction) break;
        }
        if (order <= cfg_.max_order) return order;
    }
    return get_order(size);
}

// calculate_sizes(): the object layout (linux-mm.md §6.3):
//   [left red zone] object [right red zone] [free pointer] [alloc/free tracks]
//   [orig_size] [padding]
bool SlabAllocator::calculate_sizes(kmem_cache* s) {
    const slab_flags_t flags = s->flags;
    unsigned size = align_up(s->object_size, kGuestPointerSize);
    if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
        s->flags |= __OBJECT_POISON;
    else
        s->flags &= ~__OBJECT_POISON;
    // Some room for a right red zone if the object fills its words exactly.
    if ((flags & SLAB_RED_ZONE) && size == s->object_size) size += kGuestPointerSize;
    s->inuse = size;
    const bool orig_size = (flags & SLAB_STORE_USER) && (flags & SLAB_KMALLOC);
    if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
        ((flags & SLAB_RED_ZONE) && (s->object_size < kGuestPointerSize || orig_size))) {
        s->offset = size;  // the free pointer goes after the object
        size += kGuestPointerSize;
    } else {
        s->offset = (s->object_size / 2) & ~(kGuestPointerSize - 1);  // the middle, since 5.7
    }
    if (flags & SLAB_STORE_USER) {
        size += 2 * kTrackSize;
        if (flags & SLAB_KMALLOC) size += 4;  // orig_size
    }
    s->red_left_pad = 0;
    if (flags & SLAB_RED_ZONE) {
        size += kGuestPointerSize;
        s->red_left_pad = align_up(kGuestPointerSize, s->align);
        size += s->red_left_pad;
    }
    size = align_up(size, s->align);
    s->size = size;
    const unsigned order = calculate_order(size);
    if (order > pages_.max_order()) return false;
    s->oo_order = order;
    s->oo_objects = std::min(order_objects(order, size), MAX_OBJS_PER_PAGE);
    s->min_order = get_order(size);
    return s->oo_objects != 0;
}

kmem_cache* SlabAllocator::find_mergeable(unsigned size, unsigned align, slab_flags_t flags,
                                          const kmem_ctor_t& ctor) {
    if (cfg_.nomerge || ctor || (flags & SLAB_NEVER_MERGE)) return nullptr;
    size = align_up(size, kGuestPointerSize);
    size = align_up(size, align);
    for (auto it = caches_.rbegin(); it != caches_.rend(); ++it) {  // oldest first
        kmem_cache* s = *it;
        if (cfg_.nomerge || (s->flags & SLAB_NEVER_MERGE) || s->ctor || s->refcount < 1) continue;
        if (size > s->size) continue;
        if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME)) continue;
        if ((s->size & ~(align - 1)) != s->size) continue;
        if (s->size - size >= kGuestPointerSize) continue;
        return s;
    }
    return nullptr;
}

namespace {

// calculate_alignment() (slab_common.c).
unsigned calculate_alignment(slab_flags_t flags, unsigned align, unsigned size) {
    if (flags & SLAB_HWCACHE_ALIGN) {
        unsigned ralign = L1_CACHE_BYTES;
        while (size <= ralign / 2)
            ralign /= 2;
        align = std::max(align, ralign);
    }
    align = std::max(align, ARCH_SLAB_MINALIGN);
    return align_up(align, kGuestPointerSize);
}

}  // namespace

kmem_cache* SlabAllocator::cache_create(const char* name, unsigned size, unsigned align,
                                        slab_flags_t flags, kmem_ctor_t ctor) {
    const char* why = nullptr;
    if (!name || !*name)
        why = "no name";
    else if (!size)
        why = "size 0";
    else if (size > kmalloc_max_size_)
        why = "size above KMALLOC_MAX_SIZE";
    else if (align && !is_power_of_2(align))
        why = "alignment not a power of two";
    else if (flags & ~SLAB_FLAGS_PERMITTED)
        why = "unknown flags";
    if (why) {
        pr_warn("kmem_cache_create(%s) failed with error %d (%s)\n", name ? name : "(null)",
                -EINVAL, why);
        return nullptr;
    }
    const bool kmalloc_cache = flags & SLAB_KMALLOC;
    flags = debug_flags_for(name, flags);
    if (!kmalloc_cache) {
        const unsigned a = calculate_alignment(flags, align, size);
        if (kmem_cache* m = find_mergeable(size, a, flags, ctor)) {
            ++m->refcount;
            return m;
        }
        align = a;
    } else {
        align = calculate_alignment(flags, align, size);
    }
    auto* s = new kmem_cache;
    s->name = name;
    s->object_size = size;
    s->align = align;
    s->flags = flags;
    s->ctor = std::move(ctor);
    if (!calculate_sizes(s)) {
        pr_warn("kmem_cache_create(%s) failed with error %d (object too large for a slab)\n", name,
                -EINVAL);
        delete s;
        return nullptr;
    }
    s->debug = (s->flags & SLAB_DEBUG_FLAGS) != 0;
    s->min_partial = std::clamp<unsigned long>(ilog2(s->size) / 2, kMinPartial, kMaxPartial);
    caches_.insert(caches_.begin(), s);
    return s;
}

void SlabAllocator::create_kmalloc_caches() {
    auto make = [this](unsigned i) {
        const unsigned size = kKmallocSizes[i];
        // create_boot_cache: ARCH_KMALLOC_MINALIGN, and power-of-two sizes aligned to size.
        const unsigned align =
            is_power_of_2(size) ? std::max(size, ARCH_KMALLOC_MINALIGN) : ARCH_KMALLOC_MINALIGN;
        kmalloc_caches[i] = cache_create(kKmallocNames[i], size, align, SLAB_KMALLOC, nullptr);
        if (!kmalloc_caches[i])
            throw std::runtime_error(std::string("kmem_cache_init: cannot create ") +
                                     kKmallocNames[i]);
    };
    for (unsigned i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; ++i) {
        make(i);
        if (KMALLOC_MIN_SIZE <= 32 && i == 6) make(1);
        if (KMALLOC_MIN_SIZE <= 64 && i == 7) make(2);
    }
}

kmem_cache* SlabAllocator::find_cache(const std::string& name) const {
    for (kmem_cache* s : caches_)
        if (s->name == name) return s;
    return nullptr;
}

// ---- slab lists ---------------------------------------------------------------------------------

void SlabAllocator::list_add(uint32_t& head, uint32_t& tail, page* p, bool at_tail) {
    const uint32_t i = pages_.page_index(p);
    if (head == kNoPage) {
        p->lru_prev = p->lru_next = kNoPage;
        head = tail = i;
    } else if (at_tail) {
        p->lru_prev = tail;
        p->lru_next = kNoPage;
        pages_.index_page(tail)->lru_next = i;
        tail = i;
    } else {
        p->lru_next = head;
        p->lru_prev = kNoPage;
        pages_.index_page(head)->lru_prev = i;
        head = i;
    }
}

void SlabAllocator::list_del(uint32_t& head, uint32_t& tail, page* p) {
    if (p->lru_prev != kNoPage)
        pages_.index_page(p->lru_prev)->lru_next = p->lru_next;
    else
        head = p->lru_next;
    if (p->lru_next != kNoPage)
        pages_.index_page(p->lru_next)->lru_prev = p->lru_prev;
    else
        tail = p->lru_prev;
    p->lru_prev = p->lru_next = kNoPage;
}

void SlabAllocator::add_partial(kmem_cache* s, page* slab, bool tail) {
    list_add(s->partial_head, s->partial_tail, slab, tail);
    ++s->nr_partial;
}
void SlabAllocator::remove_partial(kmem_cache* s, page* slab) {
    list_del(s->partial_head, s->partial_tail, slab);
    --s->nr_partial;
}
void SlabAllocator::add_full(kmem_cache* s, page* slab) {
    list_add(s->full_head, s->full_tail, slab, true);
    ++s->nr_full;
}
void SlabAllocator::remove_full(kmem_cache* s, page* slab) {
    list_del(s->full_head, s->full_tail, slab);
    --s->nr_full;
}

// ---- slabs --------------------------------------------------------------------------------------

uint32_t SlabAllocator::slab_address(const page* slab) const {
    return pages_.page_address(slab);
}

bool SlabAllocator::valid_object_start(const kmem_cache* s, const page* slab, uint32_t x) const {
    const uint32_t off = x - slab_address(slab) - s->red_left_pad;
    return off < static_cast<uint32_t>(slab->objects) * s->size && off % s->size == 0;
}

page* SlabAllocator::object_slab(uint32_t x) {
    page* p = pages_.virt_to_page(x);
    return p ? pages_.compound_head(p) : nullptr;
}

page* SlabAllocator::new_slab(kmem_cache* s, gfp_t gfp) {
    gfp_t flags = (gfp & ~(__GFP_ZERO | __GFP_HIGHMEM | __GFP_DMA32)) | __GFP_COMP;
    if (s->flags & SLAB_CACHE_DMA) flags |= __GFP_DMA;
    if (s->flags & SLAB_RECLAIM_ACCOUNT) flags |= __GFP_RECLAIMABLE;
    unsigned order = s->oo_order;
    // The preferred order may fail quietly; the minimum order is the real attempt.
    page* slab = pages_.alloc_pages((flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL, order);
    if (!slab && order != s->min_order) {
        order = s->min_order;
        slab = pages_.alloc_pages(flags, order);
    }
    if (!slab) return nullptr;
    slab->flags |= PG_slab;
    slab->slab_cache = s;
    slab->objects =
        static_cast<uint16_t>(std::min(order_objects(order, s->size), MAX_OBJS_PER_PAGE));
    slab->inuse = 0;
    slab->frozen = false;
    ++s->nr_slabs;
    s->total_objects += slab->objects;

    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t start = slab_address(slab);
    if (s->flags & SLAB_POISON) cpu.fill(start, POISON_INUSE, PAGE_SIZE << order);
    // Thread the free list through the objects, in address order.
    const uint32_t first = start + s->red_left_pad;
    uint32_t p = first;
    for (unsigned i = 0; i < slab->objects; ++i) {
        if (s->debug) setup_object_debug(s, p);
        if (s->ctor) s->ctor(p);
        const uint32_t next = i + 1 < slab->objects ? p + s->size : 0;
        cpu.store32(p + s->offset, next);
        p = next;
    }
    slab->freelist = first;
    return slab;
}

void SlabAllocator::discard_slab(kmem_cache* s, page* slab) {
    if (s->flags & SLAB_CONSISTENCY_CHECKS) {
        slab_pad_check(s, slab);
        const uint32_t base = slab_address(slab) + s->red_left_pad;
        for (unsigned i = 0; i < slab->objects; ++i)
            check_object(s, slab, base + i * s->size, SLUB_RED_INACTIVE);
    }
    --s->nr_slabs;
    s->total_objects -= slab->objects;
    const unsigned order = slab_order(slab);
    slab->flags &= ~PG_slab;
    slab->slab_cache = nullptr;
    slab->freelist = 0;
    slab->inuse = slab->objects = 0;
    slab->frozen = false;
    pages_.free_pages(slab, order);
}

// ---- allocation ---------------------------------------------------------------------------------

// Pops the CPU freelist: one guest load of the free pointer. Returns 0 if it is empty.
uint32_t SlabAllocator::pop_cpu_freelist(kmem_cache* s, hal::Cpu& cpu) {
    for (;;) {
        const uint32_t obj = s->cpu_freelist;
        if (!obj) return 0;
        const uint32_t next = cpu.load32(obj + s->offset);
        // An interrupt taken during the load may have used the freelist: start again, as
        // Linux's this_cpu_cmpxchg on (freelist, tid) does.
        if (__builtin_expect(s->cpu_freelist != obj, 0)) continue;
        if (__builtin_expect(next && next - s->cpu_slab_base >= s->cpu_slab_bytes, 0)) {
            report_freelist_corrupt(s, obj, next);
            s->cpu_freelist = 0;  // lose the rest of this freelist, as SLUB does
        } else {
            s->cpu_freelist = next;
        }
        return obj;
    }
}

uint32_t SlabAllocator::alloc_slow(kmem_cache* s, gfp_t gfp) {
    IrqSave irq;
    hal::Cpu& cpu = hal::this_cpu();
    ++s->alloc_slowpath;
    for (;;) {
        if (const uint32_t obj = pop_cpu_freelist(s, cpu)) return obj;
        if (page* slab = s->cpu_slab) {
            // Objects freed to the active slab from elsewhere wait on its own freelist.
            if (slab->freelist) {
                s->cpu_freelist = slab->freelist;
                slab->freelist = 0;
                continue;
            }
            slab->frozen = false;  // full: unfreeze it
            s->cpu_slab = nullptr;
            s->cpu_slab_base = s->cpu_slab_bytes = 0;
            add_full(s, slab);
        }
        page* slab = nullptr;
        if (s->partial_head != kNoPage) {
            slab = pages_.index_page(s->partial_head);
            remove_partial(s, slab);
        } else {
            slab = new_slab(s, gfp);
            if (!slab) {
                slab_out_of_memory(s, gfp);
                return 0;
            }
        }
        // Freeze it: its freelist becomes the CPU's and every object counts as in use.
        s->cpu_freelist = slab->freelist;
        slab->freelist = 0;
        slab->inuse = slab->objects;
        slab->frozen = true;
        s->cpu_slab = slab;
        s->cpu_slab_base = slab_address(slab);
        s->cpu_slab_bytes = PAGE_SIZE << slab_order(slab);
    }
}

void SlabAllocator::slab_out_of_memory(kmem_cache* s, gfp_t gfp) {
    if (gfp & __GFP_NOWARN) return;
    pr_warn("SLUB: Unable to allocate memory on node -1, gfp=%#x(%s)\n", gfp,
            format_gfp(gfp).c_str());
    pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
            s->name.c_str(), s->object_size, s->size, s->oo_order, s->min_order);
}

bool SlabAllocator::want_init_on_alloc(const kmem_cache* s, gfp_t gfp) const {
    if (cfg_.init_on_alloc) {
        if (s->ctor) return false;
        if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) return gfp & __GFP_ZERO;
        return true;
    }
    return gfp & __GFP_ZERO;
}

bool SlabAllocator::want_init_on_free(const kmem_cache* s) const {
    return cfg_.init_on_free && !s->ctor && !(s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON));
}

uint32_t SlabAllocator::cache_alloc(kmem_cache* s, gfp_t gfp, unsigned orig_size, uint32_t caller) {
    if (__builtin_expect(!s || s->dead, 0)) {
        warn_printk("kmem_cache_alloc: %s cache", s ? "destroyed" : "NULL");
        return 0;
    }
    uint32_t obj;
    if (__builtin_expect(!s->debug, 1)) {
        obj = pop_cpu_freelist(s, hal::this_cpu());
        if (__builtin_expect(obj != 0, 1))
            ++s->alloc_fastpath;
        else
            obj = alloc_slow(s, gfp);
    } else {
        obj = alloc_debug(s, gfp, orig_size, caller);
    }
    if (!obj) return 0;
    // maybe_wipe_obj_freeptr(): with init_on_free the object was zeroed at free, except
    // for the free pointer written into it afterwards.
    if (__builtin_expect(cfg_.init_on_free, 0) && want_init_on_free(s) && s->offset < s->inuse)
        hal::this_cpu().store32(obj + s->offset, 0);
    if (__builtin_expect(want_init_on_alloc(s, gfp), 0)) {
        unsigned zero_size = s->object_size;
        if ((s->flags & SLAB_KMALLOC) && (s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE)))
            zero_size = orig_size;
        hal::this_cpu().fill(obj, 0, zero_size);
    }
    return obj;
}

// ---- freeing ------------------------------------------------------------------------------------

void SlabAllocator::cache_free(kmem_cache* s, uint32_t x, uint32_t caller) {
    if (!x) return;
    page* slab = object_slab(x);
    if (!slab || !slab->slab()) {
        report_invalid_free(s, x, "not a slab object");
        return;
    }
    kmem_cache* real = slab->slab_cache;
    if (s && s != real) {
        warn_printk("kmem_cache_free: Wrong slab cache. %s but object is from %s", s->name.c_str(),
                    real->name.c_str());
    }
    slab_free(real, slab, x, caller);
}

void SlabAllocator::slab_free(kmem_cache* s, page* slab, uint32_t x, uint32_t caller) {
    if (__builtin_expect(!(s->flags & SLAB_CONSISTENCY_CHECKS), 1) &&
        __builtin_expect(!valid_object_start(s, slab, x), 0)) {
        report_invalid_free(s, x, "not the start of an object");
        return;
    }
    if (__builtin_expect(s->debug, 0)) {
        free_debug(s, slab, x, caller);
        return;
    }
    if (__builtin_expect(slab == s->cpu_slab, 1)) {
        if (__builtin_expect(x == s->cpu_freelist, 0)) {
            report_double_free(s, slab, x);
            return;
        }
        hal::Cpu& cpu = hal::this_cpu();
        if (__builtin_expect(want_init_on_free(s), 0)) cpu.fill(x, 0, s->object_size);
        for (;;) {
            const uint32_t head = s->cpu_freelist;
            cpu.store32(x + s->offset, head);
            if (__builtin_expect(s->cpu_freelist == head && s->cpu_slab == slab, 1)) {
                s->cpu_freelist = x;
                ++s->free_fastpath;
                return;
            }
            // An interrupt handler changed the CPU slab meanwhile: start again.
            if (s->cpu_slab != slab) break;
        }
    }
    free_slow(s, slab, x);
}

void SlabAllocator::free_slow(kmem_cache* s, page* slab, uint32_t x) {
    IrqSave irq;
    ++s->free_slowpath;
    if (x == slab->freelist) {
        report_double_free(s, slab, x);
        return;
    }
    hal::Cpu& cpu = hal::this_cpu();
    if (want_init_on_free(s)) cpu.fill(x, 0, s->object_size);
    const bool was_full = slab->freelist == 0;
    cpu.store32(x + s->offset, slab->freelist);
    slab->freelist = x;
    --slab->inuse;
    if (slab->frozen) return;  // the CPU's slab: its allocator takes these back
    if (slab->inuse == 0 && s->nr_partial >= s->min_partial) {
        if (was_full)
            remove_full(s, slab);
        else
            remove_partial(s, slab);
        discard_slab(s, slab);
        return;
    }
    if (was_full) {
        remove_full(s, slab);
        add_partial(s, slab, /*tail=*/true);
    }
}

// deactivate_slab(): the CPU's freelist is spliced back onto the slab, which goes to the
// partial list (or the full list, or back to the buddy allocator if empty).
void SlabAllocator::deactivate_cpu_slab(kmem_cache* s) {
    page* slab = s->cpu_slab;
    if (!slab) return;
    IrqSave irq;
    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t freelist = s->cpu_freelist;
    s->cpu_slab = nullptr;
    s->cpu_freelist = 0;
    s->cpu_slab_base = s->cpu_slab_bytes = 0;
    unsigned n = 0;
    uint32_t tail = 0;
    for (uint32_t p = freelist; p;) {
        if (n >= slab->objects || !valid_object_start(s, slab, p)) {
            report_freelist_corrupt(s, tail, p);
            break;
        }
        tail = p;
        ++n;
        p = cpu.load32(p + s->offset);
    }
    if (tail) {
        cpu.store32(tail + s->offset, slab->freelist);
        slab->freelist = freelist;
    }
    slab->inuse = static_cast<uint16_t>(slab->inuse - n);
    slab->frozen = false;
    if (slab->inuse == 0 && s->nr_partial >= s->min_partial)
        discard_slab(s, slab);
    else if (slab->freelist)
        add_partial(s, slab, /*tail=*/false);
    else
        add_full(s, slab);
}

int SlabAllocator::cache_shrink(kmem_cache* s) {
    if (!s || s->dead) return -EINVAL;
    IrqSave irq;
    deactivate_cpu_slab(s);
    for (uint32_t i = s->partial_head; i != kNoPage;) {
        page* slab = pages_.index_page(i);
        i = slab->lru_next;
        if (slab->inuse == 0) {
            remove_partial(s, slab);
            discard_slab(s, slab);
        }
    }
    return 0;
}

void SlabAllocator::cache_destroy(kmem_cache* s, uint32_t caller) {
    if (!s) return;
    if (s->dead) {
        count_error(nullptr);
        warn_printk("kmem_cache_destroy: %s was already destroyed", s->name.c_str());
        return;
    }
    if (--s->refcount > 0) return;
    s->refcount = 0;
    cache_shrink(s);
    bool leaked = false;
    for (uint32_t* head : {&s->partial_head, &s->full_head})
        for (uint32_t i = *head; i != kNoPage; i = pages_.index_page(i)->lru_next) {
            page* slab = pages_.index_page(i);
            if (slab->inuse) {
                list_slab_objects(s, slab);
                leaked = true;
            }
        }
    if (leaked) {
        // The cache stays (its objects may still be freed), as Linux leaves it.
        warn_printk("kmem_cache_destroy %s: Slab cache still has objects when called from 0x%08x",
                    s->name.c_str(), caller);
        return;
    }
    caches_.erase(std::find(caches_.begin(), caches_.end(), s));
    for (kmem_cache*& k : kmalloc_caches)
        if (k == s) k = nullptr;
    s->dead = true;
    dead_.push_back(s);
}

// ---- kmalloc ------------------------------------------------------------------------------------

kmem_cache* SlabAllocator::kmalloc_slab(size_t size) const {
    if (!size || size > KMALLOC_MAX_CACHE_SIZE) return nullptr;
    const unsigned index = size <= kSizeIndexMax ? size_index_[(size - 1) / 8] : fls(size - 1);
    return kmalloc_caches[index];
}

uint32_t SlabAllocator::kmalloc_large(size_t size, gfp_t gfp) {
    const unsigned order = get_order(size);
    page* p = pages_.alloc_pages((gfp & ~(__GFP_HIGHMEM | __GFP_DMA32)) | __GFP_COMP, order);
    if (!p) return 0;
    p->flags |= PG_large_kmalloc;
    return pages_.page_address(p);
}

uint32_t SlabAllocator::kmalloc(size_t size, gfp_t gfp, uint32_t caller) {
    if (__builtin_expect(size > KMALLOC_MAX_CACHE_SIZE, 0)) return kmalloc_large(size, gfp);
    if (__builtin_expect(!size, 0)) return ZERO_SIZE_PTR;
    const unsigned index = size <= kSizeIndexMax ? size_index_[(size - 1) / 8] : fls(size - 1);
    return cache_alloc(kmalloc_caches[index], gfp, static_cast<unsigned>(size), caller);
}

void SlabAllocator::free_large_kmalloc(page* head, uint32_t x) {
    if (!head->large_kmalloc()) {
        report_invalid_free(nullptr, x, "Not a kmalloc allocation");
        return;
    }
    if (x != pages_.page_address(head)) {
        report_invalid_free(nullptr, x, "not the start of a large kmalloc allocation");
        return;
    }
    head->flags &= ~PG_large_kmalloc;
    pages_.free_pages(head, head->head() ? head->order : 0);
}

void SlabAllocator::kfree(uint32_t x, uint32_t caller) {
    if (ZERO_OR_NULL_PTR(x)) return;
    page* p = object_slab(x);
    if (__builtin_expect(!p, 0)) {
        report_invalid_free(nullptr, x, "not a linear-map (kmalloc) address");
        return;
    }
    if (__builtin_expect(!p->slab(), 0)) {
        free_large_kmalloc(p, x);
        return;
    }
    slab_free(p->slab_cache, p, x, caller);
}

namespace {
// slab_ksize(): how much of the slot a caller may use.
size_t slab_ksize(const kmem_cache* s) {
    if (s->flags & (SLAB_RED_ZONE | SLAB_POISON)) return s->object_size;
    if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER)) return s->inuse;
    return s->size;
}
}  // namespace

size_t SlabAllocator::ksize(uint32_t x) {
    if (ZERO_OR_NULL_PTR(x)) return 0;
    page* p = object_slab(x);
    if (!p || (!p->slab() && (!p->large_kmalloc() || x != pages_.page_address(p)))) {
        warn_printk("ksize: 0x%08x is not a kmalloc allocation", x);
        return 0;
    }
    if (!p->slab()) return static_cast<size_t>(PAGE_SIZE) << (p->head() ? p->order : 0);
    kmem_cache* s = p->slab_cache;
    // skip_orig_size_check(): the caller may now use the whole object.
    if (slub_debug_orig_size(s)) set_orig_size(s, x, s->object_size);
    return slab_ksize(s);
}

uint32_t SlabAllocator::krealloc(uint32_t p, size_t new_size, gfp_t gfp, uint32_t caller) {
    if (!new_size) {
        kfree(p, caller);
        return ZERO_SIZE_PTR;
    }
    hal::Cpu& cpu = hal::this_cpu();
    size_t ks = 0;
    unsigned orig_size = 0;
    kmem_cache* s = nullptr;
    if (!ZERO_OR_NULL_PTR(p)) {
        page* pg = object_slab(p);
        if (!pg || (!pg->slab() && (!pg->large_kmalloc() || p != pages_.page_address(pg)))) {
            report_invalid_free(nullptr, p, "krealloc of a pointer kmalloc did not return");
            return 0;
        }
        if (pg->slab()) {
            s = pg->slab_cache;
            orig_size = get_orig_size(s, p);
            ks = s->object_size;
        } else {
            ks = static_cast<size_t>(PAGE_SIZE) << (pg->head() ? pg->order : 0);
        }
        if (new_size <= ks) {
            // Fits: same object. Zero what became spare, rebuild the kmalloc red zone.
            if (cfg_.init_on_alloc || (gfp & __GFP_ZERO)) {
                if (orig_size && orig_size < new_size)
                    cpu.fill(p + orig_size, 0, new_size - orig_size);
                else
                    cpu.fill(p + static_cast<uint32_t>(new_size), 0, ks - new_size);
            }
            if (s && slub_debug_orig_size(s)) {
                set_orig_size(s, p, static_cast<unsigned>(new_size));
                if ((s->flags & SLAB_RED_ZONE) && new_size < ks)
                    cpu.fill(p + static_cast<uint32_t>(new_size), SLUB_RED_ACTIVE, ks - new_size);
            }
            return p;
        }
    }
    const uint32_t ret = kmalloc(new_size, gfp, caller);
    if (!ret) return 0;  // p stays valid
    if (!ZERO_OR_NULL_PTR(p)) {
        cpu.copy(ret, p, orig_size ? orig_size : ks);
        kfree(p, caller);
    }
    return ret;
}

// ---- /proc/slabinfo
// -------------------------------------------------------------------------------

// slab_common.c print_slabinfo_header() and cache_show(); SLUB's get_slabinfo() counts the
// free objects of the partial slabs only (CPU-slab objects count as active).
std::string SlabAllocator::slabinfo() const {
    std::string out =
        "slabinfo - version: 2.1\n"
        "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
        " : tunables <limit> <batchcount> <sharedfactor>"
        " : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
    char line[256];
    for (const kmem_cache* s : caches_) {
        unsigned long nr_free = 0;
        for (uint32_t i = s->partial_head; i != kNoPage;) {
            const page* slab = &const_cast<PageAllocator&>(pages_).index_page(i)[0];
            nr_free += slab->objects - slab->inuse;
            i = slab->lru_next;
        }
        std::snprintf(line, sizeof line,
                      "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu "
                      "%6lu\n",
                      s->name.c_str(), s->total_objects - nr_free, s->total_objects, s->size,
                      s->oo_objects, 1 << s->oo_order, 0u, 0u, 0u, s->nr_slabs, s->nr_slabs, 0ul);
        out += line;
    }
    return out;
}

}  // namespace kernel
