// tweedie denoise: one image or volume through a denoiser (a model or a classical baseline).
#include "apps/commands.h"
#include "apps/noise_level.h"
#include "apps/output_image.h"
#include "core/error.h"
#include "core/image_io.h"
#include "pipelines/prior_spec.h"
#include "priors/sure_blend.h"

#include <chrono>
#include <iostream>

namespace tweedie::app {
namespace {

struct DenoiseOptions {
  std::string input, output, model, prior, sigma, noise_sigma = "auto";
  bool ensemble = false;
};

void run_denoise(const DenoiseOptions& o) {
  if (o.model.empty() == o.prior.empty()) throw ParameterError("give either --model or --prior");
  const Image input = read_image(o.input);
  require_finite(input, "the input image '" + o.input + "'");
  const std::string& prior = o.model.empty() ? o.prior : o.model;
  std::unique_ptr<Denoiser> denoiser = make_prior(prior, {.use = PriorUse::denoising, .ensemble = o.ensemble});
  const auto start = std::chrono::steady_clock::now();
  double sigma = 0.0;
  if (o.sigma == "sure") {
    sigma = choose_and_report_sigma(*denoiser, input, o.noise_sigma).sigma;
  } else {
    sigma = positive_number(o.sigma, "--sigma", "sure");
  }
  Image output = denoiser->denoise(input, sigma);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string shape = output.shape().to_string();
  write_result_image(std::move(output), o.output);
  std::cout << "wrote " << o.output << " (" << shape << ", " << denoiser->name() << ", σ " << sigma << ", "
            << seconds << " s)\n";
  if (const auto* blend = dynamic_cast<const SureBlendDenoiser*>(denoiser.get())) {
    const std::vector<std::string> names = prior_members(prior);
    std::cout << "SURE weights:";
    for (std::size_t k = 0; k < names.size(); ++k) std::cout << (k ? ", " : " ") << names[k] << " " << blend->last_weights()[k];
    std::cout << "\n";
  }
}

}  // namespace

Command add_denoise_command(CLI::App& app) {
  auto o = std::make_shared<DenoiseOptions>();
  CLI::App* parser = app.add_subcommand("denoise", "Remove Gaussian noise of a known level from an image");
  parser->add_option("--input", o->input, "Noisy image or volume")->required();
  parser->add_option("--model", o->model, "Model file, or the name of a bundled model (natural-gray, ct); as --prior");
  parser->add_option("--prior", o->prior, "tv, gaussian or bm3d (classical baselines), a model as --model, or several comma-separated for their SURE-weighted blend (natural-gray,bm3d)");
  parser->add_option("--sigma", o->sigma,
                    "Noise σ the denoiser removes (0–255 scale for 8-bit images, HU for CT), or sure: chosen by SURE")
      ->required();
  parser->add_option("--noise-sigma", o->noise_sigma, "With --sigma sure: the image's noise σ_n, or auto (estimated)")
      ->capture_default_str();
  parser->add_flag("--ensemble", o->ensemble, "Average over the 8 flips and rotations (8× the time, a little better)");
  parser->add_option("--output", o->output, "Denoised image (format from the extension)")->required();
  return {parser, [o] { run_denoise(*o); }, true};
}

}  // namespace tweedie::app
