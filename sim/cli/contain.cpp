#include "sim/cli/contain.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace dcsim::cli {

std::string Contained::describe_signal() const {
  const char* abbrev = sigabbrev_np(signal);
  return std::string(abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal)) + " (" +
         strsignal(signal) + ")";
}

Contained run_contained(const std::function<int()>& fn, unsigned timeout_s) {
  std::fflush(nullptr);
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start a child process: ") + std::strerror(errno));
  if (pid == 0) {
    if (timeout_s > 0) {
      std::signal(SIGALRM, SIG_DFL);
      alarm(timeout_s);
    }
    int code = 1;
    try {
      code = fn();
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    _exit(code);  // no atexit handlers, no static destructors: the parent owns them
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("cannot wait for a child process: ") + std::strerror(errno));
  }
  Contained c;
  if (WIFSIGNALED(status)) {
    c.signal = WTERMSIG(status);
    c.exit_code = 128 + c.signal;
  } else {
    c.exit_code = WEXITSTATUS(status);
  }
  return c;
}

}  // namespace dcsim::cli
