#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/runner.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/records.hpp"
#include "wedge/io/results.hpp"

namespace wedge {
namespace {

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("wedge_test_" + std::to_string(getpid()) + "_" + name))
      .string();
}

std::string write_study(const Config& cfg, const std::string& path, bool records, std::uint64_t n) {
  stats::Accumulators acc(cfg);
  io::ResultWriter writer(path, cfg, MPI_COMM_SELF, records, 0, n);
  RunOptions opt;
  opt.end_run = n;
  opt.threads = 2;
  opt.records = records ? &writer : nullptr;
  const auto rep = run_study(cfg, opt, acc, MPI_COMM_SELF);
  io::Provenance prov;
  prov.created = "2026-01-01T00:00:00Z", prov.threads = 2, prov.runs = rep.next_run;
  writer.finish(acc, prov, rep.next_run);
  return path;
}

TEST(Io, RoundTripKeepsEveryAccumulatorAndTheConfiguration) {
  Config cfg = test::baseline();
  cfg.batch_size = 1024;
  const std::string path = write_study(cfg, temp("rt.h5"), true, 3000);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  const auto back = io::read_results(path);
  stats::Accumulators acc(cfg);
  RunOptions opt;
  opt.end_run = 3000;
  opt.threads = 1;
  run_study(cfg, opt, acc, MPI_COMM_SELF);
  EXPECT_EQ(back.acc.words(), acc.words());
  EXPECT_EQ(back.prov.runs, 3000u);
  EXPECT_TRUE(back.has_records);
  EXPECT_EQ(back.config.text, cfg.text);
  std::filesystem::remove(path);
}

// Outcomes are stored in the narrowest type that holds every recorded value exactly.
TEST(Io, RecordOutcomeTypeIsTheNarrowestExactOne) {
  Config cfg = test::baseline();
  const int P = cfg.num_inputs(), S = cfg.num_strategies(), O = cfg.num_outcomes();
  EXPECT_TRUE(H5Tequal(io::record_outcome_type(cfg), H5T_IEEE_F64LE) > 0);
  EXPECT_EQ(io::record_bytes_per_run(cfg), static_cast<std::uint64_t>(8 + 8 * P + 8 * S * O));
  cfg.records = Records::kCompact;
  cfg.record_outcomes = {cfg.outcome_index("split"), cfg.outcome_index("nato_fracture")};
  EXPECT_TRUE(H5Tequal(io::record_outcome_type(cfg), H5T_STD_U8LE) > 0);
  EXPECT_EQ(io::record_bytes_per_run(cfg), static_cast<std::uint64_t>(8 + 8 * P + 2 * S));
  int quarter = -1;  // an integer outcome: the quarter an event first happened (-1: never)
  for (int o = 0; o < O; ++o)
    if (cfg.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kInteger) quarter = o;
  ASSERT_GE(quarter, 0);
  cfg.record_outcomes.push_back(quarter);
  EXPECT_TRUE(H5Tequal(io::record_outcome_type(cfg), H5T_STD_I16LE) > 0);
  cfg.record_outcomes.push_back(cfg.payoff);
  EXPECT_TRUE(H5Tequal(io::record_outcome_type(cfg), H5T_IEEE_F64LE) > 0);
}

TEST(Io, RefusesFilesItDidNotWrite) {
  const std::string path = temp("other.h5");
  {
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    h5::attr_string(f, "filetype", "statepoint");
    H5Fclose(f);
  }
  try {
    io::read_results(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.key(), "filetype");
  }
  std::filesystem::remove(path);
  const std::string text = temp("text.h5");
  { std::ofstream(text) << "not hdf5"; }
  EXPECT_THROW(io::read_results(text), InputError);
  std::filesystem::remove(text);
}

TEST(Io, RefusesAnotherFormatVersion) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  const std::string path = write_study(cfg, temp("v.h5"), false, 600);
  {
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Adelete(f, "format_version");
    h5::attr_int(f, "format_version", 99);
    H5Fclose(f);
    io::seal(path);  // as a future wedge would have written it
  }
  try {
    io::read_results(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "format_version");
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wedge
