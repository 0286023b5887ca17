#include "solvers/named_solvers.h"

#include "core/error.h"

#include <algorithm>

namespace tweedie {

const std::vector<std::string>& solver_names() {
  static const std::vector<std::string> names{"pnp-admm", "pnp-hqs", "pnp-pgd", "pnp-fista", "red",
                                              "langevin", "dps",     "cgls",    "sirt",      "tv-pdhg"};
  return names;
}

bool solver_uses_prior(const std::string& name) { return name != "cgls" && name != "sirt" && name != "tv-pdhg"; }

void require_known_solver(const std::string& name) {
  const auto& names = solver_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  std::string known;
  for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
  throw ParameterError("unknown solver '" + name + "' (known: " + known + ")");
}

SolverOutput run_solver(const std::string& name, const DataFidelity& data, Denoiser* prior, const Image& start,
                        const SolverSettings& settings) {
  require_known_solver(name);
  if (solver_uses_prior(name) && prior == nullptr) throw ParameterError("the " + name + " solver needs a prior");
  const IterationControl& control = settings.pnp.control;
  if (name == "cgls") return {cgls(data, start, control), std::nullopt};
  if (name == "sirt") return {sirt(data, start, control, settings.nonnegative), std::nullopt};
  if (name == "tv-pdhg") return {tv_pdhg(data, settings.tv_lambda, start, control), std::nullopt};
  if (name == "pnp-hqs") return {pnp_hqs(data, *prior, start, settings.pnp), std::nullopt};
  if (name == "pnp-admm") return {pnp_admm(data, *prior, start, settings.pnp), std::nullopt};
  if (name == "pnp-pgd") return {pnp_pgd(data, *prior, start, settings.pnp, false), std::nullopt};
  if (name == "pnp-fista") return {pnp_pgd(data, *prior, start, settings.pnp, true), std::nullopt};
  if (name == "red") return {red(data, *prior, start, settings.pnp), std::nullopt};
  SamplerOptions sampler = settings.sampler;
  sampler.control = control;
  PosteriorSamples samples = name == "langevin" ? langevin(data, *prior, start, sampler) : dps(data, *prior, start, sampler);
  samples.last.image = std::move(samples.mean);  // the posterior mean is the result
  return {std::move(samples.last), std::move(samples.standard_deviation)};
}

}  // namespace tweedie
