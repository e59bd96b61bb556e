#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "test_util.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge {
namespace {

const std::string kGrowthPrior = "{ dist = \"normal\", mean = 0.04, sd = 0.02 }";

Config with_growth_prior(const std::string& prior, const std::string& design = "monte_carlo") {
  std::string text = test::baseline_with(kGrowthPrior, prior);
  const std::string d = "design = \"monte_carlo\"";
  text.replace(text.find(d), d.size(), "design = \"" + design + "\"");
  const std::string b = "batch_size = 65536";
  text.replace(text.find(b), b.size(), "batch_size = 8192");
  return parse_config(text, "prior.toml");
}

struct Sample {
  double mean = 0, var = 0, min = 1e300, max = -1e300;
  std::vector<int> decile_counts = std::vector<int>(kDeciles, 0);
};

Sample draw(const Config& cfg, int param, std::uint64_t n) {
  ParameterSampler sampler(cfg);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  double s = 0, s2 = 0;
  Sample out;
  for (std::uint64_t r = 0; r < n; ++r) {
    sampler.prepare_batch(r / cfg.batch_size);
    sampler.sample(r, x, d);
    const double v = x[static_cast<std::size_t>(param)];
    s += v, s2 += v * v;
    out.min = std::min(out.min, v), out.max = std::max(out.max, v);
    ++out.decile_counts[d[static_cast<std::size_t>(param)]];
  }
  out.mean = s / static_cast<double>(n);
  out.var = s2 / static_cast<double>(n) - out.mean * out.mean;
  return out;
}

struct Family_ {
  const char* name;
  const char* prior;
};

class PriorMoments : public ::testing::TestWithParam<std::tuple<Family_, const char*>> {};

TEST_P(PriorMoments, MatchTheory) {
  const auto [fam, design] = GetParam();
  const Config cfg = with_growth_prior(fam.prior, design);
  const Prior& p = cfg.inputs[kLeverageGrowth].prior;
  // The Latin hypercube inverts every prior with Boost.Math (slower); it also converges faster.
  const std::uint64_t n = std::string(design) == "monte_carlo" ? 200000 : 40000;
  const Sample s = draw(cfg, kLeverageGrowth, n);
  const double mu = prior_mean(p), var = prior_variance(p);
  const double se_mean = std::sqrt(var / static_cast<double>(n));
  EXPECT_NEAR(s.mean, mu, 5 * se_mean + 1e-9) << fam.name;
  // The variance of a sample variance is about 2 var^2 / n for light tails; allow 6 of those
  // (lognormal's heavier tail is covered by the relative slack).
  EXPECT_NEAR(s.var, var, 6 * std::sqrt(2.0 / static_cast<double>(n)) * var * 2.0 + 1e-12)
      << fam.name;
  const Range sup = prior_support(p);
  EXPECT_GE(s.min, sup.lo);
  EXPECT_LE(s.max, sup.hi);
  if (p.family != Family::kFixed) {
    for (int d = 0; d < kDeciles; ++d)  // deciles of the prior hold a tenth of the runs each
      EXPECT_NEAR(s.decile_counts[static_cast<std::size_t>(d)] / static_cast<double>(n), 0.1, 0.006)
          << fam.name << " decile " << d;
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllFamilies, PriorMoments,
    ::testing::Combine(
        ::testing::Values(
            Family_{"uniform", "{ dist = \"uniform\", lower = -1.0, upper = 2.0 }"},
            Family_{"normal", "{ dist = \"normal\", mean = 0.5, sd = 2.0 }"},
            Family_{
                "truncated_normal",
                "{ dist = \"truncated_normal\", mean = 0.0, sd = 1.0, lower = -0.5, upper = 2.0 }"},
            Family_{"lognormal", "{ dist = \"lognormal\", mu = 0.0, sigma = 0.5 }"},
            Family_{"beta", "{ dist = \"beta\", alpha = 2.0, beta = 5.0 }"},
            Family_{"triangular",
                    "{ dist = \"triangular\", lower = -1.0, mode = 0.0, upper = 3.0 }"},
            Family_{"pert", "{ dist = \"pert\", lower = 0.0, mode = 1.0, upper = 4.0 }"},
            Family_{"fixed", "{ dist = \"fixed\", value = 0.3 }"}),
        ::testing::Values("monte_carlo", "latin_hypercube", "sobol")),
    [](const auto& param_info) {
      return std::string(std::get<0>(param_info.param).name) + "_" + std::get<1>(param_info.param);
    });

// Shapes that are not whole numbers take the log-gamma path (std::gamma_distribution), and
// very small ones must neither underflow to 0/0 nor lose their U-shape. Theory from the
// closed forms, not from the library's own prior_mean/prior_variance.
TEST(Sampling, BetaWithOtherShapesMatchesTheClosedForm) {
  for (const auto& [a, b] :
       {std::pair{0.5, 1.5}, std::pair{2.5, 3.7}, std::pair{0.02, 0.03}, std::pair{40.5, 0.7}}) {
    char prior[96];
    std::snprintf(prior, sizeof prior, "{ dist = \"beta\", alpha = %.17g, beta = %.17g }", a, b);
    const std::uint64_t n = 200000;
    const Sample s = draw(with_growth_prior(prior), kLeverageGrowth, n);
    const double mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
    EXPECT_NEAR(s.mean, mean, 5 * std::sqrt(var / n)) << a << ", " << b;
    // The sample variance's s.e. is sqrt((mu4 - var^2) / n) and mu4 <= var for values in [0, 1].
    EXPECT_NEAR(s.var, var, 5 * std::sqrt(var / n)) << a << ", " << b;
    EXPECT_GE(s.min, 0.0);
    EXPECT_LE(s.max, 1.0);
  }
  // PERT(0, 0.3, 1, lambda 4): Beta(2.2, 3.8) on [0, 1].
  const Sample p =
      draw(with_growth_prior("{ dist = \"pert\", lower = 0.0, mode = 0.3, upper = 1.0 }"),
           kLeverageGrowth, 200000);
  const double a = 2.2, b = 3.8, var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
  EXPECT_NEAR(p.mean, a / (a + b), 5 * std::sqrt(var / 200000.0));
  EXPECT_NEAR(p.var, var, 5 * std::sqrt(var / 200000.0));
}

// A Latin hypercube batch uses each of its strata exactly once (counts of runs per stratum).
bool each_stratum_once(const std::vector<int>& counts) {
  return std::all_of(counts.begin(), counts.end(), [](int c) { return c == 1; });
}

TEST(Sampling, LatinHypercubeStratifiesEveryBatch) {
  const Config cfg =
      with_growth_prior("{ dist = \"uniform\", lower = 0.0, upper = 1.0 }", "latin_hypercube");
  ParameterSampler sampler(cfg);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  const std::uint64_t B = cfg.batch_size;
  for (std::uint64_t batch = 0; batch < 2; ++batch) {
    sampler.prepare_batch(batch);
    std::vector<int> strata(B, 0);
    for (std::uint64_t j = 0; j < B; ++j) {
      sampler.sample(batch * B + j, x, d);
      ++strata[static_cast<std::size_t>(x[kLeverageGrowth] * static_cast<double>(B))];
    }
    EXPECT_TRUE(each_stratum_once(strata));
  }
}

TEST(Sampling, SameRunSameParametersWhateverTheOrder) {
  const Config cfg = test::baseline();
  ParameterSampler a(cfg), b(cfg);
  std::vector<double> x, y{};
  std::vector<std::uint8_t> d;
  a.sample(12345, x, d);
  b.sample(999, y, d);
  b.sample(12345, y, d);
  EXPECT_EQ(0, std::memcmp(x.data(), y.data(), sizeof x));
}

// The block sampler (vectorised for whole-shape Beta and PERT priors) must give exactly what
// the run-by-run sampler gives, for every family and design, at any block offset.
void expect_block_equals_runs(const Config& cfg, std::uint64_t first) {
  ParameterSampler sampler(cfg);
  sampler.prepare_batch(first / cfg.batch_size);
  BlockParams params;
  BlockDeciles deciles{};
  sampler.sample_block(first, params, deciles);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  for (int j = 0; j < kBlock; ++j) {
    sampler.sample(first + static_cast<std::uint64_t>(j), x, d);
    for (int p = 0; p < kNumParams; ++p) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(x[p]), std::bit_cast<std::uint64_t>(params[p][j]))
          << kParams[p].key << " lane " << j << " first run " << first;
      ASSERT_EQ(d[p], deciles[p][j]) << kParams[p].key << " lane " << j;
    }
  }
}

TEST(Sampling, BlockSamplerEqualsRunByRun) {
  for (std::uint64_t first : {0ull, 64ull, 8192ull * 3 + 640, (1ull << 33) + 128})
    expect_block_equals_runs(test::baseline(), first);
  // Whole-shape PERT (vector path), a non-whole Beta and the other families (run by run).
  for (const char* prior :
       {"{ dist = \"pert\", lower = 0.0, mode = 0.05, upper = 0.1, lambda = 4.0 }",
        "{ dist = \"beta\", alpha = 2.5, beta = 3.0 }",
        "{ dist = \"beta\", alpha = 16.0, beta = 16.0 }",
        "{ dist = \"triangular\", lower = 0.0, mode = 0.03, upper = 0.1 }",
        "{ dist = \"uniform\", lower = 0.0, upper = 0.1 }",
        "{ dist = \"lognormal\", mu = -3.0, sigma = 0.5 }",
        "{ dist = \"truncated_normal\", mean = 0.04, sd = 0.02, lower = 0.0, upper = 0.1 }",
        "{ dist = \"fixed\", value = 0.04 }"}) {
    SCOPED_TRACE(prior);
    expect_block_equals_runs(with_growth_prior(prior), 640);
    expect_block_equals_runs(with_growth_prior(prior, "latin_hypercube"), 8192 + 64);
    expect_block_equals_runs(with_growth_prior(prior, "sobol"), (1 << 20) + 64);
  }
  expect_block_equals_runs(
      parse_config(test::read_file(test::source_path("configs/correlated.toml")), "c.toml"), 128);
}

double spearman(std::vector<double> a, std::vector<double> b) {
  auto ranks = [](std::vector<double>& v) {
    std::vector<std::size_t> idx(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](auto i, auto j) { return v[i] < v[j]; });
    std::vector<double> r(v.size());
    for (std::size_t k = 0; k < idx.size(); ++k) r[idx[k]] = static_cast<double>(k);
    v = r;
  };
  ranks(a), ranks(b);
  const double n = static_cast<double>(a.size()), m = (n - 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sab += (a[i] - m) * (b[i] - m), saa += (a[i] - m) * (a[i] - m), sbb += (b[i] - m) * (b[i] - m);
  return sab / std::sqrt(saa * sbb);
}

// configs/correlated.toml with another design and batch size.
Config correlated_config(const std::string& design, int batch_size) {
  std::string text = test::read_file(test::source_path("configs/correlated.toml"));
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"design = \"monte_carlo\"",
                                            "design = \"" + design + "\""},
        {"batch_size = 65536", "batch_size = " + std::to_string(batch_size)}}) {
    const auto at = text.find(from);
    if (at == std::string::npos)
      throw std::logic_error("configs/correlated.toml has no '" + from + "'");
    text.replace(at, from.size(), to);
  }
  return parse_config(text, "correlated.toml");
}

TEST(Sampling, CopulaGivesTheRankCorrelation) {
  for (const char* design : {"monte_carlo", "latin_hypercube", "sobol"}) {
    const Config cfg = correlated_config(design, 65536);
    ParameterSampler sampler(cfg);
    std::vector<double> x;
    std::vector<std::uint8_t> dec;
    std::vector<double> a, b, c;
    for (std::uint64_t r = 0; r < 50000; ++r) {
      sampler.prepare_batch(r / cfg.batch_size);
      sampler.sample(r, x, dec);
      a.push_back(x[kReceptiveness]), b.push_back(x[kResilience]), c.push_back(x[kHedging]);
    }
    EXPECT_NEAR(spearman(a, b), -0.4, 0.02) << design;
    EXPECT_NEAR(spearman(a, c), 0.0, 0.02) << design;
  }
}

TEST(Sampling, LatinHypercubeWithCorrelationsKeepsEveryStratum) {
  // Iman-Conover rearranges the correlated parameters' strata: each batch still uses each
  // stratum of each parameter exactly once, and the batch's rank correlation is near target.
  const Config cfg = correlated_config("latin_hypercube", 4096);
  ParameterSampler sampler(cfg);
  std::vector<double> x;
  std::vector<std::uint8_t> dec;
  const std::uint64_t B = cfg.batch_size;
  for (std::uint64_t batch = 0; batch < 3; ++batch) {
    sampler.prepare_batch(batch);
    std::vector<std::vector<int>> strata(kNumParams, std::vector<int>(B, 0));
    std::vector<double> a, r;
    for (std::uint64_t j = 0; j < B; ++j) {
      sampler.sample(batch * B + j, x, dec);
      for (int p = 0; p < kNumParams; ++p) {
        const Prior& pr = cfg.inputs[static_cast<std::size_t>(p)].prior;
        if (pr.family == Family::kFixed) continue;
        const double u = prior_cdf(pr, x[static_cast<std::size_t>(p)]);
        ++strata[static_cast<std::size_t>(p)][std::min<std::size_t>(
            static_cast<std::size_t>(u * static_cast<double>(B)), B - 1)];
      }
      a.push_back(x[kReceptiveness]), r.push_back(x[kResilience]);
    }
    for (int p = 0; p < kNumParams; ++p) {
      if (cfg.inputs[static_cast<std::size_t>(p)].prior.family == Family::kFixed) continue;
      const auto& st = strata[static_cast<std::size_t>(p)];
      EXPECT_TRUE(each_stratum_once(st))
          << kParams[static_cast<std::size_t>(p)].key << " batch " << batch;
    }
    EXPECT_NEAR(spearman(a, r), -0.4, 0.02) << "batch " << batch;
  }
}

TEST(Sampling, NonPositiveDefiniteIsDetected) {
  std::vector<Correlation> c = {{0, 1, 0.9}, {0, 2, 0.9}, {1, 2, -0.9}};
  std::string why;
  EXPECT_FALSE(correlation_is_positive_definite(c, why));
  EXPECT_FALSE(why.empty());
  c[2].rank = 0.8;
  EXPECT_TRUE(correlation_is_positive_definite(c, why));
}

}  // namespace
}  // namespace wedge
