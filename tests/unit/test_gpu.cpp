// GPU presets and service models: every documented figure of models/serving/gpu.hpp, and the laws that
// turn them into service times and power.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/serving/gpu.hpp"

using namespace dcsim;
using namespace dcsim::serving;

TEST_CASE("GPU presets carry the figures of their sources", "[serving][gpu]") {
  struct Row {
    const char* name;
    double limit_w, idle_w, loaded_w, clock_mhz;
    double image_b1_s, image_b16_s, image_w;  // FLUX.1-dev 1024², 50 steps
    double text_scale, text_w;                // t(b) = (2.0 s + 0.53 s·b) × scale
  };
  const Row rows[] = {
      {"h100_sxm", 700, 75, 140, 1980, 11.64, 176.6, 683, 1.0, 550},
      {"h200", 700, 75, 140, 1980, 11.64, 176.6, 683, 0.85, 550},
      {"a100", 400, 52, 90, 1410, 29.1, 441.5, 390, 2.5, 330},
      {"b200", 1000, 150, 200, 1965, 7.75, 7.75 * 176.6 / 11.64, 861, 0.67, 800},
  };
  CHECK(gpu_preset_names().size() == 4);
  for (const Row& r : rows) {
    INFO(r.name);
    const GpuType g = gpu_preset(r.name);
    CHECK(g.name == r.name);
    CHECK(g.power_limit_w == r.limit_w);
    CHECK(g.idle_w == r.idle_w);
    CHECK(g.idle_loaded_w == r.loaded_w);
    CHECK(g.max_clock_mhz == r.clock_mhz);
    CHECK(g.dvfs_exponent == 3);
    const ServiceModel& img = g.service.at("image");
    CHECK(img.batch_time(1) == Approx(r.image_b1_s).epsilon(1e-12));
    CHECK(img.batch_time(16) == Approx(r.image_b16_s).epsilon(1e-12));
    CHECK(img.active_power_w == r.image_w);
    CHECK(img.shape == ServiceModel::Shape::lognormal);
    CHECK(img.cv == 0.03);
    CHECK(img.factor.mean() == Approx(1.0));
    CHECK(std::sqrt(img.factor.scv()) == Approx(0.03));
    const ServiceModel& txt = g.service.at("text");
    CHECK(txt.batch_time(1) == Approx(2.53 * r.text_scale).epsilon(1e-12));
    CHECK(txt.batch_time(16) == Approx((2.0 + 0.53 * 16) * r.text_scale).epsilon(1e-12));
    CHECK(txt.active_power_w == r.text_w);
    CHECK(txt.shape == ServiceModel::Shape::lognormal);
    CHECK(txt.cv == 0.5);
    CHECK(std::sqrt(txt.factor.scv()) == Approx(0.5));
    CHECK(g.service.size() == 2);
  }
  CHECK_THROWS_AS(gpu_preset("h100"), std::out_of_range);
}

TEST_CASE("a batch time table interpolates linearly and extrapolates from its end points", "[serving][gpu]") {
  ServiceModel s;
  s.batch = {1, 4, 16};
  s.time_s = {10, 22, 58};  // 4 s per request from 1 to 4, then 3 s per request
  CHECK(s.batch_time(1) == 10);
  CHECK(s.batch_time(2.5) == Approx(16));
  CHECK(s.batch_time(4) == 22);
  CHECK(s.batch_time(10) == Approx(40));
  CHECK(s.batch_time(20) == Approx(70));   // beyond 16: the last segment's slope
  CHECK(s.batch_time(0.5) == Approx(8));   // below 1: the first segment's slope
  s.time_s = {10, 40, 58};
  CHECK(s.batch_time(0.1) == 1.0);          // 10 − 0.9·10: a steep first segment, still ≥ 0
  CHECK(s.batch_time(-1.0) == 0.0);         // clamped at 0
  ServiceModel one;
  one.batch = {2};
  one.time_s = {6};
  CHECK(one.batch_time(5) == Approx(15));   // a single point: proportional
  ServiceModel lin;
  lin.t0_s = 2;
  lin.t1_s = 0.5;
  CHECK(lin.batch_time(8) == Approx(6));
}

TEST_CASE("busy power follows the DVFS law between loaded idle and active power", "[serving][gpu]") {
  const GpuType g = gpu_preset("h100_sxm");
  const ServiceModel& s = g.service.at("image");
  CHECK(g.busy_power_w(s, 1.0) == Approx(683));
  CHECK(g.busy_power_w(s, 0.8) == Approx(140 + (683 - 140) * 0.512));
  CHECK(g.busy_power_w(s, 0.0) == Approx(140));
  GpuType lin = g;
  lin.dvfs_exponent = 1;
  CHECK(lin.busy_power_w(s, 0.5) == Approx(140 + 543 * 0.5));
}

TEST_CASE("service factors have mean 1 and the spread of their shape", "[serving][gpu]") {
  ServiceModel s;
  s.shape = ServiceModel::Shape::exponential;
  s.finalise();
  CHECK(s.factor.mean() == 1.0);
  CHECK(s.factor.scv() == Approx(1.0));
  s.shape = ServiceModel::Shape::deterministic;
  s.finalise();
  Rng r(3);
  CHECK(s.sample_factor(r) == 1.0);
  s.shape = ServiceModel::Shape::lognormal;
  s.cv = 0.25;
  s.finalise();
  CHECK(s.factor.mean() == Approx(1.0));
  CHECK(s.factor.scv() == Approx(0.0625));
}
