// The SDRAM behind EMIF0 (window 0x80000000, reference/am335x.md §1.1), with a bank/row
// timing model. docs/models/ddr.md.
//
// The target sees offsets from 0. Storage is a MemoryStorage (lazy, see memory.h); each
// b_transport gets its latency from the bank state at t = sc_time_stamp() + delay:
//
//   row hit       : ctrl + CL + transfer
//   row closed    : ctrl + tRCD + CL + transfer
//   row conflict  : ctrl + tRP + tRCD + CL + transfer
//     (precharge no earlier than activate + tRAS, two activates of a bank >= tRC apart,
//      activates of different banks >= tRRD apart, data bursts never overlap on the bus)
//   transfer      : bursts x BL/2 clocks (a burst moves BL x bus_bytes bytes, 2 beats/clock)
//   writes        : CWL (DDR3) or CL-1 (DDR2) in place of CL; precharge waits tWR after the
//                   last write data, a read waits tWTR after it
//
// Address mapping is EMIF4D's with REG_IBANK_POS=0 / REG_EBANK_POS=0 (SPRUH73 §7.3.3.4.1,
// Table 7-211): from the least significant bit, byte-in-word (bus width), column
// (col_bits), bank (log2 banks), row (the remaining bits).
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/stats.h"
#include "models/memory/memory.h"

namespace vp {

enum class DdrType : uint8_t { ddr2, ddr3 };
enum class PagePolicy : uint8_t { open, closed };

const char* ddr_type_name(DdrType t);                        // "ddr2" | "ddr3"
bool parse_ddr_type(const std::string& text, DdrType& out);  // false on an unknown name
const char* page_policy_name(PagePolicy p);                  // "open" | "closed"
bool parse_page_policy(const std::string& text, PagePolicy& out);

// Organisation of the SDRAM as EMIF4D addresses it (SDRAM_CONFIG fields, SPRUH73 Table 7-224).
struct DdrGeometry {
    unsigned banks = 8;      // internal banks: 1, 2, 4, 8        (reg_ibank)
    unsigned row_bits = 15;  // 9..16                             (reg_rowsize)
    unsigned col_bits = 10;  // 8..11                             (reg_pagesize)
    unsigned bus_bytes = 2;  // data bus: 2 (16-bit) or 4 (32-bit) (reg_narrow_mode)

    uint64_t capacity() const {
        return (static_cast<uint64_t>(banks) << (row_bits + col_bits)) * bus_bytes;
    }
    // Bytes of one row of one bank (a "page").
    uint64_t page_bytes() const { return (static_cast<uint64_t>(1) << col_bits) * bus_bytes; }
};

// JEDEC timings in DDR clock cycles (tCK). Defaults: BeagleBone Black DDR3-800
// (SDRAM_TIM_1 = 0x0AAAD4DB, SDRAM_CONFIG = 0x61C05332 as U-Boot programs them).
struct DdrTiming {
    unsigned cl = 6;            // CAS (read) latency
    unsigned cwl = 5;           // CAS write latency, DDR3 only (DDR2 writes use CL-1)
    unsigned trcd = 6;          // activate → read/write
    unsigned trp = 6;           // precharge → activate/refresh
    unsigned tras = 14;         // activate → precharge (minimum)
    unsigned trc = 20;          // activate → activate, same bank
    unsigned trrd = 4;          // activate → activate, different banks
    unsigned twr = 6;           // last write data → precharge
    unsigned twtr = 4;          // last write data → read command
    unsigned trtp = 4;          // read command → precharge
    unsigned burst_length = 8;  // beats per burst (the EMIF programs BL8)
};

struct DdrRefresh {
    bool enabled = false;    // auto-refresh every tREFI (closes all rows, blocks tRFC)
    double trefi_ns = 7800;  // refresh interval
    double trfc_ns = 260;    // refresh cycle time (rounded up to whole clocks)
};

// EMIF/PHY overhead per access in DDR clocks (command FIFO, asynchronous OCP/DDR clock
// crossing, scheduler, PHY read path). A choice: see docs/models/ddr.md.
inline constexpr unsigned kDdrDefaultControllerCycles = 16;

struct DdrParams {
    uint64_t size = 512ull << 20;  // bytes (the board's DDR size)
    DdrType type = DdrType::ddr3;
    double clock_mhz = 400;  // DDR clock (DDR3-800: 400 MHz, tCK 2.5 ns)
    DdrGeometry geometry;
    DdrTiming timing;
    unsigned controller_cycles = kDdrDefaultControllerCycles;
    PagePolicy page_policy = PagePolicy::open;
    DdrRefresh refresh;
    std::string stat_prefix;  // statistics prefix; empty: the module name
};

// Throws std::invalid_argument naming the first bad parameter, e.g.
// "ddr.geometry.banks: must be 1, 2, 4 or 8 (got 3)".
void validate_ddr_params(const DdrParams& p, const std::string& what = "ddr");

class Ddr : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<Ddr> socket;

    // Throws std::invalid_argument for bad parameters (validate_ddr_params).
    Ddr(sc_core::sc_module_name name, const DdrParams& params);

    const DdrParams& params() const { return params_; }
    DdrType type() const { return params_.type; }
    const DdrTiming& timing() const { return params_.timing; }
    const DdrGeometry& geometry() const { return params_.geometry; }

    // Run-time reconfiguration (the EMIF's registers). Each validates (std::invalid_argument,
    // state unchanged), takes effect at the next access and invalidates granted DMI regions
    // (their latencies change).
    void set_type(DdrType t);
    void set_timing(const DdrTiming& t);
    void set_geometry(const DdrGeometry& g);
    void configure(DdrType t, const DdrGeometry& g, const DdrTiming& tm);  // all at once
    void set_refresh(const DdrRefresh& r);
    void set_page_policy(PagePolicy p);
    void set_clock_mhz(double mhz);
    void set_controller_cycles(unsigned n);
    // Precharge-all: every bank closed (the EMIF's SDRAM initialisation sequence).
    void close_all_rows();

    struct Location {
        unsigned bank;
        uint64_t row;
        uint32_t column;  // in bus words
    };
    Location decode(uint64_t offset) const;

    sc_core::sc_time clock_period() const { return sc_core::sc_time::from_value(tck_); }
    // Write latency in clocks: CWL for DDR3, CL-1 for DDR2 (JEDEC WL = RL-1, AL = 0).
    unsigned write_latency_cycles() const;
    // The fixed latencies given to DMI users (they bypass the bank model): a row hit of
    // one burst, ctrl + CL (or write latency) + BL/2 clocks.
    sc_core::sc_time dmi_read_latency() const;
    sc_core::sc_time dmi_write_latency() const;

    uint8_t* host_ptr() { return store_.data(); }
    uint64_t size() const { return store_.size(); }
    void load(uint64_t offset, const void* bytes, size_t len) { store_.load(offset, bytes, len); }
    MemoryStorage& storage() { return store_; }
    Logger& log() { return log_; }

    // Event counts since construction, never reset by the statistics registry: the EMIF's
    // performance counters read them.
    struct Counts {
        uint64_t reads = 0;
        uint64_t writes = 0;
        uint64_t activations = 0;
        uint64_t data_cycles = 0;  // DDR clocks the data bus carried data
    };
    const Counts& counts() const { return counts_; }
    uint64_t row_hits() const { return row_hits_.get(); }
    uint64_t row_misses() const { return row_misses_.get(); }
    uint64_t row_conflicts() const { return row_conflicts_.get(); }
    uint64_t refreshes() const { return refreshes_.get(); }
    const stats::IntHistogram& latency_stats() const { return latency_; }

  private:
    struct Bank {
        bool open = false;
        uint64_t row = 0;
        uint64_t act_ok = 0;  // earliest ACTIVATE (tRC, precharge done, refresh done)
        uint64_t pre_ok = 0;  // earliest PRECHARGE (tRAS, tWR, tRTP)
        uint64_t col_ok = 0;  // earliest READ/WRITE (tRCD)
    };

    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);

    // Times below are in SystemC resolution units (sc_time::value()).
    [[gnu::always_inline]] inline uint64_t schedule(uint64_t addr, unsigned len, unsigned sw,
                                                    bool write, uint64_t t);
    [[gnu::always_inline]] inline uint64_t segment(uint64_t addr, uint64_t bursts, bool write,
                                                   uint64_t t0);
    void refresh_until(uint64_t t0);
    void derive();  // recomputes the cached tick values and address shifts
    void invalidate_dmi();

    DdrParams params_;
    Logger log_;
    MemoryStorage store_;
    std::vector<Bank> banks_;

    // Cached derived values (ticks = SystemC time resolution units).
    double res_ps_ = 1;
    uint64_t tck_ = 0;
    uint64_t ctrl_ = 0, cl_ = 0, wl_ = 0, trcd_ = 0, trp_ = 0, tras_ = 0, trc_ = 0, trrd_ = 0;
    uint64_t twr_ = 0, twtr_ = 0, trtp_ = 0, burst_ticks_ = 0, trefi_ = 0, trfc_ = 0;
    unsigned burst_clocks_ = 4;
    unsigned byte_bits_ = 1, burst_shift_ = 4, page_shift_ = 11, bank_shift_ = 11, row_shift_ = 14;
    uint64_t bank_mask_ = 7;
    bool closed_page_ = false;
    bool refresh_on_ = false;

    // Shared state.
    uint64_t bus_free_ = 0;      // data bus free
    uint64_t rrd_ok_ = 0;        // earliest ACTIVATE to any bank (tRRD)
    uint64_t wtr_ok_ = 0;        // earliest READ after the last write (tWTR)
    uint64_t next_refresh_ = 0;  // time of the next auto-refresh

    // The sc_time of the last latency (sc_time::from_value is not inline; latencies repeat).
    uint64_t last_lat_ = 0;
    sc_core::sc_time last_lat_time_ = sc_core::SC_ZERO_TIME;

    Counts counts_;
    stats::Counter row_hits_;
    stats::Counter row_misses_;
    stats::Counter row_conflicts_;
    stats::Counter refreshes_;
    stats::Formula row_hit_rate_;
    stats::IntHistogram latency_;  // samples in ticks, reported in ns
};

}  // namespace vp
