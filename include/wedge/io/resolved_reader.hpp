#pragma once
// Reading a resolved-questions file (docs/scoring.md) against the study it scores: every event,
// state, quarter and strategy checked, errors naming file, line and key.
#include <string>

#include "wedge/analyses/scoring.hpp"
#include "wedge/core/config.hpp"

namespace wedge {

ResolvedQuestions read_resolved(const std::string& path, const Config& cfg);

}  // namespace wedge
