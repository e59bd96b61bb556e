// `wedge merge`: run ranges merged equal one run of their union bit for bit; seeds combine;
// overlapping ranges, other configurations and an output among the inputs are refused.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/merge.hpp"
#include "wedge/io/results.hpp"

namespace wedge {
namespace {

namespace fs = std::filesystem;

//! Writes the statistics of runs [first, end) of `cfg` to a result file (no records).
std::string write_range(const Config& cfg, std::uint64_t first, std::uint64_t end,
                        const std::string& name) {
  const std::string path = test::temp_path(name);
  io::Provenance prov;
  prov.created = "2026-01-01T00:00:00Z";
  prov.runs = end - first;
  prov.run_ranges = {cfg.seed, first, end};
  io::write_results_serial(path, cfg, test::run_range(cfg, first, end), prov);
  return path;
}

//! Every dataset of a file, by path, with its values.
struct Contents {
  std::vector<std::string> names;
  std::vector<std::vector<double>> doubles;
  std::vector<std::vector<std::uint64_t>> uints;
  std::vector<std::vector<std::string>> strings;
};
Contents contents(const std::string& path) {
  Contents c;
  h5::Id f = h5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path);
  H5Ovisit(
      f, H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET) static_cast<Contents*>(data)->names.emplace_back(name);
        return 0;
      },
      &c);
  for (const auto& n : c.names) {
    h5::Id ds = h5::dataset(H5Dopen2(f, n.c_str(), H5P_DEFAULT), "open " + n);
    h5::Id t = h5::type(H5Dget_type(ds), "type of " + n);
    const H5T_class_t cls = H5Tget_class(t);
    c.doubles.push_back(cls == H5T_FLOAT ? h5::read_doubles(f, n) : std::vector<double>{});
    c.uints.push_back(cls == H5T_INTEGER ? h5::read_uints(f, n) : std::vector<std::uint64_t>{});
    c.strings.push_back(cls == H5T_STRING ? h5::read_strings(f, n) : std::vector<std::string>{});
  }
  return c;
}

void expect_same_datasets(const std::string& a, const std::string& b) {
  const Contents ca = contents(a), cb = contents(b);
  ASSERT_EQ(ca.names, cb.names);
  ASSERT_GT(ca.names.size(), 50u);
  for (std::size_t i = 0; i < ca.names.size(); ++i) {
    // Compared as bits: NaN (an empty decile) equals NaN.
    ASSERT_EQ(ca.doubles[i].size(), cb.doubles[i].size()) << ca.names[i];
    EXPECT_EQ(0, std::memcmp(ca.doubles[i].data(), cb.doubles[i].data(),
                             ca.doubles[i].size() * sizeof(double)))
        << ca.names[i];
    EXPECT_EQ(ca.uints[i], cb.uints[i]) << ca.names[i];
    EXPECT_EQ(ca.strings[i], cb.strings[i]) << ca.names[i];
  }
}

class Merge : public ::testing::Test {
 protected:
  void SetUp() override { cfg_.batch_size = 512; }
  void TearDown() override {
    for (const auto& p : files_) fs::remove(p);
  }
  std::string range(std::uint64_t first, std::uint64_t end, const std::string& name,
                    const Config* cfg = nullptr) {
    files_.push_back(write_range(cfg ? *cfg : cfg_, first, end, name));
    return files_.back();
  }
  std::string out(const std::string& name) {
    files_.push_back(test::temp_path(name));
    return files_.back();
  }
  //! The InputError a merge throws; the output must not have been written.
  InputError refused(const std::string& to, const std::vector<std::string>& inputs) {
    try {
      merge_results(to, inputs);
    } catch (const InputError& e) {
      EXPECT_FALSE(fs::exists(to) && std::find(inputs.begin(), inputs.end(), to) == inputs.end());
      return e;
    }
    ADD_FAILURE() << "merge accepted";
    return InputError("", 0, "", "");
  }
  Config cfg_ = test::baseline();
  std::vector<std::string> files_;
};

TEST_F(Merge, RunRangesMergeIntoOneRunBitForBit) {
  // Range ends off block and batch boundaries, inputs in no particular order.
  const auto a = range(0, 1000, "a.h5"), b = range(1000, 1700, "b.h5"),
             c = range(1700, 2600, "c.h5");
  const auto whole = range(0, 2600, "whole.h5");
  const auto merged = out("merged.h5");
  merge_results(merged, {c, a, b});
  expect_same_datasets(merged, whole);
  const auto back = io::read_results(merged);
  EXPECT_EQ(back.prov.runs, 2600u);
  // Adjacent ranges of one seed read as one study, which can be extended.
  EXPECT_EQ(back.prov.run_ranges, (std::vector<std::uint64_t>{cfg_.seed, 0, 2600}));
  EXPECT_NE(back.prov.history.find("merge:"), std::string::npos);
}

TEST_F(Merge, SeedsCombineIntoTheSumOfTheirStatistics) {
  Config other = cfg_;
  other.seed = cfg_.seed + 1;
  const auto a = range(0, 800, "s1.h5"), b = range(0, 800, "s2.h5", &other);
  const auto merged = out("seeds.h5");
  merge_results(merged, {a, b});
  const auto back = io::read_results(merged);
  stats::Accumulators total = test::run_range(cfg_, 0, 800);
  total.merge(test::run_range(other, 0, 800));
  EXPECT_EQ(back.acc.words(), total.words());
  EXPECT_EQ(back.prov.runs, 1600u);
  EXPECT_EQ(back.prov.run_ranges,
            (std::vector<std::uint64_t>{cfg_.seed, 0, 800, other.seed, 0, 800}));
}

TEST_F(Merge, OverlappingRangesOfOneSeedAreRefused) {
  const auto a = range(0, 1000, "o1.h5"), b = range(900, 1500, "o2.h5");
  const InputError e = refused(out("overlap.h5"), {a, b});
  EXPECT_EQ(e.key(), "run_ranges");
  EXPECT_EQ(e.file(), b);
  EXPECT_NE(e.message().find("runs 900..1000"), std::string::npos) << e.message();
}

TEST_F(Merge, AnotherConfigurationIsRefused) {
  Config other = parse_config(test::baseline_with("quarters = 40", "quarters = 36"), "other.toml");
  other.batch_size = 512;
  const auto a = range(0, 600, "c1.h5"), b = range(600, 1200, "c2.h5", &other);
  const InputError e = refused(out("config.h5"), {a, b});
  EXPECT_EQ(e.key(), "config");
  EXPECT_EQ(e.file(), b);
}

TEST_F(Merge, TheOutputMustNotBeAnInput) {
  const auto a = range(0, 600, "i1.h5"), b = range(600, 1200, "i2.h5");
  const auto before = contents(a);
  const InputError e = refused(a, {a, b});
  EXPECT_EQ(e.key(), "OUT");
  EXPECT_EQ(contents(a).uints, before.uints);  // the input is untouched
  EXPECT_EQ(refused(out("none.h5"), {}).key(), "IN");
}

}  // namespace
}  // namespace wedge
