// SURE tracks the true error without the clean image, picks nearly the oracle σ, and the noise
// estimators find σ_n.
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/sure.h"
#include "support/shared_data.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <memory>

using namespace tweedie;
namespace fs = std::filesystem;

namespace {

std::vector<Image> set12_images(std::initializer_list<const char*> names = {"01", "02", "05", "08", "10"}) {
  std::vector<Image> images;
  for (const char* name : names) {
    images.push_back(read_image(testing::shared_data() / "natural/set12" / (std::string(name) + ".png")));
  }
  return images;
}

std::unique_ptr<Denoiser> natural_model() {
  return std::make_unique<CnnDenoiser>(read_model(fs::path(TWEEDIE_SOURCE_DIR) / "models/natural-gray.tdm"));
}

// Mean relative deviation |SURE − MSE| / MSE over images × levels.
double sure_deviation(Denoiser& denoiser, const std::vector<Image>& images, std::uint64_t seed) {
  double total = 0.0;
  int cases = 0;
  for (const Image& clean : images) {
    for (double sigma : {10.0, 25.0, 50.0}) {
      const Image noisy = testing::with_noise(clean, sigma, seed + static_cast<std::uint64_t>(sigma));
      const double truth = mse(clean, denoiser.denoise(noisy, sigma));
      const double estimate = monte_carlo_sure(denoiser, noisy, sigma, sigma);
      BOOST_TEST_MESSAGE(denoiser.name() << " σ " << sigma << ": SURE " << estimate << ", MSE " << truth);
      total += std::abs(estimate - truth) / truth;
      ++cases;
    }
  }
  return total / cases;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sure)

BOOST_AUTO_TEST_CASE(sure_tracks_the_true_error_of_classical_denoisers) {
  std::vector<Image> images;
  images.push_back(testing::test_picture(256));
  TvDenoiser tv;
  GaussianDenoiser gaussian;
  BOOST_TEST(sure_deviation(tv, images, 1) < 0.05);
  BOOST_TEST(sure_deviation(gaussian, images, 2) < 0.05);
}

BOOST_AUTO_TEST_CASE(sure_is_the_same_under_the_same_seed) {
  const Image noisy = testing::with_noise(testing::test_picture(256), 20.0, 3);
  TvDenoiser tv;
  const double a = monte_carlo_sure(tv, noisy, 20.0, 15.0, {.probes = 2, .seed = 7});
  BOOST_TEST(a == monte_carlo_sure(tv, noisy, 20.0, 15.0, {.probes = 2, .seed = 7}));
  BOOST_TEST(a != monte_carlo_sure(tv, noisy, 20.0, 15.0, {.probes = 2, .seed = 8}));
}

BOOST_AUTO_TEST_CASE(sure_tracks_the_true_error_of_the_natural_model_and_tv_on_set12,
                     *boost::unit_test::label("slow") *
                         boost::unit_test::precondition(testing::SharedDataPresent{"natural/set12"})) {
  const std::vector<Image> images = set12_images();
  TvDenoiser tv;
  BOOST_TEST(sure_deviation(*natural_model(), images, 10) < 0.05);
  BOOST_TEST(sure_deviation(tv, images, 20) < 0.05);
}

BOOST_AUTO_TEST_CASE(the_sure_chosen_level_is_within_a_tenth_of_a_db_of_the_oracle,
                     *boost::unit_test::label("slow") *
                         boost::unit_test::precondition(testing::SharedDataPresent{"natural/set12"})) {
  // The oracle: the best level of a fine log grid over [σ/2, 2σ], scored with the clean image.
  const std::vector<Image> images = set12_images({"01", "02", "05"});
  TvDenoiser tv;
  const std::unique_ptr<Denoiser> model = natural_model();
  double loss = 0.0;
  int cases = 0;
  for (Denoiser* denoiser : {model.get(), static_cast<Denoiser*>(&tv)}) {
    for (const Image& clean : images) {
      for (double sigma : {10.0, 25.0, 50.0}) {
        const Image noisy = testing::with_noise(clean, sigma, 40 + static_cast<std::uint64_t>(sigma));
        const SigmaChoice choice = choose_sigma_by_sure(*denoiser, noisy, sigma);
        const double chosen = psnr(clean, denoiser->denoise(noisy, choice.sigma), 255.0);
        double oracle = chosen;
        for (int k = 0; k <= 20; ++k) {
          const double level = sigma * std::pow(2.0, (k - 10) / 10.0);
          oracle = std::max(oracle, psnr(clean, denoiser->denoise(noisy, level), 255.0));
        }
        BOOST_TEST_MESSAGE(denoiser->name() << " σ " << sigma << ": SURE picks " << choice.sigma << ", "
                                            << chosen << " dB; oracle " << oracle << " dB");
        loss += oracle - chosen;
        ++cases;
      }
    }
  }
  BOOST_TEST(loss / cases < 0.1);
}

BOOST_AUTO_TEST_CASE(the_noise_estimators_find_sigma_within_ten_percent,
                     *boost::unit_test::label("slow") *
                         boost::unit_test::precondition(testing::SharedDataPresent{"natural/set12"})) {
  for (const Image& clean : set12_images()) {
    for (double sigma : {10.0, 25.0, 50.0}) {
      const Image noisy = testing::with_noise(clean, sigma, 60 + static_cast<std::uint64_t>(sigma));
      const double pca = estimate_noise_sigma(noisy, NoiseEstimator::patch_pca);
      const double mad = estimate_noise_sigma(noisy, NoiseEstimator::wavelet_mad);
      BOOST_TEST_MESSAGE("σ " << sigma << ": patch PCA " << pca << ", wavelet MAD " << mad);
      BOOST_TEST(std::abs(pca - sigma) < 0.1 * sigma);
    }
  }
}

// Four evaluations find the minimum of a parabola in log σ between the first three points exactly,
// five one beyond them, and four the better end of a monotone objective.
BOOST_AUTO_TEST_CASE(the_parabola_search_finds_a_vertex_in_four_or_five_evaluations) {
  // A parabola in log σ with its least, 3, at `best`: the choice and the curve's length.
  const auto search = [](double best) {
    const SigmaChoice choice =
        minimise_by_parabola([best](double sigma) { return 3.0 + std::pow(std::log(sigma / best), 2.0); }, 0.1, 4.0);
    BOOST_TEST(choice.sigma == best, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(choice.sure == 3.0, boost::test_tools::tolerance(1e-9));
    return choice.curve.size();
  };
  BOOST_TEST(search(0.7) == 4u);
  BOOST_TEST(search(0.13) == 5u);  // beyond the points at 0.25 and 1.6 of the range 0.1–4
  BOOST_TEST(search(2.9) == 5u);
  const SigmaChoice falling = minimise_by_parabola([](double sigma) { return -std::log(sigma); }, 0.1, 4.0);
  BOOST_TEST(falling.curve.size() == 4u);
  BOOST_TEST(falling.sigma == 4.0, boost::test_tools::tolerance(1e-9));
  const SigmaChoice rising = minimise_by_parabola([](double sigma) { return std::pow(sigma, 3.0); }, 0.1, 4.0);
  BOOST_TEST(rising.sigma == 0.1, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_SUITE_END()
