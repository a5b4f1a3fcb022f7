// The L3/L4 interconnect of the AM335x as a loosely-timed TLM-2.0 router
// (DESIGN.md §4, §5, §8; docs/models/router.md).
//
//   vp::Router bus("bus");
//   for (const auto& d : vp::am335x_domains()) bus.add_domain(d);
//   bus.map({"gpio1", 0x4804C000, 0x1000, "l4_per"}, gpio1.socket);
//   cpu.socket.bind(bus.in);  bus.name_initiator(0, "cpu");
//
// - Initiators bind to `in` (one port each, numbered in bind order); targets are bound to
//   `out` by map(), never directly. Targets see region-relative addresses.
// - Clock domains form a tree rooted at L3F. A transaction pays hop_cycles x period of
//   every domain on the path from its initiator's domain to the region's domain, and waits
//   while a domain on that path is still occupied by an earlier transaction.
// - Unmapped addresses answer TLM_ADDRESS_ERROR_RESPONSE (the L3's "address hole" error,
//   SPRUH73 §10.1.2.3), logged once per hole.
// - DMI and debug transport are forwarded with address translation.
// - Loosely-timed only: b_transport, transport_dbg and DMI (no nb_transport).
#pragma once

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/stats.h"
#include "models/interconnect/trace.h"
#include "models/interconnect/unimplemented.h"

namespace vp {

// One clock domain of the interconnect (an L3 or L4 instance).
struct DomainParams {
    std::string name;               // "l3f", "l4_per" …: also the statistics name
    std::string parent;             // "" = the root domain (exactly one)
    sc_core::sc_time period;        // clock period of the domain (> 0)
    unsigned hop_cycles = 0;        // cycles a transaction spends crossing into/through it
    unsigned occupancy_cycles = 0;  // cycles the domain stays busy per transaction
};

// One memory-mapped target window.
struct RegionParams {
    std::string name;  // unique; statistics "<prefix>.region.<name>.reads"
    uint64_t base = 0;
    uint64_t size = 0;   // bytes, > 0; base + size <= 2^32
    std::string domain;  // a domain added before
};

struct RouterParams {
    std::string stat_prefix = "interconnect";
    std::vector<DomainParams> domains;  // added in order by the constructor
    // An address no region decodes: false → TLM_ADDRESS_ERROR_RESPONSE (the L3's address-hole
    // error); true → reads return zeros and writes are ignored (TLM_OK_RESPONSE). Either way
    // it is counted in decode_errors and logged once per hole.
    bool unmapped_read_zero = false;
};

// The AM335x domain tree with the calibrated defaults (docs/models/router.md):
//   l3f (200 MHz) ─┬─ l3s (100 MHz) ─┬─ l4_per  (100 MHz)
//                  │                 ├─ l4_wkup (100 MHz)
//                  │                 └─ l4_fw   (100 MHz)
//                  └─ l4_fast (200 MHz)
// giving an OCMC access 130 ns, an L4_PER register 170 ns and an L4_WKUP register 190 ns.
std::vector<DomainParams> am335x_domains();

// Default domain names (the ones am335x_domains() uses).
inline constexpr const char* kDomainL3F = "l3f";
inline constexpr const char* kDomainL3S = "l3s";
inline constexpr const char* kDomainL4Per = "l4_per";
inline constexpr const char* kDomainL4Wkup = "l4_wkup";
inline constexpr const char* kDomainL4Fast = "l4_fast";
inline constexpr const char* kDomainL4Fw = "l4_fw";

class Router : public sc_core::sc_module {
  public:
    using TargetSocket =
        tlm::tlm_base_target_socket_b<32, tlm::tlm_fw_transport_if<>, tlm::tlm_bw_transport_if<>>;

    tlm_utils::multi_passthrough_target_socket<Router> in;
    tlm_utils::multi_passthrough_initiator_socket<Router> out;

    explicit Router(sc_core::sc_module_name name, const RouterParams& params = {});
    ~Router() override;

    // --- construction (elaboration time; errors throw std::invalid_argument) --------
    // Adds a domain; its parent must exist already (so the tree has no cycles).
    void add_domain(const DomainParams& d);
    // Records the region and binds `target` to `out`. Rejects a region that overlaps
    // another (the message names both), leaves the 32-bit space, has size 0, a duplicate
    // name or an unknown domain.
    void map(const RegionParams& r, TargetSocket& target);
    // Maps a target for a module that is not modelled yet: an Unimplemented module, named
    // after the region ('.' becomes '_') and owned by the router. params.size is set to the
    // region's size; an empty params.stat_prefix becomes the region name.
    Unimplemented& map_unimplemented(const RegionParams& r, UnimplementedParams params = {});
    // Names initiator port `port` (bind order of `in`) for traces and messages.
    void name_initiator(unsigned port, const std::string& name);
    // Attaches an initiator port to another domain than the root (e.g. a master on L4).
    void set_initiator_domain(unsigned port, const std::string& domain);

    // --- tracing -----------------------------------------------------------------------
    // Sets (or with nullptr clears) the sink and enables it. While a sink is set and
    // enabled, DMI is refused and every DMI pointer already granted is invalidated.
    void set_trace_sink(TraceSink* sink);
    void set_trace_enabled(bool on);
    bool tracing() const { return tracing_; }

    // --- inspection ----------------------------------------------------------------------
    struct RegionInfo {
        std::string name;
        uint64_t base;
        uint64_t size;
        std::string domain;
        sc_core::sc_time latency;  // path latency from the root domain
    };
    std::vector<RegionInfo> regions() const;  // sorted by base
    // Latency a root-domain initiator pays to reach `domain` (sum of the hop latencies).
    sc_core::sc_time path_latency(const std::string& domain) const;
    // "name base end domain latency" table sorted by address (--print-memory-map).
    std::string memory_map() const;
    // Name of the region holding `address`, or "" if unmapped.
    std::string region_at(uint64_t address) const;
    const std::string& stat_prefix() const { return stat_prefix_; }
    Logger& log() { return log_; }

  private:
    struct Domain;
    struct Region;
    struct Path;
    struct Initiator;

    // fw (from initiators)
    void b_transport(int port, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    // Routes a decoded transaction (latency, contention, statistics, trace).
    void forward(const Initiator& ini, Region& r, tlm::tlm_generic_payload& p,
                 sc_core::sc_time& delay);
    // Everything but the common case: new port, decode error, bad streaming width.
    [[gnu::cold, gnu::noinline]] void b_transport_slow(int port, tlm::tlm_generic_payload& p,
                                                       sc_core::sc_time& delay, Region* r);
    unsigned transport_dbg(int port, tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(int port, tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);
    // bw (from targets)
    void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);

    void end_of_elaboration() override;

    // The region holding `addr`, or nullptr.
    Region* decode(uint64_t addr) const;
    Initiator& initiator(int port);
    void refresh_row(Initiator& ini);
    // Unmapped address (crossed == nullptr) or an access running past a region's end.
    void decode_error(Initiator& ini, tlm::tlm_generic_payload& p, sc_core::sc_time& delay,
                      const sc_core::sc_time& entry, Region* crossed);
    void emit_trace(const Initiator& ini, std::string_view target,
                    const tlm::tlm_generic_payload& p, const sc_core::sc_time& entry_delay,
                    const sc_core::sc_time& latency);
    void rebuild_paths();
    int find_domain(const std::string& name) const;
    std::string hole_name(size_t k) const;
    void invalidate_all_initiators(uint64_t start, uint64_t end);

    std::string stat_prefix_;
    Logger log_;
    std::vector<std::unique_ptr<Domain>> domains_;
    int root_ = -1;
    std::vector<Path> paths_;                       // [from * domains + to]
    std::vector<std::unique_ptr<Region>> regions_;  // index = out port (map order)
    std::vector<Region*> sorted_;                   // by base
    std::vector<uint64_t> bases_;                   // sorted_[i]->base, for the search
    std::vector<uint8_t> hole_logged_;              // per hole k (before sorted_[k])
    mutable Region* last_ = nullptr;                // last decoded region (the common case repeats)
    std::vector<std::unique_ptr<Initiator>> initiators_;
    std::vector<std::unique_ptr<Unimplemented>> unimplemented_;  // map_unimplemented()
    TraceSink* sink_ = nullptr;
    bool trace_enabled_ = false;
    bool tracing_ = false;  // sink_ && trace_enabled_
    bool elaborated_ = false;
    bool unmapped_read_zero_ = false;

    stats::Counter transactions_;
    stats::Counter decode_errors_;
    uint64_t units_per_ns_;         // sc_time resolution units per ns
    sc_core::sc_simcontext* simc_;  // for an inlined sc_time_stamp()
};

}  // namespace vp
