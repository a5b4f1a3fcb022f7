// DMA-API debugging: the checks and messages of kernel/dma/debug.c (linux-mm.md §14.6).
#include "sw/mm/dma-debug.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <utility>

#include "sw/kernel/printk.h"
#include "sw/mm/dma-mapping.h"
#include "sw/mm/page_alloc.h"

namespace kernel {

namespace {

// RADIX_TREE_MAX_TAGS = 3: up to 7 overlapping mappings of one cache line are counted.
constexpr int ACTIVE_CACHELINE_MAX_OVERLAP = (1 << 3) - 1;
constexpr unsigned L1_CACHE_SHIFT = 6;  // L1_CACHE_BYTES = 64
static_assert((1u << L1_CACHE_SHIFT) == L1_CACHE_BYTES, "A8 cache line");

const char* const kTypeName[] = {"single", "scatter-gather", "coherent", "noncoherent", "phy"};
const char* const kMapErrName[] = {"dma map error check not applicable",
                                   "dma map error not checked", "dma map error checked"};

struct State {
    // Keyed by (device, DMA address); several entries may share a key (the same memory
    // mapped twice), as Linux's hash buckets allow.
    std::multimap<std::pair<const device*, uint64_t>, dma_debug_entry> entries;
    // Mappings (not TO_DEVICE) per first cache line: the number of live ones.
    std::map<phys_addr_t, int> active_cachelines;
    uint32_t error_count = 0;
    bool show_all_errors = false;
    uint32_t show_num_errors = 1;
    bool warned_overlap_overflow = false;
};

State& state() {
    static State s;
    return s;
}

using Iter = std::multimap<std::pair<const device*, uint64_t>, dma_debug_entry>::iterator;

std::string driver_and_name(const device* dev) {
    if (!dev) return "NULL NULL";
    if (dev->driver.empty()) return dev->name;
    return dev->driver + " " + dev->name;
}

void err_printk(const device* dev, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void err_printk(const device* dev, const char* fmt, ...) {
    State& s = state();
    s.error_count += 1;
    if (s.show_all_errors || s.show_num_errors > 0) {
        char buf[400];
        va_list a;
        va_start(a, fmt);
        std::vsnprintf(buf, sizeof buf, fmt, a);
        va_end(a);
        warn_printk("DMA-API: %s: %s", driver_and_name(dev).c_str(), buf);
    }
    if (!s.show_all_errors && s.show_num_errors > 0) s.show_num_errors -= 1;
}

// Linux's __hash_bucket_find with exact_match: the perfect fit (size, type, direction), else
// the best of the matches when there is only one.
Iter find_exact(const dma_debug_entry& ref) {
    State& s = state();
    auto range = s.entries.equal_range({ref.dev, ref.dev_addr});
    Iter best = s.entries.end();
    int best_lvl = -1;
    int matches = 0;
    for (Iter it = range.first; it != range.second; ++it) {
        const dma_debug_entry& e = it->second;
        ++matches;
        const int lvl =
            (e.size == ref.size) + (e.type == ref.type) + (e.direction == ref.direction);
        if (lvl == 3) return it;
        if (lvl > best_lvl) {
            best_lvl = lvl;
            best = it;
        }
    }
    return matches == 1 ? best : s.entries.end();
}

// The entry of `dev` that contains [dev_addr, dev_addr + size), else one that contains
// dev_addr (`partial` set), else end().
Iter find_containing(const dma_debug_entry& ref, bool& partial) {
    State& s = state();
    partial = false;
    Iter candidate = s.entries.end();
    for (Iter it = s.entries.begin(); it != s.entries.end(); ++it) {
        const dma_debug_entry& e = it->second;
        if (e.dev != ref.dev) continue;
        if (e.dev_addr <= ref.dev_addr && e.dev_addr + e.size >= ref.dev_addr + ref.size) return it;
        if (e.dev_addr <= ref.dev_addr && ref.dev_addr < e.dev_addr + e.size) candidate = it;
    }
    partial = candidate != s.entries.end();
    return candidate;
}

phys_addr_t cacheline_of(const dma_debug_entry& e) {
    return e.paddr >> L1_CACHE_SHIFT;
}

void active_cacheline_insert(const dma_debug_entry& e) {
    if (e.direction == DMA_TO_DEVICE) return;  // the device does not write: no stale data
    State& s = state();
    int& n = s.active_cachelines[cacheline_of(e)];
    ++n;
    if (n == 1) return;
    if (n - 1 > ACTIVE_CACHELINE_MAX_OVERLAP && !s.warned_overlap_overflow) {
        s.warned_overlap_overflow = true;
        warn_printk("DMA-API: exceeded %d overlapping mappings of cacheline 0x%08" PRIx32 "\n",
                    ACTIVE_CACHELINE_MAX_OVERLAP, cacheline_of(e));
    }
    err_printk(e.dev, "cacheline tracking EEXIST, overlapping mappings aren't supported\n");
}

void active_cacheline_remove(const dma_debug_entry& e) {
    if (e.direction == DMA_TO_DEVICE) return;
    State& s = state();
    auto it = s.active_cachelines.find(cacheline_of(e));
    if (it == s.active_cachelines.end()) return;
    if (--it->second <= 0) s.active_cachelines.erase(it);
}

void add_dma_entry(const dma_debug_entry& e) {
    state().entries.emplace(std::make_pair(e.dev, e.dev_addr), e);
    active_cacheline_insert(e);
}

void check_unmap(const dma_debug_entry& ref) {
    State& s = state();
    Iter it = find_exact(ref);
    if (it == s.entries.end()) {
        if (ref.dev_addr == DMA_MAPPING_ERROR) {
            err_printk(ref.dev, "device driver tries to free an invalid DMA memory address\n");
        } else {
            err_printk(ref.dev,
                       "device driver tries to free DMA memory it has not allocated [device "
                       "address=0x%016" PRIx64 "] [size=%" PRIu64 " bytes]\n",
                       ref.dev_addr, ref.size);
        }
        return;
    }
    const dma_debug_entry entry = it->second;
    if (ref.size != entry.size) {
        err_printk(ref.dev,
                   "device driver frees DMA memory with different size [device "
                   "address=0x%016" PRIx64 "] [map size=%" PRIu64 " bytes] [unmap size=%" PRIu64
                   " bytes]\n",
                   ref.dev_addr, entry.size, ref.size);
    }
    if (ref.type != entry.type) {
        err_printk(ref.dev,
                   "device driver frees DMA memory with wrong function [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64
                   " bytes] [mapped as %s] [unmapped as %s]\n",
                   ref.dev_addr, ref.size, kTypeName[entry.type], kTypeName[ref.type]);
    } else if ((entry.type == dma_debug_coherent || entry.type == dma_debug_noncoherent) &&
               ref.paddr != entry.paddr) {
        err_printk(ref.dev,
                   "device driver frees DMA memory with different CPU address [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64
                   " bytes] [cpu alloc address=0x%08" PRIx32 "] [cpu free address=0x%08" PRIx32
                   "]\n",
                   ref.dev_addr, ref.size, entry.paddr, ref.paddr);
    }
    if (ref.direction != entry.direction) {
        err_printk(ref.dev,
                   "device driver frees DMA memory with different direction [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64
                   " bytes] [mapped with %s] [unmapped with %s]\n",
                   ref.dev_addr, ref.size, dma_dir_name(entry.direction),
                   dma_dir_name(ref.direction));
    }
    if (entry.map_err_type == MAP_ERR_NOT_CHECKED) {
        err_printk(ref.dev,
                   "device driver failed to check map error[device address=0x%016" PRIx64
                   "] [size=%" PRIu64 " bytes] [mapped as %s]\n",
                   ref.dev_addr, ref.size, kTypeName[entry.type]);
    }
    s.entries.erase(it);
    active_cacheline_remove(entry);
}

void check_sync(const device* dev, const dma_debug_entry& ref, bool to_cpu) {
    bool partial = false;
    Iter it = find_containing(ref, partial);
    if (it == state().entries.end()) {
        err_printk(dev,
                   "device driver tries to sync DMA memory it has not allocated [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64 " bytes]\n",
                   ref.dev_addr, ref.size);
        return;
    }
    const dma_debug_entry& entry = it->second;
    if (partial) {
        err_printk(dev,
                   "device driver syncs DMA memory outside allocated range [device "
                   "address=0x%016" PRIx64 "] [allocation size=%" PRIu64
                   " bytes] [sync offset+size=%" PRIu64 "]\n",
                   entry.dev_addr, entry.size, ref.dev_addr - entry.dev_addr + ref.size);
    }
    if (entry.direction == DMA_BIDIRECTIONAL) return;
    if (ref.direction != entry.direction) {
        err_printk(dev,
                   "device driver syncs DMA memory with different direction [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64
                   " bytes] [mapped with %s] [synced with %s]\n",
                   ref.dev_addr, entry.size, dma_dir_name(entry.direction),
                   dma_dir_name(ref.direction));
    }
    if (to_cpu && entry.direction != DMA_FROM_DEVICE && ref.direction != DMA_TO_DEVICE) {
        err_printk(dev,
                   "device driver syncs device read-only DMA memory for cpu [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64
                   " bytes] [mapped with %s] [synced with %s]\n",
                   ref.dev_addr, entry.size, dma_dir_name(entry.direction),
                   dma_dir_name(ref.direction));
    }
    if (!to_cpu && entry.direction != DMA_TO_DEVICE && ref.direction != DMA_FROM_DEVICE) {
        err_printk(dev,
                   "device driver syncs device write-only DMA memory to device [device "
                   "address=0x%016" PRIx64 "] [size=%" PRIu64
                   " bytes] [mapped with %s] [synced with %s]\n",
                   ref.dev_addr, entry.size, dma_dir_name(entry.direction),
                   dma_dir_name(ref.direction));
    }
}

bool is_vmalloc_va(uint32_t va) {
    return va >= VMALLOC_START() && va < VMALLOC_END;
}

}  // namespace

const char* dma_dir_name(int dir) {
    switch (dir) {
        case DMA_BIDIRECTIONAL:
            return "DMA_BIDIRECTIONAL";
        case DMA_TO_DEVICE:
            return "DMA_TO_DEVICE";
        case DMA_FROM_DEVICE:
            return "DMA_FROM_DEVICE";
        case DMA_NONE:
            return "DMA_NONE";
        default:
            return "DMA_INVALID";
    }
}

void debug_dma_map_single(const device* dev, uint32_t addr, size_t len) {
    if (!virt_addr_valid(addr))
        err_printk(dev,
                   "device driver maps memory from invalid area [addr=0x%08" PRIx32 "] [len=%zu]\n",
                   addr, len);
    if (is_vmalloc_va(addr))
        err_printk(dev,
                   "device driver maps memory from vmalloc area [addr=0x%08" PRIx32 "] [len=%zu]\n",
                   addr, len);
}

namespace {

// The entry a map/alloc records, or the reference an unmap/free/sync is checked against.
dma_debug_entry make_entry(const device* dev, int type, dma_addr_t dev_addr, size_t size, int dir,
                           phys_addr_t paddr = 0,
                           map_err_types map_err = MAP_ERR_CHECK_NOT_APPLICABLE) {
    dma_debug_entry e;
    e.dev = dev;
    e.type = type;
    e.dev_addr = dev_addr;
    e.size = size;
    e.direction = dir;
    e.paddr = paddr;
    e.map_err_type = map_err;
    return e;
}

}  // namespace

void debug_dma_map_phys(const device* dev, phys_addr_t phys, size_t size, int dir,
                        dma_addr_t dma_addr) {
    if (dma_addr == DMA_MAPPING_ERROR) return;
    add_dma_entry(
        make_entry(dev, dma_debug_single, dma_addr, size, dir, phys, MAP_ERR_NOT_CHECKED));
}

void debug_dma_mapping_error(const device* dev, dma_addr_t dma_addr) {
    State& s = state();
    auto range = s.entries.equal_range({dev, dma_addr});
    for (Iter it = range.first; it != range.second; ++it)
        if (it->second.map_err_type == MAP_ERR_NOT_CHECKED) {
            it->second.map_err_type = MAP_ERR_CHECKED;
            break;
        }
}

void debug_dma_unmap_phys(const device* dev, dma_addr_t dma_addr, size_t size, int dir) {
    check_unmap(make_entry(dev, dma_debug_single, dma_addr, size, dir));
}

void debug_dma_alloc_coherent(const device* dev, size_t size, dma_addr_t dma_addr,
                              phys_addr_t paddr) {
    add_dma_entry(make_entry(dev, dma_debug_coherent, dma_addr, size, DMA_BIDIRECTIONAL, paddr));
}

void debug_dma_free_coherent(const device* dev, size_t size, phys_addr_t paddr,
                             dma_addr_t dma_addr) {
    check_unmap(make_entry(dev, dma_debug_coherent, dma_addr, size, DMA_BIDIRECTIONAL, paddr));
}

void debug_dma_sync_single_for_cpu(const device* dev, dma_addr_t dma_handle, size_t size, int dir) {
    check_sync(dev, make_entry(dev, dma_debug_single, dma_handle, size, dir), true);
}

void debug_dma_sync_single_for_device(const device* dev, dma_addr_t dma_handle, size_t size,
                                      int dir) {
    check_sync(dev, make_entry(dev, dma_debug_single, dma_handle, size, dir), false);
}

int debug_dma_device_release(const device* dev) {
    int count = 0;
    const dma_debug_entry* last = nullptr;
    for (const auto& kv : state().entries)
        if (kv.second.dev == dev) {
            ++count;
            last = &kv.second;
        }
    if (count == 0) return 0;
    err_printk(dev,
               "device driver has pending DMA allocations while released from device "
               "[count=%d]\nOne of leaked entries details: [device address=0x%016" PRIx64
               "] [size=%" PRIu64 " bytes] [mapped with %s] [mapped as %s]\n",
               count, last->dev_addr, last->size, dma_dir_name(last->direction),
               kTypeName[last->type]);
    return count;
}

uint32_t dma_debug_error_count() {
    return state().error_count;
}

void dma_debug_set_all_errors(bool all) {
    state().show_all_errors = all;
}

void dma_debug_set_num_errors(uint32_t n) {
    state().show_num_errors = n;
}

uint32_t dma_debug_num_errors() {
    return state().show_num_errors;
}

std::vector<dma_debug_entry> dma_debug_entries(const device* dev) {
    std::vector<dma_debug_entry> out;
    for (const auto& kv : state().entries)
        if (!dev || kv.second.dev == dev) out.push_back(kv.second);
    return out;
}

std::string dma_debug_dump() {
    std::string out;
    int idx = 0;
    for (const auto& kv : state().entries) {
        const dma_debug_entry& e = kv.second;
        char line[256];
        std::snprintf(line, sizeof line,
                      "%s %s idx %d P=0x%08" PRIx32 " D=%" PRIx64 " L=%" PRIx64 " cln=0x%08" PRIx32
                      " %s %s\n",
                      driver_and_name(e.dev).c_str(), kTypeName[e.type], idx++, e.paddr, e.dev_addr,
                      e.size, cacheline_of(e), dma_dir_name(e.direction),
                      kMapErrName[e.map_err_type]);
        out += line;
    }
    return out;
}

void dma_debug_reset() {
    state() = State{};
}

}  // namespace kernel
