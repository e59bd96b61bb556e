#include "wedge/io/config_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/toml_reader.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/models/outcomes.hpp"

namespace wedge {
namespace {

using detail::Bounds;
using detail::Section;

constexpr std::uint64_t kBlock = 64;  // must match the kernel's block of runs

Prior read_prior(Section s) {
  Prior p;
  const std::string fam = s.choice("dist", {"uniform", "normal", "truncated_normal", "lognormal",
                                            "beta", "triangular", "pert", "fixed"});
  auto order = [&](std::string_view lo_key, double lo, std::string_view hi_key, double hi) {
    if (!(lo < hi)) s.fail(hi_key, "must be greater than '" + std::string(lo_key) + "'");
  };
  if (fam == "uniform") {
    p.family = Family::kUniform;
    p.p[0] = s.number("lower", Bounds::any());
    p.p[1] = s.number("upper", Bounds::any());
    order("lower", p.p[0], "upper", p.p[1]);
  } else if (fam == "normal") {
    p.family = Family::kNormal;
    p.p[0] = s.number("mean", Bounds::any());
    p.p[1] = s.number("sd", Bounds::positive());
  } else if (fam == "truncated_normal") {
    p.family = Family::kTruncatedNormal;
    p.p[0] = s.number("mean", Bounds::any());
    p.p[1] = s.number("sd", Bounds::positive());
    p.p[2] = s.number("lower", Bounds::any());
    p.p[3] = s.number("upper", Bounds::any());
    order("lower", p.p[2], "upper", p.p[3]);
    // The truncation must keep some probability mass, or sampling is meaningless.
    const double zl = (p.p[2] - p.p[0]) / p.p[1], zu = (p.p[3] - p.p[0]) / p.p[1];
    if (zl > 8.0 || zu < -8.0)
      s.fail("lower", "the interval [lower, upper] lies more than 8 sd away from the mean");
  } else if (fam == "lognormal") {
    p.family = Family::kLogNormal;
    p.p[0] = s.number("mu", Bounds::any());
    p.p[1] = s.number("sigma", Bounds::positive());
  } else if (fam == "beta") {
    p.family = Family::kBeta;
    // Shapes beyond these make Boost's inverse incomplete beta (the deciles, the Latin
    // hypercube) crawl, and mean a point mass or two: use `fixed` or a narrower family.
    p.p[0] = s.number("alpha", Bounds{1e-3, 1e7, false, false});
    p.p[1] = s.number("beta", Bounds{1e-3, 1e7, false, false});
  } else if (fam == "triangular" || fam == "pert") {
    p.family = fam == "pert" ? Family::kPert : Family::kTriangular;
    p.p[0] = s.number("lower", Bounds::any());
    p.p[1] = s.number("mode", Bounds::any());
    p.p[2] = s.number("upper", Bounds::any());
    order("lower", p.p[0], "upper", p.p[2]);
    if (p.p[1] < p.p[0] || p.p[1] > p.p[2]) s.fail("mode", "must lie in [lower, upper]");
    // PERT's shape parameter; 4 is the classical PERT (documented in docs/configuration.md).
    if (p.family == Family::kPert)
      p.p[3] = s.number_or("lambda", Bounds{0.0, 1e6, true, false}, 4.0);
  } else {
    p.family = Family::kFixed;
    p.p[0] = s.number("value", Bounds::any());
  }
  s.finish();
  return p;
}

// The domain each parameter must stay in for the model to make sense.
Bounds param_domain(int param) {
  switch (param) {
    case kLeverageGrowth: return Bounds::any();
    case kVolatility: return Bounds::non_negative();
    default: return Bounds::unit();
  }
}

void read_study(Section s, Config& c) {
  c.name = s.string("name");
  // The name makes the default output path results/<name>.h5: no directories, no hidden file.
  const bool safe =
      !c.name.empty() && c.name.size() <= 128 && c.name[0] != '.' &&
      std::all_of(c.name.begin(), c.name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
      });
  if (!safe)
    s.fail("name",
           "must be 1-128 letters, digits, '_', '-' or '.', not starting with '.' (it names "
           "results/<name>.h5)");
  c.seed = static_cast<std::uint64_t>(s.integer("seed", 0, INT64_MAX));
  c.runs = static_cast<std::uint64_t>(s.integer("runs", 1, INT64_MAX / 2));
  c.design = s.choice("design", {"monte_carlo", "latin_hypercube"}) == "monte_carlo"
                 ? Design::kMonteCarlo
                 : Design::kLatinHypercube;
  // Latin hypercube batches keep their stratum permutations in memory (44 bytes per run):
  // at most 2^24 runs. Monte Carlo batches only set the granularity of progress and stops.
  const auto batch =
      s.integer("batch_size", static_cast<std::int64_t>(kBlock),
                c.design == Design::kLatinHypercube ? (1 << 24) : (std::int64_t{1} << 34));
  if (batch % static_cast<std::int64_t>(kBlock) != 0)
    s.fail("batch_size",
           "must be a multiple of " + std::to_string(kBlock) + " (the kernel's block)");
  c.batch_size = static_cast<std::uint64_t>(batch);
  s.finish();
}

void read_output(Section s, Config& c) {
  c.records = s.choice("records", {"none", "all"}) == "all" ? Records::kAll : Records::kNone;
  c.histogram_bins = static_cast<int>(s.integer("histogram_bins", 10, 100000));
  c.path_bins = static_cast<int>(s.integer("path_bins", 10, 10000));
  c.path_sample = static_cast<int>(s.integer("path_sample", 1, 16));
  if ((c.path_sample & (c.path_sample - 1)) != 0) s.fail("path_sample", "must be 1, 2, 4, 8 or 16");
  s.finish();
}

void read_time(Section s, Config& c) {
  // At most 4000 quarters: outcomes (counts, quarter indices) stay below 4000, which keeps the
  // 64-bit block sums of the exact statistics from overflowing.
  c.quarters = static_cast<int>(s.integer("quarters", 1, 4000));
  c.dt = s.number("dt", Bounds{0.0, 10.0, true, false});
  c.start_year = static_cast<int>(s.integer("start_year", -100000, 100000));
  c.switch_quarter = static_cast<int>(s.integer("switch_quarter", 0, c.quarters));
  s.finish();
}

void read_parameters(Section s, Config& c) {
  for (int i = 0; i < kNumParams; ++i) {
    const auto key = kParamNames[i];
    Section prior = s.table(key);
    const int prior_line = prior.line();
    c.priors[i] = read_prior(std::move(prior));
    const Range sup = prior_support(c.priors[i]);
    const Bounds dom = param_domain(i);
    if (sup.lo < dom.lo || sup.hi > dom.hi) {
      std::ostringstream os;
      os << "the prior " << c.priors[i].describe() << " reaches outside the parameter's domain ["
         << dom.lo << ", ";
      if (dom.hi > 1e299)
        os << "inf";
      else
        os << dom.hi;
      os << "]; use a bounded family (beta, uniform, truncated_normal, ...)";
      throw InputError(s.file(), prior_line, s.full_key(key), os.str());
    }
    // Every value the sampler can draw must be a finite number (e.g. lognormal mu = 800 is not).
    bool finite = false;
    try {
      finite = std::isfinite(prior_quantile(c.priors[i], 1e-12)) &&
               std::isfinite(prior_quantile(c.priors[i], 1.0 - 1e-12));
    } catch (const std::exception&) {
    }
    if (!finite)
      throw InputError(s.file(), prior_line, s.full_key(key),
                       "the prior " + c.priors[i].describe() +
                           " reaches values too large to represent; narrow it");
  }
  s.finish();
}

void read_correlations(const toml::array& arr, const std::string& file, Config& c) {
  int i = 0;
  for (const toml::node& node : arr) {
    const std::string key = "correlations[" + std::to_string(i++) + "]";
    auto t = node.as_table();
    if (!t) throw InputError(file, detail::line_of(node), key, "expected a table");
    Section s(*t, key, file);
    const toml::array& between = s.array("between");
    if (between.size() != 2 || !between[0].is_string() || !between[1].is_string())
      s.fail("between", "expected two parameter names");
    Correlation corr;
    int* ends[2] = {&corr.a, &corr.b};
    for (int e = 0; e < 2; ++e) {
      const std::string name = between[static_cast<std::size_t>(e)].as_string()->get();
      int idx = -1;
      for (int p = 0; p < kNumParams; ++p)
        if (kParamNames[p] == name) idx = p;
      if (idx < 0) s.fail("between", "unknown parameter '" + name + "'");
      if (c.priors[idx].family == Family::kFixed)
        s.fail("between", "parameter '" + name + "' is fixed and cannot be correlated");
      *ends[e] = idx;
    }
    if (corr.a == corr.b) s.fail("between", "a parameter cannot be correlated with itself");
    corr.rank = s.number("rank", Bounds{-1.0, 1.0, true, true});
    for (const auto& other : c.correlations)
      if ((other.a == corr.a && other.b == corr.b) || (other.a == corr.b && other.b == corr.a))
        s.fail("between", "this pair is already correlated above");
    s.finish();
    c.correlations.push_back(corr);
  }
  if (!c.correlations.empty()) {
    std::string why;
    if (!correlation_is_positive_definite(c.correlations, why))
      throw InputError(file, detail::line_of(arr), "correlations",
                       "the rank correlation matrix is not positive definite (" + why + ")");
  }
}

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return false;
  return true;
}

void read_strategies(const toml::array& arr, const std::string& file, Config& c, int arr_line) {
  // An empty `strategy = []` has its own position; an array of tables always has entries.
  if (arr.empty())
    throw InputError(file, detail::line_of(arr) > 0 ? detail::line_of(arr) : arr_line, "strategy",
                     "at least one strategy is needed");
  std::vector<std::string> fallbacks;
  std::vector<int> lines;
  int i = 0;
  for (const toml::node& node : arr) {
    const std::string key = "strategy[" + std::to_string(i++) + "]";
    auto t = node.as_table();
    if (!t) throw InputError(file, detail::line_of(node), key, "expected a table");
    Section s(*t, key, file);
    Strategy st;
    st.name = s.string("name");
    if (!is_identifier(st.name))
      s.fail("name", "\"" + st.name + "\" must be 1-64 letters, digits or underscores");
    for (const auto& other : c.strategies)
      if (other.name == st.name) s.fail("name", "strategy \"" + st.name + "\" is defined twice");
    st.description = s.has("description") ? s.string("description") : std::string();
    for (int l = 0; l < kNumLevers; ++l) st.levers[l] = s.number(kLeverNames[l], Bounds::unit());
    fallbacks.push_back(s.has("fallback") ? s.string("fallback") : std::string());
    lines.push_back(s.line());
    s.finish();
    c.strategies.push_back(st);
  }
  for (std::size_t k = 0; k < c.strategies.size(); ++k) {
    if (fallbacks[k].empty()) continue;
    const int idx = c.strategy_index(fallbacks[k]);
    const std::string key = "strategy[" + std::to_string(k) + "].fallback";
    if (idx < 0)
      throw InputError(file, lines[k], key, "\"" + fallbacks[k] + "\" names no strategy");
    if (idx == static_cast<int>(k))
      throw InputError(file, lines[k], key, "a strategy cannot fall back to itself");
    c.strategies[k].fallback = idx;
  }
}

void read_states(Section s, Config& c) {
  for (int i = 0; i < kNumStates; ++i) {
    Section st = s.table(kStateNames[i]);
    StateSpec& spec = c.states[i];
    spec.initial = st.number("initial", Bounds{0.0, 1.0, true, true});
    spec.theta = st.number("theta", Bounds::non_negative());
    spec.sigma = st.number("sigma", Bounds::non_negative());
    spec.ceasefire_sigma_factor =
        st.number("ceasefire_sigma_factor", Bounds{0.0, 100.0, false, false});
    if (spec.theta * c.dt > 1.0)
      st.fail("theta", "theta * dt must not exceed 1, or the state overshoots its target");
    st.finish();
  }
  s.finish();
}

void read_derived(Section s, Derived& d) {
  d.compliance_memory = s.number("compliance_memory", Bounds::unit());
  d.offer_relief = s.number("offer_relief", Bounds::any());
  d.offer_cooperation = s.number("offer_cooperation", Bounds::any());
  d.deterrence_commitment = s.number("deterrence_commitment", Bounds::any());
  d.deterrence_presence = s.number("deterrence_presence", Bounds::any());
  d.deterrence_aid = s.number("deterrence_aid", Bounds::any());
  d.deterrence_cohesion_base = s.number("deterrence_cohesion_base", Bounds::any());
  d.deterrence_cohesion_slope = s.number("deterrence_cohesion_slope", Bounds::any());
  d.weakness_unconditional_relief = s.number("weakness_unconditional_relief", Bounds::any());
  d.threat_half_life = s.number("threat_half_life", Bounds::positive());
  d.threat_jump_hybrid = s.number("threat_jump_hybrid", Bounds::non_negative());
  d.threat_jump_military = s.number("threat_jump_military", Bounds::non_negative());
  s.finish();
}

template <std::size_t N>
void read_terms(Section s, std::array<double, N>& out, std::array<std::string_view, N> names) {
  for (std::size_t i = 0; i < N; ++i) out[i] = s.number(names[i], Bounds::any());
  s.finish();
}

void read_targets(Section s, Config& c) {
  read_terms<kNumATerms>(s.table("alignment"), c.target_alignment,
                         {"intercept", "partnership_resilience", "china_leverage",
                          "sanctions_pressure", "receptive_offer", "military_action"});
  read_terms<kNumRTerms>(s.table("rapprochement"), c.target_rapprochement,
                         {"intercept", "offer", "alignment", "military_action", "threat"});
  read_terms<kNumCTerms>(s.table("nato_cohesion"), c.target_cohesion,
                         {"intercept", "nato_commitment", "allied_consultation", "forward_presence",
                          "uncommitted_burden_pressure", "european_autonomy", "threat_deterred",
                          "threat_undeterred", "nato_inertia"});
  read_terms<kNumETerms>(s.table("european_autonomy"), c.target_autonomy,
                         {"intercept", "hedging_uncommitted", "hedging_sidelined",
                          "burden_sharing_pressure", "threat"});
  read_terms<kNumUTerms>(
      s.table("ukraine_strength"), c.target_ukraine,
      {"intercept", "ukraine_aid", "european_autonomy", "ukraine_resilience", "relief"});
  s.finish();
}

void read_hazards(Section s, Config& c) {
  read_terms<kNumHTerms>(s.table("hybrid_attack"), c.hazard_hybrid,
                         {"intercept", "opportunism", "weakness", "ukraine_weakness"});
  read_terms<kNumMTerms>(
      s.table("military_action"), c.hazard_military,
      {"intercept", "opportunism", "weakness", "deterrence", "ukraine_weakness"});
  read_terms<kNumFTerms>(s.table("ceasefire"), c.hazard_ceasefire,
                         {"intercept", "rapprochement", "stalemate", "conditional_relief"});
  s.finish();
}

void read_outcomes(Section s, Thresholds& t) {
  t.split_below = s.number("split_below", Bounds::unit());
  t.entrenched_above = s.number("entrenched_above", Bounds::unit());
  t.fracture_below = s.number("fracture_below", Bounds::unit());
  t.autonomous_above = s.number("autonomous_above", Bounds::unit());
  t.pivot_relief = s.number("pivot_relief", Bounds::unit());
  t.pivot_alignment = s.number("pivot_alignment", Bounds::unit());
  s.finish();
}

void read_payoff(Section s, Payoff& p) {
  p.alignment = s.number("alignment", Bounds::non_negative());
  p.cohesion = s.number("cohesion", Bounds::non_negative());
  p.ukraine = s.number("ukraine", Bounds::non_negative());
  p.military_action = s.number("military_action", Bounds::non_negative());
  p.hybrid_attack = s.number("hybrid_attack", Bounds::non_negative());
  p.hybrid_cap = static_cast<int>(s.integer("hybrid_cap", 0, 1000000));
  // The statistics' exact fixed-point sums need |payoff| and paired payoff differences below
  // 4000: each side of the payoff's range is limited to 2000.
  if (p.alignment + p.cohesion + p.ukraine > 2000.0 ||
      p.military_action + p.hybrid_attack * p.hybrid_cap > 2000.0)
    s.fail("hybrid_cap", "the payoff can exceed 2000 in magnitude; scale the weights down");
  s.finish();
}

void read_analysis(Section s, Config& c) {
  if (s.has("baseline")) {
    const std::string b = s.string("baseline");
    if (b != "all_pairs") {
      c.baseline = c.strategy_index(b);
      if (c.baseline < 0)
        s.fail("baseline", "\"" + b + "\" names no strategy (or use \"all_pairs\")");
    }
  }
  if (s.has("satisficing")) {
    int i = 0;
    for (const toml::node& node : s.array("satisficing")) {
      const std::string key = "satisficing[" + std::to_string(i++) + "]";
      auto t = node.as_table();
      if (!t) s.fail_at(node, key, "expected a table");
      Section sat(*t, s.full_key(key), s.file());
      Satisficing crit;
      crit.name = sat.string("name");
      if (!is_identifier(crit.name))
        sat.fail("name", "must be 1-64 letters, digits or underscores");
      crit.description = sat.has("description") ? sat.string("description") : std::string();
      int j = 0;
      for (const toml::node& cn : sat.array("conditions")) {
        const std::string ckey = "conditions[" + std::to_string(j++) + "]";
        auto ct = cn.as_table();
        if (!ct) sat.fail_at(cn, ckey, "expected a table");
        Section cs(*ct, sat.full_key(ckey), s.file());
        Condition cond;
        const std::string oname = cs.string("outcome");
        cond.outcome = outcome_index(oname);
        if (cond.outcome < 0) cs.fail("outcome", "\"" + oname + "\" names no outcome");
        const bool has_min = cs.has("min"), has_max = cs.has("max");
        if (!has_min && !has_max) cs.fail("max", "a condition needs 'min', 'max' or both");
        if (has_min) cond.min = cs.number("min", Bounds::any());
        if (has_max) cond.max = cs.number("max", Bounds::any());
        if (cond.min > cond.max) cs.fail("max", "must not be below 'min'");
        cs.finish();
        crit.conditions.push_back(cond);
      }
      if (crit.conditions.empty()) sat.fail("conditions", "needs at least one condition");
      sat.finish();
      c.satisficing.push_back(crit);
    }
  }
  s.finish();
}

}  // namespace

int Config::strategy_index(std::string_view n) const {
  for (std::size_t i = 0; i < strategies.size(); ++i)
    if (strategies[i].name == n) return static_cast<int>(i);
  return -1;
}

std::string_view design_name(Design d) {
  return d == Design::kMonteCarlo ? "monte_carlo" : "latin_hypercube";
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

Config parse_config(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw InputError(origin, static_cast<int>(e.source().begin.line), "",
                     std::string("TOML syntax error: ") + std::string(e.description()));
  }
  Config c;
  c.path = origin;
  c.text = text;
  Section top(root, "", c.path);
  read_study(top.table("study"), c);
  read_output(top.table("output"), c);
  read_time(top.table("time"), c);
  read_parameters(top.table("parameters"), c);
  if (top.has("correlations")) read_correlations(top.array("correlations"), c.path, c);
  read_strategies(top.array("strategy"), c.path, c, top.line());
  read_states(top.table("states"), c);
  read_derived(top.table("derived"), c.derived);
  read_targets(top.table("targets"), c);
  read_hazards(top.table("hazards"), c);
  read_outcomes(top.table("outcomes"), c.thresholds);
  read_payoff(top.table("payoff"), c.payoff);
  if (top.has("analysis")) read_analysis(top.table("analysis"), c);
  top.finish();
  return c;
}

Config load_config(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path, 0, "", "is a directory, not a configuration file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", "cannot open the configuration file");
  // Read with a bound: /dev/zero or a huge file must not exhaust memory.
  constexpr std::size_t kMaxConfigBytes = std::size_t{16} << 20;
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes)
    throw InputError(path, 0, "", "larger than 16 MiB: not a wedge configuration");
  return parse_config(text, path);
}

}  // namespace wedge
