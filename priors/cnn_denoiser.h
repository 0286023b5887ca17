// A trained network (model file) as a Denoiser.
//
// Inference runs tile by tile with bounded memory: each tile is extended on every side by as much
// as the backend's outputs reach (DenoisingNetwork::tiling_rule: the receptive radius for im2col
// convolution, 4 pixels per layer and fold for Winograd) and only its centre is kept, so the result
// has the same bits as inference on the whole image (with the reference backend, the same values up
// to float rounding). Image sides that are not multiples of the unshuffle factor are extended by
// repeating the edge, and the extension is cut off again. A 2.5D network (context > 0) denoises
// each slice of a volume with its neighbours; where a neighbour is missing (a lone 2D image, the
// ends of a volume) the slice itself stands in for it.
#pragma once

#include "priors/conv_stack.h"
#include "priors/denoiser.h"
#include "priors/denoising_network.h"
#include "priors/model_file.h"

namespace tweedie {

class CnnDenoiser final : public Denoiser {
 public:
  struct Options {
    ConvBackend backend = ConvBackend::winograd;
    std::int64_t tile = 1024;  ///< output pixels per tile side (rounded down to the tiling grid)
  };
  explicit CnnDenoiser(Model model);
  CnnDenoiser(Model model, const Options& options);

  std::string name() const override { return "cnn"; }
  const Model& model() const { return model_; }
  Image denoise(const Image& x, double sigma) override;
  std::int64_t neighbouring_slices() const override { return model_.architecture.context; }
  Image denoise_slice(const Image& volume, std::int64_t z, double sigma) override;
  /// Untiled: the backward pass needs the whole image's activations.
  Image vjp(const Image& x, double sigma, const Image& v) override;

 private:
  // One slice (with its neighbours as channels) in network units, already extended to multiples
  // of the unshuffle factor; `out` receives the denoised slice.
  void denoise_tensor(const Tensor& slice, float sigma, Tensor& out);
  // Slice z of x denoised (σ in image units) into slice `result_z` of `result`.
  void denoise_into(const Image& x, std::int64_t z, double sigma, Image& result, std::int64_t result_z);

  Model model_;
  Options options_;
  DenoisingNetwork network_;
  Tensor tile_in_, tile_out_;
};

}  // namespace tweedie
