#include "models/memory/emif.h"

#include <cmath>
#include <stdexcept>

namespace vp {

namespace emif {

namespace {
// DDR3 reg_cl: even values 2..14 stand for CL 5..11 (Table 7-224).
constexpr unsigned kDdr3ClMin = 5;
constexpr unsigned kDdr3ClMax = 11;
constexpr unsigned kDdr3ClOffset = 4;
// DDR2 reg_cl: 2..5 stand for CL 2..5.
constexpr unsigned kDdr2ClMin = 2;
constexpr unsigned kDdr2ClMax = 5;

uint32_t cycles_field(const char* name, unsigned cycles, const Field& f) {
    const uint32_t max = f.mask() >> f.shift;
    if (cycles < 1 || cycles - 1 > max)
        throw std::invalid_argument(std::string("SDRAM timing ") + name + " = " +
                                    std::to_string(cycles) + " clocks does not fit its field (1.." +
                                    std::to_string(max + 1) + ")");
    return cycles - 1;
}
}  // namespace

bool encode_cl(DdrType type, unsigned cl, uint32_t& field) {
    if (type == DdrType::ddr2) {
        if (cl < kDdr2ClMin || cl > kDdr2ClMax) return false;
        field = cl;
        return true;
    }
    if (cl < kDdr3ClMin || cl > kDdr3ClMax) return false;
    field = 2 * (cl - kDdr3ClOffset);
    return true;
}

bool decode_cl(DdrType type, uint32_t field, unsigned& cl) {
    if (type == DdrType::ddr2) {
        if (field < kDdr2ClMin || field > kDdr2ClMax) return false;
        cl = field;
        return true;
    }
    if (field % 2 != 0 || field < 2 * (kDdr3ClMin - kDdr3ClOffset) ||
        field > 2 * (kDdr3ClMax - kDdr3ClOffset))
        return false;
    cl = field / 2 + kDdr3ClOffset;
    return true;
}

uint32_t encode_tim1(const DdrTiming& t) {
    uint32_t v = 0;
    v = kTim1Trp.put(v, cycles_field("tRP", t.trp, kTim1Trp));
    v = kTim1Trcd.put(v, cycles_field("tRCD", t.trcd, kTim1Trcd));
    v = kTim1Twr.put(v, cycles_field("tWR", t.twr, kTim1Twr));
    v = kTim1Tras.put(v, cycles_field("tRAS", t.tras, kTim1Tras));
    v = kTim1Trc.put(v, cycles_field("tRC", t.trc, kTim1Trc));
    v = kTim1Trrd.put(v, cycles_field("tRRD", t.trrd, kTim1Trrd));
    v = kTim1Twtr.put(v, cycles_field("tWTR", t.twtr, kTim1Twtr));
    return v;
}

DdrTiming decode_tim1(uint32_t tim1, DdrTiming base) {
    base.trp = kTim1Trp.get(tim1) + 1;
    base.trcd = kTim1Trcd.get(tim1) + 1;
    base.twr = kTim1Twr.get(tim1) + 1;
    base.tras = kTim1Tras.get(tim1) + 1;
    base.trc = kTim1Trc.get(tim1) + 1;
    base.trrd = kTim1Trrd.get(tim1) + 1;
    base.twtr = kTim1Twtr.get(tim1) + 1;
    return base;
}

}  // namespace emif

using namespace emif;

namespace {

unsigned log2u(unsigned v) {
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        ++n;
    }
    return n;
}

uint32_t checked_put(uint32_t reg, const Field& f, unsigned v, const char* name) {
    if (v > (f.mask() >> f.shift))
        throw std::invalid_argument(std::string("EMIF parameter ") + name + " = " +
                                    std::to_string(v) + " does not fit its SDRAM_CONFIG field");
    return f.put(reg, v);
}

unsigned clocks_up(double ns, double tck_ns) {
    return static_cast<unsigned>(std::max(1.0, std::ceil(ns / tck_ns - 1e-9)));
}

}  // namespace

uint32_t Emif::compose_sdram_config(const DdrParams& d, const EmifParams& e) {
    uint32_t v = 0;
    v = kCfgSdramType.put(v, d.type == DdrType::ddr2 ? kSdramTypeDdr2 : kSdramTypeDdr3);
    v = checked_put(v, kCfgDdrTerm, e.ddr_term, "ddr_term");
    v = checked_put(v, kCfgDdr2Ddqs, e.ddr2_ddqs, "ddr2_ddqs");
    v = checked_put(v, kCfgDynOdt, e.dyn_odt, "dyn_odt");
    v = checked_put(v, kCfgSdramDrive, e.sdram_drive, "sdram_drive");
    if (d.type == DdrType::ddr3) {
        if (d.timing.cwl < kCwlBase || d.timing.cwl > kCwlBase + 3)
            throw std::invalid_argument("DDR3 CWL " + std::to_string(d.timing.cwl) +
                                        " cannot be programmed into SDRAM_CONFIG.reg_cwl (5..8)");
        v = kCfgCwl.put(v, d.timing.cwl - kCwlBase);
    }
    v = kCfgNarrowMode.put(v, d.geometry.bus_bytes == 2 ? kNarrowMode16Bit : kNarrowMode32Bit);
    uint32_t cl = 0;
    if (!encode_cl(d.type, d.timing.cl, cl))
        throw std::invalid_argument(std::string("CL ") + std::to_string(d.timing.cl) +
                                    " cannot be programmed into SDRAM_CONFIG.reg_cl for " +
                                    (d.type == DdrType::ddr2 ? "DDR2 (2..5)" : "DDR3 (5..11)"));
    v = kCfgCl.put(v, cl);
    v = kCfgRowsize.put(v, d.geometry.row_bits - kRowBitsBase);
    v = kCfgIbank.put(v, log2u(d.geometry.banks));
    v = kCfgPagesize.put(v, d.geometry.col_bits - kColBitsBase);
    return v;
}

uint32_t Emif::compose_ref_ctrl(const DdrParams& d) {
    const double tck = 1000.0 / d.clock_mhz;
    const double rate = std::round(d.refresh.trefi_ns / tck);
    if (rate < 1 || rate > (kRefRefreshRate.mask() >> kRefRefreshRate.shift))
        throw std::invalid_argument("tREFI " + std::to_string(d.refresh.trefi_ns) +
                                    " ns does not fit SDRAM_REF_CTRL.reg_refresh_rate");
    uint32_t v = kRefRefreshRate.put(0, static_cast<uint32_t>(rate));
    return kRefInitrefDis.put(v, d.refresh.enabled ? 0 : 1);
}

uint32_t Emif::compose_tim2(const DdrParams& d) {
    if (d.timing.trtp < 1 || d.timing.trtp > 8)
        throw std::invalid_argument("tRTP " + std::to_string(d.timing.trtp) +
                                    " clocks does not fit SDRAM_TIM_2.reg_t_rtp (1..8)");
    return kTim2Trtp.put(kSdramTim2Reset, d.timing.trtp - 1);
}

uint32_t Emif::compose_tim3(const DdrParams& d) {
    const unsigned trfc = clocks_up(d.refresh.trfc_ns, 1000.0 / d.clock_mhz);
    if (trfc > (kTim3Trfc.mask() >> kTim3Trfc.shift) + 1)
        throw std::invalid_argument("tRFC " + std::to_string(d.refresh.trfc_ns) +
                                    " ns does not fit SDRAM_TIM_3.reg_t_rfc (1..512 clocks)");
    return kTim3Trfc.put(kSdramTim3Reset, trfc - 1);
}

uint32_t Emif::compose_phy_ctrl1(const DdrParams& d, const EmifParams& e) {
    // The smallest read latency the PHY supports: CL + 2 clocks, programmed minus one.
    const unsigned rl = d.timing.cl + kPhyMinReadLatencyOverCl - 1;
    if (rl > (kPhyReadLatency.mask() >> kPhyReadLatency.shift))
        throw std::invalid_argument("CL " + std::to_string(d.timing.cl) +
                                    " gives a PHY read latency beyond DDR_PHY_CTRL_1");
    uint32_t v = kPhyReadLatency.put(0, rl);
    return kPhyEnableDynamicPwrdn.put(v, e.phy_dynamic_pwrdn ? 1 : 0);
}

Emif::Emif(sc_core::sc_module_name name, Ddr& ddr, const EmifParams& params)
    : Peripheral(name, kRegisterWindow, params.stat_prefix),
      irq(std::string(this->name()) + ".irq"),
      ddr_(ddr),
      params_(params) {
    declare(ddr.params());
    perf_time_base_ = sc_core::sc_time_stamp().value();
    perf_base_ = ddr_.counts();
}

void Emif::declare(const DdrParams& d) {
    RegisterBank& r = regs();

    r.add("EMIF_MOD_ID_REV", kModIdRev, kModIdRevReset)
        .ro()
        .field("reg_scheme", 30, 2)
        .field("reg_module_id", 16, 12)
        .field("reg_rtl_version", 11, 5)
        .field("reg_major_revision", 8, 3)
        .field("reg_minor_revision", 0, 6);

    // The modelled PHY is ready at once (its DLL needs no lock time).
    r.add("STATUS", kStatus, kStatusPhyDllReady.put(kStatusReset, 1))
        .ro()
        .field("reg_be", kStatusBe.shift, kStatusBe.width)
        .field("reg_dual_clk_mode", kStatusDualClkMode.shift, kStatusDualClkMode.width)
        .field("reg_fast_init", kStatusFastInit.shift, kStatusFastInit.width)
        .field("reg_phy_dll_ready", kStatusPhyDllReady.shift, kStatusPhyDllReady.width);

    sdram_config_ =
        &r.add("SDRAM_CONFIG", kSdramConfig, compose_sdram_config(d, params_))
             .field("reg_sdram_type", kCfgSdramType.shift, kCfgSdramType.width)
             .unimplemented("reg_ibank_pos", kCfgIbankPos.shift, kCfgIbankPos.width)
             .unimplemented("reg_ddr_term", kCfgDdrTerm.shift, kCfgDdrTerm.width)
             .unimplemented("reg_ddr2_ddqs", kCfgDdr2Ddqs.shift, kCfgDdr2Ddqs.width)
             .unimplemented("reg_dyn_odt", kCfgDynOdt.shift, kCfgDynOdt.width)
             .unimplemented("reg_ddr_disable_dll", kCfgDisableDll.shift, kCfgDisableDll.width)
             .unimplemented("reg_sdram_drive", kCfgSdramDrive.shift, kCfgSdramDrive.width)
             .field("reg_cwl", kCfgCwl.shift, kCfgCwl.width)
             .field("reg_narrow_mode", kCfgNarrowMode.shift, kCfgNarrowMode.width)
             .field("reg_cl", kCfgCl.shift, kCfgCl.width)
             .field("reg_rowsize", kCfgRowsize.shift, kCfgRowsize.width)
             .field("reg_ibank", kCfgIbank.shift, kCfgIbank.width)
             .unimplemented("reg_ebank", kCfgEbank.shift, kCfgEbank.width)
             .field("reg_pagesize", kCfgPagesize.shift, kCfgPagesize.width)
             .on_write([this](Register&, uint32_t, uint32_t) { apply_sdram_config(); });

    r.add("SDRAM_CONFIG_2", kSdramConfig2, 0)
        .writable(kSdramConfig2Writable)
        .unimplemented("reg_ebank_pos", kCfg2EbankPos.shift, kCfg2EbankPos.width);

    const uint32_t ref = compose_ref_ctrl(d);
    ref_ctrl_ = &r.add("SDRAM_REF_CTRL", kSdramRefCtrl, ref)
                     .writable(kRefCtrlWritable)
                     .field("reg_initref_dis", kRefInitrefDis.shift, kRefInitrefDis.width)
                     .unimplemented("reg_srt", kRefSrt.shift, kRefSrt.width)
                     .unimplemented("reg_asr", kRefAsr.shift, kRefAsr.width)
                     .unimplemented("reg_pasr", kRefPasr.shift, kRefPasr.width)
                     .field("reg_refresh_rate", kRefRefreshRate.shift, kRefRefreshRate.width)
                     .on_write([this](Register&, uint32_t, uint32_t) { apply_ref_ctrl(); });
    // Shadow registers are loaded into their main registers on an idle handshake
    // (SIdleAck), which the model does not have: they only hold what software writes.
    r.add("SDRAM_REF_CTRL_SHDW", kSdramRefCtrlShdw, kRefRefreshRate.get(ref))
        .writable(kRefRefreshRate.mask())
        .unimplemented("reg_refresh_rate_shdw", kRefRefreshRate.shift, kRefRefreshRate.width);

    const uint32_t t1 = encode_tim1(d.timing);
    tim1_ = &r.add("SDRAM_TIM_1", kSdramTim1, t1)
                 .writable(kTim1Writable)
                 .field("reg_t_rp", kTim1Trp.shift, kTim1Trp.width)
                 .field("reg_t_rcd", kTim1Trcd.shift, kTim1Trcd.width)
                 .field("reg_t_wr", kTim1Twr.shift, kTim1Twr.width)
                 .field("reg_t_ras", kTim1Tras.shift, kTim1Tras.width)
                 .field("reg_t_rc", kTim1Trc.shift, kTim1Trc.width)
                 .field("reg_t_rrd", kTim1Trrd.shift, kTim1Trrd.width)
                 .field("reg_t_wtr", kTim1Twtr.shift, kTim1Twtr.width)
                 .on_write([this](Register&, uint32_t, uint32_t) { apply_tim1(); });
    r.add("SDRAM_TIM_1_SHDW", kSdramTim1Shdw, t1)
        .writable(kTim1Writable)
        .unimplemented("shadow_fields", 0, 29);

    const uint32_t t2 = compose_tim2(d);
    tim2_ = &r.add("SDRAM_TIM_2", kSdramTim2, t2)
                 .writable(kTim2Writable)
                 .unimplemented("reg_t_xp", kTim2Txp.shift, kTim2Txp.width)
                 .unimplemented("reg_t_xsnr", kTim2Txsnr.shift, kTim2Txsnr.width)
                 .unimplemented("reg_t_xsrd", kTim2Txsrd.shift, kTim2Txsrd.width)
                 .field("reg_t_rtp", kTim2Trtp.shift, kTim2Trtp.width)
                 .unimplemented("reg_t_cke", kTim2Tcke.shift, kTim2Tcke.width)
                 .on_write([this](Register&, uint32_t, uint32_t) { apply_tim2(); });
    r.add("SDRAM_TIM_2_SHDW", kSdramTim2Shdw, t2)
        .writable(kTim2Writable)
        .unimplemented("shadow_fields", 0, 31);

    const uint32_t t3 = compose_tim3(d);
    tim3_ = &r.add("SDRAM_TIM_3", kSdramTim3, t3)
                 .writable(kTim3Writable)
                 .unimplemented("reg_t_pdll_ul", kTim3TpdllUl.shift, kTim3TpdllUl.width)
                 .unimplemented("reg_zq_zqcs", kTim3ZqZqcs.shift, kTim3ZqZqcs.width)
                 .field("reg_t_rfc", kTim3Trfc.shift, kTim3Trfc.width)
                 .unimplemented("reg_t_ras_max", kTim3TrasMax.shift, kTim3TrasMax.width)
                 .on_write([this](Register&, uint32_t, uint32_t) { apply_tim3(); });
    r.add("SDRAM_TIM_3_SHDW", kSdramTim3Shdw, t3)
        .writable(kTim3Writable)
        .unimplemented("shadow_fields", 0, 32);

    r.add("PWR_MGMT_CTRL", kPwrMgmtCtrl, 0)
        .writable(kPwrMgmtWritable)
        .unimplemented("reg_pd_tim", kPwrPdTim.shift, kPwrPdTim.width)
        .unimplemented("reg_dpd_en", kPwrDpdEn.shift, kPwrDpdEn.width)
        .unimplemented("reg_lp_mode", kPwrLpMode.shift, kPwrLpMode.width)
        .unimplemented("reg_sr_tim", kPwrSrTim.shift, kPwrSrTim.width)
        .unimplemented("reg_cs_tim", kPwrCsTim.shift, kPwrCsTim.width);
    r.add("PWR_MGMT_CTRL_SHDW", kPwrMgmtCtrlShdw, 0)
        .writable(kPwrMgmtShdwWritable)
        .unimplemented("shadow_fields", 0, 12);

    r.add("OCP_CONFIG", kOcpConfig, kOcpConfigReset)
        .writable(kOcpConfigReset)
        .unimplemented("REG_COS_COUNT_1", kOcpCosCount1.shift, kOcpCosCount1.width)
        .unimplemented("REG_COS_COUNT_2", kOcpCosCount2.shift, kOcpCosCount2.width)
        .unimplemented("REG_PR_OLD_COUNT", kOcpPrOldCount.shift, kOcpPrOldCount.width);
    r.add("OCP_CFG_VAL_1", kOcpCfgVal1, kOcpCfgVal1Reset)
        .ro()
        .field("REG_SYS_BUS_WIDTH", 30, 2)
        .field("REG_WR_FIFO_DEPTH", 8, 8)
        .field("REG_CMD_FIFO_DEPTH", 0, 8);
    r.add("OCP_CFG_VAL_2", kOcpCfgVal2, kOcpCfgVal2Reset)
        .ro()
        .field("REG_RREG_FIFO_DEPTH", 16, 8)
        .field("REG_RSD_FIFO_DEPTH", 8, 8)
        .field("REG_RCMD_FIFO_DEPTH", 0, 8);

    // Performance counters count from the last reset (see docs/models/emif.md).
    auto perf = [this](const Field& f) { return perf_count(f.get(perf_cfg_->get())); };
    r.add("PERF_CNT_1", kPerfCnt1, 0)
        .ro()
        .on_read([perf](Register&) { return perf(kPerfCntr1Cfg); })
        .on_peek([perf](Register&) { return perf(kPerfCntr1Cfg); });
    r.add("PERF_CNT_2", kPerfCnt2, 0)
        .ro()
        .on_read([perf](Register&) { return perf(kPerfCntr2Cfg); })
        .on_peek([perf](Register&) { return perf(kPerfCntr2Cfg); });
    perf_cfg_ = &r.add("PERF_CNT_CFG", kPerfCntCfg, kPerfCntCfgReset)
                     .writable(kPerfCntCfgWritable)
                     .field("reg_cntr1_cfg", kPerfCntr1Cfg.shift, kPerfCntr1Cfg.width)
                     .unimplemented("reg_cntr1_region_en", kPerfCntr1RegionEn.shift,
                                    kPerfCntr1RegionEn.width)
                     .unimplemented("reg_cntr1_mconnid_en", kPerfCntr1MconnidEn.shift,
                                    kPerfCntr1MconnidEn.width)
                     .field("reg_cntr2_cfg", kPerfCntr2Cfg.shift, kPerfCntr2Cfg.width)
                     .unimplemented("reg_cntr2_region_en", kPerfCntr2RegionEn.shift,
                                    kPerfCntr2RegionEn.width)
                     .unimplemented("reg_cntr2_mconnid_en", kPerfCntr2MconnidEn.shift,
                                    kPerfCntr2MconnidEn.width);
    r.add("PERF_CNT_SEL", kPerfCntSel, 0)
        .writable(kPerfCntSelWritable)
        .unimplemented("reg_mconnid_region_sel", 0, 32);
    auto elapsed = [this](Register&) {
        const uint64_t tck = ddr_.clock_period().value();
        return static_cast<uint32_t>((access_time().value() - perf_time_base_) / tck);
    };
    r.add("PERF_CNT_TIM", kPerfCntTim, 0).ro().on_read(elapsed).on_peek(elapsed);

    r.add("READ_IDLE_CTRL", kReadIdleCtrl, kReadIdleCtrlReset)
        .writable(kReadIdleWritable)
        .unimplemented("reg_read_idle_len", kReadIdleLen.shift, kReadIdleLen.width)
        .unimplemented("reg_read_idle_interval", kReadIdleInterval.shift, kReadIdleInterval.width);
    r.add("READ_IDLE_CTRL_SHDW", kReadIdleCtrlShdw, kReadIdleCtrlReset)
        .writable(kReadIdleWritable)
        .unimplemented("shadow_fields", 0, 20);

    // Interrupts: RAW (write 1 to set), STATUS (enabled view, write 1 to clear the raw
    // bit), ENABLE_SET / ENABLE_CLR (one enable mask seen through both).
    irq_raw_ = &r.add("IRQSTATUS_RAW_SYS", kIrqStatusRawSys, 0)
                    .w1s()
                    .writable(kIrqWritable)
                    .field("reg_err_sys", 0, 1)
                    .field("reg_ta_sys", 1, 1)
                    .on_write([this](Register&, uint32_t, uint32_t) { update_irq(); });
    auto enabled_status = [this](Register&) { return irq_raw_->get() & irq_enable_->get(); };
    r.add("IRQSTATUS_SYS", kIrqStatusSys, 0)
        .writable(kIrqWritable)
        .field("reg_err_sys", 0, 1)
        .field("reg_ta_sys", 1, 1)
        .on_read(enabled_status)
        .on_peek(enabled_status)
        .on_write([this](Register& self, uint32_t written, uint32_t) {
            irq_raw_->clear_bits(written & kIrqWritable);
            self.set(0);
            update_irq();
        });
    irq_enable_ = &r.add("IRQENABLE_SET_SYS", kIrqEnableSetSys, 0)
                       .w1s()
                       .writable(kIrqWritable)
                       .field("reg_en_err_sys", 0, 1)
                       .field("reg_en_ta_sys", 1, 1)
                       .on_write([this](Register&, uint32_t, uint32_t) { update_irq(); });
    auto enables = [this](Register&) { return irq_enable_->get(); };
    r.add("IRQENABLE_CLR_SYS", kIrqEnableClrSys, 0)
        .writable(kIrqWritable)
        .field("reg_en_err_sys", 0, 1)
        .field("reg_en_ta_sys", 1, 1)
        .on_read(enables)
        .on_peek(enables)
        .on_write([this](Register& self, uint32_t written, uint32_t) {
            irq_enable_->clear_bits(written & kIrqWritable);
            self.set(0);
            update_irq();
        });

    r.add("ZQ_CONFIG", kZqConfig, 0)
        .writable(kZqConfigWritable)
        .unimplemented("reg_zq_fields", 0, 32);

    r.add("RDWR_LVL_RMP_WIN", kRdwrLvlRmpWin, 0).ro();
    r.add("RDWR_LVL_RMP_CTRL", kRdwrLvlRmpCtrl, 0).unimplemented("leveling_ramp", 0, 32);
    r.add("RDWR_LVL_CTRL", kRdwrLvlCtrl, 0)
        .field("REG_RDWRLVLFULL_START", kRdwrLvlFullStart.shift, kRdwrLvlFullStart.width)
        .unimplemented("incremental_leveling", 0, 31)
        .on_write([this](Register& self, uint32_t, uint32_t) {
            // Full leveling has nothing to calibrate in the model: done at once, the
            // trigger bit self-clears (Table 7-253).
            if (kRdwrLvlFullStart.get(self.get())) {
                VP_LOG(log_, debug, "full read/write leveling requested: done");
                self.clear_bits(kRdwrLvlFullStart.mask());
            }
        });

    const uint32_t phy = compose_phy_ctrl1(d, params_);
    r.add("DDR_PHY_CTRL_1", kDdrPhyCtrl1, phy)
        .unimplemented("reg_phy_enable_dynamic_pwrdn", kPhyEnableDynamicPwrdn.shift,
                       kPhyEnableDynamicPwrdn.width)
        .unimplemented("reg_phy_rst_n", kPhyRstN.shift, kPhyRstN.width)
        .unimplemented("reg_phy_idle_local_odt", kPhyIdleLocalOdt.shift, kPhyIdleLocalOdt.width)
        .unimplemented("reg_phy_wr_local_odt", kPhyWrLocalOdt.shift, kPhyWrLocalOdt.width)
        .unimplemented("reg_phy_rd_local_odt", kPhyRdLocalOdt.shift, kPhyRdLocalOdt.width)
        .unimplemented("reg_read_latency", kPhyReadLatency.shift, kPhyReadLatency.width);
    r.add("DDR_PHY_CTRL_1_SHDW", kDdrPhyCtrl1Shdw, phy).unimplemented("shadow_fields", 0, 32);

    r.add("PRI_COS_MAP", kPriCosMap, 0)
        .writable(kPriCosMapWritable)
        .unimplemented("class_of_service", 0, 32);
    r.add("CONNID_COS_1_MAP", kConnidCos1Map, 0).unimplemented("class_of_service", 0, 32);
    r.add("CONNID_COS_2_MAP", kConnidCos2Map, 0).unimplemented("class_of_service", 0, 32);
    r.add("RD_WR_EXEC_THRSH", kRdWrExecThrsh, kRdWrExecThrshReset)
        .writable(kRdWrExecThrshWritable)
        .unimplemented("REG_WR_THRSH", 8, 5)
        .unimplemented("REG_RD_THRSH", 0, 5);
}

void Emif::reset() {
    Peripheral::reset();
    apply_sdram_config();
    apply_tim1();
    apply_tim2();
    apply_tim3();
    apply_ref_ctrl();
    update_irq();
    perf_time_base_ = sc_core::sc_time_stamp().value();
    perf_base_ = ddr_.counts();
}

void Emif::apply_sdram_config() {
    const uint32_t v = sdram_config_->get();
    DdrType type = ddr_.type();
    const uint32_t t = kCfgSdramType.get(v);
    if (t == kSdramTypeDdr2) {
        type = DdrType::ddr2;
    } else if (t == kSdramTypeDdr3) {
        type = DdrType::ddr3;
    } else if (warn_once("sdram_type:" + std::to_string(t))) {
        VP_LOG(log_, warning,
               "SDRAM_CONFIG.reg_sdram_type = {} (DDR1/LPDDR1/reserved) is not modelled: the "
               "SDRAM stays {}",
               t, ddr_type_name(type));
    }
    DdrTiming tm = ddr_.timing();
    unsigned cl = 0;
    if (decode_cl(type, kCfgCl.get(v), cl)) {
        tm.cl = cl;
    } else if (warn_once("cl:" + std::to_string(kCfgCl.get(v)))) {
        VP_LOG(log_, warning, "SDRAM_CONFIG.reg_cl = {} is reserved for {}: CL stays {}",
               kCfgCl.get(v), ddr_type_name(type), tm.cl);
    }
    if (type == DdrType::ddr3) tm.cwl = kCwlBase + kCfgCwl.get(v);

    DdrGeometry g = ddr_.geometry();
    const uint32_t narrow = kCfgNarrowMode.get(v);
    if (narrow == kNarrowMode16Bit)
        g.bus_bytes = 2;
    else if (narrow == kNarrowMode32Bit)
        g.bus_bytes = 4;
    else if (warn_once("narrow:" + std::to_string(narrow)))
        VP_LOG(log_, warning, "SDRAM_CONFIG.reg_narrow_mode = {} is reserved: bus stays {}-bit",
               narrow, 8 * g.bus_bytes);
    const uint32_t ibank = kCfgIbank.get(v);
    if (ibank <= 3)
        g.banks = 1u << ibank;
    else if (warn_once("ibank:" + std::to_string(ibank)))
        VP_LOG(log_, warning, "SDRAM_CONFIG.reg_ibank = {} is reserved: {} banks kept", ibank,
               g.banks);
    const uint32_t pagesize = kCfgPagesize.get(v);
    if (pagesize <= 3)
        g.col_bits = kColBitsBase + pagesize;
    else if (warn_once("pagesize:" + std::to_string(pagesize)))
        VP_LOG(log_, warning, "SDRAM_CONFIG.reg_pagesize = {} is reserved: {} column bits kept",
               pagesize, g.col_bits);
    g.row_bits = kRowBitsBase + kCfgRowsize.get(v);

    try {
        ddr_.configure(type, g, tm);
    } catch (const std::invalid_argument& e) {
        VP_LOG(log_, error, "SDRAM_CONFIG = {:#010x} rejected: {}", v, e.what());
    }
    // Every SDRAM_CONFIG write reruns the SDRAM initialisation sequence, whose first
    // command is a precharge-all (SPRUH73 §7.3.3.6.1/2).
    ddr_.close_all_rows();
}

void Emif::apply_tim1() {
    const uint32_t v = tim1_->get();
    const DdrTiming tm = decode_tim1(v, ddr_.timing());
    if (tm.tras < tm.trcd && warn_once("tras<trcd"))
        VP_LOG(log_, warning,
               "SDRAM_TIM_1: reg_t_ras ({}) < reg_t_rcd ({}), the TRM requires >=", tm.tras - 1,
               tm.trcd - 1);
    try {
        ddr_.set_timing(tm);
    } catch (const std::invalid_argument& e) {
        VP_LOG(log_, error, "SDRAM_TIM_1 = {:#010x} rejected: {}", v, e.what());
    }
}

void Emif::apply_tim2() {
    DdrTiming tm = ddr_.timing();
    tm.trtp = kTim2Trtp.get(tim2_->get()) + 1;
    try {
        ddr_.set_timing(tm);
    } catch (const std::invalid_argument& e) {
        VP_LOG(log_, error, "SDRAM_TIM_2 rejected: {}", e.what());
    }
}

void Emif::apply_tim3() {
    DdrRefresh r = ddr_.params().refresh;
    r.trfc_ns = (kTim3Trfc.get(tim3_->get()) + 1) * tck_ns();
    ddr_.set_refresh(r);
}

void Emif::apply_ref_ctrl() {
    uint32_t v = ref_ctrl_->get();
    uint32_t rate = kRefRefreshRate.get(v);
    // TRM Table 7-226: a rate below 8*reg_t_rfc + reg_t_rp + reg_t_rcd + 20 is replaced by
    // that minimum (the fields as programmed, i.e. cycles - 1).
    const uint32_t t1 = tim1_->get();
    const uint32_t min = kRefRateTrfcFactor * kTim3Trfc.get(tim3_->get()) + kTim1Trp.get(t1) +
                         kTim1Trcd.get(t1) + kRefRateMargin;
    if (rate < min) {
        if (warn_once("refresh_rate_min"))
            VP_LOG(log_, warning,
                   "SDRAM_REF_CTRL.reg_refresh_rate {} below the minimum {}: loaded with {}", rate,
                   min, min);
        rate = min;
        v = kRefRefreshRate.put(v, rate);
        ref_ctrl_->set(v);
    }
    DdrRefresh r = ddr_.params().refresh;
    r.enabled = kRefInitrefDis.get(v) == 0;
    r.trefi_ns = rate * tck_ns();
    ddr_.set_refresh(r);
}

void Emif::update_irq() {
    irq.write((irq_raw_->get() & irq_enable_->get() & (kIrqErrSys | kIrqTaSys)) != 0,
              access_offset());
}

uint32_t Emif::perf_count(uint32_t filter) {
    const Ddr::Counts& c = ddr_.counts();
    uint64_t n = 0;
    switch (filter) {
        case kPerfAccesses:
            n = (c.reads + c.writes) - (perf_base_.reads + perf_base_.writes);
            break;
        case kPerfActivations:
            n = c.activations - perf_base_.activations;
            break;
        case kPerfReads:
            n = c.reads - perf_base_.reads;
            break;
        case kPerfWrites:
            n = c.writes - perf_base_.writes;
            break;
        case kPerfDataCycles:
            n = c.data_cycles - perf_base_.data_cycles;
            break;
        default:
            if (warn_once("perf_filter:" + std::to_string(filter)))
                VP_LOG(log_, info, "performance counter filter {:#x} not modelled: reads 0",
                       filter);
            break;
    }
    return static_cast<uint32_t>(n);
}

}  // namespace vp
