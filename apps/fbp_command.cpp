// tweedie fbp: filtered back-projection of a sinogram or a stack of them.
#include "apps/commands.h"
#include "apps/ct_options.h"
#include "core/image_io.h"
#include "pipelines/ct_volume.h"
#include "operators/fbp.h"

#include <chrono>
#include <iostream>

namespace tweedie::app {
namespace {

struct FbpOptions {
  CtOptions ct;
  std::string sinogram;
  std::string filter = "ram-lak";
  std::string output;
};

void run_fbp(const FbpOptions& o) {
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  const FbpFilter filter = parse_fbp_filter(o.filter);
  const Image sinogram = read_sinogram(o.sinogram, geometry);
  const auto start = std::chrono::steady_clock::now();
  const Image image = fbp_volume(geometry, sinogram, filter, parse_image_units(o.ct.units));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_image(image, o.output);
  std::cout << "wrote " << o.output << " (" << image.shape().to_string() << ", " << o.ct.units << ", "
            << o.filter << " filter, " << seconds << " s)\n";
}

}  // namespace

Command add_fbp_command(CLI::App& app) {
  auto o = std::make_shared<FbpOptions>();
  CLI::App* parser = app.add_subcommand("fbp", "Reconstruct by filtered back-projection");
  parser->add_option("--sinogram", o->sinogram, "Sinogram (detectors × views [× slices])")->required();
  add_ct_options(*parser, o->ct);
  parser->add_option("--filter", o->filter, "ram-lak, shepp-logan, cosine or hann")->capture_default_str();
  parser->add_option("--output", o->output, "Image to write")->required();
  return {parser, [o] { run_fbp(*o); }, true};
}

}  // namespace tweedie::app
