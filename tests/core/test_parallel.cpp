// The MPI helpers. Run as a one-rank job and under real mpirun with 2 and 3 ranks (see
// tests/CMakeLists.txt): every collective is checked against a value computed on one rank.
// Checks are non-fatal (EXPECT) so that no rank leaves a collective the others are in.
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"

namespace wedge {
namespace {

const MPI_Comm kWorld = MPI_COMM_WORLD;

// Rank r's share of runs [0, n): uneven, and off block boundaries.
std::uint64_t share_begin(int r, int size, std::uint64_t n) {
  return n * static_cast<std::uint64_t>(r) / static_cast<std::uint64_t>(size) + (r > 0 ? 7 : 0);
}

class Parallel : public ::testing::Test {
 protected:
  static constexpr std::uint64_t kRuns = 1500;
  void SetUp() override { cfg_.batch_size = 512; }
  //! This rank's part of runs [0, kRuns), simulated by this rank alone.
  stats::Accumulators my_share() const {
    const int r = comm_rank(kWorld), size = comm_size(kWorld);
    return test::run_range(cfg_, share_begin(r, size, kRuns),
                           r + 1 == size ? kRuns : share_begin(r + 1, size, kRuns));
  }
  Config cfg_ = test::baseline();
};

TEST_F(Parallel, ReductionToAnyRootEqualsOneRankDoingAllRuns) {
  const stats::Accumulators whole = test::run_range(cfg_, 0, kRuns);
  for (int root : {0, comm_size(kWorld) - 1}) {
    stats::Accumulators acc = my_share();
    reduce_accumulators(acc, kWorld, root);
    if (comm_rank(kWorld) == root) {
      EXPECT_EQ(acc.words(), whole.words()) << "root " << root;
    }
  }
}

TEST_F(Parallel, AllreduceGivesEveryRankTheTotal) {
  const stats::Accumulators whole = test::run_range(cfg_, 0, kRuns);
  stats::Accumulators acc = my_share();
  allreduce_accumulators(acc, kWorld);
  EXPECT_EQ(acc.words(), whole.words()) << "rank " << comm_rank(kWorld);
  EXPECT_EQ(acc.runs(), kRuns);
}

TEST(ParallelStrings, BroadcastGivesEveryRankTheRootsString) {
  const int rank = comm_rank(kWorld), size = comm_size(kWorld);
  // Each rank starts with a string of another length: the root's length must win.
  const std::string mine = "rank " + std::to_string(rank) + std::string(100 * rank, '.');
  for (int root = 0; root < size; ++root) {
    const std::string expect = "rank " + std::to_string(root) + std::string(100 * root, '.');
    EXPECT_EQ(broadcast_string(mine, kWorld, root), expect) << "root " << root;
  }
  EXPECT_EQ(broadcast_string(rank == 0 ? "" : "not empty", kWorld), "");
}

int calls_on_all_ranks(int mine) {
  int total = 0;
  MPI_Allreduce(&mine, &total, 1, MPI_INT, MPI_SUM, kWorld);
  return total;
}

TEST(ParallelOnRoot, RunsOnRankZeroOnly) {
  int calls = 0;
  on_root(kWorld, [&] { ++calls; });
  EXPECT_EQ(calls, comm_rank(kWorld) == 0 ? 1 : 0);
  EXPECT_EQ(calls_on_all_ranks(calls), 1);
}

TEST(ParallelOnRoot, AnInputErrorReachesEveryRankWhole) {
  try {
    on_root(kWorld, [] { throw InputError("in.h5", 12, "state/words", "damaged"); });
    ADD_FAILURE() << "rank " << comm_rank(kWorld) << " did not throw";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "in.h5");
    EXPECT_EQ(e.line(), 12);
    EXPECT_EQ(e.key(), "state/words");
    EXPECT_EQ(e.message(), "damaged");
    EXPECT_STREQ(e.what(), "in.h5:12: key 'state/words': damaged");
  }
}

TEST(ParallelOnRoot, AnyOtherExceptionBecomesAnErrorOnEveryRank) {
  int input_errors = 0, errors = 0;
  try {
    on_root(kWorld, [] { throw std::runtime_error("disk full"); });
  } catch (const InputError&) {
    ++input_errors;
  } catch (const Error& e) {
    ++errors;
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_EQ(input_errors, 0);
  EXPECT_EQ(calls_on_all_ranks(errors), comm_size(kWorld));
}

TEST(ParallelRanks, RankAndSizeOfTheCommunicators) {
  int rank = -1, size = 0;
  MPI_Comm_rank(kWorld, &rank);
  MPI_Comm_size(kWorld, &size);
  EXPECT_EQ(comm_rank(kWorld), rank);
  EXPECT_EQ(comm_size(kWorld), size);
  EXPECT_EQ(comm_rank(MPI_COMM_SELF), 0);
  EXPECT_EQ(comm_size(MPI_COMM_SELF), 1);
  const char* expect = std::getenv("WEDGE_TEST_RANKS");  // set by the mpirun variants
  if (expect != nullptr) {
    EXPECT_EQ(size, std::atoi(expect));
  }
}

}  // namespace
}  // namespace wedge
