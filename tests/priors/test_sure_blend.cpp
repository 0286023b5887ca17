// The SURE-weighted blend does better than each of its members, from the noisy image alone.
#include "core/error.h"
#include "core/image_io.h"
#include "core/metrics.h"
#include "priors/bm3d.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/sure_blend.h"
#include "support/shared_data.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <utility>

using namespace tweedie;

namespace {

std::vector<std::unique_ptr<Denoiser>> tv_and_gaussian() {
  std::vector<std::unique_ptr<Denoiser>> members;
  members.push_back(std::make_unique<TvDenoiser>());
  members.push_back(std::make_unique<GaussianDenoiser>());
  return members;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sure_blend)

// Where one member is clearly better the blend matches it (within SURE's own error, a few
// hundredths of a dB); where they fail differently it beats both.
BOOST_AUTO_TEST_CASE(the_blend_of_tv_and_gaussian_smoothing_is_as_good_as_the_better) {
  const Image clean = testing::test_picture(256);
  for (double sigma : {15.0, 40.0}) {
    const Image noisy = testing::with_noise(clean, sigma, 11);
    SureBlendDenoiser blend(tv_and_gaussian());
    TvDenoiser tv;
    GaussianDenoiser gaussian;
    const double blended = psnr(clean, blend.denoise(noisy, sigma), 255.0);
    const double tv_psnr = psnr(clean, tv.denoise(noisy, sigma), 255.0);
    const double gaussian_psnr = psnr(clean, gaussian.denoise(noisy, sigma), 255.0);
    BOOST_TEST_MESSAGE("σ " << sigma << ": blend " << blended << " dB, TV " << tv_psnr << " dB, Gaussian " << gaussian_psnr << " dB");
    BOOST_TEST(blended > std::max(tv_psnr, gaussian_psnr) - 0.02);
  }
}

BOOST_AUTO_TEST_CASE(the_natural_model_blended_with_bm3d_beats_both,
                     *boost::unit_test::label("slow") *
                         boost::unit_test::precondition(testing::SharedDataPresent{"natural/set12"})) {
  const Model model = read_model(std::filesystem::path(TWEEDIE_SOURCE_DIR) / "models/natural-gray.tdm");
  std::vector<std::unique_ptr<Denoiser>> members;
  members.push_back(std::make_unique<CnnDenoiser>(model));
  members.push_back(std::make_unique<Bm3dDenoiser>());
  SureBlendDenoiser blend(std::move(members));
  CnnDenoiser network(model);
  Bm3dDenoiser bm3d;
  // Least margin over the better member. Cameraman: each has its own failures, the blend beats
  // both. Barbara: BM3D is 2 dB better on the stripes, and the blend keeps that.
  const std::pair<const char*, double> cases[] = {{"01.png", 0.1}, {"09.png", -0.02}};
  for (const auto& [name, margin] : cases) {
    const Image clean = read_image(testing::shared_data() / "natural/set12" / name);
    const Image noisy = testing::with_noise(clean, 25.0, 12);
    const double blended = psnr(clean, blend.denoise(noisy, 25.0), 255.0);
    const double network_psnr = psnr(clean, network.denoise(noisy, 25.0), 255.0);
    const double bm3d_psnr = psnr(clean, bm3d.denoise(noisy, 25.0), 255.0);
    BOOST_TEST_MESSAGE(name << ", σ = 25: blend " << blended << " dB, natural-gray " << network_psnr << " dB, BM3D "
                            << bm3d_psnr << " dB");
    BOOST_TEST(blended > std::max(network_psnr, bm3d_psnr) + margin);
    // Convex weights, BM3D's the larger on Barbara.
    const std::vector<double>& weights = blend.last_weights();
    BOOST_TEST(weights[0] + weights[1] == 1.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST((weights[0] >= 0.0 && weights[1] >= 0.0));
    if (margin < 0) BOOST_TEST(weights[1] > weights[0]);
  }
}

BOOST_AUTO_TEST_CASE(an_overstated_noise_level_does_not_shrink_the_image) {
  // A noiseless picture denoised at σ = 40, as PnP solvers do early on: SURE then favours the
  // smoother member, but the weights sum to one, so the blend keeps the mean that both keep.
  const Image clean = testing::test_picture(96);
  SureBlendDenoiser blend(tv_and_gaussian());
  const Image blended = blend.denoise(clean, 40.0);
  BOOST_TEST(blended.array().mean() == clean.array().mean(), boost::test_tools::tolerance(1e-3f));
}

BOOST_AUTO_TEST_CASE(the_blend_is_the_same_under_the_same_seed) {
  const Image noisy = testing::with_noise(testing::test_picture(64), 20.0, 13);
  SureBlendDenoiser a(tv_and_gaussian(), {.seed = 5}), b(tv_and_gaussian(), {.seed = 5}), c(tv_and_gaussian(), {.seed = 6});
  const Image first = a.denoise(noisy, 20.0);
  BOOST_TEST((first.array() == b.denoise(noisy, 20.0).array()).all());
  BOOST_TEST(!(first.array() == c.denoise(noisy, 20.0).array()).all());
}

BOOST_AUTO_TEST_CASE(bad_blends_are_refused) {
  BOOST_CHECK_THROW(SureBlendDenoiser({}), ParameterError);
  std::vector<std::unique_ptr<Denoiser>> with_null;
  with_null.push_back(nullptr);
  BOOST_CHECK_THROW(SureBlendDenoiser(std::move(with_null)), ParameterError);
  SureBlendDenoiser blend(tv_and_gaussian());
  const Image noisy = testing::with_noise(testing::test_picture(32), 20.0, 14);
  BOOST_CHECK_THROW(blend.denoise(noisy, -2.0), ParameterError);
  BOOST_TEST((blend.denoise(noisy, 0.0).array() == noisy.array()).all());
}

BOOST_AUTO_TEST_SUITE_END()
