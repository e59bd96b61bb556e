// GoogleTest main that brings up MPI (as a one-rank singleton) for the library under test.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <mpi.h>

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  MPI_Finalize();
  return rc;
}
