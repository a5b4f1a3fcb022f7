#include "models/i2c/bus.h"

#include <fmt/format.h>

#include <stdexcept>

namespace vp {

const char* i2c_bus_event_name(I2cBusEvent::Kind k) {
    switch (k) {
        case I2cBusEvent::Kind::start:
            return "start";
        case I2cBusEvent::Kind::restart:
            return "restart";
        case I2cBusEvent::Kind::write:
            return "write";
        case I2cBusEvent::Kind::read:
            return "read";
        case I2cBusEvent::Kind::stop:
            return "stop";
        case I2cBusEvent::Kind::release:
            return "release";
    }
    return "?";
}

I2cBus::I2cBus(std::string name) : name_(std::move(name)) {}

void I2cBus::attach(uint8_t address, I2cDevice& device) {
    if (address < kFirstAddress || address > kLastAddress)
        throw std::invalid_argument(fmt::format(
            "{}: I2C address {:#04x} is reserved (7-bit device addresses are {:#04x}..{:#04x})",
            name_, address, kFirstAddress, kLastAddress));
    if (devices_[address])
        throw std::invalid_argument(fmt::format(
            "{}: I2C address {:#04x} is already taken by another device", name_, address));
    devices_[address] = &device;
}

void I2cBus::detach(uint8_t address) {
    if (address < devices_.size()) {
        if (selected_ == devices_[address]) selected_ = nullptr;
        devices_[address] = nullptr;
    }
}

I2cDevice* I2cBus::device(uint8_t address) const {
    return address < devices_.size() ? devices_[address] : nullptr;
}

void I2cBus::record(I2cBusEvent::Kind k, const sc_core::sc_time& t, uint8_t v, bool rd, bool ack) {
    if (tracing_) trace_.push_back({t, k, v, rd, ack});
}

bool I2cBus::start(uint8_t address, bool read, const sc_core::sc_time& now) {
    const bool restart = open_;
    I2cDevice* target = device(address & 0x7F);
    // A repeated START to another device ends the previous one's transaction without STOP.
    if (selected_ && selected_ != target) selected_->i2c_released(now);
    open_ = true;
    selected_ = nullptr;
    bool ack = false;
    if (target) {
        ack = target->i2c_start(read, now);
        if (ack) selected_ = target;
    }
    record(restart ? I2cBusEvent::Kind::restart : I2cBusEvent::Kind::start, now, address & 0x7F,
           read, ack);
    return ack;
}

bool I2cBus::write(uint8_t byte, const sc_core::sc_time& now) {
    const bool ack = selected_ ? selected_->i2c_write(byte, now) : false;
    record(I2cBusEvent::Kind::write, now, byte, false, ack);
    return ack;
}

uint8_t I2cBus::read(bool master_ack, const sc_core::sc_time& now) {
    const uint8_t b = selected_ ? selected_->i2c_read(master_ack, now) : 0xFF;
    record(I2cBusEvent::Kind::read, now, b, true, master_ack);
    return b;
}

void I2cBus::stop(const sc_core::sc_time& now) {
    if (selected_) selected_->i2c_stop(now);
    selected_ = nullptr;
    open_ = false;
    record(I2cBusEvent::Kind::stop, now, 0, false, false);
}

void I2cBus::release(const sc_core::sc_time& now) {
    if (!open_) return;
    if (selected_) selected_->i2c_released(now);
    selected_ = nullptr;
    open_ = false;
    record(I2cBusEvent::Kind::release, now, 0, false, false);
}

}  // namespace vp
