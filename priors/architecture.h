// The denoising network's architecture: a residual CNN of the DnCNN / FFDNet family.
//
// The noisy image (one channel, normalised) is folded into `unshuffle`² channels at 1/unshuffle
// resolution (pixel unshuffle; FFDNet, Zhang et al. 2018), a constant noise-level-map channel σ is
// appended, and `depth` k×k convolutions of `width` channels with ReLU between them predict the
// noise, unfolded back to full resolution; the output is the input minus the predicted noise
// (residual learning, DnCNN, Zhang et al. 2017). Convolutions are stride 1 with zero padding.
//
// A 2.5D network (`context` > 0) denoises a slice of a volume seeing its `context` neighbours on
// each side as extra input channels, each folded the same way; it predicts the noise of the middle
// slice only.
#pragma once

#include <cstdint>
#include <span>
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
  std::int64_t context = 0;    ///< neighbouring slices on each side fed with a slice (0: 2D)

  /// Slices the network takes: 1 + 2·context, the middle one denoised.
  std::int64_t input_slices() const { return 1 + 2 * context; }

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

/// The parameters of `architecture` widened to `context` neighbouring slices on each side (at
/// least its own): the new neighbours' first-layer weights are zero, so the wider network computes
/// what the given one does (a 2.5D network fine-tuned from a 2D one starts as it).
std::vector<float> parameters_with_context(const NetworkArchitecture& architecture, std::span<const float> parameters,
                                           std::int64_t context);

}  // namespace tweedie
