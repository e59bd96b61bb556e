#pragma once
// Helpers shared by the unit tests.
#include <string>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/models/strategic_triangle.hpp"

namespace wedge {
// The tests speak the strategic triangle's vocabulary unqualified.
using namespace triangle;  // NOLINT(google-build-using-namespace)
}  // namespace wedge

namespace wedge::test {

std::string source_path(const std::string& rel);
std::string read_file(const std::string& path);
//! The default configuration (configs/baseline.toml).
Config baseline();
//! The baseline text with `from` replaced by `to` (must occur exactly once).
std::string baseline_with(const std::string& from, const std::string& to);
//! Simulates runs [first, first + n) single-threaded and returns every strategy's outcomes,
//! indexed [strategy][outcome][run].
std::vector<std::vector<std::vector<double>>> simulate(const Config& cfg, std::uint64_t first,
                                                       std::uint64_t n);
//! Mean of one outcome under one strategy over runs [0, n).
double mean_outcome(const Config& cfg, int strategy, int outcome, std::uint64_t n);
//! The statistics of runs [first, end), simulated by this rank alone (run_study, one thread).
stats::Accumulators run_range(const Config& cfg, std::uint64_t first, std::uint64_t end);
//! A path in the temporary directory, unique to this process.
std::string temp_path(const std::string& name);

}  // namespace wedge::test
