#include <string>
#include <vector>

#include "wedge/core/sensitivity.hpp"
#include "wedge/io/hdf5_util.hpp"
#include "wedge/io/sensitivity.hpp"

namespace wedge::io {

void write_sensitivity(hid_t file, const Config& cfg, const stats::Accumulators& acc) {
  if (cfg.design != Design::kSaltelli) return;
  const SobolTable t = sobol_indices(cfg, acc);
  h5::Id g = h5::create_group(file, "sensitivity");
  h5::attr_string(
      g, "method",
      "Saltelli (pick-freeze) design; first order: Saltelli et al. 2010 (OpenTURNS "
      "MauntzKucherenko), total order: Jansen 1999 (OpenTURNS Jansen); 95% intervals by "
      "the delta method (Janon et al. 2014); outcomes centred on the mean of every "
      "design row; variance: unbiased variance of the A rows");
  h5::attr_uint(g, "base_rows", t.base_rows);
  h5::attr_uint(g, "rows_per_base_row", static_cast<std::uint64_t>(t.factors + 2));
  h5::attr_uint(g, "model_evaluations", t.base_rows * static_cast<std::uint64_t>(t.factors + 2));
  h5::attr_double(g, "confidence_level", 0.95);
  h5::dim_strings(g, "series", t.series_names);
  std::vector<std::string> kind;
  for (int s = 0; s < t.series; ++s)
    kind.emplace_back(s < cfg.num_strategies() ? "strategy" : "pair");
  h5::var_strings(g, "series_kind", {"series"}, kind,
                  "strategy, or pair A - B (the paired difference of outcomes, same runs)");
  std::vector<std::string> outcomes;
  for (const auto& o : cfg.outcomes) outcomes.push_back(o.name);
  h5::dim_strings(g, "outcome", outcomes);
  h5::dim_strings(g, "input", t.factor_names);
  std::vector<std::string> members;
  for (const auto& f : sensitivity_factors(cfg)) {
    std::string m;
    for (int i : f.inputs)
      m += (m.empty() ? "" : " ") + cfg.inputs[static_cast<std::size_t>(i)].name;
    members.push_back(f.intrinsic ? "the model's own randomness (noise of B)" : m);
  }
  h5::var_strings(g, "input_members", {"input"}, members,
                  "the uncertain inputs an index covers (a group: several)");
  const std::vector<std::string> dims{"series", "outcome", "input"};
  h5::var_doubles(g, "first_order", dims, t.first, "first-order Sobol' index", "1");
  h5::var_doubles(g, "first_order_low", dims, t.first_low, "lower end of its 95% interval", "1");
  h5::var_doubles(g, "first_order_high", dims, t.first_high, "upper end of its 95% interval", "1");
  h5::var_doubles(g, "total_order", dims, t.total, "total-order Sobol' index", "1");
  h5::var_doubles(g, "total_order_low", dims, t.total_low, "lower end of its 95% interval", "1");
  h5::var_doubles(g, "total_order_high", dims, t.total_high, "upper end of its 95% interval", "1");
  h5::var_doubles(g, "variance", {"series", "outcome"}, t.variance,
                  "variance of the outcome (of the difference, for a pair) over the A rows, "
                  "the denominator of the indices",
                  "");
}

}  // namespace wedge::io
