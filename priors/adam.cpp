#include "priors/adam.h"

#include "core/error.h"

#include <cmath>

namespace tweedie {

Adam::Adam(std::size_t parameter_count, AdamOptions options)
    : options_(options), m_(parameter_count, 0.0f), v_(parameter_count, 0.0f) {}

void Adam::step(std::span<float> parameters, std::span<const float> gradient, double rate) {
  if (parameters.size() != m_.size() || gradient.size() != m_.size()) {
    throw ShapeError("Adam was made for " + std::to_string(m_.size()) + " parameters");
  }
  ++steps_;
  const double b1 = options_.beta1, b2 = options_.beta2;
  const double step_size = rate * std::sqrt(1.0 - std::pow(b2, static_cast<double>(steps_))) /
                           (1.0 - std::pow(b1, static_cast<double>(steps_)));
  const double epsilon = options_.epsilon * std::sqrt(1.0 - std::pow(b2, static_cast<double>(steps_)));
  for (std::size_t i = 0; i < m_.size(); ++i) {
    const double g = gradient[i];
    m_[i] = static_cast<float>(b1 * m_[i] + (1.0 - b1) * g);
    v_[i] = static_cast<float>(b2 * v_[i] + (1.0 - b2) * g * g);
    parameters[i] -= static_cast<float>(step_size * m_[i] / (std::sqrt(static_cast<double>(v_[i])) + epsilon));
  }
}

void Adam::restore(std::int64_t steps, std::span<const float> first_moment, std::span<const float> second_moment) {
  if (first_moment.size() != m_.size() || second_moment.size() != v_.size()) {
    throw ShapeError("optimiser state does not match the network's " + std::to_string(m_.size()) + " parameters");
  }
  steps_ = steps;
  m_.assign(first_moment.begin(), first_moment.end());
  v_.assign(second_moment.begin(), second_moment.end());
}

}  // namespace tweedie
