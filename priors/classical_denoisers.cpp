#include "priors/classical_denoisers.h"

#include "core/error.h"
#include "operators/blur.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <vector>

namespace tweedie {
namespace {

// Forward differences with Neumann boundary (zero at the last row/column) and the divergence
// that is their negative adjoint.
void gradient(const float* u, std::int64_t nx, std::int64_t ny, float* gx, float* gy) {
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) {
      const std::int64_t k = j * nx + i;
      gx[k] = i + 1 < nx ? u[k + 1] - u[k] : 0.0f;
      gy[k] = j + 1 < ny ? u[k + nx] - u[k] : 0.0f;
    }
  }
}

void divergence(const float* px, const float* py, std::int64_t nx, std::int64_t ny, float* out) {
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) {
      const std::int64_t k = j * nx + i;
      const float dx = (i + 1 < nx ? px[k] : 0.0f) - (i > 0 ? px[k - 1] : 0.0f);
      const float dy = (j + 1 < ny ? py[k] : 0.0f) - (j > 0 ? py[k - nx] : 0.0f);
      out[k] = dx + dy;
    }
  }
}

// One slice: the dual variable p (one 2-vector per pixel, |p| ≤ 1) by accelerated projected
// gradient on ½‖x − λ div p‖², then u = x − λ div p.
void tv_slice(const float* x, std::int64_t nx, std::int64_t ny, double lambda, const TvDenoiser::Options& options,
              float* u) {
  const auto n = static_cast<std::size_t>(nx * ny);
  std::vector<float> px(n, 0.0f), py(n, 0.0f), qx(n, 0.0f), qy(n, 0.0f), previous_x(n), previous_y(n);
  std::vector<float> div(n), gx(n), gy(n), last(x, x + n);
  const auto l = static_cast<float>(lambda);
  // The dual gradient is λ∇u with Lipschitz constant λ²‖div‖² ≤ 8λ²: steps of 1/(8λ²) times λ∇u.
  const float step = 1.0f / (8.0f * l);
  double t = 1.0;
  for (int it = 0; it < options.iterations; ++it) {
    divergence(qx.data(), qy.data(), nx, ny, div.data());
    for (std::size_t k = 0; k < n; ++k) u[k] = x[k] - l * div[k];
    gradient(u, nx, ny, gx.data(), gy.data());
    previous_x = px, previous_y = py;
    for (std::size_t k = 0; k < n; ++k) {  // gradient step, then projection onto |p| ≤ 1
      const float ax = qx[k] - step * gx[k], ay = qy[k] - step * gy[k];
      const float scale = 1.0f / std::max(1.0f, std::sqrt(ax * ax + ay * ay));
      px[k] = ax * scale, py[k] = ay * scale;
    }
    const double t_next = 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t));
    const auto momentum = static_cast<float>((t - 1.0) / t_next);
    for (std::size_t k = 0; k < n; ++k) {
      qx[k] = px[k] + momentum * (px[k] - previous_x[k]);
      qy[k] = py[k] + momentum * (py[k] - previous_y[k]);
    }
    t = t_next;
    divergence(px.data(), py.data(), nx, ny, div.data());
    double change = 0.0, size = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      u[k] = x[k] - l * div[k];
      change += std::pow(static_cast<double>(u[k]) - last[k], 2);
      size += static_cast<double>(u[k]) * u[k];
      last[k] = u[k];
    }
    if (change <= options.tolerance * options.tolerance * std::max(size, 1e-30)) break;
  }
}

}  // namespace

TvDenoiser::TvDenoiser() : TvDenoiser(Options{}) {}

TvDenoiser::TvDenoiser(const Options& options) : options_(options) {
  if (!(options.lambda_per_sigma > 0) || options.iterations < 1) {
    throw ParameterError("TV denoiser needs λ/σ > 0 and at least one iteration");
  }
}

Image TvDenoiser::denoise(const Image& x, double sigma) {
  if (!(sigma >= 0)) throw ParameterError("noise level must be non-negative, got " + std::to_string(sigma));
  require_finite(x, "the image to denoise");
  if (sigma == 0) return x.clone();
  return solve(x, options_.lambda_per_sigma * sigma);
}

Image TvDenoiser::solve(const Image& x, double lambda) const {
  Image u = x.zeros_like();
  const Shape& s = x.shape();
  tbb::parallel_for(std::int64_t{0}, s.nz, [&](std::int64_t z) {
    tv_slice(x.row_data(0, z), s.nx, s.ny, lambda, options_, u.row_data(0, z));
  });
  return u;
}

GaussianDenoiser::GaussianDenoiser(double width_per_sigma) : width_per_sigma_(width_per_sigma) {
  if (!(width_per_sigma > 0)) throw ParameterError("Gaussian denoiser needs a positive width per σ");
}

Image GaussianDenoiser::denoise(const Image& x, double sigma) {
  if (!(sigma >= 0)) throw ParameterError("noise level must be non-negative, got " + std::to_string(sigma));
  require_finite(x, "the image to denoise");
  const double width = width_per_sigma_ * sigma;
  if (width < 1e-3) return x.clone();
  Convolution blur(x.geometry(), gaussian_kernel(width), Boundary::zero);
  // Zero boundary darkens the edges; dividing by the blurred all-ones image keeps a flat image flat.
  Image ones = x.zeros_like();
  ones.array() = 1.0f;
  Image blurred = blur.apply(x);
  blurred.array() /= blur.apply(ones).array();
  return blurred;
}

}  // namespace tweedie
