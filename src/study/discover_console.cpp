// The discovery in words (include/wedge/study/discover.hpp).
#include <cmath>
#include <cstdio>
#include <string>

#include "wedge/study/discover.hpp"

namespace wedge {
namespace {

std::string num(double x) {
  if (std::abs(x) >= 1e300) return x < 0 ? "-inf" : "inf";  // an unbounded prior's open end
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}
std::string pct(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * x);
  return buf;
}
double ratio(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

// "x1 between 0.2 and 0.6", "x2 above 0.5", "x3 below 0.4".
std::string limit_words(const io::DiscoveryFile& d, const prim::Box& b, int k) {
  const auto K = static_cast<std::size_t>(k);
  const double lo = d.edges[K][b.lo[K]], hi = d.edges[K][b.hi[K]];
  const bool has_lo = b.lo[K] > 0, has_hi = b.hi[K] < prim::kBins;
  // Built with append: GCC 12 warns (falsely, -Wrestrict) on chained operator+ here.
  std::string s = d.inputs[K];
  if (has_lo && has_hi)
    return s.append(" between ").append(num(lo)).append(" and ").append(num(hi));
  if (has_lo) return s.append(" above ").append(num(lo));
  return s.append(" below ").append(num(hi));
}

std::string restrictions(const io::DiscoveryFile& d, const prim::Box& b) {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < d.inputs.size(); ++k)
    if (b.restricted(static_cast<int>(k))) parts.push_back(limit_words(d, b, static_cast<int>(k)));
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i)
    s.append(i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ").append(parts[i]);
  return s;
}

}  // namespace

void print_discovery(std::ostream& os, const io::DiscoveryFile& d) {
  const prim::Result& r = d.result;
  os << "Scenario discovery (PRIM) on " << d.source << ": where " << d.condition << "\n"
     << "the condition holds in " << r.hits << " of " << r.runs << " runs ("
     << pct(ratio(r.hits, r.runs)) << "); box choice: " << d.choice << "\n";
  for (std::size_t b = 0; b < r.boxes.size(); ++b) {
    const prim::FoundBox& fb = r.boxes[b];
    const prim::Step& s = fb.box;
    os << "\nBox " << b + 1 << (b > 0 ? " (among the runs no earlier box holds)" : "") << ": ";
    if (s.box.restrictions() == 0) {
      os << "no box concentrates the runs where the condition holds beyond their share of "
            "all runs; PRIM found nothing to restrict.\n";
      continue;
    }
    os << d.condition_words << " holds in " << pct(ratio(s.hits, s.runs)) << " of the runs with "
       << restrictions(d, s.box) << "; these runs are " << pct(ratio(s.runs, r.runs))
       << " of all and hold " << pct(ratio(s.hits, r.hits)) << " of the runs where it holds.\n";
    os << "  step " << fb.chosen << " of " << fb.peel.size() - 1 << " peels, then "
       << fb.paste.size() << " pastes; " << s.runs << " runs, " << s.hits << " hits\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-28s %-26s %-24s %10s %9s\n", "input", "limits",
                  "prior range", "quasi-p", "stability");
    os << line;
    for (std::size_t k = 0; k < d.inputs.size(); ++k) {
      if (!s.box.restricted(static_cast<int>(k))) continue;
      const auto interval = [](double from, double to, const char* close) {
        return std::string("[").append(num(from)).append(", ").append(num(to)).append(close);
      };
      const std::string lim = interval(d.edges[k][s.box.lo[k]], d.edges[k][s.box.hi[k]], ")");
      const std::string prior = interval(d.edges[k].front(), d.edges[k].back(), "]");
      std::snprintf(line, sizeof line, "  %-28s %-26s %-24s %10.2g %9s\n", d.inputs[k].c_str(),
                    lim.c_str(), prior.c_str(), fb.p_value[k],
                    d.controls.resamples > 0 ? pct(fb.stability[k]).c_str() : "-");
      os << line;
    }
    for (std::size_t k = 0; k < d.inputs.size(); ++k)
      if (!s.box.restricted(static_cast<int>(k)) && d.controls.resamples > 0 &&
          fb.stability[k] >= 0.5)
        os << "  (" << d.inputs[k] << " is not restricted here but is on " << pct(fb.stability[k])
           << " of the half-samples)\n";
  }
}

}  // namespace wedge
