#include "io/evidence_reader.hpp"

#include <cstdint>
#include <string>

#include "io/study_keys.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/quarter.hpp"

namespace wedge::detail {
namespace {

// Weight sums are 64-bit counts in units of 2^-24 (core/evidence.hpp): 2^40 runs of weight 1
// fill them.
constexpr std::uint64_t kMaxWeightedRuns = std::uint64_t{1} << 40;

void read_weighting(Section s, Config& c) {
  const std::string method =
      s.has("method") ? s.choice("method", {"likelihood", "rejection"}) : std::string("likelihood");
  c.weighting = method == "rejection" ? Weighting::kRejection : Weighting::kLikelihood;
  c.warn_ess_share = s.number_or("warn_ess_share", {0.0, 1.0, true, false}, c.warn_ess_share);
  s.finish();
}

// A quarter of the history: the evidence's weight must be the same under every strategy.
int read_history_quarter(Section& s, std::string_view key, const Config& c) {
  const int q = read_quarter(s, key, c);
  if (q >= c.decision_quarter)
    s.fail(key, quarter_label(q, c) + " is not before the decision quarter (" +
                    quarter_label(c.decision_quarter, c) +
                    "): evidence concerns the history, the quarters every strategy shares");
  return q;
}

// `error`: likelihood weighting only (a rejection keeps or drops a run, it has no error model).
double read_error(Section& s, const Config& c) {
  if (!s.has("error")) return 0.0;
  if (c.weighting == Weighting::kRejection)
    s.fail("error",
           "has no meaning with [weighting] method = \"rejection\", which keeps a run only "
           "when it matches; remove it, or use method = \"likelihood\"");
  return s.number("error", {0.0, 0.5, false, true});
}

// `tolerance` is the rejection's: refused where it has no meaning, saying why.
constexpr const char* kToleranceIsRejections =
    "applies to [weighting] method = \"rejection\" only (this study weights by the likelihood)";
void refuse_tolerance(Section& s, std::string_view why) {
  if (s.has("tolerance")) s.fail("tolerance", std::string(why));
}

void read_event_by(Section& s, const Config& c, Evidence& e) {
  e.kind = EvidenceKind::kEventBy;
  e.event = read_event(s, "event", c);
  e.quarter = read_history_quarter(s, "by", c);
  e.happened = s.boolean("happened");
  e.error = read_error(s, c);
  refuse_tolerance(s, c.weighting == Weighting::kRejection
                          ? "an event_by item is matched exactly (it has no tolerance)"
                          : kToleranceIsRejections);
}

void read_event_count(Section& s, const Config& c, Evidence& e) {
  e.kind = EvidenceKind::kEventCount;
  e.event = read_event(s, "event", c);
  e.from_quarter = read_history_quarter(s, "from", c);
  e.quarter = read_history_quarter(s, "to", c);
  if (e.from_quarter > e.quarter)
    s.fail("from", "the window's first quarter (" + quarter_label(e.from_quarter, c) +
                       ") is after its last ('to', " + quarter_label(e.quarter, c) + ")");
  e.count = static_cast<int>(s.integer("count", 0, 1000000));
  e.error = read_error(s, c);
  if (c.weighting == Weighting::kRejection)
    e.tolerance = s.has("tolerance") ? static_cast<double>(s.integer("tolerance", 0, 1000000)) : 0;
  else
    refuse_tolerance(s, kToleranceIsRejections);
}

void read_state_item(Section& s, const Config& c, Evidence& e) {
  e.kind = EvidenceKind::kState;
  e.state = read_state(s, "state", c);
  e.quarter = read_history_quarter(s, "at", c);
  e.value = s.number("value", {0.0, 1.0, true, true});
  if (c.weighting == Weighting::kRejection) {
    if (s.has("sd"))
      s.fail("sd",
             "has no meaning with [weighting] method = \"rejection\"; give 'tolerance' "
             "(the largest |logit(level) - logit(value)| of a kept run)");
    if (!s.has("tolerance"))
      s.fail("tolerance",
             "a state item needs a tolerance > 0 (logit scale) with [weighting] method = "
             "\"rejection\"");
    e.tolerance = s.number("tolerance", Bounds::positive());
  } else {
    e.sd = s.number("sd", Bounds::positive());
    refuse_tolerance(s, kToleranceIsRejections);
  }
  if (s.has("error"))
    s.fail("error", "a state's observation error is its 'sd' (logit scale), not 'error'");
}

Evidence read_item(Section& s, const Config& c) {
  Evidence e;
  e.line = s.line();
  e.name = s.string("name");
  if (e.name.empty()) s.fail("name", "must not be empty (it names the item in tables)");
  e.description = s.string("description");
  e.source = s.string("source");
  const std::string kind = s.choice("kind", {"event_by", "event_count", "state"});
  if (kind == "event_by")
    read_event_by(s, c, e);
  else if (kind == "event_count")
    read_event_count(s, c, e);
  else
    read_state_item(s, c, e);
  s.finish();
  return e;
}

// What the whole study must allow before any item is read.
void check_study(const toml::array& arr, const Config& c) {
  const int line = line_of(arr);
  if (!c.history)
    throw InputError(c.path, line, "evidence",
                     "evidence needs a [history] with a decision_quarter: it concerns the "
                     "history quarters, which every strategy shares, so that a run's weight is "
                     "the same under every strategy");
  if (c.design == Design::kSaltelli)
    throw InputError(c.path, line, "evidence",
                     "design \"saltelli\" cannot be weighted (its Sobol' indices are those of "
                     "the prior); use design \"monte_carlo\", \"latin_hypercube\" or \"sobol\"");
  if (c.runs > kMaxWeightedRuns)
    throw InputError(c.path, line, "evidence",
                     "a study with evidence has at most 2^40 runs (its weight sums are 64-bit "
                     "counts in units of 2^-24); [study] runs is " +
                         std::to_string(c.runs));
  if (c.events.empty() && c.states.empty())
    throw InputError(c.path, line, "evidence",
                     "the study's model (" + c.model + ") follows no events or states to observe");
  if (arr.empty()) throw InputError(c.path, line, "evidence", "give at least one [[evidence]]");
}

}  // namespace

void read_evidence(Section& top, Config& c) {
  if (top.has("weighting")) {
    if (!top.has("evidence"))
      top.fail("weighting", "weights the runs by [[evidence]], and there is none");
    read_weighting(top.table("weighting"), c);
  }
  const toml::array& arr = top.array("evidence");
  check_study(arr, c);
  int i = 0;
  for (const toml::node& node : arr) {
    const std::string key = "evidence[" + std::to_string(i++) + "]";
    const auto* t = node.as_table();
    if (t == nullptr) throw InputError(c.path, line_of(node), key, "expected a table");
    Section s(*t, key, c.path);
    Evidence e = read_item(s, c);
    for (const Evidence& other : c.evidence)
      if (other.name == e.name)
        s.fail("name", "evidence \"" + e.name + "\" is given twice (also on line " +
                           std::to_string(other.line) + ")");
    c.evidence.push_back(std::move(e));
  }
}

}  // namespace wedge::detail
