#include "io/study_keys.hpp"

#include "wedge/core/quarter.hpp"

namespace wedge::detail {
namespace {

std::string names_of(const std::vector<Term>& terms) {
  std::string list;
  for (const Term& t : terms) list += (list.empty() ? "" : ", ") + std::string(t.key);
  return list;
}

int read_term(Section& s, std::string_view key, const std::vector<Term>& terms,
              std::string_view what) {
  const std::string name = s.string(key);
  for (std::size_t i = 0; i < terms.size(); ++i)
    if (terms[i].key == name) return static_cast<int>(i);
  s.fail(key, "\"" + name + "\" is not " + std::string(what) + " of the study (" +
                  (terms.empty() ? "its model follows none" : names_of(terms)) + ")");
}

}  // namespace

int read_quarter(Section& s, std::string_view key, const Config& cfg) {
  const std::string text = s.string_or_integer(key);
  const auto q = parse_quarter(text, cfg);
  if (!q)
    s.fail(key, "\"" + text + "\" is not a quarter: write it as \"2026Q3\" or as a step index");
  if (*q < 0 || *q >= cfg.quarters)
    s.fail(key, "\"" + text + "\" lies outside the study, which runs from " +
                    quarter_label(0, cfg) + " to " + quarter_label(cfg.quarters - 1, cfg));
  return *q;
}

int read_event(Section& s, std::string_view key, const Config& cfg) {
  std::vector<Term> events;
  for (const EventInfo& e : cfg.events) events.push_back(e.term);
  return read_term(s, key, events, "an event");
}

int read_state(Section& s, std::string_view key, const Config& cfg) {
  return read_term(s, key, cfg.states, "a state");
}

}  // namespace wedge::detail
