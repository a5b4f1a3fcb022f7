// Register-script steps that run on the Cortex-A8 model (docs/scripts.md, "CPU steps"): they go
// through its MMU, TLBs and caches instead of the physical bus master.
//
//   - cp15: {crn, opc1, crm, opc2, value}          MCR p15 (a write)
//   - cp15: {crn, opc1, crm, opc2, expect, mask}   MRC p15, checked
//   - vread:  {va, size, expect, mask, user, expect_fault: {fsr, far}}
//   - vwrite: {va, value, size, user, expect_fault: {fsr, far}}
//   - vfetch: {va, size, user, expect_fault: {fsr, far}}   instruction fetch (I-TLB, L1-I)
//
// A vread/vwrite/vfetch that aborts without expect_fault fails the script; one that carries
// expect_fault must abort with that DFSR (compared on FS[4], FS[3:0], domain and WnR) and DFAR
// — for vfetch, that IFSR (compared on FS[4] and FS[3:0]: it has no domain and no WnR) and
// IFAR.
// The steps are executed by a CpuStepExecutor (platform/script/cpu_executor.h).
#pragma once

#include <cstdint>
#include <optional>

#include "platform/script/script.h"

namespace vp::script {

class StepRegistry;

// The DFSR bits a script's expected fault is compared on (ARM ARM B4.1.52): FS[4] (bit 10),
// WnR (bit 11), domain (bits 7:4), FS[3:0] (bits 3:0).
inline constexpr uint32_t kDfsrCompareMask = (1u << 11) | (1u << 10) | 0xF0u | 0x0Fu;
// The IFSR bits a prefetch abort is compared on (B4.1.96): FS[4] (bit 10), FS[3:0].
inline constexpr uint32_t kIfsrCompareMask = (1u << 10) | 0x0Fu;

struct ExpectedFault {
    uint32_t fsr = 0;
    uint32_t far = 0;
};

class Cp15Step final : public CpuStep {
  public:
    using CpuStep::CpuStep;
    unsigned crn = 0, opc1 = 0, crm = 0, opc2 = 0;
    bool is_write = false;  // `value` given: MCR; otherwise MRC with `expect`
    uint32_t value = 0;
    uint32_t expect = 0;
    uint32_t mask = 0xFFFFFFFFu;
};

class VirtualAccessStep final : public CpuStep {
  public:
    using CpuStep::CpuStep;
    bool is_write = false;  // vwrite
    bool is_fetch = false;  // vfetch: `size` bytes of instructions from `va`
    uint32_t va = 0;
    unsigned size = 4;
    uint64_t value = 0;  // vwrite
    bool has_expect = false;
    uint64_t expect = 0;  // vread
    uint64_t mask = 0xFFFFFFFFu;
    bool user = false;  // an unprivileged (PL0) access
    std::optional<ExpectedFault> expect_fault;
};

// Adds cp15, vread, vwrite and vfetch to `r` (add_builtin_steps calls it).
void add_cpu_steps(StepRegistry& r);

}  // namespace vp::script
