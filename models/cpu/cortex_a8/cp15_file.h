// The CP15 register file as data: one row per register or operation, with its encoding
// (models/cpu/mmu/cp15.h), name, reset value, who may read and write it, which bits software
// can change, where the value lives, and optional read/write behaviour. The Cortex-A8 model
// builds its table once (cortex_a8_cp15.cpp); MRC/MCR are a lookup in it.
//
// An encoding that is not in the table, a read of a write-only operation, a write of a
// read-only register, or a PL0 access the row does not allow is UNDEFINED (DDI 0406C B3.17):
// read()/write() throw vp::UndefinedInstruction.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cpu/mmu/cp15.h"

namespace vp {

// An MRC/MCR the Cortex-A8 does not implement, or an access its access rules forbid. The CPU
// model lets it escape into the guest (which, like Linux in kernel mode, cannot recover).
class UndefinedInstruction : public std::runtime_error {
  public:
    UndefinedInstruction(mmu::Cp15Reg enc, bool write, const std::string& why);
    mmu::Cp15Reg encoding() const { return enc_; }
    bool write() const { return write_; }

  private:
    mmu::Cp15Reg enc_;
    bool write_;
};

// Who may access a row.
enum class Cp15Access : uint8_t {
    ro,  // MRC only (identification registers)
    rw,  // MRC and MCR
    wo,  // MCR only (maintenance operations, barriers)
};

struct Cp15Row {
    mmu::Cp15Reg enc;
    std::string name;
    Cp15Access access = Cp15Access::rw;
    uint32_t reset = 0;
    // Bits an MCR can change; the others keep their value (RAO/RAZ/read-only fields).
    uint32_t write_mask = 0xFFFFFFFFu;
    bool user_read = false;   // PL0 may MRC it (TPIDRURW, TPIDRURO)
    bool user_write = false;  // PL0 may MCR it (TPIDRURW, the CP15 barrier operations)
    // Where the value lives (a field of the CPU, e.g. its MmuRegs), or nullptr for a row
    // without state (operations, computed registers): the file then keeps no value.
    uint32_t* storage = nullptr;
    // Computed value (CCSIDR through CSSELR, the TLB lockdown registers …).
    std::function<uint32_t()> on_read;
    // Side effect after an MCR (for stateful rows: called with the old and the new value).
    std::function<void(uint32_t old_value, uint32_t new_value)> on_write;
};

class Cp15File {
  public:
    // Adds a row; a second row with the same encoding or name is a std::logic_error.
    void add(Cp15Row row);

    // MRC / MCR at privilege `privileged` (PL1) or PL0. Throw UndefinedInstruction.
    uint32_t read(mmu::Cp15Reg enc, bool privileged) const;
    void write(mmu::Cp15Reg enc, uint32_t value, bool privileged);

    // Writes the reset value of every stateful row (no side effects are run).
    void reset();

    const Cp15Row* find(mmu::Cp15Reg enc) const;
    const Cp15Row* find(const std::string& name) const;
    // Value of a row without side effects or access checks (debugger, tests); throws
    // std::out_of_range for an unknown name.
    uint32_t peek(const std::string& name) const;
    const std::vector<Cp15Row>& rows() const { return rows_; }

  private:
    std::vector<Cp15Row> rows_;
    std::unordered_map<uint32_t, size_t> by_key_;
    std::unordered_map<std::string, size_t> by_name_;
};

}  // namespace vp
