// am335x-vp: the command line of the virtual platform (docs/cli.md).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <systemc>

#include "platform/sim/simulation.h"

// libsystemc refers to sc_main; this program has its own main().
int sc_main(int, char**) {
    return 0;
}

int main(int argc, char** argv) {
    // SystemC prints a banner on stdout when its kernel starts, unless told not to.
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "DISABLE", 0);

    vp::sim::Options o;
    bool list = false;
    bool list_workloads = false;
    CLI::App app{
        "am335x-vp: a SystemC/TLM-2.0 virtual platform of the TI AM335x (BeagleBone Black).\n"
        "Runs the board given by --board (default beaglebone-black); see docs/cli.md.",
        "am335x-vp"};
    app.add_option("-b,--board", o.board,
                   "board file, or a name from configs/boards (see --list-boards)");
    app.add_option("-s,--set", o.sets, "override any configuration key: --set cpu.clock_mhz=600")
        ->type_name("KEY=VALUE")
        ->take_all();
    app.add_option("-t,--time-limit", o.time_limit,
                   "simulated time to run (same as --set sim.time_limit=...), e.g. 10ms");
    app.add_option("--stats", o.stats_file, "write statistics as JSON to FILE")->type_name("FILE");
    app.add_option("--trace", o.trace_file,
                   "write one line per bus transaction to FILE (*.jsonl: JSON lines)")
        ->type_name("FILE");
    app.add_option("--trace-filter", o.trace_filter,
                   "only trace these address ranges or names: 0x44e07000-0x44e07fff,gpio1")
        ->type_name("SPEC");
    app.add_option("--vcd", o.vcd_file, "write IRQ lines to FILE as VCD (GTKWave)")
        ->type_name("FILE");
    app.add_option("--script", o.script,
                   "run a register script (YAML) from a bus master where the MPU sits")
        ->type_name("FILE");
    app.add_option("-w,--workload", o.workload,
                   "what the CPU runs: boot (default), tlb-scan, pointer-chase, alloc-stress, "
                   "none (see --list-workloads)")
        ->type_name("NAME");
    app.add_flag("--list-boards", list, "list the board files and exit");
    app.add_flag("--list-workloads", list_workloads, "list the workloads and exit");
    app.add_flag("--print-config", o.print_config,
                 "print the merged configuration (with where each value came from) and exit");
    app.add_flag("--print-memory-map", o.print_memory_map,
                 "print the decoded memory map with latencies and exit");
    app.add_flag("--dump-registers", o.dump_registers,
                 "print every register model's registers at the end of the run");
    app.add_flag("-q,--quiet", o.quiet, "no banner and no summary; warnings and errors only");
    app.add_flag(
        "--no-progress", [&o](int64_t) { o.progress = false; }, "never show progress on stderr");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    if (list) return vp::sim::list_boards(std::cout);
    if (list_workloads) return vp::sim::list_workloads(std::cout);
    return vp::sim::run(o, std::cout, std::cerr);
}
