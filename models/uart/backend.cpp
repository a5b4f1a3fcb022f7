#include "models/uart/backend.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace vp {

namespace {

std::string errno_text(int err) {
    return std::strerror(err);
}

// Writes all of `len` bytes to a blocking descriptor, retrying on EINTR; false on error.
bool write_all(int fd, const uint8_t* data, size_t len) {
    while (len > 0) {
        ssize_t n = ::write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        len -= static_cast<size_t>(n);
    }
    return true;
}

bool set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL, 0);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// Bytes ready on `fd` now (poll with a zero timeout): true if a read will not block.
bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    int r;
    do {
        r = ::poll(&p, 1, 0);
    } while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
}

// A socket address for a loopback `address`; false if it is not one.
bool loopback_sockaddr(const std::string& address, unsigned port, sockaddr_storage& ss,
                       socklen_t& len) {
    std::memset(&ss, 0, sizeof ss);
    const std::string a = address == "localhost" ? "127.0.0.1" : address;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    if (::inet_pton(AF_INET, a.c_str(), &v4->sin_addr) == 1) {
        // 127.0.0.0/8 is the IPv4 loopback network (RFC 1122 §3.2.1.3).
        if ((ntohl(v4->sin_addr.s_addr) >> 24) != 127) return false;
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<uint16_t>(port));
        len = sizeof(sockaddr_in);
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (::inet_pton(AF_INET6, a.c_str(), &v6->sin6_addr) == 1) {
        if (!IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr)) return false;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<uint16_t>(port));
        len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

}  // namespace

// ---- base ------------------------------------------------------------------------------------

UartBackend::~UartBackend() = default;

void UartBackend::take_due(const sc_core::sc_time&, std::vector<UartInputChunk>&) {}

size_t UartBackend::read_host(uint8_t*, size_t) {
    return 0;
}

bool is_loopback_address(const std::string& address) {
    sockaddr_storage ss;
    socklen_t len;
    return loopback_sockaddr(address, 0, ss, len);
}

// ---- stdio -----------------------------------------------------------------------------------

StdioUartBackend::StdioUartBackend(bool read_input, int out_fd, int in_fd)
    : read_input_(read_input), out_fd_(out_fd), in_fd_(in_fd) {}

std::string StdioUartBackend::describe() const {
    return read_input_ ? "stdout (input from stdin)" : "stdout";
}

void StdioUartBackend::write(uint8_t byte, const sc_core::sc_time&) {
    if (output_failed_) return;
    // Unbuffered: an interactive user sees each character when the UART sends it.
    if (!write_all(out_fd_, &byte, 1)) output_failed_ = true;
}

size_t StdioUartBackend::read_host(uint8_t* buf, size_t max) {
    if (!read_input_ || input_eof_ || max == 0 || !readable_now(in_fd_)) return 0;
    ssize_t n;
    do {
        n = ::read(in_fd_, buf, max);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) input_eof_ = true;
        return 0;
    }
    return static_cast<size_t>(n);
}

// ---- file ------------------------------------------------------------------------------------

FileUartBackend::FileUartBackend(const std::string& path, bool append) : path_(path) {
    if (path.empty()) throw std::invalid_argument("UART file backend: no path given");
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    fd_ = ::open(path.c_str(), flags, 0644);
    if (fd_ < 0)
        throw std::runtime_error(
            fmt::format("cannot open UART output file '{}': {}", path, errno_text(errno)));
}

FileUartBackend::~FileUartBackend() {
    if (fd_ >= 0) ::close(fd_);
}

std::string FileUartBackend::describe() const {
    return "file " + path_;
}

void FileUartBackend::write(uint8_t byte, const sc_core::sc_time&) {
    if (failed_) return;
    if (!write_all(fd_, &byte, 1)) failed_ = true;
}

// ---- TCP -------------------------------------------------------------------------------------

TcpUartBackend::TcpUartBackend(const std::string& address, unsigned port) : address_(address) {
    if (port > 65535)
        throw std::invalid_argument(
            fmt::format("UART TCP port {} is out of range (0-65535)", port));
    sockaddr_storage ss;
    socklen_t len;
    if (!loopback_sockaddr(address, port, ss, len))
        throw std::invalid_argument(fmt::format(
            "UART TCP backend: '{}' is not a loopback address (only 127.0.0.0/8, ::1 or "
            "localhost are allowed)",
            address));
    listen_fd_ = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0)
        throw std::runtime_error(fmt::format("UART TCP backend: socket(): {}", errno_text(errno)));
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
        ::listen(listen_fd_, 1) != 0 || !set_nonblocking(listen_fd_)) {
        const int err = errno;
        ::close(listen_fd_);
        listen_fd_ = -1;
        throw std::runtime_error(fmt::format("UART TCP backend: cannot listen on {}:{}: {}",
                                             address, port, errno_text(err)));
    }
    sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &blen);
    port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                        : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

TcpUartBackend::~TcpUartBackend() {
    if (client_fd_ >= 0) ::close(client_fd_);
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string TcpUartBackend::describe() const {
    return fmt::format("tcp {}:{}{}", address_, port_, connected() ? " (client connected)" : "");
}

void TcpUartBackend::write(uint8_t byte, const sc_core::sc_time&) {
    if (pending_.size() >= kPendingLimit) {
        // Nobody is reading: keep the most recent output.
        pending_.erase(pending_.begin(), pending_.begin() + kPendingLimit / 4);
    }
    pending_.push_back(byte);
    if (connected()) flush();
}

void TcpUartBackend::accept_clients() {
    for (;;) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;  // EAGAIN: nobody waiting (or a transient error: try next poll)
        if (client_fd_ >= 0) {
            static const char kBusy[] = "am335x-vp: this UART already has a client\r\n";
            (void)!::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(fd);
            continue;
        }
        client_fd_ = fd;
    }
}

void TcpUartBackend::flush() {
    size_t done = 0;
    while (done < pending_.size()) {
        ssize_t n = ::send(client_fd_, pending_.data() + done, pending_.size() - done,
                           MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                pending_.erase(pending_.begin(), pending_.begin() + done);
                drop_client("send failed");
                return;
            }
            break;  // the client's window is full: the rest goes at the next poll
        }
        done += static_cast<size_t>(n);
    }
    pending_.erase(pending_.begin(), pending_.begin() + done);
}

void TcpUartBackend::drop_client(const char*) {
    if (client_fd_ >= 0) ::close(client_fd_);
    client_fd_ = -1;
}

void TcpUartBackend::poll() {
    accept_clients();
    if (connected() && !pending_.empty()) flush();
}

size_t TcpUartBackend::read_host(uint8_t* buf, size_t max) {
    if (!connected() || max == 0) return 0;
    ssize_t n;
    do {
        n = ::recv(client_fd_, buf, max, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        drop_client("closed by the client");
        return 0;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) drop_client("recv failed");
        return 0;
    }
    return static_cast<size_t>(n);
}

// ---- scripted --------------------------------------------------------------------------------

ScriptedUartBackend::ScriptedUartBackend(std::vector<UartInputChunk> input, bool echo)
    : input_(std::move(input)), echo_(echo) {
    std::stable_sort(input_.begin(), input_.end(),
                     [](const UartInputChunk& a, const UartInputChunk& b) { return a.at < b.at; });
}

std::string ScriptedUartBackend::describe() const {
    return fmt::format("scripted ({} input entries{})", input_.size(), echo_ ? ", echo" : "");
}

void ScriptedUartBackend::write(uint8_t byte, const sc_core::sc_time&) {
    if (transcript_.size() < kTranscriptLimit) transcript_.push_back(static_cast<char>(byte));
    if (echo_) write_all(1, &byte, 1);
}

std::optional<sc_core::sc_time> ScriptedUartBackend::next_input_time() const {
    if (next_ >= input_.size()) return std::nullopt;
    return input_[next_].at;
}

void ScriptedUartBackend::take_due(const sc_core::sc_time& now, std::vector<UartInputChunk>& out) {
    while (next_ < input_.size() && input_[next_].at <= now)
        out.push_back(input_[next_++]);
}

// ---- configuration ---------------------------------------------------------------------------

namespace {
struct KindName {
    UartBackendConfig::Kind kind;
    const char* name;
};
constexpr KindName kKindNames[] = {
    {UartBackendConfig::Kind::none, "none"},         {UartBackendConfig::Kind::stdio, "stdout"},
    {UartBackendConfig::Kind::file, "file"},         {UartBackendConfig::Kind::tcp, "tcp"},
    {UartBackendConfig::Kind::scripted, "scripted"},
};
}  // namespace

const char* uart_backend_kind_name(UartBackendConfig::Kind kind) {
    for (const auto& k : kKindNames)
        if (k.kind == kind) return k.name;
    return "?";
}

bool parse_uart_backend_kind(const std::string& text, UartBackendConfig::Kind& out) {
    for (const auto& k : kKindNames) {
        if (text == k.name) {
            out = k.kind;
            return true;
        }
    }
    return false;
}

std::vector<std::string> uart_backend_kind_names() {
    std::vector<std::string> names;
    for (const auto& k : kKindNames)
        names.emplace_back(k.name);
    return names;
}

std::unique_ptr<UartBackend> make_uart_backend(const UartBackendConfig& cfg,
                                               const std::string& who) {
    using Kind = UartBackendConfig::Kind;
    try {
        switch (cfg.kind) {
            case Kind::none:
                return std::make_unique<NullUartBackend>();
            case Kind::stdio:
                return std::make_unique<StdioUartBackend>(cfg.input);
            case Kind::file:
                return std::make_unique<FileUartBackend>(cfg.path, cfg.append);
            case Kind::tcp:
                return std::make_unique<TcpUartBackend>(cfg.address, cfg.port);
            case Kind::scripted:
                return std::make_unique<ScriptedUartBackend>(cfg.script, cfg.echo);
        }
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(who + ": " + e.what());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(who + ": " + e.what());
    }
    throw std::invalid_argument(who + ": unknown UART backend kind");
}

}  // namespace vp
