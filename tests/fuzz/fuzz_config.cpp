// libFuzzer harness: the configuration reader on arbitrary bytes. Bad input must end in an
// InputError (exit 2 in wedge); any other exception, a crash, a hang or a sanitizer report is a
// finding.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "wedge/core/config.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const wedge::Config cfg = wedge::parse_config(text, "fuzz.toml");
    (void)cfg.num_strategies();
  } catch (const wedge::InputError&) {
    // the expected refusal
  } catch (const std::exception&) {
    __builtin_trap();  // a failure that is not reported as bad input
  }
  return 0;
}
