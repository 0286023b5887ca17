#include "core/error.h"
#include "core/image_io.h"
#include "operators/blur.h"
#include "operators/hounsfield.h"
#include "operators/joseph_projector.h"
#include "operators/low_dose.h"
#include "operators/phantom.h"
#include "pipelines/flat_field.h"
#include "support/shared_data.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;

namespace {

constexpr double kPhotons = 2e4, kCountsPerPhoton = 2.5, kDark = 100.0;

// A 96² phantom's scan: 120 views, the object well inside the detector's reach and smoothed as
// anatomy is (see test_sinogram_noise.cpp).
LowDoseSinogram phantom_scan() {
  const CtGeometry geometry = parallel_geometry(96, 1.0, 120);
  const ImageGeometry grid = geometry.image_geometry();
  Image phantom = rasterize(shepp_logan(60.0), grid);
  phantom.array() *= static_cast<float>(kWaterAttenuationPerMm);
  phantom = Convolution(grid, gaussian_kernel(1.5), Boundary::zero).apply(phantom);
  return simulate_low_dose(JosephProjector(geometry).apply(phantom), {.incident_photons = kPhotons, .seed = 5});
}

// What a detector with a gain and a dark current stores for that scan: `rows` identical rows,
// frames column × row × view.
Image raw_projections(const LowDoseSinogram& scan, std::int64_t rows) {
  const Shape& s = scan.line_integrals.shape();
  Image raw(Shape::volume(s.nx, rows, s.ny));
  for (std::int64_t view = 0; view < s.ny; ++view) {
    for (std::int64_t row = 0; row < rows; ++row) {
      for (std::int64_t m = 0; m < s.nx; ++m) {
        const double counts = kPhotons * std::exp(-scan.line_integrals.row_data(view)[m]);
        raw.row_data(row, view)[m] = static_cast<float>(kDark + kCountsPerPhoton * counts);
      }
    }
  }
  return raw;
}

// `frames` frames of columns × rows averaging to `level`.
Image frames_of(std::int64_t columns, std::int64_t rows, std::int64_t frames, double level) {
  Image stack(Shape::volume(columns, rows, frames));
  for (std::int64_t z = 0; z < frames; ++z) stack.slice(z).setConstant(static_cast<float>(level + (z % 2 ? 7.0 : -7.0)));
  return stack;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flat_field)

// The log of the raw counts over the flat, both above the dark, gives back the scan's line
// integrals, one sinogram per detector row; the detector's gain comes back from the noise, and
// with it the weights.
BOOST_AUTO_TEST_CASE(raw_projections_give_the_line_integrals_and_the_gain) {
  const LowDoseSinogram scan = phantom_scan();
  const Shape& s = scan.line_integrals.shape();
  Image raw = raw_projections(scan, 2);
  raw.row_data(1, 3)[5] = static_cast<float>(kDark - 4.0);  // a dead reading: row 1, view 3, column 5
  NormalizedScan normalized = normalize_projections(raw, frames_of(s.nx, 2, 4, kDark + kCountsPerPhoton * kPhotons),
                                                    frames_of(s.nx, 2, 2, kDark));
  BOOST_TEST(normalized.sinogram.shape().to_string() == Shape::volume(s.nx, s.ny, 2).to_string());
  BOOST_TEST(normalized.rays_without_signal == 1);
  BOOST_TEST(normalized.weights.row_data(3, 1)[5] == 0.0f);
  BOOST_TEST(std::isfinite(normalized.sinogram.row_data(3, 1)[5]));
  normalized.sinogram.row_data(3, 1)[5] = scan.line_integrals.row_data(3)[5];
  for (std::int64_t row = 0; row < 2; ++row) {
    const double error = (normalized.sinogram.slice(row) - scan.line_integrals.slice(0)).cwiseAbs().maxCoeff();
    BOOST_TEST(error < 1e-4);
  }
  BOOST_REQUIRE(normalized.counts_per_photon.has_value());
  BOOST_TEST_MESSAGE("gain " << *normalized.counts_per_photon << " counts per photon (true " << kCountsPerPhoton << ")");
  BOOST_TEST(std::abs(*normalized.counts_per_photon / kCountsPerPhoton - 1.0) < 0.15);
  const double weight_ratio = normalized.weights.slice(0).sum() / scan.weights.slice(0).sum();
  BOOST_TEST(std::abs(weight_ratio - 1.0) < 0.15);
}

// Without flat frames, each view's open beam comes from the air at the detector's edges, even
// when the source's output changes from view to view.
BOOST_AUTO_TEST_CASE(intensities_are_normalized_by_the_air_at_the_edges) {
  const LowDoseSinogram scan = phantom_scan();
  const Shape& s = scan.line_integrals.shape();
  Image intensities = scan.line_integrals.zeros_like();
  for (std::int64_t view = 0; view < s.ny; ++view) {
    const double open = kPhotons * (1.0 + 0.2 * std::sin(0.3 * static_cast<double>(view)));
    for (std::int64_t m = 0; m < s.nx; ++m) {
      intensities.row_data(view)[m] = static_cast<float>(open * std::exp(-scan.line_integrals.row_data(view)[m]));
    }
  }
  const NormalizedScan normalized = normalize_by_air(intensities, 8);
  const double mean_error = (normalized.sinogram.array() - scan.line_integrals.array()).abs().mean();
  BOOST_TEST(mean_error < 0.01);
  BOOST_CHECK_THROW(normalize_by_air(intensities, s.nx / 2 + 1), ParameterError);
}

BOOST_AUTO_TEST_CASE(frames_that_do_not_match_are_refused) {
  const LowDoseSinogram scan = phantom_scan();
  const Image raw = raw_projections(scan, 2);
  const std::int64_t columns = raw.shape().nx;
  BOOST_CHECK_THROW(normalize_projections(raw, frames_of(columns, 3, 1, 5e4), frames_of(columns, 2, 1, kDark)), ShapeError);
  BOOST_CHECK_THROW(normalize_projections(raw, frames_of(columns, 2, 1, 5e4), frames_of(columns - 1, 2, 1, kDark)),
                    ShapeError);
}

// The measured tooth: its raw frames give the log sinograms published beside them.
BOOST_AUTO_TEST_CASE(the_measured_tooth_matches_its_published_log_sinograms,
                     *boost::unit_test::precondition(testing::SharedDataPresent{"sinograms/aps_tooth"})) {
  const auto folder = testing::shared_data() / "sinograms/aps_tooth";
  const NormalizedScan normalized = normalize_projections(
      read_image(folder / "tooth_projections_raw.mha"), read_image(folder / "tooth_flats_raw.mha"),
      read_image(folder / "tooth_darks_raw.mha"));
  for (std::int64_t row = 0; row < 2; ++row) {
    const Image published = read_image(folder / ("tooth_sinogram_row" + std::to_string(row) + ".mha"));
    BOOST_TEST((normalized.sinogram.slice(row) - published.slice(0)).cwiseAbs().maxCoeff() < 1e-5);
  }
  BOOST_TEST(normalized.rays_without_signal == 0);
}

BOOST_AUTO_TEST_SUITE_END()
