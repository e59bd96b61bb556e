#pragma once
// A study's configuration, as the engine sees it: the study, output and time settings, the
// uncertain inputs with their priors, the strategies, and the vocabulary the model declared (its
// levers, path states and outcomes). The model's own coefficients are the model's business
// (`model_settings`); every number lives in the TOML file (io/config_reader.hpp).
#include <any>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wedge/core/prior.hpp"
#include "wedge/core/vocabulary.hpp"

namespace wedge {

//! An uncertain input of a study: a parameter of the model, or a coefficient of the model that
//! the configuration gave a prior instead of a number (an uncertain coefficient).
struct Input {
  std::string name;  //!< the parameter's key, or the coefficient's dotted key
  std::string long_name, unit;
  Prior prior;
  Bounds domain = Bounds::any();  //!< the values the model accepts; the prior must stay inside
  int coefficient = -1;           //!< the model coefficient it sets; -1 for a model parameter
};

struct Correlation {
  int a = 0, b = 0;   //!< input indices
  double rank = 0.0;  //!< Spearman rank correlation
};

struct Strategy {
  std::string name;
  std::string description;
  std::vector<double> levers;  //!< one value per lever of the model, in [0, 1]
  int fallback = -1;           //!< index of the fallback strategy, -1 for none
};

//! An outcome of the model, with the interval its values lie in under this configuration.
struct OutcomeInfo {
  std::string name, long_name, units;
  OutcomeKind kind = OutcomeKind::kContinuous;
  Range range{0.0, 1.0};
};

//! An event of the model whose timing is followed: `quarter_outcome` is the outcome holding the
//! quarter it first happened (-1: never), from whose histogram its cumulative probability comes.
struct EventInfo {
  Term term;
  int quarter_outcome = 0;
};

//! One condition of a satisficing criterion: min <= outcome <= max.
struct Condition {
  int outcome = 0;
  double min = -1e300, max = 1e300;
};
struct Satisficing {
  std::string name, description;
  std::vector<Condition> conditions;
};

//! kSaltelli: the pick-freeze design of Sobol' indices (core/sensitivity.hpp); `runs` counts its
//! base rows, whose A rows are exactly the Monte Carlo design's runs.
enum class Design { kMonteCarlo, kLatinHypercube, kSaltelli };

//! `[[sensitivity.group]]`: inputs that get one Sobol' index together.
struct SensitivityGroup {
  std::string name;
  std::vector<int> inputs;  //!< input indices, each in at most one group
};
enum class Records { kNone, kAll };

struct Config {
  std::string path;  //!< file the configuration came from
  std::string text;  //!< its full text, stored in every result file

  std::string model = "strategic_triangle";  //!< [study] model

  // [study]
  std::string name;
  std::uint64_t seed = 0;
  std::uint64_t runs = 0;
  Design design = Design::kMonteCarlo;
  std::uint64_t batch_size = 65536;

  // [output]
  Records records = Records::kNone;
  int histogram_bins = 1000;
  int path_bins = 200;
  int path_sample = 1;  //!< fan-chart quantiles use one run in this many (1, 2, 4, 8 or 16)

  // [time]
  int quarters = 40;
  double dt = 0.25;
  int start_year = 2025;
  int switch_quarter = 16;

  // What the model declared, and the inputs of this study.
  std::vector<Input> inputs;  //!< the model's parameters, then its uncertain coefficients
  int num_params = 0;         //!< how many of `inputs` are model parameters
  std::vector<Correlation> correlations;
  std::vector<Term> levers;
  std::vector<Strategy> strategies;
  std::vector<Term> states;  //!< the states whose paths are followed (fan charts)
  std::vector<OutcomeInfo> outcomes;
  std::vector<EventInfo> events;
  int payoff = 0;  //!< the outcome regret and best share are computed on (higher is better)
  std::any model_settings;  //!< the model's own coefficients (its reader and kernel know them)

  // [history]: the levers in force before `decision_quarter`, shared by every strategy's runs
  // (they are what happened, not a choice); from that quarter on, each strategy's own.
  std::optional<Strategy> history;
  int decision_quarter = 0;  //!< the first quarter under the study's strategies (0: no history)

  // [analysis]
  int baseline = -1;  //!< strategy the comparisons are made against; -1: every pair
  std::vector<Satisficing> satisficing;

  // [sensitivity]
  std::vector<SensitivityGroup> sensitivity_groups;

  int num_strategies() const { return static_cast<int>(strategies.size()); }
  int num_inputs() const { return static_cast<int>(inputs.size()); }
  int num_outcomes() const { return static_cast<int>(outcomes.size()); }
  int num_states() const { return static_cast<int>(states.size()); }
  int strategy_index(std::string_view name) const;
  int outcome_index(std::string_view name) const;  //!< -1 when unknown
  int input_index(std::string_view name) const;    //!< -1 when unknown
};

std::string_view design_name(Design d);

//! Number of histogram bins of outcome o (one per value for integer and binary outcomes).
int outcome_bins(const Config& cfg, int outcome);

}  // namespace wedge
