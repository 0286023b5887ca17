// tweedie recon: CT reconstruction from a sinogram (or a stack of them) with any solver and prior,
// starting from FBP. Solvers work in attenuation (mm⁻¹); an HU model is used through a change of
// units, and the result comes back in the units asked for.
#include "apps/commands.h"
#include "apps/ct_defaults.h"
#include "apps/ct_options.h"
#include "apps/prior_options.h"
#include "apps/preview.h"
#include "apps/prior_sigma_choice.h"
#include "apps/slice_progress.h"
#include "apps/solver_options.h"
#include "core/error.h"
#include "core/image_io.h"
#include "core/metrics.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "priors/scaled_denoiser.h"

#include <chrono>


namespace tweedie::app {
namespace {

struct ReconOptions {
  CtOptions ct;
  std::string sinogram, weights, output, init = "fbp", filter = "hann", preview, window = "400,40";
  SolverFlags solver;
};

// The prior, which works in HU, in attenuation units. (TV and Gaussian smoothing are equivariant
// and would work in any units; BM3D's thresholds are not shift-invariant, and models know HU only.)
std::unique_ptr<Denoiser> attenuation_prior(const std::string& prior) {
  return in_attenuation_units(make_denoiser(prior, "ct"));
}

// FBP | result | reference | difference (to the reference, else to FBP), in HU.
void write_recon_preview(const ReconOptions& o, const DisplayWindow& window, const Image& fbp, const Image& result,
                         const Image* reference) {
  const auto in_hu = [](const Image& attenuation) {
    Image hu = attenuation.clone();
    attenuation_to_hounsfield(hu);
    return hu;
  };
  std::vector<std::pair<std::string, Image>> panels;
  panels.emplace_back("fbp", in_hu(fbp));
  panels.emplace_back(o.solver.solver, in_hu(result));
  if (reference) panels.emplace_back("reference", in_hu(*reference));
  Image difference = panels[1].second.clone();
  difference.array() -= panels[reference ? 2 : 0].second.array();
  write_preview(panels, &difference, o.solver.solver + (reference ? " − reference" : " − fbp"), window, o.preview);
}

// --solver fbp: the start as the result, its time as one step of history.
SolverOutput fbp_output(const Image& start, std::chrono::steady_clock::time_point started) {
  SolverOutput out;
  out.result.image = start.clone();
  IterationRecord record;
  record.iteration = 1;
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.result.history.push_back(record);
  out.result.termination = "direct";
  return out;
}

// Slices are reconstructed one after another, each with every thread (the network's convolutions
// use all cores on one image); memory stays that of one slice.
void run_recon(const ReconOptions& o) {
  const bool fbp_only = o.solver.solver == "fbp";  // the start itself, no iterations
  if (!fbp_only) require_known_solver(o.solver.solver);
  if (fbp_only && o.init != "fbp") throw ParameterError("--solver fbp goes with --init fbp");
  const DisplayWindow window = parse_window(o.window, "--window");
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  const ImageUnits units = parse_image_units(o.ct.units);
  const Image sinogram = read_sinogram(o.sinogram, geometry);
  std::optional<Image> weights;
  if (!o.weights.empty()) weights = read_image(o.weights);
  if (weights) require_same_shape(sinogram.shape(), weights->shape(), "the statistical weights '" + o.weights + "'");
  std::optional<Image> reference;
  if (!o.solver.reference.empty()) reference = read_attenuation_image(o.solver.reference, geometry, units);
  if (reference && slices_of(*reference) != slices_of(sinogram)) {
    throw ShapeError("the reference has " + std::to_string(reference->shape().nz) + " slices, the sinogram " +
                     std::to_string(sinogram.shape().nz));
  }
  if (o.init != "fbp" && o.init != "zero") throw ParameterError("--init must be fbp or zero, got '" + o.init + "'");
  std::unique_ptr<Denoiser> prior =
      !fbp_only && solver_uses_prior(o.solver.solver) ? with_ensemble(attenuation_prior(o.solver.prior), use_ensemble(o.solver, false)) : nullptr;
  SolverFlags flags = o.solver;  // σ flags are given in HU
  if (flags.sigma_first > 0) flags.sigma_first *= kAttenuationPerHu;
  if (flags.sigma_last > 0) flags.sigma_last *= kAttenuationPerHu;
  const SolverSettings defaults = ct_defaults(o.solver.solver, weights, geometry);

  const auto projector = std::make_shared<JosephProjector>(geometry);
  const FilteredBackprojection fbp(geometry, parse_fbp_filter(o.filter));
  const StartOf start_of = [&](const Image& measured) {
    return o.init == "fbp" ? fbp.reconstruct(measured) : Image(projector->domain());
  };
  const std::int64_t slices = sinogram.shape().nz;
  Image result(JosephProjector(geometry, slices_of(sinogram)).domain());
  Image start = result.zeros_like();
  std::optional<Image> spread;
  SliceProgress progress(slices);
  std::vector<SolverResult> runs;
  SolverSettings settings;
  for (std::int64_t z = 0; z < slices; ++z) {
    const auto slice_started = std::chrono::steady_clock::now();
    const DataFidelity data(projector, slice_of(sinogram, z, projector->range()),
                            weights ? std::optional<Image>(slice_of(*weights, z, projector->range())) : std::nullopt);
    const std::optional<Image> truth = reference ? std::optional<Image>(slice_of(*reference, z, projector->domain())) : std::nullopt;
    settings = solver_settings(flags, defaults, truth ? &*truth : nullptr);
    apply_prior_sigma_flag(flags, data, prior.get(), start_of, settings, kAttenuationPerHu, " HU");
    const Image first = start_of(data.measurement());
    SolverOutput out = fbp_only ? fbp_output(first, slice_started) : run_solver(o.solver.solver, data, prior.get(), first, settings);
    start.slice(z) = first.slice(0);
    result.slice(z) = out.result.image.slice(0);
    if (out.standard_deviation) {
      if (!spread) spread = result.zeros_like();
      spread->slice(z) = out.standard_deviation->slice(0);
    }
    runs.push_back(std::move(out.result));
    progress.slice_done();
  }
  if (!o.preview.empty()) {
    write_recon_preview(o, window, o.init == "fbp" ? start.clone() : fbp.reconstruct(sinogram), result, reference ? &*reference : nullptr);
  }
  if (units == ImageUnits::hounsfield) {  // quality figures in the units of the output, as `tweedie metrics` gives them
    for (Image* image : {&result, &start}) attenuation_to_hounsfield(*image);
    if (reference) attenuation_to_hounsfield(*reference);
  }
  print_solver_summary(o.solver, prior.get(), runs, settings, reference ? &*reference : nullptr, start, result, o.init,
                       reference ? value_range(*reference) : 0.0, kAttenuationPerHu, " HU");
  const bool proximal_data_step = o.solver.solver == "pnp-hqs" || o.solver.solver == "pnp-admm" || o.solver.solver == "red";
  if (proximal_data_step) {  // PGD and FISTA take gradient steps, no CG
    std::cout << "data step: " << settings.pnp.cg_iterations << " conjugate-gradient steps\n";
  }
  if (!o.solver.history.empty()) write_history(runs, o.solver.solver, o.solver.history);
  carry_slice_geometry(sinogram, result);
  if (spread && !o.solver.standard_deviation.empty()) {
    if (units == ImageUnits::hounsfield) spread->array() /= static_cast<float>(kAttenuationPerHu);
    carry_slice_geometry(sinogram, *spread);
    write_image(*spread, o.solver.standard_deviation);
  }
  write_image(result, o.output);
}

}  // namespace

Command add_recon_command(CLI::App& app) {
  auto o = std::make_shared<ReconOptions>();
  o->solver.prior = "ct";
  CLI::App* parser =
      app.add_subcommand("recon", "Reconstruct CT with a solver (or fbp) and a prior (default: PnP-HQS, ct model)");
  parser->add_option("--sinogram", o->sinogram, "Sinogram (detectors × views [× slices])")->required();
  add_ct_options(*parser, o->ct);
  parser->add_option("--weights", o->weights, "Statistical weights (from tweedie simulate --weights)");
  parser->add_option("--init", o->init, "Start: fbp or zero")->capture_default_str();
  parser->add_option("--filter", o->filter, "FBP filter of the start")->capture_default_str();
  add_solver_options(*parser, o->solver);
  parser->add_option("--output", o->output, "Reconstruction to write")->required();
  parser->add_option("--preview", o->preview, "PNG of the middle slice: FBP | result | reference | difference");
  parser->add_option("--window", o->window, "Display window of the preview, WIDTH,LEVEL in HU")->capture_default_str();
  return {parser, [o] { run_recon(*o); }, true};
}

}  // namespace tweedie::app
