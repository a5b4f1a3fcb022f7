// enum dma_data_direction (include/linux/dma-direction.h): who reads and who writes a buffer
// while a device owns it. Shared by the DMA API (sw/mm/dma-mapping.h) and the cache
// maintenance that implements it (sw/arch/arm/cacheflush.h).
#pragma once

namespace kernel {

enum dma_data_direction {
    DMA_BIDIRECTIONAL = 0,
    DMA_TO_DEVICE = 1,
    DMA_FROM_DEVICE = 2,
    DMA_NONE = 3,
};

constexpr bool valid_dma_direction(int dir) {
    return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

// "DMA_TO_DEVICE" ... as dma-debug prints a direction.
const char* dma_dir_name(int dir);

}  // namespace kernel
