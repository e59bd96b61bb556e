// The Ishigami function as a model (include/wedge/models/test_models.hpp).
#include <array>
#include <cmath>
#include <numbers>

#include "io/prior_reader.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/rng.hpp"
#include "wedge/models/test_models.hpp"

namespace wedge::test_models {
namespace {

using detail::Section;

enum Param : int { kX1, kX2, kX3, kNumParams };
inline constexpr std::array<Term, kNumParams> kParams = {{
    {kX1, "x1", "first input of the Ishigami function", "1"},
    {kX2, "x2", "second input of the Ishigami function", "1"},
    {kX3, "x3", "third input of the Ishigami function", "1"},
}};
static_assert(in_enum_order(kParams));

enum Coef : int { kA, kB, kNoiseSd, kNumCoefs };
inline constexpr std::array<CoefficientTerm, kNumCoefs> kCoefs = {{
    {{kA, "a", "weight of sin^2 x2", "1"}, "ishigami", Bounds::closed(-100.0, 100.0)},
    {{kB, "b", "weight of x3^4 sin x1", "1"}, "ishigami", Bounds::closed(-10.0, 10.0)},
    {{kNoiseSd, "noise_sd", "standard deviation of the model's own noise", "1"},
     "ishigami",
     Bounds::closed(0.0, 100.0)},
}};
static_assert(in_enum_order(kCoefs));

struct Settings {
  std::array<double, kNumCoefs> coef{};
  std::array<int, kNumCoefs> input_row{};
};

class Ishigami final : public Model {
 public:
  explicit Ishigami(const Config& cfg)
      : cfg_(cfg), set_(std::any_cast<const Settings&>(cfg.model_settings)) {}

  void simulate_block(NoiseKey noise, const BlockParams& in, std::vector<BlockOutcomes>& out,
                      PathSink*) const override {
    out.resize(static_cast<std::size_t>(cfg_.num_strategies()));
    const auto key = rng::make_key(cfg_.seed);
    rng::Philox philox;
    for (auto& o : out) {
      if (o.rows() != 1) o.resize(1);
      for (int j = 0; j < kBlock; ++j) {
        const auto coef = [&](int k) {
          const int row = set_.input_row[static_cast<std::size_t>(k)];
          return row < 0 ? set_.coef[static_cast<std::size_t>(k)] : in[row][j];
        };
        const double x1 = in[kX1][j], x2 = in[kX2][j], x3 = in[kX3][j];
        const double s1 = std::sin(x1), s2 = std::sin(x2);
        double y = s1 + coef(kA) * s2 * s2 + coef(kB) * x3 * x3 * x3 * x3 * s1;
        if (const double sd = coef(kNoiseSd); sd != 0.0) {
          // The run's own randomness: its shock stream, shared by every strategy.
          const std::uint64_t run = noise.first_run + static_cast<std::uint64_t>(j);
          const auto w = philox(
              rng::Philox::ctr_type{{static_cast<std::uint32_t>(run),
                                     static_cast<std::uint32_t>(run >> 32),
                                     rng::noise_purpose(rng::Purpose::kShocks, noise.variant), 0}},
              key);
          double z0, z1;
          rng::box_muller(w[0], w[1], z0, z1);
          y += sd * z0;
        }
        o[0][j] = y;
      }
    }
  }

 private:
  const Config& cfg_;
  const Settings& set_;
};

double largest_magnitude(const Prior& p) {
  const Range r = prior_support(p);
  return std::max(std::abs(r.lo), std::abs(r.hi));
}

void read(Section& top, Config& c) {
  for (const Term& t : kParams) {
    Input in;
    in.name = t.key, in.long_name = t.long_name, in.unit = t.unit;
    c.inputs.push_back(std::move(in));
  }
  c.num_params = kNumParams;
  Settings set;
  Section s = top.table("ishigami");
  for (const CoefficientTerm& t : kCoefs)
    set.coef[static_cast<std::size_t>(t.term.id)] =
        detail::read_coefficient(s, t, c, set.input_row[static_cast<std::size_t>(t.term.id)]);
  s.finish();
  c.outcomes.push_back({"y", "the Ishigami function", "1", OutcomeKind::kContinuous, {0, 0}});
  c.payoff = 0;
  c.model_settings = set;
}

// The range of y needs the priors of x3 and of the coefficients, read after the model's own
// section: set when the configuration is complete.
void finish(Config& c) {
  const auto& set = std::any_cast<const Settings&>(c.model_settings);
  const auto extreme = [&](int k) {
    const int row = set.input_row[static_cast<std::size_t>(k)];
    return row < 0 ? std::abs(set.coef[static_cast<std::size_t>(k)])
                   : largest_magnitude(c.inputs[static_cast<std::size_t>(row)].prior);
  };
  const double x3 = largest_magnitude(c.inputs[kX3].prior);
  // A Box-Muller normal from 32-bit uniforms stays within 6.7 standard deviations.
  const double bound =
      1.0 + extreme(kA) + extreme(kB) * x3 * x3 * x3 * x3 + 7.0 * extreme(kNoiseSd);
  if (!(bound <= 2000.0))
    throw InputError(c.path, 0, "parameters.x3",
                     "the Ishigami function can exceed 2000 in magnitude under these priors; "
                     "bound x3 (e.g. uniform on [-pi, pi])");
  c.outcomes[0].range = {-bound, bound};
}

std::unique_ptr<Model> create(const Config& c) { return std::make_unique<Ishigami>(c); }

}  // namespace

const ModelType kIshigami{
    "ishigami", "ishigami-v1", "the Ishigami function (a test of sensitivity indices)", false, read,
    finish,     create};

}  // namespace wedge::test_models
