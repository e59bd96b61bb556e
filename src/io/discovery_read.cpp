// Reading the per-run records in parallel for scenario discovery (include/wedge/io/discovery.hpp).
#include <filesystem>

#include "wedge/core/error.hpp"
#include "wedge/io/discovery.hpp"

namespace wedge::io {

using h5::Id;

RecordReader::RecordReader(const std::string& path, MPI_Comm comm) : path_(path) {
  Id fapl = h5::plist(H5Pcreate(H5P_FILE_ACCESS), "file access list");
  h5::check(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL), "use MPI-IO");
  file_ = h5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl), "open " + path);
  if (!h5::exists(file_, "records"))
    throw InputError(path, 0, "records",
                     "the file has no per-run records, which discovery reads: run the study "
                     "again with --records all (or --records compact naming the outcomes of "
                     "the condition)");
  Id g = h5::open_group(file_, "records");
  for (const char* name : {"parameters", "outcomes", "parameter", "strategy", "outcome"})
    if (!h5::exists(g, name))
      throw InputError(path, 0, std::string("records/") + name, "missing (damaged file)");
  parameters_ = h5::read_strings(g, "parameter");
  strategies_ = h5::read_strings(g, "strategy");
  outcomes_ = h5::read_strings(g, "outcome");
  if (h5::has_attr(g, "first_run")) first_run_ = h5::read_attr_uint(g, "first_run");
  params_ds_ = h5::dataset(H5Dopen2(g, "parameters", H5P_DEFAULT), "open records/parameters");
  outcomes_ds_ = h5::dataset(H5Dopen2(g, "outcomes", H5P_DEFAULT), "open records/outcomes");
  const auto shape = [&](hid_t ds, const char* name, std::size_t rank) {
    Id sp = h5::space(H5Dget_space(ds), std::string("space of records/") + name);
    std::vector<hsize_t> dims(rank);
    if (H5Sget_simple_extent_ndims(sp) != static_cast<int>(rank))
      throw InputError(path, 0, std::string("records/") + name,
                       "has the wrong rank (damaged file)");
    H5Sget_simple_extent_dims(sp, dims.data(), nullptr);
    return dims;
  };
  const auto p = shape(params_ds_, "parameters", 2);
  const auto o = shape(outcomes_ds_, "outcomes", 3);
  runs_ = p[0];
  if (o[0] != runs_ || p[1] != parameters_.size() || o[1] != strategies_.size() ||
      o[2] != outcomes_.size())
    throw InputError(path, 0, "records",
                     "the records' shapes disagree with their coordinates (damaged file)");
}

void RecordReader::read(std::uint64_t row, std::uint64_t count, std::vector<double>& params,
                        const std::vector<int>& columns, std::vector<double>& values) {
  const std::size_t P = parameters_.size(), S = strategies_.size(), O = outcomes_.size();
  params.resize(count * P);
  values.resize(count * columns.size() * S);
  if (count == 0) return;
  const auto read_rows = [&](hid_t ds, std::vector<hsize_t> dims, double* out, const char* what) {
    Id fs = h5::space(H5Dget_space(ds), "file space");
    std::vector<hsize_t> start(dims.size(), 0);
    start[0] = row, dims[0] = count;
    h5::check(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start.data(), nullptr, dims.data(), nullptr),
              "select records");
    Id ms = h5::space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                      "memory space");
    h5::check(H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out),
              std::string("read ") + what + " from " + path_);
  };
  read_rows(params_ds_, {count, P}, params.data(), "records/parameters");
  // The whole rows at once: every chunk is decompressed once, whichever columns are needed.
  buffer_.resize(count * S * O);
  read_rows(outcomes_ds_, {count, S, O}, buffer_.data(), "records/outcomes");
  const std::size_t C = columns.size();
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t s = 0; s < S; ++s)
        values[(i * C + c) * S + s] =
            buffer_[(i * S + s) * O + static_cast<std::size_t>(columns[c])];
}

}  // namespace wedge::io
