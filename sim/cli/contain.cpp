#include "sim/cli/contain.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>

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
  // The child's stderr goes through a pipe: passed on when it exits, dropped when it crashes (a crash's
  // partial messages, or a sanitizer's report of a crash inside the library, are not the answer).
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(std::string("cannot start a child process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
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
  close(fds[1]);
  std::string err;
  constexpr std::size_t kMaxErr = 64 * 1024;  // a message is one line; keep a bounded head of anything more
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) {
      if (err.size() < kMaxErr) err.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), kMaxErr - err.size()));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
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
    std::cerr << err;
    std::cerr.flush();
  }
  return c;
}

}  // namespace dcsim::cli
