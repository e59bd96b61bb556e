// Statistics benchmark: the cost per run of the streaming statistics (Tally) alone, on blocks
// simulated once and replayed, so that changes to the statistics can be timed without the
// model's noise. Usage: bench_stats [CONFIG] [RUNS]
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "wedge/core/sampling.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/models/strategic_triangle.hpp"

using namespace wedge;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Keeps every level the model reports, to replay them later.
class Recorder final : public PathSink {
 public:
  std::vector<double> levels;  // [strategy][quarter][state][lane]
  int states = 0;
  void observe(int, int, const double* l) override {
    levels.insert(levels.end(), l, l + states * kBlock);
  }
  std::vector<std::pair<int, std::vector<double>>> groups;  // (strategy, switched lanes)
  void group(int s, const double* switched) override {
    groups.emplace_back(s, std::vector<double>(switched, switched + kBlock));
  }
};

struct RecordedBlock {
  Recorder paths;
  std::vector<BlockOutcomes> out;
  BlockDeciles deciles{};
};

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const std::string path = argc > 1 ? argv[1] : "configs/baseline.toml";
  const std::uint64_t runs = argc > 2 ? std::stoull(argv[2]) : 1000000;
  const Config cfg = load_config(path);
  const int S = cfg.num_strategies(), T = cfg.quarters;
  const auto model = make_model(cfg);
  ParameterSampler sampler(cfg);
  // A few distinct blocks, so histogram updates do not always hit the same bins.
  constexpr int kRecorded = 8;
  std::vector<RecordedBlock> blocks(kRecorded);
  for (int b = 0; b < kRecorded; ++b) {
    BlockParams params;
    blocks[b].paths.states = cfg.num_states();
    sampler.sample_block(static_cast<std::uint64_t>(b * kBlock), params, blocks[b].deciles);
    model->simulate_block(static_cast<std::uint64_t>(b * kBlock), params, blocks[b].out,
                          &blocks[b].paths);
  }
  stats::Tally tally(cfg);
  stats::Accumulators acc(cfg);
  const std::uint64_t nblocks = runs / kBlock;
  double best = 1e300;
  for (int rep = 0; rep < 5; ++rep) {
    const double t0 = now();
    for (std::uint64_t i = 0; i < nblocks; ++i) {
      const RecordedBlock& rb = blocks[i % kRecorded];
      tally.begin_block(0, kBlock);
      for (const auto& [s, switched] : rb.paths.groups) tally.group(s, switched.data());
      for (int s = 0; s < S; ++s)
        for (int t = 0; t < T; ++t)
          tally.observe(s, t,
                        rb.paths.levels.data() +
                            static_cast<std::size_t>((s * T + t) * cfg.num_states() * kBlock));
      tally.add_block(rb.out, rb.deciles);
      if ((i + 1) % (cfg.batch_size / kBlock) == 0) tally.flush_into(acc);
    }
    tally.flush_into(acc);
    best = std::min(best, now() - t0);
  }
  std::printf(
      "statistics alone: %.3f s for %llu runs x %d strategies (%.1f ns per run), best of 5\n", best,
      static_cast<unsigned long long>(nblocks * kBlock), S,
      1e9 * best / static_cast<double>(nblocks * kBlock));
  MPI_Finalize();
  return 0;
}
