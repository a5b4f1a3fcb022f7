// Where a configuration value came from, and the one error type of the configuration system.
//
// Every failure is reported as ONE message (DESIGN.md §7):
//     <file>:<line>:<col>: error: <key.path>: <message>
// Values set on the command line have no line: "command line (--set #2): error: cpu.clock_mhz:
// ...".
#pragma once

#include <stdexcept>
#include <string>

namespace vp::config {

// A place in a configuration source. `line` and `column` are 1-based; 0 means "no line"
// (command line, built-in default).
struct Location {
    std::string file;
    int line = 0;
    int column = 0;

    // "file:line:col", "file:line" or "file" depending on what is known.
    std::string str() const;
    bool has_line() const { return line > 0; }
    bool is_default() const { return file == kDefaultFile; }

    static Location builtin_default() { return Location{kDefaultFile, 0, 0}; }
    static Location command_line(int set_index);  // "command line (--set #N)", N is 1-based
    static Location command_line_board() { return Location{"command line (board)", 0, 0}; }

    static constexpr const char* kDefaultFile = "(default)";
};

// Thrown for every problem in a configuration: syntax, schema, semantics, missing files.
// what() is the complete one-line message; the fields let tools and tests look closer.
class ConfigError : public std::runtime_error {
  public:
    ConfigError(const Location& where, std::string key_path, std::string message);

    std::string file;
    int line = 0;
    int column = 0;
    std::string key_path;  // dotted path of the offending key, empty when there is none
    std::string message;   // the message without location and key path

    Location location() const { return Location{file, line, column}; }
};

}  // namespace vp::config
