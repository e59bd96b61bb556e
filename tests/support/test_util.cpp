#include "test_util.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "wedge/core/runner.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge::test {

std::string source_path(const std::string& rel) {
  return std::string(WEDGE_SOURCE_DIR) + "/" + rel;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Config baseline() { return load_config(source_path("configs/baseline.toml")); }

std::string baseline_with(const std::string& from, const std::string& to) {
  std::string text = read_file(source_path("configs/baseline.toml"));
  const auto pos = text.find(from);
  if (pos == std::string::npos || text.find(from, pos + 1) != std::string::npos)
    throw std::logic_error("baseline_with: '" + from + "' must occur exactly once");
  return text.replace(pos, from.size(), to);
}

std::vector<std::vector<std::vector<double>>> simulate(const Config& cfg, std::uint64_t first,
                                                       std::uint64_t n) {
  const auto model = make_model(cfg);
  ParameterSampler sampler(cfg);
  const int S = cfg.num_strategies(), O = cfg.num_outcomes(), P = cfg.num_inputs();
  std::vector<std::vector<std::vector<double>>> res(
      static_cast<std::size_t>(S), std::vector<std::vector<double>>(static_cast<std::size_t>(O)));
  std::vector<BlockOutcomes> out;
  BlockParams params(P);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  for (std::uint64_t blk = first / kBlock; blk * kBlock < first + n; ++blk) {
    const std::uint64_t b0 = blk * kBlock;
    sampler.prepare_batch(b0 / cfg.batch_size);
    for (int j = 0; j < kBlock; ++j) {
      sampler.sample(b0 + static_cast<std::uint64_t>(j), x, d);
      for (int p = 0; p < P; ++p) params[p][j] = x[static_cast<std::size_t>(p)];
    }
    model->simulate_block(b0, params, out, nullptr);
    for (int j = 0; j < kBlock; ++j) {
      const std::uint64_t run = b0 + static_cast<std::uint64_t>(j);
      if (run < first || run >= first + n) continue;
      for (int s = 0; s < S; ++s)
        for (int o = 0; o < O; ++o)
          res[static_cast<std::size_t>(s)][static_cast<std::size_t>(o)].push_back(
              out[static_cast<std::size_t>(s)][o][j]);
    }
  }
  return res;
}

double mean_outcome(const Config& cfg, int strategy, int outcome, std::uint64_t n) {
  const auto r = simulate(cfg, 0, n);
  double s = 0;
  for (double v : r[static_cast<std::size_t>(strategy)][static_cast<std::size_t>(outcome)]) s += v;
  return s / static_cast<double>(n);
}

stats::Accumulators run_range(const Config& cfg, std::uint64_t first, std::uint64_t end) {
  stats::Accumulators acc(cfg);
  RunOptions opt;
  opt.first_run = first;
  opt.end_run = end;
  opt.threads = 1;
  run_study(cfg, opt, acc, MPI_COMM_SELF);
  return acc;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("wedge_test_" + std::to_string(getpid()) + "_" + name))
      .string();
}

}  // namespace wedge::test
