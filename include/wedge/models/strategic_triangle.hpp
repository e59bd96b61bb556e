#pragma once
// The strategic-triangle model (docs/model-spec.md sections 4-9): five states in logit space,
// three event hazards, the US strategy's levers and the 2028 election switch, stepped for a
// block of runs side by side so that the compiler vectorises the quarter update.
#include <array>
#include <cstdint>
#include <vector>

#include "wedge/core/model.hpp"
#include "wedge/models/triangle_vocabulary.hpp"

namespace wedge::triangle {

//! The model's coefficients from the configuration. An uncertain coefficient (given a prior)
//! takes its value run by run from an input row; `coef` then holds its prior mean.
struct Settings {
  std::array<double, kNumCoefs> coef{};
  std::array<int, kNumCoefs> input_row{};  //!< input of an uncertain coefficient, or -1
  int hybrid_cap = 10;                     //!< hybrid attacks counted in the payoff at most
  bool any_uncertain() const;
};

const Settings& settings(const Config& cfg);
Settings& settings(Config& cfg);

extern const ModelType kModelType;

class Kernel final : public Model {
 public:
  explicit Kernel(const Config& cfg);
  void simulate_block(NoiseKey noise, const BlockParams& inputs, std::vector<BlockOutcomes>& out,
                      PathSink* paths) const override;

  // Coefficients as the kernel uses them: the configuration's, then some derived from them.
  enum KernelCoef : int {
    kRate0 = kNumCoefs,                // theta dt, per state
    kScale0 = kRate0 + kNumStates,     // sigma sqrt(dt), per state
    kScaleCf0 = kScale0 + kNumStates,  // sigma * ceasefire factor * sqrt(dt), per state
    kInitX0 = kScaleCf0 + kNumStates,  // logit of the initial level, per state
    kDecay = kInitX0 + kNumStates,     // threat decay per quarter: 2^(-dt / half life)
    kNumKernelCoefs
  };

 private:
  struct StrategyState;
  struct QuarterDraws;
  template <typename Coefs>
  void simulate(NoiseKey noise, const BlockParams& p, const Coefs& c,
                std::vector<BlockOutcomes>& out, PathSink* paths) const;
  void draw_quarter(NoiseKey noise, int quarter, QuarterDraws& d) const;
  template <typename Coefs>
  void step(const Strategy& own, int quarter, const BlockParams& p, Coefs c, const QuarterDraws& d,
            const double* leverage, StrategyState& st) const;
  template <typename Coefs>
  void outcomes(const StrategyState& st, Coefs c, BlockOutcomes& o) const;

  const Config& cfg_;
  const Settings& set_;
  double log_dt_;
  bool uncertain_;                              // some coefficient varies run by run
  std::array<double, kNumKernelCoefs> scalar_;  // every coefficient, when none is uncertain
};

}  // namespace wedge::triangle
