// The typed, validated configuration of one simulated board (DESIGN.md §7).
//
//   auto cfg = vp::config::load_platform_config("beaglebone-black", {"cpu.clock_mhz=600"});
//   cfg.ddr.size;              // bytes
//   cfg.cpu.quantum_ps;        // picoseconds (SystemC: sc_time(cfg.cpu.quantum_ps, SC_PS))
//   cfg.find_region("gpio1")->irqs;
//   std::cout << cfg.to_yaml(); // --print-config
//
// Units: sizes and addresses in bytes, times in picoseconds, frequencies in MHz, latencies
// in cycles of the clock named next to them. Every failure is a ConfigError (error.h) whose
// what() is the one-line message the CLI prints before exiting with status 2.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/config/error.h"
#include "platform/config/node.h"
#include "platform/config/schema.h"
#include "sw/workloads/params.h"

namespace vp::config {

// ----- soc / board -----------------------------------------------------------------------

struct ClockConfig {
    double osc_mhz = 0;        // CLK_M_OSC (SYSBOOT[15:14])
    double core_m4_mhz = 0;    // CORE DPLL M4 output
    double per_m2_mhz = 0;     // PER DPLL M2 output
    double l3f_mhz = 0;        // L3F / L4HS
    double l3s_mhz = 0;        // L3S
    double l4_per_mhz = 0;     // L4LS (L4_PER)
    double l4_wkup_mhz = 0;    // L4_WKUP
    double l4_fast_mhz = 0;    // L4_FAST (L4HS)
    double uart_fclk_mhz = 0;  // UART functional clock
    double i2c_fclk_mhz = 0;   // I2C functional clock
    double mmc_fclk_mhz = 0;   // MMC functional clock
    double clk_32k_mhz = 0;    // CLK_32KHZ (32.768 kHz)
    double rc32k_mhz = 0;      // CLK_RC32K (on-chip RC oscillator, DMTIMER0)
};

struct SocConfig {
    std::string name;
    std::string part;
    std::uint32_t silicon_rev = 0;        // CONTROL DEVICE_ID[31:28]
    std::uint32_t device_id_partnum = 0;  // CONTROL DEVICE_ID[27:12]
    ClockConfig clocks;
};

struct EepromConfig {     // TI board-ID EEPROM fields (am335x.md §11)
    std::string name;     // 8 characters, e.g. A335BNLT
    std::string version;  // 4 characters, e.g. 00C0
    std::string serial;   // 12 characters
    std::string config;   // 32 characters
};

struct PmicConfig {
    std::string model;  // none | tps65217
    std::uint32_t address = 0;
    bool ac_power = false;
    bool usb_power = true;
};

struct LedConfig {
    std::string name;
    std::uint32_t bank = 0, pin = 0;
    bool active_low = false;
    Location location;
};

struct ButtonPress {
    std::uint64_t at_ps = 0;
    std::uint64_t duration_ps = 0;
};

struct ButtonConfig {
    std::string name;
    std::uint32_t bank = 0, pin = 0;
    bool active_low = true;
    std::vector<ButtonPress> presses;
    Location location;
};

struct BoardConfig {
    std::string name;
    std::string description;
    std::string model;  // the DT model string ("" = "TI AM335x " + name)
    EepromConfig eeprom;
    PmicConfig pmic;
    std::vector<LedConfig> leds;        // document order
    std::vector<ButtonConfig> buttons;  // document order
};

// ----- cpu / sim ---------------------------------------------------------------------------

enum class CpuMode { functional, approximate };
enum class TlbPolicy { round_robin, lru, fifo, random };

struct TlbConfig {
    std::uint32_t entries = 0;
    std::uint32_t ways = 0;  // entries == ways: fully associative
    TlbPolicy policy = TlbPolicy::round_robin;
    std::uint64_t seed = 0;  // for policy random
};

struct CacheLevelConfig {
    std::uint64_t size = 0;
    std::uint32_t ways = 0;
    std::uint32_t line = 0;
    std::uint32_t hit_cycles = 0;
    std::string replacement;  // lru | random | round_robin
};

struct CachesConfig {
    CacheLevelConfig l1i, l1d, l2;
    bool l2_present = true;
    std::uint32_t walk_overhead_cycles = 0;
};

struct FunctionalLatencyConfig {
    std::uint32_t load_cycles = 0, store_cycles = 0, fetch_line_cycles = 0, block_line_cycles = 0,
                  walk_read_cycles = 0, walk_overhead_cycles = 0;
};

struct CpuConfig {
    double clock_mhz = 0;
    CpuMode mode = CpuMode::approximate;
    std::uint64_t quantum_ps = 0;
    TlbConfig itlb;
    TlbConfig dtlb;
    bool l2_tlb = false;
    TlbConfig l2_tlb_geometry;
    std::uint32_t walk_cache_entries = 0;
    bool fast_path = true;
    bool sync_on_device = true;
    FunctionalLatencyConfig functional;
    CachesConfig caches;
};

// The guest kernel's boot options (YAML `kernel.*`).
struct KernelConfig {
    std::uint64_t image_size = 0;
    std::uint64_t cma = 0;
    std::uint64_t vmalloc = 0;
    bool highmem = true;
    std::uint32_t max_order = 11;
    std::string slub_debug;
    bool init_on_alloc = false;
    bool init_on_free = false;
    bool ttb_cacheable = true;
};

struct LogConfig {
    std::string default_level;                                 // off|error|warning|info|debug|trace
    std::vector<std::pair<std::string, std::string>> modules;  // logger name → level
};

struct SimConfig {
    std::uint64_t time_limit_ps = 0;  // 0: no limit
    bool realtime = false;            // pace simulated time to the host's clock
    LogConfig log;
};

// ----- interconnect / memory map -----------------------------------------------------------

// What an access to an address no region decodes (or to an unimplemented region) does.
enum class AccessPolicy { error, read_zero };

struct DomainConfig {
    std::string name;
    double clock_mhz = 0;
    std::string parent;                  // empty: a root domain (directly behind the initiators)
    std::uint32_t hop_cycles = 0;        // latency to cross into this domain, in its clock
    std::uint32_t occupancy_cycles = 0;  // how long one transaction keeps it busy
    std::string doc;
    Location location;
};

struct InterconnectConfig {
    AccessPolicy unmapped = AccessPolicy::error;
    std::vector<DomainConfig> domains;  // document order

    const DomainConfig* find_domain(std::string_view name) const;
    // The domains a transaction crosses to reach `name`, root first ({l3f, l3s, l4_per}).
    std::vector<const DomainConfig*> path_to(std::string_view name) const;
};

enum class RegionModel {
    ram,
    rom,
    ddr,
    emif,
    unimplemented,
    intc,
    prcm,
    control,
    gpio,
    uart,
    i2c,
    dmtimer,
    dmtimer_1ms,
    edma_tpcc,
    edma_tptc,
    wdt,
    rtc,
};
const char* region_model_name(RegionModel model);
// Every model word, in enum order (the schema's enum list).
const std::vector<std::string>& region_model_names();

struct RegionConfig {
    std::string name;
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::string domain;
    RegionModel model = RegionModel::unimplemented;
    std::vector<std::uint32_t> irqs;  // MPU INTC lines, in the order the model numbers them
    std::string clkctrl;              // "cm_per.gpio1"; empty: no clock control
    std::string doc;
    AccessPolicy unimplemented = AccessPolicy::read_zero;  // for model unimplemented
    std::uint32_t access_cycles = 0;                       // target latency, domain clock
    Location location;                                     // where the region's base is set

    std::uint64_t last() const { return base + size - 1; }  // inclusive end
    bool contains(std::uint64_t address) const { return address >= base && address - base < size; }
};

// ----- ddr -----------------------------------------------------------------------------------

enum class DdrType { ddr2, ddr3 };
enum class PagePolicy { open, closed };

struct DdrGeometry {
    std::uint32_t banks = 0;
    std::uint32_t row_bits = 0;
    std::uint32_t col_bits = 0;
    std::uint32_t bus_bits = 0;
    // banks × 2^row_bits × 2^col_bits × bus bytes
    std::uint64_t bytes() const;
};

struct DdrTiming {  // DDR clock cycles (SDRAM_TIM_1/2 fields + 1; CL, CWL: SDRAM_CONFIG)
    std::uint32_t cl = 0;
    std::uint32_t trcd = 0;
    std::uint32_t trp = 0;
    std::uint32_t tras = 0;
    std::uint32_t trc = 0;
    std::uint32_t trrd = 0;
    std::uint32_t twr = 0;
    std::uint32_t twtr = 0;
    std::uint32_t trtp = 0;
    std::uint32_t cwl = 0;  // DDR3 only
    std::uint32_t burst_length = 0;
};

struct DdrRefresh {
    bool enabled = false;
    std::uint64_t trefi_ps = 0;
    std::uint64_t trfc_ps = 0;
};

struct DdrConfig {
    DdrType type = DdrType::ddr3;
    std::string part;
    std::uint64_t size = 0;
    double clock_mhz = 0;
    PagePolicy page_policy = PagePolicy::open;
    DdrGeometry geometry;
    DdrTiming timing;
    std::uint32_t controller_cycles = 0;  // DDR clock cycles the EMIF adds to every access
    DdrRefresh refresh;
};

// ----- uart backends ---------------------------------------------------------------------

struct UartInput {
    std::uint64_t at_ps = 0;
    std::vector<std::uint8_t> bytes;
};

struct UartBackendSettings {
    std::string name;     // uart0 … uart5
    std::string backend;  // none | stdout | file | tcp | scripted
    bool stdin_input = false;
    std::string path;
    bool append = false;
    std::string address;
    std::uint32_t port = 0;
    bool echo = false;
    std::vector<UartInput> input;
    Location location;
};

// ----- the whole configuration -------------------------------------------------------------

class PlatformConfig {
  public:
    std::string board_file;  // the board file loaded (as shown in messages)
    SocConfig soc;
    BoardConfig board;
    CpuConfig cpu;
    SimConfig sim;
    InterconnectConfig interconnect;
    std::vector<RegionConfig> memory_map;  // document order
    DdrConfig ddr;
    std::vector<UartBackendSettings> uarts;  // document order
    KernelConfig kernel;
    workload::Params workload;

    const UartBackendSettings* find_uart(std::string_view name) const;
    const RegionConfig* find_region(std::string_view name) const;
    // The region that decodes `address`, or nullptr.
    const RegionConfig* region_at(std::uint64_t address) const;

    // The merged, validated tree (defaults filled in), for tools and error locations.
    const Node& tree() const { return *tree_; }
    // The merged configuration as YAML, each value commented with where it came from.
    std::string to_yaml() const;

    // Validates a merged tree (schema, then semantic checks) and builds the typed view.
    static PlatformConfig from_tree(Node tree, std::string board_file);

  private:
    std::shared_ptr<const Node> tree_;
};

struct BoardInfo {
    std::string stem;         // file name without .yaml: what --board takes
    std::string name;         // board.name
    std::string description;  // board.description, or the error if the file does not load
    std::string path;
    bool valid = true;
};

// The configs directory: $VP_CONFIG_DIR, else the source tree's configs/ (compile time).
std::string config_dir();
// A path is used as is; a bare name ("beaglebone") means <config dir>/boards/<name>.yaml.
std::string resolve_board(const std::string& board);

// Reads `board` (path or bare name) with its extends chain, applies the --set overrides
// ("key.path=value", in order), validates and returns the typed configuration.
PlatformConfig load_platform_config(const std::string& board,
                                    const std::vector<std::string>& sets = {});

// The merged tree of a file and its extends chain, with overrides, not validated.
Node load_config_tree(const std::string& path, const std::vector<std::string>& sets = {},
                      const Location& requested_at = Location::command_line_board());

// Applies one "key.path=value" override; `index` (1-based) names it in messages.
void apply_set(Node& root, const std::string& assignment, int index);

// Every <config dir>/boards/*.yaml, sorted by stem, for --list-boards.
std::vector<BoardInfo> list_boards();

// The schema of a platform configuration (platform_schema.cpp).
const Schema& platform_schema();

// docs/config-keys.md: every key with type, default, range and doc, as Markdown.
std::string schema_markdown();

// The default board when none is given.
inline constexpr const char* kDefaultBoard = "beaglebone-black";

}  // namespace vp::config
