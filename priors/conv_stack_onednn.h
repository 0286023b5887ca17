// The oneDNN convolution backend (see conv_stack.h).
#pragma once

#include "priors/conv_stack.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <memory>
#include <tuple>
#include <vector>

namespace tweedie {

class OnednnConvStack final : public ConvStack {
 public:
  explicit OnednnConvStack(const NetworkArchitecture& architecture);
  ~OnednnConvStack() override;
  void set_parameters(std::span<const float> parameters) override;
  void forward(const Tensor& input, Tensor& output, bool keep_for_backward) override;
  void backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) override;
  TilingRule tiling_rule() const override;

 private:
  struct Plan;  // primitives and buffers for one batch shape
  Plan& plan_for(const TensorShape& shape, bool training);
  void load_parameters(Plan& plan);
  /// NHWC tensor (channels padded to `channels`) → kernel memory, and back (cropped to `channels`).
  void import_tensor(const Tensor& tensor, std::int64_t channels, dnnl::memory& target);
  void export_tensor(dnnl::memory& source, std::int64_t channels, Tensor& tensor);

  std::vector<ConvLayerShape> layers_;
  std::vector<ConvLayerShape> kernel_layers_;  ///< the same with the channels the kernels see
  std::vector<std::int64_t> offsets_;
  std::vector<float> parameters_;  ///< [ky][kx][in][out] weights and bias per layer
  dnnl::engine engine_;
  dnnl::stream stream_;
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t, bool>, std::unique_ptr<Plan>> plans_;
  Plan* last_plan_ = nullptr;
  Tensor staging_;  ///< NHWC tensors with padded channels, on their way in or out
};

}  // namespace tweedie
