#include "wedge/core/config.hpp"

namespace wedge {
namespace {

template <typename T, typename Name>
int index_by_name(const std::vector<T>& items, std::string_view name, Name name_of) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (name_of(items[i]) == name) return static_cast<int>(i);
  return -1;
}

}  // namespace

int Config::strategy_index(std::string_view n) const {
  return index_by_name(strategies, n, [](const Strategy& s) { return std::string_view(s.name); });
}

int Config::outcome_index(std::string_view n) const {
  return index_by_name(outcomes, n, [](const OutcomeInfo& o) { return std::string_view(o.name); });
}

int Config::input_index(std::string_view n) const {
  return index_by_name(inputs, n, [](const Input& i) { return std::string_view(i.name); });
}

std::string parse_objective(const Config& cfg, const std::string& spec, Objective& out) {
  const auto colon = spec.find(':');
  const std::string dir = colon == std::string::npos ? std::string() : spec.substr(0, colon);
  if (dir != "max" && dir != "min")
    return "expected \"max:OUTCOME\" or \"min:OUTCOME\", got \"" + spec + "\"";
  const std::string outcome = spec.substr(colon + 1);
  out.spec = spec;
  out.maximize = dir == "max";
  out.outcome = cfg.outcome_index(outcome);
  if (out.outcome < 0) return "\"" + outcome + "\" names no outcome";
  return {};
}

std::string_view design_name(Design d) {
  switch (d) {
    case Design::kMonteCarlo: return "monte_carlo";
    case Design::kLatinHypercube: return "latin_hypercube";
    case Design::kSobol: return "sobol";
    case Design::kSaltelli: return "saltelli";
  }
  return "monte_carlo";
}

bool fallbacks_may_switch(const Config& cfg) {
  return cfg.switch_quarter < cfg.quarters &&
         cfg.switch_quarter >= (cfg.history ? cfg.decision_quarter : 0);
}

std::string_view records_name(Records r) {
  return r == Records::kAll ? "all" : r == Records::kCompact ? "compact" : "none";
}

std::vector<int> recorded_outcomes(const Config& cfg) {
  if (cfg.records == Records::kCompact)
    return cfg.record_outcomes.empty() ? std::vector<int>{cfg.payoff} : cfg.record_outcomes;
  std::vector<int> all(static_cast<std::size_t>(cfg.num_outcomes()));
  for (int o = 0; o < cfg.num_outcomes(); ++o) all[static_cast<std::size_t>(o)] = o;
  return all;
}

int outcome_bins(const Config& cfg, int outcome) {
  const OutcomeInfo& o = cfg.outcomes[static_cast<std::size_t>(outcome)];
  switch (o.kind) {
    case OutcomeKind::kBinary: return 2;
    case OutcomeKind::kInteger: return static_cast<int>(o.range.hi - o.range.lo) + 1;
    case OutcomeKind::kContinuous: return cfg.histogram_bins;
  }
  return cfg.histogram_bins;
}

}  // namespace wedge
