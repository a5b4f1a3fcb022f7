// AM335x UART register map and bit fields (SPRUH73 chapter 19, "UART").
//
// Offsets are Table 19-29; which register an aliased offset shows in each register-access
// mode is Table 19-20 (see uart.cpp's alias table). Reset values are the register headings
// of §19.5.1. Every register is 16 bits wide with bits [15:8] reserved (read as 0), except
// MVR, which this model returns as a 32-bit value (docs/models/uart.md).
#pragma once

#include <cstdint>

namespace vp::uart {

// ---- offsets (Table 19-29) -------------------------------------------------------------
constexpr uint32_t kRhr = 0x00;    // operational, read
constexpr uint32_t kThr = 0x00;    // operational, write
constexpr uint32_t kDll = 0x00;    // configuration modes A and B
constexpr uint32_t kIer = 0x04;    // operational
constexpr uint32_t kDlh = 0x04;    // configuration modes A and B
constexpr uint32_t kIir = 0x08;    // operational and A, read
constexpr uint32_t kFcr = 0x08;    // operational and A, write
constexpr uint32_t kEfr = 0x08;    // configuration mode B
constexpr uint32_t kLcr = 0x0C;    // all modes
constexpr uint32_t kMcr = 0x10;    // operational and A
constexpr uint32_t kXon1 = 0x10;   // configuration mode B
constexpr uint32_t kLsr = 0x14;    // operational and A, read
constexpr uint32_t kXon2 = 0x14;   // configuration mode B
constexpr uint32_t kMsr = 0x18;    // operational and A, MSR_SPR submode, read
constexpr uint32_t kTcr = 0x18;    // TCR_TLR submode (EFR[4] = 1 and MCR[6] = 1)
constexpr uint32_t kXoff1 = 0x18;  // configuration mode B, XOFF submode
constexpr uint32_t kSpr = 0x1C;    // operational and A, MSR_SPR submode
constexpr uint32_t kTlr = 0x1C;    // TCR_TLR submode
constexpr uint32_t kXoff2 = 0x1C;  // configuration mode B, XOFF submode
constexpr uint32_t kMdr1 = 0x20;
constexpr uint32_t kMdr2 = 0x24;
constexpr uint32_t kSflsr = 0x28;  // read
constexpr uint32_t kTxfll = 0x28;  // write
constexpr uint32_t kResume = 0x2C;
constexpr uint32_t kTxflh = 0x2C;
constexpr uint32_t kSfregl = 0x30;
constexpr uint32_t kRxfll = 0x30;
constexpr uint32_t kSfregh = 0x34;
constexpr uint32_t kRxflh = 0x34;
constexpr uint32_t kBlr = 0x38;    // operational
constexpr uint32_t kUasr = 0x38;   // configuration modes A and B, read
constexpr uint32_t kAcreg = 0x3C;  // operational
constexpr uint32_t kScr = 0x40;
constexpr uint32_t kSsr = 0x44;
constexpr uint32_t kEblr = 0x48;  // operational
constexpr uint32_t kMvr = 0x50;
constexpr uint32_t kSysc = 0x54;
constexpr uint32_t kSyss = 0x58;
constexpr uint32_t kWer = 0x5C;
constexpr uint32_t kCfps = 0x60;
constexpr uint32_t kRxfifoLvl = 0x64;
constexpr uint32_t kTxfifoLvl = 0x68;
constexpr uint32_t kIer2 = 0x6C;
constexpr uint32_t kIsr2 = 0x70;
constexpr uint32_t kFreqSel = 0x74;
constexpr uint32_t kMdr3 = 0x80;
constexpr uint32_t kTxDmaThreshold = 0x84;

// The module's 4 KiB window on the L4 (SPRUH73 Table 2-3); offsets not in Table 19-29
// are reserved.
constexpr uint32_t kWindowSize = 0x1000;

// ---- LCR (Table 19-42) -----------------------------------------------------------------
constexpr uint32_t kLcrCharLengthMask = 0x03;  // 0..3 = 5..8 data bits
constexpr uint32_t kLcrNbStop = 1u << 2;       // 1.5 (5-bit) or 2 stop bits
constexpr uint32_t kLcrParityEn = 1u << 3;
constexpr uint32_t kLcrParityType1 = 1u << 4;
constexpr uint32_t kLcrParityType2 = 1u << 5;
constexpr uint32_t kLcrBreakEn = 1u << 6;
constexpr uint32_t kLcrDivEn = 1u << 7;
constexpr uint32_t kLcrConfigModeA = 0x80;  // what drivers write for configuration mode A
constexpr uint32_t kLcrConfigModeB = 0xBF;  // Table 19-16: exactly 0xBF selects mode B
constexpr unsigned kMinDataBits = 5;

// ---- IER (Table 19-35) -----------------------------------------------------------------
constexpr uint32_t kIerRhrIt = 1u << 0;  // RHR and RX time-out
constexpr uint32_t kIerThrIt = 1u << 1;
constexpr uint32_t kIerLineStsIt = 1u << 2;
constexpr uint32_t kIerModemStsIt = 1u << 3;
constexpr uint32_t kIerSleepMode = 1u << 4;
constexpr uint32_t kIerXoffIt = 1u << 5;
constexpr uint32_t kIerRtsIt = 1u << 6;
constexpr uint32_t kIerCtsIt = 1u << 7;
constexpr uint32_t kIerEnhancedBits = 0xF0;  // writable only when EFR[4] = 1

// ---- IIR (Table 19-38, Table 19-11) ----------------------------------------------------
constexpr uint32_t kIirNoPending = 1u << 0;  // IT_PENDING: 1 = no interrupt
constexpr uint32_t kIirModem = 0x00;         // priority 4
constexpr uint32_t kIirThr = 0x02;           // priority 3
constexpr uint32_t kIirRhr = 0x04;           // priority 2
constexpr uint32_t kIirLineStatus = 0x06;    // priority 1
constexpr uint32_t kIirRxTimeout = 0x0C;     // priority 2
constexpr uint32_t kIirXoff = 0x10;          // priority 5 (not generated: no flow control)
constexpr uint32_t kIirCtsRts = 0x20;        // priority 6 (not generated)
constexpr uint32_t kIirFcrMirror = 0xC0;     // FCR[0] mirrored on both bits

// ---- FCR (Table 19-40) -----------------------------------------------------------------
constexpr uint32_t kFcrFifoEn = 1u << 0;
constexpr uint32_t kFcrRxFifoClear = 1u << 1;
constexpr uint32_t kFcrTxFifoClear = 1u << 2;
constexpr uint32_t kFcrDmaMode = 1u << 3;
constexpr unsigned kFcrTxTrigShift = 4;
constexpr uint32_t kFcrTxTrigMask = 0x30;  // writable only when EFR[4] = 1
constexpr unsigned kFcrRxTrigShift = 6;
constexpr uint32_t kFcrRxTrigMask = 0xC0;
// FIFO_EN and DMA_MODE change only while the baud clock is stopped (DLL = DLH = 0).
constexpr uint32_t kFcrBaudStoppedOnly = kFcrFifoEn | kFcrDmaMode;
constexpr uint32_t kFcrSelfClearing = kFcrRxFifoClear | kFcrTxFifoClear;

// ---- EFR (Table 19-37) -----------------------------------------------------------------
constexpr uint32_t kEfrSwFlowControlMask = 0x0F;
constexpr uint32_t kEfrEnhancedEn = 1u << 4;
constexpr uint32_t kEfrSpecialCharDetect = 1u << 5;
constexpr uint32_t kEfrAutoRtsEn = 1u << 6;
constexpr uint32_t kEfrAutoCtsEn = 1u << 7;
constexpr uint32_t kEfrNotModelled =
    kEfrSwFlowControlMask | kEfrSpecialCharDetect | kEfrAutoRtsEn | kEfrAutoCtsEn;

// ---- MCR (Table 19-43) -----------------------------------------------------------------
constexpr uint32_t kMcrDtr = 1u << 0;
constexpr uint32_t kMcrRts = 1u << 1;
constexpr uint32_t kMcrRiStsCh = 1u << 2;
constexpr uint32_t kMcrCdStsCh = 1u << 3;
constexpr uint32_t kMcrLoopbackEn = 1u << 4;
constexpr uint32_t kMcrXonEn = 1u << 5;
constexpr uint32_t kMcrTcrTlr = 1u << 6;
constexpr uint32_t kMcrWritable = 0x7F;      // bit 7 reserved
constexpr uint32_t kMcrEnhancedBits = 0xE0;  // writable only when EFR[4] = 1

// ---- LSR, UART mode (Table 19-48) --------------------------------------------------------
constexpr uint32_t kLsrRxFifoE = 1u << 0;  // data ready: at least one character in the RX FIFO
constexpr uint32_t kLsrRxOe = 1u << 1;     // overrun; cleared by reading LSR
constexpr uint32_t kLsrRxPe = 1u << 2;
constexpr uint32_t kLsrRxFe = 1u << 3;
constexpr uint32_t kLsrRxBi = 1u << 4;
constexpr uint32_t kLsrTxFifoE = 1u << 5;  // THRE: TX FIFO empty
constexpr uint32_t kLsrTxSrE = 1u << 6;    // TEMT: TX FIFO and shift register empty
constexpr uint32_t kLsrRxFifoSts = 1u << 7;

// ---- MSR (Table 19-50) -----------------------------------------------------------------
constexpr uint32_t kMsrCtsSts = 1u << 0;  // delta bits, cleared on read
constexpr uint32_t kMsrDsrSts = 1u << 1;
constexpr uint32_t kMsrRiSts = 1u << 2;
constexpr uint32_t kMsrDcdSts = 1u << 3;
constexpr uint32_t kMsrDeltaMask = 0x0F;
constexpr uint32_t kMsrNctsSts = 1u << 4;  // in loopback: MCR[1]
constexpr uint32_t kMsrNdsrSts = 1u << 5;  // in loopback: MCR[0]
constexpr uint32_t kMsrNriSts = 1u << 6;   // in loopback: MCR[2]
constexpr uint32_t kMsrNcdSts = 1u << 7;   // in loopback: MCR[3]

// ---- TLR (Table 19-53) -----------------------------------------------------------------
constexpr uint32_t kTlrTxFifoTrigDmaMask = 0x0F;
constexpr unsigned kTlrRxFifoTrigDmaShift = 4;
constexpr uint32_t kTlrRxFifoTrigDmaMask = 0xF0;
constexpr unsigned kTlrGranularity = 4;  // TLR-only trigger levels are 4 x the field

// Trigger levels from FCR alone (Tables 19-14 and 19-15).
constexpr unsigned kTxTriggerSpaces[4] = {8, 16, 32, 56};
constexpr unsigned kRxTriggerChars[4] = {8, 16, 56, 60};
constexpr unsigned kGranu1FcrBits = 2;  // SCR granularity 1: TLR field << 2 | FCR field

// ---- MDR1 (Table 19-55), MDR2 (Table 19-56), MDR3 (Table 19-81) --------------------------
constexpr uint32_t kMdr1ModeSelectMask = 0x07;
constexpr uint32_t kMdr1Uart16x = 0;
constexpr uint32_t kMdr1Sir = 1;
constexpr uint32_t kMdr1Uart16xAutobaud = 2;
constexpr uint32_t kMdr1Uart13x = 3;
constexpr uint32_t kMdr1Mir = 4;
constexpr uint32_t kMdr1Fir = 5;
constexpr uint32_t kMdr1Cir = 6;
constexpr uint32_t kMdr1Disable = 7;
constexpr uint32_t kMdr2Writable = 0xFE;  // bit 0 IRTXUNDERRUN is read-only
constexpr uint32_t kMdr3DisableCirRxDemod = 1u << 0;
constexpr uint32_t kMdr3NonDefaultFreq = 1u << 1;
constexpr uint32_t kMdr3SetDmaTxThreshold = 1u << 2;
constexpr uint32_t kMdr3Writable = 0x07;
constexpr unsigned kOversample16x = 16;  // §19.3.8.1.2
constexpr unsigned kOversample13x = 13;
constexpr unsigned kFreqSelMin = 6;  // FREQ_SEL "must be equal or higher than 6"

// ---- SCR (Table 19-68), SSR (Table 19-69) ------------------------------------------------
constexpr uint32_t kScrDmaModeCtl = 1u << 0;
constexpr unsigned kScrDmaMode2Shift = 1;
constexpr uint32_t kScrDmaMode2Mask = 0x06;
constexpr uint32_t kScrTxEmptyCtlIt = 1u << 3;
constexpr uint32_t kScrRxCtsDsrWakeupEnable = 1u << 4;
constexpr uint32_t kScrDsrIt = 1u << 5;
constexpr uint32_t kScrTxTrigGranu1 = 1u << 6;
constexpr uint32_t kScrRxTrigGranu1 = 1u << 7;
constexpr uint32_t kSsrTxFifoFull = 1u << 0;
constexpr uint32_t kSsrRxCtsDsrWakeupSts = 1u << 1;
constexpr uint32_t kSsrDmaCounterRst = 1u << 2;

// ---- SYSC (Table 19-72), SYSS (Table 19-73) ----------------------------------------------
constexpr uint32_t kSyscAutoIdle = 1u << 0;
constexpr uint32_t kSyscSoftReset = 1u << 1;  // self-clearing, reads 0
constexpr uint32_t kSyscEnaWakeup = 1u << 2;
constexpr unsigned kSyscIdleModeShift = 3;
constexpr uint32_t kSyscIdleModeMask = 0x18;
constexpr uint32_t kSyscWritable = 0x1F;
constexpr uint32_t kSyssResetDone = 1u << 0;

// ---- IER2 (Table 19-78), ISR2 (Table 19-79) ----------------------------------------------
constexpr uint32_t kIer2EnRxFifoEmpty = 1u << 0;
constexpr uint32_t kIer2EnTxFifoEmpty = 1u << 1;
constexpr uint32_t kIsr2RxFifoEmptySts = 1u << 0;
constexpr uint32_t kIsr2TxFifoEmptySts = 1u << 1;
constexpr uint32_t kIer2Writable = 0x03;

// ---- MVR (Table 19-71) -------------------------------------------------------------------
constexpr unsigned kMvrSchemeShift = 30;
constexpr uint32_t kMvrMajorMask = 0x700;  // MAJORREV [10:8]
constexpr unsigned kMvrMajorShift = 8;
constexpr uint32_t kMvrMinorMask = 0x3F;  // MINORREV [5:0]

// ---- writable bits of the plain data registers (field tables of §19.5.1) ------------------
constexpr uint32_t kData8Writable = 0xFF;       // an 8-bit field in [7:0], [15:8] reserved
constexpr uint32_t kTxflhWritable = 0x1F;       // TXFLH [4:0] (Table 19-60)
constexpr uint32_t kRxflhWritable = 0x0F;       // RXFLH [3:0] (Table 19-64)
constexpr uint32_t kBlrStsFifoReset = 1u << 7;  // self-clearing (Table 19-65)
constexpr uint32_t kBlrXbofType = 1u << 6;
constexpr uint32_t kBlrWritable = kBlrStsFifoReset | kBlrXbofType;
constexpr uint32_t kTxDmaThresholdWritable = 0x3F;  // [5:0] (Table 19-82)
constexpr unsigned kRegWidthBytes = 2;              // 16-bit registers (§19.5.1)
constexpr unsigned kMvrWidthBytes = 4;              // MVR is read as 32 bits (docs/models/uart.md)

// ---- reset values (§19.5.1 register headings) ---------------------------------------------
constexpr uint32_t kIirReset = 0x01;
constexpr uint32_t kLsrReset = kLsrTxFifoE | kLsrTxSrE;  // 0x60
constexpr uint32_t kMdr1Reset = kMdr1Disable;            // 0x07
constexpr uint32_t kBlrReset = kBlrXbofType;             // 0x40
constexpr uint32_t kSsrReset = kSsrDmaCounterRst;        // 0x04
constexpr uint32_t kWerReset = 0xFF;
constexpr uint32_t kCfpsReset = 0x69;
// [?] The TRM heading gives 0 but calls MVR the hard-wired RTL revision. This model returns
// the value of TI's chip-support library for the AM335x UART: scheme 1, major 6, minor 3;
// Linux's ti-sysc recognises it as an "omap4 and later" UART (0x5041xx03, mask 0xffff00ff).
constexpr uint32_t kMvrValue = 0x50411603;

// ---- line format and timing ---------------------------------------------------------------
constexpr unsigned kStartBits = 1;
// RX time-out: the line idle for "4x the programmed word length + 12 bits" (§19.3.8.1.3.7.1).
constexpr unsigned kTimeoutWordLengths = 4;
constexpr unsigned kTimeoutExtraBits = 12;
constexpr unsigned kFifoDepth = 64;          // §19.3.8: TX and RX FIFOs of 64 bytes
constexpr uint32_t kDivisorLowMask = 0xFF;   // DLL
constexpr uint32_t kDivisorHighMask = 0x3F;  // DLH: the 6 MSBs of a 14-bit divisor
constexpr unsigned kDivisorHighShift = 8;

}  // namespace vp::uart
