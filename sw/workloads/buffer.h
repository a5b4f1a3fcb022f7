// A workload's buffer: `size` bytes from kmalloc (the linear map: 1 MiB sections), vmalloc
// (4 KiB pages in the vmalloc area) or a user process's anonymous mapping (4 KiB pages,
// demand-paged, accessed at PL0). docs/workloads.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "sw/hal/cpu.h"
#include "sw/workloads/params.h"

namespace workload {

class Buffer {
  public:
    // Allocates; throws std::runtime_error when the kernel cannot (the message says why).
    Buffer(Alloc how, uint64_t size);
    ~Buffer();
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    Alloc how() const { return how_; }
    uint64_t size() const { return size_; }
    // Virtual address of byte `offset` (offset < size()).
    uint32_t va(uint64_t offset) const {
        if (segments_.size() == 1) return segments_[0].va + static_cast<uint32_t>(offset);
        const Segment& s = segments_[offset / seg_bytes_];
        return s.va + static_cast<uint32_t>(offset % seg_bytes_);
    }
    // Accesses are unprivileged (user buffers): pass to hal try_* / as_user.
    bool user() const { return how_ == Alloc::user; }

    // Runs `fn` where the buffer is accessible: in its process at PL0 for a user buffer, as
    // the kernel otherwise. Throws std::runtime_error when the user process is killed.
    void with_access(const std::function<void()>& fn);

  private:
    // kmalloc buffers larger than KMALLOC_MAX_SIZE are made of KMALLOC_MAX_SIZE pieces, each a
    // naturally aligned buddy block in the linear map (so still 1 MiB sections).
    uint64_t seg_bytes_ = 0;
    struct Segment {
        uint32_t va;
        uint64_t bytes;
    };
    void release();

    Alloc how_;
    uint64_t size_;
    std::vector<Segment> segments_;
    struct User;
    std::unique_ptr<User> user_;
};

// xorshift64*: the workloads' seeded generator (same sequence on every host).
class Random {
  public:
    explicit Random(uint64_t seed) : s_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
    uint64_t next() {
        s_ ^= s_ >> 12;
        s_ ^= s_ << 25;
        s_ ^= s_ >> 27;
        return s_ * 0x2545F4914F6CDD1Dull;
    }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }

  private:
    uint64_t s_;
};

}  // namespace workload
