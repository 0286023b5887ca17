// SURE of whole reconstructions in the measurement domain: on deblurring (white noise) and on CT
// with statistical weights, it tracks the true predicted risk, and the prior level it chooses
// predicts the noise-free measurement, and the image, nearly as well as the best level does.
#include "core/image_ops.h"
#include "core/metrics.h"
#include "operators/blur.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "operators/phantom.h"
#include "operators/sampling.h"
#include "priors/classical_denoisers.h"
#include "solvers/measurement_sure.h"
#include "solvers/pnp.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <memory>

using namespace tweedie;

namespace {

// A problem with its truth, noise model and a PnP-HQS reconstruction with the TV prior at a final
// level σ (the schedule from 4σ).
struct SureProblem {
  std::string name;
  std::shared_ptr<const LinearOperator> op;
  Image truth;
  std::optional<Image> weights;
  double noise_sigma = 1.0;
  std::function<Image(const Image& y)> start_of;
  std::vector<double> levels;  ///< prior levels around the best

  DataFidelity measure(std::uint64_t seed) const {
    Image y = op->apply(truth), noise(op->range());
    fill_normal(noise, seed);
    if (weights) noise.array() /= weights->array().sqrt();
    y.array() += static_cast<float>(noise_sigma) * noise.array();
    return DataFidelity(op, y, weights ? std::optional<Image>(weights->clone()) : std::nullopt);
  }
  Image reconstruct(const DataFidelity& data, double sigma) const {
    TvDenoiser tv;
    PnpOptions options;
    options.control.iterations = 8;
    options.sigma_first = 4.0 * sigma, options.sigma_last = sigma;
    options.noise_sigma = noise_sigma, options.penalty_scale = 0.5;
    return pnp_hqs(data, tv, start_of(data.measurement()), options).image;
  }
};

SureProblem deblurring() {
  SureProblem p;
  p.name = "deblurring", p.truth = testing::test_picture(96);
  p.op = std::make_shared<Convolution>(p.truth.geometry(), gaussian_kernel(1.6), Boundary::circular);
  p.noise_sigma = 5.0;
  p.start_of = [](const Image& y) { return y.clone(); };
  p.levels = {3.0, 8.0, 20.0};
  return p;
}

// Shepp–Logan (attenuation, mm⁻¹), 60 parallel views; weights = counts of 10⁴ incident photons.
SureProblem weighted_ct() {
  const CtGeometry geometry = parallel_geometry(48, 1.0, 60);
  SureProblem p;
  p.name = "weighted CT";
  p.op = std::make_shared<JosephProjector>(geometry);
  p.truth = rasterize(shepp_logan(0.45 * 48), geometry.image_geometry(), 2);
  Image counts = p.op->apply(p.truth);
  counts.array() = 1e4f * (-counts.array()).exp();
  p.weights = std::move(counts);
  p.start_of = [geometry](const Image& y) { return FilteredBackprojection(geometry).reconstruct(y); };
  p.levels = {0.001, 0.003, 0.009};
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(measurement_sure)

BOOST_AUTO_TEST_CASE(for_denoising_it_is_the_sure_of_the_denoiser) {
  const Image clean = testing::test_picture(64);
  Image ones = clean.zeros_like();
  ones.array() = 1.0f;
  const DataFidelity data(std::make_shared<PixelMask>(ones), testing::with_noise(clean, 15.0, 3));
  TvDenoiser tv;
  const double image_domain = monte_carlo_sure(tv, data.measurement(), 15.0, 12.0);
  const double measurement_domain =
      predicted_risk_sure(data, 15.0, [&](const DataFidelity& d) { return tv.denoise(d.measurement(), 12.0); });
  BOOST_TEST(measurement_domain * 225.0 == image_domain, boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(it_tracks_the_true_predicted_risk) {
  for (const SureProblem& problem : {deblurring(), weighted_ct()}) {
    double deviation = 0.0;
    int cases = 0;
    for (std::uint64_t seed : {21, 22, 23}) {
      const DataFidelity data = problem.measure(seed);
      for (double sigma : problem.levels) {
        const auto reconstruct = [&](const DataFidelity& d) { return problem.reconstruct(d, sigma); };
        const double estimate = predicted_risk_sure(data, problem.noise_sigma, reconstruct);
        const double truth = predicted_risk(data, problem.noise_sigma, reconstruct(data), problem.truth);
        BOOST_TEST_MESSAGE(problem.name << " σ " << sigma << ": SURE " << estimate << ", true " << truth);
        deviation += std::abs(estimate - truth) / truth, ++cases;
      }
    }
    BOOST_TEST_INFO(problem.name);
    BOOST_TEST(deviation / cases < 0.1);
  }
}

BOOST_AUTO_TEST_CASE(the_chosen_level_predicts_nearly_as_well_as_the_best) {
  for (const SureProblem& problem : {deblurring(), weighted_ct()}) {
    const DataFidelity data = problem.measure(31);
    const auto reconstruct = [&](const DataFidelity& d, double sigma) { return problem.reconstruct(d, sigma); };
    const SigmaChoice choice =
        choose_prior_sigma_by_sure(data, problem.noise_sigma, reconstruct, problem.levels.front(), problem.levels.back());
    double best = 1e300, best_psnr = 0.0;
    for (const auto& [sigma, sure] : choice.curve) {
      const Image x = reconstruct(data, sigma);
      best = std::min(best, predicted_risk(data, problem.noise_sigma, x, problem.truth));
      best_psnr = std::max(best_psnr, psnr(problem.truth, x, value_range(problem.truth)));
    }
    const Image chosen = reconstruct(data, choice.sigma);
    const double chosen_risk = predicted_risk(data, problem.noise_sigma, chosen, problem.truth);
    const double chosen_psnr = psnr(problem.truth, chosen, value_range(problem.truth));
    BOOST_TEST_MESSAGE(problem.name << ": SURE chooses σ " << choice.sigma << ", true risk " << chosen_risk << " (best "
                                    << best << "), PSNR " << chosen_psnr << " dB (best " << best_psnr << ")");
    BOOST_TEST_INFO(problem.name);
    BOOST_TEST(chosen_risk < 1.1 * best);
    BOOST_TEST(chosen_psnr > best_psnr - 0.3);
  }
}

BOOST_AUTO_TEST_SUITE_END()
