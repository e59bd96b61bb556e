#pragma once
// The /sensitivity group of a result file (docs/output-format.md): Sobol' indices of a Saltelli
// design, derived from the statistics' sums whenever the file is written (so merges, restarts
// and extensions recompute it from exact sums).
#include <hdf5.h>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge::io {

//! Writes /sensitivity for a Saltelli design (nothing for other designs).
void write_sensitivity(hid_t file, const Config& cfg, const stats::Accumulators& acc);

}  // namespace wedge::io
