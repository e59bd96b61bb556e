#include "io/path_groups.hpp"

#include "wedge/analyses/summary.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {

void write_path_groups(hid_t paths, const Config& cfg, const stats::Accumulators& acc) {
  const auto& L = acc.layout();
  if (L.G == 0) return;
  h5::Id g = h5::create_group(paths, "by_group");
  std::vector<std::string> names, states;
  for (int s : L.group_strategy) names.push_back(cfg.strategies[static_cast<std::size_t>(s)].name);
  for (const auto& t : cfg.states) states.emplace_back(t.key);
  h5::dim_strings(g, "strategy", names);
  h5::dim_strings(g, "group", {"kept", "switched"});
  h5::dim_strings(g, "state", states);
  std::vector<std::int64_t> q;
  std::vector<double> year;
  for (int t = 0; t < L.T; ++t) q.push_back(t), year.push_back(cfg.start_year + (t + 1) * cfg.dt);
  h5::dim_ints(g, "quarter", q, "quarter index t; values are at the end of quarter t", "quarter");
  h5::dim_doubles(g, "quantile", {stats::kQuantiles.begin(), stats::kQuantiles.end()},
                  "probability level of the quantile", "1");
  h5::var_doubles(g, "year", {"quarter"}, year, "time at the end of the quarter", "year");
  const PathGroup groups[] = {PathGroup::kKept, PathGroup::kSwitched};
  std::vector<std::uint64_t> runs;
  std::vector<double> mean, quant;
  for (int s : L.group_strategy)
    for (PathGroup grp : groups) {
      runs.push_back(path_runs(acc, s, grp));
      for (int k = 0; k < L.K; ++k)
        for (int t = 0; t < L.T; ++t) {
          mean.push_back(path_mean(acc, s, k, t, grp));
          for (double lvl : stats::kQuantiles)
            quant.push_back(path_quantile(acc, s, k, t, lvl, grp));
        }
    }
  h5::var_uints(g, "runs", {"strategy", "group"}, runs,
                "runs that kept the strategy / switched to its fallback", "count");
  h5::var_doubles(g, "mean", {"strategy", "group", "state", "quarter"}, mean,
                  "mean level of the state among the group's runs", "1");
  h5::var_doubles(g, "quantiles", {"strategy", "group", "state", "quarter", "quantile"}, quant,
                  "quantiles of the state among the group's runs (fixed-bin histograms, accurate "
                  "to one bin)",
                  "1");
  for (const char* v : {"mean", "quantiles"}) {
    h5::Id ds = h5::dataset(H5Dopen2(g, v, H5P_DEFAULT), std::string("open paths/by_group/") + v);
    h5::attr_string(ds, "coordinates", "year");
  }
}

}  // namespace wedge::io
