#include "models/interconnect/router.h"

#include <cstring>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace vp {

namespace {

// 32-bit physical address space of the AM335x (SPRUH73 §2.1 memory map).
constexpr uint64_t kAddressSpaceEnd = uint64_t{1} << 32;
constexpr uint64_t kMaxAddress = std::numeric_limits<uint64_t>::max();

// Calibration of am335x_domains() (docs/models/router.md). Clock rates: SPRUH73 §8 /
// reference am335x.md §12 (L3F = CORE_CLKOUTM4 = 200 MHz; L3S, L4LS, L4_WKUP, L4FW =
// M4 / 2 = 100 MHz; L4_FAST (L4HS) = 200 MHz).
constexpr double kL3fPeriodNs = 5.0;
constexpr double kL3sPeriodNs = 10.0;
constexpr double kL4PerPeriodNs = 10.0;
constexpr double kL4WkupPeriodNs = 10.0;
constexpr double kL4FwPeriodNs = 10.0;
constexpr double kL4FastPeriodNs = 5.0;
// Hop cycles: OCMC (on L3F) 26 x 5 = 130 ns; L4_PER 130 + 2 x 10 + 2 x 10 = 170 ns;
// L4_WKUP 130 + 20 + 4 x 10 = 190 ns (PRU-measured: 135 / 170 / 190 ns, am335x.md §16).
constexpr unsigned kL3fHopCycles = 26;
constexpr unsigned kL3sHopCycles = 2;
constexpr unsigned kL4PerHopCycles = 2;
constexpr unsigned kL4WkupHopCycles = 4;
constexpr unsigned kL4FwHopCycles = 2;
constexpr unsigned kL4FastHopCycles = 2;
// Occupancy: a pipelined NoC accepts one request per cycle; an L4 (single-threaded OCP
// target port) is held for a command and a response cycle.
constexpr unsigned kL3OccupancyCycles = 1;
constexpr unsigned kL4OccupancyCycles = 2;

const char* const kUnmappedName = "unmapped";

const char* command_name(tlm::tlm_command c) {
    switch (c) {
        case tlm::TLM_READ_COMMAND:
            return "read";
        case tlm::TLM_WRITE_COMMAND:
            return "write";
        default:
            return "ignore";
    }
}

bool bad_name(const std::string& s) {
    return s.empty() || s.find_first_of(" \t\r\n") != std::string::npos;
}

}  // namespace

std::vector<DomainParams> am335x_domains() {
    using sc_core::SC_NS;
    using sc_core::sc_time;
    return {
        {kDomainL3F, "", sc_time(kL3fPeriodNs, SC_NS), kL3fHopCycles, kL3OccupancyCycles},
        {kDomainL3S, kDomainL3F, sc_time(kL3sPeriodNs, SC_NS), kL3sHopCycles, kL3OccupancyCycles},
        {kDomainL4Per, kDomainL3S, sc_time(kL4PerPeriodNs, SC_NS), kL4PerHopCycles,
         kL4OccupancyCycles},
        {kDomainL4Wkup, kDomainL3S, sc_time(kL4WkupPeriodNs, SC_NS), kL4WkupHopCycles,
         kL4OccupancyCycles},
        {kDomainL4Fw, kDomainL3S, sc_time(kL4FwPeriodNs, SC_NS), kL4FwHopCycles,
         kL4OccupancyCycles},
        {kDomainL4Fast, kDomainL3F, sc_time(kL4FastPeriodNs, SC_NS), kL4FastHopCycles,
         kL4OccupancyCycles},
    };
}

// ---------------------------------------------------------------------------------------
// Internal state

struct Router::Domain {
    Domain(const std::string& prefix, const DomainParams& p, int parent_index)
        : name(p.name),
          parent(parent_index),
          period(p.period),
          hop_cycles(p.hop_cycles),
          occupancy_cycles(p.occupancy_cycles),
          hop_latency(p.period * static_cast<double>(p.hop_cycles)),
          occupancy(p.period * static_cast<double>(p.occupancy_cycles)),
          transactions(prefix + "." + p.name + ".transactions",
                       "transactions that crossed this domain"),
          contention_ns(prefix + "." + p.name + ".contention_ns",
                        "ns transactions waited for this domain to be free") {}

    inline sc_core::sc_time pass(sc_core::sc_time& t, uint64_t units_per_ns);

    void add_wait(const sc_core::sc_time& w, uint64_t units_per_ns) {
        wait_remainder += w.value();
        contention_ns += wait_remainder / units_per_ns;
        wait_remainder %= units_per_ns;
    }

    std::string name;
    int parent;
    sc_core::sc_time period;
    unsigned hop_cycles;
    unsigned occupancy_cycles;
    sc_core::sc_time hop_latency;
    sc_core::sc_time occupancy;
    // The current busy period: back-to-back occupancy from period_start to busy_until.
    sc_core::sc_time period_start = sc_core::SC_ZERO_TIME;
    sc_core::sc_time busy_until = sc_core::SC_ZERO_TIME;
    uint64_t wait_remainder = 0;  // time-resolution units below 1 ns not yet counted
    stats::Counter transactions;
    stats::Counter contention_ns;
};

struct Router::Path {
    std::vector<Domain*> domains;  // in the order a transaction crosses them
    sc_core::sc_time latency = sc_core::SC_ZERO_TIME;
    bool occupies = false;  // some domain on it has an occupancy
};

struct Router::Region {
    Region(const std::string& prefix, const RegionParams& p, int domain_index, unsigned out_port)
        : name(p.name),
          base(p.base),
          size(p.size),
          last(p.base + p.size - 1),
          domain(domain_index),
          port(out_port),
          reads(prefix + ".region." + p.name + ".reads", "reads routed to this region"),
          writes(prefix + ".region." + p.name + ".writes", "writes routed to this region") {}

    std::string name;
    uint64_t base;
    uint64_t size;
    uint64_t last;  // inclusive end
    int domain;
    unsigned port;
    tlm::tlm_fw_transport_if<>* target = nullptr;  // out[port], set at end of elaboration
    bool crossing_logged = false;
    stats::Counter reads;
    stats::Counter writes;
};

struct Router::Initiator {
    std::string name;
    int domain = -1;            // -1 = the root domain
    const Path* row = nullptr;  // paths_ from its domain, indexed by the target's domain
};

// ---------------------------------------------------------------------------------------
// Construction

Router::Router(sc_core::sc_module_name name, const RouterParams& params)
    : sc_module(name),
      in("in"),
      out("out"),
      stat_prefix_(params.stat_prefix),
      log_(this->name()),
      transactions_(params.stat_prefix + ".transactions", "transactions routed (not debug)"),
      decode_errors_(params.stat_prefix + ".decode_errors",
                     "transactions to an unmapped address or crossing a region end"),
      units_per_ns_(std::max<uint64_t>(1, sc_core::sc_time(1, sc_core::SC_NS).value())),
      simc_(sc_core::sc_get_curr_simcontext()) {
    in.register_b_transport(this, &Router::b_transport);
    in.register_transport_dbg(this, &Router::transport_dbg);
    in.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    out.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
    hole_logged_.assign(1, 0);
    unmapped_read_zero_ = params.unmapped_read_zero;
    for (const auto& d : params.domains)
        add_domain(d);
}

Router::~Router() = default;

int Router::find_domain(const std::string& name) const {
    for (size_t i = 0; i < domains_.size(); ++i)
        if (domains_[i]->name == name) return static_cast<int>(i);
    return -1;
}

void Router::add_domain(const DomainParams& d) {
    if (bad_name(d.name))
        throw std::invalid_argument(
            fmt::format("{}: domain name '{}' is empty or has blanks", name(), d.name));
    if (find_domain(d.name) >= 0)
        throw std::invalid_argument(
            fmt::format("{}: domain '{}' is defined twice", name(), d.name));
    if (d.period <= sc_core::SC_ZERO_TIME)
        throw std::invalid_argument(
            fmt::format("{}: domain '{}' needs a clock period > 0", name(), d.name));
    int parent = -1;
    if (d.parent.empty()) {
        if (root_ >= 0)
            throw std::invalid_argument(
                fmt::format("{}: domain '{}' has no parent, but '{}' is already the root", name(),
                            d.name, domains_[root_]->name));
    } else {
        parent = find_domain(d.parent);
        if (parent < 0)
            throw std::invalid_argument(
                fmt::format("{}: parent '{}' of domain '{}' is unknown (add parents first)", name(),
                            d.parent, d.name));
    }
    domains_.push_back(std::make_unique<Domain>(stat_prefix_, d, parent));
    if (parent < 0) root_ = static_cast<int>(domains_.size() - 1);
    rebuild_paths();
}

void Router::rebuild_paths() {
    const size_t n = domains_.size();
    paths_.assign(n * n, Path{});
    auto chain = [this](int d) {  // d, parent(d), …, root
        std::vector<int> c;
        for (; d >= 0; d = domains_[d]->parent)
            c.push_back(d);
        return c;
    };
    for (size_t from = 0; from < n; ++from) {
        const std::vector<int> up = chain(static_cast<int>(from));
        for (size_t to = 0; to < n; ++to) {
            const std::vector<int> down = chain(static_cast<int>(to));
            Path& p = paths_[from * n + to];
            // Lowest common ancestor: the first domain of `up` that is also in `down`.
            size_t ui = 0;
            for (; ui < up.size(); ++ui)
                if (std::find(down.begin(), down.end(), up[ui]) != down.end()) break;
            std::vector<int> order(
                up.begin(), up.begin() + static_cast<std::ptrdiff_t>(std::min(ui + 1, up.size())));
            if (ui < up.size()) {
                const auto lca = std::find(down.begin(), down.end(), up[ui]);
                for (auto it = std::make_reverse_iterator(lca); it != down.rend(); ++it)
                    order.push_back(*it);
            }
            for (int d : order) {
                Domain* dom = domains_[static_cast<size_t>(d)].get();
                p.domains.push_back(dom);
                p.latency += dom->hop_latency;
                if (dom->occupancy_cycles != 0) p.occupies = true;
            }
        }
    }
    for (auto& ini : initiators_)
        refresh_row(*ini);
}

void Router::refresh_row(Initiator& ini) {
    const int d = ini.domain < 0 ? root_ : ini.domain;
    ini.row = d < 0 ? nullptr : &paths_[static_cast<size_t>(d) * domains_.size()];
}

void Router::map(const RegionParams& r, TargetSocket& target) {
    if (elaborated_)
        throw std::logic_error(
            fmt::format("{}: region '{}' mapped after elaboration", name(), r.name));
    if (bad_name(r.name))
        throw std::invalid_argument(
            fmt::format("{}: region name '{}' is empty or has blanks", name(), r.name));
    for (const auto& other : regions_)
        if (other->name == r.name)
            throw std::invalid_argument(
                fmt::format("{}: region '{}' is mapped twice", name(), r.name));
    if (r.size == 0)
        throw std::invalid_argument(fmt::format("{}: region '{}' has size 0", name(), r.name));
    if (r.size > kAddressSpaceEnd || r.base > kAddressSpaceEnd - r.size)
        throw std::invalid_argument(
            fmt::format("{}: region '{}' ({:#x} + {:#x}) leaves the 32-bit address space", name(),
                        r.name, r.base, r.size));
    const int dom = find_domain(r.domain);
    if (dom < 0)
        throw std::invalid_argument(
            fmt::format("{}: region '{}' names unknown domain '{}'", name(), r.name, r.domain));
    const uint64_t last = r.base + r.size - 1;
    // Neighbours: the last region starting at or below r.base, and the first above it.
    const auto above = std::upper_bound(bases_.begin(), bases_.end(), r.base);
    const size_t k = static_cast<size_t>(above - bases_.begin());
    const Region* clash = nullptr;
    if (k > 0 && sorted_[k - 1]->last >= r.base) clash = sorted_[k - 1];
    if (!clash && k < sorted_.size() && sorted_[k]->base <= last) clash = sorted_[k];
    if (clash)
        throw std::invalid_argument(
            fmt::format("{}: region '{}' [{:#010x}-{:#010x}] overlaps region '{}' "
                        "[{:#010x}-{:#010x}]",
                        name(), r.name, r.base, last, clash->name, clash->base, clash->last));

    const auto port = static_cast<unsigned>(regions_.size());
    auto region = std::make_unique<Region>(stat_prefix_, r, dom, port);
    out.bind(target);
    sorted_.insert(sorted_.begin() + static_cast<std::ptrdiff_t>(k), region.get());
    bases_.insert(bases_.begin() + static_cast<std::ptrdiff_t>(k), r.base);
    regions_.push_back(std::move(region));
    hole_logged_.assign(sorted_.size() + 1, 0);
    last_ = nullptr;
}

Unimplemented& Router::map_unimplemented(const RegionParams& r, UnimplementedParams params) {
    if (bad_name(r.name))
        throw std::invalid_argument(
            fmt::format("{}: region name '{}' is empty or has blanks", name(), r.name));
    for (const auto& other : regions_)
        if (other->name == r.name)
            throw std::invalid_argument(
                fmt::format("{}: region '{}' is mapped twice", name(), r.name));
    params.size = r.size == 0 ? 1 : r.size;  // map() reports a size of 0
    if (params.stat_prefix.empty()) params.stat_prefix = r.name;
    // SystemC object names cannot hold the hierarchy separator.
    std::string module_name = r.name;
    std::replace(module_name.begin(), module_name.end(), '.', '_');
    auto target = std::make_unique<Unimplemented>(module_name.c_str(), params);
    map(r, target->socket);
    unimplemented_.push_back(std::move(target));
    return *unimplemented_.back();
}

Router::Initiator& Router::initiator(int port) {
    const auto i = static_cast<size_t>(port);
    if (i >= initiators_.size()) {
        const size_t old = initiators_.size();
        initiators_.resize(i + 1);
        for (size_t j = old; j <= i; ++j) {
            initiators_[j] = std::make_unique<Initiator>();
            initiators_[j]->name = fmt::format("port{}", j);
            refresh_row(*initiators_[j]);
        }
    }
    return *initiators_[i];
}

void Router::name_initiator(unsigned port, const std::string& name) {
    if (name.empty())
        throw std::invalid_argument(
            fmt::format("{}: empty name for initiator port {}", this->name(), port));
    initiator(static_cast<int>(port)).name = name;
}

void Router::set_initiator_domain(unsigned port, const std::string& domain) {
    const int d = find_domain(domain);
    if (d < 0)
        throw std::invalid_argument(
            fmt::format("{}: initiator port {} attached to unknown "
                        "domain '{}'",
                        name(), port, domain));
    Initiator& ini = initiator(static_cast<int>(port));
    ini.domain = d;
    refresh_row(ini);
}

void Router::end_of_elaboration() {
    const unsigned bound = out.size();
    if (bound != regions_.size()) {
        VP_LOG(log_, error,
               "{} target(s) bound to 'out' but {} region(s) mapped: bind targets only "
               "through map(); the router answers every access with an error",
               bound, regions_.size());
    } else {
        for (auto& r : regions_)
            r->target = out[static_cast<int>(r->port)];
    }
    if (in.size() > 0) initiator(static_cast<int>(in.size()) - 1);  // name every port
    elaborated_ = true;
}

// ---------------------------------------------------------------------------------------
// Tracing

void Router::set_trace_sink(TraceSink* sink) {
    sink_ = sink;
    set_trace_enabled(sink != nullptr);
}

void Router::set_trace_enabled(bool on) {
    const bool was = tracing();
    trace_enabled_ = on;
    tracing_ = sink_ != nullptr && trace_enabled_;
    // Pointers granted before tracing would let accesses bypass the trace.
    if (!was && tracing_ && elaborated_) invalidate_all_initiators(0, kMaxAddress);
}

void Router::emit_trace(const Initiator& ini, std::string_view target,
                        const tlm::tlm_generic_payload& p, const sc_core::sc_time& entry_delay,
                        const sc_core::sc_time& latency) {
    TraceEvent e{sc_core::sc_time_stamp() + entry_delay,
                 ini.name,
                 target,
                 p.get_command(),
                 p.get_address(),
                 p.get_data_length(),
                 p.get_data_ptr(),
                 p.get_response_status(),
                 latency};
    sink_->on_transaction(e);
}

// ---------------------------------------------------------------------------------------
// Decode

Router::Region* Router::decode(uint64_t addr) const {
    // Last hit first (unsigned arithmetic: addr < base wraps to a huge offset).
    if (last_ && addr - last_->base < last_->size) return last_;
    const auto above = std::upper_bound(bases_.begin(), bases_.end(), addr);
    if (above == bases_.begin()) return nullptr;
    Region* r = sorted_[static_cast<size_t>(above - bases_.begin()) - 1];
    if (addr - r->base >= r->size) return nullptr;
    last_ = r;
    return r;
}

std::string Router::hole_name(size_t k) const {
    if (sorted_.empty()) return "(no region mapped)";
    if (k == 0) return fmt::format("below '{}' (< {:#010x})", sorted_[0]->name, sorted_[0]->base);
    const Region* lo = sorted_[k - 1];
    if (k == sorted_.size()) return fmt::format("above '{}' (> {:#010x})", lo->name, lo->last);
    const Region* hi = sorted_[k];
    return fmt::format("between '{}' and '{}' ({:#010x}-{:#010x})", lo->name, hi->name,
                       lo->last + 1, hi->base - 1);
}

std::string Router::region_at(uint64_t address) const {
    const Region* r = decode(address);
    return r ? r->name : std::string();
}

// ---------------------------------------------------------------------------------------
// Transport

// The contention model of one domain for a transaction reaching it at `t`: returns the
// wait and moves `t` to when the transaction leaves the domain.
inline sc_core::sc_time Router::Domain::pass(sc_core::sc_time& t, uint64_t units_per_ns) {
    ++transactions;
    sc_core::sc_time w = sc_core::SC_ZERO_TIME;
    if (occupancy_cycles != 0) {
        if (t >= busy_until) {
            // Free: a new busy period starts.
            period_start = t;
            busy_until = t + occupancy;
        } else if (t >= period_start) {
            // Busy: wait until the transactions ahead have gone through.
            w = busy_until - t;
            add_wait(w, units_per_ns);
            t = busy_until;
            busy_until += occupancy;
        }
        // else: stamped before the current busy period began (an initiator lagging behind
        // in decoupled time): it went first, it does not wait.
    }
    t += hop_latency;
    return w;
}

void Router::b_transport(int port, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    ++transactions_;
    const auto pi = static_cast<size_t>(port);
    const uint64_t addr = p.get_address();
    Region* const r = decode(addr);
    // One test for everything unusual: unknown port, unmapped, past the region's end
    // (streaming width taken into account), target not bound yet.
    const unsigned len = p.get_data_length();
    const unsigned sw = p.get_streaming_width();
    if (pi >= initiators_.size() || !r || (sw < len ? sw : len) > r->size - (addr - r->base) ||
        !r->target || sw == 0) {
        b_transport_slow(port, p, delay, r);
        return;
    }
    forward(*initiators_[pi], *r, p, delay);
}

inline void Router::forward(const Initiator& ini, Region& r, tlm::tlm_generic_payload& p,
                            sc_core::sc_time& delay) {
    const uint64_t addr = p.get_address();
    const sc_core::sc_time entry = delay;
    const Path& path = ini.row[r.domain];
    delay += path.latency;
    if (path.occupies) {
        sc_core::sc_time t = simc_->time_stamp() + entry;
        for (Domain* d : path.domains)
            delay += d->pass(t, units_per_ns_);
    } else {
        for (Domain* d : path.domains)
            ++d->transactions;
    }
    const tlm::tlm_command cmd = p.get_command();
    if (cmd == tlm::TLM_READ_COMMAND)
        ++r.reads;
    else if (cmd == tlm::TLM_WRITE_COMMAND)
        ++r.writes;

    p.set_address(addr - r.base);
    r.target->b_transport(p, delay);
    p.set_address(addr);

    if (tracing_) {
        p.set_dmi_allowed(false);  // keep every access visible to the trace
        emit_trace(ini, r.name, p, entry, delay - entry);
    }
}

void Router::b_transport_slow(int port, tlm::tlm_generic_payload& p, sc_core::sc_time& delay,
                              Region* r) {
    Initiator& ini = initiator(port);  // creates the port's entry if needed
    const uint64_t addr = p.get_address();
    const sc_core::sc_time entry = delay;
    const unsigned len = p.get_data_length();
    const unsigned sw = p.get_streaming_width();
    if (!r) {
        decode_error(ini, p, delay, entry, nullptr);
        return;
    }
    if (sw == 0) {
        // A streaming width of 0 is a base-protocol error of the initiator.
        if (log_.once("streaming-width-0"))
            VP_LOG(log_, warning, "{}: access at {:#x} with streaming width 0: burst error",
                   ini.name, addr);
        p.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if ((sw < len ? sw : len) > r->size - (addr - r->base)) {
        decode_error(ini, p, delay, entry, r);
        return;
    }
    if (!r->target) {
        VP_LOG(log_, error,
               "{}: transaction at {:#x} before the end of elaboration, or with targets bound "
               "outside map(): generic error",
               ini.name, addr);
        p.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    // Only the port was new: route normally now that it exists.
    forward(ini, *r, p, delay);
}

void Router::decode_error(Initiator& ini, tlm::tlm_generic_payload& p, sc_core::sc_time& delay,
                          const sc_core::sc_time& entry, Region* crossed) {
    ++decode_errors_;
    const uint64_t addr = p.get_address();
    // The L3 answers the error itself: the initiator's own domain hop is paid.
    const int own = ini.domain < 0 ? root_ : ini.domain;
    if (own >= 0) delay += domains_[static_cast<size_t>(own)]->hop_latency;
    const bool raz = unmapped_read_zero_ && !crossed;
    if (raz && p.is_read() && p.get_data_ptr())
        std::memset(p.get_data_ptr(), 0, p.get_data_length());
    p.set_response_status(raz ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);

    if (crossed) {
        if (!crossed->crossing_logged) {
            crossed->crossing_logged = true;
            VP_LOG(log_, warning,
                   "{}: {} of {} bytes at {:#010x} crosses the end of region '{}' ({:#010x}): "
                   "address error (logged once per region)",
                   ini.name, command_name(p.get_command()), p.get_data_length(), addr,
                   crossed->name, crossed->last);
        }
    } else {
        const auto k = static_cast<size_t>(std::upper_bound(bases_.begin(), bases_.end(), addr) -
                                           bases_.begin());
        if (!hole_logged_[k]) {
            hole_logged_[k] = 1;
            VP_LOG(log_, warning,
                   "{}: {} of {} bytes at {:#010x}: no target in the hole {}: {} "
                   "(logged once per hole)",
                   ini.name, command_name(p.get_command()), p.get_data_length(), addr, hole_name(k),
                   raz ? "read as zero, write ignored" : "address error");
        }
    }
    if (tracing_) emit_trace(ini, kUnmappedName, p, entry, delay - entry);
}

unsigned Router::transport_dbg(int /*port*/, tlm::tlm_generic_payload& p) {
    const uint64_t addr = p.get_address();
    const Region* const found = decode(addr);
    if (!found || !found->target) return 0;
    const Region& r = *found;
    const unsigned len = p.get_data_length();
    const uint64_t room = r.size - (addr - r.base);
    const unsigned n = room < len ? static_cast<unsigned>(room) : len;
    p.set_address(addr - r.base);
    p.set_data_length(n);
    const unsigned done = r.target->transport_dbg(p);
    p.set_address(addr);
    p.set_data_length(len);
    return done;
}

bool Router::get_direct_mem_ptr(int port, tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
    const Initiator& ini = initiator(port);
    const uint64_t addr = p.get_address();
    const Region* const found = decode(addr);
    if (!found) {
        // No DMI anywhere in the hole.
        const auto h = static_cast<size_t>(std::upper_bound(bases_.begin(), bases_.end(), addr) -
                                           bases_.begin());
        dmi.allow_none();
        dmi.set_start_address(h > 0 ? sorted_[h - 1]->last + 1 : 0);
        dmi.set_end_address(h < sorted_.size() ? sorted_[h]->base - 1 : kMaxAddress);
        return false;
    }
    const Region& r = *found;
    if (tracing_ || !r.target) {
        dmi.allow_none();
        dmi.set_start_address(r.base);
        dmi.set_end_address(r.last);
        return false;
    }

    p.set_address(addr - r.base);
    const bool granted = r.target->get_direct_mem_ptr(p, dmi);
    p.set_address(addr);

    // Back to global addresses, clipped to the region (the target only knows its window).
    uint64_t start = dmi.get_start_address();
    uint64_t end = dmi.get_end_address();
    if (end > r.size - 1) end = r.size - 1;
    if (start > end) {
        // The target's range lies outside its own window: treat as refused.
        dmi.allow_none();
        dmi.set_start_address(r.base);
        dmi.set_end_address(r.last);
        return false;
    }
    dmi.set_start_address(r.base + start);
    dmi.set_end_address(r.base + end);
    if (granted) {
        const Path& path = ini.row[r.domain];
        dmi.set_read_latency(dmi.get_read_latency() + path.latency);
        dmi.set_write_latency(dmi.get_write_latency() + path.latency);
    }
    return granted;
}

void Router::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
    const auto i = static_cast<size_t>(port);
    if (i >= regions_.size()) return;
    const Region& r = *regions_[i];
    if (start > end || start > r.size - 1) return;
    const uint64_t last = end > r.size - 1 ? r.size - 1 : end;
    invalidate_all_initiators(r.base + start, r.base + last);
}

void Router::invalidate_all_initiators(uint64_t start, uint64_t end) {
    for (unsigned i = 0; i < in.size(); ++i)
        in[static_cast<int>(i)]->invalidate_direct_mem_ptr(start, end);
}

// ---------------------------------------------------------------------------------------
// Inspection

sc_core::sc_time Router::path_latency(const std::string& domain) const {
    const int d = find_domain(domain);
    if (d < 0 || root_ < 0)
        throw std::invalid_argument(fmt::format("{}: unknown domain '{}'", name(), domain));
    return paths_[static_cast<size_t>(root_) * domains_.size() + static_cast<size_t>(d)].latency;
}

std::vector<Router::RegionInfo> Router::regions() const {
    std::vector<RegionInfo> v;
    v.reserve(sorted_.size());
    for (const Region* r : sorted_)
        v.push_back(
            {r->name, r->base, r->size, domains_[static_cast<size_t>(r->domain)]->name,
             paths_[static_cast<size_t>(root_) * domains_.size() + static_cast<size_t>(r->domain)]
                 .latency});
    return v;
}

std::string Router::memory_map() const {
    size_t w = 6;
    for (const Region* r : sorted_)
        w = std::max(w, r->name.size());
    std::string s = fmt::format("{:<{}}  {:<10}  {:<10}  {:<10}  {}\n", "region", w, "base", "end",
                                "domain", "latency");
    for (const RegionInfo& r : regions())
        s += fmt::format("{:<{}}  {:#010x}  {:#010x}  {:<10}  {}\n", r.name, w, r.base,
                         r.base + r.size - 1, r.domain, r.latency.to_string());
    return s;
}

}  // namespace vp
