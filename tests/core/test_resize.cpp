#include "core/error.h"
#include "core/resize.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

using namespace tweedie;

namespace {

Image filled(std::int64_t nx, std::int64_t ny, auto value) {
  Image image(Shape::image(nx, ny));
  for (std::int64_t y = 0; y < ny; ++y) {
    for (std::int64_t x = 0; x < nx; ++x) image.at(x, y) = static_cast<float>(value(static_cast<double>(x), static_cast<double>(y)));
  }
  return image;
}

// Largest |resized − expected| over the pixels at least `margin` away from every edge.
double interior_error(const Image& resized, std::int64_t margin, auto expected) {
  double worst = 0;
  for (std::int64_t y = margin; y < resized.shape().ny - margin; ++y) {
    for (std::int64_t x = margin; x < resized.shape().nx - margin; ++x) {
      worst = std::max(worst, std::abs(static_cast<double>(resized.at(x, y)) - expected(x, y)));
    }
  }
  return worst;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resizing)

BOOST_AUTO_TEST_CASE(sizes_round_and_never_reach_zero) {
  const Image image(Shape::image(180, 97));
  const Image smaller = resize(image, 0.7);
  BOOST_TEST(smaller.shape().nx == 126);
  BOOST_TEST(smaller.shape().ny == 68);
  BOOST_TEST(resize(Image(Shape::image(5, 3)), 0.01).shape() == Shape::image(1, 1));
}

BOOST_AUTO_TEST_CASE(scale_one_keeps_every_pixel) {
  const Image image = filled(23, 17, [](auto x, auto y) { return std::sin(0.7 * x) * std::cos(1.3 * y) + 0.01 * x * y; });
  const Image same = resize(image, 1.0);
  BOOST_TEST(same.shape() == image.shape());
  BOOST_TEST((same.array() - image.array()).abs().maxCoeff() < 1e-6f);
}

BOOST_AUTO_TEST_CASE(constants_stay_and_ramps_are_resampled_exactly) {
  const Image flat = filled(40, 30, [](auto, auto) { return 7.5; });
  BOOST_TEST((resize(flat, 0.73).array() - 7.5f).abs().maxCoeff() < 1e-5f);

  // f = 3x + 2y + 1 read at the new pixel centres, (i + ½)·n/n' − ½ in the old grid, to within a
  // small shift: the stretched kernel's taps are not symmetric about every centre.
  const Image ramp = filled(60, 50, [](auto x, auto y) { return 3.0 * x + 2.0 * y + 1.0; });
  for (const double scale : {0.9, 0.8, 0.7, 0.5}) {
    const Image resized = resize(ramp, scale);
    const double sx = 60.0 / static_cast<double>(resized.shape().nx), sy = 50.0 / static_cast<double>(resized.shape().ny);
    const double error = interior_error(resized, 4, [&](std::int64_t i, std::int64_t j) {
      return 3.0 * ((static_cast<double>(i) + 0.5) * sx - 0.5) + 2.0 * ((static_cast<double>(j) + 0.5) * sy - 0.5) + 1.0;
    });
    BOOST_TEST(error / (3.0 + 2.0) < 0.03, "scale " << scale << ": shifted by up to " << error / 5.0 << " px");
  }
}

BOOST_AUTO_TEST_CASE(detail_finer_than_the_new_grid_is_filtered_out) {
  // At scale 1/3 every new pixel centre falls on an old one: point sampling would keep the whole
  // checkerboard (amplitude 1); the widened kernel must take it down to its mean.
  const Image checkerboard = filled(63, 63, [](auto x, auto y) { return std::fmod(x + y, 2.0) == 0 ? 1.0 : -1.0; });
  const Image resized = resize(checkerboard, 1.0 / 3.0);
  BOOST_TEST(resized.shape() == Shape::image(21, 21));
  BOOST_TEST(interior_error(resized, 2, [](auto, auto) { return 0.0; }) < 0.05);
}

BOOST_AUTO_TEST_CASE(the_grid_keeps_its_extent) {
  ImageGeometry geometry{.shape = Shape::image(8, 6), .spacing = {0.5, 2.0, 1.0}, .origin = {10, 20, 0}};
  const Image resized = resize(Image(geometry), 0.5);
  BOOST_TEST(resized.shape() == Shape::image(4, 3));
  BOOST_TEST(resized.geometry().spacing[0] == 1.0);
  BOOST_TEST(resized.geometry().spacing[1] == 4.0);
  // The first new pixel is centred between the first two old ones.
  BOOST_TEST(resized.geometry().origin[0] == 10.25);
  BOOST_TEST(resized.geometry().origin[1] == 21.0);
}

BOOST_AUTO_TEST_CASE(bad_scales_and_volumes_are_refused) {
  const Image image(Shape::image(8, 8));
  BOOST_CHECK_THROW(resize(image, 0.0), ParameterError);
  BOOST_CHECK_THROW(resize(image, 1.5), ParameterError);
  BOOST_CHECK_THROW(resize(image, std::numeric_limits<double>::quiet_NaN()), ParameterError);
  BOOST_CHECK_THROW(resize(Image(Shape::volume(8, 8, 2)), 0.5), ParameterError);
}

BOOST_AUTO_TEST_SUITE_END()
