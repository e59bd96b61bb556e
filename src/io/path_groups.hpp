#pragma once
// The fan charts of the strategies that may switch to their fallback, for the runs that kept the
// strategy and for those that switched (`/paths/by_group`, docs/output-format.md).
#include <hdf5.h>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge::io {

//! Writes `by_group` into the paths group `paths` (nothing when no fan-chart strategy may switch).
void write_path_groups(hid_t paths, const Config& cfg, const stats::Accumulators& acc);

}  // namespace wedge::io
