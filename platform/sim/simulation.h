// One run of the simulator: configuration → SoC → optional script/workload → summary,
// statistics, trace and waveform files. platform/main.cpp is only the command line around it.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace vp::sim {

struct Options {
    std::string board;              // path or bare name; empty: the default board
    std::vector<std::string> sets;  // "key.path=value" overrides, in order
    std::string time_limit;         // "10ms": same as --set sim.time_limit=10ms
    std::string stats_file;         // JSON statistics
    std::string trace_file;         // transaction trace (text, or JSON lines for *.jsonl)
    std::string trace_filter;       // address ranges / names
    std::string vcd_file;           // IRQ lines (and later pins, LEDs) as VCD
    std::string script;             // register script (YAML)
    std::string workload;           // --workload NAME (same as --set workload.name=NAME)
    bool quiet = false;             // no summary, warnings only
    bool print_config = false;      // print the merged configuration and exit
    bool print_memory_map = false;  // print the decoded memory map and exit
    bool dump_registers = false;    // print every register model's registers at the end
    bool progress = true;           // progress on stderr when it is a terminal
};

// Exit status: 0 success (a script: every expectation held), 1 a script expectation
// failed, 2 a configuration or script error (bad YAML, bad option), 3 the guest failed (a
// kernel oops, an undefined instruction, a workload error).
int run(const Options& options, std::ostream& out, std::ostream& err);

// Prints the workloads with one line each (--list-workloads).
int list_workloads(std::ostream& out);

// Prints the boards of the configs directory (--list-boards).
int list_boards(std::ostream& out);

}  // namespace vp::sim
