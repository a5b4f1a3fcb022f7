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
class ControlModule;
class CortexA8;
struct CortexA8Params;
class Ddr;
class DmTimerBase;
class EdmaTpcc;
class EdmaTptc;
class Gpio;
class Intc;
class Peripheral;
class At24;
class I2c;
class Prcm;
class Tps65217;
class UartBackend;
}  // namespace vp

namespace vp::platform {

class Board;

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

    // The Cortex-A8 MPU: an initiator where the MPU sits, nIRQ/nFIQ from the INTC. It has no
    // guest entry until the platform sets one (CortexA8::set_entry): a workload, the
    // register-script executor, or an idle loop (platform/sim).
    CortexA8& cpu() { return *cpu_; }

    // Models with a role in the wiring (nullptr when the configuration maps none).
    Intc* intc() const { return intc_; }
    Prcm* prcm() const { return prcm_; }
    ControlModule* control() const { return control_; }
    // LEDs and buttons of the board file.
    Board& board() { return *board_; }

    struct Built {
        std::string region;
        std::unique_ptr<sc_core::sc_module> module;
        std::vector<Wire*> irqs;  // interrupt outputs, in the order the region lists lines
    };

  private:
    void build_region(const config::RegionConfig& r);
    Built build_model(const config::RegionConfig& r, const RegionParams& map_params,
                      const std::string& prefix, const sc_core::sc_time& latency);
    std::unique_ptr<UartBackend> make_backend(const std::string& uart);
    void attach_board_i2c(I2c& i2c0);
    static constexpr unsigned kPmicIrqLine = 7;
    void wire_interrupts();
    void wire_clocks();

    config::PlatformConfig cfg_;
    std::unique_ptr<Router> router_;
    std::unique_ptr<DebugPort> debug_;
    std::unique_ptr<CortexA8> cpu_;
    std::array<std::unique_ptr<Wire>, kIrqLines> irq_lines_;
    std::vector<Built> built_;
    unsigned next_port_ = 0;
    Ddr* ddr_ = nullptr;
    Intc* intc_ = nullptr;
    Prcm* prcm_ = nullptr;
    ControlModule* control_ = nullptr;
    std::vector<Gpio*> gpios_;                 // by bank
    std::array<DmTimerBase*, 8> timers_ = {};  // DMTIMER0..7 (1 = DMTIMER1_1MS)
    EdmaTpcc* tpcc_ = nullptr;
    std::vector<EdmaTptc*> tptcs_;  // by transfer controller / queue number
    std::unique_ptr<Board> board_;
    std::unique_ptr<At24> eeprom_;
    std::unique_ptr<Tps65217> pmic_;
};

// The CPU model's parameters from the configuration's `cpu.*` keys (docs/models/cortex_a8.md).
CortexA8Params cpu_params(const config::PlatformConfig& cfg);

}  // namespace vp::platform
