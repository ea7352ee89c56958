// Limits on scenario input that no real scenario comes near, so that a hostile or broken file is refused
// with a message instead of exhausting the stack, the memory or the patience of the user. Nesting is
// bounded before anything recursive (the TOML parser, the converter, the writer) touches the data.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dcsim::limits {

inline constexpr std::size_t kMaxScenarioBytes = 16u << 20;  // 16 MiB of scenario text
inline constexpr std::size_t kMaxDepth = 64;                  // nested tables, arrays, inline tables, dotted keys
inline constexpr std::size_t kMaxKeyLength = 128;             // one key (segment of a key path)
inline constexpr std::size_t kMaxKeyPathLength = 1024;        // a whole key path "a.b[3].c"
inline constexpr std::size_t kMaxKeysPerTable = 500'000;
inline constexpr std::size_t kMaxArrayLength = 1'000'000;
inline constexpr std::size_t kMaxStringBytes = 1u << 20;      // 1 MiB in one string value
inline constexpr std::size_t kMaxCsvLineBytes = 1u << 20;     // one line of a CSV or EPW file
inline constexpr std::uint64_t kMaxCsvLines = 100'000'000;    // lines of one CSV file (a trace of 1e8 requests)

}  // namespace dcsim::limits
