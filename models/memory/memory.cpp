#include "models/memory/memory.h"

#include <sys/mman.h>

#include <cerrno>
#include <stdexcept>

namespace vp {

namespace {
std::string prefix_or(const std::string& prefix, const char* fallback) {
    return prefix.empty() ? std::string(fallback) : prefix;
}
}  // namespace

MemoryStorage::MemoryStorage(uint64_t size, bool read_only, const std::string& stat_prefix,
                             Logger& log)
    : size_(size),
      read_only_(read_only),
      prefix_(stat_prefix),
      log_(log),
      reads_(stat_prefix + ".reads", "bus reads (b_transport)"),
      writes_(stat_prefix + ".writes", "bus writes (b_transport)"),
      bytes_read_(stat_prefix + ".bytes_read", "bytes read by the bus"),
      bytes_written_(stat_prefix + ".bytes_written", "bytes written by the bus") {
    if (size == 0) throw std::invalid_argument(stat_prefix + ": memory size must be > 0");
    if (size > static_cast<uint64_t>(SIZE_MAX))
        throw std::invalid_argument(stat_prefix + ": memory size does not fit the host");
    // Anonymous private mapping without swap reservation: pages are allocated (zeroed) by
    // the kernel on first touch, so an untouched 1 GiB DDR costs no host RAM.
    void* p = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error(stat_prefix + ": cannot map " + std::to_string(size) +
                                 " bytes of host memory (errno " + std::to_string(errno) + ")");
    data_ = static_cast<uint8_t*>(p);
}

MemoryStorage::~MemoryStorage() {
    if (data_) ::munmap(data_, static_cast<size_t>(size_));
}

bool MemoryStorage::transport_slow(tlm::tlm_generic_payload& p) {
    const tlm::tlm_command cmd = p.get_command();
    const uint64_t addr = p.get_address();
    const unsigned len = p.get_data_length();
    const unsigned sw = p.get_streaming_width();
    uint8_t* data = p.get_data_ptr();
    const uint8_t* be = p.get_byte_enable_ptr();
    const unsigned be_len = p.get_byte_enable_length();

    if (cmd == tlm::TLM_IGNORE_COMMAND) {
        p.set_response_status(tlm::TLM_OK_RESPONSE);
        return true;
    }
    if (data == nullptr || len == 0 || (be != nullptr && be_len == 0)) {
        p.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return false;
    }
    if (sw == 0) {
        p.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return false;
    }
    // Bytes touched in the memory: a streaming burst repeats the first `sw` addresses.
    const uint64_t span = sw < len ? sw : len;
    if (addr >= size_ || span > size_ - addr) {
        if (log_.once("range"))
            VP_LOG(log_, warning, "access of {} bytes at offset {:#x} beyond the {:#x}-byte memory",
                   len, addr, size_);
        p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    if (cmd == tlm::TLM_WRITE_COMMAND && read_only_) {
        if (log_.once("rom-write"))
            VP_LOG(log_, warning,
                   "write of {} bytes at offset {:#x} to read-only memory: command error "
                   "(logged once)",
                   len, addr);
        p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return false;
    }
    uint8_t* mem = data_ + addr;
    const bool write = cmd == tlm::TLM_WRITE_COMMAND;
    for (unsigned i = 0; i < len; ++i) {
        if (be != nullptr && be[i % be_len] != TLM_BYTE_ENABLED) continue;
        const uint64_t j = i % span;
        if (write)
            mem[j] = data[i];
        else
            data[i] = mem[j];
    }
    if (write) {
        ++writes_;
        bytes_written_ += len;
    } else {
        ++reads_;
        bytes_read_ += len;
    }
    p.set_dmi_allowed(true);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

unsigned MemoryStorage::debug_transport(tlm::tlm_generic_payload& p) {
    const uint64_t addr = p.get_address();
    uint8_t* data = p.get_data_ptr();
    if (addr >= size_ || data == nullptr || p.get_command() == tlm::TLM_IGNORE_COMMAND) {
        p.set_response_status(addr >= size_ ? tlm::TLM_ADDRESS_ERROR_RESPONSE
                                            : tlm::TLM_OK_RESPONSE);
        return 0;
    }
    uint64_t n = p.get_data_length();
    if (n > size_ - addr) n = size_ - addr;
    if (p.is_read())
        std::memcpy(data, data_ + addr, n);
    else
        std::memcpy(data_ + addr, data, n);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return static_cast<unsigned>(n);
}

bool MemoryStorage::direct_mem(const tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) const {
    dmi.set_start_address(0);
    dmi.set_end_address(size_ - 1);  // inclusive (IEEE 1666-2011, DMI)
    if (read_only_ && p.is_write()) {
        // The whole range refuses write DMI; reads may still ask for it.
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    dmi.set_dmi_ptr(data_);
    dmi.set_granted_access(read_only_ ? tlm::tlm_dmi::DMI_ACCESS_READ
                                      : tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    return true;
}

void MemoryStorage::load(uint64_t offset, const void* bytes, size_t len) {
    if (offset > size_ || len > size_ - offset)
        throw std::out_of_range(prefix_ + ": image of " + std::to_string(len) +
                                " bytes at offset " + std::to_string(offset) +
                                " does not fit the " + std::to_string(size_) + "-byte memory");
    if (len) std::memcpy(data_ + offset, bytes, len);
}

Memory::Memory(sc_core::sc_module_name name, const MemoryParams& params)
    : sc_module(name),
      socket("socket"),
      params_(params),
      log_(this->name()),
      store_(params.size, params.read_only, prefix_or(params.stat_prefix, this->name()), log_) {
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
}

void Memory::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    if (!store_.transport(p)) return;
    if (p.is_read())
        delay += params_.read_latency;
    else if (p.is_write())
        delay += params_.write_latency;
}

unsigned Memory::transport_dbg(tlm::tlm_generic_payload& p) {
    return store_.debug_transport(p);
}

bool Memory::get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
    if (!store_.direct_mem(p, dmi)) return false;
    dmi.set_read_latency(params_.read_latency);
    dmi.set_write_latency(params_.write_latency);
    return true;
}

}  // namespace vp
