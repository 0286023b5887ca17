#include "core/image_ops.h"
#include "operators/joseph_projector.h"
#include "solvers/conjugate_gradient.h"
#include "solvers/proximal_data_step.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;

namespace {

constexpr std::int64_t kSize = 48;
constexpr double kRho = 100;

// Noisy weighted CT of the test picture: counts falling with the line integral (a range of e³).
DataFidelity weighted_ct() {
  const auto op = std::make_shared<JosephProjector>(parallel_geometry(kSize, 1.0, 90));
  Image y = op->apply(testing::test_picture(kSize)), noise = y.zeros_like();
  Image weights = y.clone();
  weights.array() = 1e3f * (-3.0f * y.array() / y.array().maxCoeff()).exp();
  fill_normal(noise, 5);
  y.array() += noise.array() / weights.array().sqrt();
  return DataFidelity(op, y, std::move(weights));
}

double relative_distance(const Image& a, const Image& b) {
  Image d = a.clone();
  d.array() -= b.array();
  return norm(d) / norm(b);
}

// The exact proximal point, by many plain CG steps.
Image exact_prox(const DataFidelity& data, const Image& v) {
  Image x = v.zeros_like();
  data.prox(v, kRho, x, 2000, 1e-9);
  return x;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proximal_data_step)

// The shifted ramp preconditioner flattens AᵀWA + ρI: every frequency converges at about one
// rate, where plain CG leaves the high ones for last. From zero the first steps of plain CG win on
// the low frequencies that dominate the error; by 40 steps the preconditioned error is far below.
BOOST_AUTO_TEST_CASE(preconditioned_steps_reach_the_proximal_point_far_sooner) {
  const DataFidelity data = weighted_ct();
  const Image v = testing::test_picture(kSize), exact = exact_prox(data, v);
  Image plain = v.zeros_like(), preconditioned = v.zeros_like();
  data.prox(v, kRho, plain, 40, 0.0);
  ProximalDataStep{data}(v, kRho, preconditioned, 40);
  const double plain_error = relative_distance(plain, exact), preconditioned_error = relative_distance(preconditioned, exact);
  BOOST_TEST_MESSAGE("relative error after 40 CG steps: plain " << plain_error << ", preconditioned " << preconditioned_error);
  BOOST_TEST(preconditioned_error < 0.2 * plain_error);  // measured: 0.0024 against 0.021
}

// CG hands back M x as b minus its residual; it must be M x itself, so the next step can skip
// one application of M.
BOOST_AUTO_TEST_CASE(conjugate_gradients_return_m_of_their_result) {
  const DataFidelity data = weighted_ct();
  const Image b = data.shifted_right_hand_side(testing::test_picture(kSize), kRho);
  Image x = b.zeros_like(), mx;
  conjugate_gradient(data.shifted_normal(kRho), b, x, 12, 0.0, {}, &mx);
  Image direct = x.zeros_like();
  data.shifted_normal(kRho)(x, direct);
  BOOST_TEST(relative_distance(mx, direct) < 1e-4);
}

// A step reuses AᵀWA x only for the x it returned: the same answer as a fresh step from that x,
// and when the solver changed x in between, exactly a fresh step's answer.
BOOST_AUTO_TEST_CASE(reuses_its_projection_only_for_the_x_it_returned) {
  const DataFidelity data = weighted_ct();
  const Image v = testing::test_picture(kSize);
  Image second_v = v.clone();
  second_v.array() *= 0.9f;
  ProximalDataStep reusing(data);
  Image x = v.zeros_like();
  reusing(v, kRho, x, 4);
  Image fresh_x = x.clone();
  reusing(second_v, 2 * kRho, x, 4);
  ProximalDataStep{data}(second_v, 2 * kRho, fresh_x, 4);
  BOOST_TEST(relative_distance(x, fresh_x) < 1e-4);  // float rounding of the two first residuals

  x.array() += 0.01f;  // changed by the solver: no reuse
  fresh_x = x.clone();
  reusing(v, kRho, x, 4);
  ProximalDataStep{data}(v, kRho, fresh_x, 4);
  BOOST_TEST((x.array() == fresh_x.array()).all());
}

// The operator's calibration (A1, AᵀA1, the ramp's gain on AᵀA), shared by the data terms on it,
// preconditions as well as the per-measurement estimates it replaces: the same error after a few
// steps, within a few per cent, for two measurements with different weights.
BOOST_AUTO_TEST_CASE(a_shared_calibration_preconditions_as_well_as_its_own_estimates) {
  const DataFidelity data = weighted_ct();
  const auto op = std::make_shared<JosephProjector>(parallel_geometry(kSize, 1.0, 90));
  const auto calibration = std::make_shared<const NormalCalibration>(*op);
  const Image v = testing::test_picture(kSize);
  for (const float dose : {1.0f, 30.0f}) {
    Image weights = data.weights()->clone();
    weights.array() *= dose;
    const DataFidelity own(op, data.measurement(), weights.clone()), shared(op, data.measurement(), std::move(weights), calibration);
    const Image exact = exact_prox(own, v);
    Image x_own = v.zeros_like(), x_shared = v.zeros_like();
    ProximalDataStep{own}(v, kRho, x_own, 6);
    ProximalDataStep{shared}(v, kRho, x_shared, 6);
    const double own_error = relative_distance(x_own, exact), shared_error = relative_distance(x_shared, exact);
    BOOST_TEST_MESSAGE("dose ×" << dose << ": relative error after 6 steps " << own_error << " (own estimates), " << shared_error
                                << " (shared calibration)");
    BOOST_TEST(shared_error < 1.05 * own_error);
  }
}

BOOST_AUTO_TEST_SUITE_END()
