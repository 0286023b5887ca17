// tweedie recon: CT reconstruction from a sinogram (or a stack of them) with any solver and prior,
// starting from FBP. Solvers work in attenuation (mm⁻¹); an HU model is used through a change of
// units, and the result comes back in the units asked for.
#include "apps/commands.h"
#include "apps/ct_options.h"
#include "apps/prior_options.h"
#include "apps/prior_sigma_choice.h"
#include "apps/solver_options.h"
#include "core/error.h"
#include "core/image_io.h"
#include "core/metrics.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "priors/cnn_denoiser.h"
#include "priors/scaled_denoiser.h"


namespace tweedie::app {
namespace {

struct ReconOptions {
  CtOptions ct;
  std::string sinogram, weights, output, init = "fbp", filter = "hann";
  SolverFlags solver;
};

// HU ↔ mm⁻¹ for noise levels (a difference of HU is μ_water/1000 mm⁻¹).
constexpr double kAttenuationPerHu = kWaterAttenuationPerMm / 1000.0;

// The CT defaults: 16 iterations from 200 down to 40 HU with ρ_k = 1.5·σ_n²/σ_k²; σ_n = 1 with
// statistical weights (W ≈ 1/variance), else the given --noise-sigma (line-integral units).
// Measured best with the bundled ct model on a slice of the bundled sample at I0 = 1e4 (720
// parallel views): a stronger prior than DPIR's 0.23, ending where the FBP noise is still visible.
SolverSettings ct_defaults(bool weighted) {
  SolverSettings s;
  s.pnp.control.iterations = 16;
  s.pnp.sigma_first = 200.0 * kAttenuationPerHu;
  s.pnp.sigma_last = 40.0 * kAttenuationPerHu;
  s.pnp.penalty_scale = 1.5;
  s.pnp.noise_sigma = weighted ? 1.0 : 0.05;
  s.sampler.sigma_first = s.pnp.sigma_first, s.sampler.sigma_last = s.pnp.sigma_last;
  s.sampler.noise_sigma = s.pnp.noise_sigma;
  // TV weight for a weighted data term of about one unit per ray (chi-squared), scaled by σ_n²
  // without weights; measured best at I0 = 1e4 on the bundled abdomen sample.
  s.tv_lambda = 3.0 * s.pnp.noise_sigma * s.pnp.noise_sigma;
  return s;
}

// The prior in attenuation units: CT models and classical priors alike (TV and Gaussian
// smoothing are equivariant, so they work in any units).
std::unique_ptr<Denoiser> attenuation_prior(const std::string& prior) {
  std::unique_ptr<Denoiser> denoiser = make_denoiser(prior);
  const auto* cnn = dynamic_cast<const CnnDenoiser*>(denoiser.get());
  if (cnn && cnn->model().modality != "ct") {
    throw ParameterError("the model '" + prior + "' was trained on " + cnn->model().modality +
                         " images; CT reconstruction needs a CT model (such as the bundled 'ct')");
  }
  return cnn ? in_attenuation_units(std::move(denoiser)) : std::move(denoiser);
}

void run_recon(const ReconOptions& o) {
  require_known_solver(o.solver.solver);
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  const ImageUnits units = parse_image_units(o.ct.units);
  const Image sinogram = read_sinogram(o.sinogram, geometry);
  std::optional<Image> weights;
  if (!o.weights.empty()) weights = read_image(o.weights);
  const auto projector = std::make_shared<JosephProjector>(geometry, slices_of(sinogram));
  const DataFidelity data(projector, sinogram, weights ? std::optional<Image>(weights->clone()) : std::nullopt);
  std::optional<Image> reference;
  if (!o.solver.reference.empty()) reference = read_attenuation_image(o.solver.reference, geometry, units);
  if (o.init != "fbp" && o.init != "zero") throw ParameterError("--init must be fbp or zero, got '" + o.init + "'");
  const StartOf start_of = [&](const Image& measured) {
    return o.init == "fbp" ? FilteredBackprojection(geometry, parse_fbp_filter(o.filter)).reconstruct(measured)
                           : Image(projector->domain());
  };
  const Image start = start_of(sinogram);
  std::unique_ptr<Denoiser> prior =
      solver_uses_prior(o.solver.solver) ? with_ensemble(attenuation_prior(o.solver.prior), use_ensemble(o.solver, false)) : nullptr;
  SolverFlags flags = o.solver;  // σ flags are given in HU
  if (flags.sigma_first > 0) flags.sigma_first *= kAttenuationPerHu;
  if (flags.sigma_last > 0) flags.sigma_last *= kAttenuationPerHu;
  SolverSettings settings = solver_settings(flags, ct_defaults(weights.has_value()), reference ? &*reference : nullptr);
  apply_prior_sigma_flag(flags, data, prior.get(), start_of, settings, kAttenuationPerHu, " HU");
  SolverOutput out = run_solver(o.solver.solver, data, prior.get(), start, settings);
  const SolverResult& r = out.result;
  print_solver_summary(o.solver, prior.get(), r, reference ? &*reference : nullptr, start, o.init,
                       reference ? value_range(*reference) : 0.0);
  if (!o.solver.history.empty()) write_history(r, o.solver.solver, o.solver.history);
  Image result = std::move(out.result.image);
  if (units == ImageUnits::hounsfield) attenuation_to_hounsfield(result);
  carry_slice_geometry(sinogram, result);
  if (out.standard_deviation && !o.solver.standard_deviation.empty()) {
    Image spread = std::move(*out.standard_deviation);
    if (units == ImageUnits::hounsfield) spread.array() /= static_cast<float>(kAttenuationPerHu);
    carry_slice_geometry(sinogram, spread);
    write_image(spread, o.solver.standard_deviation);
  }
  write_image(result, o.output);
}

}  // namespace

Command add_recon_command(CLI::App& app) {
  auto o = std::make_shared<ReconOptions>();
  o->solver.prior = "ct";
  CLI::App* parser = app.add_subcommand("recon", "Reconstruct CT with a solver and a prior (default: PnP-HQS, ct model)");
  parser->add_option("--sinogram", o->sinogram, "Sinogram (detectors × views [× slices])")->required();
  add_ct_options(*parser, o->ct);
  parser->add_option("--weights", o->weights, "Statistical weights (from tweedie simulate --weights)");
  parser->add_option("--init", o->init, "Start: fbp or zero")->capture_default_str();
  parser->add_option("--filter", o->filter, "FBP filter of the start")->capture_default_str();
  add_solver_options(*parser, o->solver);
  parser->add_option("--output", o->output, "Reconstruction to write")->required();
  return {parser, [o] { run_recon(*o); }};
}

}  // namespace tweedie::app
