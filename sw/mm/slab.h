// SLUB and kmalloc (mm/slub.c, mm/slab_common.c, include/linux/slab.h; linux-mm.md §6, §13).
//
// A kmem_cache hands out objects of one size from slabs: compound pages from the buddy
// allocator cut into equal slots. A free object holds the address of the next free object
// (the free pointer) inside simulated memory, so popping the per-CPU freelist is one guest
// load and a free is one guest store. Caches and slab bookkeeping (struct kmem_cache,
// struct slab = the head struct page) are host objects. kmalloc() serves 1..8 KiB from
// the ARMv7 size classes (64, 128, 192, 256 ... 8k: KMALLOC_MIN_SIZE is the 64-byte cache
// line) and larger requests straight from the buddy allocator.
//
// SLUB debugging (slub_debug=FZPU or per-cache SLAB_* flags): red zones, poisoning, owner
// tracking and consistency checks run on simulated memory and report in SLUB's words
// ("Redzone overwritten", "Object already free", ...) through printk; the kernel goes on.
// Guest addresses are uint32_t; 0 is NULL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sw/mm/gfp.h"
#include "sw/mm/page.h"
#include "sw/mm/page_alloc.h"

namespace hal {
class Cpu;
}

namespace kernel {

using slab_flags_t = uint32_t;

// include/linux/slab.h (values of Linux 6.8 and older).
constexpr slab_flags_t SLAB_CONSISTENCY_CHECKS = 0x00000100u;  // slub_debug=F
constexpr slab_flags_t SLAB_RED_ZONE = 0x00000400u;            // slub_debug=Z
constexpr slab_flags_t SLAB_POISON = 0x00000800u;              // slub_debug=P
constexpr slab_flags_t SLAB_KMALLOC = 0x00001000u;             // a kmalloc cache
constexpr slab_flags_t SLAB_HWCACHE_ALIGN = 0x00002000u;
constexpr slab_flags_t SLAB_CACHE_DMA = 0x00004000u;
constexpr slab_flags_t SLAB_CACHE_DMA32 = 0x00008000u;
constexpr slab_flags_t SLAB_STORE_USER = 0x00010000u;  // slub_debug=U
constexpr slab_flags_t SLAB_RECLAIM_ACCOUNT = 0x00020000u;
constexpr slab_flags_t SLAB_PANIC = 0x00040000u;
constexpr slab_flags_t SLAB_TYPESAFE_BY_RCU = 0x00080000u;
constexpr slab_flags_t SLAB_TRACE = 0x00200000u;  // slub_debug=T
constexpr slab_flags_t SLAB_NOLEAKTRACE = 0x00800000u;
constexpr slab_flags_t SLAB_NO_MERGE = 0x01000000u;
constexpr slab_flags_t SLAB_ACCOUNT = 0x04000000u;
constexpr slab_flags_t SLAB_NO_USER_FLAGS = 0x10000000u;  // ignore slub_debug= for this cache
constexpr slab_flags_t SLAB_DEBUG_FLAGS =
    SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE;
// Internal: objects are poisoned (SLAB_POISON without ctor or RCU).
constexpr slab_flags_t __OBJECT_POISON = 0x80000000u;

// include/linux/poison.h
constexpr uint8_t POISON_INUSE = 0x5a;  // padding, and a new slab with SLAB_POISON
constexpr uint8_t POISON_FREE = 0x6b;   // a freed object
constexpr uint8_t POISON_END = 0xa5;    // the last byte of a freed object
constexpr uint8_t SLUB_RED_INACTIVE = 0xbb;
constexpr uint8_t SLUB_RED_ACTIVE = 0xcc;

// ARMv7 (linux-mm.md §1, §6.1).
constexpr uint32_t ARCH_KMALLOC_MINALIGN = 64;  // = ARCH_DMA_MINALIGN = L1_CACHE_BYTES
constexpr uint32_t ARCH_SLAB_MINALIGN = 8;
constexpr uint32_t KMALLOC_MIN_SIZE = ARCH_KMALLOC_MINALIGN;
constexpr unsigned KMALLOC_SHIFT_LOW = 6;
constexpr unsigned KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1;
constexpr uint32_t KMALLOC_MAX_CACHE_SIZE = 1u << KMALLOC_SHIFT_HIGH;  // 8 KiB
// With MAX_PAGE_ORDER 11; kmalloc_max_size() gives the value for the running configuration.
constexpr uint32_t KMALLOC_MAX_SIZE = 1u << (MAX_PAGE_ORDER + PAGE_SHIFT);  // 8 MiB
constexpr uint32_t ZERO_SIZE_PTR = 16;
constexpr bool ZERO_OR_NULL_PTR(uint32_t p) {
    return p <= ZERO_SIZE_PTR;
}
constexpr unsigned kGuestPointerSize = 4;  // sizeof(void *) in the guest
// struct track without stack depot: addr, cpu, pid, when (4 bytes each).
constexpr unsigned kTrackSize = 16;
constexpr unsigned MAX_OBJS_PER_PAGE = 32767;

// Called on each object when a slab is populated (not at every allocation).
using kmem_ctor_t = std::function<void(uint32_t object)>;

struct kmem_cache {
    // ---- kmem_cache_cpu (one CPU): the lockless freelist of the active slab ----
    uint32_t cpu_freelist = 0;
    page* cpu_slab = nullptr;
    uint32_t cpu_slab_base = 0;   // first byte of the active slab
    uint32_t cpu_slab_bytes = 0;  // its size
    // ---- geometry ----
    slab_flags_t flags = 0;
    unsigned object_size = 0;  // what the user asked for
    unsigned size = 0;         // slot stride, metadata included
    unsigned align = 0;
    unsigned offset = 0;        // free pointer offset from the object start
    unsigned inuse = 0;         // object + right red zone (where metadata starts)
    unsigned red_left_pad = 0;  // left red zone before each object
    unsigned oo_order = 0;      // preferred slab order and its object count
    unsigned oo_objects = 0;
    unsigned min_order = 0;  // fallback order (get_order(size))
    unsigned long min_partial = 0;
    kmem_ctor_t ctor;
    std::string name;
    int refcount = 1;    // > 1 when merged caches alias it
    bool debug = false;  // kmem_cache_debug(): any SLAB_DEBUG_FLAGS
    bool dead = false;   // destroyed (kept so a stale pointer is reported, not followed)
    // ---- kmem_cache_node (one node) ----
    uint32_t partial_head = kNoPage, partial_tail = kNoPage;
    unsigned long nr_partial = 0;
    uint32_t full_head = kNoPage, full_tail = kNoPage;
    unsigned long nr_full = 0;
    unsigned long nr_slabs = 0;
    unsigned long total_objects = 0;
    // ---- reports and statistics ----
    unsigned long errors = 0;  // SLUB debug errors reported on this cache
    unsigned long alloc_fastpath = 0, alloc_slowpath = 0, free_fastpath = 0, free_slowpath = 0;
};

struct SlabConfig {
    slab_flags_t debug_flags = 0;           // slub_debug letters, for all or the listed caches
    std::vector<std::string> debug_caches;  // empty = every cache
    bool nomerge = false;                   // slab_nomerge
    unsigned min_objects = 0;               // slub_min_objects (0 = 4 x (fls(nr_cpus) + 1))
    unsigned min_order = 0;                 // slub_min_order
    unsigned max_order = 3;                 // slub_max_order (PAGE_ALLOC_COSTLY_ORDER)
    unsigned nr_cpus = 1;
    bool init_on_alloc = false;
    bool init_on_free = false;

    // Parses the slub_debug= boot option: "" (nothing), "-" (off), "FZPU" or "FZ,cache1,cache2"
    // or no letters ("," / "1") = FZPU. Throws std::invalid_argument on an unknown letter.
    static void parse_slub_debug(const std::string& option, slab_flags_t& flags,
                                 std::vector<std::string>& caches);
};

class SlabAllocator {
  public:
    SlabAllocator(PageAllocator& pages, const SlabConfig& cfg);
    ~SlabAllocator();
    SlabAllocator(const SlabAllocator&) = delete;
    SlabAllocator& operator=(const SlabAllocator&) = delete;

    void create_kmalloc_caches();

    kmem_cache* cache_create(const char* name, unsigned size, unsigned align, slab_flags_t flags,
                             kmem_ctor_t ctor);
    void cache_destroy(kmem_cache* s, uint32_t caller);
    uint32_t cache_alloc(kmem_cache* s, gfp_t gfp, unsigned orig_size, uint32_t caller);
    void cache_free(kmem_cache* s, uint32_t x, uint32_t caller);
    int cache_shrink(kmem_cache* s);
    unsigned long validate(kmem_cache* s);

    uint32_t kmalloc(size_t size, gfp_t gfp, uint32_t caller);
    void kfree(uint32_t x, uint32_t caller);
    size_t ksize(uint32_t x);
    uint32_t krealloc(uint32_t p, size_t new_size, gfp_t gfp, uint32_t caller);
    kmem_cache* kmalloc_slab(size_t size) const;  // the cache kmalloc(size) uses (size 1..8 KiB)
    uint32_t kmalloc_max_size() const { return kmalloc_max_size_; }

    std::string slabinfo() const;
    const std::vector<kmem_cache*>& caches() const { return caches_; }  // newest first
    kmem_cache* find_cache(const std::string& name) const;
    unsigned long errors() const { return errors_; }
    void reset_errors() { errors_ = 0; }
    const SlabConfig& config() const { return cfg_; }
    PageAllocator& pages() { return pages_; }

    kmem_cache* kmalloc_caches[KMALLOC_SHIFT_HIGH + 1] = {};

  private:
    // core (slub.cpp)
    page* new_slab(kmem_cache* s, gfp_t gfp);
    void discard_slab(kmem_cache* s, page* slab);
    uint32_t pop_cpu_freelist(kmem_cache* s, hal::Cpu& cpu);
    uint32_t alloc_slow(kmem_cache* s, gfp_t gfp);
    void slab_free(kmem_cache* s, page* slab, uint32_t x, uint32_t caller);
    void free_slow(kmem_cache* s, page* slab, uint32_t x);
    void deactivate_cpu_slab(kmem_cache* s);
    void slab_out_of_memory(kmem_cache* s, gfp_t gfp);
    bool want_init_on_alloc(const kmem_cache* s, gfp_t gfp) const;
    bool want_init_on_free(const kmem_cache* s) const;
    uint32_t slab_address(const page* slab) const;
    unsigned slab_order(const page* slab) const { return slab->head() ? slab->order : 0; }
    bool valid_object_start(const kmem_cache* s, const page* slab, uint32_t x) const;
    page* object_slab(uint32_t x);  // head page of the page holding x, or nullptr
    kmem_cache* find_mergeable(unsigned size, unsigned align, slab_flags_t flags,
                               const kmem_ctor_t& ctor);
    bool calculate_sizes(kmem_cache* s);
    unsigned calculate_order(unsigned size) const;
    slab_flags_t debug_flags_for(const char* name, slab_flags_t flags) const;
    uint32_t kmalloc_large(size_t size, gfp_t gfp);
    void free_large_kmalloc(page* head, uint32_t x);
    void add_partial(kmem_cache* s, page* slab, bool tail);
    void remove_partial(kmem_cache* s, page* slab);
    void add_full(kmem_cache* s, page* slab);
    void remove_full(kmem_cache* s, page* slab);
    void list_add(uint32_t& head, uint32_t& tail, page* p, bool at_tail);
    void list_del(uint32_t& head, uint32_t& tail, page* p);
    // debugging (slub_debug.cpp)
    bool slub_debug_orig_size(const kmem_cache* s) const;
    unsigned get_info_end(const kmem_cache* s) const;
    unsigned get_orig_size(const kmem_cache* s, uint32_t obj) const;
    void set_orig_size(const kmem_cache* s, uint32_t obj, unsigned size);
    void set_track(const kmem_cache* s, uint32_t obj, bool free, uint32_t caller);
    void print_tracking(const kmem_cache* s, uint32_t obj);
    void init_object(const kmem_cache* s, uint32_t obj, uint8_t val);
    void setup_object_debug(const kmem_cache* s, uint32_t obj);
    void count_error(kmem_cache* s);
    void slab_bug(kmem_cache* s, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
    void slab_fix(kmem_cache* s, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
    void slab_err(kmem_cache* s, const page* slab, const char* fmt, ...)
        __attribute__((format(printf, 4, 5)));
    void print_slab_info(const page* slab);
    void print_section(const char* text, uint32_t addr, unsigned length);
    void print_trailer(const kmem_cache* s, const page* slab, uint32_t p);
    void object_err(kmem_cache* s, const page* slab, uint32_t obj, const char* reason);
    void report_invalid_free(kmem_cache* s, uint32_t x, const char* why);
    void report_double_free(kmem_cache* s, page* slab, uint32_t x);
    void report_freelist_corrupt(kmem_cache* s, uint32_t obj, uint32_t fp);
    bool check_valid_pointer(const kmem_cache* s, const page* slab, uint32_t obj) const;
    bool check_bytes_and_report(kmem_cache* s, const page* slab, uint32_t obj, const char* what,
                                uint32_t start, uint8_t value, unsigned bytes);
    bool check_pad_bytes(kmem_cache* s, const page* slab, uint32_t p);
    void slab_pad_check(kmem_cache* s, const page* slab);
    bool check_object(kmem_cache* s, const page* slab, uint32_t p, uint8_t val);
    bool check_slab(kmem_cache* s, page* slab);
    bool on_freelist(kmem_cache* s, page* slab, uint32_t search);
    std::vector<bool> free_map(const kmem_cache* s, const page* slab);
    void validate_slab(kmem_cache* s, page* slab);
    void list_slab_objects(kmem_cache* s, page* slab);
    uint32_t alloc_debug(kmem_cache* s, gfp_t gfp, unsigned orig_size, uint32_t caller);
    void free_debug(kmem_cache* s, page* slab, uint32_t x, uint32_t caller);

    PageAllocator& pages_;
    SlabConfig cfg_;
    std::vector<kmem_cache*> caches_;  // slab_caches, newest first
    std::vector<kmem_cache*> dead_;    // destroyed caches (host objects kept, see `dead`)
    uint8_t size_index_[24] = {};      // kmalloc index for sizes 1..192, by (size - 1) / 8
    uint32_t kmalloc_max_size_ = KMALLOC_MAX_SIZE;
    unsigned long errors_ = 0;
    bool tainted_ = false;
};

// ---- Linux's names, on the current kernel (MemoryManager) -------------------------------
kmem_cache* kmem_cache_create(const char* name, unsigned size, unsigned align, slab_flags_t flags,
                              kmem_ctor_t ctor = nullptr);
void kmem_cache_destroy(kmem_cache* s);
uint32_t kmem_cache_alloc(kmem_cache* s, gfp_t gfp);
uint32_t kmem_cache_zalloc(kmem_cache* s, gfp_t gfp);
void kmem_cache_free(kmem_cache* s, uint32_t x);
int kmem_cache_shrink(kmem_cache* s);
// All or nothing: returns `nr` with every p[i] set, or 0.
int kmem_cache_alloc_bulk(kmem_cache* s, gfp_t gfp, size_t nr, uint32_t* p);
void kmem_cache_free_bulk(kmem_cache* s, size_t nr, const uint32_t* p);
const char* kmem_cache_name(const kmem_cache* s);
// kmalloc from a given SLAB_KMALLOC cache, recording `size` as the request (orig_size).
uint32_t __kmalloc_cache(kmem_cache* s, gfp_t gfp, size_t size);

uint32_t kmalloc(size_t size, gfp_t gfp);
uint32_t kzalloc(size_t size, gfp_t gfp);
uint32_t kmalloc_array(size_t n, size_t size, gfp_t gfp);  // NULL on overflow (32-bit size_t)
uint32_t kcalloc(size_t n, size_t size, gfp_t gfp);
uint32_t krealloc(uint32_t p, size_t new_size, gfp_t gfp);
void kfree(uint32_t p);
void kfree_sensitive(uint32_t p);
size_t ksize(uint32_t p);
size_t kmalloc_size_roundup(size_t size);
uint32_t kmalloc_max_size();
// __kmalloc_index: the kmalloc cache index of a size (0 for 0, 6 = kmalloc-64 ...,
// 2 = kmalloc-192), for sizes up to KMALLOC_MAX_CACHE_SIZE.
unsigned kmalloc_index(size_t size);

// Runs SLUB's consistency checks over every slab of the cache (/sys/kernel/slab/<c>/validate)
// and returns the number of errors reported.
unsigned long validate_slab_cache(kmem_cache* s);
// SLUB debug errors reported since start or reset (the count slub_kunit checks).
unsigned long slab_errors();
void reset_slab_errors();
// /proc/slabinfo.
std::string slabinfo();
kmem_cache* find_kmem_cache(const std::string& name);

}  // namespace kernel
