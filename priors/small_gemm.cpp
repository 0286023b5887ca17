// 6 × 2-packet register blocks (BLIS's Haswell shape: 12 accumulators, 2 loads of b and 6
// broadcasts of a per step of depth); columns past the last whole block go through Eigen.
#include "priors/small_gemm.h"

#include <Eigen/Core>

#include <algorithm>

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

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strides = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;

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
  if (blocked_cols == cols) return;
  const std::int64_t rest = cols - blocked_cols;
  const Eigen::Map<const RowMatrix, 0, Strides> a_map(a.data, rows, depth, Strides(a.row_stride, a.column_stride));
  const Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>> b_map(b + blocked_cols, depth, rest, Eigen::OuterStride<>(cols));
  Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> c_map(c + blocked_cols, rows, rest, Eigen::OuterStride<>(cols));
  if (accumulate) {
    c_map.noalias() += a_map * b_map;
  } else {
    c_map.noalias() = a_map * b_map;
  }
}

}  // namespace tweedie
