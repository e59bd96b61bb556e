#include "wedge/app/console.hpp"

#include <cmath>

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

}  // namespace wedge
