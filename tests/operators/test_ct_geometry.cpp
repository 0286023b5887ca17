#include "core/error.h"
#include "operators/ct_geometry.h"
#include "operators/joseph_projector.h"
#include "operators/phantom.h"
#include "support/temporary_folder.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>

using namespace tweedie;

namespace {

CtGeometry fan_geometry(DetectorShape shape) {
  CtGeometry g;
  g.beam = BeamShape::fan;
  g.image_nx = g.image_ny = 128;
  g.pixel_spacing_mm = 1.0;
  g.detectors = 301;
  g.detector_spacing_mm = 1.0;
  g.detector_shape = shape;
  g.source_to_isocentre_mm = 400;
  g.source_to_detector_mm = 700;
  g.angles_deg = equally_spaced_angles(36, 360);
  return g;
}

// The detector coordinate where the ray through point (x, y) lands, from the documented conventions.
double predicted_u(const CtGeometry& g, double theta_deg, double x, double y) {
  const double t = theta_deg * std::numbers::pi / 180.0;
  const double along_u = x * std::cos(t) + y * std::sin(t);  // p·u
  if (g.beam == BeamShape::parallel) return along_u;
  const double along_d = -x * std::sin(t) + y * std::cos(t);  // p·d
  const double from_source = g.source_to_isocentre_mm + along_d;
  if (g.detector_shape == DetectorShape::flat) return g.source_to_detector_mm * along_u / from_source;
  return g.source_to_detector_mm * std::atan2(along_u, from_source);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ct_geometry)

BOOST_DATA_TEST_CASE(a_point_lands_on_the_documented_bin,
                     boost::unit_test::data::make({0, 1, 2}), kind) {
  const CtGeometry g = kind == 0 ? parallel_geometry(128, 1.0, 36, 360) : fan_geometry(kind == 1 ? DetectorShape::flat : DetectorShape::arc);
  const double x = 30.0, y = -20.0;  // right of and above the isocentre on screen
  const Image sinogram = analytic_sinogram({{1.0, 1.5, 1.5, x, y, 0.0}}, g);
  // The projector agrees with the analytic rays: the same bin lights up.
  const Image point = rasterize({{1.0, 1.5, 1.5, x, y, 0.0}}, g.image_geometry(), 8);
  const Image projected = JosephProjector(g).apply(point);
  for (std::int64_t v = 0; v < g.views(); ++v) {
    const double u = predicted_u(g, g.angles_deg[static_cast<std::size_t>(v)], x, y);
    const double bin = u / g.detector_spacing_mm + 0.5 * static_cast<double>(g.detectors - 1);
    std::int64_t brightest = 0, brightest_projected = 0;
    for (std::int64_t m = 0; m < g.detectors; ++m) {
      if (sinogram.at(m, v) > sinogram.at(brightest, v)) brightest = m;
      if (projected.at(m, v) > projected.at(brightest_projected, v)) brightest_projected = m;
    }
    BOOST_TEST(std::abs(static_cast<double>(brightest) - bin) <= 0.5 + 1e-9);
    BOOST_TEST(std::abs(static_cast<double>(brightest_projected) - bin) <= 1.0);
  }
}

BOOST_AUTO_TEST_CASE(at_angle_zero_parallel_rays_run_down_the_columns) {
  CtGeometry g = parallel_geometry(16, 1.0, 1);
  g.detectors = 16;
  Image image(g.image_geometry());
  image.at(3, 5) = 1.0f;  // column 3
  const Image sinogram = JosephProjector(g).apply(image);
  BOOST_TEST(sinogram.at(3, 0) == 1.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(sinogram.array().sum() == 1.0f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(geometry_files_round_trip) {
  testing::TemporaryFolder folder;
  const CtGeometry fan = fan_geometry(DetectorShape::arc);
  write_geometry(fan, folder / "fan.json");
  const CtGeometry back = read_geometry(folder / "fan.json");
  BOOST_TEST((back.beam == BeamShape::fan));
  BOOST_TEST((back.detector_shape == DetectorShape::arc));
  BOOST_TEST(back.source_to_detector_mm == 700.0);
  BOOST_TEST(back.angles_deg.size() == fan.angles_deg.size());
  for (std::size_t k = 0; k < fan.angles_deg.size(); ++k) {
    BOOST_TEST(back.angles_deg[k] == fan.angles_deg[k], boost::test_tools::tolerance(1e-12));
  }
  CtGeometry irregular = parallel_geometry(32, 1.0, 3);
  irregular.angles_deg = {0.0, 10.0, 45.0};
  write_geometry(irregular, folder / "irregular.json");
  BOOST_TEST(read_geometry(folder / "irregular.json").angles_deg == irregular.angles_deg);
}

BOOST_AUTO_TEST_CASE(sparse_views_keep_every_kth_angle) {
  const CtGeometry full = parallel_geometry(64, 1.0, 720);
  const CtGeometry sparse = every_kth_view(full, 12);
  BOOST_TEST(sparse.views() == 60);
  BOOST_TEST(sparse.angles_deg[1] == 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(sparse.arc_deg() == 180.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(bad_geometries_are_refused_with_a_reason) {
  testing::TemporaryFolder folder;
  CtGeometry g = fan_geometry(DetectorShape::flat);
  g.source_to_isocentre_mm = 50;  // inside the 128 mm image
  BOOST_CHECK_EXCEPTION(g.validate(), ParameterError, [](const auto& e) {
    return std::string(e.what()).find("lies inside the image") != std::string::npos;
  });
  std::ofstream(folder / "broken.json") << "{\"format\": \"tweedie-ct-geometry\", \"version\": 1";
  BOOST_CHECK_THROW(read_geometry(folder / "broken.json"), IoError);
  std::ofstream(folder / "other.json") << "{\"format\": \"something-else\"}";
  BOOST_CHECK_THROW(read_geometry(folder / "other.json"), IoError);
  BOOST_CHECK_THROW(read_geometry(folder / "missing.json"), IoError);
  // Sizes are whole numbers and lengths finite: 2.5 pixels and 1e300 bins are refused, not cast.
  const auto refused = [&folder](const std::string& image, const std::string& detector, const std::string& words) {
    std::ofstream(folder / "g.json") << R"({"format": "tweedie-ct-geometry", "version": 1, "beam": "parallel", "image": )" +
                                            image + R"(, "detector": )" + detector + R"(, "views": {"count": 4, "arc_deg": 180}})";
    try {
      read_geometry(folder / "g.json");
      return false;
    } catch (const Error& e) {
      BOOST_TEST_INFO(e.what());
      return std::string(e.what()).find(words) != std::string::npos;
    }
  };
  const std::string image = R"({"nx": 8, "ny": 8, "pixel_spacing_mm": 1})", detector = R"({"count": 12, "spacing_mm": 1})";
  BOOST_TEST(!refused(image, detector, ""));
  BOOST_TEST(refused(R"({"nx": 2.5, "ny": 8, "pixel_spacing_mm": 1})", detector, "'nx' must be a whole number"));
  BOOST_TEST(refused(image, R"({"count": 1e300, "spacing_mm": 1})", "'count' must be a whole number"));
  BOOST_TEST(refused(R"({"nx": 8, "ny": 8, "pixel_spacing_mm": 1e400})", detector, "number overflow"));
  g = fan_geometry(DetectorShape::flat);
  g.source_to_detector_mm = std::numeric_limits<double>::infinity();
  BOOST_CHECK_EXCEPTION(g.validate(), ParameterError, [](const auto& e) {
    return std::string(e.what()).find("must be finite numbers, got inf") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(geometries_larger_than_memory_are_refused_before_allocation) {
  testing::TemporaryFolder folder;
  CtGeometry g = fan_geometry(DetectorShape::flat);
  g.detectors = std::int64_t{1} << 40;
  BOOST_CHECK_EXCEPTION(g.validate(), ResourceError, [](const auto& e) {
    return std::string(e.what()).find("bins needs") != std::string::npos;
  });
  BOOST_CHECK_THROW(equally_spaced_angles(std::int64_t{1} << 50, 360.0), ResourceError);
  std::ofstream(folder / "huge.json") << R"({"format": "tweedie-ct-geometry", "version": 1, "beam": "parallel",
    "image": {"nx": 1000000000, "ny": 1000000000, "pixel_spacing_mm": 1},
    "detector": {"count": 10, "spacing_mm": 1, "offset_mm": 0, "shape": "flat"},
    "views": {"count": 1000000000000, "arc_deg": 180}})";
  BOOST_CHECK_EXCEPTION(read_geometry(folder / "huge.json"), ResourceError, [](const auto& e) {
    return std::string(e.what()).find("huge.json") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(images_and_sinograms_must_match_the_geometry) {
  const CtGeometry g = parallel_geometry(64, 0.5, 90);
  Image wrong_spacing(ImageGeometry{.shape = Shape::image(64, 64), .spacing = {0.6, 0.6, 1}});
  BOOST_CHECK_EXCEPTION(require_matching_image(g, wrong_spacing), ShapeError, [](const auto& e) {
    return std::string(e.what()) ==
           "the image has 64×64 pixels of 0.6×0.6 mm, but the geometry expects 64×64 pixels of 0.5 mm";
  });
  BOOST_CHECK_THROW(require_matching_sinogram(g, Image(Shape::image(g.detectors, 91))), ShapeError);
}


BOOST_AUTO_TEST_CASE(a_scan_spec_gets_detectors_that_see_the_whole_image) {
  CtScanSpec spec;
  spec.views = 90, spec.image_size = 64, spec.pixel_spacing_mm = 2.0, spec.sparse = 3;
  const CtGeometry parallel = make_geometry(spec);
  BOOST_TEST(parallel.views() == 30);
  BOOST_TEST(parallel.detector_spacing_mm == 2.0);
  // The image's circumscribed circle (radius 64·2·√½ mm) fits on the detector.
  BOOST_TEST(0.5 * static_cast<double>(parallel.detectors - 1) * parallel.detector_spacing_mm >= 64.0 * std::sqrt(0.5) * 2.0);
  spec.beam = BeamShape::fan;
  spec.sparse = 1;
  const CtGeometry fan = make_geometry(spec);
  BOOST_TEST(fan.arc_deg() == 360.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(fan.detector_spacing_mm == 2.0 * spec.detector_distance_mm / spec.source_distance_mm,
             boost::test_tools::tolerance(1e-12));
  spec.detectors = 11;
  BOOST_TEST(make_geometry(spec).detectors == 11);
}

// A beamline's list of angles (one per line) and its detector offset make the geometry.
BOOST_AUTO_TEST_CASE(a_scan_spec_takes_measured_angles_and_an_offset) {
  testing::TemporaryFolder folder;
  std::ofstream(folder / "angles.txt") << "0.00000000\n0.99447514\n 1.98895028\r\n3.5e0\n";
  CtScanSpec spec;
  spec.angles_deg = read_angle_list(folder / "angles.txt");
  spec.detector_offset_mm = 23.94;
  spec.image_size = 32;
  const CtGeometry g = make_geometry(spec);
  BOOST_TEST(g.angles_deg == (std::vector<double>{0.0, 0.99447514, 1.98895028, 3.5}));
  BOOST_TEST(g.detector_offset_mm == 23.94);

  std::ofstream(folder / "bad.txt") << "0\n1\n2,5\n";
  BOOST_CHECK_EXCEPTION(read_angle_list(folder / "bad.txt"), IoError, [](const auto& e) {
    return std::string(e.what()).find("entry 3 ('2,5') is not an angle") != std::string::npos;
  });
  std::ofstream(folder / "nan.txt") << "0\nnan\n";
  BOOST_CHECK_THROW(read_angle_list(folder / "nan.txt"), IoError);
  std::ofstream(folder / "empty.txt") << "\n";
  BOOST_CHECK_THROW(read_angle_list(folder / "empty.txt"), IoError);
  BOOST_CHECK_THROW(read_angle_list(folder / "missing.txt"), IoError);
}
BOOST_AUTO_TEST_SUITE_END()
