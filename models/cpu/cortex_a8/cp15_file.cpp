#include "models/cpu/cortex_a8/cp15_file.h"

#include <fmt/format.h>

namespace vp {

namespace {

std::string describe(mmu::Cp15Reg enc) {
    const char* name = mmu::cp15_name(enc);
    return fmt::format("p15, {}, c{}, c{}, {}{}{}", enc.opc1, enc.crn, enc.crm, enc.opc2,
                       name ? " (" : "", name ? std::string(name) + ")" : std::string());
}

}  // namespace

UndefinedInstruction::UndefinedInstruction(mmu::Cp15Reg enc, bool write, const std::string& why)
    : std::runtime_error(fmt::format("Internal error: Oops - undefined instruction: {} {}: {}",
                                     write ? "MCR" : "MRC", describe(enc), why)),
      enc_(enc),
      write_(write) {}

void Cp15File::add(Cp15Row row) {
    const uint32_t key = row.enc.key();
    if (by_key_.count(key))
        throw std::logic_error("cp15: encoding of '" + row.name + "' already used by '" +
                               rows_[by_key_[key]].name + "'");
    if (by_name_.count(row.name)) throw std::logic_error("cp15: duplicate row '" + row.name + "'");
    by_key_[key] = rows_.size();
    by_name_[row.name] = rows_.size();
    rows_.push_back(std::move(row));
}

const Cp15Row* Cp15File::find(mmu::Cp15Reg enc) const {
    auto it = by_key_.find(enc.key());
    return it == by_key_.end() ? nullptr : &rows_[it->second];
}

const Cp15Row* Cp15File::find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &rows_[it->second];
}

uint32_t Cp15File::read(mmu::Cp15Reg enc, bool privileged) const {
    const Cp15Row* r = find(enc);
    if (!r) throw UndefinedInstruction(enc, false, "not implemented by the Cortex-A8");
    if (r->access == Cp15Access::wo) throw UndefinedInstruction(enc, false, "write-only operation");
    if (!privileged && !r->user_read)
        throw UndefinedInstruction(enc, false, "not accessible at PL0");
    if (r->on_read) return r->on_read();
    return r->storage ? *r->storage : 0u;
}

void Cp15File::write(mmu::Cp15Reg enc, uint32_t value, bool privileged) {
    auto it = by_key_.find(enc.key());
    if (it == by_key_.end())
        throw UndefinedInstruction(enc, true, "not implemented by the Cortex-A8");
    Cp15Row& r = rows_[it->second];
    if (r.access == Cp15Access::ro) throw UndefinedInstruction(enc, true, "read-only register");
    if (!privileged && !r.user_write)
        throw UndefinedInstruction(enc, true, "not accessible at PL0");
    uint32_t old_value = 0;
    uint32_t new_value = value;
    if (r.storage) {
        old_value = *r.storage;
        new_value = (old_value & ~r.write_mask) | (value & r.write_mask);
        *r.storage = new_value;
    }
    if (r.on_write) r.on_write(old_value, new_value);
}

void Cp15File::reset() {
    for (Cp15Row& r : rows_)
        if (r.storage) *r.storage = r.reset;
}

uint32_t Cp15File::peek(const std::string& name) const {
    const Cp15Row* r = find(name);
    if (!r) throw std::out_of_range("cp15: no register named '" + name + "'");
    if (r->on_read) return r->on_read();
    return r->storage ? *r->storage : 0u;
}

}  // namespace vp
