#include "sw/kernel/printk.h"

#include <cstdio>
#include <vector>

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

}  // namespace

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
