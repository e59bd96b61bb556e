#pragma once
// The condition of `wedge discover --where`: which runs are "of interest" (docs/discovery.md).
//   split@conciliation                         a 0/1 outcome under a strategy
//   us_payoff@dual_containment < 0.2           a threshold (<, <=, >, >=, ==, !=)
//   us_payoff@engagement_with_deterrence > us_payoff@dual_containment   a paired comparison
//   regret@conciliation > 0.1                  regret on the payoff outcome: best strategy of the
//                                              run minus this one
#include <string>
#include <vector>

#include "wedge/core/config.hpp"

namespace wedge::discovery {

//! One side of a comparison.
struct Operand {
  enum class Kind { kOutcome, kRegret, kNumber } kind = Kind::kNumber;
  int outcome = -1;   //!< the configuration's outcome index (the payoff for regret)
  int strategy = -1;  //!< the configuration's strategy index
  double number = 0.0;
  int slot = -1;  //!< its outcome's place in RunCondition::outcomes()
};

enum class Op { kTrue, kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

struct RunCondition {
  std::string text;
  Operand lhs, rhs;  //!< rhs unused with kTrue (a 0/1 outcome alone: the run has it)
  Op op = Op::kTrue;
  //! The configuration's outcome indices the condition reads (each under every strategy).
  std::vector<int> outcomes() const;
};

//! Parses `text` against the configuration's outcomes and strategies. Throws an InputError
//! (key --where) saying what is wrong and where in the text.
RunCondition parse_condition(const std::string& text, const Config& cfg);

//! Whether a run meets the condition. `values[slot * strategies + s]` is the run's value of
//! outcome `cond.outcomes()[slot]` under strategy s. A comparison with NaN is false.
bool holds(const RunCondition& cond, const double* values, int strategies);

//! The condition in words for the summary ("split under conciliation").
std::string describe(const RunCondition& cond, const Config& cfg);

}  // namespace wedge::discovery
