// ln |Γ(x)|, the same value as std::lgamma but without writing the global `signgam` that std::lgamma sets
// (glibc): two runs of a sweep computing it on two threads would race on that global (ThreadSanitizer
// found it). lgamma_r is glibc's (and POSIX systems') reentrant form.
#pragma once

#include <math.h>

namespace dcsim {

inline double log_gamma(double x) noexcept {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

}  // namespace dcsim
