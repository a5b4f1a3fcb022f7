#include "models/cpu/mmu/walk_cache.h"

#include <stdexcept>

namespace vp::mmu {

WalkCache::WalkCache(const std::string& prefix, unsigned entries)
    : hits_(prefix + ".hits", "first-level descriptor reads saved by the walk cache"),
      misses_(prefix + ".misses", "walks that had to read the first-level descriptor") {
    if (entries == 0)
        throw std::invalid_argument("walk cache '" + prefix + "': entries must be at least 1");
    slots_.resize(entries);
}

bool WalkCache::lookup(uint32_t l1_addr, uint32_t& desc) {
    for (const Slot& s : slots_) {
        if (s.valid && s.addr == l1_addr) {
            desc = s.desc;
            ++hits_;
            return true;
        }
    }
    ++misses_;
    return false;
}

void WalkCache::insert(uint32_t l1_addr, uint32_t desc) {
    for (Slot& s : slots_) {
        if (s.valid && s.addr == l1_addr) {
            s.desc = desc;
            return;
        }
    }
    Slot& s = slots_[next_];
    s = Slot{l1_addr, desc, true};
    next_ = (next_ + 1) % static_cast<unsigned>(slots_.size());
}

void WalkCache::invalidate_all() {
    for (Slot& s : slots_)
        s.valid = false;
}

unsigned WalkCache::valid_count() const {
    unsigned n = 0;
    for (const Slot& s : slots_)
        n += s.valid ? 1 : 0;
    return n;
}

}  // namespace vp::mmu
