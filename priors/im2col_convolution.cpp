// Each convolution as im2col + one Eigen GEMM per block of output rows.
#include "priors/im2col_convolution.h"

#include "core/error.h"

#include <tbb/blocked_range2d.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace tweedie {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

// Output rows per GEMM: about 4k pixels keeps the im2col block in cache.
std::int64_t rows_per_block(std::int64_t width) { return std::max<std::int64_t>(1, 4096 / std::max<std::int64_t>(1, width)); }

// The im2col block of output rows [y0, y1) of image n: one row per output pixel, columns
// [ky][kx][channel] of the zero-padded input around it.
void gather_patches(const Tensor& input, std::int64_t n, std::int64_t y0, std::int64_t y1, std::int64_t kernel,
                    std::vector<float>& columns) {
  const TensorShape& s = input.shape();
  const std::int64_t radius = kernel / 2, c = s.channels;
  columns.resize(static_cast<std::size_t>((y1 - y0) * s.width * kernel * kernel * c));
  float* out = columns.data();
  for (std::int64_t y = y0; y < y1; ++y) {
    for (std::int64_t x = 0; x < s.width; ++x) {
      for (std::int64_t ky = 0; ky < kernel; ++ky) {
        const std::int64_t sy = y + ky - radius;
        for (std::int64_t kx = 0; kx < kernel; ++kx, out += c) {
          const std::int64_t sx = x + kx - radius;
          if (sy < 0 || sy >= s.height || sx < 0 || sx >= s.width) {
            std::fill_n(out, c, 0.0f);
          } else {
            std::copy_n(input.data() + ((n * s.height + sy) * s.width + sx) * c, c, out);
          }
        }
      }
    }
  }
}

}  // namespace

void convolve_reference(const Tensor& input, const ConvLayerShape& layer, const float* weights, const float* bias,
                        Tensor& output) {
  const TensorShape& s = input.shape();
  if (s.channels != layer.in_channels) {
    throw ShapeError("convolution expects " + std::to_string(layer.in_channels) + " input channels, got " +
                     std::to_string(s.channels));
  }
  output.resize_for_overwrite({s.batch, s.height, s.width, layer.out_channels});
  const std::int64_t k = layer.kernel * layer.kernel * layer.in_channels;
  const ConstMatrixMap w(weights, k, layer.out_channels);
  tbb::enumerable_thread_specific<std::vector<float>> scratch;
  const std::int64_t block = rows_per_block(s.width);
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, s.batch, 1, 0, s.height, block), [&](const auto& r) {
    std::vector<float>& columns = scratch.local();
    for (std::int64_t n = r.rows().begin(); n < r.rows().end(); ++n) {
      const std::int64_t y0 = r.cols().begin(), y1 = r.cols().end(), pixels = (y1 - y0) * s.width;
      gather_patches(input, n, y0, y1, layer.kernel, columns);
      MatrixMap out(output.data() + (n * s.height + y0) * s.width * layer.out_channels, pixels, layer.out_channels);
      out.noalias() = ConstMatrixMap(columns.data(), pixels, k) * w;
      if (bias) out.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, layer.out_channels);
      if (layer.relu) out = out.cwiseMax(0.0f);
    }
  });
}

void convolution_weight_gradient_reference(const Tensor& input, const Tensor& grad_output, const ConvLayerShape& layer,
                                           float* grad_weights, float* grad_bias) {
  const TensorShape& s = input.shape();
  const std::int64_t k = layer.kernel * layer.kernel * layer.in_channels, block = rows_per_block(s.width);
  const std::int64_t blocks_per_image = (s.height + block - 1) / block;
  // One partial sum per (image, row block), added in a fixed order: the same bits at any thread count.
  std::vector<RowMatrix> partial(static_cast<std::size_t>(s.batch * blocks_per_image));
  tbb::enumerable_thread_specific<std::vector<float>> scratch;
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, s.batch, 1, 0, blocks_per_image, 1), [&](const auto& r) {
    std::vector<float>& columns = scratch.local();
    for (std::int64_t n = r.rows().begin(); n < r.rows().end(); ++n) {
      for (std::int64_t b = r.cols().begin(); b < r.cols().end(); ++b) {
        const std::int64_t y0 = b * block, y1 = std::min(s.height, y0 + block), pixels = (y1 - y0) * s.width;
        gather_patches(input, n, y0, y1, layer.kernel, columns);
        const ConstMatrixMap g(grad_output.data() + (n * s.height + y0) * s.width * layer.out_channels, pixels,
                               layer.out_channels);
        RowMatrix& p = partial[static_cast<std::size_t>(n * blocks_per_image + b)];
        p.resize(k + 1, layer.out_channels);
        p.topRows(k).noalias() = ConstMatrixMap(columns.data(), pixels, k).transpose() * g;
        p.row(k) = g.colwise().sum();
      }
    }
  });
  MatrixMap weights(grad_weights, k, layer.out_channels);
  Eigen::Map<Eigen::RowVectorXf> bias(grad_bias, layer.out_channels);
  for (const RowMatrix& p : partial) {
    weights += p.topRows(k);
    bias += p.row(k);
  }
}

std::vector<float> flipped_transposed_weights(const ConvLayerShape& layer, const float* weights) {
  const std::int64_t kernel = layer.kernel, in = layer.in_channels, out = layer.out_channels;
  std::vector<float> flipped(static_cast<std::size_t>(layer.weight_count()));
  for (std::int64_t ky = 0; ky < kernel; ++ky) {
    for (std::int64_t kx = 0; kx < kernel; ++kx) {
      const float* from = weights + ((kernel - 1 - ky) * kernel + (kernel - 1 - kx)) * in * out;
      float* to = flipped.data() + (ky * kernel + kx) * out * in;
      for (std::int64_t i = 0; i < in; ++i) {
        for (std::int64_t o = 0; o < out; ++o) to[o * in + i] = from[i * out + o];
      }
    }
  }
  return flipped;
}

}  // namespace tweedie
