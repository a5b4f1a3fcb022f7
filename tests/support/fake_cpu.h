// A flat fake of hal::Cpu for unit tests of guest code (sw/): no MMU, no caches, no time
// model. A virtual address is used directly as the offset into a 4 GiB host mapping
// (mmap MAP_NORESERVE: only the pages a test touches take host memory; untouched memory
// reads as zero). Loads and stores are counted, so a test can say "kfree wrote the free
// pointer" or "kzalloc zeroed through stores"; tracing records every access.
//
// The NULL page (VA 0x0000_0000-0x0000_0FFF) and ranges added with add_fault_range()
// raise a data abort (translation fault): the abort handler, if set, decides (retry,
// fixup, fatal); without one a plain access throws hal::GuestOops and a try_* access
// returns false.
//
// Header-only, so no CMake change is needed: include it and construct one per test.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sw/hal/cpu.h"

namespace vp::test {

class FakeCpu : public hal::Cpu {
  public:
    struct Access {
        uint32_t va;
        uint32_t size;  // bytes (block operations: their length)
        bool write;
        uint64_t value;    // loads/stores; fill: the byte
        const char* kind;  // "load", "store", "fill", "copy", "read_block", "write_block"
    };

    static constexpr uint64_t kSpace = 1ull << 32;
    static constexpr uint32_t kNullPageEnd = 0x1000;
    static constexpr uint64_t kClockHz = 1000000000;  // 1 GHz (Cortex-A8 at OPP-Nitro)

    // `install` makes it hal::this_cpu() until destroyed.
    explicit FakeCpu(bool install = true) {
        void* p = ::mmap(nullptr, kSpace, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) throw std::runtime_error("FakeCpu: cannot map 4 GiB");
        mem_ = static_cast<uint8_t*>(p);
        flush_fast_path();
        fast_budget_ = kFastBudget;
        if (install) {
            hal::set_this_cpu(this);
            installed_ = true;
        }
    }
    ~FakeCpu() override {
        if (installed_) hal::set_this_cpu(nullptr);
        ::munmap(mem_, kSpace);
    }
    FakeCpu(const FakeCpu&) = delete;
    FakeCpu& operator=(const FakeCpu&) = delete;

    // ---- test helpers -------------------------------------------------------------------
    uint8_t* host(uint32_t va) { return mem_ + va; }
    uint8_t peek8(uint32_t va) const { return mem_[va]; }
    uint32_t peek32(uint32_t va) const {
        uint32_t v;
        std::memcpy(&v, mem_ + va, 4);
        return v;
    }
    void poke8(uint32_t va, uint8_t v) { mem_[va] = v; }
    void poke32(uint32_t va, uint32_t v) { std::memcpy(mem_ + va, &v, 4); }

    uint64_t loads() const { return fast_loads_ + slow_loads_; }
    uint64_t stores() const { return fast_stores_ + slow_stores_; }
    uint64_t filled_bytes() const { return filled_; }
    uint64_t copied_bytes() const { return copied_; }
    void reset_counters() {
        fast_loads_ = fast_stores_ = 0;
        slow_loads_ = slow_stores_ = filled_ = copied_ = 0;
    }

    // Records every access (and turns the inline fast path off while on).
    void set_tracing(bool on) {
        tracing_ = on;
        flush_fast_path();
        fast_budget_ = on ? 0 : kFastBudget;
    }
    const std::vector<Access>& trace() const { return trace_; }
    void clear_trace() { trace_.clear(); }

    void add_fault_range(uint32_t start, uint32_t end) {
        faults_.emplace_back(start, end);
        flush_fast_path();
    }
    void clear_fault_ranges() {
        faults_.clear();
        flush_fast_path();
    }
    unsigned aborts() const { return aborts_; }

    // ---- hal::Cpu ------------------------------------------------------------------------
    bool try_load(uint32_t va, unsigned size, uint64_t& value, bool as_user = false) override {
        (void)as_user;
        if (!check(va, size, false, true)) return false;
        value = read(va, size);
        ++slow_loads_;
        record(va, size, false, value, "load");
        return true;
    }
    bool try_store(uint32_t va, unsigned size, uint64_t value, bool as_user = false) override {
        (void)as_user;
        if (!check(va, size, true, true)) return false;
        write(va, size, value);
        ++slow_stores_;
        record(va, size, true, value, "store");
        return true;
    }
    size_t copy(uint32_t dst, uint32_t src, size_t n, bool as_user = false) override {
        (void)as_user;
        const size_t ok = std::min(usable(src, n, false), usable(dst, n, true));
        std::memmove(mem_ + dst, mem_ + src, ok);
        copied_ += ok;
        record(dst, static_cast<uint32_t>(ok), true, src, "copy");
        return ok;
    }
    size_t fill(uint32_t va, uint8_t byte, size_t n, bool as_user = false) override {
        (void)as_user;
        const size_t ok = usable(va, n, true);
        std::memset(mem_ + va, byte, ok);
        filled_ += ok;
        record(va, static_cast<uint32_t>(ok), true, byte, "fill");
        return ok;
    }
    size_t read_block(uint32_t va, void* host_buf, size_t n, bool as_user = false) override {
        (void)as_user;
        const size_t ok = usable(va, n, false);
        std::memcpy(host_buf, mem_ + va, ok);
        record(va, static_cast<uint32_t>(ok), false, 0, "read_block");
        return ok;
    }
    size_t write_block(uint32_t va, const void* host_buf, size_t n, bool as_user = false) override {
        (void)as_user;
        const size_t ok = usable(va, n, true);
        std::memcpy(mem_ + va, host_buf, ok);
        record(va, static_cast<uint32_t>(ok), true, 0, "write_block");
        return ok;
    }
    void fetch(uint32_t, size_t) override {}

    uint32_t mrc(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2) override {
        auto it = cp15_.find(key(crn, opc1, crm, opc2));
        return it == cp15_.end() ? 0 : it->second;
    }
    void mcr(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2, uint32_t value) override {
        cp15_[key(crn, opc1, crm, opc2)] = value;
    }
    void dsb() override {}
    void dmb() override {}
    void isb() override {}
    hal::Mode mode() const override { return mode_; }
    void set_mode(hal::Mode m) override {
        mode_ = m;
        fast_mode_ = m;
    }
    void irq_enable(bool on) override { irq_on_ = on; }
    void fiq_enable(bool on) override { fiq_on_ = on; }
    bool irqs_enabled() const override { return irq_on_; }
    void wfi() override {}
    void compute(uint64_t cycles) override { cycles_ += cycles; }
    uint64_t cycles() const override { return cycles_; }
    uint64_t clock_hz() const override { return kClockHz; }
    void set_irq_handler(std::function<void()> h) override { irq_handler_ = std::move(h); }
    void set_fiq_handler(std::function<void()> h) override { fiq_handler_ = std::move(h); }
    void set_abort_handler(std::function<hal::AbortAction(const hal::AbortInfo&)> h) override {
        abort_handler_ = std::move(h);
    }

  protected:
    uint64_t load_slow(uint32_t va, unsigned size) override {
        check(va, size, false, false);
        const uint64_t v = read(va, size);
        ++slow_loads_;
        record(va, size, false, v, "load");
        install_fast(va);
        return v;
    }
    void store_slow(uint32_t va, unsigned size, uint64_t value) override {
        check(va, size, true, false);
        write(va, size, value);
        ++slow_stores_;
        record(va, size, true, value, "store");
        install_fast(va);
    }

  private:
    static constexpr int64_t kFastBudget = int64_t{1} << 62;
    static constexpr unsigned kRetryLimit = 4;
    static constexpr uint32_t kFsrTranslationPage = 0x7;  // DFSR FS = 0b00111

    static uint32_t key(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2) {
        return (crn << 12) | (opc1 << 8) | (crm << 4) | opc2;
    }
    bool faulting(uint32_t va) const {
        if (va < kNullPageEnd) return true;
        for (const auto& r : faults_)
            if (va >= r.first && va < r.second) return true;
        return false;
    }
    // Runs the abort protocol for an access to [va, va + size). Returns true if the access
    // may go ahead; false for a fixed-up try_* access; throws for a fatal one.
    bool check(uint32_t va, unsigned size, bool write, bool is_try) {
        for (unsigned attempt = 0; attempt <= kRetryLimit; ++attempt) {
            uint32_t bad = 0;
            bool fault = false;
            for (unsigned i = 0; i < size; ++i)
                if (faulting(va + i)) {
                    bad = va + i;
                    fault = true;
                    break;
                }
            if (!fault) return true;
            ++aborts_;
            const hal::AbortInfo info{hal::AbortInfo::data,
                                      kFsrTranslationPage | (write ? 0x800u : 0u),
                                      bad,
                                      write,
                                      mode_ == hal::Mode::user,
                                      size};
            const hal::AbortAction a =
                abort_handler_ ? abort_handler_(info)
                               : (is_try ? hal::AbortAction::fixup : hal::AbortAction::fatal);
            if (a == hal::AbortAction::retry) continue;
            if (a == hal::AbortAction::fixup && is_try) return false;
            throw hal::GuestOops(info, "FakeCpu: unhandled data abort at 0x" + hex(bad));
        }
        throw hal::GuestOops({hal::AbortInfo::data, kFsrTranslationPage, va, write, false, size},
                             "FakeCpu: abort handler kept retrying at 0x" + hex(va));
    }
    // Bytes of [va, va + n) before the first faulting one (the abort handler is told).
    size_t usable(uint32_t va, size_t n, bool write) {
        const uint64_t end = std::min<uint64_t>(uint64_t{va} + n, kSpace);
        uint64_t first_bad = end;
        if (va < kNullPageEnd) first_bad = va;
        for (const auto& r : faults_)
            if (r.first < end && r.second > va)
                first_bad = std::min<uint64_t>(first_bad, std::max(va, r.first));
        if (first_bad < end && abort_handler_)
            check(static_cast<uint32_t>(first_bad), 1, write, true);
        return static_cast<size_t>(first_bad - va);
    }
    static std::string hex(uint32_t v) {
        char b[16];
        std::snprintf(b, sizeof b, "%08x", v);
        return b;
    }
    uint64_t read(uint32_t va, unsigned size) const {
        uint64_t v = 0;
        std::memcpy(&v, mem_ + va, size);
        return v;
    }
    void write(uint32_t va, unsigned size, uint64_t v) { std::memcpy(mem_ + va, &v, size); }
    void record(uint32_t va, uint32_t size, bool write, uint64_t value, const char* kind) {
        if (tracing_) trace_.push_back({va, size, write, value, kind});
    }
    void install_fast(uint32_t va) {
        if (tracing_) return;
        const uint32_t page = va >> kPageShift;
        const uint64_t lo = uint64_t{page} << kPageShift;
        const uint64_t hi = lo + (1u << kPageShift);
        for (const auto& r : faults_)
            if (lo < r.second && hi > r.first) return;
        if (lo < kNullPageEnd) return;
        const unsigned i = page & (kFastEntries - 1);
        for (unsigned m = 0; m < 2; ++m) {
            fast_read_[m][i] = FastEntry{page, mem_ + (static_cast<uint64_t>(page) << kPageShift)};
            fast_write_[m][i] = fast_read_[m][i];
        }
    }

    uint8_t* mem_ = nullptr;
    bool installed_ = false;
    bool tracing_ = false;
    std::vector<Access> trace_;
    std::vector<std::pair<uint32_t, uint32_t>> faults_;
    std::map<uint32_t, uint32_t> cp15_;
    uint64_t slow_loads_ = 0, slow_stores_ = 0, filled_ = 0, copied_ = 0;
    uint64_t cycles_ = 0;
    unsigned aborts_ = 0;
    hal::Mode mode_ = hal::Mode::kernel;
    bool irq_on_ = false;
    bool fiq_on_ = false;
    std::function<void()> irq_handler_, fiq_handler_;
    std::function<hal::AbortAction(const hal::AbortInfo&)> abort_handler_;
};

}  // namespace vp::test
