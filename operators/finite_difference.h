// The discrete image gradient ∇ of total variation: forward differences with a Neumann
// boundary (zero past the last row and column), slice by slice. Its adjoint is −div.
#pragma once

#include "operators/linear_operator.h"

namespace tweedie {

/// Domain nx×ny×nz; range nx×ny×2nz: slice 2z holds ∂/∂x (along columns) of slice z, slice 2z + 1
/// holds ∂/∂y (along rows).
class FiniteDifference final : public LinearOperator {
 public:
  explicit FiniteDifference(const ImageGeometry& image);

  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return domain_; }
  ImageGeometry range() const override { return range_; }
  void apply(const Image& x, Image& g) const override;
  void adjoint(const Image& g, Image& x) const override;

 private:
  ImageGeometry domain_, range_;
};

/// Σ over pixels of the gradient's length (isotropic TV) of an image or volume.
double total_variation(const Image& x);

}  // namespace tweedie
