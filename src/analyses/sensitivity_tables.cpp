#include <cstdio>
#include <string>

#include "wedge/analyses/sensitivity.hpp"
#include "wedge/core/sensitivity.hpp"

namespace wedge {
namespace {

std::string cell(double v, double lo, double hi) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%7.4f [%7.4f, %7.4f]", v, lo, hi);
  return buf;
}

}  // namespace

void print_sensitivity(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<int>& outcomes) {
  if (cfg.design != Design::kSaltelli) {
    os << "\nsensitivity: no Sobol' indices (design " << design_name(cfg.design)
       << "; run with [study] design = \"saltelli\")\n";
    return;
  }
  const SobolTable t = sobol_indices(cfg, acc);
  os << "\nSobol' indices (" << t.base_rows << " base rows, " << t.factors + 2
     << " model runs each): share of the outcome's variance due to each input alone (first "
        "order) and with its interactions (total order), 95% intervals\n";
  std::size_t width = 9;
  for (const auto& n : t.factor_names) width = std::max(width, n.size());
  for (int o : outcomes)
    for (int s = 0; s < t.series; ++s) {
      const double var = t.variance[static_cast<std::size_t>(s * t.outcomes + o)];
      os << "\n"
         << cfg.outcomes[static_cast<std::size_t>(o)].name << ", "
         << (s < cfg.num_strategies() ? "strategy " : "difference ")
         << t.series_names[static_cast<std::size_t>(s)] << " (variance " << var << ")\n";
      os << "  " << std::string(width, ' ') << "  "
         << "first order               "
         << "  total order\n";
      for (int j = 0; j < t.factors; ++j) {
        const std::size_t i = t.at(s, o, j);
        std::string name = t.factor_names[static_cast<std::size_t>(j)];
        name.resize(width, ' ');
        os << "  " << name << "  " << cell(t.first[i], t.first_low[i], t.first_high[i]) << "  "
           << cell(t.total[i], t.total_low[i], t.total_high[i]) << "\n";
      }
    }
}

}  // namespace wedge
