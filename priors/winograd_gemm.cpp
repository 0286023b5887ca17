// 6 × 2-packet register blocks (BLIS's Haswell shape: 12 accumulators, 2 loads of b and 6
// broadcasts of a per step of depth); columns past the last whole block go through the same
// kernel on a zero-padded copy of b.
#include "priors/winograd_gemm.h"

#include <Eigen/Core>

#include <algorithm>
#include <vector>

namespace tweedie {
namespace {

namespace ei = Eigen::internal;
using Packet = ei::packet_traits<float>::type;
constexpr std::int64_t kPacket = ei::packet_traits<float>::size;
constexpr std::int64_t kBlockRows = 6, kBlockCols = 2 * kPacket;

// c[r][0 .. kBlockCols) (=|+=) Σ_p a(r, p) b[p][0 .. kBlockCols) for r < Rows; the rows of b and
// c are row_length apart.
template <int Rows>
void multiply_block(std::int64_t depth, StridedMatrix a, const float* b, float* c, std::int64_t row_length,
                    bool accumulate) {
  Packet sum[Rows][2];
  for (int r = 0; r < Rows; ++r) sum[r][0] = sum[r][1] = ei::pset1<Packet>(0.0f);
  for (std::int64_t p = 0; p < depth; ++p) {
    const Packet b0 = ei::ploadu<Packet>(b + p * row_length), b1 = ei::ploadu<Packet>(b + p * row_length + kPacket);
    const float* column = a.data + p * a.column_stride;
    for (int r = 0; r < Rows; ++r) {
      const Packet x = ei::pset1<Packet>(column[r * a.row_stride]);
      sum[r][0] = ei::pmadd(x, b0, sum[r][0]);
      sum[r][1] = ei::pmadd(x, b1, sum[r][1]);
    }
  }
  for (int r = 0; r < Rows; ++r) {
    float* row = c + r * row_length;
    if (accumulate) {
      sum[r][0] = ei::padd(sum[r][0], ei::ploadu<Packet>(row));
      sum[r][1] = ei::padd(sum[r][1], ei::ploadu<Packet>(row + kPacket));
    }
    ei::pstoreu(row, sum[r][0]);
    ei::pstoreu(row + kPacket, sum[r][1]);
  }
}

using BlockKernel = void (*)(std::int64_t, StridedMatrix, const float*, float*, std::int64_t, bool);
constexpr BlockKernel kBlockKernels[kBlockRows + 1] = {nullptr,
                                                       multiply_block<1>,
                                                       multiply_block<2>,
                                                       multiply_block<3>,
                                                       multiply_block<4>,
                                                       multiply_block<5>,
                                                       multiply_block<6>};

// The columns [first, cols) that make no whole block: b's are copied into a zero-padded panel of
// one block's width, and of each block the kernel computes only those columns are kept. Every
// element of c thus sums its depth products in the same order as the blocked columns do.
void multiply_rest(std::int64_t rows, std::int64_t cols, std::int64_t first, std::int64_t depth, StridedMatrix a,
                   const float* b, float* c, bool accumulate) {
  const std::int64_t rest = cols - first;
  // Reused per thread: called once per Winograd block position in narrow layers.
  thread_local std::vector<float> panel;
  panel.assign(static_cast<std::size_t>(depth * kBlockCols), 0.0f);
  for (std::int64_t p = 0; p < depth; ++p) std::copy_n(b + p * cols + first, rest, panel.data() + p * kBlockCols);
  float block[kBlockRows * kBlockCols];
  for (std::int64_t i = 0; i < rows; i += kBlockRows) {
    const std::int64_t block_rows = std::min(kBlockRows, rows - i);
    kBlockKernels[block_rows](depth, {a.data + i * a.row_stride, a.row_stride, a.column_stride}, panel.data(), block,
                              kBlockCols, false);
    for (std::int64_t r = 0; r < block_rows; ++r) {
      float* row = c + (i + r) * cols + first;
      const float* computed = block + r * kBlockCols;
      for (std::int64_t j = 0; j < rest; ++j) row[j] = accumulate ? row[j] + computed[j] : computed[j];
    }
  }
}

}  // namespace

void multiply_small(std::int64_t rows, std::int64_t cols, std::int64_t depth, StridedMatrix a, const float* b, float* c,
                    bool accumulate) {
  const std::int64_t blocked_cols = cols - cols % kBlockCols;
  for (std::int64_t j = 0; j < blocked_cols; j += kBlockCols) {
    for (std::int64_t i = 0; i < rows; i += kBlockRows) {
      const StridedMatrix block{a.data + i * a.row_stride, a.row_stride, a.column_stride};
      kBlockKernels[std::min(kBlockRows, rows - i)](depth, block, b + j, c + i * cols + j, cols, accumulate);
    }
  }
  if (blocked_cols < cols) multiply_rest(rows, cols, blocked_cols, depth, a, b, c, accumulate);
}

}  // namespace tweedie
