// libFuzzer harness: the result and checkpoint readers on arbitrary file contents. The bytes
// are written to a temporary file, read as a result file and as a checkpoint. Bad input must end
// in an InputError; any other exception, a crash, a hang or a sanitizer report is a finding.
#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "wedge/core/error.hpp"
#include "wedge/io/checkpoint.hpp"
#include "wedge/io/results.hpp"

namespace {
std::string g_dir;
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  setenv("HDF5_USE_FILE_LOCKING", "FALSE", 1);
  // No MPI_Init: the readers open files with HDF5's serial driver, which the MPI build of
  // HDF5 serves without MPI (and Open MPI's start-up would show as leaks at exit).
  (void)argc, (void)argv;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  char tmpl[] = "/tmp/wedge_fuzz_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) std::abort();
  g_dir = tmpl;
  std::atexit([] {
    std::remove((g_dir + "/in.h5.checkpoint").c_str());
    std::remove(g_dir.c_str());
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string out = g_dir + "/in.h5", path = out + ".checkpoint";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    (void)wedge::io::read_results(path);
  } catch (const wedge::InputError&) {
  } catch (const std::exception&) {
    __builtin_trap();
  }
  try {
    (void)wedge::checkpoint::read(out);
  } catch (const wedge::InputError&) {
  } catch (const std::exception&) {
    __builtin_trap();
  }
  return 0;
}
