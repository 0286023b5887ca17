#include "priors/cnn_denoiser.h"

#include "core/error.h"

#include <algorithm>

namespace tweedie {
namespace {

// The slice that feeds channel k of slice z's input: z − context + k, or z itself where that lies
// outside the volume (a lone slice repeats itself, as the network was trained to expect).
std::int64_t source_slice(const Image& x, std::int64_t z, std::int64_t k, std::int64_t context) {
  const std::int64_t source = z - context + k;
  return source >= 0 && source < x.shape().nz ? source : z;
}

// Slice z of x and its neighbours in network units, one channel each, the sides extended to
// multiples of s by repeating the edge.
Tensor to_network(const Image& x, std::int64_t z, const Normalisation& n, const NetworkArchitecture& a) {
  const std::int64_t nx = x.shape().nx, ny = x.shape().ny, s = a.unshuffle, slices = a.input_slices();
  const std::int64_t width = (nx + s - 1) / s * s, height = (ny + s - 1) / s * s;
  Tensor t({1, height, width, slices});
  const auto offset = static_cast<float>(n.offset), inverse_scale = static_cast<float>(1.0 / n.scale);
  for (std::int64_t k = 0; k < slices; ++k) {
    const std::int64_t source = source_slice(x, z, k, a.context);
    for (std::int64_t j = 0; j < height; ++j) {
      const float* row = x.row_data(std::min(j, ny - 1), source);
      for (std::int64_t i = 0; i < width; ++i) t.at(0, j, i, k) = (row[std::min(i, nx - 1)] - offset) * inverse_scale;
    }
  }
  return t;
}

// The inverse: network units back to image units, the extension cut off.
void from_network(const Tensor& t, const Normalisation& n, Image& x, std::int64_t z) {
  const auto offset = static_cast<float>(n.offset), scale = static_cast<float>(n.scale);
  for (std::int64_t j = 0; j < x.shape().ny; ++j) {
    float* row = x.row_data(j, z);
    for (std::int64_t i = 0; i < x.shape().nx; ++i) row[i] = t.at(0, j, i, 0) * scale + offset;
  }
}

}  // namespace

CnnDenoiser::CnnDenoiser(Model model) : CnnDenoiser(std::move(model), Options{}) {}

CnnDenoiser::CnnDenoiser(Model model, const Options& options)
    : model_(std::move(model)), options_(options), network_(model_.architecture, options.backend) {
  network_.set_parameters(model_.parameters);
  const std::int64_t grid = network_.tiling_rule().grid;
  options_.tile = std::max(grid, options_.tile / grid * grid);
}

void CnnDenoiser::denoise_tensor(const Tensor& slice, float sigma, Tensor& out) {
  const std::int64_t height = slice.shape().height, width = slice.shape().width;
  // Tiles and margins are multiples of the grid, so that every tile starts on it.
  const TilingRule rule = network_.tiling_rule();
  const std::int64_t margin = (rule.radius + rule.grid - 1) / rule.grid * rule.grid, tile = options_.tile;
  out.resize({1, height, width, 1});
  const std::vector<float> sigmas{sigma};
  for (std::int64_t y0 = 0; y0 < height; y0 += tile) {
    for (std::int64_t x0 = 0; x0 < width; x0 += tile) {
      const std::int64_t y1 = std::min(height, y0 + tile), x1 = std::min(width, x0 + tile);
      const std::int64_t top = std::max<std::int64_t>(0, y0 - margin), bottom = std::min(height, y1 + margin);
      const std::int64_t left = std::max<std::int64_t>(0, x0 - margin), right = std::min(width, x1 + margin);
      const std::int64_t channels = slice.shape().channels;
      tile_in_.resize({1, bottom - top, right - left, channels});
      for (std::int64_t j = top; j < bottom; ++j) {
        std::copy_n(slice.pixel(0, j, left), (right - left) * channels, tile_in_.pixel(0, j - top, 0));
      }
      network_.forward(tile_in_, sigmas, tile_out_, false);
      for (std::int64_t j = y0; j < y1; ++j) {
        std::copy_n(tile_out_.pixel(0, j - top, x0 - left), x1 - x0, out.pixel(0, j, x0));
      }
    }
  }
}

Image CnnDenoiser::denoise(const Image& x, double sigma) {
  require_noise_level(sigma);
  require_finite(x, "the image to denoise");
  Image result = x.zeros_like();
  for (std::int64_t z = 0; z < x.shape().nz; ++z) denoise_into(x, z, sigma, result, z);
  return result;
}

Image CnnDenoiser::denoise_slice(const Image& volume, std::int64_t z, double sigma) {
  require_noise_level(sigma);
  Image result = slice_image(volume, z);
  require_finite(result, "the slice to denoise");
  denoise_into(volume, z, sigma, result, 0);
  return result;
}

void CnnDenoiser::denoise_into(const Image& x, std::int64_t z, double sigma, Image& result, std::int64_t result_z) {
  Tensor out;
  denoise_tensor(to_network(x, z, model_.normalisation, model_.architecture), static_cast<float>(sigma / model_.normalisation.scale), out);
  from_network(out, model_.normalisation, result, result_z);
}

Image CnnDenoiser::vjp(const Image& x, double sigma, const Image& v) {
  require_same_shape(x.shape(), v.shape(), "the vector of the vector–Jacobian product");
  const NetworkArchitecture& a = model_.architecture;
  const std::int64_t nx = x.shape().nx, ny = x.shape().ny;
  const auto sigma_network = static_cast<float>(sigma / model_.normalisation.scale);
  Image result = x.zeros_like();
  Tensor denoised, grad_in;
  for (std::int64_t z = 0; z < x.shape().nz; ++z) {
    const Tensor input = to_network(x, z, model_.normalisation, a);
    network_.forward(input, {&sigma_network, 1}, denoised, true);
    // D(x) = c·D_net((x − o)/c) + o, so vᵀ∂D/∂x = vᵀ∂D_net/∂x_net. The edge extension and the
    // repeated slices copy pixels, so their adjoint adds the copies' gradients back onto the source.
    Tensor grad({1, input.shape().height, input.shape().width, 1});
    for (std::int64_t j = 0; j < ny; ++j) std::copy_n(v.row_data(j, z), nx, grad.pixel(0, j, 0));
    network_.backward(grad, &grad_in, {});
    for (std::int64_t k = 0; k < a.input_slices(); ++k) {
      const std::int64_t source = source_slice(x, z, k, a.context);
      for (std::int64_t j = 0; j < input.shape().height; ++j) {
        for (std::int64_t i = 0; i < input.shape().width; ++i) {
          result.at(std::min(i, nx - 1), std::min(j, ny - 1), source) += grad_in.at(0, j, i, k);
        }
      }
    }
  }
  return result;
}

}  // namespace tweedie
