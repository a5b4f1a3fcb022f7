// Script parsing: the file, its list of steps, and the field helpers step parsers use.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include "models/core/tlm_util.h"
#include "platform/script/step_parser.h"
#include "platform/script/steps.h"

namespace vp::script {

namespace {

// The responses a script may expect (the single-beat accesses of a script cannot see
// burst or byte-enable errors).
const char* const kResponseNames[] = {"ok", "address_error", "generic_error", "command_error"};

const char* const kTimeUnits = "ps, ns, us, ms or s";

// Seconds per unit; nullptr-terminated table.
struct TimeUnit {
    const char* name;
    sc_core::sc_time_unit unit;
    double seconds;
};
const TimeUnit kUnits[] = {
    {"ps", sc_core::SC_PS, 1e-12}, {"ns", sc_core::SC_NS, 1e-9}, {"us", sc_core::SC_US, 1e-6},
    {"ms", sc_core::SC_MS, 1e-3},  {"s", sc_core::SC_SEC, 1.0},
};

// A wait or timeout longer than this is surely a typo (and would overflow sc_time).
constexpr double kMaxSeconds = 1e6;

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

// Optimal string alignment distance (a swap of two neighbours counts 1: "raed" → "read").
size_t edit_distance(const std::string& a, const std::string& b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1, 0));
    for (size_t i = 0; i <= n; ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= m; ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= n; ++i) {
        for (size_t j = 1; j <= m; ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
    auto close = close_matches(name, candidates, 1);
    return close.empty() ? std::string{} : fmt::format(" (did you mean '{}'?)", close.front());
}

std::string node_kind(const YAML::Node& n) {
    if (!n.IsDefined() || n.IsNull()) return "nothing";
    if (n.IsScalar()) return fmt::format("'{}'", n.Scalar());
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    return "something else";
}

Location mark_location(const std::string& file, const YAML::Mark& m, std::string path) {
    if (m.is_null() || m.line < 0) return Location{file, 1, 1, std::move(path)};
    return Location{file, m.line + 1, m.column + 1, std::move(path)};
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Errors, names, times

ScriptError::ScriptError(Location where, const std::string& message)
    : std::runtime_error([&] {
          std::string s = where.file;
          if (where.line > 0) s += fmt::format(":{}:{}", where.line, where.column);
          s += ": error: ";
          if (!where.path.empty()) s += where.path + ": ";
          return s + message;
      }()),
      where_(std::move(where)),
      message_(message) {}

const char* step_kind_name(StepKind kind) {
    switch (kind) {
        case StepKind::write:
            return "write";
        case StepKind::read:
            return "read";
        case StepKind::poll:
            return "poll";
        case StepKind::wait:
            return "wait";
        case StepKind::expect_irq:
            return "expect_irq";
        case StepKind::expect_stat:
            return "expect_stat";
        case StepKind::comment:
            return "comment";
        case StepKind::cpu:
            return "cpu";
    }
    return "?";
}

std::ostream& operator<<(std::ostream& os, StepKind kind) {
    return os << step_kind_name(kind);
}

std::string format_time(const sc_core::sc_time& t) {
    return fmt::format("{:.3f} us", t.to_seconds() * 1e6);
}

bool parse_number(const std::string& raw, uint64_t& out, std::string& error) {
    const std::string text = trim(raw);
    if (text.empty()) {
        error = "empty number";
        return false;
    }
    if (text[0] == '-') {
        error = "negative numbers are not allowed";
        return false;
    }
    unsigned base = 10;
    size_t i = 0;
    if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    }
    uint64_t v = 0;
    bool any = false, prev_digit = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '_') {
            // A separator only between two digits: 0x4804_C000.
            if (!prev_digit || i + 1 >= text.size() || text[i + 1] == '_') {
                error = "'_' is only allowed between digits";
                return false;
            }
            prev_digit = false;
            continue;
        }
        unsigned d;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A' + 10);
        else {
            error = base == 16 ? fmt::format("'{}' is not a hex digit", c)
                               : "expected a decimal or 0x hex number";
            return false;
        }
        if (v > (std::numeric_limits<uint64_t>::max() - d) / base) {
            error = "number too large for 64 bits";
            return false;
        }
        v = v * base + d;
        any = prev_digit = true;
    }
    if (!any) {
        error = "no digits after 0x";
        return false;
    }
    out = v;
    return true;
}

bool parse_time(const std::string& raw, sc_core::sc_time& out, std::string& error) {
    const std::string text = trim(raw);
    size_t i = 0;
    if (i < text.size() && text[i] == '-') {
        error = "negative time";
        return false;
    }
    bool digits = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
        ++i, digits = true;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i, digits = true;
    }
    if (!digits) {
        error = fmt::format("expected a number and a unit ({}), e.g. 10us", kTimeUnits);
        return false;
    }
    const double number = std::strtod(text.substr(0, i).c_str(), nullptr);
    const std::string unit = trim(text.substr(i));
    if (unit.empty()) {
        error =
            fmt::format("a time needs a unit ({}): write e.g. {}us", kTimeUnits, text.substr(0, i));
        return false;
    }
    for (const TimeUnit& u : kUnits) {
        if (unit == u.name) {
            if (number * u.seconds > kMaxSeconds) {
                error = fmt::format("time too long (at most {:g} s)", kMaxSeconds);
                return false;
            }
            out = sc_core::sc_time(number, u.unit);
            return true;
        }
    }
    error = fmt::format("unknown time unit '{}' (use {})", unit, kTimeUnits);
    return false;
}

std::vector<std::string> close_matches(const std::string& name,
                                       const std::vector<std::string>& candidates, size_t limit,
                                       size_t max_distance) {
    const size_t threshold = max_distance ? max_distance : std::max<size_t>(2, name.size() / 3);
    std::vector<std::pair<size_t, std::string>> scored;
    for (const auto& c : candidates) {
        const size_t d = edit_distance(name, c);
        if (d <= threshold) scored.emplace_back(d, c);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (const auto& [d, c] : scored) {
        if (out.size() >= limit) break;
        out.push_back(c);
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// StepParser

StepParser::StepParser(std::string file, std::string key, std::string path, const YAML::Node& item,
                       const YAML::Node& body)
    : file_(std::move(file)),
      key_(std::move(key)),
      path_(std::move(path)),
      item_(item),
      body_(body) {}

Location StepParser::where() const {
    Location l = mark_location(file_, item_.Mark(), path_);
    return l;
}

Location StepParser::where(const YAML::Node& node, const std::string& field) const {
    std::string path = field.empty() ? path_ : path_ + "." + field;
    YAML::Mark m = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    if (m.is_null() || m.line < 0) m = body_.Mark();
    if (m.is_null() || m.line < 0) m = item_.Mark();
    return mark_location(file_, m, std::move(path));
}

void StepParser::fail(const YAML::Node& node, const std::string& field,
                      const std::string& message) const {
    throw ScriptError(where(node, field), message);
}

void StepParser::fields(std::initializer_list<const char*> allowed) const {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    if (!body_.IsMap()) {
        fail(body_, "",
             fmt::format("expected a mapping like {{{}: …}}, got {}", names.front(),
                         node_kind(body_)));
    }
    std::set<std::string> seen;
    for (auto it = body_.begin(); it != body_.end(); ++it) {
        const YAML::Node k = it->first;
        if (!k.IsScalar()) fail(k, "", "a field name must be a plain word");
        const std::string name = k.Scalar();
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            fail(k, name,
                 fmt::format("unknown field '{}'{}; allowed: {}", name, did_you_mean(name, names),
                             join(names)));
        }
        if (!seen.insert(name).second) fail(k, name, fmt::format("duplicate field '{}'", name));
    }
}

StepParser StepParser::nested(const char* name) const {
    const YAML::Node n = field(name);
    return StepParser(file_, key_, path_ + "." + name, item_, n);
}

bool StepParser::has(const char* name) const {
    if (!body_.IsMap()) return false;
    const YAML::Node& b = body_;
    return b[name].IsDefined();
}

YAML::Node StepParser::field(const char* name) const {
    if (!has(name)) fail(body_, "", fmt::format("missing field '{}'", name));
    const YAML::Node& b = body_;
    return b[name];
}

std::string StepParser::scalar_of(const YAML::Node& n, const std::string& field,
                                  const char* what) const {
    if (!n.IsDefined() || n.IsNull()) fail(n, field, fmt::format("missing {}", what));
    if (!n.IsScalar()) fail(n, field, fmt::format("expected {}, got {}", what, node_kind(n)));
    return n.Scalar();
}

std::string StepParser::scalar() const {
    return scalar_of(body_, "", "a value");
}

uint64_t StepParser::number_of(const YAML::Node& n, const std::string& field, uint64_t max) const {
    const std::string text = scalar_of(n, field, "a number");
    uint64_t v = 0;
    std::string error;
    if (!parse_number(text, v, error))
        fail(n, field, fmt::format("bad number '{}': {}", text, error));
    if (v > max) fail(n, field, fmt::format("{} is out of range (at most {:#x})", text, max));
    return v;
}

uint64_t StepParser::number(const char* name, uint64_t max) const {
    return number_of(field(name), name, max);
}

unsigned StepParser::size(const char* name, bool allow_8) const {
    if (!has(name)) return kDefaultSize;
    const YAML::Node n = field(name);
    const uint64_t v = number_of(n, name, std::numeric_limits<uint64_t>::max());
    if (v != 1 && v != 2 && v != 4 && !(allow_8 && v == 8))
        fail(n, name,
             fmt::format("expected {}, got {}", allow_8 ? "1, 2, 4 or 8" : "1, 2 or 4", v));
    return static_cast<unsigned>(v);
}

uint64_t StepParser::sized(const char* name, unsigned size) const {
    const YAML::Node n = field(name);
    const uint64_t v = number_of(n, name, std::numeric_limits<uint64_t>::max());
    const uint64_t m = size_mask(size);
    if (v & ~m) {
        fail(n, name,
             fmt::format("{} {:#x} is wider than size {} (at most {:#x})", name, v, size, m));
    }
    return v;
}

sc_core::sc_time StepParser::time_of(const YAML::Node& n, const std::string& field) const {
    const std::string text = scalar_of(n, field, "a time such as 10us");
    sc_core::sc_time t;
    std::string error;
    if (!parse_time(text, t, error)) fail(n, field, fmt::format("bad time '{}': {}", text, error));
    return t;
}

sc_core::sc_time StepParser::time(const char* name) const {
    return time_of(field(name), name);
}

sc_core::sc_time StepParser::time_scalar() const {
    return time_of(body_, "");
}

tlm::tlm_response_status StepParser::response(const char* name) const {
    const YAML::Node n = field(name);
    const std::string text = scalar_of(n, name, "a response name");
    std::vector<std::string> names(std::begin(kResponseNames), std::end(kResponseNames));
    tlm::tlm_response_status s;
    if (std::find(names.begin(), names.end(), text) == names.end() ||
        !vp::parse_response_name(text, s)) {
        fail(n, name,
             fmt::format("unknown response '{}'{}; allowed: {}", text, did_you_mean(text, names),
                         join(names)));
    }
    return s;
}

bool StepParser::level(const char* name) const {
    const YAML::Node n = field(name);
    std::string text = scalar_of(n, name, "a level");
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (text == "1" || text == "true" || text == "high") return true;
    if (text == "0" || text == "false" || text == "low") return false;
    fail(n, name, fmt::format("bad level '{}': expected 1/0, true/false or high/low", n.Scalar()));
}

double StepParser::real(const char* name) const {
    const YAML::Node n = field(name);
    const std::string text = trim(scalar_of(n, name, "a number"));
    uint64_t u = 0;
    std::string error;
    if (parse_number(text, u, error)) return static_cast<double>(u);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) ||
        std::isalpha(static_cast<unsigned char>(text[0]))) {
        fail(n, name, fmt::format("bad number '{}': expected e.g. 42, 0x2a or 0.25", text));
    }
    return v;
}

std::string StepParser::text(const char* name) const {
    const YAML::Node n = field(name);
    return scalar_of(n, name, "a text");
}

// ---------------------------------------------------------------------------------------
// Registry

StepRegistry& StepRegistry::global() {
    static StepRegistry r = [] {
        StepRegistry b;
        add_builtin_steps(b);
        return b;
    }();
    return r;
}

void StepRegistry::add(const std::string& key, StepParseFn fn) {
    if (!parsers_.emplace(key, std::move(fn)).second)
        throw std::logic_error("script step registered twice: " + key);
}

const StepParseFn* StepRegistry::find(const std::string& key) const {
    auto it = parsers_.find(key);
    return it == parsers_.end() ? nullptr : &it->second;
}

std::vector<std::string> StepRegistry::keys() const {
    std::vector<std::string> out;
    for (const auto& [k, fn] : parsers_)
        out.push_back(k);
    return out;
}

// ---------------------------------------------------------------------------------------
// The script

namespace {

const char* const kExpectResponseKey = "expect_response";

std::unique_ptr<Step> parse_step(const std::string& file, size_t index, const YAML::Node& item,
                                 const StepRegistry& registry) {
    const std::string path = fmt::format("steps[{}]", index);
    const std::vector<std::string> keys = registry.keys();
    if (!item.IsMap()) {
        throw ScriptError(mark_location(file, item.Mark(), path),
                          fmt::format("a step is a mapping with one step key, e.g. "
                                      "`- read: {{addr: 0x44e07134}}`; got {}",
                                      node_kind(item)));
    }
    // yaml-cpp nodes are references: assigning one node to another would overwrite the
    // document, so the step's key and body are kept in an optional, never re-assigned.
    std::optional<std::pair<YAML::Node, YAML::Node>> found;
    std::set<std::string> seen;
    for (auto it = item.begin(); it != item.end(); ++it) {
        const YAML::Node k = it->first;
        const Location at = mark_location(file, k.Mark(), path);
        if (!k.IsScalar()) throw ScriptError(at, "a step key must be a plain word");
        const std::string name = k.Scalar();
        if (!seen.insert(name).second)
            throw ScriptError(at, fmt::format("duplicate step key '{}'", name));
        if (!registry.find(name)) {
            if (name == kExpectResponseKey) {
                throw ScriptError(at,
                                  "expect_response goes inside the read or write mapping, e.g. "
                                  "`- read: {addr: 0x60000000, expect_response: address_error}`");
            }
            throw ScriptError(at, fmt::format("unknown step '{}'{}; steps are: {}", name,
                                              did_you_mean(name, keys), join(keys)));
        }
        if (found) {
            throw ScriptError(at, fmt::format("more than one step key in one list item ('{}' and "
                                              "'{}'): give each step its own '-'",
                                              found->first.Scalar(), name));
        }
        found.emplace(k, it->second);
    }
    if (!found) {
        throw ScriptError(mark_location(file, item.Mark(), path),
                          fmt::format("empty step: expected one of {}", join(keys)));
    }
    const std::string key = found->first.Scalar();
    StepParser parser(file, key, path + "." + key, item, found->second);
    std::unique_ptr<Step> step = (*registry.find(key))(parser);
    if (!step) throw std::logic_error("script step parser returned nothing: " + key);
    return step;
}

// The map form `{description: …, steps: [...]}`: checks its keys, takes the description.
void check_map_form(const YAML::Node& root, const std::string& file, Script& script) {
    std::set<std::string> seen;
    const std::vector<std::string> allowed{"steps", "description"};
    for (auto it = root.begin(); it != root.end(); ++it) {
        const YAML::Node k = it->first;
        const std::string name = k.IsScalar() ? k.Scalar() : std::string("?");
        const Location at = mark_location(file, k.Mark(), name);
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            throw ScriptError(at, fmt::format("unknown top-level key '{}'{}; allowed: {}", name,
                                              did_you_mean(name, allowed), join(allowed)));
        }
        if (!seen.insert(name).second)
            throw ScriptError(at, fmt::format("duplicate key '{}'", name));
    }
    const YAML::Node d = root["description"];
    if (d.IsDefined() && !d.IsNull()) {
        if (!d.IsScalar())
            throw ScriptError(mark_location(file, d.Mark(), "description"),
                              "description must be a text");
        script.description = d.Scalar();
    }
    const YAML::Node steps = root["steps"];
    if (!steps.IsDefined())
        throw ScriptError(mark_location(file, root.Mark(), ""), "missing 'steps:' list");
    if (steps.IsNull())
        throw ScriptError(mark_location(file, steps.Mark(), "steps"), "empty script: no steps");
}

Script parse_root(const YAML::Node& root, const std::string& file, const StepRegistry& registry) {
    Script script;
    script.file = file;
    const Location top{file, 1, 1, ""};
    if (!root.IsDefined() || root.IsNull())
        throw ScriptError(top, "empty script: a script is a YAML list of steps");
    if (root.IsMap()) check_map_form(root, file, script);
    const YAML::Node steps = root.IsMap() ? root["steps"] : root;
    if (!steps.IsSequence()) {
        throw ScriptError(mark_location(file, steps.Mark(), root.IsMap() ? "steps" : ""),
                          fmt::format("a script is a YAML list of steps (or a mapping with "
                                      "`steps:`), got {}",
                                      node_kind(steps)));
    }
    if (steps.size() == 0)
        throw ScriptError(mark_location(file, steps.Mark(), ""), "empty script: no steps");
    for (size_t i = 0; i < steps.size(); ++i)
        script.steps.push_back(parse_step(file, i, steps[i], registry));
    return script;
}

}  // namespace

Script parse_script_text(const std::string& text, const std::string& file,
                         const StepRegistry& registry) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ScriptError(mark_location(file, e.mark, ""), "YAML syntax error: " + e.msg);
    }
    try {
        return parse_root(root, file, registry);
    } catch (const YAML::Exception& e) {
        // A yaml-cpp conversion error we did not foresee: still a clear script error.
        throw ScriptError(mark_location(file, e.mark, ""), e.msg);
    }
}

Script parse_script_text(const std::string& text, const std::string& file) {
    return parse_script_text(text, file, StepRegistry::global());
}

Script parse_script(const std::string& path, const StepRegistry& registry) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ScriptError(Location{path, 0, 0, ""}, "is a directory, not a script file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScriptError(Location{path, 0, 0, ""}, "cannot open the script file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ScriptError(Location{path, 0, 0, ""}, "cannot read the script file");
    return parse_script_text(text.str(), path, registry);
}

Script parse_script(const std::string& path) {
    return parse_script(path, StepRegistry::global());
}

}  // namespace vp::script
