// SLUB debugging (mm/slub.c CONFIG_SLUB_DEBUG; linux-mm.md §6.3, §14.2): red zones, poison,
// owner tracking, consistency checks, validation, and SLUB's reports. Every check reads and
// every repair writes simulated memory through hal::Cpu. Each report line that SLUB's KUnit
// suite counts (slab_bug, slab_err, object_err, slab_fix) adds one to the error counts.
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <vector>

#include "sw/hal/cpu.h"
#include "sw/kernel/printk.h"
#include "sw/mm/irq.h"
#include "sw/mm/slab.h"

namespace kernel {

namespace {

constexpr unsigned kHz = 100;                  // jiffies per second, for "age=" only
constexpr unsigned kDumpBytesPerLine = 16;     // print_hex_dump row
constexpr unsigned kMaxDumpBytes = PAGE_SIZE;  // print_trailer shows at most a page
constexpr const char* kRule =
    "=============================================================================\n";
constexpr const char* kDash =
    "-----------------------------------------------------------------------------\n\n";

std::string vformat(const char* fmt, va_list a) {
    char buf[512];
    std::vsnprintf(buf, sizeof buf, fmt, a);
    return buf;
}

}  // namespace

// ---- metadata ----------------------------------------------------------------------------------

bool SlabAllocator::slub_debug_orig_size(const kmem_cache* s) const {
    return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

// Where the metadata after the object (and its free pointer, if outside) begins.
unsigned SlabAllocator::get_info_end(const kmem_cache* s) const {
    return s->offset >= s->inuse ? s->inuse + kGuestPointerSize : s->inuse;
}

unsigned SlabAllocator::get_orig_size(const kmem_cache* s, uint32_t obj) const {
    if (!slub_debug_orig_size(s)) return s->object_size;
    return hal::this_cpu().load32(obj + get_info_end(s) + 2 * kTrackSize);
}

void SlabAllocator::set_orig_size(const kmem_cache* s, uint32_t obj, unsigned size) {
    if (!slub_debug_orig_size(s)) return;
    hal::this_cpu().store32(obj + get_info_end(s) + 2 * kTrackSize, size);
}

void SlabAllocator::set_track(const kmem_cache* s, uint32_t obj, bool free, uint32_t caller) {
    hal::Cpu& cpu = hal::this_cpu();
    const uint64_t hz = cpu.clock_hz() ? cpu.clock_hz() : 1;
    const uint32_t when = static_cast<uint32_t>(cpu.cycles() * kHz / hz);
    const uint32_t t = obj + get_info_end(s) + (free ? kTrackSize : 0);
    cpu.store32(t + 0, caller);  // addr
    cpu.store32(t + 4, 0);       // cpu
    cpu.store32(t + 8, 0);       // pid (swapper)
    cpu.store32(t + 12, when);   // jiffies
}

void SlabAllocator::print_tracking(const kmem_cache* s, uint32_t obj) {
    if (!(s->flags & SLAB_STORE_USER)) return;
    hal::Cpu& cpu = hal::this_cpu();
    const uint64_t hz = cpu.clock_hz() ? cpu.clock_hz() : 1;
    const uint32_t now = static_cast<uint32_t>(cpu.cycles() * kHz / hz);
    for (int which = 0; which < 2; ++which) {
        const uint32_t t = obj + get_info_end(s) + (which ? kTrackSize : 0);
        const uint32_t addr = cpu.load32(t);
        if (!addr) continue;
        pr_err("%s in 0x%08x age=%u cpu=%u pid=%u\n", which ? "Freed" : "Allocated", addr,
               now - cpu.load32(t + 12), cpu.load32(t + 4), cpu.load32(t + 8));
    }
}

// init_object(): red zones to `val`, a poisoned object to 0x6b..0x6b 0xa5.
void SlabAllocator::init_object(const kmem_cache* s, uint32_t obj, uint8_t val) {
    hal::Cpu& cpu = hal::this_cpu();
    unsigned poison_size = s->object_size;
    if (s->flags & SLAB_RED_ZONE) {
        cpu.fill(obj - s->red_left_pad, val, s->red_left_pad);
        // The bytes kmalloc gave beyond the request are red zone too.
        if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) poison_size = get_orig_size(s, obj);
    }
    if ((s->flags & __OBJECT_POISON) && poison_size) {
        cpu.fill(obj, POISON_FREE, poison_size - 1);
        cpu.store8(obj + poison_size - 1, POISON_END);
    }
    if (s->flags & SLAB_RED_ZONE) cpu.fill(obj + poison_size, val, s->inuse - poison_size);
}

void SlabAllocator::setup_object_debug(const kmem_cache* s, uint32_t obj) {
    if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON))) return;
    init_object(s, obj, SLUB_RED_INACTIVE);
    if (s->flags & SLAB_STORE_USER) hal::this_cpu().fill(obj + get_info_end(s), 0, 2 * kTrackSize);
}

// ---- reports
// -------------------------------------------------------------------------------------

void SlabAllocator::count_error(kmem_cache* s) {
    ++errors_;
    if (s) ++s->errors;
}

void SlabAllocator::slab_bug(kmem_cache* s, const char* fmt, ...) {
    va_list a;
    va_start(a, fmt);
    const std::string msg = vformat(fmt, a);
    va_end(a);
    count_error(s);
    pr_err("%s", kRule);
    pr_err("BUG %s (%s): %s\n", s ? s->name.c_str() : "kmalloc",
           tainted_ ? "Tainted: B" : "Not tainted", msg.c_str());
    pr_err("%s", kDash);
    tainted_ = true;
}

void SlabAllocator::slab_fix(kmem_cache* s, const char* fmt, ...) {
    va_list a;
    va_start(a, fmt);
    const std::string msg = vformat(fmt, a);
    va_end(a);
    count_error(s);
    pr_err("FIX %s: %s\n", s->name.c_str(), msg.c_str());
}

void SlabAllocator::print_slab_info(const page* slab) {
    pr_err("Slab 0x%08x objects=%u used=%u fp=0x%08x flags=%#x\n", slab_address(slab),
           slab->objects, slab->inuse, slab->freelist, slab->flags);
}

void SlabAllocator::slab_err(kmem_cache* s, const page* slab, const char* fmt, ...) {
    va_list a;
    va_start(a, fmt);
    const std::string msg = vformat(fmt, a);
    va_end(a);
    slab_bug(s, "%s", msg.c_str());
    print_slab_info(slab);
}

void SlabAllocator::print_section(const char* text, uint32_t addr, unsigned length) {
    std::vector<uint8_t> buf(length);
    hal::this_cpu().read_block(addr, buf.data(), length);
    for (unsigned off = 0; off < length; off += kDumpBytesPerLine) {
        char hex[3 * kDumpBytesPerLine + 1] = {};
        char ascii[kDumpBytesPerLine + 1] = {};
        const unsigned n = std::min(kDumpBytesPerLine, length - off);
        for (unsigned i = 0; i < n; ++i) {
            const uint8_t b = buf[off + i];
            std::snprintf(hex + 3 * i, 4, "%02x ", b);
            ascii[i] = (b >= 0x20 && b < 0x7f) ? static_cast<char>(b) : '.';
        }
        pr_err("%s%08x: %-48s %s\n", text, addr + off, hex, ascii);
    }
}

void SlabAllocator::print_trailer(const kmem_cache* s, const page* slab, uint32_t p) {
    const uint32_t addr = slab_address(slab);
    print_tracking(s, p);
    print_slab_info(slab);
    pr_err("Object 0x%08x @offset=%u fp=0x%08x\n\n", p, p - addr,
           hal::this_cpu().load32(p + s->offset));
    if (s->flags & SLAB_RED_ZONE)
        print_section("Redzone  ", p - s->red_left_pad, s->red_left_pad);
    else if (p > addr + 16)
        print_section("Bytes b4 ", p - 16, 16);
    print_section("Object   ", p, std::min(s->object_size, kMaxDumpBytes));
    if (s->flags & SLAB_RED_ZONE)
        print_section("Redzone  ", p + s->object_size, s->inuse - s->object_size);
    unsigned off = get_info_end(s);
    if (s->flags & SLAB_STORE_USER) off += 2 * kTrackSize + ((s->flags & SLAB_KMALLOC) ? 4 : 0);
    const unsigned size_from_object = s->size - ((s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0);
    if (off < size_from_object) print_section("Padding  ", p + off, size_from_object - off);
}

void SlabAllocator::object_err(kmem_cache* s, const page* slab, uint32_t obj, const char* reason) {
    slab_bug(s, "%s", reason);
    print_trailer(s, slab, obj);
}

void SlabAllocator::report_invalid_free(kmem_cache* s, uint32_t x, const char* why) {
    slab_bug(s, "Invalid free of 0x%08x: %s", x, why);
}

void SlabAllocator::report_double_free(kmem_cache* s, page* slab, uint32_t x) {
    object_err(s, slab, x, "Object already free");
    slab_fix(s, "Object at 0x%08x not freed", x);
}

void SlabAllocator::report_freelist_corrupt(kmem_cache* s, uint32_t obj, uint32_t fp) {
    slab_bug(s, "Freepointer corrupt");
    pr_err("Object 0x%08x fp=0x%08x: the free pointer leaves its slab\n", obj, fp);
    slab_fix(s, "Isolate corrupted freechain");
}

// ---- checks
// --------------------------------------------------------------------------------------

bool SlabAllocator::check_valid_pointer(const kmem_cache* s, const page* slab, uint32_t obj) const {
    if (!obj) return true;
    return valid_object_start(s, slab, obj);
}

// check_bytes_and_report(): `bytes` at `start` must all be `value`; the damage is reported
// and the bytes restored ("Restoring ...").
bool SlabAllocator::check_bytes_and_report(kmem_cache* s, const page* slab, uint32_t obj,
                                           const char* what, uint32_t start, uint8_t value,
                                           unsigned bytes) {
    if (!bytes) return true;
    hal::Cpu& cpu = hal::this_cpu();
    std::vector<uint8_t> buf(bytes);
    cpu.read_block(start, buf.data(), bytes);
    unsigned first = 0;
    while (first < bytes && buf[first] == value)
        ++first;
    if (first == bytes) return true;
    unsigned end = bytes;
    while (end > first && buf[end - 1] == value)
        --end;
    const uint32_t fault = start + first;
    slab_bug(s, "%s overwritten", what);
    pr_err("0x%08x-0x%08x @offset=%u. First byte 0x%x instead of 0x%x\n", fault, start + end - 1,
           fault - slab_address(slab), buf[first], value);
    print_trailer(s, slab, obj);
    slab_fix(s, "Restoring %s 0x%08x-0x%08x=0x%x", what, fault, start + end - 1, value);
    cpu.fill(fault, value, end - first);
    return false;
}

bool SlabAllocator::check_pad_bytes(kmem_cache* s, const page* slab, uint32_t p) {
    unsigned off = get_info_end(s);
    if (s->flags & SLAB_STORE_USER) off += 2 * kTrackSize + ((s->flags & SLAB_KMALLOC) ? 4 : 0);
    const unsigned size_from_object = s->size - ((s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0);
    if (size_from_object <= off) return true;
    return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
                                  size_from_object - off);
}

void SlabAllocator::slab_pad_check(kmem_cache* s, const page* slab) {
    if (!(s->flags & SLAB_POISON)) return;
    const uint32_t start = slab_address(slab);
    const uint32_t length = PAGE_SIZE << slab_order(slab);
    const uint32_t remainder = length % s->size;
    if (!remainder) return;
    const uint32_t pad = start + length - remainder;
    hal::Cpu& cpu = hal::this_cpu();
    std::vector<uint8_t> buf(remainder);
    cpu.read_block(pad, buf.data(), remainder);
    unsigned first = 0;
    while (first < remainder && buf[first] == POISON_INUSE)
        ++first;
    if (first == remainder) return;
    unsigned end = remainder;
    while (end > first && buf[end - 1] == POISON_INUSE)
        --end;
    slab_err(s, slab, "Padding overwritten. 0x%08x-0x%08x @offset=%u", pad + first, pad + end - 1,
             pad + first - start);
    slab_fix(s, "Restoring Padding 0x%08x-0x%08x=0x%x", pad + first, pad + end - 1, POISON_INUSE);
    cpu.fill(pad + first, POISON_INUSE, end - first);
}

bool SlabAllocator::check_object(kmem_cache* s, const page* slab, uint32_t p, uint8_t val) {
    bool ret = true;
    const uint32_t endobject = p + s->object_size;
    if (s->flags & SLAB_RED_ZONE) {
        if (!check_bytes_and_report(s, slab, p, "Left Redzone", p - s->red_left_pad, val,
                                    s->red_left_pad))
            ret = false;
        if (!check_bytes_and_report(s, slab, p, "Right Redzone", endobject, val,
                                    s->inuse - s->object_size))
            ret = false;
        if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
            const unsigned orig = get_orig_size(s, p);
            if (s->object_size > orig &&
                !check_bytes_and_report(s, slab, p, "kmalloc Redzone", p + orig, val,
                                        s->object_size - orig))
                ret = false;
        }
    } else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
        if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject, POISON_INUSE,
                                    s->inuse - s->object_size))
            ret = false;
    }
    if (s->flags & SLAB_POISON) {
        if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
            if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE, s->object_size - 1))
                ret = false;
            if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
                                        POISON_END, 1))
                ret = false;
        }
        if (!check_pad_bytes(s, slab, p)) ret = false;
    }
    // An allocated object's free pointer is its data unless it lives outside the object.
    if (s->offset < s->inuse && val == SLUB_RED_ACTIVE) return ret;
    hal::Cpu& cpu = hal::this_cpu();
    if (!check_valid_pointer(s, slab, cpu.load32(p + s->offset))) {
        object_err(s, slab, p, "Freepointer corrupt");
        cpu.store32(p + s->offset, 0);  // lose the rest of the chain
        ret = false;
    }
    return ret;
}

bool SlabAllocator::check_slab(kmem_cache* s, page* slab) {
    if (!slab->slab()) {
        slab_err(s, slab, "Not a valid slab page");
        return false;
    }
    const unsigned maxobj = std::min((PAGE_SIZE << slab_order(slab)) / s->size, MAX_OBJS_PER_PAGE);
    if (slab->objects > maxobj) {
        slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
        return false;
    }
    if (slab->inuse > slab->objects) {
        slab_err(s, slab, "inuse %u > max %u", slab->inuse, slab->objects);
        return false;
    }
    slab_pad_check(s, slab);
    return true;
}

// on_freelist(): walks the slab's freelist. With `search` 0, checks the chain and the
// in-use count (repairing both); else tells whether `search` is on it.
bool SlabAllocator::on_freelist(kmem_cache* s, page* slab, uint32_t search) {
    hal::Cpu& cpu = hal::this_cpu();
    unsigned nr = 0;
    uint32_t object = 0;
    uint32_t fp = slab->freelist;
    while (fp && nr <= slab->objects) {
        if (fp == search) return true;
        if (!check_valid_pointer(s, slab, fp)) {
            if (object) {
                object_err(s, slab, object, "Freechain corrupt");
                cpu.store32(object + s->offset, 0);
            } else {
                slab_err(s, slab, "Freepointer corrupt");
                slab->freelist = 0;
                slab->inuse = slab->objects;
                slab_fix(s, "Freelist cleared");
                return false;
            }
            break;
        }
        object = fp;
        fp = cpu.load32(object + s->offset);
        ++nr;
    }
    const unsigned max_objects =
        std::min((PAGE_SIZE << slab_order(slab)) / s->size, MAX_OBJS_PER_PAGE);
    if (slab->objects != max_objects) {
        slab_err(s, slab, "Wrong number of objects. Found %u but should be %u", slab->objects,
                 max_objects);
        slab->objects = static_cast<uint16_t>(max_objects);
        slab_fix(s, "Number of objects adjusted");
    }
    if (slab->inuse != slab->objects - nr) {
        slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u", slab->inuse,
                 slab->objects - nr);
        slab->inuse = static_cast<uint16_t>(slab->objects - nr);
        slab_fix(s, "Object count adjusted");
    }
    return search == 0;
}

std::vector<bool> SlabAllocator::free_map(const kmem_cache* s, const page* slab) {
    std::vector<bool> map(slab->objects, false);
    hal::Cpu& cpu = hal::this_cpu();
    const uint32_t base = slab_address(slab) + s->red_left_pad;
    unsigned n = 0;
    for (uint32_t p = slab->freelist; p && n <= slab->objects; ++n) {
        if (!valid_object_start(s, slab, p)) break;
        map[(p - base) / s->size] = true;
        p = cpu.load32(p + s->offset);
    }
    return map;
}

void SlabAllocator::validate_slab(kmem_cache* s, page* slab) {
    if (!check_slab(s, slab) || !on_freelist(s, slab, 0)) return;
    const std::vector<bool> map = free_map(s, slab);
    const uint32_t base = slab_address(slab) + s->red_left_pad;
    for (unsigned i = 0; i < slab->objects; ++i)
        if (!check_object(s, slab, base + i * s->size,
                          map[i] ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE))
            break;
}

unsigned long SlabAllocator::validate(kmem_cache* s) {
    if (!s || s->dead) return 0;
    IrqSave irq;
    const unsigned long before = s->errors;
    deactivate_cpu_slab(s);
    for (uint32_t* head : {&s->partial_head, &s->full_head})
        for (uint32_t i = *head; i != kNoPage;) {
            page* slab = pages_.index_page(i);
            i = slab->lru_next;
            validate_slab(s, slab);
        }
    return s->errors - before;
}

void SlabAllocator::list_slab_objects(kmem_cache* s, page* slab) {
    slab_err(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()", s->name.c_str());
    const std::vector<bool> map = free_map(s, slab);
    const uint32_t addr = slab_address(slab);
    const uint32_t base = addr + s->red_left_pad;
    for (unsigned i = 0; i < slab->objects; ++i) {
        if (map[i]) continue;
        const uint32_t p = base + i * s->size;
        count_error(s);
        pr_err("Object 0x%08x @offset=%u\n", p, p - addr);
        print_tracking(s, p);
    }
}

// ---- debug allocation and free (alloc_single_from_partial, free_to_partial_list) -------------

uint32_t SlabAllocator::alloc_debug(kmem_cache* s, gfp_t gfp, unsigned orig_size, uint32_t caller) {
    IrqSave irq;
    ++s->alloc_slowpath;
    hal::Cpu& cpu = hal::this_cpu();
    for (;;) {
        page* slab;
        if (s->partial_head != kNoPage) {
            slab = pages_.index_page(s->partial_head);
        } else {
            slab = new_slab(s, gfp);
            if (!slab) {
                slab_out_of_memory(s, gfp);
                return 0;
            }
            add_partial(s, slab, /*tail=*/false);
        }
        const uint32_t obj = slab->freelist;
        bool ok = check_valid_pointer(s, slab, obj);
        if (!ok) {
            object_err(s, slab, obj, "Freelist Pointer check fails");
        } else if (s->flags & SLAB_CONSISTENCY_CHECKS) {
            ok = check_slab(s, slab) && check_object(s, slab, obj, SLUB_RED_INACTIVE);
        }
        uint32_t next = 0;
        if (ok) {
            next = cpu.load32(obj + s->offset);
            if (!check_valid_pointer(s, slab, next)) {
                object_err(s, slab, obj, "Freepointer corrupt");
                ok = false;
            }
        }
        if (!ok) {
            // Avoid the damaged slab from now on: it stays allocated, on no list.
            slab_fix(s, "Marking all objects used");
            slab->inuse = slab->objects;
            slab->freelist = 0;
            remove_partial(s, slab);
            continue;
        }
        slab->freelist = next;
        ++slab->inuse;
        if (!next) {
            remove_partial(s, slab);
            add_full(s, slab);
        }
        if (s->flags & SLAB_STORE_USER) set_track(s, obj, /*free=*/false, caller);
        set_orig_size(s, obj, orig_size);
        init_object(s, obj, SLUB_RED_ACTIVE);
        if (s->flags & SLAB_TRACE)
            pr_info("TRACE %s alloc 0x%08x inuse=%u fp=0x%08x\n", s->name.c_str(), obj, slab->inuse,
                    slab->freelist);
        return obj;
    }
}

void SlabAllocator::free_debug(kmem_cache* s, page* slab, uint32_t x, uint32_t caller) {
    IrqSave irq;
    ++s->free_slowpath;
    if (s->flags & SLAB_CONSISTENCY_CHECKS) {
        bool ok = true;
        if (!check_valid_pointer(s, slab, x)) {
            slab_err(s, slab, "Invalid object pointer 0x%08x", x);
            ok = false;
        } else if (on_freelist(s, slab, x)) {
            object_err(s, slab, x, "Object already free");
            ok = false;
        } else if (!check_object(s, slab, x, SLUB_RED_ACTIVE)) {
            ok = false;
        }
        if (!ok) {
            slab_fix(s, "Object at 0x%08x not freed", x);
            return;
        }
    } else if (x == slab->freelist) {
        report_double_free(s, slab, x);
        return;
    }
    hal::Cpu& cpu = hal::this_cpu();
    if (s->flags & SLAB_TRACE)
        pr_info("TRACE %s free 0x%08x inuse=%u fp=0x%08x\n", s->name.c_str(), x, slab->inuse,
                slab->freelist);
    if (s->flags & SLAB_STORE_USER) set_track(s, x, /*free=*/true, caller);
    if (want_init_on_free(s)) cpu.fill(x, 0, get_orig_size(s, x));
    init_object(s, x, SLUB_RED_INACTIVE);
    const bool was_full = slab->freelist == 0;
    cpu.store32(x + s->offset, slab->freelist);
    slab->freelist = x;
    --slab->inuse;
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

}  // namespace kernel
