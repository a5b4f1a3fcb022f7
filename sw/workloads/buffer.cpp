#include "sw/workloads/buffer.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sw/mm/gfp.h"
#include "sw/mm/mm_types.h"
#include "sw/mm/mmap.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"

namespace workload {

// The process that owns a user buffer.
struct Buffer::User {
    kernel::mm_struct* mm = nullptr;
};

Buffer::Buffer(Alloc how, uint64_t size) : how_(how), size_(size) {
    if (size == 0) throw std::invalid_argument("a workload buffer of 0 bytes");
    switch (how) {
        case Alloc::kmalloc: {
            // Pieces of KMALLOC_MAX_SIZE (order-MAX_PAGE_ORDER buddy blocks, naturally
            // aligned), so a large buffer stays in the section-mapped linear map.
            seg_bytes_ = kernel::kmalloc_max_size();
            for (uint64_t done = 0; done < size; done += seg_bytes_) {
                const uint64_t n = std::min<uint64_t>(seg_bytes_, size - done);
                const uint32_t va = kernel::kmalloc(n, kernel::GFP_KERNEL | kernel::__GFP_NOWARN);
                if (!va) {
                    release();
                    throw std::runtime_error("kmalloc of " + std::to_string(n) +
                                             " bytes failed (lowmem exhausted?)");
                }
                segments_.push_back(Segment{va, n});
            }
            break;
        }
        case Alloc::vmalloc: {
            seg_bytes_ = size;
            const uint32_t va = kernel::vmalloc(static_cast<unsigned long>(size));
            if (!va)
                throw std::runtime_error("vmalloc of " + std::to_string(size) + " bytes failed");
            segments_.push_back(Segment{va, size});
            break;
        }
        case Alloc::user: {
            seg_bytes_ = size;
            kernel::user_mm_init();
            user_ = std::make_unique<User>();
            user_->mm = kernel::mm_alloc();
            if (!user_->mm) throw std::runtime_error("mm_alloc failed");
            const uint32_t va = kernel::vm_mmap(user_->mm, 0, static_cast<uint32_t>(size),
                                                kernel::PROT_READ | kernel::PROT_WRITE,
                                                kernel::MAP_PRIVATE | kernel::MAP_ANONYMOUS);
            if (kernel::IS_ERR_VALUE(va)) {
                release();
                throw std::runtime_error("mmap of " + std::to_string(size) + " bytes failed");
            }
            segments_.push_back(Segment{va, size});
            break;
        }
    }
}

Buffer::~Buffer() {
    release();
}

void Buffer::release() {
    for (const Segment& s : segments_) {
        if (how_ == Alloc::kmalloc) kernel::kfree(s.va);
        if (how_ == Alloc::vmalloc) kernel::vfree(s.va);
    }
    segments_.clear();
    if (user_ && user_->mm) {
        kernel::switch_mm(kernel::current_user_mm(), nullptr);
        kernel::mmput(user_->mm);  // unmaps and frees every page of the mapping
        user_->mm = nullptr;
        kernel::user_mm_exit();
    }
}

void Buffer::with_access(const std::function<void()>& fn) {
    if (!user_) {
        fn();
        return;
    }
    const int sig = kernel::run_user(user_->mm, [&](hal::Cpu&) { fn(); });
    if (sig != 0)
        throw std::runtime_error("the user process was killed by signal " + std::to_string(sig));
}

}  // namespace workload
