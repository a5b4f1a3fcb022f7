// How step kinds plug into the script parser.
//
// A StepRegistry maps a step key ("read", "cp15" …) to a parse function. The parser finds
// the one key of each list item, and hands the function a StepParser: the key's YAML value
// plus helpers that check fields and numbers and throw ScriptError with file, line, column
// and key path. Adding a step kind:
//
//   registry.add("vread", [](StepParser& p) {
//       p.fields({"va", "size", "expect"});
//       auto s = std::make_unique<VreadStep>(p.key(), p.where());
//       s->va = p.number("va", 0xFFFFFFFF);
//       ...
//       return s;
//   });
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "platform/script/script.h"

namespace vp::script {

class StepParser {
  public:
    StepParser(std::string file, std::string key, std::string path, const YAML::Node& item,
               const YAML::Node& body);

    const std::string& key() const { return key_; }
    const std::string& path() const { return path_; }  // "steps[3].read"
    const YAML::Node& body() const { return body_; }   // the key's value
    Location where() const;                            // the step's list item
    Location where(const YAML::Node& node, const std::string& field = {}) const;
    [[noreturn]] void fail(const YAML::Node& node, const std::string& field,
                           const std::string& message) const;

    // The body must be a mapping whose keys are all in `allowed` (no duplicates).
    void fields(std::initializer_list<const char*> allowed) const;
    bool has(const char* field) const;
    YAML::Node field(const char* field) const;  // the field's node; throws "missing" if absent
    // A parser for the mapping in field `name` (e.g. `expect_fault: {fsr, far}`): its errors
    // carry the field's path ("steps[3].vread.expect_fault.fsr").
    StepParser nested(const char* name) const;
    // The body must be a scalar (e.g. `wait: 10us`, `comment: text`).
    std::string scalar() const;

    // Field values. `max` bounds numbers ("0x100 is wider than 8 bits").
    uint64_t number(const char* field, uint64_t max) const;
    // 1, 2 or 4 (and 8 with allow_8: a CPU step's LDRD/STRD); 4 when absent.
    unsigned size(const char* field = "size", bool allow_8 = false) const;
    // A value that must fit `size` bytes ("value 0x100 is wider than size 1").
    uint64_t sized(const char* field, unsigned size) const;
    sc_core::sc_time time(const char* field) const;
    sc_core::sc_time time_scalar() const;                        // the body as a time
    tlm::tlm_response_status response(const char* field) const;  // ok, address_error …
    bool level(const char* field) const;                         // 1/0, true/false, high/low
    double real(const char* field) const;  // a number that may have a fraction
    std::string text(const char* field) const;

  private:
    uint64_t number_of(const YAML::Node& n, const std::string& field, uint64_t max) const;
    sc_core::sc_time time_of(const YAML::Node& n, const std::string& field) const;
    std::string scalar_of(const YAML::Node& n, const std::string& field, const char* what) const;

    std::string file_;
    std::string key_;
    std::string path_;
    YAML::Node item_;
    YAML::Node body_;
};

using StepParseFn = std::function<std::unique_ptr<Step>(StepParser&)>;

class StepRegistry {
  public:
    // An empty registry (add_builtin_steps() fills in the built-in kinds).
    StepRegistry() = default;
    // The registry parse_script() uses: the built-in steps, plus whatever the platform adds
    // (the CPU steps) before it parses.
    static StepRegistry& global();

    void add(const std::string& key, StepParseFn fn);  // a key added twice: logic_error
    const StepParseFn* find(const std::string& key) const;
    std::vector<std::string> keys() const;  // sorted

  private:
    std::map<std::string, StepParseFn> parsers_;
};

// Registers write, read, poll, wait, expect_irq, expect_stat and comment.
void add_builtin_steps(StepRegistry& registry);

// The number and time syntax of scripts, for reuse. On failure they return false and set
// `error` to the reason.
// Numbers: decimal or 0x hex, `_` between digits allowed (0x4804_C000).
bool parse_number(const std::string& text, uint64_t& out, std::string& error);
// Times: a number (may have a fraction) and a unit ps/ns/us/ms/s, space optional ("1.5 ms").
bool parse_time(const std::string& text, sc_core::sc_time& out, std::string& error);

// Names from `candidates` close to `name`, best first, at most `limit`: those within
// `max_distance` edits (a swap of neighbours is one edit); 0 = max(2, a third of the name).
std::vector<std::string> close_matches(const std::string& name,
                                       const std::vector<std::string>& candidates, size_t limit = 3,
                                       size_t max_distance = 0);

}  // namespace vp::script
