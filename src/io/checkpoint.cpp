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
    h5::attr_int(f, "checkpoint_records", range.records ? 1 : 0);
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
    l.range.first = h5::read_attr_uint(f, "checkpoint_run_first");
    l.range.next = h5::read_attr_uint(f, "checkpoint_run_next");
    l.range.end = h5::read_attr_uint(f, "checkpoint_run_end");
    l.range.records = h5::read_attr_int(f, "checkpoint_records") != 0;
    if (h5::has_attr(f, "checkpoint_target_se"))
      l.target_se = h5::read_attr_string(f, "checkpoint_target_se");
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

}  // namespace wedge::checkpoint
