// Internal helpers shared by the sources of vp_config; not part of its public API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "platform/config/node.h"
#include "platform/config/values.h"

namespace vp::config::detail {

// EMIF0 SDRAM window 0x8000_0000 – 0xBFFF_FFFF (am335x.md §1.1).
inline constexpr std::uint64_t kEmifWindow = kGiB;
inline constexpr std::uint64_t kEmifWindowBase = 0x80000000ULL;
inline constexpr unsigned kBitsPerByte = 8;

// The child `key` of a validated map; its absence is a bug (std::logic_error).
const Node& child(const Node& node, const char* key);

// "a, b, c"
std::string join_words(const std::vector<std::string>& words);

// The checks that follow the schema (checks.cpp): interconnect domains, TLB geometry, DDR
// size and timings, memory-map regions. Fills the size of `model: ddr` regions from ddr.size.
void check_semantics(Node& tree);

}  // namespace vp::config::detail
