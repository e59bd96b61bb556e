#pragma once
// Descriptions shared by the result file's writers (results_write.cpp, records.cpp): names
// along an axis and the per-outcome / per-parameter attributes of a variable.
#include <hdf5.h>

#include <string>
#include <vector>

#include "wedge/core/config.hpp"

namespace wedge::io::detail {

std::vector<std::string> strategy_names(const Config& cfg);
std::vector<std::string> param_names(const Config& cfg);
//! The names of the outcomes `which` (indices), in that order.
std::vector<std::string> outcome_names(const Config& cfg, const std::vector<int>& which);
//! A variable along an outcome axis (the outcomes `which`): the per-outcome units and names.
void outcome_attrs(hid_t group, const Config& cfg, const std::string& var,
                   const std::vector<int>& which);
//! The same for a variable along the parameter axis.
void param_attrs(hid_t group, const Config& cfg, const std::string& var);
//! The parameters' descriptions as variables of the group (parameter_long_name, _units).
void param_descriptions(hid_t group, const Config& cfg);

}  // namespace wedge::io::detail
