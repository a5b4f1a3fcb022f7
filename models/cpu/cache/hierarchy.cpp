#include "models/cpu/cache/hierarchy.h"

#include <stdexcept>

namespace vp::cache {

namespace {

// CLIDR.LoUU of the Cortex-A8: the point of unification is after L1 (the I and D sides meet
// in L2), A8 CLIDR = 0x0A000023 (docs/models/cache.md).
constexpr uint32_t kA8LoUU = 1;

}  // namespace

const char* level_name(Level l) {
    switch (l) {
        case Level::l1:
            return "l1";
        case Level::l2:
            return "l2";
        case Level::memory:
            return "memory";
        case Level::bypass:
            return "bypass";
    }
    return "?";
}

HierarchyParams HierarchyParams::a8(const std::string& prefix) {
    HierarchyParams p;
    p.l1i = CacheParams::a8_l1i(prefix + ".l1i");
    p.l1d = CacheParams::a8_l1d(prefix + ".l1d");
    p.l2 = CacheParams::a8_l2(prefix + ".l2");
    return p;
}

Hierarchy::Hierarchy(HierarchyParams p, MemoryFn memory)
    : p_(std::move(p)), memory_(std::move(memory)), l1i_(p_.l1i), l1d_(p_.l1d) {
    if (!memory_)
        throw std::invalid_argument("cache hierarchy: no memory callback (needed for misses)");
    if (p_.l1d.read_only)
        throw std::invalid_argument("cache '" + p_.l1d.name +
                                    "': the L1 data cache cannot be read_only");
    if (p_.l2_present) {
        if (p_.l2.line_bytes < p_.l1d.line_bytes || p_.l2.line_bytes < p_.l1i.line_bytes)
            throw std::invalid_argument("cache '" + p_.l2.name + "': line_bytes " +
                                        std::to_string(p_.l2.line_bytes) +
                                        " is smaller than an L1 line");
        if (p_.l2.read_only)
            throw std::invalid_argument("cache '" + p_.l2.name +
                                        "': a unified L2 cannot be read_only");
        l2_ = std::make_unique<Cache>(p_.l2);
    }
}

void Hierarchy::set_l1_replacement(Replacement r) {
    l1i_.set_replacement(r);
    l1d_.set_replacement(r);
}

// ---- Accesses --------------------------------------------------------------------------------

void Hierarchy::memory_writeback(uint32_t line_pa, AccessResult& r) {
    const uint64_t c = memory_(line_pa, true);
    ++r.memory_writes;
    if (p_.charge_writebacks)
        r.cycles += c;
    else
        r.posted_cycles += c;
}

void Hierarchy::l1_victim(uint32_t line_pa, AccessResult& r) {
    ++r.writebacks;
    if (!l2_active()) {
        memory_writeback(line_pa, r);
        return;
    }
    // The eviction buffer writes the whole line into L2, which allocates it (a full line:
    // no fill needed when the line sizes match).
    const Result b = l2_->access(line_pa, true, Policy::write_back_write_allocate);
    if (p_.charge_writebacks)
        r.cycles += b.latency_cycles;
    else
        r.posted_cycles += b.latency_cycles;
    if (b.evicted_dirty) {
        ++r.writebacks;
        memory_writeback(*b.evicted_dirty, r);
    }
    if (b.write_to_next) memory_writeback(l2_->line_address(line_pa), r);
}

AccessResult Hierarchy::read_path(Cache& l1, Policy p1, Policy p2, uint32_t pa) {
    AccessResult r;
    std::optional<uint32_t> victim;
    uint32_t fill_line = pa;
    if (p1 != Policy::non_cacheable) {
        const Result a = l1.access(pa, false, p1);
        r.cycles += a.latency_cycles;
        r.level = Level::l1;
        if (a.hit) return r;
        victim = a.evicted_dirty;
        fill_line = l1.line_address(pa);
    }
    bool l2_hit = false;
    std::optional<uint32_t> l2_victim;
    if (p2 != Policy::non_cacheable) {
        const Result b = l2_->access(pa, false, p2);
        r.cycles += b.latency_cycles;
        r.level = Level::l2;
        l2_hit = b.hit;
        fill_line = l2_->line_address(pa);
        l2_victim = b.evicted_dirty;
    }
    if (!l2_hit) {
        r.cycles += memory_(fill_line, false);
        ++r.memory_reads;
        r.level = Level::memory;
    }
    // Victims leave through the eviction buffers after the fill (off the critical path).
    if (l2_victim) {
        ++r.writebacks;
        memory_writeback(*l2_victim, r);
    }
    if (victim) l1_victim(*victim, r);
    return r;
}

AccessResult Hierarchy::write_path(Policy p1, Policy p2, uint32_t pa) {
    AccessResult r;
    uint64_t path = 0;  // the cost were the store not posted
    bool to_next = true;
    std::optional<uint32_t> victim;
    uint32_t line = pa;
    if (p1 != Policy::non_cacheable) {
        const Result a = l1d_.access(pa, true, p1);
        path += a.latency_cycles;
        r.level = Level::l1;
        victim = a.evicted_dirty;
        to_next = a.write_to_next;
        line = l1d_.line_address(pa);
    }
    if (to_next) {
        if (p2 != Policy::non_cacheable) {
            const Result b = l2_->access(pa, true, p2);
            path += b.latency_cycles;
            r.level = Level::l2;
            line = l2_->line_address(pa);
            if (b.allocated) {  // write-allocate: the rest of the line comes from memory
                path += memory_(line, false);
                ++r.memory_reads;
                r.level = Level::memory;
            }
            if (b.write_to_next) {
                path += memory_(line, true);
                ++r.memory_writes;
                r.level = Level::memory;
            }
            if (b.evicted_dirty) {
                ++r.writebacks;
                memory_writeback(*b.evicted_dirty, r);
            }
        } else {
            path += memory_(line, true);
            ++r.memory_writes;
            r.level = Level::memory;
        }
    }
    if (victim) l1_victim(*victim, r);
    if (p_.stores_posted) {
        r.cycles += p_.posted_store_cycles;
        r.posted_cycles += path;
    } else {
        r.cycles += path;
    }
    return r;
}

AccessResult Hierarchy::data_access(uint32_t pa, bool write, const Attrs& attrs) {
    const Policy p1 = l1d_on_ ? attrs.inner : Policy::non_cacheable;
    const Policy p2 = l2_policy(attrs);
    if (p1 == Policy::non_cacheable && p2 == Policy::non_cacheable) return AccessResult{};
    return write ? write_path(p1, p2, pa) : read_path(l1d_, p1, p2, pa);
}

AccessResult Hierarchy::inst_fetch(uint32_t pa, const Attrs& attrs) {
    const Policy p1 = l1i_on_ ? attrs.inner : Policy::non_cacheable;
    const Policy p2 = l2_policy(attrs);
    if (p1 == Policy::non_cacheable && p2 == Policy::non_cacheable) return AccessResult{};
    return read_path(l1i_, p1, p2, pa);
}

AccessResult Hierarchy::walk_access(uint32_t pa, Policy policy) {
    AccessResult r;
    if (!l2_active() || policy == Policy::non_cacheable) return r;
    const Result b = l2_->access(pa, false, policy);
    r.cycles += b.latency_cycles;
    r.level = Level::l2;
    if (!b.hit) {
        r.cycles += memory_(l2_->line_address(pa), false);
        ++r.memory_reads;
        r.level = Level::memory;
    }
    if (b.evicted_dirty) {
        ++r.writebacks;
        memory_writeback(*b.evicted_dirty, r);
    }
    return r;
}

// ---- Maintenance -----------------------------------------------------------------------------

void Hierarchy::l2_maint_writeback(uint32_t line_pa, MaintCost& c) {
    ++c.writebacks;
    ++c.lines_to_memory;
    c.cycles += memory_(line_pa, true);
}

void Hierarchy::l1_maint_writeback(uint32_t line_pa, MaintCost& c) {
    ++c.writebacks;
    if (!l2_active()) {
        ++c.lines_to_memory;
        c.cycles += memory_(line_pa, true);
        return;
    }
    const Result b = l2_->access(line_pa, true, Policy::write_back_write_allocate);
    ++c.lines_to_l2;
    c.cycles += b.latency_cycles;
    if (b.evicted_dirty) l2_maint_writeback(*b.evicted_dirty, c);
    if (b.write_to_next) {
        ++c.lines_to_memory;
        c.cycles += memory_(l2_->line_address(line_pa), true);
    }
}

namespace {

void add(MaintCost& c, const MaintResult& m) {
    c.dirty_discarded += m.dirty_discarded;
}

}  // namespace

MaintCost Hierarchy::dcache_by_mva(uint32_t pa, MaintOp op, Point point) {
    MaintCost c;
    if (point == Point::unification || !l2_) {
        add(c, l1d_.maintain_line(pa, op, [&](uint32_t line) { l1_maint_writeback(line, c); }));
        return c;
    }
    // To the point of coherency: a dirty L1 line merges into the L2 copy when there is one
    // (the L2 operation below then writes it to memory once), else goes to memory directly.
    add(c, l1d_.maintain_line(pa, op, [&](uint32_t line) {
        if (l2_->merge_dirty(line)) {
            ++c.writebacks;
            ++c.lines_to_l2;
            c.cycles += l2_->hit_latency();
        } else {
            ++c.writebacks;
            ++c.lines_to_memory;
            c.cycles += memory_(line, true);
        }
    }));
    add(c, l2_->maintain_line(pa, op, [&](uint32_t line) { l2_maint_writeback(line, c); }));
    return c;
}

MaintCost Hierarchy::dcache_by_set_way(uint32_t operand, MaintOp op) {
    MaintCost c;
    const uint32_t level = (operand >> kSetWayLevelShift) & kSetWayLevelMask;
    if (level == 0) {
        add(c, l1d_.maintain_set_way(operand, op,
                                     [&](uint32_t line) { l1_maint_writeback(line, c); }));
    } else if (level == 1 && l2_) {
        add(c, l2_->maintain_set_way(operand, op,
                                     [&](uint32_t line) { l2_maint_writeback(line, c); }));
    } else {
        c.ok = false;
    }
    return c;
}

MaintCost Hierarchy::icache_invalidate_all() {
    l1i_.invalidate_all();
    return {};
}

MaintCost Hierarchy::icache_invalidate_by_mva(uint32_t pa) {
    l1i_.invalidate_line(pa);
    return {};
}

MaintCost Hierarchy::invalidate_all() {
    MaintCost c;
    add(c, l1i_.invalidate_all());
    add(c, l1d_.invalidate_all());
    if (l2_) add(c, l2_->invalidate_all());
    return c;
}

MaintCost Hierarchy::clean_all() {
    MaintCost c;
    add(c, l1d_.clean_all([&](uint32_t line) { l1_maint_writeback(line, c); }));
    if (l2_) add(c, l2_->clean_all([&](uint32_t line) { l2_maint_writeback(line, c); }));
    return c;
}

MaintCost Hierarchy::clean_invalidate_all() {
    MaintCost c;
    add(c, l1i_.invalidate_all());
    add(c, l1d_.maintain_all(MaintOp::clean_invalidate,
                             [&](uint32_t line) { l1_maint_writeback(line, c); }));
    if (l2_)
        add(c, l2_->maintain_all(MaintOp::clean_invalidate,
                                 [&](uint32_t line) { l2_maint_writeback(line, c); }));
    return c;
}

// ---- Identification --------------------------------------------------------------------------

uint32_t Hierarchy::clidr() const {
    uint32_t v = kClidrCtypeSeparate;  // level 1: separate I and D
    uint32_t loc = 1;
    if (l2_) {
        v |= kClidrCtypeUnified << kClidrCtypeBits;  // level 2: unified
        loc = 2;
    }
    v |= loc << kClidrLocShift;
    v |= kA8LoUU << kClidrLouuShift;
    return v;  // LoUIS = 0: the A8 has no Multiprocessing Extensions
}

uint32_t Hierarchy::ccsidr(uint32_t csselr) const {
    const uint32_t level = (csselr >> kCsselrLevelShift) & kCsselrLevelMask;
    const bool inst = csselr & kCsselrInD;
    if (level == 0) return inst ? l1i_.ccsidr() : l1d_.ccsidr();
    if (level == 1 && l2_ && !inst) return l2_->ccsidr();
    return 0;
}

}  // namespace vp::cache
