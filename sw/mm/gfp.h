// GFP flags (include/linux/gfp_types.h, Linux 6.3+ bit values; linux-mm.md §4).
#pragma once

#include <cstdint>
#include <string>

namespace kernel {

using gfp_t = uint32_t;

constexpr gfp_t __GFP_DMA = 0x01u;
constexpr gfp_t __GFP_HIGHMEM = 0x02u;
constexpr gfp_t __GFP_DMA32 = 0x04u;
constexpr gfp_t __GFP_MOVABLE = 0x08u;
constexpr gfp_t __GFP_RECLAIMABLE = 0x10u;
constexpr gfp_t __GFP_HIGH = 0x20u;
constexpr gfp_t __GFP_IO = 0x40u;
constexpr gfp_t __GFP_FS = 0x80u;
constexpr gfp_t __GFP_ZERO = 0x100u;
constexpr gfp_t __GFP_DIRECT_RECLAIM = 0x400u;
constexpr gfp_t __GFP_KSWAPD_RECLAIM = 0x800u;
constexpr gfp_t __GFP_WRITE = 0x1000u;
constexpr gfp_t __GFP_NOWARN = 0x2000u;
constexpr gfp_t __GFP_RETRY_MAYFAIL = 0x4000u;
constexpr gfp_t __GFP_NOFAIL = 0x8000u;
constexpr gfp_t __GFP_NORETRY = 0x10000u;
constexpr gfp_t __GFP_MEMALLOC = 0x20000u;
constexpr gfp_t __GFP_COMP = 0x40000u;
constexpr gfp_t __GFP_NOMEMALLOC = 0x80000u;
constexpr gfp_t __GFP_HARDWALL = 0x100000u;
constexpr gfp_t __GFP_THISNODE = 0x200000u;
constexpr gfp_t __GFP_ACCOUNT = 0x400000u;

constexpr gfp_t __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;

constexpr gfp_t GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
constexpr gfp_t GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
constexpr gfp_t GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
constexpr gfp_t GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
constexpr gfp_t GFP_NOIO = __GFP_RECLAIM;
constexpr gfp_t GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
constexpr gfp_t GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
constexpr gfp_t GFP_DMA = __GFP_DMA;
constexpr gfp_t GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
constexpr gfp_t GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;

constexpr bool gfpflags_allow_blocking(gfp_t gfp) {
    return (gfp & __GFP_DIRECT_RECLAIM) != 0;
}

// "GFP_KERNEL|__GFP_ZERO", as Linux's %pGg prints a mask.
std::string format_gfp(gfp_t gfp);

}  // namespace kernel
