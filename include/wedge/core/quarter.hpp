#pragma once
// Calendar quarters of a study's time axis. Quarter index t (from 0) is the step that covers
// [start_year + t dt, start_year + (t + 1) dt); with dt = 0.25 it is a calendar quarter, written
// "2026Q3" in configurations, evidence and resolved-question files.
#include <optional>
#include <string>
#include <string_view>

#include "wedge/core/config.hpp"

namespace wedge {

//! The quarter index of "YYYYQn" (needs dt = 0.25) or of a whole number of steps from the
//! start ("6"); nullopt when the text is neither. The index may lie outside the study's
//! horizon: callers check the range they need (and say why in their message).
std::optional<int> parse_quarter(std::string_view text, const Config& cfg);
//! "2026Q3" for a quarterly study, otherwise "step 6".
std::string quarter_label(int quarter, const Config& cfg);

}  // namespace wedge
