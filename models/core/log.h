// Per-module logging that costs one branch when off (DESIGN.md §8).
//
//   VP_LOG(log_, info, "wrote {:#x} to {}", value, reg.name);
//   if (log_.once("hole:" + std::to_string(off))) VP_LOG(log_, warning, ...);
//
// Messages go through sc_report_handler (message type = the logger's name), so a user
// can redirect or filter them with the standard SystemC mechanisms; the platform installs
// a handler that prefixes the simulated time.
#pragma once

#include <fmt/format.h>

#include <string>
#include <unordered_set>

namespace vp {

enum class LogLevel : int { off = 0, error = 1, warning = 2, info = 3, debug = 4, trace = 5 };

// Parses "off|error|warning|info|debug|trace"; returns false on an unknown name.
bool parse_log_level(const std::string& text, LogLevel& out);
const char* log_level_name(LogLevel level);

class Logger {
  public:
    explicit Logger(std::string name);
    ~Logger();
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    bool enabled(LogLevel level) const { return static_cast<int>(level) <= level_; }
    void set_level(LogLevel level) { level_ = static_cast<int>(level); }
    LogLevel level() const { return static_cast<LogLevel>(level_); }
    const std::string& name() const { return name_; }
    void rename(std::string name);

    // Emits one message (call through VP_LOG so the formatting is skipped when off).
    void write(LogLevel level, const std::string& message) const;

    // True the first time `key` is seen by this logger: for "logged once" messages.
    bool once(const std::string& key) { return seen_.insert(key).second; }
    void forget_once() { seen_.clear(); }

    // Default level of loggers created from now on, and per-name levels set by the
    // configuration ("router: debug"); applies to existing loggers too.
    static void set_default_level(LogLevel level);
    static void set_level_for(const std::string& name, LogLevel level);

  private:
    std::string name_;
    int level_;
    std::unordered_set<std::string> seen_;
};

}  // namespace vp

#define VP_LOG(logger, lvl, ...)                                             \
    do {                                                                     \
        if ((logger).enabled(::vp::LogLevel::lvl))                           \
            (logger).write(::vp::LogLevel::lvl, ::fmt::format(__VA_ARGS__)); \
    } while (0)
