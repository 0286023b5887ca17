#include "core/error.h"
#include "core/parallel.h"
#include "core/threading.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(threading)

BOOST_AUTO_TEST_CASE(thread_limit_holds_while_it_lives) {
  {
    const ThreadLimit limit(1);
    BOOST_TEST(active_thread_count() == 1);
  }
  const ThreadLimit all(0);
  BOOST_TEST(active_thread_count() == available_core_count());
}

BOOST_AUTO_TEST_CASE(negative_thread_counts_are_refused) {
  BOOST_CHECK_THROW(ThreadLimit(-1), ParameterError);
}

BOOST_AUTO_TEST_CASE(deterministic_sum_is_exact_and_thread_independent) {
  // Terms of very different magnitude make the sum order-sensitive.
  const auto term = [](std::int64_t i) {
    return (i % 2 ? -1.0 : 1.0) * std::exp(0.001 * static_cast<double>(i)) / 3.0;
  };
  const auto chunk_sum = [&](std::int64_t begin, std::int64_t end) {
    double s = 0;
    for (auto i = begin; i < end; ++i) s += term(i);
    return s;
  };
  double serial = 0;
  for (std::int64_t c = 0; c < 10000; c += 64) serial += chunk_sum(c, std::min<std::int64_t>(10000, c + 64));
  double one, two;
  {
    const ThreadLimit limit(1);
    one = deterministic_sum(10000, 64, chunk_sum);
  }
  {
    const ThreadLimit limit(2);
    two = deterministic_sum(10000, 64, chunk_sum);
  }
  BOOST_TEST(one == serial);
  BOOST_TEST(two == serial);
  BOOST_TEST(deterministic_sum(0, 64, chunk_sum) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
