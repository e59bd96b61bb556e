#pragma once
// The scores file `wedge score` writes (docs/scoring.md): one file per (study, resolved
// questions), so that a series of studies can be judged over time.
#include <string>

#include "wedge/analyses/scoring.hpp"
#include "wedge/io/results.hpp"

namespace wedge::io {

inline constexpr const char* kScoresFileType = "wedge-scores";
inline constexpr std::int64_t kScoresFormatVersion = 1;

//! Refuses an output path that exists and is not a scores file (a result file, a
//! configuration, a device...), or that is the scored result file itself.
void check_scores_output(const std::string& out, const std::string& results_path);

//! Writes `out` (under a temporary name, sealed, then renamed).
void write_scores(const std::string& out, const std::string& results_path,
                  const LoadedResults& results, const ResolvedQuestions& rq, const Scores& sc);

}  // namespace wedge::io
