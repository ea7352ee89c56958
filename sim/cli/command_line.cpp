#include "sim/cli/command_line.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "sim/core/echo.hpp"
#include "sim/io/hdf5_output.hpp"

namespace dcsim::cli {

namespace {

// The one piece of global state: a signal handler can reach nothing else.
std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_interrupted.store(true, std::memory_order_relaxed);
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Past a file-size limit (ulimit -f) a write then fails with EFBIG, reported like a full disk, instead
  // of the process being killed half-way through writing.
  std::signal(SIGXFSZ, SIG_IGN);
}

const std::atomic<bool>* interrupt_flag() { return &g_interrupted; }

int interrupted_exit_code() { return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT); }

int leave(int code) {
  if (io::hdf5_file_left_open()) {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    _exit(code);
  }
  return code;
}

std::optional<po::variables_map> parse(const std::vector<std::string>& args, const po::options_description& desc,
                                       const char* positional) {
  po::positional_options_description pos;
  pos.add(positional, 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return std::nullopt;
  }
  po::notify(vm);
  return vm;
}

std::string counter_flag(const po::variables_map& vm, const char* flag) {
  const std::string s = vm[flag].as<std::string>();
  const std::string found = echo(s);
  const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) throw po::error(std::string("--") + flag + ": expected an integer >= 0, found " + (s.empty() ? "nothing" : found));
  const std::string trimmed = s.substr(std::min(s.find_first_not_of('0'), s.size() - 1));
  const std::string max = "9223372036854775807";
  if (trimmed.size() > max.size() || (trimmed.size() == max.size() && trimmed > max)) {
    throw po::error(std::string("--") + flag + ": expected an integer <= " + max + ", found " + found);
  }
  return trimmed;
}

std::vector<std::string> collect_overrides(const po::variables_map& vm) {
  std::vector<std::string> o;
  if (vm.count("set")) o = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) o.push_back("simulation.seed=" + counter_flag(vm, "seed"));
  if (vm.count("run-index")) o.push_back("simulation.run_index=" + counter_flag(vm, "run-index"));
  return o;
}

}  // namespace dcsim::cli
