#include "core/error.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "operators/sampling.h"
#include "pipelines/restoration.h"
#include "support/test_pictures.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

RestorationProblem problem_of(Degradation degradation, const ImageGeometry& clean) {
  RestorationProblem p;
  p.degradation = degradation;
  if (degradation == Degradation::mask) p.mask = random_mask(clean, 0.5, 3);
  return p;
}

const Degradation kDegradations[] = {Degradation::blur, Degradation::decimate, Degradation::mask, Degradation::none};

}  // namespace

namespace tweedie {
std::ostream& operator<<(std::ostream& out, Degradation d) { return out << to_string(d); }
}  // namespace tweedie

BOOST_AUTO_TEST_SUITE(restoration)

BOOST_AUTO_TEST_CASE(degradations_round_trip_through_their_names) {
  for (Degradation d : kDegradations) BOOST_TEST((parse_degradation(to_string(d)) == d));
  BOOST_CHECK_THROW(parse_degradation("smudge"), ParameterError);
}

BOOST_AUTO_TEST_CASE(measurements_reproduce_under_a_seed_and_the_noise_has_its_level) {
  const Image clean = testing::test_picture(64);
  const RestorationProblem p = problem_of(Degradation::blur, clean.geometry());
  const Image a = measure(p, clean, 5.0, 11), b = measure(p, clean, 5.0, 11), c = measure(p, clean, 5.0, 12);
  BOOST_TEST((a.array() == b.array()).all());
  BOOST_TEST(!(a.array() == c.array()).all());
  Image noise = a.clone();
  noise.array() -= measure(p, clean, 0.0, 11).array();
  BOOST_TEST(norm(noise) / std::sqrt(static_cast<double>(noise.size())) == 5.0, boost::test_tools::tolerance(0.05));
  BOOST_CHECK_THROW(measure(p, clean, -1.0, 1), ParameterError);
}

BOOST_AUTO_TEST_CASE(decimation_measures_on_a_coarser_grid_and_starts_from_its_upsampling) {
  const Image clean = testing::test_picture(64);
  RestorationProblem p = problem_of(Degradation::decimate, clean.geometry());
  const Image y = measure(p, clean, 0.0, 1);
  BOOST_TEST(y.shape().nx == 32);
  BOOST_TEST(clean_grid(p, y.geometry()).shape.nx == 64);
  const Image start = naive_start(p, *forward_operator(p, clean.geometry()), y);
  BOOST_TEST(start.at(5, 7, 0) == y.at(2, 3, 0));
}

BOOST_AUTO_TEST_CASE(a_mask_problem_needs_a_mask_of_the_right_shape) {
  RestorationProblem p;
  p.degradation = Degradation::mask;
  BOOST_CHECK_THROW(p.validate(), ParameterError);
  p.mask = random_mask({.shape = Shape::image(10, 10)}, 0.5, 1);
  BOOST_CHECK_THROW(forward_operator(p, {.shape = Shape::image(12, 12)}), ShapeError);
}

// Each problem restored by a PnP solver (TV prior, fast) and by TV-PDHG beats its naive start.
BOOST_DATA_TEST_CASE(every_problem_is_restored_better_than_its_start, data::make(kDegradations), degradation) {
  const Image clean = testing::test_picture(48);
  const RestorationProblem p = problem_of(degradation, clean.geometry());
  const Image y = measure(p, clean, 5.0, 7);
  for (const char* solver : {"pnp-hqs", "tv-pdhg"}) {
    SolverChoice choice = RestorationProblem::default_choice();
    choice.solver = solver;
    choice.prior = "tv";
    choice.noise_sigma = 5.0;
    choice.ensemble = false;
    const Restoration r = restore(p, y, &clean, choice);
    BOOST_TEST_INFO(degradation << ", " << solver << ": " << r.summary.brief_report());
    BOOST_REQUIRE(r.summary.quality.has_value());
    BOOST_TEST(r.summary.quality->psnr > r.summary.quality->start_psnr + 0.5);
    BOOST_TEST(r.summary.quality->psnr == psnr(clean, r.image, 255.0));
    BOOST_TEST(r.run.history.size() == static_cast<std::size_t>(r.settings.pnp.control.iterations));
  }
}

BOOST_AUTO_TEST_CASE(sure_chooses_a_prior_level_within_its_search_range) {
  const Image clean = testing::test_picture(40);
  const RestorationProblem p = problem_of(Degradation::blur, clean.geometry());
  const Image y = measure(p, clean, 5.0, 7);
  SolverChoice choice = RestorationProblem::default_choice();
  choice.prior = "tv";
  choice.noise_sigma = 5.0;
  choice.ensemble = false;
  choice.iterations = 4;
  choice.sure_prior_level = true;
  const Restoration r = restore(p, y, nullptr, choice);
  BOOST_REQUIRE(r.prior_level.has_value());
  const double level = restoration_defaults(p, 5.0).pnp.sigma_last;
  BOOST_TEST(r.settings.pnp.sigma_last == r.prior_level->choice.sigma);
  BOOST_TEST(r.prior_level->choice.sigma >= 0.25 * level * 0.999);
  BOOST_TEST(r.prior_level->choice.sigma <= 4.0 * level * 1.001);
}

BOOST_AUTO_TEST_SUITE_END()
