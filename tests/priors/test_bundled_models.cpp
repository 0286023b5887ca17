// The models shipped in models/: they load, and they beat the classical baselines on images they
// never saw (Set12 for natural-gray; the bundled abdomen sample, a validation patient, for ct).
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

BOOST_AUTO_TEST_CASE(ct_beats_tv_on_the_bundled_abdomen_at_100_hu) {
  const Image volume = read_image(fs::path(TWEEDIE_SOURCE_DIR) / "data/ct/abdomen_siemens_4sl.nii.gz");
  std::vector<Image> slices;
  for (std::int64_t z = 0; z < volume.shape().nz; ++z) slices.push_back(extract_slices(volume, z, 1));
  CnnDenoiser model(read_model(kModels / "ct.tdm"));
  BOOST_TEST(model.model().modality == "ct");
  TvDenoiser tv;
  const float low = -1024.0f, high = 3071.0f;
  const double ours = mean_psnr(model, slices, 100.0, low, high), tv_psnr = mean_psnr(tv, slices, 100.0, low, high);
  BOOST_TEST_MESSAGE("abdomen sample, σ = 100 HU: ct " << ours << " dB, TV " << tv_psnr << " dB");
  BOOST_TEST(ours > tv_psnr + 0.5);
}

BOOST_AUTO_TEST_SUITE_END()
