#include "wedge/core/runner.hpp"

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>

#include "wedge/core/error.hpp"
#include "wedge/core/model.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/core/ranking.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/core/sensitivity.hpp"

namespace wedge {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

constexpr std::uint64_t kB = kBlock;

}  // namespace

double target_standard_error(const Config& cfg, const stats::Accumulators& acc, int strategy,
                             int outcome) {
  // With evidence: weighted sums, over the effective sample size.
  const stats::Mass n = acc.mass();
  if (acc.runs() < 2 || !(n.ess >= 2)) return std::numeric_limits<double>::infinity();
  const std::size_t i = acc.layout().outcome_index(strategy, outcome);
  if (cfg.outcomes[static_cast<std::size_t>(outcome)].kind == OutcomeKind::kBinary) {
    constexpr double z = 1.959963984540054;
    const auto ones = static_cast<std::uint64_t>(acc.sum(stats::Seg::kOutcomeSum, i) /
                                                 static_cast<stats::i128>(stats::kScale));
    const stats::Interval w = stats::wilson(ones, n, z);
    return (w.hi - w.lo) / (2.0 * z);
  }
  return stats::moments(n, acc.sum(stats::Seg::kOutcomeSum, i),
                        acc.sum(stats::Seg::kOutcomeSumsq, i), stats::kScale)
      .se;
}

namespace {

constexpr std::string_view kDiffPrefix = "diff:", kFirstPrefix = "first_order:",
                           kTotalPrefix = "total_order:", kSettledPrefix = "settled:";

// The largest 95% half width of outcome o's indices of one order over the first `series` series
// (the strategies) and every factor; infinite while any is undefined.
double largest_half_width(const SobolTable& t, int series, int o, bool first) {
  double worst = 0.0;
  for (int s = 0; s < series; ++s)
    for (int j = 0; j < t.factors; ++j) {
      const std::size_t i = t.at(s, o, j);
      const double h = first ? t.first_high[i] - t.first[i] : t.total_high[i] - t.total[i];
      if (std::isnan(h)) return std::numeric_limits<double>::infinity();
      worst = std::max(worst, h);
    }
  return worst;
}

// The shortest form of v that reads back exactly.
std::string shortest(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
  return {buf, res.ptr};
}

// A settled target's criterion ("max:OUTCOME") and confidence; a ranking needs two strategies.
void resolve_settled(const Config& cfg, std::string_view criterion, TargetSe& t) {
  Objective ob;
  if (const std::string why = parse_objective(cfg, std::string(criterion), ob); !why.empty())
    throw InputError("command line", 0, "--target-se", "'" + t.name + "': " + why);
  if (!(t.value > 0.5 && t.value < 1.0))
    throw InputError("command line", 0, "--target-se",
                     "'" + t.name + "': the confidence must lie strictly between 0.5 and 1, got " +
                         shortest(t.value));
  if (cfg.num_strategies() < 2)
    throw InputError("command line", 0, "--target-se",
                     "'" + t.name + "': one strategy has no ranking to settle");
  t.outcome = ob.outcome;
  t.maximize = ob.maximize;
}

}  // namespace

void resolve_targets(const Config& cfg, std::vector<TargetSe>& targets) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    TargetSe& t = targets[i];
    std::string_view name = t.name;
    for (auto [prefix, kind] : {std::pair{kDiffPrefix, TargetKind::kPairedDifference},
                                std::pair{kFirstPrefix, TargetKind::kFirstOrder},
                                std::pair{kTotalPrefix, TargetKind::kTotalOrder},
                                std::pair{kSettledPrefix, TargetKind::kSettled}})
      if (name.starts_with(prefix)) name.remove_prefix(prefix.size()), t.kind = kind;
    if ((t.kind == TargetKind::kFirstOrder || t.kind == TargetKind::kTotalOrder) &&
        cfg.design != Design::kSaltelli)
      throw InputError("command line", 0, "--target-se",
                       "'" + t.name + "': index targets need [study] design = \"saltelli\"");
    if (t.kind == TargetKind::kSettled)
      resolve_settled(cfg, name, t);
    else
      t.outcome = cfg.outcome_index(name);
    if (t.outcome < 0)
      throw InputError("command line", 0, "--target-se",
                       "'" + std::string(name) + "' names no outcome");
    if (t.kind == TargetKind::kPairedDifference && cfg.num_strategies() < 2)
      throw InputError("command line", 0, "--target-se",
                       "'" + t.name + "': one strategy has no paired differences");
    for (std::size_t j = 0; j < i; ++j)
      if (targets[j].outcome == t.outcome && targets[j].kind == t.kind)
        throw InputError("command line", 0, "--target-se", "'" + t.name + "' is given twice");
  }
}

Objective target_criterion(const Config& cfg, const TargetSe& t) {
  const std::string& outcome = cfg.outcomes[static_cast<std::size_t>(t.outcome)].name;
  return {t.outcome, t.maximize, (t.maximize ? "max:" : "min:") + outcome};
}

std::vector<std::string> settled_rankings(const Config& cfg, const stats::Accumulators& acc,
                                          const std::vector<TargetSe>& targets) {
  std::vector<std::string> lines;
  for (const auto& t : targets)
    if (t.kind == TargetKind::kSettled) {
      const Objective ob = target_criterion(cfg, t);
      lines.push_back(describe_ranking(cfg, ob, t.value, check_ranking(cfg, acc, ob, t.value)));
    }
  return lines;
}

bool precision_reached(const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<TargetSe>& targets) {
  const stats::Layout& L = acc.layout();
  SobolTable indices;
  for (const auto& t : targets) {
    if (t.kind == TargetKind::kSettled) {
      if (!check_ranking(cfg, acc, target_criterion(cfg, t), t.value).settled()) return false;
      continue;
    }
    if (t.kind == TargetKind::kPairedDifference) {
      // Every paired difference; fewer than two runs have no standard error.
      for (int p = 0; p < L.pairs; ++p) {
        const std::size_t i = L.pair_index(p, t.outcome);
        const double se = acc.runs() < 2
                              ? std::numeric_limits<double>::infinity()
                              : stats::moments(acc.mass(), acc.sum(stats::Seg::kPairSum, i),
                                               acc.sum(stats::Seg::kPairSumsq, i), stats::kScale)
                                    .se;
        if (!(se < t.value)) return false;
      }
      continue;
    }
    if (t.kind != TargetKind::kStandardError) {
      if (indices.series == 0) indices = sobol_indices(cfg, acc);
      // Over the strategies (the first S series), as for standard-error targets.
      if (!(largest_half_width(indices, L.S, t.outcome, t.kind == TargetKind::kFirstOrder) <
            t.value))
        return false;
      continue;
    }
    for (int s = 0; s < L.S; ++s)
      if (!(target_standard_error(cfg, acc, s, t.outcome) < t.value)) return false;
  }
  return true;
}

std::string describe_targets(const std::vector<TargetSe>& targets) {
  // In outcome order, each value in the shortest form that reads back exactly, so that the same
  // targets given in another order or spelling describe alike (a restart compares them).
  std::vector<TargetSe> sorted = targets;
  std::sort(sorted.begin(), sorted.end(), [](const TargetSe& a, const TargetSe& b) {
    return std::tie(a.kind, a.outcome, a.value) < std::tie(b.kind, b.outcome, b.value);
  });
  std::string out;
  for (const auto& t : sorted) {
    if (!out.empty()) out += ' ';
    out.append(t.name).append("=").append(shortest(t.value));
  }
  return out;
}

namespace {

// A run whose parameters or outcomes are not finite means the configuration let the model's
// arithmetic overflow (an extreme prior or coefficient). Found per block, before the
// statistics see it; the message names the run and its parameters.
// The first lane in [lo, hi) whose value is NaN or infinite, or -1. A vector count first: almost
// always there is none, and the scalar search runs only when there is.
int first_non_finite(const double* v, int lo, int hi) {
  int bad = 0;
#pragma omp simd reduction(+ : bad)
  for (int j = lo; j < hi; ++j) bad += std::isfinite(v[j]) ? 0 : 1;
  if (bad == 0) return -1;
  for (int j = lo; j < hi; ++j)
    if (!std::isfinite(v[j])) return j;
  return -1;
}

std::string non_finite_in_block(const Config& cfg, std::uint64_t first, int lane_lo, int lane_hi,
                                const BlockParams& params, const std::vector<BlockOutcomes>& out) {
  auto describe_run = [&](int j) {
    std::ostringstream os;
    os.precision(6);
    os << "run " << first + static_cast<std::uint64_t>(j) << " (parameters:";
    for (int p = 0; p < cfg.num_inputs(); ++p)
      os << " " << cfg.inputs[static_cast<std::size_t>(p)].name << "=" << params[p][j];
    os << ")";
    return os.str();
  };
  for (int p = 0; p < cfg.num_inputs(); ++p)
    if (const int j = first_non_finite(params[p], lane_lo, lane_hi); j >= 0)
      return "parameter '" + cfg.inputs[static_cast<std::size_t>(p)].name +
             "' was drawn as a non-finite value in " + describe_run(j) + "; narrow its prior";
  for (std::size_t s = 0; s < out.size(); ++s)
    for (int o = 0; o < cfg.num_outcomes(); ++o)
      if (const int j = first_non_finite(out[s][o], lane_lo, lane_hi); j >= 0)
        return "the model overflowed: outcome '" + cfg.outcomes[static_cast<std::size_t>(o)].name +
               "' of strategy '" + cfg.strategies[s].name + "' is not a finite number in " +
               describe_run(j) +
               "; a prior or coefficient allows values too extreme for the model (narrow the "
               "priors, e.g. of volatility or china_leverage_growth, or the coefficients)";
  return {};
}

// A Saltelli design's rows B and AB_1..AB_k of one block (A was simulated by the caller), into
// the thread's SobolTally and, with records, into the rows of the block's base rows.
class SaltelliRows {
 public:
  SaltelliRows(const Config& cfg, const Model& model)
      : cfg_(cfg),
        model_(model),
        sampler_b_(cfg, rng::Purpose::kSaltelliB),
        factors_(sensitivity_factors(cfg)) {}
  int rows_per_base() const { return static_cast<int>(factors_.size()) + 2; }

  //! Returns why the block failed (non-finite values), or empty. `record(row, params, out)`
  //! is called for each of the base rows' design rows in SALib's order (row 0: A, 1..k: AB_j,
  //! k + 1: B) when set.
  template <typename Record>
  std::string run(std::uint64_t first, int lane_lo, int lane_hi, const BlockParams& a,
                  const std::vector<BlockOutcomes>& out_a, SobolTally& tally, Record&& record) {
    thread_local BlockParams b, e;
    thread_local BlockDeciles deciles;
    thread_local std::vector<BlockOutcomes> out_b, out_e;
    sampler_b_.sample_block(first, b, deciles);
    model_.simulate_block(NoiseKey(first, 1), b, out_b, nullptr);
    if (std::string why = non_finite_in_block(cfg_, first, lane_lo, lane_hi, b, out_b);
        !why.empty())
      return "B row: " + why;
    tally.begin_block(lane_lo, lane_hi);
    tally.set_base(out_a, out_b);
    const int k = static_cast<int>(factors_.size());
    record(k + 1, b, out_b);
    for (int j = 0; j < k; ++j) {
      const Factor& f = factors_[static_cast<std::size_t>(j)];
      e = a;
      for (int in : f.inputs)
        for (int l = 0; l < kBlock; ++l) e[in][l] = b[in][l];
      model_.simulate_block(NoiseKey(first, f.intrinsic ? 1 : 0), e, out_e, nullptr);
      if (std::string why = non_finite_in_block(cfg_, first, lane_lo, lane_hi, e, out_e);
          !why.empty())
        return "row AB_" + f.name + ": " + why;
      tally.add_factor(j, out_e);
      record(j + 1, e, out_e);
    }
    return {};
  }

 private:
  const Config& cfg_;
  const Model& model_;
  ParameterSampler sampler_b_;
  std::vector<Factor> factors_;
};

}  // namespace

RunReport run_study(const Config& cfg, const RunOptions& opt, stats::Accumulators& acc,
                    MPI_Comm comm) {
  RunReport rep;
  const int rank = comm_rank(comm), nranks = comm_size(comm);
  rep.ranks = nranks;
  const int nthreads = opt.threads > 0 ? opt.threads : omp_get_max_threads();
  rep.threads = nthreads;
  const int S = cfg.num_strategies();
  const auto P = static_cast<std::size_t>(cfg.num_inputs());

  const std::unique_ptr<Model> model = make_model(cfg);
  // With evidence, the weights' scale: the same pilot runs on every rank and invocation.
  const double evidence_offset =
      opt.evidence_offset ? *opt.evidence_offset : evidence_log_offset(cfg, *model);
  ParameterSampler sampler(cfg);
  std::vector<std::unique_ptr<stats::Tally>> tallies(static_cast<std::size_t>(nthreads));
  // A Saltelli design: the A rows are the study's runs (above); B and AB rows are added here.
  std::unique_ptr<SaltelliRows> saltelli;
  if (cfg.design == Design::kSaltelli) saltelli = std::make_unique<SaltelliRows>(cfg, *model);
  std::vector<std::unique_ptr<SobolTally>> sobol(static_cast<std::size_t>(nthreads));
  const std::size_t R = saltelli ? static_cast<std::size_t>(saltelli->rows_per_base()) : 1;
  // What came before (restart, extension) lives on rank 0; moved, not copied (memory: one copy
  // of the statistics fewer with many strategies).
  stats::Accumulators local = rank == 0 ? std::move(acc) : stats::Accumulators(cfg);
  const bool want_records = opt.records != nullptr;
  const std::vector<int> rec_o = recorded_outcomes(cfg);  // the outcome columns of the records
  const std::size_t RO = rec_o.size();
  std::vector<double> rec_params, rec_outcomes, rec_weights;

  std::uint64_t run = opt.first_run;
  const std::uint64_t B = cfg.batch_size;
  while (run < opt.end_run) {
    const std::uint64_t batch = run / B;
    const std::uint64_t lo = run, hi = std::min((batch + 1) * B, opt.end_run);
    // This rank's share: a contiguous range of the batch's blocks.
    const std::uint64_t kb0 = lo / kB, kb1 = (hi + kB - 1) / kB, nb = kb1 - kb0;
    const std::uint64_t my_b0 =
        kb0 + nb * static_cast<std::uint64_t>(rank) / static_cast<std::uint64_t>(nranks);
    const std::uint64_t my_b1 =
        kb0 + nb * static_cast<std::uint64_t>(rank + 1) / static_cast<std::uint64_t>(nranks);
    const std::uint64_t my_lo = std::clamp(my_b0 * kB, lo, hi),
                        my_hi = std::clamp(my_b1 * kB, lo, hi);
    if (want_records) {
      rec_params.assign((my_hi - my_lo) * R * P, 0.0);
      rec_outcomes.assign((my_hi - my_lo) * R * static_cast<std::size_t>(S) * RO, 0.0);
      if (cfg.weighted()) rec_weights.assign(my_hi - my_lo, 0.0);
    }
    sampler.prepare_batch(batch);

    const auto t0 = Clock::now();
    // The failure of the lowest failing block (an exception must not leave an OpenMP region):
    // later blocks are skipped, earlier ones still run, so the error names the same run for any
    // number of threads; all ranks agree to stop below.
    std::string failure;
    std::uint64_t failed_block = UINT64_MAX;
#pragma omp parallel num_threads(nthreads)
    {
      auto& tally = tallies[static_cast<std::size_t>(omp_get_thread_num())];
      if (!tally) tally = std::make_unique<stats::Tally>(cfg, evidence_offset);
      auto& sobol_tally = sobol[static_cast<std::size_t>(omp_get_thread_num())];
      if (saltelli && !sobol_tally) sobol_tally = std::make_unique<SobolTally>(cfg);
      BlockParams params;
      BlockDeciles deciles{};
      std::vector<BlockOutcomes> out(static_cast<std::size_t>(S));
#pragma omp for schedule(dynamic, 4)
      for (std::uint64_t blk = my_b0; blk < my_b1; ++blk) {
        std::uint64_t first_failed;
#pragma omp atomic read
        first_failed = failed_block;
        if (blk > first_failed) continue;
        const std::uint64_t first = blk * kB;
        const int lane_lo = static_cast<int>(std::max(lo, first) - first);
        const int lane_hi = static_cast<int>(std::min(hi, first + kB) - first);
        // Row `row` of the block's base rows (SALib's order within a base row) into the records.
        const auto record = [&](std::size_t row, const BlockParams& in,
                                const std::vector<BlockOutcomes>& res) {
          if (!want_records) return;
          if (row == 0 && !rec_weights.empty())  // a weighted study (no Saltelli rows)
            for (int j = lane_lo; j < lane_hi; ++j)
              rec_weights[first + static_cast<std::uint64_t>(j) - my_lo] =
                  tally->multiplicity(j) / kWeightScale;
          for (int j = lane_lo; j < lane_hi; ++j) {
            const std::size_t r = (first + static_cast<std::uint64_t>(j) - my_lo) * R + row;
            for (std::size_t p = 0; p < P; ++p) rec_params[r * P + p] = in[static_cast<int>(p)][j];
            for (int s = 0; s < S; ++s)
              for (std::size_t c = 0; c < RO; ++c)
                rec_outcomes[(r * static_cast<std::size_t>(S) + static_cast<std::size_t>(s)) * RO +
                             c] = res[static_cast<std::size_t>(s)][rec_o[c]][j];
          }
        };
        std::string why;
        try {
          sampler.sample_block(first, params, deciles);
          tally->begin_block(lane_lo, lane_hi);
          model->simulate_block(first, params, out, tally.get());
          why = non_finite_in_block(cfg, first, lane_lo, lane_hi, params, out);
          if (why.empty() && saltelli)
            why = saltelli->run(first, lane_lo, lane_hi, params, out, *sobol_tally, record);
        } catch (const std::exception& e) {
          why = "run " + std::to_string(first + static_cast<std::uint64_t>(lane_lo)) + ": " +
                e.what();
        }
        if (!why.empty()) {
#pragma omp critical(wedge_failure)
          if (blk < failed_block) {
            failure = why;
#pragma omp atomic write
            failed_block = blk;
          }
          continue;
        }
        tally->add_block(out, deciles, &params);
        record(0, params, out);
      }
#pragma omp critical(wedge_flush)
      {
        tally->flush_into(local);
        if (sobol_tally) sobol_tally->flush_into(local);
      }
    }
    rep.compute_seconds += seconds_since(t0);
    // All ranks agree on a failure; the lowest failing rank's message is everyone's error.
    int fail_rank = failed_block != UINT64_MAX ? rank : nranks;
    MPI_Allreduce(MPI_IN_PLACE, &fail_rank, 1, MPI_INT, MPI_MIN, comm);
    if (fail_rank < nranks)
      throw InputError(cfg.path, 0, "parameters", broadcast_string(failure, comm, fail_rank));

    if (want_records) {
      const auto t1 = Clock::now();
      opt.records->write(my_lo, my_hi - my_lo, rec_params, rec_outcomes, rec_weights);
      rep.record_seconds += seconds_since(t1);
    }
    run = hi;

    // Agree on stopping: a signal or wall-time limit on any rank, or the precision target.
    const auto t2 = Clock::now();
    int flags = opt.control ? opt.control() : kContinue;
    MPI_Allreduce(MPI_IN_PLACE, &flags, 1, MPI_INT, MPI_BOR, comm);
    if (!opt.target_se.empty()) {
      stats::Accumulators total = local;
      allreduce_accumulators(total, comm);
      if (precision_reached(cfg, total, opt.target_se)) rep.target_reached = true;
    }
    if (rank == 0 && opt.on_batch) opt.on_batch(run - opt.first_run, opt.end_run - opt.first_run);
    rep.reduce_seconds += seconds_since(t2);
    if (rep.target_reached) break;
    const bool stop = (flags & kStop) != 0 && run < opt.end_run;
    if (((flags & kCheckpoint) != 0 || stop) && run < opt.end_run && opt.checkpoint) {
      stats::Accumulators total = local;
      reduce_accumulators(total, comm, 0);
      opt.checkpoint(total, run);
    }
    if (stop) {
      rep.stopped_early = true;
      rep.stop_flags = flags;
      break;
    }
  }
  rep.next_run = run;

  const auto t3 = Clock::now();
  reduce_accumulators(local, comm, 0);
  rep.reduce_seconds += seconds_since(t3);
  acc = rank == 0 ? std::move(local) : stats::Accumulators(cfg);

  double mine = rep.compute_seconds;
  if (rank == 0) rep.rank_compute_seconds.resize(static_cast<std::size_t>(nranks));
  MPI_Gather(&mine, 1, MPI_DOUBLE, rank == 0 ? rep.rank_compute_seconds.data() : nullptr, 1,
             MPI_DOUBLE, 0, comm);
  return rep;
}

}  // namespace wedge
