#pragma once
// The /evidence group of a study with [[evidence]]: the observations, the weights' effective
// sample size, the inputs' prior and posterior in prior-CDF space, and the forecast before the
// evidence (docs/output-format.md, section 22).
#include <hdf5.h>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge::io {

//! Writes /evidence when the study has evidence; nothing otherwise.
//! `offset`: the study's evidence_log_offset (Provenance::evidence_offset).
void write_evidence(hid_t file, const Config& cfg, const stats::Accumulators& acc, double offset);

}  // namespace wedge::io
