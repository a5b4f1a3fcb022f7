#include "models/control/control.h"

#include <stdexcept>

namespace vp {

using namespace control;
using sc_core::sc_time;

namespace {

// Pad configuration registers of Table 9-10 (conf_<pad>); the offsets between them are
// reserved.
struct Pad {
    uint32_t offset;
    const char* name;
};
constexpr Pad kPads[] = {
    {0x800, "gpmc_ad0"},
    {0x804, "gpmc_ad1"},
    {0x808, "gpmc_ad2"},
    {0x80C, "gpmc_ad3"},
    {0x810, "gpmc_ad4"},
    {0x814, "gpmc_ad5"},
    {0x818, "gpmc_ad6"},
    {0x81C, "gpmc_ad7"},
    {0x820, "gpmc_ad8"},
    {0x824, "gpmc_ad9"},
    {0x828, "gpmc_ad10"},
    {0x82C, "gpmc_ad11"},
    {0x830, "gpmc_ad12"},
    {0x834, "gpmc_ad13"},
    {0x838, "gpmc_ad14"},
    {0x83C, "gpmc_ad15"},
    {0x840, "gpmc_a0"},
    {0x844, "gpmc_a1"},
    {0x848, "gpmc_a2"},
    {0x84C, "gpmc_a3"},
    {0x850, "gpmc_a4"},
    {0x854, "gpmc_a5"},
    {0x858, "gpmc_a6"},
    {0x85C, "gpmc_a7"},
    {0x860, "gpmc_a8"},
    {0x864, "gpmc_a9"},
    {0x868, "gpmc_a10"},
    {0x86C, "gpmc_a11"},
    {0x870, "gpmc_wait0"},
    {0x874, "gpmc_wpn"},
    {0x878, "gpmc_ben1"},
    {0x87C, "gpmc_csn0"},
    {0x880, "gpmc_csn1"},
    {0x884, "gpmc_csn2"},
    {0x888, "gpmc_csn3"},
    {0x88C, "gpmc_clk"},
    {0x890, "gpmc_advn_ale"},
    {0x894, "gpmc_oen_ren"},
    {0x898, "gpmc_wen"},
    {0x89C, "gpmc_ben0_cle"},
    {0x8A0, "lcd_data0"},
    {0x8A4, "lcd_data1"},
    {0x8A8, "lcd_data2"},
    {0x8AC, "lcd_data3"},
    {0x8B0, "lcd_data4"},
    {0x8B4, "lcd_data5"},
    {0x8B8, "lcd_data6"},
    {0x8BC, "lcd_data7"},
    {0x8C0, "lcd_data8"},
    {0x8C4, "lcd_data9"},
    {0x8C8, "lcd_data10"},
    {0x8CC, "lcd_data11"},
    {0x8D0, "lcd_data12"},
    {0x8D4, "lcd_data13"},
    {0x8D8, "lcd_data14"},
    {0x8DC, "lcd_data15"},
    {0x8E0, "lcd_vsync"},
    {0x8E4, "lcd_hsync"},
    {0x8E8, "lcd_pclk"},
    {0x8EC, "lcd_ac_bias_en"},
    {0x8F0, "mmc0_dat3"},
    {0x8F4, "mmc0_dat2"},
    {0x8F8, "mmc0_dat1"},
    {0x8FC, "mmc0_dat0"},
    {0x900, "mmc0_clk"},
    {0x904, "mmc0_cmd"},
    {0x908, "mii1_col"},
    {0x90C, "mii1_crs"},
    {0x910, "mii1_rx_er"},
    {0x914, "mii1_tx_en"},
    {0x918, "mii1_rx_dv"},
    {0x91C, "mii1_txd3"},
    {0x920, "mii1_txd2"},
    {0x924, "mii1_txd1"},
    {0x928, "mii1_txd0"},
    {0x92C, "mii1_tx_clk"},
    {0x930, "mii1_rx_clk"},
    {0x934, "mii1_rxd3"},
    {0x938, "mii1_rxd2"},
    {0x93C, "mii1_rxd1"},
    {0x940, "mii1_rxd0"},
    {0x944, "rmii1_ref_clk"},
    {0x948, "mdio"},
    {0x94C, "mdc"},
    {0x950, "spi0_sclk"},
    {0x954, "spi0_d0"},
    {0x958, "spi0_d1"},
    {0x95C, "spi0_cs0"},
    {0x960, "spi0_cs1"},
    {0x964, "ecap0_in_pwm0_out"},
    {0x968, "uart0_ctsn"},
    {0x96C, "uart0_rtsn"},
    {0x970, "uart0_rxd"},
    {0x974, "uart0_txd"},
    {0x978, "uart1_ctsn"},
    {0x97C, "uart1_rtsn"},
    {0x980, "uart1_rxd"},
    {0x984, "uart1_txd"},
    {0x988, "i2c0_sda"},
    {0x98C, "i2c0_scl"},
    {0x990, "mcasp0_aclkx"},
    {0x994, "mcasp0_fsx"},
    {0x998, "mcasp0_axr0"},
    {0x99C, "mcasp0_ahclkr"},
    {0x9A0, "mcasp0_aclkr"},
    {0x9A4, "mcasp0_fsr"},
    {0x9A8, "mcasp0_axr1"},
    {0x9AC, "mcasp0_ahclkx"},
    {0x9B0, "xdma_event_intr0"},
    {0x9B4, "xdma_event_intr1"},
    {0x9B8, "warmrstn"},
    {0x9C0, "nnmi"},
    {0x9D0, "tms"},
    {0x9D4, "tdi"},
    {0x9D8, "tdo"},
    {0x9DC, "tck"},
    {0x9E0, "trstn"},
    {0x9E4, "emu0"},
    {0x9E8, "emu1"},
    {0x9F8, "rtc_pwronrstn"},
    {0x9FC, "pmic_power_en"},
    {0xA00, "ext_wakeup"},
    {0xA1C, "usb0_drvvbus"},
    {0xA34, "usb1_drvvbus"},
};

// GPIO<bank>_<pin> -> pad offset, mux mode 7 (TRM/data-manual pin multiplexing; cross-checked
// with the "<pad>.gpioN_M" mux names of Linux board files). 0 = no pad on the ZCZ package.
constexpr uint16_t kGpioPad[kGpioBanks][kGpioPins] = {
    // GPIO0
    {0x948, 0x94C, 0x950, 0x954, 0x958, 0x95C, 0x960, 0x964,  // mdio..ecap0_in_pwm0_out
     0x8D0, 0x8D4, 0x8D8, 0x8DC,                              // lcd_data12..15
     0x978, 0x97C, 0x980, 0x984,                              // uart1_ctsn..txd
     0x91C, 0x920, 0xA1C, 0x9B0, 0x9B4, 0x924,                // mii1_txd3/2, usb0_drvvbus,
                                                              // xdma_event_intr0/1, mii1_txd1
     0x820, 0x824, 0, 0, 0x828, 0x82C,                        // gpmc_ad8, ad9, -, -, ad10/11
     0x928, 0x944, 0x870, 0x874},                             // mii1_txd0, rmii1_ref_clk,
                                                              // gpmc_wait0, gpmc_wpn
    // GPIO1
    {0x800, 0x804, 0x808, 0x80C, 0x810, 0x814, 0x818, 0x81C,  // gpmc_ad0..7
     0x968, 0x96C, 0x970, 0x974,                              // uart0_ctsn..txd
     0x830, 0x834, 0x838, 0x83C,                              // gpmc_ad12..15
     0x840, 0x844, 0x848, 0x84C, 0x850, 0x854, 0x858, 0x85C,  // gpmc_a0..a7 (USR0-3:
     0x860, 0x864, 0x868, 0x86C,                              // a5..a8), gpmc_a8..a11
     0x878, 0x87C, 0x880, 0x884},                             // gpmc_ben1, csn0..csn2
    // GPIO2
    {0x888, 0x88C, 0x890, 0x894, 0x898, 0x89C,                // gpmc_csn3 .. ben0_cle
     0x8A0, 0x8A4, 0x8A8, 0x8AC, 0x8B0, 0x8B4, 0x8B8, 0x8BC,  // lcd_data0..7
     0x8C0, 0x8C4, 0x8C8, 0x8CC,                              // lcd_data8..11
     0x934, 0x938, 0x93C, 0x940,                              // mii1_rxd3..0
     0x8E0, 0x8E4, 0x8E8, 0x8EC,                              // lcd_vsync..ac_bias_en
     0x8F0, 0x8F4, 0x8F8, 0x8FC, 0x900, 0x904},               // mmc0_dat3..0, clk, cmd
    // GPIO3
    {0x908, 0x90C, 0x910, 0x914, 0x918,                       // mii1_col..rx_dv
     0x988, 0x98C, 0x9E4, 0x9E8, 0x92C, 0x930,                // i2c0_sda/scl, emu0/1,
                                                              // mii1_tx_clk, rx_clk
     0, 0, 0xA34,                                             // -, -, usb1_drvvbus
     0x990, 0x994, 0x998, 0x99C, 0x9A0, 0x9A4, 0x9A8, 0x9AC,  // mcasp0_aclkx..ahclkx
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
};

uint32_t crystal_code(double hz, const std::string& who) {
    if (hz == 19.2e6) return kCrystal19_2MHz;
    if (hz == 24e6) return kCrystal24MHz;
    if (hz == 25e6) return kCrystal25MHz;
    if (hz == 26e6) return kCrystal26MHz;
    throw std::invalid_argument(who +
                                ": crystal_hz must be 19.2, 24, 25 or 26 MHz (SYSBOOT[15:14])");
}

// MAC_IDn_LO/HI as U-Boot and Linux read them: HI = bytes 3..0, LO = bytes 5..4, byte 0
// (the first of the address) in the low byte of HI.
uint32_t mac_hi(uint64_t mac) {
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i)
        v |= static_cast<uint32_t>((mac >> (40 - 8 * i)) & 0xFF) << (8 * i);
    return v;
}
uint32_t mac_lo(uint64_t mac) {
    return static_cast<uint32_t>((mac >> 8) & 0xFF) | (static_cast<uint32_t>(mac & 0xFF) << 8);
}

}  // namespace

ControlModule::ControlModule(sc_core::sc_module_name name, const ControlModuleParams& params)
    : Peripheral(name, kWindowSize, params.stat_prefix), params_(params), bank_(&regs()) {
    const std::string who = this->name();
    if (params.sysboot & ~kSysbootPinsMask)
        throw std::invalid_argument(who +
                                    ": sysboot holds SYSBOOT[13:0] (at most 0x3fff); "
                                    "SYSBOOT[15:14] come from crystal_hz");
    if (params.silicon_rev > kDevrevMax)
        throw std::invalid_argument(who + ": silicon_rev must be 0..15 (DEVICE_ID[31:28])");
    if (params.partnum > kPartnumMask)
        throw std::invalid_argument(who + ": partnum must fit 16 bits (DEVICE_ID[27:12])");
    constexpr uint64_t kMac48 = (1ull << 48) - 1;
    if ((params.mac_id0 & ~kMac48) || (params.mac_id1 & ~kMac48))
        throw std::invalid_argument(who + ": mac_id0/mac_id1 are 48-bit addresses");
    status_ = (params.sysboot & kStatusSysboot0Mask) | (kDevtypeGp << kStatusDevtypeShift) |
              ((params.sysboot >> kSysbootHiShift) << kStatusSysbootHiShift) |
              (crystal_code(params.crystal_hz, who) << kStatusSysboot1Shift);
    device_id_ = (params.silicon_rev << kDevrevShift) | (params.partnum << kPartnumShift) |
                 (kMfgrTi << kMfgrShift);
    declare_registers();
}

void ControlModule::declare_registers() {
    RegisterBank& r = regs();
    auto store = [&r](const std::string& n, uint32_t off, uint32_t reset,
                      uint32_t writable) -> Register& {
        Register& g = r.add(n, off, reset);
        if (writable)
            g.writable(writable);
        else
            g.ro();
        return g;
    };
    constexpr uint32_t kAll = 0xFFFFFFFF;
    // §9.3.1.1 .. §9.3.1.14
    store("control_revision", kRevision, 0, 0);
    store("control_hwinfo", kHwinfo, 0, 0);
    store("control_sysconfig", kSysconfig, 0, 0xC).unimplemented("IDLEMODE", 2, 2);
    store("control_status", kStatus, status_, 0)
        .field("SYSBOOT0", 0, 8)
        .field("DEVTYPE", 8, 3)
        .field("BW", 16, 1)
        .field("WAITEN", 17, 1)
        .field("ADMUX", 18, 2)
        .field("TESTMD", 20, 2)
        .field("SYSBOOT1", 22, 2);
    store("control_emif_sdram_config", kEmifSdramConfig, 0, 0xFF6FFFFF);
    store("core_sldo_ctrl", 0x428, 0, kAll);
    store("mpu_sldo_ctrl", 0x42C, 0, kAll);
    store("clk32kdivratio_ctrl", 0x444, 0, kAll);  // [?] reset not confirmed
    store("bandgap_ctrl", 0x448, 0, kAll);         // [?]
    store("bandgap_trim", 0x44C, 0, kAll);         // [?]
    store("pll_clkinpulow_ctrl", 0x458, 0, kAll);  // [?]
    store("mosc_ctrl", 0x468, 0, kAll);            // [?]
    store("deepsleep_ctrl", 0x470, 0, kAll);       // [?]
    store("dpll_pwr_sw_status", 0x50C, 0, 0);
    // §9.3.1.15 .. §9.3.1.40
    store("device_id", kDeviceId, device_id_, 0)
        .field("MFGR", kMfgrShift, 11)
        .field("PARTNUM", kPartnumShift, 16)
        .field("DEVREV", kDevrevShift, 4);
    store("dev_feature", kDevFeature, params_.dev_feature, 0);
    store("init_priority_0", 0x608, 0, kAll);  // [?] field layout not modelled
    store("init_priority_1", 0x60C, 0, 0x03F000F3);
    tptc_cfg_ =
        &store("tptc_cfg", kTptcCfg, 0, kTptcCfgWritable)
             .field("TC0DBS", 0, 2)
             .field("TC1DBS", 2, 2)
             .field("TC2DBS", 4, 2)
             .on_write([this](Register&, uint32_t, uint32_t old) { notify_burst_changes(old); });
    // Table 9-30: bits 31:24 reset to 0x3C and must be written as 0x3C (the register
    // heading says 0).
    store("usb_ctrl0", kUsbCtrl0, 0x3C000000, 0xFF9FFFFF);
    store("usb_sts0", 0x624, 0, 0);
    store("usb_ctrl1", kUsbCtrl1, 0x3C000000, 0xFF9FFFFF);  // as usb_ctrl0 [?]
    store("usb_sts1", 0x62C, 0, 0);
    store("mac_id0_lo", kMacId0Lo, mac_lo(params_.mac_id0), 0);
    store("mac_id0_hi", kMacId0Hi, mac_hi(params_.mac_id0), 0);
    store("mac_id1_lo", kMacId1Lo, mac_lo(params_.mac_id1), 0);
    store("mac_id1_hi", kMacId1Hi, mac_hi(params_.mac_id1), 0);
    store("dcan_raminit", 0x644, 0, kAll);        // [?]
    store("usb_wkup_ctrl", 0x648, 0, kAll);       // [?]
    store("gmii_sel", kGmiiSel, 0, kAll);         // [?]
    store("pwmss_ctrl", 0x664, 0, kAll);          // [?]
    store("mreqprio_0", 0x670, 0, kAll);          // [?]
    store("mreqprio_1", 0x674, 0, kAll);          // [?]
    store("hw_event_sel_grp1", 0x690, 0, kAll);   // [?]
    store("hw_event_sel_grp2", 0x694, 0, kAll);   // [?]
    store("hw_event_sel_grp3", 0x698, 0, kAll);   // [?]
    store("hw_event_sel_grp4", 0x69C, 0, kAll);   // [?]
    store("smrt_ctrl", 0x6A0, 0, kAll);           // [?]
    store("mpuss_hw_debug_sel", 0x6A4, 0, kAll);  // [?]
    store("mpuss_hw_dbg_info", 0x6A8, 0, 0);      // [?]
    // §9.3.1.41 .. §9.3.1.49: eFuse-derived, read-only, device dependent (0 here).
    store("vdd_mpu_opp_050", 0x770, 0, 0);
    store("vdd_mpu_opp_100", 0x774, 0, 0);
    store("vdd_mpu_opp_120", 0x778, 0, 0);
    store("vdd_mpu_opp_turbo", 0x77C, 0, 0);
    store("vdd_core_opp_050", 0x7B8, 0, 0);
    store("vdd_core_opp_100", 0x7BC, 0, 0);
    store("bb_scale", 0x7D0, 0, 0);
    store("usb_vid_pid", kUsbVidPid, 0x04516141, 0);
    store("efuse_sma", kEfuseSma, params_.efuse_sma, 0)
        .field("ARM_MPU_MAX_FREQ", 0, 13)
        .field("PACKAGE_TYPE", 16, 2);
    // §9.3.1.50: pad configuration.
    for (const Pad& p : kPads) {
        const uint32_t off = p.offset;
        r.add(std::string("conf_") + p.name, off, kPadReset)
            .writable(kPadWritable)
            .field("MMODE", 0, 3)
            .field("PUDEN", 3, 1)
            .field("PUTYPESEL", 4, 1)
            .field("RXACTIVE", 5, 1)
            .field("SLEWCTRL", 6, 1)
            .on_write([this, off](Register& g, uint32_t, uint32_t old) {
                if (g.get() == old) return;
                for (auto& f : pad_listeners_)
                    f(off, g.get());
            });
    }
    // §9.3.1.51 .. §9.3.1.54: DDR I/O.
    store("cqdetect_status", 0xE00, 0, 0);
    store("ddr_io_ctrl", kDdrIoCtrl, 0, 0xDFFFFFFF);
    vtp_ = &r.add("vtp_ctrl", kVtpCtrl, 0)
                .writable(kVtpWritable)
                .field("CLRZ", 0, 1)
                .unimplemented("FILTER", 1, 3)
                .unimplemented("LOCK", 4, 1)
                .field("READY", 5, 1)
                .field("ENABLE", 6, 1)
                .on_read([this](Register&) { return vtp_value(access_time()); })
                .on_peek([this](Register&) { return vtp_value(sc_core::sc_time_stamp()); })
                .on_write([this](Register&, uint32_t, uint32_t old) { vtp_written(old); });
    store("vref_ctrl", kVrefCtrl, 0, 0x1F);
    // §9.3.1.55 .. §9.3.1.70: EDMA event crossbar.
    for (unsigned i = 0; i < kTpccEvtMuxRegs; ++i) {
        const unsigned first = i * kEvtsPerMux;
        const std::string n =
            "tpcc_evt_mux_" + std::to_string(first) + "_" + std::to_string(first + kEvtsPerMux - 1);
        evt_mux_.push_back(&r.add(n, kTpccEvtMux0 + i * 4, 0)
                                .writable(kEvtMuxWritable)
                                .on_write([this, first](Register& g, uint32_t, uint32_t old) {
                                    notify_mux_changes(first, old, g.get());
                                }));
    }
    // §9.3.1.71 .. §9.3.1.91
    store("timer_evt_capt", 0xFD0, 0, kAll);  // [?] field layout not modelled
    store("ecap_evt_capt", 0xFD4, 0, kAll);   // [?]
    store("adc_evt_capt", 0xFD8, 0, kAll);    // [?]
    store("reset_iso", 0x1000, 0, kAll);      // [?]
    // Table 9-85 field resets: PGOODIN/PONIN of the DDR, DISP and PER DPLLs are 1.
    store("dpll_pwr_sw_ctrl", 0x1318, 0x03030300, 0xBFBFBF00);
    store("ddr_cke_ctrl", kDdrCkeCtrl, 0, 0x1);
    store("sma2", 0x1320, 0, kAll);         // [?]
    store("m3_txev_eoi", 0x1324, 0, kAll);  // [?]
    for (unsigned i = 0; i < 8; ++i)
        store("ipc_msg_reg" + std::to_string(i), 0x1328 + 4 * i, 0, kAll);
    store("ddr_cmd0_ioctrl", kDdrCmd0Ioctrl, 0, kAll);
    store("ddr_cmd1_ioctrl", kDdrCmd1Ioctrl, 0, kAll);
    store("ddr_cmd2_ioctrl", kDdrCmd2Ioctrl, 0, kAll);
    store("ddr_data0_ioctrl", kDdrData0Ioctrl, 0, 0x3FFFFFFF);
    store("ddr_data1_ioctrl", kDdrData1Ioctrl, 0, 0x3FFFFFFF);
}

// --- Pads ------------------------------------------------------------------------------------

int ControlModule::gpio_pad_offset(unsigned gpio_bank, unsigned pin) {
    if (gpio_bank >= kGpioBanks || pin >= kGpioPins)
        throw std::out_of_range("GPIO" + std::to_string(gpio_bank) + "_" + std::to_string(pin) +
                                " does not exist (banks 0-3, pins 0-31)");
    const uint16_t off = kGpioPad[gpio_bank][pin];
    return off ? static_cast<int>(off) : -1;
}

uint32_t ControlModule::pad_conf(uint32_t offset) const {
    if (offset < kPadConfFirst || offset > kPadConfLast || (offset & 3))
        throw std::out_of_range(std::string(name()) + ": " + std::to_string(offset) +
                                " is not a pad configuration offset (0x800..0xa34)");
    const Register* g = bank_->at(offset);
    if (!g)
        throw std::out_of_range(std::string(name()) + ": no pad configuration register at " +
                                std::to_string(offset));
    return g->get();
}

bool ControlModule::pad_rx_active(unsigned gpio_bank, unsigned pin) const {
    const int off = gpio_pad_offset(gpio_bank, pin);
    return off >= 0 && (pad_conf(static_cast<uint32_t>(off)) & kPadRxactive) != 0;
}

int ControlModule::pad_mux_mode(unsigned gpio_bank, unsigned pin) const {
    const int off = gpio_pad_offset(gpio_bank, pin);
    return off < 0 ? -1 : static_cast<int>(pad_conf(static_cast<uint32_t>(off)) & kPadMmodeMask);
}

// --- EDMA crossbar ---------------------------------------------------------------------------

unsigned ControlModule::edma_event_mux(unsigned event) const {
    if (event >= kEdmaEvents)
        throw std::out_of_range(std::string(name()) + ": EDMA event " + std::to_string(event) +
                                " does not exist (events 0-63)");
    const uint32_t v = evt_mux_[event / kEvtsPerMux]->get();
    return (v >> ((event % kEvtsPerMux) * kEvtMuxFieldBits)) & kEvtMuxField;
}

void ControlModule::notify_mux_changes(unsigned first, uint32_t old_value, uint32_t new_value) {
    for (unsigned k = 0; k < kEvtsPerMux; ++k) {
        const unsigned sh = k * kEvtMuxFieldBits;
        const unsigned v = (new_value >> sh) & kEvtMuxField;
        if (v == ((old_value >> sh) & kEvtMuxField)) continue;
        for (auto& f : mux_listeners_)
            f(first + k, v);
    }
}

// --- TPTC default burst size -------------------------------------------------------------------

unsigned ControlModule::tptc_default_burst(unsigned tc) const {
    if (tc >= kTptcs)
        throw std::out_of_range(std::string(name()) + ": TPTC" + std::to_string(tc) +
                                " does not exist (TPTC0-2)");
    return kTcDbsMinBytes << ((tptc_cfg_->get() >> (tc * kTcDbsBits)) & kTcDbsMask);
}

void ControlModule::notify_burst_changes(uint32_t old_cfg) {
    for (unsigned tc = 0; tc < kTptcs; ++tc) {
        const unsigned sh = tc * kTcDbsBits;
        if (((old_cfg >> sh) & kTcDbsMask) == ((tptc_cfg_->get() >> sh) & kTcDbsMask)) continue;
        for (auto& f : burst_listeners_)
            f(tc, tptc_default_burst(tc));
    }
}

// --- VTP -------------------------------------------------------------------------------------

uint32_t ControlModule::vtp_value(const sc_time& at) const {
    const uint32_t v = vtp_->get();
    return (vtp_training_ && at >= vtp_ready_at_) ? (v | kVtpReady) : v;
}

void ControlModule::vtp_written(uint32_t old) {
    const uint32_t v = vtp_->get();
    if (!(v & kVtpEnable) || !(v & kVtpClrz)) {
        // Bypass mode, or CLRZ low: the controller's flops are cleared.
        vtp_training_ = false;
        return;
    }
    if (!(old & kVtpClrz)) {
        // CLRZ rose (after its low pulse) with ENABLE set: the training sequence starts.
        vtp_training_ = true;
        vtp_ready_at_ = access_time() + params_.vtp_training;
    }
}

void ControlModule::reset() {
    // The crossbar and TPTC_CFG go back to 0: the listeners hear the fields that change.
    std::vector<uint32_t> mux_before;
    for (const Register* g : evt_mux_)
        mux_before.push_back(g->get());
    const uint32_t cfg_before = tptc_cfg_->get();
    Peripheral::reset();
    vtp_training_ = false;
    for (unsigned i = 0; i < evt_mux_.size(); ++i)
        notify_mux_changes(i * kEvtsPerMux, mux_before[i], evt_mux_[i]->get());
    notify_burst_changes(cfg_before);
}

}  // namespace vp
