#pragma once
// One writer per output: OUT.lock next to the result file, held with flock(2) by rank 0 for as
// long as the run (or merge) writes OUT, so that a second wedge aimed at the same OUT is refused
// at once. The lock dies with the process (kill -9 included); the file names the holder (host,
// pid, start time) for the message, and a stale file without a lock is simply taken over.
#include <mpi.h>

#include <string>

namespace wedge::io {

class OutputLock {
 public:
  //! Collective over `comm`: rank 0 takes the lock; if another process holds it, every rank
  //! throws the same InputError naming the holder.
  OutputLock(const std::string& out, MPI_Comm comm);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  static std::string path_for(const std::string& out) { return out + ".lock"; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace wedge::io
