// tweedie metrics: MSE, PSNR and SSIM of an image against a reference, as JSON.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "core/image_io.h"
#include "core/metrics.h"
#include "pipelines/preview.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

namespace tweedie::app {
namespace {

struct MetricsOptions {
  std::string reference;
  std::string input;
  std::optional<double> data_range;
  std::string window;
};

void run_metrics(const MetricsOptions& options) {
  const Image reference = read_image(options.reference);
  const Image input = read_image(options.input);
  const double range = options.data_range.value_or(value_range(reference));
  const QualityReport report = compare(reference, input, range);
  nlohmann::ordered_json json;
  json["reference"] = options.reference;
  json["input"] = options.input;
  json["shape"] = reference.shape().to_string();
  json["data_range"] = report.data_range;
  json["mse"] = report.mse;
  json["psnr"] = report.psnr;  // null when the images are identical (infinite PSNR)
  json["ssim"] = report.ssim;
  if (!options.window.empty()) {
    const DisplayWindow window = parse_window(options.window, "--window");
    const QualityReport windowed = compare_in_window(reference, input, window);
    json["window"] = {{"width", window.width}, {"level", window.level}, {"psnr", windowed.psnr}, {"ssim", windowed.ssim}};
  }
  std::cout << json.dump(2) << '\n';
}

}  // namespace

Command add_metrics_command(CLI::App& app) {
  auto options = std::make_shared<MetricsOptions>();
  CLI::App* parser = app.add_subcommand(
      "metrics", "Compare an image with a reference: MSE, PSNR (dB) and SSIM, printed as JSON");
  parser->add_option("--reference", options->reference, "The reference (ground-truth) image")
      ->required();
  parser->add_option("--input", options->input, "The image to assess (same shape)")
      ->required();
  parser->add_option("--data-range", options->data_range,
                     "Value range for PSNR and SSIM (default: max - min of the reference)")
      ->check(positive());
  parser->add_option("--window", options->window,
                     "Also PSNR and SSIM of both clipped to a display window WIDTH,LEVEL, over its width (CT soft tissue: 400,40)");
  return {parser, [options] { run_metrics(*options); }};
}

}  // namespace tweedie::app
