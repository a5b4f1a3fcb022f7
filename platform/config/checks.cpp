// Semantic checks that follow the schema (DESIGN.md §7): each failure is one ConfigError
// naming the key, its location and, for conflicts, the other party's location.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "platform/config/detail.h"
#include "platform/config/platform_config.h"

namespace vp::config::detail {

namespace {

// 4 KiB: the granule every region base and size must respect (the smallest MMU page and
// the smallest L4 target window, am335x.md §1).
constexpr std::uint64_t kRegionGranule = 4 * kKiB;
constexpr std::uint64_t kAddressSpace = 1ULL << 32;

// Clock-control register blocks a clkctrl name may start with (PRCM, am335x.md §3).
const std::vector<std::string>& clock_modules() {
    static const std::vector<std::string> names{"cm_per",    "cm_wkup", "cm_dpll", "cm_mpu",
                                                "cm_device", "cm_rtc",  "cm_gfx",  "cm_cefuse"};
    return names;
}

std::uint32_t u32(const Node& node, const char* key) {
    return static_cast<std::uint32_t>(child(node, key).as_uint());
}

std::string range_text(std::uint64_t base, std::uint64_t size) {
    return fmt::format("[{}, {}]", format_hex(base), format_hex(base + size - 1));
}

void check_domains(const Node& root) {
    const Node& domains = root.at_path("interconnect.domains");
    const std::vector<std::string> names = domains.keys();
    for (const auto& d : domains.children()) {
        const Node& parent = child(d, "parent");
        if (parent.is_null()) continue;
        if (domains.find(parent.text()) == nullptr) {
            throw ConfigError(
                parent.location(), "interconnect.domains." + d.key() + ".parent",
                fmt::format("unknown interconnect domain '{}'{}; defined domains: {}",
                            parent.text(), did_you_mean(parent.text(), names), join_words(names)));
        }
    }
    for (const auto& d : domains.children()) {
        std::vector<std::string> walk{d.key()};
        const Node* current = &d;
        while (true) {
            const Node& parent = child(*current, "parent");
            if (parent.is_null()) break;
            const std::string& next = parent.text();
            if (std::find(walk.begin(), walk.end(), next) != walk.end()) {
                if (next == d.key()) {
                    const Node& own_parent = child(d, "parent");
                    std::string cycle;
                    for (const auto& w : walk)
                        cycle += w + " -> ";
                    throw ConfigError(own_parent.location(),
                                      "interconnect.domains." + d.key() + ".parent",
                                      fmt::format("domain parent cycle: {}{}", cycle, next));
                }
                break;  // a cycle further up: reported when its first member is checked
            }
            walk.push_back(next);
            current = domains.find(next);
        }
    }
}

void check_ddr(const Node& root) {
    const Node& ddr = child(root, "ddr");
    const Node& size_node = child(ddr, "size");
    const std::uint64_t size = size_node.as_uint();
    if (size > kEmifWindow) {
        throw ConfigError(
            size_node.location(), "ddr.size",
            fmt::format("{} is larger than the {} EMIF0 SDRAM window ({} .. {}, "
                        "am335x.md §1.1)",
                        format_size(size), format_size(kEmifWindow), format_hex(kEmifWindowBase),
                        format_hex(kEmifWindowBase + kEmifWindow - 1)));
    }
    const Node& g = child(ddr, "geometry");
    DdrGeometry geometry{u32(g, "banks"), u32(g, "row_bits"), u32(g, "col_bits"),
                         u32(g, "bus_bits")};
    if (geometry.bytes() != size) {
        throw ConfigError(
            size_node.location(), "ddr.size",
            fmt::format("{} does not match the geometry: {} banks x 2^{} rows x 2^{} "
                        "columns x {} bytes = {}",
                        format_size(size), geometry.banks, geometry.row_bits, geometry.col_bits,
                        geometry.bus_bits / kBitsPerByte, format_size(geometry.bytes())));
    }
    const Node& t = child(ddr, "timing");
    const Node& tras = child(t, "tras");
    if (tras.as_uint() < child(t, "trcd").as_uint()) {
        throw ConfigError(tras.location(), "ddr.timing.tras",
                          fmt::format("tras ({}) must be at least trcd ({}) (TRM Table 7-228)",
                                      tras.as_uint(), child(t, "trcd").as_uint()));
    }
}

void check_tlbs(const Node& root) {
    for (const char* which : {"itlb", "dtlb", "l2_tlb"}) {
        const Node& tlb = root.at_path(fmt::format("cpu.{}", which));
        const Node& ways = child(tlb, "ways");
        const std::uint64_t entries = child(tlb, "entries").as_uint();
        if (ways.as_uint() > entries || entries % ways.as_uint() != 0) {
            throw ConfigError(ways.location(), fmt::format("cpu.{}.ways", which),
                              fmt::format("{} ways do not divide {} entries into whole sets",
                                          ways.as_uint(), entries));
        }
        // Sets are indexed by VA bits (docs/models/mmu.md): their number is a power of two.
        const std::uint64_t sets = entries / ways.as_uint();
        if ((sets & (sets - 1)) != 0) {
            throw ConfigError(ways.location(), fmt::format("cpu.{}.ways", which),
                              fmt::format("{} entries / {} ways = {} sets: the number of sets "
                                          "must be a power of two",
                                          entries, ways.as_uint(), sets));
        }
    }
}

void check_workloads(const Node& root) {
    // pointer-chase needs a cycle of at least two nodes `stride` bytes apart.
    const Node& chase = root.at_path("workload.pointer_chase");
    const Node& stride = child(chase, "stride");
    const std::uint64_t size = child(chase, "size").as_uint();
    if (size / stride.as_uint() < 2) {
        throw ConfigError(stride.location(), "workload.pointer_chase.stride",
                          fmt::format("a {}-byte buffer holds fewer than two nodes {} bytes apart",
                                      size, stride.as_uint()));
    }
}

bool valid_clkctrl(const std::string& text) {
    const auto dot = text.find('.');
    if (dot == std::string::npos || dot + 1 >= text.size()) return false;
    const std::string module = text.substr(dot + 1);
    const auto& blocks = clock_modules();
    if (std::find(blocks.begin(), blocks.end(), text.substr(0, dot)) == blocks.end()) return false;
    return std::all_of(module.begin(), module.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

struct Placed {
    std::string name;
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::size_t order = 0;
    Location location;
};

void check_regions(Node& root) {
    Node& regions = *root.find("memory_map");
    const Node& domains = root.at_path("interconnect.domains");
    const std::vector<std::string> domain_names = domains.keys();
    const Node& ddr_size = root.at_path("ddr.size");

    std::vector<Placed> placed;
    std::map<std::uint64_t, std::pair<std::string, Location>> irq_owner;

    for (auto& r : regions.children()) {
        const std::string path = "memory_map." + r.key();
        const Node& domain = child(r, "domain");
        if (domains.find(domain.text()) == nullptr) {
            throw ConfigError(domain.location(), path + ".domain",
                              fmt::format("unknown interconnect domain '{}'{}; defined domains: {}",
                                          domain.text(), did_you_mean(domain.text(), domain_names),
                                          join_words(domain_names)));
        }

        const bool is_ddr = child(r, "model").text() == region_model_name(RegionModel::ddr);
        const Node* size = r.find("size");
        if (size == nullptr) {
            if (!is_ddr)
                throw ConfigError(r.location(), path + ".size", "missing required key 'size'");
            Node copy = ddr_size;
            size = &r.set("size", ddr_size.key_location(), std::move(copy));
        } else if (is_ddr && size->as_uint() != ddr_size.as_uint()) {
            throw ConfigError(
                size->location(), path + ".size",
                fmt::format("{} differs from ddr.size {} (set at {}); leave the "
                            "region size out to follow ddr.size",
                            format_size(size->as_uint()), format_size(ddr_size.as_uint()),
                            ddr_size.location().str()));
        }

        const Node& base_node = child(r, "base");
        const std::uint64_t base = base_node.as_uint();
        const std::uint64_t bytes = size->as_uint();
        if (base % kRegionGranule != 0)
            throw ConfigError(base_node.location(), path + ".base",
                              fmt::format("base {} is not 4 KiB aligned", format_hex(base)));
        if (bytes % kRegionGranule != 0)
            throw ConfigError(size->location(), path + ".size",
                              fmt::format("size {} ({}) is not a multiple of 4 KiB",
                                          format_size(bytes), format_hex(bytes)));
        if (base + bytes > kAddressSpace)
            throw ConfigError(base_node.location(), path,
                              fmt::format("region {} ends beyond the 32-bit address space",
                                          range_text(base, bytes)));

        if (is_ddr && (base < kEmifWindowBase || base + bytes > kEmifWindowBase + kEmifWindow))
            throw ConfigError(
                base_node.location(), path + ".base",
                fmt::format("a ddr region must lie in the EMIF0 SDRAM window {} .. {} "
                            "(am335x.md §1.1); {} is outside",
                            format_hex(kEmifWindowBase),
                            format_hex(kEmifWindowBase + kEmifWindow - 1),
                            range_text(base, bytes)));

        const Node& clkctrl = child(r, "clkctrl");
        if (!clkctrl.text().empty() && !valid_clkctrl(clkctrl.text())) {
            throw ConfigError(clkctrl.location(), path + ".clkctrl",
                              fmt::format("'{}' is not <cm>.<module> with <cm> one of {} and "
                                          "<module> in a-z, 0-9, _",
                                          clkctrl.text(), join_words(clock_modules())));
        }

        std::size_t index = 0;
        for (const auto& irq : child(r, "irq").children()) {
            const std::uint64_t line = irq.as_uint();
            const auto owner = irq_owner.find(line);
            if (owner != irq_owner.end()) {
                const std::string where =
                    owner->second.first == r.key()
                        ? "listed twice in this region"
                        : fmt::format("already wired to region '{}' ({})", owner->second.first,
                                      owner->second.second.str());
                throw ConfigError(irq.location(), fmt::format("{}.irq[{}]", path, index),
                                  fmt::format("IRQ {} is {}", line, where));
            }
            irq_owner.emplace(line, std::make_pair(r.key(), irq.location()));
            ++index;
        }
        placed.push_back(Placed{r.key(), base, bytes, placed.size(), base_node.location()});
    }

    std::vector<Placed> sorted = placed;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Placed& a, const Placed& b) { return a.base < b.base; });
    const Placed* reach = nullptr;  // the region reaching highest so far
    for (const auto& p : sorted) {
        if (reach != nullptr && p.base <= reach->base + reach->size - 1) {
            const Placed& later = p.order > reach->order ? p : *reach;
            const Placed& earlier = p.order > reach->order ? *reach : p;
            throw ConfigError(
                later.location, "memory_map." + later.name,
                fmt::format("region '{}' {} overlaps region '{}' {} (defined at {})", later.name,
                            range_text(later.base, later.size), earlier.name,
                            range_text(earlier.base, earlier.size), earlier.location.str()));
        }
        if (reach == nullptr || p.base + p.size > reach->base + reach->size) reach = &p;
    }
}

}  // namespace

const Node& child(const Node& node, const char* key) {
    const Node* c = node.find(key);
    if (c == nullptr)
        throw std::logic_error(fmt::format("validated configuration lacks key '{}'", key));
    return *c;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : ", ") + w;
    return out;
}

void check_semantics(Node& tree) {
    check_domains(tree);
    check_tlbs(tree);
    check_workloads(tree);
    check_ddr(tree);
    check_regions(tree);
}

}  // namespace vp::config::detail
