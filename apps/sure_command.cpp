// tweedie sure: the denoiser level with the least Stein risk for a noisy image, and the SURE curve.
#include "apps/commands.h"
#include "apps/noise_level.h"
#include "apps/option_checks.h"
#include "core/error.h"
#include "core/image_io.h"
#include "core/staged_output.h"
#include "pipelines/prior_spec.h"

#include <sstream>

namespace tweedie::app {
namespace {

struct SureCommandOptions {
  std::string input, model = "natural-gray", noise_sigma = "auto", curve;
  SureOptions sure;
};

void write_curve(const SigmaChoice& choice, const std::string& path) {
  std::ostringstream text;
  text << "sigma,sure\n";
  for (const auto& [sigma, sure] : choice.curve) text << sigma << ',' << sure << '\n';
  write_text_file(path, text.str());
}

void run_sure(const SureCommandOptions& o) {
  const Image noisy = read_image(o.input);
  require_finite(noisy, "the input image '" + o.input + "'");
  const std::unique_ptr<Denoiser> denoiser = make_prior(o.model);
  const SigmaChoice choice = choose_and_report_sigma(*denoiser, noisy, o.noise_sigma, o.sure);
  if (!o.curve.empty()) write_curve(choice, o.curve);
}

}  // namespace

Command add_sure_command(CLI::App& app) {
  auto o = std::make_shared<SureCommandOptions>();
  CLI::App* parser = app.add_subcommand("sure", "Choose a denoiser's σ for a noisy image by Stein's unbiased risk estimate");
  parser->add_option("--input", o->input, "Noisy image (0–255 scale, or HU)")->required();
  parser->add_option("--model", o->model, "Model file, bundled model name, tv, gaussian or bm3d")->capture_default_str();
  parser->add_option("--noise-sigma", o->noise_sigma, "Noise σ_n of the image, or auto (estimated)")->capture_default_str();
  parser->add_option("--probes", o->sure.probes, "Random probes for the divergence")->check(at_least(1))->capture_default_str();
  parser->add_option("--seed", o->sure.seed, "Seed of the probes")->capture_default_str();
  parser->add_option("--curve", o->curve, "Write every (σ, SURE) evaluated as CSV");
  return {parser, [o] { run_sure(*o); }};
}

}  // namespace tweedie::app
