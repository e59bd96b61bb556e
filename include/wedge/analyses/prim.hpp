#pragma once
// PRIM, the patient rule induction method (Friedman and Fisher 1999), for scenario discovery
// (Bryant and Lempert 2010), on binned runs spread over MPI ranks (docs/discovery.md).
//
// Each input's value is replaced by its bin under the prior: kBins equally likely bins, whose
// edges are the prior's quantiles. A box is a range of bins per input. Every peel or paste step
// counts the runs and hits of every bin in one pass over the runs a rank holds, sums the
// integer counts over ranks (MPI_Allreduce) and scores every candidate cut on those counts:
// exact, and the same for any number of ranks and threads.
#include <mpi.h>

#include <cstdint>
#include <vector>

namespace wedge::prim {

inline constexpr int kBins = 1024;

enum class Objective { kLenient1, kLenient2, kOriginal };

//! How a box is picked on a peeling trajectory.
struct Choice {
  enum class Rule { kBest, kIndex, kMinDensity, kMinCoverage } rule = Rule::kBest;
  int index = 0;       //!< kIndex: the step (first box only; later boxes use kBest)
  double value = 0.0;  //!< kMinDensity / kMinCoverage: the threshold
};

struct Controls {
  double peel_alpha = 0.05, paste_alpha = 0.05, mass_min = 0.05;
  Objective objective = Objective::kLenient1;
  int boxes = 3;           //!< covering: boxes found one after the other
  int resamples = 10;      //!< half-samples for the stability of each restriction
  std::uint64_t seed = 0;  //!< keys the half-samples
  Choice choice;
};

//! The runs this rank holds: run `first_run + i` has bins[k * size() + i] for input k and is a
//! hit when hit[i] != 0.
struct Runs {
  int inputs = 0;
  std::uint64_t first_run = 0;
  std::vector<std::uint16_t> bins;
  std::vector<std::uint8_t> flags;  //!< bit 0: hit; the other bits are PRIM's
  std::size_t size() const { return flags.size(); }
};

//! A box: input k keeps bins [lo[k], hi[k]).
struct Box {
  std::vector<std::uint16_t> lo, hi;
  explicit Box(int inputs = 0)
      : lo(static_cast<std::size_t>(inputs), 0), hi(static_cast<std::size_t>(inputs), kBins) {}
  bool restricted(int k) const {
    return lo[static_cast<std::size_t>(k)] > 0 || hi[static_cast<std::size_t>(k)] < kBins;
  }
  int restrictions() const;
};

struct Step {
  Box box;
  std::uint64_t runs = 0, hits = 0;
};

struct FoundBox {
  std::vector<Step> peel;         //!< the peeling trajectory; peel[0] is the box before any peel
  int chosen = 0;                 //!< the step picked on it
  std::vector<Step> paste;        //!< pasting steps from peel[chosen]
  Step box;                       //!< the final box (after pasting)
  std::vector<double> p_value;    //!< per input: quasi-p-value of its restriction (NaN: none)
  std::vector<double> stability;  //!< per input: share of half-samples that restrict it
  std::vector<std::uint64_t> wider_runs, wider_hits;  //!< per input: the box without it
};

struct Result {
  std::uint64_t runs = 0, hits = 0;  //!< in all runs
  std::vector<FoundBox> boxes;       //!< covering: box b is found among runs no earlier box holds
};

//! Peels, picks, pastes and tests up to c.boxes boxes. Collective over `comm`; every rank gets
//! the same result. `peelable[k]` false keeps input k unrestricted (a fixed prior). Uses the
//! OpenMP threads of the calling rank.
Result discover(Runs& runs, const std::vector<bool>& peelable, const Controls& c, MPI_Comm comm);

//! The step picked on a trajectory by `choice` (`first`: the first box of a covering). An index
//! beyond the trajectory is an InputError, or with `clip` its last step.
int choose_step(const std::vector<Step>& peel, std::uint64_t all_hits, const Choice& choice,
                bool first, bool clip = false);

//! One-sided binomial test: P(X >= hits) for X ~ Binomial(runs, wider_hits / wider_runs).
double quasi_p_value(std::uint64_t runs, std::uint64_t hits, std::uint64_t wider_runs,
                     std::uint64_t wider_hits);

}  // namespace wedge::prim
