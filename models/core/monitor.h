// A transaction monitor that sits on any socket (DESIGN.md §11): it forwards every
// b_transport, transport_dbg, DMI request and DMI invalidation unchanged, records each
// transaction for tests, and checks the TLM-2.0 base-protocol rules:
//   - the initiator sets TLM_INCOMPLETE_RESPONSE before the call; the target sets another
//     status before it returns;
//   - the target does not change the command, data pointer, length, byte-enable pointer or
//     length, or streaming width;
//   - a data length of 0, or byte enables with a zero length, are initiator errors;
//   - a target that returns OK for a transaction with byte enables, or a streaming width
//     below the length, must honour them: the monitor checks a write with byte enables
//     did not change disabled bytes, where the target supports debug reads;
//   - a granted DMI region contains the requested address, has start <= end, a host
//     pointer, and matches what debug transport reads at both its start and its
//     inclusive end address (catches the classic off-by-one of an exclusive end).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <string>
#include <vector>

namespace vp {

class TransactionMonitor : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<TransactionMonitor> target;
    tlm_utils::simple_initiator_socket<TransactionMonitor> initiator;

    struct Record {
        sc_core::sc_time time;     // sc_time_stamp() + delay on entry
        sc_core::sc_time latency;  // delay added by everything downstream
        tlm::tlm_command command;
        uint64_t address;
        unsigned length;
        std::vector<uint8_t> data;  // write: data sent; read: data returned
        tlm::tlm_response_status response;
        bool debug;
        uint64_t value() const;  // data as a little-endian integer (up to 8 bytes)
    };

    explicit TransactionMonitor(sc_core::sc_module_name name);

    const std::vector<Record>& records() const { return records_; }
    const std::vector<std::string>& violations() const { return violations_; }
    void clear() {
        records_.clear();
        violations_.clear();
    }
    void set_recording(bool on) { recording_ = on; }
    // Checks DMI grants against debug reads (needs a target that supports transport_dbg).
    void set_check_dmi_data(bool on) { check_dmi_data_ = on; }

  private:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
    void violation(const std::string& what, const tlm::tlm_generic_payload& p);

    std::vector<Record> records_;
    std::vector<std::string> violations_;
    bool recording_ = true;
    bool check_dmi_data_ = true;
};

}  // namespace vp
