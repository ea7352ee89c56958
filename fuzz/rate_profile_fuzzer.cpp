// Fuzz target: the rate-profile CSV (time_s, then one column of requests/s per workload class). The input
// is the profile file, loaded for a workload of two classes as the workload model loads it before t = 0.
// It must load, with increasing times and rates in [0, 1e9], or be refused with one well-formed
// ConfigError naming the file, line and column.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/harness.hpp"
#include "models/workload/workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> classes = {"image", "text"};
  const std::string path = dcsim::fuzz::write_scratch("rates.csv", data, size);
  dcsim::workload::RateProfile p;
  if (dcsim::fuzz::loads([&] { p = dcsim::workload::load_rate_profile(path, classes); })) {
    bool ok = !p.times.empty() && p.column_of_class.size() == classes.size();
    for (std::size_t i = 1; ok && i < p.times.size(); ++i) ok = p.times[i] > p.times[i - 1];
    for (const auto& col : p.columns) {
      ok = ok && col.size() == p.times.size();
      for (const double v : col) ok = ok && v >= 0 && v <= 1e9;
    }
    for (const int c : p.column_of_class) ok = ok && c >= -1 && c < static_cast<int>(p.columns.size());
    if (!ok) {
      std::fprintf(stderr, "dcsim fuzz: a rate profile of %zu rows and %zu columns was accepted but is invalid\n",
                   p.times.size(), p.columns.size());
      std::abort();
    }
  }
  return 0;
}
