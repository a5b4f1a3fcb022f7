// OMAP I2C master (drivers/i2c/busses/i2c-omap.c; SPRUH73 §21; am335x.md §6, §6.1), with
// the at24 board-ID reader and the TPS65217 CHIPID read on top of i2c_transfer().
//
//   probe: clock on; BUFSTAT.FIFODEPTH -> fifo_size (8 << depth) / 2; omap_i2c_init: reset
//     (CON.EN = 0, SYSC.SRST, CON = EN, poll SYSS.RDONE, SYSC rewritten), PSC/SCLL/SCLH from
//     the 48 MHz fclk (100 kHz: 11/13/15, 400 kHz: 4/9/3), WE = 0x636F, CON = EN,
//     IE = XRDY|RRDY|ARDY|NACK|AL|RDR|XDR (0x601F); request_irq on the I2C line.
//   transfer: wait for BB valid then BB = 0; per message BUF threshold + FIFO clear, SA,
//     CNT, BUF |= RXFIFO_CLR|TXFIFO_CLR, CON = EN|MST|STT (|TRX for a write, |STP on the
//     last); the interrupt handler runs omap_i2c_xfer_data (the IRQ loop of §6.1) until ARDY
//     / NACK / AL; the caller waits with wfi (timeout 1 s in jiffies). NACK: CON |= STP,
//     -EREMOTEIO; AL: -EAGAIN; ROVR/XUDF: reset, -EIO; timeout: reset, -ETIMEDOUT.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/kernel/boot.h"

namespace drivers {

// Registers (IP v2 map, SPRUH73 Table 21-8).
constexpr uint32_t OMAP_I2C_REVNB_LO = 0x00;
constexpr uint32_t OMAP_I2C_REVNB_HI = 0x04;
constexpr uint32_t OMAP_I2C_SYSC_REG = 0x10;
constexpr uint32_t OMAP_I2C_IP_V2_IRQSTATUS_RAW = 0x24;
constexpr uint32_t OMAP_I2C_STAT_REG = 0x28;  // IRQSTATUS
constexpr uint32_t OMAP_I2C_IE_REG = 0x2C;    // IRQENABLE_SET
constexpr uint32_t OMAP_I2C_IP_V2_IRQENABLE_CLR = 0x30;
constexpr uint32_t OMAP_I2C_WE_REG = 0x34;
constexpr uint32_t OMAP_I2C_SYSS_REG = 0x90;
constexpr uint32_t OMAP_I2C_BUF_REG = 0x94;
constexpr uint32_t OMAP_I2C_CNT_REG = 0x98;
constexpr uint32_t OMAP_I2C_DATA_REG = 0x9C;
constexpr uint32_t OMAP_I2C_CON_REG = 0xA4;
constexpr uint32_t OMAP_I2C_OA_REG = 0xA8;
constexpr uint32_t OMAP_I2C_SA_REG = 0xAC;
constexpr uint32_t OMAP_I2C_PSC_REG = 0xB0;
constexpr uint32_t OMAP_I2C_SCLL_REG = 0xB4;
constexpr uint32_t OMAP_I2C_SCLH_REG = 0xB8;
constexpr uint32_t OMAP_I2C_SYSTEST_REG = 0xBC;
constexpr uint32_t OMAP_I2C_BUFSTAT_REG = 0xC0;
// Status / enable bits.
constexpr uint16_t OMAP_I2C_STAT_AL = 1u << 0;
constexpr uint16_t OMAP_I2C_STAT_NACK = 1u << 1;
constexpr uint16_t OMAP_I2C_STAT_ARDY = 1u << 2;
constexpr uint16_t OMAP_I2C_STAT_RRDY = 1u << 3;
constexpr uint16_t OMAP_I2C_STAT_XRDY = 1u << 4;
constexpr uint16_t OMAP_I2C_STAT_BF = 1u << 8;
constexpr uint16_t OMAP_I2C_STAT_XUDF = 1u << 10;
constexpr uint16_t OMAP_I2C_STAT_ROVR = 1u << 11;
constexpr uint16_t OMAP_I2C_STAT_BB = 1u << 12;
constexpr uint16_t OMAP_I2C_STAT_RDR = 1u << 13;
constexpr uint16_t OMAP_I2C_STAT_XDR = 1u << 14;
constexpr uint16_t OMAP_I2C_IE_DEFAULT = OMAP_I2C_STAT_XRDY | OMAP_I2C_STAT_RRDY |
                                         OMAP_I2C_STAT_ARDY | OMAP_I2C_STAT_NACK |
                                         OMAP_I2C_STAT_AL | OMAP_I2C_STAT_RDR | OMAP_I2C_STAT_XDR;
constexpr uint16_t OMAP_I2C_WE_ALL = 0x636F;
constexpr uint16_t OMAP_I2C_SYSC_SRST = 1u << 1;
constexpr uint16_t OMAP_I2C_SYSS_RDONE = 1u << 0;
constexpr uint16_t OMAP_I2C_BUF_RXFIF_CLR = 1u << 14;
constexpr uint16_t OMAP_I2C_BUF_TXFIF_CLR = 1u << 6;
constexpr unsigned OMAP_I2C_BUF_RXTRSH_SHIFT = 8;
constexpr uint16_t OMAP_I2C_BUF_TRSH_MASK = 0x3F;
constexpr uint16_t OMAP_I2C_CON_EN = 1u << 15;
constexpr uint16_t OMAP_I2C_CON_MST = 1u << 10;
constexpr uint16_t OMAP_I2C_CON_TRX = 1u << 9;
constexpr uint16_t OMAP_I2C_CON_XA = 1u << 8;
constexpr uint16_t OMAP_I2C_CON_STP = 1u << 1;
constexpr uint16_t OMAP_I2C_CON_STT = 1u << 0;
constexpr uint16_t OMAP_I2C_SYSTEST_SCL_I_FUNC = 1u << 8;
constexpr uint16_t OMAP_I2C_SYSTEST_SDA_I_FUNC = 1u << 6;
constexpr unsigned OMAP_I2C_BUFSTAT_FIFODEPTH_SHIFT = 14;
constexpr unsigned long OMAP_I2C_FCLK = 48000000;
constexpr unsigned OMAP_I2C_TIMEOUT_MS = 1000;
constexpr unsigned OMAP_I2C_BUS_FREE_TIMEOUT_MS = 10;

// struct i2c_msg
constexpr uint16_t I2C_M_RD = 0x0001;
constexpr uint16_t I2C_M_TEN = 0x0010;
struct i2c_msg {
    uint16_t addr;
    uint16_t flags;
    uint16_t len;
    uint8_t* buf;
};

// The PSC/SCLL/SCLH omap_i2c_init computes for `speed_khz` (<= 400) from `fclk_hz`.
struct OmapI2cTiming {
    uint16_t psc, scll, sclh;
};
OmapI2cTiming omap_i2c_timing(unsigned long fclk_hz, unsigned speed_khz);

// Probes "i2cN" at `speed_khz` (100 or 400; the BeagleBone's i2c0 runs at 400). 0, -EINVAL,
// -EBUSY, -ENODEV, -ENOMEM, -ETIMEDOUT (reset) or the clock / request_irq error.
int omap_i2c_probe(const kernel::DeviceInfo& info, unsigned speed_khz = 400);
void omap_i2c_remove_all();
uint32_t omap_i2c_base(unsigned bus);
// i2c_transfer(): the number of messages done, or a negative errno.
int i2c_transfer(unsigned bus, i2c_msg* msgs, int num);

// at24: `len` bytes at `offset` of a 2-byte-addressed EEPROM (24C32 and up); 0 or -errno.
int at24_read(unsigned bus, uint16_t addr, uint16_t offset, uint8_t* buf, uint16_t len);
// The TI board-ID header (U-Boot struct ti_am_eeprom: magic 0xEE3355AA, name[8],
// version[4], serial[12], config[32], mac[3][6]).
constexpr uint32_t TI_EEPROM_HEADER_MAGIC = 0xEE3355AA;
constexpr uint16_t TI_EEPROM_ADDR = 0x50;
struct TiBoardId {
    std::string name, version, serial, config;
};
// 0, -ENODEV (bad magic) or the transfer error.
int ti_board_id_read(unsigned bus, TiBoardId& out, uint16_t addr = TI_EEPROM_ADDR);

// TPS65217 (drivers/mfd/tps65217.c): one register through regmap (write reg, read byte).
constexpr uint16_t TPS65217_I2C_ADDR = 0x24;
constexpr uint8_t TPS65217_REG_CHIPID = 0x00;
constexpr uint8_t TPS65217_CHIPID_CHIP_MASK = 0xF0;
constexpr uint8_t TPS65217_CHIPID_REV_MASK = 0x0F;
int tps65217_reg_read(unsigned bus, uint8_t reg, uint8_t& value, uint16_t addr = TPS65217_I2C_ADDR);
// The probe's CHIPID read and "TPS65217 ID %#x version 1.%d" line; CHIPID or -errno.
int tps65217_probe(unsigned bus, uint16_t addr = TPS65217_I2C_ADDR);

}  // namespace drivers
