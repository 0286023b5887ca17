// The samplers on a prior whose score is exact: i.i.d. Gaussian pixels N(m, τ²), whose MMSE
// denoiser is D(x, σ) = m + τ²/(τ² + σ²)·(x − m). On an inpainting problem the posterior is known:
// measured pixels are pinned down, missing ones keep the prior's spread.
#include "core/image_ops.h"
#include "core/metrics.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "operators/sampling.h"
#include "solvers/samplers.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;

namespace {

constexpr double kMean = 100.0, kSpread = 20.0;

class GaussianPixels final : public Denoiser {
 public:
  std::string name() const override { return "gaussian pixels"; }
  Image denoise(const Image& x, double sigma) override {
    Image d = x.clone();
    d.array() = static_cast<float>(kMean) + shrink(sigma) * (x.array() - static_cast<float>(kMean));
    return d;
  }
  Image vjp(const Image&, double sigma, const Image& v) override {
    Image g = v.clone();
    g.array() *= shrink(sigma);
    return g;
  }

 private:
  static float shrink(double sigma) { return static_cast<float>(kSpread * kSpread / (kSpread * kSpread + sigma * sigma)); }
};

double mean_over(const Image& values, const Image& mask, bool inside) {
  double sum = 0.0;
  std::int64_t count = 0;
  for (std::int64_t k = 0; k < values.size(); ++k) {
    if ((mask.data()[k] > 0.5f) == inside) sum += values.data()[k], ++count;
  }
  return sum / static_cast<double>(count);
}

// Pixels drawn from the prior itself, so that its score is the exact one.
Image prior_draw(const ImageGeometry& grid, std::uint64_t seed) {
  Image x(grid);
  fill_normal(x, seed);
  x.array() = static_cast<float>(kMean) + static_cast<float>(kSpread) * x.array();
  return x;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(samplers)

BOOST_DATA_TEST_CASE(posterior_spread_follows_the_mask_and_the_mean_improves, boost::unit_test::data::make({0, 1}),
                     method) {
  const ImageGeometry grid{.shape = Shape::image(24, 24)};
  const Image mask = random_mask(grid, 0.5, 2);
  const auto op = std::make_shared<PixelMask>(mask);
  Image truth(grid);
  fill_normal(truth, 3);
  truth.array() = static_cast<float>(kMean) + static_cast<float>(kSpread) * truth.array();
  Image y = op->apply(truth);
  Image noise(grid);
  fill_normal(noise, 4);
  y.array() += 2.0f * noise.array() * mask.array();
  const DataFidelity data(op, y);
  GaussianPixels prior;
  SamplerOptions options;
  options.control.iterations = 40;
  options.sigma_first = 60.0, options.sigma_last = 1.0, options.noise_sigma = 2.0;
  options.samples = 12;
  // Langevin at a short step: its spread falls short by about the step's square (samplers.h).
  options.step_scale = 0.2;
  Image start(grid);
  fill_normal(start, 5);
  start.array() = static_cast<float>(kMean) + 60.0f * start.array();
  const PosteriorSamples result = method == 0 ? langevin(data, prior, start, options) : dps(data, prior, start, options);
  const double missing = mean_over(result.standard_deviation, mask, false);
  const double measured = mean_over(result.standard_deviation, mask, true);
  BOOST_TEST_MESSAGE((method == 0 ? "Langevin" : "DPS") << ": std missing " << missing << ", measured " << measured
                                                       << "; PSNR measurement " << psnr(truth, y, 255.0) << " dB, mean "
                                                       << psnr(truth, result.mean, 255.0) << " dB");
  BOOST_TEST(missing > 3.0 * measured);
  BOOST_TEST(psnr(truth, result.mean, 255.0) > psnr(truth, y, 255.0) + 3.0);
  // The spread is calibrated: a missing pixel's posterior is the prior, N(m, τ²); a measured one's
  // variance is 1/(1/τ² + 1/σ_n²). Both samplers fall a little short (samplers.h): within 20 %.
  // (12 samples of 288 pixels each: sampling error a few percent.)
  const double measured_spread = 1.0 / std::sqrt(1.0 / (kSpread * kSpread) + 1.0 / 4.0);
  BOOST_TEST(missing > 0.8 * kSpread);
  BOOST_TEST(missing < 1.2 * kSpread);
  BOOST_TEST(measured > 0.8 * measured_spread);
  BOOST_TEST(measured < 1.2 * measured_spread);
}

// The other small problems: the posterior mean improves on the naive start (the adjoint; FBP for
// CT) by super-resolution ×2, denoising and 60-view CT. (Deblurring white pixels leaves no room:
// they keep most of their variance at the frequencies a blur removes, where no estimator recovers
// anything, and the posterior mean is within 0.2 dB of the start.)
BOOST_DATA_TEST_CASE(the_posterior_mean_improves_on_the_start_of_every_problem,
                     boost::unit_test::data::make({0, 1}) * boost::unit_test::data::make({0, 1, 2}), method, problem) {
  const ImageGeometry grid{.shape = Shape::image(24, 24)};
  const CtGeometry ct = parallel_geometry(24, 1.0, 60);
  const std::shared_ptr<const LinearOperator> ops[] = {make_decimation(grid, 2, 1.0),
                                                       std::make_shared<PixelMask>(random_mask(grid, 1.0, 2)),
                                                       std::make_shared<JosephProjector>(ct)};
  const char* names[] = {"super-resolution x2", "denoising", "CT, 60 views"};
  const auto& op = ops[problem];
  const Image truth = prior_draw(grid, 3);
  // Denoising at the prior's own spread, where the posterior mean halves the error; CT: about 1 %
  // of the largest line integral.
  const double noise = problem == 0 ? 5.0 : 20.0;
  Image y = op->apply(truth), n(op->range());
  fill_normal(n, 4);
  y.array() += static_cast<float>(noise) * n.array();
  const DataFidelity data(op, y);
  const Image start = problem == 2 ? FilteredBackprojection(ct).reconstruct(y) : op->adjoint(y);
  GaussianPixels prior;
  SamplerOptions options;
  options.control.iterations = 40;
  options.sigma_first = 60.0, options.sigma_last = 1.0, options.noise_sigma = noise;
  options.samples = 32;
  const PosteriorSamples result = method == 0 ? langevin(data, prior, start, options) : dps(data, prior, start, options);
  BOOST_TEST_INFO((method == 0 ? "Langevin, " : "DPS, ") << names[problem] << ": start " << psnr(truth, start, 255.0)
                                                         << " dB, mean " << psnr(truth, result.mean, 255.0) << " dB");
  BOOST_TEST(psnr(truth, result.mean, 255.0) > psnr(truth, start, 255.0) + 1.0);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_samples) {
  const ImageGeometry grid{.shape = Shape::image(12, 10)};
  const auto op = std::make_shared<PixelMask>(random_mask(grid, 0.5, 2));
  Image y(grid);
  fill_normal(y, 6);
  const DataFidelity data(op, y);
  GaussianPixels prior;
  SamplerOptions options;
  options.control.iterations = 5;
  options.samples = 2;
  const PosteriorSamples a = langevin(data, prior, y, options), b = langevin(data, prior, y, options);
  BOOST_TEST((a.mean.array() == b.mean.array()).all());
  options.seed = 2;
  const PosteriorSamples c = langevin(data, prior, y, options);
  BOOST_TEST(!(a.mean.array() == c.mean.array()).all());
}

BOOST_AUTO_TEST_SUITE_END()
