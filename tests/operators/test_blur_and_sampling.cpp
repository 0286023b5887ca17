#include "core/error.h"
#include "core/image_io.h"
#include "core/image_ops.h"
#include "operators/blur.h"
#include "operators/sampling.h"
#include "support/temporary_folder.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;

namespace {

// y[n] = Σ_m k[m] x[n − m], straight from the definition.
Image direct_convolution(const Image& x, const Image& k, Boundary boundary) {
  const Shape& s = x.shape();
  const std::int64_t rx = k.shape().nx / 2, ry = k.shape().ny / 2;
  Image y = x.zeros_like();
  for (std::int64_t j = 0; j < s.ny; ++j) {
    for (std::int64_t i = 0; i < s.nx; ++i) {
      double sum = 0;
      for (std::int64_t b = -ry; b <= ry; ++b) {
        for (std::int64_t a = -rx; a <= rx; ++a) {
          std::int64_t xi = i - a, yj = j - b;
          if (boundary == Boundary::circular) {
            xi = (xi % s.nx + s.nx) % s.nx, yj = (yj % s.ny + s.ny) % s.ny;
          } else if (xi < 0 || yj < 0 || xi >= s.nx || yj >= s.ny) {
            continue;
          }
          sum += k.at(a + rx, b + ry) * x.at(xi, yj);
        }
      }
      y.at(i, j) = static_cast<float>(sum);
    }
  }
  return y;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(blur)

BOOST_DATA_TEST_CASE(fft_convolution_equals_the_definition, boost::unit_test::data::make({0, 1}), zero) {
  const Boundary boundary = zero ? Boundary::zero : Boundary::circular;
  const ImageGeometry grid{.shape = Shape::image(23, 17)};
  Image x(grid);
  fill_normal(x, 1);
  Image kernel(Shape::image(5, 3));  // asymmetric, to catch a flipped kernel
  fill_normal(kernel, 2);
  const Image expected = direct_convolution(x, kernel, boundary);
  Image actual = Convolution(grid, kernel, boundary).apply(x);
  actual.array() -= expected.array();
  BOOST_TEST(norm(actual) <= 1e-5 * norm(expected));
}

BOOST_AUTO_TEST_CASE(kernels_are_normalised_and_oriented) {
  const Image gaussian = gaussian_kernel(1.6);
  BOOST_TEST(gaussian.shape() == Shape::image(11, 11));
  BOOST_TEST(gaussian.array().sum() == 1.0f, boost::test_tools::tolerance(1e-5f));
  BOOST_TEST(gaussian.at(5, 5) == gaussian.array().maxCoeff());
  BOOST_TEST(gaussian.at(2, 5) == gaussian.at(5, 2));
  BOOST_TEST(uniform_kernel(3).at(0, 0) == 1.0f / 9, boost::test_tools::tolerance(1e-6f));
  // Motion at 0° is a horizontal line: all weight in the centre row.
  const Image horizontal = motion_kernel(7, 0);
  const std::int64_t centre = horizontal.shape().ny / 2;
  double centre_row = 0;
  for (std::int64_t i = 0; i < horizontal.shape().nx; ++i) centre_row += horizontal.at(i, centre);
  BOOST_TEST(centre_row == 1.0, boost::test_tools::tolerance(1e-5));
  const Image vertical = motion_kernel(7, 90);
  BOOST_TEST(vertical.at(centre, 1) > 0.0f);
  BOOST_TEST(vertical.at(1, centre) == 0.0f);
}

BOOST_AUTO_TEST_CASE(bad_kernels_are_refused) {
  testing::TemporaryFolder folder;
  write_image(Image(Shape::image(4, 5)), folder / "even.mha");
  BOOST_CHECK_THROW(read_kernel(folder / "even.mha"), ShapeError);
  write_image(Image(Shape::image(3, 3)), folder / "zero.mha");
  BOOST_CHECK_THROW(read_kernel(folder / "zero.mha"), ParameterError);
  Image box(Shape::image(3, 3));
  box.array() = 2.0f;
  write_image(box, folder / "box.mha");
  BOOST_TEST(read_kernel(folder / "box.mha").array().sum() == 1.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_CHECK_THROW(gaussian_kernel(0), ParameterError);
  BOOST_CHECK_THROW(parse_boundary("mirror"), ParameterError);
  BOOST_CHECK_THROW(Convolution({.shape = Shape::image(8, 8)}, gaussian_kernel(3), Boundary::circular), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sampling)

BOOST_AUTO_TEST_CASE(subsampling_keeps_the_first_pixel_of_each_block) {
  Image x(ImageGeometry{.shape = Shape::image(7, 5), .spacing = {0.5, 0.5, 1}});
  for (std::int64_t i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i);
  const Subsampling down(x.geometry(), 3);
  const Image y = down.apply(x);
  BOOST_TEST(y.shape() == Shape::image(3, 2));
  BOOST_TEST(y.geometry().spacing[0] == 1.5);
  BOOST_TEST(y.at(2, 1) == x.at(6, 3));
  const Image up = down.adjoint(y);
  BOOST_TEST(up.at(6, 3) == x.at(6, 3));
  BOOST_TEST(up.at(5, 3) == 0.0f);
}

BOOST_AUTO_TEST_CASE(random_masks_keep_the_asked_fraction_reproducibly) {
  const ImageGeometry grid{.shape = Shape::image(200, 150)};
  const Image mask = random_mask(grid, 0.5, 9);
  BOOST_TEST(mask.array().mean() == 0.5f, boost::test_tools::tolerance(0.02f));
  BOOST_TEST((random_mask(grid, 0.5, 9).array() == mask.array()).all());
  BOOST_TEST(!(random_mask(grid, 0.5, 10).array() == mask.array()).all());
  BOOST_CHECK_THROW(random_mask(grid, 1.5, 1), ParameterError);
  Image x(grid);
  fill_normal(x, 2);
  const Image masked = PixelMask(mask).apply(x);
  BOOST_TEST(((masked.array() == 0.0f) || (masked.array() == x.array())).all());
}

BOOST_AUTO_TEST_SUITE_END()
