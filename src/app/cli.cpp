#include "wedge/app/cli.hpp"

#include <hdf5.h>
#include <sched.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include "wedge/analyses/compare.hpp"
#include "wedge/analyses/evidence_summary.hpp"
#include "wedge/analyses/first_order.hpp"
#include "wedge/analyses/qmc.hpp"
#include "wedge/analyses/robust.hpp"
#include "wedge/analyses/sensitivity.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/quarter.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/merge.hpp"
#include "wedge/io/results.hpp"
#include "wedge/study/discover.hpp"
#include "wedge/study/score.hpp"
#include "wedge/study/study.hpp"
#include "wedge/version.hpp"

namespace wedge {
namespace {

struct RunArgs {
  std::string config, out, extend, records, walltime, seed_text;
  std::uint64_t runs = 0, seed = 0, first_run = 0, checkpoint_every = 0;
  bool has_runs = false, has_seed = false, has_first_run = false, restart = false;
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
    std::size_t used = 0;
    days = std::stod(rest.substr(0, dash), &used);
    if (used != dash || !(days >= 0) || !std::isfinite(days)) throw std::invalid_argument(s);
    rest = rest.substr(dash + 1);
  }
  std::stringstream ss(rest);
  std::string part;
  std::vector<double> parts;
  while (std::getline(ss, part, ':')) {
    std::size_t used = 0;
    parts.push_back(std::stod(part, &used));
    if (used != part.size() || !(parts.back() >= 0) || !std::isfinite(parts.back()))
      throw std::invalid_argument(s);
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
    t.name = item.substr(0, eq);  // looked up in the configuration by the study
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

// The targets a result file's target_se names (its normalised --target-se), resolved.
std::vector<TargetSe> read_targets(const std::string& path, const io::LoadedResults& r) {
  std::istringstream text(r.prov.target_se);
  try {
    std::vector<TargetSe> t = parse_targets(
        {std::istream_iterator<std::string>(text), std::istream_iterator<std::string>()});
    resolve_targets(r.config, t);
    return t;
  } catch (const InputError& e) {
    throw InputError(path, 0, "target_se", e.message());
  }
}

// The CPUs of this process's affinity mask (what Slurm or mpirun gave it).
int cpus_of_process() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

// The command line's run options as a study plan (the study module does the rest).
StudyPlan make_plan(const RunArgs& a) {
  StudyPlan plan;
  if (!a.extend.empty()) {
    if (!a.config.empty())
      throw InputError("command line", 0, "CONFIG",
                       "give either CONFIG or --extend RESULTS.h5, not both");
    if (a.has_first_run)
      throw InputError("command line", 0, "--first-run",
                       "an extension continues where the study ends; --first-run does not apply");
    plan.start = StudyStart::kExtend;
    plan.source = a.extend;
  } else {
    plan.source = a.config;
  }
  plan.output = a.out;
  if (a.has_runs) plan.runs = a.runs;
  if (a.has_seed) plan.seed = a.seed;
  if (!a.records.empty())
    plan.records = a.records == "all"       ? Records::kAll
                   : a.records == "compact" ? Records::kCompact
                                            : Records::kNone;
  plan.first_run = a.first_run;
  plan.targets = parse_targets(a.target_se);
  plan.restart = a.restart;
  plan.threads = a.threads;
  // Each thread holds a tally of its own: thousands of them exhaust memory.
  if (a.threads > 4 * std::max(cpus_of_process(), 1))
    throw InputError("command line", 0, "--threads",
                     std::to_string(a.threads) + " threads, but this process may use only " +
                         std::to_string(cpus_of_process()) + " CPUs; at most 4 threads per CPU");
  for (const double v : {a.checkpoint_interval, a.progress_interval})
    if (!std::isfinite(v))
      throw InputError("command line", 0, "--checkpoint-interval",
                       "--checkpoint-interval and --progress-interval must be finite seconds");
  if (!a.walltime.empty()) {
    try {
      plan.stop.walltime_s = parse_walltime(a.walltime);
    } catch (const std::exception&) {
      throw InputError("command line", 0, "--walltime",
                       "'" + a.walltime + "' is not SECONDS, MM:SS, HH:MM:SS or D-HH:MM:SS");
    }
  }
  plan.stop.checkpoint_interval_s = a.checkpoint_interval;
  plan.stop.checkpoint_every = a.checkpoint_every;
  plan.console = {a.quiet, a.progress_interval};
  return plan;
}

int cmd_run(const RunArgs& a, MPI_Comm comm) {
  switch (run_study_plan(make_plan(a), comm)) {
    case StudyOutcome::kCheckpointed: return kExitCheckpointed;
    case StudyOutcome::kCompleted:
    case StudyOutcome::kAlreadyComplete: return kExitOk;
  }
  return kExitOk;
}

int cmd_validate(const std::string& path) {
  const Config cfg = load_config(path);
  std::cout << path << ": valid; " << cfg.num_strategies() << " strategies, " << cfg.runs
            << " runs, " << cfg.quarters << " quarters, design " << design_name(cfg.design);
  if (cfg.weighted())
    std::cout << ", " << cfg.evidence.size() << " evidence items ("
              << (cfg.weighting == Weighting::kRejection ? "rejection" : "likelihood") << ")";
  std::cout << "\n";
  return kExitOk;
}

struct InfoArgs {
  std::vector<std::string> files;
  bool paths = false, drivers = false, outcomes = false, all = false, sensitivity = false;
  bool evidence = false;
  int strategies = 0;  // --strategies N: the top N on each criterion
  std::vector<std::string> drivers_of;
};

int cmd_info(const InfoArgs& a) {
  if (a.files.size() > 1) {  // studies side by side (docs/output-format.md, section 19)
    if (a.paths || a.drivers || a.sensitivity || a.evidence || !a.drivers_of.empty())
      throw InputError("command line", 0,
                       a.paths         ? "--paths"
                       : a.sensitivity ? "--sensitivity"
                       : a.evidence    ? "--evidence"
                                       : "--drivers",
                       "applies to one result file; compare studies without it");
    print_study_comparison(std::cout, load_studies(a.files), a.outcomes || a.all);
    return kExitOk;
  }
  const std::string& path = a.files.front();
  const auto r = io::read_results(path);
  // The outcomes of the drivers tables: named ones (checked before anything is printed), or the
  // key events and the payoff (or, for another model, its first outcomes).
  std::vector<int> driver_outcomes;
  for (const auto& name : a.drivers_of) {
    const int o = r.config.outcome_index(name);
    if (o < 0)
      throw InputError("command line", 0, "--drivers-of", "'" + name + "' names no outcome");
    driver_outcomes.push_back(o);
  }
  const std::vector<TargetSe> targets = read_targets(path, r);
  if (a.drivers_of.empty()) {
    std::vector<std::string> names;
    for (const auto& o : r.config.outcomes) names.push_back(o.name);
    for (const auto& name : key_outcomes(names))
      driver_outcomes.push_back(r.config.outcome_index(name));
  }
  std::cout << path << ": wedge result file, format " << io::kFormatVersion << ", created "
            << r.prov.created << ", " << r.prov.ranks << " ranks x " << r.prov.threads
            << " threads, records " << records_name(r.records) << "\nconfiguration "
            << r.config_path << ", seed " << r.config.seed << ", design "
            << design_name(r.config.design) << "\nruns";
  for (std::size_t i = 0; i + 2 < r.prov.run_ranges.size(); i += 3)
    std::cout << (i ? "," : "") << " " << r.prov.run_ranges[i + 1] << ".."
              << r.prov.run_ranges[i + 2] << " of seed " << r.prov.run_ranges[i];
  std::cout << " (" << r.prov.runs << " in all)\n";
  if (r.config.history)
    std::cout << "policy in force: " << r.config.history->name << " from "
              << quarter_label(0, r.config) << " to "
              << quarter_label(r.config.decision_quarter - 1, r.config)
              << " ([history]); each strategy from "
              << quarter_label(r.config.decision_quarter, r.config) << "\n";
  if (!r.prov.target_se.empty())
    std::cout << "target_se " << r.prov.target_se << ": "
              << (r.prov.target_se_reached == 1
                      ? "reached after " + std::to_string(r.prov.runs) + " runs"
                      : "not reached (the run cap came first)")
              << "\n";
  for (const auto& line : settled_rankings(r.config, r.acc, targets))
    std::cout << "  " << line << "\n";
  if (!r.prov.history.empty()) {
    std::istringstream lines(r.prov.history);
    std::cout << "history:\n";
    for (std::string line; std::getline(lines, line);) std::cout << "  " << line << "\n";
  }
  if (r.config.weighted())
    std::cout << "weighted by " << r.config.evidence.size()
              << " evidence items: effective sample size " << std::fixed << std::setprecision(1)
              << r.acc.mass().ess << std::defaultfloat << " (wedge info --evidence)\n";
  const Summary s = summarize(r.config, r.acc);
  print_summary(std::cout, s);
  print_qmc(std::cout, r.config, r.acc, driver_outcomes);
  if (a.outcomes || a.all) print_outcomes(std::cout, s);
  if (a.strategies > 0 || a.all)
    print_top_strategies(std::cout, s, robust_choice(r.config, r.acc.layout(), s),
                         a.strategies > 0 ? a.strategies : 10);
  if (a.evidence || a.all)
    print_evidence(std::cout, r.config, summarize_evidence(r.config, r.acc), s);
  if (a.paths || a.all) print_paths(std::cout, r.config, r.acc);
  if (a.drivers || a.all || !a.drivers_of.empty()) {
    print_drivers(std::cout, r.config, r.acc, driver_outcomes);
    print_first_order(std::cout, r.config, r.acc, driver_outcomes);
  }
  if (a.sensitivity || (a.all && r.config.design == Design::kSaltelli))
    print_sensitivity(std::cout, r.config, r.acc, driver_outcomes);
  return kExitOk;
}

struct DiscoverArgs {
  DiscoverPlan plan;
  std::string objective = "lenient1";
  int box = -1;
  double min_density = 0, min_coverage = 0;
};

// The command line's discovery options as a plan (the study module does the work).
int cmd_discover(DiscoverArgs a, MPI_Comm comm) {
  using Rule = prim::Choice::Rule;
  const int choices = (a.box >= 0) + (a.min_density > 0) + (a.min_coverage > 0);
  if (choices > 1)
    throw InputError("command line", 0, "--box",
                     "give at most one of --box, --min-density and --min-coverage");
  auto& c = a.plan.controls.choice;
  if (a.box >= 0) c = {Rule::kIndex, a.box, 0.0};
  if (a.min_density > 0) c = {Rule::kMinDensity, 0, a.min_density};
  if (a.min_coverage > 0) c = {Rule::kMinCoverage, 0, a.min_coverage};
  a.plan.controls.objective = a.objective == "original"   ? prim::Objective::kOriginal
                              : a.objective == "lenient2" ? prim::Objective::kLenient2
                                                          : prim::Objective::kLenient1;
  run_discover(a.plan, comm);
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
                  "write per-run records: all, compact ([output] record_outcomes) or none "
                  "(default: [output] records)")
      ->check(CLI::IsMember({"all", "compact", "none"}));
  run->add_option("--target-se", ra.target_se,
                  "OUTCOME=VALUE ...: run whole batches until the standard error of each outcome "
                  "is below VALUE for every "
                  "strategy (0/1 outcomes: Wilson 95% half width / 1.96); diff:OUTCOME=VALUE: of "
                  "every paired difference (against the baseline); settled:max:OUTCOME=CONFIDENCE "
                  "(or min:): until the best strategy on that mean is ahead of every other with "
                  "that confidence; with design saltelli "
                  "also total_order:OUTCOME=VALUE or first_order:OUTCOME=VALUE (the largest 95% "
                  "half width of its indices over every strategy and input)");
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
  run->add_flag("-q,--quiet", ra.quiet,
                "print nothing but errors and the warning of a missed --target-se");
  std::string vpath;
  InfoArgs ia;
  auto* validate = app.add_subcommand("validate", "check a configuration file and exit");
  validate->add_option("CONFIG", vpath, "scenario configuration (TOML)")->required();
  auto* info =
      app.add_subcommand("info", "print the summary tables of a result file, or compare studies");
  info->add_option("RESULTS", ia.files,
                   "result file written by wedge run; several: the studies side by side")
      ->required();
  info->add_flag("--outcomes", ia.outcomes,
                 "also every outcome's moments and quantiles, and every paired difference");
  info->add_flag("--paths", ia.paths, "also the states over time and the event timing");
  info->add_flag(
      "--drivers", ia.drivers,
      "also outcomes by parameter decile (split, nato_fracture, military_action, us_payoff)");
  info->add_option("--drivers-of", ia.drivers_of,
                   "OUTCOME ...: the outcomes of the decile tables (implies --drivers)");
  info->add_option("--strategies", ia.strategies,
                   "N: the top N strategies on each criterion and the Pareto frontier")
      ->expected(0, 1)
      ->default_str("10")
      ->check(CLI::Range(1, 100000));
  info->add_flag("--sensitivity", ia.sensitivity,
                 "Sobol' indices of a Saltelli study (outcomes as for --drivers-of)");
  info->add_flag("--evidence", ia.evidence,
                 "what the evidence taught: the inputs' prior and posterior, and the forecast "
                 "before and after it");
  info->add_flag("--all", ia.all, "every table");
  std::string mout;
  std::vector<std::string> mins;
  auto* merge = app.add_subcommand(
      "merge", "combine result files of one configuration (run ranges or seeds)");
  merge->add_option("OUT", mout, "merged result file")->required();
  merge->add_option("IN", mins, "result files to merge")->required();
  std::string sres, sresolved, sout;
  auto* score = app.add_subcommand(
      "score", "score a study's forecasts against questions that have since resolved");
  score->add_option("RESULTS", sres, "result file written by wedge run")->required();
  score->add_option("RESOLVED", sresolved, "resolved questions (TOML, docs/scoring.md)")
      ->required();
  score->add_option("-o,--output", sout, "also write the scores to this HDF5 file");

  DiscoverArgs da;
  auto* discover = app.add_subcommand(
      "discover", "scenario discovery (PRIM): where in the inputs a condition holds");
  discover->add_option("RESULTS", da.plan.results, "result file with per-run records")->required();
  discover
      ->add_option("--where", da.plan.where,
                   "the runs of interest: OUTCOME@STRATEGY (0/1), a threshold "
                   "(us_payoff@conciliation < 0.2), a comparison of two, or regret@STRATEGY > X")
      ->required();
  discover->add_option("-o,--output", da.plan.output, "discovery file to write")->required();
  auto& dc = da.plan.controls;
  discover->add_option("--peel-alpha", dc.peel_alpha, "share of the box one peel removes (0.05)");
  discover->add_option("--paste-alpha", dc.paste_alpha, "share of the box one paste adds (0.05)");
  discover->add_option("--mass-min", dc.mass_min, "smallest share of all runs in a box (0.05)");
  discover->add_option("--objective", da.objective, "peeling objective (default lenient1)")
      ->check(CLI::IsMember({"lenient1", "lenient2", "original"}));
  discover->add_option("--boxes", dc.boxes, "boxes of the covering (3)");
  discover->add_option("--resamples", dc.resamples,
                       "half-samples for the stability of each restriction (10; 0: none)");
  discover->add_option("--box", da.box, "pick this step of the first box's peeling trajectory")
      ->check(CLI::NonNegativeNumber);
  discover->add_option("--min-density", da.min_density,
                       "pick the first step whose density reaches this");
  discover->add_option("--min-coverage", da.min_coverage,
                       "pick the last step whose coverage reaches this");
  discover->add_option("--threads", da.plan.threads, "OpenMP threads per rank")
      ->check(CLI::Range(1, 4096));
  discover->add_flag("-q,--quiet", da.plan.quiet, "print nothing but errors");

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
  ra.has_first_run = run->count("--first-run") > 0;
  try {
    if (ra.has_seed) ra.seed = parse_seed(ra.seed_text);
    if (*run) return cmd_run(ra, MPI_COMM_WORLD);
    if (*discover) return cmd_discover(da, MPI_COMM_WORLD);
    if (rank != 0) return kExitOk;
    if (*validate) return cmd_validate(vpath);
    if (*info) return cmd_info(ia);
    if (*score) {
      score_study(sres, sresolved, sout, std::cout);
      return kExitOk;
    }
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
