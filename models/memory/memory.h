// RAM and ROM targets: boot ROM (0x40000000, 176 KiB), internal SRAM (0x402F0000, 64 KiB),
// OCMC0 (0x40300000, 64 KiB) — reference/am335x.md §1.1. docs/models/memory.md.
//
// MemoryStorage is the backing store and the TLM data path (range check, byte enables,
// streaming width, ROM write refusal, statistics). Memory is the plain TLM target built on it
// with fixed latencies; Ddr (ddr.h) is built on the same storage and adds the bank/row timing.
//
// Storage is an anonymous MAP_NORESERVE mapping: a page costs host RAM only once touched, so
// a 1 GiB DDR costs nothing until the guest writes to it (reads of untouched pages see zeros).
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/stats.h"

namespace vp {

struct MemoryParams {
    uint64_t size = 0;                                       // bytes, > 0
    sc_core::sc_time read_latency = sc_core::SC_ZERO_TIME;   // added to every read
    sc_core::sc_time write_latency = sc_core::SC_ZERO_TIME;  // added to every write
    bool read_only = false;                                  // ROM: bus writes are refused
    std::string stat_prefix;  // statistics prefix; empty: the module name
};

class MemoryStorage {
  public:
    // Throws std::invalid_argument for a zero size, std::runtime_error if the host refuses
    // the (lazy) mapping.
    MemoryStorage(uint64_t size, bool read_only, const std::string& stat_prefix, Logger& log);
    ~MemoryStorage();
    MemoryStorage(const MemoryStorage&) = delete;
    MemoryStorage& operator=(const MemoryStorage&) = delete;

    uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }
    bool read_only() const { return read_only_; }
    const std::string& stat_prefix() const { return prefix_; }

    // The data part of a b_transport: checks the payload, copies the bytes, counts, and sets
    // the response status. Returns true when the response is TLM_OK_RESPONSE. No delay.
    //   out of range (or wrapping)      → TLM_ADDRESS_ERROR_RESPONSE
    //   write to a ROM                  → TLM_COMMAND_ERROR_RESPONSE (logged once)
    //   null data pointer / length 0    → TLM_GENERIC_ERROR_RESPONSE
    //   streaming width 0               → TLM_BURST_ERROR_RESPONSE
    // Byte enables and a streaming width below the length are honoured.
    bool transport(tlm::tlm_generic_payload& p) {
        const uint64_t addr = p.get_address();
        const unsigned len = p.get_data_length();
        if (p.get_byte_enable_ptr() == nullptr && p.get_streaming_width() >= len && len != 0 &&
            addr < size_ && len <= size_ - addr && p.get_data_ptr() != nullptr) {
            if (p.get_command() == tlm::TLM_READ_COMMAND) {
                copy(p.get_data_ptr(), data_ + addr, len);
                ++reads_;
                bytes_read_ += len;
                p.set_dmi_allowed(true);
                p.set_response_status(tlm::TLM_OK_RESPONSE);
                return true;
            }
            if (p.get_command() == tlm::TLM_WRITE_COMMAND && !read_only_) {
                copy(data_ + addr, p.get_data_ptr(), len);
                ++writes_;
                bytes_written_ += len;
                p.set_dmi_allowed(true);
                p.set_response_status(tlm::TLM_OK_RESPONSE);
                return true;
            }
        }
        return transport_slow(p);
    }

    // Debug access (transport_dbg): no statistics, no latency, a debugger may write a ROM.
    // Returns the number of bytes transferred (clipped at the end of the storage).
    unsigned debug_transport(tlm::tlm_generic_payload& p);

    // DMI for the whole storage: start 0, end size-1 (inclusive), read access, plus write
    // access for RAM. A write DMI request to a ROM is refused (returns false). Latencies are
    // left to the caller.
    bool direct_mem(const tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) const;

    // Copies `len` bytes to `offset` (image loading); throws std::out_of_range if they do
    // not fit.
    void load(uint64_t offset, const void* bytes, size_t len);

    uint64_t reads() const { return reads_.get(); }
    uint64_t writes() const { return writes_.get(); }

  private:
    // Word-sized copies inline (the CPU's loads and stores), anything else via memcpy.
    static void copy(uint8_t* dst, const uint8_t* src, unsigned len) {
        switch (len) {
            case 1:
                *dst = *src;
                return;
            case 2:
                std::memcpy(dst, src, 2);
                return;
            case 4:
                std::memcpy(dst, src, 4);
                return;
            case 8:
                std::memcpy(dst, src, 8);
                return;
            default:
                std::memcpy(dst, src, len);
                return;
        }
    }
    bool transport_slow(tlm::tlm_generic_payload& p);

    uint8_t* data_ = nullptr;
    uint64_t size_;
    bool read_only_;
    std::string prefix_;
    Logger& log_;
    stats::Counter reads_;
    stats::Counter writes_;
    stats::Counter bytes_read_;
    stats::Counter bytes_written_;
};

// A RAM or ROM TLM target with fixed read/write latencies (internal SRAM, OCMC, boot ROM).
class Memory : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<Memory> socket;

    Memory(sc_core::sc_module_name name, const MemoryParams& params);

    const MemoryParams& params() const { return params_; }
    uint8_t* host_ptr() { return store_.data(); }
    uint64_t size() const { return store_.size(); }
    bool read_only() const { return store_.read_only(); }
    void load(uint64_t offset, const void* bytes, size_t len) { store_.load(offset, bytes, len); }
    void load(uint64_t offset, const std::vector<uint8_t>& bytes) {
        store_.load(offset, bytes.data(), bytes.size());
    }
    MemoryStorage& storage() { return store_; }
    Logger& log() { return log_; }

  private:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);

    MemoryParams params_;
    Logger log_;
    MemoryStorage store_;
};

}  // namespace vp
