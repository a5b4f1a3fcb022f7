// Tests of the TPS65217 PMIC model (models/i2c/tps65217.h) on a modelled I2C bus.
// Expected behaviour: TPS65217 data sheet SLVSB64 ("Password Protection", register map),
// U-Boot power/pmic/pmic_tps65217.c and Linux mfd/tps65217.c + regulator/tps65217-regulator.c
// (the protection level each register is written with), shared/reference/am335x.md §11
// (register map, DCDC codes, PASSWORD = reg ^ 0x7D), BeagleBone Black boot logs (CHIPID), and
// the [?] choices listed in docs/models/tps65217.md.
#define BOOST_TEST_MODULE tps65217
#include <boost/test/unit_test.hpp>

#include <systemc>

#include <vector>

#include "models/i2c/bus.h"
#include "models/i2c/tps65217.h"

using namespace sc_core;
using namespace vp;
using namespace vp::tps65217;

namespace {
sc_time us(double v) {
    return sc_time(v, SC_US);
}

struct Fixture {
    I2cBus bus{"i2c0.bus"};
    Tps65217Params params;
    std::unique_ptr<Tps65217> pmic;
    sc_time t = SC_ZERO_TIME;
    explicit Fixture(Tps65217Params p = {}) : params(p) {
        pmic = std::make_unique<Tps65217>(params);
        bus.attach(kI2cAddress, *pmic);
    }
    // One register write transaction (regmap_write): START, 0x24 W, reg, value, STOP.
    void write(uint8_t reg, uint8_t v) {
        t += us(100);
        BOOST_REQUIRE(bus.start(kI2cAddress, false, t));
        BOOST_CHECK(bus.write(reg, t));
        BOOST_CHECK(bus.write(v, t));
        bus.stop(t);
    }
    // regmap_read: START, 0x24 W, reg, repeated START, 0x24 R, n bytes, STOP.
    std::vector<uint8_t> read(uint8_t reg, size_t n = 1) {
        t += us(100);
        BOOST_REQUIRE(bus.start(kI2cAddress, false, t));
        bus.write(reg, t);
        BOOST_REQUIRE(bus.start(kI2cAddress, true, t));
        std::vector<uint8_t> out;
        for (size_t i = 0; i < n; ++i)
            out.push_back(bus.read(i + 1 < n, t));
        bus.stop(t);
        return out;
    }
    uint8_t read1(uint8_t reg) { return read(reg)[0]; }
    // tps65217_reg_write() levels (U-Boot and Linux).
    void write_l1(uint8_t reg, uint8_t v) {
        write(kPassword, reg ^ kPasswordKey);
        write(reg, v);
    }
    void write_l2(uint8_t reg, uint8_t v) {
        write_l1(reg, v);
        write_l1(reg, v);
    }
};
}  // namespace

BOOST_AUTO_TEST_CASE(reset_values) {
    Fixture f;
    struct R {
        uint8_t reg;
        uint8_t value;
        const char* why;
    };
    const R expected[] = {
        {kChipid, 0xE2, "TPS65217C rev 1.2: BBB boot log 'TPS65217 ID 0xe version 1.2'"},
        {kPpath, 0x3D, "[?] data sheet default, read back as 0x3D on a TPS65217 (TI E2E)"},
        {kInt, 0x00, "[?] no interrupt pending, nothing masked"},
        {kChgconfig0, 0x00, "[?] charger status: idle"},
        {kChgconfig1, 0xB1, "[?] data sheet default"},
        {kChgconfig2, 0xA0, "[?] data sheet default"},
        {kChgconfig3, 0x32, "[?] data sheet default"},
        {kWledctrl1, 0x00, "[?] WLED off"},
        {kWledctrl2, 0x00, "[?] WLED off"},
        {kMuxctrl, 0x00, "[?] MUX off"},
        {kStatus, kStatusUsbpwr, "USB power, no AC: Tps65217Params defaults (am335x.md §11)"},
        {kPassword, 0x00, "data sheet: PASSWORD reads 0 when not armed"},
        {kPgood, 0x7F, "every rail of ENABLE good"},
        {kDefpg, 0x0C, "[?] data sheet default"},
        {kDefdcdc1, 0x18, "1.500 V: BBB boot log 'DCDC1 ... at 1500 mV'"},
        {kDefdcdc2, 0x08, "1.100 V before U-Boot raises VDD_MPU (am335x.md §11 code 0x08)"},
        {kDefdcdc3, 0x08, "1.100 V: BBB boot log 'DCDC3 ... at 1100 mV'"},
        {kDefslew, 0x06, "[?] data sheet default"},
        {kDefldo1, 0x09, "1.8 V (LDO1 table index 9): BBB boot log 'LDO1 at 1800 mV'"},
        {kDefldo2, 0x38, "3.3 V: BBB boot log 'LDO2: at 3300 mV'"},
        {kDefls1, 0x26, "LDO3 mode, 1.8 V: BBB boot log 'LDO3: 1800 mV'"},
        {kDefls2, 0x3F, "LDO4 mode, 3.3 V: BBB boot log 'LDO4: at 3300 mV'"},
        {kEnable, 0x7F, "every rail enabled after power-up (the board runs)"},
        {0x17, 0x00, "reserved"},
        {kDefuvlo, 0x03, "[?] data sheet default"},
    };
    for (const R& r : expected) {
        BOOST_TEST_CONTEXT(r.why) {
            BOOST_CHECK_EQUAL(f.read1(r.reg), r.value);
            BOOST_CHECK_EQUAL(f.pmic->reset_value(r.reg), r.value);
        }
    }
    // CHIPID: [7:4] chip 0xE = TPS65217C, [3:0] revision 2 = 1.2 (Linux prints "ID %#x
    // version 1.%d" from these fields).
    BOOST_CHECK_EQUAL(f.read1(kChipid) >> kChipidChipShift, 0xE);
    BOOST_CHECK(!f.pmic->irq.read());
}

BOOST_AUTO_TEST_CASE(status_reflects_the_power_inputs) {
    Tps65217Params p;
    p.ac_power = true;
    p.usb_power = false;
    Fixture f(p);
    // STATUS bit 3 ACPWR, bit 2 USBPWR (am335x.md §11; U-Boot TPS65217_PWR_SRC_*_BITMASK).
    BOOST_CHECK_EQUAL(f.read1(kStatus), kStatusAcpwr);
    // Only STATUS.OFF is writable (Linux sets it with PROTECT_NONE).
    f.write(kStatus, 0xFF);
    BOOST_CHECK_EQUAL(f.read1(kStatus), kStatusAcpwr | kStatusOff);
}

BOOST_AUTO_TEST_CASE(protection_levels) {
    // Level 2: the voltage selectors and DEFSLEW (Linux set_voltage_sel and U-Boot
    // tps65217_voltage_update use PROT_LEVEL_2); level 1: ENABLE and SEQx (Linux
    // enable/disable, set_suspend_*); DEFPG and DEFUVLO: level 1 ([?] data sheet register map).
    for (uint8_t r :
         {kDefdcdc1, kDefdcdc2, kDefdcdc3, kDefslew, kDefldo1, kDefldo2, kDefls1, kDefls2})
        BOOST_CHECK(protection(r) == Protection::level2);
    for (uint8_t r : {kDefpg, kEnable, kDefuvlo, kSeq1, uint8_t(0x1A), uint8_t(0x1B), uint8_t(0x1C),
                      uint8_t(0x1D), kSeq6})
        BOOST_CHECK(protection(r) == Protection::level1);
    // Registers below 0x0B are not protected (data sheet: "Registers 0x0B through 0x1F with
    // exception of the password register are protected").
    for (uint8_t r : {kPpath, kInt, kChgconfig1, kChgconfig2, kChgconfig3, kWledctrl1, kWledctrl2,
                      kMuxctrl, kStatus, kPassword})
        BOOST_CHECK(protection(r) == Protection::none);
    for (uint8_t r : {kChipid, kChgconfig0, kPgood})
        BOOST_CHECK(protection(r) == Protection::read_only);
    BOOST_CHECK(protection(0x17) == Protection::reserved);
    BOOST_CHECK(protection(0x1F) == Protection::reserved);
}

BOOST_AUTO_TEST_CASE(level1_write_needs_the_password) {
    Fixture f;
    // Without the password the write is ignored (data sheet Level1 step 3).
    f.write(kEnable, 0x7E);
    BOOST_CHECK_EQUAL(f.read1(kEnable), 0x7F);
    // A password for another register does not unlock this one.
    f.write(kPassword, kDefuvlo ^ kPasswordKey);
    f.write(kEnable, 0x7E);
    BOOST_CHECK_EQUAL(f.read1(kEnable), 0x7F);
    // PASSWORD = 0x16 ^ 0x7D = 0x6B, then the write: accepted.
    f.write_l1(kEnable, 0x7E);
    BOOST_CHECK_EQUAL(f.read1(kEnable), 0x7E);
    // LDO2 off: its power-good bit drops (PGOOD follows ENABLE).
    BOOST_CHECK_EQUAL(f.read1(kPgood), 0x7E);
}

BOOST_AUTO_TEST_CASE(level2_write_needs_two_identical_unlocked_writes) {
    Fixture f;
    f.write_l1(kDefdcdc2, kDcdc1325mV);  // the first half only stores the data temporarily
    BOOST_CHECK_EQUAL(f.read1(kDefdcdc2), kDcdc1100mV);
    f.write_l1(kDefdcdc2, kDcdc1275mV);  // second half with other data: not updated
    BOOST_CHECK_EQUAL(f.read1(kDefdcdc2), kDcdc1100mV);
    f.write_l2(kDefdcdc2, kDcdc1325mV);  // both halves, same data: updated
    BOOST_CHECK_EQUAL(f.read1(kDefdcdc2), kDcdc1325mV);
    // A level-1 sequence on a level-2 register is not enough.
    f.write_l1(kDefdcdc3, kDcdc1200mV);
    BOOST_CHECK_EQUAL(f.read1(kDefdcdc3), kDcdc1100mV);
}

BOOST_AUTO_TEST_CASE(password_is_cleared_after_the_following_transaction) {
    Fixture f;
    f.write(kPassword, kEnable ^ kPasswordKey);
    // "reset to 0x00h after the following I2C transaction, regardless of the register
    // accessed and the transaction type": here that transaction is a read.
    BOOST_CHECK_EQUAL(f.read1(kChipid), 0xE2);
    BOOST_CHECK_EQUAL(f.read1(kPassword), 0x00);
    f.write(kEnable, 0x00);
    BOOST_CHECK_EQUAL(f.read1(kEnable), 0x7F);
}

BOOST_AUTO_TEST_CASE(dcdc_output_moves_on_go) {
    Fixture f;
    // Selector codes (am335x.md §11): 0x08 1.100 V, 0x0C 1.200 V, 0x0F 1.275 V, 0x11 1.325 V.
    BOOST_CHECK_EQUAL(dcdc_microvolts(0x08), 1100000u);
    BOOST_CHECK_EQUAL(dcdc_microvolts(0x0C), 1200000u);
    BOOST_CHECK_EQUAL(dcdc_microvolts(0x0F), 1275000u);
    BOOST_CHECK_EQUAL(dcdc_microvolts(0x11), 1325000u);
    BOOST_CHECK_EQUAL(dcdc_microvolts(0x18), 1500000u);
    BOOST_CHECK_EQUAL(f.pmic->dcdc_output_microvolts(2), 1100000u);
    // U-Boot tps65217_voltage_update(): DEFDCDC2 (level 2), then DEFSLEW.GO (level 2).
    f.write_l2(kDefdcdc2, kDcdc1325mV);
    BOOST_CHECK_EQUAL(f.pmic->dcdc_output_microvolts(2), 1100000u);  // not before GO
    const uint8_t slew = f.read1(kDefslew);
    f.write_l2(kDefslew, slew | kDefslewGo);
    BOOST_CHECK_EQUAL(f.pmic->dcdc_output_microvolts(2), 1325000u);
    BOOST_CHECK_EQUAL(f.read1(kDefslew) & kDefslewGo, 0);  // GO clears after the transition
    BOOST_CHECK_EQUAL(f.read1(kDefslew), slew);
    // With GODSBL the selector applies at once.
    f.write_l2(kDefslew, slew | kDefslewGodsbl);
    f.write_l2(kDefdcdc3, kDcdc1200mV);
    BOOST_CHECK_EQUAL(f.pmic->dcdc_output_microvolts(3), 1200000u);
    // A disabled converter outputs nothing.
    f.write_l1(kEnable, 0x7F & ~0x08);  // DC2_EN = bit 3
    BOOST_CHECK_EQUAL(f.pmic->dcdc_output_microvolts(2), 0u);
}

BOOST_AUTO_TEST_CASE(interrupts_and_the_nint_line) {
    Fixture f;
    std::vector<std::pair<sc_time, bool>> edges;
    f.pmic->irq.on_change([&](bool l, const sc_time& off) {
        edges.push_back({sc_time_stamp() + off, l});
    });
    // AC plugged in at 1 ms: STATUS.ACPWR and INT.ACI; nINT asserted (INTC line 7 on BBB).
    f.pmic->set_ac_power(true, sc_time(1, SC_MS));
    BOOST_CHECK(f.pmic->irq.read());
    BOOST_CHECK(f.pmic->peek(kStatus) & kStatusAcpwr);
    // Linux tps65217_irq_thread reads INT: the status bits clear on read, nINT released.
    BOOST_CHECK_EQUAL(f.read1(kInt), kIntAci);
    BOOST_CHECK(!f.pmic->irq.read());
    BOOST_CHECK_EQUAL(f.read1(kInt), 0);
    // Masked sources (Linux tps65217_irq_init masks all) set INT but not nINT.
    f.write(kInt, kIntMaskBits);
    f.pmic->set_push_button(true, sc_time(2, SC_MS));
    BOOST_CHECK(!f.pmic->irq.read());
    BOOST_CHECK_EQUAL(f.read1(kInt), kIntMaskBits | kIntPbi);
    // Unmask USB and unplug it.
    f.write(kInt, kIntMaskBits & ~(kIntUsbi << kIntMaskShift));
    f.pmic->set_usb_power(false, sc_time(3, SC_MS));
    BOOST_CHECK(f.pmic->irq.read());
    BOOST_CHECK_EQUAL(f.read1(kStatus) & kStatusUsbpwr, 0);
    BOOST_REQUIRE_EQUAL(edges.size(), 3u);
    BOOST_CHECK(edges[0].first == sc_time(1, SC_MS) && edges[0].second);
    BOOST_CHECK(edges[2].first == sc_time(3, SC_MS) && edges[2].second);
}

BOOST_AUTO_TEST_CASE(auto_increment_read_and_read_only_registers) {
    Fixture f;
    // Reading three bytes from DEFDCDC1 returns DEFDCDC1..3.
    const auto v = f.read(kDefdcdc1, 3);
    BOOST_CHECK_EQUAL(v[0], 0x18);
    BOOST_CHECK_EQUAL(v[1], 0x08);
    BOOST_CHECK_EQUAL(v[2], 0x08);
    // CHIPID and PGOOD are read-only; a reserved address reads 0 and ignores writes.
    f.write(kChipid, 0x00);
    BOOST_CHECK_EQUAL(f.read1(kChipid), 0xE2);
    f.write(0x17, 0x55);
    BOOST_CHECK_EQUAL(f.read1(0x17), 0x00);
    BOOST_CHECK_EQUAL(f.read1(0x40), 0x00);
    // Unprotected registers take any value (USB current limit, U-Boot PROT_LEVEL_NONE).
    f.write(kPpath, 0x3F);
    BOOST_CHECK_EQUAL(f.read1(kPpath), 0x3F);
    // Power-on reset.
    f.pmic->reset();
    BOOST_CHECK_EQUAL(f.read1(kPpath), 0x3D);
}
