// A modelled I2C bus (one per controller): devices attach with a 7-bit address and answer
// byte-level operations; the controller (vp::I2c) decides when each one happens, at the bus
// rate. One call = one byte on the wire including its ACK bit (9 SCL periods), never a bit.
//
//   vp::I2cBus& bus = i2c0.bus;
//   bus.attach(0x50, eeprom);           // a vp::I2cDevice
//   bus.attach(0x24, pmic);
//
// The master side (used by the controller, or directly by unit tests of a device):
//   bool ack = bus.start(0x50, /*read=*/false, t);   // START or repeated START + address
//   ack = bus.write(0x00, t);                         // a data byte, the slave's ACK
//   uint8_t b = bus.read(/*master_ack=*/false, t);   // a data byte, the master's ACK/NACK
//   bus.stop(t);                                     // STOP condition
//
// An address nobody answers gives NACK (the line stays high: I2C-bus specification UM10204
// §3.1.6). The bus records a trace of these operations with their simulated times when
// tracing is on, for tests and debugging.
#pragma once

#include <sysc/kernel/sc_time.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace vp {

// A slave on the bus. Every callback gets the simulated time of the event: the end of the
// byte's ACK bit for start/write/read, the STOP condition for stop.
class I2cDevice {
  public:
    virtual ~I2cDevice() = default;
    // START or repeated START with this device's address; `read` is the R/W bit.
    // Returns the ACK the device drives on the address byte.
    virtual bool i2c_start(bool read, const sc_core::sc_time& now) = 0;
    // The master wrote a data byte; returns the device's ACK.
    virtual bool i2c_write(uint8_t byte, const sc_core::sc_time& now) = 0;
    // The master reads a data byte; `master_ack` is the ACK the master sends after it
    // (false = NACK on the last byte of a read).
    virtual uint8_t i2c_read(bool master_ack, const sc_core::sc_time& now) = 0;
    // STOP condition ending a transaction this device took part in.
    virtual void i2c_stop(const sc_core::sc_time& now) = 0;
    // The master addressed another device with a repeated START, or the controller was
    // reset while it held the bus: the transaction ends without a STOP (e.g. an EEPROM
    // discards a page it has latched but not written). Default: nothing.
    virtual void i2c_released(const sc_core::sc_time& now) { (void)now; }
};

struct I2cBusEvent {
    enum class Kind : uint8_t { start, restart, write, read, stop, release };
    sc_core::sc_time time;
    Kind kind;
    uint8_t value;  // start/restart: 7-bit address; write/read: the data byte
    bool read;      // start/restart: the R/W bit
    bool ack;       // start/restart/write: the slave's ACK; read: the master's ACK
};
const char* i2c_bus_event_name(I2cBusEvent::Kind k);

class I2cBus {
  public:
    // 7-bit addresses a device may use: 0x08..0x77 (UM10204 Table 4 reserves 0x00-0x07
    // and 0x78-0x7F).
    static constexpr uint8_t kFirstAddress = 0x08;
    static constexpr uint8_t kLastAddress = 0x77;

    explicit I2cBus(std::string name = "i2c");
    I2cBus(const I2cBus&) = delete;
    I2cBus& operator=(const I2cBus&) = delete;

    // Throws std::invalid_argument for a reserved address or one already taken.
    void attach(uint8_t address, I2cDevice& device);
    void detach(uint8_t address);
    I2cDevice* device(uint8_t address) const;

    // --- master side ------------------------------------------------------------------
    // START (or a repeated START while a transaction is open) and the address byte.
    bool start(uint8_t address, bool read, const sc_core::sc_time& now);
    bool write(uint8_t byte, const sc_core::sc_time& now);
    // Reading with no device selected returns 0xFF (nobody pulls SDA low).
    uint8_t read(bool master_ack, const sc_core::sc_time& now);
    void stop(const sc_core::sc_time& now);
    // The master let go of the bus without a STOP (controller reset while holding it).
    void release(const sc_core::sc_time& now);

    // True between a start() and the stop()/release() that ends the transaction.
    bool in_transaction() const { return open_; }
    // The device addressed by the last start(), if it answered.
    I2cDevice* selected() const { return selected_; }

    // Another master owns the bus (multi-master tests): a controller that tries a START
    // now loses arbitration (SPRUH73 Table 21-12, AL).
    void set_external_busy(bool busy) { external_busy_ = busy; }
    bool external_busy() const { return external_busy_; }

    void set_tracing(bool on) { tracing_ = on; }
    const std::vector<I2cBusEvent>& trace() const { return trace_; }
    void clear_trace() { trace_.clear(); }

    const std::string& name() const { return name_; }

  private:
    void record(I2cBusEvent::Kind k, const sc_core::sc_time& t, uint8_t v, bool rd, bool ack);

    std::string name_;
    std::array<I2cDevice*, 128> devices_{};
    I2cDevice* selected_ = nullptr;
    bool open_ = false;
    bool external_busy_ = false;
    bool tracing_ = false;
    std::vector<I2cBusEvent> trace_;
};

}  // namespace vp
