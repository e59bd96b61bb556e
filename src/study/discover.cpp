// `wedge discover` (include/wedge/study/discover.hpp).
#include "wedge/study/discover.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "wedge/analyses/condition.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/results.hpp"

namespace wedge {
namespace {

constexpr std::uint64_t kSlab = 32768;  // rows read at a time: bounded memory for any study

void check_plan(const DiscoverPlan& p) {
  const auto bad = [](const char* key, const std::string& msg) {
    throw InputError("command line", 0, key, msg);
  };
  const prim::Controls& c = p.controls;
  if (!(c.peel_alpha > 0.0 && c.peel_alpha < 0.5))
    bad("--peel-alpha", "must lie in (0, 0.5): the share of the box one peel removes");
  if (!(c.paste_alpha > 0.0 && c.paste_alpha < 0.5))
    bad("--paste-alpha", "must lie in (0, 0.5): the share of the box one paste adds");
  if (!(c.mass_min > 0.0 && c.mass_min <= 1.0))
    bad("--mass-min", "must lie in (0, 1]: the smallest share of all runs a box may hold");
  if (c.boxes < 1 || c.boxes > 10) bad("--boxes", "must be 1 to 10");
  if (c.resamples < 0 || c.resamples > 1000) bad("--resamples", "must be 0 to 1000");
  if (p.output.empty()) bad("-o", "name the discovery file to write");
  const auto& ch = c.choice;
  if ((ch.rule == prim::Choice::Rule::kMinDensity || ch.rule == prim::Choice::Rule::kMinCoverage) &&
      !(ch.value > 0.0 && ch.value <= 1.0))
    bad(ch.rule == prim::Choice::Rule::kMinDensity ? "--min-density" : "--min-coverage",
        "must lie in (0, 1]");
  io::check_output_path(p.output, "-o");
}

std::string choice_text(const prim::Choice& c) {
  char buf[96];
  switch (c.rule) {
    case prim::Choice::Rule::kBest: return "largest coverage x density";
    case prim::Choice::Rule::kIndex:
      std::snprintf(buf, sizeof buf, "step %d (later boxes: largest coverage x density)", c.index);
      return buf;
    case prim::Choice::Rule::kMinDensity:
      std::snprintf(buf, sizeof buf, "first step with density >= %g", c.value);
      return buf;
    case prim::Choice::Rule::kMinCoverage:
      std::snprintf(buf, sizeof buf, "last step with coverage >= %g", c.value);
      return buf;
  }
  return "";
}

// The inputs' bin edges: edge j is the prior's j / kBins quantile.
std::vector<std::vector<double>> bin_edges(const Config& cfg) {
  std::vector<std::vector<double>> edges;
  for (const Input& in : cfg.inputs) {
    std::vector<double> e(prim::kBins + 1);
    const Range sup = prior_support(in.prior);
    e.front() = sup.lo, e.back() = sup.hi;
    for (int j = 1; j < prim::kBins; ++j)
      e[static_cast<std::size_t>(j)] =
          prior_quantile(in.prior, static_cast<double>(j) / prim::kBins);
    edges.push_back(std::move(e));
  }
  return edges;
}

struct Source {
  Config cfg;
  std::string config_text;
};

// Rank 0 reads and checks the result file (its seal, format, configuration); every rank gets
// its configuration.
Source read_source(const std::string& path, MPI_Comm comm) {
  std::string text, seed;
  on_root(comm, [&] {
    const io::LoadedResults r = io::read_results(path);
    text = r.config.text, seed = std::to_string(r.config.seed);
    if (!r.has_records)
      throw InputError(path, 0, "records",
                       "the file has no per-run records, which discovery reads: run the study "
                       "again with --records all (or --records compact naming the outcomes of "
                       "the condition)");
  });
  text = broadcast_string(text, comm), seed = broadcast_string(seed, comm);
  Source s{parse_config(text, path + " (embedded configuration)"), text};
  s.cfg.seed = std::stoull(seed);
  return s;
}

// Where each of `names` is among the records' `have`; an absent one is an InputError.
std::vector<int> columns_of(const std::vector<std::string>& names,
                            const std::vector<std::string>& have, const std::string& path,
                            const char* key, const char* what) {
  std::vector<int> cols;
  for (const auto& n : names) {
    const auto it = std::find(have.begin(), have.end(), n);
    if (it == have.end()) {
      std::string list;
      for (const auto& h : have) list += (list.empty() ? "" : ", ") + h;
      throw InputError(path, 0, key,
                       "the records hold no " + std::string(what) + " '" + n +
                           "' (they hold: " + list +
                           "); run the study with --records all, or name it among the "
                           "recorded outcomes");
    }
    cols.push_back(static_cast<int>(it - have.begin()));
  }
  return cols;
}

// Reads this rank's rows and bins them: the runs PRIM works on.
prim::Runs load_runs(io::RecordReader& rec, const Config& cfg, const discovery::RunCondition& cond,
                     const std::vector<std::vector<double>>& edges, const std::string& path,
                     MPI_Comm comm) {
  std::vector<std::string> in_names, out_names, strat_names;
  for (const auto& in : cfg.inputs) in_names.push_back(in.name);
  for (int o : cond.outcomes()) out_names.push_back(cfg.outcomes[static_cast<std::size_t>(o)].name);
  for (const auto& s : cfg.strategies) strat_names.push_back(s.name);
  const auto pcols = columns_of(in_names, rec.parameters(), path, "records/parameter", "input");
  const auto ocols = columns_of(out_names, rec.outcomes(), path, "records/outcome", "outcome");
  if (rec.strategies() != strat_names)
    throw InputError(path, 0, "records/strategy",
                     "the records' strategies differ from the configuration's (damaged file)");
  const std::uint64_t N = rec.runs();
  const auto R = static_cast<std::uint64_t>(comm_size(comm));
  const auto me = static_cast<std::uint64_t>(comm_rank(comm));
  const std::uint64_t begin = N / R * me + std::min(me, N % R);
  const std::uint64_t end = begin + N / R + (me < N % R ? 1 : 0);
  const int K = cfg.num_inputs(), S = cfg.num_strategies();
  const std::size_t P = rec.parameters().size(), C = ocols.size();
  prim::Runs runs;
  runs.inputs = K;
  runs.first_run = rec.first_run() + begin;
  runs.bins.resize((end - begin) * static_cast<std::size_t>(K));
  runs.flags.resize(end - begin);
  std::vector<double> params, values;
  for (std::uint64_t row = begin; row < end; row += kSlab) {
    const std::uint64_t count = std::min(kSlab, end - row);
    rec.read(row, count, params, ocols, values);
#pragma omp parallel for schedule(static)
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::size_t at = row - begin + i;
      for (int k = 0; k < K; ++k) {
        const double x =
            params[i * P + static_cast<std::size_t>(pcols[static_cast<std::size_t>(k)])];
        const auto& e = edges[static_cast<std::size_t>(k)];
        // The bin: how many inner edges lie at or below x.
        const auto b = std::upper_bound(e.begin() + 1, e.end() - 1, x) - (e.begin() + 1);
        runs.bins[static_cast<std::size_t>(k) * (end - begin) + at] = static_cast<std::uint16_t>(b);
      }
      runs.flags[at] =
          discovery::holds(cond, &values[i * C * static_cast<std::size_t>(S)], S) ? 1 : 0;
    }
  }
  return runs;
}

}  // namespace

void run_discover(const DiscoverPlan& plan, MPI_Comm comm) {
  const auto t0 = std::chrono::steady_clock::now();
  check_plan(plan);
  if (plan.threads > 0) omp_set_num_threads(plan.threads);
  Source src = read_source(plan.results, comm);
  const Config& cfg = src.cfg;
  const discovery::RunCondition cond = discovery::parse_condition(plan.where, cfg);
  io::RecordReader rec(plan.results, comm);
  const auto edges = bin_edges(cfg);
  prim::Runs runs = load_runs(rec, cfg, cond, edges, plan.results, comm);
  const auto t_read = std::chrono::steady_clock::now();

  std::uint64_t counts[2] = {runs.size(), 0};
  for (std::uint8_t f : runs.flags) counts[1] += f & 1u;
  MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_UINT64_T, MPI_SUM, comm);
  if (counts[1] == 0 || counts[1] == counts[0])
    throw InputError("command line", 0, "--where",
                     "'" + plan.where + "' holds in " + (counts[1] == 0 ? "no run" : "every run") +
                         " of the " + std::to_string(counts[0]) +
                         ": there is nothing to discover; choose another condition or threshold");
  std::vector<bool> peelable;
  for (const Input& in : cfg.inputs) peelable.push_back(in.prior.family != Family::kFixed);

  prim::Controls controls = plan.controls;
  controls.seed = cfg.seed;
  io::DiscoveryFile d;
  d.result = prim::discover(runs, peelable, controls, comm);
  const auto t_prim = std::chrono::steady_clock::now();
  d.source = plan.results;
  d.condition = plan.where;
  d.condition_words = discovery::describe(cond, cfg);
  d.choice = choice_text(controls.choice);
  d.config_text = src.config_text;
  d.seed = cfg.seed;
  for (const Input& in : cfg.inputs)
    d.inputs.push_back(in.name), d.long_names.push_back(in.long_name), d.units.push_back(in.unit);
  d.peelable = peelable;
  d.edges = edges;
  d.controls = controls;
  d.created = io::utc_now();
  d.ranks = comm_size(comm);
  d.threads = omp_get_max_threads();
  d.wall_seconds = std::chrono::duration<double>(t_prim - t0).count();
  on_root(comm, [&] {
    io::write_discovery(plan.output, d);
    if (plan.quiet) return;
    print_discovery(std::cout, d);
    const auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::fprintf(stderr,
                 "wedge discover: %llu runs on %d ranks x %d threads: read and binned in %.2f s, "
                 "PRIM in %.2f s; wrote %s\n",
                 static_cast<unsigned long long>(d.result.runs), d.ranks, d.threads,
                 secs(t0, t_read), secs(t_read, t_prim), plan.output.c_str());
  });
}

}  // namespace wedge
