// Host side of a UART (DESIGN.md §1: "console on UART0"): where transmitted characters go
// and where received characters come from. One backend per UART, chosen by the board
// configuration (docs/models/uart.md lists the YAML keys the platform maps to
// UartBackendConfig):
//
//   none      discards output, never receives
//   stdout    prints output; with `input`, also reads the host's stdin (never blocking)
//   file      writes output to a file (truncate or append)
//   tcp       a server on a loopback address (connect with `nc 127.0.0.1 5001`); output is
//             sent to the connected client, what the client types is received
//   scripted  receives given bytes at given simulated times; keeps a transcript of output
//
// The UART calls write() at each character's completion time on the TX line, in time
// order. Input comes two ways: timed input (scripted) says when its next bytes arrive
// (next_input_time / take_due), and host input (stdin, TCP) is polled by the UART at a low
// rate (polled / poll / read_host). No call ever blocks the simulation.
#pragma once

#include <sysc/kernel/sc_time.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vp {

// Bytes that arrive on the RX line together, starting at simulated time `at`.
struct UartInputChunk {
    sc_core::sc_time at;
    std::vector<uint8_t> bytes;
};

class UartBackend {
  public:
    virtual ~UartBackend();

    // "stdout", "file out.txt", "tcp 127.0.0.1:5001" … for logs.
    virtual std::string describe() const = 0;

    // A character finished on the TX line at simulated time `t`.
    virtual void write(uint8_t byte, const sc_core::sc_time& t) = 0;

    // Timed input: the arrival time of the next chunk not taken yet.
    virtual std::optional<sc_core::sc_time> next_input_time() const { return std::nullopt; }
    // Timed input: moves every chunk whose time is <= now to `out`, in time order.
    virtual void take_due(const sc_core::sc_time& now, std::vector<UartInputChunk>& out);

    // Host input needs periodic polling (stdin, TCP client).
    virtual bool polled() const { return false; }
    // Periodic housekeeping: accept a client, send buffered output. Never blocks.
    virtual void poll() {}
    // Up to `max` bytes the host has ready now; 0 when none. Never blocks.
    virtual size_t read_host(uint8_t* buf, size_t max);
};

// Discards output; no input.
class NullUartBackend final : public UartBackend {
  public:
    std::string describe() const override { return "none"; }
    void write(uint8_t, const sc_core::sc_time&) override {}
};

// Output to a file descriptor (stdout by default); optional non-blocking input from another
// (stdin by default). The descriptors are not closed.
class StdioUartBackend final : public UartBackend {
  public:
    explicit StdioUartBackend(bool read_input, int out_fd = 1, int in_fd = 0);
    std::string describe() const override;
    void write(uint8_t byte, const sc_core::sc_time& t) override;
    bool polled() const override { return read_input_ && !input_eof_; }
    size_t read_host(uint8_t* buf, size_t max) override;

  private:
    bool read_input_;
    int out_fd_;
    int in_fd_;
    bool input_eof_ = false;
    bool output_failed_ = false;
};

// Output to a file. Throws std::runtime_error if the file cannot be opened.
class FileUartBackend final : public UartBackend {
  public:
    FileUartBackend(const std::string& path, bool append);
    ~FileUartBackend() override;
    FileUartBackend(const FileUartBackend&) = delete;
    FileUartBackend& operator=(const FileUartBackend&) = delete;
    std::string describe() const override;
    void write(uint8_t byte, const sc_core::sc_time& t) override;

  private:
    std::string path_;
    int fd_ = -1;
    bool failed_ = false;
};

// A TCP server on a loopback address. One client at a time: a second connection is accepted
// and closed at once with a short notice. Output produced while no client is connected is
// kept (the last kPendingLimit bytes) and sent when one connects, so a boot banner is not
// lost. Throws std::invalid_argument for a non-loopback address or a bad port, and
// std::runtime_error when the socket cannot be set up (e.g. the port is in use).
class TcpUartBackend final : public UartBackend {
  public:
    static constexpr size_t kPendingLimit = 64 * 1024;

    // `port` 0 picks a free port (see port()).
    TcpUartBackend(const std::string& address, unsigned port);
    ~TcpUartBackend() override;
    TcpUartBackend(const TcpUartBackend&) = delete;
    TcpUartBackend& operator=(const TcpUartBackend&) = delete;

    std::string describe() const override;
    void write(uint8_t byte, const sc_core::sc_time& t) override;
    bool polled() const override { return true; }
    void poll() override;
    size_t read_host(uint8_t* buf, size_t max) override;

    unsigned port() const { return port_; }
    bool connected() const { return client_fd_ >= 0; }
    size_t pending_output() const { return pending_.size(); }

  private:
    void accept_clients();
    void flush();
    void drop_client(const char* why);

    std::string address_;
    unsigned port_ = 0;
    int listen_fd_ = -1;
    int client_fd_ = -1;
    std::vector<uint8_t> pending_;
};

// Scripted input: each chunk arrives at its time. Output is kept as a transcript (up to
// kTranscriptLimit bytes) and, with `echo`, also printed to stdout.
class ScriptedUartBackend final : public UartBackend {
  public:
    static constexpr size_t kTranscriptLimit = 1024 * 1024;

    explicit ScriptedUartBackend(std::vector<UartInputChunk> input, bool echo = false);
    std::string describe() const override;
    void write(uint8_t byte, const sc_core::sc_time& t) override;
    std::optional<sc_core::sc_time> next_input_time() const override;
    void take_due(const sc_core::sc_time& now, std::vector<UartInputChunk>& out) override;

    const std::string& transcript() const { return transcript_; }
    size_t remaining_chunks() const { return input_.size() - next_; }

  private:
    std::vector<UartInputChunk> input_;
    size_t next_ = 0;
    bool echo_;
    std::string transcript_;
};

// What the platform maps a board's `uart: {uartN: {...}}` entry to (docs/models/uart.md).
struct UartBackendConfig {
    enum class Kind { none, stdio, file, tcp, scripted };
    Kind kind = Kind::none;
    bool input = false;                  // stdio: also read the host's stdin
    std::string path;                    // file
    bool append = false;                 // file: append instead of truncating
    std::string address = "127.0.0.1";   // tcp: a loopback address only
    unsigned port = 0;                   // tcp: 1..65535, or 0 for any free port
    std::vector<UartInputChunk> script;  // scripted
    bool echo = false;                   // scripted: also print output to stdout
};

// YAML spelling of a kind: "none", "stdout", "file", "tcp", "scripted".
const char* uart_backend_kind_name(UartBackendConfig::Kind kind);
// Parses a YAML spelling; false for an unknown name.
bool parse_uart_backend_kind(const std::string& text, UartBackendConfig::Kind& out);
// The accepted spellings, for "did you mean" messages.
std::vector<std::string> uart_backend_kind_names();

// Builds the backend; throws std::invalid_argument (bad configuration) or
// std::runtime_error (the host refused: file or socket), each with a message naming `who`.
std::unique_ptr<UartBackend> make_uart_backend(const UartBackendConfig& cfg,
                                               const std::string& who = "uart");

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_address(const std::string& address);

}  // namespace vp
