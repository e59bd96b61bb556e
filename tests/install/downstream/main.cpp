// Loads a configuration through the installed libwedge and prints its strategies.
#include <exception>
#include <iostream>

#include "wedge/core/config.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/version.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: strategies CONFIG\n";
    return 2;
  }
  try {
    const wedge::Config cfg = wedge::load_config(argv[1]);
    std::cout << "wedge " << wedge::kVersion << ": " << cfg.num_strategies() << " strategies\n";
    for (const auto& s : cfg.strategies) std::cout << s.name << "\n";
  } catch (const wedge::InputError& e) {
    std::cerr << "strategies: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
