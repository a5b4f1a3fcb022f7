#include "platform/sim/vcd.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <systemc>

namespace vp::sim {

namespace {
// VCD identifiers: printable ASCII 33..126, shortest first.
std::string vcd_id(size_t n) {
    std::string id;
    do {
        id.push_back(static_cast<char>(33 + n % 94));
        n /= 94;
    } while (n);
    return id;
}
}  // namespace

VcdWriter::VcdWriter(std::string path) : path_(std::move(path)) {}

VcdWriter::~VcdWriter() {
    if (!closed_) close();
}

void VcdWriter::add(Wire& wire, const std::string& scope, const std::string& name) {
    const auto index = static_cast<uint32_t>(signals_.size());
    signals_.push_back({scope, name, vcd_id(index), wire.read()});
    wire.on_change([this, index](bool level, const sc_core::sc_time& offset) {
        const sc_core::sc_time t = sc_core::sc_time_stamp() + offset;
        changes_.push_back({static_cast<uint64_t>(t.to_seconds() * 1e12 + 0.5), index, level});
    });
}

bool VcdWriter::close() {
    closed_ = true;
    std::ofstream out(path_);
    if (!out) {
        error_ = "cannot write " + path_;
        return false;
    }
    out << "$date "
        << "am335x-vp"
        << " $end\n$version am335x-vp VCD writer $end\n"
        << "$timescale 1 ps $end\n";
    // Group signals by scope; dotted scopes nest.
    std::map<std::string, std::vector<const Signal*>> by_scope;
    for (const Signal& s : signals_)
        by_scope[s.scope].push_back(&s);
    for (const auto& [scope, sigs] : by_scope) {
        size_t depth = 0, start = 0;
        while (start <= scope.size()) {
            size_t dot = scope.find('.', start);
            std::string part = scope.substr(start, dot == std::string::npos ? dot : dot - start);
            out << "$scope module " << (part.empty() ? "top" : part) << " $end\n";
            ++depth;
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        for (const Signal* s : sigs)
            out << "$var wire 1 " << s->id << " " << s->name << " $end\n";
        for (size_t i = 0; i < depth; ++i)
            out << "$upscope $end\n";
    }
    out << "$enddefinitions $end\n#0\n$dumpvars\n";
    for (const Signal& s : signals_)
        out << (s.initial ? '1' : '0') << s.id << "\n";
    out << "$end\n";
    std::stable_sort(changes_.begin(), changes_.end(),
                     [](const Change& a, const Change& b) { return a.ps < b.ps; });
    uint64_t last = 0;
    for (const Change& c : changes_) {
        if (c.ps != last) {
            out << "#" << c.ps << "\n";
            last = c.ps;
        }
        out << (c.level ? '1' : '0') << signals_[c.signal].id << "\n";
    }
    if (!out) {
        error_ = "error while writing " + path_;
        return false;
    }
    return true;
}

}  // namespace vp::sim
