// A small platform for guest-kernel tests (sw/ on the real CPU model), shared by the vm, DMA,
// user-mm and driver tests:
//
//   vp::CortexA8 ──> [vp::TransactionMonitor] ──> vp::Router (am335x_domains)
//                                                    ├─ DDR       0x8000_0000  vp::Memory (lazy)
//                                                    ├─ L4_WKUP   0x44C0_0000  4 MiB vp::Memory
//                                                    ├─ L4_PER    0x4800_0000  4 MiB vp::Memory
//                                                    └─ CPSW-like 0x4A10_0000 16 KiB vp::Memory
//
// The peripheral windows are plain RAM stand-ins (registers read back what was written); a
// test that needs a real model builds its own platform.
//
//   BOOST_FIXTURE_TEST_CASE(my_case, vp::test::FreshSim) {
//       vp::test::GuestMachine m(vp::test::kBbbDdrBytes);
//       m.run([&](hal::Cpu&) {
//           kernel::System sys(vp::test::bbb_boot_info());   // boots: MMU on, buddy, slab
//           uint32_t p = kernel::vmalloc(4096);
//           ...                                            // BOOST_TEST works in here
//       });
//       BOOST_TEST(m.bus_records().size() > 0u);           // bus-level checks after the run
//   }
//
// run() may be called once per machine (the CPU's thread runs one entry). It returns when the
// guest returns; an exception that escapes the guest (hal::GuestOops, a failed BOOST_REQUIRE,
// std::exception ...) is rethrown by run() as it was thrown. The machine's SystemC modules
// must be destroyed before the next test case's FreshSim: construct it inside the test.
#pragma once

#include <systemc>

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

#include "models/core/monitor.h"
#include "models/cpu/cortex_a8/cortex_a8.h"
#include "models/cpu/cortex_a8/params.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "sw/hal/cpu.h"
#include "sw/kernel/boot.h"

namespace vp::test {

constexpr uint64_t kBbbDdrBytes = 512ull << 20;   // BeagleBone Black
constexpr uint64_t kEvmDdrBytes = 1024ull << 20;  // AM335x EVM (1 GiB: has highmem)
constexpr uint32_t kDdrBase = 0x80000000u;
constexpr uint32_t kL4WkupBase = 0x44C00000u;
constexpr uint32_t kL4WkupSize = 4u << 20;
constexpr uint32_t kL4PerBase = 0x48000000u;
constexpr uint32_t kL4PerSize = 4u << 20;
constexpr uint32_t kCpswBase = 0x4A100000u;
constexpr uint32_t kCpswSize = 16u << 10;

struct GuestMachineParams {
    uint64_t ddr_bytes = kBbbDdrBytes;
    vp::CortexA8Params cpu;  // default: functional timing
    bool monitor = true;     // put a TransactionMonitor between the CPU and the router
    // [?] Fixed latencies of the stand-in memories (no DDR timing model here).
    sc_core::sc_time ddr_latency = sc_core::sc_time(50, sc_core::SC_NS);
    sc_core::sc_time io_latency = sc_core::sc_time(20, sc_core::SC_NS);
};

class GuestMachine {
  public:
    explicit GuestMachine(uint64_t ddr_bytes = kBbbDdrBytes);
    explicit GuestMachine(const GuestMachineParams& p);
    ~GuestMachine();
    GuestMachine(const GuestMachine&) = delete;
    GuestMachine& operator=(const GuestMachine&) = delete;

    // Runs `guest` on the CPU (hal::this_cpu() set, kernel mode, MMU off) until it returns.
    void run(std::function<void(hal::Cpu&)> guest);

    vp::CortexA8& cpu() { return *cpu_; }
    vp::Router& bus() { return *bus_; }
    vp::Memory& ddr() { return *ddr_; }
    // nullptr when built without a monitor.
    vp::TransactionMonitor* monitor() { return mon_.get(); }
    // The monitor's non-debug transactions (empty without a monitor).
    std::vector<vp::TransactionMonitor::Record> bus_records() const;
    void clear_records();
    const GuestMachineParams& params() const { return p_; }

  private:
    GuestMachineParams p_;
    std::unique_ptr<vp::CortexA8> cpu_;
    std::unique_ptr<vp::TransactionMonitor> mon_;
    std::unique_ptr<vp::Router> bus_;
    std::unique_ptr<vp::Memory> ddr_;
    std::unique_ptr<vp::Memory> l4_wkup_;
    std::unique_ptr<vp::Memory> l4_per_;
    std::unique_ptr<vp::Memory> cpsw_;
    std::exception_ptr failure_;
    bool ran_ = false;
};

// Boot information of the two reference boards: DDR bank, machine name and the devices of
// configs/soc/am335x.yaml the guest tests use (uart0, gpio0, i2c0, prcm, control, wdt1, rtc,
// dmtimer2, gpio1, intc, cpsw).
kernel::BootInfo bbb_boot_info();  // "TI AM335x BeagleBone Black", 512 MiB
kernel::BootInfo evm_boot_info();  // "TI AM335x EVM", 1 GiB
// Any DDR size (a multiple of 1 MiB) with the BBB devices.
kernel::BootInfo boot_info(const std::string& machine, uint64_t ddr_bytes);

}  // namespace vp::test
