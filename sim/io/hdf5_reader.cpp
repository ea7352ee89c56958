// Reading dcsim output files (`dcsim info`, tests, tools) with the HDF5 C API. The reader checks the layout
// of docs/hdf5-layout.md as it goes — root attributes and their types, /scenario, /timeseries/time and every
// series (1-D float64, as long as time, with its attributes, every chunk decoded), /summary — and fails with
// one line naming the object and libhdf5's own explanation. It does not contain a crash inside libhdf5:
// `dcsim info` runs it in a child process for that.
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "sim/io/hdf5_detail.hpp"
#include "sim/io/hdf5_output.hpp"

namespace dcsim::io {

namespace {

using detail::Hid;

struct Damaged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void damaged(const std::string& m) { throw Damaged("damaged dcsim output: " + m); }

// Runs an HDF5 step; a failure is reported as damage of `object`.
void step(herr_t r, const std::string& object, const std::string& what) {
  if (r < 0) {
    try {
      detail::fail(what);
    } catch (const std::exception& e) {
      damaged(object + ": " + e.what());
    }
  }
}
Hid open_id(hid_t id, detail::Hid::Closer c, const std::string& object, const std::string& what) {
  step(id < 0 ? -1 : 0, object, what);
  return Hid(id, c, what);
}

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

std::vector<std::string> attribute_names(hid_t obj, const std::string& object) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  step(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, collect_name, &names), object, "list its attributes");
  return names;
}

std::vector<std::string> link_names(hid_t g, const std::string& object) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  step(H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_link, &names), object, "list its members");
  return names;
}

using Value = std::variant<double, std::int64_t, std::string>;
struct AttrValue {
  H5T_class_t cls = H5T_NO_CLASS;
  bool is_unsigned = false;
  std::uint64_t u = 0;
  Value v;
};

std::string read_string(hid_t obj, hid_t type, hid_t space, bool is_attr, const std::string& object) {
  if (H5Sget_simple_extent_type(space) != H5S_SCALAR) damaged(object + ": expected a scalar string");
  if (H5Tis_variable_str(type) > 0) {
    Hid mt(H5Tcopy(H5T_C_S1), H5Tclose, "copy a string type");
    step(H5Tset_size(mt.get(), H5T_VARIABLE), object, "set a string type");
    step(H5Tset_cset(mt.get(), H5Tget_cset(type)), object, "set a string type");
    char* p = nullptr;
    step(is_attr ? H5Aread(obj, mt.get(), &p) : H5Dread(obj, mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), object,
         "read the string");
    std::string s = p ? p : "";
    if (p) H5free_memory(p);
    return s;
  }
  const std::size_t n = H5Tget_size(type);
  if (n == 0 || n > (std::size_t{1} << 30)) damaged(object + ": a string of impossible size " + std::to_string(n));
  std::string s(n, '\0');
  step(is_attr ? H5Aread(obj, type, s.data()) : H5Dread(obj, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.data()), object,
       "read the string");
  s.resize(s.find('\0') == std::string::npos ? s.size() : s.find('\0'));
  return s;
}

AttrValue read_attr(hid_t obj, const std::string& name, const std::string& object) {
  const std::string where = object + " attribute '" + name + "'";
  Hid a = open_id(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, where, "open it");
  Hid t = open_id(H5Aget_type(a.get()), H5Tclose, where, "read its type");
  Hid sp = open_id(H5Aget_space(a.get()), H5Sclose, where, "read its dataspace");
  AttrValue r;
  r.cls = H5Tget_class(t.get());
  if (r.cls == H5T_STRING) {
    r.v = read_string(a.get(), t.get(), sp.get(), true, where);
    return r;
  }
  if (H5Sget_simple_extent_npoints(sp.get()) != 1) damaged(where + ": expected a scalar");
  if (r.cls == H5T_FLOAT) {
    double d = 0;
    step(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &d), where, "read it");
    r.v = d;
  } else if (r.cls == H5T_INTEGER) {
    r.is_unsigned = H5Tget_sign(t.get()) == H5T_SGN_NONE;
    if (r.is_unsigned) {
      step(H5Aread(a.get(), H5T_NATIVE_UINT64, &r.u), where, "read it");
      r.v = static_cast<std::int64_t>(r.u);
    } else {
      std::int64_t i = 0;
      step(H5Aread(a.get(), H5T_NATIVE_INT64, &i), where, "read it");
      r.v = i;
    }
  } else {
    damaged(where + ": expected a number or a string");
  }
  return r;
}

std::string text_of(const AttrValue& a) {
  if (const auto* s = std::get_if<std::string>(&a.v)) return *s;
  if (const auto* d = std::get_if<double>(&a.v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", *d);
    return buf;
  }
  return a.is_unsigned ? std::to_string(a.u) : std::to_string(std::get<std::int64_t>(a.v));
}

std::map<std::string, AttrValue> attrs_of(hid_t obj, const std::string& object) {
  std::map<std::string, AttrValue> m;
  for (const auto& n : attribute_names(obj, object)) m[n] = read_attr(obj, n, object);
  return m;
}

// A 1-D float64 dataset read whole (every chunk decoded).
std::vector<double> read_doubles(hid_t ds, const std::string& object) {
  Hid t = open_id(H5Dget_type(ds), H5Tclose, object, "read its type");
  if (H5Tget_class(t.get()) != H5T_FLOAT) damaged(object + ": expected float64 values");
  Hid sp = open_id(H5Dget_space(ds), H5Sclose, object, "read its dataspace");
  if (H5Sget_simple_extent_ndims(sp.get()) != 1) damaged(object + ": expected a 1-D dataset");
  hsize_t n = 0;
  step(H5Sget_simple_extent_dims(sp.get(), &n, nullptr), object, "read its size");
  if (n > (hsize_t{1} << 32)) damaged(object + ": an impossible size of " + std::to_string(n) + " values");
  std::vector<double> v(static_cast<std::size_t>(n));
  if (n) step(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), object, "read its values");
  return v;
}

hid_t open_object(hid_t parent, const std::string& name, H5I_type_t want, const std::string& object) {
  const htri_t e = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  step(e < 0 ? -1 : 0, object, "look it up");
  if (e == 0) return -1;
  const hid_t o = H5Oopen(parent, name.c_str(), H5P_DEFAULT);
  step(o < 0 ? -1 : 0, object, "open it");
  if (H5Iget_type(o) != want) {
    H5Oclose(o);
    damaged(object + ": expected a " + std::string(want == H5I_GROUP ? "group" : "dataset"));
  }
  return o;
}

void collect_series(hid_t g, const std::string& prefix, std::size_t samples, OutputInfo& info) {
  for (const auto& name : link_names(g, "/timeseries/" + prefix)) {
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    const std::string object = "/timeseries/" + path;
    const htri_t e = H5Lexists(g, name.c_str(), H5P_DEFAULT);
    step(e <= 0 ? -1 : 0, object, "look it up");
    Hid o = open_id(H5Oopen(g, name.c_str(), H5P_DEFAULT), H5Oclose, object, "open it");
    const H5I_type_t type = H5Iget_type(o.get());
    if (type == H5I_GROUP) {
      collect_series(o.get(), path, samples, info);
      continue;
    }
    if (type != H5I_DATASET) damaged(object + ": expected a group or a dataset");
    if (path == "time") continue;
    const auto v = read_doubles(o.get(), object);
    if (v.size() != samples) {
      damaged(object + ": " + std::to_string(v.size()) + " values, but /timeseries/time has " + std::to_string(samples));
    }
    auto a = attrs_of(o.get(), object);
    OutputInfo::Series s{path, "", "", ""};
    for (const char* k : {"units", "description", "sampling"}) {
      if (!a.count(k) || a[k].cls != H5T_STRING) damaged(object + ": the string attribute '" + k + "' is missing");
    }
    s.units = text_of(a["units"]);
    s.description = text_of(a["description"]);
    s.sampling = text_of(a["sampling"]);
    info.series.push_back(std::move(s));
  }
}

void require_attr(const std::map<std::string, AttrValue>& m, const std::string& name, H5T_class_t cls) {
  const auto it = m.find(name);
  const char* kind = cls == H5T_STRING ? "string" : cls == H5T_FLOAT ? "float64" : "integer";
  if (it == m.end()) damaged("the root attribute '" + name + "' is missing");
  if (it->second.cls != cls) damaged("the root attribute '" + name + "' is not a " + kind);
}

OutputInfo read_checked(const std::string& path) {
  OutputInfo info;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot open the file (does it exist?)");
  if (!S_ISREG(st.st_mode)) throw std::runtime_error("not a regular file");
  if (st.st_size == 0) throw std::runtime_error("not an HDF5 file: the file is empty (0 bytes)");
  const htri_t is = H5Fis_hdf5(path.c_str());
  if (is == 0) throw std::runtime_error("not an HDF5 file (no HDF5 signature)");
  if (is < 0) detail::fail("read it as HDF5");
  Hid f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open it as HDF5");
  Hid root = open_id(H5Gopen2(f.get(), "/", H5P_DEFAULT), H5Gclose, "the root group", "open it");
  const auto attrs = attrs_of(root.get(), "the root group");
  if (!attrs.count("dcsim_version")) {
    throw std::runtime_error("an HDF5 file, but not a dcsim output (no root attribute 'dcsim_version')");
  }
  for (const char* k : {"dcsim_version", "status", "scenario_file"}) require_attr(attrs, k, H5T_STRING);
  for (const char* k : {"seed", "run_index"}) require_attr(attrs, k, H5T_INTEGER);
  for (const char* k : {"duration_s", "warmup_s", "sample_interval_s"}) require_attr(attrs, k, H5T_FLOAT);
  const std::string status = std::get<std::string>(attrs.at("status").v);
  if (status != "complete" && status != "incomplete") {
    damaged("the root attribute 'status' is \"" + status + "\", expected \"complete\" or \"incomplete\"");
  }
  const bool complete = status == "complete";
  if (complete) {
    require_attr(attrs, "end_s", H5T_FLOAT);
    require_attr(attrs, "stop_reason", H5T_STRING);
  }
  for (const auto& [k, v] : attrs) info.root_attributes[k] = text_of(v);

  {
    const hid_t sc = open_object(f.get(), "scenario", H5I_DATASET, "/scenario");
    if (sc < 0) damaged("/scenario is missing");
    Hid d(sc, H5Dclose, "open /scenario");
    Hid t = open_id(H5Dget_type(d.get()), H5Tclose, "/scenario", "read its type");
    if (H5Tget_class(t.get()) != H5T_STRING) damaged("/scenario: expected a string");
    Hid sp = open_id(H5Dget_space(d.get()), H5Sclose, "/scenario", "read its dataspace");
    info.scenario_text = read_string(d.get(), t.get(), sp.get(), false, "/scenario");
  }

  const hid_t ts = open_object(f.get(), "timeseries", H5I_GROUP, "/timeseries");
  if (ts < 0) {
    if (complete) damaged("/timeseries is missing");
  } else {
    Hid g(ts, H5Gclose, "open /timeseries");
    const hid_t td = open_object(g.get(), "time", H5I_DATASET, "/timeseries/time");
    if (td < 0) damaged("/timeseries/time is missing");
    Hid t(td, H5Dclose, "open /timeseries/time");
    const auto time = read_doubles(t.get(), "/timeseries/time");
    for (std::size_t i = 0; i < time.size(); ++i) {
      if (!std::isfinite(time[i]) || (i > 0 && !(time[i] > time[i - 1]))) {
        damaged("/timeseries/time: value " + std::to_string(i) + " (" + std::to_string(time[i]) +
                " s) does not follow the one before it");
      }
    }
    info.samples = time.size();
    if (!time.empty()) {
      info.first_time_s = time.front();
      info.last_time_s = time.back();
    }
    collect_series(g.get(), "", time.size(), info);
  }

  const hid_t sg = open_object(f.get(), "summary", H5I_GROUP, "/summary");
  if (sg < 0) {
    if (complete) damaged("/summary is missing");
  } else {
    Hid s(sg, H5Gclose, "open /summary");
    std::map<std::string, AttrValue> units, desc;
    if (const hid_t u = open_object(s.get(), "units", H5I_GROUP, "/summary/units"); u >= 0) {
      Hid ug(u, H5Gclose, "open /summary/units");
      units = attrs_of(ug.get(), "/summary/units");
    }
    if (const hid_t d = open_object(s.get(), "descriptions", H5I_GROUP, "/summary/descriptions"); d >= 0) {
      Hid dg(d, H5Gclose, "open /summary/descriptions");
      desc = attrs_of(dg.get(), "/summary/descriptions");
    }
    for (const auto& name : attribute_names(s.get(), "/summary")) {
      const AttrValue a = read_attr(s.get(), name, "/summary");
      OutputInfo::Result r;
      r.name = name;
      r.value = a.v;
      r.units = units.count(name) ? text_of(units[name]) : "";
      r.description = desc.count(name) ? text_of(desc[name]) : "";
      info.summary.push_back(std::move(r));
    }
  }
  return info;
}

}  // namespace

OutputInfo read_output_info(const std::string& path) {
  detail::silence_hdf5();
  try {
    OutputInfo info = read_checked(path);
    H5Eclear2(H5E_DEFAULT);
    return info;
  } catch (...) {
    H5Eclear2(H5E_DEFAULT);
    throw;
  }
}

std::vector<double> read_series(const std::string& path, const std::string& series) {
  detail::silence_hdf5();
  Hid f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path + " as HDF5");
  const std::string object = "/timeseries/" + series;
  const hid_t d = H5Dopen2(f.get(), object.c_str(), H5P_DEFAULT);
  if (d < 0) detail::fail("read series '" + series + "' from " + path);
  Hid ds(d, H5Dclose, "open " + object);
  return read_doubles(ds.get(), object);
}

}  // namespace dcsim::io
