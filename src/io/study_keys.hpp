#pragma once
// Keys that name a study's quarter, event or state, shared by the readers of [[evidence]] and of
// resolved-question files: one parser and one wording of their errors.
#include <string>
#include <string_view>
#include <vector>

#include "io/toml_reader.hpp"
#include "wedge/core/config.hpp"

namespace wedge::detail {

//! A quarter inside the study's horizon, written "2026Q3" or as a step index.
int read_quarter(Section& s, std::string_view key, const Config& cfg);
//! The index of the event (of Config::events) or state (of Config::states) named by `key`;
//! an unknown name fails, listing the known ones.
int read_event(Section& s, std::string_view key, const Config& cfg);
int read_state(Section& s, std::string_view key, const Config& cfg);

}  // namespace wedge::detail
