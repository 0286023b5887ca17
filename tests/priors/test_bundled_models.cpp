// The models shipped in models/: they load, and each beats the classical baselines on images it
// never saw (natural-gray on Set12, ct on the bundled abdomen sample), ct more so with neighbours.
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "support/shared_data.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>

using namespace tweedie;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(TWEEDIE_SOURCE_DIR) / "models";

struct Range {
  float low, high;
};

// Mean PSNR of a denoiser over clean images with noise σ (seeded, floating point), output
// clipped to the data range: `range`, or each image's own (CT) when none is given.
double mean_psnr(Denoiser& denoiser, const std::vector<Image>& images, double sigma, std::optional<Range> range) {
  double total = 0.0;
  for (std::size_t k = 0; k < images.size(); ++k) {
    const Image& clean = images[k];
    const Range r = range.value_or(Range{clean.array().minCoeff(), clean.array().maxCoeff()});
    Image noisy(clean.geometry());
    fill_normal(noisy, 2026, static_cast<std::uint32_t>(k));
    noisy.array() = clean.array() + static_cast<float>(sigma) * noisy.array();
    Image denoised = denoiser.denoise(noisy, sigma);
    denoised.array() = denoised.array().max(r.low).min(r.high);
    total += psnr(clean, denoised, r.high - r.low);
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
  const Range bytes{0.0f, 255.0f};
  const double ours = mean_psnr(model, images, 25.0, bytes);
  const double tv_psnr = mean_psnr(tv, images, 25.0, bytes);
  const double gaussian_psnr = mean_psnr(gaussian, images, 25.0, bytes);
  BOOST_TEST_MESSAGE("Set12, σ = 25: natural-gray " << ours << " dB, TV " << tv_psnr << " dB, Gaussian " << gaussian_psnr << " dB");
  BOOST_TEST(ours > tv_psnr + 1.0);
  BOOST_TEST(ours > gaussian_psnr + 1.0);
}

BOOST_AUTO_TEST_CASE(ct_is_a_ct_model_for_the_noise_levels_of_low_dose_scans) {
  const Model model = read_model(kModels / "ct.tdm");
  BOOST_TEST(model.modality == "ct");
  BOOST_TEST(model.normalisation.units == "HU");
  BOOST_TEST(model.sigma_max >= 200.0);  // the CT schedules start at 200 HU (pipelines/ct_defaults.cpp)
}

// The sample's slices come from a validation scan (512², 0.98 mm), which training never saw.
BOOST_AUTO_TEST_CASE(ct_beats_tv_on_the_bundled_abdomen_sample_at_50_hu) {
  const Image volume = read_image(fs::path(TWEEDIE_SOURCE_DIR) / "data/ct/abdomen_siemens_4sl.nii.gz");
  std::vector<Image> slices;
  for (std::int64_t z = 0; z < volume.shape().nz; ++z) slices.push_back(extract_slices(volume, z, 1));
  CnnDenoiser model(read_model(kModels / "ct.tdm"));
  TvDenoiser tv;
  const double ours = mean_psnr(model, slices, 50.0, std::nullopt);
  const double tv_psnr = mean_psnr(tv, slices, 50.0, std::nullopt);
  BOOST_TEST_MESSAGE("bundled abdomen, σ = 50 HU: ct " << ours << " dB, TV " << tv_psnr << " dB");
  BOOST_TEST(ours > tv_psnr + 0.3);
}

// The ct model is 2.5D: the sample's four slices denoised as a stack, each seeing its neighbours,
// come out better than each slice alone.
BOOST_AUTO_TEST_CASE(ct_denoises_the_bundled_sample_better_as_a_stack_than_slice_by_slice) {
  Image clean = read_image(fs::path(TWEEDIE_SOURCE_DIR) / "data/ct/abdomen_siemens_4sl.nii.gz");
  clean.array() = clean.array().max(-1024.0f).min(3071.0f);
  CnnDenoiser model(read_model(kModels / "ct.tdm"));
  BOOST_TEST(model.neighbouring_slices() == 1);
  Image noisy(clean.geometry());
  fill_normal(noisy, 2027);
  noisy.array() = clean.array() + 50.0f * noisy.array();
  const Image stacked = model.denoise(noisy, 50.0);
  double gain = 0.0;
  for (std::int64_t z = 0; z < clean.shape().nz; ++z) {
    const Image reference = extract_slices(clean, z, 1);
    const double range = value_range(reference);
    const Image alone = model.denoise(extract_slices(noisy, z, 1), 50.0);
    gain += psnr(reference, extract_slices(stacked, z, 1), range) - psnr(reference, alone, range);
  }
  gain /= static_cast<double>(clean.shape().nz);
  BOOST_TEST_MESSAGE("bundled abdomen, σ = 50 HU: the stack " << gain << " dB above slice by slice");
  BOOST_TEST(gain > 0.1);
}

BOOST_AUTO_TEST_SUITE_END()
