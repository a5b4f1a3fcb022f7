#include "platform/config/node.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vp::config {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------
// Node

Node Node::null(Location where) {
    Node n;
    n.kind_ = Kind::null;
    n.location_ = std::move(where);
    return n;
}

Node Node::scalar(std::string text, Location where, bool quoted) {
    Node n;
    n.kind_ = Kind::scalar;
    n.text_ = std::move(text);
    n.quoted_ = quoted;
    n.location_ = std::move(where);
    return n;
}

Node Node::sequence(Location where) {
    Node n;
    n.kind_ = Kind::sequence;
    n.location_ = std::move(where);
    return n;
}

Node Node::map(Location where) {
    Node n;
    n.kind_ = Kind::map;
    n.location_ = std::move(where);
    return n;
}

void Node::set_key(std::string key, Location where) {
    key_ = std::move(key);
    key_location_ = std::move(where);
}

Node& Node::append(Node child) {
    children_.push_back(std::move(child));
    return children_.back();
}

const Node* Node::find(std::string_view key) const {
    if (kind_ != Kind::map) return nullptr;
    for (const auto& child : children_)
        if (child.key_ == key) return &child;
    return nullptr;
}

Node* Node::find(std::string_view key) {
    return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

std::vector<std::string> Node::keys() const {
    std::vector<std::string> out;
    if (kind_ == Kind::map)
        for (const auto& child : children_)
            out.push_back(child.key_);
    return out;
}

bool Node::erase(std::string_view key) {
    for (auto it = children_.begin(); it != children_.end(); ++it) {
        if (it->key_ == key) {
            children_.erase(it);
            return true;
        }
    }
    return false;
}

Node& Node::set(std::string key, Location key_where, Node value) {
    value.set_key(key, std::move(key_where));
    if (Node* existing = find(key)) {
        *existing = std::move(value);
        return *existing;
    }
    return append(std::move(value));
}

const Node* Node::find_path(std::string_view dotted) const {
    const Node* current = this;
    while (current != nullptr && !dotted.empty()) {
        const auto dot = dotted.find('.');
        current = current->find(dotted.substr(0, dot));
        dotted = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot + 1);
    }
    return current;
}

const Node& Node::at_path(std::string_view dotted) const {
    const Node* found = find_path(dotted);
    if (found == nullptr) throw ConfigError(location_, std::string(dotted), "missing required key");
    return *found;
}

namespace {

template <typename T>
const T& value_as(const Node::Value& v, const char* type_name, const std::string& key) {
    if (const T* p = std::get_if<T>(&v)) return *p;
    throw std::logic_error(
        fmt::format("configuration key '{}' holds no validated {} value", key, type_name));
}

}  // namespace

std::int64_t Node::as_int() const {
    return value_as<std::int64_t>(value_, "int", key_);
}
std::uint64_t Node::as_uint() const {
    return value_as<std::uint64_t>(value_, "uint", key_);
}
double Node::as_double() const {
    return value_as<double>(value_, "double", key_);
}
bool Node::as_bool() const {
    return value_as<bool>(value_, "bool", key_);
}

const std::string& Node::as_string() const {
    if (kind_ != Kind::scalar)
        throw std::logic_error(fmt::format("configuration key '{}' is not a scalar", key_));
    return text_;
}

std::string Node::describe() const {
    switch (kind_) {
        case Kind::null:
            return "an empty value";
        case Kind::map:
            return "a map";
        case Kind::sequence:
            return "a sequence";
        case Kind::scalar:
            break;
    }
    constexpr std::size_t kMaxShown = 40;
    if (text_.size() > kMaxShown) return fmt::format("'{}...'", text_.substr(0, kMaxShown));
    return fmt::format("'{}'", text_);
}

// ---------------------------------------------------------------------------------------
// YAML → Node

std::string display_path(const std::string& path) {
    const fs::path p = fs::path(path).lexically_normal();
    if (p.is_absolute()) {
        std::error_code ec;
        const fs::path cwd = fs::current_path(ec);
        if (!ec) {
            const fs::path rel = p.lexically_relative(cwd);
            if (!rel.empty() && *rel.begin() != "..") return rel.string();
        }
    }
    return p.string();
}

namespace {

std::string join_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

class Converter {
  public:
    // `forced`: when set, every node gets this location (values from the command line).
    Converter(std::string file, const Location* forced) : file_(std::move(file)), forced_(forced) {}

    Location where(const YAML::Mark& mark, const Location& fallback) const {
        if (forced_ != nullptr) return *forced_;
        if (mark.is_null() || mark.line < 0) return fallback;
        return Location{file_, mark.line + 1, mark.column + 1};
    }

    Node convert(const YAML::Node& y, const Location& fallback, const std::string& path) const {
        switch (y.Type()) {
            case YAML::NodeType::Undefined:
            case YAML::NodeType::Null:
                // yaml-cpp marks an empty value at the next token; the key is the better place.
                return Node::null(forced_ != nullptr ? *forced_ : fallback);
            case YAML::NodeType::Scalar:
                return Node::scalar(y.Scalar(), where(y.Mark(), fallback), y.Tag() != "?");
            case YAML::NodeType::Sequence: {
                Node seq = Node::sequence(where(y.Mark(), fallback));
                std::size_t index = 0;
                for (const auto& item : y) {
                    seq.append(convert(item, seq.location(), fmt::format("{}[{}]", path, index)));
                    ++index;
                }
                return seq;
            }
            case YAML::NodeType::Map:
                return convert_map(y, fallback, path);
        }
        return Node::null(fallback);
    }

  private:
    Node convert_map(const YAML::Node& y, const Location& fallback, const std::string& path) const {
        Node map = Node::map(where(y.Mark(), fallback));
        for (auto it = y.begin(); it != y.end(); ++it) {
            const Location key_loc = where(it->first.Mark(), map.location());
            if (!it->first.IsScalar())
                throw ConfigError(key_loc, path,
                                  "map keys must be plain words, not a map or sequence");
            const std::string key = it->first.Scalar();
            const std::string child_path = join_path(path, key);
            if (const Node* first = map.find(key)) {
                throw ConfigError(key_loc, child_path,
                                  fmt::format("duplicate key '{}' (first defined at {})", key,
                                              first->key_location().str()));
            }
            Node child = convert(it->second, key_loc, child_path);
            child.set_key(key, key_loc);
            map.append(std::move(child));
        }
        return map;
    }

    std::string file_;
    const Location* forced_;
};

// The 0-based line `index` of `text`, or "" past the end.
std::string line_at(const std::string& text, int index) {
    std::istringstream in(text);
    std::string line;
    for (int i = 0; std::getline(in, line); ++i)
        if (i == index) return line;
    return "";
}

ConfigError syntax_error(const std::string& file, const std::string& text,
                         const YAML::Exception& e) {
    Location loc{file, 0, 0};
    std::string hint;
    if (!e.mark.is_null()) {
        loc = Location{file, e.mark.line + 1, e.mark.column + 1};
        if (line_at(text, e.mark.line).find('\t') != std::string::npos)
            hint = " (this line holds a tab: YAML indents with spaces only)";
    }
    return ConfigError(loc, "", fmt::format("YAML syntax error: {}{}", e.msg, hint));
}

}  // namespace

Node parse_yaml_file(const std::string& path, const Location& included_from,
                     const std::string& key_path) {
    const std::string shown = display_path(path);
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw ConfigError(included_from, key_path, fmt::format("file '{}' does not exist", shown));
    if (fs::is_directory(path, ec))
        throw ConfigError(included_from, key_path,
                          fmt::format("'{}' is a directory, not a YAML file", shown));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError(included_from, key_path, fmt::format("cannot read file '{}'", shown));
    std::stringstream buffer;
    buffer << in.rdbuf();

    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(buffer.str());
    } catch (const YAML::Exception& e) {
        throw syntax_error(shown, buffer.str(), e);
    }
    const Location top{shown, 1, 1};
    if (docs.empty()) return Node::map(top);
    if (docs.size() > 1) {
        throw ConfigError(Converter(shown, nullptr).where(docs[1].Mark(), top), "",
                          "a configuration file holds one YAML document; found a second one");
    }
    const YAML::Node& doc = docs.front();
    if (doc.IsNull()) return Node::map(top);
    if (!doc.IsMap()) {
        const Location loc = Converter(shown, nullptr).where(doc.Mark(), top);
        throw ConfigError(loc, "",
                          "the top level of a configuration file must be a map of sections");
    }
    try {
        return Converter(shown, nullptr).convert(doc, top, "");
    } catch (const YAML::Exception& e) {
        throw syntax_error(shown, buffer.str(), e);
    }
}

Node parse_yaml_value(const std::string& text, const Location& where, const std::string& key_path) {
    YAML::Node y;
    try {
        y = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError(where, key_path, fmt::format("cannot parse value '{}': {}", text, e.msg));
    }
    return Converter(where.file, &where).convert(y, where, key_path);
}

void merge_into(Node& base, const Node& overlay) {
    if (base.is_map() && overlay.is_map()) {
        base.set_location(overlay.location());
        for (const auto& child : overlay.children()) {
            if (Node* existing = base.find(child.key())) {
                merge_into(*existing, child);
                existing->set_key(child.key(), child.key_location());
            } else {
                base.append(child);
            }
        }
        return;
    }
    const std::string key = base.key();
    const Location key_loc = overlay.key().empty() ? base.key_location() : overlay.key_location();
    base = overlay;
    base.set_key(key, key_loc);
}

// ---------------------------------------------------------------------------------------
// Node → YAML text with provenance comments

namespace {

constexpr int kIndentStep = 2;

bool plain_key(const std::string& key) {
    if (key.empty()) return false;
    for (char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '/';
        if (!ok) return false;
    }
    return true;
}

std::string double_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
                else
                    out += c;
        }
    }
    return out + "\"";
}

std::string emit_key(const std::string& key) {
    return plain_key(key) ? key : double_quoted(key);
}

std::string emit_scalar(const Node& n, bool in_flow = false) {
    if (n.is_null()) return "~";
    if (n.quoted() || n.text().empty()) return double_quoted(n.text());
    if (in_flow && n.text().find_first_of(",[]{}#") != std::string::npos)
        return double_quoted(n.text());
    return n.text();
}

std::string provenance(const Location& loc) {
    if (loc.is_default()) return "# default";
    if (loc.line > 0) return fmt::format("# {}:{}", loc.file, loc.line);
    return "# " + loc.file;
}

bool flow_sequence(const Node& n) {
    for (const auto& item : n.children())
        if (!item.is_scalar() && !item.is_null()) return false;
    return true;
}

std::string flow_text(const Node& seq) {
    std::string out = "[";
    bool first = true;
    for (const auto& item : seq.children()) {
        if (!first) out += ", ";
        out += emit_scalar(item, true);
        first = false;
    }
    return out + "]";
}

void emit_map_children(const Node& map, int indent, bool first_inline, std::string& out);

// Emits "<prefix>value" lines for a value that follows "key:" or "- ".
void emit_value_after(const Node& n, int indent, std::string& out) {
    if (n.is_map()) {
        if (n.children().empty()) {
            out += " {}  " + provenance(n.location()) + "\n";
            return;
        }
        out += "\n";
        emit_map_children(n, indent + kIndentStep, false, out);
        return;
    }
    if (n.is_sequence()) {
        if (flow_sequence(n)) {
            out += " " + flow_text(n) + "  " + provenance(n.location()) + "\n";
            return;
        }
        out += "\n";
        for (const auto& item : n.children()) {
            out += std::string(static_cast<std::size_t>(indent + kIndentStep), ' ') + "-";
            if (item.is_map() && !item.children().empty()) {
                out += " ";
                emit_map_children(item, indent + 2 * kIndentStep, true, out);
            } else {
                emit_value_after(item, indent + kIndentStep, out);
            }
        }
        return;
    }
    out += " " + emit_scalar(n) + "  " + provenance(n.location()) + "\n";
}

void emit_map_children(const Node& map, int indent, bool first_inline, std::string& out) {
    bool first = true;
    for (const auto& child : map.children()) {
        if (!(first && first_inline)) out += std::string(static_cast<std::size_t>(indent), ' ');
        first = false;
        out += emit_key(child.key()) + ":";
        emit_value_after(child, indent, out);
    }
}

}  // namespace

std::string to_yaml(const Node& root) {
    std::string out;
    if (!root.is_map()) {
        emit_value_after(root, -kIndentStep, out);
        return out;
    }
    emit_map_children(root, 0, false, out);
    return out;
}

}  // namespace vp::config
