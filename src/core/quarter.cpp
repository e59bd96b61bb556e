#include "wedge/core/quarter.hpp"

#include <charconv>
#include <cmath>

namespace wedge {
namespace {

bool quarterly(const Config& cfg) { return std::abs(cfg.dt - 0.25) < 1e-12; }

std::optional<int> whole_number(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<int> parse_quarter(std::string_view text, const Config& cfg) {
  const auto q = text.find_first_of("Qq");
  if (q == std::string_view::npos) return whole_number(text);
  if (!quarterly(cfg)) return std::nullopt;  // "YYYYQn" means calendar quarters
  const auto year = whole_number(text.substr(0, q));
  const auto n = whole_number(text.substr(q + 1));
  if (!year || !n || q != 4 || *n < 1 || *n > 4) return std::nullopt;
  return (*year - cfg.start_year) * 4 + (*n - 1);
}

std::string quarter_label(int quarter, const Config& cfg) {
  if (!quarterly(cfg)) return "step " + std::to_string(quarter);
  const int year = cfg.start_year + (quarter >= 0 ? quarter / 4 : (quarter - 3) / 4);
  const int n = quarter - (year - cfg.start_year) * 4 + 1;
  return std::to_string(year) + "Q" + std::to_string(n);
}

}  // namespace wedge
