// Tables of named entities (topology.hpp).
#include "sim/core/topology.hpp"

#include <algorithm>

namespace dcsim {

Topology::Table& Topology::table(const std::string& kind) {
  for (Table& t : tables_) {
    if (t.kind == kind) return t;
  }
  tables_.push_back(Table{kind, {}, {}, {}});
  return tables_.back();
}

std::size_t Topology::row(Table& t, const std::string& name) {
  const auto it = std::find(t.names.begin(), t.names.end(), name);
  if (it != t.names.end()) return static_cast<std::size_t>(it - t.names.begin());
  t.names.push_back(name);
  for (auto& col : t.values) col.emplace_back();
  return t.names.size() - 1;
}

void Topology::add(const std::string& kind, const std::string& name) { row(table(kind), name); }

void Topology::set(const std::string& kind, const std::string& name, const std::string& column,
                   const std::string& value) {
  Table& t = table(kind);
  const std::size_t r = row(t, name);
  auto it = std::find(t.columns.begin(), t.columns.end(), column);
  std::size_t c = static_cast<std::size_t>(it - t.columns.begin());
  if (it == t.columns.end()) {
    t.columns.push_back(column);
    t.values.emplace_back(t.names.size());
  }
  t.values[c][r] = value;
}

const Topology::Table* Topology::find(const std::string& kind) const {
  for (const Table& t : tables_) {
    if (t.kind == kind) return &t;
  }
  return nullptr;
}

std::string Topology::value(const std::string& kind, const std::string& name, const std::string& column) const {
  const Table* t = find(kind);
  if (!t) return "";
  const auto r = std::find(t->names.begin(), t->names.end(), name);
  const auto c = std::find(t->columns.begin(), t->columns.end(), column);
  if (r == t->names.end() || c == t->columns.end()) return "";
  return t->values[static_cast<std::size_t>(c - t->columns.begin())][static_cast<std::size_t>(r - t->names.begin())];
}

}  // namespace dcsim
