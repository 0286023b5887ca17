#include "priors/gradient_check.h"

#include "core/error.h"
#include "core/random.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tweedie {

double check_gradient(const std::function<double(std::span<const float>)>& f, std::span<const float> x,
                      std::span<const float> gradient, std::uint64_t seed, double step, int coordinates) {
  if (x.size() != gradient.size() || x.empty()) throw ShapeError("gradient and point differ in size");
  double mean_square = 0.0;
  for (float g : gradient) mean_square += static_cast<double>(g) * g;
  const double rms = std::sqrt(mean_square / static_cast<double>(gradient.size()));
  const CounterRng rng(seed, 0);
  std::vector<float> moved(x.begin(), x.end());
  std::vector<double> errors;
  for (int k = 0; k < coordinates; ++k) {
    const auto i = static_cast<std::size_t>(rng.at(static_cast<std::uint64_t>(k)).next_u64() % x.size());
    // The step actually taken after rounding to float, so rounding is not counted as error.
    const auto plus = static_cast<float>(x[i] + step), minus = static_cast<float>(x[i] - step);
    moved[i] = plus;
    const double f_plus = f(moved);
    moved[i] = minus;
    const double f_minus = f(moved);
    moved[i] = x[i];
    const double numeric = (f_plus - f_minus) / (static_cast<double>(plus) - minus);
    errors.push_back(std::abs(numeric - gradient[i]) / std::max({std::abs(static_cast<double>(gradient[i])), rms, 1e-30}));
  }
  std::nth_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2), errors.end());
  return errors[errors.size() / 2];
}

}  // namespace tweedie
