#include "core/random.h"
#include "core/threading.h"

#include <boost/test/unit_test.hpp>
#include <tbb/parallel_for.h>

#include <cmath>
#include <vector>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(counter_rng)

// Known-answer vectors of Random123's tests/kat_vectors (philox4x32 10).
BOOST_AUTO_TEST_CASE(philox_matches_the_published_known_answers) {
  using Words = std::array<std::uint32_t, 4>;
  BOOST_TEST((philox4x32_10({0, 0, 0, 0}, {0, 0}) ==
              Words{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  BOOST_TEST((philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                            {0xffffffff, 0xffffffff}) ==
              Words{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  BOOST_TEST((philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                            {0xa4093822, 0x299f31d0}) ==
              Words{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

BOOST_AUTO_TEST_CASE(draws_depend_on_index_not_on_thread_count) {
  const CounterRng rng(2024, 7);
  const auto draw_all = [&](int threads) {
    const ThreadLimit limit(threads);
    std::vector<double> values(100000);
    tbb::parallel_for(std::size_t{0}, values.size(), [&](std::size_t i) {
      auto sequence = rng.at(i);
      values[i] = sequence.normal() + sequence.uniform();
    });
    return values;
  };
  const std::vector<double> one = draw_all(1), two = draw_all(2);
  BOOST_TEST(one == two);
}

BOOST_AUTO_TEST_CASE(seeds_and_streams_give_different_numbers) {
  BOOST_TEST(CounterRng(1, 0).uniform(5) != CounterRng(2, 0).uniform(5));
  BOOST_TEST(CounterRng(1, 0).uniform(5) != CounterRng(1, 1).uniform(5));
  BOOST_TEST(CounterRng(1, 0).uniform(5) != CounterRng(1, 0).uniform(6));
  BOOST_TEST(CounterRng(1, 0).uniform(5) == CounterRng(1, 0).uniform(5));
}

BOOST_AUTO_TEST_CASE(uniform_and_normal_have_the_right_moments) {
  const CounterRng rng(99);
  const int n = 400000;
  double u_sum = 0, u_sq = 0, n_sum = 0, n_sq = 0, n_fourth = 0;
  double u_min = 1, u_max = 0;
  for (int i = 0; i < n; ++i) {
    auto sequence = rng.at(static_cast<std::uint64_t>(i));
    const double u = sequence.uniform(), g = sequence.normal();
    u_sum += u;
    u_sq += u * u;
    u_min = std::min(u_min, u);
    u_max = std::max(u_max, u);
    n_sum += g;
    n_sq += g * g;
    n_fourth += g * g * g * g;
  }
  // Standard errors: mean of U(0,1) ~ 4.6e-4, of N(0,1) ~ 1.6e-3; 5 sigma bounds.
  BOOST_TEST(u_sum / n == 0.5, boost::test_tools::tolerance(0.005));
  BOOST_TEST(u_sq / n - std::pow(u_sum / n, 2) == 1.0 / 12, boost::test_tools::tolerance(0.01));
  BOOST_TEST(u_min > 0.0);
  BOOST_TEST(u_max < 1.0);
  BOOST_TEST(std::abs(n_sum / n) < 0.008);
  BOOST_TEST(n_sq / n == 1.0, boost::test_tools::tolerance(0.012));
  BOOST_TEST(n_fourth / n == 3.0, boost::test_tools::tolerance(0.05));
}

BOOST_AUTO_TEST_SUITE_END()
