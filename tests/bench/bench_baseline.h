// What every benchmark prints its figures beside (README "Speed"): the bare SystemC loop —
// one initiator calling b_transport (or reading through DMI) on a minimal memory, with a
// quantum keeper as an LT initiator has — measured in the same process, so a figure reads as
// a ratio that does not depend on how busy the shared machine was.
//
//   vp::bench::BareMemory mem("bare_mem", 1 << 20, sc_time(50, SC_NS));
//   vp::bench::BareInitiator bare("bare");
//   bare.socket.bind(mem.socket);
//   double bt = bare.bt_loop(4'000'000);     // reads per host second
//
// Header-only: the benchmarks link the project's libraries, not the test support code.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

namespace vp::bench {

// CPU time of this process: the machine is shared, wall time would count other jobs.
inline double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The best (highest) rate of `runs` calls of `f`, which returns a rate.
template <typename F>
double best_of(unsigned runs, F&& f) {
    double best = 0;
    for (unsigned r = 0; r < runs; ++r)
        best = std::max(best, f());
    return best;
}

// The minimal memory of the bare loops: bounds check, memcpy, fixed latency, DMI.
struct BareMemory : sc_core::sc_module {
    tlm_utils::simple_target_socket<BareMemory> socket;
    std::vector<uint8_t> mem;
    sc_core::sc_time latency;

    BareMemory(sc_core::sc_module_name n, uint64_t size,
               sc_core::sc_time lat = sc_core::SC_ZERO_TIME)
        : sc_module(n), socket("socket"), mem(size, 0), latency(lat) {
        socket.register_b_transport(this, &BareMemory::b_transport);
        socket.register_get_direct_mem_ptr(this, &BareMemory::get_direct_mem_ptr);
        for (size_t i = 0; i < mem.size(); ++i)
            mem[i] = static_cast<uint8_t>(i);
    }
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
        const uint64_t a = p.get_address();
        const unsigned len = p.get_data_length();
        if (a >= mem.size() || len > mem.size() - a) {
            p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (p.is_read())
            std::memcpy(p.get_data_ptr(), &mem[a], len);
        else if (p.is_write())
            std::memcpy(&mem[a], p.get_data_ptr(), len);
        delay += latency;
        p.set_dmi_allowed(true);
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        dmi.set_dmi_ptr(mem.data());
        dmi.set_start_address(0);
        dmi.set_end_address(mem.size() - 1);
        dmi.allow_read_write();
        dmi.set_read_latency(latency);
        dmi.set_write_latency(latency);
        return true;
    }
};

// The bare initiator: 32-bit reads sweeping a window of its memory, 4 bytes apart.
struct BareInitiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<BareInitiator> socket;
    uint64_t window;  // a power of two no larger than the memory
    uint64_t checksum = 0;

    explicit BareInitiator(sc_core::sc_module_name n, uint64_t window_bytes = 1u << 20)
        : sc_module(n), socket("socket"), window(window_bytes) {}

    // b_transport reads per host second (time kept with a quantum keeper, as an LT CPU does).
    double bt_loop(uint64_t n) {
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        tlm::tlm_generic_payload p;
        uint32_t word = 0;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
        p.set_data_length(4);
        p.set_streaming_width(4);
        uint64_t off = 0;
        const double t0 = cpu_seconds();
        for (uint64_t i = 0; i < n; ++i) {
            p.set_address(off);
            p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_core::sc_time delay = qk.get_local_time();
            socket->b_transport(p, delay);
            qk.set(delay);
            if (qk.need_sync()) qk.sync();
            checksum += word;
            off = (off + 4) & (window - 1);
        }
        qk.sync();
        return static_cast<double>(n) / std::max(cpu_seconds() - t0, 1e-9);
    }

    // Reads per host second through the memory's DMI pointer.
    double dmi_loop(uint64_t n) {
        tlm::tlm_generic_payload p;
        p.set_address(0);
        p.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi d;
        if (!socket->get_direct_mem_ptr(p, d)) {
            std::fprintf(stderr, "bench: the bare memory refused DMI\n");
            std::exit(1);
        }
        const uint8_t* ptr = d.get_dmi_ptr();
        const sc_core::sc_time lat = d.get_read_latency();
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        uint64_t off = 0;
        const double t0 = cpu_seconds();
        for (uint64_t i = 0; i < n; ++i) {
            uint32_t word;
            std::memcpy(&word, ptr + off, 4);
            checksum += word;
            qk.inc(lat);
            if (qk.need_sync()) qk.sync();
            off = (off + 4) & (window - 1);
        }
        qk.sync();
        return static_cast<double>(n) / std::max(cpu_seconds() - t0, 1e-9);
    }
};

}  // namespace vp::bench
