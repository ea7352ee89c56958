// Test helper: a scenario text built into a run, as `dcsim run` builds it (models::build and the
// unknown-key check), with typed access to its models.
#pragma once

#include <memory>
#include <string>

#include "models/world.hpp"
#include "sim/core/run.hpp"
#include "sim/io/scenario.hpp"

namespace dcsim::test {

struct BuiltRun {
  ConfigValue cv;
  std::unique_ptr<Run> run;

  template <class M>
  M* model() const {
    for (const auto& m : run->models()) {
      if (auto* p = dynamic_cast<M*>(m.get())) return p;
    }
    return nullptr;
  }
};

inline std::unique_ptr<BuiltRun> build_run(const std::string& text, std::uint64_t run_index = 0) {
  auto b = std::make_unique<BuiltRun>();
  b->cv = io::parse_toml(text, "test.toml");
  const Params root(b->cv, "", models::parameter_schema());
  RunSettings rs = RunSettings::from(root.table("simulation"));
  rs.run_index = run_index;
  b->run = std::make_unique<Run>(rs);
  models::build(root, *b->run);
  check_unknown_keys(b->cv);
  return b;
}

}  // namespace dcsim::test
