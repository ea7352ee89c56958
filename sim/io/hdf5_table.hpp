// Files of tables, for study results (a sweep's index.h5): groups of equal-length 1-D columns (float64,
// int64 or UTF-8 strings, each a dataset with optional units and description), attributes, and external
// links to other HDF5 files. Written whole, without modification times (the same tables give the same
// bytes), in HDF5's 1.8 format like the run files; read with h5py or pandas as columns.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dcsim::io {

using ScalarValue = std::variant<double, std::int64_t, std::string>;

struct Attribute {
  std::string name;
  ScalarValue value;
};

struct Column {
  std::string name;  // the dataset's name: any text without '/'
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
  std::string units, description;  // attributes, when not empty
};

struct TableGroup {
  std::string path;  // "/runs", "/points/mean": the parents are created as needed
  std::vector<Attribute> attributes;
  std::vector<Column> columns;
};

struct ExternalLink {
  std::string path;    // "/files/p00_r0", in a group of `groups` or a new one
  std::string file;    // relative to the table file's directory ("runs/p00_r0.h5")
  std::string object = "/";
};

struct TableFile {
  std::vector<Attribute> root_attributes;
  std::vector<TableGroup> groups;  // written in this order
  std::vector<ExternalLink> links;
};

// Writes `path` whole: to a temporary file beside it, then renamed over it, so that a reader (or a
// concurrent writer of the same tables) sees the old file or the new one, never half of one. Throws
// std::runtime_error naming the file and the write that failed.
void write_table_file(const std::string& path, const TableFile& file);

}  // namespace dcsim::io
