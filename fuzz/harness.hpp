// What every dcsim fuzz target shares: a private scratch directory for inputs that must be files (traces,
// rate profiles, weather files), and the contract for bad input. An input either loads, or is refused with
// a ConfigError whose message is one bounded, printable report naming the file and the problem; anything
// else (another exception, a crash, a sanitizer report, a hang) escapes to libFuzzer as a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/config.hpp"

namespace dcsim::fuzz {

// The scratch directory of this process (created on first use, removed at exit).
const std::string& scratch_dir();

// Writes `data` to `name` in the scratch directory (replacing it) and returns the file's path.
std::string write_scratch(const std::string& name, const std::uint8_t* data, std::size_t size);

// Aborts, printing the message, unless it is a well-formed error report: non-empty, at most 4 KiB,
// containing ": error: ", valid UTF-8, and free of control characters other than line ends.
void check_error_message(std::string_view message);

// Runs `body`: true when it returns, false when it throws a ConfigError, whose message is checked. Any
// other exception propagates (libFuzzer reports it as a crash).
template <class Body>
bool loads(Body&& body) {
  try {
    body();
    return true;
  } catch (const ConfigError& e) {
    check_error_message(e.what());
    return false;
  }
}

}  // namespace dcsim::fuzz
