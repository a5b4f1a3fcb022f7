#include "models/i2c/at24.h"

#include <fmt/format.h>

#include <stdexcept>

namespace vp {

using namespace at24;

namespace {
void put_field(std::vector<uint8_t>& out, size_t offset, size_t len, const std::string& s,
               const char* what) {
    if (s.size() > len)
        throw std::invalid_argument(
            fmt::format("TI board-ID {} '{}' is {} characters long; the field holds {}", what, s,
                        s.size(), len));
    for (size_t i = 0; i < s.size(); ++i)
        out[offset + i] = static_cast<uint8_t>(s[i]);
}

bool power_of_two(uint32_t v) {
    return v && !(v & (v - 1));
}
}  // namespace

std::vector<uint8_t> ti_board_id(const std::string& name, const std::string& version,
                                 const std::string& serial, const std::string& config,
                                 const std::vector<MacAddress>& macs) {
    std::vector<uint8_t> out(kTiHeaderSize, kErased);
    for (size_t i = 0; i < 4; ++i)
        out[kTiMagicOffset + i] = static_cast<uint8_t>(kTiMagic >> (8 * i));
    put_field(out, kTiNameOffset, kTiNameLen, name, "board name");
    put_field(out, kTiVersionOffset, kTiVersionLen, version, "version");
    put_field(out, kTiSerialOffset, kTiSerialLen, serial, "serial");
    put_field(out, kTiConfigOffset, kTiConfigLen, config, "config");
    if (macs.size() > kTiMacCount)
        throw std::invalid_argument(fmt::format(
            "TI board-ID header holds {} MAC addresses, {} given", kTiMacCount, macs.size()));
    for (size_t m = 0; m < macs.size(); ++m)
        for (size_t i = 0; i < kTiMacLen; ++i)
            out[kTiMacOffset + m * kTiMacLen + i] = macs[m][i];
    return out;
}

At24::At24(const At24Params& p)
    : p_(p),
      log_(p.name),
      mask_(p.size_bytes - 1),
      write_protect_(p.write_protect),
      bytes_read_(p.name + ".bytes_read", "bytes read by the bus master"),
      bytes_written_(p.name + ".bytes_written", "bytes committed to the memory array"),
      write_cycles_(p.name + ".write_cycles", "internal write cycles (page writes)"),
      busy_nacks_(p.name + ".busy_nacks", "address bytes not acknowledged during a write cycle") {
    if (!power_of_two(p.size_bytes) || p.size_bytes > 65536)
        throw std::invalid_argument(
            fmt::format("{}: EEPROM size {} is not a power of two between 1 byte and 64 KiB",
                        p.name, p.size_bytes));
    if (!power_of_two(p.page_bytes) || p.page_bytes > p.size_bytes)
        throw std::invalid_argument(fmt::format(
            "{}: EEPROM page size {} must be a power of two no larger than the memory ({})", p.name,
            p.page_bytes, p.size_bytes));
    if (p.address_bytes < 1 || p.address_bytes > 2)
        throw std::invalid_argument(fmt::format("{}: EEPROM word address is 1 or 2 bytes, not {}",
                                                p.name, p.address_bytes));
    if (p.address_bytes == 1 && p.size_bytes > 256)
        throw std::invalid_argument(
            fmt::format("{}: a {}-byte EEPROM needs 2 address bytes (1 byte addresses 256)", p.name,
                        p.size_bytes));
    mem_.assign(p.size_bytes, kErased);
    load(0, p.contents);
    latch_.assign(p.page_bytes, kErased);
    latched_.assign(p.page_bytes, false);
}

void At24::load(uint32_t offset, const std::vector<uint8_t>& bytes) {
    if (offset > mem_.size() || bytes.size() > mem_.size() - offset)
        throw std::out_of_range(fmt::format("{}: {} bytes at offset {} do not fit in {} bytes",
                                            p_.name, bytes.size(), offset, mem_.size()));
    std::copy(bytes.begin(), bytes.end(), mem_.begin() + offset);
}

bool At24::i2c_start(bool read, const sc_core::sc_time& now) {
    if (busy(now)) {
        // Internal write cycle: the device does not acknowledge (acknowledge polling).
        ++busy_nacks_;
        state_ = State::idle;
        return false;
    }
    // A (repeated) START before the STOP abandons a latched page (no write cycle).
    page_dirty_ = false;
    if (read) {
        state_ = State::reading;
    } else {
        state_ = State::address;
        address_bytes_seen_ = 0;
    }
    return true;
}

bool At24::i2c_write(uint8_t byte, const sc_core::sc_time&) {
    switch (state_) {
        case State::address:
            // The word address shifts in high byte first; bits above the memory size are
            // "don't care" (24LC32A: the upper 4 bits of the high byte).
            ptr_ = ((ptr_ << 8) | byte) & mask_;
            if (++address_bytes_seen_ == p_.address_bytes) state_ = State::data;
            return true;
        case State::data: {
            const uint32_t page_mask = p_.page_bytes - 1;
            const uint32_t base = ptr_ & ~page_mask;
            if (!page_dirty_ || base != page_base_) {
                page_base_ = base;
                latched_.assign(p_.page_bytes, false);
                page_dirty_ = true;
            }
            latch_[ptr_ & page_mask] = byte;
            latched_[ptr_ & page_mask] = true;
            // Page write: the address rolls over inside the page (data sheet "Page Write").
            ptr_ = base | ((ptr_ + 1) & page_mask);
            return true;
        }
        default:
            return false;
    }
}

uint8_t At24::i2c_read(bool, const sc_core::sc_time&) {
    const uint8_t b = mem_[ptr_];
    ptr_ = (ptr_ + 1) & mask_;
    ++bytes_read_;
    return b;
}

void At24::i2c_stop(const sc_core::sc_time& now) {
    if (state_ == State::data && page_dirty_) {
        if (write_protect_) {
            if (log_.once("wp"))
                VP_LOG(log_, warning, "write with WP high: acknowledged, not written");
        } else {
            unsigned n = 0;
            for (uint32_t i = 0; i < p_.page_bytes; ++i) {
                if (!latched_[i]) continue;
                mem_[page_base_ + i] = latch_[i];
                ++n;
            }
            bytes_written_ += n;
            ++write_cycles_;
            busy_until_ = now + p_.write_cycle;
        }
    }
    page_dirty_ = false;
    state_ = State::idle;
}

void At24::i2c_released(const sc_core::sc_time&) {
    page_dirty_ = false;
    state_ = State::idle;
}

}  // namespace vp
