#include "priors/classical_denoisers.h"

#include "core/error.h"
#include "operators/blur.h"
#include "operators/finite_difference.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <vector>

namespace tweedie {
namespace {

// One slice: the dual field p (one 2-vector per pixel, |p| ≤ 1) by accelerated projected
// gradient on ½‖x + λDᵀp‖² (D the finite-difference gradient, Dᵀ = −div), then u = x + λDᵀp.
Image tv_slice(const Image& x, double lambda, const TvDenoiser::Options& options) {
  const FiniteDifference d(x.geometry());
  const std::int64_t n = x.size();
  Image p(d.range()), q(d.range()), previous(d.range()), gradient(d.range());
  Image u = x.clone(), last = x.clone();
  const auto l = static_cast<float>(lambda);
  // The dual gradient is λDu with Lipschitz constant λ²‖D‖² ≤ 8λ²: steps of 1/(8λ²) times λDu.
  const float step = 1.0f / (8.0f * l);
  double t = 1.0;
  const auto primal = [&](const Image& field) {
    d.adjoint(field, u);
    u.array() = x.array() + l * u.array();
  };
  for (int it = 0; it < options.iterations; ++it) {
    primal(q);
    d.apply(u, gradient);
    std::swap(previous, p);
    float* px = p.data();
    float* py = p.data() + n;
    const float* qx = q.data();
    const float* qy = q.data() + n;
    const float* gx = gradient.data();
    const float* gy = gradient.data() + n;
    for (std::int64_t k = 0; k < n; ++k) {  // gradient step, then projection onto |p| ≤ 1
      const float ax = qx[k] - step * gx[k], ay = qy[k] - step * gy[k];
      const float shrink = 1.0f / std::max(1.0f, std::sqrt(ax * ax + ay * ay));
      px[k] = ax * shrink, py[k] = ay * shrink;
    }
    const double t_next = 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t));
    q.array() = p.array() + static_cast<float>((t - 1.0) / t_next) * (p.array() - previous.array());
    t = t_next;
    primal(p);
    const double change = (u.array() - last.array()).matrix().squaredNorm();
    const double size = u.array().matrix().squaredNorm();
    last.array() = u.array();
    if (change <= options.tolerance * options.tolerance * std::max(size, 1e-30)) break;
  }
  return u;
}

}  // namespace

TvDenoiser::TvDenoiser() : TvDenoiser(Options{}) {}

TvDenoiser::TvDenoiser(const Options& options) : options_(options) {
  if (!(options.lambda_per_sigma > 0) || options.iterations < 1) {
    throw ParameterError("TV denoiser needs λ/σ > 0 and at least one iteration");
  }
}

Image TvDenoiser::denoise(const Image& x, double sigma) {
  require_noise_level(sigma);
  require_finite(x, "the image to denoise");
  if (sigma == 0) return x.clone();
  return solve(x, options_.lambda_per_sigma * sigma);
}

Image TvDenoiser::solve(const Image& x, double lambda) const {
  Image u = x.zeros_like();
  tbb::parallel_for(std::int64_t{0}, x.shape().nz, [&](std::int64_t z) {
    const Image slice = tv_slice(extract_slices(x, z, 1), lambda, options_);
    std::copy_n(slice.data(), slice.size(), u.row_data(0, z));
  });
  return u;
}

GaussianDenoiser::GaussianDenoiser(double width_per_sigma) : width_per_sigma_(width_per_sigma) {
  if (!(width_per_sigma > 0)) throw ParameterError("Gaussian denoiser needs a positive width per σ");
}

Image GaussianDenoiser::denoise(const Image& x, double sigma) {
  require_noise_level(sigma);
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
