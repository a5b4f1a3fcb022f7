// The schema of a platform configuration: every key a board file may hold, its type,
// default, range and one-line documentation. docs/config-keys.md is generated from it.
//
// Ranges come from the hardware where it has one (INTC has 128 lines, SDRAM_TIM_1 field
// widths, SDRAM_CONFIG field encodings, the OPP table) and are otherwise sanity bounds.
#include <fmt/format.h>

#include "platform/config/platform_config.h"
#include "platform/config/values.h"

namespace vp::config {
namespace {

// Hardware limits used as schema bounds.
constexpr long double kMaxAddress = 0xFFFFFFFFULL;  // 32-bit physical address space
constexpr long double kIntcLines = 128;             // MPU INTC inputs (am335x.md §8)
constexpr long double kMaxTlbEntries = 4096;        // study geometries up to 4096 entries
constexpr long double kMinMpuMhz = 300;             // OPP50 (am335x.md §12)
constexpr long double kMaxMpuMhz = 1000;            // Nitro (am335x.md §12)
constexpr long double kMaxDdrMhz = 400;             // DDR3-800, the fastest in am335x.md §12
constexpr long double kMinDdrMhz = 100;
constexpr long double kMaxCycles = 100000;
constexpr long double kNs = kPsPerNs;
constexpr long double kUs = kPsPerUs;
constexpr long double kS = kPsPerS;

Schema clocks_schema() {
    const auto clock = [](const char* doc, const char* def) {
        return Schema::frequency(doc).range(0.001L, 2000).def(def);
    };
    return Schema::map(
        "Reference and derived clocks (am335x.md §12), as the clock models report them",
        {
            field("osc_mhz", Schema::frequency("CLK_M_OSC, the main crystal (SYSBOOT[15:14])")
                                 .choices({19.2L, 24, 25, 26})
                                 .def("24")),
            field("core_m4_mhz", clock("CORE DPLL M4 output (L3F/L4HS source)", "200")),
            field("per_m2_mhz", clock("PER DPLL M2 output (peripheral functional clocks)", "192")),
            field("l3f_mhz", clock("L3F interconnect clock (CORE M4)", "200")),
            field("l3s_mhz", clock("L3S interconnect clock (CORE M4 / 2)", "100")),
            field("l4_per_mhz", clock("L4LS / L4_PER interconnect clock (CORE M4 / 2)", "100")),
            field("l4_wkup_mhz", clock("L4_WKUP interconnect clock (CORE M4 / 2)", "100")),
            field("l4_fast_mhz", clock("L4_FAST / L4HS interconnect clock (CORE M4)", "200")),
            field("uart_fclk_mhz", clock("UART functional clock (PER M2 / 4)", "48")),
            field("i2c_fclk_mhz", clock("I2C functional clock (PER M2 / 4)", "48")),
            field("mmc_fclk_mhz", clock("MMC functional clock (PER M2 / 2)", "96")),
            field("clk_32k_mhz", clock("CLK_32KHZ (32.768 kHz)", "0.032768")),
            field("rc32k_mhz", clock("CLK_RC32K, the on-chip RC oscillator of DMTIMER0", "0.032")),
        });
}

Schema soc_schema() {
    return Schema::map(
        "The SoC: identification and clocks",
        {
            field("name", Schema::string("SoC family name").def("AM335x")),
            field("part", Schema::string("Part number, e.g. AM3358").def("AM3358")),
            field("silicon_rev",
                  Schema::uinteger(
                      "DEVICE_ID[31:28]: 0 = PG1.0, 1 = PG2.0, 2 = PG2.1 (am335x.md §10)")
                      .range(0, 15)
                      .def("2")),
            field("device_id_partnum",
                  Schema::uinteger("DEVICE_ID[27:12] part number (am335x.md §10)")
                      .hex()
                      .range(0, 0xFFFF)
                      .def("0xB944")),
            field("clocks", clocks_schema()),
        });
}

Schema board_schema() {
    constexpr std::size_t kEepromName = 8;  // struct ti_am_eeprom, am335x.md §11
    constexpr std::size_t kEepromVersion = 4;
    constexpr std::size_t kEepromSerial = 12;
    constexpr std::size_t kEepromConfig = 32;
    return Schema::map(
        "The board built around the SoC",
        {
            field("name", Schema::string("Board name shown by --list-boards").required()),
            field("description", Schema::string("One line about the board").def("\"\"")),
            field("model", Schema::string("The device tree's model string the kernel prints "
                                          "(\"Machine model: ...\"); empty: \"TI AM335x \" + name")
                               .def("\"\"")),
            field("eeprom",
                  Schema::map("Contents of the TI board-ID EEPROM on I2C0 0x50 (am335x.md §11)",
                              {
                                  field("name", Schema::string("Board name field (offset 4)")
                                                    .max_length(kEepromName)
                                                    .required()),
                                  field("version", Schema::string("Version field (offset 12)")
                                                       .max_length(kEepromVersion)
                                                       .def("\"\"")),
                                  field("serial", Schema::string("Serial number field (offset 16)")
                                                      .max_length(kEepromSerial)
                                                      .def("\"\"")),
                                  field("config", Schema::string("Configuration field (offset 28)")
                                                      .max_length(kEepromConfig)
                                                      .def("\"\"")),
                              })),
            field(
                "leds",
                Schema::dict(
                    "led", "LEDs on GPIO outputs (BeagleBones: USR0-3 on GPIO1_21-24)",
                    Schema::map(
                        "One LED",
                        {
                            field("bank", Schema::uinteger("GPIO bank 0-3").range(0, 3).required()),
                            field("pin", Schema::uinteger("Pin 0-31").range(0, 31).required()),
                            field("active",
                                  Schema::enumeration({"high", "low"}, "Pin level that lights it")
                                      .def("high")),
                        }))),
            field(
                "buttons",
                Schema::dict(
                    "button", "Buttons on GPIO inputs, pressed at given simulated times",
                    Schema::map(
                        "One button",
                        {
                            field("bank", Schema::uinteger("GPIO bank 0-3").range(0, 3).required()),
                            field("pin", Schema::uinteger("Pin 0-31").range(0, 31).required()),
                            field("active", Schema::enumeration({"high", "low"},
                                                                "Pin level while pressed (low: the "
                                                                "pin idles high through a pull-up)")
                                                .def("low")),
                            field("press",
                                  Schema::seq(
                                      "Presses",
                                      Schema::map(
                                          "One press",
                                          {
                                              field("at", Schema::time("When").required()),
                                              field("for",
                                                    Schema::time("How long").min(kNs).def("10ms")),
                                          }))
                                      .def("[]")),
                        }))),
            field("pmic",
                  Schema::map(
                      "The power-management IC on I2C0 (am335x.md §11)",
                      {
                          field("model", Schema::enumeration(
                                             {"none", "tps65217"},
                                             "PMIC model: tps65217 (BeagleBones) at 0x24; "
                                             "none: nothing answers")
                                             .def("none")),
                          field("address", Schema::uinteger("7-bit I2C address")
                                               .hex()
                                               .range(0x08, 0x77)
                                               .def("0x24")),
                          field("ac_power", Schema::boolean("STATUS.ACPWR: 5 V barrel "
                                                            "jack present")
                                                .def("false")),
                          field("usb_power",
                                Schema::boolean("STATUS.USBPWR: powered from USB").def("true")),
                      })),
        });
}

// The geometry and replacement keys of a TLB, with its default entries and ways.
std::vector<Schema> tlb_fields(const char* entries, const char* ways) {
    return {
        field("entries",
              Schema::uinteger("Number of entries").range(1, kMaxTlbEntries).def(entries)),
        field("ways", Schema::uinteger("Associativity; equal to entries = fully associative")
                          .range(1, kMaxTlbEntries)
                          .def(ways)),
        field("policy",
              Schema::enumeration({"round_robin", "lru", "fifo", "random"}, "Victim selection")
                  .def("round_robin")),
        field("seed", Schema::uinteger("Seed of the random policy").def("1")),
    };
}

Schema tlb_schema(const char* what) {
    return Schema::map(fmt::format("{} geometry and replacement (Cortex-A8: 32 entries, fully "
                                   "associative, round-robin)",
                                   what),
                       tlb_fields("32", "32"));
}

Schema l2_tlb_schema() {
    std::vector<Schema> fields = tlb_fields("512", "4");
    fields.insert(fields.begin(),
                  field("enabled", Schema::boolean("Build the L2 TLB").def("false")));
    return Schema::map(
        "A unified second-level TLB behind the I- and D-TLBs (a study option: the Cortex-A8 has "
        "none)",
        std::move(fields));
}

Schema cache_level_schema(const char* what, const char* size, const char* ways,
                          const char* hit_cycles) {
    return Schema::map(
        what,
        {
            field("size", Schema::size("Capacity").range(1024, 64.0L * 1024 * 1024).def(size)),
            field("ways", Schema::uinteger("Associativity").range(1, 64).def(ways)),
            field("line", Schema::size("Line size").range(16, 256).def("64")),
            field("hit_cycles", Schema::uinteger("Lookup latency in core cycles (hit or miss)")
                                    .range(0, 1000)
                                    .def(hit_cycles)),
            field("replacement", Schema::enumeration({"lru", "random", "round_robin"},
                                                     "Victim selection (the A8 uses random)")
                                     .def("random")),
        });
}

Schema caches_schema() {
    return Schema::map(
        "Cache timing model of approximate mode (tag arrays only; docs/models/cache.md)",
        {
            field("l1i", cache_level_schema("L1 instruction cache", "32KiB", "4", "3")),
            field("l1d", cache_level_schema("L1 data cache", "32KiB", "4", "3")),
            field("l2", cache_level_schema("Unified L2 cache", "256KiB", "8", "8")),
            field("l2_present",
                  Schema::boolean("false: a configuration without L2 (walks and misses go to "
                                  "memory)")
                      .def("true")),
            field("walk_overhead_cycles",
                  Schema::uinteger("Cycles a table walk costs on top of its descriptor reads "
                                   "(8 + 2 x L2 hit 8 = the A8's 24-cycle walk)")
                      .range(0, 1000)
                      .def("8")),
        });
}

Schema functional_latency_schema() {
    auto cycles = [](const char* doc, const char* def) {
        return Schema::uinteger(doc).range(0, 100000).def(def);
    };
    return Schema::map(
        "Fixed costs of functional mode, in core cycles",
        {
            field("load_cycles", cycles("A load (an L1-D hit)", "3")),
            field("store_cycles", cycles("A posted store", "1")),
            field("fetch_line_cycles", cycles("Per 64-byte line of instructions", "0")),
            field("block_line_cycles", cycles("Per cache line of copy/fill", "4")),
            field("walk_read_cycles", cycles("Per descriptor read of a table walk", "8")),
            field("walk_overhead_cycles", cycles("Per table walk", "8")),
        });
}

Schema kernel_schema() {
    return Schema::map(
        "The guest kernel's boot options (the command line of a Linux boot; docs/guest/)",
        {
            field("image_size",
                  Schema::size("Kernel image (text to bss) reserved from PHYS_OFFSET + 0x8000")
                      .range(64 * 1024, 64.0L * 1024 * 1024)
                      .def("12MiB")),
            field("cma", Schema::size("Global CMA area for the DMA API (CONFIG_CMA_SIZE_MBYTES); "
                                      "0 = none")
                             .range(0, 256.0L * 1024 * 1024)
                             .def("24MiB")),
            field("vmalloc", Schema::size("Size of the vmalloc area (`vmalloc=`, at least 16 MiB)")
                                 .range(16.0L * 1024 * 1024, 1024.0L * 1024 * 1024)
                                 .def("240MiB")),
            field(
                "highmem",
                Schema::boolean("CONFIG_HIGHMEM: RAM above the lowmem limit is used").def("true")),
            field("max_order", Schema::uinteger("ARCH_FORCE_MAX_ORDER: largest buddy order")
                                   .range(1, 14)
                                   .def("11")),
            field("slub_debug",
                  Schema::string("The slub_debug= option (\"FZPU\", \"Z,kmalloc-64\" ...); "
                                 "empty = off")
                      .def("\"\"")),
            field("init_on_alloc", Schema::boolean("init_on_alloc=1").def("false")),
            field("init_on_free", Schema::boolean("init_on_free=1").def("false")),
            field("ttb_cacheable",
                  Schema::boolean("Table walks cacheable (TTBR IRGN/RGN write-back, as Linux's "
                                  "TTB_FLAGS); false = walks read DDR (the walk-cost study)")
                      .def("true")),
        });
}

Schema workload_schema() {
    const std::vector<std::string> allocs{"kmalloc", "vmalloc", "user"};
    return Schema::map(
        "What the CPU runs (`--workload NAME`; `--list-workloads`)",
        {
            field("name", Schema::enumeration(
                              {"none", "boot", "tlb-scan", "pointer-chase", "alloc-stress"},
                              "The workload; none = the CPU idles (register scripts, bare SoC)")
                              .def("boot")),
            field(
                "boot",
                Schema::map(
                    "The default workload: a board's boot log, drivers, self-tests",
                    {
                        field("heartbeat", Schema::time("How long USR0 blinks with the timer tick")
                                               .range(0, 100 * kS)
                                               .def("300ms")),
                        field("self_tests",
                              Schema::boolean("Run the allocator and DMA self-tests").def("true")),
                        field("shell", Schema::boolean("End with a console shell on UART0 "
                                                       "(commands until `halt`)")
                                           .def("false")),
                    })),
            field("tlb_scan",
                  Schema::map(
                      "Scan a buffer (TLB and page-walk studies)",
                      {
                          field("alloc",
                                Schema::enumeration(allocs,
                                                    "kmalloc: lowmem, 1 MiB sections; vmalloc: "
                                                    "4 KiB pages; user: a demand-paged mmap")
                                    .def("vmalloc")),
                          field("size", Schema::size("Buffer size (the working set)")
                                            .range(4, 512.0L * 1024 * 1024)
                                            .def("4MiB")),
                          field("stride", Schema::size("Bytes between accesses (strided pattern)")
                                              .range(1, 512.0L * 1024 * 1024)
                                              .def("4KiB")),
                          field("pattern",
                                Schema::enumeration({"sequential", "strided", "random"},
                                                    "sequential: every word; strided: one "
                                                    "access per stride; random: uniformly "
                                                    "random words")
                                    .def("strided")),
                          field("seed", Schema::uinteger("Seed of the random pattern").def("1")),
                          field("write", Schema::boolean("Stores instead of loads").def("false")),
                          field("repeat", Schema::uinteger("Passes over the buffer after one "
                                                           "warm-up pass")
                                              .range(1, 1000000)
                                              .def("4")),
                      })),
            field(
                "pointer_chase",
                Schema::map(
                    "Dependent loads around a random cycle (latency-bound)",
                    {
                        field("alloc",
                              Schema::enumeration(allocs, "Where the nodes live").def("vmalloc")),
                        field("size", Schema::size("Buffer size")
                                          .range(64, 512.0L * 1024 * 1024)
                                          .def("4MiB")),
                        field(
                            "stride",
                            Schema::size("Bytes between nodes").range(4, 1024.0L * 1024).def("64")),
                        field("seed", Schema::uinteger("Seed of the random cycle").def("1")),
                        field("steps",
                              Schema::uinteger("Loads to make").range(1, 1e12).def("1000000")),
                    })),
            field(
                "alloc_stress",
                Schema::map(
                    "Mixed kmalloc/kfree/vmalloc/vfree/page allocations",
                    {
                        field("seed", Schema::uinteger("Seed").def("1")),
                        field(
                            "ops",
                            Schema::uinteger("Allocations and frees").range(1, 1e12).def("20000")),
                        field(
                            "max_live",
                            Schema::uinteger("Allocations alive at once").range(1, 1e6).def("256")),
                        field("max_kmalloc", Schema::size("Largest kmalloc")
                                                 .range(1, 8.0L * 1024 * 1024)
                                                 .def("16KiB")),
                        field("max_vmalloc", Schema::size("Largest vmalloc")
                                                 .range(1, 64.0L * 1024 * 1024)
                                                 .def("256KiB")),
                        field("max_order",
                              Schema::uinteger("Largest alloc_pages order").range(0, 11).def("3")),
                    })),
        });
}

Schema cpu_schema() {
    return Schema::map(
        "The Cortex-A8 MPU",
        {
            field("clock_mhz", Schema::frequency("MPU clock (OPP50 300 .. Nitro 1000 MHz)")
                                   .range(kMinMpuMhz, kMaxMpuMhz)
                                   .required()),
            field("mode", Schema::enumeration({"functional", "approximate"},
                                              "functional: behaviour only, no latencies annotated "
                                              "(fastest); approximate: cache, TLB, interconnect "
                                              "and DDR latencies annotated")
                              .def("functional")),
            field("quantum",
                  Schema::time("Temporal-decoupling quantum of the CPU (tlm_quantumkeeper)")
                      .range(kNs, kS)
                      .def("1us")),
            field("itlb", tlb_schema("Instruction TLB")),
            field("dtlb", tlb_schema("Data TLB")),
            field("l2_tlb", l2_tlb_schema()),
            field("walk_cache",
                  Schema::map("A page-walk cache of L1 descriptors (a study option: the Cortex-A8 "
                              "has none)",
                              {
                                  field("entries", Schema::uinteger("Entries; 0 = no walk cache")
                                                       .range(0, kMaxTlbEntries)
                                                       .def("0")),
                              })),
            field("fast_path",
                  Schema::boolean("Inline host soft-TLB for TLB hits on RAM (functional mode "
                                  "only; statistics stay exact)")
                      .def("true")),
            field("sync_on_device",
                  Schema::boolean("Synchronise with SystemC time before every Device or "
                                  "Strongly-ordered access (exact timer and UART timing)")
                      .def("true")),
            field("functional", functional_latency_schema()),
            field("caches", caches_schema()),
        });
}

Schema sim_schema() {
    const std::vector<std::string> levels{"off", "error", "warning", "info", "debug", "trace"};
    return Schema::map(
        "The simulation run",
        {
            field(
                "time_limit",
                Schema::time("Simulated time after which the run stops; 0 = no limit").def("10ms")),
            field("realtime",
                  Schema::boolean("Pace simulated time to the host's clock (never ahead of it): "
                                  "for interactive consoles (UART tcp/stdin backends)")
                      .def("false")),
            field(
                "log",
                Schema::map(
                    "Logging verbosity",
                    {
                        field("default",
                              Schema::enumeration(levels, "Level of every logger").def("warning")),
                        field("modules", Schema::dict("logger", "Level per logger name",
                                                      Schema::enumeration(levels, "Level"),
                                                      Schema::KeyStyle::any)),
                    })),
        });
}

Schema interconnect_schema() {
    return Schema::map(
        "The L3/L4 interconnect: clock domains and their latencies",
        {
            field("unmapped", Schema::enumeration(
                                  {"error", "read_zero"},
                                  "An access no region decodes: error = TLM_ADDRESS_ERROR_RESPONSE "
                                  "(logged once per hole), read_zero = reads 0, writes ignored")
                                  .def("error")),
            field(
                "domains",
                Schema::dict(
                    "domain",
                    "Interconnect clock domains; a transaction crosses every domain "
                    "from the root to its region's domain",
                    Schema::map(
                        "An interconnect clock domain",
                        {
                            field("clock_mhz", Schema::frequency("Clock of the domain")
                                                   .range(0.001L, 2000)
                                                   .required()),
                            field("parent", Schema::string("Domain this one hangs off; ~ = root "
                                                           "(directly behind the initiators)")
                                                .nullable()
                                                .def("~")),
                            field("hop_cycles", Schema::uinteger("Cycles (of this domain's clock) "
                                                                 "to cross into this domain")
                                                    .range(0, kMaxCycles)
                                                    .def("1")),
                            field("occupancy_cycles",
                                  Schema::uinteger("Cycles one transaction keeps the domain busy "
                                                   "(contention)")
                                      .range(0, kMaxCycles)
                                      .def("1")),
                            field("doc", Schema::string("What the domain is").def("\"\"")),
                        }))),
        });
}

Schema region_schema() {
    return Schema::map(
        "A region of the physical address map",
        {
            field("base", Schema::uinteger("Physical base address (4 KiB aligned)")
                              .hex()
                              .range(0, kMaxAddress)
                              .required()),
            field("size", Schema::size("Size in bytes (4 KiB multiple); for model ddr it "
                                       "defaults to ddr.size")
                              .min(1)
                              .optional()),
            field("domain", Schema::string("Interconnect domain the region sits in "
                                           "(a key of interconnect.domains)")
                                .required()),
            field("model",
                  Schema::enumeration(region_model_names(), "Model that implements it").required()),
            field("irq", Schema::seq("MPU INTC lines the module drives (am335x.md §1, §8)",
                                     Schema::uinteger("INTC line").range(0, kIntcLines - 1))
                             .def("[]")),
            field("clkctrl", Schema::string("PRCM clock-control register gating it, "
                                            "<cm>.<module> (e.g. cm_per.gpio1); empty = none")
                                 .def("\"\"")),
            field("doc", Schema::string("What the region is").def("\"\"")),
            field("unimplemented",
                  Schema::enumeration({"read_zero", "error"},
                                      "For model unimplemented: read_zero = reads 0 and writes are "
                                      "ignored (logged once), error = TLM_GENERIC_ERROR_RESPONSE")
                      .def("read_zero")),
            field("access_cycles",
                  Schema::uinteger("Target response time in cycles of the domain clock "
                                   "(RAM/ROM/registers; DDR uses ddr.timing instead)")
                      .range(0, kMaxCycles)
                      .def("1")),
        });
}

Schema ddr_schema() {
    const auto cycles = [](const char* doc, long double hi) {
        return Schema::uinteger(doc).range(1, hi).required();
    };
    constexpr long double kField3 = 8;   // 3-bit "minus one" field of SDRAM_TIM_1/2
    constexpr long double kField4 = 16;  // 4-bit
    constexpr long double kField5 = 32;  // 5-bit
    constexpr long double kField6 = 64;  // 6-bit
    constexpr long double kMinCl = 2;    // DDR2 CL 2 (SDRAM_CONFIG reg_cl)
    constexpr long double kMaxCl = 11;   // DDR3 CL 11 (SDRAM_CONFIG reg_cl)
    constexpr long double kMinCwl = 5;   // SDRAM_CONFIG reg_cwl 0..3 = CWL 5..8
    constexpr long double kMaxCwl = 8;
    return Schema::map(
        "External SDRAM behind EMIF0 (0x80000000, at most 1 GiB)",
        {
            field("type", Schema::enumeration({"ddr2", "ddr3"}, "SDRAM type (SDRAM_CONFIG[31:29])")
                              .required()),
            field("part", Schema::string("Memory part the timings come from").def("\"\"")),
            field("size",
                  Schema::size("Total size; must equal the geometry and fit the 1 GiB window")
                      .min(1)
                      .required()),
            field("clock_mhz",
                  Schema::frequency("DDR clock (DDR PLL M2): 266 for DDR2-533, 400 for DDR3-800")
                      .range(kMinDdrMhz, kMaxDdrMhz)
                      .required()),
            field("page_policy", Schema::enumeration({"open", "closed"},
                                                     "open: rows stay open after an access; "
                                                     "closed: auto-precharge")
                                     .def("open")),
            field("geometry",
                  Schema::map(
                      "Organisation of the SDRAM (SDRAM_CONFIG, TRM Table 7-224)",
                      {
                          field("banks", Schema::uinteger("Internal banks (reg_ibank)")
                                             .choices({1, 2, 4, 8})
                                             .required()),
                          field("row_bits", Schema::uinteger("Row address bits (reg_rowsize)")
                                                .range(9, 16)
                                                .required()),
                          field("col_bits", Schema::uinteger("Column address bits (reg_pagesize)")
                                                .range(8, 11)
                                                .required()),
                          field("bus_bits", Schema::uinteger("Data bus width (reg_narrow_mode)")
                                                .choices({16, 32})
                                                .required()),
                      })),
            field("timing",
                  Schema::map(
                      "SDRAM timings in DDR clock cycles (SDRAM_TIM_1/2 fields + 1, TRM "
                      "Tables 7-228 and 7-230; CL and CWL from SDRAM_CONFIG)",
                      {
                          field("cl", cycles("CAS latency", kMaxCl).min(kMinCl)),
                          field("trcd", cycles("Activate to read/write", kField4)),
                          field("trp", cycles("Precharge to activate", kField4)),
                          field("tras", cycles("Activate to precharge (≥ trcd)", kField5)),
                          field("trc", cycles("Activate to activate, same bank", kField6)),
                          field("trrd", cycles("Activate to activate, other bank", kField3)),
                          field("twr", cycles("Last write data to precharge", kField4)),
                          field("twtr", cycles("Last write data to read (T_WTR)", kField3)),
                          field("trtp", cycles("Read to precharge (SDRAM_TIM_2 T_RTP)", kField3)),
                          field("cwl", Schema::uinteger("CAS write latency, DDR3 only (reg_cwl); "
                                                        "DDR2 writes use CL - 1")
                                           .range(kMinCwl, kMaxCwl)
                                           .def("5")),
                          field("burst_length",
                                Schema::uinteger("Burst length in beats").choices({4, 8}).def("8")),
                      })),
            field("controller_cycles",
                  Schema::uinteger("DDR clock cycles the EMIF adds to every access (command "
                                   "queue, PHY); calibration parameter")
                      .range(0, kMaxCycles)
                      .def("10")),
            field(
                "refresh",
                Schema::map(
                    "Auto-refresh",
                    {
                        field("enabled", Schema::boolean("Model refresh stalls").def("false")),
                        field("trefi", Schema::time("Refresh interval")
                                           .range(100 * kNs, 100 * kUs)
                                           .def("7.8us")),
                        field("trfc",
                              Schema::time("Refresh cycle time").range(kNs, 10 * kUs).def("260ns")),
                    })),
        });
}

Schema uart_schema() {
    return Schema::dict(
        "uart",
        "Host side of each UART (docs/models/uart.md): uart0 … uart5 → backend. A UART not "
        "listed has no backend (output dropped, no input)",
        Schema::map(
            "One UART's backend",
            {
                field("backend", Schema::enumeration({"none", "stdout", "file", "tcp", "scripted"},
                                                     "Where output goes and input comes from")
                                     .def("none")),
                field("stdin", Schema::boolean("stdout backend: also read the host's stdin "
                                               "(non-blocking)")
                                   .def("false")),
                field("path", Schema::string("file backend: output file").def("\"\"")),
                field("append",
                      Schema::boolean("file backend: append instead of truncating").def("false")),
                field("address", Schema::string("tcp backend: listen address; loopback only "
                                                "(127.0.0.0/8, ::1, localhost)")
                                     .def("127.0.0.1")),
                field("port", Schema::uinteger("tcp backend: port; 0 = any free port (logged)")
                                  .range(0, 65535)
                                  .def("0")),
                field(
                    "echo",
                    Schema::boolean("scripted backend: also print output on stdout").def("false")),
                field("input",
                      Schema::seq(
                          "scripted backend: bytes that arrive on RX at given times",
                          Schema::map(
                              "One chunk of input",
                              {
                                  field("at", Schema::time("Arrival time").required()),
                                  field("text", Schema::string("Characters (\\n etc. "
                                                               "as in YAML strings)")
                                                    .optional()),
                                  field("bytes",
                                        Schema::seq("Byte values",
                                                    Schema::uinteger("A byte").range(0, 255).hex())
                                            .optional()),
                              }))
                          .def("[]")),
            }));
}

Schema build_platform_schema() {
    return Schema::map(
        "A platform configuration",
        {
            field("soc", soc_schema()),
            field("board", board_schema()),
            field("cpu", cpu_schema()),
            field("sim", sim_schema()),
            field("interconnect", interconnect_schema()),
            field("memory_map", Schema::dict("region",
                                             "Physical memory map: region name → region "
                                             "(document order kept)",
                                             region_schema())),
            field("ddr", ddr_schema()),
            field("uart", uart_schema()),
            field("kernel", kernel_schema()),
            field("workload", workload_schema()),
        });
}

}  // namespace

const Schema& platform_schema() {
    static const Schema schema = build_platform_schema();
    return schema;
}

std::string schema_markdown() {
    const Schema& root = platform_schema();
    std::string out =
        "<!-- Generated from platform/config/platform_schema.cpp by vp_config_keys; do not edit.\n"
        "     Regenerate: build/bin/vp_config_keys > docs/config-keys.md -->\n"
        "# Configuration keys\n\n"
        "Every key a board file (or `--set`) may hold. Types, spellings and the error format "
        "are explained in [config.md](config.md).\n"
        "Default `—` means the key is optional and has no value when absent; maps are always "
        "present (an absent map is an empty one).\n";
    for (const auto& section : root.fields()) {
        out += fmt::format("\n## `{}`\n\n{}\n\n", section.name(), section.doc());
        out += "| Key | Type | Default | Range / values | Description |\n";
        out += "|---|---|---|---|---|\n";
        // The section row itself is the heading; list its keys.
        if (section.type() == Schema::Type::map) {
            for (const auto& f : section.fields())
                out += f.markdown_rows(join_key(section.name(), f.name()));
        } else {
            out += section.markdown_rows(section.name());
        }
    }
    return out;
}

}  // namespace vp::config
