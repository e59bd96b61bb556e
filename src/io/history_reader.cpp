#include "io/history_reader.hpp"

#include "wedge/core/quarter.hpp"

namespace wedge::detail {

void read_history(Section s, Config& c) {
  if (c.levers.empty())
    s.fail("strategy",
           "the study's model (" + c.model + ") has no policy levers to have a history");
  Strategy h;
  h.description = s.has("description") ? s.string("description") : std::string();
  const bool named = s.has("strategy"), given = s.is_table("levers");
  if (named == given)
    s.fail("strategy",
           "give the policy in force so far either as 'strategy' (the name of a "
           "strategy of the study) or as a [history.levers] table, not both");
  if (named) {
    const std::string name = s.string("strategy");
    const int k = c.strategy_index(name);
    if (k < 0) s.fail("strategy", "\"" + name + "\" names no strategy of the study");
    h.name = name;
    h.levers = c.strategies[static_cast<std::size_t>(k)].levers;  // its fallback does not apply
  } else {
    Section levers = s.table("levers");
    h.name = "history";
    for (const Term& lever : c.levers) h.levers.push_back(levers.number(lever.key, Bounds::unit()));
    levers.finish();
  }
  const std::string text = s.string_or_integer("decision_quarter");
  const auto q = parse_quarter(text, c);
  if (!q)
    s.fail("decision_quarter",
           "\"" + text + "\" is not a quarter: write \"2026Q4\" or a step index");
  // The election switch (switch_quarter) is a choice of the strategies, so it must lie ahead.
  if (*q < 1 || *q > c.switch_quarter)
    s.fail("decision_quarter", "\"" + text + "\" must lie after the start (" + quarter_label(0, c) +
                                   ") and not after the switch quarter (" +
                                   quarter_label(c.switch_quarter, c) +
                                   ", where strategies with a fallback may switch)");
  c.decision_quarter = *q;
  c.history = h;
  s.finish();
}

}  // namespace wedge::detail
