#include "wedge/analyses/qmc.hpp"

#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>

namespace wedge {

using stats::Seg;

double replicate_mean(const stats::Accumulators& acc, int r, int s, int o) {
  const auto& L = acc.layout();
  const std::uint64_t n = acc.count(Seg::kReplicateRuns, static_cast<std::size_t>(r));
  if (n == 0) return std::nan("");
  return static_cast<double>(
      static_cast<long double>(acc.sum(Seg::kReplicateSum, L.replicate_index(r, s, o))) /
      stats::kScale / static_cast<long double>(n));
}

QmcEstimate qmc_estimate(const stats::Accumulators& acc, int s, int o) {
  const auto& L = acc.layout();
  QmcEstimate e;
  const std::size_t i = L.outcome_index(s, o);
  const std::uint64_t n = acc.mass().n;
  e.mean = n ? static_cast<double>(static_cast<long double>(acc.sum(Seg::kOutcomeSum, i)) /
                                   stats::kScale / static_cast<long double>(n))
             : std::nan("");
  const int R = L.replicates;
  if (R < 2) return e.se = std::nan(""), e;
  long double sum = 0, sumsq = 0;
  for (int r = 0; r < R; ++r) sum += replicate_mean(acc, r, s, o);
  const long double centre = sum / R;
  for (int r = 0; r < R; ++r) {
    const long double d = replicate_mean(acc, r, s, o) - centre;
    sumsq += d * d;
  }
  e.se = static_cast<double>(std::sqrt(sumsq / (R - 1) / R));  // NaN if a replicate is empty
  return e;
}

void print_qmc(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
               const std::vector<int>& outcomes) {
  if (acc.layout().replicates == 0) return;
  constexpr int kCol = 30;
  os << "\nSobol' design: mean +- s.e. from " << acc.layout().replicates
     << " independent digital shifts (randomised QMC)\n"
     << std::left << std::setw(26) << "";
  for (const auto& st : cfg.strategies) os << std::right << std::setw(kCol) << st.name;
  os << "\n";
  for (int o : outcomes) {
    os << std::left << std::setw(26) << ("  " + cfg.outcomes[static_cast<std::size_t>(o)].name);
    for (int s = 0; s < cfg.num_strategies(); ++s) {
      const QmcEstimate e = qmc_estimate(acc, s, o);
      std::ostringstream cell;
      cell << std::setprecision(6) << e.mean << " +- " << std::setprecision(2) << e.se;
      os << std::right << std::setw(kCol) << cell.str();
    }
    os << "\n";
  }
}

}  // namespace wedge
