#include "platform/sim/trace_writer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "models/core/tlm_util.h"

namespace vp::sim {

namespace {

uint64_t parse_number(const std::string& text, const std::string& item) {
    try {
        size_t used = 0;
        uint64_t v = std::stoull(text, &used, 0);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("--trace-filter: '" + item + "': '" + text +
                                "' is not a number (use decimal or 0x hex)");
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TraceFilter TraceFilter::parse(const std::string& spec) {
    TraceFilter f;
    size_t start = 0;
    while (start <= spec.size()) {
        size_t comma = spec.find(',', start);
        std::string item =
            trim(spec.substr(start, comma == std::string::npos ? comma : comma - start));
        start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
        if (item.empty()) continue;
        if (item[0] >= '0' && item[0] <= '9') {
            size_t dash = item.find('-'), plus = item.find('+');
            if (dash != std::string::npos) {
                Range r{parse_number(trim(item.substr(0, dash)), item),
                        parse_number(trim(item.substr(dash + 1)), item)};
                if (r.last < r.first)
                    throw std::invalid_argument("--trace-filter: '" + item + "': end below start");
                f.ranges_.push_back(r);
            } else if (plus != std::string::npos) {
                uint64_t base = parse_number(trim(item.substr(0, plus)), item);
                uint64_t size = parse_number(trim(item.substr(plus + 1)), item);
                if (size == 0)
                    throw std::invalid_argument("--trace-filter: '" + item + "': size 0");
                f.ranges_.push_back({base, base + size - 1});
            } else {
                uint64_t a = parse_number(item, item);
                f.ranges_.push_back({a, a});
            }
        } else {
            f.names_.push_back(item);
        }
    }
    return f;
}

bool TraceFilter::matches(const TraceEvent& e) const {
    if (empty()) return true;
    const uint64_t first = e.address, last = e.address + (e.length ? e.length - 1 : 0);
    for (const Range& r : ranges_)
        if (first <= r.last && last >= r.first) return true;
    for (const std::string& n : names_)
        if (e.target == n || e.initiator == n) return true;
    return false;
}

TraceWriter::TraceWriter(const std::string& path, TraceFilter filter)
    : out_(path),
      filter_(std::move(filter)),
      json_(ends_with(path, ".jsonl") || ends_with(path, ".json")) {
    if (!out_) throw std::runtime_error("cannot write the trace file " + path);
}

void TraceWriter::on_transaction(const TraceEvent& e) {
    if (!filter_.matches(e)) return;
    ++written_;
    const bool read = e.command == tlm::TLM_READ_COMMAND;
    const char* rw = read ? "R" : e.command == tlm::TLM_WRITE_COMMAND ? "W" : "-";
    std::string data;
    if (e.data) {
        if (e.length <= 8) {
            data = fmt::format("{:#0{}x}", vp::load_le(e.data, e.length), 2 + 2 * e.length);
        } else {
            for (unsigned i = 0; i < e.length; ++i)
                data += fmt::format("{:02x}", e.data[i]);
        }
    }
    const double t_ns = e.time.to_seconds() * 1e9;
    const double lat_ns = e.latency.to_seconds() * 1e9;
    if (json_) {
        nlohmann::json j;
        j["time_ns"] = t_ns;
        j["initiator"] = std::string(e.initiator);
        j["target"] = std::string(e.target);
        j["cmd"] = rw;
        j["addr"] = e.address;
        j["size"] = e.length;
        j["data"] = data;
        j["response"] = vp::response_name(e.response);
        j["latency_ns"] = lat_ns;
        out_ << j.dump() << '\n';
    } else {
        out_ << fmt::format("{:>14.3f} ns  {} -> {}  {} {:#010x} {} {} {}  +{:.3f} ns\n", t_ns,
                            e.initiator, e.target, rw, e.address, e.length, data,
                            vp::response_name(e.response), lat_ns);
    }
}

}  // namespace vp::sim
