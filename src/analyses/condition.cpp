#include "wedge/analyses/condition.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "wedge/core/error.hpp"

namespace wedge::discovery {
namespace {

[[noreturn]] void fail(const std::string& text, std::size_t at, const std::string& msg) {
  throw InputError("command line", 0, "--where",
                   msg + " (in '" + text + "' at character " + std::to_string(at + 1) + ")");
}

// A small hand-written scanner: names, '@', numbers and the comparison operators.
class Parser {
 public:
  Parser(const std::string& text, const Config& cfg) : s_(text), cfg_(cfg) {}

  RunCondition parse() {
    RunCondition c;
    c.text = s_;
    skip();
    if (pos_ == s_.size()) fail(s_, 0, "the condition is empty; e.g. 'split@conciliation'");
    c.lhs = operand();
    skip();
    if (pos_ == s_.size()) {
      if (c.lhs.kind != Operand::Kind::kOutcome ||
          cfg_.outcomes[static_cast<std::size_t>(c.lhs.outcome)].kind != OutcomeKind::kBinary)
        fail(s_, pos_,
             "a condition without a comparison needs a 0/1 outcome; compare this one with a "
             "number, e.g. '" +
                 s_ + " > 0.5'");
      return c;
    }
    const std::size_t op_at = pos_;
    c.op = op();
    skip();
    if (pos_ == s_.size()) fail(s_, pos_, "the comparison needs a right-hand side");
    c.rhs = operand();
    skip();
    if (pos_ != s_.size()) fail(s_, pos_, "unexpected '" + s_.substr(pos_) + "'");
    if (c.lhs.kind == Operand::Kind::kNumber && c.rhs.kind == Operand::Kind::kNumber)
      fail(s_, op_at, "compares two numbers; name an outcome as OUTCOME@STRATEGY");
    return c;
  }

 private:
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  static bool name_char(char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-';
  }
  std::string name() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  Operand operand() {
    Operand o;
    const std::size_t start = pos_;
    const char ch = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '-' || ch == '+' || ch == '.') {
      const char* begin = s_.c_str() + pos_;
      char* end = nullptr;
      o.number = std::strtod(begin, &end);
      if (end == begin || !std::isfinite(o.number)) fail(s_, start, "expected a finite number");
      pos_ += static_cast<std::size_t>(end - begin);
      return o;
    }
    if (!std::isalpha(static_cast<unsigned char>(ch)) && ch != '_')
      fail(s_, start, "expected OUTCOME@STRATEGY, regret@STRATEGY or a number");
    const std::string out = name();
    skip();
    if (pos_ >= s_.size() || s_[pos_] != '@')
      fail(s_, pos_, "expected '@' and a strategy after '" + out + "' (OUTCOME@STRATEGY)");
    ++pos_;
    skip();
    const std::size_t strat_at = pos_;
    const std::string strat = name();
    if (strat.empty()) fail(s_, strat_at, "expected a strategy after '@'");
    o.strategy = strategy_index(strat);
    if (o.strategy < 0)
      fail(s_, strat_at, "'" + strat + "' is not a strategy of the study " + list_strategies());
    o.outcome = cfg_.outcome_index(out);
    if (o.outcome >= 0) {
      o.kind = Operand::Kind::kOutcome;
    } else if (out == "regret") {
      o.kind = Operand::Kind::kRegret;
      o.outcome = cfg_.payoff;
    } else {
      fail(s_, start, "'" + out + "' is not an outcome of the model (nor 'regret')");
    }
    return o;
  }

  int strategy_index(const std::string& name) const {
    for (int s = 0; s < cfg_.num_strategies(); ++s)
      if (cfg_.strategies[static_cast<std::size_t>(s)].name == name) return s;
    return -1;
  }
  std::string list_strategies() const {
    std::string v = "(";
    for (const auto& s : cfg_.strategies) v += (v.size() > 1 ? ", " : "") + s.name;
    return v + ")";
  }

  Op op() {
    static const std::pair<const char*, Op> ops[] = {
        {"<=", Op::kLessEqual}, {">=", Op::kGreaterEqual}, {"==", Op::kEqual},
        {"!=", Op::kNotEqual},  {"<", Op::kLess},          {">", Op::kGreater}};
    for (const auto& [text, op] : ops) {
      const std::string t(text);
      if (s_.compare(pos_, t.size(), t) == 0) {
        pos_ += t.size();
        return op;
      }
    }
    fail(s_, pos_, "expected a comparison (<, <=, >, >=, ==, !=) or the end");
  }

  const std::string& s_;
  const Config& cfg_;
  std::size_t pos_ = 0;
};

double value_of(const Operand& o, const double* v, int S) {
  switch (o.kind) {
    case Operand::Kind::kNumber: return o.number;
    case Operand::Kind::kOutcome: return v[o.slot * S + o.strategy];
    case Operand::Kind::kRegret: {
      const double* row = v + o.slot * S;
      double best = row[0];
      for (int s = 1; s < S; ++s) best = std::max(best, row[s]);
      return best - row[o.strategy];
    }
  }
  return 0.0;
}

std::string operand_words(const Operand& o, const Config& cfg) {
  std::ostringstream os;
  switch (o.kind) {
    case Operand::Kind::kNumber: os << o.number; break;
    case Operand::Kind::kOutcome:
      os << cfg.outcomes[static_cast<std::size_t>(o.outcome)].name << " under "
         << cfg.strategies[static_cast<std::size_t>(o.strategy)].name;
      break;
    case Operand::Kind::kRegret:
      os << "the regret of " << cfg.strategies[static_cast<std::size_t>(o.strategy)].name;
      break;
  }
  return os.str();
}

}  // namespace

std::vector<int> RunCondition::outcomes() const {
  std::vector<int> v;
  for (const Operand* o : {&lhs, &rhs})
    if (o->kind != Operand::Kind::kNumber && (o == &lhs || op != Op::kTrue) &&
        std::find(v.begin(), v.end(), o->outcome) == v.end())
      v.push_back(o->outcome);
  return v;
}

RunCondition parse_condition(const std::string& text, const Config& cfg) {
  RunCondition c = Parser(text, cfg).parse();
  const std::vector<int> slots = c.outcomes();
  for (Operand* o : {&c.lhs, &c.rhs})
    if (o->kind != Operand::Kind::kNumber)
      o->slot = static_cast<int>(std::find(slots.begin(), slots.end(), o->outcome) - slots.begin());
  return c;
}

bool holds(const RunCondition& c, const double* values, int strategies) {
  const double a = value_of(c.lhs, values, strategies);
  if (c.op == Op::kTrue) return a != 0.0 && !std::isnan(a);
  const double b = value_of(c.rhs, values, strategies);
  switch (c.op) {
    case Op::kLess: return a < b;
    case Op::kLessEqual: return a <= b;
    case Op::kGreater: return a > b;
    case Op::kGreaterEqual: return a >= b;
    case Op::kEqual: return a == b;
    case Op::kNotEqual: return a != b && !std::isnan(a) && !std::isnan(b);
    case Op::kTrue: break;
  }
  return false;
}

std::string describe(const RunCondition& c, const Config& cfg) {
  if (c.op == Op::kTrue) return operand_words(c.lhs, cfg);
  static const char* words[] = {"", "<", "<=", ">", ">=", "=", "!="};
  return operand_words(c.lhs, cfg) + " " + words[static_cast<int>(c.op)] + " " +
         operand_words(c.rhs, cfg);
}

}  // namespace wedge::discovery
