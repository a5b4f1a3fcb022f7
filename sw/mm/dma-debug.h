// DMA-API debugging (kernel/dma/debug.c, CONFIG_DMA_API_DEBUG; linux-mm.md §14.6).
//
// Every streaming mapping and coherent allocation gets an entry keyed by (device, DMA
// address); unmap, free and sync look it up and report misuse as Linux does: a WARNING whose
// text starts "DMA-API: <driver> <device>: ", one count in error_count, and the simulation
// goes on. As in Linux, only the first `num_errors` (default 1) reports are printed unless
// all_errors is set; every error is counted. The entries are host objects (bookkeeping,
// as struct page is here, docs/guest/mm.md); they cost no simulated time.
//
// Not applicable here, so never reported: "maps memory from stack" (the guest's stack is
// host memory), "maps memory from kernel text or rodata" (the simulated kernel image has no
// separate text section), and the scatter-gather checks (no dma_map_sg yet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sw/mm/dma-direction.h"
#include "sw/mm/memory.h"

namespace kernel {

struct device;
using dma_addr_t = uint32_t;

enum dma_debug_type : int {
    dma_debug_single,
    dma_debug_sg,
    dma_debug_coherent,
    dma_debug_noncoherent,
    dma_debug_phy,
};

enum map_err_types : int {
    MAP_ERR_CHECK_NOT_APPLICABLE,
    MAP_ERR_NOT_CHECKED,
    MAP_ERR_CHECKED,
};

struct dma_debug_entry {
    const device* dev = nullptr;
    uint64_t dev_addr = 0;
    uint64_t size = 0;
    int type = dma_debug_single;
    int direction = DMA_NONE;
    phys_addr_t paddr = 0;
    map_err_types map_err_type = MAP_ERR_CHECK_NOT_APPLICABLE;
};

// ---- the hooks the DMA API calls (debug_dma_*) ---------------------------------------------
// Checks of dma_map_single's CPU address: "maps memory from invalid area" (not a linear
// lowmem address), "maps memory from vmalloc area".
void debug_dma_map_single(const device* dev, uint32_t addr, size_t len);
// A new streaming mapping (not for a mapping error); checks overlapping cache lines.
void debug_dma_map_phys(const device* dev, phys_addr_t phys, size_t size, int dir,
                        dma_addr_t dma_addr);
void debug_dma_mapping_error(const device* dev, dma_addr_t dma_addr);
void debug_dma_unmap_phys(const device* dev, dma_addr_t dma_addr, size_t size, int dir);
void debug_dma_alloc_coherent(const device* dev, size_t size, dma_addr_t dma_addr,
                              phys_addr_t paddr);
// `paddr` = the physical address behind the cpu_addr the driver passed to dma_free_coherent.
void debug_dma_free_coherent(const device* dev, size_t size, phys_addr_t paddr,
                             dma_addr_t dma_addr);
void debug_dma_sync_single_for_cpu(const device* dev, dma_addr_t dma_handle, size_t size, int dir);
void debug_dma_sync_single_for_device(const device* dev, dma_addr_t dma_handle, size_t size,
                                      int dir);
// BUS_NOTIFY_UNBOUND_DRIVER: the driver of `dev` is released; any entry left is a leak
// ("device driver has pending DMA allocations while released from device [count=N]").
// Returns the number of pending entries (they stay recorded, as in Linux).
int debug_dma_device_release(const device* dev);

// ---- debugfs dma-api/ ------------------------------------------------------------------------
uint32_t dma_debug_error_count();
void dma_debug_set_all_errors(bool all);    // all_errors
void dma_debug_set_num_errors(uint32_t n);  // num_errors
uint32_t dma_debug_num_errors();
// Live entries (of one device, or all with nullptr).
std::vector<dma_debug_entry> dma_debug_entries(const device* dev = nullptr);
// The debugfs "dump" file: "<driver> <device> <type> idx <i> P=<pa> D=<da> L=<len> cln=<cln>
// <dir> <map error state>" per entry.
std::string dma_debug_dump();
// Forgets every entry and error and restores the defaults (a fresh boot).
void dma_debug_reset();

}  // namespace kernel
