#include "wedge/analyses/first_order.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>

namespace wedge {
namespace {

using stats::Seg;
constexpr int kMinPerBin = 20;  // below this the bin means are too noisy to say anything

// Counts and sums (outcome units) of the ten decile bins of one input, strategy and outcome.
struct Bins {
  std::array<long double, kDeciles> n{}, sum{};
};

Bins decile_bins(const stats::Accumulators& acc, int s, int p, int o) {
  const auto& L = acc.layout();
  Bins b;
  for (int d = 0; d < kDeciles; ++d) {
    const auto i = static_cast<std::size_t>(d);
    b.n[i] = static_cast<long double>(acc.count(Seg::kDecileCount, L.decile_count_index(p, d)));
    b.sum[i] = static_cast<long double>(acc.sum(Seg::kDecileSum, L.decile_index(s, p, d, o))) /
               static_cast<long double>(stats::kDecileScale);
  }
  return b;
}

// The between-bin variance of the outcome, its noise removed: (SS_B - (k - 1) MS_W) / N, the
// ANOVA estimate of Var(E[Y | bin]) (within-bin noise inflates SS_B by (k - 1) times the mean
// within-bin variance). `width` adjacent deciles form one bin (1: ten bins, 2: five).
long double between_variance(const Bins& b, int width, long double ss_total) {
  long double n = 0, sum = 0;
  for (int d = 0; d < kDeciles; ++d) n += b.n[static_cast<std::size_t>(d)];
  for (int d = 0; d < kDeciles; ++d) sum += b.sum[static_cast<std::size_t>(d)];
  const long double mean = sum / n;
  long double ss_between = 0;
  int bins = 0;
  for (int d0 = 0; d0 < kDeciles; d0 += width) {
    long double nk = 0, sk = 0;
    for (int d = d0; d < d0 + width; ++d)
      nk += b.n[static_cast<std::size_t>(d)], sk += b.sum[static_cast<std::size_t>(d)];
    if (nk == 0) continue;
    const long double dev = sk / nk - mean;
    ss_between += nk * dev * dev;
    ++bins;
  }
  const long double ms_within = std::max<long double>(ss_total - ss_between, 0) / (n - bins);
  return (ss_between - (bins - 1) * ms_within) / n;
}

}  // namespace

double first_order_index(const stats::Accumulators& acc, int s, int p, int o) {
  const auto& L = acc.layout();
  const Bins b = decile_bins(acc, s, p, o);
  // With evidence the counts are weights: kMinPerBin effective runs' worth of them.
  const stats::Mass M = acc.mass();
  const long double per_run = M.ess > 0 ? static_cast<long double>(M.n) / M.ess : 1.0L;
  for (long double n : b.n)
    if (n < kMinPerBin * per_run) return std::nan("");  // too few runs, or a fixed input
  const std::size_t i = L.outcome_index(s, o);
  const auto m = stats::moments(M.n, acc.sum(Seg::kOutcomeSum, i), acc.sum(Seg::kOutcomeSumsq, i),
                                stats::kScale);
  const long double N = static_cast<long double>(M.n);
  const long double ss_total = static_cast<long double>(m.sd) * m.sd * (N - 1);
  if (!(ss_total > 0)) return std::nan("");
  // Richardson: the bins' discretisation bias falls as 1/k^2 for a smooth E[Y | x] in CDF space,
  // so (4 B_10 - B_5) / 3 removes its leading term.
  const long double b10 = between_variance(b, 1, ss_total), b5 = between_variance(b, 2, ss_total);
  return static_cast<double>((4 * b10 - b5) / 3 / (ss_total / N));
}

std::vector<double> first_order_indices(const Config& cfg, const stats::Accumulators& acc) {
  std::vector<double> v;
  for (int s = 0; s < cfg.num_strategies(); ++s)
    for (int p = 0; p < cfg.num_inputs(); ++p)
      for (int o = 0; o < cfg.num_outcomes(); ++o) v.push_back(first_order_index(acc, s, p, o));
  return v;
}

void print_first_order(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<int>& outcomes) {
  const int S = cfg.num_strategies();
  std::size_t name_width = 24;
  for (const Input& in : cfg.inputs) name_width = std::max(name_width, in.name.size());
  constexpr int kCol = 16;
  for (int o : outcomes) {
    os << "\nfirst-order sensitivity index of " << cfg.outcomes[static_cast<std::size_t>(o)].name
       << " (share of its variance explained by each input alone, from the decile bins)\n    "
       << std::left << std::setw(static_cast<int>(name_width) + 2) << "";
    for (int s = 0; s < S; ++s) {
      std::string name = cfg.strategies[static_cast<std::size_t>(s)].name;
      if (name.size() > kCol - 2) name.resize(kCol - 2);
      os << std::right << std::setw(kCol) << name;
    }
    os << "\n";
    for (int p = 0; p < cfg.num_inputs(); ++p) {
      const Input& in = cfg.inputs[static_cast<std::size_t>(p)];
      if (in.prior.family == Family::kFixed) continue;
      os << "    " << std::left << std::setw(static_cast<int>(name_width) + 2) << in.name;
      for (int s = 0; s < S; ++s) {
        const double v = first_order_index(acc, s, p, o);
        std::ostringstream cell;
        if (std::isnan(v))
          cell << "-";
        else
          cell << std::fixed << std::setprecision(3) << v;
        os << std::right << std::setw(kCol) << cell.str();
      }
      os << "\n";
    }
  }
}

}  // namespace wedge
