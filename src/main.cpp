// wedge: the command-line entry point. Everything else lives in libwedge.
#include <exception>
#include <iostream>

#include "wedge/app/cli.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"

int main(int argc, char** argv) {
  wedge::MpiSession mpi(argc, argv);
  try {
    return wedge::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "wedge: error (rank " << mpi.rank() << "): " << e.what() << "\n";
    if (mpi.size() > 1) MPI_Abort(MPI_COMM_WORLD, wedge::kExitFailure);
    return wedge::kExitFailure;
  }
}
