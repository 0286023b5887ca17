// Synthetic test images on the 0–255 scale, and noise added to them.
#pragma once

#include "core/image.h"
#include "core/image_ops.h"

#include <cmath>
#include <cstdint>

namespace tweedie::testing {

/// An n×n picture with a disc's edge, a ramp, a step and a stripe texture.
inline Image test_picture(std::int64_t n) {
  Image x(Shape::image(n, n));
  const auto size = static_cast<double>(n);
  for (std::int64_t j = 0; j < n; ++j) {
    for (std::int64_t i = 0; i < n; ++i) {
      const auto u = static_cast<double>(i), v = static_cast<double>(j);
      const bool disc = std::hypot(u - 0.4 * size, v - 0.55 * size) < 0.24 * size;
      const double texture = u > 0.7 * size ? 30.0 * std::sin(0.8 * v) : 0.0;
      x.at(i, j) = static_cast<float>((disc ? 185.0 : 65.0) + 60.0 * v / size + texture);
    }
  }
  return x;
}

/// `clean` plus white Gaussian noise of standard deviation `sigma` (seeded).
inline Image with_noise(const Image& clean, double sigma, std::uint64_t seed) {
  Image noisy(clean.geometry());
  fill_normal(noisy, seed);
  noisy.array() = clean.array() + static_cast<float>(sigma) * noisy.array();
  return noisy;
}

}  // namespace tweedie::testing
