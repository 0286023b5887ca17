#include "operators/fast_atan.h"
#include "operators/simd.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(fast_atan_suite)

BOOST_AUTO_TEST_CASE(matches_std_atan_to_two_tenths_of_a_microradian) {
  double worst = 0.0;
  for (int k = -200000; k <= 200000; ++k) {
    const float x = 1e-4f * static_cast<float>(k) * (1.0f + 1e-3f * static_cast<float>(std::abs(k) % 1000));
    worst = std::max(worst, std::abs(static_cast<double>(tweedie::fast_atan(x)) - std::atan(static_cast<double>(x))));
  }
  BOOST_TEST(worst <= 2e-7);
  BOOST_TEST(tweedie::fast_atan(0.0f) == 0.0f);
  BOOST_TEST(std::abs(tweedie::fast_atan(1e30f) - 1.5707963267948966) <= 2e-7);
}

// Within [−1, 1]: two microradians at most, and never decreasing (the fan-beam transpose brackets
// rays by these angles, lane by lane, in order).
BOOST_AUTO_TEST_CASE(the_unit_range_polynomial_is_close_and_increasing) {
  double worst = 0.0;
  float previous = tweedie::atan_within_unit(-1.0f);
  bool increasing = true;
  for (int k = -1000000; k <= 1000000; ++k) {
    const float x = 1e-6f * static_cast<float>(k);
    const float angle = tweedie::atan_within_unit(x);
    worst = std::max(worst, std::abs(static_cast<double>(angle) - std::atan(static_cast<double>(x))));
    increasing = increasing && angle >= previous;
    previous = angle;
  }
  BOOST_TEST(worst <= 2e-6);
  BOOST_TEST(increasing);
}

#if defined(TWEEDIE_SIMD)
BOOST_AUTO_TEST_CASE(vectors_agree_with_scalars_lane_by_lane) {
  const float values[16] = {-40, -3, -2, -1, -0.5f, -0.4f, -0.1f, 0, 0.1f, 0.4f, 0.5f, 1, 2, 3, 40, 1e9f};
  for (int first = 0; first < 16; first += tweedie::simd::kLanes) {
    const tweedie::simd::Floats angles = tweedie::fast_atan(tweedie::simd::load(values + first));
    for (int lane = 0; lane < tweedie::simd::kLanes; ++lane) BOOST_TEST(angles[lane] == tweedie::fast_atan(values[first + lane]));
  }
}
#endif

BOOST_AUTO_TEST_SUITE_END()
