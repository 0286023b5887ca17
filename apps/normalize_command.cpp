// tweedie normalize: a detector's raw projections (with flat and dark frames), or a sinogram of
// intensities with air at its edges, to log sinograms and their statistical weights.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "core/error.h"
#include "core/image_io.h"
#include "pipelines/flat_field.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct NormalizeOptions {
  std::string projections, flats, darks, intensities, output, weights;
  std::int64_t air_bins = 16;
};

void run_normalize(const NormalizeOptions& o) {
  if (o.projections.empty() && o.intensities.empty()) {
    throw ParameterError("give --projections with --flats and --darks, or --intensities");
  }
  const NormalizedScan scan = o.projections.empty()
                                  ? normalize_by_air(read_image(o.intensities), o.air_bins)
                                  : normalize_projections(read_image(o.projections), read_image(o.flats), read_image(o.darks));
  if (!o.weights.empty()) write_image(scan.weights, o.weights);
  write_image(scan.sinogram, o.output);
  const Shape& s = scan.sinogram.shape();
  std::cout << "wrote " << o.output << " (" << s.nx << " detector columns × " << s.ny << " views × " << s.nz
            << " rows of line integrals)";
  if (!o.weights.empty()) std::cout << " and its weights " << o.weights;
  std::cout << '\n';
  if (scan.counts_per_photon) {
    std::cout << "detector gain from the noise: " << *scan.counts_per_photon << " counts per photon; ";
  } else {
    std::cout << "no noise to measure the detector's gain: the weights are the counts; ";
  }
  std::cout << scan.rays_without_signal << " rays without signal (weight 0)\n";
}

}  // namespace

Command add_normalize_command(CLI::App& app) {
  auto o = std::make_shared<NormalizeOptions>();
  CLI::App* parser = app.add_subcommand(
      "normalize", "Raw projections (flat and dark frames) or intensities to log sinograms and statistical weights");
  auto* projections = parser->add_option("--projections", o->projections,
                                         "Raw projections, detector columns × rows × views (as detectors store them)");
  auto* flats = parser->add_option("--flats", o->flats, "Flat (open-beam) frames, columns × rows [× frames]");
  auto* darks = parser->add_option("--darks", o->darks, "Dark frames, columns × rows [× frames]");
  projections->needs(flats)->needs(darks);
  flats->needs(projections);
  darks->needs(projections);
  auto* intensities = parser->add_option(
      "--intensities", o->intensities, "Instead: a sinogram of intensities (columns × views [× rows]) with air at its edges");
  intensities->excludes(projections);
  parser->add_option("--air-bins", o->air_bins, "With --intensities: outermost bins on each side that see the open beam")
      ->check(at_least(1))->capture_default_str();
  parser->add_option("--output", o->output, "Log sinogram to write: columns × views [× rows]")->required();
  parser->add_option("--weights", o->weights, "Statistical weights to write (for recon --weights)");
  return {parser, [o] { run_normalize(*o); }, true};
}

}  // namespace tweedie::app
