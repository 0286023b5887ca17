#include "priors/denoising_network.h"

#include "core/error.h"
#include "core/random.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace tweedie {

void unshuffle(const Tensor& image, std::int64_t s, std::int64_t extra, Tensor& folded) {
  const TensorShape& in = image.shape();
  if (in.height % s != 0 || in.width % s != 0) {
    throw ShapeError("the network takes images whose sides are multiples of " + std::to_string(s) + ", got " +
                     std::to_string(in.height) + "×" + std::to_string(in.width));
  }
  const std::int64_t h = in.height / s, w = in.width / s, c = in.channels, channels = c * s * s + extra;
  folded.resize({in.batch, h, w, channels});
  tbb::parallel_for(std::int64_t{0}, in.batch * h, [&](std::int64_t row) {
    const std::int64_t n = row / h, y = row % h;
    for (std::int64_t x = 0; x < w; ++x) {
      float* out = folded.pixel(n, y, x);
      for (std::int64_t k = 0; k < c; ++k) {
        for (std::int64_t dy = 0; dy < s; ++dy) {
          for (std::int64_t dx = 0; dx < s; ++dx) out[(k * s + dy) * s + dx] = image.at(n, s * y + dy, s * x + dx, k);
        }
      }
      std::fill_n(out + c * s * s, extra, 0.0f);
    }
  });
}

void shuffle(const Tensor& folded, std::int64_t s, std::int64_t channels, Tensor& image) {
  const TensorShape& in = folded.shape();
  if (in.channels < channels * s * s) {
    throw ShapeError("cannot unfold " + std::to_string(channels) + " channels from " + std::to_string(in.channels));
  }
  image.resize({in.batch, in.height * s, in.width * s, channels});
  tbb::parallel_for(std::int64_t{0}, in.batch * in.height, [&](std::int64_t row) {
    const std::int64_t n = row / in.height, y = row % in.height;
    for (std::int64_t x = 0; x < in.width; ++x) {
      const float* from = folded.pixel(n, y, x);
      for (std::int64_t k = 0; k < channels; ++k) {
        for (std::int64_t dy = 0; dy < s; ++dy) {
          for (std::int64_t dx = 0; dx < s; ++dx) image.at(n, s * y + dy, s * x + dx, k) = from[(k * s + dy) * s + dx];
        }
      }
    }
  });
}

DenoisingNetwork::DenoisingNetwork(const NetworkArchitecture& architecture, ConvBackend backend)
    : architecture_(architecture), stack_(std::make_unique<ConvStack>(architecture, backend)),
      parameters_(static_cast<std::size_t>(architecture.parameter_count()), 0.0f) {}

void DenoisingNetwork::set_parameters(std::span<const float> parameters) {
  stack_->set_parameters(parameters);
  parameters_.assign(parameters.begin(), parameters.end());
}

void DenoisingNetwork::initialise(std::uint64_t seed) {
  const CounterRng rng(seed, 0);
  std::vector<float> values(parameters_.size(), 0.0f);
  std::size_t offset = 0;
  for (const ConvLayerShape& layer : architecture_.layers()) {
    // The last layer starts at zero: the network starts as the identity D(x) = x and learns the
    // residual from there (as in Fixup, Zhang et al. 2019), instead of first unlearning a random one.
    const double deviation = layer.relu ? std::sqrt(2.0 / static_cast<double>(layer.kernel * layer.kernel * layer.in_channels)) : 0.0;
    for (std::int64_t i = 0; i < layer.weight_count(); ++i, ++offset) {
      values[offset] = static_cast<float>(deviation * rng.normal(offset));
    }
    offset += static_cast<std::size_t>(layer.out_channels);  // biases start at zero
  }
  set_parameters(values);
}

void DenoisingNetwork::forward(const Tensor& noisy, std::span<const float> sigmas, Tensor& denoised,
                               bool keep_for_backward) {
  const std::int64_t s = architecture_.unshuffle, batch = noisy.shape().batch, slices = architecture_.input_slices();
  if (noisy.shape().channels != slices) {
    throw ShapeError("the network takes " + std::to_string(slices) + " slice" + (slices > 1 ? "s" : "") + " as channels, got " +
                     std::to_string(noisy.shape().channels));
  }
  if (static_cast<std::int64_t>(sigmas.size()) != batch) {
    throw ShapeError("one noise level per image: " + std::to_string(batch) + " images, " +
                     std::to_string(sigmas.size()) + " noise levels");
  }
  unshuffle(noisy, s, 1, folded_);
  const TensorShape& f = folded_.shape();
  for (std::int64_t n = 0; n < batch; ++n) {
    float* image = folded_.data() + n * f.height * f.width * f.channels;
    for (std::int64_t p = 0; p < f.height * f.width; ++p) image[p * f.channels + slices * s * s] = sigmas[static_cast<std::size_t>(n)];
  }
  stack_->forward(folded_, residual_, keep_for_backward);
  shuffle(residual_, s, 1, denoised);
  // The middle slice minus the predicted noise.
  const float* x = noisy.data() + architecture_.context;
  float* d = denoised.data();
  for (std::int64_t i = 0; i < denoised.size(); ++i) d[i] = x[i * slices] - d[i];
}

TilingRule DenoisingNetwork::tiling_rule() const {
  // A folded pixel holds s × s pixels: R folded pixels reach s·R + s − 1 pixels.
  const std::int64_t s = architecture_.unshuffle;
  const TilingRule folded = stack_->tiling_rule();
  return {folded.radius * s + s - 1, folded.grid * s};
}

void DenoisingNetwork::backward(const Tensor& grad_denoised, Tensor* grad_noisy, std::span<float> grad_parameters) {
  const std::int64_t s = architecture_.unshuffle, slices = architecture_.input_slices();
  // D = x_middle − R(x): ∂L/∂R = −g, and ∂L/∂x = g·e_middle − J_Rᵀ g.
  unshuffle(grad_denoised, s, 0, grad_residual_);
  for (float& v : grad_residual_.values()) v = -v;
  stack_->backward(grad_residual_, grad_noisy ? &grad_folded_ : nullptr, grad_parameters);
  if (grad_noisy == nullptr) return;
  shuffle(grad_folded_, s, slices, *grad_noisy);  // drops the noise-level channel
  const float* g = grad_denoised.data();
  float* out = grad_noisy->data() + architecture_.context;
  for (std::int64_t i = 0; i < grad_denoised.size(); ++i) out[i * slices] += g[i];
}

}  // namespace tweedie
