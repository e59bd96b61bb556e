#include "wedge/analyses/summary.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "wedge/core/sampling.hpp"

namespace wedge {

using stats::Seg;

Summary summarize(const Config& cfg, const stats::Accumulators& acc) {
  const stats::Layout& L = acc.layout();
  Summary r;
  r.runs = acc.runs();
  // With evidence, counts and sums are weighted: shares are over the weights' total and
  // intervals over the effective sample size.
  const stats::Mass M = acc.mass();
  r.ess = M.ess;
  r.S = L.S, r.O = L.O, r.Q = static_cast<int>(stats::kQuantiles.size());
  for (const auto& st : cfg.strategies)
    r.strategies.push_back(st.name), r.generated.push_back(st.generated ? 1 : 0);
  for (const auto& o : cfg.outcomes) r.outcomes.push_back(o.name);
  const auto SO = static_cast<std::size_t>(L.S * L.O);
  for (auto* v : {&r.mean, &r.sd, &r.mcse, &r.min, &r.max, &r.wilson_low, &r.wilson_high})
    v->assign(SO, std::nan(""));
  r.quantiles.assign(SO * static_cast<std::size_t>(r.Q), std::nan(""));
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o) {
      const std::size_t i = L.outcome_index(s, o);
      const auto m = stats::moments(M, acc.sum(Seg::kOutcomeSum, i), acc.sum(Seg::kOutcomeSumsq, i),
                                    stats::kScale);
      r.mean[i] = m.mean, r.sd[i] = m.sd, r.mcse[i] = m.se;
      r.min[i] = acc.minimum(Seg::kOutcomeMin, i), r.max[i] = acc.maximum(Seg::kOutcomeMax, i);
      const auto& info = cfg.outcomes[static_cast<std::size_t>(o)];
      const std::uint64_t* h = acc.counts(Seg::kOutcomeHist, L.hist_index(s, o));
      const Range rg = info.range;
      for (int q = 0; q < r.Q; ++q)
        r.quantiles[i * static_cast<std::size_t>(r.Q) + static_cast<std::size_t>(q)] =
            stats::histogram_quantile(
                h, outcome_bins(cfg, o), rg.lo, rg.hi, info.kind != OutcomeKind::kContinuous,
                stats::kQuantiles[static_cast<std::size_t>(q)], r.min[i], r.max[i]);
      if (info.kind == OutcomeKind::kBinary) {
        const auto iv = stats::wilson(h[1], M);
        r.wilson_low[i] = iv.lo, r.wilson_high[i] = iv.hi;
      }
    }
  for (const auto& [a, b] : L.pair_list) {
    r.pairs.push_back(cfg.strategies[static_cast<std::size_t>(a)].name + " - " +
                      cfg.strategies[static_cast<std::size_t>(b)].name);
    r.pair_first.push_back(cfg.strategies[static_cast<std::size_t>(a)].name);
    r.pair_a.push_back(a);
    r.pair_second.push_back(cfg.strategies[static_cast<std::size_t>(b)].name);
  }
  r.diff_mean.assign(static_cast<std::size_t>(L.pairs * L.O), std::nan(""));
  r.diff_se = r.diff_mean;
  for (int p = 0; p < L.pairs; ++p)
    for (int o = 0; o < L.O; ++o) {
      const std::size_t i = L.pair_index(p, o);
      const auto m =
          stats::moments(M, acc.sum(Seg::kPairSum, i), acc.sum(Seg::kPairSumsq, i), stats::kScale);
      r.diff_mean[i] = m.mean, r.diff_se[i] = m.se;
    }
  const Range pr = cfg.outcomes[static_cast<std::size_t>(cfg.payoff)].range;
  for (int s = 0; s < L.S; ++s) {
    const auto i = static_cast<std::size_t>(s);
    const double n = static_cast<double>(M.n);
    r.best_share.push_back(M.n ? static_cast<double>(acc.count(Seg::kBestCount, i)) / n
                               : std::nan(""));
    const auto m = stats::moments(M, acc.sum(Seg::kRegretSum, i), acc.sum(Seg::kRegretSumsq, i),
                                  stats::kScale);
    r.regret_mean.push_back(m.mean);
    r.regret_p90.push_back(stats::regret_quantile(
        acc.counts(Seg::kRegretHist, L.regret_bin_index(s, 0)), L.regret_bins, pr.hi - pr.lo,
        acc.count(Seg::kRegretZero, i), acc.maximum(Seg::kRegretMax, i), 0.9));
    for (int c = 0; c < L.criteria; ++c)
      r.satisficing.push_back(
          M.n ? static_cast<double>(acc.count(Seg::kSatisfied, L.criterion_index(s, c))) / n
              : std::nan(""));
  }
  for (const auto& c : cfg.satisficing)
    r.criteria.push_back(c.name), r.criteria_description.push_back(c.description);
  return r;
}

namespace {

std::string fmt(double v, int prec = 3) {
  if (std::isnan(v)) return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << v;
  return os.str();
}

//! "mean +- s.e." of the paired difference of outcome o for pair p.
std::string paired_cell(const Summary& s, std::size_t p, int o) {
  const auto i = p * static_cast<std::size_t>(s.O) + static_cast<std::size_t>(o);
  return fmt(s.diff_mean[i], 4) + " +- " + fmt(s.diff_se[i], 4);
}

int idx(const Summary& s, const std::string& name) {
  for (int o = 0; o < s.O; ++o)
    if (s.outcomes[static_cast<std::size_t>(o)] == name) return o;
  return -1;
}

}  // namespace

const std::vector<KeyOutcome>& key_probabilities() {
  static const std::vector<KeyOutcome> v = {{"split", "P(Sino-Russian split)"},
                                            {"entrenched", "P(entrenched alliance)"},
                                            {"russia_pivot", "P(Russia pockets relief)"},
                                            {"nato_fracture", "P(NATO fracture)"},
                                            {"europe_autonomous", "P(Europe autonomous)"},
                                            {"military_action", "P(military action vs NATO)"},
                                            {"ceasefire", "P(ceasefire in Ukraine)"},
                                            {"policy_switched", "P(policy switched in 2029)"}};
  return v;
}

const std::vector<KeyOutcome>& key_means() {
  static const std::vector<KeyOutcome> v = {
      {"alignment_final", "alignment 2034 (mean)"},
      {"nato_cohesion_final", "NATO cohesion 2034 (mean)"},
      {"ukraine_strength_final", "Ukraine strength 2034 (mean)"},
      {"hybrid_attacks", "hybrid attacks (mean)"},
      {"relief_received", "relief received (mean)"},
      {"us_payoff", "US payoff (mean)"}};
  return v;
}

std::vector<std::string> key_outcomes(const std::vector<std::string>& outcomes) {
  std::vector<std::string> keys;
  for (const char* k : {"split", "nato_fracture", "military_action", "us_payoff"})
    if (std::find(outcomes.begin(), outcomes.end(), k) != outcomes.end()) keys.push_back(k);
  if (keys.empty())  // a model without the strategic triangle's outcomes: its first ones
    keys.assign(outcomes.begin(),
                outcomes.begin() + std::min<std::ptrdiff_t>(std::ssize(outcomes), 4));
  return keys;
}

void print_summary(std::ostream& os, const Summary& s) {
  const auto& probs = key_probabilities();
  const auto& key = key_means();
  // A model without the strategic triangle's outcomes: every outcome's mean.
  bool known = false;
  for (const auto* list : {&probs, &key})
    for (const auto& k : *list) known = known || idx(s, k.name) >= 0;
  std::vector<KeyOutcome> all;
  if (!known)
    for (const auto& o : s.outcomes) all.push_back({o, o + " (mean)"});
  const auto& means = known ? key : all;
  int w0 = 30;
  std::vector<int> w;
  for (const auto& n : s.strategies) w.push_back(std::max<int>(static_cast<int>(n.size()), 20) + 2);
  const bool few = s.S <= kSummaryColumns;
  const auto shown = [&](int k) { return few || !s.generated[static_cast<std::size_t>(k)]; };
  for (int k = 0; k < s.S; ++k)
    if (!shown(k)) w[static_cast<std::size_t>(k)] = 0;
  auto header = [&](const std::string& title) {
    os << std::left << std::setw(w0) << title;
    for (int k = 0; k < s.S; ++k)
      if (shown(k))
        os << std::right << std::setw(w[static_cast<std::size_t>(k)])
           << s.strategies[static_cast<std::size_t>(k)];
    os << "\n";
  };
  os << "\nwedge summary: " << s.runs << " runs x " << s.S
     << " strategies (95% Wilson intervals; mean +- MC s.e.)\n";
  if (!few)
    os << "(the named strategies; the " << std::count(s.generated.begin(), s.generated.end(), 1)
       << " swept ones: wedge info --strategies)\n";
  header("");
  for (const auto& [name, label] : probs) {
    const int o = idx(s, name);
    if (o < 0) continue;
    os << std::left << std::setw(w0) << label;
    for (int k = 0; k < s.S; ++k) {
      if (!shown(k)) continue;
      const std::string cell = fmt(s.at(s.mean, k, o)) + " [" + fmt(s.at(s.wilson_low, k, o)) +
                               "," + fmt(s.at(s.wilson_high, k, o)) + "]";
      os << std::right << std::setw(w[static_cast<std::size_t>(k)]) << cell;
    }
    os << "\n";
  }
  for (const auto& [name, label] : means) {
    const int o = idx(s, name);
    if (o < 0) continue;
    os << std::left << std::setw(w0) << label;
    for (int k = 0; k < s.S; ++k)
      if (shown(k))
        os << std::right << std::setw(w[static_cast<std::size_t>(k)])
           << (fmt(s.at(s.mean, k, o)) + " +- " + fmt(s.at(s.mcse, k, o), 4));
    os << "\n";
  }
  os << std::left << std::setw(w0) << "share of runs best (payoff)";
  for (int k = 0; k < s.S; ++k)
    if (shown(k))
      os << std::right << std::setw(w[static_cast<std::size_t>(k)])
         << fmt(s.best_share[static_cast<std::size_t>(k)]);
  os << "\n" << std::left << std::setw(w0) << "regret mean / p90";
  for (int k = 0; k < s.S; ++k)
    if (shown(k))
      os << std::right << std::setw(w[static_cast<std::size_t>(k)])
         << (fmt(s.regret_mean[static_cast<std::size_t>(k)]) + " / " +
             fmt(s.regret_p90[static_cast<std::size_t>(k)]));
  os << "\n";
  for (std::size_t c = 0; c < s.criteria.size(); ++c) {
    os << std::left << std::setw(w0) << ("satisficing '" + s.criteria[c] + "'");
    for (int k = 0; k < s.S; ++k)
      if (shown(k))
        os << std::right << std::setw(w[static_cast<std::size_t>(k)])
           << fmt(s.satisficing[static_cast<std::size_t>(k) * s.criteria.size() + c]);
    os << "\n";
  }
  if (!s.pairs.empty()) {
    os << "\npaired differences (common random numbers): mean +- s.e.\n";
    const std::vector<std::string> keys = key_outcomes(s.outcomes);
    os << std::left << std::setw(56) << "pair";
    for (const auto& k : keys) os << std::right << std::setw(20) << k;
    os << "\n";
    for (std::size_t p = 0; p < s.pairs.size(); ++p) {
      if (!few && s.generated[static_cast<std::size_t>(s.pair_a[p])]) continue;
      os << std::left << std::setw(56) << s.pairs[p];
      for (const auto& k : keys) {
        const int o = idx(s, k);
        os << std::right << std::setw(20) << paired_cell(s, p, o);
      }
      os << "\n";
    }
  }
  os.flush();
}

void print_outcomes(std::ostream& os, const Summary& s) {
  os << "\nevery outcome: mean +- MC s.e., sd, and its distribution (min, quantiles, max)\n";
  const std::vector<std::string> cols = {"mean", "s.e.", "sd",  "min", "5%",
                                         "25%",  "50%",  "75%", "95%", "max"};
  for (int k = 0; k < s.S; ++k) {
    os << s.strategies[static_cast<std::size_t>(k)] << "\n"
       << std::left << std::setw(30) << "  outcome";
    for (const auto& c : cols) os << std::right << std::setw(9) << c;
    os << "\n";
    for (int o = 0; o < s.O; ++o) {
      os << std::left << std::setw(30) << ("  " + s.outcomes[static_cast<std::size_t>(o)])
         << std::right << std::setw(9) << fmt(s.at(s.mean, k, o)) << std::setw(9)
         << fmt(s.at(s.mcse, k, o), 4) << std::setw(9) << fmt(s.at(s.sd, k, o)) << std::setw(9)
         << fmt(s.at(s.min, k, o));
      for (int q = 0; q < s.Q; ++q)
        os << std::setw(9) << fmt(s.quantiles[static_cast<std::size_t>((k * s.O + o) * s.Q + q)]);
      os << std::setw(9) << fmt(s.at(s.max, k, o)) << "\n";
    }
  }
  if (!s.pairs.empty()) {
    os << "\npaired differences of every outcome (A - B, common random numbers): mean +- s.e.\n"
       << std::left << std::setw(30) << "  outcome";
    for (const auto& p : s.pairs)
      os << std::right << std::setw(std::max<int>(24, static_cast<int>(p.size()) + 2)) << p;
    os << "\n";
    for (int o = 0; o < s.O; ++o) {
      os << std::left << std::setw(30) << ("  " + s.outcomes[static_cast<std::size_t>(o)]);
      for (std::size_t p = 0; p < s.pairs.size(); ++p) {
        os << std::right << std::setw(std::max<int>(24, static_cast<int>(s.pairs[p].size()) + 2))
           << paired_cell(s, p, o);
      }
      os << "\n";
    }
  }
  for (std::size_t c = 0; c < s.criteria.size(); ++c)
    os << (c == 0 ? "\nsatisficing criteria\n" : "") << "  " << s.criteria[c] << ": "
       << s.criteria_description[c] << "\n";
}

std::uint64_t path_runs(const stats::Accumulators& acc, int s, PathGroup group) {
  const auto& L = acc.layout();
  const int g = L.group_row[static_cast<std::size_t>(s)];
  const std::uint64_t sw = g >= 0 ? acc.count(Seg::kSwitchedRuns, static_cast<std::size_t>(g)) : 0;
  const std::uint64_t all = acc.mass().n;  // with evidence, a total of weights
  return group == PathGroup::kAll ? all : group == PathGroup::kSwitched ? sw : all - sw;
}

double path_mean(const stats::Accumulators& acc, int s, int k, int t, PathGroup group) {
  const auto& L = acc.layout();
  const int f = L.fan_row[static_cast<std::size_t>(s)],
            g = L.group_row[static_cast<std::size_t>(s)];
  if (f < 0 || (group != PathGroup::kAll && g < 0)) return std::nan("");
  const stats::i128 all = acc.sum(Seg::kPathSum, L.path_index(f, k, t));
  const stats::i128 sw =
      g >= 0 ? acc.sum(Seg::kSwitchedPathSum, L.switched_path_index(g, k, t)) : 0;
  const stats::i128 sum = group == PathGroup::kAll        ? all
                          : group == PathGroup::kSwitched ? sw
                                                          : all - sw;
  const std::uint64_t n = path_runs(acc, s, group);
  return n ? static_cast<double>(sum) / stats::kScale / static_cast<double>(n) : std::nan("");
}

double path_quantile(const stats::Accumulators& acc, int s, int k, int t, double q,
                     PathGroup group) {
  const auto& L = acc.layout();
  const int f = L.fan_row[static_cast<std::size_t>(s)],
            g = L.group_row[static_cast<std::size_t>(s)];
  if (f < 0 || (group != PathGroup::kAll && g < 0)) return std::nan("");
  const std::uint64_t* all = acc.counts(Seg::kPathHist, L.path_bin_index(f, k, t, 0));
  if (group == PathGroup::kAll)
    return stats::histogram_quantile(all, L.path_bins, 0.0, 1.0, false, q, 0.0, 1.0);
  // The switched runs' own counts; the kept runs' are the mixture's minus those.
  const std::uint64_t* sw =
      acc.counts(Seg::kSwitchedPathHist, L.switched_path_bin_index(g, k, t, 0));
  std::vector<std::uint64_t> h(sw, sw + L.path_bins);
  if (group == PathGroup::kKept)
    for (int b = 0; b < L.path_bins; ++b) h[static_cast<std::size_t>(b)] = all[b] - sw[b];
  return stats::histogram_quantile(h.data(), L.path_bins, 0.0, 1.0, false, q, 0.0, 1.0);
}

double event_probability(const Config& cfg, const stats::Accumulators& acc, int s, int e, int t) {
  // From the exact histograms of the first-event quarters: bin 0 is "never", bin q + 1 quarter q.
  const int outcome = cfg.events[static_cast<std::size_t>(e)].quarter_outcome;
  const auto& L = acc.layout();
  const std::uint64_t* h = acc.counts(Seg::kOutcomeHist, L.hist_index(s, outcome));
  std::uint64_t c = 0;
  for (int q = 0; q <= t; ++q) c += h[q + 1];
  const std::uint64_t n = acc.mass().n;
  return n ? static_cast<double>(c) / static_cast<double>(n) : std::nan("");
}

double decile_mean(const stats::Accumulators& acc, int s, int p, int d, int o) {
  const auto& L = acc.layout();
  const auto c = static_cast<double>(acc.count(Seg::kDecileCount, L.decile_count_index(p, d)));
  return c > 0 ? static_cast<double>(acc.sum(Seg::kDecileSum, L.decile_index(s, p, d, o))) /
                     stats::kDecileScale / c
               : std::nan("");
}

void print_paths(std::ostream& os, const Config& cfg, const stats::Accumulators& acc) {
  const int S = cfg.num_strategies();
  const int per_year = std::max(1, static_cast<int>(std::lround(1.0 / cfg.dt)));
  // One column per fan-chart strategy, and for one that may switch, its kept and switched runs.
  struct Column {
    int s;
    PathGroup group;
    std::string title;
  };
  std::vector<Column> cols;
  const auto& L = acc.layout();
  for (int s : L.fan_strategy) {
    const std::string& name = cfg.strategies[static_cast<std::size_t>(s)].name;
    cols.push_back({s, PathGroup::kAll, name});
    if (L.group_row[static_cast<std::size_t>(s)] < 0) continue;
    const double n = static_cast<double>(std::max<std::uint64_t>(1, acc.mass().n));
    const auto share = [&](PathGroup g) {
      return fmt(100.0 * static_cast<double>(path_runs(acc, s, g)) / n, 0) + "%";
    };
    cols.push_back({s, PathGroup::kKept, "kept (" + share(PathGroup::kKept) + ")"});
    cols.push_back({s, PathGroup::kSwitched, "switched (" + share(PathGroup::kSwitched) + ")"});
  }
  if (!cols.empty() && cfg.num_states() > 0)
    os << "\nstates over time: median [5%, 95%] at the end of each year"
       << (L.F < S ? " (strategies with fan charts)" : "") << "\n";
  for (int k = 0; k < cfg.num_states() && !cols.empty(); ++k) {
    os << std::string(cfg.states[static_cast<std::size_t>(k)].key) << "\n"
       << std::left << std::setw(8) << "  year";
    for (const Column& c : cols) os << std::right << std::setw(30) << c.title;
    os << "\n";
    for (int t = per_year - 1; t < cfg.quarters; t += per_year) {
      os << std::left << std::setw(8)
         << ("  " + fmt(cfg.start_year + (t + 1) * cfg.dt - 1.0, 0));  // end of that year
      for (const Column& c : cols)
        os << std::right << std::setw(30)
           << (fmt(path_quantile(acc, c.s, k, t, 0.5, c.group)) + " [" +
               fmt(path_quantile(acc, c.s, k, t, 0.05, c.group)) + ", " +
               fmt(path_quantile(acc, c.s, k, t, 0.95, c.group)) + "]");
      os << "\n";
    }
  }
  // One column group per strategy (its name over it), one column per event.
  constexpr int kCol = 17;
  const int events = static_cast<int>(cfg.events.size());
  if (events == 0) return;
  os << "\nprobability that the event has happened by the end of each year\n"
     << std::left << std::setw(8) << "";
  for (int s = 0; s < S; ++s) {
    std::string name = cfg.strategies[static_cast<std::size_t>(s)].name;
    const auto width = static_cast<std::size_t>(kCol * events - 2);
    if (name.size() > width) name.resize(width);
    os << std::right << std::setw(kCol * events) << name;
  }
  os << "\n" << std::left << std::setw(8) << "  year";
  for (int s = 0; s < S; ++s)
    for (int e = 0; e < events; ++e)
      os << std::right << std::setw(kCol) << cfg.events[static_cast<std::size_t>(e)].term.key;
  os << "\n";
  for (int t = per_year - 1; t < cfg.quarters; t += per_year) {
    os << std::left << std::setw(8)
       << ("  " + fmt(cfg.start_year + (t + 1) * cfg.dt - 1.0, 0));  // end of that year
    for (int s = 0; s < S; ++s)
      for (int e = 0; e < events; ++e)
        os << std::right << std::setw(kCol) << fmt(event_probability(cfg, acc, s, e, t));
    os << "\n";
  }
}

void print_drivers(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
                   const std::vector<int>& outcomes) {
  const int S = cfg.num_strategies();
  std::size_t name_width = 24;  // uncertain coefficients have long dotted names
  for (const Input& in : cfg.inputs) name_width = std::max(name_width, in.name.size());
  const int width = static_cast<int>(name_width) + 2;
  for (int o : outcomes) {
    const auto& info = cfg.outcomes[static_cast<std::size_t>(o)];
    os << "\n"
       << (info.kind == OutcomeKind::kBinary ? "P(" + std::string(info.name) + ")"
                                             : "mean " + std::string(info.name))
       << " by decile of each parameter: lowest tenth -> highest tenth\n";
    for (int s = 0; s < S; ++s) {
      os << "  " << cfg.strategies[static_cast<std::size_t>(s)].name << "\n";
      for (int p = 0; p < cfg.num_inputs(); ++p) {
        const Input& in = cfg.inputs[static_cast<std::size_t>(p)];
        if (in.prior.family == Family::kFixed) continue;
        os << "    " << std::left << std::setw(width) << in.name;
        for (int d = 0; d < kDeciles; ++d)
          os << std::right << std::setw(8) << fmt(decile_mean(acc, s, p, d, o));
        os << "\n";
      }
    }
  }
}

}  // namespace wedge
