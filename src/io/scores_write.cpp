#include <filesystem>

#include "wedge/core/error.hpp"
#include "wedge/core/quarter.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/scores.hpp"
#include "wedge/version.hpp"

namespace wedge::io {
namespace {

using h5::Id;

std::vector<double> column(const Scores& sc, double QuestionScore::*field) {
  std::vector<double> v;
  for (const QuestionScore& c : sc.cells) v.push_back(c.*field);
  return v;
}

void write_questions(hid_t f, const Config& cfg, const ResolvedQuestions& rq) {
  std::vector<std::string> names, kinds, subjects, quarters, descriptions, sources;
  std::vector<double> observed;
  for (const Question& q : rq.questions) {
    const bool event = q.kind == QuestionKind::kEvent;
    names.push_back(q.name);
    kinds.push_back(event ? "event" : "state");
    subjects.push_back(std::string(event ? cfg.events[static_cast<std::size_t>(q.index)].term.key
                                         : cfg.states[static_cast<std::size_t>(q.index)].key));
    quarters.push_back(quarter_label(q.quarter, cfg));
    descriptions.push_back(q.description);
    sources.push_back(q.source);
    observed.push_back(event ? (q.happened ? 1.0 : 0.0) : q.value);
  }
  h5::dim_strings(f, "question", names);
  h5::var_strings(f, "kind", {"question"}, kinds, "event (happened by a quarter) or state value");
  h5::var_strings(f, "subject", {"question"}, subjects, "the event or state asked about");
  h5::var_strings(f, "quarter", {"question"}, quarters,
                  "event: by the end of this quarter; state: its value at the end of it");
  h5::var_strings(f, "description", {"question"}, descriptions, "the question in words");
  h5::var_strings(f, "source", {"question"}, sources, "where the resolution comes from");
  h5::var_doubles(f, "observed", {"question"}, observed,
                  "what happened: 1 or 0 for an event, the value for a state", "1");
}

void write_score_vars(hid_t f, const Config& cfg, const Scores& sc) {
  std::vector<std::string> strategies;
  for (const Strategy& s : cfg.strategies) strategies.push_back(s.name);
  h5::dim_strings(f, "strategy", strategies);
  const std::vector<std::string> qs = {"question", "strategy"};
  h5::var_doubles(f, "probability", qs, column(sc, &QuestionScore::probability),
                  "forecast probability that the event happens by the quarter", "1");
  h5::var_doubles(f, "brier", qs, column(sc, &QuestionScore::brier),
                  "Brier score (probability - outcome)^2", "1");
  h5::var_doubles(f, "log_score", qs, column(sc, &QuestionScore::log_score),
                  "log score -ln p(outcome), p = (events + 1/2) / (runs + 1)", "1");
  h5::var_doubles(f, "crps", qs, column(sc, &QuestionScore::crps),
                  "continuous ranked probability score of the state's path histogram", "1");
  h5::var_doubles(f, "pit", qs, column(sc, &QuestionScore::pit),
                  "probability integral transform: forecast CDF at the observed value", "1");
  h5::var_doubles(f, "median", qs, column(sc, &QuestionScore::median),
                  "forecast median of the state at the quarter", "1");
  h5::var_doubles(f, "mean_brier", {"strategy"}, sc.mean_brier,
                  "mean Brier score over the event questions", "1");
  h5::var_doubles(f, "mean_log_score", {"strategy"}, sc.mean_log_score,
                  "mean log score over the event questions", "1");
  h5::var_doubles(f, "mean_crps", {"strategy"}, sc.mean_crps, "mean CRPS over the state questions",
                  "1");
}

void write_attributes(hid_t f, const std::string& results_path, const LoadedResults& r,
                      const ResolvedQuestions& rq) {
  h5::attr_string(f, "filetype", kScoresFileType);
  h5::attr_int(f, "format_version", kScoresFormatVersion);
  h5::attr_string(f, "engine_version", kVersion);
  h5::attr_string(f, "git_sha", kGitSha);
  h5::attr_string(f, "created", utc_now());
  h5::attr_string(f, "results_file", results_path);
  h5::attr_string(f, "results_created", r.prov.created);
  h5::attr_uint(f, "results_runs", r.prov.runs);
  h5::attr_string(f, "study", r.config.name);
  h5::attr_string(f, "resolved_file", rq.path);
  h5::attr_string(f, "resolved", rq.text);
  h5::attr_string(f, "strategy_in_force",
                  rq.strategy_in_force >= 0
                      ? r.config.strategies[static_cast<std::size_t>(rq.strategy_in_force)].name
                      : std::string());
  h5::attr_string(f, "Conventions", "wedge-1 (netCDF-4 dimensions)");
}

}  // namespace

void check_scores_output(const std::string& out, const std::string& results_path) {
  check_output_path(out, "-o");
  std::error_code ec;
  if (!std::filesystem::exists(out, ec)) return;
  if (std::filesystem::equivalent(out, results_path, ec))
    throw InputError("command line", 0, "-o", "the scores must not overwrite the result file");
  // A sealed wedge file: replace it only if it holds scores.
  std::string type;
  try {
    Id f = h5::file(H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + out);
    if (h5::has_attr(f, "filetype")) type = h5::read_attr_string(f, "filetype");
  } catch (const std::exception&) {
  }
  if (type != kScoresFileType)
    throw InputError("command line", 0, "-o",
                     "'" + out + "' is a wedge " + (type.empty() ? "file" : type) +
                         " file, not scores; wedge score replaces only its own scores files");
}

void write_scores(const std::string& out, const std::string& results_path,
                  const LoadedResults& results, const ResolvedQuestions& rq, const Scores& sc) {
  write_sealed_file(out, [&](hid_t f) {
    write_attributes(f, results_path, results, rq);
    write_questions(f, results.config, rq);
    write_score_vars(f, results.config, sc);
  });
}

}  // namespace wedge::io
