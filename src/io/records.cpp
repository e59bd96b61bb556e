#include "wedge/io/records.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "io/descriptions.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/sensitivity.hpp"

namespace wedge::io {
namespace {

using h5::Id;

//! Rows per chunk of a records dataset: at most `cap`, and dividing both the batch size and the
//! first run, so that every batch writes whole chunks once. A chunk is then never rewritten
//! after a checkpoint, and the file flushed at the checkpoint stays valid for a restart
//! whatever happened after it.
hsize_t record_chunk_rows(hsize_t cap, std::uint64_t batch_size, std::uint64_t first_run) {
  const std::uint64_t align = std::gcd(batch_size, first_run);  // gcd(B, 0) = B
  hsize_t rows = std::max<hsize_t>(1, std::min<hsize_t>(cap, align));
  while (align % rows != 0) --rows;
  return rows;
}

// Unfiltered chunks of about 1 MiB. No filter: deflate (with or without shuffle) cost five
// times the simulation on the writing path, and HDF5 1.10 cannot write precompressed chunks
// in parallel (H5Dwrite_chunk); docs/output-format.md section 10 has the measurements.
Id create_dataset(hid_t group, const char* name, hid_t ftype, std::vector<hsize_t> shape,
                  const Config& cfg, std::uint64_t first_run) {
  const std::uint64_t rows = record_rows_per_run(cfg);  // chunks hold whole runs' rows
  const hsize_t n = shape[0];
  std::vector<hsize_t> maxdims = shape;
  maxdims[0] = H5S_UNLIMITED;
  Id sp = h5::space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), maxdims.data()),
                    "space");
  Id dcpl = h5::plist(H5Pcreate(H5P_DATASET_CREATE), "dcpl");
  hsize_t row = H5Tget_size(ftype);
  for (std::size_t i = 1; i < shape.size(); ++i) row *= shape[i];
  std::vector<hsize_t> chunk = shape;
  chunk[0] = record_chunk_rows(std::min<hsize_t>(std::max<hsize_t>(n, 1), (1u << 20) / row),
                               cfg.batch_size * rows, first_run * rows);
  h5::check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk");
  // Every row is written before the file is complete: no fill values to write first.
  h5::check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "fill time");
  return h5::dataset(H5Dcreate2(group, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                     std::string("create records/") + name);
}

Id open_dataset(hid_t file, const std::string& name) {
  return h5::dataset(H5Dopen2(file, ("records/" + name).c_str(), H5P_DEFAULT),
                     "open records/" + name);
}

// The extent of dimensions 1.. of a dataset.
std::vector<hsize_t> row_shape(hid_t ds) {
  Id fs = h5::space(H5Dget_space(ds), "file space");
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(fs)));
  H5Sget_simple_extent_dims(fs, dims.data(), nullptr);
  return {dims.begin() + 1, dims.end()};
}

std::string gigabytes(double bytes) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << bytes / 1e9 << " GB";
  return os.str();
}

}  // namespace

hid_t record_outcome_type(const Config& cfg) {
  bool binary = true, small_int = true;
  for (int o : recorded_outcomes(cfg)) {
    const OutcomeInfo& info = cfg.outcomes[static_cast<std::size_t>(o)];
    if (info.kind != OutcomeKind::kBinary) binary = false;
    if (info.kind == OutcomeKind::kContinuous || info.range.lo < -32768.0 ||
        info.range.hi > 32767.0)
      small_int = false;
  }
  return binary ? H5T_STD_U8LE : small_int ? H5T_STD_I16LE : H5T_IEEE_F64LE;
}

std::uint64_t record_rows_per_run(const Config& cfg) {
  return cfg.design == Design::kSaltelli ? sensitivity_factors(cfg).size() + 2 : 1;
}

std::uint64_t record_bytes_per_run(const Config& cfg) {
  return record_rows_per_run(cfg) *
         (8 + 8 * static_cast<std::uint64_t>(cfg.num_inputs()) +
          H5Tget_size(record_outcome_type(cfg)) * static_cast<std::uint64_t>(cfg.num_strategies()) *
              recorded_outcomes(cfg).size());
}

RecordDatasets create_records(hid_t file, const Config& cfg, std::uint64_t first_run,
                              std::uint64_t n) {
  Id g = h5::group(H5Gcreate2(file, "records", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   "create records");
  // The mode first: a restart and the readers know what the group holds.
  h5::attr_string(g, "records_mode", cfg.records == Records::kCompact ? "compact" : "all");
  const auto S = static_cast<hsize_t>(cfg.num_strategies()),
             R = static_cast<hsize_t>(recorded_outcomes(cfg).size());
  RecordDatasets d;
  n *= record_rows_per_run(cfg);
  d.run = create_dataset(g, "run", H5T_STD_U64LE, {n}, cfg, first_run);
  d.parameters = create_dataset(g, "parameters", H5T_IEEE_F64LE,
                                {n, static_cast<hsize_t>(cfg.num_inputs())}, cfg, first_run);
  d.outcomes = create_dataset(g, "outcomes", record_outcome_type(cfg), {n, S, R}, cfg, first_run);
  if (cfg.weighted()) d.weight = create_dataset(g, "weight", H5T_IEEE_F64LE, {n}, cfg, first_run);
  return d;
}

RecordDatasets open_records(hid_t file, const Config& cfg, const std::string& path) {
  RecordDatasets d{open_dataset(file, "run"),
                   open_dataset(file, "parameters"),
                   open_dataset(file, "outcomes"),
                   {}};
  if (cfg.weighted()) d.weight = open_dataset(file, "weight");
  const std::vector<hsize_t> want = {static_cast<hsize_t>(cfg.num_strategies()),
                                     static_cast<hsize_t>(recorded_outcomes(cfg).size())};
  if (row_shape(d.outcomes.get()) != want ||
      row_shape(d.parameters.get()) != std::vector<hsize_t>{static_cast<hsize_t>(cfg.num_inputs())})
    throw InputError(path, 0, "records",
                     "its records have another shape than this run's (another records mode or "
                     "record_outcomes); run afresh without --restart");
  return d;
}

void describe_records(hid_t file, const Config& cfg, std::uint64_t first_run) {
  const std::vector<int> which = recorded_outcomes(cfg);
  Id g = h5::open_group(file, "records");
  h5::attr_uint(g, "first_run", first_run);
  Id run = h5::dataset(H5Dopen2(g, "run", H5P_DEFAULT), "open run");
  h5::check(H5DSset_scale(run, "run"), "make dimension run");
  h5::attr_string(run, "long_name",
                  "run index (the same run has the same parameters in every strategy)");
  h5::dim_strings(g, "parameter", detail::param_names(cfg));
  h5::dim_strings(g, "strategy", detail::strategy_names(cfg));
  h5::dim_strings(g, "outcome", detail::outcome_names(cfg, which));
  Id p = h5::dataset(H5Dopen2(g, "parameters", H5P_DEFAULT), "open parameters");
  h5::attach_dims(g, p, {"run", "parameter"});
  h5::attr_string(p, "long_name", "sampled uncertain parameters of each run");
  p.reset();
  detail::param_attrs(g, cfg, "parameters");
  detail::param_descriptions(g, cfg);
  Id o = h5::dataset(H5Dopen2(g, "outcomes", H5P_DEFAULT), "open outcomes");
  h5::attach_dims(g, o, {"run", "strategy", "outcome"});
  h5::attr_string(o, "long_name",
                  cfg.records == Records::kCompact
                      ? "the recorded outcomes (record_outcomes) of each run under each strategy"
                      : "outcomes of each run under each strategy");
  o.reset();
  detail::outcome_attrs(g, cfg, "outcomes", which);
  if (!cfg.weighted()) return;
  Id wt = h5::dataset(H5Dopen2(g, "weight", H5P_DEFAULT), "open weight");
  h5::attach_dims(g, wt, {"run"});
  h5::attr_string(wt, "long_name",
                  "the run's weight from the evidence (round(w * 2^24) / 2^24, as its statistics "
                  "used it): weighted means are sum(weight * x) / sum(weight)");
  h5::attr_string(wt, "units", "1");
}

void check_record_space(const Config& cfg, std::uint64_t runs, const std::string& output,
                        const std::string& where, int line, const std::string& key) {
  if (cfg.records == Records::kNone || runs == 0) return;
  // The output's folder may not exist yet: ask the nearest one that does.
  namespace fs = std::filesystem;
  fs::path dir = fs::absolute(output).parent_path();
  std::error_code ec;
  while (!dir.empty() && !fs::is_directory(dir, ec) && dir != dir.root_path())
    dir = dir.parent_path();
  const fs::space_info sp = fs::space(dir, ec);
  if (ec) return;  // unknown: the write itself reports a full disk
  const std::uint64_t per_run = record_bytes_per_run(cfg);
  // The last chunk of each dataset is allocated whole (up to 1 MiB each).
  const long double need = static_cast<long double>(runs) * per_run + 3.0L * (1 << 20);
  if (need <= static_cast<long double>(sp.available)) return;
  std::string hint = "fewer runs (-n)";
  if (cfg.records == Records::kAll) {
    Config compact = cfg;
    compact.records = Records::kCompact;
    hint = "--records compact (" + std::to_string(record_bytes_per_run(compact)) +
           " bytes per run with the payoff outcome), " + hint;
  }
  throw InputError(where, line, key,
                   "records " + std::string(records_name(cfg.records)) + " of " +
                       std::to_string(runs) + " runs need " + gigabytes(static_cast<double>(need)) +
                       " (" + std::to_string(per_run) + " bytes per run) but " + dir.string() +
                       " has " + gigabytes(static_cast<double>(sp.available)) + " free; use " +
                       hint + " or another -o");
}

}  // namespace wedge::io
