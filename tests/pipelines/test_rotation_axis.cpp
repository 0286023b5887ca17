#include "core/error.h"
#include "operators/hounsfield.h"
#include "operators/joseph_projector.h"
#include "operators/phantom.h"
#include "pipelines/rotation_axis.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;

namespace {

// A scan whose rotation axis sits `offset_mm` off the detector centre, seen through a geometry that
// assumes it centred.
struct OffCentreScan {
  CtGeometry assumed;
  Image sinogram;
};

OffCentreScan scan_with_axis_off_centre(double offset_mm, double arc_deg, std::int64_t views) {
  CtGeometry truth = parallel_geometry(128, 1.0, views, arc_deg);
  truth.detector_offset_mm = offset_mm;
  Image phantom = rasterize(shepp_logan(100.0), truth.image_geometry());
  phantom.array() *= static_cast<float>(kWaterAttenuationPerMm);
  CtGeometry assumed = truth;
  assumed.detector_offset_mm = 0.0;
  return {assumed, JosephProjector(truth).apply(phantom)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rotation_axis)

// A beamline's 181 views over 0…179° have one pair of views nearly 180° apart; a 360° scan has many.
BOOST_DATA_TEST_CASE(finds_the_detector_offset_of_the_axis,
                     boost::unit_test::data::make({-7.3, 0.0, 3.7}) * boost::unit_test::data::make({180.0, 360.0}),
                     offset_mm, arc_deg) {
  const std::int64_t views = arc_deg == 180.0 ? 181 : 360;
  const OffCentreScan scan = scan_with_axis_off_centre(offset_mm, arc_deg, views);
  const RotationAxisEstimate axis = estimate_rotation_axis(scan.assumed, scan.sinogram);
  BOOST_TEST_MESSAGE("offset " << offset_mm << " mm over " << arc_deg << "°: found " << axis.detector_offset_mm
                               << " mm from " << axis.view_pairs << " pairs");
  BOOST_TEST(std::abs(axis.detector_offset_mm - offset_mm) < 0.15);
  BOOST_TEST(std::abs(axis.axis_bin - (0.5 * static_cast<double>(scan.assumed.detectors - 1) - offset_mm)) < 0.15);
  BOOST_TEST(axis.view_pairs >= 1);
}

BOOST_AUTO_TEST_CASE(needs_opposite_views_of_a_parallel_beam) {
  const OffCentreScan short_scan = scan_with_axis_off_centre(2.0, 120.0, 120);
  BOOST_CHECK_THROW(estimate_rotation_axis(short_scan.assumed, short_scan.sinogram), ParameterError);
  CtGeometry fan = short_scan.assumed;
  fan.beam = BeamShape::fan;
  fan.source_to_isocentre_mm = 500.0;
  fan.source_to_detector_mm = 900.0;
  BOOST_CHECK_THROW(estimate_rotation_axis(fan, short_scan.sinogram), ParameterError);
}

BOOST_AUTO_TEST_SUITE_END()
