#pragma once
// [[sweep]]: strategies generated from a base strategy by varying some of its levers over
// ranges, on a full grid or a Latin hypercube / Sobol' sample (docs/configuration.md).
#include <toml++/toml.h>

#include "wedge/core/config.hpp"

namespace wedge::detail {

//! Appends the strategies of every [[sweep]] table of `arr` to `c.strategies` (after the named
//! ones, which must already be read) and sets `c.sweep_base`. Errors name file, line and key.
void read_sweeps(const toml::array& arr, Config& c);

//! The limit on strategies: above `c.max_strategies` (named plus swept) is an error at `line`.
void check_strategy_limit(const Config& c, int line);

}  // namespace wedge::detail
