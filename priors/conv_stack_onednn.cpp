// The oneDNN backend: oneDNN's convolution kernels, activations kept in the layout the kernels
// choose (blocked, e.g. nChw16c) from the first layer to the last, ReLU fused into the forward
// convolution, primitives made once per batch shape. oneDNN threads with OpenMP: it is called
// from the calling thread with as many threads as oneTBB may use, so the two never
// oversubscribe the cores.
//
// oneDNN's fast kernels work on blocks of 16 channels; for the first layer's few input channels
// and the last layer's few output channels only its slow reference kernels exist. So the
// kernels see those layers padded to 16 channels with zero weights — a change of layout at the
// backend's boundary that the rest of Tweedie never sees.
#include "priors/conv_stack_onednn.h"

#include "core/error.h"
#include "core/threading.h"

#include <omp.h>

namespace tweedie {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

std::int64_t round_up_16(std::int64_t n) { return (n + 15) / 16 * 16; }

memory::dims nchw(std::int64_t batch, std::int64_t channels, std::int64_t height, std::int64_t width) {
  return {batch, channels, height, width};
}

// Copies a [groups][inner][channels] array into one of shape [groups][inner'][channels'],
// leaving the rest of the target alone: pads (target zero-filled) or crops.
void repack(const float* from, std::int64_t from_inner, std::int64_t from_channels, float* to, std::int64_t to_inner,
            std::int64_t to_channels, std::int64_t groups) {
  const std::int64_t inner = std::min(from_inner, to_inner), channels = std::min(from_channels, to_channels);
  for (std::int64_t g = 0; g < groups; ++g) {
    for (std::int64_t i = 0; i < inner; ++i) {
      std::copy_n(from + (g * from_inner + i) * from_channels, channels, to + (g * to_inner + i) * to_channels);
    }
  }
}

}  // namespace

struct OnednnConvStack::Plan {
  struct Layer {
    dnnl::convolution_forward::primitive_desc forward;
    dnnl::convolution_backward_data::primitive_desc backward_data;
    dnnl::convolution_backward_weights::primitive_desc backward_weights;
    memory weights, transposed_weights, bias;  // transposed: the layout backward_data wants
    memory output;                             // after the fused ReLU
    memory grad_weights, grad_bias;
  };
  memory input;  // the first layer's input, in its layout
  std::vector<Layer> layers;
  // Inference plans keep no activations: the layers' outputs take turns in two buffers.
  std::vector<float> ping, pong;
};

OnednnConvStack::OnednnConvStack(const NetworkArchitecture& architecture)
    : layers_(architecture.layers()), engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {
  architecture.validate();
  std::int64_t offset = 0;
  for (const ConvLayerShape& layer : layers_) {
    offsets_.push_back(offset);
    offset += layer.parameter_count();
    kernel_layers_.push_back(layer);
  }
  kernel_layers_.front().in_channels = round_up_16(kernel_layers_.front().in_channels);
  kernel_layers_.back().out_channels = round_up_16(kernel_layers_.back().out_channels);
  parameters_.assign(static_cast<std::size_t>(offset), 0.0f);
}

OnednnConvStack::~OnednnConvStack() = default;

void OnednnConvStack::set_parameters(std::span<const float> parameters) {
  if (parameters.size() != parameters_.size()) {
    throw ShapeError("the network has " + std::to_string(parameters_.size()) + " parameters, got " +
                     std::to_string(parameters.size()));
  }
  std::copy(parameters.begin(), parameters.end(), parameters_.begin());
  for (auto& [shape, plan] : plans_) load_parameters(*plan);
}

void OnednnConvStack::load_parameters(Plan& plan) {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const ConvLayerShape &s = layers_[l], &k = kernel_layers_[l];
    const float* weights = parameters_.data() + offsets_[l];
    std::vector<float> padded(static_cast<std::size_t>(k.weight_count()), 0.0f);
    repack(weights, s.in_channels, s.out_channels, padded.data(), k.in_channels, k.out_channels, s.kernel * s.kernel);
    memory user(memory::desc({k.out_channels, k.in_channels, k.kernel, k.kernel}, f32, Tag::hwio), engine_,
                padded.data());
    for (memory* target : {&plan.layers[l].weights, &plan.layers[l].transposed_weights}) {
      dnnl::reorder(user, *target).execute(stream_, user, *target);
    }
    auto* bias = static_cast<float*>(plan.layers[l].bias.get_data_handle());
    std::fill_n(bias, k.out_channels, 0.0f);
    std::copy_n(weights + s.weight_count(), s.out_channels, bias);
    stream_.wait();
  }
}

OnednnConvStack::Plan& OnednnConvStack::plan_for(const TensorShape& shape, bool training) {
  const auto key = std::make_tuple(shape.batch, shape.height, shape.width, training);
  if (auto found = plans_.find(key); found != plans_.end()) return *found->second;
  // Images of many sizes would otherwise pile up plans and their buffers: past a few, start over
  // (keeping the plan a pending backward pass needs).
  constexpr std::size_t kMostPlans = 8;
  if (plans_.size() >= kMostPlans) {
    std::erase_if(plans_, [&](const auto& entry) { return entry.second.get() != last_plan_; });
  }
  auto plan = std::make_unique<Plan>();
  const memory::dims strides{1, 1};
  // Training: oneDNN picks Winograd where it is faster (~1.3x on training batches, errors ~1e-5
  // relative). Inference: direct convolution, whose result for a pixel does not depend on where
  // the image was cut into tiles.
  const auto algorithm = training ? dnnl::algorithm::convolution_auto : dnnl::algorithm::convolution_direct;
  memory::desc input_desc(nchw(shape.batch, kernel_layers_[0].in_channels, shape.height, shape.width), f32, Tag::any);
  for (const ConvLayerShape& s : kernel_layers_) {
    const memory::dims padding{s.kernel / 2, s.kernel / 2};
    const memory::desc weights_desc({s.out_channels, s.in_channels, s.kernel, s.kernel}, f32, Tag::any);
    const memory::desc bias_desc({s.out_channels}, f32, Tag::x);
    const memory::desc output_desc(nchw(shape.batch, s.out_channels, shape.height, shape.width), f32, Tag::any);
    dnnl::primitive_attr attributes;
    if (s.relu) {
      dnnl::post_ops relu;
      relu.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      attributes.set_post_ops(relu);
    }
    dnnl::convolution_forward::primitive_desc forward(
        {dnnl::prop_kind::forward_training, algorithm, input_desc, weights_desc, bias_desc, output_desc, strides,
         padding, padding},
        attributes, engine_);
    // The backward passes use the forward pass's activation layouts (no reorders between layers)
    // and choose their own weight layouts.
    dnnl::convolution_backward_data::primitive_desc backward_data(
        {algorithm, forward.src_desc(), weights_desc, forward.dst_desc(), strides, padding, padding}, engine_, forward);
    dnnl::convolution_backward_weights::primitive_desc backward_weights(
        {algorithm, forward.src_desc(), weights_desc, bias_desc, forward.dst_desc(), strides, padding, padding}, engine_,
        forward);
    if (plan->layers.empty()) plan->input = memory(forward.src_desc(), engine_);
    plan->layers.push_back({forward, backward_data, backward_weights, memory(forward.weights_desc(), engine_),
                            memory(backward_data.weights_desc(), engine_), memory(bias_desc, engine_),
                            training ? memory(forward.dst_desc(), engine_) : memory(),
                            memory(backward_weights.diff_weights_desc(), engine_), memory(bias_desc, engine_)});
    input_desc = forward.dst_desc();
  }
  if (!training) {
    std::size_t largest = 0;
    for (const Plan::Layer& layer : plan->layers) largest = std::max(largest, layer.forward.dst_desc().get_size());
    plan->ping.resize(largest / sizeof(float));
    plan->pong.resize(largest / sizeof(float));
    for (std::size_t l = 0; l < plan->layers.size(); ++l) {
      Plan::Layer& layer = plan->layers[l];
      layer.output = memory(layer.forward.dst_desc(), engine_, (l % 2 == 0 ? plan->ping : plan->pong).data());
    }
  }
  load_parameters(*plan);
  return *plans_.emplace(key, std::move(plan)).first->second;
}

void OnednnConvStack::import_tensor(const Tensor& tensor, std::int64_t channels, memory& target) {
  const TensorShape& s = tensor.shape();
  staging_.resize({s.batch, s.height, s.width, channels});
  repack(tensor.data(), 1, s.channels, staging_.data(), 1, channels, s.pixels());
  memory user(memory::desc(nchw(s.batch, channels, s.height, s.width), f32, Tag::nhwc), engine_, staging_.data());
  dnnl::reorder(user, target).execute(stream_, user, target);
  stream_.wait();
}

void OnednnConvStack::export_tensor(memory& source, std::int64_t channels, Tensor& tensor) {
  const memory::dims dims = source.get_desc().dims();
  const TensorShape padded{dims[0], dims[2], dims[3], dims[1]};
  staging_.resize(padded);
  memory user(memory::desc(dims, f32, Tag::nhwc), engine_, staging_.data());
  dnnl::reorder(source, user).execute(stream_, source, user);
  stream_.wait();
  tensor.resize({padded.batch, padded.height, padded.width, channels});
  repack(staging_.data(), 1, padded.channels, tensor.data(), 1, channels, padded.pixels());
}

void OnednnConvStack::forward(const Tensor& input, Tensor& output, bool keep_for_backward) {
  const TensorShape& s = input.shape();
  if (s.channels != layers_[0].in_channels) {
    throw ShapeError("the network expects " + std::to_string(layers_[0].in_channels) + " input channels, got " +
                     std::to_string(s.channels));
  }
  omp_set_num_threads(active_thread_count());
  Plan& plan = plan_for(s, keep_for_backward);
  import_tensor(input, kernel_layers_[0].in_channels, plan.input);
  const memory* source = &plan.input;
  for (Plan::Layer& layer : plan.layers) {
    dnnl::convolution_forward(layer.forward)
        .execute(stream_, {{DNNL_ARG_SRC, *source},
                           {DNNL_ARG_WEIGHTS, layer.weights},
                           {DNNL_ARG_BIAS, layer.bias},
                           {DNNL_ARG_DST, layer.output}});
    source = &layer.output;
  }
  export_tensor(plan.layers.back().output, layers_.back().out_channels, output);
  last_plan_ = keep_for_backward ? &plan : nullptr;
}

TilingRule OnednnConvStack::tiling_rule() const {
  // Inference is direct convolution: an output sees its kernel's window and nothing else.
  TilingRule rule;
  for (const ConvLayerShape& layer : kernel_layers_) rule.radius += layer.kernel / 2;
  return rule;
}

void OnednnConvStack::backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) {
  if (last_plan_ == nullptr) throw Error("backward() needs a forward pass that kept its activations");
  if (!grad_parameters.empty() && grad_parameters.size() != parameters_.size()) {
    throw ShapeError("parameter gradient has " + std::to_string(grad_parameters.size()) + " values, expected " +
                     std::to_string(parameters_.size()));
  }
  omp_set_num_threads(active_thread_count());
  Plan& plan = *last_plan_;
  memory grad(plan.layers.back().forward.dst_desc(), engine_);
  import_tensor(grad_output, kernel_layers_.back().out_channels, grad);
  for (std::size_t l = layers_.size(); l-- > 0;) {
    Plan::Layer& layer = plan.layers[l];
    const ConvLayerShape &s = layers_[l], &k = kernel_layers_[l];
    if (s.relu) {  // ReLU'(pre-activation) = [output > 0]; gradient and output share one layout
      const auto* out = static_cast<const float*>(layer.output.get_data_handle());
      auto* g = static_cast<float*>(grad.get_data_handle());
      const auto count = static_cast<std::int64_t>(layer.output.get_desc().get_size() / sizeof(float));
#pragma omp parallel for
      for (std::int64_t i = 0; i < count; ++i) g[i] = out[i] > 0.0f ? g[i] : 0.0f;
    }
    if (!grad_parameters.empty()) {
      const memory& source = l == 0 ? plan.input : plan.layers[l - 1].output;
      dnnl::convolution_backward_weights(layer.backward_weights)
          .execute(stream_, {{DNNL_ARG_SRC, source},
                             {DNNL_ARG_DIFF_DST, grad},
                             {DNNL_ARG_DIFF_WEIGHTS, layer.grad_weights},
                             {DNNL_ARG_DIFF_BIAS, layer.grad_bias}});
      std::vector<float> padded(static_cast<std::size_t>(k.weight_count())), weights(static_cast<std::size_t>(s.weight_count()));
      memory user(memory::desc({k.out_channels, k.in_channels, k.kernel, k.kernel}, f32, Tag::hwio), engine_,
                  padded.data());
      dnnl::reorder(layer.grad_weights, user).execute(stream_, layer.grad_weights, user);
      stream_.wait();
      repack(padded.data(), k.in_channels, k.out_channels, weights.data(), s.in_channels, s.out_channels, s.kernel * s.kernel);
      float* target = grad_parameters.data() + offsets_[l];
      for (std::size_t i = 0; i < weights.size(); ++i) target[i] += weights[i];
      const auto* bias = static_cast<const float*>(layer.grad_bias.get_data_handle());
      for (std::int64_t o = 0; o < s.out_channels; ++o) target[s.weight_count() + o] += bias[o];
    }
    if (l == 0 && grad_input == nullptr) break;
    memory next(layer.backward_data.diff_src_desc(), engine_);
    dnnl::convolution_backward_data(layer.backward_data)
        .execute(stream_, {{DNNL_ARG_DIFF_DST, grad}, {DNNL_ARG_WEIGHTS, layer.transposed_weights}, {DNNL_ARG_DIFF_SRC, next}});
    grad = next;
  }
  stream_.wait();
  if (grad_input) export_tensor(grad, layers_[0].in_channels, *grad_input);
}

}  // namespace tweedie
