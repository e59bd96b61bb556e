#include "wedge/io/file_checksum.hpp"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "wedge/core/error.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {
namespace {

constexpr char kMagic[8] = {'W', 'E', 'D', 'G', 'E', 'S', 'U', 'M'};
constexpr std::size_t kTrailer = 24;

void put_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

//! CRC-32 of the first `length` bytes of the stream.
std::uint64_t crc_of(std::istream& in, std::uint64_t length) {
  std::vector<char> buf(1 << 20);
  uLong crc = crc32(0L, Z_NULL, 0);
  in.seekg(0);
  while (length > 0 && in) {
    const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(length, buf.size()));
    in.read(buf.data(), n);
    if (in.gcount() != n) return ~std::uint64_t{0};
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(buf.data()), static_cast<z_size_t>(n));
    length -= static_cast<std::uint64_t>(n);
  }
  return crc;
}

}  // namespace

void seal(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) throw Error("cannot open " + path + " to add its checksum");
  f.seekg(0, std::ios::end);
  const auto length = static_cast<std::uint64_t>(f.tellg());
  std::array<unsigned char, kTrailer> t{};
  std::memcpy(t.data(), kMagic, 8);
  put_u64(t.data() + 8, length);
  put_u64(t.data() + 16, crc_of(f, length));
  f.clear();
  f.seekp(0, std::ios::end);
  f.write(reinterpret_cast<const char*>(t.data()), kTrailer);
  f.flush();
  if (!f) throw Error("cannot write the checksum of " + path);
}

void verify_seal(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, 0, "", "cannot open the file");
  f.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(f.tellg());
  std::array<unsigned char, kTrailer> t{};
  if (size >= kTrailer) {
    f.seekg(static_cast<std::streamoff>(size - kTrailer));
    f.read(reinterpret_cast<char*>(t.data()), kTrailer);
  }
  if (size < kTrailer || std::memcmp(t.data(), kMagic, 8) != 0) {
    char sig[8] = {};
    f.clear();
    f.seekg(0);
    f.read(sig, 8);
    if (std::memcmp(sig, "\x89HDF\r\n\x1a\n", 8) != 0)
      throw InputError(path, 0, "", "not an HDF5 file (or damaged)");
    const char* env = std::getenv("WEDGE_UNCHECKED_FILES");
    if (env != nullptr && std::string(env) == "1") return;
    throw InputError(path, 0, "filetype",
                     "not a wedge result file: it has no wedge checksum at its end (damaged or "
                     "truncated, not written by wedge, written by a wedge before 0.1 checksums, "
                     "or modified with HDF5 since; WEDGE_UNCHECKED_FILES=1 reads it unverified)");
  }
  if (get_u64(t.data() + 8) != size - kTrailer ||
      crc_of(f, size - kTrailer) != get_u64(t.data() + 16))
    throw InputError(path, 0, "checksum",
                     "the file's checksum does not match its contents: the file is damaged");
}

void check_output_path(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) return;  // a new file
  const auto target = fs::status(path, ec);
  if (!fs::is_regular_file(target))
    throw InputError("command line", 0, option,
                     "'" + path + "' exists and is not a regular file (" +
                         (fs::is_directory(target) ? "a directory" : "a device, FIFO or socket") +
                         "); give the path of a result file");
  std::ifstream f(path, std::ios::binary);
  f.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(f.tellg());
  std::array<char, kTrailer> t{};
  if (size >= kTrailer) {
    f.seekg(static_cast<std::streamoff>(size - kTrailer));
    f.read(t.data(), kTrailer);
  }
  if (size < kTrailer || !f || std::memcmp(t.data(), kMagic, 8) != 0)
    throw InputError("command line", 0, option,
                     "'" + path +
                         "' exists and is not a wedge result file; wedge replaces only its own "
                         "results: remove it or give another path");
}

void write_sealed_file(const std::string& path, const std::function<void(hid_t)>& fill) {
  const std::string temp = path + ".partial";
  try {
    {
      h5::Id f = h5::file(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                          "create " + temp);
      fill(f);
    }
    seal(temp);
    std::filesystem::rename(temp, path);
  } catch (...) {
    std::remove(temp.c_str());
    throw;
  }
}

}  // namespace wedge::io
