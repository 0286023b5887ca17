#include "solvers/samplers.h"

#include "core/error.h"
#include "core/image_ops.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace tweedie {
namespace {

// One sample: `step(x, k, noise_seed)` advances x at level k.
using Step = std::function<void(Image& x, int k, std::uint64_t noise_seed, double& objective)>;

PosteriorSamples run_samples(const Image& start, const SamplerOptions& options,
                             const Step& step) {
  options.validate();
  Image sum = start.zeros_like(), squares = start.zeros_like();
  PosteriorSamples result;
  for (int n = 0; n < options.samples; ++n) {
    IterationLog log(options.control);
    Image x = start.clone(), previous = start.clone();
    for (int k = 0;; ++k) {
      previous.array() = x.array();
      double objective = 0.0;
      // A noise stream per (sample, level): samples differ, and each is reproducible.
      step(x, k, options.seed + 1000003ull * static_cast<std::uint64_t>(n) + static_cast<std::uint64_t>(k), objective);
      if (log.record(x, previous, objective, options.sigma_at(k))) break;
    }
    sum.array() += x.array();
    squares.array() += x.array().square();
    result.last = log.finish(std::move(x));
  }
  const auto count = static_cast<float>(options.samples);
  result.mean = sum.clone();
  result.mean.array() /= count;
  result.standard_deviation = squares.clone();
  result.standard_deviation.array() = (squares.array() / count - result.mean.array().square()).max(0.0f).sqrt();
  return result;
}

}  // namespace

void SamplerOptions::validate() const {
  control.validate();
  if (!(sigma_first > 0) || !(sigma_last > 0)) throw ParameterError("sampler noise levels must be positive");
  if (!(noise_sigma > 0)) throw ParameterError("the measurement noise level must be positive");
  if (steps_per_level < 1 || samples < 1) throw ParameterError("steps per level and samples must be positive");
  if (!(step_scale > 0) || !(guidance >= 0)) throw ParameterError("step scale must be positive, guidance non-negative");
}

double SamplerOptions::sigma_at(int k) const {
  return geometric_level(sigma_first, sigma_last, k, control.iterations);
}

PosteriorSamples langevin(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options) {
  return run_samples(start, options, [&](Image& x, int k, std::uint64_t seed, double& objective) {
    const double sigma = options.sigma_at(k);
    const double data_weight_exact = 1.0 / (options.noise_sigma * options.noise_sigma + sigma * sigma);
    // step_scale over the drift's Lipschitz constant (score ≈ 1/σ², data L·w): step_scale·σ² unless
    // the data term is the stiffer one (CT with statistical weights), which would blow up.
    const double alpha = options.step_scale / (1.0 / (sigma * sigma) + data.lipschitz() * data_weight_exact);
    const auto data_weight = static_cast<float>(data_weight_exact);
    Image z(x.geometry());
    for (int t = 0; t < options.steps_per_level; ++t) {
      const Image s = score(prior, x, sigma);
      const Image g = data.gradient(x);
      fill_normal(z, seed, static_cast<std::uint32_t>(t));
      x.array() += static_cast<float>(alpha) * (s.array() - data_weight * g.array()) +
                   static_cast<float>(std::sqrt(2.0 * alpha)) * z.array();
    }
    objective = data.value(x);
  });
}

PosteriorSamples dps(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options) {
  return run_samples(start, options, [&](Image& x, int k, std::uint64_t seed, double& objective) {
    const double sigma = options.sigma_at(k);
    const double next = k + 1 < options.control.iterations ? options.sigma_at(k + 1) : 0.0;
    const Image denoised = prior.denoise(x, sigma);
    // Data term on the denoised estimate: r = A x̂₀ − y, its gradient through D by the vjp.
    Image r = data.op().apply(denoised);
    r.array() -= data.measurement().array();
    const Image weighted = data.weighted(r);
    objective = 0.5 * dot(r, weighted);
    const Image through_denoiser = prior.vjp(x, sigma, data.op().adjoint(weighted));
    // Ancestral variance-exploding step from σ to the next level with the Tweedie score.
    const double variance = sigma * sigma - next * next;
    Image z(x.geometry());
    fill_normal(z, seed);
    const auto to_denoised = static_cast<float>(variance / (sigma * sigma));
    // The likelihood score through the denoiser, over the same step as the prior's (variance),
    // with the measurement variance inflated by σ_i² as for Langevin.
    // Capped at 1/L, a gradient step on the data term that cannot overshoot.
    const auto to_data = static_cast<float>(
        options.guidance * std::min(variance / (options.noise_sigma * options.noise_sigma + sigma * sigma), 1.0 / data.lipschitz()));
    x.array() += to_denoised * (denoised.array() - x.array()) + static_cast<float>(std::sqrt(variance)) * z.array() -
                 to_data * through_denoiser.array();
  });
}

}  // namespace tweedie
