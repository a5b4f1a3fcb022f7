// A level-sensitive line: an interrupt request, a clock enable, a GPIO pin.
//
// Unlike sc_signal, a Wire propagates at once (no delta cycle): a register write that
// raises an interrupt is visible to the INTC within the same b_transport call, as it is
// in hardware. Every change carries the writer's local-time offset, so listeners (the
// INTC, the VCD writer, a test probe) know the exact simulated time of the edge:
// sc_time_stamp() + offset. Levels are plain bools, so a wire can also be sampled by
// sc_trace through level_ref().
#pragma once

#include <sysc/kernel/sc_time.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vp {

class Wire {
  public:
    using Listener = std::function<void(bool level, const sc_core::sc_time& offset)>;

    explicit Wire(std::string name = {}, bool initial = false)
        : name_(std::move(name)), level_(initial) {}
    Wire(const Wire&) = delete;
    Wire& operator=(const Wire&) = delete;

    bool read() const { return level_; }
    // Sets the level; listeners and connected wires hear only real changes.
    void write(bool level, const sc_core::sc_time& offset = sc_core::SC_ZERO_TIME) {
        if (level == level_) return;
        level_ = level;
        ++edges_;
        for (auto& l : listeners_)
            l(level, offset);
        for (Wire* w : sinks_)
            w->write(level, offset);
    }
    void on_change(Listener l) { listeners_.push_back(std::move(l)); }
    // Makes this wire drive `sink` (a model output driving another model's input).
    void connect(Wire& sink) {
        sinks_.push_back(&sink);
        sink.write(level_);
    }

    const std::string& name() const { return name_; }
    void set_name(std::string n) { name_ = std::move(n); }
    const bool& level_ref() const { return level_; }
    uint64_t edges() const { return edges_; }

  private:
    std::string name_;
    bool level_;
    uint64_t edges_ = 0;
    std::vector<Listener> listeners_;
    std::vector<Wire*> sinks_;
};

}  // namespace vp
