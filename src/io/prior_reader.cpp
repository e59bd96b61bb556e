#include "io/prior_reader.hpp"

#include <cmath>
#include <sstream>

#include "wedge/core/error.hpp"

namespace wedge::detail {

Prior read_prior(Section s) {
  Prior p;
  const std::string fam = s.choice("dist", {"uniform", "normal", "truncated_normal", "lognormal",
                                            "beta", "triangular", "pert", "fixed"});
  auto order = [&](std::string_view lo_key, double lo, std::string_view hi_key, double hi) {
    if (!(lo < hi)) s.fail(hi_key, "must be greater than '" + std::string(lo_key) + "'");
  };
  if (fam == "uniform") {
    p.family = Family::kUniform;
    p.p[0] = s.number("lower", Bounds::any());
    p.p[1] = s.number("upper", Bounds::any());
    order("lower", p.p[0], "upper", p.p[1]);
  } else if (fam == "normal") {
    p.family = Family::kNormal;
    p.p[0] = s.number("mean", Bounds::any());
    p.p[1] = s.number("sd", Bounds::positive());
  } else if (fam == "truncated_normal") {
    p.family = Family::kTruncatedNormal;
    p.p[0] = s.number("mean", Bounds::any());
    p.p[1] = s.number("sd", Bounds::positive());
    p.p[2] = s.number("lower", Bounds::any());
    p.p[3] = s.number("upper", Bounds::any());
    order("lower", p.p[2], "upper", p.p[3]);
    // The truncation must keep some probability mass, or sampling is meaningless.
    const double zl = (p.p[2] - p.p[0]) / p.p[1], zu = (p.p[3] - p.p[0]) / p.p[1];
    if (zl > 8.0 || zu < -8.0)
      s.fail("lower", "the interval [lower, upper] lies more than 8 sd away from the mean");
  } else if (fam == "lognormal") {
    p.family = Family::kLogNormal;
    p.p[0] = s.number("mu", Bounds::any());
    p.p[1] = s.number("sigma", Bounds::positive());
  } else if (fam == "beta") {
    p.family = Family::kBeta;
    // Shapes beyond these make Boost's inverse incomplete beta (the deciles, the Latin
    // hypercube) crawl, and mean a point mass or two: use `fixed` or a narrower family.
    p.p[0] = s.number("alpha", Bounds{1e-3, 1e7, false, false});
    p.p[1] = s.number("beta", Bounds{1e-3, 1e7, false, false});
  } else if (fam == "triangular" || fam == "pert") {
    p.family = fam == "pert" ? Family::kPert : Family::kTriangular;
    p.p[0] = s.number("lower", Bounds::any());
    p.p[1] = s.number("mode", Bounds::any());
    p.p[2] = s.number("upper", Bounds::any());
    order("lower", p.p[0], "upper", p.p[2]);
    if (p.p[1] < p.p[0] || p.p[1] > p.p[2]) s.fail("mode", "must lie in [lower, upper]");
    // PERT's shape parameter; 4 is the classical PERT (documented in docs/configuration.md).
    if (p.family == Family::kPert)
      p.p[3] = s.number_or("lambda", Bounds{0.0, 1e6, true, false}, 4.0);
  } else {
    p.family = Family::kFixed;
    p.p[0] = s.number("value", Bounds::any());
  }
  s.finish();
  return p;
}

void check_prior_domain(const Prior& prior, const Bounds& domain, const std::string& file, int line,
                        const std::string& key, const std::string& what) {
  const Range sup = prior_support(prior);
  if (sup.lo < domain.lo || sup.hi > domain.hi || (domain.lo_open && sup.lo <= domain.lo) ||
      (domain.hi_open && sup.hi >= domain.hi)) {
    std::ostringstream os;
    os << "the prior " << prior.describe() << " reaches outside the " << what << " [" << domain.lo
       << ", ";
    if (domain.hi > 1e299)
      os << "inf";
    else
      os << domain.hi;
    os << "]; use a bounded family (beta, uniform, truncated_normal, ...)";
    throw InputError(file, line, key, os.str());
  }
  // Every value the sampler can draw must be a finite number (e.g. lognormal mu = 800 is not).
  bool finite = false;
  try {
    finite = std::isfinite(prior_quantile(prior, 1e-12)) &&
             std::isfinite(prior_quantile(prior, 1.0 - 1e-12));
  } catch (const std::exception&) {
  }
  if (!finite)
    throw InputError(
        file, line, key,
        "the prior " + prior.describe() + " reaches values too large to represent; narrow it");
}

double read_coefficient(Section& s, const CoefficientTerm& coef, Config& cfg, int& input_row) {
  input_row = -1;
  const std::string_view key = coef.term.key;
  if (!s.is_table(key)) return s.number(key, coef.bounds);
  Section table = s.table(key);
  const int line = table.line();
  Input in;
  in.name = s.full_key(key);
  in.long_name = coef.term.long_name;
  in.unit = coef.term.unit;
  in.coefficient = coef.term.id;
  in.prior = read_prior(std::move(table));
  check_prior_domain(in.prior, coef.bounds, s.file(), line, in.name,
                     "coefficient's allowed values");
  input_row = cfg.num_inputs();
  cfg.inputs.push_back(std::move(in));
  return prior_mean(cfg.inputs.back().prior);
}

}  // namespace wedge::detail
