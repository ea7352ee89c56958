#include <catch2/catch.hpp>

#include <H5Cpp.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "sim/cli/job.hpp"
#include "sim/io/hdf5_output.hpp"

using namespace dcsim;

namespace {

std::string temp_dir() {
  const auto d = std::filesystem::temp_directory_path() /
                 ("dcsim_test_" + std::to_string(::getpid()) + "_" + std::to_string(std::rand()));
  std::filesystem::create_directories(d);
  return d.string();
}

std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string p = dir + "/" + name;
  std::ofstream(p) << text;
  return p;
}

const char* kScenario = R"(
[simulation]
duration = "2 h"
warmup = "10 min"
sample_interval = "1 min"
seed = 3
[mmc]
arrival_rate = "7 /s"
service_rate = "1 /s"
servers = 8
)";

// Records every row, to compare with what the file holds.
struct Capture : SampleSink {
  std::vector<SeriesInfo> cols;
  std::vector<double> times;
  std::vector<std::vector<double>> rows;
  void begin(std::span<const SeriesInfo> c) override { cols.assign(c.begin(), c.end()); }
  void row(SimTime t, std::span<const double> v) override {
    times.push_back(t.to_seconds());
    rows.emplace_back(v.begin(), v.end());
  }
};

std::string read_string_attr(const H5::H5Object& o, const std::string& name) {
  const H5::Attribute a = o.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

}  // namespace

TEST_CASE("an output file reads back through the HDF5 API with the documented layout", "[hdf5]") {
  const std::string dir = temp_dir();
  const std::string sc = write_file(dir, "s.toml", kScenario);
  cli::Job job = cli::prepare_job(sc, {"mmc.servers=9"});
  Capture cap;
  job.run->add_sink(cap);
  cli::ExecuteOptions opt;
  opt.output_path = dir + "/out.h5";
  opt.progress = false;
  const cli::JobResult r = cli::execute_job(job, opt);
  REQUIRE(r.error.empty());
  REQUIRE(r.output_path == opt.output_path);
  REQUIRE_FALSE(std::filesystem::exists(opt.output_path + ".partial"));

  H5::H5File f(opt.output_path, H5F_ACC_RDONLY);
  const H5::Group root = f.openGroup("/");
  CHECK(read_string_attr(root, "status") == "complete");
  CHECK(read_string_attr(root, "dcsim_version").size() > 0);
  std::uint64_t seed = 0;
  root.openAttribute("seed").read(H5::PredType::NATIVE_UINT64, &seed);
  CHECK(seed == 3);

  // The stored scenario is the resolved one, override included.
  const H5::DataSet sds = f.openDataSet("scenario");
  std::string text;
  sds.read(text, sds.getStrType());
  CHECK(text == job.scenario.resolved_text);
  CHECK(text.find("servers = 9") != std::string::npos);

  // Time series equal what a sink saw, with units and descriptions.
  const auto time = io::read_series(opt.output_path, "time");
  CHECK(time == cap.times);
  REQUIRE(time.size() == 120);
  CHECK(time.front() == 60.0);
  CHECK(time.back() == 7200.0);
  for (std::size_t c = 0; c < cap.cols.size(); ++c) {
    const auto v = io::read_series(opt.output_path, cap.cols[c].path);
    REQUIRE(v.size() == cap.rows.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double want = cap.rows[i][c];
      REQUIRE(((std::isnan(want) && std::isnan(v[i])) || v[i] == want));
    }
    const H5::DataSet ds = f.openDataSet("timeseries/" + cap.cols[c].path);
    CHECK(read_string_attr(ds, "units") == cap.cols[c].unit);
    CHECK(read_string_attr(ds, "description") == cap.cols[c].description);
    // Chunked, with shuffle and deflate.
    const H5::DSetCreatPropList pl = ds.getCreatePlist();
    CHECK(pl.getLayout() == H5D_CHUNKED);
    CHECK(pl.getNfilters() == 2);
  }

  // The summary holds scalar attributes, with units beside them.
  const H5::Group s = f.openGroup("summary");
  double wq = 0;
  s.openAttribute("mmc.mean_wait_s").read(H5::PredType::NATIVE_DOUBLE, &wq);
  CHECK(wq == r.summary.number("mmc.mean_wait_s"));
  CHECK(read_string_attr(f.openGroup("summary/units"), "mmc.mean_wait_s") == "s");
  std::filesystem::remove_all(dir);
}

TEST_CASE("the same scenario and seed give byte-identical files, and another seed does not", "[hdf5][determinism]") {
  const std::string dir = temp_dir();
  const std::string sc = write_file(dir, "s.toml", kScenario);
  auto run_to = [&](const std::string& out, std::vector<std::string> over) {
    cli::Job job = cli::prepare_job(sc, over);
    cli::ExecuteOptions opt;
    opt.output_path = out;
    opt.progress = false;
    REQUIRE(cli::execute_job(job, opt).error.empty());
    std::ifstream in(out, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string a = run_to(dir + "/a.h5", {});
  const std::string b = run_to(dir + "/b.h5", {});
  const std::string c = run_to(dir + "/c.h5", {"simulation.seed=4"});
  CHECK(a.size() > 1000);
  CHECK(a == b);
  CHECK(a != c);
  std::filesystem::remove_all(dir);
}
