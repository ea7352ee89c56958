// The named synthetic climates (preset(), preset_names()), with the derivation and sources of their values.
#include <array>
#include <stdexcept>

#include "models/ambient/climate_impl.hpp"
#include "models/ambient/psychrometrics.hpp"

namespace dcsim::ambient {

namespace {

// Approximate climate normals, written from general knowledge of the published normals (FMI, SMHI, NOAA
// NCEI 1991–2020, Met Office 1991–2020) and NOT checked against those tables here: treat every number as
// approximate (±1 K on means and amplitudes) and replace it with an EPW file when the answer depends on it.
// How the sinusoid parameters follow from monthly normals:
//   mean = annual mean; annual amplitude ≈ (warmest − coldest monthly mean)/2; peak day = the warmest
//   time of year (0 = 1 Jan); diurnal amplitude ≈ (mean daily max − mean daily min)/2 averaged over the
//   year; diurnal peak hour ≈ local solar noon (12 h − longitude/15° in UTC) + 2.5 h (an assumption:
//   the daily maximum comes some 2–3 h after solar noon); dew point from monthly mean dew points.
// Pressures are the standard atmosphere at the station elevation (ASHRAE 2017 ch. 1 eq. 3).
//
// finnish_coast (Google Hamina, FI; 60.6 °N 27.2 °E; ~10 m): air ≈ coastal south-east Finland
//   (Kotka/Hamina; Helsinki Kaisaniemi 1991–2020 is 6.5 °C with Feb −4 and Jul 18 °C, Hamina is a little
//   colder): mean 5.8 °C, ±11.5 K peaking 22 Jul, ±3 K daily at 12.5 h UTC; dew point 2.5 °C ± 10 K peaking 25 Jul
//   (Helsinki RH ≈ 80 % annual). Water: Baltic seawater (Gulf of Finland) through Google's seawater
//   intake; intake depth not public, so this is an ASSUMPTION from the surface climatology of the eastern
//   Gulf of Finland (near 0 °C under winter ice, ~17 °C at the surface in August, cooler at depth):
//   7 °C ± 7 K peaking 8 Aug, i.e. 0–14 °C.
// northern_sweden (Meta Luleå, SE; 65.6 °N 22.1 °E; ~17 m): mean 2 °C as quoted for the site
//   (DOMAIN.md §5, Meta; M); SMHI's 1991–2020 normal for Luleå is somewhat higher (~2.5–3 °C, from
//   memory, unverified). Jan ≈ −10, Jul ≈ 16.5 °C: ±13 K peaking 18 Jul; ±3.5 K daily at 13 h UTC; dew
//   point −1 °C ± 12 K (RH ≈ 80 %). No water body: Luleå is cooled with outside air.
// us_desert (Phoenix, AZ, US; 33.4 °N 112.0 °W; 337 m): NOAA 1991–2020 Sky Harbor, approximately: Jan
//   mean 13.8 °C, Jul 35.3 °C (mean max 41.4 °C), annual mean max/min 30.9/17.8 °C: mean 24.4 °C,
//   ±10.7 K peaking 14 Jul, ±6.5 K daily at 22.5 h UTC (15:30 MST); the July afternoon reaches 41.6 °C.
//   Dew point 4.5 °C ± 7 K peaking 10 Aug (dry spring near 0 °C, monsoon August ~14 °C: a sinusoid
//   flattens the monsoon peak).
// us_southeast (Atlanta, GA, US; 33.6 °N 84.4 °W; 313 m): NOAA 1991–2020 Hartsfield, approximately:
//   Jan 7 °C, Jul 27 °C, annual mean max/min 22.8/12.0 °C: mean 17.2 °C, ±10 K peaking 20 Jul, ±5.3 K
//   daily at 20 h UTC; dew point 9 °C ± 10.5 K peaking 24 Jul (Jan ≈ −1 °C, Jul ≈ 19.5 °C).
// north_sea_seabed (Microsoft Natick Northern Isles, EMEC Billia Croo off Orkney, UK; 59.0 °N 3.3 °W;
//   vessel 36 m deep): air ≈ Kirkwall (Met Office 1991–2020, approximately 8.3 °C mean, Feb ~4 °C, Aug
//   ~13 °C): ±4.4 K peaking 10 Aug, ±2.5 K daily at 14.5 h UTC, dew point 6 °C ± 4 K (RH ≈ 85 %).
//   Water: the seabed temperature at the vessel is UNVERIFIED (DOMAIN.md §5 and §11). ASSUMPTION: the
//   tidally mixed shelf water around Orkney is about as warm at 36 m as at the surface, ~7.7 °C in late
//   February to ~13.3 °C at the end of August: 10.5 °C ± 2.8 K peaking 29 Aug. Drive it from a measured
//   sea-temperature series when one is available.

constexpr std::array<std::string_view, 5> kPresetNames = {"finnish_coast", "northern_sweden", "us_desert",
                                                          "us_southeast", "north_sea_seabed"};

SyntheticParams synthetic(std::string_view name, AnnualCycle dry_bulb, double diurnal_k, double peak_hour_utc,
                          AnnualCycle dew_point, double elevation_m, std::optional<AnnualCycle> water) {
  SyntheticParams s;
  s.name = std::string(name);
  s.dry_bulb_c = dry_bulb;
  s.diurnal_amplitude_k = diurnal_k;
  s.diurnal_peak_hour_utc = peak_hour_utc;
  s.humidity = HumidityModel::dew_point;
  s.dew_point_c = dew_point;
  s.pressure_pa = standard_pressure_pa(elevation_m);
  s.water_c = water;
  return s;
}

}  // namespace

namespace detail {

std::optional<SyntheticParams> find_preset(std::string_view name) {
  // Day numbers: 1 Jul = 181, 1 Aug = 212 (0-based, non-leap year).
  if (name == "finnish_coast") {
    return synthetic(name, {5.8, 11.5, 202}, 3.0, 12.5, {2.5, 10.0, 205}, 10, AnnualCycle{7.0, 7.0, 219});
  }
  if (name == "northern_sweden") {
    return synthetic(name, {2.0, 13.0, 198}, 3.5, 13.0, {-1.0, 12.0, 200}, 17, std::nullopt);
  }
  if (name == "us_desert") {
    return synthetic(name, {24.4, 10.7, 194}, 6.5, 22.5, {4.5, 7.0, 221}, 337, std::nullopt);
  }
  if (name == "us_southeast") {
    return synthetic(name, {17.2, 10.0, 200}, 5.3, 20.0, {9.0, 10.5, 204}, 313, std::nullopt);
  }
  if (name == "north_sea_seabed") {
    return synthetic(name, {8.3, 4.4, 221}, 2.5, 14.5, {6.0, 4.0, 221}, 20, AnnualCycle{10.5, 2.8, 240});
  }
  return std::nullopt;
}

}  // namespace detail

std::vector<std::string> preset_names() { return {kPresetNames.begin(), kPresetNames.end()}; }

SyntheticParams preset(std::string_view name) {
  if (auto p = detail::find_preset(name)) return *p;
  throw std::invalid_argument("unknown climate preset \"" + std::string(name) + "\"");
}

}  // namespace dcsim::ambient
