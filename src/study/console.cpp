#include "wedge/study/console.hpp"

#include <hdf5.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/version.hpp"

namespace wedge {

const char* format_duration(double s, char (&buf)[32]) {
  if (!std::isfinite(s) || s < 0) {
    std::snprintf(buf, sizeof buf, "--:--:--");
    return buf;
  }
  const auto t = static_cast<long long>(s + 0.5);
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

Progress::Progress(std::FILE* out, bool terminal, double interval_s, double deadline_s)
    : out_(out),
      terminal_(terminal),
      interval_(terminal ? 0.25 : interval_s),
      deadline_(deadline_s),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(std::uint64_t done, std::uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_) return;
  last_ = now;
  print(done, total, false);
}

void Progress::finish(std::uint64_t done, std::uint64_t total) { print(done, total, true); }

void Progress::print(std::uint64_t done, std::uint64_t total, bool final) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : -1.0;
  const double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  char e1[32], e2[32];
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(frac * kWidth);
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    std::fprintf(out_, "\r[%s] %5.1f%% %llu/%llu runs  %.3g runs/s  elapsed %s  ETA %s ", bar,
                 100.0 * frac, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), rate, format_duration(elapsed, e1),
                 format_duration(eta, e2));
    if (final) std::fputc('\n', out_);
  } else {
    std::fprintf(out_, "progress: %llu/%llu runs (%.1f%%)  %.3g runs/s  elapsed %s  ETA %s\n",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 100.0 * frac, rate, format_duration(elapsed, e1), format_duration(eta, e2));
  }
  if (!final && !warned_ && deadline_ >= 0 && eta > deadline_ - elapsed) {
    std::fprintf(out_,
                 "%swarning: the ETA (%s) passes the job's time limit (in %s); "
                 "checkpoint with --walltime or SIGUSR1 and --restart\n",
                 terminal_ ? "\n" : "", format_duration(eta, e1),
                 format_duration(deadline_ - elapsed, e2));
    warned_ = true;
  }
  std::fflush(out_);
}

namespace {

std::string hdf5_description() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  std::ostringstream os;
  os << "HDF5 " << maj << "." << min << "." << rel
     << (H5_HAVE_PARALLEL ? " parallel (MPI-IO)" : " serial");
  return os.str();
}

// How many CPUs this process may run on (its affinity mask: what Slurm or mpirun gave it).
int cpus_given() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}

const char* env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

}  // namespace

double time_limit_seconds() {
  // Slurm exports the job's end time (seconds since the epoch) in recent versions.
  if (const char* end = std::getenv("SLURM_JOB_END_TIME")) {
    const double e = std::atof(end);
    const double now = static_cast<double>(std::time(nullptr));
    if (e > now) return e - now;
  }
  return -1.0;
}

Console::Console(MPI_Comm comm, bool quiet, double progress_interval, double deadline_s)
    : comm_(comm),
      root_(comm_rank(comm) == 0),
      quiet_(quiet),
      progress_(stderr, isatty(STDERR_FILENO) != 0, progress_interval, deadline_s) {}

void Console::banner(const Config& cfg, const std::string& source, bool extension,
                     const RunRange& runs, const std::string& output, int ranks,
                     int threads) const {
  if (!active()) return;
  std::cerr << "wedge " << kVersion << " (git " << std::string(kGitSha).substr(0, 12) << ")  "
            << ranks << " rank" << (ranks > 1 ? "s" : "") << " x " << threads << " thread"
            << (threads > 1 ? "s" : "") << "  seed " << cfg.seed << "  " << design_name(cfg.design)
            << "  " << hdf5_description() << "\n"
            << "config " << (extension ? source + " (extension)" : source) << ": runs " << runs.next
            << ".." << runs.end << (runs.restarted() ? " (restarted from a checkpoint)" : "")
            << " x " << cfg.num_strategies() << " strategies, " << cfg.quarters
            << " quarters, records " << records_name(cfg.records) << "\noutput " << output << "\n";
  if (const char* job = std::getenv("SLURM_JOB_ID"))
    std::cerr << "slurm job " << job << ", " << env_or("SLURM_NNODES", "?")
              << " node(s), cpus per task " << env_or("SLURM_CPUS_PER_TASK", "-")
              << ", OMP_NUM_THREADS " << env_or("OMP_NUM_THREADS", "-") << "\n";
}

void Console::warn_oversubscription(int threads) const {
  int over = threads > cpus_given() ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &over, 1, MPI_INT, MPI_MAX, comm_);
  if (over && root_)
    std::cerr << "wedge: warning: " << threads << " threads per rank, but a rank may use only "
              << cpus_given()
              << " CPUs (affinity mask); threads will share cores. Set "
                 "OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK "
                 "and srun -c $SLURM_CPUS_PER_TASK, or --threads.\n";
}

void Console::effective_sample(double ess, std::uint64_t runs, double share) const {
  if (!root_) return;
  const double got = ess / static_cast<double>(runs);
  if (got < share)
    std::cerr << "wedge: warning: the evidence leaves an effective sample size of " << std::fixed
              << std::setprecision(1) << ess << " runs, " << std::setprecision(2) << 100.0 * got
              << "% of the " << runs << " runs (below " << 100.0 * share
              << "%, [weighting] warn_ess_share): the weighted statistics rest on few runs; run "
                 "more runs, or check the evidence (soft `error`, wider `sd`)\n";
  else if (!quiet_)
    std::cout << "effective sample size (Kish) with the evidence: " << std::fixed
              << std::setprecision(1) << ess << " of " << runs << " runs\n";
}

void Console::progress(std::uint64_t done, std::uint64_t total) {
  if (active()) progress_.update(done, total);
}

void Console::progress_done(std::uint64_t done, std::uint64_t total) {
  if (active()) progress_.finish(done, total);
}

void Console::checkpoint_written(const std::string& path, std::uint64_t next_run) const {
  if (active()) std::cerr << "checkpoint: " << path << " at run " << next_run << "\n";
}

void Console::stopped(const RunReport& rep, std::uint64_t end,
                      const std::string& checkpoint_path) const {
  if (!root_) return;
  std::cerr << "wedge: stopped after run " << rep.next_run << " of " << end << " ("
            << ((rep.stop_flags & kBySignal) ? "signal" : "wall-time budget")
            << "); checkpoint written to " << checkpoint_path
            << "; continue with --restart (exit code " << kExitCheckpointed << ")\n";
}

void Console::nothing_to_do(const std::string& output) const {
  if (active()) std::cerr << "wedge: " << output << " is complete; nothing to do\n";
}

void Console::timings(const RunReport& rep, std::uint64_t runs, int strategies, double write_s,
                      double wall_s) const {
  if (!active()) return;
  double mx = 0, sum = 0;
  for (double v : rep.rank_compute_seconds) mx = std::max(mx, v), sum += v;
  const double mean = sum / static_cast<double>(rep.rank_compute_seconds.size());
  const double run_strat = static_cast<double>(runs) * strategies;
  const double per_s = run_strat / std::max(rep.compute_seconds, 1e-9);
  std::cerr << std::fixed << std::setprecision(2)
            << "\nphase                      seconds (rank 0)\n"
            << "  model + statistics       " << rep.compute_seconds << "\n"
            << "  reductions, agreement    " << rep.reduce_seconds << "\n"
            << "  per-run records          " << rep.record_seconds << "\n"
            << "  result file              " << write_s << "\n"
            << "  total wall               " << wall_s << "\n"
            << "load balance: compute max/mean over " << rep.ranks
            << " ranks = " << (mean > 0 ? mx / mean : 1.0) << " (min "
            << *std::min_element(rep.rank_compute_seconds.begin(), rep.rank_compute_seconds.end())
            << " s, max " << mx << " s)\n"
            << std::setprecision(0) << "throughput " << per_s << " run-strategies/s ("
            << per_s / (rep.ranks * rep.threads) << " per core)\n";
}

void Console::wrote(const std::string& output) const {
  if (active()) std::cerr << "wrote " << output << "\n";
}

void Console::rankings(const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<TargetSe>& targets) const {
  if (!active()) return;
  for (const auto& line : settled_rankings(cfg, acc, targets)) std::cerr << line << "\n";
}

void Console::target_result(bool has_targets, bool reached, const std::string& targets,
                            std::uint64_t runs) const {
  if (!root_ || !has_targets) return;
  if (!reached)
    std::cerr << "wedge: warning: run cap reached before the precision target (" << targets
              << "), after " << runs << " runs; the file says target_se_reached = 0\n";
  else if (!quiet_)
    std::cerr << "precision target reached after " << runs << " runs\n";
}

}  // namespace wedge
