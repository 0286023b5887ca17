#include "operators/decimation.h"

#include "core/error.h"
#include "operators/fft_plans.h"

#include <tbb/parallel_for.h>

namespace tweedie {

Decimation::Decimation(const ImageGeometry& image, std::int64_t factor, double antialias_sigma_px)
    : subsampling_(image, factor),
      blur_(image, gaussian_kernel(antialias_sigma_px), Boundary::circular),
      factor_(factor) {
  const std::int64_t nx = image.shape.nx, ny = image.shape.ny;
  if (nx % factor != 0 || ny % factor != 0) return;  // no closed form: CG will do
  plans_ = std::make_unique<detail::ComplexFft2d>(static_cast<int>(ny), static_cast<int>(nx));
  const Image kernel = gaussian_kernel(antialias_sigma_px);
  const std::int64_t kx = kernel.shape().nx, ky = kernel.shape().ny;
  auto* buffer = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(static_cast<std::size_t>(nx * ny)));
  std::fill(buffer, buffer + nx * ny, std::complex<float>(0.0f));
  for (std::int64_t j = 0; j < ky; ++j) {  // centre tap at (0, 0), wrapped around
    for (std::int64_t i = 0; i < kx; ++i) {
      buffer[((j - ky / 2 + ny) % ny) * nx + (i - kx / 2 + nx) % nx] += kernel.at(i, j);
    }
  }
  kernel_spectrum_.resize(static_cast<std::size_t>(nx * ny));
  plans_->forward(reinterpret_cast<fftwf_complex*>(buffer), reinterpret_cast<fftwf_complex*>(kernel_spectrum_.data()));
  fftwf_free(buffer);
}

Decimation::~Decimation() = default;

void Decimation::apply(const Image& x, Image& y) const { subsampling_.apply(blur_.apply(x), y); }

void Decimation::adjoint(const Image& y, Image& x) const { blur_.adjoint(subsampling_.adjoint(y), x); }

bool Decimation::solve_shifted_normal(const Image& b, double rho, Image& x) const {
  if (!plans_) return false;
  require_same_shape(domain().shape, b.shape(), "the right-hand side");
  const std::int64_t nx = domain().shape.nx, ny = domain().shape.ny, bx = nx / factor_, by = ny / factor_;
  const auto n = static_cast<std::size_t>(nx * ny);
  const auto aliases = static_cast<float>(factor_ * factor_);
  const auto r = static_cast<float>(rho);
  tbb::parallel_for(std::int64_t{0}, domain().shape.nz, [&](std::int64_t z) {
    using Complex = std::complex<float>;
    auto* f = reinterpret_cast<Complex*>(fftwf_alloc_complex(n));
    auto* work = reinterpret_cast<Complex*>(fftwf_alloc_complex(n));
    for (std::int64_t k = 0; k < nx * ny; ++k) work[k] = b.row_data(0, z)[k];
    plans_->forward(reinterpret_cast<fftwf_complex*>(work), reinterpret_cast<fftwf_complex*>(f));
    // Per alias class (u, v): the means over its factor² members of K·F and of |K|².
    std::vector<Complex> folded(static_cast<std::size_t>(bx * by), Complex(0.0f));
    std::vector<float> power(folded.size(), 0.0f);
    for (std::int64_t j = 0; j < ny; ++j) {
      for (std::int64_t i = 0; i < nx; ++i) {
        const auto k = static_cast<std::size_t>(j * nx + i), c = static_cast<std::size_t>((j % by) * bx + i % bx);
        folded[c] += kernel_spectrum_[k] * f[k];
        power[c] += std::norm(kernel_spectrum_[k]);
      }
    }
    for (std::size_t c = 0; c < folded.size(); ++c) folded[c] /= power[c] + r * aliases;
    // X = (F − conj(K)·fold(K·F) / (fold(|K|²) + ρ)) / ρ, the means written as sums / factor².
    for (std::int64_t j = 0; j < ny; ++j) {
      for (std::int64_t i = 0; i < nx; ++i) {
        const auto k = static_cast<std::size_t>(j * nx + i), c = static_cast<std::size_t>((j % by) * bx + i % bx);
        work[k] = (f[k] - std::conj(kernel_spectrum_[k]) * folded[c]) / r;
      }
    }
    plans_->inverse(reinterpret_cast<fftwf_complex*>(work), reinterpret_cast<fftwf_complex*>(f));
    float* out = x.row_data(0, z);
    for (std::int64_t k = 0; k < nx * ny; ++k) out[k] = f[k].real() / static_cast<float>(n);
    fftwf_free(f);
    fftwf_free(work);
  });
  return true;
}

}  // namespace tweedie
