#include "io/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "wedge/core/error.hpp"

namespace wedge::detail {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string format_number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

std::string describe(const Bounds& b) {
  const bool lo_inf = b.lo <= -1e299, hi_inf = b.hi >= 1e299;
  if (lo_inf && hi_inf) return "a finite number";
  if (hi_inf) return std::string(b.lo_open ? "> " : ">= ") + format_number(b.lo);
  if (lo_inf) return std::string(b.hi_open ? "< " : "<= ") + format_number(b.hi);
  return std::string("in ") + (b.lo_open ? "(" : "[") + format_number(b.lo) + ", " +
         format_number(b.hi) + (b.hi_open ? ")" : "]");
}

}  // namespace

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

Section::Section(const toml::table& table, std::string prefix, const std::string& file)
    : table_(table), prefix_(std::move(prefix)), file_(file) {}

std::string Section::full_key(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

int Section::line() const { return line_of(table_); }

void Section::fail(std::string_view key, const std::string& message) const {
  throw InputError(file_, line(), full_key(key), message);
}

void Section::fail_at(const toml::node& node, std::string_view key,
                      const std::string& message) const {
  throw InputError(file_, line_of(node), full_key(key), message);
}

bool Section::has(std::string_view key) {
  known_.emplace(key);
  return table_.contains(key);
}

bool Section::is_table(std::string_view key) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  return node != nullptr && node->is_table();
}

const toml::node& Section::require(std::string_view key) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    // A misspelt required key shows up here first: point at the likely typo.
    for (auto&& [k, v] : table_)
      if (!known_.count(k.str()) && edit_distance(k.str(), key) <= 2)
        throw InputError(file_, static_cast<int>(k.source().begin.line), full_key(k.str()),
                         "unknown key (did you mean '" + std::string(key) + "'?)");
    fail(key, "missing (required; no default is assumed)");
  }
  return *node;
}

double Section::number(std::string_view key, Bounds bounds) {
  const toml::node& node = require(key);
  double v = 0.0;
  if (auto i = node.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (auto f = node.as_floating_point()) {
    v = f->get();
  } else {
    fail_at(node, key,
            node.is_table() ? "expected a number (a prior is allowed only on the model's "
                              "coefficients: docs/configuration.md)"
                            : "expected a number");
  }
  if (!std::isfinite(v)) fail_at(node, key, "must be finite, got " + format_number(v));
  const bool below = bounds.lo_open ? v <= bounds.lo : v < bounds.lo;
  const bool above = bounds.hi_open ? v >= bounds.hi : v > bounds.hi;
  if (below || above)
    fail_at(node, key, "value " + format_number(v) + " out of range: must be " + describe(bounds));
  return v;
}

double Section::number_or(std::string_view key, Bounds bounds, double fallback) {
  return has(key) ? number(key, bounds) : fallback;
}

std::int64_t Section::integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
  const toml::node& node = require(key);
  auto i = node.as_integer();
  if (!i)
    fail_at(node, key,
            node.is_table() ? "expected an integer (a prior is allowed only on the model's "
                              "coefficients: docs/configuration.md)"
                            : "expected an integer");
  const std::int64_t v = i->get();
  if (v < lo || v > hi)
    fail_at(node, key,
            "value " + std::to_string(v) + " out of range: must be in [" + std::to_string(lo) +
                ", " + std::to_string(hi) + "]");
  return v;
}

std::string Section::string(std::string_view key) {
  const toml::node& node = require(key);
  auto s = node.as_string();
  if (!s) fail_at(node, key, "expected a string");
  return s->get();
}

bool Section::boolean(std::string_view key) {
  const toml::node& node = require(key);
  auto b = node.as_boolean();
  if (!b) fail_at(node, key, "expected true or false");
  return b->get();
}

std::string Section::string_or_integer(std::string_view key) {
  const toml::node& node = require(key);
  if (auto i = node.as_integer()) return std::to_string(i->get());
  auto s = node.as_string();
  if (!s) fail_at(node, key, "expected a string or a whole number");
  return s->get();
}

std::string Section::choice(std::string_view key, std::initializer_list<std::string_view> options) {
  const std::string v = string(key);
  for (auto o : options)
    if (v == o) return v;
  std::string list;
  for (auto o : options)
    list += (list.empty() ? "" : ", ") + std::string("\"") + std::string(o) + "\"";
  fail_at(*table_.get(key), key, "\"" + v + "\" is not one of " + list);
}

Section Section::table(std::string_view key) {
  const toml::node& node = require(key);
  auto t = node.as_table();
  if (!t) fail_at(node, key, "expected a table");
  return Section(*t, full_key(key), file_);
}

const toml::array& Section::array(std::string_view key) {
  const toml::node& node = require(key);
  auto a = node.as_array();
  if (!a) fail_at(node, key, "expected an array");
  return *a;
}

void Section::finish() const {
  for (auto&& [k, v] : table_) {
    if (known_.count(k.str())) continue;
    std::string hint;
    std::size_t best = 3;
    for (const auto& cand : known_) {
      const std::size_t d = edit_distance(k.str(), cand);
      if (d < best) best = d, hint = " (did you mean '" + cand + "'?)";
    }
    throw InputError(file_, static_cast<int>(k.source().begin.line), full_key(k.str()),
                     "unknown key" + hint);
  }
}

toml::table parse_toml(const std::string& text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw InputError(origin, static_cast<int>(e.source().begin.line), "",
                     std::string("TOML syntax error: ") + std::string(e.description()));
  }
}

std::string read_small_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path, 0, "", "is a directory, not a " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", "cannot open the " + what);
  constexpr std::size_t kMaxBytes = std::size_t{16} << 20;
  std::string text(kMaxBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxBytes) throw InputError(path, 0, "", "larger than 16 MiB: not a " + what);
  return text;
}

}  // namespace wedge::detail
