// The AM335x SoC assembled from its configuration (DESIGN.md §2: platform/ assembles).
//
// One region of the configuration's memory map becomes one model, chosen by the region's
// `model` kind (ram, rom, ddr, emif, unimplemented, ...), mapped into the router under the
// region's interconnect domain. The SoC owns the 128 INTC input lines; models' interrupt
// outputs are connected to the lines the configuration names. Initiators (the CPU, a register
// script's bus master, DMA) attach where the MPU sits, at the root of the interconnect.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "models/core/wire.h"
#include "models/interconnect/router.h"
#include "platform/config/platform_config.h"

namespace vp {
class Ddr;
class Peripheral;
}  // namespace vp

namespace vp::platform {

// The platform's own debugger port on the interconnect: reads and writes any address with
// debug transport (no time, no side effects on registers), e.g. to load an image or to
// inspect memory after a run. It is always bound, so a SoC without a CPU still elaborates.
class DebugPort : public sc_core::sc_module {
  public:
    tlm_utils::simple_initiator_socket<DebugPort> socket;
    explicit DebugPort(sc_core::sc_module_name name) : sc_module(name), socket("socket") {}
    // Bytes transferred (fewer than asked at a region end or an unmapped address).
    unsigned read(uint64_t addr, void* data, unsigned len);
    unsigned write(uint64_t addr, const void* data, unsigned len);
};

class Soc : public sc_core::sc_module {
  public:
    static constexpr unsigned kIrqLines = 128;

    // Throws config::ConfigError when the configuration asks for something the platform
    // cannot build (a model kind not implemented yet), located at the region's entry.
    Soc(sc_core::sc_module_name name, const config::PlatformConfig& cfg);
    ~Soc() override;

    Router& router() { return *router_; }
    DebugPort& debug() { return *debug_; }
    const config::PlatformConfig& config() const { return cfg_; }

    // INTC input line `n` (0..127).
    Wire& irq_line(unsigned n) { return *irq_lines_.at(n); }
    const Wire* find_irq_line(unsigned n) const {
        return n < kIrqLines ? irq_lines_[n].get() : nullptr;
    }

    // The model built for a region, or nullptr.
    sc_core::sc_module* model(const std::string& region) const;
    template <class T>
    T* model_as(const std::string& region) const {
        return dynamic_cast<T*>(model(region));
    }
    // Register models (peripherals), for --dump-registers and scripts.
    std::vector<std::pair<std::string, Peripheral*>> peripherals() const;

    // Binds an initiator socket where the MPU sits; returns its router port.
    template <class Socket>
    unsigned attach_initiator(Socket& socket, const std::string& name) {
        socket.bind(router_->in);
        const unsigned port = next_port_++;
        router_->name_initiator(port, name);
        return port;
    }

    // Statistics prefix of a region's model: memories by their name ("ddr"), register
    // models under their domain ("l4_per.gpio1").
    static std::string stat_prefix(const config::RegionConfig& region);

    struct Built {
        std::string region;
        std::unique_ptr<sc_core::sc_module> module;
    };

  private:
    void build_region(const config::RegionConfig& r);
    std::unique_ptr<sc_core::sc_module> build_model(const config::RegionConfig& r,
                                                    const RegionParams& map_params,
                                                    const std::string& prefix,
                                                    const sc_core::sc_time& latency);

    config::PlatformConfig cfg_;
    std::unique_ptr<Router> router_;
    std::unique_ptr<DebugPort> debug_;
    std::array<std::unique_ptr<Wire>, kIrqLines> irq_lines_;
    std::vector<Built> built_;
    unsigned next_port_ = 0;
    Ddr* ddr_ = nullptr;
};

}  // namespace vp::platform
