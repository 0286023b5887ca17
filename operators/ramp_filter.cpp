#include "operators/ramp_filter.h"

#include "core/image.h"
#include "operators/fft_plans.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

namespace tweedie {
namespace {

// Signed frequency of FFT bin k of n, in cycles per sample.
double frequency(std::int64_t k, std::int64_t n) {
  return static_cast<double>(k <= n / 2 ? k : k - n) / static_cast<double>(n);
}

// max(|ω|, ω_min) / (1 + δ·max(|ω|, ω_min)) at bin (i, j) of a px × py grid.
double damped_ramp(std::int64_t i, std::int64_t j, std::int64_t px, std::int64_t py, double damping) {
  const double lowest = 1.0 / static_cast<double>(std::max(px, py));
  const double response = std::max(std::hypot(frequency(i, px), frequency(j, py)), lowest);
  return response / (1.0 + damping * response);
}

// The zero-boundary convolution with ramp_kernel(nx, ny, δ), slice by slice. Outputs inside the
// image only see taps within ±(n − 1), so the circular convolution on the 2nx × 2ny grid of the
// kernel's construction gives the same values: zero-pad, transform, multiply by the response,
// transform back, crop. Done as 1D transforms, rows then columns, so that the rows of padding are
// never transformed (they are zero going in and cropped coming out) and the work is shared over
// threads within a slice.
class RampFilter final : public LinearOperator {
 public:
  RampFilter(const ImageGeometry& image, double damping)
      : geometry_(image), px_(2 * image.shape.nx), py_(2 * image.shape.ny), half_(px_ / 2 + 1),
        rows_(static_cast<int>(px_)), columns_(static_cast<int>(py_)) {
    response_.resize(static_cast<std::size_t>(py_ * half_));
    const double scale = 1.0 / static_cast<double>(px_ * py_);  // the two unnormalised inverses
    for (std::int64_t j = 0; j < py_; ++j) {
      for (std::int64_t i = 0; i < half_; ++i) {
        response_[static_cast<std::size_t>(j * half_ + i)] = static_cast<float>(scale * damped_ramp(i, j, px_, py_, damping));
      }
    }
  }

  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return geometry_; }
  ImageGeometry range() const override { return geometry_; }

  void apply(const Image& x, Image& y) const override {
    require_same_shape(geometry_.shape, x.shape(), "the image to ramp-filter");
    for (std::int64_t z = 0; z < geometry_.shape.nz; ++z) filter_slice(x, y, z);
  }
  void adjoint(const Image& y, Image& x) const override { apply(y, x); }  // a real, even response

 private:
  struct Buffers {
    explicit Buffers(std::int64_t length)
        : signal(fftwf_alloc_real(static_cast<std::size_t>(length))),
          a(fftwf_alloc_complex(static_cast<std::size_t>(length))),
          b(fftwf_alloc_complex(static_cast<std::size_t>(length))) {}
    ~Buffers() {
      fftwf_free(signal);
      fftwf_free(a);
      fftwf_free(b);
    }
    Buffers(const Buffers&) = delete;
    Buffers& operator=(const Buffers&) = delete;
    float* signal;
    fftwf_complex *a, *b;
  };

  void filter_slice(const Image& in, Image& out, std::int64_t z) const {
    const std::int64_t nx = geometry_.shape.nx, ny = geometry_.shape.ny;
    const std::int64_t longest = std::max(px_, py_);
    tbb::enumerable_thread_specific<std::unique_ptr<Buffers>> local;
    const auto buffers = [&]() -> Buffers& {
      auto& b = local.local();
      if (!b) b = std::make_unique<Buffers>(longest);
      return *b;
    };
    // spectrum(j, i): row j of the image transformed along x (rows ny … py − 1 are zero).
    std::vector<std::complex<float>> spectrum(static_cast<std::size_t>(ny * half_));
    const auto at = [&](std::int64_t j, std::int64_t i) -> std::complex<float>& {
      return spectrum[static_cast<std::size_t>(j * half_ + i)];
    };
    tbb::parallel_for(std::int64_t{0}, ny, [&](std::int64_t j) {
      Buffers& b = buffers();
      std::copy_n(in.row_data(j, z), nx, b.signal);
      std::fill(b.signal + nx, b.signal + px_, 0.0f);
      rows_.real_forward(b.signal, b.a);
      for (std::int64_t i = 0; i < half_; ++i) at(j, i) = {b.a[i][0], b.a[i][1]};
    });
    tbb::parallel_for(std::int64_t{0}, half_, [&](std::int64_t i) {
      Buffers& b = buffers();
      for (std::int64_t j = 0; j < ny; ++j) b.a[j][0] = at(j, i).real(), b.a[j][1] = at(j, i).imag();
      for (std::int64_t j = ny; j < py_; ++j) b.a[j][0] = b.a[j][1] = 0.0f;
      columns_.forward(b.a, b.b);
      for (std::int64_t j = 0; j < py_; ++j) {
        const float r = response_[static_cast<std::size_t>(j * half_ + i)];
        b.b[j][0] *= r, b.b[j][1] *= r;
      }
      columns_.inverse(b.b, b.a);
      for (std::int64_t j = 0; j < ny; ++j) at(j, i) = {b.a[j][0], b.a[j][1]};
    });
    tbb::parallel_for(std::int64_t{0}, ny, [&](std::int64_t j) {
      Buffers& b = buffers();
      for (std::int64_t i = 0; i < half_; ++i) b.a[i][0] = at(j, i).real(), b.a[i][1] = at(j, i).imag();
      rows_.real_inverse(b.a, b.signal);
      std::copy_n(b.signal, nx, out.row_data(j, z));
    });
  }

  ImageGeometry geometry_;
  std::int64_t px_, py_, half_;     ///< padded size and the non-redundant half of a row's spectrum
  detail::Fft1d rows_, columns_;    ///< of lengths px and py
  std::vector<float> response_;    ///< py × half, scaled by 1 / (px·py)
};

}  // namespace

Image ramp_kernel(std::int64_t nx, std::int64_t ny, double damping) {
  const std::int64_t px = 2 * nx, py = 2 * ny;
  detail::RealFft2d plans(static_cast<int>(py), static_cast<int>(px));
  detail::FftBuffer buffer(plans);
  const std::int64_t half = px / 2 + 1;
  for (std::int64_t j = 0; j < py; ++j) {
    for (std::int64_t i = 0; i < half; ++i) {
      buffer.spectrum[j * half + i][0] = static_cast<float>(damped_ramp(i, j, px, py, damping) / static_cast<double>(px * py));
      buffer.spectrum[j * half + i][1] = 0.0f;
    }
  }
  plans.inverse(buffer.spectrum, buffer.signal);
  // The periodic kernel has its centre at (0, 0); its taps within ±(n − 1) make the odd-sized
  // kernel (the one row and column at offset n are dropped).
  Image kernel(Shape::image(2 * nx - 1, 2 * ny - 1));
  for (std::int64_t j = -(ny - 1); j <= ny - 1; ++j) {
    for (std::int64_t i = -(nx - 1); i <= nx - 1; ++i) {
      kernel.at(i + nx - 1, j + ny - 1) = buffer.signal[((j + py) % py) * px + (i + px) % px];
    }
  }
  return kernel;
}

std::shared_ptr<const LinearOperator> ramp_filter(const ImageGeometry& image, double damping) {
  return std::make_shared<RampFilter>(image, damping);
}

}  // namespace tweedie
