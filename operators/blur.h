// Blur: convolution with a small kernel through FFTW, and the kernels it is used with.
//
// Convolution computes y = k * x on the image grid (slice by slice for volumes) with either
// boundary condition:
// - circular: x wraps around (the model the closed-form DPIR/Zhao proximal steps assume);
// - zero: x is zero outside the image ("same"-size linear convolution).
// The adjoint is the correlation with the same boundary. Both go through one FFT of a padded
// buffer (padded by the kernel size for zero boundaries), with the kernel's spectrum computed
// once; plans are made once per operator.
#pragma once

#include "core/image.h"
#include "operators/linear_operator.h"

#include <complex>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tweedie {

enum class Boundary { circular, zero };

/// "circular" or "zero"; throws ParameterError otherwise.
Boundary parse_boundary(const std::string& name);

/// Normalised Gaussian, σ in pixels, (2·⌈3σ⌉ + 1)² taps.
Image gaussian_kernel(double sigma_px);
/// Normalised box of size × size pixels (size odd).
Image uniform_kernel(std::int64_t size);
/// Normalised linear motion blur: a line of `length_px` pixels at `angle_deg` (from +x towards
/// +y), drawn with bilinear weights.
Image motion_kernel(double length_px, double angle_deg);
/// A kernel image from a file: 2D, odd width and height, finite, normalised to sum 1.
Image read_kernel(const std::filesystem::path& path);

namespace detail {
class RealFft2d;
}

class Convolution final : public LinearOperator {
 public:
  /// `kernel`: odd-sized 2D image, centre tap at its middle pixel.
  Convolution(const ImageGeometry& image, const Image& kernel, Boundary boundary);
  ~Convolution() override;

  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return geometry_; }
  ImageGeometry range() const override { return geometry_; }
  void apply(const Image& x, Image& y) const override;
  void adjoint(const Image& y, Image& x) const override;
  /// Circular boundary: (AᵀA + ρI)⁻¹ is the Fourier multiplier 1 / (|K|² + ρ).
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override;

 private:
  /// out = F⁻¹[multiplier(k) · F(in)] slice by slice, on the padded grid.
  template <class Multiplier>
  void filter(const Image& in, Image& out, Multiplier&& multiplier) const;

  ImageGeometry geometry_;
  Boundary boundary_;
  std::int64_t pad_x_, pad_y_;  ///< padded transform size
  std::unique_ptr<detail::RealFft2d> plans_;
  std::vector<std::complex<float>> kernel_spectrum_;  ///< scaled by 1 / (pad_x·pad_y)
};

}  // namespace tweedie
