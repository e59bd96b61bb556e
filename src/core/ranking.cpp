#include "wedge/core/ranking.hpp"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <vector>

namespace wedge {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Means and standard errors through stats::moments, as every precision target reads them.
stats::Moments outcome_moments(const stats::Accumulators& acc, int s, int o) {
  const std::size_t i = acc.layout().outcome_index(s, o);
  return stats::moments(acc.mass(), acc.sum(stats::Seg::kOutcomeSum, i),
                        acc.sum(stats::Seg::kOutcomeSumsq, i), stats::kScale);
}

double pair_se(const stats::Accumulators& acc, int p, int o) {
  const std::size_t i = acc.layout().pair_index(p, o);
  return stats::moments(acc.mass(), acc.sum(stats::Seg::kPairSum, i),
                        acc.sum(stats::Seg::kPairSumsq, i), stats::kScale)
      .se;
}

// For each strategy, the comparison it shares with `s` (either order), or -1.
std::vector<int> pairs_with(const stats::Layout& L, int s) {
  std::vector<int> out(static_cast<std::size_t>(L.S), -1);
  if (s < 0) return out;
  for (std::size_t p = 0; p < L.pair_list.size(); ++p) {
    const auto [a, b] = L.pair_list[p];
    if (a == s) out[static_cast<std::size_t>(b)] = static_cast<int>(p);
    if (b == s) out[static_cast<std::size_t>(a)] = static_cast<int>(p);
  }
  return out;
}

}  // namespace

RankingCheck check_ranking(const Config& cfg, const stats::Accumulators& acc,
                           const Objective& criterion, double confidence) {
  const stats::Layout& L = acc.layout();
  const int o = criterion.outcome;
  const double sign = criterion.maximize ? 1.0 : -1.0;
  RankingCheck r;
  r.threshold = L.S < 2 ? std::numeric_limits<double>::infinity()
                        : boost::math::quantile(boost::math::complement(
                              boost::math::normal(), (1.0 - confidence) / (L.S - 1)));
  if (L.S < 2 || acc.runs() < 2) {
    r.z = kNaN;
    return r;
  }
  std::vector<stats::Moments> m;
  m.reserve(static_cast<std::size_t>(L.S));
  for (int s = 0; s < L.S; ++s) m.push_back(outcome_moments(acc, s, o));
  r.best = 0;
  for (int s = 1; s < L.S; ++s)
    if (sign * m[static_cast<std::size_t>(s)].mean >
        sign * m[static_cast<std::size_t>(r.best)].mean)
      r.best = s;
  const std::vector<int> with_best = pairs_with(L, r.best), with_base = pairs_with(L, cfg.baseline);
  // se(x - base): 0 for the baseline itself, NaN when x is not compared with it.
  auto se_to_base = [&](int x) {
    if (x == cfg.baseline) return 0.0;
    const int p = with_base[static_cast<std::size_t>(x)];
    return p < 0 ? kNaN : pair_se(acc, p, o);
  };
  r.z = std::numeric_limits<double>::infinity();
  for (int c = 0; c < L.S; ++c) {
    if (c == r.best) continue;
    const auto& mb = m[static_cast<std::size_t>(r.best)];
    const auto& mc = m[static_cast<std::size_t>(c)];
    const int p = with_best[static_cast<std::size_t>(c)];
    double se = p >= 0 ? pair_se(acc, p, o) : mb.se + mc.se;
    if (p < 0 && cfg.baseline >= 0) se = std::fmin(se, se_to_base(r.best) + se_to_base(c));
    // A tie gives z = 0 even over a standard error of 0, and a NaN mean a NaN z: neither is
    // ever >= the threshold. A lead over a standard error of 0 (a constant difference) is +inf.
    const double lead = sign * (mb.mean - mc.mean);
    const double z = lead > 0.0 ? lead / se : (lead == 0.0 ? 0.0 : kNaN);
    if (std::isnan(z) || z < r.z) {
      r.z = z, r.rival = c, r.exact = p >= 0;
      if (std::isnan(z)) break;
    }
  }
  return r;
}

std::string describe_ranking(const Config& cfg, const Objective& criterion, double confidence,
                             const RankingCheck& r) {
  std::ostringstream os;
  os << "ranking on " << criterion.spec << ": ";
  if (r.best < 0 || r.rival < 0) {
    os << "not estimable yet";
    return os.str();
  }
  auto name = [&](int s) { return cfg.strategies[static_cast<std::size_t>(s)].name; };
  const int rivals = cfg.num_strategies() - 1;
  os << name(r.best) << " leads " << name(r.rival) << ", the closest of " << rivals
     << (rivals == 1 ? " rival" : " rivals") << ", by " << std::fixed << std::setprecision(2) << r.z
     << " standard errors of the paired difference"
     << (r.exact ? "" : " (bounded: the pair is not among the comparisons)") << "; " << r.threshold
     << " needed for confidence " << std::defaultfloat << confidence;
  return os.str();
}

}  // namespace wedge
