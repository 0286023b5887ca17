#include "core/error.h"
#include "core/threading.h"
#include "operators/low_dose.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(low_dose)

BOOST_DATA_TEST_CASE(poisson_variates_have_mean_and_variance_lambda,
                     boost::unit_test::data::make({0.5, 3.0, 9.9, 10.0, 45.0, 3000.0}), lambda) {
  const CounterRng rng(11);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    auto draws = rng.at(static_cast<std::uint64_t>(i));
    const double k = static_cast<double>(poisson(lambda, draws));
    sum += k;
    sum_sq += k * k;
  }
  const double mean = sum / n, variance = sum_sq / n - mean * mean;
  // Standard error of the mean: sqrt(λ/n); of the variance: about λ·sqrt(2/n).
  BOOST_TEST(std::abs(mean - lambda) < 5 * std::sqrt(lambda / n));
  BOOST_TEST(std::abs(variance - lambda) < 5 * lambda * std::sqrt(2.0 / n) + 5 * std::sqrt(lambda / n));
}

BOOST_AUTO_TEST_CASE(poisson_small_lambda_matches_its_probabilities) {
  const CounterRng rng(12);
  const int n = 100000;
  int zeros = 0, twos = 0;
  for (int i = 0; i < n; ++i) {
    auto draws = rng.at(static_cast<std::uint64_t>(i));
    const auto k = poisson(2.0, draws);
    zeros += k == 0;
    twos += k == 2;
  }
  BOOST_TEST(zeros / double(n) == std::exp(-2.0), boost::test_tools::tolerance(0.03));
  BOOST_TEST(twos / double(n) == 2.0 * std::exp(-2.0), boost::test_tools::tolerance(0.02));
}

// p̂ = −log(counts/I0) with counts ~ Poisson(λ), λ = I0·e^(−p): to second order
// E[p̂] = p + 1/(2λ) and var(p̂) = 1/λ.
BOOST_DATA_TEST_CASE(line_integrals_follow_the_poisson_model, boost::unit_test::data::make({1e4, 5e4}), dose) {
  const double p = 2.5;
  Image clean(Shape::image(1000, 200));
  clean.array() = static_cast<float>(p);
  const LowDoseSinogram noisy = simulate_low_dose(clean, {.incident_photons = dose, .seed = 3});
  const double lambda = dose * std::exp(-p);
  const auto values = noisy.line_integrals.array().cast<double>();
  const double mean = values.mean();
  const double variance = (values - mean).square().mean();
  BOOST_TEST(mean == p + 0.5 / lambda, boost::test_tools::tolerance(2e-4));
  BOOST_TEST(variance == 1.0 / lambda, boost::test_tools::tolerance(0.02));
  BOOST_TEST(noisy.weights.array().cast<double>().mean() == lambda, boost::test_tools::tolerance(0.01));
}

BOOST_AUTO_TEST_CASE(electronic_noise_adds_variance) {
  Image clean(Shape::image(500, 200));
  clean.array() = 4.0f;
  const double lambda = 1e4 * std::exp(-4.0), sigma = 10.0;
  const LowDoseSinogram noisy =
      simulate_low_dose(clean, {.incident_photons = 1e4, .electronic_noise_counts = sigma, .seed = 4});
  const auto values = noisy.line_integrals.array().cast<double>();
  const double variance = (values - values.mean()).square().mean();
  BOOST_TEST(variance == (lambda + sigma * sigma) / (lambda * lambda), boost::test_tools::tolerance(0.03));
}

BOOST_AUTO_TEST_CASE(same_seed_same_sinogram_at_any_thread_count) {
  Image clean(Shape::volume(300, 100, 2));
  for (std::int64_t i = 0; i < clean.size(); ++i) clean.data()[i] = static_cast<float>(i % 700) / 100.0f;
  const auto run = [&](int threads, std::uint64_t seed) {
    const ThreadLimit limit(threads);
    return simulate_low_dose(clean, {.incident_photons = 2e4, .electronic_noise_counts = 5, .seed = seed});
  };
  const LowDoseSinogram one = run(1, 7), two = run(2, 7), other = run(2, 8);
  BOOST_TEST((one.line_integrals.array() == two.line_integrals.array()).all());
  BOOST_TEST((one.weights.array() == two.weights.array()).all());
  BOOST_TEST(!(one.line_integrals.array() == other.line_integrals.array()).all());
}

BOOST_AUTO_TEST_CASE(bad_doses_and_inputs_are_refused) {
  const Image clean(Shape::image(4, 4));
  BOOST_CHECK_THROW(simulate_low_dose(clean, {.incident_photons = 0}), ParameterError);
  BOOST_CHECK_THROW(simulate_low_dose(clean, {.incident_photons = -5}), ParameterError);
  BOOST_CHECK_THROW(simulate_low_dose(clean, {.incident_photons = 1e4, .electronic_noise_counts = -1}),
                    ParameterError);
  Image with_nan = clean.clone();
  with_nan.at(1, 1) = NAN;
  BOOST_CHECK_THROW(simulate_low_dose(with_nan, {}), ParameterError);
}

BOOST_AUTO_TEST_SUITE_END()
