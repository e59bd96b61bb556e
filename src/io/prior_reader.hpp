#pragma once
// Reading priors from the configuration: the families of docs/configuration.md, their checks,
// and model coefficients given either as a number or as a prior (an uncertain coefficient).
#include <string>

#include "io/toml_reader.hpp"
#include "wedge/core/config.hpp"

namespace wedge::detail {

//! A prior table ({ dist = "beta", alpha = 2, beta = 5 }); every key checked.
Prior read_prior(Section s);

//! Refuses a prior whose support leaves `domain`, or whose far tails are not finite numbers.
void check_prior_domain(const Prior& prior, const Bounds& domain, const std::string& file, int line,
                        const std::string& key, const std::string& what);

//! A model coefficient: a number within its bounds, or a prior table. A prior makes it an
//! uncertain input of the study (appended to cfg.inputs, its index in `input_row`; -1 for a
//! number); the value returned is then the prior's mean.
double read_coefficient(Section& s, const CoefficientTerm& coef, Config& cfg, int& input_row);

}  // namespace wedge::detail
