#include "wedge/io/config_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "io/history_reader.hpp"
#include "io/prior_reader.hpp"
#include "io/toml_reader.hpp"
#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/model.hpp"
#include "wedge/core/sampling.hpp"

namespace wedge {
namespace {

using detail::Section;

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
  if (s.has("model")) {
    std::vector<std::string_view> names;
    for (const ModelType* m : model_types()) names.push_back(m->name);
    c.model = s.string("model");
    if (!find_model_type(c.model)) {
      std::string list;
      for (auto n : names) list += (list.empty() ? "\"" : ", \"") + std::string(n) + "\"";
      s.fail("model", "\"" + c.model + "\" is not a model wedge knows (" + list + ")");
    }
  }
  c.seed = static_cast<std::uint64_t>(s.integer("seed", 0, INT64_MAX));
  c.runs = static_cast<std::uint64_t>(s.integer("runs", 1, INT64_MAX / 2));
  const std::string design = s.choice("design", {"monte_carlo", "latin_hypercube", "saltelli"});
  c.design = design == "monte_carlo"       ? Design::kMonteCarlo
             : design == "latin_hypercube" ? Design::kLatinHypercube
                                           : Design::kSaltelli;
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

// The priors of the parameters the model declared.
void read_parameters(Section s, Config& c) {
  for (int i = 0; i < c.num_params; ++i) {
    Input& in = c.inputs[static_cast<std::size_t>(i)];
    Section prior = s.table(in.name);
    const int prior_line = prior.line();
    in.prior = detail::read_prior(std::move(prior));
    detail::check_prior_domain(in.prior, in.domain, s.file(), prior_line, s.full_key(in.name),
                               "parameter's domain");
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
      const int idx = c.input_index(name);
      if (idx < 0) s.fail("between", "unknown parameter '" + name + "'");
      if (c.inputs[static_cast<std::size_t>(idx)].prior.family == Family::kFixed)
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
    for (const Term& lever : c.levers) st.levers.push_back(s.number(lever.key, Bounds::unit()));
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
        cond.outcome = c.outcome_index(oname);
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

// [[sensitivity.group]]: a name and the inputs that share one index. Every input at most once
// over all groups; a group of no input, or of an unknown or fixed input, is an error.
void read_sensitivity(Section s, Config& c) {
  if (!s.has("group")) return s.finish();
  int i = 0;
  for (const toml::node& node : s.array("group")) {
    const std::string key = "group[" + std::to_string(i++) + "]";
    auto t = node.as_table();
    if (!t) s.fail_at(node, key, "expected a table");
    Section g(*t, s.full_key(key), s.file());
    SensitivityGroup grp;
    grp.name = g.string("name");
    if (!is_identifier(grp.name) || grp.name == "intrinsic" || c.input_index(grp.name) >= 0)
      g.fail("name",
             "must be 1-64 letters, digits or underscores, and not 'intrinsic' or an input's name");
    for (const auto& other : c.sensitivity_groups)
      if (other.name == grp.name) g.fail("name", "group \"" + grp.name + "\" is defined twice");
    const toml::array& names = g.array("inputs");
    if (names.empty()) g.fail("inputs", "a group needs at least one input");
    for (const toml::node& n : names) {
      const auto* v = n.as_string();
      if (!v) g.fail_at(n, "inputs", "expected input names (strings)");
      const std::string name = v->get();
      const int idx = c.input_index(name);
      if (idx < 0) g.fail_at(n, "inputs", "\"" + name + "\" names no uncertain input");
      if (c.inputs[static_cast<std::size_t>(idx)].prior.family == Family::kFixed)
        g.fail_at(n, "inputs", "\"" + name + "\" is fixed: it has no variance to attribute");
      for (const auto& other : c.sensitivity_groups)
        for (int in : other.inputs)
          if (in == idx)
            g.fail_at(n, "inputs", "\"" + name + "\" is already in group \"" + other.name + "\"");
      for (int in : grp.inputs)
        if (in == idx) g.fail_at(n, "inputs", "\"" + name + "\" is named twice");
      grp.inputs.push_back(idx);
    }
    g.finish();
    c.sensitivity_groups.push_back(std::move(grp));
  }
  s.finish();
}

}  // namespace

Config parse_config(const std::string& text, const std::string& origin) {
  const toml::table root = detail::parse_toml(text, origin);
  Config c;
  c.path = origin;
  c.text = text;
  Section top(root, "", c.path);
  read_study(top.table("study"), c);
  read_output(top.table("output"), c);
  const ModelType& model = *find_model_type(c.model);
  if (model.uses_time)
    read_time(top.table("time"), c);
  else
    c.quarters = 1, c.dt = 1.0, c.start_year = 0, c.switch_quarter = 0;  // one step, no paths
  // The model's own sections: its vocabulary, coefficients and uncertain coefficients.
  model.read(top, c);
  // The Latin hypercube's stream counters hold the input index in 8 bits.
  if (c.num_inputs() > 255)
    throw InputError(c.path, top.line(), c.model,
                     "more than 255 uncertain inputs (parameters and uncertain coefficients)");
  read_parameters(top.table("parameters"), c);
  if (model.finish) model.finish(c);
  if (top.has("correlations")) read_correlations(top.array("correlations"), c.path, c);
  if (!c.levers.empty() || top.has("strategy"))
    read_strategies(top.array("strategy"), c.path, c, top.line());
  else
    c.strategies.push_back({"model", "the model as configured (it has no policy levers)", {}, -1});
  if (top.has("history")) detail::read_history(top.table("history"), c);
  if (top.has("analysis")) read_analysis(top.table("analysis"), c);
  if (top.has("sensitivity")) read_sensitivity(top.table("sensitivity"), c);
  // Sobol' indices are defined for independent inputs: a pick-freeze row that mixes A and B
  // would break the copula.
  if (c.design == Design::kSaltelli && !c.correlations.empty())
    throw InputError(c.path, detail::line_of(top.array("correlations")), "correlations",
                     "design \"saltelli\" needs independent inputs (Sobol' indices are not "
                     "defined under correlations); remove [[correlations]] or use another design");
  top.finish();
  return c;
}

Config load_config(const std::string& path) {
  return parse_config(detail::read_small_file(path, "configuration file"), path);
}

}  // namespace wedge
