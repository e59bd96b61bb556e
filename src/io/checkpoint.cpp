#include "wedge/io/checkpoint.hpp"

#include <filesystem>
#include <iostream>

#include "wedge/core/error.hpp"
#include "wedge/io/file_checksum.hpp"

namespace wedge::checkpoint {
namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) { g_signal = sig; }

namespace fs = std::filesystem;

//! The run range must agree with the statistics: the file holds runs run_ranges[1]..next of one
//! seed (an extension's checkpoint includes the extended study's runs before `first`).
void validate(const std::string& p, const Loaded& l) {
  const auto& r = l.range;
  const auto& rr = l.results.prov.run_ranges;
  auto bad = [&](const std::string& key, const std::string& msg) {
    return InputError(p, 0, key, msg + " (damaged checkpoint)");
  };
  if (!(r.first <= r.next && r.next <= r.end) || r.end - r.first > (std::uint64_t{1} << 62))
    throw bad("checkpoint_run_next", "the run range " + std::to_string(r.first) + ".." +
                                         std::to_string(r.next) + " of " + std::to_string(r.end) +
                                         " is impossible");
  if (rr.size() != 3 || rr[2] != r.next || rr[1] > r.first)
    throw bad("run_ranges", "the statistics' run ranges do not end at checkpoint_run_next");
  if (l.results.prov.runs != r.next - rr[1])
    throw bad("runs", "the statistics hold " + std::to_string(l.results.prov.runs) +
                          " runs, not the " + std::to_string(r.next - rr[1]) + " of the range");
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int signal_received() { return static_cast<int>(g_signal); }

std::string path_for(const std::string& out) { return out + ".checkpoint"; }

void write(const std::string& out, const Config& cfg, const stats::Accumulators& total,
           const io::Provenance& prov, const Range& range, const std::string& target_se) {
  const std::string path = path_for(out), tmp = path + ".tmp";
  io::write_results_serial(tmp, cfg, total, prov);
  {
    h5::Id f = h5::file(H5Fopen(tmp.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "reopen " + tmp);
    h5::attr_uint(f, "checkpoint_run_first", range.first);
    h5::attr_uint(f, "checkpoint_run_next", range.next);
    h5::attr_uint(f, "checkpoint_run_end", range.end);
    h5::attr_int(f, "checkpoint_records",
                 static_cast<int>(range.records));  // 0 none, 1 all, 2 compact
    h5::attr_string(f, "checkpoint_of", out);
    h5::attr_string(f, "checkpoint_target_se", target_se);
  }
  io::seal(tmp);  // reopening dropped the seal write_results_serial put
  if (fs::exists(path)) fs::rename(path, path + ".prev");
  fs::rename(tmp, path);
}

bool exists(const std::string& out) {
  return fs::exists(path_for(out)) || fs::exists(path_for(out) + ".prev");
}

Loaded read(const std::string& out) {
  const std::string path = path_for(out);
  auto load = [&](const std::string& p) {
    Loaded l{io::read_results(p), {}, ""};
    h5::Id f = h5::file(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + p);
    for (const char* a : {"checkpoint_run_first", "checkpoint_run_next", "checkpoint_run_end",
                          "checkpoint_records"})
      if (!h5::has_attr(f, a))
        throw InputError(p, 0, a, "not a wedge checkpoint (attribute missing)");
    try {
      l.range.first = h5::read_attr_uint(f, "checkpoint_run_first");
      l.range.next = h5::read_attr_uint(f, "checkpoint_run_next");
      l.range.end = h5::read_attr_uint(f, "checkpoint_run_end");
      const std::int64_t mode = h5::read_attr_int(f, "checkpoint_records");
      if (mode < 0 || mode > 2)
        throw InputError(p, 0, "checkpoint_records",
                         "is " + std::to_string(mode) + ", not 0, 1 or 2 (damaged checkpoint)");
      l.range.records = static_cast<Records>(mode);
    } catch (const InputError&) {
      throw;
    } catch (const Error& e) {
      throw InputError(p, 0, "checkpoint_run_*", std::string(e.what()) + " (damaged checkpoint)");
    }
    if (h5::has_attr(f, "checkpoint_target_se"))
      l.target_se = h5::read_attr_string(f, "checkpoint_target_se");
    validate(p, l);
    return l;
  };
  if (fs::exists(path)) {
    try {
      return load(path);
    } catch (const Error& e) {
      if (!fs::exists(path + ".prev")) throw;
      std::cerr << "wedge: warning: " << e.what() << "; using the previous checkpoint\n";
    }
  }
  return load(path + ".prev");
}

void remove(const std::string& out) {
  std::error_code ec;
  fs::remove(path_for(out), ec);
  fs::remove(path_for(out) + ".prev", ec);
  fs::remove(path_for(out) + ".tmp", ec);
}

void check_run_count(const Loaded& ck, bool has_runs, std::uint64_t end) {
  if (has_runs && ck.range.end != end)
    throw InputError("command line", 0, "-n",
                     "the checkpoint is of runs " + std::to_string(ck.range.first) + ".." +
                         std::to_string(ck.range.end) + ", but -n asks for runs up to " +
                         std::to_string(end) + "; give the -n of the interrupted run");
}

}  // namespace wedge::checkpoint
