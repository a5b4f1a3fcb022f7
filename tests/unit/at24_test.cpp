// Tests of the AT24 EEPROM model (models/i2c/at24.h) on a modelled I2C bus, driven byte by
// byte as a master would. Expected behaviour: Microchip 24LC32A data sheet (DS21713: random,
// sequential and current-address read, page write, write cycle tWC = 5 ms with no ACK,
// roll-over), the TI board-ID layout of U-Boot board/ti/common/board_detect.h
// (shared/reference/am335x.md §11) and the choices documented in docs/models/at24.md.
#define BOOST_TEST_MODULE at24
#include <boost/test/unit_test.hpp>

#include <systemc>

#include <string>
#include <vector>

#include "models/i2c/at24.h"
#include "models/i2c/bus.h"

using namespace sc_core;
using namespace vp;

namespace {
constexpr uint8_t kAddr = 0x50;  // BeagleBone board EEPROM (am335x.md §11)

sc_time us(double v) {
    return sc_time(v, SC_US);
}

struct Fixture {
    I2cBus bus{"i2c0.bus"};
    At24Params params;
    std::unique_ptr<At24> eeprom;
    explicit Fixture(At24Params p = {}) : params(std::move(p)) {
        eeprom = std::make_unique<At24>(params);
        bus.attach(kAddr, *eeprom);
    }
    // START, device address + W, word address (2 bytes), data bytes, STOP.
    bool write(uint16_t word, const std::vector<uint8_t>& data, const sc_time& t,
               bool stop = true) {
        if (!bus.start(kAddr, false, t)) return false;
        bus.write(static_cast<uint8_t>(word >> 8), t);
        bus.write(static_cast<uint8_t>(word), t);
        for (uint8_t b : data)
            BOOST_CHECK(bus.write(b, t));
        if (stop) bus.stop(t);
        return true;
    }
    // Random read: word address, repeated START, n bytes (the last NACKed), STOP.
    std::vector<uint8_t> read(uint16_t word, size_t n, const sc_time& t) {
        BOOST_REQUIRE(bus.start(kAddr, false, t));
        bus.write(static_cast<uint8_t>(word >> 8), t);
        bus.write(static_cast<uint8_t>(word), t);
        return current_read(n, t);
    }
    std::vector<uint8_t> current_read(size_t n, const sc_time& t) {
        std::vector<uint8_t> out;
        BOOST_REQUIRE(bus.start(kAddr, true, t));
        for (size_t i = 0; i < n; ++i)
            out.push_back(bus.read(i + 1 < n, t));
        bus.stop(t);
        return out;
    }
};
}  // namespace

BOOST_AUTO_TEST_CASE(ti_board_id_header_layout) {
    const MacAddress mac0{0xC8, 0xA0, 0x30, 0xB1, 0x22, 0x33};
    const auto h = ti_board_id("A335BNLT", "00C0", "2134SBB00768", "SKU#01", {mac0});
    // struct ti_am_eeprom: 78 bytes (am335x.md §11).
    BOOST_REQUIRE_EQUAL(h.size(), 78u);
    // Magic bytes AA 55 33 EE at offset 0: a little-endian u32 read gives 0xEE3355AA.
    BOOST_CHECK_EQUAL(h[0], 0xAA);
    BOOST_CHECK_EQUAL(h[1], 0x55);
    BOOST_CHECK_EQUAL(h[2], 0x33);
    BOOST_CHECK_EQUAL(h[3], 0xEE);
    BOOST_CHECK_EQUAL(h[0] | h[1] << 8 | h[2] << 16 | static_cast<uint32_t>(h[3]) << 24,
                      0xEE3355AAu);
    // name at 4 (8), version at 12 (4), serial at 16 (12), config at 28 (32), MACs at 60.
    BOOST_CHECK_EQUAL(std::string(h.begin() + 4, h.begin() + 12), "A335BNLT");
    BOOST_CHECK_EQUAL(std::string(h.begin() + 12, h.begin() + 16), "00C0");
    BOOST_CHECK_EQUAL(std::string(h.begin() + 16, h.begin() + 28), "2134SBB00768");
    BOOST_CHECK_EQUAL(std::string(h.begin() + 28, h.begin() + 34), "SKU#01");
    for (size_t i = 34; i < 60; ++i)
        BOOST_CHECK_EQUAL(h[i], 0xFF);  // rest of config: erased
    for (size_t i = 0; i < 6; ++i)
        BOOST_CHECK_EQUAL(h[60 + i], mac0[i]);
    for (size_t i = 66; i < 78; ++i)
        BOOST_CHECK_EQUAL(h[i], 0xFF);  // MACs 2 and 3 absent
    // Fields longer than the layout allows are refused with a clear error.
    BOOST_CHECK_THROW(ti_board_id("A335BNLT9", "00C0", "1"), std::invalid_argument);
    BOOST_CHECK_THROW(ti_board_id("A335BNLT", "00C0A", "1"), std::invalid_argument);
    BOOST_CHECK_THROW(ti_board_id("A", "1", "1234567890123"), std::invalid_argument);
    BOOST_CHECK_THROW(ti_board_id("A", "1", "1", std::string(33, 'x')), std::invalid_argument);
    BOOST_CHECK_THROW(ti_board_id("A", "1", "1", "", {mac0, mac0, mac0, mac0}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(random_read_of_the_header) {
    At24Params p;
    p.contents = ti_board_id("A335BNLT", "00C0", "2134SBB00768");
    Fixture f(p);
    // Unprogrammed cells of a 24LC32A read 0xFF; the array is 4096 bytes.
    BOOST_CHECK_EQUAL(f.eeprom->memory().size(), 4096u);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[78], 0xFF);
    const auto h = f.read(0x0000, 78, us(0));
    BOOST_CHECK(h == p.contents);
    // Random read from the middle: data sheet "Random Read".
    const auto name = f.read(0x0004, 8, us(1));
    BOOST_CHECK_EQUAL(std::string(name.begin(), name.end()), "A335BNLT");
    // Current-address read continues after the last byte read (data sheet).
    BOOST_CHECK_EQUAL(f.eeprom->address_pointer(), 12u);
    const auto version = f.current_read(4, us(2));
    BOOST_CHECK_EQUAL(std::string(version.begin(), version.end()), "00C0");
}

BOOST_AUTO_TEST_CASE(sequential_read_rolls_over_at_the_end) {
    At24Params p;
    p.contents.assign(4096, 0);
    for (size_t i = 0; i < p.contents.size(); ++i)
        p.contents[i] = static_cast<uint8_t>(i * 7);
    Fixture f(p);
    // 24LC32A: the address counter rolls over from the last byte (0xFFF) to 0x000.
    const auto b = f.read(0x0FFE, 4, us(0));
    BOOST_CHECK_EQUAL(b[0], p.contents[0xFFE]);
    BOOST_CHECK_EQUAL(b[1], p.contents[0xFFF]);
    BOOST_CHECK_EQUAL(b[2], p.contents[0x000]);
    BOOST_CHECK_EQUAL(b[3], p.contents[0x001]);
    // The upper 4 bits of the 16-bit word address are "don't care" on a 4 KiB part.
    const auto c = f.read(0xF010, 1, us(1));
    BOOST_CHECK_EQUAL(c[0], p.contents[0x010]);
}

BOOST_AUTO_TEST_CASE(page_write_commits_at_stop_and_wraps_in_the_page) {
    Fixture f;
    const sc_time t = us(100);
    // 4 bytes from 0x3E in the 32-byte page 0x20..0x3F: 0x3E, 0x3F, then 0x20, 0x21
    // (data sheet "Page Write": the data wraps to the beginning of the current page).
    BOOST_REQUIRE(f.write(0x003E, {1, 2, 3, 4}, t, /*stop=*/false));
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x3E], 0xFF);  // latched, not yet written
    f.bus.stop(t);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x3E], 1);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x3F], 2);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x20], 3);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x21], 4);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x40], 0xFF);  // next page untouched
}

BOOST_AUTO_TEST_CASE(no_ack_during_the_write_cycle) {
    Fixture f;
    const sc_time t = us(100);
    BOOST_REQUIRE(f.write(0x0100, {0x5A}, t));
    // tWC = 5 ms: the device does not acknowledge its address (acknowledge polling).
    const sc_time end = t + sc_time(5, SC_MS);
    BOOST_CHECK(f.eeprom->busy(t));
    BOOST_CHECK(!f.bus.start(kAddr, false, end - sc_time(1, SC_NS)));
    f.bus.stop(end - sc_time(1, SC_NS));
    BOOST_CHECK(f.bus.start(kAddr, false, end));
    f.bus.stop(end);
    BOOST_CHECK_EQUAL(f.read(0x0100, 1, end)[0], 0x5A);
}

BOOST_AUTO_TEST_CASE(repeated_start_before_stop_writes_nothing) {
    Fixture f;
    const sc_time t = us(10);
    BOOST_REQUIRE(f.write(0x0200, {9, 9}, t, /*stop=*/false));
    // A START before the STOP ends the write without a write cycle.
    const auto b = f.current_read(1, t);
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0x200], 0xFF);
    BOOST_CHECK(!f.eeprom->busy(t));
    (void)b;
}

BOOST_AUTO_TEST_CASE(write_protect_acknowledges_but_does_not_write) {
    At24Params p;
    p.write_protect = true;
    Fixture f(p);
    const sc_time t = us(10);
    BOOST_REQUIRE(f.write(0x0000, {0x12}, t));  // every byte ACKed (checked in write())
    BOOST_CHECK_EQUAL(f.eeprom->memory()[0], 0xFF);
    BOOST_CHECK(!f.eeprom->busy(t));
}

BOOST_AUTO_TEST_CASE(u_boot_one_byte_address_probe) {
    // U-Boot board_detect.c falls back to a 1-byte word address; on this 2-byte part the one
    // byte shifts into the address pointer (docs/models/at24.md), so from power-up it reads
    // from 0: the magic still matches and U-Boot then uses 2-byte addressing.
    At24Params p;
    p.contents = ti_board_id("A335BNLT", "00C0", "2134SBB00768");
    Fixture f(p);
    const sc_time t = us(10);
    BOOST_REQUIRE(f.bus.start(kAddr, false, t));
    BOOST_CHECK(f.bus.write(0x00, t));
    const auto b = f.current_read(4, t);
    BOOST_CHECK_EQUAL(b[0], 0xAA);
    BOOST_CHECK_EQUAL(b[3], 0xEE);
}

BOOST_AUTO_TEST_CASE(one_byte_address_part) {
    // A 24C02-style part: 256 bytes, 8-byte pages, 1-byte word address.
    At24Params p;
    p.name = "small";
    p.size_bytes = 256;
    p.page_bytes = 8;
    p.address_bytes = 1;
    At24 e(p);
    I2cBus bus("bus");
    bus.attach(0x51, e);
    const sc_time t = us(1);
    BOOST_REQUIRE(bus.start(0x51, false, t));
    bus.write(0x10, t);
    bus.write(0xAB, t);
    bus.stop(t);
    BOOST_CHECK_EQUAL(e.memory()[0x10], 0xAB);
}

BOOST_AUTO_TEST_CASE(address_nobody_answers_is_nacked) {
    Fixture f;
    // UM10204 §3.1.6: no receiver pulls SDA low, the master sees NACK; reads give 0xFF.
    BOOST_CHECK(!f.bus.start(0x51, true, us(0)));
    BOOST_CHECK_EQUAL(f.bus.read(false, us(0)), 0xFF);
    f.bus.stop(us(0));
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_clear_errors) {
    auto make = [](uint32_t size, uint32_t page, unsigned abytes, size_t contents) {
        At24Params p;
        p.name = "bad";
        p.size_bytes = size;
        p.page_bytes = page;
        p.address_bytes = abytes;
        p.contents.assign(contents, 0);
        return p;
    };
    BOOST_CHECK_THROW(At24(make(3000, 32, 2, 0)), std::invalid_argument);  // not 2^n
    BOOST_CHECK_THROW(At24(make(4096, 24, 2, 0)), std::invalid_argument);  // page not 2^n
    BOOST_CHECK_THROW(At24(make(4096, 32, 3, 0)), std::invalid_argument);  // 3 address bytes
    BOOST_CHECK_THROW(At24(make(4096, 32, 1, 0)), std::invalid_argument);  // 1 byte: <= 256
    BOOST_CHECK_THROW(At24(make(4096, 32, 2, 4097)), std::out_of_range);   // contents too big
    At24 ok(make(4096, 32, 2, 0));
    BOOST_CHECK_THROW(ok.load(4090, std::vector<uint8_t>(7)), std::out_of_range);
}
