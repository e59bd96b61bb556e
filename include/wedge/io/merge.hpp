#pragma once
// `wedge merge`: combines result files of one configuration (run ranges of an array job, or
// independent seeds) into one file with exact statistics.
#include <string>
#include <vector>

namespace wedge {

//! Checks that the inputs can be merged (same format, same configuration, no run of one seed in
//! two files) and writes OUT; otherwise throws InputError saying why, and writes nothing.
void merge_results(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace wedge
