#include "sw/mm/memblock.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "sw/kernel/printk.h"

namespace kernel {

namespace {

constexpr uint64_t kPhysLimit = 1ull << 32;  // non-LPAE: physical addresses are 32-bit

// Cuts [base, base + size) at 4 GiB (memblock_cap_size).
uint64_t cap_size(uint64_t base, uint64_t size) {
    if (base >= kPhysLimit) return 0;
    return std::min(size, kPhysLimit - base);
}

// Adds a range to a type, merging overlapping and adjacent regions.
void add_range(memblock_type& t, uint64_t base, uint64_t size) {
    size = cap_size(base, size);
    if (!size) return;
    uint64_t end = base + size;
    std::vector<memblock_region> out;
    out.reserve(t.regions.size() + 1);
    bool placed = false;
    for (const memblock_region& r : t.regions) {
        if (r.end() < base) {
            out.push_back(r);
        } else if (r.base > end) {
            if (!placed) {
                out.push_back({base, end - base});
                placed = true;
            }
            out.push_back(r);
        } else {  // overlapping or adjacent: merge into the new range
            base = std::min(base, r.base);
            end = std::max(end, r.end());
        }
    }
    if (!placed) out.push_back({base, end - base});
    t.regions.swap(out);
}

// Removes a range from a type, splitting regions as needed.
void remove_range(memblock_type& t, uint64_t base, uint64_t size) {
    size = cap_size(base, size);
    if (!size) return;
    const uint64_t end = base + size;
    std::vector<memblock_region> out;
    out.reserve(t.regions.size() + 1);
    for (const memblock_region& r : t.regions) {
        if (r.end() <= base || r.base >= end) {
            out.push_back(r);
            continue;
        }
        if (r.base < base) out.push_back({r.base, base - r.base});
        if (r.end() > end) out.push_back({end, r.end() - end});
    }
    t.regions.swap(out);
}

bool contains(const memblock_type& t, uint64_t addr) {
    for (const memblock_region& r : t.regions)
        if (addr >= r.base && addr < r.end()) return true;
    return false;
}

}  // namespace

uint64_t memblock_type::total_size() const {
    uint64_t s = 0;
    for (const memblock_region& r : regions)
        s += r.size;
    return s;
}

Memblock::Memblock() = default;

void Memblock::add(phys_addr_t base, uint64_t size) {
    add_range(memory, base, size);
}

void Memblock::remove(phys_addr_t base, uint64_t size) {
    remove_range(memory, base, size);
}

void Memblock::reserve(phys_addr_t base, uint64_t size) {
    add_range(reserved, base, size);
}

void Memblock::phys_free(phys_addr_t base, uint64_t size) {
    remove_range(reserved, base, size);
}

std::vector<memblock_region> Memblock::free_ranges() const {
    std::vector<memblock_region> out;
    for (const memblock_region& m : memory.regions) {
        uint64_t cur = m.base;
        for (const memblock_region& r : reserved.regions) {
            if (r.end() <= cur || r.base >= m.end()) continue;
            if (r.base > cur) out.push_back({cur, r.base - cur});
            cur = std::max(cur, r.end());
        }
        if (cur < m.end()) out.push_back({cur, m.end() - cur});
    }
    return out;
}

phys_addr_t Memblock::phys_alloc_range(uint64_t size, uint64_t align, uint64_t start,
                                       uint64_t end) {
    if (!align) {
        warn_printk("memblock: zero alignment, using SMP_CACHE_BYTES (%u)", L1_CACHE_BYTES);
        align = L1_CACHE_BYTES;
    }
    if (!size || (align & (align - 1))) {
        pr_err("memblock: bad allocation request: size %#" PRIx64 ", align %#" PRIx64 "\n", size,
               align);
        return 0;
    }
    end = std::min(end, current_limit_);
    const std::vector<memblock_region> free = free_ranges();
    // Top-down, as memblock allocates by default.
    for (auto it = free.rbegin(); it != free.rend(); ++it) {
        const uint64_t lo = std::max(it->base, start);
        const uint64_t hi = std::min(it->end(), end);
        if (hi <= lo || hi - lo < size) continue;
        const uint64_t base = (hi - size) & ~(align - 1);
        if (base < lo) continue;
        reserve(static_cast<phys_addr_t>(base), size);
        return static_cast<phys_addr_t>(base);
    }
    return 0;
}

bool Memblock::is_memory(phys_addr_t addr) const {
    return contains(memory, addr);
}

bool Memblock::is_reserved(phys_addr_t addr) const {
    return contains(reserved, addr);
}

bool Memblock::is_region_reserved(phys_addr_t base, uint64_t size) const {
    const uint64_t end = base + size;
    for (const memblock_region& r : reserved.regions)
        if (r.base < end && r.end() > base) return true;
    return false;
}

bool Memblock::is_region_memory(phys_addr_t base, uint64_t size) const {
    const uint64_t end = base + size;
    for (const memblock_region& r : memory.regions)
        if (base >= r.base && end <= r.end()) return true;
    return false;
}

uint64_t Memblock::start_of_DRAM() const {
    return memory.regions.empty() ? 0 : memory.regions.front().base;
}

uint64_t Memblock::end_of_DRAM() const {
    return memory.regions.empty() ? 0 : memory.regions.back().end();
}

std::string Memblock::dump() const {
    std::string out;
    char line[128];
    for (const memblock_type* t : {&memory, &reserved}) {
        std::snprintf(line, sizeof line, " %s.cnt  = 0x%zx\n", t->name, t->regions.size());
        out += line;
        size_t i = 0;
        for (const memblock_region& r : t->regions) {
            std::snprintf(line, sizeof line,
                          " %s[0x%zx]\t[0x%08" PRIx64 "-0x%08" PRIx64 "], 0x%08" PRIx64 " bytes\n",
                          t->name, i++, r.base, r.end() - 1, r.size);
            out += line;
        }
    }
    return out;
}

}  // namespace kernel
