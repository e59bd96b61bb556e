#pragma once
// A range of run indices of one seed, as a study, an extension or one invocation sees it.
#include <cstdint>

namespace wedge {

//! Runs [first, end) of a study segment, of which [first, next) are done. A fresh study starts
//! with next == first; a restart continues at a checkpoint's next; an extension of a study of N
//! runs is the segment [N, N + more).
struct RunRange {
  std::uint64_t first = 0;
  std::uint64_t next = 0;
  std::uint64_t end = 0;

  std::uint64_t left() const { return end - next; }
  bool restarted() const { return next != first; }
};

}  // namespace wedge
