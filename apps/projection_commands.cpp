// tweedie project / backproject: the CT forward projector and its exact adjoint.
#include "apps/commands.h"
#include "apps/ct_options.h"
#include "apps/slice_progress.h"
#include "core/image_io.h"
#include "pipelines/ct_volume.h"
#include "operators/joseph_projector.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct ProjectOptions {
  CtOptions ct;
  std::string input;
  std::string output;
};

void run_project(const ProjectOptions& o) {
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  const Image image = read_attenuation_image(o.input, geometry, parse_image_units(o.ct.units));
  SliceProgressLine progress(slices_of(image));
  const Image sinogram = project_volume(geometry, image, progress.callback());
  write_image(sinogram, o.output);
  std::cout << "wrote " << o.output << " (" << sinogram.shape().to_string() << " line integrals)\n";
}

void run_backproject(const ProjectOptions& o) {
  const CtGeometry geometry = read_geometry(o.ct.geometry);
  const Image sinogram = read_sinogram(o.input, geometry);
  Image image = JosephProjector(geometry, slices_of(sinogram)).adjoint(sinogram);
  carry_slice_geometry(sinogram, image);
  write_image(image, o.output);
  std::cout << "wrote " << o.output << " (" << image.shape().to_string() << ", unfiltered adjoint)\n";
}

}  // namespace

Command add_project_command(CLI::App& app) {
  auto o = std::make_shared<ProjectOptions>();
  CLI::App* parser = app.add_subcommand(
      "project", "Project an image or volume into a sinogram (Joseph line integrals, mm·mm⁻¹)");
  parser->add_option("--input", o->input, "Image or volume on the geometry's grid")->required();
  add_ct_options(*parser, o->ct);
  parser->add_option("--output", o->output, "Sinogram to write (detectors × views [× slices])")->required();
  return {parser, [o] { run_project(*o); }};
}

Command add_backproject_command(CLI::App& app) {
  auto o = std::make_shared<ProjectOptions>();
  CLI::App* parser = app.add_subcommand(
      "backproject", "Apply the exact adjoint of `project` to a sinogram (no filtering, no units)");
  parser->add_option("--sinogram", o->input, "Sinogram (detectors × views [× slices])")->required();
  parser->add_option("--geometry", o->ct.geometry, "CT geometry file")->required();
  parser->add_option("--output", o->output, "Image to write")->required();
  return {parser, [o] { run_backproject(*o); }};
}

}  // namespace tweedie::app
