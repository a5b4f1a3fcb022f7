#include "sw/kernel/printk.h"

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "sw/hal/cpu.h"

namespace kernel {

namespace {

void default_sink(int, const std::string& text) {
    std::fputs(text.c_str(), stderr);
}

PrintkSink& sink() {
    static PrintkSink s = default_sink;
    return s;
}

unsigned long g_warnings = 0;
std::string g_log_buf;
bool g_printk_time = false;
bool g_line_start = true;

// Adds the timestamp prefixes of CONFIG_PRINTK_TIME to `text` (at each line start).
std::string with_time(const std::string& text) {
    if (!g_printk_time) return text;
    hal::Cpu* cpu = hal::this_cpu_or_null();
    if (!cpu || cpu->clock_hz() == 0) return text;
    const uint64_t hz = cpu->clock_hz();
    const uint64_t cycles = cpu->cycles();
    const uint64_t us = cycles / hz * 1000000 + (cycles % hz) * 1000000 / hz;
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%5" PRIu64 ".%06" PRIu64 "] ", us / 1000000, us % 1000000);
    std::string out;
    for (char c : text) {
        if (g_line_start) out += stamp;
        out += c;
        g_line_start = c == '\n';
    }
    return out;
}

void log_store(const std::string& text) {
    g_log_buf += text;
    if (g_log_buf.size() > kLogBufBytes) g_log_buf.erase(0, g_log_buf.size() - kLogBufBytes);
}

}  // namespace

const std::string& log_buf() {
    return g_log_buf;
}

void clear_log_buf() {
    g_log_buf.clear();
    g_line_start = true;
}

void register_console(PrintkSink s) {
    sink() = s ? std::move(s) : PrintkSink(default_sink);
    if (!g_log_buf.empty()) sink()(LOGLEVEL_INFO, g_log_buf);
}

void set_printk_time(bool on) {
    g_printk_time = on;
}

PrintkSink set_printk_sink(PrintkSink s) {
    PrintkSink old = std::move(sink());
    sink() = s ? std::move(s) : PrintkSink(default_sink);
    return old;
}

int vprintk(int level, const char* fmt, va_list args) {
    va_list copy;
    va_copy(copy, args);
    char small[256];
    const int n = std::vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) return n;
    std::string text;
    if (static_cast<size_t>(n) < sizeof small) {
        text.assign(small, static_cast<size_t>(n));
    } else {
        std::vector<char> big(static_cast<size_t>(n) + 1);
        std::vsnprintf(big.data(), big.size(), fmt, args);
        text.assign(big.data(), static_cast<size_t>(n));
    }
    text = with_time(text);
    log_store(text);
    sink()(level, text);
    return n;
}

int printk(int level, const char* fmt, ...) {
    va_list a;
    va_start(a, fmt);
    const int n = vprintk(level, fmt, a);
    va_end(a);
    return n;
}

int warn_printk(const char* fmt, ...) {
    ++g_warnings;
    va_list a;
    va_start(a, fmt);
    std::string line = "WARNING: ";
    char buf[512];
    std::vsnprintf(buf, sizeof buf, fmt, a);
    va_end(a);
    line += buf;
    if (line.empty() || line.back() != '\n') line += '\n';
    sink()(LOGLEVEL_WARNING, line);
    return static_cast<int>(line.size());
}

unsigned long warn_count() {
    return g_warnings;
}

void reset_warn_count() {
    g_warnings = 0;
}

}  // namespace kernel
