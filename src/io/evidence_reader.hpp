#pragma once
// [[evidence]] and [weighting] (docs/configuration.md): observations of the history quarters
// and how they weight the runs.
#include "io/toml_reader.hpp"
#include "wedge/core/config.hpp"

namespace wedge::detail {

//! Reads the top-level [[evidence]] array and [weighting] table into cfg.evidence,
//! cfg.weighting and cfg.warn_ess_share; needs [study], the model's vocabulary and [history].
void read_evidence(Section& top, Config& cfg);

}  // namespace wedge::detail
