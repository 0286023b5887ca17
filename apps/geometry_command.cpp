// tweedie geometry: writes a CT geometry file from flags.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "operators/ct_geometry.h"
#include "pipelines/ct_volume.h"
#include "pipelines/rotation_axis.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct GeometryOptions {
  CtScanSpec spec;
  bool parallel = false, fan = false;
  std::string detector_shape = "arc", angles, axis_from, output;
};

// The detector offset that centres the rotation axis seen in a measured sinogram on this geometry.
void centre_rotation_axis(CtGeometry& g, const std::string& sinogram_path) {
  const RotationAxisEstimate axis = estimate_rotation_axis(g, read_sinogram(sinogram_path, g));
  g.detector_offset_mm = axis.detector_offset_mm;
  std::cout << "rotation axis at detector bin " << axis.axis_bin << " of 0…" << g.detectors - 1 << " ("
            << axis.view_pairs << " pairs of opposite views, within " << axis.largest_mismatch_deg
            << "° of 180°): detector offset " << g.detector_offset_mm << " mm\n";
}

void run_geometry(GeometryOptions options) {
  options.spec.beam = options.fan ? BeamShape::fan : BeamShape::parallel;
  options.spec.detector_shape = options.detector_shape == "flat" ? DetectorShape::flat : DetectorShape::arc;
  if (!options.angles.empty()) options.spec.angles_deg = read_angle_list(options.angles);
  CtGeometry g = make_geometry(options.spec);
  if (!options.axis_from.empty()) centre_rotation_axis(g, options.axis_from);
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
  auto* views =
      parser->add_option("--views", o->spec.views, "Number of views over the arc")->check(at_least(1))->capture_default_str();
  parser->add_option("--detectors", o->spec.detectors, "Detector bins (default: enough to cover the image)")
      ->check(at_least(1));
  parser->add_option("--detector-spacing", o->spec.detector_spacing_mm,
                     "Bin pitch in mm, arc length for an arc detector (default: one pixel, magnified)")
      ->check(positive());
  auto* offset = parser->add_option("--detector-offset", o->spec.detector_offset_mm,
                                    "Shift of the detector centre in mm (where the rotation axis is off centre)");
  parser->add_option("--axis-from", o->axis_from,
                     "Parallel beam: set the detector offset from the rotation axis seen in this measured sinogram")
      ->excludes(offset);
  parser->add_option("--image-size", o->spec.image_size, "Image width and height in pixels")
      ->check(at_least(1))->capture_default_str();
  parser->add_option("--pixel-spacing", o->spec.pixel_spacing_mm, "Pixel size in mm")
      ->check(positive())->capture_default_str();
  auto* arc = parser->add_option("--arc", o->spec.arc_deg, "Angular range in degrees (default 180 parallel, 360 fan)")
      ->check(between(0.0, 360.0));
  auto* first = parser->add_option("--first-angle", o->spec.first_angle_deg, "Angle of the first view in degrees")
                    ->capture_default_str();
  parser->add_option("--angles", o->angles, "View angles in degrees from a text file (one per line), instead of --views")
      ->excludes(views)->excludes(arc)->excludes(first);
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
