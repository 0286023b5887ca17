#include "core/resize.h"

#include "core/error.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace tweedie {
namespace {

// Keys' cubic convolution kernel with a = −½ (Keys, IEEE TASSP 29(6), 1981): support [−2, 2],
// interpolating, exact for quadratics.
double keys_cubic(double t) {
  t = std::abs(t);
  if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
  if (t < 2) return ((-0.5 * t + 2.5) * t - 4) * t + 2;
  return 0;
}

// Index n−1+k past the end reads n−k, −k reads k−1: the half-sample mirror.
std::int64_t mirrored(std::int64_t index, std::int64_t n) {
  const std::int64_t period = 2 * n;
  index %= period;
  if (index < 0) index += period;
  return index < n ? index : period - 1 - index;
}

// For each output pixel along one axis: the input taps and their weights (summing to 1).
struct AxisWeights {
  std::int64_t taps = 0;
  std::vector<std::int64_t> index;  // output × taps
  std::vector<float> weight;
};

AxisWeights axis_weights(std::int64_t n_in, std::int64_t n_out) {
  const double ratio = static_cast<double>(n_out) / static_cast<double>(n_in);  // ≤ 1
  const double radius = 2.0 / ratio;  // the kernel stretched by 1/ratio: a low-pass at the new Nyquist
  AxisWeights w;
  w.taps = static_cast<std::int64_t>(std::ceil(2 * radius)) + 1;
  w.index.resize(static_cast<std::size_t>(n_out * w.taps));
  w.weight.resize(w.index.size());
  std::vector<double> raw(static_cast<std::size_t>(w.taps));
  for (std::int64_t i = 0; i < n_out; ++i) {
    const double centre = (static_cast<double>(i) + 0.5) / ratio - 0.5;
    const auto first = static_cast<std::int64_t>(std::floor(centre - radius)) + 1;
    double total = 0;
    for (std::int64_t k = 0; k < w.taps; ++k) {
      raw[static_cast<std::size_t>(k)] = keys_cubic((centre - static_cast<double>(first + k)) * ratio);
      total += raw[static_cast<std::size_t>(k)];
    }
    for (std::int64_t k = 0; k < w.taps; ++k) {
      const auto at = static_cast<std::size_t>(i * w.taps + k);
      w.index[at] = mirrored(first + k, n_in);
      w.weight[at] = static_cast<float>(raw[static_cast<std::size_t>(k)] / total);
    }
  }
  return w;
}

}  // namespace

Image resize(const Image& image, double scale) {
  if (image.shape().dimension != 2) throw ParameterError("resize takes a 2D image, got " + image.shape().to_string());
  if (!(scale > 0 && scale <= 1)) throw ParameterError("resize scale must be in (0, 1], got " + std::to_string(scale));
  const std::int64_t nx = image.shape().nx, ny = image.shape().ny;
  const std::int64_t mx = std::max<std::int64_t>(1, std::llround(scale * static_cast<double>(nx)));
  const std::int64_t my = std::max<std::int64_t>(1, std::llround(scale * static_cast<double>(ny)));
  const AxisWeights wx = axis_weights(nx, mx), wy = axis_weights(ny, my);

  Image rows(Shape::image(mx, ny));  // resized along x
  tbb::parallel_for(std::int64_t{0}, ny, [&](std::int64_t y) {
    const float* in = image.row_data(y);
    float* out = rows.row_data(y);
    for (std::int64_t i = 0; i < mx; ++i) {
      float sum = 0;
      for (std::int64_t k = i * wx.taps; k < (i + 1) * wx.taps; ++k) sum += wx.weight[k] * in[wx.index[k]];
      out[i] = sum;
    }
  });
  ImageGeometry geometry = image.geometry();
  geometry.shape = Shape::image(mx, my);
  const double stretch[2] = {static_cast<double>(nx) / static_cast<double>(mx), static_cast<double>(ny) / static_cast<double>(my)};
  for (int axis = 0; axis < 2; ++axis) {
    geometry.spacing[axis] *= stretch[axis];
    const double shift = 0.5 * (stretch[axis] - 1) * image.geometry().spacing[axis];  // to the first new centre
    for (int row = 0; row < 3; ++row) geometry.origin[row] += geometry.direction[3 * row + axis] * shift;
  }
  Image resized(geometry);
  tbb::parallel_for(std::int64_t{0}, my, [&](std::int64_t j) {
    float* out = resized.row_data(j);
    std::fill(out, out + mx, 0.0f);
    for (std::int64_t k = j * wy.taps; k < (j + 1) * wy.taps; ++k) {
      const float* in = rows.row_data(wy.index[k]);
      const float weight = wy.weight[k];
      for (std::int64_t i = 0; i < mx; ++i) out[i] += weight * in[i];
    }
  });
  return resized;
}

}  // namespace tweedie
