// tweedie degrade: the measurement of a clean picture under a restoration forward model (blur,
// decimation, a random pixel mask) plus seeded Gaussian noise — the inputs of `tweedie restore`
// for studies, written in floating point so that nothing is rounded or clipped.
#include "apps/commands.h"
#include "apps/restoration_problem.h"
#include "core/error.h"
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/random.h"

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

// Random streams of the command, so that the mask never shifts the noise.
constexpr std::uint32_t kMaskStream = 7, kNoiseStream = 8;

Image random_mask(const ImageGeometry& grid, double missing, std::uint64_t seed) {
  if (!(missing >= 0.0 && missing < 1.0)) throw ParameterError("--missing must be in [0, 1), got " + std::to_string(missing));
  Image mask(grid);
  const CounterRng rng(seed, kMaskStream);
  for (std::int64_t k = 0; k < mask.size(); ++k) mask.data()[k] = rng.uniform(static_cast<std::uint64_t>(k)) < missing ? 0.0f : 1.0f;
  return mask;
}

void run_degrade(const DegradeOptions& o) {
  const Image clean = read_image(o.input);
  require_finite(clean, "the input image '" + o.input + "'");
  std::optional<Image> mask;
  if (o.problem.operator_name == "mask") {
    if (o.problem.mask.empty()) throw ParameterError("--operator mask needs --mask (read, or written when --missing is given)");
    mask = o.missing ? random_mask(clean.geometry(), *o.missing, o.seed) : read_image(o.problem.mask);
  } else if (o.missing) {
    throw ParameterError("--missing goes with --operator mask");
  }
  const auto op = restoration_operator(o.problem, clean.geometry(), mask ? &*mask : nullptr);
  Image measured = op->apply(clean);
  if (o.noise_sigma > 0) {
    Image noise(measured.geometry());
    fill_normal(noise, o.seed, kNoiseStream);
    measured.array() += static_cast<float>(o.noise_sigma) * noise.array();
  }
  if (mask && o.missing) write_image(*mask, o.problem.mask);
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
  parser->add_option("--missing", o->missing, "mask: draw a random mask missing this fraction of the pixels");
  parser->add_option("--noise-sigma", o->noise_sigma, "Gaussian noise σ (image units)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  parser->add_option("--seed", o->seed, "Seed of the mask and the noise")->capture_default_str();
  parser->add_option("--output", o->output, "Measured image to write (float formats keep it exact)")->required();
  return {parser, [o] { run_degrade(*o); }};
}

}  // namespace tweedie::app
