// tweedie recon: CT reconstruction of a sinogram (or a stack of them) by pipelines/ct_reconstruction.h.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "apps/ct_options.h"
#include "apps/distribution.h"
#include "apps/slice_progress.h"
#include "apps/solver_options.h"
#include "core/image_io.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/held_out_views.h"
#include "pipelines/ct_preview.h"
#include "solvers/solver_history.h"

#include <iomanip>
#include <iostream>

namespace tweedie::app {
namespace {

struct ReconOptions {
  CtOptions ct;
  std::string sinogram, weights, output, init = "fbp", filter = "hann", preview, window;
  SolverFlags solver;
  std::optional<double> reference_attenuation;
  bool check_views = false;
};

// "held-out views …": how well each half of the views, reconstructed, predicts the other half.
void report_held_out_views(const HeldOutViewCheck& check, const std::string& method) {
  std::cout << "held-out views (each half predicted from the other; RMS line-integral error): " << method << ' '
            << std::setprecision(4) << check.method_error << ", fbp " << check.fbp_error;
  if (check.noise_error) std::cout << ", the noise alone " << *check.noise_error;
  std::cout << '\n';
}

void run_recon(const ReconOptions& o) {
  // A window is refused before the work, not after.
  const std::optional<DisplayWindow> window =
      o.window.empty() ? std::nullopt : std::optional(parse_window(o.window, "--window"));
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  CtReconstructionOptions options;
  options.solver = o.solver.resolved();
  options.units = parse_image_units(o.ct.units);
  options.filter = parse_fbp_filter(o.filter);
  options.start = parse_ct_start(o.init);
  options.reference_attenuation = o.reference_attenuation;
  options.validate();
  const Image sinogram = read_sinogram(o.sinogram, geometry);
  const std::optional<Image> weights = o.weights.empty() ? std::nullopt : std::optional<Image>(read_image(o.weights));
  std::optional<Image> reference;
  if (!o.solver.reference.empty()) {
    reference = read_image(o.solver.reference);
    require_finite(*reference, "the reference '" + o.solver.reference + "'");
  }
  // Under mpirun the slices are spread over the ranks; rank 0 prints and writes.
  const std::unique_ptr<SliceDistribution> distribution = make_slice_distribution();
  options.distribution = distribution.get();
  const bool writer = !distribution || distribution->writes_outputs();
  SliceProgressLine progress(sinogram.shape().nz);
  if (writer && !distribution) {
    options.progress = progress.callback();
    options.iteration_progress = progress.iteration_callback();
  }
  CtReconstruction r =
      reconstruct_ct(geometry, sinogram, weights ? &*weights : nullptr, reference ? &*reference : nullptr, options);
  if (!writer) return;
  options.distribution = nullptr;

  const LevelUnits levels{kAttenuationPerHu, " HU"};
  for (const CtSliceReport& slice : r.slices) {
    if (slice.prior_level) std::cout << describe_prior_level_choice(*slice.prior_level, levels) << '\n';
  }
  std::cout << r.summary.full_report();
  if (o.check_views) {
    report_held_out_views(check_held_out_views(geometry, sinogram, weights ? &*weights : nullptr, options),
                          options.solver.solver);
  }
  if (!o.preview.empty()) {
    const Image fbp =
        options.start == CtStart::fbp ? r.start.clone() : fbp_volume(geometry, sinogram, options.filter, options.units);
    const std::string captions = write_ct_preview(r, fbp, reference ? &*reference : nullptr, options.units,
                                                  options.solver.solver, window, o.preview);
    std::cout << "preview: " << captions << " → " << o.preview << '\n';
  }
  if (!o.solver.history.empty()) {
    write_history(o.solver.history, {options.solver.solver, std::move(r.runs)});
  }
  if (r.spread && !o.solver.standard_deviation.empty()) write_image(*r.spread, o.solver.standard_deviation);
  write_image(r.volume, o.output);
}

}  // namespace

Command add_recon_command(CLI::App& app) {
  auto o = std::make_shared<ReconOptions>();
  o->solver.choice = CtReconstructionOptions::default_choice();
  CLI::App* parser =
      app.add_subcommand("recon", "Reconstruct CT with a solver (or fbp) and a prior (default: PnP-HQS, ct model)");
  parser->add_option("--sinogram", o->sinogram, "Sinogram (detectors × views [× slices])")->required();
  add_ct_options(*parser, o->ct);
  parser->add_option("--weights", o->weights, "Statistical weights (from tweedie simulate or normalize --weights; without them and --noise-sigma, estimated from the sinogram's noise)");
  parser->add_option("--reference-attenuation", o->reference_attenuation,
                     "--units attenuation: the attenuation (mm⁻¹) of a material the HU-trained prior should take "
                     "for water (default: water's, 0.0193)")
      ->check(positive());
  parser->add_option("--init", o->init, "Start: fbp or zero")->check(CLI::IsMember({"fbp", "zero"}))->capture_default_str();
  parser->add_option("--filter", o->filter, "FBP filter of the start")->capture_default_str();
  add_solver_options(*parser, o->solver, std::string(kFbpMethod) + ", " + solver_name_list());
  parser->add_option("--output", o->output, "Reconstruction to write")->required();
  parser->add_flag("--check-views", o->check_views,
                   "Also reconstruct each half of the views and report how well it predicts the other half, "
                   "against FBP (a check without reference, for measured data)");
  parser->add_option("--preview", o->preview, "PNG of the middle slice: FBP | result | reference | difference");
  parser->add_option("--window", o->window,
                     "Display window of the preview, WIDTH,LEVEL in the image's units (default: 400,40 in HU; "
                     "the FBP's 1st to 99th percentile in attenuation)");
  return {parser, [o] { run_recon(*o); }, true};
}

}  // namespace tweedie::app
