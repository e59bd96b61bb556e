#pragma once
// [history] (docs/configuration.md): the policy in force since the study's start, up to the
// decision quarter from which the study's strategies take over.
#include "io/toml_reader.hpp"
#include "wedge/core/config.hpp"

namespace wedge::detail {

//! Reads [history] into cfg.history and cfg.decision_quarter; needs [time] and the strategies.
void read_history(Section s, Config& cfg);

}  // namespace wedge::detail
