#include <filesystem>

#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/results.hpp"

namespace wedge::io {
namespace {

//! The statistics words, after checking that the segment table matches the layout the file's
//! configuration implies. HDF5 verifies the Fletcher32 checksum of the words as it reads them.
std::vector<std::uint64_t> read_words(const std::string& path, hid_t file, const stats::Layout& L) {
  auto bad = [&](const std::string& key, const std::string& msg) {
    return InputError(path, 0, key, msg);
  };
  if (!h5::exists(file, "state") || !h5::exists(file, "state/words"))
    throw bad("state/words", "missing: the file is incomplete");
  h5::Id g = h5::open_group(file, "state");
  std::vector<std::uint64_t> kinds, offsets, lengths;
  std::vector<std::string> names;
  for (const char* a : {"segment_names", "segment_kinds", "segment_offsets", "segment_lengths"})
    if (!h5::has_attr(g, a))
      throw bad(std::string("state/") + a, "attribute missing (damaged file)");
  try {
    names = h5::read_attr_string_array(g, "segment_names");
    kinds = h5::read_attr_uint_array(g, "segment_kinds");
    offsets = h5::read_attr_uint_array(g, "segment_offsets");
    lengths = h5::read_attr_uint_array(g, "segment_lengths");
  } catch (const std::exception& e) {
    throw bad("state/segment_*", std::string(e.what()) + " (damaged file)");
  }
  bool same = names.size() == L.segments.size() && kinds.size() == names.size() &&
              offsets.size() == names.size() && lengths.size() == names.size();
  for (std::size_t i = 0; same && i < names.size(); ++i) {
    const auto& seg = L.segments[i];
    same = names[i] == seg.name && kinds[i] == static_cast<std::uint64_t>(seg.kind) &&
           offsets[i] == seg.offset && lengths[i] == seg.length;
  }
  if (!same)
    throw bad("state/segment_*",
              "the statistics do not match the file's own configuration (damaged file)");
  {
    h5::Id ds = h5::dataset(H5Dopen2(g, "words", H5P_DEFAULT), "open state/words");
    h5::Id sp = h5::space(H5Dget_space(ds), "get the space of state/words");
    if (H5Sget_simple_extent_ndims(sp) != 1 ||
        H5Sget_simple_extent_npoints(sp) != static_cast<hssize_t>(L.words))
      throw bad("state/words", "has " + std::to_string(H5Sget_simple_extent_npoints(sp)) +
                                   " words where the configuration needs " +
                                   std::to_string(L.words) + " (damaged file)");
  }
  try {
    return h5::read_uints(g, "words");
  } catch (const std::exception& e) {
    throw bad("state/words",
              std::string(e.what()) + ": the statistics are damaged (checksum or compressed data)");
  }
}

LoadedResults read_checked(const std::string& path) {
  auto bad = [&](const std::string& key, const std::string& msg) -> InputError {
    return InputError(path, 0, key, msg);
  };
  if (!std::filesystem::exists(path)) throw bad("", "no such file");
  if (!std::filesystem::is_regular_file(path)) throw bad("", "not a regular file");
  verify_seal(path);  // before HDF5 parses anything
  if (H5Fis_hdf5(path.c_str()) <= 0) throw bad("", "not an HDF5 file (or damaged)");
  h5::Id f;
  try {
    f = h5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path);
  } catch (const Error&) {
    throw bad("", "cannot open the HDF5 file (damaged or locked)");
  }
  if (!h5::has_attr(f, "filetype") || h5::read_attr_string(f, "filetype") != kFileType)
    throw bad("filetype",
              std::string("not a wedge result file (the attribute must be '") + kFileType + "')");
  if (!h5::has_attr(f, "format_version")) throw bad("format_version", "missing");
  const auto version = h5::read_attr_int(f, "format_version");
  if (version != kFormatVersion)
    throw bad("format_version", "format version " + std::to_string(version) +
                                    " is not supported by this wedge (it reads version " +
                                    std::to_string(kFormatVersion) + ")");
  for (const char* a : {"config", "runs", "created", "mpi_ranks", "omp_threads"})
    if (!h5::has_attr(f, a)) throw bad(a, "attribute missing: the file is incomplete");
  Config config =
      parse_config(h5::read_attr_string(f, "config"), path + " (embedded configuration)");
  // The design decides which runs are which points (and the Sobol' design's replicate sums): a
  // file whose design attribute disagrees with its configuration cannot be extended or merged.
  if (h5::has_attr(f, "design") && h5::read_attr_string(f, "design") != design_name(config.design))
    throw bad("design", "the file says design \"" + h5::read_attr_string(f, "design") +
                            "\" but its configuration says \"" +
                            std::string(design_name(config.design)) +
                            "\": not one study (damaged or edited file)");
  stats::Accumulators acc(config);
  LoadedResults r{std::move(config), std::move(acc), Provenance{}, false, Records::kNone, ""};
  // The seed of record is the attribute: a --seed override is not in the embedded text.
  if (h5::has_attr(f, "seed")) r.config.seed = h5::read_attr_uint(f, "seed");
  r.prov.runs = h5::read_attr_uint(f, "runs");
  r.prov.created = h5::read_attr_string(f, "created");
  if (h5::has_attr(f, "history")) r.prov.history = h5::read_attr_string(f, "history");
  if (h5::has_attr(f, "target_se")) {
    r.prov.target_se = h5::read_attr_string(f, "target_se");
    r.prov.target_se_reached = h5::has_attr(f, "target_se_reached")
                                   ? static_cast<int>(h5::read_attr_int(f, "target_se_reached"))
                                   : -1;
  }
  if (h5::has_attr(f, "run_ranges")) r.prov.run_ranges = h5::read_attr_uint_array(f, "run_ranges");
  if (r.prov.run_ranges.empty()) r.prov.run_ranges = {r.config.seed, 0, r.prov.runs};
  if (r.prov.run_ranges.size() % 3 != 0)
    throw bad("run_ranges", "must hold (seed, first, end) triples");
  std::uint64_t in_ranges = 0;
  for (std::size_t i = 0; i < r.prov.run_ranges.size(); i += 3) {
    if (r.prov.run_ranges[i + 1] > r.prov.run_ranges[i + 2])
      throw bad("run_ranges", "a range ends before it begins");
    in_ranges += r.prov.run_ranges[i + 2] - r.prov.run_ranges[i + 1];
  }
  if (in_ranges != r.prov.runs)
    throw bad("run_ranges", "the ranges hold " + std::to_string(in_ranges) +
                                " runs but the attribute runs says " + std::to_string(r.prov.runs) +
                                " (damaged file)");
  r.prov.ranks = static_cast<int>(h5::read_attr_int(f, "mpi_ranks"));
  r.prov.threads = static_cast<int>(h5::read_attr_int(f, "omp_threads"));
  r.has_records = h5::exists(f, "records");
  if (r.has_records) {
    // Files written before the compact mode have no records_mode: they hold every outcome.
    h5::Id g = h5::open_group(f, "records");
    const std::string mode =
        h5::has_attr(g, "records_mode") ? h5::read_attr_string(g, "records_mode") : "all";
    if (mode != "all" && mode != "compact")
      throw bad("records_mode", "'" + mode + "' is not a records mode (damaged file)");
    r.records = mode == "all" ? Records::kAll : Records::kCompact;
  }
  r.config_path = h5::has_attr(f, "config_path") ? h5::read_attr_string(f, "config_path") : "?";
  r.acc.words() = read_words(path, f, r.acc.layout());
  if (r.acc.runs() != r.prov.runs)
    throw bad("runs", "the run count disagrees with the statistics (damaged file)");
  return r;
}

}  // namespace

LoadedResults read_results(const std::string& path) {
  try {
    return read_checked(path);
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // A wrongly typed or unreadable attribute or dataset: damage, named with the file.
    throw InputError(path, 0, "", std::string(e.what()) + " (damaged or not a wedge result file)");
  }
}

}  // namespace wedge::io
