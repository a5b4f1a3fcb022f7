// EMIF4D, the DDR2/DDR3 memory controller EMIF0 at 0x4C000000 (reference/am335x.md §1.1,
// §10; SPRUH73 §7.3.5, Table 7-221). docs/models/emif.md.
//
// A vp::Peripheral: the registers are declared as data with their TRM reset values, except
// those that describe the SDRAM the board carries (SDRAM_CONFIG, SDRAM_TIM_1/2/3,
// SDRAM_REF_CTRL, DDR_PHY_CTRL_1, STATUS.reg_phy_dll_ready): they reset to what U-Boot's SPL
// leaves in them, composed from the controlled Ddr's parameters with the TRM field layout.
// Writes to SDRAM_CONFIG, SDRAM_TIM_1/2/3 and SDRAM_REF_CTRL reconfigure the Ddr.
//
// The register window is the first 4 KiB of the 16 MiB EMIF0 region; offsets beyond it
// answer TLM_ADDRESS_ERROR_RESPONSE, as do the reserved offsets inside it.
#pragma once

#include <cstdint>
#include <string>

#include "models/core/peripheral.h"
#include "models/core/wire.h"
#include "models/memory/ddr.h"

namespace vp {

namespace emif {

// --- Register offsets (SPRUH73 Table 7-221) -----------------------------------------------
inline constexpr uint32_t kModIdRev = 0x000;
inline constexpr uint32_t kStatus = 0x004;
inline constexpr uint32_t kSdramConfig = 0x008;
inline constexpr uint32_t kSdramConfig2 = 0x00C;
inline constexpr uint32_t kSdramRefCtrl = 0x010;
inline constexpr uint32_t kSdramRefCtrlShdw = 0x014;
inline constexpr uint32_t kSdramTim1 = 0x018;
inline constexpr uint32_t kSdramTim1Shdw = 0x01C;
inline constexpr uint32_t kSdramTim2 = 0x020;
inline constexpr uint32_t kSdramTim2Shdw = 0x024;
inline constexpr uint32_t kSdramTim3 = 0x028;
inline constexpr uint32_t kSdramTim3Shdw = 0x02C;
inline constexpr uint32_t kPwrMgmtCtrl = 0x038;
inline constexpr uint32_t kPwrMgmtCtrlShdw = 0x03C;
inline constexpr uint32_t kOcpConfig = 0x054;
inline constexpr uint32_t kOcpCfgVal1 = 0x058;
inline constexpr uint32_t kOcpCfgVal2 = 0x05C;
inline constexpr uint32_t kPerfCnt1 = 0x080;
inline constexpr uint32_t kPerfCnt2 = 0x084;
inline constexpr uint32_t kPerfCntCfg = 0x088;
inline constexpr uint32_t kPerfCntSel = 0x08C;
inline constexpr uint32_t kPerfCntTim = 0x090;
inline constexpr uint32_t kReadIdleCtrl = 0x098;
inline constexpr uint32_t kReadIdleCtrlShdw = 0x09C;
inline constexpr uint32_t kIrqStatusRawSys = 0x0A4;
inline constexpr uint32_t kIrqStatusSys = 0x0AC;
inline constexpr uint32_t kIrqEnableSetSys = 0x0B4;
inline constexpr uint32_t kIrqEnableClrSys = 0x0BC;
inline constexpr uint32_t kZqConfig = 0x0C8;
inline constexpr uint32_t kRdwrLvlRmpWin = 0x0D4;
inline constexpr uint32_t kRdwrLvlRmpCtrl = 0x0D8;
inline constexpr uint32_t kRdwrLvlCtrl = 0x0DC;
inline constexpr uint32_t kDdrPhyCtrl1 = 0x0E4;
inline constexpr uint32_t kDdrPhyCtrl1Shdw = 0x0E8;
inline constexpr uint32_t kPriCosMap = 0x100;
inline constexpr uint32_t kConnidCos1Map = 0x104;
inline constexpr uint32_t kConnidCos2Map = 0x108;
inline constexpr uint32_t kRdWrExecThrsh = 0x120;
inline constexpr uint32_t kRegisterWindow = 0x1000;  // registers live in the first 4 KiB

// --- TRM reset values (SPRUH73 §7.3.5.x headings and field tables) ------------------------
inline constexpr uint32_t kModIdRevReset = 0x40443403;
inline constexpr uint32_t kStatusReset = 0x40000000;  // reg_dual_clk_mode = 1
inline constexpr uint32_t kSdramConfigReset = 0x4104BAB2;
inline constexpr uint32_t kSdramRefCtrlReset = 0x80001388;
inline constexpr uint32_t kSdramRefCtrlShdwReset = 0x00001388;
inline constexpr uint32_t kSdramTim1Reset = 0x08891599;
inline constexpr uint32_t kSdramTim2Reset = 0x148B31CA;
inline constexpr uint32_t kSdramTim3Reset = 0x00FFE82F;
inline constexpr uint32_t kOcpConfigReset = 0x00FFFFFF;
inline constexpr uint32_t kOcpCfgVal1Reset = 0x8000140A;
inline constexpr uint32_t kOcpCfgVal2Reset = 0x00021616;
inline constexpr uint32_t kPerfCntCfgReset = 0x00010000;
inline constexpr uint32_t kReadIdleCtrlReset = 0x00050000;
inline constexpr uint32_t kRdWrExecThrshReset = 0x00000305;

// --- Fields: {shift, width} ---------------------------------------------------------------
struct Field {
    unsigned shift;
    unsigned width;
    constexpr uint32_t mask() const {
        return (width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1u)) << shift;
    }
    constexpr uint32_t get(uint32_t reg) const { return (reg & mask()) >> shift; }
    constexpr uint32_t put(uint32_t reg, uint32_t v) const {
        return (reg & ~mask()) | ((v << shift) & mask());
    }
};

// STATUS (Table 7-223)
inline constexpr Field kStatusBe{31, 1};
inline constexpr Field kStatusDualClkMode{30, 1};
inline constexpr Field kStatusFastInit{29, 1};
inline constexpr Field kStatusPhyDllReady{2, 1};

// SDRAM_CONFIG (Table 7-224)
inline constexpr Field kCfgSdramType{29, 3};
inline constexpr Field kCfgIbankPos{27, 2};
inline constexpr Field kCfgDdrTerm{24, 3};
inline constexpr Field kCfgDdr2Ddqs{23, 1};
inline constexpr Field kCfgDynOdt{21, 2};
inline constexpr Field kCfgDisableDll{20, 1};
inline constexpr Field kCfgSdramDrive{18, 2};
inline constexpr Field kCfgCwl{16, 2};
inline constexpr Field kCfgNarrowMode{14, 2};
inline constexpr Field kCfgCl{10, 4};
inline constexpr Field kCfgRowsize{7, 3};
inline constexpr Field kCfgIbank{4, 3};
inline constexpr Field kCfgEbank{3, 1};
inline constexpr Field kCfgPagesize{0, 3};
inline constexpr uint32_t kSdramTypeDdr2 = 2;
inline constexpr uint32_t kSdramTypeDdr3 = 3;
inline constexpr uint32_t kNarrowMode32Bit = 0;
inline constexpr uint32_t kNarrowMode16Bit = 1;
inline constexpr unsigned kCwlBase = 5;      // reg_cwl 0..3 = CWL 5..8 (DDR3)
inline constexpr unsigned kRowBitsBase = 9;  // reg_rowsize 0..7 = 9..16 row bits
inline constexpr unsigned kColBitsBase = 8;  // reg_pagesize 0..3 = 8..11 column bits

// SDRAM_CONFIG_2 (Table 7-225)
inline constexpr Field kCfg2EbankPos{27, 1};
inline constexpr uint32_t kSdramConfig2Writable = (1u << 30) | (1u << 27) | 0x30u | 0x7u;

// SDRAM_REF_CTRL (Table 7-226)
inline constexpr Field kRefInitrefDis{31, 1};
inline constexpr Field kRefSrt{29, 1};
inline constexpr Field kRefAsr{28, 1};
inline constexpr Field kRefPasr{24, 3};
inline constexpr Field kRefRefreshRate{0, 16};
inline constexpr uint32_t kRefCtrlWritable = 0xB700FFFF;
// TRM: a refresh rate below 8*reg_t_rfc + reg_t_rp + reg_t_rcd + 20 is replaced by it.
inline constexpr unsigned kRefRateTrfcFactor = 8;
inline constexpr unsigned kRefRateMargin = 20;

// SDRAM_TIM_1 (Table 7-228): every field holds cycles - 1.
inline constexpr Field kTim1Trp{25, 4};
inline constexpr Field kTim1Trcd{21, 4};
inline constexpr Field kTim1Twr{17, 4};
inline constexpr Field kTim1Tras{12, 5};
inline constexpr Field kTim1Trc{6, 6};
inline constexpr Field kTim1Trrd{3, 3};
inline constexpr Field kTim1Twtr{0, 3};
inline constexpr uint32_t kTim1Writable = 0x1FFFFFFF;

// SDRAM_TIM_2 (Table 7-230)
inline constexpr Field kTim2Txp{28, 3};
inline constexpr Field kTim2Txsnr{16, 9};
inline constexpr Field kTim2Txsrd{6, 10};
inline constexpr Field kTim2Trtp{3, 3};
inline constexpr Field kTim2Tcke{0, 3};
inline constexpr uint32_t kTim2Writable = 0x7FFFFFFF;

// SDRAM_TIM_3 (Table 7-232)
inline constexpr Field kTim3TpdllUl{28, 4};
inline constexpr Field kTim3ZqZqcs{15, 6};
inline constexpr Field kTim3Trfc{4, 9};
inline constexpr Field kTim3TrasMax{0, 4};
inline constexpr uint32_t kTim3Writable = 0xF0FFFFFF;

// PWR_MGMT_CTRL (Table 7-234) and its shadow (Table 7-235)
inline constexpr Field kPwrPdTim{12, 4};
inline constexpr Field kPwrDpdEn{11, 1};
inline constexpr Field kPwrLpMode{8, 3};
inline constexpr Field kPwrSrTim{4, 4};
inline constexpr Field kPwrCsTim{0, 4};
inline constexpr uint32_t kPwrMgmtWritable = 0xFFFF;
inline constexpr uint32_t kPwrMgmtShdwWritable = 0xFFF;

// OCP_CONFIG (Table 7-236)
inline constexpr Field kOcpCosCount1{16, 8};
inline constexpr Field kOcpCosCount2{8, 8};
inline constexpr Field kOcpPrOldCount{0, 8};

// PERF_CNT_CFG / PERF_CNT_SEL (Tables 7-241, 7-242) and the filter codes (Table 7-220)
inline constexpr Field kPerfCntr1Cfg{0, 4};
inline constexpr Field kPerfCntr1RegionEn{14, 1};
inline constexpr Field kPerfCntr1MconnidEn{15, 1};
inline constexpr Field kPerfCntr2Cfg{16, 4};
inline constexpr Field kPerfCntr2RegionEn{30, 1};
inline constexpr Field kPerfCntr2MconnidEn{31, 1};
inline constexpr uint32_t kPerfCntCfgWritable = 0xC00FC00F;
inline constexpr uint32_t kPerfCntSelWritable = 0xFF03FF03;
inline constexpr uint32_t kPerfAccesses = 0x0;
inline constexpr uint32_t kPerfActivations = 0x1;
inline constexpr uint32_t kPerfReads = 0x2;
inline constexpr uint32_t kPerfWrites = 0x3;
inline constexpr uint32_t kPerfDataCycles = 0xA;

// READ_IDLE_CTRL (Table 7-244)
inline constexpr Field kReadIdleLen{16, 4};
inline constexpr Field kReadIdleInterval{0, 9};
inline constexpr uint32_t kReadIdleWritable = 0x000F01FF;

// IRQ registers (Tables 7-246..7-249): bit 0 reg_err_sys, bit 1 reg_ta_sys, bit 2 reserved R/W.
inline constexpr uint32_t kIrqErrSys = 1u << 0;
inline constexpr uint32_t kIrqTaSys = 1u << 1;
inline constexpr uint32_t kIrqWritable = 0x7;

// ZQ_CONFIG (Table 7-250)
inline constexpr uint32_t kZqConfigWritable = 0xF00FFFFF;

// Read-write leveling (Tables 7-251..7-253)
inline constexpr Field kRdwrLvlFullStart{31, 1};

// DDR_PHY_CTRL_1 (Table 7-254): read latency = required - 1, required >= CL + 2.
inline constexpr Field kPhyEnableDynamicPwrdn{20, 1};
inline constexpr Field kPhyRstN{15, 1};
inline constexpr Field kPhyIdleLocalOdt{12, 2};
inline constexpr Field kPhyWrLocalOdt{10, 2};
inline constexpr Field kPhyRdLocalOdt{8, 2};
inline constexpr Field kPhyReadLatency{0, 5};
inline constexpr unsigned kPhyMinReadLatencyOverCl = 2;

// Priority / class of service (Tables 7-256..7-259)
inline constexpr uint32_t kPriCosMapWritable = 0x8000FFFF;
inline constexpr uint32_t kRdWrExecThrshWritable = 0x00001F1F;

// --- Encoding helpers (pure; tested on their own) -------------------------------------------
// reg_cl: DDR2 holds CL itself (2..5); DDR3 holds 2*(CL-4) for CL 5..11 (Table 7-224).
bool encode_cl(DdrType type, unsigned cl, uint32_t& field);
bool decode_cl(DdrType type, uint32_t field, unsigned& cl);
// SDRAM_TIM_1 from/to timings (fields are cycles - 1). encode throws std::invalid_argument
// when a timing does not fit its field.
uint32_t encode_tim1(const DdrTiming& t);
DdrTiming decode_tim1(uint32_t tim1, DdrTiming base);

}  // namespace emif

struct EmifParams {
    std::string stat_prefix;  // statistics prefix; empty: the module name
    // Electrical settings the bootloader writes into SDRAM_CONFIG; they do not change the
    // timing. Defaults: BeagleBone Black (U-Boot SDRAM_CONFIG 0x61C05332).
    unsigned ddr_term = 1;          // reg_ddr_term: RZQ/4 (DDR3)
    unsigned ddr2_ddqs = 1;         // reg_ddr2_ddqs: differential DQS
    unsigned dyn_odt = 2;           // reg_dyn_odt: RZQ/2
    unsigned sdram_drive = 0;       // reg_sdram_drive: RZQ/6
    bool phy_dynamic_pwrdn = true;  // DDR_PHY_CTRL_1 bit 20 (BBB: 0x00100007)
};

class Emif : public Peripheral {
  public:
    // DDRERR0 interrupt request: (IRQSTATUS_RAW_SYS & enables) != 0.
    Wire irq;

    // Composes the board-dependent reset values from `ddr`'s parameters; throws
    // std::invalid_argument if one cannot be represented in its register field.
    Emif(sc_core::sc_module_name name, Ddr& ddr, const EmifParams& params = {});

    // Registers back to their reset values; the Ddr is reprogrammed from them.
    void reset() override;

    Ddr& ddr() { return ddr_; }
    const EmifParams& params() const { return params_; }

    // Board-dependent reset values (what U-Boot leaves), from the Ddr's parameters.
    static uint32_t compose_sdram_config(const DdrParams& d, const EmifParams& e);
    static uint32_t compose_ref_ctrl(const DdrParams& d);
    static uint32_t compose_tim2(const DdrParams& d);
    static uint32_t compose_tim3(const DdrParams& d);
    static uint32_t compose_phy_ctrl1(const DdrParams& d, const EmifParams& e);

  private:
    void declare(const DdrParams& d);
    void apply_sdram_config();
    void apply_tim1();
    void apply_tim2();
    void apply_tim3();
    void apply_ref_ctrl();
    void update_irq();
    uint32_t perf_count(uint32_t filter);
    double tck_ns() const { return 1000.0 / ddr_.params().clock_mhz; }
    bool warn_once(const std::string& key) { return log_.once(key); }

    Ddr& ddr_;
    EmifParams params_;
    Register* sdram_config_ = nullptr;
    Register* ref_ctrl_ = nullptr;
    Register* tim1_ = nullptr;
    Register* tim2_ = nullptr;
    Register* tim3_ = nullptr;
    Register* perf_cfg_ = nullptr;
    Register* irq_raw_ = nullptr;
    Register* irq_enable_ = nullptr;
    Ddr::Counts perf_base_;
    uint64_t perf_time_base_ = 0;  // sc_time value of the last reset
};

}  // namespace vp
