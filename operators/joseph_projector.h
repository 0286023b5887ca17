// JosephProjector: the CT forward projector (line integrals through the image, in mm × the image's
// units) and its exact transpose, for parallel- and fan-beam geometries.
//
// Joseph's method (P. M. Joseph, "An improved algorithm for reprojecting rays through pixel
// images", IEEE TMI 1(3), 1982): a ray steps one row (or one column, whichever axis it runs closer
// to) at a time and interpolates linearly between the two nearest pixels of that row; each sample
// counts the ray's length per step. The adjoint visits exactly the same (pixel, weight) pairs and
// scatters instead of gathering, so ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ to float rounding.
//
// Parallel with oneTBB: the forward projection over views, the adjoint over rows of pixels, each
// gathering from the rays in a fixed order (fan beam without AVX-512: over bands of image rows,
// each collecting only its own pixels) — the same bits at any thread count, with no per-thread copies
// of the image. Volumes share the 2D geometry; slices taken together (up to 8) share the rays'
// positions and, in the back-projection, the candidate rays' weights, each slice keeping the bits
// it has alone.
#pragma once

#include "operators/ct_geometry.h"
#include "operators/linear_operator.h"

#include <vector>

namespace tweedie {

class JosephProjector final : public LinearOperator {
 public:
  /// `slices` = 0: 2D images and sinograms; n ≥ 1: volumes of n slices and sinogram stacks.
  explicit JosephProjector(const CtGeometry& geometry, std::int64_t slices = 0);

  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override;
  ImageGeometry range() const override;
  void apply(const Image& image, Image& sinogram) const override;
  void adjoint(const Image& sinogram, Image& image) const override;
  /// The image-domain ramp filter (operators/ramp_filter.h), damped as asked.
  std::shared_ptr<const LinearOperator> normal_preconditioner(double damping = 0.0) const override;

  const CtGeometry& geometry() const { return geometry_; }
  /// How many slices a stack should hold to share work among them: 8 in vectorised builds, whose
  /// stacks share each vector of rays' positions in the projection (a quarter to a third of a
  /// slice's time saved) and, with AVX-512, in fan beam each image row's ray tables in the
  /// back-projection (about half); 1 otherwise.
  std::int64_t slices_sharing_work() const;

  /// The forward projection one ray at a time, in double: what `apply` computes (a vector of rays
  /// at a time with AVX-512 or AVX2, operators/simd.h, where the build has them) is tested against this.
  void apply_reference(const Image& image, Image& sinogram) const;

  /// A ray in pixel-index coordinates: start point and unit direction.
  struct Ray {
    double i, j;    ///< a point on the ray (column, row index units)
    double di, dj;  ///< unit direction
  };

 private:
  /// Each ray as a line over the axis it steps along: position = offset + step · t, where t is the
  /// row (rays closer to the columns) or the column (the others); the vectorised forward
  /// projection walks a vector of such lines at once.
  struct Line {
    float offset, slope, length;
    bool steps_rows;
  };
  void project_vectorised(const Image& image, Image& sinogram) const;
  void adjoint_parallel_beam_vectorised(const Image& sinogram, Image& image) const;
  void adjoint_fan_beam_vectorised(const Image& sinogram, Image& image) const;
  void back_project_ray_family(const Image& sinogram, bool steps_rows, Image& image) const;
  void adjoint_by_bands(const Image& sinogram, Image& image) const;

  CtGeometry geometry_;
  std::int64_t slices_;
  std::vector<Ray> rays_;    ///< views × detectors, view-major
  std::vector<Line> lines_;  ///< the same rays as lines
  /// Per view, the bins whose rays step along rows, then those that step along columns.
  std::vector<std::vector<std::int32_t>> row_steppers_, column_steppers_;
};

}  // namespace tweedie
