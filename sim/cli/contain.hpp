// Running a risky step in a child process, so that a crash inside a library (libhdf5 on a damaged file)
// becomes a message instead of taking the program down.
#pragma once

#include <functional>
#include <string>

namespace dcsim::cli {

struct Contained {
  int exit_code = 0;  // the child's exit code, when it exited
  int signal = 0;     // the signal that killed it, or 0
  std::string describe_signal() const;  // "SIGSEGV (segmentation fault)"
};

// Runs `fn` in a forked child (stdout is shared; the child flushes it before it exits) and waits for it.
// The child's stderr is collected through a pipe and written to the parent's when the child exits; when a
// signal kills it, its stderr (partial messages, a sanitizer's report) is dropped and the caller reports the
// crash. The child's exit code is fn's return value; an exception in it exits 1 with its message
// on stderr. Throws std::runtime_error if the child cannot be started.
// With `timeout_s` > 0 the child is killed by SIGALRM after that many seconds (a library caught in a loop).
Contained run_contained(const std::function<int()>& fn, unsigned timeout_s = 0);

}  // namespace dcsim::cli
