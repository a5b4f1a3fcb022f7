// The console shell of the boot workload (docs/workloads.md "The console shell").
#pragma once

namespace workload {

// Reads command lines from UART `port` (probed by the 8250_omap driver) and answers them
// until `halt`. Commands: help, cat /proc/{buddyinfo,slabinfo,vmallocinfo,iomem,interrupts,
// meminfo,uptime}, dmesg, free, halt. Runs in the guest thread with interrupts enabled.
void run_shell(unsigned port);

}  // namespace workload
