// Text → value parsers for the scalar types of the configuration schema, their inverse
// formatters, and the edit distance used for "did you mean ...?".
//
// Accepted spellings (docs/config.md has the user view):
//   integer    42, -3, 0x4804C000, 0x4804_C000, 0b1010   ('_' may separate digits)
//   size       4096, 0x1000, 64KiB, 64KB, 64K, 512MiB, 1GiB, 1.5GiB, "64 KiB"
//              (K/KB/KiB = 1024: the TRM writes "64KB" for 65536 bytes)
//   frequency  24, 19.2, 400MHz, 32.768kHz, 1GHz             → MHz
//   time       10us, 1 ms, 250ns, 2s, 7.8us, 0              → picoseconds (a unit is required
//              except for 0)
//   bool       true/false, yes/no, on/off (any case)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vp::config {

inline constexpr std::uint64_t kKiB = 1024;
inline constexpr std::uint64_t kMiB = 1024 * kKiB;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;

inline constexpr std::uint64_t kPsPerNs = 1000;
inline constexpr std::uint64_t kPsPerUs = 1000 * kPsPerNs;
inline constexpr std::uint64_t kPsPerMs = 1000 * kPsPerUs;
inline constexpr std::uint64_t kPsPerS = 1000 * kPsPerMs;

// Each parser returns false (and leaves `out` unspecified) when the text is not a valid
// spelling or the value does not fit the result type.
bool parse_int(std::string_view text, std::int64_t& out);
bool parse_uint(std::string_view text, std::uint64_t& out);
bool parse_bool(std::string_view text, bool& out);
bool parse_size(std::string_view text, std::uint64_t& bytes);
bool parse_frequency_mhz(std::string_view text, double& mhz);
bool parse_time_ps(std::string_view text, std::uint64_t& ps);

std::string format_size(std::uint64_t bytes);  // 1GiB, 176KiB, 4095
std::string format_time(std::uint64_t ps);     // 10ms, 7800ns, 0
std::string format_hex(std::uint64_t value);   // 0x4804C000
std::string format_mhz(double mhz);            // 24, 19.2, 0.032768

// Levenshtein distance (insert, delete, substitute each cost 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` within `max_distance` edits, or "" when none is that close.
// Ties go to the first candidate in the list.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates,
                          std::size_t max_distance = 2);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace vp::config
