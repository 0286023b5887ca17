// tweedie simulate: a (low-dose) sinogram of an image or volume.
#include "apps/commands.h"
#include "apps/ct_options.h"
#include "apps/option_checks.h"
#include "apps/slice_progress.h"
#include "core/error.h"
#include "core/image_io.h"
#include "pipelines/ct_volume.h"
#include "operators/low_dose.h"

#include <iostream>
#include <optional>

namespace tweedie::app {
namespace {

struct SimulateOptions {
  CtOptions ct;
  std::string input;
  std::optional<double> dose;
  double electronic_noise = 0.0;
  std::uint64_t seed = 0;
  std::string output;
  std::string weights;
};

void run_simulate(const SimulateOptions& o) {
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  const Image image = read_attenuation_image(o.input, geometry, parse_image_units(o.ct.units));
  SliceProgressLine progress(slices_of(image));
  const Image sinogram = project_volume(geometry, image, progress.callback());
  if (!o.dose) {
    if (!o.weights.empty()) throw ParameterError("--weights needs --dose (a noiseless scan has no weights)");
    write_image(sinogram, o.output);
    std::cout << "wrote " << o.output << " (noiseless, " << sinogram.shape().to_string() << ")\n";
    return;
  }
  const LowDoseSinogram scan = simulate_low_dose(
      sinogram, {.incident_photons = *o.dose, .electronic_noise_counts = o.electronic_noise, .seed = o.seed});
  write_image(scan.line_integrals, o.output);
  if (!o.weights.empty()) write_image(scan.weights, o.weights);
  std::cout << "wrote " << o.output << " (I0 = " << *o.dose << ", electronic noise " << o.electronic_noise
            << ", seed " << o.seed << ", " << sinogram.shape().to_string() << ")\n";
}

}  // namespace

Command add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* parser = app.add_subcommand(
      "simulate", "Simulate a CT scan: line integrals, with Poisson (+ electronic) noise when --dose is given");
  parser->add_option("--input", o->input, "Image or volume on the geometry's grid")->required();
  add_ct_options(*parser, o->ct);
  parser->add_option("--dose", o->dose, "Incident photons per bin and view (I0); none: noiseless")
      ->check(positive());
  parser->add_option("--electronic-noise", o->electronic_noise, "Electronic noise, standard deviation in counts")
      ->check(non_negative())->capture_default_str();
  parser->add_option("--seed", o->seed, "Seed of the noise (same seed, same sinogram)")->capture_default_str();
  parser->add_option("--output", o->output, "Sinogram to write")->required();
  parser->add_option("--weights", o->weights, "Also write the statistical weights here");
  return {parser, [o] { run_simulate(*o); }};
}

}  // namespace tweedie::app
