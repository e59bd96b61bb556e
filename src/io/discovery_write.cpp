// The discovery file (include/wedge/io/discovery.hpp; docs/output-format.md, section 20).
#include <cmath>
#include <cstdio>

#include "wedge/io/discovery.hpp"
#include "wedge/io/file_checksum.hpp"
#include "wedge/io/results.hpp"
#include "wedge/version.hpp"

namespace wedge::io {
namespace {

using h5::Id;
using prim::kBins;

const char* objective_name(prim::Objective o) {
  switch (o) {
    case prim::Objective::kLenient1: return "lenient1";
    case prim::Objective::kLenient2: return "lenient2";
    case prim::Objective::kOriginal: return "original";
  }
  return "?";
}

void write_attributes(hid_t f, const DiscoveryFile& d) {
  h5::attr_string(f, "filetype", kDiscoveryFileType);
  h5::attr_int(f, "format_version", kDiscoveryFormatVersion);
  h5::attr_string(f, "Conventions", "wedge-1 (netCDF-4 dimensions)");
  h5::attr_string(f, "title", "scenario discovery (PRIM): " + d.condition);
  h5::attr_string(f, "condition", d.condition);
  h5::attr_string(f, "condition_words", d.condition_words);
  h5::attr_string(f, "source", d.source);
  h5::attr_string(f, "config", d.config_text);
  h5::attr_uint(f, "seed", d.seed);
  h5::attr_uint(f, "runs", d.result.runs);
  h5::attr_uint(f, "hits", d.result.hits);
  h5::attr_double(f, "peel_alpha", d.controls.peel_alpha);
  h5::attr_double(f, "paste_alpha", d.controls.paste_alpha);
  h5::attr_double(f, "mass_min", d.controls.mass_min);
  h5::attr_string(f, "objective", objective_name(d.controls.objective));
  h5::attr_int(f, "boxes_requested", d.controls.boxes);
  h5::attr_int(f, "resamples", d.controls.resamples);
  h5::attr_string(f, "box_choice", d.choice);
  h5::attr_int(f, "bins", kBins);
  // Provenance: the only attributes that differ between runs of the same discovery.
  h5::attr_string(f, "created", d.created);
  h5::attr_string(f, "wedge_version", std::string(kVersion) + " (git " + kGitSha + ")");
  h5::attr_int(f, "mpi_ranks", d.ranks);
  h5::attr_int(f, "omp_threads", d.threads);
  h5::attr_double(f, "wall_seconds", d.wall_seconds);
  h5::attr_string(
      f, "history",
      history_line(d.created, "discover " + d.source + " --where '" + d.condition + "'"));
}

// Per-input limits of boxes in bins and in the inputs' units.
struct LimitTable {
  std::vector<std::uint64_t> lo_bin, hi_bin;
  std::vector<double> lo, hi;
  void add(const prim::Box& b, const DiscoveryFile& d) {
    for (std::size_t k = 0; k < b.lo.size(); ++k) {
      lo_bin.push_back(b.lo[k]), hi_bin.push_back(b.hi[k]);
      lo.push_back(d.edges[k][b.lo[k]]), hi.push_back(d.edges[k][b.hi[k]]);
    }
  }
  void write(hid_t f, const std::string& prefix, const std::string& dim) const {
    const std::vector<std::string> dims = {dim, "input"};
    h5::var_doubles(f, prefix + "lower", dims, lo, "lower limit of each input (inclusive)",
                    "input's units");
    h5::var_doubles(f, prefix + "upper", dims, hi, "upper limit of each input (exclusive)",
                    "input's units");
    h5::var_uints(f, prefix + "lower_bin", dims, lo_bin,
                  "first bin of each input in the box (0 .. bins - 1)", "1");
    h5::var_uints(f, prefix + "upper_bin", dims, hi_bin,
                  "one past the last bin of each input in the box (1 .. bins)", "1");
  }
};

double ratio(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? std::nan("") : static_cast<double>(a) / static_cast<double>(b);
}

void write_inputs(hid_t f, const DiscoveryFile& d) {
  h5::dim_strings(f, "input", d.inputs);
  h5::var_strings(f, "input_long_name", {"input"}, d.long_names, "what each input measures");
  h5::var_strings(f, "input_units", {"input"}, d.units, "units of each input");
  std::vector<std::uint64_t> peel;
  std::vector<double> lower, upper, edges;
  for (std::size_t k = 0; k < d.inputs.size(); ++k) {
    peel.push_back(d.peelable[k] ? 1 : 0);
    lower.push_back(d.edges[k].front()), upper.push_back(d.edges[k].back());
    edges.insert(edges.end(), d.edges[k].begin(), d.edges[k].end());
  }
  h5::var_uints(f, "input_peelable", {"input"}, peel,
                "1 when the input has an uncertain prior (0: fixed, never restricted)", "1");
  h5::var_doubles(f, "prior_lower", {"input"}, lower, "lower end of the prior's support",
                  "input's units");
  h5::var_doubles(f, "prior_upper", {"input"}, upper, "upper end of the prior's support",
                  "input's units");
  std::vector<std::int64_t> e;
  for (int i = 0; i <= kBins; ++i) e.push_back(i);
  h5::dim_ints(f, "edge", e, "bin edge index: edge i is the prior's i / bins quantile", "1");
  h5::var_doubles(f, "bin_edges", {"input", "edge"}, edges,
                  "bin edges: bin j of an input holds edge j <= x < edge j + 1", "input's units");
}

void write_trajectory(hid_t f, const DiscoveryFile& d) {
  std::vector<std::int64_t> index;
  std::vector<std::uint64_t> box, step, runs, hits, restricted;
  std::vector<double> coverage, density, mass;
  LimitTable lim;
  for (std::size_t b = 0; b < d.result.boxes.size(); ++b) {
    const auto& peel = d.result.boxes[b].peel;
    for (std::size_t t = 0; t < peel.size(); ++t) {
      index.push_back(static_cast<std::int64_t>(index.size()));
      box.push_back(b + 1), step.push_back(t);
      runs.push_back(peel[t].runs), hits.push_back(peel[t].hits);
      restricted.push_back(static_cast<std::uint64_t>(peel[t].box.restrictions()));
      coverage.push_back(ratio(peel[t].hits, d.result.hits));
      density.push_back(ratio(peel[t].hits, peel[t].runs));
      mass.push_back(ratio(peel[t].runs, d.result.runs));
      lim.add(peel[t].box, d);
    }
  }
  h5::dim_ints(f, "step", index, "peeling step, all boxes one after the other", "1");
  const std::vector<std::string> dim = {"step"};
  h5::var_uints(f, "step_box", dim, box, "the box (1, 2, ...) whose trajectory the step is on",
                "1");
  h5::var_uints(f, "step_index", dim, step, "the step's place on its box's trajectory (0: no peel)",
                "1");
  h5::var_uints(f, "step_runs", dim, runs, "runs in the box", "1");
  h5::var_uints(f, "step_hits", dim, hits, "runs in the box that meet the condition", "1");
  h5::var_doubles(f, "step_coverage", dim, coverage, "hits in the box / all hits", "1");
  h5::var_doubles(f, "step_density", dim, density, "hits in the box / runs in the box", "1");
  h5::var_doubles(f, "step_mass", dim, mass, "runs in the box / all runs", "1");
  h5::var_uints(f, "step_restricted", dim, restricted, "number of restricted inputs", "1");
  lim.write(f, "step_", "step");
}

void write_boxes(hid_t f, const DiscoveryFile& d) {
  std::vector<std::int64_t> ids;
  std::vector<std::uint64_t> chosen, pastes, runs, hits, restricted, wider_runs, wider_hits;
  std::vector<double> coverage, density, mass, p_value, stability;
  LimitTable lim;
  for (std::size_t b = 0; b < d.result.boxes.size(); ++b) {
    const prim::FoundBox& fb = d.result.boxes[b];
    ids.push_back(static_cast<std::int64_t>(b + 1));
    chosen.push_back(static_cast<std::uint64_t>(fb.chosen));
    pastes.push_back(fb.paste.size());
    runs.push_back(fb.box.runs), hits.push_back(fb.box.hits);
    coverage.push_back(ratio(fb.box.hits, d.result.hits));
    density.push_back(ratio(fb.box.hits, fb.box.runs));
    mass.push_back(ratio(fb.box.runs, d.result.runs));
    lim.add(fb.box.box, d);
    for (std::size_t k = 0; k < d.inputs.size(); ++k) {
      restricted.push_back(fb.box.box.restricted(static_cast<int>(k)) ? 1 : 0);
      p_value.push_back(fb.p_value[k]), stability.push_back(fb.stability[k]);
      wider_runs.push_back(fb.wider_runs[k]), wider_hits.push_back(fb.wider_hits[k]);
    }
  }
  h5::dim_ints(f, "box", ids,
               "box of the covering: box b is found among the runs no earlier box "
               "holds",
               "1");
  const std::vector<std::string> dim = {"box"}, dims = {"box", "input"};
  h5::var_uints(f, "box_step", dim, chosen, "the peeling step chosen (step_index)", "1");
  h5::var_uints(f, "box_paste_steps", dim, pastes, "pasting steps applied after the choice", "1");
  h5::var_uints(f, "box_runs", dim, runs, "runs in the box", "1");
  h5::var_uints(f, "box_hits", dim, hits, "runs in the box that meet the condition", "1");
  h5::var_doubles(f, "box_coverage", dim, coverage, "hits in the box / all hits", "1");
  h5::var_doubles(f, "box_density", dim, density, "hits in the box / runs in the box", "1");
  h5::var_doubles(f, "box_mass", dim, mass, "runs in the box / all runs", "1");
  lim.write(f, "box_", "box");
  h5::var_uints(f, "box_restricted", dims, restricted, "1 when the box restricts the input", "1");
  h5::var_doubles(f, "box_p_value", dims, p_value,
                  "quasi-p-value of the restriction: one-sided binomial test of the box's hits "
                  "against the hit rate of the box without it (NaN: not restricted)",
                  "1");
  h5::var_doubles(f, "box_stability", dims, stability,
                  "share of the half-samples on which the box found again restricts the input",
                  "1");
  h5::var_uints(f, "box_wider_runs", dims, wider_runs, "runs in the box without this restriction",
                "1");
  h5::var_uints(f, "box_wider_hits", dims, wider_hits, "hits in the box without this restriction",
                "1");
}

}  // namespace

void write_discovery(const std::string& path, const DiscoveryFile& d) {
  write_sealed_file(path, [&](hid_t f) {
    write_attributes(f, d);
    write_inputs(f, d);
    write_trajectory(f, d);
    write_boxes(f, d);
  });
}

}  // namespace wedge::io
