#pragma once
// The result file's /strategies group (every strategy's lever values, swept or named) and
// /robust group (Pareto frontier and the strategies within MC error of the best).
#include <hdf5.h>

#include "wedge/analyses/summary.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge::io {

void write_strategies(hid_t file, const Config& cfg);
void write_robust(hid_t file, const Config& cfg, const stats::Layout& L, const Summary& s);

}  // namespace wedge::io
