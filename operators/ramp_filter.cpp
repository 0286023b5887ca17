#include "operators/ramp_filter.h"

#include "operators/blur.h"
#include "operators/fft_plans.h"

#include <algorithm>
#include <cmath>

namespace tweedie {
namespace {

// Signed frequency of FFT bin k of n, in cycles per sample.
double frequency(std::int64_t k, std::int64_t n) {
  return static_cast<double>(k <= n / 2 ? k : k - n) / static_cast<double>(n);
}

}  // namespace

Image ramp_kernel(std::int64_t nx, std::int64_t ny, double damping) {
  const std::int64_t px = 2 * nx, py = 2 * ny;
  detail::RealFft2d plans(static_cast<int>(py), static_cast<int>(px));
  detail::FftBuffer buffer(plans);
  const double lowest = 1.0 / static_cast<double>(std::max(px, py));
  const std::int64_t half = px / 2 + 1;
  for (std::int64_t j = 0; j < py; ++j) {
    for (std::int64_t i = 0; i < half; ++i) {
      const double response = std::max(std::hypot(frequency(i, px), frequency(j, py)), lowest);
      buffer.spectrum[j * half + i][0] = static_cast<float>(response / (1.0 + damping * response) / static_cast<double>(px * py));
      buffer.spectrum[j * half + i][1] = 0.0f;
    }
  }
  plans.inverse(buffer.spectrum, buffer.signal);
  // The periodic kernel has its centre at (0, 0); its taps within ±(n − 1) make the odd-sized
  // kernel (the one row and column at offset n are dropped).
  Image kernel(Shape::image(2 * nx - 1, 2 * ny - 1));
  for (std::int64_t j = -(ny - 1); j <= ny - 1; ++j) {
    for (std::int64_t i = -(nx - 1); i <= nx - 1; ++i) {
      kernel.at(i + nx - 1, j + ny - 1) = buffer.signal[((j + py) % py) * px + (i + px) % px];
    }
  }
  return kernel;
}

std::shared_ptr<const LinearOperator> ramp_filter(const ImageGeometry& image, double damping) {
  return std::make_shared<Convolution>(image, ramp_kernel(image.shape.nx, image.shape.ny, damping), Boundary::zero);
}

}  // namespace tweedie
