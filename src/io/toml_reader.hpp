#pragma once
// A strict reader over a toml++ table: every key must be asked for (unknown keys are errors),
// every value is type- and range-checked, and every error names file, line and dotted key.
#include <toml++/toml.h>

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

#include "wedge/core/vocabulary.hpp"

namespace wedge::detail {

using Bounds = wedge::Bounds;

class Section {
 public:
  Section(const toml::table& table, std::string prefix, const std::string& file);

  bool has(std::string_view key);
  //! True when `key` is present and is a table (marks the key as known).
  bool is_table(std::string_view key);
  double number(std::string_view key, Bounds bounds);
  double number_or(std::string_view key, Bounds bounds, double fallback);
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi);
  std::string string(std::string_view key);
  bool boolean(std::string_view key);
  //! A string as written, or a whole number as its decimal digits (quarters: "2026Q3" or 6).
  std::string string_or_integer(std::string_view key);
  std::string choice(std::string_view key, std::initializer_list<std::string_view> options);
  Section table(std::string_view key);
  const toml::array& array(std::string_view key);
  //! Fails on the first key that was never asked for.
  void finish() const;

  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  [[noreturn]] void fail_at(const toml::node& node, std::string_view key,
                            const std::string& message) const;
  std::string full_key(std::string_view key) const;
  int line() const;
  const std::string& file() const { return file_; }

 private:
  const toml::node& require(std::string_view key);
  const toml::table& table_;
  std::string prefix_;
  const std::string& file_;
  std::set<std::string, std::less<>> known_;
};

int line_of(const toml::node& node);

//! The text of a file of at most 16 MiB (/dev/zero or a huge file must not exhaust memory);
//! `what` names the kind of file in messages ("configuration file").
std::string read_small_file(const std::string& path, const std::string& what);
//! Parses TOML text; a syntax error is an InputError naming `origin` and the line.
toml::table parse_toml(const std::string& text, const std::string& origin);

}  // namespace wedge::detail
