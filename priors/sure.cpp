#include "priors/sure.h"

#include "core/error.h"
#include "core/image_ops.h"

#include <Eigen/Dense>
#include <boost/math/distributions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace tweedie {
namespace {

constexpr int kGridLevels = 9, kGoldenEvaluations = 10;

double haar_mad_sigma(const Image& image, std::int64_t z) {
  const std::int64_t nx = image.shape().nx, ny = image.shape().ny;
  std::vector<float> diagonal;
  diagonal.reserve(static_cast<std::size_t>((nx / 2) * (ny / 2)));
  for (std::int64_t j = 0; j + 1 < ny; j += 2) {
    for (std::int64_t i = 0; i + 1 < nx; i += 2) {
      diagonal.push_back(0.5f * std::abs(image.at(i, j, z) - image.at(i + 1, j, z) - image.at(i, j + 1, z) + image.at(i + 1, j + 1, z)));
    }
  }
  if (diagonal.empty()) throw ShapeError("noise estimation needs an image of at least 2×2 pixels");
  const auto middle = diagonal.begin() + static_cast<std::ptrdiff_t>(diagonal.size() / 2);
  std::nth_element(diagonal.begin(), middle, diagonal.end());
  return static_cast<double>(*middle) / 0.6745;  // the median of |N(0, σ²)| is 0.6745σ
}

// Weak-texture patch PCA. For white noise the covariance of patches without texture has σ² as its
// eigenvalue in every direction the clean patches do not use; σ² is read from the eigenvalues by
// dropping the largest until the rest are as many above their mean as below (Chen, Zhu & Heng
// 2015). The patches are chosen by their gradient energy ω = ‖D_h p‖² + ‖D_v p‖²: for pure noise
// ω ~ Gamma(d/2, 2σ²·tr(DᵀD)/d), and patches below its 99th percentile at the current σ are kept,
// σ and the selection refined in turn (Liu, Tanaka & Okutomi 2013).
double patch_pca_sigma(const Image& image, std::int64_t z) {
  constexpr std::int64_t r = 7, d = r * r;
  constexpr double gradient_trace = 2.0 * 2.0 * r * (r - 1);  // forward differences along both axes
  const std::int64_t nx = image.shape().nx, ny = image.shape().ny;
  if (nx < 2 * r || ny < 2 * r) throw ShapeError("patch noise estimation needs an image of at least 14×14 pixels");
  const std::int64_t columns = nx - r + 1, count = columns * (ny - r + 1);
  Eigen::MatrixXd patches(d, count);
  Eigen::VectorXd texture(count);
  for (std::int64_t j = 0; j + r <= ny; ++j) {
    for (std::int64_t i = 0; i + r <= nx; ++i) {
      const std::int64_t k = j * columns + i;
      double energy = 0.0;
      for (std::int64_t v = 0; v < r; ++v) {
        for (std::int64_t u = 0; u < r; ++u) {
          const double value = image.at(i + u, j + v, z);
          patches(v * r + u, k) = value;
          if (u + 1 < r) energy += std::pow(image.at(i + u + 1, j + v, z) - value, 2);
          if (v + 1 < r) energy += std::pow(image.at(i + u, j + v + 1, z) - value, 2);
        }
      }
      texture(k) = energy;
    }
  }
  const auto noise_variance = [&](const std::vector<std::int64_t>& chosen) {
    Eigen::MatrixXd selected(d, static_cast<std::int64_t>(chosen.size()));
    for (std::size_t c = 0; c < chosen.size(); ++c) selected.col(static_cast<std::int64_t>(c)) = patches.col(chosen[c]);
    selected.colwise() -= selected.rowwise().mean();
    const Eigen::MatrixXd covariance = selected * selected.transpose() / static_cast<double>(selected.cols() - 1);
    const Eigen::VectorXd eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(covariance, Eigen::EigenvaluesOnly).eigenvalues();
    double mean = 0.0;
    for (std::int64_t kept = d; kept >= 1; --kept) {  // ascending: drop the largest until mean = median
      mean = eigenvalues.head(kept).mean();
      if ((eigenvalues.head(kept).array() > mean).count() == (eigenvalues.head(kept).array() < mean).count()) break;
    }
    return mean;
  };
  std::vector<std::int64_t> chosen(static_cast<std::size_t>(count));
  std::iota(chosen.begin(), chosen.end(), std::int64_t{0});
  double variance = noise_variance(chosen);
  const boost::math::gamma_distribution<double> pure_noise(0.5 * d, 2.0 * gradient_trace / d);
  const double percentile = boost::math::quantile(pure_noise, 0.99);
  for (int round = 0; round < 5; ++round) {
    chosen.clear();
    for (std::int64_t k = 0; k < count; ++k) {
      if (texture(k) < variance * percentile) chosen.push_back(k);
    }
    if (static_cast<std::int64_t>(chosen.size()) < 2 * d) break;  // too few flat patches to refine
    const double refined = noise_variance(chosen);
    const bool settled = std::abs(refined - variance) <= 1e-3 * variance;
    variance = refined;
    if (settled) break;
  }
  return std::sqrt(std::max(variance, 0.0));
}

// The curve sorted by σ, and its least value chosen.
SigmaChoice with_least_of_curve(SigmaChoice choice) {
  std::sort(choice.curve.begin(), choice.curve.end());
  const auto smallest = std::min_element(choice.curve.begin(), choice.curve.end(),
                                         [](const auto& p, const auto& q) { return p.second < q.second; });
  choice.sigma = smallest->first, choice.sure = smallest->second;
  return choice;
}

}  // namespace

double sure_probe_step(double noise_sigma, double count) { return 2.0 * noise_sigma / std::pow(count, 0.3); }

double monte_carlo_sure(Denoiser& denoiser, const Image& noisy, double noise_sigma, double denoiser_sigma,
                        const SureOptions& options) {
  if (!(noise_sigma > 0)) throw ParameterError("SURE needs the noise level σ_n > 0");
  if (options.probes < 1) throw ParameterError("SURE needs at least one probe");
  const auto n = static_cast<double>(noisy.size());
  const Image denoised = denoiser.denoise(noisy, denoiser_sigma);
  Image residual = denoised.clone();
  residual.array() -= noisy.array();
  const double epsilon = sure_probe_step(noise_sigma, n);
  double divergence = 0.0;
  for (int p = 0; p < options.probes; ++p) {
    Image probe(noisy.geometry());
    fill_normal(probe, options.seed, static_cast<std::uint32_t>(p));
    Image moved = noisy.clone();
    moved.array() += static_cast<float>(epsilon) * probe.array();
    Image change = denoiser.denoise(moved, denoiser_sigma);
    change.array() -= denoised.array();
    divergence += dot(probe, change) / epsilon;
  }
  divergence /= options.probes;
  const double s2 = noise_sigma * noise_sigma;
  return dot(residual, residual) / n - s2 + 2.0 * s2 * divergence / n;
}

SigmaChoice minimise_over_log_range(const std::function<double(double sigma)>& objective, double low, double high,
                                    int levels, int golden_evaluations) {
  if (!(low > 0 && high > low)) throw ParameterError("the σ search range must satisfy 0 < low < high");
  if (levels < 2 || golden_evaluations == 1 || golden_evaluations < 0) {
    throw ParameterError("the σ search needs at least two levels, and no or at least two golden-section evaluations");
  }
  SigmaChoice choice;
  const auto evaluate = [&](double log_sigma) {
    const double sigma = std::exp(log_sigma);
    const double value = objective(sigma);
    choice.curve.emplace_back(sigma, value);
    return value;
  };
  const double a = std::log(low), step = (std::log(high) - a) / (levels - 1);
  int best = 0;
  double best_value = 0.0;
  for (int k = 0; k < levels; ++k) {
    const double value = evaluate(a + step * k);
    if (k == 0 || value < best_value) best = k, best_value = value;
  }
  // Golden section on [best − 1, best + 1] grid steps (a minimum at an end searches the inner half).
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  double left = a + step * std::max(best - 1, 0), right = a + step * std::min(best + 1, levels - 1);
  double inner_left = right - phi * (right - left), inner_right = left + phi * (right - left);
  double value_left = golden_evaluations > 0 ? evaluate(inner_left) : 0.0;
  double value_right = golden_evaluations > 0 ? evaluate(inner_right) : 0.0;
  for (int k = 2; k < golden_evaluations; ++k) {
    if (value_left < value_right) {
      right = inner_right, inner_right = inner_left, value_right = value_left;
      inner_left = right - phi * (right - left), value_left = evaluate(inner_left);
    } else {
      left = inner_left, inner_left = inner_right, value_left = value_right;
      inner_right = left + phi * (right - left), value_right = evaluate(inner_right);
    }
  }
  return with_least_of_curve(std::move(choice));
}

SigmaChoice minimise_by_parabola(const std::function<double(double sigma)>& objective, double low, double high) {
  if (!(low > 0 && high > low)) throw ParameterError("the σ search range must satisfy 0 < low < high");
  SigmaChoice choice;
  const auto evaluate = [&](double log_sigma) {
    const double sigma = std::exp(log_sigma);
    choice.curve.emplace_back(sigma, objective(sigma));
    return choice.curve.back().second;
  };
  // Three equally spaced points with the middle one least: the vertex of their parabola lies
  // (f₋ − f₊)/(2(f₋ − 2f + f₊)) steps from the middle one.
  const auto vertex = [](double middle, double step, double below, double at, double above) {
    return middle + step * 0.5 * (below - above) / (below - 2.0 * at + above);
  };
  const auto convex = [](double below, double at, double above) { return below - 2.0 * at + above > 0.0; };
  const double a = std::log(low), b = std::log(high), step = 0.25 * (b - a);
  const double x[3] = {a + step, a + 2.0 * step, a + 3.0 * step};
  const double f[3] = {evaluate(x[0]), evaluate(x[1]), evaluate(x[2])};
  if (f[1] < f[0] && f[1] < f[2]) {
    evaluate(vertex(x[1], step, f[0], f[1], f[2]));
  } else if (f[0] <= f[2]) {
    // The minimum is not between them: try the end beyond the least, then the vertex of the
    // parabola through the end and the next two points when it lies between the end and the middle.
    const double end = evaluate(a);
    const double v = vertex(x[0], step, end, f[0], f[1]);
    if (convex(end, f[0], f[1]) && v > a && v < x[1]) evaluate(v);
  } else {
    const double end = evaluate(b);
    const double v = vertex(x[2], step, f[1], f[2], end);
    if (convex(f[1], f[2], end) && v > x[1] && v < b) evaluate(v);
  }
  return with_least_of_curve(std::move(choice));
}

SigmaChoice choose_sigma_by_sure(Denoiser& denoiser, const Image& noisy, double noise_sigma, const SureOptions& options,
                                 double low, double high) {
  return minimise_over_log_range(
      [&](double sigma) { return monte_carlo_sure(denoiser, noisy, noise_sigma, sigma, options); },
      low > 0 ? low : 0.25 * noise_sigma, high > 0 ? high : 4.0 * noise_sigma, kGridLevels, kGoldenEvaluations);
}

double estimate_noise_sigma(const Image& noisy, NoiseEstimator estimator) {
  require_finite(noisy, "the image whose noise is estimated");
  double total = 0.0;
  for (std::int64_t z = 0; z < noisy.shape().nz; ++z) {
    total += estimator == NoiseEstimator::wavelet_mad ? haar_mad_sigma(noisy, z) : patch_pca_sigma(noisy, z);
  }
  return total / static_cast<double>(noisy.shape().nz);
}

}  // namespace tweedie
