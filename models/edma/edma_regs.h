// EDMA3 of the AM335x: register offsets, reset values and bit fields of the channel controller
// (TPCC, SPRUH73 §11.4.1, Table 11-26), the transfer controllers (TPTC, §11.4.2, Table 11-152)
// and the PaRAM set layout (§11.3.3, Tables 11-6/11-7). Values only; the models are
// tpcc.h / tptc.h. See docs/models/edma.md.
#pragma once

#include <cstdint>

namespace vp::edma {

// --- Resources (CCCFG = 0x0322_4445, §11.4.1.2; TCCFG, §11.4.2.2) ----------------------------
constexpr unsigned kNumDmaChannels = 64;   // CCCFG.NUM_DMACH = 5
constexpr unsigned kNumQdmaChannels = 8;   // CCCFG.NUM_QDMACH = 4
constexpr unsigned kNumParamSets = 256;    // CCCFG.NUM_PAENTRY = 4
constexpr unsigned kNumQueues = 3;         // CCCFG.NUM_EVQUE = 2: 3 queues / 3 TCs
constexpr unsigned kNumRegions = 4;        // CCCFG.NUM_REGN = 2: 4 shadow / MP regions
constexpr unsigned kNumDraeRegisters = 8;  // DRAE0..7 / QRAE0..7 are listed in Table 11-26
constexpr unsigned kQueueDepth = 16;       // Q0E0..Q0E15 (§11.4.1.35-82)
constexpr unsigned kMaxOutstandingCompletions = 63;  // CCSTAT.COMPACTV / CCERR.TCCERR
constexpr unsigned kParamWords = 8;                  // 8 x 32-bit words = 32 bytes per set
constexpr unsigned kParamSetBytes = 32;

// --- TPCC register window ---------------------------------------------------------------------
// Linux maps 64 KB (DT reg = <0x49000000 0x10000>); the interconnect window is 1 MB.
constexpr uint32_t kTpccWindowSize = 0x10000;

// Global registers (Table 11-26).
constexpr uint32_t kPid = 0x000;
constexpr uint32_t kCccfg = 0x004;
constexpr uint32_t kSysconfig = 0x010;
constexpr uint32_t kDchmap = 0x100;   // + 4 x channel
constexpr uint32_t kQchmap = 0x200;   // + 4 x QDMA channel
constexpr uint32_t kDmaqnum = 0x240;  // + 4 x n, 8 channels per register
constexpr uint32_t kQdmaqnum = 0x260;
constexpr uint32_t kQuepri = 0x284;
constexpr uint32_t kEmr = 0x300;
constexpr uint32_t kEmrh = 0x304;
constexpr uint32_t kEmcr = 0x308;
constexpr uint32_t kEmcrh = 0x30C;
constexpr uint32_t kQemr = 0x310;
constexpr uint32_t kQemcr = 0x314;
constexpr uint32_t kCcerr = 0x318;
constexpr uint32_t kCcerrclr = 0x31C;
constexpr uint32_t kEeval = 0x320;
constexpr uint32_t kDrae = 0x340;        // DRAEn = 0x340 + 8n, DRAEHn = 0x344 + 8n
constexpr uint32_t kQrae = 0x380;        // + 4 x region
constexpr uint32_t kQueueEntry = 0x400;  // QqEe = 0x400 + 0x40 q + 4 e
constexpr uint32_t kQstat = 0x600;       // + 4 x queue
constexpr uint32_t kQwmthra = 0x620;
constexpr uint32_t kCcstat = 0x640;
constexpr uint32_t kMpfar = 0x800;
constexpr uint32_t kMpfsr = 0x804;
constexpr uint32_t kMpfcr = 0x808;
constexpr uint32_t kMppag = 0x80C;
constexpr uint32_t kMppa = 0x810;  // + 4 x region, MPPA_0..7

// DMA/QDMA channel registers: the global view at 0x1000, shadow region r at 0x2000 + 0x200 r
// (§11.3.7; Linux edma.c SH_* offsets). Offsets below are relative to either base.
constexpr uint32_t kGlobalChannelBase = 0x1000;
constexpr uint32_t kShadowBase = 0x2000;
constexpr uint32_t kShadowStride = 0x200;
constexpr uint32_t kEr = 0x00;
constexpr uint32_t kErh = 0x04;
constexpr uint32_t kEcr = 0x08;
constexpr uint32_t kEcrh = 0x0C;
constexpr uint32_t kEsr = 0x10;
constexpr uint32_t kEsrh = 0x14;
constexpr uint32_t kCer = 0x18;
constexpr uint32_t kCerh = 0x1C;
constexpr uint32_t kEer = 0x20;
constexpr uint32_t kEerh = 0x24;
constexpr uint32_t kEecr = 0x28;
constexpr uint32_t kEecrh = 0x2C;
constexpr uint32_t kEesr = 0x30;
constexpr uint32_t kEesrh = 0x34;
constexpr uint32_t kSer = 0x38;
constexpr uint32_t kSerh = 0x3C;
constexpr uint32_t kSecr = 0x40;
constexpr uint32_t kSecrh = 0x44;
constexpr uint32_t kIer = 0x50;
constexpr uint32_t kIerh = 0x54;
constexpr uint32_t kIecr = 0x58;
constexpr uint32_t kIecrh = 0x5C;
constexpr uint32_t kIesr = 0x60;
constexpr uint32_t kIesrh = 0x64;
constexpr uint32_t kIpr = 0x68;
constexpr uint32_t kIprh = 0x6C;
constexpr uint32_t kIcr = 0x70;
constexpr uint32_t kIcrh = 0x74;
constexpr uint32_t kIeval = 0x78;
constexpr uint32_t kQer = 0x80;
constexpr uint32_t kQeer = 0x84;
constexpr uint32_t kQeecr = 0x88;
constexpr uint32_t kQeesr = 0x8C;
constexpr uint32_t kQser = 0x90;
constexpr uint32_t kQsecr = 0x94;

// PaRAM (§11.3.3, Table 11-5): set n at 0x4000 + 32 n.
constexpr uint32_t kParamBase = 0x4000;

// --- TPCC reset values --------------------------------------------------------------------------
constexpr uint32_t kPidReset = 0x40014C00;      // §11.4.1.1: PID[31:16] = 4001h, [15:0] = 4C00h
constexpr uint32_t kCccfgReset = 0x03224445;    // §11.4.1.2
constexpr uint32_t kTpccSysconfigReset = 0x8;   // §11.4.1.3: IDLEMODE = 2 (smart idle)
constexpr uint32_t kQuepriReset = 0x777;        // §11.4.1.8: PRIQ0..2 = 7
constexpr uint32_t kQstatReset = 0xF;           // §11.4.1.83: STRTPTR = Fh
constexpr uint32_t kQwmthraReset = 0x000A0A0A;  // §11.4.1.84: Q0..Q2 = Ah
constexpr uint32_t kMppaReset = 0x676;          // §11.4.1.89/90 register headings

// --- TPCC bit fields
// -------------------------------------------------------------------------------
constexpr uint32_t kSysconfigIdlemodeMask = 0x3u << 2;  // IDLEMODE [3:2]
constexpr unsigned kSysconfigIdlemodeShift = 2;
constexpr uint32_t kDchmapPaentryMask = 0x1FFu << 5;  // PAENTRY [13:5]
constexpr unsigned kDchmapPaentryShift = 5;
constexpr uint32_t kQchmapWritable = 0x3FFCu;  // PAENTRY [13:5], TRWORD [4:2]
constexpr uint32_t kQchmapTrwordMask = 0x7u << 2;
constexpr unsigned kQchmapTrwordShift = 2;
constexpr uint32_t kDmaqnumWritable = 0x77777777u;  // En [4n+2:4n], 8 channels per register
constexpr unsigned kChannelsPerDmaqnum = 8;
constexpr unsigned kQnumBits = 4;  // DMAQNUM / QDMAQNUM / QUEPRI fields are 4 bits apart
constexpr uint32_t kQnumFieldMask = 0x7;
constexpr uint32_t kQuepriWritable = 0x777u;
constexpr uint32_t kQdmaMask = 0xFFu;         // QER/QEER/QSER/QEMR/QRAE: 8 QDMA channels
constexpr uint32_t kCcerrQthrxcd0 = 1u << 0;  // QTHRXCDn = bit n
constexpr uint32_t kCcerrTccerr = 1u << 16;
constexpr uint32_t kCcerrMask = kCcerrTccerr | 0x7u;
constexpr uint32_t kEvalBit = 1u << 0;  // IEVAL / EEVAL / ERRCMD: EVAL
constexpr uint32_t kQueueEntryEnumMask = 0x3F;
constexpr unsigned kQueueEntryEtypeShift = 6;
constexpr uint32_t kQstatStrtptrMask = 0xF;
constexpr unsigned kQstatNumvalShift = 8;
constexpr unsigned kQstatWmShift = 16;
constexpr uint32_t kQstatThrxcd = 1u << 24;
constexpr unsigned kQwmthraFieldBits = 8;  // Qn at [8n+4:8n]
constexpr uint32_t kQwmthraFieldMask = 0x1F;
constexpr uint32_t kQwmthraWritable = 0x001F1F1F;
constexpr uint32_t kCcstatEvtactv = 1u << 0;
constexpr uint32_t kCcstatQevtactv = 1u << 1;
constexpr uint32_t kCcstatTractv = 1u << 2;
constexpr uint32_t kCcstatActv = 1u << 4;
constexpr unsigned kCcstatCompactvShift = 8;
constexpr unsigned kCcstatQueactvShift = 16;
constexpr uint32_t kMpfsrWritable = 0;
constexpr uint32_t kMpfcrMpfclr = 1u << 0;
constexpr uint32_t kMppaWritable = 0xFE3Fu;  // AIDm [15:10], EXT [9], SR..UX [5:0]

// Event queue entry types (QxEy.ETYPE, §11.4.1.35).
enum class EventType : uint8_t { event = 0, manual = 1, chained = 2, qdma = 3 };

// --- PaRAM set (§11.3.3.1, Table 11-6)
// ------------------------------------------------------------
enum ParamWord : unsigned {
    kPOpt = 0,
    kPSrc = 1,
    kPAbCnt = 2,
    kPDst = 3,
    kPSrcDstBidx = 4,
    kPLinkBcntrld = 5,
    kPSrcDstCidx = 6,
    kPCcnt = 7,
};

// OPT (Table 11-7).
constexpr uint32_t kOptSam = 1u << 0;
constexpr uint32_t kOptDam = 1u << 1;
constexpr uint32_t kOptSyncdim = 1u << 2;  // 0 = A-synchronized, 1 = AB-synchronized
constexpr uint32_t kOptStatic = 1u << 3;
constexpr unsigned kOptFwidShift = 8;
constexpr uint32_t kOptFwidMask = 0x7u << 8;
constexpr uint32_t kOptTccmode = 1u << 11;  // 1 = early completion
constexpr unsigned kOptTccShift = 12;
constexpr uint32_t kOptTccMask = 0x3Fu << 12;
constexpr uint32_t kOptTcinten = 1u << 20;
constexpr uint32_t kOptItcinten = 1u << 21;
constexpr uint32_t kOptTcchen = 1u << 22;
constexpr uint32_t kOptItcchen = 1u << 23;
constexpr uint32_t kOptWritable = 0x00FFFFFFu;   // PRIV [31], PRIVID [27:24]: read-only
constexpr uint32_t kCcntWritable = 0x0000FFFFu;  // CCNT [15:0]; [31:16] reserved
constexpr uint32_t kLinkNull = 0xFFFF;           // LINK = FFFFh: NULL link (§11.3.3.2.12)
constexpr uint32_t kLinkAddressMask = 0x3FFF;    // the upper 2 bits of LINK are ignored
constexpr unsigned kFwidMaxCode = 5;             // FWID 0..5 = 8..256 bits; 6, 7 reserved

// --- TPTC
// ------------------------------------------------------------------------------------------ One 1
// MB interconnect window per TC; the registers end at 0x3D4 (Table 11-152).
constexpr uint32_t kTptcWindowSize = 0x400;

constexpr uint32_t kTcPid = 0x000;
constexpr uint32_t kTcCfg = 0x004;
constexpr uint32_t kTcSysconfig = 0x010;
constexpr uint32_t kTcStat = 0x100;
constexpr uint32_t kErrStat = 0x120;
constexpr uint32_t kErrEn = 0x124;
constexpr uint32_t kErrClr = 0x128;
constexpr uint32_t kErrDet = 0x12C;
constexpr uint32_t kErrCmd = 0x130;
constexpr uint32_t kRdRate = 0x140;
constexpr uint32_t kSaOpt = 0x240;
constexpr uint32_t kSaSrc = 0x244;
constexpr uint32_t kSaCnt = 0x248;
constexpr uint32_t kSaDst = 0x24C;
constexpr uint32_t kSaBidx = 0x250;
constexpr uint32_t kSaMpprxy = 0x254;
constexpr uint32_t kSaCntrld = 0x258;
constexpr uint32_t kSaSrcBref = 0x25C;
constexpr uint32_t kSaDstBref = 0x260;
constexpr uint32_t kDfCntrld = 0x280;
constexpr uint32_t kDfSrcBref = 0x284;
constexpr uint32_t kDfDstBref = 0x288;
constexpr uint32_t kDfBase = 0x300;  // destination FIFO set n at 0x300 + 0x40 n
constexpr uint32_t kDfStride = 0x40;
constexpr uint32_t kDfOpt = 0x00;
constexpr uint32_t kDfSrc = 0x04;
constexpr uint32_t kDfCnt = 0x08;
constexpr uint32_t kDfDst = 0x0C;
constexpr uint32_t kDfBidx = 0x10;
constexpr uint32_t kDfMpprxy = 0x14;
constexpr unsigned kDfSets = 4;  // TCCFG.DREGDEPTH = 2: 4 entries

constexpr uint32_t kTcPidReset = 0x40007C00;  // §11.4.2.1: PID[31:16] = 4000h, [15:0] = 7C00h
constexpr uint32_t kTcCfgReset = 0x224;       // §11.4.2.2: DREGDEPTH 4, BUSWIDTH 128, FIFO 512
constexpr uint32_t kTcSysconfigReset = 0x28;  // §11.4.2.3: STANDBYMODE = 2, IDLEMODE = 2
constexpr uint32_t kTcSysconfigWritable = 0x3C;
constexpr uint32_t kTcStatReset = 0x100;  // §11.4.2.4: bit 8 reserved, reads 1

constexpr uint32_t kTcStatProgbusy = 1u << 0;
constexpr uint32_t kTcStatSrcactv = 1u << 1;
constexpr uint32_t kTcStatWsactv = 1u << 2;
constexpr unsigned kTcStatDstactvShift = 4;
constexpr unsigned kTcStatDfstrtptrShift = 12;
constexpr uint32_t kErrBuserr = 1u << 0;  // ERRSTAT / ERREN / ERRCLR (§11.4.2.5-7)
constexpr uint32_t kErrTrerr = 1u << 2;
constexpr uint32_t kErrMmraerr = 1u << 3;
constexpr uint32_t kErrMask = kErrBuserr | kErrTrerr | kErrMmraerr;
constexpr uint32_t kErrDetStatMask = 0xF;  // ERRDET.STAT [3:0]: 1-7 read, 8-F write error
constexpr uint32_t kErrDetStatRead = 0x1;  // the codes this model reports (see edma.md)
constexpr uint32_t kErrDetStatWrite = 0x8;
constexpr unsigned kErrDetTccShift = 8;
constexpr uint32_t kErrDetTcinten = 1u << 16;
constexpr uint32_t kErrDetTcchen = 1u << 17;
constexpr uint32_t kRdRateMask = 0x7;  // RDRATE [2:0]: 0 = as fast as possible, 1..4 = 4..32 cycles
constexpr unsigned kRdRateMaxCode = 4;
constexpr unsigned kSaOptPriShift = 4;  // SAOPT/DFOPT: PRI [6:4]
constexpr uint32_t kSaOptKeep = kOptSam | kOptDam | kOptFwidMask | kOptTccMask | kOptTcinten |
                                kOptTcchen;  // the OPT bits SAOPT/DFOPT show
constexpr unsigned kConstAlignBytes = 32;    // SAM/DAM = CONST: addresses and BIDX 32-byte aligned

}  // namespace vp::edma
