#pragma once
// Error types. Bad user input (configuration, command line, result files) is an InputError and
// ends the program with exit code 2; anything else that goes wrong at run time is an Error (1).
#include <stdexcept>
#include <string>

namespace wedge {

//! Exit codes of the wedge command (documented in README.md and docs/slurm.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       //!< run-time failure (I/O, MPI, ...)
  kExitBadInput = 2,      //!< bad configuration, command line or result file
  kExitCheckpointed = 75  //!< stopped early after writing a checkpoint; restart to finish
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Bad input: names the file, the line (0 when unknown) and the key at fault.
class InputError : public Error {
 public:
  InputError(std::string file, int line, std::string key, const std::string& message)
      : Error(format(file, line, key, message)),
        file_(std::move(file)),
        line_(line),
        key_(std::move(key)),
        message_(message) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& key,
                            const std::string& message) {
    // Built with append: GCC 12 warns (falsely, -Wrestrict) on chained operator+ here.
    std::string s = file;
    if (line > 0) s.append(":").append(std::to_string(line));
    s.append(": ");
    if (!key.empty()) s.append("key '").append(key).append("': ");
    return s.append(message);
  }
  std::string file_;
  int line_;
  std::string key_;
  std::string message_;
};

}  // namespace wedge
