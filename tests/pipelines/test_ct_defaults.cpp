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

BOOST_AUTO_TEST_SUITE_END()
