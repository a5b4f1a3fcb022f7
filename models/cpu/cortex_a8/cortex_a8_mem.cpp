// Cortex-A8 model: memory accesses — translation (TLBs, timed table walks), the data paths of
// both timing modes, the bus (b_transport, DMI), block operations, instruction fetch and the
// inline fast path's fills and invalidations.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "models/core/tlm_util.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/cpu/mmu/permissions.h"

namespace vp {

namespace {

constexpr uint32_t kPageBytes = 1u << 12;  // the fast path's and the block operations' unit
constexpr uint32_t kPageOffsetMask = kPageBytes - 1u;
constexpr unsigned kPageShift = 12;
constexpr unsigned kMaxAccessBytes = 8;
constexpr unsigned kMaxLineBytes = 256;  // params.cpp checks the cache line sizes against it
// Consecutive "retry" answers of the abort handler for one access before it is an oops.
constexpr unsigned kMaxRetries = 64;
// Device block transfers use naturally aligned transactions of at most this size.
constexpr unsigned kDeviceBlockBytes = 4;
// Fast-path ranges removed by one TLB maintenance operation above which a whole flush is
// cheaper than targeted invalidation.
constexpr unsigned kMaxTargetedRanges = 8;

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Cortex-A8 model runs little-endian guests on little-endian hosts only"
#endif

// Guest data is little-endian (the AM335x runs LE); so is the host (checked above).
template <typename T>
inline T get(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <typename T>
inline void put(uint8_t* p, T v) {
    std::memcpy(p, &v, sizeof v);
}
// Each size is one load or store of that width: a wider read of narrower stores would stall
// the host's store forwarding.
inline uint64_t get_le(const uint8_t* p, unsigned n) {
    switch (n) {
        case 1:
            return p[0];
        case 2:
            return get<uint16_t>(p);
        case 4:
            return get<uint32_t>(p);
        case 8:
            return get<uint64_t>(p);
        default: {
            uint64_t v = 0;
            for (unsigned i = 0; i < n; ++i)
                v |= uint64_t{p[i]} << (8 * i);
            return v;
        }
    }
}
inline void put_le(uint8_t* p, uint64_t v, unsigned n) {
    switch (n) {
        case 1:
            p[0] = static_cast<uint8_t>(v);
            break;
        case 2:
            put(p, static_cast<uint16_t>(v));
            break;
        case 4:
            put(p, static_cast<uint32_t>(v));
            break;
        case 8:
            put(p, v);
            break;
        default:
            for (unsigned i = 0; i < n; ++i)
                p[i] = static_cast<uint8_t>(v >> (8 * i));
    }
}

bool valid_size(unsigned size) {
    return size != 0 && size <= kMaxAccessBytes && (size & (size - 1)) == 0;
}

}  // namespace

// ---- Loads and stores -------------------------------------------------------------------------

namespace {

// True when mmu::check would accept this access through an entry found in a TLB; false means
// "ask mmu::check" (which builds the fault, or may still accept). Only the common case is
// decided here: an aligned access in a Client or Manager domain. Aligned accesses cannot take
// either alignment fault, and the Access flag is only checked on fresh walks (permissions.h).
inline bool quick_permit(const mmu::TlbEntry& e, const mmu::MmuRegs& regs, uint32_t va,
                         mmu::AccessKind kind, bool priv, unsigned size) {
    if ((va & (size - 1u)) != 0 || e.kind == mmu::EntryKind::flat) return false;
    const uint32_t d = mmu::dacr::field(regs.dacr, e.domain);
    if (d == mmu::dacr::MANAGER) return true;
    if (d != mmu::dacr::CLIENT) return false;
    if (kind == mmu::AccessKind::fetch && e.xn) return false;
    const uint8_t need = kind == mmu::AccessKind::write ? mmu::perm::W : mmu::perm::R;
    return (mmu::ap_permissions(e.ap, (regs.sctlr & mmu::sctlr::AFE) != 0, priv) & need) != 0;
}

}  // namespace

bool CortexA8::quick_access(uint32_t va, unsigned size, bool write, uint64_t& value,
                            PreLookup& pre) {
    // The common slow-path case in one piece: MMU on, an aligned access that hits the D-TLB
    // with permission, to Normal RAM that the last DMI region covers (and, in approximate
    // mode, cacheable). Anything else — and every fault — goes the general way (access()),
    // which takes over the D-TLB lookup made here (`pre`), so each access counts exactly one
    // lookup; side effects and statistics are those of the general path.
    if ((regs_.sctlr & (mmu::sctlr::M | mmu::sctlr::A)) != mmu::sctlr::M || (va & (size - 1u)) != 0)
        return false;
    const mmu::TlbEntry* e = dtlb_->lookup(va, regs_.asid());
    pre = PreLookup{true, e};
    const mmu::AccessKind kind = write ? mmu::AccessKind::write : mmu::AccessKind::read;
    const bool priv = privileged();
    if (!e || e->attrs.type != mmu::MemType::normal ||
        !quick_permit(*e, regs_, va, kind, priv, size))
        return false;
    const uint32_t pa = e->translate(va);
    const DmiRegion& d = dmi_last_;
    if (pa < d.start || uint64_t{pa} + size - 1 > d.end || !(write ? d.write : d.read))
        return false;
    cache::Attrs ca{};
    if (approximate_) {
        ca = data_cache_attrs(e->attrs);
        if (ca.inner == cache::Policy::non_cacheable && ca.outer == cache::Policy::non_cacheable)
            return false;
    }
    pre.done = false;
    if (write)
        ++stores_;
    else
        ++loads_;
    uint8_t* host = d.ptr + (pa - d.start);
    if (approximate_) {
        local_cycles_ += caches_->data_access(pa, write, ca).cycles;  // aligned: one line
    } else {
        local_cycles_ += write ? params_.functional.store_cycles : params_.functional.load_cycles;
    }
    if (write)
        put_le(host, value, size);
    else
        value = get_le(host, size);
    if (fast_enabled_) fast_fill(*e, pa, va, priv);
    return true;
}

uint64_t CortexA8::load_slow(uint32_t va, unsigned size) {
    enter();
    PreLookup pre;
    uint64_t v = 0;
    if (quick_access(va, size, false, v, pre)) {
        leave();
        return v;
    }
    try {
        access(va, size, mmu::AccessKind::read, v, privileged(), false, &pre);
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
    return v;
}

void CortexA8::store_slow(uint32_t va, unsigned size, uint64_t value) {
    enter();
    PreLookup pre;
    if (quick_access(va, size, true, value, pre)) {
        leave();
        return;
    }
    try {
        access(va, size, mmu::AccessKind::write, value, privileged(), false, &pre);
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
}

bool CortexA8::try_load(uint32_t va, unsigned size, uint64_t& value, bool as_user) {
    if (!valid_size(size))
        throw std::invalid_argument(fmt::format("try_load: size {} is not 1, 2, 4 or 8", size));
    enter();
    bool ok = false;
    try {
        ok = access(va, size, mmu::AccessKind::read, value, privileged() && !as_user, true);
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
    return ok;
}

bool CortexA8::try_store(uint32_t va, unsigned size, uint64_t value, bool as_user) {
    if (!valid_size(size))
        throw std::invalid_argument(fmt::format("try_store: size {} is not 1, 2, 4 or 8", size));
    enter();
    bool ok = false;
    try {
        ok = access(va, size, mmu::AccessKind::write, value, privileged() && !as_user, true);
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
    return ok;
}

bool CortexA8::access(uint32_t va, unsigned size, mmu::AccessKind kind, uint64_t& value, bool priv,
                      bool is_try, PreLookup* pre) {
    if (kind == mmu::AccessKind::write)
        ++stores_;
    else
        ++loads_;
    mmu::Fault f;
    for (unsigned attempt = 0;; ++attempt) {
        if (attempt_access(va, size, kind, value, priv, f, pre)) return true;
        const hal::AbortAction a = deliver_abort(f, size, !priv);
        if (a == hal::AbortAction::retry) {
            if (attempt + 1 >= kMaxRetries)
                oops(f, size, !priv, "the abort handler kept answering retry");
            continue;
        }
        if (a == hal::AbortAction::fixup && is_try) return false;
        oops(f, size, !priv,
             a == hal::AbortAction::fixup ? "fixup of an access without an exception-table entry"
                                          : "the abort handler gave up");
    }
}

bool CortexA8::attempt_access(uint32_t va, unsigned size, mmu::AccessKind kind, uint64_t& value,
                              bool priv, mmu::Fault& fault, PreLookup* pre) {
    const bool write = kind == mmu::AccessKind::write;
    uint8_t buf[kMaxAccessBytes];
    if (write) put_le(buf, value, size);
    const uint32_t off = va & kPageOffsetMask;

    if (off + size <= kPageBytes) {
        Xlate x;
        if (!translate(va, kind, priv, size, x, pre)) {
            fault = *x.fault;
            return false;
        }
        if (!perform(x, va, size, write, buf, priv)) {
            fault = mmu::make_fault(mmu::FaultType::sync_external, va, kind, 0);
            return false;
        }
    } else {
        // An unaligned access across a 4 KB boundary: two translations (the second page may
        // fault on its own). Only Normal memory allows unaligned accesses.
        if (regs_.sctlr & mmu::sctlr::A) {
            fault = mmu::make_fault(mmu::FaultType::alignment, va, kind, 0);
            return false;
        }
        const unsigned n1 = kPageBytes - off;
        Xlate a, b;
        if (!translate(va, kind, priv, 1, a)) {
            fault = *a.fault;
            return false;
        }
        a.detach();  // the second translation may refill the TLB slot `a` points into
        if (!translate(va + n1, kind, priv, 1, b)) {
            fault = *b.fault;
            return false;
        }
        if (a.entry().attrs.is_device_or_so() || b.entry().attrs.is_device_or_so()) {
            fault = mmu::make_fault(mmu::FaultType::alignment, va, kind, 0);
            return false;
        }
        if (!perform(a, va, n1, write, buf, priv)) {
            fault = mmu::make_fault(mmu::FaultType::sync_external, va, kind, 0);
            return false;
        }
        if (!perform(b, va + n1, size - n1, write, buf + n1, priv)) {
            fault = mmu::make_fault(mmu::FaultType::sync_external, va + n1, kind, 0);
            return false;
        }
    }
    if (!write) value = get_le(buf, size);
    return true;
}

bool CortexA8::perform(const Xlate& x, uint32_t va, unsigned size, bool write, uint8_t* buf,
                       bool priv) {
    const mmu::MemAttrs& attrs = x.entry().attrs;
    if (attrs.type == mmu::MemType::normal) {
        if (approximate_) {
            const cache::Attrs ca = data_cache_attrs(attrs);
            if (ca.inner == cache::Policy::non_cacheable &&
                ca.outer == cache::Policy::non_cacheable)
                return bus_timed(write, x.pa, buf, size);  // Normal non-cacheable: the bus
            approximate_data_timing(x.pa, size, write, ca);
            return move_data(write, x.pa, buf, size);
        }
        local_cycles_ += write ? params_.functional.store_cycles : params_.functional.load_cycles;
        if (!move_data(write, x.pa, buf, size)) return false;
        // Fill the fast path on a D-TLB hit only (the page's second access): a page touched
        // once — a TLB-thrashing sweep — is not worth the fill.
        if (fast_enabled_ && x.hit) fast_fill(x.entry(), x.pa, va, priv);
        return true;
    }
    // Device / Strongly-ordered: never cached, always one bus transaction, in time.
    ++device_accesses_;
    if (params_.sync_on_device) sync(false);
    return bus_timed(write, x.pa, buf, size);
}

cache::Attrs CortexA8::data_cache_attrs(const mmu::MemAttrs& a) const {
    // SCTLR.C = 0 makes every data access non-cacheable (DDI 0406C B3.11.1).
    if (a.type != mmu::MemType::normal || (regs_.sctlr & mmu::sctlr::C) == 0)
        return cache::Attrs::non_cacheable();
    return {static_cast<cache::Policy>(a.inner), static_cast<cache::Policy>(a.outer)};
}

cache::Attrs CortexA8::fetch_cache_attrs(const mmu::MemAttrs& a) const {
    if (a.type != mmu::MemType::normal) return cache::Attrs::non_cacheable();
    return {static_cast<cache::Policy>(a.inner), static_cast<cache::Policy>(a.outer)};
}

void CortexA8::approximate_data_timing(uint32_t pa, size_t n, bool write, const cache::Attrs& ca) {
    const uint32_t line = caches_->l1d().line_bytes();
    const uint32_t last_byte = static_cast<uint32_t>(pa + n - 1);
    if (((pa ^ last_byte) & ~(line - 1u)) == 0) {  // the usual case: one line
        local_cycles_ += caches_->data_access(pa, write, ca).cycles;
        return;
    }
    const uint32_t first = pa & ~(line - 1u);
    const uint32_t last = last_byte & ~(line - 1u);
    for (uint32_t l = first;; l += line) {
        local_cycles_ += caches_->data_access(l == first ? pa : l, write, ca).cycles;
        if (l == last) break;
    }
}

// ---- Translation ------------------------------------------------------------------------------

bool CortexA8::translate(uint32_t va, mmu::AccessKind kind, bool priv, unsigned size, Xlate& x,
                         PreLookup* pre) {
    x.fault.reset();
    x.in_tlb = false;
    x.hit = false;
    if ((regs_.sctlr & mmu::sctlr::M) == 0) {
        // MMU off: VA = PA, Strongly-ordered data / Normal instructions (DDI 0406C B3.2.1).
        x.hold(mmu::flat_entry(regs_, va, kind));
        x.fault = mmu::check(x.entry(), regs_, va, kind, priv, size, true);
        x.pa = va;
        return !x.fault;
    }
    if (regs_.sctlr & mmu::sctlr::A) {
        if (auto f = mmu::check_alignment(regs_, va, kind, size)) {
            x.fault = f;
            return false;
        }
    }
    mmu::Tlb& tlb = kind == mmu::AccessKind::fetch ? *itlb_ : *dtlb_;
    const uint8_t asid = regs_.asid();
    const mmu::TlbEntry* hit = nullptr;
    if (pre && pre->done) {  // quick_access() looked the D-TLB up already (once per access)
        hit = pre->e;
        pre->done = false;
    } else {
        hit = tlb.lookup(va, asid);
    }
    if (hit) {
        x.e = hit;
        x.in_tlb = true;
        x.hit = true;
        if (!quick_permit(*hit, regs_, va, kind, priv, size)) {
            x.fault = mmu::check(*hit, regs_, va, kind, priv, size, false);
            if (x.fault) return false;
        }
    } else if (const mmu::TlbEntry* e2 = l2_tlb_ ? l2_tlb_->lookup(va, asid) : nullptr) {
        x.hold(*e2);
        x.in_tlb = fill_tlb(tlb, *x.e);
        if (!quick_permit(*x.e, regs_, va, kind, priv, size)) {
            x.fault = mmu::check(*x.e, regs_, va, kind, priv, size, false);
            if (x.fault) return false;
        }
    } else {
        if (!timed_walk(va, kind, x)) {
            x.fault = x.walk->fault;
            return false;
        }
        x.e = &x.walk->entry;
        // A fresh walk also checks the Access flag (SCTLR.AFE = 1 and AP[0] = 0).
        const bool af_ok = (regs_.sctlr & mmu::sctlr::AFE) == 0 || (x.e->ap & mmu::ap::AP0);
        if (!af_ok || !quick_permit(*x.e, regs_, va, kind, priv, size))
            x.fault = mmu::check(*x.e, regs_, va, kind, priv, size, true);
        // Entries that give an Access flag fault are never cached (permissions.h); those with
        // a Domain or Permission fault are, and check() finds the fault again on every hit.
        if (mmu::entry_cacheable(x.fault)) {
            x.in_tlb = fill_tlb(tlb, *x.e);
            if (l2_tlb_) l2_tlb_->insert(*x.e);
        }
        if (x.fault) return false;
    }
    x.pa = x.e->translate(va);
    return true;
}

bool CortexA8::fill_tlb(mmu::Tlb& tlb, const mmu::TlbEntry& e) {
    const int slot = tlb.insert(e);
    if (slot < 0) return false;  // every candidate slot locked: used once, not cached
    if (&tlb == dtlb_.get()) note_dtlb_slot(static_cast<unsigned>(slot), e);
    return true;
}

bool CortexA8::timed_walk(uint32_t va, mmu::AccessKind kind, Xlate& x) {
    walk_read_cycles_ = 0;
    const mmu::WalkResult& w = x.start_walk(regs_, va, kind, reader_, walk_cache_.get());
    const uint64_t overhead =
        approximate_ ? caches_->walk_overhead_cycles() : params_.functional.walk_overhead_cycles;
    local_cycles_ += overhead;
    const uint64_t total = overhead + walk_read_cycles_;
    ++walks_;
    if (kind == mmu::AccessKind::fetch)
        ++walks_inst_;
    else
        ++walks_data_;
    walk_cycles_ += total;
    walk_latency_.sample(total);
    if (!w.ok())
        ++walks_faulted_;
    else if (w.entry.level == 1)
        ++walks_section_;
    else
        ++walks_page_;
    return w.ok();
}

bool CortexA8::walk_read(uint32_t pa, uint32_t& value, bool cacheable_walk) {
    // One descriptor = one aligned 32-bit TLM read on the bus, always (visible to traces and
    // monitors). Its time: functional — a fixed cost; approximate — an L2 lookup when the walk
    // is cacheable (the A8 never walks through L1-D), plus the bus latency on an L2 miss
    // (the read is then issued from the cache model's memory callback), or the bus latency
    // alone for a non-cacheable walk.
    ++walk_reads_;
    uint8_t buf[4] = {};
    uint64_t cyc = 0;
    bool ok = false;
    if (approximate_ && cacheable_walk) {
        walk_fill_pending_ = true;
        walk_fill_pa_ = pa;
        walk_fill_buf_ = buf;
        const cache::AccessResult r =
            caches_->walk_access(pa, cache::Policy::write_back_write_allocate);
        if (walk_fill_pending_) {
            // L2 hit (or no L2): the descriptor still travels on the bus for its data.
            walk_fill_pending_ = false;
            uint64_t bus = 0;
            const bool bypass = r.level == cache::Level::bypass;
            ok = transport(tlm::TLM_READ_COMMAND, pa, buf, sizeof buf, bypass ? &bus : nullptr);
            cyc = bypass ? bus : r.cycles;
        } else {
            ok = walk_fill_ok_;
            cyc = r.cycles;
        }
    } else {
        uint64_t bus = 0;
        ok = transport(tlm::TLM_READ_COMMAND, pa, buf, sizeof buf, approximate_ ? &bus : nullptr);
        cyc = approximate_ ? bus : params_.functional.walk_read_cycles;
    }
    local_cycles_ += cyc;
    walk_read_cycles_ += cyc;
    if (!ok) {
        ++bus_errors_;
        return false;
    }
    value = static_cast<uint32_t>(get_le(buf, sizeof buf));
    return true;
}

uint64_t CortexA8::memory_callback(uint32_t line_pa, bool write) {
    uint64_t bus = 0;
    if (!write && walk_fill_pending_) {
        // The L2 missed on a descriptor read: that read is the memory access.
        walk_fill_pending_ = false;
        walk_fill_ok_ = transport(tlm::TLM_READ_COMMAND, walk_fill_pa_, walk_fill_buf_, 4, &bus);
        return bus;
    }
    uint8_t line[kMaxLineBytes];
    if (write) {
        // A write-back of a dirty line: memory already holds the data (the cache model keeps
        // no data), so the transaction writes the line's current content back, for its time.
        peek_physical(line_pa, line, line_bytes_);
        ++line_writebacks_;
        if (!transport(tlm::TLM_WRITE_COMMAND, line_pa, line, line_bytes_, &bus)) ++bus_errors_;
    } else {
        ++line_fills_;
        if (!transport(tlm::TLM_READ_COMMAND, line_pa, line, line_bytes_, &bus)) ++bus_errors_;
    }
    return bus;
}

// ---- Bus ------------------------------------------------------------------------------------

bool CortexA8::transport(tlm::tlm_command cmd, uint32_t pa, uint8_t* data, unsigned len,
                         uint64_t* bus_cycles) {
    setup_payload(payload_, cmd, pa, data, len);
    const sc_core::sc_time before = cycles_to_time(local_cycles_);
    sc_core::sc_time delay = before;
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    socket->b_transport(payload_, delay);
    const sc_core::sc_time t1 = sc_core::sc_time_stamp();
    if (t1 != t0) {
        // The target waited (allowed by the LT rules): the time it spent is synchronised
        // time now, taken out of this CPU's offset.
        const uint64_t waited = time_to_cycles(t1 - t0);
        synced_cycles_ += waited;
        local_cycles_ -= std::min(local_cycles_, waited);
    }
    if (bus_cycles) {
        const sc_core::sc_time end = t1 + delay;
        const sc_core::sc_time start = t0 + before;
        *bus_cycles = end > start ? time_to_cycles(end - start) : 0;
    }
    return payload_.is_response_ok();
}

bool CortexA8::bus_timed(bool write, uint32_t pa, uint8_t* data, unsigned len) {
    uint64_t bus = 0;
    const bool ok =
        transport(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, pa, data, len, &bus);
    local_cycles_ += bus;
    return ok;
}

bool CortexA8::move_data(bool write, uint32_t pa, uint8_t* data, unsigned len) {
    // The data of a RAM access whose time is already accounted: through DMI when granted,
    // otherwise one untimed b_transport (e.g. while the router is tracing).
    const DmiRegion& d = dmi_last_;
    uint8_t* host = (pa >= d.start && uint64_t{pa} + len - 1 <= d.end && (write ? d.write : d.read))
                        ? d.ptr + (pa - d.start)
                        : dmi_ptr(pa, len, write);
    if (host) {
        if (write)
            std::memcpy(host, data, len);
        else
            std::memcpy(data, host, len);
        return true;
    }
    return transport(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, pa, data, len,
                     nullptr);
}

void CortexA8::peek_physical(uint32_t pa, uint8_t* data, unsigned len) {
    if (uint8_t* host = dmi_ptr(pa, len, false)) {
        std::memcpy(data, host, len);
        return;
    }
    tlm::tlm_generic_payload p;
    setup_payload(p, tlm::TLM_READ_COMMAND, pa, data, len);
    if (socket->transport_dbg(p) != len) std::memset(data, 0, len);
}

uint8_t* CortexA8::dmi_ptr(uint32_t pa, unsigned len, bool write) {
    const uint64_t last = uint64_t{pa} + len - 1;
    for (const DmiRegion& d : dmi_)
        if (pa >= d.start && last <= d.end && (write ? d.write : d.read)) {
            dmi_last_ = d;
            return d.ptr + (pa - d.start);
        }
    for (const DmiRefusal& r : dmi_refused_)
        if (r.write == write && pa >= r.start && pa <= r.end) return nullptr;

    tlm::tlm_generic_payload p;
    setup_payload(p, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, pa, nullptr, 0);
    tlm::tlm_dmi dmi;
    const bool granted = socket->get_direct_mem_ptr(p, dmi);
    const uint64_t start = dmi.get_start_address();
    const uint64_t end = dmi.get_end_address();
    const bool usable = granted && dmi.get_dmi_ptr() != nullptr && start <= pa && last <= end &&
                        (write ? dmi.is_write_allowed() : dmi.is_read_allowed());
    if (!usable) {
        // Remember the refusal for the range the target named (at least this address).
        DmiRefusal r{std::min<uint64_t>(start, pa), std::max<uint64_t>(end, last), write};
        if (granted) r = DmiRefusal{pa, last, write};
        dmi_refused_.push_back(r);
        return nullptr;
    }
    dmi_.push_back(
        DmiRegion{start, end, dmi.get_dmi_ptr(), dmi.is_read_allowed(), dmi.is_write_allowed()});
    return dmi.get_dmi_ptr() + (pa - start);
}

void CortexA8::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    ++dmi_invalidations_;
    dmi_.erase(std::remove_if(dmi_.begin(), dmi_.end(),
                              [&](const DmiRegion& d) { return d.start <= end && start <= d.end; }),
               dmi_.end());
    dmi_refused_.clear();  // a target that invalidates may grant again
    dmi_last_ = DmiRegion{1, 0, nullptr, false, false};
    // Fast-path entries hold host pointers into DMI regions.
    fast_flush();
}

// ---- Block operations ---------------------------------------------------------------------------

bool CortexA8::block_move(const Xlate& x, uint8_t* host, size_t n, bool write) {
    const uint32_t pa = x.pa;
    if (x.entry().attrs.type != mmu::MemType::normal) {
        if (params_.sync_on_device) sync(false);
        for (size_t done = 0; done < n;) {
            const uint32_t a = pa + static_cast<uint32_t>(done);
            const unsigned len =
                ((a & (kDeviceBlockBytes - 1)) == 0 && n - done >= kDeviceBlockBytes)
                    ? kDeviceBlockBytes
                    : 1u;
            ++device_accesses_;
            if (!bus_timed(write, a, host + done, len)) return false;
            done += len;
        }
        return true;
    }
    const uint32_t line = line_bytes_;
    const uint32_t first = pa & ~(line - 1u);
    const uint32_t last = static_cast<uint32_t>(pa + n - 1) & ~(line - 1u);
    const uint64_t lines = (last - first) / line + 1;
    bool timed_bus = false;
    if (approximate_) {
        const cache::Attrs ca = data_cache_attrs(x.entry().attrs);
        if (ca.inner == cache::Policy::non_cacheable && ca.outer == cache::Policy::non_cacheable)
            timed_bus = true;
        else
            approximate_data_timing(pa, n, write, ca);
    } else {
        local_cycles_ += lines * params_.functional.block_line_cycles;
    }
    if (uint8_t* h = timed_bus ? nullptr : dmi_ptr(pa, static_cast<unsigned>(n), write)) {
        if (write)
            std::memcpy(h, host, n);
        else
            std::memcpy(host, h, n);
        return true;
    }
    // One transaction per cache line piece.
    for (size_t done = 0; done < n;) {
        const uint32_t a = pa + static_cast<uint32_t>(done);
        const unsigned len =
            static_cast<unsigned>(std::min<size_t>(n - done, line - (a & (line - 1u))));
        const bool ok = timed_bus ? bus_timed(write, a, host + done, len)
                                  : move_data(write, a, host + done, len);
        if (!ok) return false;
        done += len;
    }
    return true;
}

bool CortexA8::block_chunk(uint32_t va, uint8_t* host, size_t n, bool write, bool priv) {
    const mmu::AccessKind kind = write ? mmu::AccessKind::write : mmu::AccessKind::read;
    for (unsigned attempt = 0;; ++attempt) {
        Xlate x;
        translate(va, kind, priv, 1, x);
        std::optional<mmu::Fault> f = x.fault;
        if (!f && !block_move(x, host, n, write)) {
            ++bus_errors_;
            f = mmu::make_fault(mmu::FaultType::sync_external, va, kind, 0);
        }
        if (!f) return true;
        const hal::AbortAction a = deliver_abort(*f, 1, !priv);
        if (a != hal::AbortAction::retry || attempt + 1 >= kMaxRetries) return false;
    }
}

size_t CortexA8::block_rw(uint32_t va, uint8_t* host, size_t n, bool write, bool as_user) {
    enter();
    ++block_ops_;
    size_t done = 0;
    const bool priv = privileged() && !as_user;
    try {
        while (done < n) {
            const uint32_t cur = va + static_cast<uint32_t>(done);
            const size_t chunk = std::min<size_t>(n - done, kPageBytes - (cur & kPageOffsetMask));
            if (!block_chunk(cur, host + done, chunk, write, priv)) break;
            done += chunk;
            if (local_cycles_ >= quantum_cycles_) sync();
        }
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    block_bytes_ += done;
    leave();
    return done;
}

size_t CortexA8::read_block(uint32_t va, void* host, size_t n, bool as_user) {
    return block_rw(va, static_cast<uint8_t*>(host), n, false, as_user);
}

size_t CortexA8::write_block(uint32_t va, const void* host, size_t n, bool as_user) {
    // block_rw only reads from `host` when writing guest memory.
    return block_rw(va, const_cast<uint8_t*>(static_cast<const uint8_t*>(host)), n, true, as_user);
}

size_t CortexA8::fill(uint32_t va, uint8_t byte, size_t n, bool as_user) {
    enter();
    ++block_ops_;
    uint8_t pattern[kPageBytes];
    std::memset(pattern, byte, sizeof pattern);
    size_t done = 0;
    const bool priv = privileged() && !as_user;
    try {
        while (done < n) {
            const uint32_t cur = va + static_cast<uint32_t>(done);
            const size_t chunk = std::min<size_t>(n - done, kPageBytes - (cur & kPageOffsetMask));
            if (!block_chunk(cur, pattern, chunk, true, priv)) break;
            done += chunk;
            if (local_cycles_ >= quantum_cycles_) sync();
        }
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    block_bytes_ += done;
    leave();
    return done;
}

size_t CortexA8::copy(uint32_t dst_va, uint32_t src_va, size_t n, bool as_user) {
    enter();
    ++block_ops_;
    uint8_t bounce[kPageBytes];
    size_t done = 0;
    const bool priv = privileged() && !as_user;
    try {
        while (done < n) {
            const uint32_t s = src_va + static_cast<uint32_t>(done);
            const uint32_t d = dst_va + static_cast<uint32_t>(done);
            const size_t chunk = std::min({n - done, size_t{kPageBytes - (s & kPageOffsetMask)},
                                           size_t{kPageBytes - (d & kPageOffsetMask)}});
            if (!block_chunk(s, bounce, chunk, false, priv)) break;
            if (!block_chunk(d, bounce, chunk, true, priv)) break;
            done += chunk;
            if (local_cycles_ >= quantum_cycles_) sync();
        }
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    block_bytes_ += done;
    leave();
    return done;
}

// ---- Instruction fetch ------------------------------------------------------------------------

void CortexA8::fetch(uint32_t va, size_t bytes) {
    enter();
    ++fetches_;
    try {
        size_t done = 0;
        while (done < bytes) {
            const uint32_t cur = va + static_cast<uint32_t>(done);
            const size_t chunk =
                std::min<size_t>(bytes - done, kPageBytes - (cur & kPageOffsetMask));
            Xlate x;
            for (unsigned attempt = 0;; ++attempt) {
                if (translate(cur, mmu::AccessKind::fetch, privileged(), 1, x)) break;
                // A prefetch abort has no exception-table fixup: anything but retry is fatal.
                const hal::AbortAction a = deliver_abort(*x.fault, 1, !privileged());
                if (a != hal::AbortAction::retry || attempt + 1 >= kMaxRetries)
                    oops(*x.fault, 1, !privileged(), "prefetch abort");
            }
            const uint32_t line = line_bytes_;
            const uint32_t first = x.pa & ~(line - 1u);
            const uint32_t last = static_cast<uint32_t>(x.pa + chunk - 1) & ~(line - 1u);
            const uint64_t lines = (last - first) / line + 1;
            fetch_lines_ += lines;
            if (approximate_) {
                const cache::Attrs ca = fetch_cache_attrs(x.entry().attrs);
                for (uint32_t l = first;; l += line) {
                    const cache::AccessResult r = caches_->inst_fetch(l, ca);
                    if (r.level == cache::Level::bypass) {
                        uint8_t buf[kMaxLineBytes];
                        bus_timed(false, l, buf, line);  // a non-cacheable line fetch
                    } else {
                        local_cycles_ += r.cycles;
                    }
                    if (l == last) break;
                }
            } else {
                local_cycles_ += lines * params_.functional.fetch_line_cycles;
            }
            done += chunk;
            if (local_cycles_ >= quantum_cycles_) sync();
        }
    } catch (...) {
        fast_budget_ = 0;
        throw;
    }
    leave();
}

// ---- Fast path ----------------------------------------------------------------------------------

void CortexA8::fast_fill(const mmu::TlbEntry& entry, uint32_t pa, uint32_t va, bool priv) {
    // Only after an access that the D-TLB served (or just filled), to Normal memory with a DMI
    // pointer, for permissions proven now; every condition is re-established by the slow path
    // after any event that could change it (fast_flush and the invalidations below).
    const uint32_t vpage = va >> kPageShift;
    const unsigned idx = vpage & (kFastEntries - 1);
    const unsigned m =
        priv ? static_cast<unsigned>(hal::Mode::kernel) : static_cast<unsigned>(hal::Mode::user);
    const uint32_t page_va = va & ~kPageOffsetMask;
    const uint32_t page_pa = pa & ~kPageOffsetMask;
    for (const bool write : {false, true}) {
        FastEntry& e = write ? fast_write_[m][idx] : fast_read_[m][idx];
        if (e.page == vpage) continue;
        if (mmu::check(entry, regs_, page_va,
                       write ? mmu::AccessKind::write : mmu::AccessKind::read, priv, 1, false))
            continue;
        uint8_t* host = dmi_ptr(page_pa, kPageBytes, write);
        if (!host) continue;
        e.page = vpage;
        e.host = host;
        ++fast_fills_;
    }
}

void CortexA8::fast_flush() {
    flush_fast_path();
    ++fast_flushes_;
    fast_budget_ = 0;
}

void CortexA8::fast_invalidate_range(uint32_t va_base, uint32_t bytes) {
    const uint32_t first = va_base >> kPageShift;
    const uint32_t pages = std::max<uint32_t>(1, bytes >> kPageShift);
    auto clear_if = [&](FastEntry& e) {
        if (e.page != kNoPage && e.page - first < pages) e = FastEntry{};
    };
    if (pages >= kFastEntries) {
        for (unsigned m = 0; m < 2; ++m)
            for (unsigned i = 0; i < kFastEntries; ++i) {
                clear_if(fast_read_[m][i]);
                clear_if(fast_write_[m][i]);
            }
        return;
    }
    for (uint32_t p = first; p != first + pages; ++p) {
        const unsigned i = p & (kFastEntries - 1);
        for (unsigned m = 0; m < 2; ++m) {
            clear_if(fast_read_[m][i]);
            clear_if(fast_write_[m][i]);
        }
    }
}

void CortexA8::note_dtlb_slot(unsigned slot, const mmu::TlbEntry& e) {
    // The shadow mirrors every D-TLB slot. The entry that was in `slot` is gone (replaced):
    // the fast path must forget its pages so that a fast hit is always a D-TLB hit.
    if (slot >= dtlb_shadow_.size()) return;
    ShadowSlot& s = dtlb_shadow_[slot];
    if (s.valid && fast_enabled_) fast_invalidate_range(s.va_base, s.bytes);
    s = ShadowSlot{e.va_base, mmu::page_bytes(e.size), true};
}

void CortexA8::reconcile_dtlb() {
    // After a TLB maintenance operation: forget the fast-path pages of every D-TLB entry that
    // the operation removed (exact, and cheaper than a whole flush for one TLBIMVA).
    unsigned removed = 0;
    bool flushed = false;
    for (unsigned s = 0; s < dtlb_shadow_.size(); ++s) {
        ShadowSlot& sh = dtlb_shadow_[s];
        const mmu::TlbEntry* e = dtlb_->slot(s);
        if (sh.valid && e && e->va_base == sh.va_base && mmu::page_bytes(e->size) == sh.bytes)
            continue;
        if (sh.valid && fast_enabled_ && !flushed) {
            if (++removed > kMaxTargetedRanges) {
                fast_flush();
                flushed = true;
            } else {
                fast_invalidate_range(sh.va_base, sh.bytes);
            }
        }
        sh = e ? ShadowSlot{e->va_base, mmu::page_bytes(e->size), true} : ShadowSlot{};
    }
    fast_budget_ = 0;
}

unsigned CortexA8::fast_path_entries() const {
    unsigned n = 0;
    for (unsigned m = 0; m < 2; ++m)
        for (unsigned i = 0; i < kFastEntries; ++i)
            n += (fast_read_[m][i].page != kNoPage) + (fast_write_[m][i].page != kNoPage);
    return n;
}

}  // namespace vp
