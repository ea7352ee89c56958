#include "sim/io/hdf5_output.hpp"

#include <H5Cpp.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace dcsim::io {

namespace {

// RAII for C-API identifiers.
class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  Hid(hid_t id, Closer c, const std::string& what) : id_(id), close_(c) {
    if (id < 0) throw std::runtime_error("HDF5: cannot " + what);
  }
  Hid(Hid&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Hid& operator=(Hid&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = -1;
    }
    return *this;
  }
  ~Hid() { reset(); }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = -1;
  }
  hid_t get() const noexcept { return id_; }

 private:
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

void check(herr_t r, const std::string& what) {
  if (r < 0) throw std::runtime_error("HDF5: cannot " + what);
}

Hid string_type() {
  Hid t(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set string charset");
  return t;
}

void delete_attr_if_exists(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "replace attribute " + name);
}

void write_attr(hid_t obj, const std::string& name, const std::string& value) {
  delete_attr_if_exists(obj, name);
  Hid type = string_type();
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
  Hid a(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute " + name);
  const char* p = value.c_str();
  check(H5Awrite(a.get(), type.get(), &p), "write attribute " + name);
}

void write_attr(hid_t obj, const std::string& name, double value) {
  delete_attr_if_exists(obj, name);
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
  Hid a(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute " + name);
  check(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

void write_attr(hid_t obj, const std::string& name, std::int64_t value) {
  delete_attr_if_exists(obj, name);
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
  Hid a(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute " + name);
  check(H5Awrite(a.get(), H5T_NATIVE_INT64, &value), "write attribute " + name);
}

void write_attr_u64(hid_t obj, const std::string& name, std::uint64_t value) {
  delete_attr_if_exists(obj, name);
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
  Hid a(H5Acreate2(obj, name.c_str(), H5T_STD_U64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "create attribute " + name);
  check(H5Awrite(a.get(), H5T_NATIVE_UINT64, &value), "write attribute " + name);
}

// Object creation property lists without modification times: byte-identical files for identical runs.
Hid group_create_plist() {
  Hid p(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create a group property list");
  check(H5Pset_obj_track_times(p.get(), 0), "disable time tracking");
  return p;
}

Hid open_or_create_group(hid_t parent, const std::string& name) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0) {
    return Hid(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name);
  }
  Hid gcpl = group_create_plist();
  return Hid(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
             "create group " + name);
}

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

struct SilenceHdf5 {
  SilenceHdf5() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5::Exception::dontPrint();
  }
};

void silence_hdf5() { static SilenceHdf5 once; }

}  // namespace

struct Hdf5Recorder::Impl {
  Hid file;
  Hid timeseries;
  Hid time_ds;
  std::vector<Hid> datasets;
};

Hdf5Recorder::Hdf5Recorder(std::string path, const OutputMetadata& meta, std::size_t expected_samples)
    : path_(std::move(path)), partial_(path_ + ".partial"), impl_(std::make_unique<Impl>()) {
  silence_hdf5();
  // Chunks of up to 4096 rows (32 KiB of float64), fewer for short runs.
  chunk_rows_ = std::clamp<std::size_t>(expected_samples, 16, 4096);
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  Hid fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create a file property list");
  check(H5Pset_obj_track_times(fcpl.get(), 0), "disable time tracking");
  impl_->file = Hid(H5Fcreate(partial_.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose,
                    "create " + partial_);
  const hid_t f = impl_->file.get();
  write_attr(f, "dcsim_version", meta.dcsim_version);
  write_attr_u64(f, "seed", meta.seed);
  write_attr_u64(f, "run_index", meta.run_index);
  write_attr(f, "status", std::string("incomplete"));
  write_attr(f, "scenario_file", meta.scenario_file);
  write_attr(f, "duration_s", meta.duration_s);
  write_attr(f, "warmup_s", meta.warmup_s);
  write_attr(f, "sample_interval_s", meta.sample_interval_s);

  Hid type = string_type();
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
  Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
  check(H5Pset_obj_track_times(dcpl.get(), 0), "disable time tracking");
  Hid sc(H5Dcreate2(f, "scenario", type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
         "create /scenario");
  const char* text = meta.scenario_text.c_str();
  check(H5Dwrite(sc.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "write /scenario");
  write_attr(sc.get(), "format", std::string("toml"));
}

Hdf5Recorder::~Hdf5Recorder() {
  if (!closed_) {
    try {
      close("incomplete", 0.0, "aborted");
    } catch (...) {  // a destructor must not throw; the file stays .partial
    }
  }
}

void Hdf5Recorder::begin(std::span<const SeriesInfo> columns) {
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
  col_bufs_.assign(columns.size(), {});
  for (auto& b : col_bufs_) b.reserve(chunk_rows_);
  time_buf_.reserve(chunk_rows_);
}

void Hdf5Recorder::row(SimTime t, std::span<const double> values) {
  time_buf_.push_back(t.to_seconds());
  for (std::size_t i = 0; i < values.size(); ++i) col_bufs_[i].push_back(values[i]);
  ++rows_;
  if (time_buf_.size() >= chunk_rows_) write_buffers();
}

void Hdf5Recorder::write_buffers() {
  if (time_buf_.empty() || !impl_->time_ds.get()) return;
  append(impl_->time_ds.get(), time_buf_, flushed_rows_);
  for (std::size_t i = 0; i < col_bufs_.size(); ++i) {
    append(impl_->datasets[i].get(), col_bufs_[i], flushed_rows_);
    col_bufs_[i].clear();
  }
  flushed_rows_ += time_buf_.size();
  time_buf_.clear();
}

void Hdf5Recorder::flush() {
  write_buffers();
  check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), "flush " + partial_);
}

void Hdf5Recorder::write_summary(const Summary& summary) {
  const hid_t f = impl_->file.get();
  Hid g = open_or_create_group(f, "summary");
  Hid units = open_or_create_group(g.get(), "units");
  Hid desc = open_or_create_group(g.get(), "descriptions");
  for (const auto& e : summary.entries()) {
    std::visit([&](const auto& v) { write_attr(g.get(), e.name, v); }, e.value);
    write_attr(units.get(), e.name, e.unit);
    write_attr(desc.get(), e.name, e.description);
  }
}

void Hdf5Recorder::close(const char* status, double end_s, const std::string& stop_reason) {
  write_buffers();
  const hid_t f = impl_->file.get();
  write_attr(f, "end_s", end_s);
  write_attr(f, "stop_reason", stop_reason);
  write_attr(f, "status", std::string(status));
  impl_->datasets.clear();
  impl_->time_ds.reset();
  impl_->timeseries.reset();
  check(H5Fflush(f, H5F_SCOPE_GLOBAL), "flush " + partial_);
  impl_->file.reset();
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

// ---- reading (C++ API) ----------------------------------------------------------------------------------

namespace {

std::string attr_text(const H5::Attribute& a) {
  const H5::DataType t = a.getDataType();
  switch (t.getClass()) {
    case H5T_STRING: {
      std::string s;
      a.read(a.getStrType(), s);
      return s;
    }
    case H5T_FLOAT: {
      double d = 0;
      a.read(H5::PredType::NATIVE_DOUBLE, &d);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.10g", d);
      return buf;
    }
    case H5T_INTEGER: {
      const H5::IntType it = a.getIntType();
      if (it.getSign() == H5T_SGN_NONE) {
        std::uint64_t u = 0;
        a.read(H5::PredType::NATIVE_UINT64, &u);
        return std::to_string(u);
      }
      std::int64_t i = 0;
      a.read(H5::PredType::NATIVE_INT64, &i);
      return std::to_string(i);
    }
    default: return "?";
  }
}

std::map<std::string, std::string> attrs_of(const H5::H5Object& o) {
  std::map<std::string, std::string> m;
  const int n = o.getNumAttrs();
  for (int i = 0; i < n; ++i) {
    const H5::Attribute a = o.openAttribute(static_cast<unsigned>(i));
    m[a.getName()] = attr_text(a);
  }
  return m;
}

void collect_series(const H5::Group& g, const std::string& prefix, OutputInfo& info) {
  const hsize_t n = g.getNumObjs();
  for (hsize_t i = 0; i < n; ++i) {
    const std::string name = g.getObjnameByIdx(i);
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    if (g.childObjType(name) == H5O_TYPE_GROUP) {
      collect_series(g.openGroup(name), path, info);
    } else if (path != "time") {
      const H5::DataSet ds = g.openDataSet(name);
      auto a = attrs_of(ds);
      info.series.push_back({path, a["units"], a["description"], a["sampling"]});
    }
  }
}

}  // namespace

OutputInfo read_output_info(const std::string& path) {
  silence_hdf5();
  OutputInfo info;
  try {
    H5::H5File f(path, H5F_ACC_RDONLY);
    const H5::Group root = f.openGroup("/");
    info.root_attributes = attrs_of(root);
    if (!info.root_attributes.count("dcsim_version")) throw std::runtime_error(path + " is not a dcsim output file");
    if (f.nameExists("scenario")) {
      const H5::DataSet sc = f.openDataSet("scenario");
      std::string s;
      sc.read(s, sc.getStrType());
      info.scenario_text = s;
    }
    if (f.nameExists("timeseries")) {
      const H5::Group ts = f.openGroup("timeseries");
      if (ts.nameExists("time")) {
        const auto t = read_series(path, "time");
        info.samples = t.size();
        if (!t.empty()) {
          info.first_time_s = t.front();
          info.last_time_s = t.back();
        }
      }
      collect_series(ts, "", info);
    }
    if (f.nameExists("summary")) {
      const H5::Group s = f.openGroup("summary");
      std::map<std::string, std::string> units, desc;
      if (s.nameExists("units")) units = attrs_of(s.openGroup("units"));
      if (s.nameExists("descriptions")) desc = attrs_of(s.openGroup("descriptions"));
      const int n = s.getNumAttrs();
      for (int i = 0; i < n; ++i) {
        const H5::Attribute a = s.openAttribute(static_cast<unsigned>(i));
        OutputInfo::Result r;
        r.name = a.getName();
        const H5::DataType t = a.getDataType();
        if (t.getClass() == H5T_FLOAT) {
          double d = 0;
          a.read(H5::PredType::NATIVE_DOUBLE, &d);
          r.value = d;
        } else if (t.getClass() == H5T_INTEGER) {
          std::int64_t v = 0;
          a.read(H5::PredType::NATIVE_INT64, &v);
          r.value = v;
        } else {
          r.value = attr_text(a);
        }
        r.units = units[r.name];
        r.description = desc[r.name];
        info.summary.push_back(std::move(r));
      }
    }
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot read " + path + " as HDF5: " + e.getDetailMsg());
  }
  return info;
}

std::vector<double> read_series(const std::string& path, const std::string& series) {
  silence_hdf5();
  try {
    H5::H5File f(path, H5F_ACC_RDONLY);
    const H5::DataSet ds = f.openDataSet("timeseries/" + series);
    const H5::DataSpace sp = ds.getSpace();
    hsize_t n = 0;
    sp.getSimpleExtentDims(&n);
    std::vector<double> v(static_cast<std::size_t>(n));
    if (n) ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
    return v;
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot read series '" + series + "' from " + path + ": " + e.getDetailMsg());
  }
}

}  // namespace dcsim::io
