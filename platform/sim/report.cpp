#include "platform/sim/report.h"

#include <fmt/format.h>

#include <iostream>

#include "models/core/stats.h"

namespace vp::sim {

namespace {

std::string human_time(double seconds) {
    if (seconds >= 1) return fmt::format("{:.3f} s", seconds);
    if (seconds >= 1e-3) return fmt::format("{:.3f} ms", seconds * 1e3);
    if (seconds >= 1e-6) return fmt::format("{:.3f} us", seconds * 1e6);
    return fmt::format("{:.3f} ns", seconds * 1e9);
}

std::string human_rate(double per_second) {
    if (per_second >= 1e9) return fmt::format("{:.2f} G/s", per_second / 1e9);
    if (per_second >= 1e6) return fmt::format("{:.2f} M/s", per_second / 1e6);
    if (per_second >= 1e3) return fmt::format("{:.2f} k/s", per_second / 1e3);
    return fmt::format("{:.0f} /s", per_second);
}

void handler(const sc_core::sc_report& r, const sc_core::sc_actions& actions) {
    using namespace sc_core;
    if (actions & SC_DISPLAY) {
        const char* sev = "info";
        switch (r.get_severity()) {
            case SC_WARNING:
                sev = "warning";
                break;
            case SC_ERROR:
                sev = "error";
                break;
            case SC_FATAL:
                sev = "fatal";
                break;
            default:
                break;
        }
        std::cerr << fmt::format("[{:>14}] {}: {}: {}\n", human_time(sc_time_stamp().to_seconds()),
                                 sev, r.get_msg_type(), r.get_msg());
    }
    // Keep SystemC's own handling of stop/abort/throw for its internal errors.
    sc_report_handler::default_handler(r, actions & ~SC_DISPLAY);
}

}  // namespace

void install_report_handler() {
    using namespace sc_core;
    sc_report_handler::set_handler(&handler);
    // A model's SC_ERROR is shown, never thrown: the simulation goes on.
    sc_report_handler::set_actions(SC_ERROR, SC_DISPLAY | SC_LOG);
    // "Simulation stopped by user." is how every scripted run ends: not news.
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
}

Progress::Progress(std::ostream& err, bool enabled, sc_core::sc_time limit)
    : err_(err),
      enabled_(enabled),
      limit_(limit),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(const sc_core::sc_time& now) {
    if (!enabled_) return;
    auto t = std::chrono::steady_clock::now();
    double host = std::chrono::duration<double>(t - start_).count();
    if (host < 2.0 || std::chrono::duration<double>(t - last_).count() < 0.5) return;
    last_ = t;
    shown_ = true;
    std::string of;
    if (limit_ > sc_core::SC_ZERO_TIME)
        of = fmt::format(" of {} ({:.0f}%)", human_time(limit_.to_seconds()),
                         100.0 * now.to_seconds() / limit_.to_seconds());
    err_ << fmt::format("\rsimulated {}{}, host {:.1f} s   ", human_time(now.to_seconds()), of,
                        host)
         << std::flush;
}

void Progress::finish() {
    if (shown_) err_ << "\n";
}

RunSummary summarise(const sc_core::sc_time& sim_time, double host_seconds) {
    RunSummary s;
    s.sim_seconds = sim_time.to_seconds();
    s.host_seconds = host_seconds;
    auto& reg = stats::Registry::global();
    if (auto* t = reg.find("interconnect.transactions"))
        s.transactions = static_cast<uint64_t>(t->value());
    auto* loads = reg.find("cpu.loads");
    auto* stores = reg.find("cpu.stores");
    if (loads && stores) s.cpu_accesses = static_cast<uint64_t>(loads->value() + stores->value());
    if (auto* m = reg.find("cpu.dtlb.miss_rate")) s.dtlb_miss_rate = m->value();
    // "board.leds.<name>.toggles"
    const std::string leds = "board.leds.", toggles = ".toggles";
    for (const stats::StatBase* st : reg.list("board.leds")) {
        const std::string& n = st->name();
        if (n.size() > leds.size() + toggles.size() && st->value() > 0 &&
            n.compare(n.size() - toggles.size(), toggles.size(), toggles) == 0)
            s.led_changes.emplace_back(
                n.substr(leds.size(), n.size() - leds.size() - toggles.size()),
                static_cast<uint64_t>(st->value()));
    }
    return s;
}

std::map<std::string, std::string> RunSummary::json_extras() const {
    return {{"sim.seconds", fmt::format("{}", sim_seconds)},
            {"host.seconds", fmt::format("{}", host_seconds)}};
}

std::string RunSummary::text() const {
    std::string out = "---- summary ----\n";
    out += fmt::format("simulated time   {}\n", human_time(sim_seconds));
    out += fmt::format("host time        {}", human_time(host_seconds));
    if (host_seconds > 0 && sim_seconds > 0)
        out += fmt::format(" ({:.3g}x real time)", sim_seconds / host_seconds);
    out += "\n";
    out += fmt::format("bus transactions {} ({})\n", transactions,
                       human_rate(host_seconds > 0 ? transactions / host_seconds : 0));
    if (cpu_accesses)
        out += fmt::format("cpu accesses     {} ({})\n", cpu_accesses,
                           human_rate(host_seconds > 0 ? cpu_accesses / host_seconds : 0));
    if (dtlb_miss_rate >= 0) out += fmt::format("D-TLB miss rate  {:.4f}\n", dtlb_miss_rate);
    for (const auto& [led, n] : led_changes)
        out += fmt::format("LED {:<12} {} change{}\n", led, n, n == 1 ? "" : "s");
    return out;
}

}  // namespace vp::sim
