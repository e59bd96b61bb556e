// The analytic test models against their closed forms, and the model registry.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/models/test_models.hpp"

namespace wedge {
namespace {

struct Sample {
  double mean = 0, var = 0;
};
Sample moments(const std::vector<double>& y) {
  Sample m;
  for (double v : y) m.mean += v;
  m.mean /= static_cast<double>(y.size());
  for (double v : y) m.var += (v - m.mean) * (v - m.mean);
  m.var /= static_cast<double>(y.size() - 1);
  return m;
}

Config test_config(const std::string& file, const std::string& from = "",
                   const std::string& to = "") {
  std::string text = test::read_file(test::source_path("configs/" + file));
  if (!from.empty()) text.replace(text.find(from), from.size(), to);
  return parse_config(text, file);
}

TEST(TestModels, IshigamiMomentsMatchTheClosedForm) {
  const Config cfg = test_config("ishigami.toml");
  ASSERT_EQ(cfg.num_inputs(), 3);
  ASSERT_EQ(cfg.num_strategies(), 1);
  const std::uint64_t n = 200000;
  const auto y = test::simulate(cfg, 0, n)[0][0];
  const Sample m = moments(y);
  // E y = a / 2; V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 (Ishigami and Homma 1990).
  const double a = 7.0, b = 0.1, pi4 = std::pow(std::numbers::pi, 4);
  const double V = a * a / 8 + b * pi4 / 5 + b * b * pi4 * pi4 / 18 + 0.5;
  EXPECT_NEAR(m.mean, a / 2, 4.0 * std::sqrt(V / n));
  EXPECT_NEAR(m.var, V, 0.02 * V);
  EXPECT_NEAR(V, 13.8446, 1e-3);
}

TEST(TestModels, IshigamiNoiseAddsItsVarianceAndIsTheRunsOwn) {
  const Config quiet = test_config("ishigami.toml");
  const Config noisy = test_config("ishigami.toml", "noise_sd = 0.0", "noise_sd = 2.0");
  const std::uint64_t n = 100000;
  const auto y0 = test::simulate(quiet, 0, n)[0][0], y1 = test::simulate(noisy, 0, n)[0][0];
  std::vector<double> noise(n);
  for (std::size_t i = 0; i < n; ++i) noise[i] = y1[i] - y0[i];  // same inputs, added noise
  const Sample m = moments(noise);
  EXPECT_NEAR(m.mean, 0.0, 4.0 * 2.0 / std::sqrt(static_cast<double>(n)));
  EXPECT_NEAR(m.var, 4.0, 0.05 * 4.0);
  // A run's noise is a function of (seed, run) only.
  EXPECT_EQ(test::simulate(noisy, 777, 5)[0][0][0], y1[777]);
}

TEST(TestModels, SobolGMomentsMatchTheClosedForm) {
  const Config cfg = test_config("sobol_g.toml");
  ASSERT_EQ(cfg.num_inputs(), 8);
  const std::uint64_t n = 200000;
  const Sample m = moments(test::simulate(cfg, 0, n)[0][0]);
  // E y = 1; V = prod (1 + V_i) - 1, V_i = 1 / (3 (1 + a_i)^2).
  double V = 1.0;
  for (double a : {0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0})
    V *= 1.0 + 1.0 / (3 * (1 + a) * (1 + a));
  V -= 1.0;
  EXPECT_NEAR(m.mean, 1.0, 4.0 * std::sqrt(V / n));
  EXPECT_NEAR(m.var, V, 0.03 * V);
}

TEST(TestModels, EveryModelIsFoundByName) {
  for (const char* name : {"strategic_triangle", "ishigami", "sobol_g"}) {
    const ModelType* m = find_model_type(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->name, name);
  }
  EXPECT_EQ(find_model_type("nope"), nullptr);
}

// A test model's configuration with keys of another model is refused, naming the key.
TEST(TestModels, ForeignKeysAreRefused) {
  try {
    test_config("ishigami.toml", "[parameters]", "[states.alignment]\ntheta = 0.5\n\n[parameters]");
    FAIL() << "accepted the strategic triangle's [states] in an Ishigami configuration";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "states");
    EXPECT_NE(std::string(e.what()).find("unknown key"), std::string::npos) << e.what();
    EXPECT_GT(e.line(), 0);
  }
  try {
    test_config("sobol_g.toml", "a = [0.0,", "a = [-1.0,");
    FAIL() << "accepted a negative a_i";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "sobol_g.a");
  }
}

}  // namespace
}  // namespace wedge
