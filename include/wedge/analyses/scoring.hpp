#pragma once
// Scoring a study's forecasts against questions that have since resolved (docs/scoring.md):
// an event by a quarter (Brier and log score of its probability), a state's value at a quarter
// (CRPS and PIT of its stored path histogram). Proper scores, lower is better.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

enum class QuestionKind { kEvent, kState };

//! A question that has resolved: what happened, in the vocabulary of the study's model.
struct Question {
  std::string name, description, source;
  QuestionKind kind = QuestionKind::kEvent;
  int index = 0;    //!< the event (cfg.events) or state (cfg.states)
  int quarter = 0;  //!< event: happened by the end of this quarter; state: its value at the end
  bool happened = false;  //!< event questions
  double value = 0.0;     //!< state questions
};

//! The resolved-questions file (io/resolved_reader.hpp).
struct ResolvedQuestions {
  std::string path, text, description;
  int strategy_in_force = -1;  //!< the policy actually followed, if the file names it
  std::vector<Question> questions;
};

//! The scores of one question under one strategy; NaN where a score does not apply.
struct QuestionScore {
  double probability = 0, brier = 0, log_score = 0;  //!< event questions
  double crps = 0, pit = 0, median = 0;              //!< state questions
};

struct Scores {
  int Q = 0, S = 0;
  std::vector<QuestionScore> cells;  //!< [question][strategy]
  //! Per strategy: mean Brier and log score over the event questions, mean CRPS over the
  //! state questions (NaN when there are none).
  std::vector<double> mean_brier, mean_log_score, mean_crps;
  const QuestionScore& at(int q, int s) const { return cells[static_cast<std::size_t>(q * S + s)]; }
};

Scores score_questions(const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<Question>& questions);

//! The CDF at y of a histogram of `bins` equal bins over [lo, hi], mass spread evenly inside
//! each bin (linear between edges).
double histogram_cdf(const std::uint64_t* counts, int bins, double lo, double hi, double y);
//! The CRPS of that distribution at y: the integral of (F(x) - 1{x >= y})^2, exact for the
//! piecewise-linear F (Gneiting and Raftery 2007).
double histogram_crps(const std::uint64_t* counts, int bins, double lo, double hi, double y);

//! The table `wedge score` prints: one row per question, one column group per strategy.
void print_scores(std::ostream& os, const Config& cfg, const ResolvedQuestions& rq,
                  const Scores& sc, std::uint64_t runs);

}  // namespace wedge
