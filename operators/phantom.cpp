#include "operators/phantom.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <numbers>

namespace tweedie {
namespace {

struct EllipseFrame {
  double cos_a, sin_a;
};

EllipseFrame frame(const Ellipse& e) {
  const double angle = e.angle_deg * std::numbers::pi / 180.0;
  return {std::cos(angle), std::sin(angle)};
}

bool inside(const Ellipse& e, const EllipseFrame& f, double x, double y) {
  const double px = x - e.x_mm, py = y - e.y_mm;
  const double u = (f.cos_a * px + f.sin_a * py) / e.a_mm;
  const double v = (-f.sin_a * px + f.cos_a * py) / e.b_mm;
  return u * u + v * v <= 1.0;
}

// Length of the chord that the line {p + t·e} cuts from the ellipse (|e| = 1).
double chord(const Ellipse& e, const EllipseFrame& f, const CtRay& ray) {
  const double px = ray.x - e.x_mm, py = ray.y - e.y_mm;
  const double pu = (f.cos_a * px + f.sin_a * py) / e.a_mm, pv = (-f.sin_a * px + f.cos_a * py) / e.b_mm;
  const double du = (f.cos_a * ray.dx + f.sin_a * ray.dy) / e.a_mm;
  const double dv = (-f.sin_a * ray.dx + f.cos_a * ray.dy) / e.b_mm;
  const double a = du * du + dv * dv, b = 2 * (pu * du + pv * dv), c = pu * pu + pv * pv - 1;
  const double discriminant = b * b - 4 * a * c;
  return discriminant > 0 ? std::sqrt(discriminant) / a : 0.0;
}

}  // namespace

std::vector<Ellipse> shepp_logan(double r) {
  // Toft's modified intensities; the table's y axis points up, ours down, hence −y and −angle.
  const double table[10][6] = {
      {1.0, 0.69, 0.92, 0.0, 0.0, 0.0},        {-0.8, 0.6624, 0.874, 0.0, -0.0184, 0.0},
      {-0.2, 0.11, 0.31, 0.22, 0.0, -18.0},    {-0.2, 0.16, 0.41, -0.22, 0.0, 18.0},
      {0.1, 0.21, 0.25, 0.0, 0.35, 0.0},       {0.1, 0.046, 0.046, 0.0, 0.1, 0.0},
      {0.1, 0.046, 0.046, 0.0, -0.1, 0.0},     {0.1, 0.046, 0.023, -0.08, -0.605, 0.0},
      {0.1, 0.023, 0.023, 0.0, -0.606, 0.0},   {0.1, 0.023, 0.046, 0.06, -0.605, 0.0}};
  std::vector<Ellipse> ellipses;
  for (const auto& row : table) {
    ellipses.push_back({row[0], row[1] * r, row[2] * r, row[3] * r, -row[4] * r, -row[5]});
  }
  return ellipses;
}

Image rasterize(const std::vector<Ellipse>& ellipses, const ImageGeometry& grid, int supersampling) {
  Image image(grid);
  const Shape& s = grid.shape;
  const double dx = grid.spacing[0], dy = grid.spacing[1];
  const double x0 = -0.5 * static_cast<double>(s.nx - 1) * dx, y0 = -0.5 * static_cast<double>(s.ny - 1) * dy;
  std::vector<EllipseFrame> frames;
  for (const Ellipse& e : ellipses) frames.push_back(frame(e));
  const double weight = 1.0 / (supersampling * supersampling);
  tbb::parallel_for(std::int64_t{0}, s.ny, [&](std::int64_t j) {
    for (std::int64_t i = 0; i < s.nx; ++i) {
      double sum = 0.0;
      for (int sj = 0; sj < supersampling; ++sj) {
        for (int si = 0; si < supersampling; ++si) {
          const double x = x0 + (static_cast<double>(i) + (si + 0.5) / supersampling - 0.5) * dx;
          const double y = y0 + (static_cast<double>(j) + (sj + 0.5) / supersampling - 0.5) * dy;
          for (std::size_t k = 0; k < ellipses.size(); ++k) {
            if (inside(ellipses[k], frames[k], x, y)) sum += ellipses[k].value;
          }
        }
      }
      image.at(i, j) = static_cast<float>(sum * weight);
    }
  });
  return image;
}

Image analytic_sinogram(const std::vector<Ellipse>& ellipses, const CtGeometry& geometry) {
  Image sinogram(geometry.sinogram_shape());
  const std::vector<CtRay> rays = ct_rays(geometry);
  std::vector<EllipseFrame> frames;
  for (const Ellipse& e : ellipses) frames.push_back(frame(e));
  tbb::parallel_for(std::size_t{0}, rays.size(), [&](std::size_t r) {
    double sum = 0.0;
    for (std::size_t k = 0; k < ellipses.size(); ++k) sum += ellipses[k].value * chord(ellipses[k], frames[k], rays[r]);
    sinogram.data()[r] = static_cast<float>(sum);
  });
  return sinogram;
}

}  // namespace tweedie
