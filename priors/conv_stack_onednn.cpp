// The oneDNN backend: oneDNN's convolution kernels, activations kept in the layout the kernels
// choose (blocked, e.g. nChw16c) from the first layer to the last, ReLU fused into the forward
// convolution, primitives made once per batch shape. oneDNN threads with OpenMP: it is called
// from the calling thread with as many threads as oneTBB may use, so the two never
// oversubscribe the cores.
#include "priors/conv_stack_onednn.h"

#include "core/error.h"
#include "core/threading.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <map>

namespace tweedie {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

memory::dims nchw_dims(std::int64_t batch, std::int64_t channels, std::int64_t height, std::int64_t width) {
  return {batch, channels, height, width};
}

}  // namespace

struct OnednnConvStack::Plan {
  struct Layer {
    dnnl::convolution_forward::primitive_desc forward;
    dnnl::convolution_backward_data::primitive_desc backward_data;
    dnnl::convolution_backward_weights::primitive_desc backward_weights;
    memory weights, bias, output;  // output: after the fused ReLU
    memory grad_weights, grad_bias;
  };
  memory input;  // the first layer's input, in its layout
  std::vector<Layer> layers;
  memory grad_a, grad_b;  // gradients flowing backwards, in the layouts of the activations
};

OnednnConvStack::OnednnConvStack(const NetworkArchitecture& architecture)
    : layers_(architecture.layers()), engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {
  architecture.validate();
  std::int64_t offset = 0;
  for (const ConvLayerShape& layer : layers_) {
    offsets_.push_back(offset);
    offset += layer.parameter_count();
  }
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
    const ConvLayerShape& s = layers_[l];
    float* weights = parameters_.data() + offsets_[l];
    const memory user(memory::desc({s.out_channels, s.in_channels, s.kernel, s.kernel}, f32, Tag::hwio), engine_, weights);
    dnnl::reorder(user, plan.layers[l].weights).execute(stream_, const_cast<memory&>(user), plan.layers[l].weights);
    std::copy_n(weights + s.weight_count(), s.out_channels, static_cast<float*>(plan.layers[l].bias.get_data_handle()));
  }
  stream_.wait();
}

OnednnConvStack::Plan& OnednnConvStack::plan_for(const TensorShape& shape) {
  const auto key = std::make_tuple(shape.batch, shape.height, shape.width);
  if (auto found = plans_.find(key); found != plans_.end()) return *found->second;
  auto plan = std::make_unique<Plan>();
  const memory::dims strides{1, 1};
  memory::desc input_desc(nchw_dims(shape.batch, layers_[0].in_channels, shape.height, shape.width), f32, Tag::any);
  for (const ConvLayerShape& s : layers_) {
    const memory::dims padding{s.kernel / 2, s.kernel / 2};
    const memory::desc weights_desc({s.out_channels, s.in_channels, s.kernel, s.kernel}, f32, Tag::any);
    const memory::desc bias_desc({s.out_channels}, f32, Tag::x);
    const memory::desc output_desc(nchw_dims(shape.batch, s.out_channels, shape.height, shape.width), f32, Tag::any);
    dnnl::primitive_attr attributes;
    if (s.relu) {
      dnnl::post_ops relu;
      relu.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      attributes.set_post_ops(relu);
    }
    const auto algorithm = dnnl::algorithm::convolution_direct;
    dnnl::convolution_forward::primitive_desc forward(
        {dnnl::prop_kind::forward_training, algorithm, input_desc, weights_desc, bias_desc, output_desc, strides,
         padding, padding},
        attributes, engine_);
    // Backward passes in exactly the forward pass's layouts: no reorders between layers.
    dnnl::convolution_backward_data::primitive_desc backward_data(
        {algorithm, forward.src_desc(), forward.weights_desc(), forward.dst_desc(), strides, padding, padding}, engine_,
        forward);
    dnnl::convolution_backward_weights::primitive_desc backward_weights(
        {algorithm, forward.src_desc(), forward.weights_desc(), bias_desc, forward.dst_desc(), strides, padding, padding},
        engine_, forward);
    Plan::Layer layer{forward,
                      backward_data,
                      backward_weights,
                      memory(forward.weights_desc(), engine_),
                      memory(bias_desc, engine_),
                      memory(forward.dst_desc(), engine_),
                      memory(backward_weights.diff_weights_desc(), engine_),
                      memory(bias_desc, engine_)};
    if (plan->layers.empty()) plan->input = memory(forward.src_desc(), engine_);
    plan->layers.push_back(std::move(layer));
    input_desc = forward.dst_desc();
  }
  load_parameters(*plan);
  return *plans_.emplace(key, std::move(plan)).first->second;
}

void OnednnConvStack::forward(const Tensor& input, Tensor& output, bool keep_for_backward) {
  const TensorShape& s = input.shape();
  if (s.channels != layers_[0].in_channels) {
    throw ShapeError("the network expects " + std::to_string(layers_[0].in_channels) + " input channels, got " +
                     std::to_string(s.channels));
  }
  omp_set_num_threads(active_thread_count());
  Plan& plan = plan_for(s);
  memory user_input(memory::desc(nchw_dims(s.batch, s.channels, s.height, s.width), f32, Tag::nhwc), engine_,
                    const_cast<float*>(input.data()));
  dnnl::reorder(user_input, plan.input).execute(stream_, user_input, plan.input);
  const memory* source = &plan.input;
  for (Plan::Layer& layer : plan.layers) {
    dnnl::convolution_forward(layer.forward)
        .execute(stream_, {{DNNL_ARG_SRC, *source},
                           {DNNL_ARG_WEIGHTS, layer.weights},
                           {DNNL_ARG_BIAS, layer.bias},
                           {DNNL_ARG_DST, layer.output}});
    source = &layer.output;
  }
  const std::int64_t out_channels = layers_.back().out_channels;
  output.resize({s.batch, s.height, s.width, out_channels});
  memory user_output(memory::desc(nchw_dims(s.batch, out_channels, s.height, s.width), f32, Tag::nhwc), engine_,
                     output.data());
  dnnl::reorder(plan.layers.back().output, user_output).execute(stream_, plan.layers.back().output, user_output);
  stream_.wait();
  last_plan_ = keep_for_backward ? &plan : nullptr;
}

void OnednnConvStack::backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) {
  if (last_plan_ == nullptr) throw Error("backward() needs a forward pass that kept its activations");
  if (!grad_parameters.empty() && grad_parameters.size() != parameters_.size()) {
    throw ShapeError("parameter gradient has " + std::to_string(grad_parameters.size()) + " values, expected " +
                     std::to_string(parameters_.size()));
  }
  omp_set_num_threads(active_thread_count());
  Plan& plan = *last_plan_;
  const TensorShape& s = grad_output.shape();
  memory user_grad(memory::desc(nchw_dims(s.batch, s.channels, s.height, s.width), f32, Tag::nhwc), engine_,
                   const_cast<float*>(grad_output.data()));
  memory grad(plan.layers.back().forward.dst_desc(), engine_);
  dnnl::reorder(user_grad, grad).execute(stream_, user_grad, grad);
  for (std::size_t l = layers_.size(); l-- > 0;) {
    Plan::Layer& layer = plan.layers[l];
    const ConvLayerShape& shape = layers_[l];
    if (shape.relu) {  // ReLU'(pre-activation) = [output > 0]; gradient and output share one layout
      stream_.wait();
      const auto* out = static_cast<const float*>(layer.output.get_data_handle());
      auto* g = static_cast<float*>(grad.get_data_handle());
      const auto count = static_cast<std::int64_t>(layer.output.get_desc().get_size() / sizeof(float));
#pragma omp parallel for
      for (std::int64_t i = 0; i < count; ++i) g[i] = out[i] > 0.0f ? g[i] : 0.0f;
    }
    const memory& source = l == 0 ? plan.input : plan.layers[l - 1].output;
    if (!grad_parameters.empty()) {
      dnnl::convolution_backward_weights(layer.backward_weights)
          .execute(stream_, {{DNNL_ARG_SRC, source},
                             {DNNL_ARG_DIFF_DST, grad},
                             {DNNL_ARG_DIFF_WEIGHTS, layer.grad_weights},
                             {DNNL_ARG_DIFF_BIAS, layer.grad_bias}});
      std::vector<float> weights(static_cast<std::size_t>(shape.weight_count()));
      memory user_weights(memory::desc({shape.out_channels, shape.in_channels, shape.kernel, shape.kernel}, f32, Tag::hwio),
                          engine_, weights.data());
      dnnl::reorder(layer.grad_weights, user_weights).execute(stream_, layer.grad_weights, user_weights);
      stream_.wait();
      float* target = grad_parameters.data() + offsets_[l];
      for (std::size_t i = 0; i < weights.size(); ++i) target[i] += weights[i];
      const auto* bias = static_cast<const float*>(layer.grad_bias.get_data_handle());
      for (std::int64_t o = 0; o < shape.out_channels; ++o) target[shape.weight_count() + o] += bias[o];
    }
    if (l == 0 && grad_input == nullptr) break;
    memory next(layer.forward.src_desc(), engine_);
    dnnl::convolution_backward_data(layer.backward_data)
        .execute(stream_, {{DNNL_ARG_DIFF_DST, grad}, {DNNL_ARG_WEIGHTS, layer.weights}, {DNNL_ARG_DIFF_SRC, next}});
    grad = next;
  }
  if (grad_input) {
    grad_input->resize({s.batch, s.height, s.width, layers_[0].in_channels});
    memory user_input(memory::desc(nchw_dims(s.batch, layers_[0].in_channels, s.height, s.width), f32, Tag::nhwc),
                      engine_, grad_input->data());
    dnnl::reorder(grad, user_input).execute(stream_, grad, user_input);
  }
  stream_.wait();
}

}  // namespace tweedie
