// tweedie degrade: the measurement of a clean picture under a restoration forward model (blur,
// decimation, a random pixel mask) plus seeded Gaussian noise — the inputs of `tweedie restore`
// for studies, written in floating point so that nothing is rounded or clipped.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "apps/restoration_problem.h"
#include "core/error.h"
#include "core/image_io.h"
#include "operators/sampling.h"

#include <iostream>
#include <optional>

namespace tweedie::app {
namespace {

struct DegradeOptions {
  std::string input, output;
  RestorationFlags problem;
  std::optional<double> missing;
  double noise_sigma = 0.0;
  std::uint64_t seed = 0;
};

void run_degrade(const DegradeOptions& o) {
  const bool draws_mask = o.missing.has_value();
  if (draws_mask && o.problem.operator_name != "mask") throw ParameterError("--missing goes with --operator mask");
  if (o.problem.operator_name == "mask" && o.problem.mask.empty()) {
    throw ParameterError("--operator mask needs --mask (read, or written when --missing is given)");
  }
  RestorationProblem problem = restoration_problem(o.problem, !draws_mask);
  const Image clean = read_image(o.input);
  require_finite(clean, "the input image '" + o.input + "'");
  if (draws_mask) problem.mask = random_mask(clean.geometry(), 1.0 - *o.missing, o.seed);
  const Image measured = measure(problem, clean, o.noise_sigma, o.seed);
  if (draws_mask) write_image(*problem.mask, o.problem.mask);
  write_image(measured, o.output);
  std::cout << "wrote " << o.output << " (" << o.problem.operator_name << ", noise σ " << o.noise_sigma << ", seed "
            << o.seed << ", " << measured.shape().to_string() << ")\n";
}

}  // namespace

Command add_degrade_command(CLI::App& app) {
  auto o = std::make_shared<DegradeOptions>();
  CLI::App* parser = app.add_subcommand("degrade", "Blur, decimate or mask a clean image and add Gaussian noise");
  parser->add_option("--input", o->input, "Clean image (0–255 scale)")->required();
  add_restoration_options(*parser, o->problem);
  parser->add_option("--mask", o->problem.mask, "mask: image, nonzero where measured (written when --missing is given)");
  parser->add_option("--missing", o->missing, "mask: draw a random mask missing this fraction of the pixels")
      ->check(between(0.0, 1.0));
  parser->add_option("--noise-sigma", o->noise_sigma, "Gaussian noise σ (image units)")->check(non_negative())->capture_default_str();
  parser->add_option("--seed", o->seed, "Seed of the mask and the noise")->capture_default_str();
  parser->add_option("--output", o->output, "Measured image to write (float formats keep it exact)")->required();
  return {parser, [o] { run_degrade(*o); }};
}

}  // namespace tweedie::app
