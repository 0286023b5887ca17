// tweedie recon: CT reconstruction of a sinogram (or a stack of them) by pipelines/ct_reconstruction.h.
#include "apps/commands.h"
#include "apps/ct_options.h"
#include "apps/slice_progress.h"
#include "apps/solver_options.h"
#include "core/image_io.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/preview.h"
#include "solvers/solver_history.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct ReconOptions {
  CtOptions ct;
  std::string sinogram, weights, output, init = "fbp", filter = "hann", preview, window = "400,40";
  SolverFlags solver;
};

// FBP | result | reference | difference (to the reference, else to FBP), in HU.
void write_recon_preview(const ReconOptions& o, const DisplayWindow& window, const Image& fbp, const Image& result,
                         const Image* reference) {
  const std::string& method = o.solver.choice.solver;
  std::vector<std::pair<std::string, Image>> panels;
  panels.emplace_back("fbp", fbp.clone());
  panels.emplace_back(method, result.clone());
  if (reference) panels.emplace_back("reference", reference->clone());
  Image difference = panels[1].second.clone();
  difference.array() -= panels[reference ? 2 : 0].second.array();
  const std::string names =
      write_preview(panels, &difference, method + (reference ? " − reference" : " − fbp"), window, o.preview);
  std::cout << "preview: " << names << " → " << o.preview << '\n';
}

void run_recon(const ReconOptions& o) {
  const DisplayWindow window = parse_window(o.window, "--window");
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  CtReconstructionOptions options;
  options.solver = o.solver.resolved();
  options.units = parse_image_units(o.ct.units);
  options.filter = parse_fbp_filter(o.filter);
  options.start = parse_ct_start(o.init);
  options.validate();
  const Image sinogram = read_sinogram(o.sinogram, geometry);
  const std::optional<Image> weights = o.weights.empty() ? std::nullopt : std::optional<Image>(read_image(o.weights));
  std::optional<Image> reference;
  if (!o.solver.reference.empty()) {
    reference = read_image(o.solver.reference);
    require_finite(*reference, "the reference '" + o.solver.reference + "'");
  }
  SliceProgressLine progress(sinogram.shape().nz);
  options.progress = progress.callback();
  CtReconstruction r =
      reconstruct_ct(geometry, sinogram, weights ? &*weights : nullptr, reference ? &*reference : nullptr, options);

  const LevelUnits levels{kAttenuationPerHu, " HU"};
  for (const CtSliceReport& slice : r.slices) {
    if (slice.prior_level) std::cout << describe_prior_level_choice(*slice.prior_level, levels) << '\n';
  }
  std::cout << r.summary.full_report();
  if (!o.preview.empty()) {
    const auto in_hu = [&](Image image) {
      if (options.units == ImageUnits::attenuation) attenuation_to_hounsfield(image);
      return image;
    };
    const Image fbp = options.start == CtStart::fbp ? r.start.clone() : [&] {
      Image attenuation = FilteredBackprojection(geometry, options.filter).reconstruct(sinogram);
      if (options.units == ImageUnits::hounsfield) attenuation_to_hounsfield(attenuation);
      return attenuation;
    }();
    const std::optional<Image> reference_hu = reference ? std::optional<Image>(in_hu(reference->clone())) : std::nullopt;
    write_recon_preview(o, window, in_hu(fbp.clone()), in_hu(r.volume.clone()), reference_hu ? &*reference_hu : nullptr);
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
  parser->add_option("--weights", o->weights, "Statistical weights (from tweedie simulate --weights)");
  parser->add_option("--init", o->init, "Start: fbp or zero")->check(CLI::IsMember({"fbp", "zero"}))->capture_default_str();
  parser->add_option("--filter", o->filter, "FBP filter of the start")->capture_default_str();
  add_solver_options(*parser, o->solver, std::string(kFbpMethod) + ", " + solver_name_list());
  parser->add_option("--output", o->output, "Reconstruction to write")->required();
  parser->add_option("--preview", o->preview, "PNG of the middle slice: FBP | result | reference | difference");
  parser->add_option("--window", o->window, "Display window of the preview, WIDTH,LEVEL in HU")->capture_default_str();
  return {parser, [o] { run_recon(*o); }, true};
}

}  // namespace tweedie::app
