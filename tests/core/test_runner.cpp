#include <gtest/gtest.h>

#include "test_util.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/runner.hpp"

namespace wedge {
namespace {

//! A --target-se item resolved against the strategic triangle's outcomes.
TargetSe tse(int outcome, double value) {
  return {std::string(kOutcomes[static_cast<std::size_t>(outcome)].term.key), outcome, value};
}

stats::Accumulators run(const Config& cfg, std::uint64_t lo, std::uint64_t hi, int threads,
                        std::vector<TargetSe> targets = {}, RunReport* report = nullptr) {
  stats::Accumulators acc(cfg);
  RunOptions opt;
  opt.first_run = lo;
  opt.end_run = hi;
  opt.threads = threads;
  opt.target_se = std::move(targets);
  const RunReport r = run_study(cfg, opt, acc, MPI_COMM_SELF);
  if (report) *report = r;
  return acc;
}

//! Continues `acc` with runs [lo, hi), as an extension or a restart does.
void extend(const Config& cfg, stats::Accumulators& acc, std::uint64_t lo, std::uint64_t hi,
            int threads) {
  RunOptions more;
  more.first_run = lo;
  more.end_run = hi;
  more.threads = threads;
  run_study(cfg, more, acc, MPI_COMM_SELF);
}

TEST(Runner, ThreadsAndBatchesDoNotChangeABit) {
  Config cfg = test::baseline();
  cfg.batch_size = 1024;
  const auto one = run(cfg, 0, 5000, 1);
  const auto two = run(cfg, 0, 5000, 2);
  EXPECT_EQ(one.words(), two.words());
  Config small = cfg;
  small.batch_size = 128;
  EXPECT_EQ(run(small, 0, 5000, 2).words(), one.words());
}

TEST(Runner, AnExtensionEqualsOneRunOfTheTotal) {
  Config cfg = test::baseline();
  cfg.batch_size = 1024;
  auto first = run(cfg, 0, 3001, 2);  // ends inside a block and a batch
  extend(cfg, first, 3001, 7000, 1);
  EXPECT_EQ(first.words(), run(cfg, 0, 7000, 2).words());
}

TEST(Runner, LatinHypercubeIsReproducibleToo) {
  Config cfg = test::baseline();
  cfg.design = Design::kLatinHypercube;
  cfg.batch_size = 1024;
  auto a = run(cfg, 0, 1500, 1);
  extend(cfg, a, 1500, 4000, 2);
  EXPECT_EQ(a.words(), run(cfg, 0, 4000, 2).words());
}

TEST(Runner, StopsAtThePrecisionTargetOnABatchBoundary) {
  Config cfg = test::baseline();
  cfg.batch_size = 1024;
  RunReport rep;
  const std::vector<TargetSe> t = {tse(kSplit, 0.004), tse(kUsPayoff, 0.01)};
  const auto acc = run(cfg, 0, 200000, 2, t, &rep);
  EXPECT_TRUE(rep.target_reached);
  EXPECT_EQ(rep.next_run % cfg.batch_size, 0u);
  EXPECT_LT(rep.next_run, 200000u);
  EXPECT_TRUE(precision_reached(cfg, acc, t));
  // One batch fewer would not have been enough, and the stop is reproducible.
  const auto before = run(cfg, 0, rep.next_run - cfg.batch_size, 1);
  EXPECT_FALSE(precision_reached(cfg, before, t));
  RunReport again;
  EXPECT_EQ(run(cfg, 0, 200000, 1, t, &again).words(), acc.words());
  EXPECT_EQ(again.next_run, rep.next_run);
}

TEST(Runner, ARareEventIsNotPreciseBeforeItIsSeen) {
  // No military action at all (hazard forced to 0): the plug-in s.e. is 0 from the first
  // batch, but --target-se must wait until the Wilson interval is as narrow as asked.
  Config cfg = test::baseline();
  cfg.batch_size = 1024;
  triangle::settings(cfg).coef[kMInt] = -200.0;
  RunReport rep;
  const double target = 1e-4;
  const auto acc = run(cfg, 0, 200000, 1, {tse(kMilitaryAction, target)}, &rep);
  ASSERT_TRUE(rep.target_reached);
  for (int s = 0; s < cfg.num_strategies(); ++s) {
    EXPECT_EQ(acc.sum(stats::Seg::kOutcomeSum, acc.layout().outcome_index(s, kMilitaryAction)), 0);
    EXPECT_LT(target_standard_error(cfg, acc, s, kMilitaryAction), target);
  }
  // Wilson's upper end at 0 events is z^2/(n + z^2): half of it over z is below 1e-4 only from
  // n of about 9,800 runs on, i.e. the 10th batch of 1024.
  EXPECT_EQ(rep.next_run, 10u * 1024u);
}

TEST(Runner, ANonFiniteDrawStopsTheStudyWithTheRunNamed) {
  // A prior past what validation allows (set behind the parser's back): the study must stop
  // with an InputError naming the parameter and the run, not crash or write NaN statistics.
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  cfg.inputs[kVolatility].prior.p[0] = 800.0;  // lognormal(800, 0.3): every draw is inf
  try {
    run(cfg, 0, 2048, 2);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.key(), "parameters");
    EXPECT_NE(what.find("parameter 'volatility' was drawn as a non-finite value in run "),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("volatility=inf"), std::string::npos) << what;
  }
}

TEST(Runner, TargetsDescribeAlikeInAnyOrderAndSpelling) {
  const std::vector<TargetSe> a = {tse(kUsPayoff, 1e-2), tse(kSplit, 0.003)},
                              b = {tse(kSplit, 3e-3), tse(kUsPayoff, 0.010)};
  EXPECT_EQ(describe_targets(a), "split=0.003 us_payoff=0.01");
  EXPECT_EQ(describe_targets(a), describe_targets(b));
  EXPECT_EQ(describe_targets({tse(kSplit, 1e-4)}), "split=0.0001");
  EXPECT_EQ(describe_targets({}), "");
}

TEST(Runner, RunCapEndsAStudyThatMissesItsTarget) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  RunReport rep;
  run(cfg, 0, 2048, 1, {tse(kSplit, 1e-9)}, &rep);
  EXPECT_FALSE(rep.target_reached);
  EXPECT_EQ(rep.next_run, 2048u);
}

TEST(Runner, StopEndsAfterTheBatchInFlightWithACheckpoint) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  stats::Accumulators acc(cfg);
  RunOptions opt;
  opt.end_run = 4096;
  opt.threads = 1;
  int batches = 0;
  std::vector<std::uint64_t> checkpoints;
  stats::Accumulators saved(cfg);
  opt.control = [&] {
    ++batches;
    return batches == 1 ? kCheckpoint : batches == 3 ? kStop : kContinue;
  };
  opt.checkpoint = [&](const stats::Accumulators& total, std::uint64_t next) {
    checkpoints.push_back(next), saved = total;
  };
  const auto rep = run_study(cfg, opt, acc, MPI_COMM_SELF);
  EXPECT_TRUE(rep.stopped_early);
  EXPECT_EQ(rep.next_run, 1536u);
  EXPECT_EQ(acc.runs(), 1536u);
  EXPECT_EQ(checkpoints, (std::vector<std::uint64_t>{512u, 1536u}));
  EXPECT_EQ(saved.words(), acc.words());
  // Restarting from the checkpoint finishes with the same bits as an uninterrupted run.
  extend(cfg, saved, 1536, 4096, 2);
  EXPECT_EQ(saved.words(), run(cfg, 0, 4096, 1).words());
}

}  // namespace
}  // namespace wedge
