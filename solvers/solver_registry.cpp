#include "solvers/solver_registry.h"

#include "core/error.h"

#include <iomanip>
#include <sstream>

namespace tweedie {
namespace {

SolverOutput without_spread(SolverResult result) { return {std::move(result), std::nullopt}; }

SolverOutput posterior_mean(PosteriorSamples samples) {
  samples.last.image = std::move(samples.mean);  // the posterior mean is the result
  return {std::move(samples.last), std::move(samples.standard_deviation)};
}

SamplerOptions sampler_options(const SolverSettings& s) {
  SamplerOptions sampler = s.sampler;
  sampler.control = s.pnp.control;
  return sampler;
}

std::string describe_schedule(const SolverSettings& s, const LevelUnits& level) {
  std::ostringstream text;
  text << "prior σ " << level(s.pnp.sigma_first) << " → " << level(s.pnp.sigma_last) << ", ρ_k = " << s.pnp.penalty_scale
       << "·σ_n²/σ_k², σ_n " << s.pnp.noise_sigma;
  return text.str();
}

std::string describe_red(const SolverSettings& s, const LevelUnits& level) {
  return describe_schedule(s, level) + ", " + (s.pnp.red_form == RedForm::gradient ? "gradient" : "fixed-point") + " form";
}

std::string describe_sampler_levels(const SolverSettings& s, const LevelUnits& level) {
  std::ostringstream text;
  text << "prior σ " << level(s.sampler.sigma_first) << " → " << level(s.sampler.sigma_last) << ", σ_n "
       << s.sampler.noise_sigma << ", ";
  return text.str();
}

std::string describe_samples(const SolverSettings& s) {
  return std::to_string(s.sampler.samples) + " samples, seed " + std::to_string(s.sampler.seed);
}

std::string describe_langevin(const SolverSettings& s, const LevelUnits& level) {
  std::ostringstream text;
  text << describe_sampler_levels(s, level) << s.sampler.steps_per_level << " steps per level of scale "
       << s.sampler.step_scale << ", " << describe_samples(s);
  return text.str();
}

std::string describe_dps(const SolverSettings& s, const LevelUnits& level) {
  return describe_sampler_levels(s, level) + describe_samples(s);
}

std::string describe_tv(const SolverSettings& s, const LevelUnits&) {
  std::ostringstream text;
  text << "λ " << s.tv_lambda;
  return text.str();
}

std::string describe_nothing(const SolverSettings&, const LevelUnits&) { return {}; }

std::vector<SolverTraits> make_registry() {
  using D = const DataFidelity&;
  using S = const SolverSettings&;
  std::vector<SolverTraits> r;
  r.push_back({.name = "pnp-admm", .description = "plug-and-play ADMM", .uses_prior = true, .follows_prior_schedule = true,
               .proximal_data_step = true, .carries_data_step_error = true,
               .describe = describe_schedule,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return without_spread(pnp_admm(d, *p, x0, s.pnp)); }});
  r.push_back({.name = "pnp-hqs", .description = "plug-and-play half-quadratic splitting (DPIR)", .uses_prior = true,
               .follows_prior_schedule = true, .proximal_data_step = true,
               .describe = describe_schedule,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return without_spread(pnp_hqs(d, *p, x0, s.pnp)); }});
  r.push_back({.name = "pnp-pgd", .description = "plug-and-play proximal gradient", .uses_prior = true,
               .follows_prior_schedule = true,
               .describe = describe_schedule,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return without_spread(pnp_pgd(d, *p, x0, s.pnp, false)); }});
  r.push_back({.name = "pnp-fista", .description = "plug-and-play FISTA", .uses_prior = true, .follows_prior_schedule = true,
               .describe = describe_schedule,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return without_spread(pnp_pgd(d, *p, x0, s.pnp, true)); }});
  r.push_back({.name = "red", .description = "regularisation by denoising", .uses_prior = true,
               .follows_prior_schedule = true, .proximal_data_step = true, .carries_data_step_error = true,
               .has_gradient_form = true,
               .describe = describe_red,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return without_spread(red(d, *p, x0, s.pnp)); }});
  r.push_back({.name = "langevin", .description = "annealed Langevin posterior sampling", .uses_prior = true,
               .sampler = true,
               .describe = describe_langevin,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return posterior_mean(langevin(d, *p, x0, sampler_options(s))); }});
  r.push_back({.name = "dps", .description = "diffusion posterior sampling", .uses_prior = true, .sampler = true,
               .differentiates_prior = true, .describe = describe_dps,
               .run = [](D d, Denoiser* p, const Image& x0, S s) { return posterior_mean(dps(d, *p, x0, sampler_options(s))); }});
  r.push_back({.name = "cgls", .description = "conjugate gradients on the normal equations", .default_iterations = 30,
               .describe = describe_nothing,
               .run = [](D d, Denoiser*, const Image& x0, S s) { return without_spread(cgls(d, x0, s.pnp.control)); }});
  r.push_back({.name = "sirt", .description = "simultaneous iterative reconstruction", .default_iterations = 100,
               .describe = describe_nothing,
               .run = [](D d, Denoiser*, const Image& x0, S s) {
                 return without_spread(sirt(d, x0, s.pnp.control, s.nonnegative));
               }});
  r.push_back({.name = "tv-pdhg", .description = "total variation by primal-dual hybrid gradient", .default_iterations = 300,
               .describe = describe_tv,
               .run = [](D d, Denoiser*, const Image& x0, S s) {
                 return without_spread(tv_pdhg(d, s.tv_lambda, x0, s.pnp.control));
               }});
  return r;
}

}  // namespace

const std::vector<SolverTraits>& solver_registry() {
  static const std::vector<SolverTraits> registry = make_registry();
  return registry;
}

std::string LevelUnits::operator()(double sigma) const {
  std::ostringstream value;
  value << std::setprecision(4) << sigma / scale << unit;
  return value.str();
}

const SolverTraits* find_solver(const std::string& name) {
  for (const SolverTraits& t : solver_registry()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string solver_name_list() {
  std::string names;
  for (const SolverTraits& t : solver_registry()) names += (names.empty() ? "" : ", ") + t.name;
  return names;
}

const SolverTraits& solver_traits(const std::string& name) {
  if (const SolverTraits* traits = find_solver(name)) return *traits;
  throw ParameterError("unknown solver '" + name + "' (known: " + solver_name_list() + ")");
}

SolverOutput run_solver(const std::string& name, const DataFidelity& data, Denoiser* prior, const Image& start,
                        const SolverSettings& settings) {
  const SolverTraits& traits = solver_traits(name);
  if (traits.uses_prior && prior == nullptr) throw ParameterError("the " + name + " solver needs a prior");
  return traits.run(data, prior, start, settings);
}

}  // namespace tweedie
