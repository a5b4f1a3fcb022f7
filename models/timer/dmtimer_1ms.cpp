#include "models/timer/dmtimer_1ms.h"

namespace vp {

using namespace dmtimer_1ms;
using dmtimer::kIrqAll;
using dmtimer::kIrqOvf;
using dmtimer::kIrqTcar;
using sc_core::sc_time;

DmTimer1ms::DmTimer1ms(sc_core::sc_module_name name, const DmTimerParams& p)
    : DmTimerBase(name, p) {
    regs().add("TIDR", kTidr, kTidrReset).ro();
    // TIOCP_CFG: every bit reads back (the reserved bits are R/W in Table 20-37).
    regs()
        .add("TIOCP_CFG", kTiocpCfg, 0)
        .unimplemented("AUTOIDLE", 0, 1)
        .field("SOFTRESET", 1, 1)
        .unimplemented("ENAWAKEUP", 2, 1)
        .unimplemented("IDLEMODE", kTiocpIdlemodeShift, 2)
        .unimplemented("EMUFREE", 5, 1)
        .unimplemented("CLOCKACTIVITY", kTiocpClockactivityShift, 2)
        .on_write([this](Register& r, uint32_t, uint32_t) {
            // SoftReset: "automatically reset by the hardware; reads return 0" (20.2.4.2).
            if (r.get() & kTiocpSoftreset) reset_at(access_time());
        });
    // TISTAT.RESETDONE reads 1 once the reset is complete; resets here are instantaneous.
    regs().add("TISTAT", kTistat, kTistatResetdone).ro();
    tisr_ = &regs()
                 .add("TISR", kTisr, 0)
                 .w1c()
                 .writable(kIrqAll)
                 .on_write([this](Register&, uint32_t written, uint32_t) {
                     if (written & kIrqTcar) rearm_capture();
                     update_irq(access_time());
                 });
    tier_ = &regs()
                 .add("TIER", kTier, 0)
                 .writable(kIrqAll)
                 .on_write([this](Register&, uint32_t, uint32_t) { update_irq(access_time()); });
    regs()
        .add("TWER", kTwer, 0)
        .writable(kIrqAll)
        .unimplemented("MAT_WUP_ENA", 0, 1)
        .unimplemented("OVF_WUP_ENA", 1, 1)
        .unimplemented("TCAR_WUP_ENA", 2, 1);
    declare_functional_registers(
        {kTclr, kTcrr, kTldr, kTtgr, kTwps, kTmar, kTcar1, kTsicr, kTcar2});
    add_posted("TPIR", kTpir, kFTpir, 0, 0xFFFFFFFF);
    add_posted("TNIR", kTnir, kFTnir, 0, 0xFFFFFFFF);
    add_posted("TCVR", kTcvr, kFTcvr, 0, 0xFFFFFFFF);
    add_posted("TOCR", kTocr, kFTocr, 0, kOverflowCountMask);
    add_posted("TOWR", kTowr, kFTowr, 0, kOverflowCountMask);
}

void DmTimer1ms::update_irq(const sc_time& at) {
    // TISR holds every event; the line is asserted for the enabled ones (20.2.3.6).
    drive_irq((tisr_->get() & tier_->get() & kIrqAll) != 0, at);
}

void DmTimer1ms::raise_events(uint32_t bits, const sc_time& at) {
    if (bits & kIrqOvf) {
        // TOCR counts overflows; when it equals TOWR the overflow reaches TISR and TOCR
        // restarts from 0 (20.2.3.1.1). With TOWR = 0 every overflow is reported.
        Register* tocr = func_reg(kFTocr);
        Register* towr = func_reg(kFTowr);
        if (tocr->get() == towr->get()) {
            tocr->set(0);
        } else {
            tocr->set((tocr->get() + 1) & kOverflowCountMask);
            bits &= ~kIrqOvf;
        }
    }
    tisr_->set_bits(bits & kIrqAll);
    update_irq(at);
}

void DmTimer1ms::clear_capture_flag(const sc_time& at) {
    tisr_->clear_bits(kIrqTcar);
    update_irq(at);
}

uint32_t DmTimer1ms::reload_value(const sc_time&) {
    // 1 ms tick block (20.2.3.1.1): TCVR accumulates the error of the periods so far in
    // 1e-6 timer ticks. The sub-period (TLDR) is taken while TCVR + TNIR stays >= 0, which
    // moves TCVR by TNIR (negative); otherwise the over-period (TLDR - 1, one tick longer)
    // moves it by TPIR. With the conversion block in reset (all zero) TLDR is always used.
    const auto tpir = static_cast<int32_t>(func_reg(kFTpir)->get());
    const auto tnir = static_cast<int32_t>(func_reg(kFTnir)->get());
    const auto tcvr = static_cast<int32_t>(func_reg(kFTcvr)->get());
    const int64_t sub = static_cast<int64_t>(tcvr) + tnir;
    if (sub >= 0) {
        func_reg(kFTcvr)->set(static_cast<uint32_t>(sub));
        return tldr();
    }
    func_reg(kFTcvr)->set(static_cast<uint32_t>(static_cast<int64_t>(tcvr) + tpir));
    return tldr() - 1;
}

}  // namespace vp
