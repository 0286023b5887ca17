// Ellipse phantoms with exact line integrals: the modified Shepp–Logan head phantom (Toft 1996,
// after Shepp & Logan 1974), drawn on a pixel grid or projected analytically along any
// geometry's rays — the ground truth that the projector and FBP are checked against.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"

#include <vector>

namespace tweedie {

/// A filled ellipse in mm, in the image frame of ct_geometry.h (x right, y down, origin at the
/// isocentre): value added inside, semi-axes a (along its own x) and b, centre, rotation from +x
/// towards +y.
struct Ellipse {
  double value;
  double a_mm, b_mm;
  double x_mm, y_mm;
  double angle_deg;
};

/// The modified Shepp–Logan phantom scaled so that its unit square spans ±radius_mm, drawn the
/// usual way up on screen (its nose, the small ellipses, at the bottom).
std::vector<Ellipse> shepp_logan(double radius_mm);

/// Each pixel's mean value over a supersampling × supersampling grid inside it.
Image rasterize(const std::vector<Ellipse>& ellipses, const ImageGeometry& grid, int supersampling = 4);

/// Exact line integrals (value × chord length in mm) along every ray of the geometry.
Image analytic_sinogram(const std::vector<Ellipse>& ellipses, const CtGeometry& geometry);

}  // namespace tweedie
