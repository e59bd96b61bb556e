#include "wedge/study/study.hpp"

#include <omp.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "study/resolve.hpp"
#include "wedge/analyses/robust.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/model.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/core/sensitivity.hpp"
#include "wedge/io/checkpoint.hpp"
#include "wedge/io/output_lock.hpp"
#include "wedge/io/records.hpp"
#include "wedge/io/results.hpp"
#include "wedge/study/console.hpp"

namespace wedge {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The line of `records = ...` in a configuration's text (0 if absent), for messages.
int line_of_records(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto at = line.find("records");
    if (at != std::string::npos && line.find_first_not_of(" \t") == at &&
        line.find_first_not_of(" \t", at + 7) == line.find('='))
      return n;
  }
  return 0;
}

// One invocation of a resolved study: its batches, checkpoints, stops and result file.
class Invocation {
 public:
  Invocation(const StudyPlan& plan, study::Resolved& r, MPI_Comm comm)
      : plan_(plan),
        r_(r),
        comm_(comm),
        rank_(comm_rank(comm)),
        ranks_(comm_size(comm)),
        threads_(plan.threads > 0 ? plan.threads : omp_get_max_threads()),
        console_(comm, plan.console.quiet, plan.console.progress_interval,
                 plan.stop.walltime_s > 0 ? plan.stop.walltime_s : time_limit_seconds()) {}

  StudyOutcome run();

 private:
  void create_output_directory() const;
  RunOptions options(io::ResultWriter& writer);
  int control();
  void write_checkpoint(const stats::Accumulators& total, std::uint64_t next);
  std::string history_entry(std::uint64_t next, double wall) const;
  io::Provenance provenance(const RunReport& rep);
  void check_weights();

  const StudyPlan& plan_;
  study::Resolved& r_;
  double evidence_offset_ = 0.0;  // with evidence: computed once, for the runs and every file
  MPI_Comm comm_;
  int rank_, ranks_, threads_;
  Console console_;
  Clock::time_point t_start_ = Clock::now();
  Clock::time_point last_checkpoint_ = t_start_, last_batch_ = t_start_;
  double batch_seconds_ = 0.0;
  std::uint64_t batches_done_ = 0;
};

void Invocation::create_output_directory() const {
  on_root(comm_, [&] {
    const auto dir = std::filesystem::path(r_.output).parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::create_directories(dir, ec) && ec)
      throw InputError("command line", 0, "-o",
                       "cannot create the directory '" + dir.string() + "': " + ec.message());
  });
}

// Stop and checkpoint decisions: signals on any rank; time-based ones on rank 0's clock.
int Invocation::control() {
  const auto now = Clock::now();
  batch_seconds_ =
      std::max(batch_seconds_, std::chrono::duration<double>(now - last_batch_).count());
  last_batch_ = now;
  int flags = kContinue;
  ++batches_done_;  // the same count on every rank: batches are collective
  const StopPolicy& stop = plan_.stop;
  if (stop.checkpoint_every > 0 && batches_done_ % stop.checkpoint_every == 0) flags |= kCheckpoint;
  if (checkpoint::signal_received()) flags |= kStop | kBySignal;
  if (rank_ == 0) {
    const double elapsed = std::chrono::duration<double>(now - t_start_).count();
    // Stop while there is time for one more batch and the checkpoint (with a margin).
    if (stop.walltime_s > 0 && elapsed + 2.0 * batch_seconds_ + 5.0 > stop.walltime_s)
      flags |= kStop | kByWalltime;
    if (std::chrono::duration<double>(now - last_checkpoint_).count() >= stop.checkpoint_interval_s)
      flags |= kCheckpoint;
  }
  return flags;
}

// This invocation's line of the file's history.
std::string Invocation::history_entry(std::uint64_t next, double wall) const {
  std::ostringstream w;
  w << (plan_.start == StudyStart::kExtend ? "extend " + plan_.source
        : r_.runs.restarted()              ? "restart " + plan_.source
                                           : "run " + plan_.source)
    << ": seed " << r_.cfg.seed << ", runs " << r_.runs.next << ".." << next
    << (next < r_.runs.end ? " of " + std::to_string(r_.runs.end) : "") << ", " << ranks_ << "x"
    << threads_ << " ranks x threads, " << std::fixed << std::setprecision(1) << wall << " s";
  return w.str();
}

void Invocation::write_checkpoint(const stats::Accumulators& total, std::uint64_t next) {
  if (rank_ == 0) {
    io::Provenance p;
    p.created = io::utc_now();
    p.ranks = ranks_, p.threads = threads_, p.runs = total.runs();
    p.evidence_offset = evidence_offset_;
    p.run_ranges = {r_.cfg.seed, r_.file_first, next};
    p.history =
        r_.history +
        io::history_line(p.created, history_entry(next, seconds_since(t_start_)) + " (checkpoint)");
    checkpoint::write(r_.output, r_.cfg, total, p,
                      {r_.runs.first, next, r_.runs.end, r_.cfg.records}, r_.targets_text);
    console_.checkpoint_written(checkpoint::path_for(r_.output), next);
  }
  last_checkpoint_ = Clock::now();
}

RunOptions Invocation::options(io::ResultWriter& writer) {
  RunOptions opt;
  opt.first_run = r_.runs.next;
  opt.end_run = r_.runs.end;
  opt.threads = threads_;
  opt.target_se = r_.targets;
  opt.evidence_offset = evidence_offset_;
  opt.records = r_.cfg.records != Records::kNone ? &writer : nullptr;
  if (console_.active())
    opt.on_batch = [this](std::uint64_t d, std::uint64_t t) { console_.progress(d, t); };
  opt.control = [this] { return control(); };
  opt.checkpoint = [this, &writer](const stats::Accumulators& total, std::uint64_t next) {
    writer.flush();  // the checkpoint must never point past the records on disk
    write_checkpoint(total, next);
  };
  return opt;
}

io::Provenance Invocation::provenance(const RunReport& rep) {
  io::Provenance prov;
  prov.created = broadcast_string(io::utc_now(), comm_);
  prov.ranks = ranks_;
  prov.threads = threads_;
  prov.runs = rank_ == 0 ? r_.acc->runs() : 0;
  prov.evidence_offset = evidence_offset_;
  MPI_Bcast(&prov.runs, 1, MPI_UINT64_T, 0, comm_);
  prov.run_ranges = {r_.cfg.seed, r_.file_first, rep.next_run};
  if (!plan_.targets.empty()) {
    prov.target_se = r_.targets_text;
    prov.target_se_reached = rep.target_reached ? 1 : 0;
  }
  prov.wall_seconds = seconds_since(t_start_);
  prov.history =
      r_.history + io::history_line(prov.created, history_entry(rep.next_run, prov.wall_seconds));
  return prov;
}

// With evidence: a study no run is consistent with is refused (before anything is written), and
// a small effective sample size is warned of.
void Invocation::check_weights() {
  if (!r_.cfg.weighted()) return;
  stats::Mass m;
  if (rank_ == 0) m = r_.acc->mass();
  MPI_Bcast(&m.n, 1, MPI_UINT64_T, 0, comm_);
  if (m.n == 0)
    throw InputError(r_.cfg.path, r_.cfg.evidence.front().line, "evidence",
                     "no run is consistent with the evidence: every run's weight is 0 (below "
                     "2^-24). Hard evidence drops every run that disagrees with an item; give the "
                     "items a probability of a wrong observation (`error = 0.05`, the soft "
                     "form), widen a state's `sd` or a rejection `tolerance`, or check the "
                     "observations against the model");
  console_.effective_sample(m.ess, r_.acc->runs(), r_.cfg.warn_ess_share);
}

StudyOutcome Invocation::run() {
  console_.banner(r_.cfg, plan_.source, plan_.start == StudyStart::kExtend, r_.runs, r_.output,
                  ranks_, threads_);
  console_.warn_oversubscription(threads_);
  on_root(comm_, [&] {  // before anything is written: refuse records the disk cannot hold
    if (plan_.records)
      io::check_record_space(r_.cfg, r_.runs.left(), r_.output, "command line", 0, "--records");
    else
      io::check_record_space(r_.cfg, r_.runs.left(), r_.output, r_.cfg.path,
                             line_of_records(r_.cfg.text), "output.records");
  });
  create_output_directory();
  if (r_.cfg.weighted()) evidence_offset_ = evidence_log_offset(r_.cfg, *make_model(r_.cfg));
  // One writer per output; --restart took the lock already.
  const auto lock =
      r_.lock ? std::move(r_.lock) : std::make_unique<io::OutputLock>(r_.output, comm_);
  checkpoint::install_signal_handlers();
  io::ResultWriter writer(r_.output, r_.cfg, comm_, r_.cfg.records != Records::kNone, r_.runs.first,
                          r_.runs.end, r_.resume_records);
  const RunReport rep = run_study(r_.cfg, options(writer), *r_.acc, comm_);
  console_.progress_done(rep.next_run - r_.runs.next, r_.runs.left());
  if (rep.stopped_early) {
    writer.suspend();
    console_.stopped(rep, r_.runs.end, checkpoint::path_for(r_.output));
    return StudyOutcome::kCheckpointed;
  }
  check_weights();
  const io::Provenance prov = provenance(rep);
  const auto t_write = Clock::now();
  writer.finish(*r_.acc, prov, rep.next_run);
  if (rank_ == 0) checkpoint::remove(r_.output);
  const double write_s = seconds_since(t_write);
  if (rank_ == 0 && !plan_.console.quiet) {
    const Summary s = summarize(r_.cfg, *r_.acc);
    print_summary(std::cout, s);
    if (s.S > kSummaryColumns)  // the swept strategies: the best few on each criterion
      print_top_strategies(std::cout, s, robust_choice(r_.cfg, r_.acc->layout(), s), 5);
  }
  // Throughput counts model runs: a Saltelli design's k + 2 rows per base row.
  const std::uint64_t rows =
      r_.cfg.design == Design::kSaltelli ? sensitivity_factors(r_.cfg).size() + 2 : 1;
  console_.timings(rep, (rep.next_run - r_.runs.next) * rows, r_.cfg.num_strategies(), write_s,

                   prov.wall_seconds);
  console_.wrote(r_.output);
  if (rank_ == 0) console_.rankings(r_.cfg, *r_.acc, r_.targets);
  console_.target_result(!plan_.targets.empty(), rep.target_reached, r_.targets_text, rep.next_run);
  return StudyOutcome::kCompleted;
}

}  // namespace

StudyOutcome run_study_plan(const StudyPlan& plan, MPI_Comm comm) {
  study::Resolved r = study::resolve(plan, comm);
  if (r.complete) {
    Console(comm, plan.console.quiet, plan.console.progress_interval, -1.0).nothing_to_do(r.output);
    return StudyOutcome::kAlreadyComplete;
  }
  return Invocation(plan, r, comm).run();
}

}  // namespace wedge
