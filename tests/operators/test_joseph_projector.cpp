#include "core/image_ops.h"
#include "operators/joseph_projector.h"
#include "operators/phantom.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(joseph_projector)

// The projection of the rasterised Shepp–Logan phantom against its exact Radon transform,
// 512×512 and 720 views: relative L2 error below 1%.
BOOST_DATA_TEST_CASE(matches_the_analytic_radon_transform, boost::unit_test::data::make({0, 1, 2}), kind) {
  CtGeometry g = parallel_geometry(512, 0.5, 720);
  if (kind > 0) {
    g.beam = BeamShape::fan;
    g.detector_shape = kind == 1 ? DetectorShape::flat : DetectorShape::arc;
    g.source_to_isocentre_mm = 600, g.source_to_detector_mm = 1000;
    g.detector_spacing_mm = 0.8;
    g.detectors = 1000;
    g.angles_deg = equally_spaced_angles(720, 360);
  }
  const auto phantom = shepp_logan(0.5 * 512 * 0.5 * 0.95);
  const Image exact = analytic_sinogram(phantom, g);
  Image error = JosephProjector(g).apply(rasterize(phantom, g.image_geometry()));
  error.array() -= exact.array();
  const double relative = norm(error) / norm(exact);
  BOOST_TEST_MESSAGE("relative L2 error " << relative);
  BOOST_TEST(relative < 0.01);
}

// Rays that miss the image (a detector far wider than it, views along the axes included) leave the
// image untouched, in both directions.
BOOST_AUTO_TEST_CASE(rays_outside_the_image_contribute_nothing) {
  CtGeometry g = parallel_geometry(64, 1.0, 360);
  g.detectors = 1601;  // bins up to 800 mm out: slopes of 1e-17 put those rays 1e19 columns away
  const JosephProjector projector(g);
  Image sinogram(projector.range());
  for (std::int64_t v = 0; v < g.views(); ++v) {
    for (std::int64_t m = 0; m < 700; ++m) sinogram.at(m, v) = sinogram.at(g.detectors - 1 - m, v) = 1.0f;
  }
  BOOST_TEST(projector.adjoint(sinogram).array().abs().maxCoeff() == 0.0f);
  Image image(projector.domain());
  image.array() = 1.0f;
  const Image projected = projector.apply(image);
  for (std::int64_t v = 0; v < g.views(); ++v) BOOST_TEST(projected.at(0, v) == 0.0f);
}

BOOST_DATA_TEST_CASE(the_fast_projection_equals_the_reference, boost::unit_test::data::make({0, 1, 2}), kind) {
  CtGeometry g = parallel_geometry(77, 0.7, 50);
  g.image_ny = 61;
  if (kind > 0) {
    g.beam = BeamShape::fan;
    g.detector_shape = kind == 1 ? DetectorShape::flat : DetectorShape::arc;
    g.source_to_isocentre_mm = 90, g.source_to_detector_mm = 160;
    g.detectors = 181;
    g.angles_deg = equally_spaced_angles(50, 360, 7);
  }
  const JosephProjector projector(g, 2);
  Image image(projector.domain());
  fill_normal(image, 5);
  const Image fast = projector.apply(image);
  Image reference(projector.range());
  projector.apply_reference(image, reference);
  Image difference = fast.clone();
  difference.array() -= reference.array();
  BOOST_TEST(norm(difference) <= 1e-5 * norm(reference));
}

// A stack of more slices than a projection or back-projection shares work among (8) comes out
// slice for slice as each slice alone, both ways, in parallel beam and in fan beam with a flat and
// an arc detector; with many views the slices of a task's range may outnumber a group.
BOOST_DATA_TEST_CASE(volumes_project_and_back_project_slice_by_slice,
                     boost::unit_test::data::make({0, 1, 2}) * boost::unit_test::data::make({45, 720}), kind, views) {
  CtGeometry g = parallel_geometry(40, 0.8, views);
  if (kind > 0) {
    g.beam = BeamShape::fan;
    g.detector_shape = kind == 1 ? DetectorShape::flat : DetectorShape::arc;
    g.source_to_isocentre_mm = 120, g.source_to_detector_mm = 200;
    g.detectors = 61, g.detector_spacing_mm = 1.1;
    g.angles_deg = equally_spaced_angles(views, 360, 3);
  }
  constexpr std::int64_t kSlices = 11;
  const JosephProjector slice_projector(g);
  const JosephProjector volume_projector(g, kSlices);
  Image volume(volume_projector.domain()), sinograms(volume_projector.range());
  fill_normal(volume, 6);
  fill_normal(sinograms, 4);
  const Image projected = volume_projector.apply(volume), back_projected = volume_projector.adjoint(sinograms);
  // Slice z of a stack as a 2D image on `grid`.
  const auto slice_of_stack = [](const Image& stack, std::int64_t z, const ImageGeometry& grid) {
    Image slice(grid);
    std::copy_n(stack.data() + z * slice.size(), slice.size(), slice.data());
    return slice;
  };
  for (std::int64_t z = 0; z < kSlices; ++z) {
    const Image forward = slice_projector.apply(slice_of_stack(volume, z, slice_projector.domain()));
    const Image back = slice_projector.adjoint(slice_of_stack(sinograms, z, slice_projector.range()));
    BOOST_TEST(std::equal(forward.data(), forward.data() + forward.size(), projected.data() + z * forward.size()), "slice " << z);
    BOOST_TEST(std::equal(back.data(), back.data() + back.size(), back_projected.data() + z * back.size()), "slice " << z);
  }
}

BOOST_AUTO_TEST_SUITE_END()
