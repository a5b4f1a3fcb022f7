#include "models/core/register.h"

#include <ostream>
#include <stdexcept>

namespace vp {

const char* reg_access_name(RegAccess a) {
    switch (a) {
        case RegAccess::rw:
            return "RW";
        case RegAccess::ro:
            return "RO";
        case RegAccess::wo:
            return "WO";
        case RegAccess::w1c:
            return "W1C";
        case RegAccess::w1s:
            return "W1S";
        case RegAccess::rc:
            return "RC";
    }
    return "?";
}

const char* reg_status_name(RegStatus s) {
    switch (s) {
        case RegStatus::ok:
            return "ok";
        case RegStatus::hole:
            return "hole";
        case RegStatus::bad_size:
            return "bad_size";
        case RegStatus::too_long:
            return "too_long";
    }
    return "?";
}

std::ostream& operator<<(std::ostream& os, RegStatus s) {
    return os << reg_status_name(s);
}

Register::Register(RegisterBank& bank, std::string name, uint32_t offset, uint32_t reset,
                   unsigned width_bytes)
    : bank_(bank),
      name_(std::move(name)),
      offset_(offset),
      reset_(reset),
      width_(width_bytes),
      value_(reset) {}

Register& Register::field(std::string name, unsigned lsb, unsigned width) {
    fields_.push_back({std::move(name), lsb, width, true});
    return *this;
}

Register& Register::unimplemented(std::string name, unsigned lsb, unsigned width) {
    fields_.push_back({std::move(name), lsb, width, false});
    unimpl_mask_ |= fields_.back().mask();
    return *this;
}

unsigned Register::allowed_sizes() const {
    return sizes_ ? sizes_ : bank_.default_sizes();
}

uint32_t Register::peek() {
    return (peek_ ? peek_(*this) : value_) & width_mask();
}

uint32_t Register::bus_read(bool debug) {
    if (debug) return peek();
    if (access_ == RegAccess::wo) return 0;
    uint32_t v = (read_ ? read_(*this) : value_) & width_mask();
    if (access_ == RegAccess::rc) value_ = 0;
    return v;
}

void Register::bus_write(uint32_t data, uint32_t lane_mask) {
    Logger& log = bank_.log();
    if (access_ == RegAccess::ro || access_ == RegAccess::rc) {
        if (log.once("ro:" + name_))
            VP_LOG(log, warning, "write of {:#x} to read-only register {} ignored", data, name_);
        return;
    }
    const uint32_t old = value_;
    const uint32_t m = writable_ & lane_mask & width_mask();
    switch (access_) {
        case RegAccess::w1c:
            value_ = old & ~(data & m);
            break;
        case RegAccess::w1s:
            value_ = old | (data & m);
            break;
        default:
            value_ = (old & ~m) | (data & m);
            break;
    }
    if (unimpl_mask_ && ((value_ ^ old) & unimpl_mask_)) {
        for (const RegField& f : fields_) {
            if (f.implemented || !((value_ ^ old) & f.mask())) continue;
            if (log.once("unimpl:" + name_ + "." + f.name))
                VP_LOG(log, info, "{}.{} set to {:#x}: field not modelled", name_, f.name,
                       (value_ & f.mask()) >> f.lsb);
        }
    }
    VP_LOG(log, debug, "{} <= {:#010x} (was {:#010x})", name_, value_, old);
    if (write_) write_(*this, data, old);
}

RegisterBank::RegisterBank(Logger& log, uint32_t size_bytes)
    : log_(log), size_(size_bytes), by_word_((size_bytes + 3) / 4, nullptr) {}

Register& RegisterBank::add(std::string name, uint32_t offset, uint32_t reset,
                            unsigned width_bytes) {
    if (offset % 4 != 0 || offset >= size_)
        throw std::logic_error("register " + name + " at bad offset " + std::to_string(offset));
    if (width_bytes != 1 && width_bytes != 2 && width_bytes != 4)
        throw std::logic_error("register " + name + " has a bad width");
    if (by_word_[offset / 4])
        throw std::logic_error("register " + name + " overlaps " + by_word_[offset / 4]->name());
    regs_.push_back(std::make_unique<Register>(*this, std::move(name), offset, reset, width_bytes));
    by_word_[offset / 4] = regs_.back().get();
    return *regs_.back();
}

std::vector<Register*> RegisterBank::add_array(const std::string& prefix, uint32_t offset,
                                               unsigned count, uint32_t stride, uint32_t reset,
                                               unsigned width_bytes) {
    std::vector<Register*> out;
    out.reserve(count);
    for (unsigned i = 0; i < count; ++i)
        out.push_back(&add(prefix + std::to_string(i), offset + i * stride, reset, width_bytes));
    return out;
}

Register* RegisterBank::find(const std::string& name) const {
    for (const auto& r : regs_)
        if (r->name() == name) return r.get();
    return nullptr;
}

Register& RegisterBank::operator[](const std::string& name) const {
    Register* r = find(name);
    if (!r) throw std::out_of_range("no register named " + name);
    return *r;
}

RegStatus RegisterBank::check(uint32_t offset, unsigned len, Register*& reg, bool write) {
    reg = nullptr;
    if (len == 0 || len > 4) return RegStatus::too_long;
    if (len == 3 || offset % len != 0) {
        if (log_.once("misaligned:" + std::to_string(offset) + ":" + std::to_string(len)))
            VP_LOG(log_, warning, "{}-byte {} at offset {:#x} is misaligned", len,
                   write ? "write" : "read", offset);
        return RegStatus::bad_size;
    }
    reg = at(offset);
    if (!reg) {
        if (log_.once("hole:" + std::to_string(offset >> 2)))
            VP_LOG(log_, warning, "{} at offset {:#x}: no register there", write ? "write" : "read",
                   offset);
        return hole_policy_ == HolePolicy::error ? RegStatus::hole : RegStatus::ok;
    }
    if (!(reg->allowed_sizes() & len)) {
        if (log_.once("size:" + reg->name() + ":" + std::to_string(len)))
            VP_LOG(log_, warning, "{}-bit {} of {} not supported (allowed mask {:#x})", 8 * len,
                   write ? "write" : "read", reg->name(), reg->allowed_sizes());
        return RegStatus::bad_size;
    }
    return RegStatus::ok;
}

namespace {
// Byte-lane mask (bits of the 32-bit word) of `len` bytes at `lane`, honouring byte enables.
uint32_t lane_mask(unsigned lane, unsigned len, const uint8_t* be, unsigned be_len) {
    uint32_t m = 0;
    for (unsigned i = 0; i < len; ++i) {
        bool enabled = !be || be_len == 0 || be[i % be_len] == 0xFF;
        if (enabled) m |= 0xFFu << (8 * (lane + i));
    }
    return m;
}
}  // namespace

RegStatus RegisterBank::read(uint32_t offset, uint8_t* data, unsigned len, const uint8_t* be,
                             unsigned be_len, bool debug) {
    Register* reg;
    RegStatus st = check(offset, len, reg, false);
    if (st != RegStatus::ok) return st;
    uint32_t v = reg ? reg->bus_read(debug) : 0;
    unsigned lane = offset & 3;
    for (unsigned i = 0; i < len; ++i)
        if (!be || be_len == 0 || be[i % be_len] == 0xFF)
            data[i] = static_cast<uint8_t>(v >> (8 * (lane + i)));
    return RegStatus::ok;
}

RegStatus RegisterBank::write(uint32_t offset, const uint8_t* data, unsigned len, const uint8_t* be,
                              unsigned be_len, bool debug) {
    Register* reg;
    RegStatus st = check(offset, len, reg, true);
    if (st != RegStatus::ok || !reg) return st;
    unsigned lane = offset & 3;
    uint32_t v = 0;
    for (unsigned i = 0; i < len; ++i)
        v |= static_cast<uint32_t>(data[i]) << (8 * (lane + i));
    uint32_t m = lane_mask(lane, len, be, be_len);
    if (debug) {
        // A debugger write stores the bytes without policy or side effects.
        reg->set((reg->get() & ~m) | (v & m));
        return RegStatus::ok;
    }
    reg->bus_write(v, m);
    return RegStatus::ok;
}

void RegisterBank::reset() {
    for (auto& r : regs_)
        r->reset();
}

std::string RegisterBank::dump() {
    std::string out;
    for (auto& r : regs_)
        out += fmt::format("{:<20} {:#06x} = {:#010x}  ({})\n", r->name(), r->offset(), r->peek(),
                           reg_access_name(r->policy()));
    return out;
}

}  // namespace vp
