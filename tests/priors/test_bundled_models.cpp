// The models shipped in models/: they load, and natural-gray beats the classical baselines on
// images it never saw (Set12).
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "support/shared_data.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>

using namespace tweedie;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(TWEEDIE_SOURCE_DIR) / "models";

// Mean PSNR of a denoiser over clean images with noise σ (seeded, floating point), output
// clipped to [low, high].
double mean_psnr(Denoiser& denoiser, const std::vector<Image>& images, double sigma, float low, float high) {
  double total = 0.0;
  for (std::size_t k = 0; k < images.size(); ++k) {
    Image noisy(images[k].geometry());
    fill_normal(noisy, 2026, static_cast<std::uint32_t>(k));
    noisy.array() = images[k].array() + static_cast<float>(sigma) * noisy.array();
    Image denoised = denoiser.denoise(noisy, sigma);
    denoised.array() = denoised.array().max(low).min(high);
    total += psnr(images[k], denoised, high - low);
  }
  return total / static_cast<double>(images.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundled_models)

BOOST_AUTO_TEST_CASE(natural_gray_beats_tv_and_gaussian_on_set12_at_sigma_25,
                     *boost::unit_test::precondition(testing::SharedDataPresent{"natural/set12"})) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(testing::shared_data() / "natural/set12")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<Image> images;
  for (const fs::path& file : files) images.push_back(read_image(file));
  BOOST_TEST_REQUIRE(images.size() == 12u);
  CnnDenoiser model(read_model(kModels / "natural-gray.tdm"));
  TvDenoiser tv;
  GaussianDenoiser gaussian;
  const double ours = mean_psnr(model, images, 25.0, 0.0f, 255.0f);
  const double tv_psnr = mean_psnr(tv, images, 25.0, 0.0f, 255.0f);
  const double gaussian_psnr = mean_psnr(gaussian, images, 25.0, 0.0f, 255.0f);
  BOOST_TEST_MESSAGE("Set12, σ = 25: natural-gray " << ours << " dB, TV " << tv_psnr << " dB, Gaussian " << gaussian_psnr << " dB");
  BOOST_TEST(ours > tv_psnr + 1.0);
  BOOST_TEST(ours > gaussian_psnr + 1.0);
}

BOOST_AUTO_TEST_CASE(ct_is_a_ct_model_for_the_noise_levels_of_low_dose_scans) {
  const Model model = read_model(kModels / "ct.tdm");
  BOOST_TEST(model.modality == "ct");
  BOOST_TEST(model.normalisation.units == "HU");
  BOOST_TEST(model.sigma_max >= 300.0);  // FBP at I0 = 1e4 is ~100 HU off; PnP starts higher
}

BOOST_AUTO_TEST_SUITE_END()
