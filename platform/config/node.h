// The configuration tree: our own copy of a YAML document in which every node remembers
// the file, line and column it came from (yaml-cpp marks are 0-based; ours are 1-based).
// Maps keep document order. Each child of a map carries its key and the key's location.
//
// After validation (schema.h) every scalar also holds its typed value, read with as_uint(),
// as_double() ...; defaults filled in by the schema carry Location::builtin_default().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/config/error.h"

namespace vp::config {

class Node {
  public:
    enum class Kind { null, scalar, sequence, map };
    // The typed value stored by the validator: nothing yet, int, uint (also sizes in bytes
    // and times in picoseconds), double (frequencies in MHz) or bool.
    using Value = std::variant<std::monostate, std::int64_t, std::uint64_t, double, bool>;

    Node() = default;
    static Node null(Location where);
    static Node scalar(std::string text, Location where, bool quoted = false);
    static Node sequence(Location where);
    static Node map(Location where);

    Kind kind() const { return kind_; }
    bool is_null() const { return kind_ == Kind::null; }
    bool is_scalar() const { return kind_ == Kind::scalar; }
    bool is_sequence() const { return kind_ == Kind::sequence; }
    bool is_map() const { return kind_ == Kind::map; }

    // Where the value was written (for a null value: where its key was written).
    const Location& location() const { return location_; }
    void set_location(Location where) { location_ = std::move(where); }

    // Set for children of a map.
    const std::string& key() const { return key_; }
    const Location& key_location() const { return key_location_; }
    void set_key(std::string key, Location where);

    // Scalars: the text as written; quoted is true for "..." / '...' / block scalars.
    const std::string& text() const { return text_; }
    bool quoted() const { return quoted_; }

    // Sequences: the items. Maps: the children (each with key()).
    const std::vector<Node>& children() const { return children_; }
    std::vector<Node>& children() { return children_; }
    std::size_t size() const { return children_.size(); }
    Node& append(Node child);

    // Maps only.
    const Node* find(std::string_view key) const;
    Node* find(std::string_view key);
    std::vector<std::string> keys() const;
    bool erase(std::string_view key);
    // Adds a child (or replaces the one with the same key) and returns it.
    Node& set(std::string key, Location key_where, Node value);

    // Dotted path lookup through maps ("memory_map.gpio1.base"); nullptr if absent.
    const Node* find_path(std::string_view dotted) const;
    // Like find_path, but a missing key is a ConfigError naming the path.
    const Node& at_path(std::string_view dotted) const;

    // Typed value (validated trees). Throws std::logic_error if the validator did not
    // store a value of that type: that is a bug in the caller, not a user error.
    const Value& value() const { return value_; }
    void set_value(Value v) { value_ = v; }
    std::int64_t as_int() const;
    std::uint64_t as_uint() const;
    double as_double() const;
    bool as_bool() const;
    const std::string& as_string() const;  // scalar text

    // "'abc'", "a map", "a sequence", "an empty value": for "got ..." in messages.
    std::string describe() const;

  private:
    Kind kind_ = Kind::null;
    Location location_;
    std::string key_;
    Location key_location_;
    std::string text_;
    bool quoted_ = false;
    std::vector<Node> children_;
    Value value_;
};

// Reads one YAML file into a tree. The top level must be a map (an empty file is an empty
// map). A missing file is reported at `included_from` (the extends line or the command
// line); syntax errors, duplicate keys, non-scalar keys and multi-document files at their
// own place.
Node parse_yaml_file(const std::string& path, const Location& included_from,
                     const std::string& key_path);

// Parses a YAML scalar or flow node given on the command line; every node gets `where`.
Node parse_yaml_value(const std::string& text, const Location& where, const std::string& key_path);

// Deep merge: maps merge key by key, everything else (scalars, sequences, null) replaces.
// Merged values keep the location of the overlay, i.e. of the file that set them last.
void merge_into(Node& base, const Node& overlay);

// Block-style YAML of a tree with a trailing "# file:line" comment on every scalar naming
// where it was set ("# default" for schema defaults).
std::string to_yaml(const Node& root);

// A path as shown in messages: relative to the current directory when it is below it.
std::string display_path(const std::string& path);

}  // namespace vp::config
