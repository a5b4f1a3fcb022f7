#include "platform/config/values.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace vp::config {
namespace {

constexpr unsigned kHexBase = 16;
constexpr unsigned kDecBase = 10;
constexpr unsigned kBinBase = 2;
constexpr std::size_t kMaxFractionDigits = 18;  // 10^18 still fits in 64 bits

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool has_hex_prefix(std::string_view s) {
    return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

// Unsigned integer literal: decimal, 0x hex or 0b binary, '_' between digits allowed.
bool parse_unsigned_literal(std::string_view s, std::uint64_t& out) {
    unsigned base = kDecBase;
    if (has_hex_prefix(s)) {
        base = kHexBase;
        s.remove_prefix(2);
    } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = kBinBase;
        s.remove_prefix(2);
    }
    if (s.empty() || s.front() == '_' || s.back() == '_') return false;
    std::uint64_t value = 0;
    bool previous_underscore = false;
    for (char c : s) {
        if (c == '_') {
            if (previous_underscore) return false;
            previous_underscore = true;
            continue;
        }
        previous_underscore = false;
        const int d = digit_value(c);
        if (d < 0 || static_cast<unsigned>(d) >= base) return false;
        if (value > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(d)) / base)
            return false;
        value = value * base + static_cast<unsigned>(d);
    }
    out = value;
    return true;
}

// A non-negative decimal number with an optional fraction: whole + num/den exactly.
struct Decimal {
    std::uint64_t whole = 0;
    std::uint64_t num = 0;
    std::uint64_t den = 1;
};

bool parse_decimal(std::string_view s, Decimal& out) {
    const auto dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac =
        dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty() && frac.empty()) return false;
    if (dot != std::string_view::npos && frac.empty()) return false;
    Decimal d;
    if (!whole.empty()) {
        if (has_hex_prefix(whole) && dot != std::string_view::npos) return false;
        if (!parse_unsigned_literal(whole, d.whole)) return false;
    }
    if (frac.size() > kMaxFractionDigits) return false;
    for (char c : frac) {
        if (c < '0' || c > '9') return false;
        d.num = d.num * kDecBase + static_cast<unsigned>(c - '0');
        d.den *= kDecBase;
    }
    out = d;
    return true;
}

// whole*scale + num*scale/den, exactly; false on overflow or when not an integer.
bool scale_exact(const Decimal& d, std::uint64_t scale, std::uint64_t& out) {
    using Wide = unsigned __int128;
    const Wide frac = static_cast<Wide>(d.num) * scale;
    if (frac % d.den != 0) return false;
    const Wide total = static_cast<Wide>(d.whole) * scale + frac / d.den;
    if (total > std::numeric_limits<std::uint64_t>::max()) return false;
    out = static_cast<std::uint64_t>(total);
    return true;
}

struct Unit {
    const char* suffix;  // lower case
    std::uint64_t scale;
};

// Splits "<number><spaces><unit>" where unit is one of `units` (case-insensitive, the
// list is ordered so that longer suffixes are tried first). Returns the scale found, or
// `no_unit_scale` if the text ends in a digit.
bool split_unit(std::string_view text, const Unit* units, std::size_t count,
                std::string_view& number, std::uint64_t& scale, bool& had_unit) {
    const std::string low = lower(text);
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view suffix = units[i].suffix;
        if (low.size() > suffix.size() &&
            low.compare(low.size() - suffix.size(), suffix.size(), suffix) == 0) {
            number = trim(text.substr(0, text.size() - suffix.size()));
            scale = units[i].scale;
            had_unit = true;
            return !number.empty();
        }
    }
    number = text;
    had_unit = false;
    return true;
}

}  // namespace

bool parse_uint(std::string_view text, std::uint64_t& out) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    return parse_unsigned_literal(text, out);
}

bool parse_int(std::string_view text, std::int64_t& out) {
    text = trim(text);
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::uint64_t magnitude = 0;
    if (!parse_unsigned_literal(text, magnitude)) return false;
    const auto max_positive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (negative) {
        if (magnitude > max_positive + 1) return false;
        out = magnitude == max_positive + 1 ? std::numeric_limits<std::int64_t>::min()
                                            : -static_cast<std::int64_t>(magnitude);
    } else {
        if (magnitude > max_positive) return false;
        out = static_cast<std::int64_t>(magnitude);
    }
    return true;
}

bool parse_bool(std::string_view text, bool& out) {
    const std::string low = lower(trim(text));
    if (low == "true" || low == "yes" || low == "on") {
        out = true;
        return true;
    }
    if (low == "false" || low == "no" || low == "off") {
        out = false;
        return true;
    }
    return false;
}

bool parse_size(std::string_view text, std::uint64_t& bytes) {
    text = trim(text);
    if (text.empty()) return false;
    if (has_hex_prefix(text)) return parse_unsigned_literal(text, bytes);
    static constexpr std::array<Unit, 10> kUnits{{{"kib", kKiB},
                                                  {"mib", kMiB},
                                                  {"gib", kGiB},
                                                  {"kb", kKiB},
                                                  {"mb", kMiB},
                                                  {"gb", kGiB},
                                                  {"k", kKiB},
                                                  {"m", kMiB},
                                                  {"g", kGiB},
                                                  {"b", 1}}};
    std::string_view number;
    std::uint64_t scale = 1;
    bool had_unit = false;
    if (!split_unit(text, kUnits.data(), kUnits.size(), number, scale, had_unit)) return false;
    if (!had_unit) return parse_unsigned_literal(number, bytes);
    Decimal d;
    if (!parse_decimal(number, d)) return false;
    return scale_exact(d, scale, bytes);
}

bool parse_time_ps(std::string_view text, std::uint64_t& ps) {
    text = trim(text);
    if (text.empty()) return false;
    static constexpr std::array<Unit, 6> kUnits{{{"\xC2\xB5s", kPsPerUs},  // "µs"
                                                 {"ps", 1},
                                                 {"ns", kPsPerNs},
                                                 {"us", kPsPerUs},
                                                 {"ms", kPsPerMs},
                                                 {"s", kPsPerS}}};
    std::string_view number;
    std::uint64_t scale = 1;
    bool had_unit = false;
    if (!split_unit(text, kUnits.data(), kUnits.size(), number, scale, had_unit)) return false;
    Decimal d;
    if (!parse_decimal(number, d)) return false;
    if (!had_unit) {
        // A bare number is ambiguous; only zero means the same in every unit.
        if (d.whole != 0 || d.num != 0) return false;
        ps = 0;
        return true;
    }
    return scale_exact(d, scale, ps);
}

bool parse_frequency_mhz(std::string_view text, double& mhz) {
    text = trim(text);
    if (text.empty()) return false;
    struct FreqUnit {
        const char* suffix;
        double to_mhz;
    };
    static constexpr std::array<FreqUnit, 4> kUnits{
        {{"ghz", 1e3}, {"mhz", 1.0}, {"khz", 1e-3}, {"hz", 1e-6}}};
    const std::string low = lower(text);
    std::string_view number = text;
    double factor = 1.0;
    for (const auto& unit : kUnits) {
        const std::string_view suffix = unit.suffix;
        if (low.size() > suffix.size() &&
            low.compare(low.size() - suffix.size(), suffix.size(), suffix) == 0) {
            number = trim(text.substr(0, text.size() - suffix.size()));
            factor = unit.to_mhz;
            break;
        }
    }
    if (number.empty()) return false;
    if (number.front() == '+') number.remove_prefix(1);
    double value = 0;
    const auto* first = number.data();
    const auto* last = number.data() + number.size();
    const auto result = std::from_chars(first, last, value);
    if (result.ec != std::errc() || result.ptr != last || !std::isfinite(value)) return false;
    mhz = value * factor;
    return true;
}

std::string format_size(std::uint64_t bytes) {
    if (bytes == 0) return "0";
    if (bytes % kGiB == 0) return fmt::format("{}GiB", bytes / kGiB);
    if (bytes % kMiB == 0) return fmt::format("{}MiB", bytes / kMiB);
    if (bytes % kKiB == 0) return fmt::format("{}KiB", bytes / kKiB);
    return fmt::format("{}", bytes);
}

std::string format_time(std::uint64_t ps) {
    if (ps == 0) return "0";
    if (ps % kPsPerS == 0) return fmt::format("{}s", ps / kPsPerS);
    if (ps % kPsPerMs == 0) return fmt::format("{}ms", ps / kPsPerMs);
    if (ps % kPsPerUs == 0) return fmt::format("{}us", ps / kPsPerUs);
    if (ps % kPsPerNs == 0) return fmt::format("{}ns", ps / kPsPerNs);
    return fmt::format("{}ps", ps);
}

std::string format_hex(std::uint64_t value) {
    return fmt::format("{:#X}", value).replace(1, 1, "x");
}

std::string format_mhz(double mhz) {
    return fmt::format("{}", mhz);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates,
                          std::size_t max_distance) {
    std::string best;
    std::size_t best_distance = max_distance + 1;
    for (const auto& candidate : candidates) {
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string match = closest_match(word, candidates);
    return match.empty() ? std::string{} : fmt::format(" (did you mean '{}'?)", match);
}

}  // namespace vp::config
