#include "wedge/cli.hpp"

#include <CLI/CLI.hpp>
#include <hdf5.h>
#include <omp.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "wedge/error.hpp"
#include "wedge/io.hpp"
#include "wedge/parallel.hpp"
#include "wedge/progress.hpp"
#include "wedge/runner.hpp"
#include "wedge/summary.hpp"
#include "wedge/version.hpp"

namespace wedge {
namespace {

struct RunArgs {
  std::string config, out, extend, records;
  std::uint64_t runs = 0, seed = 0;
  bool has_runs = false, has_seed = false;
  int threads = 0;
  std::vector<std::string> target_se;
  double progress_interval = 10.0;
  bool quiet = false;
};

std::vector<TargetSe> parse_targets(const std::vector<std::string>& items) {
  std::vector<TargetSe> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw InputError("command line", 0, "--target-se", "expected OUTCOME=VALUE, got '" + item + "'");
    TargetSe t;
    t.outcome = outcome_index(item.substr(0, eq));
    if (t.outcome < 0) throw InputError("command line", 0, "--target-se", "'" + item.substr(0, eq) + "' names no outcome");
    try {
      std::size_t used = 0;
      t.value = std::stod(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw InputError("command line", 0, "--target-se", "'" + item.substr(eq + 1) + "' is not a number");
    }
    if (!(t.value > 0) || !std::isfinite(t.value))
      throw InputError("command line", 0, "--target-se", "the target must be a positive number");
    out.push_back(t);
  }
  return out;
}

std::string hdf5_description() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  std::ostringstream os;
  os << "HDF5 " << maj << "." << min << "." << rel << (H5_HAVE_PARALLEL ? " parallel (MPI-IO)" : " serial");
  return os.str();
}

double time_limit_seconds() {
  // Slurm exports the job's end time (seconds since the epoch) in recent versions.
  if (const char* end = std::getenv("SLURM_JOB_END_TIME")) {
    const double e = std::atof(end);
    const double now = static_cast<double>(std::time(nullptr));
    if (e > now) return e - now;
  }
  return -1.0;
}

int cmd_run(RunArgs& a, MPI_Comm comm) {
  const int rank = comm_rank(comm);
  const auto t_start = std::chrono::steady_clock::now();
  Config cfg;
  stats::Accumulators acc{Config{}};
  std::uint64_t first = 0;
  if (!a.extend.empty()) {
    if (!a.config.empty())
      throw InputError("command line", 0, "CONFIG", "give either CONFIG or --extend RESULTS.h5, not both");
    if (!a.has_runs) throw InputError("command line", 0, "-n", "--extend needs -n MORE (the runs to add)");
    if (a.has_seed) throw InputError("command line", 0, "--seed", "an extension keeps the seed of the study");
    auto loaded = io::read_results(a.extend);
    if (loaded.has_records || a.records == "all")
      throw InputError(a.extend, 0, "records", "extending a study with per-run records is not supported; extend a --records none study");
    cfg = std::move(loaded.config);
    first = loaded.prov.runs;
    acc = std::move(loaded.acc);
    if (a.out.empty()) a.out = a.extend;
  } else {
    if (a.config.empty()) throw InputError("command line", 0, "CONFIG", "a configuration file is required");
    cfg = load_config(a.config);
    acc = stats::Accumulators(cfg);
  }
  if (a.has_seed) cfg.seed = a.seed;
  if (!a.records.empty()) cfg.records = a.records == "all" ? Records::kAll : Records::kNone;
  const std::uint64_t want = a.has_runs ? a.runs : cfg.runs;
  if (want == 0) throw InputError("command line", 0, "-n", "the number of runs must be positive");
  if (a.out.empty()) a.out = "results/" + cfg.name + ".h5";
  const auto targets = parse_targets(a.target_se);

  const int ranks = comm_size(comm);
  const int threads = a.threads > 0 ? a.threads : omp_get_max_threads();
  if (rank == 0 && !a.quiet) {
    std::cerr << "wedge " << kVersion << " (git " << std::string(kGitSha).substr(0, 12) << ")  "
              << ranks << " rank" << (ranks > 1 ? "s" : "") << " x " << threads << " thread" << (threads > 1 ? "s" : "")
              << "  seed " << cfg.seed << "  " << design_name(cfg.design) << "  " << hdf5_description() << "\n"
              << "config " << (a.extend.empty() ? a.config : a.extend + " (extension)") << ": runs " << first << ".."
              << first + want << " x " << cfg.num_strategies() << " strategies, " << cfg.quarters
              << " quarters, records " << (cfg.records == Records::kAll ? "all" : "none") << "\n"
              << "output " << a.out << "\n";
  }
  // The record of the study must say which seed it used: rewrite the seed in the stored text
  // when it was overridden on the command line.
  if (a.has_seed) {
    cfg.text = "# seed overridden on the command line: --seed " + std::to_string(a.seed) + "\n" + cfg.text;
  }
  if (rank == 0) {
    const auto dir = std::filesystem::path(a.out).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
  }
  MPI_Barrier(comm);
  io::ResultWriter writer(a.out, cfg, comm, cfg.records == Records::kAll, first, first + want);
  Progress progress(stderr, isatty(STDERR_FILENO) != 0, a.progress_interval, time_limit_seconds());
  RunOptions opt;
  opt.first_run = first;
  opt.end_run = first + want;
  opt.threads = threads;
  opt.target_se = targets;
  opt.records = cfg.records == Records::kAll ? &writer : nullptr;
  if (rank == 0 && !a.quiet) opt.on_batch = [&](std::uint64_t d, std::uint64_t t) { progress.update(d, t); };
  const RunReport rep = run_study(cfg, opt, acc, comm);
  if (rank == 0 && !a.quiet) progress.finish(rep.next_run - first, want);

  io::Provenance prov;
  prov.created = broadcast_string(io::utc_now(), comm);
  prov.ranks = ranks;
  prov.threads = threads;
  prov.runs = rep.next_run;
  prov.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  const auto t_write = std::chrono::steady_clock::now();
  writer.finish(acc, prov, rep.next_run);
  const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_write).count();

  if (rank == 0) {
    const Summary s = summarize(cfg, acc);
    print_summary(std::cout, s);
    if (!a.quiet) {
      double mx = 0, sum = 0;
      for (double v : rep.rank_compute_seconds) mx = std::max(mx, v), sum += v;
      const double mean = sum / static_cast<double>(rep.rank_compute_seconds.size());
      const double run_strat = static_cast<double>(rep.next_run - first) * cfg.num_strategies();
      std::cerr << std::fixed << std::setprecision(2) << "\ntimings (rank 0): model+statistics " << rep.compute_seconds
                << " s, reductions " << rep.reduce_seconds << " s, records " << rep.record_seconds << " s, file "
                << write_s << " s; load balance (max/mean compute over ranks) " << (mean > 0 ? mx / mean : 1.0) << "\n"
                << "throughput " << std::setprecision(0) << run_strat / std::max(rep.compute_seconds, 1e-9)
                << " run-strategies/s (" << run_strat / std::max(rep.compute_seconds, 1e-9) / (ranks * threads)
                << " per core)\n";
      if (!targets.empty())
        std::cerr << (rep.target_reached ? "precision target reached after " : "run cap reached before the precision target, after ")
                  << rep.next_run << " runs\n";
      std::cerr << "wrote " << a.out << "\n";
    }
  }
  return kExitOk;
}

int cmd_validate(const std::string& path) {
  const Config cfg = load_config(path);
  std::cout << path << ": valid; " << cfg.num_strategies() << " strategies, " << cfg.runs << " runs, "
            << cfg.quarters << " quarters, design " << design_name(cfg.design) << "\n";
  return kExitOk;
}

int cmd_info(const std::string& path) {
  const auto r = io::read_results(path);
  std::cout << path << ": wedge result file, format " << io::kFormatVersion << ", created " << r.prov.created << ", "
            << r.prov.ranks << " ranks x " << r.prov.threads << " threads, records " << (r.has_records ? "all" : "none")
            << "\nconfiguration " << r.config.path << ", seed " << r.config.seed << ", design "
            << design_name(r.config.design) << "\n";
  print_summary(std::cout, summarize(r.config, r.acc));
  return kExitOk;
}

}  // namespace

int run_cli(int argc, char** argv) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by wedge, not HDF5's stack dump
  CLI::App app{"wedge: Monte Carlo forecasts of US strategies toward Russia (the strategic triangle)", "wedge"};
  app.set_version_flag("--version", std::string("wedge ") + kVersion + " (git " + kGitSha + ")");
  app.require_subcommand(1);
  RunArgs ra;
  auto* run = app.add_subcommand("run", "run a study and write its results to HDF5");
  run->add_option("CONFIG", ra.config, "scenario configuration (TOML)");
  run->add_option("-n,--runs", ra.runs, "number of runs (default: [study] runs); with --target-se the run cap")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
  run->add_option("-o,--output", ra.out, "result file (default: results/<study name>.h5)");
  run->add_option("--seed", ra.seed, "override the configuration's seed")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{INT64_MAX}));
  run->add_option("--threads", ra.threads, "OpenMP threads per rank (default: OMP_NUM_THREADS or all cores)")
      ->check(CLI::Range(1, 4096));
  run->add_option("--records", ra.records, "write per-run records: all or none (default: [output] records)")
      ->check(CLI::IsMember({"all", "none"}));
  run->add_option("--target-se", ra.target_se,
                  "OUTCOME=VALUE ...: run whole batches until the standard error of each outcome is below VALUE for every strategy");
  run->add_option("--extend", ra.extend, "continue the study in RESULTS.h5 with -n more runs");
  run->add_option("--progress-interval", ra.progress_interval, "seconds between progress lines in a log")
      ->check(CLI::PositiveNumber);
  run->add_flag("-q,--quiet", ra.quiet, "no banner, progress or timings");
  std::string vpath, ipath;
  auto* validate = app.add_subcommand("validate", "check a configuration file and exit");
  validate->add_option("CONFIG", vpath, "scenario configuration (TOML)")->required();
  auto* info = app.add_subcommand("info", "print the summary tables of a result file");
  info->add_option("RESULTS", ipath, "result file written by wedge run")->required();

  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    if (rank == 0) app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (rank == 0) app.exit(e);
    return kExitBadInput;
  }
  ra.has_runs = run->count("--runs") > 0;
  ra.has_seed = run->count("--seed") > 0;
  try {
    if (*run) return cmd_run(ra, MPI_COMM_WORLD);
    if (rank != 0) return kExitOk;
    if (*validate) return cmd_validate(vpath);
    if (*info) return cmd_info(ipath);
  } catch (const InputError& e) {
    if (rank == 0) std::cerr << "wedge: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace wedge
