#include "study/resolve.hpp"

#include <filesystem>
#include <iostream>

#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/io/checkpoint.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/output_lock.hpp"
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
  if (loaded.has_records || (plan.records && *plan.records != Records::kNone))
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

// How the result `f` differs from a complete result of this study (r's configuration, seed and
// records, runs r.file_first..end); empty when it is one. A result stopped early by the same
// --target-se, its targets reached, is complete too.
std::string mismatch(const io::LoadedResults& f, const Resolved& r, std::uint64_t end) {
  if (f.config.text != r.cfg.text) return "another configuration";
  if (f.config.seed != r.cfg.seed) return "seed " + std::to_string(f.config.seed);
  const auto& rr = f.prov.run_ranges;
  const bool by_target = !r.targets_text.empty() && f.prov.target_se == r.targets_text &&
                         f.prov.target_se_reached == 1;
  if (rr.size() != 3 || rr[1] != r.file_first || rr[2] > end || (rr[2] < end && !by_target)) {
    std::string got = "runs";
    for (std::size_t i = 0; i + 2 < rr.size(); i += 3)
      got += (i ? ", " : " ") + std::to_string(rr[i + 1]) + ".." + std::to_string(rr[i + 2]);
    return got + ", not " + std::to_string(r.file_first) + ".." + std::to_string(end);
  }
  if (f.records != r.cfg.records)
    return "it has records " + std::string(records_name(f.records)) + ", --records " +
           std::string(records_name(r.cfg.records)) + " was asked for";
  return "";
}

// Why the file at `path` is not a complete result of this study; empty when it is one.
std::string incomplete_because(const std::string& path, const Resolved& r, std::uint64_t end) {
  try {
    return mismatch(io::read_results(path), r, end);  // verifies the seal, then reads strictly
  } catch (const Error& e) {
    return std::string("not a sealed, undamaged wedge result: ") + e.what();
  }
}

// An existing output counts only when it is a complete result of this study; anything else is
// refused, never overwritten or deleted.
void require_complete(const std::string& out, const Resolved& r, std::uint64_t end) {
  const std::string why = incomplete_because(out, r, end);
  if (!why.empty())
    throw InputError(out, 0, "",
                     "exists but is not a complete result of this study (" + why +
                         "); move it away or choose another -o");
}

// A run stopped between sealing OUT.partial and renaming it left a complete result under the
// temporary name: finish the rename (the checkpoint, if any, goes after it).
bool finish_partial(const Resolved& r, std::uint64_t end) {
  const std::string partial = r.output + ".partial";
  if (!std::filesystem::exists(partial) || !incomplete_because(partial, r, end).empty())
    return false;
  std::filesystem::rename(partial, r.output);
  std::cerr << "wedge: " << partial
            << " is a complete result of this study (the run stopped before renaming it); renamed "
               "it to "
            << r.output << "\n";
  return true;
}

void remove_stale_checkpoint(const std::string& out) {
  checkpoint::remove(out);
  std::cerr << "wedge: " << out << " is complete; removed its stale checkpoint "
            << checkpoint::path_for(out) << " (the run stopped after writing " << out << ")\n";
}

// Rank 0: reads the checkpoint (if any) into `r` and says what was found.
Found inspect_restart(const StudyPlan& plan, Resolved& r) {
  const bool extension = plan.start == StudyStart::kExtend;
  std::error_code ec;
  // With --extend the output may be the extended file itself: it is not this study's result.
  const bool in_place = extension && std::filesystem::equivalent(r.output, plan.source, ec);
  const bool output_exists = !in_place && std::filesystem::exists(r.output);
  if (!checkpoint::exists(r.output)) {
    // Without a checkpoint an in-place extension starts; so does a study with no output.
    if (output_exists) {
      require_complete(r.output, r, r.runs.end);
      return Found::kComplete;
    }
    return finish_partial(r, r.runs.end) ? Found::kComplete : Found::kNothing;
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
    remove_stale_checkpoint(r.output);
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
  r.file_first =
      ck.results.prov.run_ranges.size() == 3 ? ck.results.prov.run_ranges[1] : saved.first;
  // Stopped after the final rename, before removing the checkpoint: the output wins. Stopped
  // before the rename: the complete .partial is renamed, then the checkpoint removed.
  if (output_exists) require_complete(r.output, r, saved.end);
  if (output_exists || finish_partial(r, saved.end)) {
    remove_stale_checkpoint(r.output);
    return Found::kComplete;
  }
  r.runs = saved;
  r.resume_records = ck.range.records != Records::kNone;
  r.checkpoint_records = ck.range.records;
  r.acc = std::move(ck.results.acc);
  r.history = ck.results.prov.history;
  return Found::kCheckpoint;
}

// What rank 0 learnt from the checkpoint, for the other ranks (they keep empty statistics).
struct RestartState {
  Found found = Found::kNothing;
  RunRange runs;
  std::uint64_t file_first = 0;
  Records records = Records::kNone;
};

void resolve_restart(const StudyPlan& plan, Resolved& r, MPI_Comm comm) {
  // Hold the output's lock while looking: --restart may rename OUT.partial or remove a stale
  // checkpoint, which must not happen under another writer. The run keeps it.
  const auto dir = std::filesystem::path(r.output).parent_path();
  if (dir.empty() || std::filesystem::is_directory(dir))
    r.lock = std::make_unique<io::OutputLock>(r.output, comm);
  RestartState st;
  on_root(comm, [&] {
    st.found = inspect_restart(plan, r);
    st.runs = r.runs, st.file_first = r.file_first, st.records = r.checkpoint_records;
  });
  MPI_Bcast(&st, sizeof st, MPI_BYTE, 0, comm);
  r.complete = st.found == Found::kComplete;
  if (st.found != Found::kCheckpoint) return;
  r.runs = st.runs, r.file_first = st.file_first, r.checkpoint_records = st.records;
  r.resume_records = st.records != Records::kNone;
  if (st.records != r.cfg.records)
    throw InputError(checkpoint::path_for(r.output), 0, "records",
                     "the checkpointed run used --records " +
                         std::string(records_name(st.records)) + ", this one --records " +
                         std::string(records_name(r.cfg.records)));
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
  // The weight sums are 64-bit counts in units of 2^-24 (core/evidence.hpp); [study] runs is
  // checked when the configuration is read, -n and --extend here.
  if (r.cfg.weighted() && r.runs.end - r.file_first > (std::uint64_t{1} << 40))
    throw InputError("command line", 0, "-n",
                     "a study with evidence has at most 2^40 runs (its weight sums are 64-bit "
                     "counts in units of 2^-24); this one would have " +
                         std::to_string(r.runs.end - r.file_first));
  return r;
}

}  // namespace wedge::study
