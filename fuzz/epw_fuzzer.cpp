// Fuzz target: the EnergyPlus weather (EPW) reader. The input is the file. It is read as a partial year
// and what it reads is queried across the year; when that succeeds it is read again as a scenario reads
// it (all 8760 hours required: the rows are checked alike, so a file refused as a partial year is refused
// either way). Reading must succeed or be refused with one well-formed ConfigError; a query may only throw
// std::out_of_range, for an instant whose neighbouring hours are absent (as documented).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "fuzz/harness.hpp"
#include "models/ambient/climate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using dcsim::ambient::EpwClimate;
  const std::string path = dcsim::fuzz::write_scratch("weather.epw", data, size);
  const dcsim::Calendar calendar;
  dcsim::ambient::EpwOptions partial;
  partial.allow_partial_year = true;
  const bool read = dcsim::fuzz::loads([&] {
    const EpwClimate c(path, calendar, partial);
    (void)c.describe();
    (void)c.bounds();
    for (int i = 0; i < 64; ++i) {
      try {
        const auto s = c.at(i * 86400.0 * 365 / 64 + 1800.0 * (i % 3));
        if (!std::isfinite(s.dry_bulb_c) || !std::isfinite(s.wet_bulb_c) || s.wet_bulb_c > s.dry_bulb_c + 1e-6 ||
            !(s.relative_humidity >= 0 && s.relative_humidity <= 1)) {
          std::fprintf(stderr, "dcsim fuzz: implausible ambient state at query %d: dry %g, wet %g degC, RH %g\n", i,
                       s.dry_bulb_c, s.wet_bulb_c, s.relative_humidity);
          std::abort();
        }
      } catch (const std::out_of_range&) {
      }
    }
  });
  if (read) dcsim::fuzz::loads([&] { EpwClimate strict(path, calendar); });
  return 0;
}
