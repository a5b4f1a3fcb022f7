#include "platform/soc/soc.h"

#include "platform/board/board.h"

#include <fmt/format.h>

#include "models/control/control.h"
#include "models/core/peripheral.h"
#include "models/core/tlm_util.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/edma/tpcc.h"
#include "models/edma/tptc.h"
#include "models/gpio/gpio.h"
#include "models/i2c/at24.h"
#include "models/i2c/i2c.h"
#include "models/i2c/tps65217.h"
#include "models/intc/intc.h"
#include "models/interconnect/unimplemented.h"
#include "models/memory/ddr.h"
#include "models/memory/emif.h"
#include "models/memory/memory.h"
#include "models/prcm/prcm.h"
#include "models/rtc/rtc.h"
#include "models/timer/dmtimer.h"
#include "models/timer/dmtimer_1ms.h"
#include "models/uart/backend.h"
#include "models/uart/uart.h"
#include "models/wdt/wdt.h"

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
    p.unmapped_read_zero = cfg.interconnect.unmapped == config::AccessPolicy::read_zero;
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
    try {
        cpu_ = std::make_unique<CortexA8>("cpu", cpu_params(cfg_));
    } catch (const std::invalid_argument& e) {  // a geometry the schema's ranges let through
        const config::Node* n = cfg_.tree().find("cpu");
        throw ConfigError(n ? n->key_location() : config::Location{}, "cpu", e.what());
    }
    attach_initiator(cpu_->socket, "cpu");
    for (unsigned i = 0; i < kIrqLines; ++i)
        irq_lines_[i] = std::make_unique<Wire>(fmt::format("irq{}", i));
    // Memories first (the EMIF controls the DDR), then the modules others depend on (the
    // PRCM's clocks, the Control Module's pads), then everything else.
    const auto rank = [](RegionModel m) {
        switch (m) {
            case RegionModel::ddr:
            case RegionModel::ram:
            case RegionModel::rom:
                return 0;
            case RegionModel::prcm:
            case RegionModel::control:
            case RegionModel::intc:
                return 1;
            default:
                return 2;
        }
    };
    for (const auto& u : cfg_.uarts) {
        const RegionConfig* r = cfg_.find_region(u.name);
        if (!r || r->model != RegionModel::uart)
            throw ConfigError(u.location, "uart." + u.name,
                              "no UART region named '" + u.name + "' (uart0 … uart5)");
    }
    for (int pass = 0; pass < 3; ++pass)
        for (const RegionConfig& r : cfg_.memory_map)
            if (rank(r.model) == pass) build_region(r);
    wire_interrupts();
    wire_clocks();
    board_ = std::make_unique<Board>("board", cfg_, gpios_);
    // EDMA: queue n is served by transfer controller n (fixed on the AM335x: SPRUH73 DMAQNUM
    // register description).
    if (tpcc_)
        for (unsigned q = 0; q < tptcs_.size(); ++q)
            if (tptcs_[q]) tpcc_->connect_tc(q, *tptcs_[q]);
}

void Soc::wire_interrupts() {
    if (intc_) {
        for (unsigned n = 0; n < kIrqLines; ++n)
            intc_->bind_input(n, *irq_lines_[n]);
        intc_->nirq.connect(cpu_->irq);
        intc_->nfiq.connect(cpu_->fiq);
    }
    for (const Built& b : built_) {
        const RegionConfig* r = cfg_.find_region(b.region);
        // A line the model does not drive (an unimplemented module, the PRCM's own
        // interrupt) stays low.
        const size_t n = std::min(b.irqs.size(), r->irqs.size());
        for (size_t i = 0; i < n; ++i)
            b.irqs[i]->connect(*irq_lines_[r->irqs[i]]);
    }
}

void Soc::wire_clocks() {
    if (!prcm_) return;
    // Module clock gating: CLKCTRL.MODULEMODE drives each module's clock enable.
    for (const Built& b : built_) {
        const RegionConfig* r = cfg_.find_region(b.region);
        auto* p = dynamic_cast<Peripheral*>(b.module.get());
        if (!p || r->clkctrl.empty() || p == prcm_) continue;
        if (!prcm_->has_clock(r->clkctrl))
            throw ConfigError(r->location, "memory_map." + r->name + ".clkctrl",
                              fmt::format("the PRCM has no clock named '{}'", r->clkctrl));
        prcm_->clock(r->clkctrl).connect(p->clock_enable);
    }
    // Timer functional clocks follow CLKSEL_TIMERn_CLK (DMTIMER0 is fixed to CLK_RC32K).
    for (unsigned t = 1; t < timers_.size(); ++t)
        if (timers_[t]) timers_[t]->set_clock_hz(static_cast<uint64_t>(prcm_->timer_clock_hz(t)));
    prcm_->on_timer_clock_change([this](unsigned t, double hz) {
        if (t < timers_.size() && timers_[t] && t != 0)
            timers_[t]->set_clock_hz(static_cast<uint64_t>(hz));
    });
    // PRM_RSTCTRL warm reset: every module back to its reset state (memories keep their
    // contents, as DDR in self-refresh and SRAM do across a warm reset).
    prcm_->warm_reset.on_change([this](bool level, const sc_core::sc_time&) {
        if (!level) return;
        for (auto& [name, p] : peripherals())
            if (p != prcm_) p->reset();
    });
    // WDT1 expiry: a global warm reset with PRM_RSTST.WDT1_RST (docs/models/prcm.md).
    if (auto* w = model_as<Wdt>("wdt1")) w->reset_request.connect(prcm_->wdt_reset_in);
    // Control Module: the EDMA event crossbar (TPCC_EVT_MUX_*) and TPTC_CFG's default burst.
    if (control_ && tpcc_)
        control_->on_edma_mux_change([this](unsigned event, unsigned input) {
            tpcc_->select_event_source(event, input, control_->access_offset());
        });
    if (control_)
        control_->on_tptc_burst_change([this](unsigned tc, unsigned bytes) {
            if (tc < tptcs_.size() && tptcs_[tc]) tptcs_[tc]->set_default_burst(bytes);
        });
}

Soc::~Soc() = default;

namespace {

mmu::ReplacementPolicy tlb_policy(config::TlbPolicy p) {
    switch (p) {
        case config::TlbPolicy::lru:
            return mmu::ReplacementPolicy::lru;
        case config::TlbPolicy::fifo:
            return mmu::ReplacementPolicy::fifo;
        case config::TlbPolicy::random:
            return mmu::ReplacementPolicy::random;
        case config::TlbPolicy::round_robin:
            break;
    }
    return mmu::ReplacementPolicy::round_robin;
}

mmu::TlbGeometry tlb_geometry(const config::TlbConfig& t) {
    return mmu::TlbGeometry{t.entries, t.ways, tlb_policy(t.policy), static_cast<uint32_t>(t.seed)};
}

void apply_cache_level(cache::CacheParams& c, const config::CacheLevelConfig& l) {
    c.size_bytes = static_cast<uint32_t>(l.size);
    c.ways = l.ways;
    c.line_bytes = l.line;
    c.hit_latency_cycles = l.hit_cycles;
    c.replacement = l.replacement == "lru"           ? cache::Replacement::lru
                    : l.replacement == "round_robin" ? cache::Replacement::round_robin
                                                     : cache::Replacement::random;
}

}  // namespace

CortexA8Params cpu_params(const config::PlatformConfig& cfg) {
    const config::CpuConfig& c = cfg.cpu;
    CortexA8Params p;
    p.clock_hz = static_cast<uint64_t>(c.clock_mhz * 1e6 + 0.5);
    p.quantum = sc_core::sc_time(static_cast<double>(c.quantum_ps), sc_core::SC_PS);
    p.mode =
        c.mode == config::CpuMode::functional ? TimingMode::functional : TimingMode::approximate;
    p.functional =
        FunctionalLatencies{c.functional.load_cycles,       c.functional.store_cycles,
                            c.functional.fetch_line_cycles, c.functional.block_line_cycles,
                            c.functional.walk_read_cycles,  c.functional.walk_overhead_cycles};
    p.fast_path = c.fast_path;
    p.itlb = tlb_geometry(c.itlb);
    p.dtlb = tlb_geometry(c.dtlb);
    p.l2_tlb = c.l2_tlb;
    p.l2_tlb_geometry = tlb_geometry(c.l2_tlb_geometry);
    p.walk_cache_entries = c.walk_cache_entries;
    apply_cache_level(p.caches.l1i, c.caches.l1i);
    apply_cache_level(p.caches.l1d, c.caches.l1d);
    apply_cache_level(p.caches.l2, c.caches.l2);
    p.caches.l2_present = c.caches.l2_present;
    p.caches.walk_overhead_cycles = c.caches.walk_overhead_cycles;
    p.sync_on_device = c.sync_on_device;
    return p;
}

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

    Built built;
    try {
        built = build_model(r, map_params, prefix, latency);
    } catch (const std::invalid_argument& e) {
        // A model refusing its parameters (e.g. DDR timings the EMIF cannot program) is a
        // configuration error at the configuration's own place.
        const bool ddr = r.model == RegionModel::ddr || r.model == RegionModel::emif;
        const config::Node* where = ddr ? cfg_.tree().find_path("ddr") : nullptr;
        throw ConfigError(where ? where->location() : r.location,
                          ddr ? "ddr" : "memory_map." + r.name, e.what());
    }
    built.region = r.name;
    built_.push_back(std::move(built));
}

namespace {
// The instance number of a region: its last run of digits ("gpio2" → 2, "i2c0" → 0,
// "dmtimer1_1ms" → 1).
unsigned instance_of(const std::string& name) {
    size_t end = name.find_last_of("0123456789");
    if (end == std::string::npos) return 0;
    size_t begin = name.find_last_not_of("0123456789", end);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return static_cast<unsigned>(std::stoul(name.substr(begin, end - begin + 1)));
}
}  // namespace

// The board's devices on I2C0: the TI board-ID EEPROM at 0x50 (a 24LC32A with 2-byte
// addressing on every TI AM335x board, am335x.md §11) and the PMIC.
void Soc::attach_board_i2c(I2c& i2c0) {
    const config::EepromConfig& e = cfg_.board.eeprom;
    At24Params ep;
    ep.name = "board.eeprom";
    ep.contents = ti_board_id(e.name, e.version, e.serial, e.config);
    eeprom_ = std::make_unique<At24>(ep);
    i2c0.bus.attach(0x50, *eeprom_);
    const config::PmicConfig& p = cfg_.board.pmic;
    if (p.model == "tps65217") {
        Tps65217Params pp;
        pp.name = "board.pmic";
        pp.ac_power = p.ac_power;
        pp.usb_power = p.usb_power;
        pmic_ = std::make_unique<Tps65217>(pp);
        i2c0.bus.attach(static_cast<uint8_t>(p.address), *pmic_);
        // nINT of the TPS65217 goes to the NMI input, INTC line 7 (am335x.md §1.3, §11).
        pmic_->irq.connect(*irq_lines_[kPmicIrqLine]);
    }
}

std::unique_ptr<UartBackend> Soc::make_backend(const std::string& uart) {
    const config::UartBackendSettings* b = cfg_.find_uart(uart);
    if (!b) return nullptr;
    UartBackendConfig c;
    if (!parse_uart_backend_kind(b->backend, c.kind))
        throw ConfigError(b->location, "uart." + uart + ".backend",
                          "unknown backend " + b->backend);
    c.input = b->stdin_input;
    c.path = b->path;
    c.append = b->append;
    c.address = b->address;
    c.port = b->port;
    c.echo = b->echo;
    for (const auto& in : b->input)
        c.script.push_back(
            {sc_core::sc_time(static_cast<double>(in.at_ps), sc_core::SC_PS), in.bytes});
    try {
        return make_uart_backend(c, uart);
    } catch (const std::exception& e) {
        // A refused file or port is reported at the board file's uart entry.
        throw ConfigError(b->location, "uart." + uart, e.what());
    }
}

Soc::Built Soc::build_model(const RegionConfig& r, const RegionParams& map_params,
                            const std::string& prefix, const sc_core::sc_time& latency) {
    Built built;
    std::unique_ptr<sc_core::sc_module>& module = built.module;
    const config::DomainConfig* dom = cfg_.interconnect.find_domain(r.domain);
    const auto ocp_hz = static_cast<uint64_t>((dom ? dom->clock_mhz : 100.0) * 1e6);
    // Maps a register model and gives it the region's access latency.
    const auto map_peripheral = [&](auto model) {
        model->set_access_latency(latency);
        router_->map(map_params, model->socket);
        auto* raw = model.get();
        module = std::move(model);
        return raw;
    };
    switch (r.model) {
        case RegionModel::intc: {
            intc_ = map_peripheral(std::make_unique<Intc>(r.name.c_str(), IntcParams{}));
            break;
        }
        case RegionModel::prcm: {
            PrcmParams pp;
            pp.stat_prefix = prefix;
            pp.clk_m_osc_hz = cfg_.soc.clocks.osc_mhz * 1e6;
            prcm_ = map_peripheral(std::make_unique<Prcm>(r.name.c_str(), pp));
            break;
        }
        case RegionModel::control: {
            ControlModuleParams cp;
            cp.stat_prefix = prefix;
            cp.crystal_hz = cfg_.soc.clocks.osc_mhz * 1e6;
            cp.silicon_rev = cfg_.soc.silicon_rev;
            cp.partnum = cfg_.soc.device_id_partnum;
            control_ = map_peripheral(std::make_unique<ControlModule>(r.name.c_str(), cp));
            break;
        }
        case RegionModel::gpio: {
            const unsigned bank = instance_of(r.name);
            GpioParams gp;
            gp.stat_prefix = prefix;
            gp.debounce_clock_hz = static_cast<uint64_t>(cfg_.soc.clocks.clk_32k_mhz * 1e6 + 0.5);
            gp.rx_active = [this, bank](unsigned pin) {
                return control_ ? control_->pad_rx_active(bank, pin) : true;
            };
            Gpio* g = map_peripheral(std::make_unique<Gpio>(r.name.c_str(), gp));
            if (gpios_.size() <= bank) gpios_.resize(bank + 1, nullptr);
            gpios_[bank] = g;
            if (control_)
                control_->on_pad_change([this, g](uint32_t, uint32_t) {
                    g->pad_config_changed(control_->access_offset());
                });
            built.irqs = {&g->irq[0], &g->irq[1]};
            break;
        }
        case RegionModel::dmtimer:
        case RegionModel::dmtimer_1ms: {
            const unsigned n = instance_of(r.name);
            DmTimerParams tp;
            tp.stat_prefix = prefix;
            tp.ocp_clock_hz = ocp_hz;
            // DMTIMER0 runs from CLK_RC32K (SPRUH73 §20.1.2); the others start from the
            // CLKSEL reset value and follow the PRCM (wire_clocks).
            if (n == 0) tp.clock_hz = static_cast<uint64_t>(cfg_.soc.clocks.rc32k_mhz * 1e6 + 0.5);
            DmTimerBase* t;
            if (r.model == RegionModel::dmtimer_1ms)
                t = map_peripheral(std::make_unique<DmTimer1ms>(r.name.c_str(), tp));
            else
                t = map_peripheral(std::make_unique<DmTimer>(r.name.c_str(), tp));
            if (n < timers_.size()) timers_[n] = t;
            built.irqs = {&t->irq};
            break;
        }
        case RegionModel::uart: {
            UartParams up;
            up.stat_prefix = prefix;
            up.fclk_hz = static_cast<uint64_t>(cfg_.soc.clocks.uart_fclk_mhz * 1e6 + 0.5);
            Uart* u =
                map_peripheral(std::make_unique<Uart>(r.name.c_str(), up, make_backend(r.name)));
            built.irqs = {&u->irq};
            break;
        }
        case RegionModel::i2c: {
            I2cParams ip;
            ip.stat_prefix = prefix;
            ip.fclk_hz = static_cast<uint64_t>(cfg_.soc.clocks.i2c_fclk_mhz * 1e6 + 0.5);
            ip.smart_idle_wakeup = instance_of(r.name) == 0;  // only I2C0 (SPRUH73 §21.4.1)
            I2c* i = map_peripheral(std::make_unique<I2c>(r.name.c_str(), ip));
            if (instance_of(r.name) == 0) attach_board_i2c(*i);
            built.irqs = {&i->irq};
            break;
        }
        case RegionModel::edma_tpcc: {
            EdmaTpccParams ep;
            ep.stat_prefix = prefix;
            tpcc_ = map_peripheral(std::make_unique<EdmaTpcc>(r.name.c_str(), ep));
            // CCINT0 (12), CCMPINT (13), CCERRINT (14): am335x.md §1.3.
            built.irqs = {&tpcc_->irq_region[0], &tpcc_->irq_mperr, &tpcc_->irq_error};
            break;
        }
        case RegionModel::edma_tptc: {
            EdmaTptcParams tp;
            tp.stat_prefix = prefix;
            tp.clock_hz = ocp_hz;
            EdmaTptc* tc = map_peripheral(std::make_unique<EdmaTptc>(r.name.c_str(), tp));
            // Each transfer controller is a bus master on L3F (its own router port), so DMA
            // traffic contends with the CPU and shows in traces under its name.
            attach_initiator(tc->initiator, r.name);
            const unsigned q = instance_of(r.name);
            if (tptcs_.size() <= q) tptcs_.resize(q + 1, nullptr);
            tptcs_[q] = tc;
            built.irqs = {&tc->irq_error};
            break;
        }
        case RegionModel::wdt: {
            WdtParams wp;
            wp.stat_prefix = prefix;
            wp.ocp_clock_hz = ocp_hz;
            wp.clock_hz = static_cast<uint64_t>(cfg_.soc.clocks.clk_32k_mhz * 1e6 + 0.5);
            Wdt* w = map_peripheral(std::make_unique<Wdt>(r.name.c_str(), wp));
            built.irqs = {&w->irq};
            break;
        }
        case RegionModel::rtc: {
            RtcParams rp;
            rp.stat_prefix = prefix;
            rp.ocp_clock_hz = ocp_hz;
            Rtc* c = map_peripheral(std::make_unique<Rtc>(r.name.c_str(), rp));
            built.irqs = {&c->irq_timer, &c->irq_alarm};
            break;
        }
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
            Emif* e = map_peripheral(std::make_unique<Emif>(r.name.c_str(), *ddr_, ep));
            built.irqs = {&e->irq};
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
    return built;
}

}  // namespace vp::platform
