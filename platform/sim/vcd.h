// Writes level lines (IRQ lines, GPIO pins, LEDs) to a VCD file for GTKWave (DESIGN.md §8).
//
// Edges are recorded with their exact simulated time — sc_time_stamp() plus the local-time
// offset of the initiator that caused them (temporal decoupling) — and the file is written
// in time order when the writer is closed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/wire.h"

namespace vp::sim {

class VcdWriter {
  public:
    explicit VcdWriter(std::string path);
    ~VcdWriter();
    VcdWriter(const VcdWriter&) = delete;
    VcdWriter& operator=(const VcdWriter&) = delete;

    // Records `wire` as signal `name` in `scope` (dotted scopes nest: "soc.intc").
    void add(Wire& wire, const std::string& scope, const std::string& name);
    // Writes the file; returns false (and sets error()) if it cannot be written.
    bool close();
    const std::string& error() const { return error_; }
    size_t signals() const { return signals_.size(); }
    size_t changes() const { return changes_.size(); }

  private:
    struct Signal {
        std::string scope, name, id;
        bool initial;
    };
    struct Change {
        uint64_t ps;
        uint32_t signal;
        bool level;
    };
    std::string path_;
    std::string error_;
    bool closed_ = false;
    std::vector<Signal> signals_;
    std::vector<Change> changes_;
};

}  // namespace vp::sim
