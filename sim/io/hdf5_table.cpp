#include "sim/io/hdf5_table.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "sim/io/hdf5_detail.hpp"

namespace dcsim::io {

namespace {

using detail::check;
using detail::Hid;

// Opens (creating as needed) every group of an absolute path such as "/points/mean".
Hid open_path(hid_t file, const std::string& path) {
  Hid g(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, "open the root group");
  std::size_t at = 1;
  while (at < path.size()) {
    const std::size_t slash = std::min(path.find('/', at), path.size());
    const std::string name = path.substr(at, slash - at);
    if (!name.empty()) g = detail::open_or_create_group(g.get(), name);
    at = slash + 1;
  }
  return g;
}

void write_attribute(hid_t obj, const Attribute& a) {
  std::visit([&](const auto& v) { detail::write_attr(obj, a.name, v); }, a.value);
}

Hid dataset(hid_t parent, const std::string& name, hid_t file_type, std::size_t n) {
  const hsize_t dims[1] = {static_cast<hsize_t>(n)};
  Hid space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
  Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
  check(H5Pset_obj_track_times(dcpl.get(), 0), "disable time tracking");
  return Hid(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
             "create dataset " + name);
}

void write_column(hid_t g, const Column& c) {
  Hid ds;
  if (const auto* d = std::get_if<std::vector<double>>(&c.values)) {
    ds = dataset(g, c.name, H5T_IEEE_F64LE, d->size());
    if (!d->empty()) check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->data()), "write " + c.name);
  } else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&c.values)) {
    ds = dataset(g, c.name, H5T_STD_I64LE, i->size());
    if (!i->empty()) check(H5Dwrite(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, i->data()), "write " + c.name);
  } else {
    ds = detail::write_strings(g, c.name, std::get<std::vector<std::string>>(c.values));
  }
  if (!c.units.empty()) detail::write_attr(ds.get(), "units", c.units);
  if (!c.description.empty()) detail::write_attr(ds.get(), "description", c.description);
}

void write_all(hid_t f, const TableFile& t) {
  for (const Attribute& a : t.root_attributes) write_attribute(f, a);
  for (const TableGroup& tg : t.groups) {
    Hid g = open_path(f, tg.path);
    for (const Attribute& a : tg.attributes) write_attribute(g.get(), a);
    for (const Column& c : tg.columns) write_column(g.get(), c);
  }
  for (const ExternalLink& l : t.links) {
    const std::size_t slash = l.path.rfind('/');
    Hid g = open_path(f, l.path.substr(0, slash));
    const std::string name = l.path.substr(slash + 1);
    check(H5Lcreate_external(l.file.c_str(), l.object.c_str(), g.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          "link " + l.path + " to " + l.file);
  }
}

std::atomic<unsigned> g_temp_counter{0};

}  // namespace

void write_table_file(const std::string& path, const TableFile& t) {
  detail::silence_hdf5();
  const std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_temp_counter++);
  try {
    {
      Hid fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create a file property list");
      check(H5Pset_obj_track_times(fcpl.get(), 0), "disable time tracking");
      Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create a file access property list");
      check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "select the HDF5 1.8 format");
      Hid f(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose, "create " + temp);
      write_all(f.get(), t);
      check(H5Fflush(f.get(), H5F_SCOPE_GLOBAL), "flush " + temp);
      if (!f.reset()) detail::fail("close " + temp);
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) throw std::runtime_error("cannot rename " + temp + " to " + path + ": " + ec.message());
  } catch (const std::exception& e) {
    H5Eclear2(H5E_DEFAULT);
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    throw std::runtime_error(path + ": " + e.what());
  }
  H5Eclear2(H5E_DEFAULT);
}

}  // namespace dcsim::io
