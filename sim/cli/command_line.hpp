// What the dcsim subcommands share: exit codes, parsing of a subcommand's options (Boost.Program_options),
// the strict reading of --seed and --run-index, the overrides of --set, the interrupt flag set by SIGINT and
// SIGTERM, and the way out of a process whose libhdf5 holds a file it could not close. Part of the dcsim
// program only (not of the library): nothing below sim/cli sees Boost.Program_options.
#pragma once

#include <atomic>
#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dcsim::cli {

namespace po = boost::program_options;

inline constexpr int kOk = 0, kFailed = 1, kBadInput = 2;

// Parses a subcommand's arguments, its options `desc` and the positional argument `positional` (one);
// throws po::error on bad usage. With --help, prints `desc` and returns nothing: the command returns kOk.
std::optional<po::variables_map> parse(const std::vector<std::string>& args, const po::options_description& desc,
                                       const char* positional);

// The value of --seed or --run-index: decimal digits, at most 2^63 - 1 (a scenario integer). Read here, not
// by Boost (which wraps "-3" to 2^64 - 3), so that the message names the flag and what was typed.
std::string counter_flag(const po::variables_map& vm, const char* flag);

// --set, then --seed and --run-index as overrides, in that order.
std::vector<std::string> collect_overrides(const po::variables_map& vm);

// SIGINT and SIGTERM set the interrupt flag (runs stop at the next event and keep what they wrote);
// SIGXFSZ is ignored, so that a write past ulimit -f fails with EFBIG like a full disk.
void install_signal_handlers();
const std::atomic<bool>* interrupt_flag();
// 128 + the signal that interrupted (SIGINT when none was caught).
int interrupted_exit_code();

// Returns `code`, or ends the process with it at once (_exit, after flushing stdout and stderr) when a
// recorder gave up on a file that libhdf5 could not close either: libhdf5 would crash closing it at exit.
int leave(int code);

}  // namespace dcsim::cli
