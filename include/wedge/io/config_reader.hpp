#pragma once
// Reading a scenario configuration from TOML (docs/configuration.md): every key checked for type
// and range, errors naming file, line and key.
#include <string>

#include "wedge/core/config.hpp"

namespace wedge {

//! Reads and validates a configuration file. Throws InputError naming file, line and key.
Config load_config(const std::string& path);
//! Same, from text already in memory (result files carry their configuration); `origin` names it.
Config parse_config(const std::string& text, const std::string& origin);

}  // namespace wedge
