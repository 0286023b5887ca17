// tweedie train: trains a denoising network from a recipe, with checkpoints that survive a kill
// (SIGINT/SIGTERM write one and stop) and an exact --resume.
#include "apps/commands.h"
#include "core/error.h"
#include "priors/model_file.h"
#include "priors/training.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace tweedie::app {
namespace {

struct TrainOptions {
  std::string recipe, output, resume, checkpoint, backend = "winograd", loss;
};

std::atomic<bool> stop_requested{false};
extern "C" void request_stop(int) { stop_requested = true; }

std::string duration(double seconds) {
  const auto s = static_cast<long>(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%ldh%02ldm%02lds", s / 3600, s / 60 % 60, s % 60);
  return text;
}

void run_train(const TrainOptions& o) {
  const TrainingRecipe recipe = TrainingRecipe::read(o.recipe, o.loss);
  TrainingOptions options;
  options.checkpoint = o.checkpoint.empty() ? o.output + ".checkpoint" : o.checkpoint;
  options.backend = parse_conv_backend(o.backend);
  if (!o.resume.empty()) options.resume = read_checkpoint(o.resume);
  options.stop = &stop_requested;
  auto last_line = std::chrono::steady_clock::now() - std::chrono::hours(1);
  options.progress = [&](const TrainingProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_line < std::chrono::seconds(10) && !p.validation_psnr && p.step != p.steps) return;
    last_line = now;
    std::fprintf(stderr, "step %lld/%lld  loss %.3e  lr %.2e  %.0f patches/s  ETA %s", static_cast<long long>(p.step),
                 static_cast<long long>(p.steps), p.loss, p.learning_rate, p.patches_per_second,
                 duration(p.seconds_left).c_str());
    if (p.validation_psnr) std::fprintf(stderr, "  validation %.2f dB", *p.validation_psnr);
    std::fprintf(stderr, "\n");
  };
  options.data_loaded = [&](const ImageSet& training, const ImageSet& validation) {
    std::ostringstream scales;
    for (const double scale : recipe.scales) scales << (scales.tellp() > 0 ? ", " : "") << scale;
    std::cerr << "data: " << training.files << " files, " << training.images.size() << " images (scales "
              << scales.str() << "); " << std::setprecision(3) << static_cast<double>(training.positions_through.back()) * 1e-6
              << " M positions of " << recipe.patch << "² patches";
    if (recipe.detail_fraction > 0) std::cerr << " (" << 100 * recipe.detail_fraction << " % drawn by detail)";
    std::cerr << "; validation: " << validation.images.size() << " images\n";
  };
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::cerr << "training " << recipe.architecture.to_string() << " (" << recipe.architecture.parameter_count()
            << " parameters) for " << recipe.steps << " steps"
            << (options.resume ? " from step " + std::to_string(options.resume->step) : std::string()) << "\n";
  const TrainingResult result = train(recipe, options);
  if (!result.finished) {
    throw Error("stopped at step " + std::to_string(result.step) + "; the checkpoint " + options.checkpoint.string() +
                " holds it (continue with --resume " + options.checkpoint.string() + ")");
  }
  write_model(result.model, o.output);
  std::cout << "wrote " << o.output << " after " << result.step << " steps\n";
}

}  // namespace

Command add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* parser = app.add_subcommand("train", "Train a denoising network (a DAE prior) from a recipe");
  parser->add_option("--recipe", o->recipe, "Training recipe (JSON; see docs/training.md)")->required();
  parser->add_option("--output", o->output, "Model file to write (.tdm)")->required();
  parser->add_option("--resume", o->resume, "Checkpoint to continue from");
  parser->add_option("--loss", o->loss,
                     "mse (clean targets) or sure (noisy images only, σ = the recipe's Gaussian level); "
                     "replaces the recipe's \"loss\"");
  parser->add_option("--checkpoint", o->checkpoint, "Checkpoint file (default: OUTPUT.checkpoint)");
  parser
      ->add_option("--backend", o->backend,
                   "Convolution backend: winograd (F(4×4, 3×3) for 3×3 kernels, float32), amx-bf16 (AMX tiles "
                   "with bfloat16 operands for the hidden layers, on CPUs that have AMX) or reference (im2col + GEMM)")
      ->capture_default_str();
  return {parser, [o] { run_train(*o); }};
}

}  // namespace tweedie::app
