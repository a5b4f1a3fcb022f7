#include "platform/config/error.h"

#include <fmt/format.h>

namespace vp::config {

std::string Location::str() const {
    if (line > 0 && column > 0) return fmt::format("{}:{}:{}", file, line, column);
    if (line > 0) return fmt::format("{}:{}", file, line);
    return file;
}

Location Location::command_line(int set_index) {
    return Location{fmt::format("command line (--set #{})", set_index), 0, 0};
}

namespace {

std::string compose(const Location& where, const std::string& key_path, const std::string& msg) {
    std::string out = where.str() + ": error: ";
    if (!key_path.empty()) out += key_path + ": ";
    out += msg;
    return out;
}

}  // namespace

ConfigError::ConfigError(const Location& where, std::string path, std::string msg)
    : std::runtime_error(compose(where, path, msg)),
      file(where.file),
      line(where.line),
      column(where.column),
      key_path(std::move(path)),
      message(std::move(msg)) {}

}  // namespace vp::config
