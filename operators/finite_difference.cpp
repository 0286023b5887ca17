#include "operators/finite_difference.h"

#include <tbb/parallel_for.h>

#include <cmath>

namespace tweedie {

FiniteDifference::FiniteDifference(const ImageGeometry& image) : domain_(image), range_(image) {
  range_.shape = Shape::volume(image.shape.nx, image.shape.ny, 2 * image.shape.nz);
}

void FiniteDifference::apply(const Image& x, Image& g) const {
  require_same_shape(domain_.shape, x.shape(), "the image to differentiate");
  const std::int64_t nx = domain_.shape.nx, ny = domain_.shape.ny;
  tbb::parallel_for(std::int64_t{0}, domain_.shape.nz * ny, [&](std::int64_t row) {
    const std::int64_t z = row / ny, j = row % ny;
    const float* u = x.row_data(j, z);
    const float* below = j + 1 < ny ? x.row_data(j + 1, z) : u;
    float* gx = g.row_data(j, 2 * z);
    float* gy = g.row_data(j, 2 * z + 1);
    for (std::int64_t i = 0; i < nx; ++i) {
      gx[i] = i + 1 < nx ? u[i + 1] - u[i] : 0.0f;
      gy[i] = below[i] - u[i];  // zero on the last row, where `below` is the row itself
    }
  });
}

void FiniteDifference::adjoint(const Image& g, Image& x) const {
  require_same_shape(range_.shape, g.shape(), "the gradient field");
  const std::int64_t nx = domain_.shape.nx, ny = domain_.shape.ny;
  tbb::parallel_for(std::int64_t{0}, domain_.shape.nz * ny, [&](std::int64_t row) {
    const std::int64_t z = row / ny, j = row % ny;
    const float* gx = g.row_data(j, 2 * z);
    const float* gy = g.row_data(j, 2 * z + 1);
    const float* gy_above = j > 0 ? g.row_data(j - 1, 2 * z + 1) : nullptr;
    float* out = x.row_data(j, z);
    for (std::int64_t i = 0; i < nx; ++i) {
      // −div: minus the backward differences of the field, with the boundary rows and columns
      // that the forward differences never wrote.
      const float dx = (i + 1 < nx ? gx[i] : 0.0f) - (i > 0 ? gx[i - 1] : 0.0f);
      const float dy = (j + 1 < ny ? gy[i] : 0.0f) - (gy_above ? gy_above[i] : 0.0f);
      out[i] = -(dx + dy);
    }
  });
}

double total_variation(const Image& x) {
  const FiniteDifference d(x.geometry());
  const Image g = d.apply(x);
  double total = 0.0;
  for (std::int64_t z = 0; z < x.shape().nz; ++z) {
    const float* gx = g.row_data(0, 2 * z);
    const float* gy = g.row_data(0, 2 * z + 1);
    for (std::int64_t k = 0; k < x.shape().slice_voxel_count(); ++k) total += std::hypot(gx[k], gy[k]);
  }
  return total;
}

}  // namespace tweedie
