#include "operators/blur.h"

#include "core/error.h"
#include "core/image_io.h"
#include "operators/fft_plans.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <numbers>

namespace tweedie {
namespace {

Image normalised(Image kernel, const std::string& what) {
  const double total = kernel.array().cast<double>().sum();
  if (!(std::abs(total) > 0)) throw ParameterError(what + " sums to zero and cannot be normalised");
  kernel.array() /= static_cast<float>(total);
  return kernel;
}

void require_odd_kernel(const Image& kernel, const std::string& what) {
  const Shape& s = kernel.shape();
  if (s.dimension != 2 || s.nx % 2 == 0 || s.ny % 2 == 0) {
    throw ShapeError(what + " must be a 2D image of odd width and height, got " + s.to_string());
  }
}

// The smallest n' ≥ n whose prime factors are 2, 3, 5 and 7: FFTW is fast on those sizes.
std::int64_t fft_friendly_size(std::int64_t n) {
  for (std::int64_t candidate = n;; ++candidate) {
    std::int64_t rest = candidate;
    for (std::int64_t p : {2, 3, 5, 7}) {
      while (rest % p == 0) rest /= p;
    }
    if (rest == 1) return candidate;
  }
}

}  // namespace

Boundary parse_boundary(const std::string& name) {
  if (name == "circular") return Boundary::circular;
  if (name == "zero") return Boundary::zero;
  throw ParameterError("unknown boundary '" + name + "' (choose circular or zero)");
}

Image gaussian_kernel(double sigma_px) {
  if (!(sigma_px > 0)) throw ParameterError("Gaussian blur needs σ > 0 pixels");
  const auto radius = static_cast<std::int64_t>(std::ceil(3.0 * sigma_px));
  Image kernel(Shape::image(2 * radius + 1, 2 * radius + 1));
  for (std::int64_t j = -radius; j <= radius; ++j) {
    for (std::int64_t i = -radius; i <= radius; ++i) {
      kernel.at(i + radius, j + radius) =
          static_cast<float>(std::exp(-0.5 * static_cast<double>(i * i + j * j) / (sigma_px * sigma_px)));
    }
  }
  return normalised(std::move(kernel), "the Gaussian kernel");
}

Image uniform_kernel(std::int64_t size) {
  if (size < 1 || size % 2 == 0) throw ParameterError("a uniform kernel needs an odd size, got " + std::to_string(size));
  Image kernel(Shape::image(size, size));
  kernel.array() = 1.0f;
  return normalised(std::move(kernel), "the uniform kernel");
}

Image motion_kernel(double length_px, double angle_deg) {
  if (!(length_px >= 1)) throw ParameterError("motion blur needs a length of at least 1 pixel");
  const auto radius = static_cast<std::int64_t>(std::ceil(0.5 * length_px)) + 1;
  Image kernel(Shape::image(2 * radius + 1, 2 * radius + 1));
  const double angle = angle_deg * std::numbers::pi / 180.0;
  const auto samples = static_cast<int>(std::ceil(length_px * 4));
  for (int k = 0; k <= samples; ++k) {  // points along the line, splatted bilinearly
    const double t = length_px * (static_cast<double>(k) / samples - 0.5);
    const double x = static_cast<double>(radius) + t * std::cos(angle);
    const double y = static_cast<double>(radius) + t * std::sin(angle);
    const auto i = static_cast<std::int64_t>(std::floor(x)), j = static_cast<std::int64_t>(std::floor(y));
    const double fx = x - static_cast<double>(i), fy = y - static_cast<double>(j);
    kernel.at(i, j) += static_cast<float>((1 - fx) * (1 - fy));
    kernel.at(i + 1, j) += static_cast<float>(fx * (1 - fy));
    kernel.at(i, j + 1) += static_cast<float>((1 - fx) * fy);
    kernel.at(i + 1, j + 1) += static_cast<float>(fx * fy);
  }
  return normalised(std::move(kernel), "the motion kernel");
}

Image read_kernel(const std::filesystem::path& path) {
  Image kernel = read_image(path);
  const std::string what = "the kernel '" + path.string() + "'";
  require_odd_kernel(kernel, what);
  require_finite(kernel, what);
  return normalised(std::move(kernel), what);
}

Convolution::Convolution(const ImageGeometry& image, const Image& kernel, Boundary boundary)
    : geometry_(image), boundary_(boundary) {
  require_odd_kernel(kernel, "the blur kernel");
  const Shape& s = image.shape;
  const std::int64_t kx = kernel.shape().nx, ky = kernel.shape().ny;
  if (boundary == Boundary::circular && (kx > s.nx || ky > s.ny)) {
    throw ShapeError("the blur kernel (" + kernel.shape().to_string() + ") is larger than the image (" +
                     s.to_string() + ")");
  }
  // A zero boundary needs at least kernel − 1 zeros after the image, so that nothing wraps around.
  pad_x_ = boundary == Boundary::zero ? fft_friendly_size(s.nx + kx - 1) : s.nx;
  pad_y_ = boundary == Boundary::zero ? fft_friendly_size(s.ny + ky - 1) : s.ny;
  plans_ = std::make_unique<detail::RealFft2d>(static_cast<int>(pad_y_), static_cast<int>(pad_x_));
  // The kernel with its centre tap at (0, 0), wrapped around the padded grid.
  detail::FftBuffer buffer(*plans_);
  std::fill(buffer.signal, buffer.signal + pad_x_ * pad_y_, 0.0f);
  for (std::int64_t j = 0; j < ky; ++j) {
    for (std::int64_t i = 0; i < kx; ++i) {
      const std::int64_t x = (i - kx / 2 + pad_x_) % pad_x_, y = (j - ky / 2 + pad_y_) % pad_y_;
      buffer.signal[y * pad_x_ + x] += kernel.at(i, j);
    }
  }
  plans_->forward(buffer.signal, buffer.spectrum);
  const float scale = 1.0f / static_cast<float>(pad_x_ * pad_y_);
  kernel_spectrum_.resize(plans_->spectrum_size());
  for (std::size_t k = 0; k < kernel_spectrum_.size(); ++k) {
    kernel_spectrum_[k] = scale * std::complex<float>(buffer.spectrum[k][0], buffer.spectrum[k][1]);
  }
}

Convolution::~Convolution() = default;

template <class Multiplier>
void Convolution::filter(const Image& in, Image& out, Multiplier&& multiplier) const {
  const Shape& s = geometry_.shape;
  tbb::enumerable_thread_specific<std::unique_ptr<detail::FftBuffer>> buffers;
  tbb::parallel_for(std::int64_t{0}, s.nz, [&](std::int64_t z) {
    auto& buffer = buffers.local();
    if (!buffer) buffer = std::make_unique<detail::FftBuffer>(*plans_);
    float* signal = buffer->signal;
    // The image in the top-left corner; zeros elsewhere (the padding of a zero boundary).
    std::fill(signal, signal + pad_x_ * pad_y_, 0.0f);
    for (std::int64_t j = 0; j < s.ny; ++j) std::copy_n(in.row_data(j, z), s.nx, signal + j * pad_x_);
    plans_->forward(signal, buffer->spectrum);
    auto* spectrum = reinterpret_cast<std::complex<float>*>(buffer->spectrum);
    for (std::size_t k = 0; k < kernel_spectrum_.size(); ++k) spectrum[k] *= multiplier(k);
    plans_->inverse(buffer->spectrum, signal);
    for (std::int64_t j = 0; j < s.ny; ++j) std::copy_n(signal + j * pad_x_, s.nx, out.row_data(j, z));
  });
}

void Convolution::apply(const Image& x, Image& y) const {
  require_same_shape(geometry_.shape, x.shape(), "the image to blur");
  filter(x, y, [&](std::size_t k) { return kernel_spectrum_[k]; });
}

void Convolution::adjoint(const Image& y, Image& x) const {
  require_same_shape(geometry_.shape, y.shape(), "the image to correlate");
  filter(y, x, [&](std::size_t k) { return std::conj(kernel_spectrum_[k]); });
}

bool Convolution::solve_shifted_normal(const Image& b, double rho, Image& x) const {
  if (boundary_ != Boundary::circular) return false;
  require_same_shape(geometry_.shape, b.shape(), "the right-hand side");
  // kernel_spectrum_ holds K/N (N pixels; the inverse FFT multiplies by N): 1/(|K|² + ρ) becomes
  // (1/N) / (N²|K/N|² + ρ).
  const auto n = static_cast<float>(pad_x_ * pad_y_);
  const auto r = static_cast<float>(rho);
  filter(b, x, [&](std::size_t k) { return std::complex<float>(1.0f / n / (n * n * std::norm(kernel_spectrum_[k]) + r)); });
  return true;
}

}  // namespace tweedie
