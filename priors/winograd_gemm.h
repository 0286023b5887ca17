// The inner kernel of the Winograd convolutions (priors/winograd.h): the 36 products of small
// matrices inside a Winograd block (64 tiles × 64 channels each), register-blocked, reading both
// operands where the transforms wrote them, where a general GEMM would first copy them into packed
// panels. Used by winograd.cpp only.
#pragma once

#include <cstdint>

namespace tweedie {

/// A read-only matrix with arbitrary strides: element (r, p) at data[r * row_stride + p * column_stride].
struct StridedMatrix {
  const float* data;
  std::int64_t row_stride, column_stride;
};

/// c (rows × cols, row-major, row length cols) = a · b, or += a · b if accumulate, where a is
/// rows × depth and b row-major depth × cols. An element's bits depend only on its row of a, its
/// column of b (and its old value): not on the other rows, nor on how many there are.
void multiply_small(std::int64_t rows, std::int64_t cols, std::int64_t depth, StridedMatrix a, const float* b, float* c,
                    bool accumulate);

}  // namespace tweedie
