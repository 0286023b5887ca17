#include "operators/hounsfield.h"
#include "operators/joseph_projector.h"
#include "operators/phantom.h"
#include "pipelines/truncation.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace tweedie;

namespace {

// The closest any outermost ray of any view comes to the isocentre.
double nearest_edge_ray(const CtGeometry& g) {
  const std::vector<CtRay> rays = ct_rays(g);
  double nearest = std::numeric_limits<double>::infinity();
  for (std::int64_t v = 0; v < g.views(); ++v) {
    for (std::int64_t m : {std::int64_t{0}, g.detectors - 1}) {
      const CtRay& ray = rays[static_cast<std::size_t>(v * g.detectors + m)];
      nearest = std::min(nearest, std::abs(ray.x * ray.dy - ray.y * ray.dx));  // |p × d|, d a unit vector
    }
  }
  return nearest;
}

Image scan_of_a_disc(const CtGeometry& g, double radius_mm) {
  Image disc = rasterize({Ellipse{1.0, radius_mm, radius_mm, 0.0, 0.0, 0.0}}, g.image_geometry());
  disc.array() *= static_cast<float>(kWaterAttenuationPerMm);
  return JosephProjector(g).apply(disc);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(truncation)

// The field of view is the circle that the outermost rays of all views touch.
BOOST_AUTO_TEST_CASE(the_field_of_view_is_where_the_outermost_rays_pass) {
  CtGeometry parallel = parallel_geometry(64, 1.0, 90);
  parallel.detector_offset_mm = 4.5;
  CtGeometry fan = parallel;
  fan.beam = BeamShape::fan;
  fan.source_to_isocentre_mm = 300.0;
  fan.source_to_detector_mm = 500.0;
  fan.detector_spacing_mm = 1.5;
  fan.angles_deg = equally_spaced_angles(90, 360.0);
  for (DetectorShape shape : {DetectorShape::flat, DetectorShape::arc}) {
    fan.detector_shape = shape;
    BOOST_TEST(field_of_view_radius(fan) == nearest_edge_ray(fan), boost::test_tools::tolerance(1e-9));
  }
  BOOST_TEST(field_of_view_radius(parallel) == nearest_edge_ray(parallel), boost::test_tools::tolerance(1e-9));
}

// An object wider than the detector's reach shows at its edges, unless the grid leaves the solver
// room beyond the field of view; an object inside it does not.
BOOST_AUTO_TEST_CASE(an_object_beyond_the_detector_is_reported) {
  CtGeometry narrow = parallel_geometry(64, 1.0, 60);
  narrow.detectors = 61;  // a field of view 60 mm across
  BOOST_TEST(truncated_edge(narrow, scan_of_a_disc(narrow, 40.0)).has_value());
  const CtGeometry wide = parallel_geometry(64, 1.0, 60);
  BOOST_TEST(!truncated_edge(wide, scan_of_a_disc(wide, 40.0)).has_value());
  CtGeometry roomy = parallel_geometry(160, 1.0, 60);
  roomy.detectors = 61;
  BOOST_TEST(!truncated_edge(roomy, scan_of_a_disc(roomy, 40.0)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
