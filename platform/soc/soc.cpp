#include "platform/soc/soc.h"

#include <fmt/format.h>

#include "models/core/peripheral.h"
#include "models/core/tlm_util.h"
#include "models/interconnect/unimplemented.h"
#include "models/memory/ddr.h"
#include "models/memory/emif.h"
#include "models/memory/memory.h"

namespace vp::platform {

using config::ConfigError;
using config::RegionConfig;
using config::RegionModel;

namespace {

sc_core::sc_time period_of(double mhz) {
    return sc_core::sc_time(1e6 / mhz, sc_core::SC_PS);
}

RouterParams router_params(const config::PlatformConfig& cfg) {
    RouterParams p;
    p.stat_prefix = "interconnect";
    for (const auto& d : cfg.interconnect.domains)
        p.domains.push_back(
            {d.name, d.parent, period_of(d.clock_mhz), d.hop_cycles, d.occupancy_cycles});
    return p;
}

DdrParams ddr_params(const config::DdrConfig& c, uint64_t region_size, std::string prefix) {
    DdrParams p;
    p.size = region_size;
    p.type = c.type == config::DdrType::ddr2 ? DdrType::ddr2 : DdrType::ddr3;
    p.clock_mhz = c.clock_mhz;
    p.geometry.banks = c.geometry.banks;
    p.geometry.row_bits = c.geometry.row_bits;
    p.geometry.col_bits = c.geometry.col_bits;
    p.geometry.bus_bytes = c.geometry.bus_bits / 8;
    p.timing.cl = c.timing.cl;
    p.timing.trcd = c.timing.trcd;
    p.timing.trp = c.timing.trp;
    p.timing.tras = c.timing.tras;
    p.timing.trc = c.timing.trc;
    p.timing.trrd = c.timing.trrd;
    p.timing.twr = c.timing.twr;
    p.timing.burst_length = c.timing.burst_length;
    p.timing.cwl = c.timing.cwl;
    p.timing.twtr = c.timing.twtr;
    p.timing.trtp = c.timing.trtp;
    p.controller_cycles = c.controller_cycles;
    p.page_policy =
        c.page_policy == config::PagePolicy::closed ? PagePolicy::closed : PagePolicy::open;
    p.refresh.enabled = c.refresh.enabled;
    p.refresh.trefi_ns = static_cast<double>(c.refresh.trefi_ps) / 1000.0;
    p.refresh.trfc_ns = static_cast<double>(c.refresh.trfc_ps) / 1000.0;
    p.stat_prefix = std::move(prefix);
    return p;
}

}  // namespace

unsigned DebugPort::read(uint64_t addr, void* data, unsigned len) {
    tlm::tlm_generic_payload p;
    setup_payload(p, tlm::TLM_READ_COMMAND, addr, static_cast<uint8_t*>(data), len);
    return socket->transport_dbg(p);
}

unsigned DebugPort::write(uint64_t addr, const void* data, unsigned len) {
    tlm::tlm_generic_payload p;
    setup_payload(p, tlm::TLM_WRITE_COMMAND, addr, static_cast<uint8_t*>(const_cast<void*>(data)),
                  len);
    return socket->transport_dbg(p);
}

std::string Soc::stat_prefix(const RegionConfig& region) {
    switch (region.model) {
        case RegionModel::ram:
        case RegionModel::rom:
        case RegionModel::ddr:
            return region.name;
        default:
            return region.domain + "." + region.name;
    }
}

Soc::Soc(sc_core::sc_module_name name, const config::PlatformConfig& cfg)
    : sc_module(name), cfg_(cfg) {
    router_ = std::make_unique<Router>("interconnect", router_params(cfg_));
    debug_ = std::make_unique<DebugPort>("debug");
    attach_initiator(debug_->socket, "debug");
    for (unsigned i = 0; i < kIrqLines; ++i)
        irq_lines_[i] = std::make_unique<Wire>(fmt::format("irq{}", i));
    // Memories first: a controller (EMIF) refers to the memory it controls.
    for (const RegionConfig& r : cfg_.memory_map)
        if (r.model == RegionModel::ddr || r.model == RegionModel::ram ||
            r.model == RegionModel::rom)
            build_region(r);
    for (const RegionConfig& r : cfg_.memory_map)
        if (!(r.model == RegionModel::ddr || r.model == RegionModel::ram ||
              r.model == RegionModel::rom))
            build_region(r);
}

Soc::~Soc() = default;

sc_core::sc_module* Soc::model(const std::string& region) const {
    for (const Built& b : built_)
        if (b.region == region) return b.module.get();
    return nullptr;
}

std::vector<std::pair<std::string, Peripheral*>> Soc::peripherals() const {
    std::vector<std::pair<std::string, Peripheral*>> out;
    for (const Built& b : built_)
        if (auto* p = dynamic_cast<Peripheral*>(b.module.get())) out.emplace_back(b.region, p);
    return out;
}

void Soc::build_region(const RegionConfig& r) {
    const config::DomainConfig* dom = cfg_.interconnect.find_domain(r.domain);
    const sc_core::sc_time latency =
        dom ? period_of(dom->clock_mhz) * static_cast<double>(r.access_cycles)
            : sc_core::SC_ZERO_TIME;
    const std::string prefix = stat_prefix(r);
    const RegionParams map_params{r.name, r.base, r.size, r.domain};
    std::unique_ptr<sc_core::sc_module> module;

    try {
        module = build_model(r, map_params, prefix, latency);
    } catch (const std::invalid_argument& e) {
        // A model refusing its parameters (e.g. DDR timings the EMIF cannot program) is a
        // configuration error at the configuration's own place.
        const bool ddr = r.model == RegionModel::ddr || r.model == RegionModel::emif;
        const config::Node* where = ddr ? cfg_.tree().find_path("ddr") : nullptr;
        throw ConfigError(where ? where->location() : r.location,
                          ddr ? "ddr" : "memory_map." + r.name, e.what());
    }
    built_.push_back({r.name, std::move(module)});
}

std::unique_ptr<sc_core::sc_module> Soc::build_model(const RegionConfig& r,
                                                     const RegionParams& map_params,
                                                     const std::string& prefix,
                                                     const sc_core::sc_time& latency) {
    std::unique_ptr<sc_core::sc_module> module;
    switch (r.model) {
        case RegionModel::ram:
        case RegionModel::rom: {
            MemoryParams mp;
            mp.size = r.size;
            mp.read_latency = mp.write_latency = latency;
            mp.read_only = r.model == RegionModel::rom;
            mp.stat_prefix = prefix;
            auto m = std::make_unique<Memory>(r.name.c_str(), mp);
            router_->map(map_params, m->socket);
            module = std::move(m);
            break;
        }
        case RegionModel::ddr: {
            auto m = std::make_unique<Ddr>(r.name.c_str(), ddr_params(cfg_.ddr, r.size, prefix));
            router_->map(map_params, m->socket);
            ddr_ = m.get();
            module = std::move(m);
            break;
        }
        case RegionModel::emif: {
            if (!ddr_)
                throw ConfigError(r.location, "memory_map." + r.name + ".model",
                                  "an emif region needs a ddr region to control");
            EmifParams ep;
            ep.stat_prefix = prefix;
            auto m = std::make_unique<Emif>(r.name.c_str(), *ddr_, ep);
            m->set_access_latency(latency);
            router_->map(map_params, m->socket);
            module = std::move(m);
            break;
        }
        case RegionModel::unimplemented: {
            UnimplementedParams up;
            up.size = r.size;
            up.policy = r.unimplemented == config::AccessPolicy::error
                            ? UnimplementedPolicy::error
                            : UnimplementedPolicy::read_zero;
            up.access_latency = latency;
            up.stat_prefix = prefix;
            auto m = std::make_unique<Unimplemented>(r.name.c_str(), up);
            router_->map(map_params, m->socket);
            module = std::move(m);
            break;
        }
        default:
            throw ConfigError(r.location, "memory_map." + r.name + ".model",
                              fmt::format("model '{}' is not implemented yet; use "
                                          "'unimplemented' for this region",
                                          config::region_model_name(r.model)));
    }
    return module;
}

}  // namespace vp::platform
