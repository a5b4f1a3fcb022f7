// The one interface between the guest kernel (sw/) and the simulated machine (DESIGN.md §2).
//
// Everything the guest does to the machine goes through a hal::Cpu: loads and stores at
// virtual addresses, CP15 operations, barriers, interrupt masking, wait-for-interrupt, cycle
// annotation, and the exception hooks. It is what software on the Cortex-A8 can do, and no
// more. No SystemC type crosses this seam; models/cpu/cortex_a8 implements it, and unit tests
// of guest algorithms can implement it with a flat fake.
//
// Speed: a load or store whose page the CPU model has proven to be ordinary RAM, mapped and
// permitted for this kind of access, is served inline from a small direct-mapped table of host
// pointers (a "soft TLB", as QEMU's softmmu has), filled and invalidated by the CPU model:
// a few host instructions at the guest's call site, no virtual call. Every other access —
// a TLB miss, a device register, a fault, an unaligned access, the end of the time budget —
// takes the slow path (a virtual call into the model). The fast path still counts: the model
// adds the fast hits to its TLB statistics, so statistics are exact either way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <string>

namespace hal {

// Privilege of the current execution, as CPSR.M: PL1 (SVC, the kernel) or PL0 (USR).
enum class Mode : uint8_t { kernel = 0, user = 1 };

// What a data or prefetch abort reports to the guest's handler (ARMv7 short-descriptor).
struct AbortInfo {
    enum Kind : uint8_t { data, prefetch } kind;
    uint32_t fsr;   // DFSR or IFSR
    uint32_t far;   // DFAR or IFAR
    bool write;     // DFSR.WnR
    bool user;      // the access was made at PL0 (or as an unprivileged LDRT/STRT)
    unsigned size;  // bytes of the access
};

// What the guest's abort handler decides.
enum class AbortAction : uint8_t {
    retry,  // the handler fixed the cause (e.g. mapped a page): the access is made again
    fixup,  // give up on this access: a try_* access returns false (Linux's exception table)
    fatal,  // unrecoverable: the access throws hal::GuestOops
};

// Thrown by a plain access whose abort the handler could not resolve (a kernel oops).
class GuestOops : public std::exception {
  public:
    GuestOops(AbortInfo info, std::string message) : info_(info), message_(std::move(message)) {}
    const char* what() const noexcept override { return message_.c_str(); }
    const AbortInfo& info() const { return info_; }

  private:
    AbortInfo info_;
    std::string message_;
};

class Cpu {
  public:
    virtual ~Cpu() = default;

    // ---- Memory at virtual addresses (current mode, like LDR/STR) --------------------
    uint8_t load8(uint32_t va) { return static_cast<uint8_t>(load<uint8_t>(va)); }
    uint16_t load16(uint32_t va) { return static_cast<uint16_t>(load<uint16_t>(va)); }
    uint32_t load32(uint32_t va) { return static_cast<uint32_t>(load<uint32_t>(va)); }
    uint64_t load64(uint32_t va) { return load<uint64_t>(va); }
    void store8(uint32_t va, uint8_t v) { store<uint8_t>(va, v); }
    void store16(uint32_t va, uint16_t v) { store<uint16_t>(va, v); }
    void store32(uint32_t va, uint32_t v) { store<uint32_t>(va, v); }
    void store64(uint32_t va, uint64_t v) { store<uint64_t>(va, v); }

    // Accesses that report an abort the handler answered with `fixup` by returning false
    // instead of throwing: the guest's exception-table mechanism (uaccess, probe reads).
    // `as_user` makes an unprivileged access from PL1, like LDRT/STRT.
    virtual bool try_load(uint32_t va, unsigned size, uint64_t& value, bool as_user = false) = 0;
    virtual bool try_store(uint32_t va, unsigned size, uint64_t value, bool as_user = false) = 0;

    // Block operations inside guest memory, costed per cache line and per page translated.
    // They stop at the first abort the handler does not fix and return the bytes done.
    virtual size_t copy(uint32_t dst_va, uint32_t src_va, size_t n, bool as_user = false) = 0;
    virtual size_t fill(uint32_t va, uint8_t byte, size_t n, bool as_user = false) = 0;
    // Between guest memory and host memory (the guest's own stack and globals are host
    // memory): a copy_to_user from a kernel-stack buffer, a string for printk.
    virtual size_t read_block(uint32_t va, void* host, size_t n, bool as_user = false) = 0;
    virtual size_t write_block(uint32_t va, const void* host, size_t n, bool as_user = false) = 0;

    // Instruction-side stream: `bytes` of instructions fetched from `va` (I-TLB, L1-I).
    virtual void fetch(uint32_t va, size_t bytes) = 0;

    // ---- System control ----------------------------------------------------------------
    // MRC/MCR p15, opc1, Rt, CRn, CRm, opc2.
    virtual uint32_t mrc(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2) = 0;
    virtual void mcr(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2, uint32_t value) = 0;
    virtual void dsb() = 0;
    virtual void dmb() = 0;
    virtual void isb() = 0;

    virtual Mode mode() const = 0;
    virtual void set_mode(Mode m) = 0;

    // CPSR.I / CPSR.F. Unmasking with an interrupt pending takes it at once.
    virtual void irq_enable(bool on) = 0;
    virtual void fiq_enable(bool on) = 0;
    virtual bool irqs_enabled() const = 0;
    // Waits (in simulated time) until an interrupt is pending, then takes it if unmasked.
    virtual void wfi() = 0;

    // Annotates `cycles` core cycles of work that is not memory access (an ALU loop).
    virtual void compute(uint64_t cycles) = 0;
    // Core cycles since reset, including this CPU's not-yet-synchronised local time.
    virtual uint64_t cycles() const = 0;
    virtual uint64_t clock_hz() const = 0;

    // ---- Exception vectors ---------------------------------------------------------------
    // Interrupt handlers run in the guest's own thread, with the interrupt masked, when the
    // CPU takes the exception (at a synchronisation point or on wfi/unmasking).
    virtual void set_irq_handler(std::function<void()> handler) = 0;
    virtual void set_fiq_handler(std::function<void()> handler) = 0;
    virtual void set_abort_handler(std::function<AbortAction(const AbortInfo&)> handler) = 0;

  protected:
    // ---- The inline fast path (filled and invalidated by the CPU model only) -------------
    static constexpr unsigned kPageShift = 12;
    static constexpr unsigned kFastEntries = 256;  // direct-mapped by VA[19:12]
    static constexpr uint32_t kNoPage = 0xFFFFFFFFu;

    struct FastEntry {
        uint32_t page = kNoPage;  // VA >> 12 this entry maps, or kNoPage
        uint8_t* host = nullptr;  // host address of that page's first byte
    };
    // [mode][index]: separate read and write tables, per privilege level.
    FastEntry fast_read_[2][kFastEntries];
    FastEntry fast_write_[2][kFastEntries];
    // Inline accesses allowed before the slow path must run (end of the quantum, a
    // pending interrupt, statistics to fold in). The model sets it; 0 disables the fast path.
    int64_t fast_budget_ = 0;
    // Fast hits since the model last folded them into its statistics.
    uint64_t fast_loads_ = 0;
    uint64_t fast_stores_ = 0;
    Mode fast_mode_ = Mode::kernel;

    void flush_fast_path() {
        for (unsigned m = 0; m < 2; ++m)
            for (unsigned i = 0; i < kFastEntries; ++i) {
                fast_read_[m][i] = FastEntry{};
                fast_write_[m][i] = FastEntry{};
            }
    }

    // Slow paths: everything the inline path does not serve.
    virtual uint64_t load_slow(uint32_t va, unsigned size) = 0;
    virtual void store_slow(uint32_t va, unsigned size, uint64_t value) = 0;

  private:
    template <typename T>
    uint64_t load(uint32_t va) {
        const FastEntry& e =
            fast_read_[static_cast<unsigned>(fast_mode_)][(va >> kPageShift) & (kFastEntries - 1)];
        if (__builtin_expect(((va >> kPageShift) == e.page) & ((va & (sizeof(T) - 1)) == 0), 1) &&
            __builtin_expect(--fast_budget_ >= 0, 1)) {
            ++fast_loads_;
            T v;
            std::memcpy(&v, e.host + (va & ((1u << kPageShift) - 1)), sizeof(T));
            return v;
        }
        return load_slow(va, sizeof(T));
    }

    template <typename T>
    void store(uint32_t va, T v) {
        const FastEntry& e =
            fast_write_[static_cast<unsigned>(fast_mode_)][(va >> kPageShift) & (kFastEntries - 1)];
        if (__builtin_expect(((va >> kPageShift) == e.page) & ((va & (sizeof(T) - 1)) == 0), 1) &&
            __builtin_expect(--fast_budget_ >= 0, 1)) {
            ++fast_stores_;
            std::memcpy(e.host + (va & ((1u << kPageShift) - 1)), &v, sizeof(T));
            return;
        }
        store_slow(va, sizeof(T), v);
    }
};

// The CPU the guest kernel runs on (one Cortex-A8). The CPU model sets it before it runs
// the guest, so guest code can say readl(addr) as Linux does.
Cpu& this_cpu();
Cpu* this_cpu_or_null();  // nullptr when no CPU runs the guest
void set_this_cpu(Cpu* cpu);

}  // namespace hal
