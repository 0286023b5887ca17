// The denoising network over a batch of images: D(x, σ) = x_m − R(x, σ), where x holds the slice
// x_m to denoise (and, for a 2.5D network, its neighbours: NetworkArchitecture::context) as
// channels and the residual R folds x into unshuffle² channels per slice, appends the noise-level
// map σ and runs the convolution stack (see architecture.h). Images and σ are in normalised units
// (model_file.h).
//
//   DenoisingNetwork net(architecture, ConvBackend::winograd);
//   net.initialise(seed);                       // or net.set_parameters(model.parameters)
//   net.forward(noisy, sigmas, denoised, true);
//   net.backward(grad_denoised, nullptr, grad_parameters);
#pragma once

#include "priors/conv_stack.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace tweedie {

class DenoisingNetwork {
 public:
  DenoisingNetwork(const NetworkArchitecture& architecture, ConvBackend backend);

  const NetworkArchitecture& architecture() const { return architecture_; }
  std::span<const float> parameters() const { return parameters_; }
  void set_parameters(std::span<const float> parameters);
  /// He initialisation (He et al. 2015): weights ~ N(0, 2 / fan-in), biases 0, except the last
  /// layer, which starts at zero so that the network starts as the identity; seeded.
  void initialise(std::uint64_t seed);

  /// noisy: N×H×W×S, S = architecture().input_slices() (slices z − context … z + context as
  /// channels), H and W multiples of the unshuffle factor; one σ per image. denoised: N×H×W×1.
  void forward(const Tensor& noisy, std::span<const float> sigmas, Tensor& denoised, bool keep_for_backward);
  /// From g = ∂L/∂denoised of the last forward(…, true): ∂L/∂noisy (N×H×W×S) into `grad_noisy`
  /// (when not null) and ∂L/∂parameters added to `grad_parameters` (when not empty).
  void backward(const Tensor& grad_denoised, Tensor* grad_noisy, std::span<float> grad_parameters);
  /// The convolution stack's rule (conv_stack.h) in full-resolution pixels.
  TilingRule tiling_rule() const;

 private:
  NetworkArchitecture architecture_;
  std::unique_ptr<ConvStack> stack_;
  std::vector<float> parameters_;
  Tensor folded_, residual_, grad_residual_, grad_folded_;
};

/// Pixel unshuffle: N×H×W×C → N×(H/s)×(W/s)×(C·s² + extra); channel (k·s + dy)·s + dx holds
/// channel k of pixel (s·y + dy, s·x + dx); the `extra` channels are zero.
void unshuffle(const Tensor& image, std::int64_t s, std::int64_t extra, Tensor& folded);
/// The inverse of unshuffle for the first channels·s² channels: N×h×w×· → N×(s·h)×(s·w)×channels.
void shuffle(const Tensor& folded, std::int64_t s, std::int64_t channels, Tensor& image);

}  // namespace tweedie
