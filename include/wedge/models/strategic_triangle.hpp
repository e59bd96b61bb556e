#pragma once
// The strategic-triangle model (model spec sections 4-9), stepped for a block of runs side by
// side (structure of arrays) so the compiler vectorises the quarter update. Block boundaries are
// fixed in run-index space, so a run always takes the same code path whatever the split.
#include <array>
#include <cstdint>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/models/outcomes.hpp"

namespace wedge {

inline constexpr int kBlock = 64;  //!< runs stepped together; batch sizes are multiples of it

//! Parameters of the runs of one block, one row per parameter.
struct BlockParams {
  alignas(64) double v[kNumParams][kBlock];
};

//! Receives the level of every state at the end of every quarter (for fan charts).
class PathSink {
 public:
  virtual ~PathSink() = default;
  virtual void observe(int strategy, int quarter, const double (&levels)[kNumStates][kBlock]) = 0;
};

//! Per-strategy outcomes of the runs of one block, one row per outcome.
struct BlockOutcomes {
  alignas(64) double v[kNumOutcomes][kBlock];
};

class Model {
 public:
  explicit Model(const Config& cfg);

  //! Simulates every strategy for runs [first_run, first_run + kBlock). `out` must hold one
  //! BlockOutcomes per strategy. `paths` may be null.
  void simulate_block(std::uint64_t first_run, const BlockParams& params,
                      std::vector<BlockOutcomes>& out, PathSink* paths) const;

  const Config& config() const { return cfg_; }

 private:
  struct StrategyState;
  struct QuarterDraws;
  void draw_quarter(std::uint64_t first_run, int quarter, QuarterDraws& d) const;
  void step(int strategy, int quarter, const BlockParams& p, const QuarterDraws& d,
            const double* leverage, StrategyState& st) const;

  const Config& cfg_;
  double log_dt_;
  double threat_decay_;
};

}  // namespace wedge
