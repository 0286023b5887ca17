#include "core/error.h"
#include "pipelines/ct_defaults.h"
#include "pipelines/ct_volume.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;

namespace {

// The last prior level of PnP-HQS, in HU, for a dense parallel scan of 512 pixels of this size
// whose statistical weights all equal `mean_weight`.
double last_level_hu(double pixel_spacing_mm, float mean_weight) {
  const CtGeometry geometry = parallel_geometry(512, pixel_spacing_mm, 720);
  Image weights(geometry.sinogram_shape());
  weights.array() = mean_weight;
  return ct_defaults(solver_traits("pnp-hqs"), geometry, &weights).pnp.sigma_last / kAttenuationPerHu;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ct_defaults_suite)

// The last level follows the FBP noise: 1/√dose and 1/pixel size, within [20, 120] HU.
BOOST_AUTO_TEST_CASE(last_prior_level_follows_the_fbp_noise) {
  const auto tol = boost::test_tools::tolerance(1e-6);
  BOOST_TEST(last_level_hu(0.9765625, 5000.0f) == 80.0, tol);
  BOOST_TEST(last_level_hu(0.9765625, 20000.0f) == 40.0, tol);
  BOOST_TEST(last_level_hu(1.953125, 5000.0f) == 40.0, tol);
  BOOST_TEST(last_level_hu(0.9765625 / 1.25, 5000.0f) == 100.0, tol);
  BOOST_TEST(last_level_hu(3.90625, 5000.0f) == 20.0, tol);   // 20 HU, the floor
  BOOST_TEST(last_level_hu(0.5, 2000.0f) == 120.0, tol);      // the ceiling
}

// Solvers without a proximal data step end at 10 HU whatever the scan.
BOOST_AUTO_TEST_CASE(gradient_step_solvers_end_at_ten_hu) {
  const CtGeometry geometry = parallel_geometry(64, 3.0, 120);
  const SolverSettings s = ct_defaults(solver_traits("pnp-pgd"), geometry, nullptr, 0.02);
  BOOST_TEST(s.pnp.sigma_last / kAttenuationPerHu == 10.0, boost::test_tools::tolerance(1e-9));
}

// PnP-HQS solves the first 5/8 of its schedule on the half grid unless told otherwise, where the
// pixels are 1 mm or finer; solvers that carry the data step on, or follow no schedule, stay on
// the full grid; a choice that leaves no iteration on the full grid, or a grid without a half, is
// refused.
BOOST_AUTO_TEST_CASE(pnp_hqs_starts_on_the_half_grid_where_pixels_are_fine) {
  const CtGeometry dense = parallel_geometry(512, 0.9765625, 720), sparse = parallel_geometry(512, 0.9765625, 60);
  const SolverTraits& hqs = solver_traits("pnp-hqs");
  SolverChoice choice;
  BOOST_TEST(half_resolution_iterations(choice, hqs, dense) == 5);
  BOOST_TEST(half_resolution_iterations(choice, hqs, sparse) == 25);
  BOOST_TEST(half_resolution_iterations(choice, hqs, parallel_geometry(512, 1.2, 720)) == 0);
  BOOST_TEST(half_resolution_iterations(choice, solver_traits("pnp-admm"), dense) == 0);
  BOOST_TEST(half_resolution_iterations(choice, solver_traits("tv-pdhg"), dense) == 0);
  BOOST_TEST(half_resolution_iterations(choice, hqs, parallel_geometry(511, 0.9765625, 720)) == 0);
  choice.iterations = 12;
  BOOST_TEST(half_resolution_iterations(choice, hqs, dense) == 7);
  choice.half_resolution_iterations = 11;
  BOOST_TEST(half_resolution_iterations(choice, hqs, parallel_geometry(64, 3.0, 120)) == 11);
  choice.half_resolution_iterations = 12;
  BOOST_CHECK_THROW(half_resolution_iterations(choice, hqs, dense), ParameterError);
  choice.half_resolution_iterations = 2;
  BOOST_CHECK_THROW(half_resolution_iterations(choice, hqs, parallel_geometry(63, 3.0, 120)), ParameterError);
}

BOOST_AUTO_TEST_SUITE_END()
