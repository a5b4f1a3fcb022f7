// Registers that share an offset and are told apart by the module's current "view".
//
// The register framework (models/core/register.h) has one register per 32-bit word. Some
// modules show different registers at the same offset depending on their state: the UART
// shows RHR/THR, DLL or nothing at offset 0 depending on LCR (SPRUH73 Table 19-20). An
// AliasMap keeps those registers as data, each with its own name, reset value, writable
// bits and callbacks, plus a table of {offset, views → read register, write register}:
//
//   aliases.add("DLL", 0, 0xFF);
//   aliases.add("RHR").ro().on_read([this] { return pop_rx(); });
//   aliases.map(0x00, kOperational, "RHR", "THR");
//   aliases.map(0x00, kConfigA | kConfigB, "DLL", "DLL");
//   aliases.attach(regs(), [this] { return current_view(); });
//
// attach() declares one "port" register per mapped offset in the bank (named after its
// aliases, e.g. "RHR/THR/DLL"); the port's callbacks dispatch each access to the alias the
// current view selects. The bank keeps answering sizes, alignment, holes and gating. Reads
// where no alias is mapped return 0 and writes there are ignored (logged once).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/register.h"

namespace vp {

class AliasedRegister {
  public:
    using ReadFn = std::function<uint32_t()>;
    using WriteFn = std::function<void(uint32_t value, uint32_t old)>;

    AliasedRegister(std::string name, uint32_t reset, uint32_t writable)
        : name_(std::move(name)), reset_(reset), writable_(writable), value_(reset) {}

    // --- declaration (chainable) -------------------------------------------------------
    // Read-only: writes are ignored (the map logs them once).
    AliasedRegister& ro() {
        writable_ = 0;
        return *this;
    }
    // Bus reads compute the value (may have side effects); peeks are side-effect free.
    AliasedRegister& on_read(ReadFn f) {
        read_ = std::move(f);
        return *this;
    }
    AliasedRegister& on_peek(ReadFn f) {
        peek_ = std::move(f);
        return *this;
    }
    // Runs after the writable bits have been stored.
    AliasedRegister& on_write(WriteFn f) {
        write_ = std::move(f);
        return *this;
    }

    // --- state ---------------------------------------------------------------------------
    const std::string& name() const { return name_; }
    uint32_t get() const { return value_; }
    void set(uint32_t v) { value_ = v; }
    void reset() { value_ = reset_; }
    uint32_t reset_value() const { return reset_; }
    uint32_t writable() const { return writable_; }
    bool read_only() const { return writable_ == 0; }

    uint32_t read() { return read_ ? read_() : value_; }
    // A register with a side-effecting read and no peek callback shows its stored value.
    uint32_t peek() const { return peek_ ? peek_() : value_; }
    // Stores the writable bits of `data` within `lanes` (a mask of the written bits) and
    // runs the write callback.
    // A write that covers none of the register's bits (a byte written to a reserved upper
    // byte) does nothing: no callback, so THR or FCR see no phantom write.
    void write(uint32_t data, uint32_t lanes) {
        const uint32_t old = value_;
        const uint32_t m = writable_ & lanes;
        if (m == 0) return;
        value_ = (old & ~m) | (data & m);
        if (write_) write_(value_, old);
    }

  private:
    std::string name_;
    uint32_t reset_;
    uint32_t writable_;
    uint32_t value_;
    ReadFn read_;
    ReadFn peek_;
    WriteFn write_;
};

class AliasMap {
  public:
    // Returns the current view: one bit of the masks given to map().
    using ViewFn = std::function<unsigned()>;

    explicit AliasMap(Logger& log) : log_(log) {}
    AliasMap(const AliasMap&) = delete;
    AliasMap& operator=(const AliasMap&) = delete;

    AliasedRegister& add(std::string name, uint32_t reset = 0, uint32_t writable = 0xFF);
    // At `offset`, in every view of `views`, reads return `read` and writes go to `write`
    // (either may be nullptr). Throws std::logic_error for an unknown name or two rows
    // claiming the same offset and view.
    void map(uint32_t offset, unsigned views, const char* read, const char* write);
    // Declares the port registers in `bank` (after every map() call).
    void attach(RegisterBank& bank, ViewFn view);

    // The bits a bus write covers (set by the model before each access; default: all).
    void set_access_lanes(uint32_t lanes) { lanes_ = lanes; }

    AliasedRegister* find(const std::string& name) const;
    AliasedRegister* reader(uint32_t offset, unsigned view) const;
    AliasedRegister* writer(uint32_t offset, unsigned view) const;
    bool is_port(uint32_t offset) const;
    const std::vector<std::unique_ptr<AliasedRegister>>& registers() const { return regs_; }
    // Offsets where `name` is mapped (for dumps).
    std::vector<uint32_t> offsets_of(const std::string& name) const;

    void reset();

  private:
    struct Row {
        uint32_t offset;
        unsigned views;
        AliasedRegister* read;
        AliasedRegister* write;
    };
    const Row* row(uint32_t offset, unsigned view) const;
    uint32_t port_read(uint32_t offset, bool peek);
    void port_write(uint32_t offset, uint32_t data);

    Logger& log_;
    std::vector<std::unique_ptr<AliasedRegister>> regs_;
    std::vector<Row> rows_;
    ViewFn view_;
    uint32_t lanes_ = 0xFFFFFFFFu;
};

}  // namespace vp
