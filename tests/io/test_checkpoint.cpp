// Checkpoints: what is written is what is read back, the previous checkpoint is kept as .prev
// and used when the newest one is damaged, and the files go once the study is complete.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/checkpoint.hpp"

namespace wedge {
namespace {

namespace fs = std::filesystem;

// Two successive checkpoints of one study of runs [100, 2100): after 600 and after 1400 runs.
class Checkpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.batch_size = 512;
    out_ = test::temp_path("ckpt.h5");
    checkpoint::remove(out_);
  }
  void TearDown() override { checkpoint::remove(out_); }

  struct Written {
    stats::Accumulators acc;
    io::Provenance prov;
    checkpoint::Range range;
    std::string target_se;
  };
  Written write(std::uint64_t next, const std::string& target_se) {
    Written w{test::run_range(cfg_, 100, next), {}, {100, next, 2100, Records::kAll}, target_se};
    w.prov.created = "2026-02-03T04:05:06Z";
    w.prov.runs = next - 100;
    w.prov.threads = 3;
    w.prov.run_ranges = {cfg_.seed, 100, next};
    w.prov.history = "2026-02-03T04:05:06Z wedge run (test)\n";
    checkpoint::write(out_, cfg_, w.acc, w.prov, w.range, target_se);
    return w;
  }
  static void expect_equal(const checkpoint::Loaded& got, const Written& want) {
    EXPECT_EQ(got.results.acc.words(), want.acc.words());
    EXPECT_EQ(got.range.first, want.range.first);
    EXPECT_EQ(got.range.next, want.range.next);
    EXPECT_EQ(got.range.end, want.range.end);
    EXPECT_EQ(got.range.records, want.range.records);
    EXPECT_EQ(got.target_se, want.target_se);
    EXPECT_EQ(got.results.prov.runs, want.prov.runs);
    EXPECT_EQ(got.results.prov.created, want.prov.created);
    EXPECT_EQ(got.results.prov.threads, want.prov.threads);
    EXPECT_EQ(got.results.prov.run_ranges, want.prov.run_ranges);
    EXPECT_EQ(got.results.prov.history, want.prov.history);
  }
  static void damage(const std::string& path) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << "not an HDF5 file any more";
  }

  Config cfg_ = test::baseline();
  std::string out_;
};

TEST_F(Checkpoint, WhatIsWrittenIsReadBack) {
  EXPECT_FALSE(checkpoint::exists(out_));
  const Written w = write(700, "split=0.003");
  EXPECT_TRUE(fs::exists(out_ + ".checkpoint"));  // the documented name: OUT.checkpoint
  EXPECT_FALSE(fs::exists(out_ + ".checkpoint.tmp"));
  EXPECT_FALSE(fs::exists(out_));  // the output itself is not written
  EXPECT_TRUE(checkpoint::exists(out_));
  const checkpoint::Loaded got = checkpoint::read(out_);
  expect_equal(got, w);
  EXPECT_EQ(got.results.config.text, cfg_.text);
  EXPECT_EQ(got.results.config.seed, cfg_.seed);
  EXPECT_FALSE(got.results.has_records);  // statistics only: records stay in OUT.partial
}

TEST_F(Checkpoint, TheNewestIsReadAndThePreviousKept) {
  const Written first = write(700, "");
  const Written second = write(1500, "us_payoff=0.01");
  ASSERT_NE(first.acc.words(), second.acc.words());
  expect_equal(checkpoint::read(out_), second);
  EXPECT_TRUE(fs::exists(out_ + ".checkpoint.prev"));
}

TEST_F(Checkpoint, ADamagedCheckpointFallsBackToThePreviousOne) {
  const Written first = write(700, "split=0.003");
  write(1500, "");
  damage(out_ + ".checkpoint");
  testing::internal::CaptureStderr();
  const checkpoint::Loaded got = checkpoint::read(out_);
  const std::string err = testing::internal::GetCapturedStderr();
  expect_equal(got, first);
  EXPECT_NE(err.find("using the previous checkpoint"), std::string::npos) << err;
}

TEST_F(Checkpoint, OnlyThePreviousOneLeftIsReadToo) {
  // A crash between the two renames of a write leaves .prev alone.
  const Written first = write(700, "");
  write(1500, "");
  fs::remove(out_ + ".checkpoint");
  EXPECT_TRUE(checkpoint::exists(out_));
  expect_equal(checkpoint::read(out_), first);
}

TEST_F(Checkpoint, ADamagedCheckpointWithoutAPreviousOneIsAnError) {
  write(700, "");
  damage(out_ + ".checkpoint");
  EXPECT_THROW(checkpoint::read(out_), Error);
}

TEST_F(Checkpoint, RemoveDeletesEveryCheckpointFile) {
  write(700, "");
  write(1500, "");
  { std::ofstream(out_ + ".checkpoint.tmp") << "left by a crash"; }
  checkpoint::remove(out_);
  EXPECT_FALSE(checkpoint::exists(out_));
  for (const char* ext : {".checkpoint", ".checkpoint.prev", ".checkpoint.tmp"})
    EXPECT_FALSE(fs::exists(out_ + ext)) << ext;
}

TEST(CheckpointSignals, UsrOneAndTermAreNotedNotFatal) {
  checkpoint::install_signal_handlers();
  EXPECT_EQ(checkpoint::signal_received(), 0);
  std::raise(SIGUSR1);
  EXPECT_EQ(checkpoint::signal_received(), SIGUSR1);
  std::raise(SIGTERM);
  EXPECT_EQ(checkpoint::signal_received(), SIGTERM);
}

}  // namespace
}  // namespace wedge
