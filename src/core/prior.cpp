#include "wedge/core/prior.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <sstream>

namespace wedge {
namespace {

namespace bm = boost::math;

const bm::normal_distribution<double> kStdNormal(0.0, 1.0);

// Truncated normal on [lo, hi]: the normal quantile of a uniform squeezed into [F(lo), F(hi)].
// Works on the side of the mean where the CDF keeps its precision.
double truncnorm_quantile(const Prior& p, double u) {
  const double zl = (p.p[2] - p.p[0]) / p.p[1], zu = (p.p[3] - p.p[0]) / p.p[1];
  double z;
  if (zl > 0.0) {  // whole interval above the mean: use upper tails
    const double ql = bm::cdf(bm::complement(kStdNormal, zl));
    const double qu = bm::cdf(bm::complement(kStdNormal, zu));
    z = bm::quantile(bm::complement(kStdNormal, ql - u * (ql - qu)));
  } else {
    const double pl = bm::cdf(kStdNormal, zl), pu = bm::cdf(kStdNormal, zu);
    z = bm::quantile(kStdNormal, pl + u * (pu - pl));
  }
  return std::clamp(p.p[0] + p.p[1] * z, p.p[2], p.p[3]);
}

}  // namespace

// PERT(lower, mode, upper, lambda) is a Beta(a, b) stretched over [lower, upper].
PertShape pert_shape(const Prior& p) {
  const double range = p.p[2] - p.p[0];
  return {1.0 + p.p[3] * (p.p[1] - p.p[0]) / range, 1.0 + p.p[3] * (p.p[2] - p.p[1]) / range};
}

std::string Prior::describe() const {
  std::ostringstream os;
  os << family_name(family) << "(";
  const int n = family == Family::kFixed                                        ? 1
                : family == Family::kTruncatedNormal || family == Family::kPert ? 4
                : family == Family::kTriangular                                 ? 3
                                                                                : 2;
  for (int i = 0; i < n; ++i) os << (i ? ", " : "") << p[static_cast<std::size_t>(i)];
  os << ")";
  return os.str();
}

Range prior_support(const Prior& p) {
  constexpr double inf = 1e300;
  switch (p.family) {
    case Family::kUniform: return {p.p[0], p.p[1]};
    case Family::kNormal: return {-inf, inf};
    case Family::kTruncatedNormal: return {p.p[2], p.p[3]};
    case Family::kLogNormal: return {0.0, inf};
    case Family::kBeta: return {0.0, 1.0};
    case Family::kTriangular:
    case Family::kPert: return {p.p[0], p.p[2]};
    case Family::kFixed: return {p.p[0], p.p[0]};
  }
  return {-inf, inf};
}

double prior_mean(const Prior& p) {
  switch (p.family) {
    case Family::kUniform: return 0.5 * (p.p[0] + p.p[1]);
    case Family::kNormal: return p.p[0];
    case Family::kTruncatedNormal: {
      const double a = (p.p[2] - p.p[0]) / p.p[1], b = (p.p[3] - p.p[0]) / p.p[1];
      const double Z = bm::cdf(kStdNormal, b) - bm::cdf(kStdNormal, a);
      return p.p[0] + p.p[1] * (bm::pdf(kStdNormal, a) - bm::pdf(kStdNormal, b)) / Z;
    }
    case Family::kLogNormal: return bm::mean(bm::lognormal_distribution<double>(p.p[0], p.p[1]));
    case Family::kBeta: return p.p[0] / (p.p[0] + p.p[1]);
    case Family::kTriangular: return (p.p[0] + p.p[1] + p.p[2]) / 3.0;
    case Family::kPert: return (p.p[0] + p.p[3] * p.p[1] + p.p[2]) / (p.p[3] + 2.0);
    case Family::kFixed: return p.p[0];
  }
  return 0.0;
}

double prior_variance(const Prior& p) {
  switch (p.family) {
    case Family::kUniform: return std::pow(p.p[1] - p.p[0], 2) / 12.0;
    case Family::kNormal: return p.p[1] * p.p[1];
    case Family::kTruncatedNormal: {
      const double a = (p.p[2] - p.p[0]) / p.p[1], b = (p.p[3] - p.p[0]) / p.p[1];
      const double Z = bm::cdf(kStdNormal, b) - bm::cdf(kStdNormal, a);
      const double pa = bm::pdf(kStdNormal, a), pb = bm::pdf(kStdNormal, b);
      const double t = (pa - pb) / Z;
      return p.p[1] * p.p[1] * (1.0 + (a * pa - b * pb) / Z - t * t);
    }
    case Family::kLogNormal:
      return bm::variance(bm::lognormal_distribution<double>(p.p[0], p.p[1]));
    case Family::kBeta: {
      const double a = p.p[0], b = p.p[1];
      return a * b / ((a + b) * (a + b) * (a + b + 1.0));
    }
    case Family::kTriangular: {
      const double a = p.p[0], c = p.p[1], b = p.p[2];
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    }
    case Family::kPert: {
      const auto s = pert_shape(p);
      const double r = p.p[2] - p.p[0];
      return r * r * s.a * s.b / ((s.a + s.b) * (s.a + s.b) * (s.a + s.b + 1.0));
    }
    case Family::kFixed: return 0.0;
  }
  return 0.0;
}

double prior_quantile(const Prior& p, double u) {
  switch (p.family) {
    case Family::kUniform: return p.p[0] + u * (p.p[1] - p.p[0]);
    case Family::kNormal: return p.p[0] + p.p[1] * bm::quantile(kStdNormal, u);
    case Family::kTruncatedNormal: return truncnorm_quantile(p, u);
    case Family::kLogNormal:
      return bm::quantile(bm::lognormal_distribution<double>(p.p[0], p.p[1]), u);
    case Family::kBeta: return bm::quantile(bm::beta_distribution<double>(p.p[0], p.p[1]), u);
    case Family::kTriangular:
      return bm::quantile(bm::triangular_distribution<double>(p.p[0], p.p[1], p.p[2]), u);
    case Family::kPert: {
      const auto s = pert_shape(p);
      return p.p[0] + (p.p[2] - p.p[0]) * bm::quantile(bm::beta_distribution<double>(s.a, s.b), u);
    }
    case Family::kFixed: return p.p[0];
  }
  return 0.0;
}

double prior_cdf(const Prior& p, double x) {
  const Range sup = prior_support(p);
  if (x <= sup.lo) return p.family == Family::kFixed && x >= sup.lo ? 1.0 : 0.0;
  if (x >= sup.hi) return 1.0;
  switch (p.family) {
    case Family::kUniform: return (x - p.p[0]) / (p.p[1] - p.p[0]);
    case Family::kNormal: return bm::cdf(kStdNormal, (x - p.p[0]) / p.p[1]);
    case Family::kTruncatedNormal: {
      const auto F = [&](double v) { return bm::cdf(kStdNormal, (v - p.p[0]) / p.p[1]); };
      return (F(x) - F(p.p[2])) / (F(p.p[3]) - F(p.p[2]));
    }
    case Family::kLogNormal: return bm::cdf(bm::lognormal_distribution<double>(p.p[0], p.p[1]), x);
    case Family::kBeta: return bm::cdf(bm::beta_distribution<double>(p.p[0], p.p[1]), x);
    case Family::kTriangular:
      return bm::cdf(bm::triangular_distribution<double>(p.p[0], p.p[1], p.p[2]), x);
    case Family::kPert: {
      const auto s = pert_shape(p);
      return bm::cdf(bm::beta_distribution<double>(s.a, s.b), (x - p.p[0]) / (p.p[2] - p.p[0]));
    }
    case Family::kFixed: return 1.0;
  }
  return 0.0;
}

std::string_view family_name(Family f) {
  switch (f) {
    case Family::kUniform: return "uniform";
    case Family::kNormal: return "normal";
    case Family::kTruncatedNormal: return "truncated_normal";
    case Family::kLogNormal: return "lognormal";
    case Family::kBeta: return "beta";
    case Family::kTriangular: return "triangular";
    case Family::kPert: return "pert";
    case Family::kFixed: return "fixed";
  }
  return "?";
}

std::array<double, kDeciles - 1> decile_edges(const Prior& p) {
  std::array<double, kDeciles - 1> e{};
  for (int k = 1; k < kDeciles; ++k)
    e[k - 1] = prior_quantile(p, k / static_cast<double>(kDeciles));
  return e;
}

}  // namespace wedge
