#include "platform/sim/simulation.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <systemc>
#include <thread>
#include <vector>

#include "models/core/log.h"
#include "models/core/peripheral.h"
#include "models/core/stats.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "platform/board/board.h"
#include "platform/config/platform_config.h"
#include "platform/script/script.h"
#include "platform/script/script_master.h"
#include "platform/sim/cpu_executor.h"
#include "platform/sim/report.h"
#include "platform/sim/trace_writer.h"
#include "platform/sim/vcd.h"
#include "platform/soc/boot_info.h"
#include "platform/soc/soc.h"
#include "sw/kernel/printk.h"
#include "sw/workloads/workload.h"

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

// The guest side of a run: what the CPU executes (a workload, the script executor, or an
// idle loop) and the workload's results as statistics.
class Guest {
  public:
    Guest(platform::Soc& soc, const config::PlatformConfig& cfg, std::ostream& err)
        : soc_(soc), cfg_(cfg), err_(err) {}

    // The CPU serves a register script's CPU steps.
    void serve_script(script::ScriptMaster& master) {
        executor_ = std::make_unique<CpuScriptExecutor>(soc_.cpu());
        soc_.cpu().set_entry([this](hal::Cpu&) { executor_->serve(); });
        master.set_cpu_executor(executor_.get());
    }

    // Throws std::invalid_argument for a workload name the registry does not know.
    void run_workload(const std::string& name) {
        CortexA8& cpu = soc_.cpu();
        if (name == "none") {
            cpu.set_entry([this](hal::Cpu&) {
                for (;;)
                    sc_core::wait(never_);  // the CPU sits in reset-like idle
            });
            return;
        }
        const workload::Workload* w = workload::find(name);
        if (!w) throw std::invalid_argument("no workload '" + name + "' (see --list-workloads)");
        boot_ = platform::make_boot_info(cfg_);
        kernel::clear_log_buf();
        kernel::set_printk_time(true);
        // Until a console driver registers, messages only go to the log buffer (dmesg).
        kernel::set_printk_sink([](int, const std::string&) {});
        cpu.set_entry([this, w](hal::Cpu& c) {
            workload::Context ctx{c,
                                  boot_,
                                  cfg_.workload,
                                  [this] { reset_stats(); },
                                  [this] { dump_stats(); },
                                  [this](const std::string& k, double v) { result(k, v); }};
            started_ = true;
            w->run(ctx);
        });
        cpu.on_exit([this](const CortexA8::ExitStatus&) { sc_core::sc_stop(); });
    }

    // After the run: 0, or 3 when the guest failed (its message on `err`).
    int finish(bool quiet) {
        CortexA8& cpu = soc_.cpu();
        cpu.fold_fast_path();  // the inline fast path's last counts, before the statistics are read
        if (!started_) return 0;
        const CortexA8::ExitStatus& st = cpu.exit_status();
        if (st.code == CortexA8::ExitCode::running) {
            if (!quiet)
                err_ << "am335x-vp: the workload was still running at the time limit ("
                     << sc_core::sc_time_stamp().to_string() << ")\n";
            return 0;
        }
        if (st.ok()) return 0;
        err_ << "am335x-vp: the guest failed: " << st.message << "\n";
        if (st.abort)
            err_ << fmt::format("  DFSR={:#010x} DFAR={:#010x}\n", st.abort->fsr, st.abort->far);
        const std::string& dmesg = kernel::log_buf();
        if (!dmesg.empty()) {
            const size_t tail = dmesg.size() > 2000 ? dmesg.size() - 2000 : 0;
            err_ << "---- last kernel messages ----\n" << dmesg.substr(tail);
        }
        return 3;
    }

    // The statistics `--stats` writes: those frozen by the workload's dump_stats(), else
    // the values now; the workload's own results (workload.*) always with their final values.
    std::map<std::string, std::string> stats() const {
        if (!frozen_) return stats::Registry::global().snapshot();
        std::map<std::string, std::string> v = *frozen_;
        for (const stats::StatBase* r : stats::Registry::global().list("workload"))
            v[r->name()] = r->json();
        return v;
    }

  private:
    void dump_stats() {
        soc_.cpu().fold_fast_path();
        frozen_ = stats::Registry::global().snapshot();
    }
    void reset_stats() {
        soc_.cpu().fold_fast_path();
        stats::Registry::global().reset_all();
    }
    void result(const std::string& key, double value) {
        auto it = results_.find(key);
        if (it == results_.end()) {
            auto v = std::make_unique<double>(value);
            double* p = v.get();
            formulas_.push_back(std::make_unique<stats::Formula>(
                "workload." + key, "a result of the workload", [p] { return *p; }));
            results_.emplace(key, std::move(v));
        } else {
            *it->second = value;
        }
    }

    platform::Soc& soc_;
    const config::PlatformConfig& cfg_;
    std::ostream& err_;
    kernel::BootInfo boot_;
    std::unique_ptr<CpuScriptExecutor> executor_;
    sc_core::sc_event never_;
    bool started_ = false;
    std::map<std::string, std::unique_ptr<double>> results_;
    std::vector<std::unique_ptr<stats::Formula>> formulas_;
    std::optional<std::map<std::string, std::string>> frozen_;
};

}  // namespace

int list_workloads(std::ostream& out) {
    out << fmt::format("{:<15} {}\n", "none", "the CPU idles (a bare SoC, register scripts)");
    for (const workload::Workload& w : workload::workloads())
        out << fmt::format("{:<15} {}\n", w.name, w.description);
    return 0;
}

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
    if (!o.workload.empty()) {
        if (!o.script.empty()) {
            err << "am335x-vp: error: --script and --workload cannot be combined (a script runs "
                   "its CPU steps on an otherwise idle CPU)\n";
            return 2;
        }
        sets.push_back("workload.name=" + o.workload);
    }
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
    std::unique_ptr<Guest> guest;
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
            guest = std::make_unique<Guest>(*soc, cfg, err);
            guest->serve_script(*master);
            master->check_platform();
            master->on_complete([] { sc_core::sc_stop(); });
        }
        if (!guest) {
            guest = std::make_unique<Guest>(*soc, cfg, err);
            guest->run_workload(cfg.workload.name);
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

    // Flushed now: the UART console backends write to the terminal during the run.
    if (!o.quiet) out << "am335x-vp: " << describe_board(cfg) << std::endl;

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
        if (cfg.sim.realtime) {  // never ahead of the host's clock
            const auto ahead =
                std::chrono::duration<double>(sc_core::sc_time_stamp().to_seconds()) -
                (Clock::now() - host_start);
            if (ahead.count() > 0) std::this_thread::sleep_for(ahead);
        }
        // Nothing left to simulate and no script running: done.
        if (!master && !sc_core::sc_pending_activity() && limit == sc_core::SC_ZERO_TIME) break;
    }
    progress.finish();
    const double host_s = std::chrono::duration<double>(Clock::now() - host_start).count();

    // ---- results -------------------------------------------------------------------------------
    int status = guest->finish(o.quiet);
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
        std::map<std::string, std::string> values = guest->stats();
        for (const auto& [name, text] : summary.json_extras())
            values[name] = text;
        f << stats::Registry::to_json(values) << "\n";
        if (!f) {
            err << "am335x-vp: cannot write " << o.stats_file << "\n";
            status = status ? status : 2;
        }
    }
    if (!o.quiet) out << summary.text();
    return status;
}

}  // namespace vp::sim
