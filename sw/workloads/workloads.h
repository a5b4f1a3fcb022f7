// The workloads of the registry (sw/workloads/workload.h), one file each.
#pragma once

#include "sw/workloads/workload.h"

namespace workload {

void run_boot(const Context& ctx);
void run_tlb_scan(const Context& ctx);
void run_pointer_chase(const Context& ctx);
void run_alloc_stress(const Context& ctx);

}  // namespace workload
