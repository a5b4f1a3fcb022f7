// The workload registry (`am335x-vp --workload NAME`, `--list-workloads`; docs/workloads.md).
//
// A workload is guest software the CPU model runs from reset: it boots the kernel (sw/kernel
// boot.h) on the board's boot information and then does its job — the boot log and driver
// demos, or a measured kernel for TLB and page-walk studies. Plain C++17, no SystemC.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sw/workloads/params.h"

namespace hal {
class Cpu;
}
namespace kernel {
struct BootInfo;
}

namespace workload {

// What the platform hands a workload.
struct Context {
    hal::Cpu& cpu;
    const kernel::BootInfo& boot;
    const Params& params;
    // gem5's m5_reset_stats: every statistic restarts from zero — the measured phase of a
    // study begins (the boot and the buffer set-up are left out of the figures).
    std::function<void()> reset_stats;
    // gem5's m5_dump_stats: the measured phase ends; `--stats` reports the statistics as they
    // are now (what the workload does afterwards — freeing its buffer — is left out).
    std::function<void()> dump_stats;
    // A result of the workload, published as statistic "workload.<key>" (e.g. "ops").
    std::function<void(const std::string& key, double value)> result;
};

struct Workload {
    std::string name;
    std::string description;  // one line, for --list-workloads
    std::function<void(const Context&)> run;
};

// Every workload, in the order --list-workloads prints them.
const std::vector<Workload>& workloads();
// The workload called `name`, or nullptr.
const Workload* find(const std::string& name);

}  // namespace workload
