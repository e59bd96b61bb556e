#include "wedge/models/strategic_triangle.hpp"

#include <cmath>

#include "wedge/core/rng.hpp"
#include "wedge/core/simd_math.hpp"

namespace wedge {

// Per-strategy state of the block's runs. Flags and counts are doubles so every lane loop
// works on one vector type.
struct Model::StrategyState {
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
struct Model::QuarterDraws {
  alignas(64) double eps[kNumStates][kBlock];    // N(0, 1) shocks
  alignas(64) double event[kNumEvents][kBlock];  // log(Exp(1) / dt): event iff log-hazard above
  alignas(64) double compliance[kBlock];         // U(0, 1)
};

namespace {

constexpr int kCallsPerQuarter = 3;  // 12 words: 6 for 5 normals, 3 events, 1 compliance

inline double logit(double p) { return std::log(p / (1.0 - p)); }

}  // namespace

Model::Model(const Config& cfg)
    : cfg_(cfg),
      log_dt_(std::log(cfg.dt)),
      threat_decay_(std::exp2(-cfg.dt / cfg.derived.threat_half_life)) {}

void Model::draw_quarter(std::uint64_t first_run, int quarter, QuarterDraws& d) const {
  const auto key = rng::make_key(cfg_.seed);
  const std::uint64_t k0 = key[0], k1 = key[1];
  const double log_dt = log_dt_;
#pragma omp simd
  for (int j = 0; j < kBlock; ++j) {
    const std::uint64_t run = first_run + static_cast<std::uint64_t>(j);
    const std::uint64_t r0 = run & 0xFFFFFFFFu, r1 = run >> 32;
    const auto purpose = static_cast<std::uint64_t>(rng::Purpose::kShocks);
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

void Model::simulate_block(std::uint64_t first_run, const BlockParams& p,
                           std::vector<BlockOutcomes>& out, PathSink* paths) const {
  const int S = cfg_.num_strategies();
  const int T = cfg_.quarters;
  thread_local std::vector<StrategyState> states;
  thread_local QuarterDraws draws;
  states.resize(static_cast<std::size_t>(S));
  out.resize(static_cast<std::size_t>(S));

  // The election draw: one uniform per run, shared by all strategies.
  alignas(64) double switch_u[kBlock];
  {
    const auto key = rng::make_key(cfg_.seed);
    rng::Philox philox;
    for (int j = 0; j < kBlock; ++j)
      switch_u[j] = rng::u01(philox(
          rng::make_counter(first_run + static_cast<std::uint64_t>(j), rng::Purpose::kPolicySwitch),
          key)[0]);
  }

  double init_x[kNumStates], init_level[kNumStates];
  for (int k = 0; k < kNumStates; ++k) {
    init_level[k] = cfg_.states[k].initial;
    init_x[k] = logit(init_level[k]);
  }
  for (auto& st : states) {
    for (int k = 0; k < kNumStates; ++k)
      for (int j = 0; j < kBlock; ++j) st.x[k][j] = init_x[k], st.level[k][j] = init_level[k];
    for (int j = 0; j < kBlock; ++j) {
      st.compliance[j] = st.threat[j] = st.military[j] = st.ceasefire[j] = st.hybrid[j] = 0.0;
      st.switched[j] = st.relief_sum[j] = 0.0;
      st.cohesion_min[j] = init_level[kCohesion];
      st.military_q[j] = st.ceasefire_q[j] = st.hybrid_q[j] = -1.0;
    }
  }

  alignas(64) double leverage[kBlock];
  for (int t = 0; t < T; ++t) {
    draw_quarter(first_run, t, draws);
    const double tau = t * cfg_.dt;
#pragma omp simd
    for (int j = 0; j < kBlock; ++j) leverage[j] = simd::exp(p.v[kLeverageGrowth][j] * tau) - 1.0;
    for (int s = 0; s < S; ++s) {
      StrategyState& st = states[static_cast<std::size_t>(s)];
      if (t == cfg_.switch_quarter && cfg_.strategies[static_cast<std::size_t>(s)].fallback >= 0)
        for (int j = 0; j < kBlock; ++j)
          st.switched[j] = switch_u[j] < 1.0 - p.v[kPersistence][j] ? 1.0 : 0.0;
      step(s, t, p, draws, leverage, st);
      if (paths != nullptr) paths->observe(s, t, st.level);
    }
  }

  // Outcomes (spec section 8).
  const Thresholds& th = cfg_.thresholds;
  const Payoff& w = cfg_.payoff;
  for (int s = 0; s < S; ++s) {
    const StrategyState& st = states[static_cast<std::size_t>(s)];
    auto& o = out[static_cast<std::size_t>(s)].v;
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
      o[kSplit][j] = A < th.split_below ? 1.0 : 0.0;
      o[kEntrenched][j] = A > th.entrenched_above ? 1.0 : 0.0;
      o[kFracture][j] = st.cohesion_min[j] < th.fracture_below ? 1.0 : 0.0;
      o[kEuropeAutonomous][j] = E > th.autonomous_above ? 1.0 : 0.0;
      o[kPolicySwitched][j] = st.switched[j];
      const double relief = st.relief_sum[j] / T;
      o[kReliefReceived][j] = relief;
      o[kRussiaPivot][j] = (relief >= th.pivot_relief && A >= th.pivot_alignment) ? 1.0 : 0.0;
      const double h =
          st.hybrid[j] < w.hybrid_cap ? st.hybrid[j] : static_cast<double>(w.hybrid_cap);
      o[kUsPayoff][j] = w.alignment * (1.0 - A) + w.cohesion * C + w.ukraine * U -
                        w.military_action * st.military[j] - w.hybrid_attack * h;
    }
  }
}

void Model::step(int s, int t, const BlockParams& p, const QuarterDraws& d, const double* leverage,
                 StrategyState& st) const {
  const Strategy& own = cfg_.strategies[static_cast<std::size_t>(s)];
  const Strategy& fb =
      own.fallback >= 0 ? cfg_.strategies[static_cast<std::size_t>(own.fallback)] : own;
  const auto ol = own.levers, fl = fb.levers;
  const Derived dv = cfg_.derived;  // local copies: the loop below must not reload them
  const auto cA = cfg_.target_alignment;
  const auto cR = cfg_.target_rapprochement;
  const auto cC = cfg_.target_cohesion;
  const auto cE = cfg_.target_autonomy;
  const auto cU = cfg_.target_ukraine;
  const auto hH = cfg_.hazard_hybrid;
  const auto hM = cfg_.hazard_military;
  const auto hF = cfg_.hazard_ceasefire;
  double rate[kNumStates], scale[kNumStates], scale_cf[kNumStates];
  const double sqdt = std::sqrt(cfg_.dt);
  for (int k = 0; k < kNumStates; ++k) {
    rate[k] = cfg_.states[k].theta * cfg_.dt;
    scale[k] = cfg_.states[k].sigma * sqdt;
    scale_cf[k] = cfg_.states[k].sigma * cfg_.states[k].ceasefire_sigma_factor * sqdt;
  }
  const double decay = threat_decay_;
  const double tq = static_cast<double>(t);
  const double km = dv.compliance_memory;

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
    const double rho = p.v[kReceptiveness][j];

    // Derived quantities (section 5), from the start-of-quarter state.
    const double ER = relief * ((1.0 - cond) + cond * K);
    const double S = 1.0 - ER;
    const double L = leverage[j];
    const double O = dv.offer_relief * ER + dv.offer_cooperation * coop;
    const double D = p.v[kDeterrence][j] *
                     (dv.deterrence_commitment * commit + dv.deterrence_presence * presence +
                      dv.deterrence_aid * aid) *
                     (dv.deterrence_cohesion_base + dv.deterrence_cohesion_slope * C);
    const double W0 = (1.0 - D) * (1.0 + dv.weakness_unconditional_relief * relief * (1.0 - cond));
    const double W = W0 < 1.0 ? W0 : 1.0;

    // Targets (section 6).
    const double zA = cA[kAInt] + cA[kAResilience] * (p.v[kResilience][j] - 0.5) +
                      cA[kALeverage] * L + cA[kAPressure] * S + cA[kAOffer] * rho * O +
                      cA[kAMilitary] * M;
    const double zR = cR[kRInt] + cR[kROffer] * O * (0.5 + rho) + cR[kRAlignment] * (A - 0.5) +
                      cR[kRMilitary] * M + cR[kRThreat] * Th;
    const double zC = cC[kCInt] + cC[kCCommitment] * commit + cC[kCConsultation] * consult +
                      cC[kCPresence] * presence + cC[kCBurden] * burden * (1.0 - commit) +
                      cC[kCAutonomy] * E + cC[kCThreatDeterred] * Th * D +
                      cC[kCThreatUndeterred] * Th * (1.0 - D) +
                      cC[kCInertia] * (p.v[kInertia][j] - 0.5);
    const double eta = p.v[kHedging][j];
    const double zE = cE[kEInt] + cE[kEUncommitted] * eta * (1.0 - commit) +
                      cE[kESidelined] * eta * (1.0 - consult) + cE[kEBurden] * burden +
                      cE[kEThreat] * Th;
    const double zU = cU[kUInt] + cU[kUAid] * aid + cU[kUAutonomy] * E +
                      cU[kUResilience] * (p.v[kUkraineResilience][j] - 0.5) +
                      cU[kURelief] * (1.0 - S);

    // Events (section 7): compare each log-hazard with the run's log(Exp(1)/dt) draw, which is
    // the same event as u < 1 - exp(-lambda dt) without an exp per strategy.
    const double om = p.v[kOpportunism][j] - 0.5;
    const double hyb_z =
        hH[kHInt] + hH[kHOpportunism] * om + hH[kHWeakness] * W + hH[kHUkraine] * (0.5 - U);
    const double mil_z = hM[kMInt] + hM[kMOpportunism] * om + hM[kMWeakness] * W +
                         hM[kMDeterrence] * D + hM[kMUkraine] * (0.5 - U);
    const double absU = U > 0.5 ? U - 0.5 : 0.5 - U;
    const double cf_z = hF[kFInt] + hF[kFRapprochement] * R + hF[kFStalemate] * (1.0 - 2.0 * absU) +
                        hF[kFConditionalRelief] * cond * relief;
    const double hyb = hyb_z > d.event[kHybrid][j] ? 1.0 : 0.0;
    const double mil = (M == 0.0 && mil_z > d.event[kMilitary][j]) ? 1.0 : 0.0;
    const double cf = (F == 0.0 && cf_z > d.event[kCeasefire][j]) ? 1.0 : 0.0;

    // State updates (section 4), all from the start-of-quarter state.
    const double vol = p.v[kVolatility][j];
    const bool calm = F == 0.0;  // shocks change scale once a ceasefire has happened
    const auto update = [&](int k, double z) {
      const double x = st.x[k][j] + rate[k] * (z - st.x[k][j]) +
                       (calm ? scale[k] : scale_cf[k]) * vol * d.eps[k][j];
      st.x[k][j] = x;
      st.level[k][j] = simd::sigmoid(x);
    };
    update(kAlignment, zA);
    update(kRapprochement, zR);
    update(kCohesion, zC);
    update(kAutonomy, zE);
    update(kUkraine, zU);
    const double Z = d.compliance[j] < p.v[kCompliance][j] ? 1.0 : 0.0;
    st.compliance[j] = km * K + (1.0 - km) * Z;
    st.threat[j] = Th * decay + dv.threat_jump_hybrid * hyb + dv.threat_jump_military * mil;
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

}  // namespace wedge
