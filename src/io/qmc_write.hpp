#pragma once
// The /qmc group of a Sobol' study: runs and means per digital shift, and the randomised-QMC
// standard error of each mean (docs/output-format.md).
#include <hdf5.h>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge::io {

//! Writes /qmc when the study used the Sobol' design; nothing otherwise.
void write_qmc(hid_t file, const Config& cfg, const stats::Accumulators& acc);

}  // namespace wedge::io
