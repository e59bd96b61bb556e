#include "io/evidence_write.hpp"

#include "wedge/analyses/evidence_summary.hpp"
#include "wedge/core/quarter.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {

namespace {

std::string_view kind_name(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::kEventBy: return "event_by";
    case EvidenceKind::kEventCount: return "event_count";
    case EvidenceKind::kState: return "state";
  }
  return "?";
}

void write_items(hid_t g, const Config& cfg) {
  std::vector<std::string> names, kinds, specs, descriptions, sources;
  std::vector<double> from, to;
  for (const Evidence& e : cfg.evidence) {
    names.push_back(e.name);
    kinds.emplace_back(kind_name(e.kind));
    specs.push_back(describe_evidence(e, cfg));
    descriptions.push_back(e.description);
    sources.push_back(e.source);
  }
  h5::dim_strings(g, "item", names);
  h5::var_strings(g, "kind", {"item"}, kinds, "event_by, event_count or state");
  h5::var_strings(g, "observation", {"item"}, specs, "what was observed, in words");
  h5::var_strings(g, "description", {"item"}, descriptions, "the analyst's description");
  h5::var_strings(g, "source", {"item"}, sources, "the analyst's source of the observation");
}

}  // namespace

void write_evidence(hid_t file, const Config& cfg, const stats::Accumulators& acc, double offset) {
  if (!acc.layout().weighted) return;
  const EvidenceSummary e = summarize_evidence(cfg, acc);
  h5::Id g = h5::create_group(file, "evidence");
  h5::attr_string(g, "method",
                  cfg.weighting == Weighting::kRejection
                      ? "rejection (ABC): weight 1 within every tolerance, else 0"
                      : "likelihood: weight = product of the items' likelihoods");
  h5::attr_string(g, "decision_quarter", quarter_label(cfg.decision_quarter, cfg));
  h5::attr_uint(g, "runs", e.runs);
  h5::attr_double(g, "weight_total", e.weight_total);
  h5::attr_double(g, "effective_sample_size", e.ess);
  h5::attr_double(g, "weight_unit", 1.0 / kWeightScale);
  h5::attr_double(g, "log_likelihood_offset", offset);
  write_items(g, cfg);
  std::vector<std::string> inputs;
  for (const Input& in : cfg.inputs) inputs.push_back(in.name);
  h5::dim_strings(g, "input", inputs);
  std::vector<double> lower;
  for (int b = 0; b < stats::kInputBins; ++b)
    lower.push_back(static_cast<double>(b) / stats::kInputBins);
  h5::dim_doubles(g, "cdf_bin", lower, "lower edge of the bin in prior-CDF space", "1");
  std::vector<double> pm, qm, pl, ph, ql, qh, ps, qs;
  for (const InputPosterior& in : e.inputs) {
    pm.push_back(in.prior_mean), qm.push_back(in.posterior_mean);
    pl.push_back(in.prior_low), ph.push_back(in.prior_high);
    ql.push_back(in.posterior_low), qh.push_back(in.posterior_high);
    ps.insert(ps.end(), in.prior_share.begin(), in.prior_share.end());
    qs.insert(qs.end(), in.posterior_share.begin(), in.posterior_share.end());
  }
  h5::var_doubles(g, "prior_mean", {"input"}, pm, "mean of the input over the runs", "");
  h5::var_doubles(g, "posterior_mean", {"input"}, qm, "weighted mean of the input", "");
  h5::var_doubles(g, "prior_low", {"input"}, pl, "5% quantile of the input over the runs", "");
  h5::var_doubles(g, "prior_high", {"input"}, ph, "95% quantile of the input over the runs", "");
  h5::var_doubles(g, "posterior_low", {"input"}, ql, "5% quantile of the weighted input", "");
  h5::var_doubles(g, "posterior_high", {"input"}, qh, "95% quantile of the weighted input", "");
  h5::var_doubles(g, "prior_share", {"input", "cdf_bin"}, ps,
                  "share of the runs whose input falls in the bin of its prior's percentiles", "1");
  h5::var_doubles(g, "posterior_share", {"input", "cdf_bin"}, qs,
                  "share of the weight whose input falls in the bin of its prior's percentiles",
                  "1");
  std::vector<std::string> strategies, outcomes;
  for (const auto& s : cfg.strategies) strategies.push_back(s.name);
  for (const auto& o : cfg.outcomes) outcomes.push_back(o.name);
  h5::dim_strings(g, "strategy", strategies);
  h5::dim_strings(g, "outcome", outcomes);
  h5::var_doubles(g, "mean_before", {"strategy", "outcome"}, e.mean_before,
                  "mean outcome over the runs, unweighted: the forecast before the evidence "
                  "(after it: the root `mean`)",
                  "");
}

}  // namespace wedge::io
