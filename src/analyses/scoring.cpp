#include "wedge/analyses/scoring.hpp"

#include <cmath>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>

#include "wedge/analyses/summary.hpp"
#include "wedge/core/quarter.hpp"

namespace wedge {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The integral over [c, d] of the square of the linear function from u (at c) to v (at d).
double square_of_linear(double c, double d, double u, double v) {
  return (d - c) * (u * u + u * v + v * v) / 3.0;
}

QuestionScore score_event(const Config& cfg, const stats::Accumulators& acc, int s,
                          const Question& q) {
  QuestionScore r;
  r.crps = r.pit = r.median = kNaN;
  const double n = acc.mass().ess;  // the runs, or with evidence the effective sample size
  r.probability = event_probability(cfg, acc, s, q.index, q.quarter);
  const double y = q.happened ? 1.0 : 0.0;
  r.brier = (r.probability - y) * (r.probability - y);
  // The log score of the plus-half estimate (c + 1/2) / (n + 1): finite when no run (or every
  // run) saw the event, and within 1/(2n) of the plain share otherwise.
  const double smoothed = (r.probability * n + 0.5) / (n + 1.0);
  r.log_score = -std::log(q.happened ? smoothed : 1.0 - smoothed);
  return r;
}

QuestionScore score_state(const stats::Accumulators& acc, int s, const Question& q) {
  QuestionScore r;
  r.probability = r.brier = r.log_score = kNaN;
  const auto& L = acc.layout();
  const int f = L.fan_row[static_cast<std::size_t>(s)];
  if (f < 0) {  // no fan charts kept for this strategy ([output] fan_charts): nothing to score
    r.crps = r.pit = r.median = kNaN;
    return r;
  }
  const std::uint64_t* h =
      acc.counts(stats::Seg::kPathHist, L.path_bin_index(f, q.index, q.quarter, 0));
  r.crps = histogram_crps(h, L.path_bins, 0.0, 1.0, q.value);
  r.pit = histogram_cdf(h, L.path_bins, 0.0, 1.0, q.value);
  r.median = path_quantile(acc, s, q.index, q.quarter, 0.5);
  return r;
}

double mean_of(const Scores& sc, int s, double QuestionScore::*field) {
  double sum = 0.0;
  int n = 0;
  for (int q = 0; q < sc.Q; ++q)
    if (const double v = sc.at(q, s).*field; !std::isnan(v)) sum += v, ++n;
  return n > 0 ? sum / n : kNaN;
}

std::string fixed(double v, int digits) {
  if (std::isnan(v)) return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

}  // namespace

double histogram_cdf(const std::uint64_t* counts, int bins, double lo, double hi, double y) {
  std::uint64_t total = 0;
  for (int b = 0; b < bins; ++b) total += counts[b];
  if (total == 0) return kNaN;
  if (y <= lo) return 0.0;
  if (y >= hi) return 1.0;
  const double width = (hi - lo) / bins;
  const int k = std::min(bins - 1, static_cast<int>((y - lo) / width));
  std::uint64_t below = 0;
  for (int b = 0; b < k; ++b) below += counts[b];
  const double inside = (y - (lo + k * width)) / width;
  return (static_cast<double>(below) + inside * static_cast<double>(counts[k])) /
         static_cast<double>(total);
}

double histogram_crps(const std::uint64_t* counts, int bins, double lo, double hi, double y) {
  std::uint64_t total = 0;
  for (int b = 0; b < bins; ++b) total += counts[b];
  if (total == 0) return kNaN;
  // Outside [lo, hi] F is 0 below and 1 above: only the stretch between y and the range counts.
  double crps = y < lo ? lo - y : (y > hi ? y - hi : 0.0);
  const double width = (hi - lo) / bins;
  double cum = 0.0;
  for (int b = 0; b < bins; ++b) {
    const double a = lo + b * width, e = b + 1 == bins ? hi : lo + (b + 1) * width;
    const double fa = cum / static_cast<double>(total);
    cum += static_cast<double>(counts[b]);
    const double fe = cum / static_cast<double>(total);
    if (y >= e) {
      crps += square_of_linear(a, e, fa, fe);
    } else if (y <= a) {
      crps += square_of_linear(a, e, fa - 1.0, fe - 1.0);
    } else {  // the step of the observation falls inside this bin: split it there
      const double fy = fa + (fe - fa) * (y - a) / (e - a);
      crps += square_of_linear(a, y, fa, fy) + square_of_linear(y, e, fy - 1.0, fe - 1.0);
    }
  }
  return crps;
}

Scores score_questions(const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<Question>& questions) {
  Scores sc;
  sc.Q = static_cast<int>(questions.size());
  sc.S = cfg.num_strategies();
  for (const Question& q : questions)
    for (int s = 0; s < sc.S; ++s)
      sc.cells.push_back(q.kind == QuestionKind::kEvent ? score_event(cfg, acc, s, q)
                                                        : score_state(acc, s, q));
  for (int s = 0; s < sc.S; ++s) {
    sc.mean_brier.push_back(mean_of(sc, s, &QuestionScore::brier));
    sc.mean_log_score.push_back(mean_of(sc, s, &QuestionScore::log_score));
    sc.mean_crps.push_back(mean_of(sc, s, &QuestionScore::crps));
  }
  return sc;
}

void print_scores(std::ostream& os, const Config& cfg, const ResolvedQuestions& rq,
                  const Scores& sc, std::uint64_t runs) {
  os << "scores of " << sc.Q << " resolved questions (" << rq.path << ") against " << runs
     << " runs; lower is better\n";
  for (int s = 0; s < sc.S; ++s) {
    os << "\n"
       << cfg.strategies[static_cast<std::size_t>(s)].name
       << (s == rq.strategy_in_force ? "  (the policy in force)" : "") << "\n";
    os << "  " << std::left << std::setw(28) << "question" << std::setw(24) << "observed"
       << std::right << std::setw(12) << "forecast" << std::setw(10) << "Brier" << std::setw(10)
       << "log" << std::setw(10) << "CRPS" << std::setw(8) << "PIT"
       << "\n";
    for (int q = 0; q < sc.Q; ++q) {
      const Question& qu = rq.questions[static_cast<std::size_t>(q)];
      const QuestionScore& c = sc.at(q, s);
      const bool event = qu.kind == QuestionKind::kEvent;
      const std::string observed =
          event
              ? (qu.happened ? "yes" : "no") + std::string(" by ") + quarter_label(qu.quarter, cfg)
              : fixed(qu.value, 3) + " at " + quarter_label(qu.quarter, cfg);
      const std::string forecast =
          event ? "P=" + fixed(c.probability, 3) : "med " + fixed(c.median, 3);
      os << "  " << std::left << std::setw(28) << qu.name << std::setw(24) << observed << std::right
         << std::setw(12) << forecast << std::setw(10) << fixed(c.brier, 4) << std::setw(10)
         << fixed(c.log_score, 4) << std::setw(10) << fixed(c.crps, 4) << std::setw(8)
         << fixed(c.pit, 3) << "\n";
    }
    os << "  " << std::left << std::setw(64) << "mean" << std::right << std::setw(10)
       << fixed(sc.mean_brier[static_cast<std::size_t>(s)], 4) << std::setw(10)
       << fixed(sc.mean_log_score[static_cast<std::size_t>(s)], 4) << std::setw(10)
       << fixed(sc.mean_crps[static_cast<std::size_t>(s)], 4) << "\n";
  }
}

}  // namespace wedge
