#include "models/uart/aliased_regs.h"

#include <algorithm>
#include <stdexcept>

namespace vp {

AliasedRegister& AliasMap::add(std::string name, uint32_t reset, uint32_t writable) {
    if (find(name)) throw std::logic_error("aliased register " + name + " declared twice");
    regs_.push_back(std::make_unique<AliasedRegister>(std::move(name), reset, writable));
    return *regs_.back();
}

AliasedRegister* AliasMap::find(const std::string& name) const {
    for (const auto& r : regs_)
        if (r->name() == name) return r.get();
    return nullptr;
}

void AliasMap::map(uint32_t offset, unsigned views, const char* read, const char* write) {
    auto lookup = [this](const char* n) -> AliasedRegister* {
        if (!n) return nullptr;
        AliasedRegister* r = find(n);
        if (!r) throw std::logic_error(std::string("alias table names unknown register ") + n);
        return r;
    };
    for (const Row& r : rows_)
        if (r.offset == offset && (r.views & views))
            throw std::logic_error("alias table: two rows for one offset and view");
    rows_.push_back({offset, views, lookup(read), lookup(write)});
}

const AliasMap::Row* AliasMap::row(uint32_t offset, unsigned view) const {
    for (const Row& r : rows_)
        if (r.offset == offset && (r.views & view)) return &r;
    return nullptr;
}

AliasedRegister* AliasMap::reader(uint32_t offset, unsigned view) const {
    const Row* r = row(offset, view);
    return r ? r->read : nullptr;
}

AliasedRegister* AliasMap::writer(uint32_t offset, unsigned view) const {
    const Row* r = row(offset, view);
    return r ? r->write : nullptr;
}

bool AliasMap::is_port(uint32_t offset) const {
    return std::any_of(rows_.begin(), rows_.end(),
                       [offset](const Row& r) { return r.offset == (offset & ~3u); });
}

std::vector<uint32_t> AliasMap::offsets_of(const std::string& name) const {
    std::vector<uint32_t> out;
    for (const Row& r : rows_) {
        const bool named =
            (r.read && r.read->name() == name) || (r.write && r.write->name() == name);
        if (named && std::find(out.begin(), out.end(), r.offset) == out.end())
            out.push_back(r.offset);
    }
    return out;
}

void AliasMap::reset() {
    for (auto& r : regs_)
        r->reset();
}

uint32_t AliasMap::port_read(uint32_t offset, bool peek) {
    AliasedRegister* r = reader(offset, view_());
    if (!r) {
        if (!peek &&
            log_.once("alias-read-none:" + std::to_string(offset) + ":" + std::to_string(view_())))
            VP_LOG(log_, info,
                   "read at offset {:#x}: no register there in this access mode, reads 0", offset);
        return 0;
    }
    return peek ? r->peek() : r->read();
}

void AliasMap::port_write(uint32_t offset, uint32_t data) {
    AliasedRegister* r = writer(offset, view_());
    if (!r || r->read_only()) {
        if (log_.once("alias-write-ignored:" + std::to_string(offset) + ":" +
                      std::to_string(view_())))
            VP_LOG(log_, warning, "write of {:#x} at offset {:#x} ignored: {} in this access mode",
                   data, offset,
                   r ? r->name() + " is read-only" : std::string("no register takes writes there"));
        return;
    }
    r->write(data, lanes_);
}

void AliasMap::attach(RegisterBank& bank, ViewFn view) {
    view_ = std::move(view);
    std::vector<uint32_t> offsets;
    for (const Row& r : rows_)
        if (std::find(offsets.begin(), offsets.end(), r.offset) == offsets.end())
            offsets.push_back(r.offset);
    for (uint32_t off : offsets) {
        // The port's name lists its aliases in table order: "RHR/THR/DLL".
        std::vector<std::string> names;
        for (const Row& r : rows_) {
            if (r.offset != off) continue;
            for (const AliasedRegister* a : {r.read, r.write})
                if (a && std::find(names.begin(), names.end(), a->name()) == names.end())
                    names.push_back(a->name());
        }
        std::string port_name;
        for (const auto& n : names)
            port_name += (port_name.empty() ? "" : "/") + n;
        bank.add(port_name, off, 0, 4)
            .on_read([this, off](Register&) { return port_read(off, false); })
            .on_peek([this, off](Register&) { return port_read(off, true); })
            .on_write([this, off](Register& reg, uint32_t written, uint32_t) {
                reg.set(0);  // the port stores nothing of its own
                port_write(off, written);
            });
    }
}

}  // namespace vp
