#include "platform/sim/simulation.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <systemc>

#include "models/core/log.h"
#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "platform/board/board.h"
#include "platform/config/platform_config.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "platform/sim/report.h"
#include "platform/sim/trace_writer.h"
#include "platform/sim/vcd.h"
#include "platform/soc/soc.h"

namespace vp::sim {

namespace {

using Clock = std::chrono::steady_clock;

void apply_log_config(const config::LogConfig& log, bool quiet) {
    LogLevel level = LogLevel::warning;
    if (!log.default_level.empty()) parse_log_level(log.default_level, level);
    if (quiet && static_cast<int>(level) > static_cast<int>(LogLevel::warning))
        level = LogLevel::warning;
    Logger::set_default_level(level);
    for (const auto& [name, text] : log.modules) {
        LogLevel l;
        if (parse_log_level(text, l)) Logger::set_level_for(name, l);
    }
}

std::string describe_board(const config::PlatformConfig& cfg) {
    return fmt::format("{} ({} {}, {} MiB {} at {:g} MHz, MPU {:g} MHz, {} mode)", cfg.board.name,
                       cfg.soc.name, cfg.soc.part, cfg.ddr.size >> 20,
                       cfg.ddr.type == config::DdrType::ddr3 ? "DDR3" : "DDR2", cfg.ddr.clock_mhz,
                       cfg.cpu.clock_mhz,
                       cfg.cpu.mode == config::CpuMode::functional ? "functional" : "approximate");
}

}  // namespace

int list_boards(std::ostream& out) {
    for (const config::BoardInfo& b : config::list_boards())
        out << fmt::format("{:<20} {:<28} {}\n", b.stem, b.name, b.description);
    return 0;
}

int run(const Options& o, std::ostream& out, std::ostream& err) {
    install_report_handler();

    // ---- configuration -------------------------------------------------------------------
    std::vector<std::string> sets = o.sets;
    if (!o.time_limit.empty()) sets.push_back("sim.time_limit=" + o.time_limit);
    config::PlatformConfig cfg;
    try {
        cfg = config::load_platform_config(o.board.empty() ? config::kDefaultBoard : o.board, sets);
    } catch (const config::ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    }
    if (o.print_config) {
        out << cfg.to_yaml();
        return 0;
    }
    apply_log_config(cfg.sim.log, o.quiet);

    // ---- the platform ----------------------------------------------------------------------
    std::unique_ptr<platform::Soc> soc;
    std::unique_ptr<script::ScriptMaster> master;
    std::unique_ptr<TraceWriter> tracer;
    std::unique_ptr<VcdWriter> vcd;
    try {
        soc = std::make_unique<platform::Soc>("soc", cfg);
        if (o.print_memory_map) {
            out << soc->router().memory_map();
            return 0;
        }
        if (!o.script.empty()) {
            master = std::make_unique<script::ScriptMaster>("script",
                                                            script::parse_script(o.script), out);
            soc->attach_initiator(master->socket, "script");
            platform::Soc* s = soc.get();
            master->set_irq_lookup([s](unsigned line) { return s->find_irq_line(line); });
            master->check_platform();
            master->on_complete([] { sc_core::sc_stop(); });
        }
        if (!o.trace_file.empty()) {
            tracer =
                std::make_unique<TraceWriter>(o.trace_file, TraceFilter::parse(o.trace_filter));
            soc->router().set_trace_sink(tracer.get());
            soc->router().set_trace_enabled(true);
        }
        if (!o.vcd_file.empty()) {
            vcd = std::make_unique<VcdWriter>(o.vcd_file);
            for (unsigned i = 0; i < platform::Soc::kIrqLines; ++i)
                vcd->add(soc->irq_line(i), "soc.intc", fmt::format("irq{}", i));
            for (const auto& led : soc->board().leds())
                vcd->add(*led.lit, "board.leds", led.name);
            for (const auto& b : soc->board().buttons())
                vcd->add(*b.pressed, "board.buttons", b.name);
        }
    } catch (const config::ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const script::ScriptError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::invalid_argument& e) {
        err << "am335x-vp: error: " << e.what() << "\n";
        return 2;
    } catch (const std::runtime_error& e) {
        err << "am335x-vp: error: " << e.what() << "\n";
        return 2;
    }

    if (!o.quiet) out << "am335x-vp: " << describe_board(cfg) << "\n";

    // ---- run -------------------------------------------------------------------------------
    const auto host_start = Clock::now();
    const sc_core::sc_time limit(static_cast<double>(cfg.sim.time_limit_ps), sc_core::SC_PS);
    Progress progress(err, o.progress && !o.quiet && ::isatty(2), limit);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    while (sc_core::sc_get_status() != sc_core::SC_STOPPED) {
        sc_core::sc_time remaining = limit == sc_core::SC_ZERO_TIME
                                         ? sc_core::sc_time(1, sc_core::SC_MS)
                                         : limit - sc_core::sc_time_stamp();
        if (limit != sc_core::SC_ZERO_TIME && remaining <= sc_core::SC_ZERO_TIME) break;
        const sc_core::sc_time slice = std::min(remaining, sc_core::sc_time(1, sc_core::SC_MS));
        sc_core::sc_start(slice);
        progress.update(sc_core::sc_time_stamp());
        // Nothing left to simulate and no script running: done.
        if (!master && !sc_core::sc_pending_activity() && limit == sc_core::SC_ZERO_TIME) break;
    }
    progress.finish();
    const double host_s = std::chrono::duration<double>(Clock::now() - host_start).count();

    // ---- results -------------------------------------------------------------------------------
    int status = 0;
    if (master) status = master->passed() ? 0 : 1;
    if (master && !master->done()) {
        err << "am335x-vp: the script did not finish within the time limit (" << limit.to_string()
            << ")\n";
        status = 1;
    }
    if (vcd && !vcd->close()) err << "am335x-vp: " << vcd->error() << "\n";
    if (tracer) tracer->flush();
    if (o.dump_registers) {
        for (auto& [name, p] : soc->peripherals())
            out << "== " << name << "\n" << p->regs().dump();
    }
    RunSummary summary = summarise(sc_core::sc_time_stamp(), host_s);
    if (!o.stats_file.empty()) {
        std::ofstream f(o.stats_file);
        f << stats::Registry::global().dump_json(summary.json_extras()) << "\n";
        if (!f) {
            err << "am335x-vp: cannot write " << o.stats_file << "\n";
            status = status ? status : 2;
        }
    }
    if (!o.quiet) out << summary.text();
    return status;
}

}  // namespace vp::sim
