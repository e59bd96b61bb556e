#include "wedge/core/config.hpp"

namespace wedge {
namespace {

template <typename T, typename Name>
int index_by_name(const std::vector<T>& items, std::string_view name, Name name_of) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (name_of(items[i]) == name) return static_cast<int>(i);
  return -1;
}

}  // namespace

int Config::strategy_index(std::string_view n) const {
  return index_by_name(strategies, n, [](const Strategy& s) { return std::string_view(s.name); });
}

int Config::outcome_index(std::string_view n) const {
  return index_by_name(outcomes, n, [](const OutcomeInfo& o) { return std::string_view(o.name); });
}

int Config::input_index(std::string_view n) const {
  return index_by_name(inputs, n, [](const Input& i) { return std::string_view(i.name); });
}

std::string_view design_name(Design d) {
  switch (d) {
    case Design::kMonteCarlo: return "monte_carlo";
    case Design::kLatinHypercube: return "latin_hypercube";
    case Design::kSaltelli: return "saltelli";
  }
  return "monte_carlo";
}

int outcome_bins(const Config& cfg, int outcome) {
  const OutcomeInfo& o = cfg.outcomes[static_cast<std::size_t>(outcome)];
  switch (o.kind) {
    case OutcomeKind::kBinary: return 2;
    case OutcomeKind::kInteger: return static_cast<int>(o.range.hi - o.range.lo) + 1;
    case OutcomeKind::kContinuous: return cfg.histogram_bins;
  }
  return cfg.histogram_bins;
}

}  // namespace wedge
