// tweedie geometry: writes a CT geometry file from flags.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "operators/ct_geometry.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct GeometryOptions {
  CtScanSpec spec;
  bool parallel = false, fan = false;
  std::string detector_shape = "arc", output;
};

void run_geometry(GeometryOptions options) {
  options.spec.beam = options.fan ? BeamShape::fan : BeamShape::parallel;
  options.spec.detector_shape = options.detector_shape == "flat" ? DetectorShape::flat : DetectorShape::arc;
  const CtGeometry g = make_geometry(options.spec);
  write_geometry(g, options.output);
  std::cout << "wrote " << options.output << " (" << (options.fan ? "fan" : "parallel") << " beam, "
            << g.views() << " views over " << g.arc_deg() << "°, " << g.detectors << " bins of "
            << g.detector_spacing_mm << " mm, image " << g.image_nx << "×" << g.image_ny << " of "
            << g.pixel_spacing_mm << " mm)\n";
}

}  // namespace

Command add_geometry_command(CLI::App& app) {
  auto o = std::make_shared<GeometryOptions>();
  CLI::App* parser = app.add_subcommand("geometry", "Write a CT geometry file (JSON) from flags");
  auto* parallel = parser->add_flag("--parallel", o->parallel, "Parallel beam (the default)");
  parser->add_flag("--fan", o->fan, "Fan beam")->excludes(parallel);
  parser->add_option("--views", o->spec.views, "Number of views over the arc")->check(at_least(1))->capture_default_str();
  parser->add_option("--detectors", o->spec.detectors, "Detector bins (default: enough to cover the image)")
      ->check(at_least(1));
  parser->add_option("--detector-spacing", o->spec.detector_spacing_mm,
                     "Bin pitch in mm, arc length for an arc detector (default: one pixel, magnified)")
      ->check(positive());
  parser->add_option("--image-size", o->spec.image_size, "Image width and height in pixels")
      ->check(at_least(1))->capture_default_str();
  parser->add_option("--pixel-spacing", o->spec.pixel_spacing_mm, "Pixel size in mm")
      ->check(positive())->capture_default_str();
  parser->add_option("--arc", o->spec.arc_deg, "Angular range in degrees (default 180 parallel, 360 fan)")
      ->check(between(0.0, 360.0));
  parser->add_option("--first-angle", o->spec.first_angle_deg, "Angle of the first view in degrees")->capture_default_str();
  parser->add_option("--sparse", o->spec.sparse, "Keep every k-th view (sparse-view CT)")
      ->check(at_least(1))->capture_default_str();
  parser->add_option("--source-distance", o->spec.source_distance_mm, "Fan beam: source to isocentre, mm")
      ->check(positive())->capture_default_str();
  parser->add_option("--detector-distance", o->spec.detector_distance_mm, "Fan beam: source to detector, mm")
      ->check(positive())->capture_default_str();
  parser->add_option("--detector-shape", o->detector_shape, "Fan beam: flat or arc (equiangular)")
      ->check(CLI::IsMember({"flat", "arc"}))->capture_default_str();
  parser->add_option("--output", o->output, "Geometry file to write (.json)")->required();
  return {parser, [o] { run_geometry(*o); }};
}

}  // namespace tweedie::app
