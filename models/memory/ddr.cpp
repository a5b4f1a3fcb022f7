#include "models/memory/ddr.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace vp {

const char* ddr_type_name(DdrType t) {
    return t == DdrType::ddr2 ? "ddr2" : "ddr3";
}

bool parse_ddr_type(const std::string& text, DdrType& out) {
    if (text == "ddr2")
        out = DdrType::ddr2;
    else if (text == "ddr3")
        out = DdrType::ddr3;
    else
        return false;
    return true;
}

const char* page_policy_name(PagePolicy p) {
    return p == PagePolicy::open ? "open" : "closed";
}

bool parse_page_policy(const std::string& text, PagePolicy& out) {
    if (text == "open")
        out = PagePolicy::open;
    else if (text == "closed")
        out = PagePolicy::closed;
    else
        return false;
    return true;
}

namespace {

unsigned log2u(uint64_t v) {
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        ++n;
    }
    return n;
}

[[noreturn]] void bad(const std::string& what, const std::string& key, const std::string& rule,
                      const std::string& got) {
    throw std::invalid_argument(what + "." + key + ": " + rule + " (got " + got + ")");
}

void check_geometry(const DdrGeometry& g, const std::string& what) {
    if (g.banks != 1 && g.banks != 2 && g.banks != 4 && g.banks != 8)
        bad(what, "geometry.banks", "must be 1, 2, 4 or 8", std::to_string(g.banks));
    if (g.row_bits < 9 || g.row_bits > 16)
        bad(what, "geometry.row_bits", "must be 9..16", std::to_string(g.row_bits));
    if (g.col_bits < 8 || g.col_bits > 11)
        bad(what, "geometry.col_bits", "must be 8..11", std::to_string(g.col_bits));
    if (g.bus_bytes != 2 && g.bus_bytes != 4)
        bad(what, "geometry.bus_bytes", "must be 2 (16-bit) or 4 (32-bit)",
            std::to_string(g.bus_bytes));
}

void check_timing(DdrType type, const DdrTiming& t, const std::string& what) {
    const std::pair<const char*, unsigned> fields[] = {
        {"cl", t.cl},     {"trcd", t.trcd}, {"trp", t.trp},   {"tras", t.tras}, {"trc", t.trc},
        {"trrd", t.trrd}, {"twr", t.twr},   {"twtr", t.twtr}, {"trtp", t.trtp}, {"cwl", t.cwl}};
    for (const auto& [key, v] : fields)
        if (v == 0 || v > 1024)
            bad(what, std::string("timing.") + key, "must be 1..1024 clocks", std::to_string(v));
    if (type == DdrType::ddr2 && t.cl < 2)
        bad(what, "timing.cl", "must be >= 2 for DDR2 (write latency is CL-1)",
            std::to_string(t.cl));
    if (t.burst_length != 4 && t.burst_length != 8)
        bad(what, "timing.burst_length", "must be 4 or 8", std::to_string(t.burst_length));
}

void check_refresh(const DdrRefresh& r, const std::string& what) {
    if (!(r.trefi_ns > 0) || !std::isfinite(r.trefi_ns))
        bad(what, "refresh.trefi", "must be a positive time", std::to_string(r.trefi_ns) + " ns");
    if (!(r.trfc_ns > 0) || !std::isfinite(r.trfc_ns))
        bad(what, "refresh.trfc", "must be a positive time", std::to_string(r.trfc_ns) + " ns");
}

void check_clock(double mhz, const std::string& what) {
    if (!(mhz > 0) || !std::isfinite(mhz) || mhz > 10000)
        bad(what, "clock_mhz", "must be in (0, 10000] MHz", std::to_string(mhz));
}

const DdrParams& checked(const DdrParams& p, const std::string& what) {
    validate_ddr_params(p, what);
    return p;
}

}  // namespace

void validate_ddr_params(const DdrParams& p, const std::string& what) {
    if (p.size == 0) bad(what, "size", "must be > 0", "0");
    check_clock(p.clock_mhz, what);
    check_geometry(p.geometry, what);
    check_timing(p.type, p.timing, what);
    if (p.controller_cycles > 100000)
        bad(what, "controller_cycles", "must be <= 100000", std::to_string(p.controller_cycles));
    check_refresh(p.refresh, what);
}

Ddr::Ddr(sc_core::sc_module_name name, const DdrParams& params)
    : sc_module(name),
      socket("socket"),
      params_(checked(params,
                      params.stat_prefix.empty() ? std::string(this->name()) : params.stat_prefix)),
      log_(this->name()),
      store_(params.size, false,
             params.stat_prefix.empty() ? std::string(this->name()) : params.stat_prefix, log_),
      banks_(params.geometry.banks),
      row_hits_(store_.stat_prefix() + ".row_hits", "accesses to the open row of their bank"),
      row_misses_(store_.stat_prefix() + ".row_misses",
                  "accesses to a bank with no open row (activate)"),
      row_conflicts_(store_.stat_prefix() + ".row_conflicts",
                     "accesses to a bank with another row open (precharge + activate)"),
      refreshes_(store_.stat_prefix() + ".refreshes", "auto-refresh commands"),
      row_hit_rate_(store_.stat_prefix() + ".row_hit_rate",
                    "row_hits / (row_hits + row_misses + row_conflicts)",
                    [this] {
                        const double all = static_cast<double>(row_hits_.get() + row_misses_.get() +
                                                               row_conflicts_.get());
                        return all > 0 ? static_cast<double>(row_hits_.get()) / all : 0.0;
                    }),
      latency_(store_.stat_prefix() + ".latency", "access latency in ns (b_transport)", 5.0, 100) {
    params_.stat_prefix = store_.stat_prefix();
    socket.register_b_transport(this, &Ddr::b_transport);
    socket.register_transport_dbg(this, &Ddr::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Ddr::get_direct_mem_ptr);
    res_ps_ = sc_core::sc_get_time_resolution().to_seconds() * 1e12;
    latency_.set_unit(res_ps_ * 1e-3);
    derive();
    if (params_.geometry.capacity() < params_.size)
        VP_LOG(log_, warning,
               "size {:#x} exceeds the geometry's capacity {:#x}: rows beyond row_bits are "
               "modelled as further rows",
               params_.size, params_.geometry.capacity());
}

unsigned Ddr::write_latency_cycles() const {
    return params_.type == DdrType::ddr2 ? params_.timing.cl - 1 : params_.timing.cwl;
}

void Ddr::derive() {
    const DdrTiming& t = params_.timing;
    const DdrGeometry& g = params_.geometry;
    const double tck_ps = 1e6 / params_.clock_mhz;
    tck_ = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(tck_ps / res_ps_)));
    ctrl_ = params_.controller_cycles * tck_;
    cl_ = t.cl * tck_;
    wl_ = write_latency_cycles() * tck_;
    trcd_ = t.trcd * tck_;
    trp_ = t.trp * tck_;
    tras_ = t.tras * tck_;
    trc_ = t.trc * tck_;
    trrd_ = t.trrd * tck_;
    twr_ = t.twr * tck_;
    twtr_ = t.twtr * tck_;
    trtp_ = t.trtp * tck_;
    burst_clocks_ = t.burst_length / 2;  // two beats per clock
    burst_ticks_ = burst_clocks_ * tck_;

    byte_bits_ = log2u(g.bus_bytes);
    burst_shift_ = log2u(static_cast<uint64_t>(t.burst_length) * g.bus_bytes);
    page_shift_ = byte_bits_ + g.col_bits;
    bank_shift_ = page_shift_;
    bank_mask_ = g.banks - 1;
    row_shift_ = bank_shift_ + log2u(g.banks);
    closed_page_ = params_.page_policy == PagePolicy::closed;

    const bool was_on = refresh_on_;
    refresh_on_ = params_.refresh.enabled;
    trefi_ = std::max<uint64_t>(
        1, static_cast<uint64_t>(std::llround(params_.refresh.trefi_ns * 1000.0 / res_ps_)));
    // tRFC in whole clocks, rounded up (what SDRAM_TIM_3.reg_t_rfc can hold).
    const double trfc_clocks = std::ceil(params_.refresh.trfc_ns * 1000.0 / tck_ps - 1e-9);
    trfc_ = static_cast<uint64_t>(std::max(1.0, trfc_clocks)) * tck_;
    if (refresh_on_ && !was_on) {
        // The first refresh falls one interval after refresh is (re)enabled.
        const uint64_t now = sc_core::sc_time_stamp().value();
        next_refresh_ = now + trefi_;
    }
}

void Ddr::invalidate_dmi() {
    if (socket.size() > 0) socket->invalidate_direct_mem_ptr(0, store_.size() - 1);
}

void Ddr::set_type(DdrType t) {
    configure(t, params_.geometry, params_.timing);
}

void Ddr::set_timing(const DdrTiming& t) {
    configure(params_.type, params_.geometry, t);
}

void Ddr::set_geometry(const DdrGeometry& g) {
    configure(params_.type, g, params_.timing);
}

void Ddr::configure(DdrType type, const DdrGeometry& g, const DdrTiming& tm) {
    const std::string& what = params_.stat_prefix;
    check_geometry(g, what);
    check_timing(type, tm, what);
    const bool geometry_changed =
        g.banks != params_.geometry.banks || g.col_bits != params_.geometry.col_bits ||
        g.bus_bytes != params_.geometry.bus_bytes || g.row_bits != params_.geometry.row_bits;
    params_.type = type;
    params_.geometry = g;
    params_.timing = tm;
    if (geometry_changed) {
        // A new address mapping: the open rows mean something else now.
        banks_.assign(g.banks, Bank{});
        if (g.capacity() < params_.size && log_.once("capacity"))
            VP_LOG(log_, warning, "geometry capacity {:#x} is below the DDR size {:#x}",
                   g.capacity(), params_.size);
    }
    derive();
    invalidate_dmi();
}

void Ddr::set_refresh(const DdrRefresh& r) {
    check_refresh(r, params_.stat_prefix);
    params_.refresh = r;
    derive();
}

void Ddr::set_page_policy(PagePolicy p) {
    params_.page_policy = p;
    derive();
}

void Ddr::set_clock_mhz(double mhz) {
    check_clock(mhz, params_.stat_prefix);
    params_.clock_mhz = mhz;
    derive();
    invalidate_dmi();
}

void Ddr::set_controller_cycles(unsigned n) {
    params_.controller_cycles = n;
    derive();
    invalidate_dmi();
}

void Ddr::close_all_rows() {
    for (Bank& b : banks_) {
        if (!b.open) continue;
        b.open = false;
        b.act_ok = std::max(b.act_ok, b.pre_ok + trp_);
    }
}

Ddr::Location Ddr::decode(uint64_t offset) const {
    Location l;
    l.column = static_cast<uint32_t>((offset >> byte_bits_) &
                                     ((uint64_t(1) << params_.geometry.col_bits) - 1));
    l.bank = static_cast<unsigned>((offset >> bank_shift_) & bank_mask_);
    l.row = offset >> row_shift_;
    return l;
}

sc_core::sc_time Ddr::dmi_read_latency() const {
    return sc_core::sc_time::from_value(ctrl_ + cl_ + burst_ticks_);
}

sc_core::sc_time Ddr::dmi_write_latency() const {
    return sc_core::sc_time::from_value(ctrl_ + wl_ + burst_ticks_);
}

void Ddr::refresh_until(uint64_t t0) {
    // Every refresh due up to t0 has happened; only the last one can still block.
    const uint64_t n = (t0 - next_refresh_) / trefi_ + 1;
    const uint64_t last = next_refresh_ + (n - 1) * trefi_;
    refreshes_ += n;
    next_refresh_ = last + trefi_;
    // REFRESH needs every bank precharged (tRP after a PRECHARGE) and tRC after an ACTIVATE.
    uint64_t start = last;
    uint64_t pre_done = 0;
    for (Bank& b : banks_) {
        start = std::max(start, b.act_ok);
        if (b.open) pre_done = std::max(pre_done, std::max(last, b.pre_ok) + trp_);
        b.open = false;
    }
    start = std::max(start, pre_done);
    const uint64_t done = start + trfc_;
    for (Bank& b : banks_)
        b.act_ok = std::max(b.act_ok, done);
}

inline uint64_t Ddr::segment(uint64_t addr, uint64_t bursts, bool write, uint64_t t0) {
    Bank& k = banks_[(addr >> bank_shift_) & bank_mask_];
    const uint64_t row = addr >> row_shift_;
    uint64_t tc;  // column command (READ/WRITE)
    if (k.open && k.row == row) {
        ++row_hits_;
        tc = std::max(t0, k.col_ok);
    } else {
        uint64_t ta = t0;  // ACTIVATE
        if (k.open) {
            ++row_conflicts_;
            ta = std::max(t0, k.pre_ok) + trp_;  // PRECHARGE, then tRP
        } else {
            ++row_misses_;
        }
        ta = std::max({ta, k.act_ok, rrd_ok_});
        k.open = true;
        k.row = row;
        k.act_ok = ta + trc_;
        k.pre_ok = ta + tras_;
        rrd_ok_ = ta + trrd_;
        ++counts_.activations;
        tc = ta + trcd_;
        k.col_ok = tc;
    }
    if (!write) tc = std::max(tc, wtr_ok_);
    const uint64_t lat = write ? wl_ : cl_;
    const uint64_t data_start = std::max(tc + lat, bus_free_);
    tc = data_start - lat;
    const uint64_t data_end = data_start + bursts * burst_ticks_;
    bus_free_ = data_end;
    counts_.data_cycles += bursts * burst_clocks_;
    if (write) {
        k.pre_ok = std::max(k.pre_ok, data_end + twr_);
        wtr_ok_ = data_end + twtr_;
    } else {
        // The last READ of the segment is issued (bursts-1) bursts after the first.
        k.pre_ok = std::max(k.pre_ok, tc + (bursts - 1) * burst_ticks_ + trtp_);
    }
    if (closed_page_) {
        // Auto-precharge as soon as allowed.
        k.open = false;
        k.act_ok = std::max(k.act_ok, k.pre_ok + trp_);
    }
    return data_end;
}

inline uint64_t Ddr::schedule(uint64_t addr, unsigned len, unsigned sw, bool write, uint64_t t) {
    const uint64_t t0 = t + ctrl_;
    if (refresh_on_ && t0 >= next_refresh_) refresh_until(t0);
    uint64_t end;
    if (sw < len) {
        // Streaming: the same `sw` bytes again and again, on one row.
        const uint64_t burst_bytes = uint64_t(1) << burst_shift_;
        end = segment(addr, (len + burst_bytes - 1) / burst_bytes, write, t0);
    } else {
        // One segment per row touched (page_bytes each); one burst per aligned block.
        const uint64_t last = addr + len - 1;
        const uint64_t page_mask = (uint64_t(1) << page_shift_) - 1;
        uint64_t a = addr;
        for (;;) {
            const uint64_t seg_last = std::min(last, a | page_mask);
            const uint64_t bursts = (seg_last >> burst_shift_) - (a >> burst_shift_) + 1;
            end = segment(a, bursts, write, t0);
            if (seg_last == last) break;
            a = seg_last + 1;
        }
    }
    if (write)
        ++counts_.writes;
    else
        ++counts_.reads;
    return end;
}

void Ddr::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    if (!store_.transport(p)) return;  // error responses take no DDR time
    const tlm::tlm_command cmd = p.get_command();
    if (cmd == tlm::TLM_IGNORE_COMMAND) return;
    const uint64_t t = sc_core::sc_time_stamp().value() + delay.value();
    const uint64_t end = schedule(p.get_address(), p.get_data_length(), p.get_streaming_width(),
                                  cmd == tlm::TLM_WRITE_COMMAND, t);
    const uint64_t lat = end - t;
    latency_.sample(lat);
    if (lat != last_lat_) {
        last_lat_ = lat;
        last_lat_time_ = sc_core::sc_time::from_value(lat);
    }
    delay += last_lat_time_;
}

unsigned Ddr::transport_dbg(tlm::tlm_generic_payload& p) {
    return store_.debug_transport(p);
}

bool Ddr::get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
    if (!store_.direct_mem(p, dmi)) return false;
    dmi.set_read_latency(dmi_read_latency());
    dmi.set_write_latency(dmi_write_latency());
    return true;
}

}  // namespace vp
