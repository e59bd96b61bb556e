// The coin model (include/wedge/models/test_models.hpp): a conjugate Beta-Bernoulli case, the
// closed-form test of the evidence's weights.
#include <array>
#include <vector>

#include "wedge/core/rng.hpp"
#include "wedge/models/test_models.hpp"

namespace wedge::test_models {
namespace {

using detail::Section;

enum State : int { kRate, kShare, kNumStates };
inline constexpr std::array<Term, kNumStates> kStates = {{
    {kRate, "rate", "the success probability p (constant over the run)", "1"},
    {kShare, "share",
     "the running share of successes, (successes so far + 1/2) / (quarters so far + 1)", "1"},
}};
static_assert(in_enum_order(kStates));

enum Outcome : int { kSuccesses, kLateSuccesses, kFirstSuccessQuarter, kNumOutcomes };

class Coin final : public Model {
 public:
  explicit Coin(const Config& cfg) : cfg_(cfg) {}

  void simulate_block(NoiseKey noise, const BlockParams& in, std::vector<BlockOutcomes>& out,
                      PathSink* paths) const override {
    const int T = cfg_.quarters;
    // Every quarter of the run is shared by every strategy (the lever has no effect): the
    // successes are counted once, then handed to each strategy.
    const int decision = cfg_.history ? cfg_.decision_quarter : 0;
    const auto key = rng::make_key(cfg_.seed);
    const std::uint32_t purpose = rng::noise_purpose(rng::Purpose::kShocks, noise.variant);
    rng::Philox philox;
    thread_local std::vector<double> levels;  // [quarter][state][lane], for the sink
    if (paths != nullptr) levels.resize(static_cast<std::size_t>(T) * kNumStates * kBlock);
    alignas(64) double count[kBlock] = {}, late[kBlock] = {}, first[kBlock];
    std::uint32_t words[kBlock][4];
    for (double& f : first) f = -1.0;
    for (int t = 0; t < T; ++t) {
      // One Philox call gives the run's draws of four quarters.
      if (t % 4 == 0)
        for (int j = 0; j < kBlock; ++j) {
          const std::uint64_t run = noise.first_run + static_cast<std::uint64_t>(j);
          const auto w = philox(rng::Philox::ctr_type{{static_cast<std::uint32_t>(run),
                                                       static_cast<std::uint32_t>(run >> 32),
                                                       purpose, static_cast<std::uint32_t>(t / 4)}},
                                key);
          for (int k = 0; k < 4; ++k) words[j][k] = w[static_cast<std::size_t>(k)];
        }
      for (int j = 0; j < kBlock; ++j) {
        const bool success = rng::u01(words[j][t % 4]) < in[0][j];
        count[j] += success ? 1.0 : 0.0;
        late[j] += success && t >= decision ? 1.0 : 0.0;
        if (success && first[j] < 0) first[j] = t;
      }
      if (paths == nullptr) continue;
      double* lv = levels.data() + static_cast<std::size_t>(t) * kNumStates * kBlock;
      for (int j = 0; j < kBlock; ++j)
        lv[kRate * kBlock + j] = in[0][j], lv[kShare * kBlock + j] = (count[j] + 0.5) / (t + 2.0);
      if (t < decision) paths->history(t, lv, count);
    }
    out.resize(static_cast<std::size_t>(cfg_.num_strategies()));
    for (auto& o : out) {
      if (o.rows() != kNumOutcomes) o.resize(kNumOutcomes);
      for (int j = 0; j < kBlock; ++j)
        o[kSuccesses][j] = count[j], o[kLateSuccesses][j] = late[j],
        o[kFirstSuccessQuarter][j] = first[j];
    }
    if (paths == nullptr) return;
    for (int t = 0; t < T; ++t)
      for (int s = 0; s < cfg_.num_strategies(); ++s)
        paths->observe(s, t, levels.data() + static_cast<std::size_t>(t) * kNumStates * kBlock);
  }

 private:
  const Config& cfg_;
};

void read(Section&, Config& c) {
  c.inputs.push_back(
      {"p", "the probability of a success in each quarter", "1", {}, Bounds::unit(), -1});
  c.num_params = 1;
  static constexpr Term kLever{0, "effort", "a lever with no effect (a history needs levers)", "1"};
  static constexpr Term kSuccess{0, "success", "a success (in each quarter with probability p)",
                                 "1"};
  c.levers = {kLever};
  c.states.assign(kStates.begin(), kStates.end());
  const double T = c.quarters;
  c.outcomes.push_back(
      {"successes", "successes over the horizon", "1", OutcomeKind::kInteger, {0.0, T}});
  c.outcomes.push_back({"late_successes",
                        "successes from the decision quarter on",
                        "1",
                        OutcomeKind::kInteger,
                        {0.0, T}});
  c.outcomes.push_back({"first_success_quarter",
                        "quarter of the first success (-1: none)",
                        "1",
                        OutcomeKind::kInteger,
                        {-1.0, T - 1.0}});
  c.events = {{kSuccess, kFirstSuccessQuarter}};
  c.payoff = kSuccesses;
}

std::unique_ptr<Model> create(const Config& c) { return std::make_unique<Coin>(c); }

}  // namespace

const ModelType kCoin{
    "coin", "coin-v1", "Bernoulli successes with a Beta prior (a conjugate test of evidence)",
    true,   read,      nullptr,
    create};

}  // namespace wedge::test_models
