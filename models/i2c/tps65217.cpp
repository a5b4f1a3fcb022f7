#include "models/i2c/tps65217.h"

#include <sysc/kernel/sc_simcontext.h>

namespace vp {

using namespace tps65217;
using sc_core::sc_time;

namespace tps65217 {

Protection protection(uint8_t reg) {
    switch (reg) {
        case kChipid:
        case kChgconfig0:
        case kPgood:
            return Protection::read_only;
        case kPpath:
        case kInt:
        case kChgconfig1:
        case kChgconfig2:
        case kChgconfig3:
        case kWledctrl1:
        case kWledctrl2:
        case kMuxctrl:
        case kStatus:
        case kPassword:
            return Protection::none;
        case kDefdcdc1:
        case kDefdcdc2:
        case kDefdcdc3:
        case kDefslew:
        case kDefldo1:
        case kDefldo2:
        case kDefls1:
        case kDefls2:
            return Protection::level2;
        case kDefpg:
        case kEnable:
        case kDefuvlo:
            return Protection::level1;
        default:
            if (reg >= kSeq1 && reg <= kSeq6) return Protection::level1;
            return Protection::reserved;
    }
}

uint32_t dcdc_microvolts(uint8_t code) {
    code &= kDcdcSelMask;
    if (code <= 24) return 900000 + 25000u * code;           // 0.900 .. 1.500 V, 25 mV steps
    if (code <= 52) return 1550000 + 50000u * (code - 25);   // 1.550 .. 2.900 V, 50 mV steps
    if (code <= 55) return 3000000 + 100000u * (code - 53);  // 3.0, 3.1, 3.2 V
    return 3300000;                                          // 56..63: 3.3 V
}

}  // namespace tps65217

namespace {
// Reset values of the TPS65217C (see docs/models/tps65217.md for the source of each).
constexpr std::array<uint8_t, kRegisterSpace> kResetValues = [] {
    std::array<uint8_t, kRegisterSpace> v{};
    v[kPpath] = 0x3D;       // AC and USB paths on, 2.5 A AC limit, 500 mA USB limit
    v[kChgconfig1] = 0xB1;  // safety timer on (6 h), NTC 10k, charger enabled
    v[kChgconfig2] = 0xA0;  // dynamic timer, 4.20 V charge voltage
    v[kChgconfig3] = 0x32;  // 300 mA, DPPM 4.25 V, termination 7.5 %
    v[kDefpg] = 0x0C;
    v[kDefdcdc1] = kDcdc1500mV;  // DDR3 (BBB boot log: "DCDC1 ... at 1500 mV")
    v[kDefdcdc2] = kDcdc1100mV;  // VDD_MPU before U-Boot raises it
    v[kDefdcdc3] = kDcdc1100mV;  // VDD_CORE ("DCDC3 ... at 1100 mV")
    v[kDefslew] = 0x06;
    v[kDefldo1] = 0x09;      // 1.8 V
    v[kDefldo2] = 0x38;      // 3.3 V
    v[kDefls1] = 0x26;       // LDO mode, 1.8 V
    v[kDefls2] = 0x3F;       // LDO mode, 3.3 V
    v[kEnable] = kRailBits;  // every rail on after the power-up sequence
    v[kDefuvlo] = 0x03;
    return v;
}();

uint8_t pgood_of(uint8_t enable) {
    return enable & kRailBits;
}
}  // namespace

Tps65217::Tps65217(const Tps65217Params& p)
    : irq(p.name + ".irq"),
      p_(p),
      log_(p.name),
      reads_(p.name + ".reads", "register bytes read over I2C"),
      writes_(p.name + ".writes", "register bytes written over I2C (accepted)"),
      rejected_(p.name + ".rejected_writes",
                "writes refused: read-only, reserved or password protection") {
    reset();
}

uint8_t Tps65217::reset_value(uint8_t reg) const {
    if (reg >= kRegisterSpace) return 0;
    switch (reg) {
        case kChipid:
            return p_.chip_id;
        case kStatus:
            return static_cast<uint8_t>((p_.ac_power ? kStatusAcpwr : 0) |
                                        (p_.usb_power ? kStatusUsbpwr : 0));
        case kPgood:
            return pgood_of(kResetValues[kEnable]);
        default:
            return kResetValues[reg];
    }
}

void Tps65217::reset() {
    for (unsigned r = 0; r < kRegisterSpace; ++r)
        regs_[r] = reset_value(static_cast<uint8_t>(r));
    for (unsigned d = 0; d < kDcdcCount; ++d)
        dcdc_active_[d] = regs_[kDefdcdc1 + d] & kDcdcSelMask;
    state_ = State::idle;
    ptr_ = 0;
    password_written_ = false;
    l2_pending_ = false;
    irq.write(false);
}

uint8_t Tps65217::peek(uint8_t reg) const {
    if (reg >= kRegisterSpace) return 0;
    if (reg == kPgood) return pgood_of(regs_[kEnable]);
    return regs_[reg];
}

uint32_t Tps65217::dcdc_output_microvolts(unsigned dcdc) const {
    if (dcdc < 1 || dcdc > kDcdcCount) return 0;
    if (!(regs_[kEnable] & (1u << (5 - dcdc)))) return 0;  // DC1_EN bit 4 .. DC3_EN bit 2
    return dcdc_microvolts(dcdc_active_[dcdc - 1]);
}

// --- I2C ----------------------------------------------------------------------------------

bool Tps65217::i2c_start(bool read, const sc_time&) {
    state_ = read ? State::reading : State::reg_address;
    return true;
}

bool Tps65217::i2c_write(uint8_t byte, const sc_time& now) {
    if (state_ == State::reg_address) {
        ptr_ = byte;
        state_ = State::writing;
        return true;
    }
    if (state_ == State::writing) {
        write_register(ptr_, byte, now);
        ptr_ = static_cast<uint8_t>(ptr_ + 1);
        return true;
    }
    return false;
}

uint8_t Tps65217::i2c_read(bool, const sc_time& now) {
    const uint8_t v = read_register(ptr_, now);
    ptr_ = static_cast<uint8_t>(ptr_ + 1);
    return v;
}

void Tps65217::i2c_stop(const sc_time&) {
    // PASSWORD is reset after the transaction that follows its write (data sheet).
    if (!password_written_) regs_[kPassword] = 0;
    password_written_ = false;
    state_ = State::idle;
}

void Tps65217::i2c_released(const sc_time& now) {
    i2c_stop(now);
}

uint8_t Tps65217::read_register(uint8_t reg, const sc_time& now) {
    ++reads_;
    const uint8_t v = peek(reg);
    if (reg == kInt && (v & kIntStatusBits)) {
        regs_[kInt] &= static_cast<uint8_t>(~kIntStatusBits);  // cleared by the read
        update_irq(now);
    }
    return v;
}

void Tps65217::write_register(uint8_t reg, uint8_t value, const sc_time& now) {
    const Protection prot = reg < kRegisterSpace ? protection(reg) : Protection::reserved;
    const bool unlocked = (regs_[kPassword] ^ reg) == kPasswordKey;
    switch (prot) {
        case Protection::read_only:
        case Protection::reserved:
            ++rejected_;
            VP_LOG(log_, debug, "write {:#04x} to register {:#04x} ignored (read-only/reserved)",
                   value, reg);
            return;
        case Protection::none:
            apply(reg, value);
            if (reg == kPassword) password_written_ = true;
            if (reg == kInt) update_irq(now);
            ++writes_;
            return;
        case Protection::level1:
            l2_pending_ = false;
            if (!unlocked) break;
            apply(reg, value);
            ++writes_;
            return;
        case Protection::level2:
            if (!unlocked) {
                l2_pending_ = false;
                break;
            }
            if (l2_pending_ && l2_reg_ == reg && l2_value_ == value) {
                l2_pending_ = false;
                apply(reg, value);
                ++writes_;
            } else {
                // First half: the data is held until the same write is unlocked again.
                l2_pending_ = true;
                l2_reg_ = reg;
                l2_value_ = value;
            }
            return;
    }
    ++rejected_;
    VP_LOG(log_, debug, "write {:#04x} to protected register {:#04x} refused (PASSWORD {:#04x})",
           value, reg, regs_[kPassword]);
}

void Tps65217::apply(uint8_t reg, uint8_t value) {
    switch (reg) {
        case kInt:
            regs_[kInt] =
                static_cast<uint8_t>((regs_[kInt] & kIntStatusBits) | (value & kIntMaskBits));
            break;
        case kStatus:
            regs_[kStatus] =
                static_cast<uint8_t>((regs_[kStatus] & ~kStatusOff) | (value & kStatusOff));
            break;
        case kDefslew:
            if (value & kDefslewGo) {
                // GO: the converters move to their selectors; the bit clears at the end of
                // the transition (slew time not modelled: at once).
                for (unsigned d = 0; d < kDcdcCount; ++d)
                    dcdc_active_[d] = regs_[kDefdcdc1 + d] & kDcdcSelMask;
            }
            regs_[kDefslew] = static_cast<uint8_t>(value & ~kDefslewGo);
            break;
        case kDefdcdc1:
        case kDefdcdc2:
        case kDefdcdc3:
            regs_[reg] = value;
            if (regs_[kDefslew] & kDefslewGodsbl)
                dcdc_active_[reg - kDefdcdc1] = value & kDcdcSelMask;
            break;
        default:
            regs_[reg] = value;
            break;
    }
}

// --- board inputs ------------------------------------------------------------------------

void Tps65217::set_interrupt(uint8_t status_bit, const sc_time& now) {
    regs_[kInt] |= status_bit;
    update_irq(now);
}

void Tps65217::set_ac_power(bool present, const sc_time& now) {
    const bool was = regs_[kStatus] & kStatusAcpwr;
    if (was == present) return;
    regs_[kStatus] ^= kStatusAcpwr;
    set_interrupt(kIntAci, now);
}

void Tps65217::set_usb_power(bool present, const sc_time& now) {
    const bool was = regs_[kStatus] & kStatusUsbpwr;
    if (was == present) return;
    regs_[kStatus] ^= kStatusUsbpwr;
    set_interrupt(kIntUsbi, now);
}

void Tps65217::set_push_button(bool pressed, const sc_time& now) {
    const bool was = regs_[kStatus] & kStatusPb;
    if (was == pressed) return;
    regs_[kStatus] ^= kStatusPb;
    set_interrupt(kIntPbi, now);
}

void Tps65217::update_irq(const sc_time& now) {
    const uint8_t i = regs_[kInt];
    const uint8_t pending = i & kIntStatusBits & ~((i & kIntMaskBits) >> kIntMaskShift);
    const sc_time stamp = sc_core::sc_time_stamp();
    irq.write(pending != 0, now > stamp ? now - stamp : sc_core::SC_ZERO_TIME);
}

}  // namespace vp
