#include "wedge/analyses/robust.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <numeric>
#include <ostream>
#include <sstream>

namespace wedge {
namespace {

// The pair index of (a, b) or (b, a) among the comparisons and the sign of a - b in it.
struct PairRef {
  int p = -1;
  double sign = 1.0;
};
class PairIndex {
 public:
  explicit PairIndex(const stats::Layout& L) {
    for (std::size_t p = 0; p < L.pair_list.size(); ++p)
      index_[{L.pair_list[p][0], L.pair_list[p][1]}] = static_cast<int>(p);
  }
  PairRef find(int a, int b) const {
    if (auto it = index_.find({a, b}); it != index_.end()) return {it->second, 1.0};
    if (auto it = index_.find({b, a}); it != index_.end()) return {it->second, -1.0};
    return {};
  }

 private:
  std::map<std::pair<int, int>, int> index_;
};

// se of mean(a - base): 0 for the baseline itself, NaN when a is not compared with it.
double se_to_base(const PairIndex& pi, const Summary& s, int base, int a, int o) {
  if (a == base) return 0.0;
  const PairRef r = pi.find(a, base);
  return r.p < 0 ? std::nan("") : s.diff_se[static_cast<std::size_t>(r.p * s.O + o)];
}

// Standard error of mean(outcome(a) - outcome(b)) over the same runs: exact when the pair is
// among the comparisons, else the smaller of se(a - base) + se(b - base) and se(a) + se(b)
// (Cauchy-Schwarz bounds: the correlation of the two differences is not accumulated).
double se_pair(const PairIndex& pi, const Summary& s, int base, int a, int b, int o) {
  if (a == b) return 0.0;
  if (const PairRef r = pi.find(a, b); r.p >= 0)
    return s.diff_se[static_cast<std::size_t>(r.p * s.O + o)];
  double bound = s.at(s.mcse, a, o) + s.at(s.mcse, b, o);
  if (base >= 0) {
    const double via = se_to_base(pi, s, base, a, o) + se_to_base(pi, s, base, b, o);
    if (via < bound) bound = via;
  }
  return bound;
}

std::string fmt(double v, int prec = 3) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << v;
  return os.str();
}

}  // namespace

std::vector<Objective> robust_objectives(const Config& cfg) {
  if (!cfg.objectives.empty()) return cfg.objectives;
  return {{cfg.payoff, true,
           std::string("max:").append(cfg.outcomes[static_cast<std::size_t>(cfg.payoff)].name)}};
}

RobustChoice robust_choice(const Config& cfg, const stats::Layout& L, const Summary& s) {
  RobustChoice r;
  const PairIndex pi(L);
  const std::vector<Objective> obj = robust_objectives(cfg);
  r.S = s.S, r.J = static_cast<int>(obj.size());
  const auto SJ = static_cast<std::size_t>(r.S * r.J);
  r.value.resize(SJ), r.se.resize(SJ), r.gap.resize(SJ), r.gap_se.resize(SJ);
  r.within_error.resize(SJ);
  for (int j = 0; j < r.J; ++j) {
    const auto& ob = obj[static_cast<std::size_t>(j)];
    r.objectives.push_back(ob.spec), r.outcome.push_back(ob.outcome);
    r.maximize.push_back(ob.maximize ? 1 : 0);
    const double sign = ob.maximize ? 1.0 : -1.0;
    int best = 0;
    for (int k = 0; k < r.S; ++k) {
      const auto i = static_cast<std::size_t>(k * r.J + j);
      r.value[i] = s.at(s.mean, k, ob.outcome), r.se[i] = s.at(s.mcse, k, ob.outcome);
      if (sign * r.value[i] > sign * r.at(r.value, best, j)) best = k;  // ties: the first
    }
    r.best.push_back(best);
    for (int k = 0; k < r.S; ++k) {
      const auto i = static_cast<std::size_t>(k * r.J + j);
      r.gap[i] = sign * (r.at(r.value, best, j) - r.value[i]);
      r.gap_se[i] = se_pair(pi, s, cfg.baseline, k, best, ob.outcome);
      r.within_error[i] = r.gap[i] <= r.z * r.gap_se[i] ? 1 : 0;
    }
  }
  // t dominates k on means: at least as good on every objective, better on one. It dominates k
  // beyond MC error when, in addition, one of those differences exceeds z standard errors of
  // the paired difference; what no strategy dominates beyond MC error is "near" the frontier.
  r.on_frontier.assign(static_cast<std::size_t>(r.S), 1);
  r.near_frontier.assign(static_cast<std::size_t>(r.S), 1);
  for (int k = 0; k < r.S; ++k)
    for (int t = 0; t < r.S && r.near_frontier[static_cast<std::size_t>(k)]; ++t) {
      if (t == k) continue;
      bool all_ge = true, one_gt = false, one_beyond = false;
      for (int j = 0; j < r.J && all_ge; ++j) {
        const double sign = r.maximize[static_cast<std::size_t>(j)] ? 1.0 : -1.0;
        const double d = sign * (r.at(r.value, t, j) - r.at(r.value, k, j));
        all_ge = d >= 0.0;
        one_gt = one_gt || d > 0.0;
        if (d > 0.0 && !one_beyond)
          one_beyond =
              d > r.z * se_pair(pi, s, cfg.baseline, t, k, r.outcome[static_cast<std::size_t>(j)]);
      }
      if (all_ge && one_gt) r.on_frontier[static_cast<std::size_t>(k)] = 0;
      if (all_ge && one_beyond) r.near_frontier[static_cast<std::size_t>(k)] = 0;
    }
  return r;
}

void print_top_strategies(std::ostream& os, const Summary& s, const RobustChoice& r, int n) {
  struct Criterion {
    std::string title;
    std::vector<double> v;
    bool higher_better;
    int objective = -1;
  };
  std::vector<Criterion> crit;
  for (int j = 0; j < r.J; ++j) {
    std::vector<double> v;
    for (int k = 0; k < r.S; ++k) v.push_back(r.at(r.value, k, j));
    crit.push_back({std::string(r.objectives[static_cast<std::size_t>(j)]).append(" (mean)"), v,
                    r.maximize[static_cast<std::size_t>(j)] != 0, j});
  }
  crit.push_back({"regret mean (payoff)", s.regret_mean, false});
  crit.push_back({"regret p90 (payoff)", s.regret_p90, false});
  crit.push_back({"share of runs best (payoff)", s.best_share, true});
  for (std::size_t c = 0; c < s.criteria.size(); ++c) {
    std::vector<double> v;
    for (int k = 0; k < s.S; ++k)
      v.push_back(s.satisficing[static_cast<std::size_t>(k) * s.criteria.size() + c]);
    crit.push_back({std::string("satisficing '").append(s.criteria[c]).append("'"), v, true});
  }
  os << "\ntop " << n << " of " << s.S
     << " strategies on each criterion (= : within 95% MC error of the best, paired)\n";
  for (const auto& c : crit) {
    std::vector<int> order(static_cast<std::size_t>(s.S));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      const double x = c.v[static_cast<std::size_t>(a)], y = c.v[static_cast<std::size_t>(b)];
      return c.higher_better ? x > y : x < y;
    });
    os << c.title << "\n";
    for (int i = 0; i < std::min(n, s.S); ++i) {
      const int k = order[static_cast<std::size_t>(i)];
      char mark = ' ';
      std::string val = fmt(c.v[static_cast<std::size_t>(k)], 4);
      if (c.objective >= 0) {
        const auto idx = static_cast<std::size_t>(k * r.J + c.objective);
        mark = r.within_error[idx] ? '=' : ' ';
        val.append(" +- ").append(fmt(r.se[idx], 4));
      }
      os << "  " << std::setw(3) << i + 1 << " " << mark << " " << std::left << std::setw(24) << val
         << std::right << " " << s.strategies[static_cast<std::size_t>(k)] << "\n";
    }
  }
  int on = 0, near = 0;
  for (int k = 0; k < r.S; ++k)
    on += r.on_frontier[static_cast<std::size_t>(k)],
        near += r.near_frontier[static_cast<std::size_t>(k)];
  os << "Pareto frontier over " << r.J << " objective(s): " << on << " strategies on it (means); "
     << near << " not dominated beyond 95% MC error\n";
  for (int k = 0; k < r.S; ++k) {
    if (!r.on_frontier[static_cast<std::size_t>(k)]) continue;
    os << "  " << s.strategies[static_cast<std::size_t>(k)] << ":";
    for (int j = 0; j < r.J; ++j)
      os << "  " << r.objectives[static_cast<std::size_t>(j)] << " " << fmt(r.at(r.value, k, j), 4)
         << " [" << fmt(r.at(r.value, k, j) - r.z * r.at(r.se, k, j), 4) << ", "
         << fmt(r.at(r.value, k, j) + r.z * r.at(r.se, k, j), 4) << "]";
    os << "\n";
  }
}

}  // namespace wedge
