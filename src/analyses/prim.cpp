// PRIM on binned runs (include/wedge/analyses/prim.hpp, docs/discovery.md).
#include "wedge/analyses/prim.hpp"

#include <omp.h>

#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "wedge/core/error.hpp"

namespace wedge::prim {
namespace {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;

// Flags of a run (bit 0, the hit, is the caller's).
constexpr std::uint8_t kHit = 1, kInBox = 2, kRemoved = 4, kActive = 8;

u64 splitmix64(u64 x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Run `run` is in half-sample r (r >= 0) when the top bit of its hash is set; r < 0: every run.
bool in_sample(u64 key, int r, u64 run) { return r < 0 || (splitmix64(key ^ run) >> 63) != 0; }
u64 sample_key(u64 seed, int r) {
  return splitmix64(seed + 0x632BE59BD9B4E019ULL * static_cast<u64>(r + 1));
}

// Counts per input and bin, as one word per bin on a rank (runs in the low 32 bits, hits in
// the high ones: a rank holds fewer than 2^32 runs) and as two sums over ranks.
struct Counts {
  std::vector<u64> n, h;  // [k * kBins + bin], over all ranks
};

constexpr u64 kOne = 1;
inline u64 packed(std::uint8_t flags) { return kOne + (static_cast<u64>(flags & kHit) << 32); }

// Whether mean h1/n1 exceeds h0/n0, exactly.
bool better_mean(u64 n0, u64 h0, u64 n1, u64 h1) {
  return static_cast<u128>(h1) * n0 > static_cast<u128>(h0) * n1;
}

class Engine {
 public:
  Engine(Runs& r, const std::vector<bool>& peelable, const Controls& c, MPI_Comm comm)
      : r_(r),
        peelable_(peelable),
        c_(c),
        comm_(comm),
        K_(r.inputs),
        cells_(static_cast<std::size_t>(K_) * kBins) {
    if (r.size() >= (u64{1} << 32))
      throw Error("a rank holds 2^32 runs or more: use more ranks for discovery");
    list_.reserve(r.size());
  }

  Result run() {
    Result res;
    activate(-1);
    res.runs = sample_runs_, res.hits = sample_hits_;
    for (int b = 0; b < c_.boxes; ++b) {
      if (b > 0) activate(-1);
      const Counts g = reduce(local_);
      if (total_hits(g) == 0) break;
      FoundBox fb = find(b == 0);
      if (b > 0 && fb.box.box.restrictions() == 0) break;
      stability(fb, b == 0);
      remove_runs_in(fb.box.box);
      res.boxes.push_back(std::move(fb));
      if (res.boxes.back().box.box.restrictions() == 0) break;
    }
    return res;
  }

 private:
  // Input k's bin of local run i (column-major: a peel reads one input's bins).
  std::uint16_t bin(std::size_t i, int k) const {
    return r_.bins[static_cast<std::size_t>(k) * r_.size() + i];
  }
  std::size_t cell(int k, int b) const {
    return static_cast<std::size_t>(k) * kBins + static_cast<std::size_t>(b);
  }
  u64 total_hits(const Counts& g) const {
    u64 h = 0;
    for (int bin = 0; bin < kBins; ++bin) h += g.h[cell(0, bin)];
    return h;
  }
  u64 total_runs(const Counts& g) const {
    u64 n = 0;
    for (int bin = 0; bin < kBins; ++bin) n += g.n[cell(0, bin)];
    return n;
  }

  // Sums rank-local packed counts over ranks: exact integers, any order.
  Counts reduce(const std::vector<u64>& local) const {
    Counts g{std::vector<u64>(cells_), std::vector<u64>(cells_)};
    for (std::size_t i = 0; i < cells_; ++i)
      g.n[i] = local[i] & 0xFFFFFFFFULL, g.h[i] = local[i] >> 32;
    MPI_Allreduce(MPI_IN_PLACE, g.n.data(), static_cast<int>(cells_), MPI_UINT64_T, MPI_SUM, comm_);
    MPI_Allreduce(MPI_IN_PLACE, g.h.data(), static_cast<int>(cells_), MPI_UINT64_T, MPI_SUM, comm_);
    return g;
  }

  // Adds thread-private counts into `into` (integer sums: the order does not matter).
  void merge(std::vector<u64>& into, const std::vector<u64>& mine) {
#pragma omp critical(wedge_prim_merge)
    for (std::size_t i = 0; i < cells_; ++i) into[i] += mine[i];
  }

  // Selects half-sample r (every run for r < 0) minus the runs earlier boxes hold; every such
  // run starts in the box. Counts the box (local_) and the sample (sample_runs_, _hits_).
  void activate(int sample) {
    const u64 key = sample_key(c_.seed, sample);
    const std::size_t N = r_.size();
    const int K = K_;
    local_.assign(cells_, 0);
    u64 runs = 0, hits = 0;
#pragma omp parallel reduction(+ : runs, hits)
    {
      std::vector<u64> mine(cells_, 0);
#pragma omp for schedule(static)
      for (std::size_t i = 0; i < N; ++i) {
        std::uint8_t f = r_.flags[i] & (kHit | kRemoved);
        if (in_sample(key, sample, r_.first_run + i)) {
          ++runs, hits += f & kHit;
          if (!(f & kRemoved)) {
            f |= kActive | kInBox;
            const u64 inc = packed(f);
            for (int k = 0; k < K; ++k) mine[cell(k, bin(i, k))] += inc;
          }
        }
        r_.flags[i] = f;
      }
      merge(local_, mine);
    }
    u64 both[2] = {runs, hits};
    MPI_Allreduce(MPI_IN_PLACE, both, 2, MPI_UINT64_T, MPI_SUM, comm_);
    sample_runs_ = both[0], sample_hits_ = both[1];
    list_.clear();
    for (std::size_t i = 0; i < N; ++i)
      if (r_.flags[i] & kInBox) list_.push_back(static_cast<std::uint32_t>(i));
  }

  // Peels input k to bins [lo, hi): the runs of the box outside leave it, its list and
  // local_. Each thread compacts its own contiguous part of the list; the parts are then
  // joined in order, so the list stays sorted whatever the threads.
  void peel_pass(int k, int lo, int hi) {
    const std::size_t M = list_.size();
    const int K = K_;
    std::vector<u64> gone(cells_, 0);
    std::vector<std::size_t> from(static_cast<std::size_t>(omp_get_max_threads()) + 1, 0),
        to(from.size(), 0);
#pragma omp parallel
    {
      const auto t = static_cast<std::size_t>(omp_get_thread_num());
      const auto nt = static_cast<std::size_t>(omp_get_num_threads());
      const std::size_t begin = M * t / nt, end = M * (t + 1) / nt;
      std::size_t w = begin;
      std::vector<u64> mine(cells_, 0);
      for (std::size_t j = begin; j < end; ++j) {
        const std::uint32_t i = list_[j];
        if (bin(i, k) >= lo && bin(i, k) < hi) {
          list_[w++] = i;
          continue;
        }
        r_.flags[i] &= static_cast<std::uint8_t>(~kInBox);
        const u64 inc = packed(r_.flags[i]);
        for (int q = 0; q < K; ++q) mine[cell(q, bin(i, q))] += inc;
      }
      from[t] = begin, to[t] = w;
      merge(gone, mine);
    }
    std::size_t w = 0;
    for (std::size_t t = 0; t + 1 < from.size(); ++t) {
      if (to[t] > from[t] && w != from[t])
        std::memmove(&list_[w], &list_[from[t]], (to[t] - from[t]) * sizeof(std::uint32_t));
      w += to[t] - from[t];
    }
    list_.resize(w);
    for (std::size_t i = 0; i < cells_; ++i) local_[i] -= gone[i];
  }

  // One pass over the active runs against `box`: marks the runs inside it, and counts per
  // input k and bin the runs that meet every limit but k's and not k's (pasting candidates;
  // with the box's runs, the quasi-p-values). With `inside`, the box's own runs are counted by
  // bin too (polishing peels edge bins). Returns the box's runs and hits.
  std::pair<u64, u64> slab_pass(const Box& box, Counts& slab, bool inside) {
    const std::size_t N = r_.size();
    const int K = K_;
    std::vector<u64> local(cells_, 0);
    u64 in_runs = 0, in_hits = 0;
#pragma omp parallel reduction(+ : in_runs, in_hits)
    {
      std::vector<u64> mine(cells_, 0);
#pragma omp for schedule(static)
      for (std::size_t i = 0; i < N; ++i) {
        std::uint8_t f = r_.flags[i];
        if (!(f & kActive)) continue;
        int outside = 0, which = 0;
        for (int k = 0; k < K; ++k)
          if (bin(i, k) < box.lo[static_cast<std::size_t>(k)] ||
              bin(i, k) >= box.hi[static_cast<std::size_t>(k)])
            ++outside, which = k;
        const u64 inc = packed(f);
        if (outside == 0) {
          f |= kInBox;
          ++in_runs, in_hits += f & kHit;
          if (inside)
            for (int k = 0; k < K; ++k) mine[cell(k, bin(i, k))] += inc;
        } else {
          f &= static_cast<std::uint8_t>(~kInBox);
          if (outside == 1) mine[cell(which, bin(i, which))] += inc;
        }
        r_.flags[i] = f;
      }
      merge(local, mine);
    }
    slab = reduce(local);
    u64 both[2] = {in_runs, in_hits};
    MPI_Allreduce(MPI_IN_PLACE, both, 2, MPI_UINT64_T, MPI_SUM, comm_);
    return {both[0], both[1]};
  }

  void remove_runs_in(const Box& box) {
    const std::size_t N = r_.size();
    const int K = K_;
#pragma omp parallel for schedule(static)
    for (std::size_t i = 0; i < N; ++i) {
      bool inside = true;
      for (int k = 0; k < K; ++k)
        inside = inside && bin(i, k) >= box.lo[static_cast<std::size_t>(k)] &&
                 bin(i, k) < box.hi[static_cast<std::size_t>(k)];
      if (inside) r_.flags[i] |= kRemoved;
    }
  }

  double objective(u64 n0, u64 h0, u64 n1, u64 h1) const {
    const double m0 = static_cast<double>(h0) / static_cast<double>(n0);
    const double m1 = static_cast<double>(h1) / static_cast<double>(n1);
    const double change = static_cast<double>(n0 > n1 ? n0 - n1 : n1 - n0);
    switch (c_.objective) {
      case Objective::kOriginal: return m1 - m0;
      case Objective::kLenient1: return (m1 - m0) / (change / static_cast<double>(sample_runs_));
      case Objective::kLenient2: return (m1 - m0) * static_cast<double>(n1) / change;
    }
    return 0.0;
  }

  struct Candidate {
    int k = -1, lo = 0, hi = 0;
    u64 n = 0, h = 0;
    double score = -std::numeric_limits<double>::infinity();
  };

  // The best peel of `box` (n runs, h hits) from the reduced counts; k < 0 when none helps.
  Candidate best_peel(const Box& box, u64 n, u64 h, const Counts& g) const {
    Candidate best;
    const double quota = c_.peel_alpha * static_cast<double>(n);
    const double mass_floor = c_.mass_min * static_cast<double>(sample_runs_);
    const auto consider = [&](int k, int lo, int hi, u64 gone_n, u64 gone_h) {
      const u64 n1 = n - gone_n, h1 = h - gone_h;
      if (n1 == 0 || static_cast<double>(n1) < mass_floor || !better_mean(n, h, n1, h1)) return;
      const double s = objective(n, h, n1, h1);
      if (s > best.score) best = {k, lo, hi, n1, h1, s};  // ties: the first input, lower first
    };
    for (int k = 0; k < K_; ++k) {
      if (!peelable_[static_cast<std::size_t>(k)]) continue;
      const int lo = box.lo[static_cast<std::size_t>(k)], hi = box.hi[static_cast<std::size_t>(k)];
      u64 cn = 0, ch = 0;
      int c = lo;
      while (c < hi && static_cast<double>(cn) < quota)
        cn += g.n[cell(k, c)], ch += g.h[cell(k, c)], ++c;
      if (c < hi && cn > 0) consider(k, c, hi, cn, ch);
      cn = 0, ch = 0, c = hi;
      while (c > lo && static_cast<double>(cn) < quota)
        --c, cn += g.n[cell(k, c)], ch += g.h[cell(k, c)];
      if (c > lo && cn > 0) consider(k, lo, c, cn, ch);
    }
    return best;
  }

  std::vector<Step> peel() {
    std::vector<Step> steps;
    Counts g = reduce(local_);
    Step s{Box(K_), total_runs(g), total_hits(g)};
    steps.push_back(s);
    for (;;) {
      const Candidate c = best_peel(s.box, s.runs, s.hits, g);
      if (c.k < 0) break;
      peel_pass(c.k, c.lo, c.hi);
      g = reduce(local_);
      s.box.lo[static_cast<std::size_t>(c.k)] = static_cast<std::uint16_t>(c.lo);
      s.box.hi[static_cast<std::size_t>(c.k)] = static_cast<std::uint16_t>(c.hi);
      s.runs = c.n, s.hits = c.h;
      steps.push_back(s);
    }
    return steps;
  }

  // The best paste of `box` from the widened counts; k < 0 when none raises the mean.
  Candidate best_paste(const Box& box, u64 n, u64 h, const Counts& slab) const {
    Candidate best;
    const double quota = c_.paste_alpha * static_cast<double>(n);
    const auto consider = [&](int k, int lo, int hi, u64 add_n, u64 add_h) {
      if (add_n == 0 || !better_mean(n, h, n + add_n, h + add_h)) return;
      const double s = objective(n, h, n + add_n, h + add_h);
      if (s > best.score) best = {k, lo, hi, n + add_n, h + add_h, s};
    };
    for (int k = 0; k < K_; ++k) {
      if (!box.restricted(k)) continue;
      const int lo = box.lo[static_cast<std::size_t>(k)], hi = box.hi[static_cast<std::size_t>(k)];
      u64 an = 0, ah = 0;
      int c = lo;
      while (c > 0 && static_cast<double>(an) < quota)
        --c, an += slab.n[cell(k, c)], ah += slab.h[cell(k, c)];
      if (c < lo) consider(k, c, hi, an, ah);
      an = 0, ah = 0, c = hi;
      while (c < kBins && static_cast<double>(an) < quota)
        an += slab.n[cell(k, c)], ah += slab.h[cell(k, c)], ++c;
      if (c > hi) consider(k, lo, c, an, ah);
    }
    return best;
  }

  // Moves each limit of the box by single bins: peels an edge bin while that raises the mean,
  // pastes the next non-empty bin while that keeps the mean. Alpha-sized steps land on the
  // limits only to within a peel; this puts them on the bin edge where the density changes.
  // One input at a time: its slab counts (the runs meeting every other limit, by its bin) say
  // exactly what each move of its limits does, so the moves along one input need no pass; one
  // slab pass per input moved brings the other inputs' counts up to date. Sweeps over the
  // inputs until none moves. Only limits the box has: a noisy edge bin is no reason for a new
  // restriction.
  void polish(Step& s, Counts& slab, std::vector<Step>& steps) {
    const double mass_floor = c_.mass_min * static_cast<double>(sample_runs_);
    std::vector<bool> moves(static_cast<std::size_t>(K_));
    for (int k = 0; k < K_; ++k) moves[static_cast<std::size_t>(k)] = s.box.restricted(k);
    for (int sweep = 0; sweep < 16; ++sweep) {
      bool changed = false;
      for (int k = 0; k < K_; ++k) {
        if (!moves[static_cast<std::size_t>(k)]) continue;
        int lo = s.box.lo[static_cast<std::size_t>(k)], hi = s.box.hi[static_cast<std::size_t>(k)];
        u64 n = s.runs, h = s.hits;
        const int lo0 = lo, hi0 = hi;
        for (int guard = 0; guard < 2 * kBins; ++guard) {
          Candidate best;
          const auto consider = [&](int new_lo, int new_hi, u64 n1, u64 h1, bool peel) {
            if (n1 == 0 || n1 == n) return;
            if (peel ? (static_cast<double>(n1) < mass_floor || !better_mean(n, h, n1, h1))
                     : better_mean(n1, h1, n, h))
              return;
            const double score = objective(n, h, n1, h1);
            if (score > best.score) best = {k, new_lo, new_hi, n1, h1, score};
          };
          // Peel an edge bin (with the empty ones next to it).
          int c = lo;
          u64 an = 0, ah = 0;
          while (c < hi - 1 && an == 0) an += slab.n[cell(k, c)], ah += slab.h[cell(k, c)], ++c;
          consider(c, hi, n - an, h - ah, true);
          c = hi, an = 0, ah = 0;
          while (c > lo + 1 && an == 0) --c, an += slab.n[cell(k, c)], ah += slab.h[cell(k, c)];
          consider(lo, c, n - an, h - ah, true);
          // Paste the next non-empty bin.
          c = lo, an = 0, ah = 0;
          while (c > 0 && an == 0) --c, an += slab.n[cell(k, c)], ah += slab.h[cell(k, c)];
          if (c < lo && ah > 0) consider(c, hi, n + an, h + ah, false);
          c = hi, an = 0, ah = 0;
          while (c < kBins && an == 0) an += slab.n[cell(k, c)], ah += slab.h[cell(k, c)], ++c;
          if (c > hi && ah > 0) consider(lo, c, n + an, h + ah, false);
          if (best.k < 0) break;
          lo = best.lo, hi = best.hi, n = best.n, h = best.h;
        }
        if (lo == lo0 && hi == hi0) continue;
        s.box.lo[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(lo);
        s.box.hi[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(hi);
        const auto [n1, h1] = slab_pass(s.box, slab, true);
        s.runs = n1, s.hits = h1;
        steps.push_back(s);
        changed = true;
      }
      if (!changed) return;
    }
  }

  // Peels, picks a step, pastes it, and tests each restriction, on the active runs.
  FoundBox find(bool first, bool clip = false) {
    FoundBox fb;
    fb.peel = peel();
    fb.chosen = choose_step(fb.peel, sample_hits_, c_.choice, first, clip);
    Step s = fb.peel[static_cast<std::size_t>(fb.chosen)];
    Counts slab;
    for (;;) {
      const auto [n, h] = slab_pass(s.box, slab, false);
      s.runs = n, s.hits = h;
      const Candidate c = best_paste(s.box, n, h, slab);
      if (c.k < 0) break;
      s.box.lo[static_cast<std::size_t>(c.k)] = static_cast<std::uint16_t>(c.lo);
      s.box.hi[static_cast<std::size_t>(c.k)] = static_cast<std::uint16_t>(c.hi);
      s.runs = c.n, s.hits = c.h;
      fb.paste.push_back(s);
    }
    if (!clip) {
      slab_pass(s.box, slab, true);
      polish(s, slab, fb.paste);
      slab_pass(s.box, slab, false);
    }
    fb.box = s;
    const std::size_t K = static_cast<std::size_t>(K_);
    fb.p_value.assign(K, std::numeric_limits<double>::quiet_NaN());
    fb.wider_runs.assign(K, 0), fb.wider_hits.assign(K, 0);
    for (int k = 0; k < K_; ++k) {
      fb.wider_runs[static_cast<std::size_t>(k)] = s.runs;
      fb.wider_hits[static_cast<std::size_t>(k)] = s.hits;
      for (int bin = 0; bin < kBins; ++bin)
        fb.wider_runs[static_cast<std::size_t>(k)] += slab.n[cell(k, bin)],
            fb.wider_hits[static_cast<std::size_t>(k)] += slab.h[cell(k, bin)];
      if (s.box.restricted(k))
        fb.p_value[static_cast<std::size_t>(k)] =
            quasi_p_value(s.runs, s.hits, fb.wider_runs[static_cast<std::size_t>(k)],
                          fb.wider_hits[static_cast<std::size_t>(k)]);
    }
    return fb;
  }

  // How often each input is restricted when the box is found again on half-samples.
  void stability(FoundBox& fb, bool first) {
    fb.stability.assign(static_cast<std::size_t>(K_), 0.0);
    if (c_.resamples <= 0) return;
    std::vector<int> count(static_cast<std::size_t>(K_), 0);
    for (int r = 0; r < c_.resamples; ++r) {
      activate(r);
      if (total_hits(reduce(local_)) == 0) continue;
      // An index picked on the whole trajectory may lie beyond a half-sample's: then its end.
      const FoundBox half = find(first, true);
      for (int k = 0; k < K_; ++k) count[static_cast<std::size_t>(k)] += half.box.box.restricted(k);
    }
    for (int k = 0; k < K_; ++k)
      fb.stability[static_cast<std::size_t>(k)] =
          static_cast<double>(count[static_cast<std::size_t>(k)]) / c_.resamples;
  }

  Runs& r_;
  const std::vector<bool>& peelable_;
  const Controls& c_;
  MPI_Comm comm_;
  int K_;
  std::size_t cells_;
  std::vector<u64> local_;           // packed counts of the runs in the box on this rank
  std::vector<std::uint32_t> list_;  // the runs in the box on this rank, in order (peeling)
  u64 sample_runs_ = 0, sample_hits_ = 0;
};

}  // namespace

int Box::restrictions() const {
  int n = 0;
  for (std::size_t k = 0; k < lo.size(); ++k) n += restricted(static_cast<int>(k));
  return n;
}

int choose_step(const std::vector<Step>& peel, std::uint64_t all_hits, const Choice& choice,
                bool first, bool clip) {
  const int T = static_cast<int>(peel.size());
  if (T == 1) return 0;
  const auto density = [&](int t) {
    return static_cast<double>(peel[static_cast<std::size_t>(t)].hits) /
           static_cast<double>(peel[static_cast<std::size_t>(t)].runs);
  };
  const auto coverage = [&](int t) {
    return static_cast<double>(peel[static_cast<std::size_t>(t)].hits) /
           static_cast<double>(all_hits);
  };
  if (first && choice.rule == Choice::Rule::kIndex) {
    if (choice.index >= T && clip) return T - 1;
    if (choice.index >= T)
      throw InputError("command line", 0, "--box",
                       "the first box's peeling trajectory has " + std::to_string(T) +
                           " steps (0 to " + std::to_string(T - 1) + "); " +
                           std::to_string(choice.index) + " is beyond it");
    return choice.index;
  }
  if (choice.rule == Choice::Rule::kMinDensity) {
    int densest = 1;
    for (int t = 1; t < T; ++t) {
      if (density(t) >= choice.value) return t;
      if (density(t) > density(densest)) densest = t;
    }
    return densest;
  }
  if (choice.rule == Choice::Rule::kMinCoverage) {
    int last = 1;
    for (int t = 1; t < T; ++t)
      if (coverage(t) >= choice.value) last = t;
    return last;
  }
  // The default: the step with the largest coverage x density, i.e. hits^2 / runs (exact).
  int best = 1;
  for (int t = 2; t < T; ++t) {
    const Step& a = peel[static_cast<std::size_t>(t)];
    const Step& b = peel[static_cast<std::size_t>(best)];
    if (static_cast<u128>(a.hits) * a.hits * b.runs > static_cast<u128>(b.hits) * b.hits * a.runs)
      best = t;
  }
  return best;
}

double quasi_p_value(std::uint64_t runs, std::uint64_t hits, std::uint64_t wider_runs,
                     std::uint64_t wider_hits) {
  if (hits == 0 || wider_runs == 0) return 1.0;
  const double p = static_cast<double>(wider_hits) / static_cast<double>(wider_runs);
  if (p <= 0.0) return 0.0;
  if (p >= 1.0) return 1.0;
  // P(X >= hits) = I_p(hits, runs - hits + 1), the regularised incomplete beta function.
  return boost::math::ibeta(static_cast<double>(hits), static_cast<double>(runs - hits) + 1.0, p);
}

Result discover(Runs& runs, const std::vector<bool>& peelable, const Controls& c, MPI_Comm comm) {
  return Engine(runs, peelable, c, comm).run();
}

}  // namespace wedge::prim
