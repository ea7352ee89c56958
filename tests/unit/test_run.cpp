#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sim/io/hdf5_output.hpp"

extern char** environ;

namespace {

std::string temp_dir() {
  const auto d = std::filesystem::temp_directory_path() / ("dcsim_sig_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d.string();
}

// Starts dcsim on a long run, sends `sig` once the output exists, and returns the exit status.
int interrupt_run(const std::string& dir, int sig) {
  const std::string sc = dir + "/long.toml";
  std::ofstream(sc) << "[simulation]\nduration = \"10000 d\"\nsample_interval = \"1 min\"\n"
                       "[mmc]\narrival_rate = \"50 /s\"\nservice_rate = \"1 /s\"\nservers = 64\n";
  const std::string out = dir + "/out.h5";
  std::vector<std::string> args = {DCSIM_BINARY, "run", sc, "-o", out, "--quiet"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, DCSIM_BINARY, &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  // Wait until the run is under way (the partial file exists), then a little more.
  for (int i = 0; i < 200 && !std::filesystem::exists(out + ".partial"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("SIGINT stops a run at the next event and leaves a readable file marked incomplete", "[signals]") {
  const auto sig = GENERATE(SIGINT, SIGTERM);
  const std::string dir = temp_dir();
  const int code = interrupt_run(dir, sig);
  CHECK(code == 128 + sig);
  const std::string out = dir + "/out.h5";
  CHECK_FALSE(std::filesystem::exists(out));  // never presented as complete
  REQUIRE(std::filesystem::exists(out + ".partial"));
  const auto info = dcsim::io::read_output_info(out + ".partial");
  CHECK(info.root_attributes.at("status") == "incomplete");
  CHECK(info.root_attributes.at("stop_reason") == "interrupted");
  CHECK(info.samples > 0);
  CHECK(std::stod(info.root_attributes.at("end_s")) > 0);
  // The samples written are consistent: one time per row in every series.
  const auto t = dcsim::io::read_series(out + ".partial", "time");
  const auto q = dcsim::io::read_series(out + ".partial", "mmc/queue_length");
  CHECK(t.size() == info.samples);
  CHECK(q.size() == t.size());
  std::filesystem::remove_all(dir);
}
