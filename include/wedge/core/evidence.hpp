#pragma once
// Evidence: what has been observed since the start, up to the decision quarter ([history]), and
// the weight it gives each run. The evidence concerns the history quarters only, which every
// strategy of a run shares, so a run's weight is the same under every strategy (common random
// numbers are kept) and is known before any strategy's own quarter is simulated.
//
// A weight is a likelihood in [0, 1] (each item's factor is a probability, or a Gaussian kernel
// on the logit scale whose peak is 1), rounded to an integer multiplicity m = round(w * 2^24):
// every statistic adds m where it would add 1 and m * v where it would add v, in integers, so
// weighted statistics stay exact and bitwise identical for any split of the runs.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wedge/core/block.hpp"

namespace wedge {

struct Config;

//! kEventBy: an event did (or did not) happen by the end of a quarter; kEventCount: how many
//! times an event happened in a window of quarters; kState: a path state's level at the end of a
//! quarter, observed with error (a Gaussian likelihood on the logit scale).
enum class EvidenceKind { kEventBy, kEventCount, kState };

struct Evidence {
  EvidenceKind kind = EvidenceKind::kEventBy;
  std::string name;         //!< `name` as written, unique (printed in tables)
  std::string description;  //!< the analyst's words
  std::string source;       //!< where the observation comes from (free text for the analyst)
  int line = 0;             //!< line of the [[evidence]] table in the configuration
  int event = -1;           //!< kEventBy, kEventCount: index into Config::events
  int state = -1;           //!< kState: index into Config::states
  int from_quarter = 0;     //!< kEventCount: first quarter of the window (inclusive)
  int quarter = 0;          //!< last quarter of the window, or the quarter observed (inclusive)
  bool happened = true;     //!< kEventBy
  int count = 0;            //!< kEventCount
  double value = 0.5;       //!< kState: the observed level, in (0, 1)
  double sd = 0.1;          //!< kState: observation error's standard deviation, logit scale
  //! kEventBy, kEventCount: the probability that the observation is wrong (0: hard evidence,
  //! runs that disagree get weight 0).
  double error = 0.0;
  //! Rejection (ABC) only: the largest |logit(level) - logit(value)| (kState) or
  //! |count - observed| (kEventCount) a kept run may show.
  double tolerance = 0.0;
};

//! kLikelihood: each run weighted by the likelihood of the evidence; kRejection (ABC): runs
//! within every item's tolerance kept with weight 1, the rest dropped.
enum class Weighting { kLikelihood, kRejection };

//! The weight unit: a weight w in [0, 1] enters every statistic as round(w * kWeightOne).
inline constexpr std::uint32_t kWeightOne = 1u << 24;
inline constexpr double kWeightScale = 0x1p24;

//! The likelihood of the evidence for the runs of one block. The model reports the shared history
//! quarter by quarter (PathSink::history); weights() then gives each lane's multiplicity.
class EvidenceLikelihood {
 public:
  explicit EvidenceLikelihood(const Config& cfg);
  bool empty() const { return items_.empty(); }
  //! Forgets the previous block.
  void begin_block();
  //! History quarter `quarter`: `levels` [state][lane], `event_counts` [event][lane] (each event
  //! of Config::events: how many times it happened from the start to the end of this quarter).
  void history(int quarter, const double* levels, const double* event_counts);
  //! Each lane's multiplicity m = round(w * kWeightOne) (kBlock of them): w = exp(log-likelihood
  //! - offset), at most 1, for kLikelihood; 0 or 1 for kRejection.
  void weights(std::uint32_t* m) const;
  //! Each lane's log-likelihood (kBlock of them); below kImpossible: a factor was 0.
  void log_likelihood(double* ll) const;
  //! The study's offset (evidence_log_offset): the weights are likelihoods relative to it.
  void set_offset(double offset) { offset_ = offset; }
  static constexpr double kImpossible = -500.0;

 private:
  void event_by(std::size_t item, const double* counts);
  void event_count(std::size_t item, const double* counts);
  void state(std::size_t item, const double* levels);

  const std::vector<Evidence>& items_;
  Weighting weighting_;
  //! Each item's log factor per lane, summed in configuration order by weights() (so the sum
  //! does not depend on the order the quarters visit the items).
  std::vector<std::array<double, kBlock>> log_factor_;
  //! kEventCount items: each lane's count at the end of the quarter before the window.
  std::vector<std::array<double, kBlock>> window_base_;
  double offset_ = 0.0;
  int next_quarter_ = 0;   //!< history() must see every quarter in order ...
  int last_quarter_ = -1;  //!< ... up to the last one observed before weights()
};

class Model;

//! Runs whose likelihood sets a study's weight scale (see evidence_log_offset).
inline constexpr std::uint64_t kPilotRuns = 16384;

//! The log-likelihood the weights are taken relative to. Likelihoods are absolute and shrink
//! with every observation: with many, even the best run's would round to multiplicity 0. So the
//! weights are w = exp(log L - offset), where the offset is the largest log-likelihood among the
//! study's first kPilotRuns runs plus ln 8 (headroom), and at most 0 (evidence that the best runs
//! match about as well as a certain observation keeps absolute weights). A fixed run range and
//! the study's own streams: every invocation of the study (any ranks x threads, restart,
//! extension, merge) finds the same offset. A run more likely than the offset (rarer than 1 in
//! kPilotRuns, by 8 times) is capped at weight 1. Rejection and impossible runs are untouched.
double evidence_log_offset(const Config& cfg, const Model& model);

}  // namespace wedge
