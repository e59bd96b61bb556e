#include "wedge/io/resolved_reader.hpp"

#include "io/toml_reader.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/quarter.hpp"

namespace wedge {
namespace {

using detail::Section;

std::string names_of(const std::vector<Term>& terms) {
  std::string list;
  for (const Term& t : terms) list += (list.empty() ? "" : ", ") + std::string(t.key);
  return list;
}

int find_term(const std::vector<Term>& terms, const std::string& key) {
  for (std::size_t i = 0; i < terms.size(); ++i)
    if (terms[i].key == key) return static_cast<int>(i);
  return -1;
}

// A quarter inside the study's horizon, written "2026Q3" or as a step index.
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

Question read_question(Section& s, const Config& cfg) {
  Question q;
  q.name = s.string("name");
  q.description = s.has("description") ? s.string("description") : std::string();
  q.source = s.has("source") ? s.string("source") : std::string();
  const bool event = s.has("event"), state = s.has("state");
  if (event == state) s.fail("event", "a question names either an 'event' or a 'state'");
  if (event) {
    q.kind = QuestionKind::kEvent;
    const std::string key = s.string("event");
    std::vector<Term> events;
    for (const EventInfo& e : cfg.events) events.push_back(e.term);
    q.index = find_term(events, key);
    if (q.index < 0)
      s.fail("event", "\"" + key + "\" is not an event of the study (" +
                          (events.empty() ? "its model follows none" : names_of(events)) + ")");
    q.quarter = read_quarter(s, "by", cfg);
    q.happened = s.boolean("happened");
  } else {
    q.kind = QuestionKind::kState;
    const std::string key = s.string("state");
    q.index = find_term(cfg.states, key);
    if (q.index < 0)
      s.fail("state", "\"" + key + "\" is not a state of the study (" +
                          (cfg.states.empty() ? "its model follows none" : names_of(cfg.states)) +
                          ")");
    q.quarter = read_quarter(s, "at", cfg);
    q.value = s.number("value", Bounds::unit());
  }
  s.finish();
  return q;
}

}  // namespace

ResolvedQuestions read_resolved(const std::string& path, const Config& cfg) {
  ResolvedQuestions rq;
  rq.path = path;
  rq.text = detail::read_small_file(path, "resolved-questions file");
  const toml::table root = detail::parse_toml(rq.text, path);
  Section top(root, "", path);
  if (top.has("resolved")) {
    Section r = top.table("resolved");
    if (r.has("description")) rq.description = r.string("description");
    if (r.has("strategy")) {
      const std::string name = r.string("strategy");
      rq.strategy_in_force = cfg.strategy_index(name);
      if (rq.strategy_in_force < 0)
        r.fail("strategy", "\"" + name + "\" is not a strategy of the study");
    }
    r.finish();
  }
  const toml::array& arr = top.array("question");
  if (arr.empty()) top.fail("question", "at least one [[question]] is needed");
  int i = 0;
  for (const toml::node& node : arr) {
    const std::string key = "question[" + std::to_string(i++) + "]";
    const auto* t = node.as_table();
    if (t == nullptr) throw InputError(path, detail::line_of(node), key, "expected a table");
    Section s(*t, key, path);
    Question q = read_question(s, cfg);
    for (const Question& other : rq.questions)
      if (other.name == q.name) s.fail("name", "question \"" + q.name + "\" is given twice");
    rq.questions.push_back(std::move(q));
  }
  top.finish();
  return rq;
}

}  // namespace wedge
