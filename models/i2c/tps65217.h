// The TPS65217 power-management IC of the BeagleBones (TPS65217C on the BeagleBone Black), an
// I2C device at address 0x24 on I2C0, written for U-Boot's power/pmic/pmic_tps65217.c and
// Linux's mfd/tps65217.c + regulator/tps65217-regulator.c. See docs/models/tps65217.md.
//
//   vp::Tps65217 pmic(vp::Tps65217Params{});   // CHIPID 0xE2, USB power
//   i2c0.bus.attach(vp::tps65217::kI2cAddress, pmic);
//   pmic.irq.connect(intc_line_7);             // nINT -> NMI (INTC line 7) on BeagleBones
//
// Registers are 8 bits; a write transaction sends the register address then data bytes, a
// read returns bytes from the register pointer; both increment the pointer. Registers 0x0B
// and up are password protected (TPS65217 data sheet SLVSB64 "Password Protection"):
// level 1 = PASSWORD <- reg ^ 0x7D, then the write; level 2 = that pair twice with the same
// data. PASSWORD is cleared after the transaction that follows its write. The DCDC outputs
// move to the DEFDCDCx selectors only when DEFSLEW.GO is set (or GODSBL = 1).
#pragma once

#include <sysc/kernel/sc_time.h>

#include <array>
#include <cstdint>
#include <string>

#include "models/core/log.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "models/i2c/bus.h"

namespace vp {

namespace tps65217 {
constexpr uint8_t kI2cAddress = 0x24;  // data sheet "I2C Interface (Address 0x24)"

// Register addresses (U-Boot include/power/tps65217.h, Linux include/linux/mfd/tps65217.h).
constexpr uint8_t kChipid = 0x00;
constexpr uint8_t kPpath = 0x01;
constexpr uint8_t kInt = 0x02;
constexpr uint8_t kChgconfig0 = 0x03;
constexpr uint8_t kChgconfig1 = 0x04;
constexpr uint8_t kChgconfig2 = 0x05;
constexpr uint8_t kChgconfig3 = 0x06;
constexpr uint8_t kWledctrl1 = 0x07;
constexpr uint8_t kWledctrl2 = 0x08;
constexpr uint8_t kMuxctrl = 0x09;
constexpr uint8_t kStatus = 0x0A;
constexpr uint8_t kPassword = 0x0B;
constexpr uint8_t kPgood = 0x0C;
constexpr uint8_t kDefpg = 0x0D;
constexpr uint8_t kDefdcdc1 = 0x0E;
constexpr uint8_t kDefdcdc2 = 0x0F;
constexpr uint8_t kDefdcdc3 = 0x10;
constexpr uint8_t kDefslew = 0x11;
constexpr uint8_t kDefldo1 = 0x12;
constexpr uint8_t kDefldo2 = 0x13;
constexpr uint8_t kDefls1 = 0x14;
constexpr uint8_t kDefls2 = 0x15;
constexpr uint8_t kEnable = 0x16;
constexpr uint8_t kDefuvlo = 0x18;
constexpr uint8_t kSeq1 = 0x19;
constexpr uint8_t kSeq6 = 0x1E;
constexpr uint8_t kLastRegister = kSeq6;
constexpr unsigned kRegisterSpace = 0x20;

// CHIPID: [7:4] chip (0x7 A, 0xF B, 0xE C, 0x6 D), [3:0] revision (2 = 1.2).
constexpr uint8_t kChipidTps65217cRev12 = 0xE2;
constexpr unsigned kChipidChipShift = 4;

// INT: status bits are cleared when INT is read; mask bits (1 = masked) are read/write.
constexpr uint8_t kIntUsbi = 1u << 0;
constexpr uint8_t kIntAci = 1u << 1;
constexpr uint8_t kIntPbi = 1u << 2;
constexpr uint8_t kIntStatusBits = kIntUsbi | kIntAci | kIntPbi;
constexpr unsigned kIntMaskShift = 4;  // USBM = bit 4, ACM = bit 5, PBM = bit 6
constexpr uint8_t kIntMaskBits = kIntStatusBits << kIntMaskShift;

// STATUS.
constexpr uint8_t kStatusPb = 1u << 0;
constexpr uint8_t kStatusUsbpwr = 1u << 2;
constexpr uint8_t kStatusAcpwr = 1u << 3;
constexpr uint8_t kStatusOff = 1u << 7;  // the only writable STATUS bit

// PASSWORD: unlock key.
constexpr uint8_t kPasswordKey = 0x7D;

// DEFDCDCx: [5:0] selector, bit 7 XADJ (external divider).
constexpr uint8_t kDcdcSelMask = 0x3F;
constexpr uint8_t kDcdcXadj = 1u << 7;
// DCDC selector codes (am335x.md §11; Linux tps65217_uv1_ranges).
constexpr uint8_t kDcdc1100mV = 0x08;
constexpr uint8_t kDcdc1200mV = 0x0C;
constexpr uint8_t kDcdc1275mV = 0x0F;
constexpr uint8_t kDcdc1325mV = 0x11;
constexpr uint8_t kDcdc1500mV = 0x18;

// DEFSLEW.
constexpr uint8_t kDefslewGo = 1u << 7;
constexpr uint8_t kDefslewGodsbl = 1u << 6;

// ENABLE / PGOOD: one bit per rail at the same position (LS1/LDO3 6, LS2/LDO4 5, DC1 4,
// DC2 3, DC3 2, LDO1 1, LDO2 0).
constexpr uint8_t kRailBits = 0x7F;

constexpr unsigned kDcdcCount = 3;

enum class Protection : uint8_t { none, level1, level2, read_only, reserved };
// The write protection of register `reg` (data sheet register map; see tps65217.md).
Protection protection(uint8_t reg);
// DCDC output voltage of a selector code, in microvolts (data sheet DEFDCDCx table).
uint32_t dcdc_microvolts(uint8_t code);
}  // namespace tps65217

struct Tps65217Params {
    std::string name = "pmic";  // logger name and statistics prefix
    // CHIPID: the BeagleBone Black has a TPS65217C revision 1.2 (its Linux boot log reads
    // "tps65217 0-0024: TPS65217 ID 0xe version 1.2").
    uint8_t chip_id = tps65217::kChipidTps65217cRev12;
    bool ac_power = false;  // STATUS.ACPWR: 5 V barrel jack present
    bool usb_power = true;  // STATUS.USBPWR: powered from USB
};

class Tps65217 : public I2cDevice {
  public:
    explicit Tps65217(const Tps65217Params& p = {});

    // nINT (level, high = asserted): an unmasked INT status bit is set. BeagleBones route it
    // to the AM335x NMI input, INTC line 7.
    Wire irq;

    bool i2c_start(bool read, const sc_core::sc_time& now) override;
    bool i2c_write(uint8_t byte, const sc_core::sc_time& now) override;
    uint8_t i2c_read(bool master_ack, const sc_core::sc_time& now) override;
    void i2c_stop(const sc_core::sc_time& now) override;
    void i2c_released(const sc_core::sc_time& now) override;

    // Power-on reset: every register to its reset value.
    void reset();

    // The board: power inputs and the push button (PB_IN). A change sets the INT status bit.
    void set_ac_power(bool present, const sc_core::sc_time& now);
    void set_usb_power(bool present, const sc_core::sc_time& now);
    void set_push_button(bool pressed, const sc_core::sc_time& now);

    // Register value as a read would return it, without side effects.
    uint8_t peek(uint8_t reg) const;
    uint8_t reset_value(uint8_t reg) const;
    // The voltage a DCDC converter (1..3) outputs now: the selector applied by the last GO.
    uint32_t dcdc_output_microvolts(unsigned dcdc) const;

  private:
    enum class State : uint8_t { idle, reg_address, writing, reading };

    uint8_t read_register(uint8_t reg, const sc_core::sc_time& now);
    void write_register(uint8_t reg, uint8_t value, const sc_core::sc_time& now);
    void apply(uint8_t reg, uint8_t value);
    void set_interrupt(uint8_t status_bit, const sc_core::sc_time& now);
    void update_irq(const sc_core::sc_time& now);

    Tps65217Params p_;
    Logger log_;
    std::array<uint8_t, tps65217::kRegisterSpace> regs_{};
    std::array<uint8_t, tps65217::kDcdcCount> dcdc_active_{};  // selectors the outputs follow
    State state_ = State::idle;
    uint8_t ptr_ = 0;
    bool password_written_ = false;  // the current transaction wrote PASSWORD
    bool l2_pending_ = false;        // first half of a level-2 write seen
    uint8_t l2_reg_ = 0;
    uint8_t l2_value_ = 0;

    stats::Counter reads_;
    stats::Counter writes_;
    stats::Counter rejected_;
};

}  // namespace vp
