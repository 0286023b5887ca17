#include "priors/denoising_network.h"

#include "core/error.h"
#include "core/random.h"

#include <tbb/parallel_for.h>

#include <cmath>

namespace tweedie {

void unshuffle(const Tensor& image, std::int64_t s, std::int64_t extra, Tensor& folded) {
  const TensorShape& in = image.shape();
  if (in.channels != 1 || in.height % s != 0 || in.width % s != 0) {
    throw ShapeError("the network takes one-channel images whose sides are multiples of " + std::to_string(s) +
                     ", got " + std::to_string(in.height) + "×" + std::to_string(in.width) + "×" +
                     std::to_string(in.channels));
  }
  const std::int64_t h = in.height / s, w = in.width / s, channels = s * s + extra;
  folded.resize({in.batch, h, w, channels});
  tbb::parallel_for(std::int64_t{0}, in.batch * h, [&](std::int64_t row) {
    const std::int64_t n = row / h, y = row % h;
    for (std::int64_t x = 0; x < w; ++x) {
      for (std::int64_t dy = 0; dy < s; ++dy) {
        for (std::int64_t dx = 0; dx < s; ++dx) folded.at(n, y, x, dy * s + dx) = image.at(n, s * y + dy, s * x + dx, 0);
      }
    }
  });
}

void shuffle(const Tensor& folded, std::int64_t s, Tensor& image) {
  const TensorShape& in = folded.shape();
  image.resize({in.batch, in.height * s, in.width * s, 1});
  tbb::parallel_for(std::int64_t{0}, in.batch * in.height, [&](std::int64_t row) {
    const std::int64_t n = row / in.height, y = row % in.height;
    for (std::int64_t x = 0; x < in.width; ++x) {
      for (std::int64_t dy = 0; dy < s; ++dy) {
        for (std::int64_t dx = 0; dx < s; ++dx) image.at(n, s * y + dy, s * x + dx, 0) = folded.at(n, y, x, dy * s + dx);
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
  const std::int64_t s = architecture_.unshuffle, batch = noisy.shape().batch;
  if (static_cast<std::int64_t>(sigmas.size()) != batch) {
    throw ShapeError("one noise level per image: " + std::to_string(batch) + " images, " +
                     std::to_string(sigmas.size()) + " noise levels");
  }
  unshuffle(noisy, s, 1, folded_);
  const TensorShape& f = folded_.shape();
  for (std::int64_t n = 0; n < batch; ++n) {
    float* image = folded_.data() + n * f.height * f.width * f.channels;
    for (std::int64_t p = 0; p < f.height * f.width; ++p) image[p * f.channels + s * s] = sigmas[static_cast<std::size_t>(n)];
  }
  stack_->forward(folded_, residual_, keep_for_backward);
  shuffle(residual_, s, denoised);
  const float* x = noisy.data();
  float* d = denoised.data();
  for (std::int64_t i = 0; i < denoised.size(); ++i) d[i] = x[i] - d[i];
}

TilingRule DenoisingNetwork::tiling_rule() const {
  // A folded pixel holds s × s pixels: R folded pixels reach s·R + s − 1 pixels.
  const std::int64_t s = architecture_.unshuffle;
  const TilingRule folded = stack_->tiling_rule();
  return {folded.radius * s + s - 1, folded.grid * s};
}

void DenoisingNetwork::backward(const Tensor& grad_denoised, Tensor* grad_noisy, std::span<float> grad_parameters) {
  const std::int64_t s = architecture_.unshuffle;
  // D = x − R(x): ∂L/∂R = −g, and ∂L/∂x = g − J_Rᵀ g.
  unshuffle(grad_denoised, s, 0, grad_residual_);
  for (float& v : grad_residual_.values()) v = -v;
  stack_->backward(grad_residual_, grad_noisy ? &grad_folded_ : nullptr, grad_parameters);
  if (grad_noisy == nullptr) return;
  shuffle(grad_folded_, s, *grad_noisy);  // drops the noise-level channel
  const float* g = grad_denoised.data();
  float* out = grad_noisy->data();
  for (std::int64_t i = 0; i < grad_noisy->size(); ++i) out[i] += g[i];
}

}  // namespace tweedie
