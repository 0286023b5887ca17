#include "core/image_ops.h"
#include "core/metrics.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/ensemble_denoiser.h"
#include "priors/gradient_check.h"
#include "priors/scaled_denoiser.h"

#include <boost/test/data/test_case.hpp>
#include "amx_present.h"
#include "random_network.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

Model random_model(std::int64_t unshuffle, std::int64_t width = 16, std::int64_t context = 0) {
  Model model;
  model.architecture = {.depth = 4, .width = width, .kernel = 3, .unshuffle = unshuffle, .context = context};
  model.parameters = testing::random_parameters(model.architecture, 5);
  return model;
}

// A piecewise-constant image on the 0–255 scale plus Gaussian noise of σ.
std::pair<Image, Image> blocks_with_noise(std::int64_t nx, std::int64_t ny, double sigma, std::uint64_t seed) {
  Image clean(Shape::image(nx, ny));
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) clean.at(i, j) = ((i / 16 + j / 16) % 2 == 0) ? 60.0f : 190.0f;
  }
  Image noisy(clean.geometry());
  fill_normal(noisy, seed);
  noisy.array() = clean.array() + static_cast<float>(sigma) * noisy.array();
  return {std::move(clean), std::move(noisy)};
}

// The exact MMSE denoiser of a N(0, τ²) image prior: D(x) = τ²/(τ² + σ²)·x.
class GaussianPriorDenoiser final : public Denoiser {
 public:
  explicit GaussianPriorDenoiser(double tau) : tau_(tau) {}
  std::string name() const override { return "gaussian prior"; }
  Image denoise(const Image& x, double sigma) override {
    Image d = x.clone();
    d.array() *= static_cast<float>(tau_ * tau_ / (tau_ * tau_ + sigma * sigma));
    return d;
  }

 private:
  double tau_;
};

// Relative error of vjp(x, σ, probe) against central differences of ⟨D(x), probe⟩.
double vjp_error(Denoiser& denoiser, const Image& x, double sigma, std::uint64_t seed, double step) {
  Image probe(x.geometry());
  fill_normal(probe, seed);
  const Image gradient = denoiser.vjp(x, sigma, probe);
  const auto f = [&](std::span<const float> values) {
    Image moved = x.clone();
    std::copy(values.begin(), values.end(), moved.data());
    return dot(denoiser.denoise(moved, sigma), probe);
  };
  return check_gradient(f, x.values(), gradient.values(), seed + 1, step);
}

double relative_difference(const Image& a, const Image& b) {
  Image d = a.clone();
  d.array() -= b.array();
  return norm(d) / norm(b);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(denoisers)

// Largest difference between whole-image inference and inference in tiles of 24 pixels (odd
// image width: edge extension).
float tiled_against_whole(const Model& model, ConvBackend backend) {
  const auto [clean, noisy] = blocks_with_noise(101, 90, 20.0, 1);
  CnnDenoiser whole(model, {backend, 4096}), tiled(model, {backend, 24});
  const Image a = whole.denoise(noisy, 20.0), b = tiled.denoise(noisy, 20.0);
  BOOST_TEST(norm(a) > 0.0);
  Image difference = a.clone();
  difference.array() -= b.array();
  return difference.array().abs().maxCoeff();
}

BOOST_DATA_TEST_CASE(tiled_inference_equals_whole_image_inference, data::make({1, 2}), unshuffle) {
  BOOST_TEST(tiled_against_whole(random_model(unshuffle), ConvBackend::winograd) == 0.0f);
}


// Width 32: the hidden layers run on AMX tiles.
BOOST_AUTO_TEST_CASE(tiled_amx_inference_equals_whole_image_inference, *boost::unit_test::precondition(testing::amx_present)) {
  BOOST_TEST(tiled_against_whole(random_model(2, 32), ConvBackend::amx_bf16) == 0.0f);
}

BOOST_AUTO_TEST_CASE(the_network_denoiser_vjp_matches_central_differences) {
  const auto [clean, noisy] = blocks_with_noise(21, 18, 20.0, 2);  // odd: the edge extension's adjoint
  CnnDenoiser denoiser(random_model(2), {ConvBackend::reference, 1024});
  BOOST_TEST(vjp_error(denoiser, noisy, 20.0, 3, 0.5) < 1e-3);
}

namespace {

// Four slices of blocks with noise of their own; the blocks shift from slice to slice.
Image noisy_volume(std::int64_t nx, std::int64_t ny) {
  Image volume(Shape::volume(nx, ny, 4));
  for (std::int64_t z = 0; z < 4; ++z) {
    const auto [clean, noisy] = blocks_with_noise(nx + 3 * z, ny, 20.0, 10 + static_cast<std::uint64_t>(z));
    for (std::int64_t j = 0; j < ny; ++j) std::copy_n(noisy.row_data(j) + 3 * z, nx, volume.row_data(j, z));
  }
  return volume;
}

}  // namespace

// Each slice of a volume is denoised with its neighbours: as the middle of the three slices around
// it; a lone slice and the ends of the volume stand in for their missing neighbours.
BOOST_AUTO_TEST_CASE(a_network_with_neighbouring_slices_denoises_each_slice_with_its_neighbours) {
  const Image volume = noisy_volume(30, 26);
  CnnDenoiser denoiser(random_model(2, 16, 1));
  const Image whole = denoiser.denoise(volume, 20.0);
  const Image three = denoiser.denoise(extract_slices(volume, 1, 3), 20.0);
  BOOST_TEST(relative_difference(extract_slices(whole, 2, 1), extract_slices(three, 1, 1)) == 0.0);

  const Image lone = extract_slices(volume, 0, 1);
  Image repeated(Shape::volume(30, 26, 3));
  for (std::int64_t z = 0; z < 3; ++z) repeated.slice(z) = lone.slice(0);
  const Image alone = denoiser.denoise(lone, 20.0);
  BOOST_TEST(relative_difference(extract_slices(alone, 0, 1), extract_slices(denoiser.denoise(repeated, 20.0), 1, 1)) == 0.0);
  const Image first = denoiser.denoise(extract_slices(volume, 0, 2), 20.0);
  BOOST_TEST(relative_difference(extract_slices(whole, 0, 1), extract_slices(first, 0, 1)) == 0.0);
  // The neighbours count: the first slice with its neighbour differs from it alone.
  BOOST_TEST(relative_difference(extract_slices(whole, 0, 1), extract_slices(alone, 0, 1)) > 1e-3);
}

// A slice denoised alone is that slice of the whole volume denoised, through unit changes and
// the ensemble too, which keep the network's neighbours.
BOOST_AUTO_TEST_CASE(a_slice_denoised_alone_is_that_slice_of_the_volume_denoised) {
  const Image volume = noisy_volume(30, 26);
  std::vector<std::unique_ptr<Denoiser>> denoisers;
  denoisers.push_back(std::make_unique<CnnDenoiser>(random_model(2, 16, 1)));
  denoisers.push_back(std::make_unique<ScaledDenoiser>(std::make_unique<CnnDenoiser>(random_model(2, 16, 1)), 2.0, -50.0));
  denoisers.push_back(std::make_unique<EnsembleDenoiser>(std::make_unique<CnnDenoiser>(random_model(2, 16, 1))));
  denoisers.push_back(std::make_unique<TvDenoiser>());
  for (const auto& denoiser : denoisers) {
    BOOST_TEST_INFO("denoiser " << denoiser->name());
    BOOST_TEST(denoiser->neighbouring_slices() == (denoiser->name() == "tv" ? 0 : 1));
    const Image whole = denoiser->denoise(volume, 20.0);
    for (std::int64_t z = 0; z < 4; ++z) {
      const Image slice = denoiser->denoise_slice(volume, z, 20.0);
      BOOST_TEST(slice.shape() == Shape::image(30, 26));
      BOOST_TEST(relative_difference(extract_slices(whole, z, 1), extract_slices(slice, 0, 1)) < 1e-6);
    }
  }
}

BOOST_AUTO_TEST_CASE(tiled_inference_with_neighbouring_slices_equals_whole_volume_inference) {
  const Image volume = noisy_volume(53, 38);
  const Model model = random_model(2, 16, 1);
  CnnDenoiser whole(model, {ConvBackend::winograd, 4096}), tiled(model, {ConvBackend::winograd, 24});
  BOOST_TEST(relative_difference(tiled.denoise(volume, 20.0), whole.denoise(volume, 20.0)) == 0.0);
}

// The vjp sums over the slices each slice feeds, the repeated ends included.
BOOST_AUTO_TEST_CASE(the_vjp_with_neighbouring_slices_matches_central_differences) {
  CnnDenoiser denoiser(random_model(2, 16, 1), {ConvBackend::reference, 1024});
  BOOST_TEST(vjp_error(denoiser, noisy_volume(11, 10), 20.0, 4, 0.5) < 1e-3);
}

BOOST_AUTO_TEST_CASE(the_eight_orientations_are_distinct_and_undone) {
  Image x(Shape::volume(5, 3, 2));
  fill_normal(x, 21);
  for (int k = 0; k < 8; ++k) {
    const Image turned = orient(x, k);
    BOOST_TEST(turned.shape().nx == (k & 4 ? 3 : 5));
    BOOST_TEST(relative_difference(unorient(turned, k), x) == 0.0);
    for (int other = 0; other < k; ++other) {
      const Image b = orient(x, other);
      BOOST_TEST_INFO("orientations " << k << " and " << other);
      BOOST_TEST((b.shape().nx != turned.shape().nx || relative_difference(b, turned) > 0.1));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_ensemble_is_equivariant_and_its_vjp_exact) {
  const auto [clean, noisy] = blocks_with_noise(22, 18, 20.0, 22);
  EnsembleDenoiser ensemble(std::make_unique<CnnDenoiser>(random_model(2), CnnDenoiser::Options{ConvBackend::reference, 1024}));
  CnnDenoiser single(random_model(2), {ConvBackend::reference, 1024});
  const Image averaged = ensemble.denoise(noisy, 20.0);
  BOOST_TEST(relative_difference(single.denoise(noisy, 20.0), averaged) > 1e-4);  // the network alone is not
  for (int k = 1; k < 8; ++k) {
    BOOST_TEST_INFO("orientation " << k);
    BOOST_TEST(relative_difference(ensemble.denoise(orient(noisy, k), 20.0), orient(averaged, k)) < 1e-5);
  }
  BOOST_TEST(vjp_error(ensemble, noisy, 20.0, 23, 0.5) < 1e-3);
}

BOOST_AUTO_TEST_CASE(the_score_is_tweedies_formula) {
  // For a N(0, τ²) prior the noisy density is N(0, τ² + σ²): score −x / (τ² + σ²).
  GaussianPriorDenoiser denoiser(3.0);
  Image x(Shape::image(5, 4));
  fill_normal(x, 6);
  const Image s = score(denoiser, x, 2.0);
  for (std::int64_t k = 0; k < x.size(); ++k) BOOST_TEST(s.data()[k] == -x.data()[k] / 13.0f, boost::test_tools::tolerance(1e-5f));
}

BOOST_AUTO_TEST_CASE(tv_denoising_restores_blocks_and_converges) {
  const auto [clean, noisy] = blocks_with_noise(64, 64, 25.0, 7);
  TvDenoiser tv;
  const Image u = tv.denoise(noisy, 25.0);
  BOOST_TEST(psnr(u, clean, 255.0) > psnr(noisy, clean, 255.0) + 8.0);
  // More iterations barely move the solution: it has converged to the ROF minimiser.
  TvDenoiser longer({.iterations = 1000, .tolerance = 0.0});
  Image change = longer.denoise(noisy, 25.0);
  change.array() -= u.array();
  BOOST_TEST(norm(change) < 5e-3 * norm(u));
}

BOOST_AUTO_TEST_CASE(gaussian_smoothing_keeps_flat_images_flat_and_lowers_noise) {
  Image flat(Shape::image(40, 30));
  flat.array() = 100.0f;
  GaussianDenoiser gaussian;
  BOOST_TEST((gaussian.denoise(flat, 25.0).array() - 100.0f).abs().maxCoeff() < 1e-3f);
  const auto [clean, noisy] = blocks_with_noise(64, 64, 25.0, 8);
  BOOST_TEST(psnr(gaussian.denoise(noisy, 25.0), clean, 255.0) > psnr(noisy, clean, 255.0) + 2.0);
}

BOOST_AUTO_TEST_CASE(a_unit_change_leaves_an_equivariant_denoiser_unchanged) {
  // ROF is equivariant: ROF_λ(a·x + b) = a·ROF_{λ/a}(x) + b, and λ ∝ σ, so TV in HU applied to
  // attenuation images is TV in attenuation.
  const auto [clean, noisy] = blocks_with_noise(40, 36, 20.0, 10);
  Image attenuation = noisy.clone();
  attenuation.array() *= 1e-4f;
  TvDenoiser::Options accurate;
  accurate.iterations = 1000, accurate.tolerance = 1e-7;
  auto in_hu = in_attenuation_units(std::make_unique<TvDenoiser>(accurate));
  TvDenoiser direct(accurate);
  Image difference = in_hu->denoise(attenuation, 2e-3);
  const Image expected = direct.denoise(attenuation, 2e-3);
  difference.array() -= expected.array();
  BOOST_TEST(norm(difference) < 1e-3 * norm(expected));
}

BOOST_AUTO_TEST_CASE(a_unit_change_keeps_the_vjp_exact) {
  const auto [clean, noisy] = blocks_with_noise(20, 18, 20.0, 11);
  Image x = noisy.clone();
  x.array() = x.array() / 1000.0f;  // another unit
  ScaledDenoiser denoiser(std::make_unique<CnnDenoiser>(random_model(2), CnnDenoiser::Options{ConvBackend::reference, 1024}),
                          1000.0, 0.0);
  BOOST_TEST(vjp_error(denoiser, x, 0.02, 12, 5e-4) < 1e-3);
}

BOOST_AUTO_TEST_SUITE_END()
