#include "operators/fast_atan.h"

#include <boost/test/unit_test.hpp>

#include <immintrin.h>

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

#if defined(__AVX512F__)
BOOST_AUTO_TEST_CASE(vectors_agree_with_scalars_lane_by_lane) {
  const __m512 x = _mm512_setr_ps(-40, -3, -2, -1, -0.5f, -0.4f, -0.1f, 0, 0.1f, 0.4f, 0.5f, 1, 2, 3, 40, 1e9f);
  const __m512 angles = tweedie::fast_atan(x);
  for (int lane = 0; lane < 16; ++lane) BOOST_TEST(angles[lane] == tweedie::fast_atan(x[lane]));
}
#endif

BOOST_AUTO_TEST_SUITE_END()
