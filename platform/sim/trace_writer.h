// The transaction trace (--trace FILE, DESIGN.md §8): one line per transaction the router
// sees — time, initiator, target, R/W, address, size, data, response, latency.
//
// Format by file name: *.jsonl / *.json → JSON lines for tools; anything else → text:
//   1234.567 ns  cpu -> gpio1  W 0x4804c134 4 0x00000000 ok  +170.000 ns
// Filter (--trace-filter): comma-separated items, each an address range ("0x44e07000-0x44e07fff"
// inclusive, or "0x44e07000+0x1000") or a region/initiator name ("gpio1", "cpu"); a
// transaction is written when it matches any item. No filter: everything.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "models/interconnect/trace.h"

namespace vp::sim {

class TraceFilter {
  public:
    // Throws std::invalid_argument with a message naming the bad item.
    static TraceFilter parse(const std::string& spec);
    bool matches(const TraceEvent& e) const;
    bool empty() const { return ranges_.empty() && names_.empty(); }

  private:
    struct Range {
        uint64_t first, last;
    };
    std::vector<Range> ranges_;
    std::vector<std::string> names_;
};

class TraceWriter : public TraceSink {
  public:
    // Throws std::runtime_error if the file cannot be opened.
    TraceWriter(const std::string& path, TraceFilter filter);
    void on_transaction(const TraceEvent& e) override;
    uint64_t written() const { return written_; }
    void flush() { out_.flush(); }

  private:
    std::ofstream out_;
    TraceFilter filter_;
    bool json_;
    uint64_t written_ = 0;
};

}  // namespace vp::sim
