#include "core/metrics.h"
#include "operators/blur.h"
#include "operators/hounsfield.h"
#include "operators/joseph_projector.h"
#include "operators/low_dose.h"
#include "operators/phantom.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/sinogram_noise.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace tweedie;

namespace {

const CtGeometry kGeometry = parallel_geometry(192, 1.0, 360);

// Shepp–Logan in attenuation, smoothed by 1.5 pixels as anatomy is (a rasterised phantom's hard
// edges put kinks into most detector bins of a small scan, where no real projection has them).
Image smooth_phantom() {
  const ImageGeometry grid = kGeometry.image_geometry();
  Image phantom = rasterize(shepp_logan(170.0), grid);
  phantom.array() *= static_cast<float>(kWaterAttenuationPerMm);
  return Convolution(grid, gaussian_kernel(1.5), Boundary::zero).apply(phantom);
}

LowDoseSinogram scan(const Image& phantom, double photons) {
  return simulate_low_dose(JosephProjector(kGeometry).apply(phantom), {.incident_photons = photons, .seed = 4});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sinogram_noise)

// The Poisson model's one unknown, I0, comes back from the noise alone, over two decades of dose,
// and so do the weights ray by ray (the simulation's are the detected counts).
BOOST_DATA_TEST_CASE(finds_the_dose_and_the_weights_of_a_simulated_scan, boost::unit_test::data::make({1e3, 1e4, 1e5}),
                     photons) {
  const LowDoseSinogram measured = scan(smooth_phantom(), photons);
  const std::optional<EstimatedWeights> found = estimate_statistical_weights(measured.line_integrals);
  BOOST_REQUIRE(found.has_value());
  const EstimatedWeights& estimated = *found;
  BOOST_TEST_MESSAGE("I0 " << photons << ": estimated " << estimated.incident_photons);
  BOOST_TEST(std::abs(estimated.incident_photons / photons - 1.0) < 0.15);
  std::vector<double> ratios;
  for (std::int64_t k = 0; k < measured.weights.size(); ++k) {
    ratios.push_back(estimated.weights.data()[k] / measured.weights.data()[k]);
  }
  std::nth_element(ratios.begin(), ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2), ratios.end());
  BOOST_TEST(std::abs(ratios[ratios.size() / 2] - 1.0) < 0.15);
}

BOOST_AUTO_TEST_CASE(a_sinogram_without_noise_gets_none) {
  const Image noiseless = JosephProjector(kGeometry).apply(smooth_phantom());
  BOOST_TEST(!estimate_statistical_weights(noiseless).has_value());
  BOOST_TEST(!estimate_statistical_weights(Image(Shape::image(4, 8))).has_value());
}

// Without weights (and no σ_n) a scan in HU gets weights estimated from its noise, and says so:
// the reconstruction comes within 0.3 dB of the one with the simulation's weights.
BOOST_AUTO_TEST_CASE(a_scan_without_weights_is_reconstructed_with_estimated_weights) {
  const Image phantom = smooth_phantom();
  const LowDoseSinogram measured = scan(phantom, 1e4);
  Image reference = phantom.clone();
  attenuation_to_hounsfield(reference);
  CtReconstructionOptions o;
  o.solver.prior = "tv";
  const CtReconstruction weighted = reconstruct_ct(kGeometry, measured.line_integrals, &measured.weights, &reference, o);
  const CtReconstruction estimated = reconstruct_ct(kGeometry, measured.line_integrals, nullptr, &reference, o);
  BOOST_TEST_MESSAGE(weighted.summary.brief_report() << "\n" << estimated.summary.full_report());
  BOOST_TEST(weighted.summary.noise_origin.empty());
  BOOST_TEST(estimated.summary.noise_origin.find("estimated from the sinogram") != std::string::npos);
  BOOST_TEST(estimated.summary.quality->psnr > weighted.summary.quality->psnr - 0.3);
  BOOST_TEST(estimated.summary.quality->psnr > estimated.summary.quality->start_psnr + 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
