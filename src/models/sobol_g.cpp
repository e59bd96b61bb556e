// The Sobol' G-function as a model (include/wedge/models/test_models.hpp).
#include <cmath>
#include <cstdio>
#include <string>

#include "io/prior_reader.hpp"
#include "wedge/core/error.hpp"
#include "wedge/models/test_models.hpp"

namespace wedge::test_models {
namespace {

using detail::Section;

constexpr int kMaxInputs = 64;

struct Settings {
  std::vector<double> a;  //!< a_i, one per input x_i
};

class SobolG final : public Model {
 public:
  explicit SobolG(const Config& cfg)
      : cfg_(cfg), a_(std::any_cast<const Settings&>(cfg.model_settings).a) {}

  void simulate_block(NoiseKey, const BlockParams& in, std::vector<BlockOutcomes>& out,
                      PathSink*) const override {
    out.resize(static_cast<std::size_t>(cfg_.num_strategies()));
    for (auto& o : out) {
      if (o.rows() != 1) o.resize(1);
      double* y = o[0];
      for (int j = 0; j < kBlock; ++j) y[j] = 1.0;
      for (std::size_t i = 0; i < a_.size(); ++i) {
        const double* x = in[static_cast<int>(i)];
        const double ai = a_[i];
        for (int j = 0; j < kBlock; ++j) y[j] *= (std::abs(4.0 * x[j] - 2.0) + ai) / (1.0 + ai);
      }
    }
  }

 private:
  const Config& cfg_;
  std::vector<double> a_;
};

void read(Section& top, Config& c) {
  Section s = top.table("sobol_g");
  const toml::array& arr = s.array("a");
  if (arr.empty() || arr.size() > kMaxInputs)
    s.fail("a", "needs 1 to " + std::to_string(kMaxInputs) + " numbers, one per input");
  Settings set;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const auto v = arr[i].value<double>();
    if (!v || !std::isfinite(*v) || *v < 0.0)
      s.fail_at(arr[i], "a", "every entry must be a number >= 0");
    set.a.push_back(*v);
    // Formatted, not concatenated: GCC 12 warns (falsely, -Wrestrict) on string operator+ here.
    char name[24];
    std::snprintf(name, sizeof name, "x%zu", i + 1);
    c.inputs.push_back({name, "an input of the G-function", "1", {}, Bounds::unit(), -1});
  }
  s.finish();
  c.num_params = static_cast<int>(set.a.size());
  // y lies between prod a_i / (1 + a_i) and prod (2 + a_i) / (1 + a_i).
  double lo = 1.0, hi = 1.0;
  for (double ai : set.a) lo *= ai / (1.0 + ai), hi *= (2.0 + ai) / (1.0 + ai);
  if (hi > 2000.0)
    s.fail("a", "the G-function can exceed 2000 under these a_i; use larger a_i or fewer inputs");
  c.outcomes.push_back({"y", "the Sobol' G-function", "1", OutcomeKind::kContinuous, {lo, hi}});
  c.payoff = 0;
  c.model_settings = std::move(set);
}

std::unique_ptr<Model> create(const Config& c) { return std::make_unique<SobolG>(c); }

}  // namespace

const ModelType kSobolG{
    "sobol_g", "sobol-g-v1", "the Sobol' G-function (a test of sensitivity indices)", false, read,
    nullptr,   create};

}  // namespace wedge::test_models
