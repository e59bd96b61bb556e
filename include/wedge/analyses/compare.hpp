#pragma once
// Studies side by side (`wedge info A.h5 B.h5 ...`): each strategy's key outcomes in every study,
// the differences from the first study with 95% intervals, and the configuration differences as
// a unified diff of the embedded configuration texts.
#include <iosfwd>
#include <string>
#include <vector>

#include "wedge/analyses/summary.hpp"
#include "wedge/core/config.hpp"

namespace wedge {

//! One study read back from its result file.
struct Study {
  std::string path;  //!< the result file
  Config config;     //!< its embedded configuration (`text` is the embedded text)
  Summary summary;
  std::string created;
};

//! Reads and checks every file (an InputError names the first bad one) before anything is
//! printed.
std::vector<Study> load_studies(const std::vector<std::string>& paths);

//! Prints the comparison of studies[1..] with studies[0]. Strategies are matched by name; those
//! missing from some study are listed and left out. No strategy common to all studies is an
//! InputError. `every_outcome` compares every outcome (except the `*_quarter` codes) instead of
//! the key ones.
void print_study_comparison(std::ostream& os, const std::vector<Study>& studies,
                            bool every_outcome);

//! Difference of the means of two independent studies with its 95% interval:
//! d = b - a, half width 1.96 sqrt(se_a^2 + se_b^2).
struct Difference {
  double d, lo, hi;
};
Difference independent_difference(double mean_a, double se_a, double mean_b, double se_b);

//! A unified diff (3 lines of context, `diff -u` hunks) of two texts, line by line; empty when
//! they are equal.
std::string unified_diff(const std::string& a, const std::string& b, const std::string& name_a,
                         const std::string& name_b);

}  // namespace wedge
