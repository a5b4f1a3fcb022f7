// Control Module (SCM) of the AM335x at 0x44E1_0000 (SPRUH73 chapter 9, Table 9-10;
// reference/am335x.md §10). docs/models/control.md.
//
//   vp::ControlModule scm("control", vp::ControlModuleParams{});
//   prcm.clock("cm_wkup.control").connect(scm.clock_enable);
//   bool rx = scm.pad_rx_active(1, 21);   // GPIO1_21 (USR0 LED) on conf_gpmc_a5
//
// - CONTROL_STATUS from the board's SYSBOOT pins and crystal, DEVICE_ID from the silicon
//   revision and part number, MAC_ID0/1 and EFUSE_SMA from the board (read-only);
// - pad configuration registers conf_<module>_<pin> 0x800-0xA34 (mux mode, pull, RXACTIVE,
//   slew) with a GPIO bank/pin -> pad lookup for the GPIO models and a change callback;
// - VTP_CTRL: READY rises `vtp_training` after a low-then-high pulse of CLRZ (START_EN)
//   with ENABLE set, the sequence U-Boot's SPL polls on;
// - EDMA event crossbar TPCC_EVT_MUX_0_3 .. _60_63 with an accessor and a change callback
//   (the platform forwards it to EdmaTpcc::select_event_source);
// - TPTC_CFG default burst sizes with an accessor and a change callback (to
//   EdmaTptc::set_default_burst);
// - DDR I/O control, EMIF SDRAM config copy and the other registers as plain stores.
// Pad and configuration registers accept writes in privileged mode only (TRM §9.1); the
// TLM payload carries no privilege level yet, so every write is accepted.
#pragma once

#include <systemc>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/core/peripheral.h"

namespace vp {

namespace control {

// --- Register offsets (SPRUH73 Table 9-10) -------------------------------------------------
inline constexpr uint32_t kRevision = 0x000;
inline constexpr uint32_t kHwinfo = 0x004;
inline constexpr uint32_t kSysconfig = 0x010;
inline constexpr uint32_t kStatus = 0x040;
inline constexpr uint32_t kEmifSdramConfig = 0x110;
inline constexpr uint32_t kDeviceId = 0x600;
inline constexpr uint32_t kDevFeature = 0x604;
inline constexpr uint32_t kTptcCfg = 0x614;
inline constexpr uint32_t kUsbCtrl0 = 0x620;
inline constexpr uint32_t kUsbCtrl1 = 0x628;
inline constexpr uint32_t kMacId0Lo = 0x630;
inline constexpr uint32_t kMacId0Hi = 0x634;
inline constexpr uint32_t kMacId1Lo = 0x638;
inline constexpr uint32_t kMacId1Hi = 0x63C;
inline constexpr uint32_t kGmiiSel = 0x650;
inline constexpr uint32_t kUsbVidPid = 0x7F4;
inline constexpr uint32_t kEfuseSma = 0x7FC;
inline constexpr uint32_t kPadConfFirst = 0x800;  // conf_gpmc_ad0
inline constexpr uint32_t kPadConfLast = 0xA34;   // conf_usb1_drvvbus
inline constexpr uint32_t kConfGpmcA5 = 0x854;    // GPIO1_21, BeagleBone USR0
inline constexpr uint32_t kConfSpi0Cs1 = 0x960;   // GPIO0_6, BeagleBone uSD card detect
inline constexpr uint32_t kConfUart0Rxd = 0x970;
inline constexpr uint32_t kConfUart0Txd = 0x974;
inline constexpr uint32_t kDdrIoCtrl = 0xE04;
inline constexpr uint32_t kVtpCtrl = 0xE0C;
inline constexpr uint32_t kVrefCtrl = 0xE14;
inline constexpr uint32_t kTpccEvtMux0 = 0xF90;  // TPCC_EVT_MUX_0_3
inline constexpr uint32_t kTpccEvtMuxRegs = 16;  // .. TPCC_EVT_MUX_60_63 at 0xFCC
inline constexpr uint32_t kDdrCkeCtrl = 0x131C;
inline constexpr uint32_t kDdrCmd0Ioctrl = 0x1404;
inline constexpr uint32_t kDdrCmd1Ioctrl = 0x1408;
inline constexpr uint32_t kDdrCmd2Ioctrl = 0x140C;
inline constexpr uint32_t kDdrData0Ioctrl = 0x1440;
inline constexpr uint32_t kDdrData1Ioctrl = 0x1444;
inline constexpr uint32_t kWindowSize = 0x2000;  // 8 KiB of registers (am335x.md §1.2)

// --- CONTROL_STATUS (Table 9-14) -----------------------------------------------------------
inline constexpr uint32_t kStatusSysboot0Mask = 0xFF;  // [7:0] = SYSBOOT[7:0]
inline constexpr unsigned kStatusDevtypeShift = 8;     // [10:8]
inline constexpr uint32_t kDevtypeGp = 3;              // general-purpose device
inline constexpr unsigned kStatusSysbootHiShift = 16;  // [21:16] = SYSBOOT[13:8]
inline constexpr unsigned kSysbootHiShift = 8;
inline constexpr uint32_t kSysbootPinsMask = 0x3FFF;  // SYSBOOT[13:0] (15:14 = crystal)
inline constexpr unsigned kStatusSysboot1Shift = 22;  // [23:22] = SYSBOOT[15:14] crystal
inline constexpr uint32_t kCrystal19_2MHz = 0;
inline constexpr uint32_t kCrystal24MHz = 1;
inline constexpr uint32_t kCrystal25MHz = 2;
inline constexpr uint32_t kCrystal26MHz = 3;

// --- DEVICE_ID (Table 9-25) ----------------------------------------------------------------
inline constexpr unsigned kDevrevShift = 28;
inline constexpr uint32_t kDevrevMax = 0xF;
inline constexpr unsigned kPartnumShift = 12;
inline constexpr uint32_t kPartnumMask = 0xFFFF;
inline constexpr uint32_t kPartnumAm335x = 0xB944;
inline constexpr unsigned kMfgrShift = 1;
inline constexpr uint32_t kMfgrTi = 0x017;

// --- Pad configuration (Table 9-60) --------------------------------------------------------
inline constexpr uint32_t kPadMmodeMask = 0x7;
inline constexpr uint32_t kPadPuden = 1u << 3;      // 1 = pull disabled
inline constexpr uint32_t kPadPutypesel = 1u << 4;  // 1 = pull-up
inline constexpr uint32_t kPadRxactive = 1u << 5;   // input receiver enabled
inline constexpr uint32_t kPadSlewctrl = 1u << 6;   // 1 = slow
inline constexpr uint32_t kPadWritable = 0x7F;
inline constexpr uint32_t kPadReset = kPadRxactive;  // other fields pad-dependent [?]
inline constexpr uint32_t kMuxModeGpio = 7;

// --- VTP_CTRL (Table 9-63) -----------------------------------------------------------------
inline constexpr uint32_t kVtpClrz = 1u << 0;  // U-Boot's VTP_CTRL_START_EN
inline constexpr uint32_t kVtpLock = 1u << 4;
inline constexpr uint32_t kVtpReady = 1u << 5;
inline constexpr uint32_t kVtpEnable = 1u << 6;
inline constexpr uint32_t kVtpWritable = 0x5F;  // enable, lock, filter[3:1], clrz

// --- TPCC_EVT_MUX (Table 9-65) -------------------------------------------------------------
inline constexpr uint32_t kEvtMuxField = 0x3F;
inline constexpr unsigned kEvtMuxFieldBits = 8;
inline constexpr uint32_t kEvtMuxWritable = 0x3F3F3F3F;
inline constexpr unsigned kEvtsPerMux = 4;
inline constexpr unsigned kEdmaEvents = 64;

// --- TPTC_CFG (Table 9-29): TCnDBS at bits 2n+1:2n, 0..3 = 16, 32, 64, 128 bytes ------------
inline constexpr unsigned kTptcs = 3;
inline constexpr unsigned kTcDbsBits = 2;
inline constexpr uint32_t kTcDbsMask = 0x3;
inline constexpr uint32_t kTptcCfgWritable = 0x3F;
inline constexpr unsigned kTcDbsMinBytes = 16;  // TCnDBS = 0

// GPIO banks and pins.
inline constexpr unsigned kGpioBanks = 4;
inline constexpr unsigned kGpioPins = 32;

}  // namespace control

struct ControlModuleParams {
    std::string stat_prefix;    // default: the module name
    uint32_t sysboot = 0x0017;  // SYSBOOT[13:0] pins latched at power-on
    double crystal_hz = 24e6;   // 19.2, 24, 25 or 26 MHz -> SYSBOOT[15:14]
    unsigned silicon_rev = 2;   // DEVICE_ID.DEVREV: 0 PG1.0, 1 PG2.0, 2 PG2.1
    uint32_t partnum = control::kPartnumAm335x;
    uint64_t mac_id0 = 0;  // 48 bits, first byte of the address in bits 47:40
    uint64_t mac_id1 = 0;
    uint32_t efuse_sma = 0x00011C2F;  // ZCZ package, 1 GHz ARM maximum [?]
    uint32_t dev_feature = 0;         // DEV_FEATURE, device dependent (TRM reset 0)
    sc_core::sc_time vtp_training{1, sc_core::SC_US};  // CLRZ rise -> READY [?]
};

class ControlModule : public Peripheral {
  public:
    ControlModule(sc_core::sc_module_name name, const ControlModuleParams& params = {});

    // The pad carrying GPIO<bank>_<pin> in mux mode 7, as an offset in this module, or -1
    // when the pin has no pad on the ZCZ package. Throws std::out_of_range for bank > 3 or
    // pin > 31.
    static int gpio_pad_offset(unsigned gpio_bank, unsigned pin);
    // RXACTIVE of the pad of GPIO<bank>_<pin> (false when the pin has no pad): a GPIO
    // input reads its pad only when this is set.
    bool pad_rx_active(unsigned gpio_bank, unsigned pin) const;
    // MMODE of that pad (7 = GPIO); -1 when the pin has no pad.
    int pad_mux_mode(unsigned gpio_bank, unsigned pin) const;
    // The pad configuration register at `offset` (0x800..0xA34). Throws std::out_of_range
    // for another offset.
    uint32_t pad_conf(uint32_t offset) const;
    // Called with (offset, new value) after a write changes a pad configuration register.
    void on_pad_change(std::function<void(uint32_t, uint32_t)> f) {
        pad_listeners_.push_back(std::move(f));
    }

    // Crossbar input (0..63) selected for EDMA event `event` (0..63).
    unsigned edma_event_mux(unsigned event) const;
    // Called with (event, input) when a TPCC_EVT_MUX write changes an event's selection.
    void on_edma_mux_change(std::function<void(unsigned, unsigned)> f) {
        mux_listeners_.push_back(std::move(f));
    }

    // Default burst size of TPTC `tc` (0..2) in bytes from TPTC_CFG.TCnDBS (16, 32, 64 or
    // 128). Throws std::out_of_range for tc > 2.
    unsigned tptc_default_burst(unsigned tc) const;
    // Called with (tc, bytes) when TPTC_CFG changes a TC's default burst size (a write, or
    // the reset back to 16 bytes). The platform drives EdmaTptc::set_default_burst with it.
    void on_tptc_burst_change(std::function<void(unsigned, unsigned)> f) {
        burst_listeners_.push_back(std::move(f));
    }

    double crystal_hz() const { return params_.crystal_hz; }
    uint32_t control_status() const { return status_; }
    uint32_t device_id() const { return device_id_; }

    void reset() override;

  private:
    void declare_registers();
    uint32_t vtp_value(const sc_core::sc_time& at) const;
    void vtp_written(uint32_t old);

    ControlModuleParams params_;
    const RegisterBank* bank_;
    Register* vtp_ = nullptr;
    uint32_t status_ = 0;
    uint32_t device_id_ = 0;
    bool vtp_training_ = false;
    sc_core::sc_time vtp_ready_at_;
    std::vector<Register*> evt_mux_;
    Register* tptc_cfg_ = nullptr;
    std::vector<std::function<void(unsigned, unsigned)>> burst_listeners_;
    void notify_burst_changes(uint32_t old_cfg);
    void notify_mux_changes(unsigned first, uint32_t old_value, uint32_t new_value);
    std::vector<std::function<void(uint32_t, uint32_t)>> pad_listeners_;
    std::vector<std::function<void(unsigned, unsigned)>> mux_listeners_;
};

}  // namespace vp
