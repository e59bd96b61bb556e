#include "wedge/analyses/compare.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "wedge/core/error.hpp"
#include "wedge/io/results.hpp"

namespace wedge {
namespace {

constexpr double kZ95 = 1.96;

//! A, B, ... Z, then S27, S28, ...
std::string letter(std::size_t i) {
  std::ostringstream os;
  if (i < 26)
    os << static_cast<char>('A' + i);
  else
    os << 'S' << i + 1;
  return os.str();
}

std::string fixed(double v, bool sign = false) {
  if (std::isnan(v)) return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(4) << (sign ? std::showpos : std::noshowpos) << v;
  return os.str();
}

int outcome_of(const Summary& s, const std::string& name) {
  for (int o = 0; o < s.O; ++o)
    if (s.outcomes[static_cast<std::size_t>(o)] == name) return o;
  return -1;
}

int strategy_of(const Summary& s, const std::string& name) {
  for (int k = 0; k < s.S; ++k)
    if (s.strategies[static_cast<std::size_t>(k)] == name) return k;
  return -1;
}

//! (outcome name, row label) of the rows to compare.
std::vector<std::pair<std::string, std::string>> rows(const Config& cfg, bool every_outcome) {
  std::vector<std::pair<std::string, std::string>> out;
  if (every_outcome) {
    for (const auto& o : cfg.outcomes) {
      const std::string name(o.name);
      // First-event quarters are codes (-1: never); their means mean nothing. The event
      // probabilities (military_action, ceasefire) carry the same information.
      if (name.size() < 8 || name.substr(name.size() - 8) != "_quarter")
        out.emplace_back(name, name);
    }
    return out;
  }
  for (const auto& k : key_probabilities())
    if (cfg.outcome_index(k.name) >= 0) out.emplace_back(k.name, k.label);
  for (const auto& k : key_means())
    if (cfg.outcome_index(k.name) >= 0) out.emplace_back(k.name, k.label);
  if (out.empty())  // another model: each of its outcomes
    for (const auto& o : cfg.outcomes) out.emplace_back(o.name, o.name);
  return out;
}

//! Strategies of the first study that every study has, in the first study's order.
std::vector<std::string> shared_strategies(const std::vector<Study>& studies) {
  std::vector<std::string> shared;
  for (const auto& name : studies[0].summary.strategies)
    if (std::all_of(studies.begin(), studies.end(),
                    [&](const Study& st) { return strategy_of(st.summary, name) >= 0; }))
      shared.push_back(name);
  return shared;
}

void print_header(std::ostream& os, const std::vector<Study>& studies) {
  os << "comparison of " << studies.size()
     << " studies: each strategy's key outcomes in every study, and the difference from study A "
        "with its 95% interval\n(independent studies: difference +- 1.96 sqrt(se_A^2 + se_X^2), "
        "se the Monte Carlo standard error of each mean)\n";
  for (std::size_t i = 0; i < studies.size(); ++i) {
    const auto& st = studies[i];
    os << "  " << letter(i) << "  " << st.path << ": study " << st.config.name << ", "
       << st.summary.runs << " runs, seed " << st.config.seed << ", created " << st.created << "\n";
  }
  for (std::size_t i = 1; i < studies.size(); ++i) {
    if (studies[i].config.seed == studies[0].config.seed)
      os << "note: " << letter(i)
         << " has A's seed, so their runs share random numbers: the two errors are correlated "
            "and the interval is only approximate (usually too wide)\n";
    if (studies[i].config.quarters != studies[0].config.quarters)
      os << "note: " << letter(i) << " has " << studies[i].config.quarters << " quarters, A "
         << studies[0].config.quarters << ": outcomes at the horizon are at different dates\n";
  }
}

void print_missing(std::ostream& os, const std::vector<Study>& studies,
                   const std::vector<std::string>& shared) {
  for (std::size_t i = 0; i < studies.size(); ++i) {
    std::string only;
    for (const auto& name : studies[i].summary.strategies)
      if (std::find(shared.begin(), shared.end(), name) == shared.end()) only += " " + name;
    if (!only.empty()) os << "not in every study, left out: " << letter(i) << ":" << only << "\n";
  }
}

void print_strategy(std::ostream& os, const std::vector<Study>& studies, const std::string& name,
                    bool every_outcome) {
  constexpr int kLabel = 32, kValue = 11, kDiff = 30;
  os << "\n" << name << "\n" << std::left << std::setw(kLabel) << "  outcome";
  for (std::size_t i = 0; i < studies.size(); ++i)
    os << std::right << std::setw(kValue) << letter(i);
  for (std::size_t i = 1; i < studies.size(); ++i)
    os << std::right << std::setw(kDiff) << (letter(i) + " - A [95% interval]");
  os << "\n";
  for (const auto& [outcome, label] : rows(studies[0].config, every_outcome)) {
    os << std::left << std::setw(kLabel) << ("  " + label);
    std::vector<double> mean, se;
    for (const auto& st : studies) {
      const int o = outcome_of(st.summary, outcome), k = strategy_of(st.summary, name);
      mean.push_back(st.summary.at(st.summary.mean, k, o));
      se.push_back(st.summary.at(st.summary.mcse, k, o));
      os << std::right << std::setw(kValue) << fixed(mean.back());
    }
    for (std::size_t i = 1; i < studies.size(); ++i) {
      const auto d = independent_difference(mean[0], se[0], mean[i], se[i]);
      os << std::right << std::setw(kDiff)
         << (fixed(d.d, true) + " [" + fixed(d.lo, true) + ", " + fixed(d.hi, true) + "]");
    }
    os << "\n";
  }
}

void print_config_diffs(std::ostream& os, const std::vector<Study>& studies) {
  for (std::size_t i = 1; i < studies.size(); ++i) {
    const std::string diff =
        unified_diff(studies[0].config.text, studies[i].config.text,
                     "A: " + studies[0].path + " (embedded configuration)",
                     letter(i) + ": " + studies[i].path + " (embedded configuration)");
    os << "\nconfiguration of " << letter(i) << " against A: "
       << (diff.empty() ? "identical" : "unified diff of the embedded configurations") << "\n"
       << diff;
  }
}

// ---- line diff ---------------------------------------------------------------------------

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

//! The edit script of a longest common subsequence: ' ' keep, '-' delete from a, '+' add from b.
std::vector<std::pair<char, std::string>> edit_script(const std::vector<std::string>& a,
                                                      const std::vector<std::string>& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<std::pair<char, std::string>> script;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.emplace_back(' ', a[i++]), ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
      script.emplace_back('+', b[j++]);
    } else {
      script.emplace_back('-', a[i++]);
    }
  }
  return script;
}

//! "start,count" of a hunk side as diff -u writes it (an empty side starts one line earlier).
std::string hunk_range(std::size_t first, std::size_t count) {
  const std::size_t start = count == 0 ? first : first + 1;
  return count == 1 ? std::to_string(start) : std::to_string(start) + "," + std::to_string(count);
}

}  // namespace

std::vector<Study> load_studies(const std::vector<std::string>& paths) {
  std::vector<Study> studies;
  for (const auto& path : paths) {
    auto r = io::read_results(path);
    Summary s = summarize(r.config, r.acc);
    studies.push_back({path, std::move(r.config), std::move(s), r.prov.created});
  }
  return studies;
}

Difference independent_difference(double mean_a, double se_a, double mean_b, double se_b) {
  const double d = mean_b - mean_a, half = kZ95 * std::sqrt(se_a * se_a + se_b * se_b);
  return {d, d - half, d + half};
}

void print_study_comparison(std::ostream& os, const std::vector<Study>& studies,
                            bool every_outcome) {
  const auto shared = shared_strategies(studies);
  if (shared.empty())
    throw InputError(studies.back().path, 0, "strategy",
                     "no strategy (by name) is in every study compared with " + studies[0].path +
                         ": nothing to compare");
  print_header(os, studies);
  print_missing(os, studies, shared);
  for (const auto& name : shared) print_strategy(os, studies, name, every_outcome);
  print_config_diffs(os, studies);
  os.flush();
}

std::string unified_diff(const std::string& a, const std::string& b, const std::string& name_a,
                         const std::string& name_b) {
  if (a == b) return "";
  constexpr std::size_t kContext = 3;
  const auto script = edit_script(split_lines(a), split_lines(b));
  std::ostringstream os;
  os << "--- " << name_a << "\n+++ " << name_b << "\n";
  std::size_t k = 0;
  std::size_t line_a = 0, line_b = 0;  // lines of a and b before script[k]
  while (k < script.size()) {
    // The next change c and the hunk around it: changes at most 2 x context apart share one.
    std::size_t c = k;
    while (c < script.size() && script[c].first == ' ') ++c;
    if (c == script.size()) break;
    const std::size_t start = c - std::min(kContext, c - k);
    for (std::size_t s = k; s < start; ++s) ++line_a, ++line_b;
    std::size_t last = c;
    for (std::size_t s = c + 1; s < script.size(); ++s) {
      if (script[s].first == ' ') continue;
      if (s - last - 1 > 2 * kContext) break;
      last = s;
    }
    const std::size_t end = std::min(script.size(), last + 1 + kContext);
    std::size_t na = 0, nb = 0;
    for (std::size_t s = start; s < end; ++s) {
      na += script[s].first != '+';
      nb += script[s].first != '-';
    }
    os << "@@ -" << hunk_range(line_a, na) << " +" << hunk_range(line_b, nb) << " @@\n";
    for (std::size_t s = start; s < end; ++s) os << script[s].first << script[s].second << "\n";
    line_a += na, line_b += nb;
    k = end;
  }
  return os.str();
}

}  // namespace wedge
