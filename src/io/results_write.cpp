#include <hdf5_hl.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>
#include <numeric>

#include "io/descriptions.hpp"
#include "io/evidence_write.hpp"
#include "io/path_groups.hpp"
#include "io/qmc_write.hpp"
#include "io/results_strategies.hpp"
#include "wedge/analyses/first_order.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/model.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/core/quarter.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/core/sensitivity.hpp"
#include "wedge/io/checkpoint.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/records.hpp"
#include "wedge/io/results.hpp"
#include "wedge/io/sensitivity.hpp"
#include "wedge/version.hpp"

namespace wedge::io {
namespace {

using detail::param_attrs;
using detail::param_descriptions;
using detail::param_names;
using detail::strategy_names;
using h5::Id;

std::vector<int> recorded_all(const Config& cfg) {
  std::vector<int> all(static_cast<std::size_t>(cfg.num_outcomes()));
  for (int o = 0; o < cfg.num_outcomes(); ++o) all[static_cast<std::size_t>(o)] = o;
  return all;
}

//! One field of every outcome's description, in outcome order.
std::vector<std::string> outcome_field(const Config& cfg, std::string OutcomeInfo::*field,
                                       const std::vector<int>& which) {
  std::vector<std::string> v;
  for (int o : which) v.push_back(cfg.outcomes[static_cast<std::size_t>(o)].*field);
  return v;
}
std::vector<std::string> outcome_field(const Config& cfg, std::string OutcomeInfo::*field) {
  return outcome_field(cfg, field, recorded_all(cfg));
}
//! One field of every input's description, in input order.
std::vector<std::string> param_field(const Config& cfg, std::string Input::*field) {
  std::vector<std::string> v;
  for (const auto& in : cfg.inputs) v.push_back(in.*field);
  return v;
}
std::vector<std::string> outcome_names(const Config& cfg) {
  return outcome_field(cfg, &OutcomeInfo::name);
}
std::vector<std::string> term_keys(const std::vector<Term>& terms) {
  std::vector<std::string> v;
  for (const auto& t : terms) v.emplace_back(t.key);
  return v;
}
std::vector<std::string> event_names(const Config& cfg) {
  std::vector<std::string> v;
  for (const auto& e : cfg.events) v.emplace_back(e.term.key);
  return v;
}
std::vector<double> quantile_levels() {
  return {stats::kQuantiles.begin(), stats::kQuantiles.end()};
}
void outcome_attrs(hid_t group, const Config& cfg, const std::string& var) {
  detail::outcome_attrs(group, cfg, var, recorded_all(cfg));
}

void write_summary_root(hid_t file, const Config& cfg, const Summary& s) {
  h5::dim_strings(file, "strategy", strategy_names(cfg));
  h5::dim_strings(file, "outcome", outcome_names(cfg));
  h5::dim_doubles(file, "quantile", quantile_levels(), "probability level of the quantile", "1");
  const std::vector<std::string> so = {"strategy", "outcome"};
  h5::var_doubles(file, "mean", so, s.mean,
                  "mean of the outcome over runs (probability for 0/1 outcomes)", "");
  h5::var_doubles(file, "sd", so, s.sd, "standard deviation of the outcome over runs", "");
  h5::var_doubles(file, "mcse", so, s.mcse, "Monte Carlo standard error of the mean", "");
  h5::var_doubles(file, "min", so, s.min, "smallest value over runs", "");
  h5::var_doubles(file, "max", so, s.max, "largest value over runs", "");
  h5::var_doubles(file, "wilson_low", so, s.wilson_low,
                  "lower end of the 95% Wilson interval (0/1 outcomes)", "1");
  h5::var_doubles(file, "wilson_high", so, s.wilson_high,
                  "upper end of the 95% Wilson interval (0/1 outcomes)", "1");
  h5::var_doubles(file, "quantiles", {"strategy", "outcome", "quantile"}, s.quantiles,
                  "quantiles of the outcome (from fixed-bin histograms; see docs/output-format.md)",
                  "");
  for (const auto* v : {"mean", "sd", "mcse", "min", "max", "quantiles"})
    outcome_attrs(file, cfg, v);
  std::vector<std::string> kind;
  for (const auto& o : cfg.outcomes)
    kind.emplace_back(o.kind == OutcomeKind::kBinary    ? "binary"
                      : o.kind == OutcomeKind::kInteger ? "integer"
                                                        : "continuous");
  h5::var_strings(file, "outcome_long_name", {"outcome"},
                  outcome_field(cfg, &OutcomeInfo::long_name), "what the outcome measures");
  h5::var_strings(file, "outcome_units", {"outcome"}, outcome_field(cfg, &OutcomeInfo::units),
                  "units of the outcome");
  h5::var_strings(file, "outcome_kind", {"outcome"}, kind,
                  "continuous, integer (-1 = never for *_quarter) or binary (0/1)");
}

void write_histograms(hid_t file, const Config& cfg, const stats::Accumulators& acc) {
  Id g = h5::create_group(file, "histograms");
  h5::dim_strings(g, "strategy", strategy_names(cfg));
  const auto& L = acc.layout();
  for (int o = 0; o < L.O; ++o) {
    const auto& info = cfg.outcomes[static_cast<std::size_t>(o)];
    const int nb = outcome_bins(cfg, o);
    const Range r = info.range;
    const bool cont = info.kind == OutcomeKind::kContinuous;
    std::vector<double> lower;
    for (int b = 0; b < nb; ++b) lower.push_back(cont ? r.lo + b * (r.hi - r.lo) / nb : r.lo + b);
    const std::string dim = std::string(info.name) + "_bin";
    h5::dim_doubles(g, dim, lower, cont ? "lower edge of the bin" : "value counted by the bin",
                    std::string(info.units));
    std::vector<std::uint64_t> counts;
    for (int s = 0; s < L.S; ++s)
      for (int b = 0; b < nb; ++b)
        counts.push_back(acc.count(stats::Seg::kOutcomeHist, L.hist_index(s, o, b)));
    h5::var_uints(g, std::string(info.name), {"strategy", dim}, counts,
                  std::string("runs per bin: ") + std::string(info.long_name), "count");
    Id ds = h5::dataset(H5Dopen2(g, std::string(info.name).c_str(), H5P_DEFAULT), "open histogram");
    h5::attr_double(ds, "bin_width", cont ? (r.hi - r.lo) / nb : 1.0);
  }
}

void write_paths(hid_t file, const Config& cfg, const stats::Accumulators& acc) {
  Id g = h5::create_group(file, "paths");
  const auto& L = acc.layout();
  h5::dim_strings(g, "strategy", strategy_names(cfg));
  h5::dim_strings(g, "state", term_keys(cfg.states));
  h5::dim_strings(g, "event", event_names(cfg));
  std::vector<std::int64_t> q(static_cast<std::size_t>(L.T));
  std::vector<double> year(static_cast<std::size_t>(L.T));
  for (int t = 0; t < L.T; ++t)
    q[static_cast<std::size_t>(t)] = t,
    year[static_cast<std::size_t>(t)] = cfg.start_year + (t + 1) * cfg.dt;
  h5::dim_ints(g, "quarter", q, "quarter index t; values are at the end of quarter t", "quarter");
  h5::dim_doubles(g, "quantile", quantile_levels(), "probability level of the quantile", "1");
  h5::var_doubles(g, "year", {"quarter"}, year, "time at the end of the quarter", "year");
  // Fan charts only for the strategies of `[output] fan_charts`: their own dimension when that is
  // not every strategy.
  const std::string fan_dim = L.F < L.S ? "fan_chart_strategy" : "strategy";
  std::vector<std::string> fan_names;
  for (int s : L.fan_strategy)
    fan_names.push_back(cfg.strategies[static_cast<std::size_t>(s)].name);
  if (L.F < L.S) h5::dim_strings(g, fan_dim, fan_names);
  std::vector<double> mean, quant;
  for (int s : L.fan_strategy)
    for (int k = 0; k < L.K; ++k)
      for (int t = 0; t < L.T; ++t) {
        mean.push_back(path_mean(acc, s, k, t));
        for (double lvl : stats::kQuantiles) quant.push_back(path_quantile(acc, s, k, t, lvl));
      }
  h5::var_doubles(g, "mean", {fan_dim, "state", "quarter"}, mean, "mean level of the state", "1");
  Id pm = h5::dataset(H5Dopen2(g, "mean", H5P_DEFAULT), "open paths/mean");
  h5::attr_string(pm, "coordinates", "year");
  h5::var_doubles(g, "quantiles", {fan_dim, "state", "quarter", "quantile"}, quant,
                  "quantiles of the state (fixed-bin histograms, accurate to one bin)", "1");
  write_path_groups(g, cfg, acc);
  std::vector<double> cum;
  for (int s = 0; s < L.S; ++s)
    for (int e = 0; e < static_cast<int>(cfg.events.size()); ++e)
      for (int t = 0; t < L.T; ++t) cum.push_back(event_probability(cfg, acc, s, e, t));
  h5::var_doubles(g, "event_probability", {"strategy", "event", "quarter"}, cum,
                  "probability that the event has happened by the end of the quarter", "1");
}

void write_comparison(hid_t file, const Config& cfg, const Summary& s) {
  Id g = h5::create_group(file, "comparison");
  h5::dim_strings(g, "strategy", strategy_names(cfg));
  h5::dim_strings(g, "outcome", outcome_names(cfg));
  if (!s.pairs.empty()) {
    h5::dim_strings(g, "pair", s.pairs);
    h5::var_strings(g, "first", {"pair"}, s.pair_first, "strategy A of the difference A - B");
    h5::var_strings(g, "second", {"pair"}, s.pair_second, "strategy B of the difference A - B");
    h5::var_doubles(g, "mean_difference", {"pair", "outcome"}, s.diff_mean,
                    "mean over runs of outcome(A) - outcome(B), same random numbers", "");
    h5::var_doubles(g, "se_difference", {"pair", "outcome"}, s.diff_se,
                    "standard error of the paired mean difference", "");
    for (const auto* v : {"mean_difference", "se_difference"}) outcome_attrs(g, cfg, v);
  }
  h5::var_doubles(g, "best_share", {"strategy"}, s.best_share,
                  "share of runs in which the strategy has the highest US payoff", "1");
  h5::var_doubles(g, "regret_mean", {"strategy"}, s.regret_mean,
                  "mean payoff shortfall from the best strategy of the same run", "1");
  h5::var_doubles(g, "regret_p90", {"strategy"}, s.regret_p90, "90th percentile of the regret",
                  "1");
  if (!s.criteria.empty()) {
    h5::dim_strings(g, "criterion", s.criteria);
    h5::var_strings(g, "criterion_description", {"criterion"}, s.criteria_description,
                    "what the criterion requires");
    h5::var_doubles(g, "satisficing", {"strategy", "criterion"}, s.satisficing,
                    "share of runs meeting the criterion", "1");
  }
}

void write_drivers(hid_t file, const Config& cfg, const stats::Accumulators& acc) {
  Id g = h5::create_group(file, "drivers");
  const auto& L = acc.layout();
  h5::dim_strings(g, "strategy", strategy_names(cfg));
  h5::dim_strings(g, "parameter", param_names(cfg));
  std::vector<std::int64_t> dec;
  for (int d = 0; d < L.D; ++d) dec.push_back(d + 1);
  h5::dim_ints(g, "decile", dec, "decile of the parameter under its prior (1 = lowest tenth)", "1");
  h5::dim_strings(g, "outcome", outcome_names(cfg));
  ParameterSampler sampler(cfg);
  std::vector<double> lower, upper;
  std::vector<std::uint64_t> count;
  for (int p = 0; p < L.P; ++p) {
    const Range sup = prior_support(cfg.inputs[static_cast<std::size_t>(p)].prior);
    const auto& e = sampler.decile_edges()[static_cast<std::size_t>(p)];
    for (int d = 0; d < L.D; ++d) {
      constexpr double inf = std::numeric_limits<double>::infinity();  // unbounded prior ends
      lower.push_back(d == 0 ? (sup.lo <= -1e299 ? -inf : sup.lo)
                             : e[static_cast<std::size_t>(d - 1)]);
      upper.push_back(d == L.D - 1 ? (sup.hi >= 1e299 ? inf : sup.hi)
                                   : e[static_cast<std::size_t>(d)]);
      count.push_back(acc.count(stats::Seg::kDecileCount, L.decile_count_index(p, d)));
    }
  }
  h5::var_doubles(g, "decile_lower", {"parameter", "decile"}, lower, "lower edge of the decile",
                  "");
  h5::var_doubles(g, "decile_upper", {"parameter", "decile"}, upper, "upper edge of the decile",
                  "");
  for (const auto* v : {"decile_lower", "decile_upper"}) param_attrs(g, cfg, v);
  param_descriptions(g, cfg);
  h5::var_uints(g, "count", {"parameter", "decile"}, count,
                "runs whose parameter fell in the decile", "count");
  std::vector<double> mean;
  for (int s = 0; s < L.S; ++s)
    for (int p = 0; p < L.P; ++p)
      for (int d = 0; d < L.D; ++d)
        for (int o = 0; o < L.O; ++o) mean.push_back(decile_mean(acc, s, p, d, o));
  h5::var_doubles(g, "mean", {"strategy", "parameter", "decile", "outcome"}, mean,
                  "mean outcome (probability for 0/1 outcomes) among runs in the decile", "");
  outcome_attrs(g, cfg, "mean");
  h5::var_doubles(g, "first_order", {"strategy", "parameter", "outcome"},
                  first_order_indices(cfg, acc),
                  "first-order sensitivity index from the decile bins (noise- and "
                  "bin-corrected; NaN: fixed input or too few runs)",
                  "1");
}

void write_state(hid_t file, const stats::Accumulators& acc) {
  Id g = h5::create_group(file, "state");
  const auto& L = acc.layout();
  h5::dim_plain(g, "word", L.words);
  h5::var_uints(g, "words", {"word"}, acc.words(),
                "raw accumulators (fixed-point sums, counts, minima, maxima) for merging", "1",
                /*checksum=*/true);
  std::vector<std::string> names;
  std::vector<std::uint64_t> kinds, offsets, lengths;
  for (const auto& seg : L.segments) {
    names.emplace_back(seg.name);
    kinds.push_back(static_cast<std::uint64_t>(seg.kind));
    offsets.push_back(seg.offset);
    lengths.push_back(seg.length);
  }
  h5::attr_string_array(g, "segment_names", names);
  h5::attr_uint_array(g, "segment_kinds", kinds);
  h5::attr_uint_array(g, "segment_offsets", offsets);
  h5::attr_uint_array(g, "segment_lengths", lengths);
  h5::attr_double(g, "sum_scale", stats::kScale);
  h5::attr_double(g, "decile_sum_scale", stats::kDecileScale);
}

}  // namespace

// ---- descriptions shared with records.cpp --------------------------------------------------

namespace detail {

std::vector<std::string> strategy_names(const Config& cfg) {
  std::vector<std::string> v;
  for (const auto& s : cfg.strategies) v.push_back(s.name);
  return v;
}
std::vector<std::string> param_names(const Config& cfg) { return param_field(cfg, &Input::name); }
std::vector<std::string> outcome_names(const Config& cfg, const std::vector<int>& which) {
  return outcome_field(cfg, &OutcomeInfo::name, which);
}
// A variable along the outcome axis has one unit per outcome, so it gets no `units` attribute
// (a made-up one would mislead CF tools) but the per-outcome lists and a pointer to them.
void outcome_attrs(hid_t group, const Config& cfg, const std::string& var,
                   const std::vector<int>& which) {
  Id ds = h5::dataset(H5Dopen2(group, var.c_str(), H5P_DEFAULT), "open " + var);
  h5::attr_string(ds, "comment",
                  "units differ by outcome: see the attribute outcome_units (and the root variable "
                  "outcome_units)");
  h5::attr_string_array(ds, "outcome_long_names",
                        outcome_field(cfg, &OutcomeInfo::long_name, which));
  h5::attr_string_array(ds, "outcome_units", outcome_field(cfg, &OutcomeInfo::units, which));
}
void param_attrs(hid_t group, const Config& cfg, const std::string& var) {
  Id ds = h5::dataset(H5Dopen2(group, var.c_str(), H5P_DEFAULT), "open " + var);
  h5::attr_string(ds, "comment", "units differ by parameter: see the attribute parameter_units");
  h5::attr_string_array(ds, "parameter_long_names", param_field(cfg, &Input::long_name));
  h5::attr_string_array(ds, "parameter_units", param_field(cfg, &Input::unit));
}
void param_descriptions(hid_t group, const Config& cfg) {
  h5::var_strings(group, "parameter_long_name", {"parameter"}, param_field(cfg, &Input::long_name),
                  "what the parameter measures");
  h5::var_strings(group, "parameter_units", {"parameter"}, param_field(cfg, &Input::unit),
                  "units of the parameter");
}

}  // namespace detail

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string history_line(const std::string& created, const std::string& what) {
  return created + " wedge " + kVersion + " (git " + std::string(kGitSha).substr(0, 12) + ") " +
         what + "\n";
}

void write_statistics(hid_t file, const Config& cfg, const stats::Accumulators& acc,
                      const Provenance& prov) {
  h5::attr_string(file, "filetype", kFileType);
  h5::attr_int(file, "format_version", kFormatVersion);
  h5::attr_string(file, "model", std::string(find_model_type(cfg.model)->stamp));
  h5::attr_string(file, "engine", "wedge");
  h5::attr_string(file, "engine_version", kVersion);
  h5::attr_string(file, "git_sha", kGitSha);
  h5::attr_string(file, "created", prov.created);
  h5::attr_uint(file, "seed", cfg.seed);
  h5::attr_string(file, "design", std::string(design_name(cfg.design)));
  if (cfg.history) {  // the policy in force before the strategies take over
    h5::attr_string(file, "decision_quarter", quarter_label(cfg.decision_quarter, cfg));
    h5::attr_string(file, "history_strategy", cfg.history->name);
  }
  h5::attr_uint(file, "runs", prov.runs);
  std::vector<std::uint64_t> ranges = prov.run_ranges;
  if (ranges.empty()) ranges = {cfg.seed, 0, prov.runs};
  h5::attr_uint_array(file, "run_ranges", ranges);
  h5::attr_string(file, "study", cfg.name);
  h5::attr_uint(file, "batch_size", cfg.batch_size);
  h5::attr_int(file, "mpi_ranks", prov.ranks);
  h5::attr_int(file, "omp_threads", prov.threads);
  h5::attr_string(file, "ranks_x_threads",
                  std::to_string(prov.ranks) + "x" + std::to_string(prov.threads));
  h5::attr_double(file, "wall_seconds", prov.wall_seconds);
  if (!prov.history.empty()) h5::attr_string(file, "history", prov.history);
  if (!prov.target_se.empty()) {
    h5::attr_string(file, "target_se", prov.target_se);
    h5::attr_int(file, "target_se_reached", prov.target_se_reached);
  }
  h5::attr_string(file, "generator",
                  "Random123 Philox4x32-10, counter = (run, purpose, draw), key = seed");
  h5::attr_string(file, "config_path", cfg.path);
  h5::attr_string(file, "config", cfg.text);
  h5::attr_string(file, "Conventions", "wedge-1 (netCDF-4 dimensions)");
  const Summary s = summarize(cfg, acc);
  write_summary_root(file, cfg, s);
  write_histograms(file, cfg, acc);
  write_paths(file, cfg, acc);
  write_comparison(file, cfg, s);
  write_drivers(file, cfg, acc);
  write_strategies(file, cfg);
  write_robust(file, cfg, acc.layout(), s);
  write_qmc(file, cfg, acc);
  write_evidence(file, cfg, acc, prov.evidence_offset);
  write_sensitivity(file, cfg, acc);
  write_state(file, acc);
}

// ---- ResultWriter -------------------------------------------------------------------------

ResultWriter::ResultWriter(const std::string& path, const Config& cfg, MPI_Comm comm, bool records,
                           std::uint64_t first_run, std::uint64_t end_run, bool resume)
    : path_(path),
      temp_(path + ".partial"),
      cfg_(cfg),
      comm_(comm),
      records_(records),
      first_run_(first_run),
      end_run_(end_run),
      rows_(record_rows_per_run(cfg)) {
  Id fapl = h5::plist(H5Pcreate(H5P_FILE_ACCESS), "create fapl");
  h5::check(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL), "use MPI-IO");
  if (resume && records_) {
    checkpointed_ = true;
    file_ = h5::file(H5Fopen(temp_.c_str(), H5F_ACC_RDWR, fapl),
                     "reopen " + temp_ + " to resume its records");
    auto d = open_records(file_, cfg, temp_);
    runs_ = std::move(d.run), params_ = std::move(d.parameters), outcomes_ = std::move(d.outcomes);
    weight_ = std::move(d.weight);
    return;
  }
  file_ = h5::file(H5Fcreate(temp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), "create " + temp_);
  if (!records_) return;
  auto d = create_records(file_, cfg, first_run, end_run - first_run);
  runs_ = std::move(d.run), params_ = std::move(d.parameters), outcomes_ = std::move(d.outcomes);
  weight_ = std::move(d.weight);
}

ResultWriter::~ResultWriter() {
  if (done_) return;
  // An error unwound past us: never leave a file that looks finished. Records a checkpoint
  // points to stay on disk as the last flush left them (closing would flush half-written
  // metadata after a write error), for --restart; otherwise the partial file goes.
  if (records_ && checkpointed_) {
    params_.release(), outcomes_.release(), runs_.release(), weight_.release();
    h5::abandon(file_);
    return;
  }
  params_.reset(), outcomes_.reset(), runs_.reset(), weight_.reset(), file_.reset();
  if (comm_rank(comm_) == 0) std::remove(temp_.c_str());
}

void ResultWriter::flush() {
  if (!records_) return;
  h5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush the records to " + temp_);
  checkpointed_ = true;
}

void ResultWriter::write(std::uint64_t first_run, std::uint64_t count,
                         const std::vector<double>& params, const std::vector<double>& outcomes,
                         const std::vector<double>& weights) {
  if (!records_) return;
  Id dxpl = h5::plist(H5Pcreate(H5P_DATASET_XFER), "dxpl");
  h5::check(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE), "collective transfer");
  // A Saltelli design writes rows_ design rows per base row, all with the base row's index.
  std::vector<std::uint64_t> ids(count * rows_);
  for (std::uint64_t i = 0; i < ids.size(); ++i) ids[i] = first_run + i / rows_;
  auto put = [&](hid_t ds, hid_t mtype, const void* data) {
    Id fs = h5::space(H5Dget_space(ds), "file space");
    const int rank = H5Sget_simple_extent_ndims(fs);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(fs, dims.data(), nullptr);
    std::vector<hsize_t> start(dims.size(), 0), cnt = dims;
    start[0] = (first_run - first_run_) * rows_;
    cnt[0] = count * rows_;
    Id ms = h5::space(H5Screate_simple(rank, cnt.data(), nullptr), "memory space");
    if (count == 0) {
      H5Sselect_none(fs);
      H5Sselect_none(ms);
    } else {
      h5::check(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr),
                "select");
    }
    h5::check(H5Dwrite(ds, mtype, ms, fs, dxpl, data), "write records");
  };
  put(runs_, H5T_NATIVE_UINT64, ids.data());
  put(params_, H5T_NATIVE_DOUBLE, params.data());
  put(outcomes_, H5T_NATIVE_DOUBLE, outcomes.data());
  if (weight_.get() >= 0) put(weight_, H5T_NATIVE_DOUBLE, weights.data());
}

void ResultWriter::suspend() {
  params_.reset(), outcomes_.reset(), runs_.reset(), weight_.reset(), file_.reset();
  MPI_Barrier(comm_);
  done_ = true;  // keep the .partial file: the restart continues its records
}

void write_results_serial(const std::string& path, const Config& cfg,
                          const stats::Accumulators& acc, const Provenance& prov) {
  write_sealed_file(path, [&](hid_t f) { write_statistics(f, cfg, acc, prov); });
}

void ResultWriter::finish(const stats::Accumulators& acc, const Provenance& prov,
                          std::uint64_t runs_written) {
  if (records_ && runs_written < end_run_) {
    // A stopping rule ended the study early: trim the records to what was simulated.
    for (hid_t ds : {runs_.get(), params_.get(), outcomes_.get(), weight_.get()}) {
      if (ds < 0) continue;  // no weights without evidence
      Id fs = h5::space(H5Dget_space(ds), "file space");
      std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(fs)));
      H5Sget_simple_extent_dims(fs, dims.data(), nullptr);
      dims[0] = (runs_written - first_run_) * rows_;
      h5::check(H5Dset_extent(ds, dims.data()), "trim records");
    }
  }
  params_.reset(), outcomes_.reset(), runs_.reset(), weight_.reset(), file_.reset();
  MPI_Barrier(comm_);
  int ok = 1;
  std::string err;
  bool sealed = false;
  if (comm_rank(comm_) == 0) {
    try {
      Id f = h5::file(H5Fopen(temp_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "reopen " + temp_);
      write_statistics(f, cfg_, acc, prov);
      if (records_) describe_records(f, cfg_, first_run_);
      f.reset();
      seal(temp_);
      sealed = true;
      std::filesystem::rename(temp_, path_);
    } catch (const std::exception& e) {
      ok = 0;
      err = e.what();
    }
    if (sealed && !ok) {
      // The sealed .partial is complete: keep it (and the checkpoint) for --restart to rename.
      err += "; " + temp_ + " is complete: the same command with --restart renames it";
    } else if (!ok) {
      std::remove(temp_.c_str());
      // The records are gone with the damaged partial file, so a records checkpoint could
      // not be continued: remove it too, and a --restart starts afresh.
      if (records_) {
        checkpoint::remove(path_);
        err += "; the partial records and their checkpoint were removed: run again";
      }
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm_);
  done_ = true;
  if (!ok) throw Error(comm_rank(comm_) == 0 ? err : "rank 0 failed to write " + path_);
}

}  // namespace wedge::io
