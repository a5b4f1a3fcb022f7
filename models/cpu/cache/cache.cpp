#include "models/cpu/cache/cache.h"

#include <stdexcept>

namespace vp::cache {

namespace {

bool is_pow2(uint32_t v) {
    return v != 0 && (v & (v - 1u)) == 0;
}

unsigned log2_floor(uint32_t v) {
    unsigned n = 0;
    while (v > 1u) {
        v >>= 1;
        ++n;
    }
    return n;
}

unsigned log2_ceil(uint32_t v) {
    return is_pow2(v) ? log2_floor(v) : log2_floor(v) + 1u;
}

// Smallest line the CCSIDR can describe: LineSize = 0 means 4 words (16 bytes).
constexpr uint32_t kMinLineBytes = 16;
// Largest encodable LineSize (3 bits): 2^(7 + 2) words.
constexpr uint32_t kMaxLineBytes =
    1u << (kCcsidrLineSizeMask + kCcsidrLineSizeBias + kBytesPerWordShift);

[[noreturn]] void bad(const CacheParams& p, const std::string& what) {
    throw std::invalid_argument("cache '" + p.name + "': " + what);
}

}  // namespace

const char* replacement_name(Replacement r) {
    switch (r) {
        case Replacement::lru:
            return "lru";
        case Replacement::random:
            return "random";
        case Replacement::round_robin:
            return "round_robin";
    }
    return "?";
}

const char* write_policy_name(WritePolicy w) {
    return w == WritePolicy::write_back ? "write_back" : "write_through";
}

const char* policy_name(Policy p) {
    switch (p) {
        case Policy::non_cacheable:
            return "non_cacheable";
        case Policy::write_back_write_allocate:
            return "write_back_write_allocate";
        case Policy::write_through:
            return "write_through";
        case Policy::write_back_no_write_allocate:
            return "write_back_no_write_allocate";
    }
    return "?";
}

const char* maint_op_name(MaintOp op) {
    switch (op) {
        case MaintOp::invalidate:
            return "invalidate";
        case MaintOp::clean:
            return "clean";
        case MaintOp::clean_invalidate:
            return "clean_invalidate";
    }
    return "?";
}

bool parse_replacement(const std::string& text, Replacement& out) {
    for (Replacement r : {Replacement::lru, Replacement::random, Replacement::round_robin}) {
        if (text == replacement_name(r)) {
            out = r;
            return true;
        }
    }
    return false;
}

bool parse_write_policy(const std::string& text, WritePolicy& out) {
    for (WritePolicy w : {WritePolicy::write_back, WritePolicy::write_through}) {
        if (text == write_policy_name(w)) {
            out = w;
            return true;
        }
    }
    return false;
}

// ---- Cortex-A8 / AM335x defaults -------------------------------------------------------------

CacheParams CacheParams::a8_l1i(std::string name) {
    CacheParams p;
    p.name = std::move(name);
    p.size_bytes = 32 * 1024;  // SPRUH73 §3.1.1: 32 KB, 4-way, 16-word lines
    p.ways = 4;
    p.line_bytes = 64;
    p.replacement = Replacement::random;
    p.hit_latency_cycles = 0;  // a fetch hit is hidden by the fetch pipeline (cache.md)
    p.write_policy = WritePolicy::write_back;
    p.allocate_on_write = false;
    p.read_only = true;  // CCSIDR of the A8 L1-I: RA only (0x200FE01A)
    p.seed = 0x1CAC4E01u;
    return p;
}

CacheParams CacheParams::a8_l1d(std::string name) {
    CacheParams p;
    p.name = std::move(name);
    p.size_bytes = 32 * 1024;
    p.ways = 4;
    p.line_bytes = 64;
    p.replacement = Replacement::random;
    p.hit_latency_cycles = 3;  // load-to-use; lmbench 3.0 ns at 1 GHz (am335x.md §16)
    p.write_policy = WritePolicy::write_back;
    p.allocate_on_write = false;  // CCSIDR of the A8 L1-D: WA = 0 (0xE00FE01A)
    p.read_only = false;
    p.seed = 0xDCAC4E01u;
    return p;
}

CacheParams CacheParams::a8_l2(std::string name) {
    CacheParams p;
    p.name = std::move(name);
    p.size_bytes = 256 * 1024;  // SPRUH73 §3.1.1: 256 KB, 8-way, 16-word lines
    p.ways = 8;
    p.line_bytes = 64;
    p.replacement = Replacement::random;
    p.hit_latency_cycles = 8;  // L1 miss replay (A8 TRM timing table): L2 hit = 3 + 8 = 11
    p.write_policy = WritePolicy::write_back;
    p.allocate_on_write = true;  // CCSIDR of the A8 L2: WA = 1 (0xF03FE03A)
    p.read_only = false;
    p.seed = 0x2CAC4E02u;
    return p;
}

// ---- Cache ---------------------------------------------------------------------------------

Cache::Cache(CacheParams p)
    : p_(std::move(p)),
      replacement_(p_.replacement),
      accesses_(p_.name + ".accesses", "lookups (bypassed non-cacheable accesses excluded)"),
      hits_(p_.name + ".hits", "lookups that hit"),
      misses_(p_.name + ".misses", "lookups that missed"),
      writebacks_(p_.name + ".writebacks", "dirty lines written back (evictions and maintenance)"),
      evictions_(p_.name + ".evictions", "valid lines replaced to make room"),
      hit_rate_(p_.name + ".hit_rate", "hits / accesses", [this] { return hit_rate(); }) {
    if (p_.name.empty()) bad(p_, "empty name (the statistics prefix)");
    if (!is_pow2(p_.line_bytes) || p_.line_bytes < kMinLineBytes || p_.line_bytes > kMaxLineBytes)
        bad(p_, "line_bytes " + std::to_string(p_.line_bytes) +
                    " must be a power of two from 16 to " + std::to_string(kMaxLineBytes));
    if (p_.ways == 0 || p_.ways > kCcsidrAssocMask + 1u)
        bad(p_, "ways " + std::to_string(p_.ways) + " must be 1 to " +
                    std::to_string(kCcsidrAssocMask + 1u));
    const uint64_t way_bytes = static_cast<uint64_t>(p_.ways) * p_.line_bytes;
    if (p_.size_bytes == 0 || p_.size_bytes % way_bytes != 0)
        bad(p_, "size_bytes " + std::to_string(p_.size_bytes) +
                    " must be a non-zero multiple of ways x line_bytes (" +
                    std::to_string(way_bytes) + ")");
    sets_ = static_cast<uint32_t>(p_.size_bytes / way_bytes);
    if (!is_pow2(sets_))
        bad(p_, "size_bytes / (ways x line_bytes) = " + std::to_string(sets_) +
                    " sets: must be a power of two");
    if (sets_ > kCcsidrNumSetsMask + 1u)
        bad(p_, std::to_string(sets_) + " sets: at most " +
                    std::to_string(kCcsidrNumSetsMask + 1u) + " (CCSIDR.NumSets)");
    line_shift_ = log2_floor(p_.line_bytes);
    set_bits_ = log2_floor(sets_);
    way_bits_ = log2_ceil(p_.ways);
    set_mask_ = sets_ - 1u;
    ways_pow2_ = is_pow2(p_.ways);
    lines_.assign(static_cast<size_t>(sets_) * p_.ways, Line{});
    stamps_.assign(lines_.size(), 0);
    rng_ = p_.seed ? p_.seed : 1u;  // xorshift needs a non-zero state
}

double Cache::hit_rate() const {
    const uint64_t n = accesses_.get();
    return n ? static_cast<double>(hits_.get()) / static_cast<double>(n) : 0.0;
}

uint32_t Cache::next_random() {
    // xorshift32 (Marsaglia 2003): deterministic for a given seed, no allocation.
    uint32_t x = rng_;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_ = x;
    return x;
}

uint32_t Cache::choose_victim(uint32_t set) {
    const Line* base = set_base(set);
    for (uint32_t w = 0; w < p_.ways; ++w)
        if (!(base[w].state & kValid)) return w;  // lowest invalid way first
    switch (replacement_) {
        case Replacement::lru: {
            const uint64_t* s = &stamps_[static_cast<size_t>(set) * p_.ways];
            uint32_t victim = 0;
            for (uint32_t w = 1; w < p_.ways; ++w)
                if (s[w] < s[victim]) victim = w;
            return victim;
        }
        case Replacement::round_robin: {
            const uint32_t victim = rr_next_;
            rr_next_ = (rr_next_ + 1u == p_.ways) ? 0u : rr_next_ + 1u;
            return victim;
        }
        case Replacement::random:
            break;
    }
    const uint32_t r = next_random();
    return ways_pow2_ ? (r & (p_.ways - 1u)) : (r % p_.ways);
}

Result Cache::access(uint32_t pa, bool write, Policy policy) {
    Result r;
    if (policy == Policy::non_cacheable) {
        r.bypass = true;
        r.write_to_next = write;
        return r;
    }
    if (write && p_.read_only)
        throw std::logic_error("cache '" + p_.name + "': write access to a read-only cache");
    r.latency_cycles = p_.hit_latency_cycles;
    ++accesses_;

    const uint32_t line = pa >> line_shift_;
    const uint32_t set = line & set_mask_;
    Line* base = set_base(set);
    // A write is kept dirty here only if both the page and this cache are write-back.
    const bool write_back =
        policy != Policy::write_through && p_.write_policy == WritePolicy::write_back;

    for (uint32_t w = 0; w < p_.ways; ++w) {
        Line& l = base[w];
        if ((l.state & kValid) && l.line == line) {
            ++hits_;
            r.hit = true;
            touch(set, w);
            if (write) {
                if (write_back)
                    l.state |= kDirty;
                else
                    r.write_to_next = true;
            }
            return r;
        }
    }

    ++misses_;
    const bool allocate =
        !write || (policy == Policy::write_back_write_allocate && p_.allocate_on_write);
    if (!allocate) {
        r.write_to_next = true;
        return r;
    }
    const uint32_t way = choose_victim(set);
    Line& v = base[way];
    if (v.state & kValid) {
        ++evictions_;
        r.evicted = true;
        if (v.state & kDirty) {
            ++writebacks_;
            r.evicted_dirty = v.line << line_shift_;
        }
    }
    v.line = line;
    v.state = kValid;
    r.allocated = true;
    touch(set, way);
    if (write) {
        if (write_back)
            v.state |= kDirty;
        else
            r.write_to_next = true;
    }
    return r;
}

Cache::Line* Cache::find(uint32_t pa) {
    const uint32_t line = pa >> line_shift_;
    Line* base = set_base(line & set_mask_);
    for (uint32_t w = 0; w < p_.ways; ++w)
        if ((base[w].state & kValid) && base[w].line == line) return &base[w];
    return nullptr;
}

const Cache::Line* Cache::find(uint32_t pa) const {
    const uint32_t line = pa >> line_shift_;
    const Line* base = set_base(line & set_mask_);
    for (uint32_t w = 0; w < p_.ways; ++w)
        if ((base[w].state & kValid) && base[w].line == line) return &base[w];
    return nullptr;
}

bool Cache::contains(uint32_t pa) const {
    return find(pa) != nullptr;
}

bool Cache::is_dirty(uint32_t pa) const {
    const Line* l = find(pa);
    return l && (l->state & kDirty);
}

bool Cache::merge_dirty(uint32_t pa) {
    Line* l = find(pa);
    if (!l) return false;
    l->state |= kDirty;
    return true;
}

std::optional<uint32_t> Cache::line_at(uint32_t set, uint32_t way) const {
    if (set >= sets_ || way >= p_.ways) return std::nullopt;
    const Line& l = set_base(set)[way];
    if (!(l.state & kValid)) return std::nullopt;
    return l.line << line_shift_;
}

bool Cache::dirty_at(uint32_t set, uint32_t way) const {
    if (set >= sets_ || way >= p_.ways) return false;
    const Line& l = set_base(set)[way];
    return (l.state & kValid) && (l.state & kDirty);
}

unsigned Cache::valid_lines() const {
    unsigned n = 0;
    for (const Line& l : lines_)
        if (l.state & kValid) ++n;
    return n;
}

MaintResult Cache::apply(Line& l, MaintOp op, const WritebackFn& wb) {
    MaintResult m;
    if (!(l.state & kValid)) return m;
    m.lines_matched = 1;
    const bool dirty = l.state & kDirty;
    if (op == MaintOp::invalidate) {
        if (dirty) m.dirty_discarded = 1;
        l.state = 0;
        return m;
    }
    if (dirty) {
        m.writebacks = 1;
        ++writebacks_;
        if (wb) wb(l.line << line_shift_);
    }
    l.state = (op == MaintOp::clean) ? kValid : 0;
    return m;
}

MaintResult Cache::maintain_line(uint32_t pa, MaintOp op, const WritebackFn& wb) {
    Line* l = find(pa);
    return l ? apply(*l, op, wb) : MaintResult{};
}

SetWay Cache::decode_set_way(uint32_t operand) const {
    SetWay sw;
    sw.level = (operand >> kSetWayLevelShift) & kSetWayLevelMask;
    sw.set = (operand >> line_shift_) & set_mask_;
    sw.way = way_bits_ ? (operand >> (32u - way_bits_)) : 0u;
    sw.way_valid = sw.way < p_.ways;
    return sw;
}

uint32_t Cache::encode_set_way(uint32_t level, uint32_t set, uint32_t way) const {
    uint32_t v =
        ((level & kSetWayLevelMask) << kSetWayLevelShift) | ((set & set_mask_) << line_shift_);
    if (way_bits_) v |= way << (32u - way_bits_);
    return v;
}

MaintResult Cache::maintain_set_way(uint32_t set, uint32_t way, MaintOp op, const WritebackFn& wb) {
    if (set >= sets_ || way >= p_.ways) return {};
    return apply(set_base(set)[way], op, wb);
}

MaintResult Cache::maintain_set_way(uint32_t operand, MaintOp op, const WritebackFn& wb) {
    const SetWay sw = decode_set_way(operand);
    if (!sw.way_valid) return {};
    return maintain_set_way(sw.set, sw.way, op, wb);
}

MaintResult Cache::maintain_all(MaintOp op, const WritebackFn& wb) {
    MaintResult total;
    for (Line& l : lines_) {
        const MaintResult m = apply(l, op, wb);
        total.lines_matched += m.lines_matched;
        total.writebacks += m.writebacks;
        total.dirty_discarded += m.dirty_discarded;
    }
    return total;
}

uint32_t Cache::ccsidr() const {
    uint32_t v = kCcsidrRa;  // every cacheable read allocates
    if (!p_.read_only) {
        v |= kCcsidrWt;  // write-through pages are honoured by every data cache
        if (p_.write_policy == WritePolicy::write_back) v |= kCcsidrWb;
        if (p_.allocate_on_write && p_.write_policy == WritePolicy::write_back) v |= kCcsidrWa;
    }
    v |= ((sets_ - 1u) & kCcsidrNumSetsMask) << kCcsidrNumSetsShift;
    v |= ((p_.ways - 1u) & kCcsidrAssocMask) << kCcsidrAssocShift;
    const unsigned words_log2 = line_shift_ - kBytesPerWordShift;
    v |= (words_log2 - kCcsidrLineSizeBias) & kCcsidrLineSizeMask;
    return v;
}

}  // namespace vp::cache
