#pragma once
// Progress on stderr (rank 0 only): a redrawn bar on a terminal; in a batch log one flushed
// line per interval with the rate, the ETA, and a warning when the ETA passes the time limit.
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace wedge {

class Progress {
 public:
  //! `interval_s`: seconds between log lines (a terminal is redrawn more often);
  //! `deadline_s`: seconds left before the job's time limit, or < 0 when unknown.
  Progress(std::FILE* out, bool terminal, double interval_s, double deadline_s);
  void update(std::uint64_t done, std::uint64_t total);
  void finish(std::uint64_t done, std::uint64_t total);

 private:
  void print(std::uint64_t done, std::uint64_t total, bool final);
  std::FILE* out_;
  bool terminal_;
  double interval_, deadline_;
  std::chrono::steady_clock::time_point start_, last_;
  bool warned_ = false;
};

//! Formats seconds as H:MM:SS.
const char* format_duration(double seconds, char (&buf)[32]);

}  // namespace wedge
