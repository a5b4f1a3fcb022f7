#include "platform/soc/soc.h"

#include <fmt/format.h>

#include "models/core/peripheral.h"
#include "models/interconnect/unimplemented.h"
#include "models/memory/memory.h"

namespace vp::platform {

using config::ConfigError;
using config::RegionConfig;
using config::RegionModel;

namespace {

sc_core::sc_time period_of(double mhz) { return sc_core::sc_time(1e6 / mhz, sc_core::SC_PS); }

RouterParams router_params(const config::PlatformConfig& cfg) {
    RouterParams p;
    p.stat_prefix = "interconnect";
    for (const auto& d : cfg.interconnect.domains)
        p.domains.push_back({d.name, d.parent, period_of(d.clock_mhz), d.hop_cycles,
                             d.occupancy_cycles});
    return p;
}

}  // namespace

std::string Soc::stat_prefix(const RegionConfig& region) {
    switch (region.model) {
        case RegionModel::ram:
        case RegionModel::rom:
        case RegionModel::ddr: return region.name;
        default: return region.domain + "." + region.name;
    }
}

Soc::Soc(sc_core::sc_module_name name, const config::PlatformConfig& cfg)
    : sc_module(name), cfg_(cfg) {
    router_ = std::make_unique<Router>("interconnect", router_params(cfg_));
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
    built_.push_back({r.name, std::move(module)});
}

}  // namespace vp::platform
