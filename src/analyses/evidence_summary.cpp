#include "wedge/analyses/evidence_summary.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "wedge/core/quarter.hpp"

namespace wedge {

using stats::Seg;

namespace {

// The input's quantile q: its histogram in prior-CDF space (uniform inside a bin) gives u, the
// prior's quantile function the value.
double input_quantile(const Input& in, const std::uint64_t* counts, double q, double* u_out) {
  const double u =
      stats::histogram_quantile(counts, stats::kInputBins, 0.0, 1.0, false, q, 0.0, 1.0);
  if (u_out != nullptr) *u_out = u;
  return std::isnan(u) ? u : prior_quantile(in.prior, std::clamp(u, 1e-12, 1.0 - 1e-12));
}

std::vector<double> shares(const std::uint64_t* counts) {
  long double n = 0;
  for (int b = 0; b < stats::kInputBins; ++b) n += counts[b];
  std::vector<double> v;
  for (int b = 0; b < stats::kInputBins; ++b)
    v.push_back(n > 0 ? static_cast<double>(counts[b] / n) : std::nan(""));
  return v;
}

std::string fmt(double v, int prec = 3) {
  if (std::isnan(v)) return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << v;
  return os.str();
}

}  // namespace

EvidenceSummary summarize_evidence(const Config& cfg, const stats::Accumulators& acc) {
  EvidenceSummary e;
  const stats::Layout& L = acc.layout();
  if (!L.weighted) return e;
  const stats::Mass M = acc.mass();
  e.runs = acc.runs();
  e.weight_total = static_cast<double>(M.n) / kWeightScale;
  e.ess = M.ess;
  for (int p = 0; p < L.P; ++p) {
    const Input& in = cfg.inputs[static_cast<std::size_t>(p)];
    InputPosterior ip;
    ip.name = in.name;
    const auto mean = [&](int side, long double n) {
      return n > 0 ? static_cast<double>(static_cast<long double>(
                                             acc.sum(Seg::kInputSum, L.input_sum_index(side, p))) /
                                         stats::kScale / n)
                   : std::nan("");
    };
    ip.prior_mean = mean(0, static_cast<long double>(e.runs));
    ip.posterior_mean = mean(1, static_cast<long double>(M.n));
    const std::uint64_t* prior = acc.counts(Seg::kInputHist, L.input_hist_index(0, p));
    const std::uint64_t* post = acc.counts(Seg::kInputHist, L.input_hist_index(1, p));
    ip.prior_low = input_quantile(in, prior, 0.05, nullptr);
    ip.prior_high = input_quantile(in, prior, 0.95, nullptr);
    ip.posterior_low = input_quantile(in, post, 0.05, &ip.posterior_u_low);
    ip.posterior_high = input_quantile(in, post, 0.95, &ip.posterior_u_high);
    ip.prior_share = shares(prior);
    ip.posterior_share = shares(post);
    e.inputs.push_back(std::move(ip));
  }
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o)
      e.mean_before.push_back(
          e.runs > 0 ? static_cast<double>(static_cast<long double>(acc.sum(
                                               Seg::kPriorOutcomeSum, L.outcome_index(s, o))) /
                                           stats::kScale / static_cast<long double>(e.runs))
                     : std::nan(""));
  return e;
}

std::string describe_evidence(const Evidence& e, const Config& cfg) {
  std::ostringstream os;
  switch (e.kind) {
    case EvidenceKind::kEventBy:
      os << cfg.events[static_cast<std::size_t>(e.event)].term.key
         << (e.happened ? " happened" : " did not happen") << " by "
         << quarter_label(e.quarter, cfg);
      break;
    case EvidenceKind::kEventCount:
      os << cfg.events[static_cast<std::size_t>(e.event)].term.key << " " << e.count
         << (e.count == 1 ? " time" : " times") << " in " << quarter_label(e.from_quarter, cfg)
         << ".." << quarter_label(e.quarter, cfg);
      break;
    case EvidenceKind::kState:
      os << cfg.states[static_cast<std::size_t>(e.state)].key << " = " << e.value << " at "
         << quarter_label(e.quarter, cfg);
      if (cfg.weighting != Weighting::kRejection) os << " (sd " << e.sd << " on the logit scale)";
      break;
  }
  if (cfg.weighting == Weighting::kRejection) {
    if (e.kind != EvidenceKind::kEventBy) os << ", kept within " << e.tolerance;
  } else if (e.kind != EvidenceKind::kState) {
    if (e.error > 0)
      os << " (wrong with probability " << e.error << ")";
    else
      os << " (hard)";
  }
  return os.str();
}

void print_evidence(std::ostream& os, const Config& cfg, const EvidenceSummary& e,
                    const Summary& after) {
  if (cfg.evidence.empty()) {
    os << "\nno evidence: the study's runs are unweighted\n";
    return;
  }
  os << "\nevidence (" << (cfg.weighting == Weighting::kRejection ? "rejection, ABC" : "likelihood")
     << " weights), up to " << quarter_label(cfg.decision_quarter - 1, cfg) << "\n";
  for (const Evidence& ev : cfg.evidence)
    os << "  " << ev.name << ": " << describe_evidence(ev, cfg) << "\n";
  os << "effective sample size (Kish): " << fmt(e.ess, 1) << " of " << e.runs << " runs ("
     << fmt(100.0 * e.ess / static_cast<double>(std::max<std::uint64_t>(1, e.runs)), 2)
     << "%); mean weight "
     << fmt(e.weight_total / static_cast<double>(std::max<std::uint64_t>(1, e.runs)), 4) << "\n";
  os << "\ninputs: prior -> posterior (mean [5%, 95%]); posterior 90% interval in prior-CDF "
        "space\n";
  std::size_t width = 10;
  for (const auto& in : e.inputs) width = std::max(width, in.name.size() + 2);
  for (const auto& in : e.inputs)
    os << "  " << std::left << std::setw(static_cast<int>(width)) << in.name << std::right
       << fmt(in.prior_mean) << " [" << fmt(in.prior_low) << ", " << fmt(in.prior_high) << "] -> "
       << fmt(in.posterior_mean) << " [" << fmt(in.posterior_low) << ", " << fmt(in.posterior_high)
       << "]   u in [" << fmt(in.posterior_u_low, 2) << ", " << fmt(in.posterior_u_high, 2)
       << "]\n";
  os << "\nforecast before -> after the evidence (means; probabilities for 0/1 outcomes)\n";
  const std::vector<std::string> keys = key_outcomes(after.outcomes);
  os << "  " << std::left << std::setw(28) << "strategy" << std::right;
  for (const auto& k : keys) os << std::setw(24) << k;
  os << "\n";
  for (int s = 0; s < after.S; ++s) {
    if (after.S > kSummaryColumns && after.generated[static_cast<std::size_t>(s)]) continue;
    os << "  " << std::left << std::setw(28) << after.strategies[static_cast<std::size_t>(s)]
       << std::right;
    for (const auto& k : keys) {
      const int o = cfg.outcome_index(k);
      const auto i = static_cast<std::size_t>(s * after.O + o);
      os << std::setw(24) << (fmt(e.mean_before[i]) + " -> " + fmt(after.mean[i]));
    }
    os << "\n";
  }
}

}  // namespace wedge
