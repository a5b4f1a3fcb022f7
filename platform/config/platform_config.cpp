// Loading (extends chains, --set overrides), semantic checks and the typed view of a
// platform configuration.
#include "platform/config/platform_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "platform/config/detail.h"
#include "platform/config/values.h"

#ifndef VP_CONFIG_DIR
#define VP_CONFIG_DIR "configs"
#endif

namespace vp::config {

namespace fs = std::filesystem;

namespace {
using detail::child;
using detail::kBitsPerByte;

std::uint32_t u32(const Node& node, const char* key) {
    return static_cast<std::uint32_t>(child(node, key).as_uint());
}

template <typename E, std::size_t N>
E enum_of(const Node& node, const char* key, const std::pair<const char*, E> (&table)[N]) {
    const std::string& text = child(node, key).as_string();
    for (const auto& [word, value] : table)
        if (text == word) return value;
    throw std::logic_error(fmt::format("unexpected enum value '{}' for '{}'", text, key));
}
// ---------------------------------------------------------------------------------------
// Loading

struct Chain {
    std::vector<std::string> canonical;
    std::vector<std::string> shown;
};

Node load_with_extends(const std::string& path, const Location& from, const std::string& key_path,
                       Chain& chain) {
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(fs::path(path), ec).string();
    const std::string shown = display_path(path);
    const auto seen = std::find(chain.canonical.begin(), chain.canonical.end(), canonical);
    if (seen != chain.canonical.end()) {
        std::string cycle;
        for (auto i = static_cast<std::size_t>(seen - chain.canonical.begin());
             i < chain.shown.size(); ++i)
            cycle += chain.shown[i] + " -> ";
        throw ConfigError(from, key_path, fmt::format("extends cycle: {}{}", cycle, shown));
    }

    Node doc = parse_yaml_file(path, from, key_path);
    const Node* ext = doc.find("extends");
    if (ext == nullptr) return doc;
    if (!ext->is_scalar() || ext->text().empty())
        throw ConfigError(
            ext->is_null() ? ext->key_location() : ext->location(), "extends",
            fmt::format("expected the path of the file to extend, got {}", ext->describe()));

    const fs::path parent_path = (fs::path(path).parent_path() / ext->text()).lexically_normal();
    const Location ext_location = ext->location();
    chain.canonical.push_back(canonical);
    chain.shown.push_back(shown);
    Node base = load_with_extends(parent_path.string(), ext_location, "extends", chain);
    chain.canonical.pop_back();
    chain.shown.pop_back();

    doc.erase("extends");
    merge_into(base, doc);
    return base;
}

std::vector<std::string> split_path(const std::string& dotted, const Location& where) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto dot = dotted.find('.', start);
        const std::string part = dotted.substr(start, dot == std::string::npos ? dot : dot - start);
        if (part.empty())
            throw ConfigError(where, dotted,
                              "empty key in the path (two dots, or a dot at an end)");
        parts.push_back(part);
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

std::string trim_copy(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

// The schema of the child `key` of a node described by `schema`, or nullptr if unknown.
const Schema* schema_below(const Schema* schema, const std::string& key) {
    if (schema == nullptr) return nullptr;
    switch (schema->type()) {
        case Schema::Type::map:
            return schema->field(key);
        case Schema::Type::dict:
        case Schema::Type::seq:
            return &schema->element();
        default:
            return nullptr;
    }
}

bool sequence_index(const std::string& word, std::size_t size, std::size_t& index) {
    std::uint64_t v = 0;
    if (word.empty() || word.find_first_not_of("0123456789") != std::string::npos) return false;
    if (!parse_uint(word, v) || v >= size) return false;
    index = static_cast<std::size_t>(v);
    return true;
}
// ---------------------------------------------------------------------------------------
// Typed view

const std::pair<const char*, AccessPolicy> kAccessPolicies[] = {
    {"error", AccessPolicy::error}, {"read_zero", AccessPolicy::read_zero}};
const std::pair<const char*, CpuMode> kCpuModes[] = {{"functional", CpuMode::functional},
                                                     {"approximate", CpuMode::approximate}};
const std::pair<const char*, TlbPolicy> kTlbPolicies[] = {{"round_robin", TlbPolicy::round_robin},
                                                          {"lru", TlbPolicy::lru},
                                                          {"fifo", TlbPolicy::fifo},
                                                          {"random", TlbPolicy::random}};
const std::pair<const char*, DdrType> kDdrTypes[] = {{"ddr2", DdrType::ddr2},
                                                     {"ddr3", DdrType::ddr3}};
const std::pair<const char*, PagePolicy> kPagePolicies[] = {{"open", PagePolicy::open},
                                                            {"closed", PagePolicy::closed}};

const std::pair<const char*, workload::Alloc> kAllocs[] = {{"kmalloc", workload::Alloc::kmalloc},
                                                           {"vmalloc", workload::Alloc::vmalloc},
                                                           {"user", workload::Alloc::user}};
const std::pair<const char*, workload::Pattern> kPatterns[] = {
    {"sequential", workload::Pattern::sequential},
    {"strided", workload::Pattern::strided},
    {"random", workload::Pattern::random}};

TlbConfig tlb_of(const Node& n) {
    return TlbConfig{u32(n, "entries"), u32(n, "ways"), enum_of(n, "policy", kTlbPolicies),
                     child(n, "seed").as_uint()};
}

void fill(PlatformConfig& cfg, const Node& root) {
    const Node& soc = child(root, "soc");
    cfg.soc.name = child(soc, "name").as_string();
    cfg.soc.part = child(soc, "part").as_string();
    cfg.soc.silicon_rev = u32(soc, "silicon_rev");
    cfg.soc.device_id_partnum = u32(soc, "device_id_partnum");
    const Node& clk = child(soc, "clocks");
    ClockConfig& c = cfg.soc.clocks;
    c.osc_mhz = child(clk, "osc_mhz").as_double();
    c.core_m4_mhz = child(clk, "core_m4_mhz").as_double();
    c.per_m2_mhz = child(clk, "per_m2_mhz").as_double();
    c.l3f_mhz = child(clk, "l3f_mhz").as_double();
    c.l3s_mhz = child(clk, "l3s_mhz").as_double();
    c.l4_per_mhz = child(clk, "l4_per_mhz").as_double();
    c.l4_wkup_mhz = child(clk, "l4_wkup_mhz").as_double();
    c.l4_fast_mhz = child(clk, "l4_fast_mhz").as_double();
    c.uart_fclk_mhz = child(clk, "uart_fclk_mhz").as_double();
    c.i2c_fclk_mhz = child(clk, "i2c_fclk_mhz").as_double();
    c.mmc_fclk_mhz = child(clk, "mmc_fclk_mhz").as_double();
    c.clk_32k_mhz = child(clk, "clk_32k_mhz").as_double();
    c.rc32k_mhz = child(clk, "rc32k_mhz").as_double();

    const Node& board = child(root, "board");
    cfg.board.name = child(board, "name").as_string();
    cfg.board.description = child(board, "description").as_string();
    cfg.board.model = child(board, "model").as_string();
    const Node& eeprom = child(board, "eeprom");
    cfg.board.eeprom =
        EepromConfig{child(eeprom, "name").as_string(), child(eeprom, "version").as_string(),
                     child(eeprom, "serial").as_string(), child(eeprom, "config").as_string()};
    for (const auto& l : child(board, "leds").children())
        cfg.board.leds.push_back(LedConfig{l.key(), u32(l, "bank"), u32(l, "pin"),
                                           child(l, "active").as_string() == "low",
                                           l.key_location()});
    for (const auto& b : child(board, "buttons").children()) {
        ButtonConfig button{
            b.key(), u32(b, "bank"),  u32(b, "pin"), child(b, "active").as_string() == "low",
            {},      b.key_location()};
        for (const auto& p : child(b, "press").children())
            button.presses.push_back(
                ButtonPress{child(p, "at").as_uint(), child(p, "for").as_uint()});
        cfg.board.buttons.push_back(std::move(button));
    }
    const Node& pmic = child(board, "pmic");
    cfg.board.pmic =
        PmicConfig{child(pmic, "model").as_string(), u32(pmic, "address"),
                   child(pmic, "ac_power").as_bool(), child(pmic, "usb_power").as_bool()};

    const Node& cpu = child(root, "cpu");
    cfg.cpu.clock_mhz = child(cpu, "clock_mhz").as_double();
    cfg.cpu.mode = enum_of(cpu, "mode", kCpuModes);
    cfg.cpu.quantum_ps = child(cpu, "quantum").as_uint();
    cfg.cpu.itlb = tlb_of(child(cpu, "itlb"));
    cfg.cpu.dtlb = tlb_of(child(cpu, "dtlb"));
    const Node& l2tlb = child(cpu, "l2_tlb");
    cfg.cpu.l2_tlb = child(l2tlb, "enabled").as_bool();
    cfg.cpu.l2_tlb_geometry = tlb_of(l2tlb);
    cfg.cpu.walk_cache_entries = u32(child(cpu, "walk_cache"), "entries");
    cfg.cpu.fast_path = child(cpu, "fast_path").as_bool();
    cfg.cpu.sync_on_device = child(cpu, "sync_on_device").as_bool();
    const Node& fl = child(cpu, "functional");
    cfg.cpu.functional = FunctionalLatencyConfig{
        u32(fl, "load_cycles"),       u32(fl, "store_cycles"),     u32(fl, "fetch_line_cycles"),
        u32(fl, "block_line_cycles"), u32(fl, "walk_read_cycles"), u32(fl, "walk_overhead_cycles")};
    const Node& caches = child(cpu, "caches");
    auto level = [](const Node& n) {
        return CacheLevelConfig{child(n, "size").as_uint(), u32(n, "ways"), u32(n, "line"),
                                u32(n, "hit_cycles"), child(n, "replacement").as_string()};
    };
    cfg.cpu.caches = CachesConfig{level(child(caches, "l1i")), level(child(caches, "l1d")),
                                  level(child(caches, "l2")), child(caches, "l2_present").as_bool(),
                                  u32(caches, "walk_overhead_cycles")};

    const Node& kernel = child(root, "kernel");
    cfg.kernel = KernelConfig{child(kernel, "image_size").as_uint(),
                              child(kernel, "cma").as_uint(),
                              child(kernel, "vmalloc").as_uint(),
                              child(kernel, "highmem").as_bool(),
                              u32(kernel, "max_order"),
                              child(kernel, "slub_debug").as_string(),
                              child(kernel, "init_on_alloc").as_bool(),
                              child(kernel, "init_on_free").as_bool(),
                              child(kernel, "ttb_cacheable").as_bool()};

    const Node& wl = child(root, "workload");
    workload::Params& w = cfg.workload;
    w.name = child(wl, "name").as_string();
    const Node& boot = child(wl, "boot");
    w.boot.heartbeat_ps = child(boot, "heartbeat").as_uint();
    w.boot.self_tests = child(boot, "self_tests").as_bool();
    w.boot.shell = child(boot, "shell").as_bool();
    const Node& scan = child(wl, "tlb_scan");
    w.tlb_scan.alloc = enum_of(scan, "alloc", kAllocs);
    w.tlb_scan.size = child(scan, "size").as_uint();
    w.tlb_scan.stride = child(scan, "stride").as_uint();
    w.tlb_scan.pattern = enum_of(scan, "pattern", kPatterns);
    w.tlb_scan.seed = child(scan, "seed").as_uint();
    w.tlb_scan.write = child(scan, "write").as_bool();
    w.tlb_scan.repeat = child(scan, "repeat").as_uint();
    const Node& chase = child(wl, "pointer_chase");
    w.pointer_chase.alloc = enum_of(chase, "alloc", kAllocs);
    w.pointer_chase.size = child(chase, "size").as_uint();
    w.pointer_chase.stride = child(chase, "stride").as_uint();
    w.pointer_chase.seed = child(chase, "seed").as_uint();
    w.pointer_chase.steps = child(chase, "steps").as_uint();
    const Node& stress = child(wl, "alloc_stress");
    w.alloc_stress.seed = child(stress, "seed").as_uint();
    w.alloc_stress.ops = child(stress, "ops").as_uint();
    w.alloc_stress.max_live = child(stress, "max_live").as_uint();
    w.alloc_stress.max_kmalloc = child(stress, "max_kmalloc").as_uint();
    w.alloc_stress.max_vmalloc = child(stress, "max_vmalloc").as_uint();
    w.alloc_stress.max_order = u32(stress, "max_order");

    const Node& sim = child(root, "sim");
    cfg.sim.time_limit_ps = child(sim, "time_limit").as_uint();
    cfg.sim.realtime = child(sim, "realtime").as_bool();
    const Node& log = child(sim, "log");
    cfg.sim.log.default_level = child(log, "default").as_string();
    for (const auto& m : child(log, "modules").children())
        cfg.sim.log.modules.emplace_back(m.key(), m.as_string());

    const Node& ic = child(root, "interconnect");
    cfg.interconnect.unmapped = enum_of(ic, "unmapped", kAccessPolicies);
    for (const auto& d : child(ic, "domains").children()) {
        const Node& parent = child(d, "parent");
        cfg.interconnect.domains.push_back(DomainConfig{
            d.key(), child(d, "clock_mhz").as_double(), parent.is_null() ? "" : parent.text(),
            u32(d, "hop_cycles"), u32(d, "occupancy_cycles"), child(d, "doc").as_string(),
            d.key_location()});
    }

    for (const auto& r : child(root, "memory_map").children()) {
        RegionConfig region;
        region.name = r.key();
        region.base = child(r, "base").as_uint();
        region.size = child(r, "size").as_uint();
        region.domain = child(r, "domain").as_string();
        const std::string& model = child(r, "model").as_string();
        const auto& names = region_model_names();
        region.model =
            static_cast<RegionModel>(std::find(names.begin(), names.end(), model) - names.begin());
        for (const auto& irq : child(r, "irq").children())
            region.irqs.push_back(static_cast<std::uint32_t>(irq.as_uint()));
        region.clkctrl = child(r, "clkctrl").as_string();
        region.doc = child(r, "doc").as_string();
        region.unimplemented = enum_of(r, "unimplemented", kAccessPolicies);
        region.access_cycles = u32(r, "access_cycles");
        region.location = child(r, "base").location();
        cfg.memory_map.push_back(std::move(region));
    }

    const Node& ddr = child(root, "ddr");
    DdrConfig& d = cfg.ddr;
    d.type = enum_of(ddr, "type", kDdrTypes);
    d.part = child(ddr, "part").as_string();
    d.size = child(ddr, "size").as_uint();
    d.clock_mhz = child(ddr, "clock_mhz").as_double();
    d.page_policy = enum_of(ddr, "page_policy", kPagePolicies);
    const Node& g = child(ddr, "geometry");
    d.geometry =
        DdrGeometry{u32(g, "banks"), u32(g, "row_bits"), u32(g, "col_bits"), u32(g, "bus_bits")};
    const Node& t = child(ddr, "timing");
    d.timing.cl = u32(t, "cl");
    d.timing.trcd = u32(t, "trcd");
    d.timing.trp = u32(t, "trp");
    d.timing.tras = u32(t, "tras");
    d.timing.trc = u32(t, "trc");
    d.timing.trrd = u32(t, "trrd");
    d.timing.twr = u32(t, "twr");
    d.timing.twtr = u32(t, "twtr");
    d.timing.trtp = u32(t, "trtp");
    d.timing.cwl = u32(t, "cwl");
    d.timing.burst_length = u32(t, "burst_length");
    d.controller_cycles = u32(ddr, "controller_cycles");
    const Node& refresh = child(ddr, "refresh");
    d.refresh = DdrRefresh{child(refresh, "enabled").as_bool(), child(refresh, "trefi").as_uint(),
                           child(refresh, "trfc").as_uint()};

    for (const auto& u : child(root, "uart").children()) {
        UartBackendSettings b;
        b.name = u.key();
        b.backend = child(u, "backend").as_string();
        b.stdin_input = child(u, "stdin").as_bool();
        b.path = child(u, "path").as_string();
        b.append = child(u, "append").as_bool();
        b.address = child(u, "address").as_string();
        b.port = u32(u, "port");
        b.echo = child(u, "echo").as_bool();
        for (const auto& chunk : child(u, "input").children()) {
            UartInput in;
            in.at_ps = child(chunk, "at").as_uint();
            if (const Node* text = chunk.find("text"); text && !text->is_null())
                in.bytes.assign(text->as_string().begin(), text->as_string().end());
            if (const Node* bytes = chunk.find("bytes"); bytes && !bytes->is_null())
                for (const auto& byte : bytes->children())
                    in.bytes.push_back(static_cast<std::uint8_t>(byte.as_uint()));
            b.input.push_back(std::move(in));
        }
        b.location = u.key_location();
        cfg.uarts.push_back(std::move(b));
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Public API

const char* region_model_name(RegionModel model) {
    const auto& names = region_model_names();
    const auto index = static_cast<std::size_t>(model);
    return index < names.size() ? names[index].c_str() : "?";
}

const std::vector<std::string>& region_model_names() {
    static const std::vector<std::string> names{
        "ram",       "rom",  "ddr",  "emif", "unimplemented", "intc",        "prcm",
        "control",   "gpio", "uart", "i2c",  "dmtimer",       "dmtimer_1ms", "edma_tpcc",
        "edma_tptc", "wdt",  "rtc"};
    return names;
}

std::uint64_t DdrGeometry::bytes() const {
    return (static_cast<std::uint64_t>(banks) << row_bits << col_bits) * (bus_bits / kBitsPerByte);
}

const DomainConfig* InterconnectConfig::find_domain(std::string_view name) const {
    for (const auto& d : domains)
        if (d.name == name) return &d;
    return nullptr;
}

std::vector<const DomainConfig*> InterconnectConfig::path_to(std::string_view name) const {
    std::vector<const DomainConfig*> path;
    const DomainConfig* d = find_domain(name);
    while (d != nullptr && path.size() <= domains.size()) {
        path.push_back(d);
        d = d->parent.empty() ? nullptr : find_domain(d->parent);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

const UartBackendSettings* PlatformConfig::find_uart(std::string_view name) const {
    for (const auto& u : uarts)
        if (u.name == name) return &u;
    return nullptr;
}

const RegionConfig* PlatformConfig::find_region(std::string_view name) const {
    for (const auto& r : memory_map)
        if (r.name == name) return &r;
    return nullptr;
}

const RegionConfig* PlatformConfig::region_at(std::uint64_t address) const {
    for (const auto& r : memory_map)
        if (r.contains(address)) return &r;
    return nullptr;
}

std::string PlatformConfig::to_yaml() const {
    return fmt::format("# Merged configuration of {} (each value: where it was set)\n{}",
                       board_file, vp::config::to_yaml(*tree_));
}

PlatformConfig PlatformConfig::from_tree(Node tree, std::string board_file) {
    platform_schema().validate(tree, "");
    detail::check_semantics(tree);
    PlatformConfig cfg;
    cfg.board_file = std::move(board_file);
    fill(cfg, tree);
    cfg.tree_ = std::make_shared<const Node>(std::move(tree));
    return cfg;
}

std::string config_dir() {
    const char* env = std::getenv("VP_CONFIG_DIR");
    if (env != nullptr && *env != '\0') return env;
    return VP_CONFIG_DIR;
}

std::string resolve_board(const std::string& board) {
    const Location where = Location::command_line_board();
    if (board.empty()) throw ConfigError(where, "", "no board given");
    const bool looks_like_path = board.find('/') != std::string::npos ||
                                 fs::path(board).extension() == ".yaml" ||
                                 fs::path(board).extension() == ".yml";
    if (looks_like_path) return board;
    const fs::path candidate = fs::path(config_dir()) / "boards" / (board + ".yaml");
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate.string();
    std::vector<std::string> stems;
    for (const auto& info : list_boards())
        stems.push_back(info.stem);
    throw ConfigError(where, "",
                      fmt::format("no board named '{}'{} in {}; known boards: {}", board,
                                  did_you_mean(board, stems),
                                  display_path((fs::path(config_dir()) / "boards").string()),
                                  stems.empty() ? "none" : detail::join_words(stems)));
}

Node load_config_tree(const std::string& path, const std::vector<std::string>& sets,
                      const Location& requested_at) {
    Chain chain;
    Node root = load_with_extends(path, requested_at, "", chain);
    int index = 1;
    for (const auto& assignment : sets)
        apply_set(root, assignment, index++);
    return root;
}

void apply_set(Node& root, const std::string& assignment, int index) {
    const Location where = Location::command_line(index);
    const auto eq = assignment.find('=');
    if (eq == std::string::npos)
        throw ConfigError(where, "", fmt::format("expected key.path=value, got '{}'", assignment));
    const std::string path = trim_copy(assignment.substr(0, eq));
    if (path.empty())
        throw ConfigError(where, "", fmt::format("no key before '=' in '{}'", assignment));
    const std::vector<std::string> parts = split_path(path, where);
    Node value = parse_yaml_value(assignment.substr(eq + 1), where, path);

    // The schema is followed along the path only to know where keys may hold dots: the
    // keys of a free-form dictionary (logger names such as "l4_per.gpio1") take the rest
    // of the path. Unknown keys are left to the validator, which reports them.
    const Schema* schema = &platform_schema();
    Node* current = &root;
    std::string walked;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string part = parts[i];
        if (schema != nullptr && schema->type() == Schema::Type::dict &&
            schema->key_style() == Schema::KeyStyle::any) {
            for (++i; i < parts.size(); ++i)
                part += "." + parts[i];
            i = parts.size() - 1;
        }
        const bool last = i + 1 == parts.size();
        const std::string here = walked.empty() ? part : walked + "." + part;
        schema = schema_below(schema, part);
        if (current->is_sequence()) {
            std::size_t item = 0;
            if (!sequence_index(part, current->size(), item)) {
                const std::string hint =
                    current->size() == 0
                        ? std::string("it is empty; set the whole sequence instead")
                        : fmt::format("use an index 0..{} after it", current->size() - 1);
                throw ConfigError(where, here,
                                  fmt::format("'{}' is a sequence of {} items: {}", walked,
                                              current->size(), hint));
            }
            Node& target = current->children()[item];
            if (last) {
                merge_into(target, value);
                return;
            }
            current = &target;
        } else {
            if (current->is_null()) {
                Node replacement = Node::map(where);
                replacement.set_key(current->key(), current->key_location());
                *current = std::move(replacement);
            }
            if (!current->is_map())
                throw ConfigError(
                    where, walked,
                    fmt::format("cannot set '{}': '{}' is {} (set at {}), not a map", path, walked,
                                current->describe(), current->location().str()));
            Node* next = current->find(part);
            if (last) {
                if (next != nullptr) {
                    merge_into(*next, value);
                } else {
                    current->set(part, where, std::move(value));
                }
                return;
            }
            if (next == nullptr) next = &current->set(part, where, Node::map(where));
            current = next;
        }
        walked = here;
    }
}

std::vector<BoardInfo> list_boards() {
    std::vector<BoardInfo> boards;
    const fs::path dir = fs::path(config_dir()) / "boards";
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return boards;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec) || entry.path().extension() != ".yaml") continue;
        BoardInfo info;
        info.stem = entry.path().stem().string();
        info.path = entry.path().string();
        try {
            const PlatformConfig cfg = PlatformConfig::from_tree(
                load_config_tree(info.path, {}, Location{"--list-boards", 0, 0}),
                display_path(info.path));
            info.name = cfg.board.name;
            info.description = cfg.board.description;
        } catch (const ConfigError& e) {
            info.valid = false;
            info.description = e.what();
        }
        boards.push_back(std::move(info));
    }
    std::sort(boards.begin(), boards.end(),
              [](const BoardInfo& a, const BoardInfo& b) { return a.stem < b.stem; });
    return boards;
}

PlatformConfig load_platform_config(const std::string& board,
                                    const std::vector<std::string>& sets) {
    const std::string path = resolve_board(board);
    return PlatformConfig::from_tree(load_config_tree(path, sets), display_path(path));
}

}  // namespace vp::config
