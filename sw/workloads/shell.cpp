// A small console shell on a UART: what a user reaches over the console once the board has
// booted (the boot workload's `shell: true`; docs/workloads.md "The console shell"). It reads
// lines from the 8250_omap driver (RX interrupts; the CPU waits with wfi between them) and
// answers with the kernel's own /proc texts, written through the console at line speed.
#include "sw/workloads/shell.h"

#include <cstdio>
#include <string>
#include <vector>

#include "sw/drivers/tty/omap_serial.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/irq.h"
#include "sw/kernel/printk.h"
#include "sw/kernel/time.h"
#include "sw/mm/ioremap.h"
#include "sw/mm/page_alloc.h"
#include "sw/mm/slab.h"
#include "sw/mm/vmalloc.h"

namespace workload {

namespace {

constexpr const char* kPrompt = "am335x-vp:~# ";
constexpr uint8_t kBackspace = 0x08;
constexpr uint8_t kDelete = 0x7F;

const char* kHelp =
    "commands:\n"
    "  cat /proc/buddyinfo | /proc/slabinfo | /proc/vmallocinfo | /proc/iomem |\n"
    "      /proc/interrupts | /proc/meminfo | /proc/uptime\n"
    "  dmesg            the kernel log buffer\n"
    "  free             memory in KiB\n"
    "  help             this list\n"
    "  halt             stop the board (the simulation ends)\n";

std::string meminfo() {
    const unsigned long total = kernel::totalram_pages() * (kernel::PAGE_SIZE / 1024);
    const unsigned long free = kernel::nr_free_pages() * (kernel::PAGE_SIZE / 1024);
    char buf[128];
    std::snprintf(buf, sizeof buf, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n", total,
                  free);
    return buf;
}

std::string uptime() {
    const unsigned long ticks = kernel::jiffies - kernel::INITIAL_JIFFIES;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lu.%02lu\n", ticks / kernel::HZ,
                  (ticks % kernel::HZ) * 100 / kernel::HZ);
    return buf;
}

// The answer to one command line; `halt` is set by the halt command.
std::string execute(const std::string& line, bool& halt) {
    std::vector<std::string> words;
    std::string w;
    for (char ch : line + " ") {
        if (ch == ' ' || ch == '\t') {
            if (!w.empty()) words.push_back(w);
            w.clear();
        } else {
            w += ch;
        }
    }
    if (words.empty()) return "";
    const std::string& cmd = words[0];
    if (cmd == "help") return kHelp;
    if (cmd == "halt" || cmd == "poweroff" || cmd == "exit") {
        halt = true;
        return "reboot: System halted\n";
    }
    if (cmd == "dmesg") return kernel::log_buf();
    if (cmd == "free") return meminfo();
    if (cmd == "cat" && words.size() == 2) {
        const std::string& f = words[1];
        if (f == "/proc/buddyinfo") return kernel::current_mm().pages().buddyinfo();
        if (f == "/proc/slabinfo") return kernel::slabinfo();
        if (f == "/proc/vmallocinfo") return kernel::vmallocinfo();
        if (f == "/proc/iomem") return kernel::iomem_listing();
        if (f == "/proc/interrupts") return kernel::show_interrupts();
        if (f == "/proc/meminfo") return meminfo();
        if (f == "/proc/uptime") return uptime();
        return "cat: " + f + ": No such file or directory\n";
    }
    return "-sh: " + cmd + ": not found (try help)\n";
}

}  // namespace

void run_shell(unsigned port) {
    hal::Cpu& c = hal::this_cpu();
    auto write = [port](const std::string& s) { drivers::omap_serial_console_write(port, s); };
    write(std::string("\n") + kPrompt);
    std::string line;
    bool after_cr = false;  // a CR LF pair (telnet, nc -C) ends one line, not two
    for (bool halt = false; !halt;) {
        uint8_t buf[64];
        const size_t n = drivers::omap_serial_read(port, buf, sizeof buf);
        if (n == 0) {
            c.wfi();  // the RX interrupt (or the tick) wakes the CPU
            continue;
        }
        for (size_t i = 0; i < n && !halt; ++i) {
            const uint8_t ch = buf[i];
            const bool lf_of_crlf = ch == '\n' && after_cr;
            after_cr = ch == '\r';
            if (lf_of_crlf) continue;
            if (ch == '\r' || ch == '\n') {
                const std::string out = execute(line, halt);
                line.clear();
                if (!out.empty()) write(out);
                if (!halt) write(kPrompt);
            } else if (ch == kBackspace || ch == kDelete) {
                if (!line.empty()) line.pop_back();
            } else if (ch >= 0x20 && ch < 0x7F) {
                line += static_cast<char>(ch);
            }
        }
    }
}

}  // namespace workload
