// What `dcsim run -o OUT` may write: never through a device, a FIFO or a directory, never over one of the
// run's inputs (the scenario, traces, rate profiles, weather files: compared by device and inode, so
// symbolic links, hard links and ../ paths are caught), and never over an existing file that is not a dcsim
// output unless forced. Both OUT and OUT.partial are checked, since the run writes one and renames it to
// the other.
#pragma once

#include <string>
#include <vector>

namespace dcsim::cli {

// Whether `path` is an HDF5 file whose root carries dcsim's attributes (read in a child process, so that
// a damaged file cannot crash the caller).
bool is_dcsim_output(const std::string& path);

// Why the run must not write `path` (and `path`.partial), or "" when it may. Creates the output's
// directory only when everything else is fine.
std::string check_output_path(const std::string& path, const std::vector<std::string>& inputs = {}, bool force = false);

}  // namespace dcsim::cli
