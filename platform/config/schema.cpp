#include "platform/config/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "platform/config/values.h"

namespace vp::config {

std::string join_key(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

// ---------------------------------------------------------------------------------------
// Construction

Schema Schema::map(std::string doc, std::vector<Schema> fields) {
    Schema s(Type::map, std::move(doc));
    s.children_ = std::move(fields);
    return s;
}

Schema Schema::dict(std::string key_label, std::string doc, Schema value, KeyStyle keys) {
    Schema s(Type::dict, std::move(doc));
    s.key_label_ = std::move(key_label);
    s.key_style_ = keys;
    s.children_.push_back(std::move(value));
    return s;
}

Schema Schema::seq(std::string doc, Schema element) {
    Schema s(Type::seq, std::move(doc));
    s.children_.push_back(std::move(element));
    return s;
}

Schema Schema::integer(std::string doc) {
    return Schema(Type::integer, std::move(doc));
}
Schema Schema::uinteger(std::string doc) {
    return Schema(Type::uinteger, std::move(doc));
}
Schema Schema::boolean(std::string doc) {
    return Schema(Type::boolean, std::move(doc));
}
Schema Schema::string(std::string doc) {
    return Schema(Type::string, std::move(doc));
}
Schema Schema::size(std::string doc) {
    return Schema(Type::size, std::move(doc));
}
Schema Schema::frequency(std::string doc) {
    return Schema(Type::frequency, std::move(doc));
}
Schema Schema::time(std::string doc) {
    return Schema(Type::time, std::move(doc));
}

Schema Schema::enumeration(std::vector<std::string> words, std::string doc) {
    Schema s(Type::enumeration, std::move(doc));
    s.words_ = std::move(words);
    return s;
}

Schema&& Schema::def(std::string yaml_text) && {
    presence_ = Presence::defaulted;
    default_ = std::move(yaml_text);
    return std::move(*this);
}

Schema&& Schema::required() && {
    presence_ = Presence::required;
    return std::move(*this);
}

Schema&& Schema::optional() && {
    presence_ = Presence::optional;
    return std::move(*this);
}

Schema&& Schema::nullable() && {
    nullable_ = true;
    return std::move(*this);
}

Schema&& Schema::range(long double lo, long double hi) && {
    min_ = lo;
    max_ = hi;
    return std::move(*this);
}

Schema&& Schema::min(long double lo) && {
    min_ = lo;
    return std::move(*this);
}

Schema&& Schema::max(long double hi) && {
    max_ = hi;
    return std::move(*this);
}

Schema&& Schema::choices(std::vector<long double> allowed) && {
    choices_ = std::move(allowed);
    return std::move(*this);
}

Schema&& Schema::hex() && {
    hex_ = true;
    return std::move(*this);
}

Schema&& Schema::max_length(std::size_t chars) && {
    max_length_ = chars;
    return std::move(*this);
}

Schema&& Schema::named(std::string name) && {
    name_ = std::move(name);
    return std::move(*this);
}

bool Schema::is_scalar() const {
    return type_ != Type::map && type_ != Type::dict && type_ != Type::seq;
}

const Schema* Schema::field(const std::string& name) const {
    if (type_ != Type::map) return nullptr;
    for (const auto& f : children_)
        if (f.name_ == name) return &f;
    return nullptr;
}

// ---------------------------------------------------------------------------------------
// Descriptions

namespace {

std::string join_words(const std::vector<std::string>& words, const char* separator) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += separator;
        out += w;
    }
    return out;
}

bool is_identifier(const std::string& key) {
    if (key.empty() || key.front() < 'a' || key.front() > 'z') return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

std::string Schema::expectation() const {
    switch (type_) {
        case Type::map:
            return "a map";
        case Type::dict:
            return fmt::format("a map of {} names", key_label_);
        case Type::seq:
            return "a sequence like [1, 2]";
        case Type::integer:
            return hex_ ? "an integer like 0x1000" : "an integer";
        case Type::uinteger:
            return hex_ ? "a non-negative integer like 0x1000" : "a non-negative integer";
        case Type::boolean:
            return "true or false";
        case Type::string:
            return "a string";
        case Type::enumeration:
            return "one of: " + join_words(words_, ", ");
        case Type::size:
            return "a size like 64KiB";
        case Type::frequency:
            return "a frequency in MHz like 400";
        case Type::time:
            return "a time like 10us";
    }
    return "a value";
}

std::string Schema::type_name() const {
    switch (type_) {
        case Type::map:
            return "map";
        case Type::dict:
            return fmt::format("map: {} → {}", key_label_, element().type_name());
        case Type::seq:
            return "list of " + element().type_name();
        case Type::integer:
            return "int";
        case Type::uinteger:
            return "uint";
        case Type::boolean:
            return "bool";
        case Type::string:
            return "string";
        case Type::enumeration:
            return "enum";
        case Type::size:
            return "size";
        case Type::frequency:
            return "frequency (MHz)";
        case Type::time:
            return "time";
    }
    return "?";
}

std::string Schema::format_number(long double v) const {
    switch (type_) {
        case Type::size:
            return format_size(static_cast<std::uint64_t>(v));
        case Type::time:
            return format_time(static_cast<std::uint64_t>(v));
        case Type::frequency:
            return format_mhz(static_cast<double>(v));
        case Type::integer:
            return fmt::format("{}", static_cast<std::int64_t>(v));
        case Type::uinteger:
            return hex_ ? format_hex(static_cast<std::uint64_t>(v))
                        : fmt::format("{}", static_cast<std::uint64_t>(v));
        default:
            return fmt::format("{}", static_cast<double>(v));
    }
}

std::string Schema::constraint_text() const {
    std::string out;
    if (type_ == Type::enumeration) out = join_words(words_, " | ");
    if (type_ == Type::dict && key_style_ == KeyStyle::identifier)
        out = fmt::format("{} names: a-z, 0-9, _", key_label_);
    if (type_ == Type::seq) out = element().constraint_text();
    if (!choices_.empty()) {
        std::vector<std::string> shown;
        for (long double c : choices_)
            shown.push_back(format_number(c));
        out = "one of " + join_words(shown, ", ");
    } else if (min_ && max_) {
        out = format_number(*min_) + " .. " + format_number(*max_);
    } else if (min_) {
        out = "≥ " + format_number(*min_);
    } else if (max_) {
        out = "≤ " + format_number(*max_);
    }
    if (max_length_) out = fmt::format("at most {} characters", *max_length_);
    if (nullable_) out += out.empty() ? "~ allowed" : " or ~";
    return out;
}

// ---------------------------------------------------------------------------------------
// Validation

Node Schema::default_node() const {
    return parse_yaml_value(default_, Location::builtin_default(), name_);
}

void Schema::validate(Node& node, const std::string& path) const {
    switch (type_) {
        case Type::map:
            validate_map(node, path);
            return;
        case Type::dict:
            validate_dict(node, path);
            return;
        case Type::seq:
            validate_seq(node, path);
            return;
        default:
            validate_scalar(node, path);
            return;
    }
}

namespace {

// An empty value where a map or sequence is expected ("refresh:") means "empty".
void null_to(Node& node, Node::Kind kind) {
    if (!node.is_null()) return;
    Node replacement =
        kind == Node::Kind::map ? Node::map(node.location()) : Node::sequence(node.location());
    replacement.set_key(node.key(), node.key_location());
    node = std::move(replacement);
}

}  // namespace

void Schema::validate_map(Node& node, const std::string& path) const {
    null_to(node, Node::Kind::map);
    if (!node.is_map())
        throw ConfigError(node.location(), path,
                          fmt::format("expected {}, got {}", expectation(), node.describe()));

    std::vector<std::string> names;
    for (const auto& f : children_)
        names.push_back(f.name_);

    for (auto& child : node.children()) {
        const std::string child_path = join_key(path, child.key());
        const Schema* f = field(child.key());
        if (f == nullptr) {
            throw ConfigError(
                child.key_location(), child_path,
                fmt::format("unknown key '{}'{}", child.key(), did_you_mean(child.key(), names)));
        }
        f->validate(child, child_path);
    }

    for (const auto& f : children_) {
        if (node.find(f.name_) != nullptr) continue;
        const std::string child_path = join_key(path, f.name_);
        if (f.type_ == Type::map || f.type_ == Type::dict) {
            // Sections are always present: validate an empty one so that its defaults are
            // filled in and its required keys are reported.
            Node& child = node.set(f.name_, node.location(), Node::map(node.location()));
            f.validate(child, child_path);
            continue;
        }
        switch (f.presence_) {
            case Presence::required:
                throw ConfigError(node.location(), child_path,
                                  fmt::format("missing required key '{}'", f.name_));
            case Presence::defaulted: {
                Node value = f.default_node();
                Node& child = node.set(f.name_, Location::builtin_default(), std::move(value));
                f.validate(child, child_path);
                break;
            }
            case Presence::optional:
                break;
        }
    }
}

void Schema::validate_dict(Node& node, const std::string& path) const {
    null_to(node, Node::Kind::map);
    if (!node.is_map())
        throw ConfigError(node.location(), path,
                          fmt::format("expected {}, got {}", expectation(), node.describe()));
    for (auto& child : node.children()) {
        const std::string child_path = join_key(path, child.key());
        if (key_style_ == KeyStyle::identifier && !is_identifier(child.key())) {
            throw ConfigError(child.key_location(), child_path,
                              fmt::format("{} name '{}' must start with a lower-case letter and "
                                          "hold only a-z, 0-9 and _",
                                          key_label_, child.key()));
        }
        if (key_style_ == KeyStyle::any && child.key().empty())
            throw ConfigError(child.key_location(), child_path,
                              fmt::format("{} name must not be empty", key_label_));
        element().validate(child, child_path);
    }
}

void Schema::validate_seq(Node& node, const std::string& path) const {
    null_to(node, Node::Kind::sequence);
    if (!node.is_sequence())
        throw ConfigError(node.location(), path,
                          fmt::format("expected {}, got {}", expectation(), node.describe()));
    std::size_t index = 0;
    for (auto& item : node.children()) {
        element().validate(item, fmt::format("{}[{}]", path, index));
        ++index;
    }
}

void Schema::check_numeric(const Node& node, const std::string& path, long double v) const {
    // Frequencies are parsed as double: compare in double so that "19.2" equals 19.2L.
    const auto same = [&](long double a) {
        return type_ == Type::frequency ? static_cast<double>(a) == static_cast<double>(v) : a == v;
    };
    const auto less = [&](long double a, long double b) {
        return type_ == Type::frequency ? static_cast<double>(a) < static_cast<double>(b) : a < b;
    };
    if (!choices_.empty()) {
        if (std::none_of(choices_.begin(), choices_.end(), same))
            throw ConfigError(
                node.location(), path,
                fmt::format("value {} is not allowed: use {}", node.text(), constraint_text()));
        return;
    }
    const bool below = min_ && less(v, *min_);
    const bool above = max_ && less(*max_, v);
    if (!below && !above) return;
    std::string msg;
    if (min_ && max_)
        msg = fmt::format("value {} is out of range {} .. {}", node.text(), format_number(*min_),
                          format_number(*max_));
    else if (below)
        msg = fmt::format("value {} is below the minimum {}", node.text(), format_number(*min_));
    else
        msg = fmt::format("value {} is above the maximum {}", node.text(), format_number(*max_));
    throw ConfigError(node.location(), path, msg);
}

void Schema::validate_scalar(Node& node, const std::string& path) const {
    if (node.is_null()) {
        if (nullable_) {
            node.set_value(std::monostate{});
            return;
        }
        throw ConfigError(node.location(), path,
                          fmt::format("expected {}, got an empty value", expectation()));
    }
    if (!node.is_scalar())
        throw ConfigError(node.location(), path,
                          fmt::format("expected {}, got {}", expectation(), node.describe()));

    const std::string& text = node.text();
    const auto wrong_type = [&]() {
        return ConfigError(node.location(), path,
                           fmt::format("expected {}, got {}", expectation(), node.describe()));
    };
    switch (type_) {
        case Type::integer: {
            std::int64_t v = 0;
            if (!parse_int(text, v)) throw wrong_type();
            check_numeric(node, path, static_cast<long double>(v));
            node.set_value(v);
            return;
        }
        case Type::uinteger: {
            std::uint64_t v = 0;
            if (!parse_uint(text, v)) throw wrong_type();
            check_numeric(node, path, static_cast<long double>(v));
            node.set_value(v);
            return;
        }
        case Type::size: {
            std::uint64_t v = 0;
            if (!parse_size(text, v)) throw wrong_type();
            check_numeric(node, path, static_cast<long double>(v));
            node.set_value(v);
            return;
        }
        case Type::time: {
            std::uint64_t v = 0;
            if (!parse_time_ps(text, v)) throw wrong_type();
            check_numeric(node, path, static_cast<long double>(v));
            node.set_value(v);
            return;
        }
        case Type::frequency: {
            double v = 0;
            if (!parse_frequency_mhz(text, v)) throw wrong_type();
            check_numeric(node, path, static_cast<long double>(v));
            node.set_value(v);
            return;
        }
        case Type::boolean: {
            bool v = false;
            if (!parse_bool(text, v)) throw wrong_type();
            node.set_value(v);
            return;
        }
        case Type::string:
            if (max_length_ && text.size() > *max_length_)
                throw ConfigError(node.location(), path,
                                  fmt::format("'{}' is {} characters long; at most {} are allowed",
                                              text, text.size(), *max_length_));
            return;
        case Type::enumeration:
            if (std::find(words_.begin(), words_.end(), text) == words_.end())
                throw ConfigError(
                    node.location(), path,
                    fmt::format("'{}' is not one of: {}{}", text, join_words(words_, ", "),
                                did_you_mean(text, words_)));
            return;
        default:
            return;
    }
}

// ---------------------------------------------------------------------------------------
// Markdown reference

namespace {

// A Markdown table cell: '|' escaped; outside code spans '<' and '>' too (HTML otherwise).
std::string cell(const std::string& text, bool code = false) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else if (!code && c == '<')
            out += "&lt;";
        else if (!code && c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

}  // namespace

std::string Schema::markdown_rows(const std::string& path) const {
    std::string out;
    const auto row = [&](const Schema& s, const std::string& key) {
        std::string def = "—";
        if (s.presence_ == Presence::required) def = "**required**";
        if (s.presence_ == Presence::defaulted) def = "`" + s.default_ + "`";
        out += fmt::format("| `{}` | {} | {} | {} | {} |\n", cell(key, true), cell(s.type_name()),
                           cell(def), cell(s.constraint_text()), cell(s.doc_));
    };
    switch (type_) {
        case Type::map:
            if (!path.empty()) row(*this, path);
            for (const auto& f : children_)
                out += f.markdown_rows(join_key(path, f.name_));
            break;
        case Type::dict:
            row(*this, path);
            out += element().markdown_rows(join_key(path, "<" + key_label_ + ">"));
            break;
        case Type::seq:
            row(*this, path);
            if (!element().is_scalar()) out += element().markdown_rows(path + "[]");
            break;
        default:
            row(*this, path);
            break;
    }
    return out;
}

}  // namespace vp::config
