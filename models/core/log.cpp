#include "models/core/log.h"

#include <map>
#include <set>
#include <systemc>

namespace vp {
namespace {

struct LogRegistry {
    int default_level = static_cast<int>(LogLevel::warning);
    std::map<std::string, int> overrides;
    std::set<Logger*> loggers;
};

LogRegistry& registry() {
    static LogRegistry r;
    return r;
}

}  // namespace

bool parse_log_level(const std::string& text, LogLevel& out) {
    static const std::pair<const char*, LogLevel> names[] = {
        {"off", LogLevel::off},   {"error", LogLevel::error}, {"warning", LogLevel::warning},
        {"info", LogLevel::info}, {"debug", LogLevel::debug}, {"trace", LogLevel::trace}};
    for (const auto& [name, level] : names) {
        if (text == name) {
            out = level;
            return true;
        }
    }
    return false;
}

const char* log_level_name(LogLevel level) {
    switch (level) {
        case LogLevel::off:
            return "off";
        case LogLevel::error:
            return "error";
        case LogLevel::warning:
            return "warning";
        case LogLevel::info:
            return "info";
        case LogLevel::debug:
            return "debug";
        case LogLevel::trace:
            return "trace";
    }
    return "?";
}

Logger::Logger(std::string name) : name_(std::move(name)) {
    auto& r = registry();
    auto it = r.overrides.find(name_);
    level_ = it != r.overrides.end() ? it->second : r.default_level;
    r.loggers.insert(this);
}

Logger::~Logger() {
    registry().loggers.erase(this);
}

void Logger::rename(std::string name) {
    name_ = std::move(name);
    auto& r = registry();
    auto it = r.overrides.find(name_);
    if (it != r.overrides.end()) level_ = it->second;
}

void Logger::write(LogLevel level, const std::string& message) const {
    using namespace sc_core;
    sc_severity severity = SC_INFO;
    if (level == LogLevel::error)
        severity = SC_ERROR;
    else if (level == LogLevel::warning)
        severity = SC_WARNING;
    // Errors of a model are reported, never thrown: the simulation goes on.
    sc_report_handler::set_actions(name_.c_str(), SC_ERROR, SC_DISPLAY | SC_LOG);
    sc_report_handler::report(severity, name_.c_str(), message.c_str(), "", 0);
}

void Logger::set_default_level(LogLevel level) {
    auto& r = registry();
    r.default_level = static_cast<int>(level);
    for (Logger* l : r.loggers)
        if (!r.overrides.count(l->name_)) l->level_ = r.default_level;
}

void Logger::set_level_for(const std::string& name, LogLevel level) {
    auto& r = registry();
    r.overrides[name] = static_cast<int>(level);
    for (Logger* l : r.loggers)
        if (l->name_ == name) l->level_ = static_cast<int>(level);
}

}  // namespace vp
