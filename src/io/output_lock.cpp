#include "wedge/io/output_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "wedge/core/error.hpp"
#include "wedge/core/parallel.hpp"
#include "wedge/io/results.hpp"

namespace wedge::io {
namespace {

std::string holder_of(int fd) {
  char buf[256] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string s = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

// Takes the lock or throws. The inode check guards against a holder that removed the file
// between our open and our flock (we would then hold a lock on a file nobody else sees).
int take(const std::string& path, const std::string& out) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) throw Error("cannot create the lock file " + path + ": " + std::strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const std::string who = holder_of(fd);
      close(fd);
      if (err == EWOULDBLOCK)
        throw InputError(out, 0, "-o",
                         "another wedge is writing this output (" + who + ", lock " + path +
                             "); wait for it to finish, or give another -o");
      throw Error("cannot lock " + path + ": " + std::strerror(err));
    }
    struct stat held {
    }, now{};
    if (fstat(fd, &held) == 0 && stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev) {
      char host[256] = {};
      gethostname(host, sizeof host - 1);
      const std::string me = "host " + std::string(host) + ", pid " + std::to_string(getpid()) +
                             ", since " + utc_now() + "\n";
      if (ftruncate(fd, 0) != 0 || pwrite(fd, me.data(), me.size(), 0) < 0) {
        // The lock holds without the note; only the message would lack the holder's name.
      }
      return fd;
    }
    close(fd);  // removed or replaced while we waited: try again
  }
  throw Error("cannot lock " + path + ": it keeps being replaced");
}

}  // namespace

OutputLock::OutputLock(const std::string& out, MPI_Comm comm) : path_(path_for(out)) {
  on_root(comm, [&] { fd_ = take(path_, out); });
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  unlink(path_.c_str());  // before the unlock: a waiter then sees a new inode and retries
  close(fd_);
}

}  // namespace wedge::io
