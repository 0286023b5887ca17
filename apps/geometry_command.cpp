// tweedie geometry: writes a CT geometry file from flags.
#include "apps/commands.h"
#include "apps/option_checks.h"
#include "operators/ct_geometry.h"

#include <cmath>
#include <iostream>
#include <optional>

namespace tweedie::app {
namespace {

struct GeometryOptions {
  bool parallel = false;
  bool fan = false;
  std::int64_t views = 720;
  std::optional<std::int64_t> detectors;
  std::optional<double> detector_spacing_mm;
  std::int64_t image_size = 512;
  double pixel_spacing_mm = 1.0;
  std::optional<double> arc_deg;
  double first_angle_deg = 0.0;
  std::int64_t sparse = 1;
  double source_distance_mm = 595.0;
  double detector_distance_mm = 1085.6;
  std::string detector_shape = "arc";
  std::string output;
};

CtGeometry make_geometry(const GeometryOptions& o) {
  CtGeometry g;
  g.beam = o.fan ? BeamShape::fan : BeamShape::parallel;
  g.image_nx = g.image_ny = o.image_size;
  g.pixel_spacing_mm = o.pixel_spacing_mm;
  const double half_diagonal = std::sqrt(0.5) * static_cast<double>(o.image_size) * o.pixel_spacing_mm;
  if (o.fan) {
    g.source_to_isocentre_mm = o.source_distance_mm;
    g.source_to_detector_mm = o.detector_distance_mm;
    g.detector_shape = o.detector_shape == "flat" ? DetectorShape::flat : DetectorShape::arc;
  }
  // Defaults: a pixel's size, magnified onto the detector, per bin, and enough bins to see the
  // whole image (its circumscribed circle) from every angle.
  const double magnification = o.fan ? o.detector_distance_mm / o.source_distance_mm : 1.0;
  g.detector_spacing_mm = o.detector_spacing_mm.value_or(o.pixel_spacing_mm * magnification);
  double half_width = half_diagonal;  // detector coordinate of the outermost ray needed
  if (o.fan && o.source_distance_mm > half_diagonal) {
    const double fan_angle = std::asin(half_diagonal / o.source_distance_mm);
    half_width = g.detector_shape == DetectorShape::arc ? o.detector_distance_mm * fan_angle
                                                        : o.detector_distance_mm * std::tan(fan_angle);
  }
  g.detectors = o.detectors.value_or(2 * static_cast<std::int64_t>(std::ceil(half_width / g.detector_spacing_mm)) + 1);
  g.angles_deg = equally_spaced_angles(o.views, o.arc_deg.value_or(o.fan ? 360.0 : 180.0), o.first_angle_deg);
  return every_kth_view(g, o.sparse);
}

void run_geometry(const GeometryOptions& options) {
  const CtGeometry g = make_geometry(options);
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
  parser->add_option("--views", o->views, "Number of views over the arc")->check(at_least(1))->capture_default_str();
  parser->add_option("--detectors", o->detectors, "Detector bins (default: enough to cover the image)")
      ->check(at_least(1));
  parser->add_option("--detector-spacing", o->detector_spacing_mm,
                     "Bin pitch in mm, arc length for an arc detector (default: one pixel, magnified)")
      ->check(positive());
  parser->add_option("--image-size", o->image_size, "Image width and height in pixels")
      ->check(at_least(1))->capture_default_str();
  parser->add_option("--pixel-spacing", o->pixel_spacing_mm, "Pixel size in mm")
      ->check(positive())->capture_default_str();
  parser->add_option("--arc", o->arc_deg, "Angular range in degrees (default 180 parallel, 360 fan)")
      ->check(between(0.0, 360.0));
  parser->add_option("--first-angle", o->first_angle_deg, "Angle of the first view in degrees")->capture_default_str();
  parser->add_option("--sparse", o->sparse, "Keep every k-th view (sparse-view CT)")
      ->check(at_least(1))->capture_default_str();
  parser->add_option("--source-distance", o->source_distance_mm, "Fan beam: source to isocentre, mm")
      ->check(positive())->capture_default_str();
  parser->add_option("--detector-distance", o->detector_distance_mm, "Fan beam: source to detector, mm")
      ->check(positive())->capture_default_str();
  parser->add_option("--detector-shape", o->detector_shape, "Fan beam: flat or arc (equiangular)")
      ->check(CLI::IsMember({"flat", "arc"}))->capture_default_str();
  parser->add_option("--output", o->output, "Geometry file to write (.json)")->required();
  return {parser, [o] { run_geometry(*o); }};
}

}  // namespace tweedie::app
