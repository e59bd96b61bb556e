// The strategic triangle's configuration: its vocabulary declared to the engine, its
// coefficients read table by table (any of them may be given a prior), and its outcome ranges.
#include <deque>
#include <map>
#include <string>

#include "io/prior_reader.hpp"
#include "io/toml_reader.hpp"
#include "wedge/core/error.hpp"
#include "wedge/models/strategic_triangle.hpp"

namespace wedge::triangle {
namespace {

using detail::Section;

// The largest value a coefficient takes: its value, or the top of its prior's support.
double coef_max(const Config& c, const Settings& s, int k) {
  const int row = s.input_row[static_cast<std::size_t>(k)];
  return row < 0 ? s.coef[static_cast<std::size_t>(k)]
                 : prior_support(c.inputs[static_cast<std::size_t>(row)].prior).hi;
}

void declare_vocabulary(Config& c) {
  for (const Term& t : kParams) {
    Input in;
    in.name = t.key, in.long_name = t.long_name, in.unit = t.unit;
    in.domain = param_domain(t.id);
    c.inputs.push_back(std::move(in));
  }
  c.num_params = kNumParams;
  c.payoff = kUsPayoff;
  c.events = {{kEvents[kHybrid], kFirstHybridQuarter},
              {kEvents[kMilitary], kMilitaryQuarter},
              {kEvents[kCeasefire], kCeasefireQuarter}};
  c.levers.assign(kLevers.begin(), kLevers.end());
  c.states.assign(kStates.begin(), kStates.end());
  for (const OutcomeTerm& o : kOutcomes)
    c.outcomes.push_back({std::string(o.term.key),
                          std::string(o.term.long_name),
                          std::string(o.term.unit),
                          o.kind,
                          {0.0, 1.0}});
}

// Cross-checks between coefficients, with the extremes of uncertain ones.
template <typename SectionOf>
void check_coefficients(SectionOf& section, const Config& c, const Settings& set) {
  for (int k = 0; k < kNumStates; ++k)
    if (coef_max(c, set, state_coef(k, kTheta)) * c.dt > 1.0)
      section("states." + std::string(kStates[static_cast<std::size_t>(k)].key))
          .fail("theta", "theta * dt must not exceed 1, or the state overshoots its target");
  // The statistics' exact fixed-point sums need |payoff| and paired payoff differences below
  // 4000: each side of the payoff's range is limited to 2000.
  const double up =
      coef_max(c, set, kPAlignment) + coef_max(c, set, kPCohesion) + coef_max(c, set, kPUkraine);
  const double down =
      coef_max(c, set, kPMilitaryAction) + coef_max(c, set, kPHybridAttack) * set.hybrid_cap;
  if (!(up <= 2000.0) || !(down <= 2000.0))
    section("payoff").fail("hybrid_cap",
                           "the payoff can exceed 2000 in magnitude; scale the weights down (an "
                           "uncertain weight counts with the top of its prior's support)");
}

// Every coefficient, section by section in the order of kCoefficients; each section (and its
// parent, for "targets.alignment") is checked for unknown keys once all of it was read.
void read_coefficients(Section& top, Config& c, Settings& set) {
  std::deque<Section> open;  // stable addresses; parents before children
  std::map<std::string, Section*, std::less<>> by_path;
  const auto section = [&](std::string_view path) -> Section& {
    if (auto it = by_path.find(path); it != by_path.end()) return *it->second;
    const auto dot = path.rfind('.');
    Section& parent =
        dot == std::string_view::npos ? top : *by_path.find(path.substr(0, dot))->second;
    open.push_back(parent.table(dot == std::string_view::npos ? path : path.substr(dot + 1)));
    return *by_path.emplace(std::string(path), &open.back()).first->second;
  };
  for (const std::string_view parent : {"states", "targets", "hazards"}) section(parent);
  for (const CoefficientTerm& t : kCoefficients) {
    int row = -1;
    set.coef[static_cast<std::size_t>(t.term.id)] =
        detail::read_coefficient(section(t.section), t, c, row);
    set.input_row[static_cast<std::size_t>(t.term.id)] = row;
  }
  // The payoff's hybrid-attack cap is a count, not a coefficient.
  set.hybrid_cap = static_cast<int>(section("payoff").integer("hybrid_cap", 0, 1000000));
  check_coefficients(section, c, set);
  for (auto it = open.rbegin(); it != open.rend(); ++it) it->finish();
}

// The interval every value of each outcome lies in (histogram ranges).
void set_outcome_ranges(Config& c, const Settings& set) {
  const double T = c.quarters;
  for (int o = 0; o < kNumOutcomes; ++o) {
    Range r{0.0, 1.0};  // states, shares and flags
    switch (o) {
      case kHybridAttacks: r = {0.0, T}; break;
      case kFirstHybridQuarter:
      case kMilitaryQuarter:
      case kCeasefireQuarter: r = {-1.0, T - 1.0}; break;
      case kUsPayoff:
        r = {-(coef_max(c, set, kPMilitaryAction) +
               coef_max(c, set, kPHybridAttack) * set.hybrid_cap),
             coef_max(c, set, kPAlignment) + coef_max(c, set, kPCohesion) +
                 coef_max(c, set, kPUkraine)};
        break;
      default: break;
    }
    c.outcomes[static_cast<std::size_t>(o)].range = r;
  }
}

void read(Section& top, Config& c) {
  declare_vocabulary(c);
  Settings set;
  read_coefficients(top, c, set);
  set_outcome_ranges(c, set);
  c.model_settings = set;
}

std::unique_ptr<Model> create(const Config& c) { return std::make_unique<Kernel>(c); }

}  // namespace

const Settings& settings(const Config& cfg) {
  return std::any_cast<const Settings&>(cfg.model_settings);
}
Settings& settings(Config& cfg) { return std::any_cast<Settings&>(cfg.model_settings); }

const ModelType kModelType{
    "strategic_triangle",
    "strategic-triangle-v1",
    "the US-Russia-China-Europe strategic triangle (docs/model.md)",
    true,
    read,
    nullptr,
    create,
};

}  // namespace wedge::triangle
