// printk: the guest kernel's log (kernel/printk/printk.c, much reduced).
//
// Every message goes, whole and already formatted, to one sink. The default sink writes to
// the host's stderr; the platform may later route it to the UART console, and tests install
// a sink that records the text. Plain C++17, no SystemC (DESIGN.md §2).
#pragma once

#include <cstdarg>
#include <functional>
#include <string>

namespace kernel {

// Linux's console log levels (include/linux/kern_levels.h).
enum LogLevel : int {
    LOGLEVEL_EMERG = 0,
    LOGLEVEL_ALERT = 1,
    LOGLEVEL_CRIT = 2,
    LOGLEVEL_ERR = 3,
    LOGLEVEL_WARNING = 4,
    LOGLEVEL_NOTICE = 5,
    LOGLEVEL_INFO = 6,
    LOGLEVEL_DEBUG = 7,
};

// Receives one message (it ends with '\n' when the caller wrote one).
using PrintkSink = std::function<void(int level, const std::string& text)>;

// Installs `sink` and returns the previous one; an empty sink restores the default (stderr).
PrintkSink set_printk_sink(PrintkSink sink);

// The kernel log buffer (dmesg): every message since start (the oldest are dropped beyond
// kLogBufBytes, as the ring of CONFIG_LOG_BUF_SHIFT does), with timestamps when enabled.
constexpr size_t kLogBufBytes = 1u << 17;  // CONFIG_LOG_BUF_SHIFT=17 (omap2plus_defconfig)
const std::string& log_buf();
void clear_log_buf();
// register_console(): installs `sink` as the console and replays the log buffer into it, as
// Linux does when a console registers after early boot messages were logged.
void register_console(PrintkSink sink);
// CONFIG_PRINTK_TIME: each line starts with "[%5lu.%06lu] ", the seconds since reset from
// hal::this_cpu()->cycles() (no prefix when no CPU runs the guest).
void set_printk_time(bool on);

int vprintk(int level, const char* fmt, va_list args);
int printk(int level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

#define VP_KERNEL_PR(name, level)                                                \
    inline int name(const char* fmt, ...) __attribute__((format(printf, 1, 2))); \
    inline int name(const char* fmt, ...) {                                      \
        va_list a;                                                               \
        va_start(a, fmt);                                                        \
        const int n = vprintk(level, fmt, a);                                    \
        va_end(a);                                                               \
        return n;                                                                \
    }
VP_KERNEL_PR(pr_emerg, LOGLEVEL_EMERG)
VP_KERNEL_PR(pr_err, LOGLEVEL_ERR)
VP_KERNEL_PR(pr_warn, LOGLEVEL_WARNING)
VP_KERNEL_PR(pr_notice, LOGLEVEL_NOTICE)
VP_KERNEL_PR(pr_info, LOGLEVEL_INFO)
VP_KERNEL_PR(pr_debug, LOGLEVEL_DEBUG)
#undef VP_KERNEL_PR

// WARN(): a "WARNING:" line and a count; the kernel (and the simulation) goes on.
int warn_printk(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// Number of WARNINGs since start (or since reset_warn_count()).
unsigned long warn_count();
void reset_warn_count();

}  // namespace kernel
