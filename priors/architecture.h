// The denoising network's architecture: a residual CNN of the DnCNN / FFDNet family.
//
// The noisy image (one channel, normalised) is folded into `unshuffle`² channels at 1/unshuffle
// resolution (pixel unshuffle; FFDNet, Zhang et al. 2018), a constant noise-level-map channel σ is
// appended, and `depth` k×k convolutions of `width` channels with ReLU between them predict the
// noise, unfolded back to full resolution; the output is the input minus the predicted noise
// (residual learning, DnCNN, Zhang et al. 2017). Convolutions are stride 1 with zero padding.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tweedie {

struct ConvLayerShape {
  std::int64_t in_channels, out_channels, kernel;
  bool relu;  ///< ReLU after the convolution (all layers but the last)

  std::int64_t weight_count() const { return kernel * kernel * in_channels * out_channels; }
  std::int64_t parameter_count() const { return weight_count() + out_channels; }
  /// The layer that computes its input gradient: channels swapped, no bias, no ReLU.
  ConvLayerShape transposed() const { return {out_channels, in_channels, kernel, false}; }
};

struct NetworkArchitecture {
  std::int64_t depth = 15;     ///< convolution layers
  std::int64_t width = 64;     ///< channels of the hidden layers
  std::int64_t kernel = 3;     ///< odd
  std::int64_t unshuffle = 2;  ///< 1: full resolution (DnCNN); 2: half resolution (FFDNet)

  /// Throws ParameterError naming the bad field.
  void validate() const;
  std::vector<ConvLayerShape> layers() const;
  /// Weights then bias per layer, layer after layer; weights as [ky][kx][in][out].
  std::int64_t parameter_count() const;
  /// Multiply–adds per full-resolution pixel of one forward pass.
  double multiply_adds_per_pixel() const;
  std::string to_string() const;
  bool operator==(const NetworkArchitecture&) const = default;
};

}  // namespace tweedie
