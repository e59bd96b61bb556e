#pragma once
// `wedge info --sensitivity`: the Sobol' indices of a Saltelli study as text tables.
#include <ostream>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

//! For each outcome in `outcomes`, each strategy and each pair: every factor's first- and
//! total-order index with its 95% interval. A study of another design gets one line saying so.
void print_sensitivity(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<int>& outcomes);

}  // namespace wedge
