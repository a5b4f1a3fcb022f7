#include "tests/support/guest_machine.h"

#include <stdexcept>

namespace vp::test {

GuestMachine::GuestMachine(uint64_t ddr_bytes)
    : GuestMachine([ddr_bytes] {
          GuestMachineParams p;
          p.ddr_bytes = ddr_bytes;
          return p;
      }()) {}

GuestMachine::GuestMachine(const GuestMachineParams& p) : p_(p) {
    cpu_ = std::make_unique<vp::CortexA8>("cpu", p_.cpu);
    bus_ = std::make_unique<vp::Router>("bus");
    for (const auto& d : vp::am335x_domains())
        bus_->add_domain(d);
    ddr_ = std::make_unique<vp::Memory>(
        "ddr", vp::MemoryParams{p_.ddr_bytes, p_.ddr_latency, p_.ddr_latency, false, "ddr"});
    l4_wkup_ = std::make_unique<vp::Memory>(
        "l4_wkup", vp::MemoryParams{kL4WkupSize, p_.io_latency, p_.io_latency, false, "l4_wkup"});
    l4_per_ = std::make_unique<vp::Memory>(
        "l4_per", vp::MemoryParams{kL4PerSize, p_.io_latency, p_.io_latency, false, "l4_per"});
    cpsw_ = std::make_unique<vp::Memory>(
        "cpsw", vp::MemoryParams{kCpswSize, p_.io_latency, p_.io_latency, false, "cpsw"});
    bus_->map({"ddr", kDdrBase, p_.ddr_bytes, vp::kDomainL3F}, ddr_->socket);
    bus_->map({"l4_wkup", kL4WkupBase, kL4WkupSize, vp::kDomainL4Wkup}, l4_wkup_->socket);
    bus_->map({"l4_per", kL4PerBase, kL4PerSize, vp::kDomainL4Per}, l4_per_->socket);
    bus_->map({"cpsw", kCpswBase, kCpswSize, vp::kDomainL4Fast}, cpsw_->socket);
    if (p_.monitor) {
        mon_ = std::make_unique<vp::TransactionMonitor>("mon");
        cpu_->socket.bind(mon_->target);
        mon_->initiator.bind(bus_->in);
    } else {
        cpu_->socket.bind(bus_->in);
    }
    bus_->name_initiator(0, "cpu");
    cpu_->on_exit([](const vp::CortexA8::ExitStatus&) { sc_core::sc_stop(); });
}

GuestMachine::~GuestMachine() = default;

void GuestMachine::run(std::function<void(hal::Cpu&)> guest) {
    if (ran_) throw std::logic_error("GuestMachine::run: one run per machine");
    ran_ = true;
    cpu_->set_entry([this, g = std::move(guest)](hal::Cpu& c) {
        try {
            g(c);
        } catch (...) {
            failure_ = std::current_exception();
        }
    });
    sc_core::sc_start();
    if (failure_) std::rethrow_exception(failure_);
    const auto& st = cpu_->exit_status();
    if (!st.ok()) throw std::runtime_error("guest failed: " + st.message);
}

std::vector<vp::TransactionMonitor::Record> GuestMachine::bus_records() const {
    std::vector<vp::TransactionMonitor::Record> out;
    if (!mon_) return out;
    for (const auto& r : mon_->records())
        if (!r.debug) out.push_back(r);
    return out;
}

void GuestMachine::clear_records() {
    if (mon_) mon_->clear();
}

namespace {

kernel::DeviceInfo dev(const char* name, uint32_t base, uint32_t size, std::vector<unsigned> irqs,
                       const char* clk) {
    kernel::DeviceInfo d;
    d.name = name;
    d.base = base;
    d.size = size;
    d.irqs = std::move(irqs);
    d.clkctrl = clk;
    return d;
}

}  // namespace

kernel::BootInfo boot_info(const std::string& machine, uint64_t ddr_bytes) {
    kernel::BootInfo b;
    b.machine = machine;
    b.mem.push_back({kDdrBase, ddr_bytes});
    // configs/soc/am335x.yaml (bases, sizes, INTC lines, clock control).
    b.devices = {
        dev("prcm", 0x44E00000u, 8u << 10, {11}, ""),
        dev("gpio0", 0x44E07000u, 4u << 10, {96, 97}, "cm_wkup.gpio0"),
        dev("uart0", 0x44E09000u, 4u << 10, {72}, "cm_wkup.uart0"),
        dev("i2c0", 0x44E0B000u, 4u << 10, {70}, "cm_wkup.i2c0"),
        dev("control", 0x44E10000u, 8u << 10, {}, "cm_wkup.control"),
        dev("wdt1", 0x44E35000u, 4u << 10, {91}, "cm_wkup.wdt1"),
        dev("rtc", 0x44E3E000u, 4u << 10, {75, 76}, "cm_rtc.rtc"),
        dev("dmtimer2", 0x48040000u, 4u << 10, {68}, "cm_per.timer2"),
        dev("gpio1", 0x4804C000u, 4u << 10, {98, 99}, "cm_per.gpio1"),
        dev("intc", 0x48200000u, 4u << 10, {}, ""),
        dev("cpsw", kCpswBase, kCpswSize, {40, 41, 42, 43}, "cm_per.cpgmac0"),
    };
    return b;
}

kernel::BootInfo bbb_boot_info() {
    return boot_info("TI AM335x BeagleBone Black", kBbbDdrBytes);
}

kernel::BootInfo evm_boot_info() {
    return boot_info("TI AM335x EVM", kEvmDdrBytes);
}

}  // namespace vp::test
