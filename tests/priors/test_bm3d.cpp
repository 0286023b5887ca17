#include "core/error.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "priors/block_matching.h"
#include "priors/bm3d.h"
#include "priors/classical_denoisers.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>
#include <tbb/global_control.h>

#include <bit>
#include <cmath>
#include <limits>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(bm3d)

BOOST_AUTO_TEST_CASE(block_matching_finds_a_copied_patch_right_after_the_reference) {
  Image x = testing::with_noise(testing::test_picture(48), 20.0, 1);
  for (int dy = 0; dy < 8; ++dy) {
    for (int dx = 0; dx < 8; ++dx) x.at(30 + dx, 25 + dy) = x.at(20 + dx, 18 + dy);
  }
  const SliceView view{x.data(), 48, 48};
  const std::vector<PatchMatch> group = match_patches(view, 20, 18, {.max_group = 16, .max_distance = 2.0 * 400.0});
  BOOST_TEST_REQUIRE(group.size() >= 2u);
  BOOST_TEST(std::has_single_bit(group.size()));
  BOOST_TEST(group.size() <= 16u);
  BOOST_TEST((group[0].x == 20 && group[0].y == 18));
  BOOST_TEST((group[1].x == 30 && group[1].y == 25));
  BOOST_TEST(group[1].distance == 0.0f);
  for (std::size_t m = 2; m < group.size(); ++m) BOOST_TEST(group[m].distance >= group[m - 1].distance);
}

BOOST_AUTO_TEST_CASE(a_group_of_the_reference_alone_when_nothing_is_near) {
  const Image x = testing::with_noise(testing::test_picture(32), 20.0, 2);
  const std::vector<PatchMatch> group = match_patches({x.data(), 32, 32}, 5, 7, {.max_distance = 0.0});
  BOOST_TEST_REQUIRE(group.size() == 1u);
  BOOST_TEST((group[0].x == 5 && group[0].y == 7));
}

BOOST_AUTO_TEST_CASE(reference_corners_cover_both_borders) {
  BOOST_TEST(reference_corners(20, 3) == (std::vector<int>{0, 3, 6, 9, 12}));
  BOOST_TEST(reference_corners(21, 3) == (std::vector<int>{0, 3, 6, 9, 12, 13}));
  BOOST_TEST(reference_corners(8, 3) == (std::vector<int>{0}));
}

BOOST_AUTO_TEST_CASE(bm3d_beats_tv_and_gaussian_smoothing) {
  const Image clean = testing::test_picture(96);
  const Image noisy = testing::with_noise(clean, 25.0, 3);
  Bm3dDenoiser bm3d;
  TvDenoiser tv;
  GaussianDenoiser gaussian;
  const double ours = psnr(clean, bm3d.denoise(noisy, 25.0), 255.0);
  const double tv_psnr = psnr(clean, tv.denoise(noisy, 25.0), 255.0);
  const double gaussian_psnr = psnr(clean, gaussian.denoise(noisy, 25.0), 255.0);
  BOOST_TEST_MESSAGE("σ = 25: BM3D " << ours << " dB, TV " << tv_psnr << " dB, Gaussian " << gaussian_psnr << " dB");
  BOOST_TEST(ours > tv_psnr + 0.5);
  BOOST_TEST(ours > gaussian_psnr + 0.5);
  // The Wiener step improves on the basic estimate it starts from.
  BOOST_TEST(ours > psnr(clean, bm3d_basic_estimate(noisy, 25.0), 255.0));
}

BOOST_AUTO_TEST_CASE(the_wiener_step_with_the_clean_image_as_pilot_beats_bm3d) {
  const Image clean = testing::test_picture(64);
  const Image noisy = testing::with_noise(clean, 30.0, 4);
  Bm3dDenoiser bm3d;
  BOOST_TEST(psnr(clean, collaborative_wiener(noisy, clean, 30.0), 255.0) > psnr(clean, bm3d.denoise(noisy, 30.0), 255.0) + 1.0);
}

BOOST_AUTO_TEST_CASE(bm3d_gives_the_same_bits_on_one_thread_and_on_all) {
  const Image noisy = testing::with_noise(testing::test_picture(80), 20.0, 5);
  Bm3dDenoiser bm3d;
  const Image parallel = bm3d.denoise(noisy, 20.0);
  Image serial;
  {
    tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    serial = bm3d.denoise(noisy, 20.0);
  }
  BOOST_TEST((serial.array() == parallel.array()).all());
}

BOOST_AUTO_TEST_CASE(volumes_are_denoised_slice_by_slice) {
  const Image a = testing::with_noise(testing::test_picture(40), 20.0, 6);
  const Image b = testing::with_noise(testing::test_picture(40), 20.0, 7);
  Image volume(Shape::volume(40, 40, 2));
  std::copy(a.data(), a.data() + a.size(), volume.row_data(0, 0));
  std::copy(b.data(), b.data() + b.size(), volume.row_data(0, 1));
  Bm3dDenoiser bm3d;
  const Image both = bm3d.denoise(volume, 20.0);
  const Image second = bm3d.denoise(b, 20.0);
  BOOST_TEST(std::equal(second.data(), second.data() + second.size(), both.row_data(0, 1)));
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  Bm3dDenoiser bm3d;
  const Image noisy = testing::with_noise(testing::test_picture(16), 20.0, 8);
  BOOST_CHECK_THROW(bm3d.denoise(Image(Shape::image(7, 20)), 20.0), ShapeError);
  BOOST_CHECK_THROW(bm3d.denoise(noisy, -1.0), ParameterError);
  Image with_nan = noisy.clone();
  with_nan.at(3, 4) = std::numeric_limits<float>::quiet_NaN();
  BOOST_CHECK_THROW(bm3d.denoise(with_nan, 20.0), Error);
  BOOST_CHECK_THROW(collaborative_wiener(noisy, Image(Shape::image(16, 17)), 20.0), ShapeError);
  BOOST_CHECK_THROW(CollaborativeWienerDenoiser(nullptr), ParameterError);
  BOOST_TEST((bm3d.denoise(noisy, 0.0).array() == noisy.array()).all());
}

BOOST_AUTO_TEST_SUITE_END()
