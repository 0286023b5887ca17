// tweedie convert: any supported image format to any other (e.g. a DICOM series to NIfTI).
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "core/image_io.h"

#include <iostream>
#include <optional>

namespace tweedie::app {
namespace {

struct ConvertOptions {
  std::string input;
  std::string output;
  std::string pixel_type = "auto";
  std::optional<std::int64_t> first_slice;
  std::optional<std::int64_t> slice_count;
};

void run_convert(const ConvertOptions& options) {
  Image image = read_image(options.input);
  if (options.first_slice || options.slice_count) {
    const std::int64_t first = options.first_slice.value_or(0);
    image = extract_slices(image, first, options.slice_count.value_or(image.shape().nz - first));
  }
  write_image(image, options.output, {.stored_type = parse_stored_type(options.pixel_type)});
  const auto& spacing = image.geometry().spacing;
  std::cout << "wrote " << options.output << " (" << to_string(format_of(options.output)) << ", "
            << image.shape().to_string() << " voxels of " << spacing[0] << "×" << spacing[1];
  if (image.shape().dimension == 3) std::cout << "×" << spacing[2];
  std::cout << " mm)\n";
}

}  // namespace

Command add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* parser = app.add_subcommand(
      "convert",
      "Convert between image formats: .png .tif .mha .mhd .nii .nii.gz .dcm (read), or a folder "
      "for a DICOM series");
  parser->add_option("--input", options->input, "Image file, or a folder holding a DICOM series")
      ->required();
  parser->add_option("--output", options->output,
                     "Output file; a path without extension writes a DICOM series folder")
      ->required();
  parser->add_option("--pixel-type", options->pixel_type,
                     "Stored pixel type: auto, uint8, uint16, int16, float32")
      ->capture_default_str();
  parser->add_option("--first-slice", options->first_slice,
                     "Keep slices from this one on (0-based; volumes only)")
      ->check(non_negative());
  parser->add_option("--slice-count", options->slice_count, "Keep this many slices")
      ->check(at_least(1));
  return {parser, [options] { run_convert(*options); }};
}

}  // namespace tweedie::app
