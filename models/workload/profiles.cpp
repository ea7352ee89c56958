#include "models/workload/profiles.hpp"

#include <cmath>
#include <numbers>
#include <numeric>

namespace dcsim::workload {

namespace {
constexpr double kTwoPi = 2 * std::numbers::pi;

// Range of cos over [a, b] (radians, b - a may be anything).
Bounds cos_bounds(double a, double b) {
  if (b - a >= kTwoPi) return {-1, 1};
  double lo = std::min(std::cos(a), std::cos(b)), hi = std::max(std::cos(a), std::cos(b));
  // Maxima at 2πk, minima at π + 2πk.
  if (std::floor(b / kTwoPi) > std::floor(a / kTwoPi) || std::floor(a / kTwoPi) * kTwoPi == a) hi = 1;
  if (std::floor((b - std::numbers::pi) / kTwoPi) > std::floor((a - std::numbers::pi) / kTwoPi)) lo = -1;
  return {lo, hi};
}
}  // namespace

Diurnal Diurnal::flat(const Calendar& cal) { return Diurnal(cal); }

Diurnal Diurnal::regions(const Calendar& cal, std::vector<Region> regions) {
  Diurnal d(cal);
  d.kind_ = Kind::regions;
  double total = 0;
  for (const auto& r : regions) total += r.share;
  for (auto& r : regions) r.share /= total;
  d.regions_ = std::move(regions);
  return d;
}

Diurnal Diurnal::table(const Calendar& cal, std::vector<double> hourly) {
  Diurnal d(cal);
  d.kind_ = Kind::table;
  const double mean = std::accumulate(hourly.begin(), hourly.end(), 0.0) / static_cast<double>(hourly.size());
  for (double& v : hourly) v /= mean;
  d.table_ = std::move(hourly);
  return d;
}

double Diurnal::value(double t) const {
  switch (kind_) {
    case Kind::flat: return 1.0;
    case Kind::regions: {
      const double h = cal_.hour_utc(t);
      double v = 0;
      for (const auto& r : regions_) v += r.share * (1 + r.amplitude * std::cos(kTwoPi * (h - r.peak_hour) / 24.0));
      return v;
    }
    case Kind::table: {
      const double n = static_cast<double>(table_.size());
      const double x = cal_.hour_utc(t) / 24.0 * n;
      const auto i = static_cast<std::size_t>(x) % table_.size();
      const double w = x - std::floor(x);
      return table_[i] + (table_[(i + 1) % table_.size()] - table_[i]) * w;
    }
  }
  return 1.0;
}

Bounds Diurnal::bounds(double t0, double t1) const {
  switch (kind_) {
    case Kind::flat: return {1, 1};
    case Kind::regions: {
      // Each region's own extremes over the interval: their sum bounds the sum.
      const double h0 = cal_.hour_utc(t0);
      const double dh = (t1 - t0) / 3600.0;
      Bounds b{0, 0};
      for (const auto& r : regions_) {
        const double a = kTwoPi * (h0 - r.peak_hour) / 24.0;
        const Bounds c = cos_bounds(a, a + kTwoPi * dh / 24.0);
        b.lo += r.share * (1 + r.amplitude * c.lo);
        b.hi += r.share * (1 + r.amplitude * c.hi);
      }
      return b;
    }
    case Kind::table: {
      // Linear between knots: extremes at the ends or at knots inside.
      double lo = std::min(value(t0), value(t1)), hi = std::max(value(t0), value(t1));
      for (double k = next_break(t0); k < t1; k = next_break(k)) {
        lo = std::min(lo, value(k));
        hi = std::max(hi, value(k));
      }
      return {lo, hi};
    }
  }
  return {1, 1};
}

double Diurnal::next_break(double t) const {
  if (kind_ != Kind::table) return kInf;
  // The next knot: hours since the start of the UTC day, stepped on the table's grid.
  const double step_h = 24.0 / static_cast<double>(table_.size());
  const double h = cal_.hour_utc(t);
  const double next_h = (std::floor(h / step_h + 1e-12) + 1) * step_h;
  return t + (next_h - h) * 3600.0;
}

Weekly::Weekly(const Calendar& cal, std::vector<double> factors) : cal_(cal), f_(std::move(factors)) {
  if (!f_.empty()) {
    const double mean = std::accumulate(f_.begin(), f_.end(), 0.0) / 7.0;
    for (double& v : f_) v /= mean;
  }
}

double Weekly::value(double t) const { return f_.empty() ? 1.0 : f_[static_cast<std::size_t>(cal_.weekday(t))]; }

Bounds Weekly::bounds(double t0, double t1) const {
  if (f_.empty()) return {1, 1};
  double lo = value(t0), hi = lo;
  for (double k = next_break(t0); k < t1; k = next_break(k)) {
    lo = std::min(lo, value(k));
    hi = std::max(hi, value(k));
  }
  return {lo, hi};
}

double Weekly::next_break(double t) const { return f_.empty() ? kInf : cal_.next_midnight(t); }

double FlashCrowd::shape(double t) const noexcept {
  const double a = onset, b = onset + ramp, c = b + plateau;
  if (t < a) return 0.0;
  if (t < b) return ramp > 0 ? (t - a) / ramp : 1.0;
  if (t < c) return 1.0;
  return decay > 0 ? std::exp(-(t - c) / decay) : 0.0;
}

Bounds FlashCrowd::shape_bounds(double t0, double t1) const noexcept {
  // Monotone between breakpoints: extremes at the ends, or at a breakpoint inside (where the shape may
  // jump: from 0 at the onset when there is no ramp, to 0 at the plateau's end when there is no decay).
  double lo = std::min(shape(t0), shape(t1)), hi = std::max(shape(t0), shape(t1));
  const double b = onset + ramp, c = b + plateau;
  if (onset > t0 && onset < t1) {
    lo = 0.0;
    hi = std::max(hi, shape(onset));
  }
  if ((b > t0 && b < t1) || (c > t0 && c < t1)) hi = 1.0;
  if (c > t0 && c < t1) lo = std::min(lo, shape(c));
  return {lo, hi};
}

double FlashCrowd::next_break(double t) const noexcept {
  for (const double k : {onset, onset + ramp, onset + ramp + plateau}) {
    if (k > t) return k;
  }
  return kInf;
}

double FlashMultiplier::value(double t) const {
  double v = 1.0;
  for (const auto& c : crowds_) v += (c.peak - 1) * c.shape(t);
  return v;
}

Bounds FlashMultiplier::bounds(double t0, double t1) const {
  Bounds b{1, 1};
  for (const auto& c : crowds_) {
    const Bounds s = c.shape_bounds(t0, t1);
    b.lo += (c.peak - 1) * s.lo;
    b.hi += (c.peak - 1) * s.hi;
  }
  return b;
}

double FlashMultiplier::next_break(double t) const {
  double n = kInf;
  for (const auto& c : crowds_) n = std::min(n, c.next_break(t));
  return n;
}

Diurnal make_diurnal(const std::optional<Params>& p, const Calendar& cal) {
  if (!p) return Diurnal::flat(cal);
  const std::string kind = p->choice("kind");
  if (kind == "flat") return Diurnal::flat(cal);
  if (kind == "table") {
    auto v = p->quantities("hourly");
    if (v.size() < 2) p->fail("hourly", "at least 2 values over the day");
    if (std::accumulate(v.begin(), v.end(), 0.0) <= 0) p->fail("hourly", "values that are not all zero");
    return Diurnal::table(cal, std::move(v));
  }
  std::vector<Diurnal::Region> rs;
  for (const auto& r : p->tables("regions")) {
    Diurnal::Region x;
    x.name = r.name("name");
    x.share = r.quantity("share");
    x.peak_hour = r.quantity("peak_hour_utc");
    x.amplitude = r.quantity("amplitude");
    rs.push_back(x);
  }
  if (rs.empty()) p->fail("regions", "at least one [[...regions]] table (name, share, peak_hour_utc, amplitude)");
  return Diurnal::regions(cal, std::move(rs));
}

Weekly make_weekly(const std::optional<Params>& p, const Calendar& cal) {
  if (!p) return Weekly(cal, {});
  auto f = p->quantities("factors");
  if (f.size() != 7) p->fail("factors", "7 factors, Monday first");
  if (std::accumulate(f.begin(), f.end(), 0.0) <= 0) p->fail("factors", "factors that are not all zero");
  return Weekly(cal, std::move(f));
}

std::vector<FlashCrowd> make_flash_crowds(const std::vector<Params>& ps, const std::vector<std::string>& classes) {
  std::vector<FlashCrowd> out;
  for (const auto& p : ps) {
    FlashCrowd c;
    c.onset = p.quantity("onset");
    c.ramp = p.quantity("ramp");
    c.peak = p.quantity("peak");
    c.plateau = p.quantity("plateau");
    c.decay = p.quantity("decay");
    if (p.has("class")) {
      c.cls = p.text("class");
      if (std::find(classes.begin(), classes.end(), c.cls) == classes.end()) {
        const std::string hint = did_you_mean_hint(c.cls, classes);
        p.fail("class", "the name of a workload class", hint);
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace dcsim::workload
