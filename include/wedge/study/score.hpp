#pragma once
// `wedge score`: a study's forecasts against questions that have since resolved.
#include <iosfwd>
#include <string>

namespace wedge {

//! Reads RESULTS and RESOLVED (every question checked against the study first), prints the
//! scores to `os` and, when `out` is not empty, writes them to that HDF5 file.
void score_study(const std::string& results, const std::string& resolved, const std::string& out,
                 std::ostream& os);

}  // namespace wedge
