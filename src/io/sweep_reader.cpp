#include "io/sweep_reader.hpp"

#include <boost/random/sobol.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "io/toml_reader.hpp"
#include "wedge/core/error.hpp"

namespace wedge::detail {
namespace {

// Generated lever values are rounded to this many decimals, so that a name spells its levers
// exactly and two samples that round alike are found as duplicates.
constexpr double kLeverQuantum = 1e4;
// A grid or sample larger than this is refused before anything is built (the strategy limit
// itself is checked once all sweeps are read).
constexpr std::int64_t kMaxSweepSize = 1000000;

struct Swept {
  int lever = 0;
  double lo = 0, hi = 0;
  int steps = 0;  // grid only
};

double round_lever(double v) { return std::round(v * kLeverQuantum) / kLeverQuantum; }

// The shortest of 2, 3 or 4 decimals that spells v (already rounded to 4) exactly.
std::string lever_text(double v) {
  char buf[32];
  for (int digits = 2;; ++digits) {
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
    const std::string s(buf, r.ptr);
    if (digits == 4 || std::stod(s) == v) return s;
  }
}

// The swept levers, in the model's lever order (stable names whatever the order in the file).
std::vector<Swept> read_levers(Section& s, const Config& c) {
  Section levers = s.table("levers");
  std::vector<Swept> out;
  for (int l = 0; l < static_cast<int>(c.levers.size()); ++l) {
    const std::string key(c.levers[static_cast<std::size_t>(l)].key);
    if (!levers.has(key)) continue;
    const toml::array& range = levers.array(key);
    if (range.size() != 2 || !range[0].is_number() || !range[1].is_number())
      levers.fail_at(range, key, "expected [lower, upper], two numbers in [0, 1]");
    Swept w;
    w.lever = l;
    w.lo = range[0].value<double>().value_or(NAN);
    w.hi = range[1].value<double>().value_or(NAN);
    if (!(w.lo >= 0.0 && w.hi <= 1.0 && w.lo <= w.hi))
      levers.fail_at(range, key, "the range must lie in [0, 1] with lower <= upper");
    out.push_back(w);
  }
  levers.finish();  // an unknown lever is an unknown key here
  if (out.empty()) s.fail("levers", "name at least one lever to vary");
  return out;
}

// Grid steps: one integer for every lever, or a table of one per lever.
void read_steps(Section& s, const Config& c, std::vector<Swept>& levers) {
  if (!s.is_table("steps")) {
    const auto n = static_cast<int>(s.integer("steps", 1, 10000));
    for (auto& w : levers) w.steps = n;
  } else {
    Section steps = s.table("steps");
    for (auto& w : levers)
      w.steps = static_cast<int>(
          steps.integer(c.levers[static_cast<std::size_t>(w.lever)].key, 1, 10000));
    steps.finish();
  }
  for (const auto& w : levers)
    if (w.steps == 1 && w.lo != w.hi)
      s.fail("steps", "one step needs a range of one value ([x, x]) for lever " +
                          std::string(c.levers[static_cast<std::size_t>(w.lever)].key));
}

// The points of the design, each a value per swept lever.
std::vector<std::vector<double>> grid_points(Section& s, const std::vector<Swept>& levers) {
  std::int64_t total = 1;
  for (const auto& w : levers) {
    total *= w.steps;
    if (total > kMaxSweepSize) s.fail("steps", "the grid has more than a million points");
  }
  std::vector<std::vector<double>> pts;
  std::vector<int> idx(levers.size(), 0);
  for (std::int64_t k = 0; k < total; ++k) {
    std::vector<double> p;
    for (std::size_t j = 0; j < levers.size(); ++j) {
      const auto& w = levers[j];
      p.push_back(w.steps == 1 ? w.lo : w.lo + (w.hi - w.lo) * idx[j] / (w.steps - 1));
    }
    pts.push_back(p);
    for (std::size_t j = levers.size(); j-- > 0;) {  // the last lever varies fastest
      if (++idx[j] < levers[j].steps) break;
      idx[j] = 0;
    }
  }
  return pts;
}

double unit(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1p-53; }

// Latin hypercube: each lever's range cut into `size` strata, one point in each, the strata
// permuted independently per lever (Fisher-Yates on a seeded mt19937_64: same seed, same sample).
std::vector<std::vector<double>> lhs_points(const std::vector<Swept>& levers, int size,
                                            std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::vector<std::vector<double>> pts(static_cast<std::size_t>(size));
  for (const auto& w : levers) {
    std::vector<int> perm(static_cast<std::size_t>(size));
    for (int i = 0; i < size; ++i) perm[static_cast<std::size_t>(i)] = i;
    for (int i = size - 1; i > 0; --i) {
      const auto j = static_cast<int>(unit(g) * (i + 1));
      std::swap(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(j)]);
    }
    for (int i = 0; i < size; ++i) {
      const double u = (perm[static_cast<std::size_t>(i)] + unit(g)) / size;
      pts[static_cast<std::size_t>(i)].push_back(w.lo + (w.hi - w.lo) * u);
    }
  }
  return pts;
}

// Sobol' points (Boost.Random, Joe-Kuo directions), the first `size` of the sequence,
// unscrambled: the same sample every time.
std::vector<std::vector<double>> sobol_points(Section& s, const std::vector<Swept>& levers,
                                              int size) {
  if (levers.size() > 1000) s.fail("levers", "Sobol' sweeps take at most 1000 levers");
  boost::random::sobol gen(static_cast<unsigned>(levers.size()));
  std::vector<std::vector<double>> pts;
  for (int i = 0; i < size; ++i) {
    std::vector<double> p;
    for (const auto& w : levers)
      p.push_back(w.lo + (w.hi - w.lo) * static_cast<double>(gen()) * 0x1p-64);
    pts.push_back(p);
  }
  return pts;
}

void read_sweep(Section& s, Config& c, std::set<std::string>& names) {
  const std::string base_name = s.string("base");
  const int base = c.strategy_index(base_name);
  if (base < 0 || c.strategies[static_cast<std::size_t>(base)].generated)
    s.fail("base", "\"" + base_name + "\" names no [[strategy]]");
  std::vector<Swept> levers = read_levers(s, c);
  const std::string design = s.choice("design", {"grid", "latin_hypercube", "sobol"});
  std::vector<std::vector<double>> pts;
  if (design == "grid") {
    read_steps(s, c, levers);
    pts = grid_points(s, levers);
  } else {
    const auto size = static_cast<int>(s.integer("size", 1, kMaxSweepSize));
    if (design == "latin_hypercube") {
      const auto seed =
          s.has("seed") ? static_cast<std::uint64_t>(s.integer("seed", 0, INT64_MAX)) : c.seed;
      pts = lhs_points(levers, size, seed);
    } else {
      pts = sobol_points(s, levers, size);
    }
  }
  if (static_cast<std::int64_t>(c.strategies.size() + pts.size()) > c.max_strategies)
    s.fail(design == "grid" ? "steps" : "size",
           "this sweep makes " + std::to_string(c.strategies.size() + pts.size()) +
               " strategies, above the limit of " + std::to_string(c.max_strategies) +
               " (raise [study] max_strategies to allow more)");
  const Strategy proto = c.strategies[static_cast<std::size_t>(base)];
  for (const auto& p : pts) {
    Strategy st = proto;
    st.generated = true;
    st.name = proto.name;
    st.description = "swept from " + proto.name;
    for (std::size_t j = 0; j < levers.size(); ++j) {
      const double v = round_lever(p[j]);
      st.levers[static_cast<std::size_t>(levers[j].lever)] = v;
      st.name.append("+")
          .append(c.levers[static_cast<std::size_t>(levers[j].lever)].key)
          .append("=")
          .append(lever_text(v));
    }
    if (!names.insert(st.name).second)
      s.fail(design == "grid" ? "steps" : "size",
             "two strategies would be named \"" + st.name +
                 "\" (a sweep repeats a point of its own or of another sweep)");
    c.strategies.push_back(std::move(st));
  }
  if (c.sweep_base < 0) c.sweep_base = base;
}

}  // namespace

void check_strategy_limit(const Config& c, int line) {
  if (c.num_strategies() > c.max_strategies)
    throw InputError(c.path, line, "strategy",
                     std::to_string(c.num_strategies()) + " strategies, above the limit of " +
                         std::to_string(c.max_strategies) +
                         " (raise [study] max_strategies to allow more)");
}

void read_sweeps(const toml::array& arr, Config& c) {
  if (c.levers.empty())
    throw InputError(c.path, line_of(arr), "sweep", "this model has no levers to sweep");
  std::set<std::string> names;
  for (const auto& st : c.strategies) names.insert(st.name);
  int i = 0;
  for (const toml::node& node : arr) {
    const std::string key = "sweep[" + std::to_string(i++) + "]";
    auto t = node.as_table();
    if (!t) throw InputError(c.path, line_of(node), key, "expected a table");
    Section s(*t, key, c.path);
    read_sweep(s, c, names);
    s.finish();
  }
}

}  // namespace wedge::detail
