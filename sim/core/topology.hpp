// What a run is made of, for readers of its output: tables of named entities by kind ("site", "cluster",
// "cooling_loop"), each row a name and string-valued columns ("site" = "virginia"). The models fill them
// (Model::describe), a sink writes them; the core knows no kinds. Several models may describe the same
// entity, each adding its own columns (serving a cluster's site and GPU type, facility its cooling loop).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dcsim {

class Topology {
 public:
  struct Table {
    std::string kind;
    std::vector<std::string> names;                 // rows, in the order first described
    std::vector<std::string> columns;               // in the order first set
    std::vector<std::vector<std::string>> values;   // [column][row]; "" where a column was not set for a row
  };

  // Adds the row `name` of `kind` if new (an entity with no columns yet).
  void add(const std::string& kind, const std::string& name);
  // Sets column `column` of row `name` of `kind` (adding the table, the row and the column as needed).
  void set(const std::string& kind, const std::string& name, const std::string& column, const std::string& value);
  const std::vector<Table>& tables() const noexcept { return tables_; }
  // The table of `kind`, or nullptr.
  const Table* find(const std::string& kind) const;
  // The value of a cell, or "" when the table, row or column does not exist.
  std::string value(const std::string& kind, const std::string& name, const std::string& column) const;

 private:
  Table& table(const std::string& kind);
  static std::size_t row(Table& t, const std::string& name);

  std::vector<Table> tables_;
};

}  // namespace dcsim
