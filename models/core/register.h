// Declarative registers (DESIGN.md §6).
//
// A model declares each register as data — name, offset, reset value, access policy,
// optional fields and callbacks — and the bank answers every bus access:
//
//   regs.add("OE", kOe, 0xFFFFFFFF);                                  // RW
//   regs.add("DATAIN", kDatain).ro().on_read([this](Register&) { return pins(); });
//   regs.add("IRQSTATUS_0", kIrqStatus0).w1c().on_write([this](Register&, uint32_t, uint32_t) {
//       update_irq(); });
//   regs.add("SYSCONFIG", kSysconfig).field("SOFTRESET", 1, 1).unimplemented("IDLEMODE", 3, 2);
//
// The bank, not the model, answers wrong sizes, misalignment and holes, merges 8/16-bit
// partial accesses into the register where its declared sizes allow them, ignores (and
// logs once) writes to read-only registers, and logs once the first write that changes an
// unimplemented field. One register per 32-bit word (every AM335x module uses a 4-byte
// stride); a 16-bit register reads as zero in its upper half.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "models/core/log.h"

namespace vp {

enum class RegAccess : uint8_t {
    rw,   // read/write
    ro,   // read-only: writes ignored and logged once
    wo,   // write-only: reads return 0
    w1c,  // write 1 to clear
    w1s,  // write 1 to set
    rc,   // read-only, cleared by a (non-debug) read
};
const char* reg_access_name(RegAccess a);

// Allowed access widths, as a mask.
enum : unsigned { kSize8 = 1u, kSize16 = 2u, kSize32 = 4u, kSizeAny = 7u };

// Result of a register access, mapped to a TLM response by the peripheral base.
enum class RegStatus : uint8_t {
    ok,
    hole,      // no register at that offset (TLM_ADDRESS_ERROR_RESPONSE)
    bad_size,  // width not allowed for that register, or misaligned (GENERIC_ERROR)
    too_long,  // more than 4 bytes, or streaming (TLM_BURST_ERROR_RESPONSE)
};

const char* reg_status_name(RegStatus s);
std::ostream& operator<<(std::ostream& os, RegStatus s);

struct RegField {
    std::string name;
    unsigned lsb;
    unsigned width;
    bool implemented;
    uint32_t mask() const { return (width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1u)) << lsb; }
};

class RegisterBank;

class Register {
  public:
    using ReadFn = std::function<uint32_t(Register&)>;
    using WriteFn = std::function<void(Register&, uint32_t written, uint32_t old)>;

    Register(RegisterBank& bank, std::string name, uint32_t offset, uint32_t reset,
             unsigned width_bytes);

    // --- declaration (chainable) -------------------------------------------------
    Register& access(RegAccess a) {
        access_ = a;
        return *this;
    }
    Register& ro() { return access(RegAccess::ro); }
    Register& wo() { return access(RegAccess::wo); }
    Register& w1c() { return access(RegAccess::w1c); }
    Register& w1s() { return access(RegAccess::w1s); }
    Register& rc() { return access(RegAccess::rc); }
    // Bits outside the mask keep their value on writes (read-only fields of an RW register).
    Register& writable(uint32_t mask) {
        writable_ = mask;
        return *this;
    }
    // Access widths this register accepts (kSize8 | kSize16 | kSize32); default: the bank's.
    Register& sizes(unsigned mask) {
        sizes_ = mask;
        return *this;
    }
    Register& field(std::string name, unsigned lsb, unsigned width);
    // A field the model does not implement: stored, and its first change is logged once.
    Register& unimplemented(std::string name, unsigned lsb, unsigned width);
    // Read callback: computes the value a (non-debug) read returns; may have side effects
    // (e.g. popping a FIFO). Debug reads use the peek callback, or the stored value.
    Register& on_read(ReadFn f) {
        read_ = std::move(f);
        return *this;
    }
    Register& on_peek(ReadFn f) {
        peek_ = std::move(f);
        return *this;
    }
    // Write callback: runs after the access policy has updated value().
    Register& on_write(WriteFn f) {
        write_ = std::move(f);
        return *this;
    }

    // --- state -------------------------------------------------------------------
    uint32_t get() const { return value_; }
    void set(uint32_t v) { value_ = v & width_mask(); }
    // Sets or clears bits (helpers for models updating status registers).
    void set_bits(uint32_t m) { set(value_ | m); }
    void clear_bits(uint32_t m) { set(value_ & ~m); }
    void reset() { value_ = reset_; }
    // What a debugger sees: the peek callback or the stored value; never a side effect.
    uint32_t peek();

    const std::string& name() const { return name_; }
    uint32_t offset() const { return offset_; }
    uint32_t reset_value() const { return reset_; }
    unsigned width() const { return width_; }
    RegAccess policy() const { return access_; }
    unsigned allowed_sizes() const;
    const std::vector<RegField>& fields() const { return fields_; }
    uint32_t width_mask() const { return width_ >= 4 ? 0xFFFFFFFFu : (1u << (8 * width_)) - 1u; }

    // Bus-side access of `len` bytes at byte `lane` of this register's word.
    // `be` is a per-byte enable mask of the accessed bytes (bit i = byte i enabled).
    uint32_t bus_read(bool debug);
    void bus_write(uint32_t data, uint32_t lane_mask);

  private:
    RegisterBank& bank_;
    std::string name_;
    uint32_t offset_;
    uint32_t reset_;
    unsigned width_;
    RegAccess access_ = RegAccess::rw;
    uint32_t writable_ = 0xFFFFFFFFu;
    unsigned sizes_ = 0;  // 0 = bank default
    uint32_t value_;
    uint32_t unimpl_mask_ = 0;
    std::vector<RegField> fields_;
    ReadFn read_;
    ReadFn peek_;
    WriteFn write_;
};

class RegisterBank {
  public:
    enum class HolePolicy : uint8_t { error, read_zero };

    RegisterBank(Logger& log, uint32_t size_bytes);
    RegisterBank(const RegisterBank&) = delete;
    RegisterBank& operator=(const RegisterBank&) = delete;

    Register& add(std::string name, uint32_t offset, uint32_t reset = 0, unsigned width_bytes = 4);
    // `count` registers "<prefix><i>" at offset + i*stride; returns them in order.
    std::vector<Register*> add_array(const std::string& prefix, uint32_t offset, unsigned count,
                                     uint32_t stride, uint32_t reset = 0, unsigned width_bytes = 4);

    void set_default_sizes(unsigned mask) { default_sizes_ = mask; }
    unsigned default_sizes() const { return default_sizes_; }
    void set_hole_policy(HolePolicy p) { hole_policy_ = p; }

    Register* find(const std::string& name) const;
    Register& operator[](const std::string& name) const;  // throws std::out_of_range
    Register* at(uint32_t offset) const {
        uint32_t w = offset >> 2;
        return w < by_word_.size() ? by_word_[w] : nullptr;
    }
    const std::vector<std::unique_ptr<Register>>& registers() const { return regs_; }
    uint32_t size() const { return size_; }

    // One access: `len` bytes at `offset`, little-endian, with optional byte enables
    // (`be`, `be_len` as in TLM: 0xFF = enabled, pattern repeated).
    RegStatus read(uint32_t offset, uint8_t* data, unsigned len, const uint8_t* be = nullptr,
                   unsigned be_len = 0, bool debug = false);
    RegStatus write(uint32_t offset, const uint8_t* data, unsigned len, const uint8_t* be = nullptr,
                    unsigned be_len = 0, bool debug = false);

    void reset();
    // "NAME (0xOFF) = 0xVALUE" per register, for --dump-registers and test failures.
    std::string dump();

    Logger& log() { return log_; }

  private:
    RegStatus check(uint32_t offset, unsigned len, Register*& reg, bool write);

    Logger& log_;
    uint32_t size_;
    unsigned default_sizes_ = kSize32;
    HolePolicy hole_policy_ = HolePolicy::error;
    std::vector<std::unique_ptr<Register>> regs_;
    std::vector<Register*> by_word_;
};

}  // namespace vp
