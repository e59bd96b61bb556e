// Statistics benchmark: the cost per run of the streaming statistics (Tally) alone, on blocks
// simulated once and replayed, so that changes to the statistics can be timed without the
// model's noise. With [[evidence]] in the configuration, also the weighted statistics (the
// history replayed too), in alternating pairs with the unweighted ones. Usage: bench_stats
// [CONFIG] [RUNS]
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "wedge/core/evidence.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/models/strategic_triangle.hpp"
#include "wedge/models/triangle_vocabulary.hpp"

using namespace wedge;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Keeps every call the model makes, to replay them later in the same order.
class Recorder final : public PathSink {
 public:
  struct Call {
    enum Kind { kObserve, kGroup, kHistory } kind;
    int strategy, quarter;
    std::vector<double> a, b;  // levels or switched lanes; event counts
  };
  std::vector<Call> calls;
  int states = 0, events = 0;
  void observe(int s, int t, const double* l) override {
    calls.push_back({Call::kObserve, s, t, {l, l + states * kBlock}, {}});
  }
  void group(int s, const double* switched) override {
    calls.push_back({Call::kGroup, s, 0, {switched, switched + kBlock}, {}});
  }
  void history(int t, const double* l, const double* counts) override {
    calls.push_back(
        {Call::kHistory, 0, t, {l, l + states * kBlock}, {counts, counts + events * kBlock}});
  }
  void replay(stats::Tally& tally) const {
    for (const Call& c : calls) switch (c.kind) {
        case Call::kObserve: tally.observe(c.strategy, c.quarter, c.a.data()); break;
        case Call::kGroup: tally.group(c.strategy, c.a.data()); break;
        case Call::kHistory: tally.history(c.quarter, c.a.data(), c.b.data()); break;
      }
  }
};

struct RecordedBlock {
  Recorder paths;
  std::vector<BlockOutcomes> out;
  BlockDeciles deciles{};
  BlockParams params;
};

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const std::string path = argc > 1 ? argv[1] : "configs/baseline.toml";
  const std::uint64_t runs = argc > 2 ? std::stoull(argv[2]) : 1000000;
  const Config cfg = load_config(path);
  const int S = cfg.num_strategies();
  const auto model = make_model(cfg);
  ParameterSampler sampler(cfg);
  // A few distinct blocks, so histogram updates do not always hit the same bins.
  constexpr int kRecorded = 8;
  std::vector<RecordedBlock> blocks(kRecorded);
  for (int b = 0; b < kRecorded; ++b) {
    blocks[b].paths.states = cfg.num_states();
    blocks[b].paths.events = triangle::kNumEvents;
    sampler.sample_block(static_cast<std::uint64_t>(b * kBlock), blocks[b].params,
                         blocks[b].deciles);
    model->simulate_block(static_cast<std::uint64_t>(b * kBlock), blocks[b].params, blocks[b].out,
                          &blocks[b].paths);
  }
  // One pass of the statistics over the recorded blocks; with evidence, the weighted pass and the
  // same study's unweighted one alternate, so that the machine's drifting speed cancels in their
  // ratio.
  Config unweighted = cfg;
  unweighted.evidence.clear();
  const double offset = cfg.weighted() ? evidence_log_offset(cfg, *model) : 0.0;
  const std::uint64_t nblocks = runs / kBlock;
  const auto pass = [&](const Config& c) {
    stats::Tally tally(c, offset);
    stats::Accumulators acc(c);
    const double t0 = now();
    for (std::uint64_t i = 0; i < nblocks; ++i) {
      const RecordedBlock& rb = blocks[i % kRecorded];
      tally.begin_block(0, kBlock);
      rb.paths.replay(tally);
      tally.add_block(rb.out, rb.deciles, &rb.params);
      if ((i + 1) % (c.batch_size / kBlock) == 0) tally.flush_into(acc);
    }
    tally.flush_into(acc);
    return now() - t0;
  };
  constexpr int kReps = 9;
  std::vector<double> plain, weighted, ratio;
  for (int rep = 0; rep < kReps; ++rep) {
    plain.push_back(pass(unweighted));
    if (cfg.weighted())
      weighted.push_back(pass(cfg)), ratio.push_back(plain.back() / weighted.back());
  }
  const auto per_run = [&](const std::vector<double>& t) {
    return 1e9 * *std::min_element(t.begin(), t.end()) / static_cast<double>(nblocks * kBlock);
  };
  std::printf(
      "statistics alone, %llu runs x %d strategies, best of %d: unweighted %.1f ns per run\n",
      static_cast<unsigned long long>(nblocks * kBlock), S, kReps, per_run(plain));
  if (cfg.weighted()) {
    std::sort(ratio.begin(), ratio.end());
    std::printf("weighted %.1f ns per run; unweighted / weighted: median %.3f of %d pairs\n",
                per_run(weighted), ratio[ratio.size() / 2], kReps);
  }
  MPI_Finalize();
  return 0;
}
