// Winograd F(4×4, 3×3): blocks of output tiles go through input transform → 36 GEMMs → output
// transform while their transformed values stay in cache.
#include "priors/winograd.h"

#include "core/error.h"
#include "priors/winograd_gemm.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace tweedie {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr std::int64_t kOut = kWinogradTile, kIn = kOut + 2, kPoints = kIn * kIn;
// Output tiles per block (their transformed inputs and outputs are 36 × 64 × channels floats each):
// on a Zen 3 core with 64 channels, 32 to 128 train equally fast within noise (16: about 5 % slower).
constexpr std::int64_t kTilesPerBlock = 64;
// The weight gradient sums over this many fixed ranges of blocks, in order: bits do not depend
// on the thread count.
constexpr std::int64_t kGradientChunks = 16;

// G (6×3) of F(4, 3), for the kernels.
constexpr float kG[kIn][3] = {{1.0f / 4, 0, 0},
                              {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                              {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                              {1.0f / 24, 1.0f / 12, 1.0f / 6},
                              {1.0f / 24, -1.0f / 12, 1.0f / 6},
                              {0, 0, 1}};

// The three 1-D transforms, on n channels at once: out = B^T in (6 → 6), out = A^T in (6 → 4),
// out = A in (4 → 6). Their zeros skipped by hand; the channel loops vectorise (ivdep: outputs
// never alias inputs).
void input_transform(const float* const in[kIn], float* const out[kIn], std::int64_t n) {
#pragma GCC ivdep
  for (std::int64_t c = 0; c < n; ++c) {
    const float d0 = in[0][c], d1 = in[1][c], d2 = in[2][c], d3 = in[3][c], d4 = in[4][c], d5 = in[5][c];
    out[0][c] = 4 * d0 - 5 * d2 + d4;
    out[1][c] = -4 * (d1 + d2) + d3 + d4;
    out[2][c] = 4 * (d1 - d2) - d3 + d4;
    out[3][c] = 2 * (d3 - d1) - d2 + d4;
    out[4][c] = 2 * (d1 - d3) - d2 + d4;
    out[5][c] = 4 * d1 - 5 * d3 + d5;
  }
}

void output_transform(const float* const in[kIn], float* const out[kOut], std::int64_t n) {
#pragma GCC ivdep
  for (std::int64_t c = 0; c < n; ++c) {
    const float m0 = in[0][c], m1 = in[1][c], m2 = in[2][c], m3 = in[3][c], m4 = in[4][c], m5 = in[5][c];
    const float p12 = m1 + m2, n12 = m1 - m2, p34 = m3 + m4, n34 = m3 - m4;
    out[0][c] = m0 + p12 + p34;
    out[1][c] = n12 + 2 * n34;
    out[2][c] = p12 + 4 * p34;
    out[3][c] = n12 + 8 * n34 + m5;
  }
}

void output_gradient_transform(const float* const in[kOut], float* const out[kIn], std::int64_t n) {
#pragma GCC ivdep
  for (std::int64_t c = 0; c < n; ++c) {
    const float y0 = in[0][c], y1 = in[1][c], y2 = in[2][c], y3 = in[3][c];
    const float even = y0 + y2, odd = y1 + y3;
    out[0][c] = y0;
    out[1][c] = even + odd;
    out[2][c] = even - odd;
    out[3][c] = y0 + 4 * y2 + 2 * (y1 + 4 * y3);
    out[4][c] = y0 + 4 * y2 - 2 * (y1 + 4 * y3);
    out[5][c] = y3;
  }
}

// Where tile t sits: image n, top-left output pixel (y0, x0).
struct TileGrid {
  std::int64_t height, width, tiles_y, tiles_x, count;

  explicit TileGrid(const TensorShape& s)
      : height(s.height), width(s.width), tiles_y((s.height + kOut - 1) / kOut), tiles_x((s.width + kOut - 1) / kOut),
        count(s.batch * tiles_y * tiles_x) {}
  std::int64_t image(std::int64_t t) const { return t / (tiles_y * tiles_x); }
  std::int64_t y0(std::int64_t t) const { return t % (tiles_y * tiles_x) / tiles_x * kOut; }
  std::int64_t x0(std::int64_t t) const { return t % tiles_x * kOut; }
  std::int64_t blocks() const { return (count + kTilesPerBlock - 1) / kTilesPerBlock; }
};

// Per thread: V[ξ][slot][c] and M[ξ][slot][k] of one block of tiles, and a tile's rows between
// the two 1-D passes.
struct Scratch {
  std::int64_t in_channels, out_channels;
  FloatBuffer transformed_input, transformed_output, rows, zeros, discard;

  Scratch(std::int64_t in, std::int64_t out) : in_channels(in), out_channels(out) {
    const std::int64_t widest = std::max(in, out);
    transformed_input.resize(static_cast<std::size_t>(kPoints * kTilesPerBlock * in));
    transformed_output.resize(static_cast<std::size_t>(kPoints * kTilesPerBlock * out));
    rows.resize(static_cast<std::size_t>(kPoints * widest));
    zeros.assign(static_cast<std::size_t>(widest), 0.0f);
    discard.resize(static_cast<std::size_t>(widest));
  }
  float* input(std::int64_t point, std::int64_t slot = 0) {
    return transformed_input.data() + (point * kTilesPerBlock + slot) * in_channels;
  }
  float* output(std::int64_t point, std::int64_t slot = 0) {
    return transformed_output.data() + (point * kTilesPerBlock + slot) * out_channels;
  }
};

// V[ξ][slot][c] = (B^T d B)[ξ] for the 6×6 input block of tile t, zero outside the image.
void transform_input_tile(const Tensor& input, const TileGrid& grid, std::int64_t t, std::int64_t slot,
                          Scratch& scratch) {
  const std::int64_t c = input.shape().channels, n = grid.image(t);
  const std::int64_t y0 = grid.y0(t) - 1, x0 = grid.x0(t) - 1;
  float* rows = scratch.rows.data();
  for (std::int64_t j = 0; j < kIn; ++j) {  // B^T down each column of the block
    const float* in[kIn];
    float* out[kIn];
    const std::int64_t x = x0 + j;
    for (std::int64_t i = 0; i < kIn; ++i) {
      const std::int64_t y = y0 + i;
      const bool inside = y >= 0 && y < grid.height && x >= 0 && x < grid.width;
      in[i] = inside ? input.pixel(n, y, x) : scratch.zeros.data();
      out[i] = rows + (i * kIn + j) * c;
    }
    input_transform(in, out, c);
  }
  for (std::int64_t i = 0; i < kIn; ++i) {  // then along each row
    const float* in[kIn];
    float* out[kIn];
    for (std::int64_t j = 0; j < kIn; ++j) {
      in[j] = rows + (i * kIn + j) * c;
      out[j] = scratch.input(i * kIn + j, slot);
    }
    input_transform(in, out, c);
  }
}

// The 4×4 output pixels of tile t from M[ξ][slot][k]: A^T M A, plus bias, ReLU; pixels past the
// image's edge are dropped.
void write_output_tile(const TileGrid& grid, std::int64_t t, std::int64_t slot, const ConvLayerShape& layer,
                       const float* bias, Scratch& scratch, Tensor& output) {
  const std::int64_t k = layer.out_channels, n = grid.image(t), y0 = grid.y0(t), x0 = grid.x0(t);
  float* rows = scratch.rows.data();
  for (std::int64_t j = 0; j < kIn; ++j) {
    const float* in[kIn];
    float* out[kOut];
    for (std::int64_t i = 0; i < kIn; ++i) in[i] = scratch.output(i * kIn + j, slot);
    for (std::int64_t i = 0; i < kOut; ++i) out[i] = rows + (i * kIn + j) * k;
    output_transform(in, out, k);
  }
  for (std::int64_t i = 0; i < kOut; ++i) {
    const float* in[kIn];
    float* out[kOut];
    const std::int64_t y = y0 + i;
    for (std::int64_t j = 0; j < kIn; ++j) in[j] = rows + (i * kIn + j) * k;
    for (std::int64_t j = 0; j < kOut; ++j) {
      const std::int64_t x = x0 + j;
      out[j] = y < grid.height && x < grid.width ? output.pixel(n, y, x) : scratch.discard.data();
    }
    output_transform(in, out, k);
    for (std::int64_t j = 0; j < kOut; ++j) {
      float* pixel = out[j];
      if (bias) {
        for (std::int64_t c = 0; c < k; ++c) pixel[c] += bias[c];
      }
      if (layer.relu) {
        for (std::int64_t c = 0; c < k; ++c) pixel[c] = std::max(pixel[c], 0.0f);
      }
    }
  }
}

// ∂M[ξ][slot][k] = (A ∂y A^T)[ξ] for the 4×4 output gradient of tile t, zero past the image's edge.
void transform_output_gradient_tile(const Tensor& grad_output, const TileGrid& grid, std::int64_t t,
                                    std::int64_t slot, Scratch& scratch) {
  const std::int64_t k = grad_output.shape().channels, n = grid.image(t), y0 = grid.y0(t), x0 = grid.x0(t);
  float* rows = scratch.rows.data();
  for (std::int64_t j = 0; j < kOut; ++j) {
    const float* in[kOut];
    float* out[kIn];
    const std::int64_t x = x0 + j;
    for (std::int64_t i = 0; i < kOut; ++i) {
      const std::int64_t y = y0 + i;
      in[i] = y < grid.height && x < grid.width ? grad_output.pixel(n, y, x) : scratch.zeros.data();
    }
    for (std::int64_t i = 0; i < kIn; ++i) out[i] = rows + (i * kIn + j) * k;
    output_gradient_transform(in, out, k);
  }
  for (std::int64_t i = 0; i < kIn; ++i) {
    const float* in[kOut];
    float* out[kIn];
    for (std::int64_t j = 0; j < kOut; ++j) in[j] = rows + (i * kIn + j) * k;
    for (std::int64_t j = 0; j < kIn; ++j) out[j] = scratch.output(i * kIn + j, slot);
    output_gradient_transform(in, out, k);
  }
}

void require_3x3(const ConvLayerShape& layer) {
  if (layer.kernel != 3) throw ParameterError("Winograd F(4×4, 3×3) needs 3×3 kernels, got " + std::to_string(layer.kernel));
}

}  // namespace

WinogradKernels winograd_kernels(const ConvLayerShape& layer, const float* weights) {
  require_3x3(layer);
  const std::int64_t in = layer.in_channels, out = layer.out_channels, pair = in * out;
  WinogradKernels kernels{in, out, {}};
  kernels.values.assign(static_cast<std::size_t>(kPoints * pair), 0.0f);
  for (std::int64_t i = 0; i < kIn; ++i) {
    for (std::int64_t j = 0; j < kIn; ++j) {
      float* u = kernels.values.data() + (i * kIn + j) * pair;
      for (std::int64_t a = 0; a < 3; ++a) {
        for (std::int64_t b = 0; b < 3; ++b) {
          const float coefficient = kG[i][a] * kG[j][b];
          if (coefficient == 0.0f) continue;
          const float* g = weights + (a * 3 + b) * pair;
          for (std::int64_t p = 0; p < pair; ++p) u[p] += coefficient * g[p];
        }
      }
    }
  }
  return kernels;
}

void convolve_winograd(const Tensor& input, const ConvLayerShape& layer, const WinogradKernels& kernels,
                       const float* bias, Tensor& output) {
  require_3x3(layer);
  const TensorShape& s = input.shape();
  if (s.channels != layer.in_channels || kernels.in_channels != layer.in_channels ||
      kernels.out_channels != layer.out_channels) {
    throw ShapeError("Winograd convolution expects " + std::to_string(layer.in_channels) + " input channels, got " +
                     std::to_string(s.channels));
  }
  output.resize_for_overwrite({s.batch, s.height, s.width, layer.out_channels});
  const TileGrid grid(s);
  const std::int64_t c = layer.in_channels, k = layer.out_channels;
  tbb::enumerable_thread_specific<Scratch> scratches(c, k);
  tbb::parallel_for(std::int64_t{0}, grid.blocks(), [&](std::int64_t block) {
    Scratch& scratch = scratches.local();
    const std::int64_t first = block * kTilesPerBlock, tiles = std::min(kTilesPerBlock, grid.count - first);
    for (std::int64_t slot = 0; slot < tiles; ++slot) transform_input_tile(input, grid, first + slot, slot, scratch);
    for (std::int64_t point = 0; point < kPoints; ++point) {
      multiply_small(tiles, k, c, StridedMatrix{scratch.input(point), c, 1}, kernels.values.data() + point * c * k,
                     scratch.output(point), false);
    }
    for (std::int64_t slot = 0; slot < tiles; ++slot) write_output_tile(grid, first + slot, slot, layer, bias, scratch, output);
  });
}

void convolution_weight_gradient_winograd(const Tensor& input, const Tensor& grad_output, const ConvLayerShape& layer,
                                          float* grad_weights, float* grad_bias, WinogradGradientWorkspace& workspace) {
  require_3x3(layer);
  const TensorShape& s = input.shape();
  const TileGrid grid(s);
  const std::int64_t c = layer.in_channels, k = layer.out_channels, blocks = grid.blocks();
  const std::int64_t chunks = std::min(kGradientChunks, blocks), rows = kPoints * c + 1;
  // Per chunk: Σ V[ξ]^T ∂M[ξ] for the 36 points, then the bias gradient.
  workspace.partial_sums.resize(static_cast<std::size_t>(chunks * rows * k));
  const auto partial = [&](std::int64_t chunk) {
    return Eigen::Map<RowMatrix>(workspace.partial_sums.data() + chunk * rows * k, rows, k);
  };
  tbb::enumerable_thread_specific<Scratch> scratches(c, k);
  tbb::parallel_for(std::int64_t{0}, chunks, [&](std::int64_t chunk) {
    Scratch& scratch = scratches.local();
    Eigen::Map<RowMatrix> sum = partial(chunk);
    sum.setZero();
    for (std::int64_t block = chunk * blocks / chunks; block < (chunk + 1) * blocks / chunks; ++block) {
      const std::int64_t first = block * kTilesPerBlock, tiles = std::min(kTilesPerBlock, grid.count - first);
      for (std::int64_t slot = 0; slot < tiles; ++slot) {
        transform_input_tile(input, grid, first + slot, slot, scratch);
        transform_output_gradient_tile(grad_output, grid, first + slot, slot, scratch);
      }
      for (std::int64_t point = 0; point < kPoints; ++point) {
        // V[ξ]^T: row i is input channel i, read down the tiles.
        const StridedMatrix v_transposed{scratch.input(point), 1, c};
        multiply_small(c, k, tiles, v_transposed, scratch.output(point), sum.data() + point * c * k, true);
      }
      // ∂bias = Σ ∂y over the tiles' pixels inside the image.
      for (std::int64_t slot = 0; slot < tiles; ++slot) {
        const std::int64_t t = first + slot, n = grid.image(t);
        for (std::int64_t y = grid.y0(t); y < std::min(grid.height, grid.y0(t) + kOut); ++y) {
          for (std::int64_t x = grid.x0(t); x < std::min(grid.width, grid.x0(t) + kOut); ++x) {
            sum.row(kPoints * c) += Eigen::Map<const Eigen::RowVectorXf>(grad_output.pixel(n, y, x), k);
          }
        }
      }
    }
  });
  RowMatrix total = RowMatrix::Zero(rows, k);
  for (std::int64_t chunk = 0; chunk < chunks; ++chunk) total += partial(chunk);
  // ∂g[a][b] = Σ_ξ G[i][a] G[j][b] ∂U[ξ = (i, j)].
  const std::int64_t pair = c * k;
  for (std::int64_t a = 0; a < 3; ++a) {
    for (std::int64_t b = 0; b < 3; ++b) {
      Eigen::Map<RowMatrix> g(grad_weights + (a * 3 + b) * pair, c, k);
      for (std::int64_t i = 0; i < kIn; ++i) {
        for (std::int64_t j = 0; j < kIn; ++j) {
          const float coefficient = kG[i][a] * kG[j][b];
          if (coefficient != 0.0f) g += coefficient * total.middleRows((i * kIn + j) * c, c);
        }
      }
    }
  }
  Eigen::Map<Eigen::RowVectorXf>(grad_bias, k) += total.row(kPoints * c);
}

}  // namespace tweedie
