#include "solvers/samplers.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "solvers/preconditioned_gradient.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

namespace tweedie {
namespace {

// One sample: `step(x, k, noise_seed)` advances x at level k; `finish(x, k)`, if given, maps the
// sample after its last level k to the result.
using Step = std::function<void(Image& x, int k, std::uint64_t noise_seed, double& objective)>;
using Finish = std::function<void(Image& x, int k)>;

PosteriorSamples run_samples(const Image& start, const SamplerOptions& options, const Step& step,
                             const Finish& finish = nullptr) {
  options.validate();
  Image sum = start.zeros_like(), squares = start.zeros_like();
  PosteriorSamples result;
  const auto started = std::chrono::steady_clock::now();
  for (int n = 0; n < options.samples; ++n) {
    IterationLog log(options.control, started);
    Image x = start.clone(), previous = start.clone();
    int k = 0;
    for (;; ++k) {
      previous.array() = x.array();
      double objective = 0.0;
      // A noise stream per (sample, level): samples differ, and each is reproducible.
      step(x, k, options.seed + 1000003ull * static_cast<std::uint64_t>(n) + static_cast<std::uint64_t>(k), objective);
      if (log.record(x, previous, objective, options.sigma_at(k))) break;
    }
    if (finish) finish(x, k);
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
  if (!(step_scale > 0 && step_scale <= 1)) throw ParameterError("the Langevin step scale must be in (0, 1]");
  if (!(guidance >= 0)) throw ParameterError("the DPS guidance must be non-negative");
}

double SamplerOptions::inflated_variance(double sigma) const { return noise_sigma * noise_sigma + sigma * sigma; }

double SamplerOptions::sigma_at(int k) const {
  return geometric_level(sigma_first, sigma_last, k, control.iterations);
}

PosteriorSamples langevin(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options) {
  // The steps of all levels follow one geometric schedule of sub-levels, σ_j for j = k·T + t.
  const int steps = options.steps_per_level, sub_levels = options.control.iterations * steps;
  const auto sub_level = [&](int j) { return geometric_level(options.sigma_first, options.sigma_last, j, sub_levels); };
  const PreconditionedGradient data_step(data);
  const double h = options.step_scale;
  return run_samples(start, options, [&](Image& x, int k, std::uint64_t seed, double& objective) {
    Image z(x.geometry());
    for (int t = 0; t < steps; ++t) {
      const double sigma = sub_level(k * steps + t), next = sub_level(k * steps + t + 1);
      // The prior's step, h of the way to D(x, σ); the data term's, the posterior's weight α/(σ_n² + σ²)
      // of its gradient as a fraction of its longest stable step 1/L, at most h.
      const double alpha = h * sigma * sigma;
      const double data_fraction = std::min(h, alpha * data.lipschitz() / options.inflated_variance(sigma));
      // The score step keeps (1 − h) of the noise at σ; the injected noise tops it up to σ_{j+1}.
      const double injected = std::sqrt(std::max(next * next - (1.0 - h) * (1.0 - h) * sigma * sigma, 0.0));
      const Image s = score(prior, x, sigma);
      const Image d = data_step.step(x);
      fill_normal(z, seed, static_cast<std::uint32_t>(t));
      x.array() += static_cast<float>(alpha) * s.array() - static_cast<float>(data_fraction) * d.array() +
                   static_cast<float>(injected) * z.array();
    }
    objective = data.value(x);
  }, [&](Image& x, int k) {
    // The sample still carries the noise of the level it reached (σ_L at the end of the schedule);
    // Tweedie's formula removes it: x + σ²·s(x, σ) = D(x, σ) (the final denoising step of Song &
    // Ermon 2020).
    x = prior.denoise(x, sub_level((k + 1) * steps));
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
    // Ancestral variance-exploding step from σ to the next level σ' with the Tweedie score: the
    // mean of p(x_σ' | x_σ, x̂₀), x + (1 − σ'²/σ²)(x̂₀ − x), and its spread σ'·√(σ² − σ'²)/σ
    // (Ho et al. 2020, in variance-exploding form), which leaves the sample's noise at σ' and adds
    // none at the last step (σ' = 0); the reverse-SDE step's √(σ² − σ'²) leaves more when the
    // levels are few.
    const double variance = sigma * sigma - next * next;
    const double spread = next * std::sqrt(variance) / sigma;
    Image z(x.geometry());
    fill_normal(z, seed);
    const auto to_denoised = static_cast<float>(variance / (sigma * sigma));
    // The likelihood score through the denoiser, over the same step as the prior's (variance),
    // with the measurement variance inflated by σ_i² as for Langevin.
    // Capped at 1/L, a gradient step on the data term that cannot overshoot.
    const auto to_data = static_cast<float>(
        options.guidance * std::min(variance / options.inflated_variance(sigma), 1.0 / data.lipschitz()));
    x.array() += to_denoised * (denoised.array() - x.array()) + static_cast<float>(spread) * z.array() -
                 to_data * through_denoiser.array();
  });
}

}  // namespace tweedie
