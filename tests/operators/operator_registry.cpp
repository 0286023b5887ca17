#include "operator_registry.h"

#include "operators/ct_geometry.h"
#include "operators/blur.h"
#include "operators/finite_difference.h"
#include "operators/joseph_projector.h"
#include "operators/sampling.h"

namespace tweedie::testing {
namespace {

CtGeometry fan(DetectorShape shape) {
  CtGeometry g;
  g.beam = BeamShape::fan;
  g.image_nx = 40, g.image_ny = 36, g.pixel_spacing_mm = 0.8;
  g.detectors = 61, g.detector_spacing_mm = 1.1, g.detector_offset_mm = 0.3;
  g.detector_shape = shape;
  g.source_to_isocentre_mm = 120, g.source_to_detector_mm = 200;
  g.angles_deg = equally_spaced_angles(45, 360, 3);
  return g;
}

ImageGeometry grid() { return {.shape = Shape::image(37, 30), .spacing = {0.5, 0.5, 1}}; }

std::shared_ptr<LinearOperator> blur(Boundary boundary) {
  return std::make_shared<Convolution>(grid(), motion_kernel(5.5, 30), boundary);
}

CtGeometry parallel() {
  CtGeometry g = parallel_geometry(48, 0.5, 37);
  g.image_ny = 44;  // non-square grids catch swapped axes
  return g;
}

}  // namespace

const std::vector<RegisteredOperator>& operator_registry() {
  static const std::vector<RegisteredOperator> registry{
      {"joseph_parallel", [] { return std::make_shared<JosephProjector>(parallel()); }},
      // Wide detectors put rays hundreds of pixels from the centre, where float round-off in ray
      // spacing would show.
      {"joseph_parallel_wide", [] { return std::make_shared<JosephProjector>(parallel_geometry(384, 0.5, 23)); }},
      {"joseph_parallel_volume", [] { return std::make_shared<JosephProjector>(parallel(), 3); }},
      {"joseph_parallel_sparse_view", [] { return std::make_shared<JosephProjector>(every_kth_view(parallel(), 6)); }},
      {"joseph_parallel_limited_angle",
       [] {
         CtGeometry g = parallel();
         g.angles_deg = equally_spaced_angles(30, 120, -20);
         return std::make_shared<JosephProjector>(g);
       }},
      {"joseph_fan_flat", [] { return std::make_shared<JosephProjector>(fan(DetectorShape::flat)); }},
      {"joseph_fan_arc", [] { return std::make_shared<JosephProjector>(fan(DetectorShape::arc)); }},
      // Bins much finer than pixels: neighbouring pixels' rays lie too far apart for one window.
      {"joseph_fan_fine_detector",
       [] {
         CtGeometry g = fan(DetectorShape::flat);
         g.detectors = 301, g.detector_spacing_mm = 0.15;
         return std::make_shared<JosephProjector>(g);
       }},
      {"joseph_fan_volume", [] { return std::make_shared<JosephProjector>(fan(DetectorShape::arc), 2); }},
      {"scaled_joseph", [] { return scale(-2.5, std::make_shared<JosephProjector>(parallel())); }},
      {"blur_circular", [] { return blur(Boundary::circular); }},
      {"blur_zero", [] { return blur(Boundary::zero); }},
      {"scaled_blur_circular", [] { return scale(0.7, blur(Boundary::circular)); }},
      {"subsampling_x2", [] { return std::make_shared<Subsampling>(grid(), 2); }},
      {"blur_volume",
       [] {
         ImageGeometry volume = grid();
         volume.shape = Shape::volume(20, 18, 3);
         return std::make_shared<Convolution>(volume, gaussian_kernel(1.3), Boundary::zero);
       }},
      {"decimation_x2", [] { return make_decimation(grid(), 2, 1.0); }},
      // Sides that are multiples of the factor: the closed-form normal solve applies.
      {"decimation_x2_divisible", [] { return make_decimation({.shape = Shape::image(36, 30)}, 2, 1.0); }},
      {"decimation_x3_divisible_volume",
       [] { return make_decimation({.shape = Shape::volume(33, 27, 2)}, 3, 1.5); }},
      {"finite_difference", [] { return std::make_shared<FiniteDifference>(grid()); }},
      {"finite_difference_volume",
       [] {
         ImageGeometry volume = grid();
         volume.shape = Shape::volume(20, 18, 3);
         return std::make_shared<FiniteDifference>(volume);
       }},
      {"decimation_x3_volume",
       [] {
         ImageGeometry volume = grid();
         volume.shape = Shape::volume(31, 29, 2);
         return make_decimation(volume, 3, 1.5);
       }},
      {"mask", [] { return std::make_shared<PixelMask>(random_mask(grid(), 0.5, 3)); }},
      {"mask_after_blur",
       [] { return compose(std::make_shared<PixelMask>(random_mask(grid(), 0.3, 4)), blur(Boundary::zero)); }},
      {"stack_of_blur_and_mask",
       [] { return stack({blur(Boundary::circular), std::make_shared<PixelMask>(random_mask(grid(), 0.5, 5))}); }},
  };
  return registry;
}

}  // namespace tweedie::testing
