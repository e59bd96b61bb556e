#pragma once
// `wedge discover`: scenario discovery on a result file's per-run records (docs/discovery.md).
// Every rank reads its own contiguous rows, bins each input under its prior, and PRIM runs on
// integer counts summed over ranks; rank 0 writes the discovery file and prints the summary.
#include <mpi.h>

#include <ostream>
#include <string>

#include "wedge/analyses/prim.hpp"
#include "wedge/io/discovery.hpp"

namespace wedge {

struct DiscoverPlan {
  std::string results;  //!< RESULTS.h5
  std::string output;   //!< -o DISCOVERY.h5
  std::string where;    //!< the condition
  prim::Controls controls;
  int threads = 0;  //!< OpenMP threads per rank; 0: OMP_NUM_THREADS or all cores
  bool quiet = false;
};

//! Carries out `plan`. Collective. Bad input (plan, condition, result file) throws the same
//! InputError on every rank, before anything is written.
void run_discover(const DiscoverPlan& plan, MPI_Comm comm);

//! The discovery in words: each box as a sentence, its restrictions with their quasi-p-values
//! and stability, and how the box was chosen.
void print_discovery(std::ostream& os, const io::DiscoveryFile& d);

}  // namespace wedge
