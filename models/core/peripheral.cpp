#include "models/core/peripheral.h"

#include "models/core/tlm_util.h"

namespace vp {

Peripheral::Peripheral(sc_core::sc_module_name name, uint32_t size, std::string stat_prefix)
    : sc_module(name),
      socket("socket"),
      clock_enable(std::string(this->name()) + ".clock_enable", true),
      log_(this->name()),
      regs_(log_, size),
      stat_prefix_(stat_prefix.empty() ? std::string(this->name()) : std::move(stat_prefix)),
      reads_(stat_prefix_ + ".reads", "register reads"),
      writes_(stat_prefix_ + ".writes", "register writes"),
      errors_(stat_prefix_ + ".errors", "accesses answered with an error response") {
    socket.register_b_transport(this, &Peripheral::b_transport);
    socket.register_transport_dbg(this, &Peripheral::transport_dbg);
    clock_enable.on_change([this](bool on, const sc_core::sc_time&) {
        if (on) gated_logged_ = false;
    });
}

void Peripheral::reset() {
    regs_.reset();
}

namespace {
tlm::tlm_response_status to_tlm(RegStatus s) {
    switch (s) {
        case RegStatus::ok:
            return tlm::TLM_OK_RESPONSE;
        case RegStatus::hole:
            return tlm::TLM_ADDRESS_ERROR_RESPONSE;
        case RegStatus::bad_size:
            return tlm::TLM_GENERIC_ERROR_RESPONSE;
        case RegStatus::too_long:
            return tlm::TLM_BURST_ERROR_RESPONSE;
    }
    return tlm::TLM_GENERIC_ERROR_RESPONSE;
}
}  // namespace

void Peripheral::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    const uint64_t addr = p.get_address();
    const unsigned len = p.get_data_length();
    if (!clock_enable.read()) {
        ++errors_;
        if (!gated_logged_) {
            gated_logged_ = true;
            VP_LOG(log_, warning,
                   "access at offset {:#x} while the module clock is gated: error response", addr);
        }
        p.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (p.get_streaming_width() < len || addr + len > regs_.size()) {
        ++errors_;
        p.set_response_status(addr + len > regs_.size() ? tlm::TLM_ADDRESS_ERROR_RESPONSE
                                                        : tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    access_offset_ = delay;
    RegStatus st;
    const auto off = static_cast<uint32_t>(addr);
    if (p.is_read()) {
        ++reads_;
        st = regs_.read(off, p.get_data_ptr(), len, p.get_byte_enable_ptr(),
                        p.get_byte_enable_length());
    } else if (p.is_write()) {
        ++writes_;
        st = regs_.write(off, p.get_data_ptr(), len, p.get_byte_enable_ptr(),
                         p.get_byte_enable_length());
    } else {
        st = RegStatus::ok;  // TLM_IGNORE_COMMAND
    }
    access_offset_ = sc_core::SC_ZERO_TIME;
    if (st != RegStatus::ok) ++errors_;
    delay += access_latency_;
    p.set_response_status(to_tlm(st));
}

unsigned Peripheral::transport_dbg(tlm::tlm_generic_payload& p) {
    const auto off = static_cast<uint32_t>(p.get_address());
    unsigned len = p.get_data_length();
    unsigned done = 0;
    // Byte by byte from each word's peeked value, so a debugger can read a whole window
    // at any alignment; holes read as zero and ignore writes.
    while (done < len) {
        uint32_t a = off + done;
        if (a >= regs_.size()) break;
        Register* r = regs_.at(a & ~3u);
        const unsigned shift = 8 * (a & 3u);
        uint8_t* d = p.get_data_ptr() + done;
        if (p.is_read()) {
            *d = r ? static_cast<uint8_t>(r->peek() >> shift) : 0;
        } else if (p.is_write() && r) {
            r->set((r->get() & ~(0xFFu << shift)) | (static_cast<uint32_t>(*d) << shift));
        }
        ++done;
    }
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return done;
}

}  // namespace vp
