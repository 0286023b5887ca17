#include "core/error.h"
#include "operators/ct_half_resolution.h"
#include "operators/joseph_projector.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>

using namespace tweedie;

namespace {

// Detector coordinate u of ray (view, bin): its distance along u(θ) from the isocentre (parallel
// beam, where every ray of a bin has the same u).
double detector_coordinate(const CtGeometry& g, std::int64_t view, std::int64_t bin) {
  const CtRay ray = ct_rays(g)[static_cast<std::size_t>(view * g.detectors + bin)];
  const double theta = g.angles_deg[static_cast<std::size_t>(view)] * std::numbers::pi / 180.0;
  return ray.x * std::cos(theta) + ray.y * std::sin(theta);
}

// A smooth blob off the centre: exp(−r²/2s²), s a sixth of the field, on the geometry's grid.
Image smooth_blob(const CtGeometry& g) {
  Image image(g.image_geometry());
  const double s = static_cast<double>(g.image_nx) / 6.0;
  for (std::int64_t j = 0; j < g.image_ny; ++j) {
    for (std::int64_t i = 0; i < g.image_nx; ++i) {
      const double x = static_cast<double>(i) - 0.4 * static_cast<double>(g.image_nx), y = static_cast<double>(j) - 0.55 * static_cast<double>(g.image_ny);
      image.row_data(j)[i] = static_cast<float>(std::exp(-(x * x + y * y) / (2.0 * s * s)));
    }
  }
  return image;
}

// x + 2y − 3 at each pixel centre (i, j), plus a second slice of twice that.
Image affine_volume(std::int64_t n) {
  Image image(ImageGeometry{.shape = Shape::volume(n, n, 2)});
  for (std::int64_t z = 0; z < 2; ++z) {
    for (std::int64_t j = 0; j < n; ++j) {
      for (std::int64_t i = 0; i < n; ++i) {
        image.row_data(j, z)[i] = static_cast<float>((z + 1) * (static_cast<double>(i) + 2.0 * static_cast<double>(j) - 3.0));
      }
    }
  }
  return image;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ct_half_resolution)

// Each half bin sits midway between the pair it averages, for an even and an odd bin count (the
// odd one's last bin left out), with and without a detector offset.
BOOST_AUTO_TEST_CASE(half_bins_sit_between_the_bins_they_pair) {
  for (const std::int64_t bins : {40, 41}) {
    for (const double offset : {0.0, 1.3}) {
      CtGeometry g = parallel_geometry(32, 1.5, 12);
      g.detectors = bins, g.detector_spacing_mm = 1.2, g.detector_offset_mm = offset;
      const CtGeometry half = half_resolution(g);
      BOOST_TEST(half.detectors == bins / 2);
      BOOST_TEST(half.image_nx == 16);
      BOOST_TEST(half.pixel_spacing_mm == 3.0);
      for (std::int64_t k = 0; k < half.detectors; ++k) {
        const double pair_centre = 0.5 * (detector_coordinate(g, 5, 2 * k) + detector_coordinate(g, 5, 2 * k + 1));
        BOOST_TEST(detector_coordinate(half, 5, k) == pair_centre, boost::test_tools::tolerance(1e-9));
      }
    }
  }
}

// For a smooth image, the half grid's projection of the block means is within half a percent of
// the bin-pair means of the full projection (a shift of half a bin would be several): the two
// views of one scan agree.
BOOST_AUTO_TEST_CASE(the_half_scan_of_the_block_means_matches_the_paired_full_scan) {
  const CtGeometry fan = make_geometry({.beam = BeamShape::fan, .views = 90, .image_size = 64, .pixel_spacing_mm = 2.0});
  for (const CtGeometry& g : {parallel_geometry(64, 2.0, 90), fan}) {
    const Image image = smooth_blob(g);
    const CtGeometry half = half_resolution(g);
    const Image paired = paired_bins(JosephProjector(g).apply(image));
    const Image half_scan = JosephProjector(half).apply(block_means(image, half.image_geometry()));
    const double error = (half_scan.array() - paired.array()).matrix().norm() / paired.array().matrix().norm();
    BOOST_TEST(error < 0.005, (g.beam == BeamShape::fan ? "fan" : "parallel") << " beam: relative difference " << error);
  }
}

// The mean of two measurements of weights w₁, w₂ (≈ 1/variance) has variance (1/w₁ + 1/w₂)/4; a
// ray of weight 0 (ignored) makes its pair ignored too.
BOOST_AUTO_TEST_CASE(paired_weights_are_those_of_the_mean) {
  Image weights(ImageGeometry{.shape = Shape::image(5, 1)});
  const float w[5] = {2.0f, 6.0f, 0.0f, 4.0f, 9.0f};
  std::copy_n(w, 5, weights.data());
  const Image paired = paired_bin_weights(weights);
  BOOST_REQUIRE(paired.shape().nx == 2);
  BOOST_TEST(paired.data()[0] == 4.0f / (1.0f / 2.0f + 1.0f / 6.0f), boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(paired.data()[1] == 0.0f);
}

// Block means of an affine image are its values at the blocks' centres, and bilinear doubling
// gives the affine image back away from the edges (held there); every slice alike.
BOOST_AUTO_TEST_CASE(block_means_and_bilinear_doubling_keep_an_affine_image) {
  const Image image = affine_volume(16);
  ImageGeometry half{.shape = Shape::image(8, 8)};
  const Image means = block_means(image, half);
  BOOST_REQUIRE(means.shape().nz == 2);
  BOOST_TEST(means.row_data(3, 1)[2] == 2.0f * (4.5f + 2.0f * 6.5f - 3.0f));
  ImageGeometry full{.shape = Shape::image(16, 16)};
  const Image doubled = bilinear_doubling(means, full);
  for (std::int64_t z = 0; z < 2; ++z) {
    for (std::int64_t j = 1; j < 15; ++j) {
      for (std::int64_t i = 1; i < 15; ++i) {
        BOOST_TEST(doubled.row_data(j, z)[i] == image.row_data(j, z)[i], boost::test_tools::tolerance(1e-5f));
      }
    }
  }
  BOOST_TEST(doubled.row_data(5, 0)[0] == means.row_data(2, 0)[0] * 0.75f + means.row_data(3, 0)[0] * 0.25f,
             boost::test_tools::tolerance(1e-5f));  // the edge column holds its half pixel
}

BOOST_AUTO_TEST_CASE(odd_grids_have_no_half) {
  CtGeometry g = parallel_geometry(33, 1.0, 10);
  BOOST_TEST(!has_half_resolution(g));
  BOOST_CHECK_THROW(half_resolution(g), ParameterError);
  BOOST_TEST(has_half_resolution(parallel_geometry(34, 1.0, 10)));
  BOOST_CHECK_THROW(block_means(affine_volume(16), ImageGeometry{.shape = Shape::image(7, 8)}), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
