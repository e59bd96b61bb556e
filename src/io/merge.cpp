#include "wedge/io/merge.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "wedge/core/error.hpp"
#include "wedge/core/model.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/output_lock.hpp"
#include "wedge/io/results.hpp"

namespace wedge {

void merge_results(const std::string& out, const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw InputError("command line", 0, "IN", "nothing to merge");
  io::check_output_path(out, "OUT");
  const io::OutputLock lock(out, MPI_COMM_SELF);  // merge runs on rank 0 alone
  for (const auto& in : inputs)
    if (std::filesystem::exists(out) && std::filesystem::equivalent(out, in))
      throw InputError(in, 0, "OUT", "the output must not be one of the inputs");
  io::LoadedResults total = io::read_results(inputs[0]);
  std::vector<std::uint64_t> ranges = total.prov.run_ranges;
  std::string history = total.prov.history;
  bool records = total.has_records;
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    io::LoadedResults r = io::read_results(inputs[i]);
    if (r.config.text != total.config.text)
      throw InputError(
          inputs[i], 0, "config",
          "its configuration differs from that of " + inputs[0] + " (only the seed may differ)");
    records = records || r.has_records;
    history += r.prov.history;
    ranges.insert(ranges.end(), r.prov.run_ranges.begin(), r.prov.run_ranges.end());
    total.acc.merge(r.acc);
  }
  // No run may be counted twice: ranges of one seed must not overlap.
  for (std::size_t a = 0; a < ranges.size(); a += 3)
    for (std::size_t b = a + 3; b < ranges.size(); b += 3)
      if (ranges[a] == ranges[b] && ranges[a + 1] < ranges[b + 2] && ranges[b + 1] < ranges[a + 2])
        throw InputError(inputs[std::min<std::size_t>(b / 3, inputs.size() - 1)], 0, "run_ranges",
                         "runs " + std::to_string(std::max(ranges[a + 1], ranges[b + 1])) + ".." +
                             std::to_string(std::min(ranges[a + 2], ranges[b + 2])) + " of seed " +
                             std::to_string(ranges[a]) + " are in two of the files");
  // Adjacent ranges of one seed are joined, so that a merge of [0, N) and [N, 2N) reads as a
  // study of 2N runs (and can be extended).
  std::vector<std::array<std::uint64_t, 3>> tri;
  for (std::size_t a = 0; a < ranges.size(); a += 3)
    tri.push_back({ranges[a], ranges[a + 1], ranges[a + 2]});
  std::sort(tri.begin(), tri.end());
  std::vector<std::uint64_t> joined;
  for (const auto& t : tri) {
    const std::size_t n = joined.size();
    if (n >= 3 && joined[n - 3] == t[0] && joined[n - 1] == t[1])
      joined[n - 1] = t[2];
    else
      joined.insert(joined.end(), t.begin(), t.end());
  }
  if (records)
    std::cerr << "wedge merge: note: per-run records are not carried into the merged file "
                 "(statistics only)\n";
  io::Provenance prov = total.prov;
  prov.created = io::utc_now();
  prov.runs = total.acc.runs();
  prov.run_ranges = joined;
  std::string what = "merge:";
  for (const auto& in : inputs) what += " " + in;
  what += " -> " + out + ", " + std::to_string(prov.runs) + " runs";
  prov.history = history + io::history_line(prov.created, what);
  Config cfg = total.config;
  cfg.seed = joined[0];
  if (cfg.weighted()) prov.evidence_offset = evidence_log_offset(cfg, *make_model(cfg));
  io::write_results_serial(out, cfg, total.acc, prov);
}

}  // namespace wedge
