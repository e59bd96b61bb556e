#include "wedge/models/strategic_triangle.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "wedge/core/rng.hpp"
#include "wedge/core/simd_math.hpp"

namespace wedge::triangle {

// Per-strategy state of the block's runs. Flags and counts are doubles so every lane loop
// works on one vector type.
struct Kernel::StrategyState {
  alignas(64) double x[kNumStates][kBlock];      // logits
  alignas(64) double level[kNumStates][kBlock];  // sigmoid(x): the state itself
  alignas(64) double compliance[kBlock];         // K
  alignas(64) double threat[kBlock];             // Th
  alignas(64) double military[kBlock];           // M
  alignas(64) double ceasefire[kBlock];          // F
  alignas(64) double hybrid[kBlock];             // H
  alignas(64) double switched[kBlock];
  alignas(64) double relief_sum[kBlock];
  alignas(64) double cohesion_min[kBlock];
  alignas(64) double military_q[kBlock];
  alignas(64) double ceasefire_q[kBlock];
  alignas(64) double hybrid_q[kBlock];
};

// The draws of one quarter, shared by every strategy (common random numbers).
struct Kernel::QuarterDraws {
  alignas(64) double eps[kNumStates][kBlock];    // N(0, 1) shocks
  alignas(64) double event[kNumEvents][kBlock];  // log(Exp(1) / dt): event iff log-hazard above
  alignas(64) double compliance[kBlock];         // U(0, 1)
};

namespace {

constexpr int kCallsPerQuarter = 3;  // 12 words: 6 for 5 normals, 3 events, 1 compliance

inline double logit(double p) { return std::log(p / (1.0 - p)); }

// Every coefficient the same for all runs (no uncertain coefficient): plain values, which the
// compiler keeps in registers across the lane loops.
struct ScalarCoefs {
  std::array<double, Kernel::kNumKernelCoefs> c;
  double operator()(int k, int) const { return c[static_cast<std::size_t>(k)]; }
  // The first terms of three sums that do not change over a run's quarters.
  double alignment_base(int j, const double* resilience) const {
    return c[kAInt] + c[kAResilience] * (resilience[j] - 0.5);
  }
  double hybrid_base(int, double om) const { return c[kHInt] + c[kHOpportunism] * om; }
  double military_base(int, double om) const { return c[kMInt] + c[kMOpportunism] * om; }
};

// Rows of coefficient lanes are padded by one cache line: rows of exactly 512 bytes would put
// the same lanes of all hundred rows (and of the state's rows) in the same few L1 cache sets.
constexpr int kLaneRow = kBlock + 8;

// Some coefficients uncertain: one row of kBlock lanes per coefficient, filled per block.
struct LaneCoefs {
  const double (*c)[kLaneRow];
  const double (*base)[kLaneRow];  // the three sums' first terms, computed once per block
  double operator()(int k, int j) const { return c[k][j]; }
  double alignment_base(int j, const double*) const { return base[0][j]; }
  double hybrid_base(int j, double) const { return base[1][j]; }
  double military_base(int j, double) const { return base[2][j]; }
};

// The coefficients derived from the configuration's, by one recipe for both kinds above, so
// that a coefficient given as a number and one drawn from a point prior compute alike.
template <typename Set>
void derive_coefs(double dt, Set set) {
  const double sqdt = std::sqrt(dt);
  for (int k = 0; k < kNumStates; ++k) {
    set(Kernel::kRate0 + k, [&](auto c) { return c(state_coef(k, kTheta)) * dt; });
    set(Kernel::kScale0 + k, [&](auto c) { return c(state_coef(k, kSigma)) * sqdt; });
    set(Kernel::kScaleCf0 + k, [&](auto c) {
      return c(state_coef(k, kSigma)) * c(state_coef(k, kCeasefireFactor)) * sqdt;
    });
    set(Kernel::kInitX0 + k, [&](auto c) { return logit(c(state_coef(k, kInitial))); });
  }
  set(Kernel::kDecay, [&](auto c) { return std::exp2(-dt / c(kDThreatHalfLife)); });
}

}  // namespace

bool Settings::any_uncertain() const {
  for (int row : input_row)
    if (row >= 0) return true;
  return false;
}

Kernel::Kernel(const Config& cfg)
    : cfg_(cfg), set_(settings(cfg)), log_dt_(std::log(cfg.dt)), uncertain_(set_.any_uncertain()) {
  for (int k = 0; k < kNumCoefs; ++k)
    scalar_[static_cast<std::size_t>(k)] = set_.coef[static_cast<std::size_t>(k)];
  derive_coefs(cfg.dt, [&](int k, auto f) {
    scalar_[static_cast<std::size_t>(k)] =
        f([&](int i) { return scalar_[static_cast<std::size_t>(i)]; });
  });
}

void Kernel::draw_quarter(NoiseKey noise, int quarter, QuarterDraws& d) const {
  const std::uint64_t first_run = noise.first_run;
  const std::uint64_t purpose = rng::noise_purpose(rng::Purpose::kShocks, noise.variant);
  const auto key = rng::make_key(cfg_.seed);
  const std::uint64_t k0 = key[0], k1 = key[1];
  const double log_dt = log_dt_;
#pragma omp simd
  for (int j = 0; j < kBlock; ++j) {
    const std::uint64_t run = first_run + static_cast<std::uint64_t>(j);
    const std::uint64_t r0 = run & 0xFFFFFFFFu, r1 = run >> 32;
    const auto draw = static_cast<std::uint64_t>(quarter * kCallsPerQuarter);
    std::uint64_t a0 = r0, a1 = r1, a2 = purpose, a3 = draw;
    std::uint64_t b0 = r0, b1 = r1, b2 = purpose, b3 = draw + 1;
    std::uint64_t c0 = r0, c1 = r1, c2 = purpose, c3 = draw + 2;
    rng::philox4x32_10(a0, a1, a2, a3, k0, k1);
    rng::philox4x32_10(b0, b1, b2, b3, k0, k1);
    rng::philox4x32_10(c0, c1, c2, c3, k0, k1);
    // Words a0..b1: Box-Muller on three pairs gives the five normals (the sixth is not needed);
    // b2, b3, c0: the three events; c1: compliance.
    double z0, z1, z2, z3, z4, z5;
    rng::box_muller(a0, a1, z0, z1);
    rng::box_muller(a2, a3, z2, z3);
    rng::box_muller(b0, b1, z4, z5);
    d.eps[kAlignment][j] = z0;
    d.eps[kRapprochement][j] = z1;
    d.eps[kCohesion][j] = z2;
    d.eps[kAutonomy][j] = z3;
    d.eps[kUkraine][j] = z4;
    d.event[kHybrid][j] = simd::log(-simd::log(rng::u01(b2))) - log_dt;
    d.event[kMilitary][j] = simd::log(-simd::log(rng::u01(b3))) - log_dt;
    d.event[kCeasefire][j] = simd::log(-simd::log(rng::u01(c0))) - log_dt;
    d.compliance[j] = rng::u01(c1);
  }
}

void Kernel::simulate_block(NoiseKey noise, const BlockParams& p, std::vector<BlockOutcomes>& out,
                            PathSink* paths) const {
  if (!uncertain_) return simulate(noise, p, ScalarCoefs{scalar_}, out, paths);
  // Uncertain coefficients: every coefficient gets a row of lanes, from its input or its value.
  thread_local AlignedVector<double> rows(static_cast<std::size_t>(kNumKernelCoefs + 3) * kLaneRow);
  auto* c = reinterpret_cast<double(*)[kLaneRow]>(rows.data());
  for (int k = 0; k < kNumCoefs; ++k) {
    const int in = set_.input_row[static_cast<std::size_t>(k)];
    for (int j = 0; j < kBlock; ++j)
      c[k][j] = in >= 0 ? p[in][j] : scalar_[static_cast<std::size_t>(k)];
  }
  derive_coefs(cfg_.dt, [&](int k, auto f) {
    for (int j = 0; j < kBlock; ++j) c[k][j] = f([&](int i) { return c[i][j]; });
  });
  // The same first terms as ScalarCoefs computes in the loop (same operations, same bits), once
  // per block: fewer rows for the quarter update to read.
  double(*base)[kLaneRow] = c + kNumKernelCoefs;
  for (int j = 0; j < kBlock; ++j) {
    const double om = p[kOpportunism][j] - 0.5;
    base[0][j] = c[kAInt][j] + c[kAResilience][j] * (p[kResilience][j] - 0.5);
    base[1][j] = c[kHInt][j] + c[kHOpportunism][j] * om;
    base[2][j] = c[kMInt][j] + c[kMOpportunism][j] * om;
  }
  simulate(noise, p, LaneCoefs{c, base}, out, paths);
}

template <typename Coefs>
void Kernel::simulate(NoiseKey noise, const BlockParams& p, const Coefs& c,
                      std::vector<BlockOutcomes>& out, PathSink* paths) const {
  const int S = cfg_.num_strategies();
  const int T = cfg_.quarters;
  thread_local std::vector<StrategyState> states;
  thread_local QuarterDraws draws;
  states.resize(static_cast<std::size_t>(S));
  out.resize(static_cast<std::size_t>(S));
  for (auto& o : out)
    if (o.rows() != kNumOutcomes) o.resize(kNumOutcomes);

  // The election draw: one uniform per run, shared by all strategies.
  alignas(64) double switch_u[kBlock];
  {
    const auto key = rng::make_key(cfg_.seed);
    rng::Philox philox;
    const std::uint32_t purpose = rng::noise_purpose(rng::Purpose::kPolicySwitch, noise.variant);
    for (int j = 0; j < kBlock; ++j) {
      const std::uint64_t run = noise.first_run + static_cast<std::uint64_t>(j);
      switch_u[j] = rng::u01(
          philox(rng::Philox::ctr_type{{static_cast<std::uint32_t>(run),
                                        static_cast<std::uint32_t>(run >> 32), purpose, 0}},
                 key)[0]);
    }
  }

  for (auto& st : states) {
    for (int k = 0; k < kNumStates; ++k)
      for (int j = 0; j < kBlock; ++j)
        st.x[k][j] = c(kInitX0 + k, j), st.level[k][j] = c(state_coef(k, kInitial), j);
    for (int j = 0; j < kBlock; ++j) {
      st.compliance[j] = st.threat[j] = st.military[j] = st.ceasefire[j] = st.hybrid[j] = 0.0;
      st.switched[j] = st.relief_sum[j] = 0.0;
      st.cohesion_min[j] = c(state_coef(kCohesion, kInitial), j);
      st.military_q[j] = st.ceasefire_q[j] = st.hybrid_q[j] = -1.0;
    }
  }

  // The fan charts of a strategy that may switch are kept for the runs that will switch and for
  // those that will not: the same test as at the switch quarter below.
  const auto announce_groups = [&] {
    if (paths == nullptr || !fallbacks_may_switch(cfg_)) return;
    alignas(64) double will_switch[kBlock];
    for (int j = 0; j < kBlock; ++j)
      will_switch[j] = switch_u[j] < 1.0 - p[kPersistence][j] ? 1.0 : 0.0;
    for (int s = 0; s < S; ++s)
      if (cfg_.strategies[static_cast<std::size_t>(s)].fallback >= 0) paths->group(s, will_switch);
  };

  // Quarters before the decision quarter follow the history: one state for all strategies,
  // computed once and handed to each strategy when its own levers take over. The sink hears the
  // whole history (PathSink::history, for the evidence's weights) before the groups and the
  // history quarters' levels.
  const int history_end = cfg_.history ? std::min(cfg_.decision_quarter, T) : 0;
  thread_local std::vector<double> history_levels;
  if (paths != nullptr)
    history_levels.resize(static_cast<std::size_t>(history_end) * kNumStates * kBlock);
  alignas(64) double leverage[kBlock];
  if (history_end == 0) announce_groups();
  for (int t = 0; t < T; ++t) {
    draw_quarter(noise, t, draws);
    const double tau = t * cfg_.dt;
#pragma omp simd
    for (int j = 0; j < kBlock; ++j) leverage[j] = simd::exp(p[kLeverageGrowth][j] * tau) - 1.0;
    if (t < history_end) {
      StrategyState& h = states[0];
      step(*cfg_.history, t, p, c, draws, leverage, h);
      if (paths != nullptr) {
        alignas(64) double counts[kNumEvents][kBlock];
        for (int j = 0; j < kBlock; ++j)
          counts[kHybrid][j] = h.hybrid[j], counts[kMilitary][j] = h.military[j],
          counts[kCeasefire][j] = h.ceasefire[j];
        paths->history(t, &h.level[0][0], &counts[0][0]);
        std::copy_n(&h.level[0][0], kNumStates * kBlock,
                    history_levels.data() + static_cast<std::size_t>(t) * kNumStates * kBlock);
      }
      if (t + 1 < history_end) continue;
      for (int s = 1; s < S; ++s) states[static_cast<std::size_t>(s)] = states[0];
      announce_groups();
      if (paths != nullptr)
        for (int q = 0; q < history_end; ++q)
          for (int s = 0; s < S; ++s)
            paths->observe(
                s, q, history_levels.data() + static_cast<std::size_t>(q) * kNumStates * kBlock);
      continue;
    }
    for (int s = 0; s < S; ++s) {
      StrategyState& st = states[static_cast<std::size_t>(s)];
      const Strategy& own = cfg_.strategies[static_cast<std::size_t>(s)];
      if (t == cfg_.switch_quarter && own.fallback >= 0)
        for (int j = 0; j < kBlock; ++j)
          st.switched[j] = switch_u[j] < 1.0 - p[kPersistence][j] ? 1.0 : 0.0;
      step(own, t, p, c, draws, leverage, st);
      if (paths != nullptr) paths->observe(s, t, &st.level[0][0]);
    }
  }
  for (int s = 0; s < S; ++s)
    outcomes(states[static_cast<std::size_t>(s)], c, out[static_cast<std::size_t>(s)]);
}

// Outcomes (spec section 8).
template <typename Coefs>
void Kernel::outcomes(const StrategyState& st, const Coefs c, BlockOutcomes& out) const {
  const int T = cfg_.quarters;
  const int cap = set_.hybrid_cap;
  double* o[kNumOutcomes];
  for (int k = 0; k < kNumOutcomes; ++k) o[k] = out[k];
#pragma omp simd
  for (int j = 0; j < kBlock; ++j) {
    const double A = st.level[kAlignment][j], C = st.level[kCohesion][j];
    const double E = st.level[kAutonomy][j], U = st.level[kUkraine][j];
    o[kAlignmentFinal][j] = A;
    o[kRapprochementFinal][j] = st.level[kRapprochement][j];
    o[kCohesionFinal][j] = C;
    o[kAutonomyFinal][j] = E;
    o[kUkraineFinal][j] = U;
    o[kCohesionMin][j] = st.cohesion_min[j];
    o[kHybridAttacks][j] = st.hybrid[j];
    o[kFirstHybridQuarter][j] = st.hybrid_q[j];
    o[kMilitaryQuarter][j] = st.military_q[j];
    o[kCeasefireQuarter][j] = st.ceasefire_q[j];
    o[kMilitaryAction][j] = st.military[j];
    o[kCeasefireReached][j] = st.ceasefire[j];
    o[kSplit][j] = A < c(kTSplitBelow, j) ? 1.0 : 0.0;
    o[kEntrenched][j] = A > c(kTEntrenchedAbove, j) ? 1.0 : 0.0;
    o[kFracture][j] = st.cohesion_min[j] < c(kTFractureBelow, j) ? 1.0 : 0.0;
    o[kEuropeAutonomous][j] = E > c(kTAutonomousAbove, j) ? 1.0 : 0.0;
    o[kPolicySwitched][j] = st.switched[j];
    const double relief = st.relief_sum[j] / T;
    o[kReliefReceived][j] = relief;
    o[kRussiaPivot][j] = (relief >= c(kTPivotRelief, j) && A >= c(kTPivotAlignment, j)) ? 1.0 : 0.0;
    const double h = st.hybrid[j] < cap ? st.hybrid[j] : static_cast<double>(cap);
    o[kUsPayoff][j] = c(kPAlignment, j) * (1.0 - A) + c(kPCohesion, j) * C + c(kPUkraine, j) * U -
                      c(kPMilitaryAction, j) * st.military[j] - c(kPHybridAttack, j) * h;
  }
}

// The coefficients come by value: a local copy the compiler keeps in registers (it cannot alias
// the state the loop writes).
template <typename Coefs>
void Kernel::step(const Strategy& own, int t, const BlockParams& p, const Coefs c,
                  const QuarterDraws& d, const double* leverage, StrategyState& st) const {
  const Strategy& fb =
      own.fallback >= 0 ? cfg_.strategies[static_cast<std::size_t>(own.fallback)] : own;
  double ol[kNumLevers], fl[kNumLevers];
  for (int l = 0; l < kNumLevers; ++l) ol[l] = own.levers[l], fl[l] = fb.levers[l];
  const double tq = static_cast<double>(t);
  // The parameter rows, read once (the loop's stores cannot move them).
  const double *rho_row = p[kReceptiveness], *resilience = p[kResilience];
  const double *deterrence = p[kDeterrence], *inertia = p[kInertia], *hedging = p[kHedging];
  const double *ukr_resilience = p[kUkraineResilience], *opportunism = p[kOpportunism];
  const double *volatility = p[kVolatility], *compliance = p[kCompliance];

#pragma omp simd
  for (int j = 0; j < kBlock; ++j) {
    // Levers in force: the fallback's once the strategy was switched.
    const bool sw = st.switched[j] != 0.0;
    const double relief = sw ? fl[kRelief] : ol[kRelief];
    const double cond = sw ? fl[kConditionality] : ol[kConditionality];
    const double aid = sw ? fl[kAid] : ol[kAid];
    const double commit = sw ? fl[kCommitment] : ol[kCommitment];
    const double presence = sw ? fl[kPresence] : ol[kPresence];
    const double consult = sw ? fl[kConsultation] : ol[kConsultation];
    const double burden = sw ? fl[kBurden] : ol[kBurden];
    const double coop = sw ? fl[kCooperation] : ol[kCooperation];
    const double A = st.level[kAlignment][j], R = st.level[kRapprochement][j];
    const double C = st.level[kCohesion][j], E = st.level[kAutonomy][j];
    const double U = st.level[kUkraine][j];
    const double K = st.compliance[j], Th = st.threat[j], M = st.military[j], F = st.ceasefire[j];
    const double rho = rho_row[j];

    // Derived quantities (section 5), from the start-of-quarter state.
    const double ER = relief * ((1.0 - cond) + cond * K);
    const double S = 1.0 - ER;
    const double L = leverage[j];
    const double O = c(kDOfferRelief, j) * ER + c(kDOfferCooperation, j) * coop;
    const double D = deterrence[j] *
                     (c(kDDeterrenceCommitment, j) * commit +
                      c(kDDeterrencePresence, j) * presence + c(kDDeterrenceAid, j) * aid) *
                     (c(kDDeterrenceCohesionBase, j) + c(kDDeterrenceCohesionSlope, j) * C);
    const double W0 =
        (1.0 - D) * (1.0 + c(kDWeaknessUnconditionalRelief, j) * relief * (1.0 - cond));
    const double W = W0 < 1.0 ? W0 : 1.0;

    // Targets (section 6).
    const double zA = c.alignment_base(j, resilience) + c(kALeverage, j) * L +
                      c(kAPressure, j) * S + c(kAOffer, j) * rho * O + c(kAMilitary, j) * M;
    const double zR = c(kRInt, j) + c(kROffer, j) * O * (0.5 + rho) +
                      c(kRAlignment, j) * (A - 0.5) + c(kRMilitary, j) * M + c(kRThreat, j) * Th;
    const double zC = c(kCInt, j) + c(kCCommitment, j) * commit + c(kCConsultation, j) * consult +
                      c(kCPresence, j) * presence + c(kCBurden, j) * burden * (1.0 - commit) +
                      c(kCAutonomy, j) * E + c(kCThreatDeterred, j) * Th * D +
                      c(kCThreatUndeterred, j) * Th * (1.0 - D) +
                      c(kCInertia, j) * (inertia[j] - 0.5);
    const double eta = hedging[j];
    const double zE = c(kEInt, j) + c(kEUncommitted, j) * eta * (1.0 - commit) +
                      c(kESidelined, j) * eta * (1.0 - consult) + c(kEBurden, j) * burden +
                      c(kEThreat, j) * Th;
    const double zU = c(kUInt, j) + c(kUAid, j) * aid + c(kUAutonomy, j) * E +
                      c(kUResilience, j) * (ukr_resilience[j] - 0.5) + c(kURelief, j) * (1.0 - S);

    // Events (section 7): compare each log-hazard with the run's log(Exp(1)/dt) draw, which is
    // the same event as u < 1 - exp(-lambda dt) without an exp per strategy.
    const double om = opportunism[j] - 0.5;
    const double hyb_z = c.hybrid_base(j, om) + c(kHWeakness, j) * W + c(kHUkraine, j) * (0.5 - U);
    const double mil_z = c.military_base(j, om) + c(kMWeakness, j) * W + c(kMDeterrence, j) * D +
                         c(kMUkraine, j) * (0.5 - U);
    const double absU = U > 0.5 ? U - 0.5 : 0.5 - U;
    const double cf_z = c(kFInt, j) + c(kFRapprochement, j) * R +
                        c(kFStalemate, j) * (1.0 - 2.0 * absU) +
                        c(kFConditionalRelief, j) * cond * relief;
    const double hyb = hyb_z > d.event[kHybrid][j] ? 1.0 : 0.0;
    const double mil = (M == 0.0 && mil_z > d.event[kMilitary][j]) ? 1.0 : 0.0;
    const double cf = (F == 0.0 && cf_z > d.event[kCeasefire][j]) ? 1.0 : 0.0;

    // State updates (section 4), all from the start-of-quarter state.
    const double vol = volatility[j];
    const bool calm = F == 0.0;  // shocks change scale once a ceasefire has happened
    const auto update = [&](int k, double z) {
      const double x = st.x[k][j] + c(kRate0 + k, j) * (z - st.x[k][j]) +
                       (calm ? c(kScale0 + k, j) : c(kScaleCf0 + k, j)) * vol * d.eps[k][j];
      st.x[k][j] = x;
      st.level[k][j] = simd::sigmoid(x);
    };
    update(kAlignment, zA);
    update(kRapprochement, zR);
    update(kCohesion, zC);
    update(kAutonomy, zE);
    update(kUkraine, zU);
    const double Z = d.compliance[j] < compliance[j] ? 1.0 : 0.0;
    const double km = c(kDComplianceMemory, j);
    st.compliance[j] = km * K + (1.0 - km) * Z;
    st.threat[j] =
        Th * c(kDecay, j) + c(kDThreatJumpHybrid, j) * hyb + c(kDThreatJumpMilitary, j) * mil;
    st.military[j] = M + mil;
    st.ceasefire[j] = F + cf;
    st.hybrid[j] += hyb;
    st.relief_sum[j] += ER;
    const double Cn = st.level[kCohesion][j];
    st.cohesion_min[j] = Cn < st.cohesion_min[j] ? Cn : st.cohesion_min[j];
    st.military_q[j] = mil != 0.0 ? tq : st.military_q[j];
    st.ceasefire_q[j] = cf != 0.0 ? tq : st.ceasefire_q[j];
    st.hybrid_q[j] = (hyb != 0.0 && st.hybrid_q[j] < 0.0) ? tq : st.hybrid_q[j];
  }
}

}  // namespace wedge::triangle
