#include "operators/hounsfield.h"
#include "operators/joseph_projector.h"
#include "operators/low_dose.h"
#include "operators/phantom.h"
#include "pipelines/held_out_views.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;

namespace {

const CtGeometry kGeometry = parallel_geometry(96, 2.0, 180);

LowDoseSinogram noisy_scan() {
  Image phantom = rasterize(shepp_logan(85.0), kGeometry.image_geometry());
  phantom.array() *= static_cast<float>(kWaterAttenuationPerMm);
  return simulate_low_dose(JosephProjector(kGeometry).apply(phantom), {.incident_photons = 3e3, .seed = 8});
}

CtReconstructionOptions tv_reconstruction() {
  CtReconstructionOptions options;
  options.solver.solver = "pnp-hqs";
  options.solver.prior = "tv";
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(held_out_views)

// FBP judged against itself scores the same; a regularised reconstruction of a noisy scan predicts
// the views it did not see better than FBP of the same views, and no image predicts them better
// than their own noise allows.
BOOST_AUTO_TEST_CASE(ranks_a_regularised_reconstruction_above_fbp_and_the_noise_below_both) {
  const LowDoseSinogram scan = noisy_scan();
  CtReconstructionOptions fbp_alone;
  fbp_alone.solver.solver = kFbpMethod;
  const HeldOutViewCheck same = check_held_out_views(kGeometry, scan.line_integrals, &scan.weights, fbp_alone);
  BOOST_TEST(same.method_error == same.fbp_error, boost::test_tools::tolerance(1e-6));  // HU and back

  const HeldOutViewCheck check = check_held_out_views(kGeometry, scan.line_integrals, &scan.weights, tv_reconstruction());
  BOOST_TEST_MESSAGE("held-out RMS: tv " << check.method_error << ", fbp " << check.fbp_error << ", noise "
                                         << *check.noise_error);
  BOOST_REQUIRE(check.noise_error.has_value());
  BOOST_TEST(check.method_error < 0.9 * check.fbp_error);
  BOOST_TEST(*check.noise_error < check.method_error);
}

BOOST_AUTO_TEST_CASE(needs_four_views) {
  const CtGeometry three = parallel_geometry(16, 1.0, 3);
  const Image sinogram(JosephProjector(three).range());
  BOOST_CHECK_THROW(check_held_out_views(three, sinogram, nullptr, tv_reconstruction()), ParameterError);
}

BOOST_AUTO_TEST_SUITE_END()
