// DMTIMER1_1MS of the AM335x (TRM SPRUH73 §20.2): the "v1" GPTIMER register layout (TISR /
// TIER / TWER interrupt registers, TISTAT) with the 1 ms tick block: at each auto-reload the
// counter is loaded with TLDR (sub-period) or TLDR - 1 (over-period) as TCVR + TPIR / TNIR
// decides, so that the average period is exactly the programmed tick (20.2.3.1.1); and the
// TOCR/TOWR overflow-interrupt filter. Counting, posted mode, match and capture are the same
// engine as DMTIMER2-7 (dmtimer.h).
#pragma once

#include "models/timer/dmtimer.h"

namespace vp {

namespace dmtimer_1ms {
// Register offsets (TRM Table 20-35).
constexpr uint32_t kTidr = 0x00;
constexpr uint32_t kTiocpCfg = 0x10;
constexpr uint32_t kTistat = 0x14;
constexpr uint32_t kTisr = 0x18;
constexpr uint32_t kTier = 0x1C;
constexpr uint32_t kTwer = 0x20;
constexpr uint32_t kTclr = 0x24;
constexpr uint32_t kTcrr = 0x28;
constexpr uint32_t kTldr = 0x2C;
constexpr uint32_t kTtgr = 0x30;
constexpr uint32_t kTwps = 0x34;
constexpr uint32_t kTmar = 0x38;
constexpr uint32_t kTcar1 = 0x3C;
constexpr uint32_t kTsicr = 0x40;
constexpr uint32_t kTcar2 = 0x44;
constexpr uint32_t kTpir = 0x48;
constexpr uint32_t kTnir = 0x4C;
constexpr uint32_t kTcvr = 0x50;
constexpr uint32_t kTocr = 0x54;
constexpr uint32_t kTowr = 0x58;

constexpr uint32_t kTidrReset = 0x15;  // 20.2.4.1: TID_REV = 0x15

// TIOCP_CFG (20.2.4.2).
constexpr uint32_t kTiocpAutoidle = 1u << 0;
constexpr uint32_t kTiocpSoftreset = 1u << 1;
constexpr uint32_t kTiocpEnawakeup = 1u << 2;
constexpr unsigned kTiocpIdlemodeShift = 3;
constexpr uint32_t kTiocpEmufree = 1u << 5;
constexpr unsigned kTiocpClockactivityShift = 8;

// TISTAT (20.2.4.3).
constexpr uint32_t kTistatResetdone = 1u << 0;

// TWPS bits 5-9 (20.2.4.11); bits 0-4 as dmtimer::kTwps*.
constexpr uint32_t kTwpsTpir = 1u << 5;
constexpr uint32_t kTwpsTnir = 1u << 6;
constexpr uint32_t kTwpsTcvr = 1u << 7;
constexpr uint32_t kTwpsTocr = 1u << 8;
constexpr uint32_t kTwpsTowr = 1u << 9;

// TOCR / TOWR are 24-bit (20.2.4.19-20).
constexpr uint32_t kOverflowCountMask = 0x00FFFFFF;
}  // namespace dmtimer_1ms

// DMTIMER1_1MS. Linux driver: timer-ti-dm (revision 1 register layout).
class DmTimer1ms : public DmTimerBase {
  public:
    explicit DmTimer1ms(sc_core::sc_module_name name, const DmTimerParams& p = {});

  protected:
    void raise_events(uint32_t bits, const sc_core::sc_time& at) override;
    void clear_capture_flag(const sc_core::sc_time& at) override;
    uint32_t reload_value(const sc_core::sc_time& at) override;

  private:
    void update_irq(const sc_core::sc_time& at);

    Register* tisr_ = nullptr;
    Register* tier_ = nullptr;
};

}  // namespace vp
