// Checks a gradient against central differences, for any scalar function of a float vector:
// the library's own layers are tested with it, and users can check theirs.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

namespace tweedie {

/// The median, over `coordinates` seeded random coordinates i, of
/// |∂f/∂x_i − (f(x + h e_i) − f(x − h e_i)) / 2h| / max(|∂f/∂x_i|, rms of the gradient).
/// One coordinate at a time keeps float round-off small against the change in f, and the median
/// ignores the few coordinates whose step crosses a ReLU kink.
double check_gradient(const std::function<double(std::span<const float>)>& f, std::span<const float> x,
                      std::span<const float> gradient, std::uint64_t seed, double step = 1e-2,
                      int coordinates = 25);

}  // namespace tweedie
