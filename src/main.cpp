// wedge: the command-line entry point. Everything else lives in libwedge.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include "wedge/app/cli.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/io/checkpoint.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace {

// After a file could not be closed (a write error), HDF5's shutdown in MPI_Finalize would flush
// into it or crash: end here, with the files as they are on disk.
int leave(int code) {
  if (wedge::h5::library_unusable()) {
    std::cerr.flush();
    std::cout.flush();
    std::_Exit(code);
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // `wedge run` notes SIGUSR1 and SIGTERM from its first instruction: a job's checkpoint signal
  // that comes during the start (MPI, configuration, restart checks) is answered at the first
  // batch, or ignored when there is nothing left to run, instead of killing the process.
  if (argc > 1 && std::string_view(argv[1]) == "run") wedge::checkpoint::install_signal_handlers();
  wedge::MpiSession mpi(argc, argv);
  try {
    return leave(wedge::run_cli(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "wedge: error (rank " << mpi.rank() << "): " << e.what() << "\n";
    if (mpi.size() > 1) MPI_Abort(MPI_COMM_WORLD, wedge::kExitFailure);
    return leave(wedge::kExitFailure);
  }
}
