#include "study/resolve.hpp"

#include <filesystem>
#include <iostream>

#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/io/checkpoint.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/results.hpp"

namespace wedge::study {
namespace {

// A fresh study: runs first_run .. first_run + n of the configuration.
void resolve_fresh(const StudyPlan& plan, Resolved& r) {
  if (plan.source.empty())
    throw InputError("command line", 0, "CONFIG", "a configuration file is required");
  r.cfg = load_config(plan.source);
  r.acc.emplace(r.cfg);
  const std::uint64_t n = plan.runs ? *plan.runs : r.cfg.runs;
  r.file_first = plan.first_run;
  r.runs = {plan.first_run, plan.first_run, plan.first_run + n};
}

// An extension of a study of runs 0..N of one seed: the segment N .. N + more.
void resolve_extension(const StudyPlan& plan, Resolved& r) {
  if (!plan.runs)
    throw InputError("command line", 0, "-n", "--extend needs -n MORE (the runs to add)");
  if (plan.seed)
    throw InputError("command line", 0, "--seed", "an extension keeps the seed of the study");
  auto loaded = io::read_results(plan.source);
  if (loaded.has_records || plan.records == Records::kAll)
    throw InputError(
        plan.source, 0, "records",
        "extending a study with per-run records is not supported; extend a --records none study");
  const auto& rr = loaded.prov.run_ranges;
  if (rr.size() != 3 || rr[1] != 0)
    throw InputError(plan.source, 0, "run_ranges",
                     "only a study of runs 0..N of one seed can be extended");
  if (rr[0] != loaded.config.seed)
    throw InputError(plan.source, 0, "seed",
                     "the seed attribute disagrees with the seed of run_ranges (damaged file)");
  r.cfg = std::move(loaded.config);
  // The study has no records; its embedded [output] records must not add some.
  r.cfg.records = Records::kNone;
  r.acc = std::move(loaded.acc);
  r.history = loaded.prov.history;
  r.file_first = 0;
  r.runs = {loaded.prov.runs, loaded.prov.runs, loaded.prov.runs + *plan.runs};
}

// What --restart found next to the output.
enum class Found : int { kNothing, kComplete, kCheckpoint };

// Rank 0: reads the checkpoint (if any) into `r` and says what was found.
Found inspect_restart(const StudyPlan& plan, Resolved& r) {
  const bool extension = plan.start == StudyStart::kExtend;
  if (!checkpoint::exists(r.output)) {
    // With --extend the output may be the extended file itself, so only a checkpoint tells that
    // an extension is under way; without one the extension starts.
    return !extension && std::filesystem::exists(r.output) ? Found::kComplete : Found::kNothing;
  }
  auto ck = checkpoint::read(r.output);
  const std::string ck_path = checkpoint::path_for(r.output);
  if (ck.results.config.text != r.cfg.text || ck.results.config.seed != r.cfg.seed)
    throw InputError(ck_path, 0, "config",
                     "the checkpoint belongs to another configuration or seed than " + plan.source);
  const RunRange saved{ck.range.first, ck.range.next, ck.range.end};
  // An in-place extension that finished but was stopped before removing its checkpoint: the
  // file already holds the checkpoint's whole range.
  if (extension && saved.end == r.runs.first && saved.first < r.runs.first) {
    checkpoint::remove(r.output);
    return Found::kComplete;
  }
  if (ck.target_se != r.targets_text)
    throw InputError(ck_path, 0, "--target-se",
                     ck.target_se.empty()
                         ? "the checkpointed run had no --target-se; restart it without"
                         : "the checkpointed run had --target-se '" + ck.target_se +
                               "'; restart it with the same targets");
  // An extension's checkpoint must be of this very extension: old runs .. old runs + MORE.
  if (extension && (saved.first != r.runs.first || saved.end != r.runs.end))
    throw InputError(ck_path, 0, "run_ranges",
                     "the checkpoint is of runs " + std::to_string(saved.first) + ".." +
                         std::to_string(saved.end) + ", but this extension of " + plan.source +
                         " is of runs " + std::to_string(r.runs.first) + ".." +
                         std::to_string(r.runs.end) +
                         "; give the -n of the interrupted extension, or remove the checkpoint");
  checkpoint::check_run_count(ck, plan.runs.has_value(), r.runs.end);
  r.runs = saved;
  r.file_first =
      ck.results.prov.run_ranges.size() == 3 ? ck.results.prov.run_ranges[1] : saved.first;
  r.resume_records = ck.range.records;
  r.acc = std::move(ck.results.acc);
  r.history = ck.results.prov.history;
  return Found::kCheckpoint;
}

// What rank 0 learnt from the checkpoint, for the other ranks (they keep empty statistics).
struct RestartState {
  Found found = Found::kNothing;
  RunRange runs;
  std::uint64_t file_first = 0;
  int resume_records = 0;
};

void resolve_restart(const StudyPlan& plan, Resolved& r, MPI_Comm comm) {
  RestartState st;
  on_root(comm, [&] {
    st.found = inspect_restart(plan, r);
    st.runs = r.runs, st.file_first = r.file_first, st.resume_records = r.resume_records;
  });
  MPI_Bcast(&st, sizeof st, MPI_BYTE, 0, comm);
  r.complete = st.found == Found::kComplete;
  if (st.found != Found::kCheckpoint) return;
  r.runs = st.runs, r.file_first = st.file_first, r.resume_records = st.resume_records != 0;
  if (r.resume_records != (r.cfg.records == Records::kAll))
    throw InputError(checkpoint::path_for(r.output), 0, "records",
                     "the checkpointed run used another --records setting");
}

}  // namespace

Resolved resolve(const StudyPlan& plan, MPI_Comm comm) {
  Resolved r;
  if (plan.start == StudyStart::kExtend) {
    resolve_extension(plan, r);
    r.output = plan.output.empty() ? plan.source : plan.output;
  } else {
    resolve_fresh(plan, r);
    r.output = plan.output;
  }
  if (plan.seed) r.cfg.seed = *plan.seed;
  if (plan.records) r.cfg.records = *plan.records;
  if (r.output.empty()) r.output = "results/" + r.cfg.name + ".h5";
  if (std::error_code ec; std::filesystem::is_directory(r.output, ec))
    throw InputError("command line", 0, "-o",
                     "'" + r.output + "' is a directory; give the result file's path");
  io::check_output_path(r.output, "-o");
  r.targets = plan.targets;
  resolve_targets(r.cfg, r.targets);
  r.targets_text = describe_targets(r.targets);
  if (plan.restart) resolve_restart(plan, r, comm);
  return r;
}

}  // namespace wedge::study
