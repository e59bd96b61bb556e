#pragma once
// Prior distributions of uncertain inputs: families, moments, quantiles (Boost.Math), support and
// decile edges. Below both the configuration reader and the samplers.
#include <array>
#include <string>
#include <string_view>

#include "wedge/core/vocabulary.hpp"

namespace wedge {

enum class Family {
  kUniform,
  kNormal,
  kTruncatedNormal,
  kLogNormal,
  kBeta,
  kTriangular,
  kPert,
  kFixed
};

//! A prior distribution. Parameters by family:
//! uniform(lower, upper), normal(mean, sd), truncated_normal(mean, sd, lower, upper),
//! lognormal(mu, sigma), beta(alpha, beta), triangular(lower, mode, upper),
//! pert(lower, mode, upper, lambda), fixed(value).
struct Prior {
  Family family = Family::kFixed;
  std::array<double, 4> p{};
  std::string describe() const;
};

std::string_view family_name(Family f);

Range prior_support(const Prior& p);
double prior_mean(const Prior& p);
double prior_variance(const Prior& p);
double prior_quantile(const Prior& p, double u);  //!< inverse CDF (Boost.Math)
double prior_cdf(const Prior& p, double x);

//! PERT(lower, mode, upper, lambda) is a Beta(a, b) stretched over [lower, upper].
struct PertShape {
  double a, b;
};
PertShape pert_shape(const Prior& p);

inline constexpr int kDeciles = 10;
//! The prior's deciles: the 9 values between the 10 equally likely bins of the drivers tables.
std::array<double, kDeciles - 1> decile_edges(const Prior& p);

}  // namespace wedge
