#include "pipelines/solver_choice.h"

#include "core/error.h"

namespace tweedie {
namespace {

template <typename T>
void require_positive(const std::optional<T>& value, const std::string& name) {
  if (value && !(*value > 0)) throw ParameterError(name + " must be positive, got " + std::to_string(*value));
}

}  // namespace

void SolverChoice::validate() const {
  const SolverTraits& traits = solver_traits(solver);
  require_positive(iterations, "iterations");
  require_positive(cg_iterations, "cg_iterations");
  require_positive(noise_sigma, "noise_sigma");
  require_positive(sigma_first, "sigma_first");
  require_positive(sigma_last, "sigma_last");
  require_positive(tv_lambda, "tv_lambda");
  require_positive(penalty_scale, "penalty_scale");
  require_positive(steps_per_level, "steps_per_level");
  require_positive(step_scale, "step_scale");
  if (samples < 1) throw ParameterError("samples must be at least 1, got " + std::to_string(samples));
  if (red_form == RedForm::gradient && !traits.has_gradient_form) {
    throw ParameterError("the gradient form is RED's; " + solver + " has none");
  }
  if (sure_prior_level && !traits.follows_prior_schedule) {
    std::string schedule_solvers;
    for (const SolverTraits& t : solver_registry()) {
      if (t.follows_prior_schedule) schedule_solvers += (schedule_solvers.empty() ? "" : ", ") + t.name;
    }
    throw ParameterError("SURE chooses the prior level of " + schedule_solvers + "; '" + solver + "' has none");
  }
  if (half_resolution_iterations && *half_resolution_iterations < 0) {
    throw ParameterError("half_resolution_iterations cannot be negative, got " + std::to_string(*half_resolution_iterations));
  }
  if (half_resolution_iterations.value_or(0) > 0 && !traits.follows_prior_schedule) {
    throw ParameterError("iterations at half resolution split a prior schedule; '" + solver + "' has none");
  }
  if (sure_prior_level && sigma_last) throw ParameterError("SURE chooses the last prior level: give it or ask SURE, not both");
}

bool use_ensemble(const SolverChoice& choice, bool problem_default) {
  if (choice.ensemble) return *choice.ensemble;
  return problem_default && solver_traits(choice.solver).follows_prior_schedule;
}

SolverSettings resolve_settings(const SolverChoice& c, const SolverSettings& defaults, const Image* reference,
                                double level_scale) {
  c.validate();
  const SolverTraits& traits = solver_traits(c.solver);
  SolverSettings s = defaults;
  // The baselines need more, cheaper iterations than the problem's prior schedule.
  if (traits.default_iterations > 0) s.pnp.control.iterations = traits.default_iterations;
  // RED's gradient form takes one (steepest-descent) step per iteration where the fixed-point form
  // solves the data term: it follows the same schedule over 4 times the iterations (docs/solvers.md).
  if (c.red_form == RedForm::gradient) s.pnp.control.iterations *= 4;
  if (c.iterations) s.pnp.control.iterations = *c.iterations;
  if (c.cg_iterations) s.pnp.cg_iterations = *c.cg_iterations;
  if (c.noise_sigma) s.pnp.noise_sigma = s.sampler.noise_sigma = *c.noise_sigma;
  if (c.sigma_first) s.pnp.sigma_first = s.sampler.sigma_first = *c.sigma_first * level_scale;
  if (c.sigma_last) s.pnp.sigma_last = s.sampler.sigma_last = *c.sigma_last * level_scale;
  if (c.tv_lambda) s.tv_lambda = *c.tv_lambda;
  if (c.penalty_scale) s.pnp.penalty_scale = *c.penalty_scale;
  s.pnp.red_form = c.red_form;
  s.sampler.samples = c.samples;
  if (c.steps_per_level) s.sampler.steps_per_level = *c.steps_per_level;
  if (c.step_scale) s.sampler.step_scale = *c.step_scale;
  s.sampler.seed = c.seed;
  s.pnp.control.reference = reference;
  return s;
}

}  // namespace tweedie
