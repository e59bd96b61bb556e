// The box model (include/wedge/models/test_models.hpp): a known scenario-discovery answer.
#include <cmath>
#include <cstdio>
#include <string>

#include "io/prior_reader.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/rng.hpp"
#include "wedge/models/test_models.hpp"

namespace wedge::test_models {
namespace {

using detail::Section;

constexpr int kMaxInputs = 64;

struct Settings {
  std::vector<double> lower, upper;  //!< the box on the first inputs
  double p_inside = 0.9, p_outside = 0.05;
};

class BoxModel final : public Model {
 public:
  explicit BoxModel(const Config& cfg)
      : cfg_(cfg), set_(std::any_cast<const Settings&>(cfg.model_settings)) {}

  void simulate_block(NoiseKey noise, const BlockParams& in, std::vector<BlockOutcomes>& out,
                      PathSink*) const override {
    out.resize(static_cast<std::size_t>(cfg_.num_strategies()));
    const auto key = rng::make_key(cfg_.seed);
    rng::Philox philox;
    for (int j = 0; j < kBlock; ++j) {
      bool inside = true;
      for (std::size_t i = 0; i < set_.lower.size(); ++i) {
        const double x = in[static_cast<int>(i)][j];
        inside = inside && x >= set_.lower[i] && x <= set_.upper[i];
      }
      // The run's own randomness, shared by every strategy: one draw for the hit, one for y.
      const std::uint64_t run = noise.first_run + static_cast<std::uint64_t>(j);
      const auto w = philox(
          rng::Philox::ctr_type{{static_cast<std::uint32_t>(run),
                                 static_cast<std::uint32_t>(run >> 32),
                                 rng::noise_purpose(rng::Purpose::kShocks, noise.variant), 0}},
          key);
      const double u0 = (w[0] + 0.5) * 0x1p-32, u1 = (w[1] + 0.5) * 0x1p-32;
      const double hit = u0 < (inside ? set_.p_inside : set_.p_outside) ? 1.0 : 0.0;
      const double y = (inside ? 1.0 : 0.0) + u1;
      for (auto& o : out) {
        if (o.rows() != 2) o.resize(2);
        o[0][j] = hit;
        o[1][j] = y;
      }
    }
  }

 private:
  const Config& cfg_;
  const Settings& set_;
};

std::vector<double> unit_numbers(Section& s, const char* key) {
  const toml::array& arr = s.array(key);
  std::vector<double> v;
  for (const auto& node : arr) {
    const auto x = node.value<double>();
    if (!x || !(*x >= 0.0 && *x <= 1.0)) s.fail_at(node, key, "every entry must be in [0, 1]");
    v.push_back(*x);
  }
  return v;
}

void read(Section& top, Config& c) {
  Section s = top.table("box");
  const auto n = s.integer("inputs", 1, kMaxInputs);
  Settings set;
  set.lower = unit_numbers(s, "lower");
  set.upper = unit_numbers(s, "upper");
  if (set.lower.empty() || set.lower.size() != set.upper.size() ||
      set.lower.size() > static_cast<std::size_t>(n))
    s.fail("upper", "lower and upper need the same number of entries, 1 to inputs");
  for (std::size_t i = 0; i < set.lower.size(); ++i)
    if (!(set.lower[i] < set.upper[i])) s.fail("upper", "each upper limit must exceed its lower");
  set.p_inside = s.number("p_inside", Bounds::closed(0.0, 1.0));
  set.p_outside = s.number("p_outside", Bounds::closed(0.0, 1.0));
  s.finish();
  for (std::int64_t i = 0; i < n; ++i) {
    char name[24];
    std::snprintf(name, sizeof name, "x%lld", static_cast<long long>(i + 1));
    c.inputs.push_back({name, "an input of the box model", "1", {}, Bounds::unit(), -1});
  }
  c.num_params = static_cast<int>(n);
  c.outcomes.push_back({"hit",
                        "1 with probability p_inside in the box, p_outside elsewhere",
                        "1",
                        OutcomeKind::kBinary,
                        {0.0, 1.0}});
  c.outcomes.push_back({"y",
                        "1 in the box, 0 elsewhere, plus a U(0, 1) draw",
                        "1",
                        OutcomeKind::kContinuous,
                        {0.0, 2.0}});
  c.payoff = 1;
  c.model_settings = std::move(set);
}

std::unique_ptr<Model> create(const Config& c) { return std::make_unique<BoxModel>(c); }

}  // namespace

const ModelType kBox{"box", "box-v1", "a known box in the inputs (a test of scenario discovery)",
                     false, read,     nullptr,
                     create};

}  // namespace wedge::test_models
