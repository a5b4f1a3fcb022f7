// Run reporting: the SystemC report handler (log lines with simulated time), progress on
// stderr for long runs, and the end-of-run summary (DESIGN.md §8).
#pragma once

#include <systemc>

#include <chrono>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vp::sim {

// Formats every sc_report as "[  12.345 us] warning: gpio1: message" on stderr; model
// errors are displayed, never thrown. Idempotent.
void install_report_handler();

// Shows "simulated 12.0 ms of 100 ms (12%), host 3.1 s" on one stderr line, refreshed at
// most twice a second, once a run has taken more than two host seconds.
class Progress {
  public:
    Progress(std::ostream& err, bool enabled, sc_core::sc_time limit);
    void update(const sc_core::sc_time& now);
    void finish();

  private:
    std::ostream& err_;
    bool enabled_;
    bool shown_ = false;
    sc_core::sc_time limit_;
    std::chrono::steady_clock::time_point start_, last_;
};

struct RunSummary {
    double sim_seconds = 0;
    double host_seconds = 0;
    uint64_t transactions = 0;
    uint64_t cpu_accesses = 0;
    double dtlb_miss_rate = -1;  // < 0: no CPU statistics
    // Board LEDs that changed during the run, with their number of changes (in name order).
    std::vector<std::pair<std::string, uint64_t>> led_changes;
    // "sim.seconds", "host.seconds", ... for the statistics file.
    std::map<std::string, std::string> json_extras() const;
    // The human summary printed at the end of a run.
    std::string text() const;
};

RunSummary summarise(const sc_core::sc_time& sim_time, double host_seconds);

}  // namespace vp::sim
