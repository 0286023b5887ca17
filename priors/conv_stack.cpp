#include "priors/conv_stack.h"

#include "core/error.h"
#include "priors/im2col_convolution.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace tweedie {

ConvBackend parse_conv_backend(const std::string& name) {
  if (name == "reference") return ConvBackend::reference;
  if (name == "winograd") return ConvBackend::winograd;
  if (name == "amx-bf16") return ConvBackend::amx_bf16;
  throw ParameterError("unknown convolution backend '" + name + "' (expected winograd, amx-bf16 or reference)");
}

std::string to_string(ConvBackend backend) {
  switch (backend) {
    case ConvBackend::reference: return "reference";
    case ConvBackend::winograd: return "winograd";
    case ConvBackend::amx_bf16: return "amx-bf16";
  }
  return "unknown";
}

ConvStack::ConvStack(const NetworkArchitecture& architecture, ConvBackend backend)
    : layers_(architecture.layers()), backend_(backend) {
  architecture.validate();
  std::int64_t offset = 0;
  for (const ConvLayerShape& layer : layers_) {
    offsets_.push_back(offset);
    offset += layer.parameter_count();
  }
  parameters_.assign(static_cast<std::size_t>(offset), 0.0f);
  kernels_.resize(layers_.size());
  transposed_kernels_.resize(layers_.size());
  amx_kernels_.resize(layers_.size());
  transposed_amx_kernels_.resize(layers_.size());
  if (backend_ == ConvBackend::amx_bf16 && !amx_bf16_available()) {
    throw Error("the amx-bf16 convolution backend needs a build with TWEEDIE_AMX, a CPU with AMX-BF16 (Intel "
                "Sapphire Rapids or later) and Linux 5.16 or later; use winograd");
  }
}

bool ConvStack::uses_amx(std::size_t l) const {
  return backend_ == ConvBackend::amx_bf16 && amx_supports(layers_[l]);
}

bool ConvStack::uses_winograd(std::size_t l) const {
  return backend_ != ConvBackend::reference && !uses_amx(l) && layers_[l].kernel == 3;
}

void ConvStack::set_parameters(std::span<const float> parameters) {
  if (parameters.size() != parameters_.size()) {
    throw ShapeError("the network has " + std::to_string(parameters_.size()) + " parameters, got " +
                     std::to_string(parameters.size()));
  }
  std::copy(parameters.begin(), parameters.end(), parameters_.begin());
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const ConvLayerShape& layer = layers_[l];
    const float* weights = parameters_.data() + offsets_[l];
    if (uses_amx(l)) {
      amx_kernels_[l] = amx_kernels(layer, weights);
      transposed_amx_kernels_[l] = amx_kernels(layer.transposed(), flipped_transposed_weights(layer, weights).data());
    } else if (uses_winograd(l)) {
      kernels_[l] = winograd_kernels(layer, weights);
      transposed_kernels_[l] = winograd_kernels(layer.transposed(), flipped_transposed_weights(layer, weights).data());
    }
  }
}

void ConvStack::convolve(std::size_t l, const Tensor& input, Tensor& output) {
  const float* weights = parameters_.data() + offsets_[l];
  const float* bias = weights + layers_[l].weight_count();
  if (uses_amx(l)) {
    convolve_amx(input, layers_[l], amx_kernels_[l], bias, output, amx_workspace_);
  } else if (uses_winograd(l)) {
    convolve_winograd(input, layers_[l], kernels_[l], bias, output);
  } else {
    convolve_reference(input, layers_[l], weights, bias, output);
  }
}

void ConvStack::forward(const Tensor& input, Tensor& output, bool keep_for_backward) {
  if (keep_for_backward) {
    activations_.resize(layers_.size() + 1);
    activations_[0] = input;
    for (std::size_t l = 0; l < layers_.size(); ++l) convolve(l, activations_[l], activations_[l + 1]);
    output = activations_.back();
    return;
  }
  // Inference: the layers take turns between two buffers that outlive the call, so a large image
  // is not allocated (and its pages faulted in) afresh for every layer of every call.
  activations_.clear();
  const Tensor* in = &input;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    Tensor& out = l + 1 == layers_.size() ? output : inference_buffers_[l % 2];
    convolve(l, *in, out);
    in = &out;
  }
}

TilingRule ConvStack::tiling_rule() const {
  TilingRule rule;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    if (uses_winograd(l)) {
      rule.radius += kWinogradTile;
      rule.grid = kWinogradTile;
    } else {  // direct convolution (im2col, AMX): each output from its kernel-sized neighbourhood only
      rule.radius += layers_[l].kernel / 2;
    }
  }
  return rule;
}

void ConvStack::backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) {
  if (activations_.size() != layers_.size() + 1) throw Error("backward() needs a forward pass that kept its activations");
  if (!grad_parameters.empty() && grad_parameters.size() != parameters_.size()) {
    throw ShapeError("parameter gradient has " + std::to_string(grad_parameters.size()) + " values, expected " +
                     std::to_string(parameters_.size()));
  }
  // The gradient takes turns between two buffers that outlive the call (as inference does), so
  // a training step does not allocate and fault in two activation-sized tensors afresh.
  Tensor* grad = &gradient_buffers_[0];
  Tensor* next = &gradient_buffers_[1];
  *grad = grad_output;
  for (std::size_t l = layers_.size(); l-- > 0;) {
    const ConvLayerShape& layer = layers_[l];
    if (layer.relu) {  // ReLU'(pre-activation) = [output > 0]
      const float* out = activations_[l + 1].data();
      float* g = grad->data();
      tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, grad->size(), 1 << 16),
                        [&](const tbb::blocked_range<std::int64_t>& range) {
                          for (std::int64_t i = range.begin(); i < range.end(); ++i) g[i] = out[i] > 0.0f ? g[i] : 0.0f;
                        });
    }
    const float* weights = parameters_.data() + offsets_[l];
    if (!grad_parameters.empty()) {
      float* gw = grad_parameters.data() + offsets_[l];
      if (uses_amx(l)) {
        convolution_weight_gradient_amx(activations_[l], *grad, layer, gw, gw + layer.weight_count(), amx_workspace_);
      } else if (uses_winograd(l)) {
        convolution_weight_gradient_winograd(activations_[l], *grad, layer, gw, gw + layer.weight_count(),
                                             winograd_workspace_);
      } else {
        convolution_weight_gradient_reference(activations_[l], *grad, layer, gw, gw + layer.weight_count());
      }
    }
    if (l == 0 && grad_input == nullptr) break;
    // The input gradient is the correlation with the kernel: a convolution with the kernel
    // flipped and its channel axes swapped.
    if (uses_amx(l)) {
      convolve_amx(*grad, layer.transposed(), transposed_amx_kernels_[l], nullptr, *next, amx_workspace_);
    } else if (uses_winograd(l)) {
      convolve_winograd(*grad, layer.transposed(), transposed_kernels_[l], nullptr, *next);
    } else {
      convolve_reference(*grad, layer.transposed(), flipped_transposed_weights(layer, weights).data(), nullptr, *next);
    }
    std::swap(grad, next);
  }
  if (grad_input) *grad_input = *grad;
}

}  // namespace tweedie
