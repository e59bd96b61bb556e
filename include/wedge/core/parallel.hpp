#pragma once
// MPI session and the reductions of accumulators across ranks. wedge always initialises MPI;
// started without mpirun it runs as a one-rank job (MPI singleton).
#include <mpi.h>

#include <functional>
#include <string>
#include <vector>

#include "wedge/core/stats.hpp"

namespace wedge {

class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

int comm_rank(MPI_Comm comm);
int comm_size(MPI_Comm comm);

//! Sums `acc` over all ranks into rank `root` (exact, any tree order).
void reduce_accumulators(stats::Accumulators& acc, MPI_Comm comm, int root = 0);
//! Same, and every rank gets the total.
void allreduce_accumulators(stats::Accumulators& acc, MPI_Comm comm);
//! The string of rank `root` on every rank.
std::string broadcast_string(const std::string& s, MPI_Comm comm, int root = 0);
//! Runs `f` on rank 0 only. If it throws, every rank of `comm` throws the same error (an
//! InputError keeps its file, line, key and message), so that no rank is left waiting in a
//! collective for one that gave up. Collective.
void on_root(MPI_Comm comm, const std::function<void()>& f);

}  // namespace wedge
