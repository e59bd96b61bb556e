#pragma once
// Analytic test models with known answers, hosted by the engine like any other model: they
// exercise the whole pipeline (sampling, statistics, MPI, HDF5, merge, restart) and give the
// sensitivity and scenario-discovery analyses exact values to be checked against.
//
// - ishigami: y = sin x1 + a sin^2 x2 + b x3^4 sin x1 (+ noise_sd N(0, 1), the model's own
//   randomness), the classic test of Sobol indices (Ishigami and Homma 1990); with
//   x_i ~ U(-pi, pi), a = 7, b = 0.1 the first-order indices are (0.3139, 0.4424, 0) and the
//   total-order ones (0.5576, 0.4424, 0.2437).
// - sobol_g: y = prod_i (|4 x_i - 2| + a_i) / (1 + a_i), x_i ~ U(0, 1) (Sobol' 1993; Saltelli
//   and Sobol' 1995): V_i = 1 / (3 (1 + a_i)^2), the smaller a_i the more x_i matters.
// - box: `hit` is 1 with probability p_inside when the first inputs lie in a known box
//   (lower_i <= x_i <= upper_i), p_outside elsewhere; `y` is 1 in the box, 0 outside, plus a
//   U(0, 1) draw (so y > 1 is exactly the box). The test of scenario discovery (PRIM).
// - coin: one parameter p (a Beta(a, b) prior makes it conjugate), one event `success` in each
//   quarter with probability p, states `rate` (p) and `share` (the running share of successes):
//   evidence of k successes in n quarters gives the posterior Beta(a + k, b + n - k), the
//   closed-form test of the evidence's weights. Its lever `effort` has no effect.
#include "wedge/core/model.hpp"

namespace wedge::test_models {

extern const ModelType kIshigami;
extern const ModelType kSobolG;
extern const ModelType kBox;
extern const ModelType kCoin;

}  // namespace wedge::test_models
