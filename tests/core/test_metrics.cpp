#include "core/error.h"
#include "core/image.h"
#include "core/metrics.h"
#include "core/threading.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <utility>

using namespace tweedie;

namespace {

// The analytic patterns of tests/core/metrics_reference.py (float32, x fastest).
std::pair<Image, Image> pattern(std::int64_t nx, std::int64_t ny, std::int64_t nz) {
  const Shape shape = nz == 1 ? Shape::image(nx, ny) : Shape::volume(nx, ny, nz);
  Image reference(shape), test(shape);
  for (std::int64_t z = 0; z < nz; ++z) {
    for (std::int64_t y = 0; y < ny; ++y) {
      for (std::int64_t x = 0; x < nx; ++x) {
        const double fx = static_cast<double>(x), fy = static_cast<double>(y),
                     fz = static_cast<double>(z);
        const double r = 100 + 80 * std::sin(0.21 * fx + 0.4 * fz) * std::cos(0.13 * fy) + 0.5 * fx;
        reference.at(x, y, z) = static_cast<float>(r);
        test.at(x, y, z) = static_cast<float>(r + 15 * std::sin(0.37 * fx * fx + 1.91 * fy + 0.7 * fz));
      }
    }
  }
  return {std::move(reference), std::move(test)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

// Reference values: scikit-image 0.19.3 (Debian python3-skimage) on the same values as float64,
// printed by tests/core/metrics_reference.py: mean_squared_error, peak_signal_noise_ratio(data_range=R) and
// structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
// data_range=R), the latter averaged over slices.
BOOST_AUTO_TEST_CASE(match_scikit_image_on_a_2d_image) {
  const auto [reference, test] = pattern(64, 48, 1);
  BOOST_TEST(mse(reference, test) == 112.29755284020617, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(psnr(reference, test, 255.0) == 27.627100685385514, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(ssim(reference, test, 255.0) == 0.76429282386457575, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(match_scikit_image_slice_by_slice_on_a_volume) {
  const auto [reference, test] = pattern(40, 33, 3);
  const QualityReport report = compare(reference, test, 200.0);
  BOOST_TEST(report.mse == 112.41902774697887, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(report.psnr == 25.512201663392695, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(report.ssim == 0.75726305287101481, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(identical_images_are_perfect) {
  const auto [reference, test] = pattern(32, 32, 1);
  BOOST_TEST(mse(reference, reference) == 0.0);
  BOOST_TEST(std::isinf(psnr(reference, reference, 255.0)));
  BOOST_TEST(ssim(reference, reference, 255.0) == 1.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(same_bits_at_one_and_two_threads) {
  const auto [reference, test] = pattern(300, 200, 2);
  QualityReport one, two;
  {
    const ThreadLimit limit(1);
    one = compare(reference, test, 255.0);
  }
  {
    const ThreadLimit limit(2);
    two = compare(reference, test, 255.0);
  }
  BOOST_TEST(one.mse == two.mse);
  BOOST_TEST(one.ssim == two.ssim);
}

BOOST_AUTO_TEST_CASE(refuse_mismatched_shapes_nan_and_bad_ranges) {
  const auto [reference, test] = pattern(32, 32, 1);
  const Image smaller(Shape::image(32, 31));
  BOOST_CHECK_EXCEPTION(mse(reference, smaller), ShapeError, [](const ShapeError& e) {
    return std::string(e.what()).find("32×31") != std::string::npos;
  });
  Image with_nan = test.clone();
  with_nan.at(3, 4) = std::nanf("");
  BOOST_CHECK_THROW(psnr(reference, with_nan, 255.0), ParameterError);
  BOOST_CHECK_THROW(psnr(reference, test, 0.0), ParameterError);
  BOOST_CHECK_THROW(ssim(reference, test, -1.0), ParameterError);
  const Image tiny(Shape::image(10, 40));
  BOOST_CHECK_THROW(ssim(tiny, tiny, 1.0), ShapeError);
}

BOOST_AUTO_TEST_CASE(windowed_metrics_see_only_the_values_inside_the_window) {
  Image reference(Shape::image(32, 32)), test(Shape::image(32, 32));
  for (std::int64_t k = 0; k < reference.size(); ++k) {
    reference.data()[k] = static_cast<float>(k % 7) * 100.0f - 300.0f;  // −300 … 300 HU
    test.data()[k] = reference.data()[k] + static_cast<float>(k % 3) - 1.0f;
  }
  const DisplayWindow window{.width = 400.0, .level = 40.0};
  Image beyond = reference.clone();  // differs only outside the window: unseen
  for (std::int64_t k = 0; k < beyond.size(); ++k) {
    if (beyond.data()[k] < window.low()) beyond.data()[k] -= 500.0f;
  }
  BOOST_TEST(compare_in_window(reference, beyond, window).mse == 0.0);
  Image clipped_reference = reference.clone(), clipped_test = test.clone();
  for (Image* image : {&clipped_reference, &clipped_test}) {
    image->array() = image->array().max(-160.0f).min(240.0f);
  }
  const QualityReport windowed = compare_in_window(reference, test, window);
  const QualityReport by_hand = compare(clipped_reference, clipped_test, 400.0);
  BOOST_TEST(windowed.psnr == by_hand.psnr);
  BOOST_TEST(windowed.ssim == by_hand.ssim);
  BOOST_TEST(windowed.data_range == 400.0);
}

BOOST_AUTO_TEST_SUITE_END()
