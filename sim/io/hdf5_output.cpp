// The HDF5 recorder: OUT.partial written on a fixed, deterministic flush schedule, renamed to OUT when the
// run completed; after a failed write nothing more is written to the file (see hdf5_output.hpp).
#include "sim/io/hdf5_output.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "sim/core/calendar.hpp"
#include "sim/io/hdf5_detail.hpp"

namespace dcsim::io {

namespace {

using detail::check;
using detail::Hid;

using detail::group_create_plist;
using detail::open_or_create_group;
using detail::string_type;
using detail::write_attr;
using detail::write_attr_u64;
using detail::write_strings;

// A 1-D float64 dataset, chunked and extendible, shuffle + deflate.
Hid create_series(hid_t parent, const std::string& name, std::size_t chunk_rows) {
  const hsize_t dims[1] = {0};
  const hsize_t maxdims[1] = {H5S_UNLIMITED};
  Hid space(H5Screate_simple(1, dims, maxdims), H5Sclose, "create a dataspace");
  Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
  const hsize_t chunk[1] = {static_cast<hsize_t>(chunk_rows)};
  check(H5Pset_chunk(dcpl.get(), 1, chunk), "set chunking");
  check(H5Pset_shuffle(dcpl.get()), "set shuffle");
  check(H5Pset_deflate(dcpl.get(), 4), "set deflate");
  check(H5Pset_obj_track_times(dcpl.get(), 0), "disable time tracking");
  return Hid(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
             H5Dclose, "create dataset " + name);
}

void append(hid_t ds, const std::vector<double>& buf, std::uint64_t offset) {
  if (buf.empty()) return;
  const hsize_t newsize[1] = {static_cast<hsize_t>(offset + buf.size())};
  check(H5Dset_extent(ds, newsize), "extend a dataset");
  Hid fspace(H5Dget_space(ds), H5Sclose, "get a dataspace");
  const hsize_t start[1] = {static_cast<hsize_t>(offset)};
  const hsize_t count[1] = {static_cast<hsize_t>(buf.size())};
  check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select rows");
  Hid mspace(H5Screate_simple(1, count, nullptr), H5Sclose, "create a dataspace");
  check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT, buf.data()), "write rows");
}

}  // namespace

struct Hdf5Recorder::Impl {
  Hid file;
  Hid timeseries;
  Hid time_ds;
  std::vector<Hid> datasets;

  // Closes every identifier, datasets before groups before the file; never throws. False when libhdf5
  // reported an error closing the file.
  bool release() noexcept {
    datasets.clear();
    time_ds.reset();
    timeseries.reset();
    return file.reset();
  }
};

Hdf5Recorder::Hdf5Recorder(std::string path, const OutputMetadata& meta, std::size_t expected_samples)
    : path_(std::move(path)), partial_(path_ + ".partial"), impl_(std::make_unique<Impl>()) {
  detail::silence_hdf5();
  // Chunks of up to kFlushSamples rows (8 KiB of float64), fewer for short runs: a scheduled flush
  // then writes whole chunks, each once.
  chunk_rows_ = std::clamp<std::size_t>(expected_samples, 16, kFlushSamples);
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  try {
    Hid fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create a file property list");
    check(H5Pset_obj_track_times(fcpl.get(), 0), "disable time tracking");
    // The 1.8 format: a superblock and object headers with checksums (damage is detected, not read as
    // data), readable by any HDF5 since 1.8, and no "open for writing" flag that would lock a file out
    // after a hard kill, as 1.10's format does.
    Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create a file access property list");
    check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "select the HDF5 1.8 format");
    impl_->file = Hid(H5Fcreate(partial_.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose, "create " + partial_);
    const hid_t f = impl_->file.get();
    write_attr(f, "dcsim_version", meta.dcsim_version);
    write_attr_u64(f, "seed", meta.seed);
    write_attr_u64(f, "run_index", meta.run_index);
    write_attr(f, "status", std::string("incomplete"));
    write_attr(f, "scenario_file", meta.scenario_file);
    write_attr(f, "duration_s", meta.duration_s);
    write_attr(f, "warmup_s", meta.warmup_s);
    write_attr(f, "sample_interval_s", meta.sample_interval_s);
    write_attr(f, "start_utc", format_utc(meta.start_epoch_s));
    write_attr(f, "start_epoch_s", meta.start_epoch_s);

    Hid type = string_type();
    Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
    Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
    check(H5Pset_obj_track_times(dcpl.get(), 0), "disable time tracking");
    Hid sc(H5Dcreate2(f, "scenario", type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
           "create /scenario");
    const char* text = meta.scenario_text.c_str();
    check(H5Dwrite(sc.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "write /scenario");
    write_attr(sc.get(), "format", std::string("toml"));
    if (!meta.topology.tables().empty()) {
      Hid topo = open_or_create_group(f, "topology");
      for (const Topology::Table& t : meta.topology.tables()) {
        Hid g = open_or_create_group(topo.get(), t.kind);
        write_strings(g.get(), "name", t.names);
        for (std::size_t c = 0; c < t.columns.size(); ++c) write_strings(g.get(), t.columns[c], t.values[c]);
      }
    }
  } catch (const std::exception& e) {
    give_up();
    throw std::runtime_error(std::string(e.what()) + " (writing " + partial_ + ")");
  }
}

Hdf5Recorder::~Hdf5Recorder() {
  if (!closed_) {
    try {
      close("incomplete", 0.0, "aborted");
    } catch (...) {  // a destructor must not throw; the file stays .partial
    }
  }
  impl_->release();
}

namespace {
std::atomic<bool> g_file_left_open{false};
}

bool hdf5_file_left_open() noexcept { return g_file_left_open.load(); }

bool hdf5_threadsafe() noexcept { return detail::library_threadsafe(); }

void Hdf5Recorder::give_up() noexcept {
  failed_ = true;
  const hid_t f = impl_->file.get();
  if (f >= 0) {
    // Point the file's descriptor at an anonymous memory file: closing the HDF5 objects then writes
    // nothing more over what the last successful flush left on disk (a half-done metadata update would make
    // it unreadable), and the close itself succeeds, so libhdf5 holds no broken file at exit.
    void* handle = nullptr;
    if (H5Fget_vfd_handle(f, H5P_DEFAULT, &handle) >= 0 && handle) {
      const int fd = *static_cast<int*>(handle);
      const int mem_fd = ::memfd_create("dcsim-detached", MFD_CLOEXEC);
      if (mem_fd >= 0) {
        ::dup2(mem_fd, fd);
        ::close(mem_fd);
      }
    }
  }
  // A soft file-size limit would stop the close too: lift it to the hard limit for the close.
  rlimit lim{};
  const bool lifted = getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != lim.rlim_max;
  const rlimit saved = lim;
  if (lifted) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_FSIZE, &lim);
  }
  if (!impl_->release()) g_file_left_open = true;  // libhdf5 could not close it: see hdf5_file_left_open()
  if (lifted) setrlimit(RLIMIT_FSIZE, &saved);
  H5Eclear2(H5E_DEFAULT);
  closed_ = true;
}

void Hdf5Recorder::reserve(std::uint64_t bytes) {
  // A flush overwrites metadata in place (the superblock's end of file, B-tree nodes) as well as appending:
  // failing half-way would leave neither the old state nor the new. So the space a flush can need is
  // secured first, and a flush that cannot have it is not started.
  haddr_t eoa = 0;
  if (H5Fget_eoa(impl_->file.get(), &eoa) < 0) detail::fail("read the file's size");
  void* handle = nullptr;
  if (H5Fget_vfd_handle(impl_->file.get(), H5P_DEFAULT, &handle) < 0 || !handle) detail::fail("reach the file");
  const int fd = *static_cast<int*>(handle);
  rlimit lim{};
  if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY && eoa + bytes > lim.rlim_cur) {
    throw detail::Hdf5Error("cannot grow the file to " + std::to_string(eoa + bytes) + " bytes: " +
                                detail::errno_text(EFBIG), EFBIG);
  }
  // Blocks reserved past the end without changing the file's size or bytes (FALLOC_FL_KEEP_SIZE).
  const int r = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(eoa), static_cast<off_t>(bytes));
  if (r != 0 && (errno == ENOSPC || errno == EFBIG || errno == EDQUOT)) {
    const int e = errno;
    throw detail::Hdf5Error("cannot reserve " + std::to_string(bytes) + " bytes: " + detail::errno_text(e), e);
  }
}

std::uint64_t Hdf5Recorder::flush_bytes() const {
  // Each dataset's chunk written once more, twice over (a partial chunk's old and new copy), plus its index
  // and header updates, plus the file's own metadata. Before the first sample: the metadata alone.
  const std::uint64_t per_dataset = (time_buf_.empty() ? 0 : 2 * chunk_rows_ * sizeof(double)) + 1024;
  return (col_bufs_.size() + 1) * per_dataset + 64 * 1024;
}

void Hdf5Recorder::guarded(const std::string& what, const std::function<void()>& write) {
  if (failed_) throw std::runtime_error("cannot write " + partial_ + ": an earlier write failed");
  try {
    write();
  } catch (const std::exception& e) {
    give_up();
    std::string m = e.what();
    if (m.rfind("cannot ", 0) == 0) m = m.substr(7);
    throw std::runtime_error("cannot write " + partial_ + " (" + what + "): " + m);
  }
}

void Hdf5Recorder::begin(std::span<const SeriesInfo> columns) {
  guarded("creating the time series", [&] {
    const hid_t f = impl_->file.get();
    impl_->timeseries = open_or_create_group(f, "timeseries");
    const hid_t ts = impl_->timeseries.get();
    impl_->time_ds = create_series(ts, "time", chunk_rows_);
    write_attr(impl_->time_ds.get(), "units", std::string("s"));
    write_attr(impl_->time_ds.get(), "description", std::string("simulated time at the end of each sampling interval"));
    write_attr(impl_->time_ds.get(), "sampling", std::string("instant"));
    for (const auto& c : columns) {
      // Walk or create the groups of "a/b/name".
      Hid parent;
      hid_t cur = ts;
      std::size_t start = 0;
      for (std::size_t slash = c.path.find('/'); slash != std::string::npos; slash = c.path.find('/', start)) {
        parent = open_or_create_group(cur, c.path.substr(start, slash - start));
        cur = parent.get();
        start = slash + 1;
      }
      Hid ds = create_series(cur, c.path.substr(start), chunk_rows_);
      write_attr(ds.get(), "units", c.unit);
      write_attr(ds.get(), "description", c.description);
      write_attr(ds.get(), "sampling", std::string(to_string(c.sampling)));
      impl_->datasets.push_back(std::move(ds));
    }
  });
  col_bufs_.assign(columns.size(), {});
  for (auto& b : col_bufs_) b.reserve(chunk_rows_);
  time_buf_.reserve(chunk_rows_);
  // The layout on disk before the first sample: a hard kill from here on leaves a readable file.
  flush();
}

void Hdf5Recorder::row(SimTime t, std::span<const double> values) {
  time_buf_.push_back(t.to_seconds());
  for (std::size_t i = 0; i < values.size(); ++i) col_bufs_[i].push_back(values[i]);
  ++rows_;
  // The flush schedule (docs/hdf5-layout.md): every kFlushSamples samples, or at the first sample after
  // kFlushEvents events. Both are simulated quantities, so identical runs flush at identical points and
  // write identical bytes.
  const std::uint64_t events = event_counter_ ? event_counter_() : 0;
  if (time_buf_.size() >= kFlushSamples || events - events_at_flush_ >= kFlushEvents) flush();
}

void Hdf5Recorder::write_buffers() {
  if (time_buf_.empty() || !impl_->time_ds.get()) return;
  append(impl_->time_ds.get(), time_buf_, flushed_rows_);
  for (std::size_t i = 0; i < col_bufs_.size(); ++i) append(impl_->datasets[i].get(), col_bufs_[i], flushed_rows_);
}

void Hdf5Recorder::flush() {
  const std::uint64_t from = flushed_rows_ + 1, to = flushed_rows_ + time_buf_.size();
  const std::string what = time_buf_.empty() ? std::string("flushing to disk")
                                             : "flushing samples " + std::to_string(from) + " to " + std::to_string(to);
  guarded(what, [&] {
    reserve(flush_bytes());
    write_buffers();
    check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), "flush the file");
  });
  flushed_any_ = true;
  flushed_rows_ += time_buf_.size();
  time_buf_.clear();
  for (auto& b : col_bufs_) b.clear();
  if (event_counter_) events_at_flush_ = event_counter_();
}

void Hdf5Recorder::write_summary(const Summary& summary) {
  guarded("writing /summary", [&] {
    std::uint64_t bytes = 64 * 1024;
    for (const auto& e : summary.entries()) bytes += 3 * (e.name.size() + e.unit.size() + e.description.size() + 64);
    reserve(2 * bytes);
    const hid_t f = impl_->file.get();
    Hid g = open_or_create_group(f, "summary");
    Hid units = open_or_create_group(g.get(), "units");
    Hid desc = open_or_create_group(g.get(), "descriptions");
    for (const auto& e : summary.entries()) {
      std::visit([&](const auto& v) { write_attr(g.get(), e.name, v); }, e.value);
      write_attr(units.get(), e.name, e.unit);
      write_attr(desc.get(), e.name, e.description);
    }
  });
}

void Hdf5Recorder::close(const char* status, double end_s, const std::string& stop_reason) {
  if (failed_) throw std::runtime_error("cannot close " + partial_ + ": an earlier write failed");
  flush();
  guarded("closing the file", [&] {
    reserve(64 * 1024 + 2 * stop_reason.size());
    const hid_t f = impl_->file.get();
    write_attr(f, "end_s", end_s);
    write_attr(f, "stop_reason", stop_reason);
    write_attr(f, "status", std::string(status));
    impl_->datasets.clear();
    impl_->time_ds.reset();
    impl_->timeseries.reset();
    check(H5Fflush(f, H5F_SCOPE_GLOBAL), "flush the file");
    if (!impl_->file.reset()) detail::fail("close the file");
  });
  closed_ = true;
}

std::string Hdf5Recorder::close_complete(double end_s, const std::string& stop_reason) {
  close("complete", end_s, stop_reason);
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec) throw std::runtime_error("cannot rename " + partial_ + " to " + path_ + ": " + ec.message());
  return path_;
}

std::string Hdf5Recorder::close_incomplete(double end_s, const std::string& stop_reason) {
  close("incomplete", end_s, stop_reason);
  return partial_;
}

}  // namespace dcsim::io
