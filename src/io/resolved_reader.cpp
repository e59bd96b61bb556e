#include "wedge/io/resolved_reader.hpp"

#include "io/study_keys.hpp"
#include "io/toml_reader.hpp"
#include "wedge/core/error.hpp"

namespace wedge {
namespace {

using detail::Section;

Question read_question(Section& s, const Config& cfg) {
  Question q;
  q.name = s.string("name");
  q.description = s.has("description") ? s.string("description") : std::string();
  q.source = s.has("source") ? s.string("source") : std::string();
  const bool event = s.has("event"), state = s.has("state");
  if (event == state) s.fail("event", "a question names either an 'event' or a 'state'");
  if (event) {
    q.kind = QuestionKind::kEvent;
    q.index = detail::read_event(s, "event", cfg);
    q.quarter = detail::read_quarter(s, "by", cfg);
    q.happened = s.boolean("happened");
  } else {
    q.kind = QuestionKind::kState;
    q.index = detail::read_state(s, "state", cfg);
    q.quarter = detail::read_quarter(s, "at", cfg);
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
