// A configuration schema declared once in C++ as a tree, and ONE validator that walks a
// configuration tree against it (DESIGN.md §7).
//
//   Schema::map("CPU", {
//       field("clock_mhz", Schema::frequency("MPU clock").range(300, 1000).def("1000")),
//       field("mode", Schema::enumeration({"functional", "approximate"}, "...").def("functional")),
//   });
//
// Node kinds: map (named fields), dict (user-chosen keys → one value schema), seq (items of
// one schema) and scalars: integer, uinteger (decimal or 0x hex), boolean, string,
// enumeration (list of words), size (64KiB ...), frequency (MHz) and time (10us ...).
// A field is required, has a default (YAML text, documented), or is optional (may be
// absent, no value). Maps are always present: a missing map is validated as an empty one,
// so its defaults appear and its required keys are reported.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "platform/config/node.h"

namespace vp::config {

class Schema {
  public:
    enum class Type {
        map,
        dict,
        seq,
        integer,
        uinteger,
        boolean,
        string,
        enumeration,
        size,
        frequency,
        time,
    };
    enum class Presence { optional, required, defaulted };
    enum class KeyStyle { identifier, any };  // dict keys: [a-z0-9_] words, or any text

    static Schema map(std::string doc, std::vector<Schema> fields);
    static Schema dict(std::string key_label, std::string doc, Schema value,
                       KeyStyle keys = KeyStyle::identifier);
    static Schema seq(std::string doc, Schema element);
    static Schema integer(std::string doc);
    static Schema uinteger(std::string doc);
    static Schema boolean(std::string doc);
    static Schema string(std::string doc);
    static Schema enumeration(std::vector<std::string> words, std::string doc);
    static Schema size(std::string doc);
    static Schema frequency(std::string doc);  // MHz
    static Schema time(std::string doc);

    // Modifiers, chained on temporaries: Schema::uinteger("x").range(1, 8).def("8").
    Schema&& def(std::string yaml_text) &&;  // default, written as in a YAML file
    Schema&& required() &&;
    Schema&& optional() &&;  // may be absent and has no value then
    Schema&& nullable() &&;  // "~" is a valid value
    Schema&& range(long double lo, long double hi) &&;
    Schema&& min(long double lo) &&;
    Schema&& max(long double hi) &&;
    Schema&& choices(std::vector<long double> allowed) &&;  // numeric values allowed
    Schema&& hex() &&;                                      // show numbers in hex
    Schema&& max_length(std::size_t chars) &&;              // strings
    Schema&& named(std::string name) &&;                    // field name inside a map

    Type type() const { return type_; }
    const std::string& name() const { return name_; }
    const std::string& doc() const { return doc_; }
    Presence presence() const { return presence_; }
    const std::string& default_text() const { return default_; }
    bool is_nullable() const { return nullable_; }
    bool is_scalar() const;
    const std::vector<Schema>& fields() const { return children_; }  // map
    const Schema& element() const { return children_.front(); }      // dict value / seq item
    const Schema* field(const std::string& name) const;
    const std::vector<std::string>& words() const { return words_; }
    const std::string& key_label() const { return key_label_; }
    KeyStyle key_style() const { return key_style_; }

    // "a size like 64KiB", "one of: ram, rom" ...
    std::string expectation() const;
    // Short type name for the key reference: "size", "uint", "enum", "map of <name>" ...
    std::string type_name() const;
    // "300 .. 1000", "≥ 1", "ram | rom", "" ...
    std::string constraint_text() const;
    // A bound or value of this schema's type in its natural spelling (64KiB, 10us, 0x1000).
    std::string format_number(long double v) const;

    // Validates `node` (whose dotted path is `path`) in place: checks kinds, parses and
    // range-checks scalars (storing the typed value in the node), fills defaults in, and
    // throws ConfigError for the first problem found in document order.
    void validate(Node& node, const std::string& path) const;

    // One Markdown table row per key below this schema, rooted at `path`.
    std::string markdown_rows(const std::string& path) const;

  private:
    Schema(Type type, std::string doc) : type_(type), doc_(std::move(doc)) {}

    void validate_map(Node& node, const std::string& path) const;
    void validate_dict(Node& node, const std::string& path) const;
    void validate_seq(Node& node, const std::string& path) const;
    void validate_scalar(Node& node, const std::string& path) const;
    void check_numeric(const Node& node, const std::string& path, long double v) const;
    Node default_node() const;

    Type type_;
    std::string name_;
    std::string doc_;
    Presence presence_ = Presence::optional;
    std::string default_;
    bool nullable_ = false;
    bool hex_ = false;
    std::optional<long double> min_;
    std::optional<long double> max_;
    std::vector<long double> choices_;
    std::optional<std::size_t> max_length_;
    std::vector<std::string> words_;
    std::string key_label_;
    KeyStyle key_style_ = KeyStyle::identifier;
    std::vector<Schema> children_;
};

// A named field of a map schema.
inline Schema field(std::string name, Schema schema) {
    return std::move(schema).named(std::move(name));
}

// Joins a dotted key path.
std::string join_key(const std::string& path, const std::string& key);

}  // namespace vp::config
