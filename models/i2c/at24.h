// An AT24-family serial EEPROM on a modelled I2C bus; by default the Microchip 24LC32A of the
// BeagleBone boards (4 KiB, 2-byte word address, 32-byte pages, 5 ms write cycle), which holds
// the TI board-ID header that U-Boot (board/ti/common/board_detect.c) and Linux (at24) read.
// See docs/models/at24.md.
//
//   vp::At24Params ep;                     // 24LC32A defaults
//   ep.name = "board_eeprom";
//   ep.contents = vp::ti_board_id("A335BNLT", "00C0", "2134SBB00768");
//   vp::At24 eeprom(ep);
//   i2c0.bus.attach(0x50, eeprom);
//
// Protocol (24LC32A data sheet DS21713): a write transaction sends the word address (high
// byte first), then data bytes, which are latched into the addressed page (the address wraps
// inside the page) and written at the STOP; during the write cycle the device does not
// acknowledge its address (acknowledge polling). A read transaction returns bytes from the
// address pointer, which increments and wraps from the last byte to 0.
#pragma once

#include <sysc/kernel/sc_time.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/stats.h"
#include "models/i2c/bus.h"

namespace vp {

namespace at24 {
// TI board-ID header (struct ti_am_eeprom, U-Boot board/ti/common/board_detect.h;
// am335x.md §11): 78 bytes.
constexpr uint32_t kTiMagic = 0xEE3355AA;  // bytes AA 55 33 EE, read as a little-endian u32
constexpr size_t kTiMagicOffset = 0;
constexpr size_t kTiNameOffset = 4;
constexpr size_t kTiNameLen = 8;
constexpr size_t kTiVersionOffset = 12;
constexpr size_t kTiVersionLen = 4;
constexpr size_t kTiSerialOffset = 16;
constexpr size_t kTiSerialLen = 12;
constexpr size_t kTiConfigOffset = 28;
constexpr size_t kTiConfigLen = 32;
constexpr size_t kTiMacOffset = 60;
constexpr size_t kTiMacCount = 3;
constexpr size_t kTiMacLen = 6;
constexpr size_t kTiHeaderSize = 78;
constexpr uint8_t kErased = 0xFF;  // an erased EEPROM cell
}  // namespace at24

using MacAddress = std::array<uint8_t, at24::kTiMacLen>;

// The 78-byte TI board-ID header: magic AA 55 33 EE, then name (8), version (4), serial (12),
// config (32) as ASCII without a terminating NUL, then up to three MAC addresses. Unused
// bytes of a field are 0xFF (erased). Throws std::invalid_argument when a string is longer
// than its field or more than three MACs are given.
std::vector<uint8_t> ti_board_id(const std::string& name, const std::string& version,
                                 const std::string& serial, const std::string& config = {},
                                 const std::vector<MacAddress>& macs = {});

struct At24Params {
    std::string name = "eeprom";  // logger name and statistics prefix
    uint32_t size_bytes = 4096;   // 24LC32A: 32 Kbit
    uint32_t page_bytes = 32;     // 24LC32A page write buffer
    unsigned address_bytes = 2;   // word-address bytes after the device address (1 or 2)
    sc_core::sc_time write_cycle = sc_core::sc_time(5, sc_core::SC_MS);  // tWC max
    bool write_protect = false;     // WP pin high: writes are acknowledged but not performed
    std::vector<uint8_t> contents;  // initial contents from offset 0 (the rest: 0xFF)
};

class At24 : public I2cDevice {
  public:
    // Throws std::invalid_argument for a size that is not a power of two (1 byte .. 64 KiB),
    // a page that does not divide it, 0 or more than 2 address bytes, a memory too large for
    // the address bytes, or contents larger than the memory.
    explicit At24(const At24Params& p);

    bool i2c_start(bool read, const sc_core::sc_time& now) override;
    bool i2c_write(uint8_t byte, const sc_core::sc_time& now) override;
    uint8_t i2c_read(bool master_ack, const sc_core::sc_time& now) override;
    void i2c_stop(const sc_core::sc_time& now) override;
    void i2c_released(const sc_core::sc_time& now) override;

    const std::vector<uint8_t>& memory() const { return mem_; }
    // Loads bytes at `offset` (a board file's contents); throws std::out_of_range.
    void load(uint32_t offset, const std::vector<uint8_t>& bytes);
    uint32_t address_pointer() const { return ptr_; }
    // A write cycle is in progress at `now` (the device NACKs its address).
    bool busy(const sc_core::sc_time& now) const { return now < busy_until_; }
    void set_write_protect(bool on) { write_protect_ = on; }

  private:
    enum class State : uint8_t { idle, address, data, reading };

    At24Params p_;
    Logger log_;
    std::vector<uint8_t> mem_;
    uint32_t mask_;  // size - 1
    bool write_protect_;
    State state_ = State::idle;
    uint32_t ptr_ = 0;
    unsigned address_bytes_seen_ = 0;
    std::vector<uint8_t> latch_;  // page write buffer
    std::vector<bool> latched_;   // which bytes of the page were written
    uint32_t page_base_ = 0;
    bool page_dirty_ = false;
    sc_core::sc_time busy_until_ = sc_core::SC_ZERO_TIME;

    stats::Counter bytes_read_;
    stats::Counter bytes_written_;
    stats::Counter write_cycles_;
    stats::Counter busy_nacks_;
};

}  // namespace vp
