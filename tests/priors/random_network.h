// Parameters for tests: every layer random (He-scaled weights, small random biases), unlike a
// freshly initialised network whose last layer is zero and whose gradients would mostly vanish.
#pragma once

#include "core/random.h"
#include "priors/architecture.h"

#include <cmath>
#include <vector>

namespace tweedie::testing {

inline std::vector<float> random_parameters(const NetworkArchitecture& architecture, std::uint64_t seed) {
  const CounterRng rng(seed, 9);
  std::vector<float> values;
  for (const ConvLayerShape& layer : architecture.layers()) {
    const double deviation = std::sqrt(2.0 / static_cast<double>(layer.kernel * layer.kernel * layer.in_channels));
    for (std::int64_t i = 0; i < layer.weight_count(); ++i) values.push_back(static_cast<float>(deviation * rng.normal(values.size())));
    for (std::int64_t o = 0; o < layer.out_channels; ++o) values.push_back(static_cast<float>(0.05 * rng.normal(values.size())));
  }
  return values;
}

}  // namespace tweedie::testing
