// Collects the guest kernel's printk output while it lives, and keeps it off stderr; the
// previous sink comes back at the end of the scope. Header-only, for guest tests.
#pragma once

#include <string>

#include "sw/kernel/printk.h"

namespace vp::test {

struct PrintkCapture {
    std::string text;
    kernel::PrintkSink old;
    PrintkCapture() {
        old = kernel::set_printk_sink([this](int, const std::string& s) { text += s; });
    }
    ~PrintkCapture() { kernel::set_printk_sink(old); }
    PrintkCapture(const PrintkCapture&) = delete;
    PrintkCapture& operator=(const PrintkCapture&) = delete;
    bool has(const std::string& s) const { return text.find(s) != std::string::npos; }
};

}  // namespace vp::test
