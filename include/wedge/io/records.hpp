#pragma once
// The per-run records group (/records, docs/output-format.md section 10): its storage (types,
// chunks, no filter), the bytes it takes per run, and its coordinates and attributes.
#include <hdf5.h>

#include <cstdint>
#include <string>

#include "wedge/core/config.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {

//! The records' datasets, open.
struct RecordDatasets {
  h5::Id run, parameters, outcomes;
  h5::Id weight;  //!< with evidence only: each run's weight
};

//! The file type of /records/outcomes: the narrowest that holds every recorded outcome exactly
//! (uint8 for 0/1 outcomes only, int16 for whole numbers within its range, else float64).
hid_t record_outcome_type(const Config& cfg);

//! Record rows per run: 1, or a Saltelli design's k + 2 design rows (SALib's order,
//! docs/sensitivity.md).
std::uint64_t record_rows_per_run(const Config& cfg);

//! Bytes the records of one run take on disk (run index, parameters, outcomes; no filter).
std::uint64_t record_bytes_per_run(const Config& cfg);

//! Creates /records and its datasets for runs [first_run, first_run + n), each with
//! record_rows_per_run rows (collective).
RecordDatasets create_records(hid_t file, const Config& cfg, std::uint64_t first_run,
                              std::uint64_t n);
//! Opens the datasets of an existing /records (a restart), checking they match `cfg`.
RecordDatasets open_records(hid_t file, const Config& cfg, const std::string& path);

//! Adds the coordinates, dimension scales and descriptions to /records (serial, at the end).
void describe_records(hid_t file, const Config& cfg, std::uint64_t first_run);

//! Refuses (InputError naming `where`, `line` and `key`) records of `runs` runs that would not fit
//! in the free space of the file system `output` goes to.
void check_record_space(const Config& cfg, std::uint64_t runs, const std::string& output,
                        const std::string& where, int line, const std::string& key);

}  // namespace wedge::io
