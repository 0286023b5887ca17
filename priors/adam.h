// Adam (Kingma & Ba 2015) over one flat parameter vector, with its state exposed for checkpoints.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace tweedie {

struct AdamOptions {
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};

class Adam {
 public:
  Adam(std::size_t parameter_count, AdamOptions options = {});

  /// θ ← θ − rate · m̂ / (√v̂ + ε) for the gradient g of this step.
  void step(std::span<float> parameters, std::span<const float> gradient, double rate);

  std::int64_t steps() const { return steps_; }
  /// First and second moment estimates, for checkpoints.
  std::span<const float> first_moment() const { return m_; }
  std::span<const float> second_moment() const { return v_; }
  void restore(std::int64_t steps, std::span<const float> first_moment, std::span<const float> second_moment);

 private:
  AdamOptions options_;
  std::int64_t steps_ = 0;
  std::vector<float> m_, v_;
};

}  // namespace tweedie
