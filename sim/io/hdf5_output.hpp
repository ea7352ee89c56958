// HDF5 output: the recorder that writes a run's time series, scenario and summary, and the reader behind
// `dcsim info`. The layout is documented in docs/hdf5-layout.md and is a stable interface:
//
//   /                      attributes: dcsim_version, seed, run_index, status ("complete" | "incomplete"),
//                          scenario_file, duration_s, warmup_s, sample_interval_s, end_s, stop_reason
//   /scenario              scalar string: the resolved scenario (TOML, after --set overrides)
//   /timeseries/time       float64 [n], seconds: the end of each sampling interval
//   /timeseries/<group>/<name>  float64 [n]; attributes units, description, sampling
//   /summary               attributes: one scalar per result (float64, int64 or string)
//   /summary/units, /summary/descriptions   attributes: the unit and description of each result
//
// The file is written as OUT.partial and renamed to OUT only when the run completed; an interrupted run
// leaves OUT.partial, readable, with status "incomplete". Rows are buffered and written on a fixed
// schedule (kFlushSamples, kFlushEvents), each write followed by a flush, and nothing is written between
// flushes: a hard kill leaves the file as the last flush left it, readable. After a failed write (disk
// full) the recorder writes nothing more to the file and reports which write failed. Datasets are chunked and extendible, compressed
// with shuffle + deflate, and created without modification times so that the same scenario and seed give
// byte-identical files.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/probes.hpp"
#include "sim/core/topology.hpp"

namespace dcsim::io {

struct OutputMetadata {
  std::string dcsim_version;
  std::uint64_t seed = 0;
  std::uint64_t run_index = 0;
  std::string scenario_file;
  std::string scenario_text;
  double duration_s = 0;
  double warmup_s = 0;
  double sample_interval_s = 0;
  std::int64_t start_epoch_s = 0;  // the UTC instant of t = 0, seconds since 1970 (simulation.start)
  Topology topology;               // written to /topology/<kind>/
};

class Hdf5Recorder final : public SampleSink {
 public:
  // The flush schedule: buffered rows are written and flushed after every kFlushSamples samples, or at the
  // first sample after kFlushEvents events since the last flush (with an event counter), whichever first.
  static constexpr std::size_t kFlushSamples = 1024;
  static constexpr std::uint64_t kFlushEvents = std::uint64_t{1} << 24;

  // Creates `path`.partial; throws std::runtime_error if it cannot.
  Hdf5Recorder(std::string path, const OutputMetadata& meta, std::size_t expected_samples = 0);
  ~Hdf5Recorder() override;
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  void begin(std::span<const SeriesInfo> columns) override;
  void row(SimTime t, std::span<const double> values) override;

  // The run's event count, for the flush schedule (deterministic, unlike wall time).
  void set_event_counter(std::function<std::uint64_t()> counter) { event_counter_ = std::move(counter); }

  // Throw std::runtime_error naming the file, the write that failed and the system error (ENOSPC, EFBIG);
  // after a failure the file keeps what the last successful flush wrote and nothing more is written.
  void write_summary(const Summary& summary);
  // Writes buffered rows and asks HDF5 to flush the file to disk.
  void flush();
  // Marks the file complete, closes it and renames OUT.partial to OUT. Returns the final path.
  std::string close_complete(double end_s, const std::string& stop_reason);
  // Marks the file incomplete (with a reason) and closes it, leaving OUT.partial. Returns that path.
  std::string close_incomplete(double end_s, const std::string& stop_reason);

  const std::string& partial_path() const noexcept { return partial_; }
  std::uint64_t rows_written() const noexcept { return rows_; }
  // Rows on disk as of the last successful flush.
  std::uint64_t rows_flushed() const noexcept { return flushed_rows_; }
  bool failed() const noexcept { return failed_; }
  // Whether a flush ever succeeded (before it, the file on disk is not readable).
  bool flushed_any() const noexcept { return flushed_any_; }

 private:
  struct Impl;
  void write_buffers();
  // Runs `write`; on failure stops writing the file (give_up) and rethrows with the file and `what`.
  void guarded(const std::string& what, const std::function<void()>& write);
  void give_up() noexcept;
  // Secures `bytes` past the end of the file before a write (see the .cpp); throws with the errno if not.
  void reserve(std::uint64_t bytes);
  std::uint64_t flush_bytes() const;  // what the next flush may write, at most
  void close(const char* status, double end_s, const std::string& stop_reason);

  std::string path_, partial_;
  std::unique_ptr<Impl> impl_;
  std::size_t chunk_rows_;
  std::vector<double> time_buf_;
  std::vector<std::vector<double>> col_bufs_;
  std::uint64_t rows_ = 0;
  std::uint64_t flushed_rows_ = 0;
  std::uint64_t events_at_flush_ = 0;
  std::function<std::uint64_t()> event_counter_;
  bool closed_ = false;
  bool failed_ = false;
  bool flushed_any_ = false;
};

// True when a recorder gave up on a file that libhdf5 then could not close either (a write failed and the
// close failed too). libhdf5 would crash closing it again at exit: the program must then end with _exit.
bool hdf5_file_left_open() noexcept;

// Whether recorders and readers may run on several threads at once: libhdf5 was built thread-safe (Debian's
// is; it serialises its calls). Sweeps run one run at a time otherwise.
bool hdf5_threadsafe() noexcept;

// What `dcsim info` shows of a file.
struct OutputInfo {
  std::map<std::string, std::string> root_attributes;  // rendered as text
  std::string scenario_text;
  std::uint64_t samples = 0;
  double first_time_s = 0, last_time_s = 0;
  struct Series {
    std::string path, units, description, sampling;
  };
  std::vector<Series> series;
  struct Result {
    std::string name;
    std::variant<double, std::int64_t, std::string> value;
    std::string units;
    std::string description;
  };
  std::vector<Result> summary;
};

// Reads an output file (complete or not), checking its layout and decoding every series; throws
// std::runtime_error with one line (without the path) when it is not a dcsim output or is damaged. A file
// damaged in some ways can crash libhdf5 itself: run this in a child process to contain that.
OutputInfo read_output_info(const std::string& path);

// Reads one time series (for tests and tools): `series` is "time" or "<group>/<name>".
std::vector<double> read_series(const std::string& path, const std::string& series);

}  // namespace dcsim::io
