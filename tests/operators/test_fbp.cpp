#include "core/error.h"
#include "core/metrics.h"
#include "operators/fbp.h"
#include "operators/phantom.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace tweedie;

namespace {

constexpr std::int64_t kSize = 512;
constexpr double kPixel = 0.5;

std::vector<Ellipse> phantom() { return shepp_logan(0.5 * kSize * kPixel * 0.95); }

CtGeometry fan_geometry(DetectorShape shape) {
  CtGeometry g = parallel_geometry(kSize, kPixel, 720, 360);
  g.beam = BeamShape::fan;
  g.detector_shape = shape;
  g.source_to_isocentre_mm = 600, g.source_to_detector_mm = 1000;
  g.detector_spacing_mm = 0.8;
  g.detectors = 1000;
  return g;
}

double fbp_psnr(const CtGeometry& g, FbpFilter filter) {
  const Image reference = rasterize(phantom(), g.image_geometry());
  const Image reconstruction = FilteredBackprojection(g, filter).reconstruct(analytic_sinogram(phantom(), g));
  return psnr(reference, reconstruction, 1.0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fbp)

// scikit-image 0.19.3's iradon (ramp filter, linear interpolation, circle=True) reaches
// 28.17 dB on the same noiseless 512×512, 720-view analytic sinogram of this phantom (data range 1),
// as printed by bench/peers/fbp_reference.py.
BOOST_AUTO_TEST_CASE(parallel_beam_beats_scikit_image) {
  const double ours = fbp_psnr(parallel_geometry(kSize, kPixel, 720), FbpFilter::ram_lak);
  BOOST_TEST_MESSAGE("parallel FBP PSNR " << ours << " dB");
  BOOST_TEST(ours >= 28.17);
}

BOOST_DATA_TEST_CASE(fan_beam_is_as_good_as_parallel, boost::unit_test::data::make({0, 1}), arc) {
  const double ours = fbp_psnr(fan_geometry(arc ? DetectorShape::arc : DetectorShape::flat), FbpFilter::ram_lak);
  BOOST_TEST_MESSAGE("fan FBP PSNR " << ours << " dB");
  BOOST_TEST(ours >= 28.17);
}

BOOST_AUTO_TEST_CASE(apodised_filters_smooth_but_stay_close) {
  const CtGeometry g = parallel_geometry(128, 2.0, 180);
  const Image sinogram = analytic_sinogram(shepp_logan(120.0), g);
  const Image reference = rasterize(shepp_logan(120.0), g.image_geometry());
  for (FbpFilter filter : {FbpFilter::ram_lak, FbpFilter::shepp_logan, FbpFilter::cosine, FbpFilter::hann}) {
    const Image image = FilteredBackprojection(g, filter).reconstruct(sinogram);
    BOOST_TEST(psnr(reference, image, 1.0) > 18.0);
    // The reconstruction keeps the phantom's mean (the ramp's DC gain is preserved by every window).
    BOOST_TEST(image.array().mean() == reference.array().mean(), boost::test_tools::tolerance(0.02f));
  }
}

BOOST_AUTO_TEST_CASE(bad_requests_are_refused) {
  BOOST_CHECK_THROW(parse_fbp_filter("butterworth"), ParameterError);
  CtGeometry short_fan = fan_geometry(DetectorShape::flat);
  short_fan.angles_deg = equally_spaced_angles(100, 200);
  BOOST_CHECK_THROW(FilteredBackprojection{short_fan}, ParameterError);
  const CtGeometry g = parallel_geometry(64, 1.0, 90);
  BOOST_CHECK_THROW(FilteredBackprojection(g).reconstruct(Image(Shape::image(g.detectors, 89))), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
