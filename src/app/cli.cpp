#include "wedge/app/cli.hpp"

#include <hdf5.h>
#include <omp.h>
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "wedge/io/checkpoint.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/results.hpp"
#include "wedge/io/merge.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/app/console.hpp"
#include "wedge/core/runner.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/version.hpp"

namespace wedge {
namespace {

struct RunArgs {
  std::string config, out, extend, records, walltime, seed_text;
  std::uint64_t runs = 0, seed = 0, first_run = 0, checkpoint_every = 0;
  bool has_runs = false, has_seed = false, restart = false;
  int threads = 0;
  std::vector<std::string> target_se;
  double progress_interval = 10.0, checkpoint_interval = 600.0;
  bool quiet = false;
};

//! "SECONDS", "MM:SS", "HH:MM:SS" or "D-HH:MM:SS" (Slurm's notation) to seconds.
double parse_walltime(const std::string& s) {
  double days = 0, total = 0;
  std::string rest = s;
  if (const auto dash = rest.find('-'); dash != std::string::npos) {
    days = std::stod(rest.substr(0, dash));
    rest = rest.substr(dash + 1);
  }
  std::stringstream ss(rest);
  std::string part;
  std::vector<double> parts;
  while (std::getline(ss, part, ':')) {
    std::size_t used = 0;
    parts.push_back(std::stod(part, &used));
    if (used != part.size() || parts.back() < 0) throw std::invalid_argument(s);
  }
  if (parts.empty() || parts.size() > 3) throw std::invalid_argument(s);
  for (double p : parts) total = total * 60 + p;
  return days * 86400 + total;
}

//! --seed: digits only, in [0, 2^63 - 1] (parsed here for a message that says what is wrong;
//! CLI11's says "not in range" for "abc").
std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t seed = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, seed);
  if (text.empty() || ec != std::errc() || ptr != end ||
      seed > static_cast<std::uint64_t>(INT64_MAX))
    throw InputError("command line", 0, "--seed",
                     "'" + text + "' is not a whole number in [0, 2^63 - 1]");
  return seed;
}

std::vector<TargetSe> parse_targets(const std::vector<std::string>& items) {
  std::vector<TargetSe> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw InputError("command line", 0, "--target-se",
                       "expected OUTCOME=VALUE, got '" + item + "'");
    TargetSe t;
    t.outcome = outcome_index(item.substr(0, eq));
    if (t.outcome < 0)
      throw InputError("command line", 0, "--target-se",
                       "'" + item.substr(0, eq) + "' names no outcome");
    for (const auto& before : out)
      if (before.outcome == t.outcome)
        throw InputError("command line", 0, "--target-se",
                         "'" + item.substr(0, eq) + "' is given twice");
    try {
      std::size_t used = 0;
      t.value = std::stod(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw InputError("command line", 0, "--target-se",
                       "'" + item.substr(eq + 1) + "' is not a number");
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
  os << "HDF5 " << maj << "." << min << "." << rel
     << (H5_HAVE_PARALLEL ? " parallel (MPI-IO)" : " serial");
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

// How many CPUs this process may run on (its affinity mask: what Slurm or mpirun gave it).
int cpus_given() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}

void warn_oversubscription(int threads, MPI_Comm comm) {
  int over = threads > cpus_given() ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &over, 1, MPI_INT, MPI_MAX, comm);
  if (over && comm_rank(comm) == 0) {
    std::cerr << "wedge: warning: " << threads << " threads per rank, but a rank may use only "
              << cpus_given()
              << " CPUs (affinity mask); threads will share cores. Set "
                 "OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK "
                 "and srun -c $SLURM_CPUS_PER_TASK, or --threads.\n";
  }
}

int cmd_run(RunArgs& a, MPI_Comm comm) {
  const int rank = comm_rank(comm);
  const auto t_start = std::chrono::steady_clock::now();
  Config cfg;
  std::optional<stats::Accumulators> acc;  // from the extended file, a checkpoint, or empty
  // Runs range_first..start are in `acc` already; this invocation simulates start..end, and the
  // file will hold range_first..next. `first` is where this study (or extension) began, which
  // the checkpoint and the records need.
  std::uint64_t first = a.first_run, start = a.first_run, want = 0, range_first = a.first_run;
  bool resume_records = false;
  std::string history;  // of the extended study or the checkpoint (rank 0)
  if (!a.extend.empty()) {
    if (!a.config.empty())
      throw InputError("command line", 0, "CONFIG",
                       "give either CONFIG or --extend RESULTS.h5, not both");
    if (!a.has_runs)
      throw InputError("command line", 0, "-n", "--extend needs -n MORE (the runs to add)");
    if (a.has_seed)
      throw InputError("command line", 0, "--seed", "an extension keeps the seed of the study");
    auto loaded = io::read_results(a.extend);
    if (loaded.has_records || a.records == "all")
      throw InputError(
          a.extend, 0, "records",
          "extending a study with per-run records is not supported; extend a --records none study");
    const auto& rr = loaded.prov.run_ranges;
    if (rr.size() != 3 || rr[1] != 0)
      throw InputError(a.extend, 0, "run_ranges",
                       "only a study of runs 0..N of one seed can be extended");
    cfg = std::move(loaded.config);
    first = start = loaded.prov.runs;
    range_first = 0;
    want = a.runs;
    cfg.records =
        Records::kNone;  // the study has none; its embedded [output] records must not add some
    acc = std::move(loaded.acc);
    history = loaded.prov.history;
    if (a.out.empty()) a.out = a.extend;
  } else {
    if (a.config.empty())
      throw InputError("command line", 0, "CONFIG", "a configuration file is required");
    cfg = load_config(a.config);
    acc.emplace(cfg);
    want = a.has_runs ? a.runs : cfg.runs;
  }
  if (a.has_seed) cfg.seed = a.seed;
  if (!a.records.empty()) cfg.records = a.records == "all" ? Records::kAll : Records::kNone;
  if (a.out.empty()) a.out = "results/" + cfg.name + ".h5";
  if (std::error_code ec; std::filesystem::is_directory(a.out, ec))
    throw InputError("command line", 0, "-o",
                     "'" + a.out + "' is a directory; give the result file's path");
  const auto targets = parse_targets(a.target_se);
  const std::string targets_text = describe_targets(targets);
  double walltime = -1.0;
  if (!a.walltime.empty()) {
    try {
      walltime = parse_walltime(a.walltime);
    } catch (const std::exception&) {
      throw InputError("command line", 0, "--walltime",
                       "'" + a.walltime + "' is not SECONDS, MM:SS, HH:MM:SS or D-HH:MM:SS");
    }
  }
  std::uint64_t end = start + want;

  // --restart: finish what a checkpoint left, or say the study is complete, or start afresh.
  if (a.restart) {
    // With --extend the output may be the extended file itself, so only a checkpoint tells that
    // an extension is under way; without one the extension starts.
    int state = 0;  // 0 fresh, 1 complete, 2 resume
    std::uint64_t r[5] = {0, 0, 0, 0, 0};
    on_root(comm, [&] {
      if (checkpoint::exists(a.out)) {
        auto ck = checkpoint::read(a.out);
        const std::string& source = a.extend.empty() ? a.config : a.extend;
        if (ck.results.config.text != cfg.text || ck.results.config.seed != cfg.seed)
          throw InputError(
              checkpoint::path_for(a.out), 0, "config",
              "the checkpoint belongs to another configuration or seed than " + source);
        // An in-place extension that finished but was stopped before removing its checkpoint:
        // the file already holds the checkpoint's whole range.
        if (!a.extend.empty() && ck.range.end == start && ck.range.first < start) {
          checkpoint::remove(a.out);
          state = 1;
          return;
        }
        if (ck.target_se != targets_text)
          throw InputError(checkpoint::path_for(a.out), 0, "--target-se",
                           ck.target_se.empty()
                               ? "the checkpointed run had no --target-se; restart it without"
                               : "the checkpointed run had --target-se '" + ck.target_se +
                                     "'; restart it with the same targets");
        // An extension's checkpoint must be of this very extension: old runs .. old runs + MORE.
        if (!a.extend.empty() && (ck.range.first != start || ck.range.end != end))
          throw InputError(
              checkpoint::path_for(a.out), 0, "run_ranges",
              "the checkpoint is of runs " + std::to_string(ck.range.first) + ".." +
                  std::to_string(ck.range.end) + ", but this extension of " + a.extend +
                  " is of runs " + std::to_string(start) + ".." + std::to_string(end) +
                  "; give the -n of the interrupted extension, or remove the checkpoint");
        state = 2;
        r[0] = ck.range.first, r[1] = ck.range.next, r[2] = ck.range.end, r[3] = ck.range.records;
        r[4] =
            ck.results.prov.run_ranges.size() == 3 ? ck.results.prov.run_ranges[1] : ck.range.first;
        acc = std::move(ck.results.acc);
        history = ck.results.prov.history;
      } else if (a.extend.empty() && std::filesystem::exists(a.out)) {
        state = 1;
      }
    });
    MPI_Bcast(&state, 1, MPI_INT, 0, comm);
    if (state == 1) {
      if (rank == 0) std::cerr << "wedge: " << a.out << " is complete; nothing to do\n";
      return kExitOk;
    }
    if (state == 2) {
      MPI_Bcast(r, 5, MPI_UINT64_T, 0, comm);
      first = r[0], start = r[1], end = r[2], range_first = r[4];
      resume_records = r[3] != 0;
      if (resume_records != (cfg.records == Records::kAll))
        throw InputError(checkpoint::path_for(a.out), 0, "records",
                         "the checkpointed run used another --records setting");
    }
  }

  const int ranks = comm_size(comm);
  const int threads = a.threads > 0 ? a.threads : omp_get_max_threads();
  if (rank == 0 && !a.quiet) {
    std::cerr << "wedge " << kVersion << " (git " << std::string(kGitSha).substr(0, 12) << ")  "
              << ranks << " rank" << (ranks > 1 ? "s" : "") << " x " << threads << " thread"
              << (threads > 1 ? "s" : "") << "  seed " << cfg.seed << "  "
              << design_name(cfg.design) << "  " << hdf5_description() << "\n"
              << "config " << (a.extend.empty() ? a.config : a.extend + " (extension)") << ": runs "
              << start << ".." << end << (start != first ? " (restarted from a checkpoint)" : "")
              << " x " << cfg.num_strategies() << " strategies, " << cfg.quarters
              << " quarters, records " << (cfg.records == Records::kAll ? "all" : "none")
              << "\noutput " << a.out << "\n";
    if (const char* job = std::getenv("SLURM_JOB_ID"))
      std::cerr << "slurm job " << job << ", "
                << (std::getenv("SLURM_NNODES") ? std::getenv("SLURM_NNODES") : "?")
                << " node(s), cpus per task "
                << (std::getenv("SLURM_CPUS_PER_TASK") ? std::getenv("SLURM_CPUS_PER_TASK") : "-")
                << ", OMP_NUM_THREADS "
                << (std::getenv("OMP_NUM_THREADS") ? std::getenv("OMP_NUM_THREADS") : "-") << "\n";
  }
  warn_oversubscription(threads, comm);
  on_root(comm, [&] {
    const auto dir = std::filesystem::path(a.out).parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::create_directories(dir, ec) && ec)
      throw InputError("command line", 0, "-o",
                       "cannot create the directory '" + dir.string() + "': " + ec.message());
  });
  checkpoint::install_signal_handlers();
  io::ResultWriter writer(a.out, cfg, comm, cfg.records == Records::kAll, first, end,
                          resume_records);
  Progress progress(stderr, isatty(STDERR_FILENO) != 0, a.progress_interval,
                    walltime > 0 ? walltime : time_limit_seconds());
  RunOptions opt;
  opt.first_run = start;
  opt.end_run = end;
  opt.threads = threads;
  opt.target_se = targets;
  opt.records = cfg.records == Records::kAll ? &writer : nullptr;
  if (rank == 0 && !a.quiet)
    opt.on_batch = [&](std::uint64_t d, std::uint64_t t) { progress.update(d, t); };
  // Stop and checkpoint decisions: signals on any rank; time-based ones on rank 0's clock.
  auto last_ckpt = std::chrono::steady_clock::now(), last_batch = last_ckpt;
  double batch_seconds = 0.0;
  std::uint64_t batches_done = 0;
  opt.control = [&] {
    const auto now = std::chrono::steady_clock::now();
    batch_seconds =
        std::max(batch_seconds, std::chrono::duration<double>(now - last_batch).count());
    last_batch = now;
    int flags = kContinue;
    ++batches_done;  // the same count on every rank: batches are collective
    if (a.checkpoint_every > 0 && batches_done % a.checkpoint_every == 0) flags |= kCheckpoint;
    if (checkpoint::signal_received()) flags |= kStop | kBySignal;
    if (rank == 0) {
      const double elapsed = std::chrono::duration<double>(now - t_start).count();
      // Stop while there is time for one more batch and the checkpoint (with a margin).
      if (walltime > 0 && elapsed + 2.0 * batch_seconds + 5.0 > walltime)
        flags |= kStop | kByWalltime;
      if (std::chrono::duration<double>(now - last_ckpt).count() >= a.checkpoint_interval)
        flags |= kCheckpoint;
    }
    return flags;
  };
  // This invocation's line of the file's history.
  const auto invocation = [&](std::uint64_t next, double wall) {
    std::ostringstream w;
    w << (!a.extend.empty() ? "extend " + a.extend
          : start != first  ? "restart " + a.config
                            : "run " + a.config)
      << ": seed " << cfg.seed << ", runs " << start << ".." << next
      << (next < end ? " of " + std::to_string(end) : "") << ", " << ranks << "x" << threads
      << " ranks x threads, " << std::fixed << std::setprecision(1) << wall << " s";
    return w.str();
  };
  opt.checkpoint = [&](const stats::Accumulators& total, std::uint64_t next) {
    if (rank == 0) {
      io::Provenance p;
      p.created = io::utc_now();
      p.ranks = ranks, p.threads = threads, p.runs = total.runs();
      p.run_ranges = {cfg.seed, range_first, next};
      p.history =
          history + io::history_line(
                        p.created, invocation(next, std::chrono::duration<double>(
                                                        std::chrono::steady_clock::now() - t_start)
                                                        .count()) +
                                       " (checkpoint)");
      checkpoint::write(a.out, cfg, total, p, {first, next, end, cfg.records == Records::kAll},
                        targets_text);
      if (!a.quiet)
        std::cerr << "checkpoint: " << checkpoint::path_for(a.out) << " at run " << next << "\n";
    }
    last_ckpt = std::chrono::steady_clock::now();
  };
  const RunReport rep = run_study(cfg, opt, *acc, comm);
  if (rank == 0 && !a.quiet) progress.finish(rep.next_run - start, end - start);
  if (rep.stopped_early) {
    writer.suspend();
    if (rank == 0)
      std::cerr << "wedge: stopped after run " << rep.next_run << " of " << end << " ("
                << ((rep.stop_flags & kBySignal) ? "signal" : "wall-time budget")
                << "); checkpoint written to " << checkpoint::path_for(a.out)
                << "; continue with --restart (exit code " << kExitCheckpointed << ")\n";
    return kExitCheckpointed;
  }

  io::Provenance prov;
  prov.created = broadcast_string(io::utc_now(), comm);
  prov.ranks = ranks;
  prov.threads = threads;
  prov.runs = rank == 0 ? acc->runs() : 0;
  MPI_Bcast(&prov.runs, 1, MPI_UINT64_T, 0, comm);
  prov.run_ranges = {cfg.seed, range_first, rep.next_run};
  if (!targets.empty()) {
    prov.target_se = targets_text;
    prov.target_se_reached = rep.target_reached ? 1 : 0;
  }
  prov.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  prov.history =
      history + io::history_line(prov.created, invocation(rep.next_run, prov.wall_seconds));
  const auto t_write = std::chrono::steady_clock::now();
  writer.finish(*acc, prov, rep.next_run);
  if (rank == 0) checkpoint::remove(a.out);
  const double write_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_write).count();

  if (rank == 0) {
    const Summary s = summarize(cfg, *acc);
    print_summary(std::cout, s);
    if (!a.quiet) {
      double mx = 0, sum = 0;
      for (double v : rep.rank_compute_seconds) mx = std::max(mx, v), sum += v;
      const double mean = sum / static_cast<double>(rep.rank_compute_seconds.size());
      const double run_strat = static_cast<double>(rep.next_run - start) * cfg.num_strategies();
      std::cerr << std::fixed << std::setprecision(2)
                << "\nphase                      seconds (rank 0)\n"
                << "  model + statistics       " << rep.compute_seconds << "\n"
                << "  reductions, agreement    " << rep.reduce_seconds << "\n"
                << "  per-run records          " << rep.record_seconds << "\n"
                << "  result file              " << write_s << "\n"
                << "  total wall               " << prov.wall_seconds << "\n"
                << "load balance: compute max/mean over " << ranks
                << " ranks = " << (mean > 0 ? mx / mean : 1.0) << " (min "
                << *std::min_element(rep.rank_compute_seconds.begin(),
                                     rep.rank_compute_seconds.end())
                << " s, max " << mx << " s)\n"
                << std::setprecision(0) << "throughput "
                << run_strat / std::max(rep.compute_seconds, 1e-9) << " run-strategies/s ("
                << run_strat / std::max(rep.compute_seconds, 1e-9) / (ranks * threads)
                << " per core)\n";
      std::cerr << "wrote " << a.out << "\n";
    }
    // Said even with -q: a script must learn that the precision asked for was not reached.
    if (!targets.empty() && !rep.target_reached)
      std::cerr << "wedge: warning: run cap reached before the precision target (" << targets_text
                << "), after " << rep.next_run << " runs; the file says target_se_reached = 0\n";
    else if (!targets.empty() && !a.quiet)
      std::cerr << "precision target reached after " << rep.next_run << " runs\n";
  }
  return kExitOk;
}

int cmd_validate(const std::string& path) {
  const Config cfg = load_config(path);
  std::cout << path << ": valid; " << cfg.num_strategies() << " strategies, " << cfg.runs
            << " runs, " << cfg.quarters << " quarters, design " << design_name(cfg.design) << "\n";
  return kExitOk;
}

struct InfoArgs {
  std::string path;
  bool paths = false, drivers = false, outcomes = false, all = false;
  std::vector<std::string> drivers_of;
};

int cmd_info(const InfoArgs& a) {
  // The outcomes of the drivers tables: named ones (checked before anything is printed), or the
  // key events and the payoff.
  std::vector<int> driver_outcomes;
  for (const auto& name : a.drivers_of) {
    const int o = outcome_index(name);
    if (o < 0)
      throw InputError("command line", 0, "--drivers-of", "'" + name + "' names no outcome");
    driver_outcomes.push_back(o);
  }
  if (driver_outcomes.empty()) driver_outcomes = {kSplit, kFracture, kMilitaryAction, kUsPayoff};
  const auto r = io::read_results(a.path);
  std::cout << a.path << ": wedge result file, format " << io::kFormatVersion << ", created "
            << r.prov.created << ", " << r.prov.ranks << " ranks x " << r.prov.threads
            << " threads, records " << (r.has_records ? "all" : "none") << "\nconfiguration "
            << r.config_path << ", seed " << r.config.seed << ", design "
            << design_name(r.config.design) << "\nruns";
  for (std::size_t i = 0; i + 2 < r.prov.run_ranges.size(); i += 3)
    std::cout << (i ? "," : "") << " " << r.prov.run_ranges[i + 1] << ".."
              << r.prov.run_ranges[i + 2] << " of seed " << r.prov.run_ranges[i];
  std::cout << " (" << r.prov.runs << " in all)\n";
  if (!r.prov.history.empty()) {
    std::istringstream lines(r.prov.history);
    std::cout << "history:\n";
    for (std::string line; std::getline(lines, line);) std::cout << "  " << line << "\n";
  }
  const Summary s = summarize(r.config, r.acc);
  print_summary(std::cout, s);
  if (a.outcomes || a.all) print_outcomes(std::cout, s);
  if (a.paths || a.all) print_paths(std::cout, r.config, r.acc);
  if (a.drivers || a.all || !a.drivers_of.empty())
    print_drivers(std::cout, r.config, r.acc, driver_outcomes);
  return kExitOk;
}

}  // namespace

int run_cli(int argc, char** argv) {
  H5Eset_auto2(H5E_DEFAULT, nullptr,
               nullptr);  // errors are reported by wedge, not HDF5's stack dump
  CLI::App app{
      "wedge: Monte Carlo forecasts of US strategies toward Russia (the strategic triangle)",
      "wedge"};
  app.set_version_flag("--version", std::string("wedge ") + kVersion + " (git " + kGitSha + ")");
  app.require_subcommand(1);
  RunArgs ra;
  auto* run = app.add_subcommand("run", "run a study and write its results to HDF5");
  run->add_option("CONFIG", ra.config, "scenario configuration (TOML)");
  run->add_option("-n,--runs", ra.runs,
                  "number of runs (default: [study] runs); with --target-se the run cap")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
  run->add_option("-o,--output", ra.out, "result file (default: results/<study name>.h5)");
  run->add_option("--seed", ra.seed_text,
                  "override the configuration's seed (a whole number in [0, 2^63 - 1])");
  run->add_option("--threads", ra.threads,
                  "OpenMP threads per rank (default: OMP_NUM_THREADS or all cores)")
      ->check(CLI::Range(1, 4096));
  run->add_option("--records", ra.records,
                  "write per-run records: all or none (default: [output] records)")
      ->check(CLI::IsMember({"all", "none"}));
  run->add_option("--target-se", ra.target_se,
                  "OUTCOME=VALUE ...: run whole batches until the standard error of each outcome "
                  "is below VALUE for every "
                  "strategy (0/1 outcomes: Wilson 95% half width / 1.96)");
  run->add_option("--extend", ra.extend, "continue the study in RESULTS.h5 with -n more runs");
  run->add_option("--first-run", ra.first_run,
                  "simulate runs FIRST .. FIRST+n (for array jobs over run ranges)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 62));
  run->add_option("--checkpoint-interval", ra.checkpoint_interval,
                  "seconds between checkpoints (OUT.checkpoint; default 600)")
      ->check(CLI::PositiveNumber);
  run->add_option("--checkpoint-every", ra.checkpoint_every,
                  "also checkpoint every N batches (0: only by time)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 40));
  run->add_option(
      "--walltime", ra.walltime,
      "time budget (SECONDS, HH:MM:SS or D-HH:MM:SS): checkpoint and exit 75 before it runs out");
  run->add_flag("--restart", ra.restart,
                "continue from OUT.checkpoint; a complete OUT means nothing to do (with --extend: "
                "continue the extension's checkpoint, or start it)");
  run->add_option("--progress-interval", ra.progress_interval,
                  "seconds between progress lines in a log")
      ->check(CLI::PositiveNumber);
  run->add_flag("-q,--quiet", ra.quiet, "no banner, progress or timings");
  std::string vpath;
  InfoArgs ia;
  auto* validate = app.add_subcommand("validate", "check a configuration file and exit");
  validate->add_option("CONFIG", vpath, "scenario configuration (TOML)")->required();
  auto* info = app.add_subcommand("info", "print the summary tables of a result file");
  info->add_option("RESULTS", ia.path, "result file written by wedge run")->required();
  info->add_flag("--outcomes", ia.outcomes,
                 "also every outcome's moments and quantiles, and every paired difference");
  info->add_flag("--paths", ia.paths, "also the states over time and the event timing");
  info->add_flag(
      "--drivers", ia.drivers,
      "also outcomes by parameter decile (split, nato_fracture, military_action, us_payoff)");
  info->add_option("--drivers-of", ia.drivers_of,
                   "OUTCOME ...: the outcomes of the decile tables (implies --drivers)");
  info->add_flag("--all", ia.all, "every table");
  std::string mout;
  std::vector<std::string> mins;
  auto* merge = app.add_subcommand(
      "merge", "combine result files of one configuration (run ranges or seeds)");
  merge->add_option("OUT", mout, "merged result file")->required();
  merge->add_option("IN", mins, "result files to merge")->required();

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
    if (ra.has_seed) ra.seed = parse_seed(ra.seed_text);
    if (*run) return cmd_run(ra, MPI_COMM_WORLD);
    if (rank != 0) return kExitOk;
    if (*validate) return cmd_validate(vpath);
    if (*info) return cmd_info(ia);
    if (*merge) {
      merge_results(mout, mins);
      std::cout << "merged " << mins.size() << " files into " << mout << "\n";
      return kExitOk;
    }
  } catch (const InputError& e) {
    if (rank == 0) std::cerr << "wedge: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace wedge
