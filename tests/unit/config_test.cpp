#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "platform/config/platform_config.h"
#include "platform/config/values.h"

// Tests of the configuration system (platform/config, configs/, docs/config-keys.md).
//
// Expected hardware values come from ../shared/reference/am335x.md (cited "am335x.md §N")
// and the TRM tables the board files cite; expected line numbers are found by searching the
// YAML files for the text, never copied from the loader's output.

namespace fs = std::filesystem;
using namespace vp::config;

namespace {

fs::path source_dir() {
    const char* env = std::getenv("VP_SOURCE_DIR");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::current_path();
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// 1-based line of the first line of `path` that contains `needle`; 0 if none.
int line_of(const fs::path& path, const std::string& needle) {
    std::ifstream in(path);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.find(needle) != std::string::npos) return n;
    }
    return 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A scratch directory removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("vp_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path p = path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
};

std::string board_path(const std::string& stem) {
    return (source_dir() / "configs" / "boards" / (stem + ".yaml")).string();
}

PlatformConfig load_board(const std::string& stem, const std::vector<std::string>& sets = {}) {
    return load_platform_config(board_path(stem), sets);
}

// Runs `f`, which must throw ConfigError, and returns it.
template <typename F>
ConfigError expect_error(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e;
    }
    BOOST_FAIL("expected a ConfigError");
    throw std::logic_error("unreachable");
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Scalar spellings (values.h)

BOOST_AUTO_TEST_CASE(sizes_accept_decimal_hex_and_binary_units) {
    std::uint64_t v = 0;
    BOOST_TEST((parse_size("4096", v) && v == 4096));
    BOOST_TEST((parse_size("0x1000", v) && v == 0x1000));
    BOOST_TEST((parse_size("64KiB", v) && v == 64 * 1024));
    BOOST_TEST((parse_size("64KB", v) && v == 64 * 1024));  // TRM usage: "64KB" = 65536
    BOOST_TEST((parse_size("4K", v) && v == 4096));
    BOOST_TEST((parse_size("512MiB", v) && v == 512ULL * 1024 * 1024));
    BOOST_TEST((parse_size("1GiB", v) && v == 1ULL << 30));
    BOOST_TEST((parse_size("64 KiB", v) && v == 64 * 1024));
    BOOST_TEST((parse_size("1.5GiB", v) && v == 3ULL << 29));
    BOOST_TEST((parse_size("176KiB", v) && v == 0x2C000));  // boot ROM, am335x.md §1.1
    BOOST_TEST((parse_size("0x4804_C000", v) && v == 0x4804C000));
    for (const char* bad : {"abc", "", "1.5", "-4K", "0x", "1KiBB", "1.0001K", "K", "0x1G", "4 K B",
                            "99999999999999999999", "16EiB"})
        BOOST_TEST(!parse_size(bad, v), "accepted size '" << bad << "'");
}

BOOST_AUTO_TEST_CASE(times_need_a_unit_and_are_exact_in_picoseconds) {
    std::uint64_t ps = 0;
    BOOST_TEST((parse_time_ps("10us", ps) && ps == 10'000'000ULL));
    BOOST_TEST((parse_time_ps("1 ms", ps) && ps == 1'000'000'000ULL));
    BOOST_TEST((parse_time_ps("250ns", ps) && ps == 250'000ULL));
    BOOST_TEST((parse_time_ps("2s", ps) && ps == 2'000'000'000'000ULL));
    BOOST_TEST((parse_time_ps("7.8us", ps) && ps == 7'800'000ULL));  // DDR3 tREFI
    BOOST_TEST((parse_time_ps("5ps", ps) && ps == 5ULL));
    BOOST_TEST((parse_time_ps("0", ps) && ps == 0ULL));
    for (const char* bad : {"10", "us", "10 parsecs", "1.5ps", "-1us", "ten us", "1e3ns", ""})
        BOOST_TEST(!parse_time_ps(bad, ps), "accepted time '" << bad << "'");
}

BOOST_AUTO_TEST_CASE(integers_frequencies_and_bools) {
    std::uint64_t u = 0;
    std::int64_t i = 0;
    double mhz = 0;
    bool b = false;
    BOOST_TEST((parse_uint("0x4804C000", u) && u == 0x4804C000ULL));
    BOOST_TEST((parse_uint("0b101", u) && u == 5ULL));
    BOOST_TEST((parse_uint("0xFFFFFFFFFFFFFFFF", u) && u == ~0ULL));
    BOOST_TEST(!parse_uint("18446744073709551616", u));  // 2^64
    BOOST_TEST(!parse_uint("-1", u));
    BOOST_TEST(!parse_uint("1__0", u));
    BOOST_TEST((parse_int("-5", i) && i == -5));
    BOOST_TEST((parse_int("-0x10", i) && i == -16));
    BOOST_TEST((parse_frequency_mhz("19.2", mhz) && mhz == 19.2));  // am335x.md §12 crystal
    BOOST_TEST((parse_frequency_mhz("400MHz", mhz) && mhz == 400.0));
    BOOST_TEST((parse_frequency_mhz("1GHz", mhz) && mhz == 1000.0));
    BOOST_TEST((parse_frequency_mhz("32.768kHz", mhz) && std::abs(mhz - 0.032768) < 1e-12));
    BOOST_TEST(!parse_frequency_mhz("fast", mhz));
    BOOST_TEST(!parse_frequency_mhz("nan", mhz));
    BOOST_TEST((parse_bool("yes", b) && b));
    BOOST_TEST((parse_bool("Off", b) && !b));
    BOOST_TEST(!parse_bool("maybe", b));
}

BOOST_AUTO_TEST_CASE(formatting_and_did_you_mean) {
    BOOST_TEST(format_size(176 * 1024) == "176KiB");
    BOOST_TEST(format_size(1ULL << 30) == "1GiB");
    BOOST_TEST(format_size(4095) == "4095");
    BOOST_TEST(format_time(7'800'000) == "7800ns");
    BOOST_TEST(format_time(10'000'000'000ULL) == "10ms");
    BOOST_TEST(format_hex(0x4804C000) == "0x4804C000");
    BOOST_TEST(edit_distance("clock_mz", "clock_mhz") == 1u);
    BOOST_TEST(edit_distance("", "abc") == 3u);
    BOOST_TEST(closest_match("bsae", {"base", "size", "domain"}) == "base");  // transposition = 2
    BOOST_TEST(closest_match("colour", {"name", "description", "eeprom"}).empty());
    BOOST_TEST(did_you_mean("l4_pre", {"l3f", "l4_per"}) == " (did you mean 'l4_per'?)");
}

// ---------------------------------------------------------------------------------------
// Every board file loads and has its facts (am335x.md §11, §12, §16)

BOOST_AUTO_TEST_CASE(every_board_file_loads_and_is_listed) {
    const std::vector<std::string> expected{"am335x-evm",       "am335x-evmsk",     "beaglebone",
                                            "beaglebone-black", "beaglebone-green", "pocketbeagle"};
    std::vector<std::string> listed;
    for (const auto& info : list_boards()) {
        BOOST_TEST(info.valid, info.stem << ": " << info.description);
        BOOST_TEST(!info.name.empty());
        listed.push_back(info.stem);
    }
    BOOST_TEST(listed == expected, boost::test_tools::per_element());
    for (const auto& stem : expected)
        BOOST_CHECK_NO_THROW(load_board(stem));
}

struct BoardFacts {
    const char* stem;
    DdrType type;
    std::uint64_t ddr_bytes;
    double ddr_mhz;
    double mpu_mhz;
    const char* eeprom_name;
    const char* eeprom_version;  // nullptr: not checked
};

BOOST_AUTO_TEST_CASE(board_facts_match_the_reference) {
    constexpr std::uint64_t MiB = 1024 * 1024;
    // am335x.md §11 board table, §12 DPLL settings, §16 (GP EVM 1 GB, BBG 512 MB, versions).
    const BoardFacts boards[] = {
        {"beaglebone-black", DdrType::ddr3, 512 * MiB, 400, 1000, "A335BNLT", "00C0"},
        {"beaglebone", DdrType::ddr2, 256 * MiB, 266, 720, "A335BONE", nullptr},
        {"beaglebone-green", DdrType::ddr3, 512 * MiB, 400, 1000, "A335BNLT", "BBG1"},
        {"pocketbeagle", DdrType::ddr3, 512 * MiB, 400, 1000, "A335PBGL", nullptr},
        {"am335x-evm", DdrType::ddr3, 1024 * MiB, 303, 720, "A33515BB", nullptr},
        {"am335x-evmsk", DdrType::ddr3, 256 * MiB, 303, 720, "A335X_SK", nullptr},
    };
    for (const auto& f : boards) {
        BOOST_TEST_CONTEXT(f.stem) {
            const PlatformConfig cfg = load_board(f.stem);
            BOOST_TEST((cfg.ddr.type == f.type));
            BOOST_TEST(cfg.ddr.size == f.ddr_bytes);
            BOOST_TEST(cfg.ddr.clock_mhz == f.ddr_mhz);
            BOOST_TEST(cfg.cpu.clock_mhz == f.mpu_mhz);
            BOOST_TEST(cfg.board.eeprom.name == f.eeprom_name);
            if (f.eeprom_version != nullptr)
                BOOST_TEST(cfg.board.eeprom.version == f.eeprom_version);
            BOOST_TEST(cfg.ddr.geometry.bytes() == f.ddr_bytes);
            // EMIF0 SDRAM at 0x80000000 (am335x.md §1.1), sized by the board.
            const RegionConfig* ddr = cfg.find_region("ddr");
            BOOST_REQUIRE(ddr != nullptr);
            BOOST_TEST(ddr->base == 0x80000000ULL);
            BOOST_TEST(ddr->size == f.ddr_bytes);
            BOOST_TEST((ddr->model == RegionModel::ddr));
        }
    }
}

BOOST_AUTO_TEST_CASE(bbb_ddr_timings_decode_u_boot_registers) {
    // SDRAM_TIM_1 0x0AAAD4DB (am335x.md §10) with TRM Table 7-228 (fields = cycles - 1):
    // T_RP 5, T_RCD 5, T_WR 5, T_RAS 13, T_RC 19, T_RRD 3; SDRAM_CONFIG 0x61C05332 reg_cl 4
    // = CL 6; geometry 16-bit, 15 row, 8 banks, 10 column bits (am335x.md §16).
    const PlatformConfig cfg = load_board("beaglebone-black");
    BOOST_TEST(cfg.ddr.timing.trp == 6u);
    BOOST_TEST(cfg.ddr.timing.trcd == 6u);
    BOOST_TEST(cfg.ddr.timing.twr == 6u);
    BOOST_TEST(cfg.ddr.timing.tras == 14u);
    BOOST_TEST(cfg.ddr.timing.trc == 20u);
    BOOST_TEST(cfg.ddr.timing.trrd == 4u);
    BOOST_TEST(cfg.ddr.timing.cl == 6u);
    // T_WTR[2:0] 3 → 4; SDRAM_TIM_2 0x266B7FDA T_RTP[5:3] 3 → 4 (TRM Table 7-230);
    // SDRAM_CONFIG reg_cwl[17:16] 0 → CWL 5 (TRM Table 7-224).
    BOOST_TEST(cfg.ddr.timing.twtr == 4u);
    BOOST_TEST(cfg.ddr.timing.trtp == 4u);
    BOOST_TEST(cfg.ddr.timing.cwl == 5u);
    BOOST_TEST(cfg.ddr.geometry.bus_bits == 16u);
    BOOST_TEST(cfg.ddr.geometry.row_bits == 15u);
    BOOST_TEST(cfg.ddr.geometry.banks == 8u);
    BOOST_TEST(cfg.ddr.geometry.col_bits == 10u);
    // EVM: SDRAM_CONFIG 0x61C04BB2 → 16 row bits = 1 GiB (am335x.md §16).
    BOOST_TEST(load_board("am335x-evm").ddr.geometry.row_bits == 16u);
}

BOOST_AUTO_TEST_CASE(soc_memory_map_matches_am335x_md_section_1) {
    const PlatformConfig cfg = load_board("beaglebone-black");
    struct Expect {
        const char* name;
        std::uint64_t base;
        std::vector<std::uint32_t> irqs;
    };
    // am335x.md §1.2 / §1.3 tables and §8/§9 (INTC lines).
    const Expect expected[] = {
        {"gpio0", 0x44E07000, {96, 97}},    {"uart0", 0x44E09000, {72}},
        {"i2c0", 0x44E0B000, {70}},         {"dmtimer0", 0x44E05000, {66}},
        {"dmtimer1_1ms", 0x44E31000, {67}}, {"wdt1", 0x44E35000, {91}},
        {"rtc", 0x44E3E000, {75, 76}},      {"prcm", 0x44E00000, {11}},
        {"control", 0x44E10000, {}},        {"uart1", 0x48022000, {73}},
        {"i2c1", 0x4802A000, {71}},         {"i2c2", 0x4819C000, {30}},
        {"dmtimer2", 0x48040000, {68}},     {"dmtimer7", 0x4804A000, {95}},
        {"gpio1", 0x4804C000, {98, 99}},    {"gpio2", 0x481AC000, {32, 33}},
        {"gpio3", 0x481AE000, {62, 63}},    {"mcspi1", 0x481A0000, {125}},
        {"uart5", 0x481AA000, {46}},        {"intc", 0x48200000, {}},
        {"tpcc", 0x49000000, {12, 13, 14}}, {"tptc2", 0x49A00000, {114}},
        {"emif0", 0x4C000000, {101}},       {"ocmc0", 0x40300000, {}},
        {"sram", 0x402F0000, {}},           {"boot_rom", 0x40000000, {}},
    };
    for (const auto& e : expected) {
        BOOST_TEST_CONTEXT(e.name) {
            const RegionConfig* r = cfg.find_region(e.name);
            BOOST_REQUIRE(r != nullptr);
            BOOST_TEST(r->base == e.base);
            BOOST_TEST(r->irqs == e.irqs, boost::test_tools::per_element());
        }
    }
    // Sizes from the brief / am335x.md §1.1.
    BOOST_TEST(cfg.find_region("boot_rom")->size == 176u * 1024);
    BOOST_TEST((cfg.find_region("boot_rom")->model == RegionModel::rom));
    BOOST_TEST(cfg.find_region("ocmc0")->size == 64u * 1024);
    BOOST_TEST(cfg.find_region("emif0")->size == 16u * 1024 * 1024);
    BOOST_TEST((cfg.find_region("emif0")->model == RegionModel::emif));
    BOOST_TEST(cfg.find_region("gpio1")->clkctrl == "cm_per.gpio1");
    // GPIO1 DATAOUT at base + 0x13C decodes to gpio1 (am335x.md §4).
    BOOST_TEST(cfg.region_at(0x4804C13C)->name == "gpio1");
    BOOST_TEST(cfg.region_at(0x20000000) == nullptr);  // reserved hole (TRM Table 2-1)
}

BOOST_AUTO_TEST_CASE(interconnect_latencies_hit_the_calibration_anchors) {
    // DESIGN.md §5 / am335x.md §16: an L4_PER register read ≈ 170–190 ns, L4_WKUP ≈ 190 ns,
    // OCMC ≈ 135 ns. Latency = Σ hop_cycles / clock over the domain path + access_cycles.
    const PlatformConfig cfg = load_board("beaglebone-black");
    const auto latency_ns = [&](const char* region_name) {
        const RegionConfig* r = cfg.find_region(region_name);
        double ns = 0;
        const auto path = cfg.interconnect.path_to(r->domain);
        for (const DomainConfig* d : path)
            ns += d->hop_cycles * 1000.0 / d->clock_mhz;
        ns += r->access_cycles * 1000.0 / path.back()->clock_mhz;
        return ns;
    };
    const auto path = cfg.interconnect.path_to("l4_per");
    BOOST_REQUIRE(path.size() == 3u);
    BOOST_TEST(path[0]->name == "l3f");
    BOOST_TEST(path[1]->name == "l3s");
    BOOST_TEST(path[2]->name == "l4_per");
    BOOST_TEST(latency_ns("gpio1") >= 170.0);
    BOOST_TEST(latency_ns("gpio1") <= 190.0);
    BOOST_TEST(std::abs(latency_ns("gpio0") - 190.0) <= 10.0);
    BOOST_TEST(std::abs(latency_ns("ocmc0") - 135.0) <= 10.0);
}

// ---------------------------------------------------------------------------------------
// extends: deep merge and locations

BOOST_AUTO_TEST_CASE(extends_deep_merges_and_keeps_locations) {
    TempDir dir;
    dir.write("base/parent.yaml",
              "a:\n"
              "  x: 1\n"
              "  y: [1, 2, 3]\n"
              "  z: {p: 1, q: 2}\n"
              "b: keep\n");
    dir.write("mid.yaml",
              "extends: base/parent.yaml\n"
              "a:\n"
              "  z: {q: 20}\n");
    const fs::path child = dir.write("child.yaml",
                                     "extends: mid.yaml\n"
                                     "a:\n"
                                     "  y: [9]\n"
                                     "  w: new\n"
                                     "c: 3\n");
    const Node tree = load_config_tree(child.string());
    // Document order: the parent's keys first, new keys appended.
    BOOST_TEST(tree.keys() == (std::vector<std::string>{"a", "b", "c"}),
               boost::test_tools::per_element());
    BOOST_TEST(tree.find_path("a")->keys() == (std::vector<std::string>{"x", "y", "z", "w"}),
               boost::test_tools::per_element());
    BOOST_TEST(tree.find("extends") == nullptr);
    // Scalars untouched keep the parent's location; overridden ones the child's.
    const Location x = tree.find_path("a.x")->location();
    BOOST_TEST(ends_with(x.file, "parent.yaml"));
    BOOST_TEST(x.line == 2);
    BOOST_TEST(x.column == 6);
    // Sequences replace.
    const Node* y = tree.find_path("a.y");
    BOOST_TEST(y->size() == 1u);
    BOOST_TEST(y->children()[0].text() == "9");
    BOOST_TEST(ends_with(y->location().file, "child.yaml"));
    BOOST_TEST(y->location().line == 3);
    // Maps merge key by key through the chain: p from parent, q from mid.
    BOOST_TEST(tree.find_path("a.z.p")->text() == "1");
    BOOST_TEST(tree.find_path("a.z.q")->text() == "20");
    BOOST_TEST(ends_with(tree.find_path("a.z.q")->location().file, "mid.yaml"));
    BOOST_TEST(tree.find_path("a.z.q")->location().line == 3);
    BOOST_TEST(ends_with(tree.find_path("b")->location().file, "parent.yaml"));
}

BOOST_AUTO_TEST_CASE(board_values_know_which_file_set_them) {
    const PlatformConfig cfg = load_board("beaglebone-black");
    const fs::path board = board_path("beaglebone-black");
    const fs::path soc = source_dir() / "configs" / "soc" / "am335x.yaml";
    const Location size = cfg.tree().at_path("ddr.size").location();
    BOOST_TEST(ends_with(size.file, "boards/beaglebone-black.yaml"));
    BOOST_TEST(size.line == line_of(board, "size: 512MiB"));
    const Location osc = cfg.tree().at_path("soc.clocks.osc_mhz").location();
    BOOST_TEST(ends_with(osc.file, "soc/am335x.yaml"));
    BOOST_TEST(osc.line == line_of(soc, "osc_mhz: 24"));
    // A value nobody wrote comes from the schema default.
    BOOST_TEST(cfg.tree().at_path("cpu.dtlb.entries").location().is_default());
    BOOST_TEST(cfg.cpu.dtlb.entries == 32u);  // Cortex-A8 D-TLB: 32 entries (mmu-tlb.md)
    // The DDR region's size follows ddr.size and says so.
    BOOST_TEST(cfg.tree().at_path("memory_map.ddr.size").location().line == size.line);
}

BOOST_AUTO_TEST_CASE(print_config_comments_every_value_and_reloads) {
    const PlatformConfig cfg = load_board("beaglebone-black", {"cpu.clock_mhz=600"});
    const std::string yaml = cfg.to_yaml();
    const fs::path soc = source_dir() / "configs" / "soc" / "am335x.yaml";
    BOOST_TEST(contains(yaml, fmt::format("osc_mhz: 24  # configs/soc/am335x.yaml:{}",
                                          line_of(soc, "osc_mhz: 24"))));
    BOOST_TEST(contains(yaml, "clock_mhz: 600  # command line (--set #1)"));
    BOOST_TEST(contains(yaml, "entries: 32  # default"));
    BOOST_TEST(contains(yaml, "irq: [98, 99]  # configs/soc/am335x.yaml:"));
    // The printed configuration is itself a valid configuration with the same content.
    TempDir dir;
    const fs::path printed = dir.write("printed.yaml", yaml);
    const PlatformConfig again = load_platform_config(printed.string());
    BOOST_TEST(again.cpu.clock_mhz == 600.0);
    BOOST_TEST(again.ddr.size == cfg.ddr.size);
    BOOST_TEST(again.board.eeprom.version == "00C0");
    BOOST_TEST(again.memory_map.size() == cfg.memory_map.size());
    BOOST_TEST(again.find_region("gpio1")->irqs == cfg.find_region("gpio1")->irqs,
               boost::test_tools::per_element());
}

// ---------------------------------------------------------------------------------------
// --set overrides

BOOST_AUTO_TEST_CASE(set_overrides_scalars_nested_keys_dictionaries_and_sequences) {
    const PlatformConfig cfg = load_board(
        "beaglebone-black",
        {"cpu.clock_mhz=600", "ddr.timing.cl=7", "memory_map.gpio1.base=0x4804D000",
         "memory_map.gpio2.irq=[32]", "memory_map.gpio3.irq.1=5", "sim.log.modules.router=debug",
         "sim.log.modules=", "cpu.quantum=250ns", "cpu.quantum=10us",
         "board.eeprom={version: \"00A6\"}", "soc.clocks.osc_mhz=19.2"});
    BOOST_TEST(cfg.cpu.clock_mhz == 600.0);
    BOOST_TEST(cfg.ddr.timing.cl == 7u);
    BOOST_TEST(cfg.soc.clocks.osc_mhz == 19.2);  // a crystal U-Boot supports (am335x.md §12)
    BOOST_TEST(cfg.find_region("gpio1")->base == 0x4804D000ULL);
    BOOST_TEST(cfg.find_region("gpio2")->irqs == (std::vector<std::uint32_t>{32}),
               boost::test_tools::per_element());
    BOOST_TEST(cfg.find_region("gpio3")->irqs == (std::vector<std::uint32_t>{62, 5}),
               boost::test_tools::per_element());
    BOOST_TEST(cfg.sim.log.modules.empty());  // the later empty set replaced the entry
    BOOST_TEST(cfg.cpu.quantum_ps == 10'000'000ULL);
    // A map value merges: the name stays, the version changes.
    BOOST_TEST(cfg.board.eeprom.name == "A335BNLT");
    BOOST_TEST(cfg.board.eeprom.version == "00A6");
    const Location loc = cfg.tree().at_path("cpu.clock_mhz").location();
    BOOST_TEST(loc.file == "command line (--set #1)");
    BOOST_TEST(cfg.tree().at_path("cpu.quantum").location().file == "command line (--set #9)");

    // Logger names may hold dots: below sim.log.modules the rest of the path is one key.
    const PlatformConfig with_module = load_board(
        "beaglebone-black", {"sim.log.modules.router=debug", "sim.log.modules.l4_per.gpio1=trace"});
    BOOST_REQUIRE(with_module.sim.log.modules.size() == 2u);
    BOOST_TEST(with_module.sim.log.modules[0].first == "router");
    BOOST_TEST(with_module.sim.log.modules[0].second == "debug");
    BOOST_TEST(with_module.sim.log.modules[1].first == "l4_per.gpio1");
    BOOST_TEST(with_module.sim.log.modules[1].second == "trace");
}

BOOST_AUTO_TEST_CASE(bad_set_is_a_clear_error) {
    struct Case {
        const char* set;
        const char* key;
        const char* text;
    };
    const Case cases[] = {
        {"cpu.clock_mz=600", "cpu.clock_mz", "unknown key 'clock_mz' (did you mean 'clock_mhz'?)"},
        {"cpus.clock_mhz=600", "cpus", "unknown key 'cpus' (did you mean 'cpu'?)"},
        {"memory_map.gpio1.bsae=0", "memory_map.gpio1.bsae", "did you mean 'base'?"},
        {"cpu.clock_mhz", "", "expected key.path=value"},
        {"=5", "", "no key before '='"},
        {"cpu..clock_mhz=5", "cpu..clock_mhz", "empty key in the path"},
        {"cpu.clock_mhz.x=1", "cpu.clock_mhz", "not a map"},
        {"cpu.clock_mhz=[1, 2", "cpu.clock_mhz", "cannot parse value"},
        {"cpu.clock_mhz=fast", "cpu.clock_mhz", "expected a frequency in MHz like 400, got 'fast'"},
        {"cpu.clock_mhz=1200", "cpu.clock_mhz", "out of range 300 .. 1000"},
        {"memory_map.gpio1.irq.7=5", "memory_map.gpio1.irq.7", "use an index 0..1"},
        {"memory_map.gpio1.irq=[98, 98]", "memory_map.gpio1.irq[1]", "IRQ 98 is listed twice"},
        {"ddr.type=ddr4", "ddr.type", "'ddr4' is not one of: ddr2, ddr3"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.set) {
            const ConfigError e = expect_error([&] {
                load_board("beaglebone-black", {"cpu.mode=functional", c.set});
            });
            BOOST_TEST(e.file == "command line (--set #2)");
            BOOST_TEST(e.line == 0);
            BOOST_TEST(e.key_path == c.key);
            BOOST_TEST(contains(e.what(), c.text), e.what());
            BOOST_TEST(contains(e.what(), "command line (--set #2): error: "), e.what());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Error format, board resolution, robustness

BOOST_AUTO_TEST_CASE(error_message_format_and_fields) {
    const ConfigError e(Location{"a.yaml", 3, 7}, "cpu.clock_mhz", "value 1200 is out of range");
    BOOST_TEST(std::string(e.what()) ==
               "a.yaml:3:7: error: cpu.clock_mhz: value 1200 is out of range");
    BOOST_TEST(e.file == "a.yaml");
    BOOST_TEST(e.line == 3);
    BOOST_TEST(e.column == 7);
    BOOST_TEST(e.key_path == "cpu.clock_mhz");
    BOOST_TEST(e.message == "value 1200 is out of range");
    const ConfigError no_key(Location::command_line(2), "", "expected key.path=value");
    BOOST_TEST(std::string(no_key.what()) ==
               "command line (--set #2): error: expected key.path=value");
    const std::runtime_error& base = e;  // catchable as a runtime_error by the CLI
    BOOST_TEST(contains(base.what(), "error:"));
}

BOOST_AUTO_TEST_CASE(boards_resolve_by_name_path_and_config_dir) {
    BOOST_TEST(load_platform_config("beaglebone").board.eeprom.name == "A335BONE");
    const ConfigError unknown = expect_error([] { load_platform_config("beaglebone-blak"); });
    BOOST_TEST(contains(unknown.what(),
                        "command line (board): error: no board named 'beaglebone-blak' "
                        "(did you mean 'beaglebone-black'?)"),
               unknown.what());
    const ConfigError missing = expect_error([] { load_platform_config("no/such/board.yaml"); });
    BOOST_TEST(contains(missing.what(), "file 'no/such/board.yaml' does not exist"),
               missing.what());

    TempDir dir;
    dir.write("soc/am335x.yaml", read_text(source_dir() / "configs" / "soc" / "am335x.yaml"));
    dir.write("boards/mine.yaml", read_text(board_path("pocketbeagle")));
    const char* saved = std::getenv("VP_CONFIG_DIR");
    const std::string saved_value = saved != nullptr ? saved : "";
    ::setenv("VP_CONFIG_DIR", dir.path.c_str(), 1);
    BOOST_TEST(config_dir() == dir.path.string());
    BOOST_TEST(load_platform_config("mine").board.eeprom.name == "A335PBGL");
    const auto boards = list_boards();
    BOOST_REQUIRE(boards.size() == 1u);
    BOOST_TEST(boards[0].stem == "mine");
    BOOST_TEST(boards[0].name == "PocketBeagle");
    if (saved != nullptr)
        ::setenv("VP_CONFIG_DIR", saved_value.c_str(), 1);
    else
        ::unsetenv("VP_CONFIG_DIR");
}

BOOST_AUTO_TEST_CASE(hostile_input_gives_errors_not_crashes) {
    TempDir dir;
    std::string binary(256, '\0');
    for (std::size_t i = 0; i < binary.size(); ++i)
        binary[i] = static_cast<char>(i);
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');
    const std::vector<std::pair<std::string, std::string>> files{
        {"binary.yaml", binary},
        {"deep.yaml", "a: " + deep + "\n"},
        {"empty.yaml", ""},
        {"scalar.yaml", "just text\n"},
        {"dir_extends.yaml", "extends: .\n"},
        {"alias.yaml", "cpu: &c {clock_mhz: 600}\nsim: *c\n"},
    };
    for (const auto& [name, text] : files) {
        BOOST_TEST_CONTEXT(name) {
            const fs::path p = dir.write(name, text);
            const ConfigError e = expect_error([&] { load_platform_config(p.string()); });
            BOOST_TEST(!std::string(e.what()).empty());
        }
    }
}

// ---------------------------------------------------------------------------------------
// The malformed-config corpus: tests/data/bad_configs/*.yaml
//
// Each file starts with comment lines:
//   # expect: <substring of the message>        (required, may repeat)
//   # expect-line: <N>                          (required)
//   # expect-key: <key path, or (none)>         (required)
//   # expect-file: <file name>                  (when the error is in another file)
//   # expect-not: <substring that must be absent>

namespace {

struct Expectation {
    std::vector<std::string> texts;
    std::vector<std::string> absent;
    int line = -1;
    std::string key;
    std::string file;
};

Expectation read_expectation(const fs::path& path) {
    Expectation e;
    e.file = path.filename().string();
    std::ifstream in(path);
    std::string line;
    const auto value_after = [](const std::string& l, const std::string& tag, std::string& out) {
        if (l.rfind(tag, 0) != 0) return false;
        out = l.substr(tag.size());
        return true;
    };
    while (std::getline(in, line) && line.rfind("#", 0) == 0) {
        std::string v;
        if (value_after(line, "# expect: ", v))
            e.texts.push_back(v);
        else if (value_after(line, "# expect-line: ", v))
            e.line = std::stoi(v);
        else if (value_after(line, "# expect-key: ", v))
            e.key = v;
        else if (value_after(line, "# expect-file: ", v))
            e.file = v;
        else if (value_after(line, "# expect-not: ", v))
            e.absent.push_back(v);
    }
    return e;
}

}  // namespace

BOOST_AUTO_TEST_CASE(malformed_config_corpus) {
    const fs::path dir = source_dir() / "tests" / "data" / "bad_configs";
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".yaml")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    BOOST_TEST(files.size() >= 35u);

    for (const auto& file : files) {
        BOOST_TEST_CONTEXT(file.filename().string()) {
            const Expectation expect = read_expectation(file);
            BOOST_REQUIRE(!expect.texts.empty());
            BOOST_REQUIRE(expect.line >= 0);
            BOOST_REQUIRE(!expect.key.empty());
            try {
                load_platform_config(file.string());
                BOOST_ERROR("no ConfigError");
            } catch (const ConfigError& e) {
                const std::string what = e.what();
                BOOST_TEST_MESSAGE(what);
                BOOST_TEST(contains(what, expect.file), what);
                BOOST_TEST(ends_with(e.file, expect.file), what);
                BOOST_TEST(contains(what, ":" + std::to_string(expect.line) + ":"), what);
                BOOST_TEST(e.line == expect.line, what);
                if (expect.key == "(none)") {
                    BOOST_TEST(e.key_path.empty(), what);
                } else {
                    BOOST_TEST(e.key_path == expect.key, what);
                    BOOST_TEST(contains(what, ": " + expect.key + ": "), what);
                }
                for (const auto& t : expect.texts)
                    BOOST_TEST(contains(what, t), what);
                for (const auto& t : expect.absent)
                    BOOST_TEST(!contains(what, t), what);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// docs/config-keys.md is generated from the schema and must not drift.
// Regenerate with: build/bin/vp_config_keys > docs/config-keys.md
//              or: VP_UPDATE_DOCS=1 ctest -R config_test

BOOST_AUTO_TEST_CASE(config_keys_doc_matches_the_schema) {
    const fs::path doc = source_dir() / "docs" / "config-keys.md";
    const std::string generated = schema_markdown();
    const char* update = std::getenv("VP_UPDATE_DOCS");
    if (update != nullptr && std::string(update) == "1")
        std::ofstream(doc, std::ios::binary) << generated;
    BOOST_TEST(
        read_text(doc) == generated,
        "docs/config-keys.md is out of date: run build/bin/vp_config_keys > docs/config-keys.md");
    // Every documented key path of the brief is in the reference.
    for (const char* key :
         {"`cpu.clock_mhz`", "`memory_map.<region>.base`", "`ddr.timing.cl`",
          "`interconnect.domains.<domain>.hop_cycles`", "`sim.log.modules.<logger>`"})
        BOOST_TEST(contains(generated, key), key);
}
