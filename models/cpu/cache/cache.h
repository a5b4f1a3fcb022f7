// Timing model of one set-associative cache level: a tag array only (valid and dirty state per
// line, no data — data always comes from memory), used by the Cortex-A8 model in "approximate"
// mode on every access (docs/models/cache.md).
//
//   vp::cache::Cache l1d{vp::cache::CacheParams::a8_l1d()};
//   auto r = l1d.access(pa, /*write=*/false, vp::cache::Policy::write_back_write_allocate);
//   if (!r.hit) { … next level … }  if (r.evicted_dirty) { … write back *r.evicted_dirty … }
//
// Plain C++17, no SystemC. access() allocates nothing and costs a few tag compares: the geometry
// is reduced to shifts and masks when the cache is built.
//
// Facts used (sources in docs/models/cache.md):
//  - CCSIDR format (ARMv7, DDI 0406C B4.1, CCSIDR): WT[31] WB[30] RA[29] WA[28] NumSets-1[27:13]
//    Associativity-1[12:3] LineSize[2:0] = log2(words per line) - 2.
//  - Set/way operand of DCISW/DCCSW/DCCISW (DDI 0406C B4.2.1): way in [31:32-A], set in
//    [L+S-1:L], level - 1 in [3:1], with A = log2(ways) rounded up, L = log2(line bytes),
//    S = log2(sets).
//  - Allocation prefers the invalid line with the lowest way number; only a full set uses the
//    replacement policy (as ARM L1 caches do).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/core/stats.h"

namespace vp::cache {

// ---- Architectural encodings -------------------------------------------------------------

// CCSIDR fields (DDI 0406C B4.1, CCSIDR).
constexpr uint32_t kCcsidrWt = 1u << 31;  // supports write-through
constexpr uint32_t kCcsidrWb = 1u << 30;  // supports write-back
constexpr uint32_t kCcsidrRa = 1u << 29;  // supports read-allocate
constexpr uint32_t kCcsidrWa = 1u << 28;  // supports write-allocate
constexpr unsigned kCcsidrNumSetsShift = 13;
constexpr uint32_t kCcsidrNumSetsMask = 0x7FFFu;  // 15 bits: at most 32768 sets
constexpr unsigned kCcsidrAssocShift = 3;
constexpr uint32_t kCcsidrAssocMask = 0x3FFu;  // 10 bits: at most 1024 ways
constexpr uint32_t kCcsidrLineSizeMask = 0x7u;
constexpr unsigned kCcsidrLineSizeBias = 2;  // LineSize = log2(words) - 2
constexpr unsigned kBytesPerWordShift = 2;   // 4-byte words

// Set/way operand (DDI 0406C B4.2.1).
constexpr unsigned kSetWayLevelShift = 1;  // bits [3:1] hold (cache level - 1)
constexpr uint32_t kSetWayLevelMask = 0x7u;

// CSSELR (DDI 0406C B4.1, CSSELR): InD[0] (1 = instruction cache), Level[3:1] (level - 1).
constexpr uint32_t kCsselrInD = 1u << 0;
constexpr unsigned kCsselrLevelShift = 1;
constexpr uint32_t kCsselrLevelMask = 0x7u;

// CLIDR (DDI 0406C B4.1, CLIDR): Ctype<n> in bits [3n-1:3n-3], LoUIS[23:21], LoC[26:24],
// LoUU[29:27].
constexpr unsigned kClidrCtypeBits = 3;
constexpr uint32_t kClidrCtypeNone = 0;
constexpr uint32_t kClidrCtypeInstOnly = 1;
constexpr uint32_t kClidrCtypeDataOnly = 2;
constexpr uint32_t kClidrCtypeSeparate = 3;
constexpr uint32_t kClidrCtypeUnified = 4;
constexpr unsigned kClidrLoUisShift = 21;
constexpr unsigned kClidrLocShift = 24;
constexpr unsigned kClidrLouuShift = 27;

// ---- Parameters ----------------------------------------------------------------------------

enum class Replacement : uint8_t { lru, random, round_robin };
enum class WritePolicy : uint8_t { write_back, write_through };

// The cache policy of the page an access belongs to (one level of the memory attributes).
// The numeric values are the architectural 2-bit encoding of TEX[1:0]/C,B in the "1BB AA" form,
// NMRR.IRn/ORn and TTBR.RGN (DDI 0406C B3.8), the same as vp::mmu::CachePolicy, so the CPU
// model may convert with a static_cast.
enum class Policy : uint8_t {
    non_cacheable = 0,
    write_back_write_allocate = 1,
    write_through = 2,  // never allocates on a write miss
    write_back_no_write_allocate = 3,
};

const char* replacement_name(Replacement r);
const char* write_policy_name(WritePolicy w);
const char* policy_name(Policy p);
// Parses "lru" | "random" | "round_robin" (the YAML spelling); false on anything else.
bool parse_replacement(const std::string& text, Replacement& out);
bool parse_write_policy(const std::string& text, WritePolicy& out);

struct CacheParams {
    std::string name = "cache";  // statistics prefix, e.g. "cpu.l1d"
    uint32_t size_bytes = 32 * 1024;
    uint32_t ways = 4;
    uint32_t line_bytes = 64;
    Replacement replacement = Replacement::random;
    uint32_t hit_latency_cycles = 3;  // cost of a lookup at this level, hit or miss
    WritePolicy write_policy = WritePolicy::write_back;
    bool allocate_on_write = false;  // the cache can allocate on a write miss (CCSIDR.WA)
    bool read_only = false;          // an instruction cache: writes are a caller error
    uint32_t seed = 1;               // random replacement

    // Cortex-A8 as integrated in the AM335x (am335x.md §13/§16, SPRUH73 §3.1.1; latencies
    // calibrated in docs/models/cache.md).
    static CacheParams a8_l1i(std::string name = "cpu.l1i");
    static CacheParams a8_l1d(std::string name = "cpu.l1d");
    static CacheParams a8_l2(std::string name = "cpu.l2");
};

// ---- One cache level -----------------------------------------------------------------------

struct Result {
    bool hit = false;
    bool bypass = false;     // Policy::non_cacheable: not looked up, no state change
    bool allocated = false;  // the line was filled into this level by this access
    bool evicted = false;    // a valid line was replaced to make room
    // The access is a write that this level did not absorb (write-through, or a write miss
    // without allocation): the next level must see it.
    bool write_to_next = false;
    // Line address of a dirty victim that must be written back to the next level.
    std::optional<uint32_t> evicted_dirty;
    uint32_t latency_cycles = 0;  // this level only (0 on bypass)
};

enum class MaintOp : uint8_t { invalidate, clean, clean_invalidate };
const char* maint_op_name(MaintOp op);

struct MaintResult {
    unsigned lines_matched = 0;    // valid lines the operation applied to
    unsigned writebacks = 0;       // dirty lines written back (clean, clean+invalidate)
    unsigned dirty_discarded = 0;  // dirty lines dropped by a plain invalidate (data lost)
};

// Called with the line address of each dirty line that a maintenance operation writes back.
using WritebackFn = std::function<void(uint32_t line_pa)>;

// A decoded set/way operand.
struct SetWay {
    uint32_t level = 0;  // cache level - 1, as encoded in bits [3:1]
    uint32_t set = 0;
    uint32_t way = 0;
    bool way_valid = true;  // false when ways is not a power of two and way >= ways
};

class Cache {
  public:
    // Throws std::invalid_argument with a message naming the cache on a bad geometry.
    explicit Cache(CacheParams p);
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    // One access at physical address `pa` with the page's policy. Never allocates memory.
    // Throws std::logic_error for a write to a read-only (instruction) cache.
    Result access(uint32_t pa, bool write, Policy policy);

    // Maintenance by address (DCIMVAC/DCCMVAC/DCCIMVAC, ICIMVAU on the line holding `pa`).
    MaintResult maintain_line(uint32_t pa, MaintOp op, const WritebackFn& wb = {});
    MaintResult invalidate_line(uint32_t pa) { return maintain_line(pa, MaintOp::invalidate); }
    MaintResult clean_line(uint32_t pa, const WritebackFn& wb = {}) {
        return maintain_line(pa, MaintOp::clean, wb);
    }
    MaintResult clean_invalidate_line(uint32_t pa, const WritebackFn& wb = {}) {
        return maintain_line(pa, MaintOp::clean_invalidate, wb);
    }
    // Maintenance by set/way (DCISW/DCCSW/DCCISW): `operand` in the ARMv7 format; the level
    // field is not checked here (the hierarchy routes by level). A way beyond `ways` (only
    // possible with a non-power-of-two associativity) is a no-op.
    MaintResult maintain_set_way(uint32_t operand, MaintOp op, const WritebackFn& wb = {});
    MaintResult maintain_set_way(uint32_t set, uint32_t way, MaintOp op,
                                 const WritebackFn& wb = {});
    // Whole cache (ICIALLU, and the set/way loops software runs, in one call).
    MaintResult maintain_all(MaintOp op, const WritebackFn& wb = {});
    MaintResult invalidate_all() { return maintain_all(MaintOp::invalidate); }
    MaintResult clean_all(const WritebackFn& wb = {}) { return maintain_all(MaintOp::clean, wb); }

    // Set/way operand format for this geometry.
    SetWay decode_set_way(uint32_t operand) const;
    uint32_t encode_set_way(uint32_t level, uint32_t set, uint32_t way) const;

    // CCSIDR for this geometry and the policies it supports.
    uint32_t ccsidr() const;

    // Replacement can change at run time (SCTLR.RR); an LRU switched on starts from the
    // recency the lines had when LRU was last active.
    void set_replacement(Replacement r) { replacement_ = r; }
    Replacement replacement() const { return replacement_; }

    // Inspection (tests, debug views): no state change, no statistics.
    bool contains(uint32_t pa) const;
    bool is_dirty(uint32_t pa) const;
    std::optional<uint32_t> line_at(uint32_t set, uint32_t way) const;  // line address if valid
    bool dirty_at(uint32_t set, uint32_t way) const;
    // Marks the line holding `pa` dirty if present (a dirty line from the level above merged
    // into this one by a maintenance operation); returns whether it was present.
    bool merge_dirty(uint32_t pa);
    unsigned valid_lines() const;

    // Geometry.
    const CacheParams& params() const { return p_; }
    const std::string& name() const { return p_.name; }
    uint32_t sets() const { return sets_; }
    uint32_t ways() const { return p_.ways; }
    uint32_t line_bytes() const { return p_.line_bytes; }
    unsigned line_bits() const { return line_shift_; }  // L
    unsigned set_bits() const { return set_bits_; }     // S
    unsigned way_bits() const { return way_bits_; }     // A
    uint32_t set_of(uint32_t pa) const { return (pa >> line_shift_) & set_mask_; }
    uint32_t line_address(uint32_t pa) const { return pa & ~(p_.line_bytes - 1u); }
    uint32_t hit_latency() const { return p_.hit_latency_cycles; }

    // Statistics "<name>.accesses/.hits/.misses/.writebacks/.evictions/.hit_rate".
    uint64_t accesses() const { return accesses_.get(); }
    uint64_t hits() const { return hits_.get(); }
    uint64_t misses() const { return misses_.get(); }
    uint64_t writebacks() const { return writebacks_.get(); }
    uint64_t evictions() const { return evictions_.get(); }
    double hit_rate() const;

  private:
    static constexpr uint8_t kValid = 1u << 0;
    static constexpr uint8_t kDirty = 1u << 1;
    struct Line {
        uint32_t line = 0;  // pa >> line_shift (the full line number, so victims are addressable)
        uint8_t state = 0;
    };

    Line* set_base(uint32_t set) { return &lines_[static_cast<size_t>(set) * p_.ways]; }
    const Line* set_base(uint32_t set) const { return &lines_[static_cast<size_t>(set) * p_.ways]; }
    Line* find(uint32_t pa);
    const Line* find(uint32_t pa) const;
    uint32_t choose_victim(uint32_t set);
    void touch(uint32_t set, uint32_t way) {
        if (replacement_ == Replacement::lru)
            stamps_[static_cast<size_t>(set) * p_.ways + way] = ++clock_;
    }
    MaintResult apply(Line& l, MaintOp op, const WritebackFn& wb);
    uint32_t next_random();

    CacheParams p_;
    Replacement replacement_;
    uint32_t sets_ = 0;
    unsigned line_shift_ = 0;
    unsigned set_bits_ = 0;
    unsigned way_bits_ = 0;
    uint32_t set_mask_ = 0;
    bool ways_pow2_ = true;
    std::vector<Line> lines_;
    std::vector<uint64_t> stamps_;  // LRU recency per line (larger = more recent)
    uint64_t clock_ = 0;
    uint32_t rr_next_ = 0;  // round-robin: one victim counter for the whole cache
    uint32_t rng_ = 1;      // xorshift32 state

    stats::Counter accesses_;
    stats::Counter hits_;
    stats::Counter misses_;
    stats::Counter writebacks_;
    stats::Counter evictions_;
    stats::Formula hit_rate_;
};

}  // namespace vp::cache
