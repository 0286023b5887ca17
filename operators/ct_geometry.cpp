#include "operators/ct_geometry.h"

#include "core/error.h"
#include "core/json_integer.h"
#include "core/resources.h"
#include "core/staged_output.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <numbers>
#include <sstream>

namespace tweedie {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFormat = "tweedie-ct-geometry";
constexpr int kVersion = 1;

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

bool equally_spaced(const std::vector<double>& angles) {
  if (angles.size() < 2) return false;
  const double step = angles[1] - angles[0];
  for (std::size_t k = 1; k < angles.size(); ++k) {
    if (std::abs(angles[k] - angles[0] - static_cast<double>(k) * step) > 1e-9) return false;
  }
  return true;
}

}  // namespace

ImageGeometry CtGeometry::image_geometry() const {
  ImageGeometry g{.shape = Shape::image(image_nx, image_ny),
                  .spacing = {pixel_spacing_mm, pixel_spacing_mm, 1.0}};
  // The isocentre is the centre of the grid.
  g.origin = {-0.5 * static_cast<double>(image_nx - 1) * pixel_spacing_mm,
              -0.5 * static_cast<double>(image_ny - 1) * pixel_spacing_mm, 0.0};
  return g;
}

double CtGeometry::arc_deg() const {
  if (angles_deg.size() < 2) return 0.0;
  const double step = (angles_deg.back() - angles_deg.front()) / static_cast<double>(views() - 1);
  return std::abs(step) * static_cast<double>(views());
}

void CtGeometry::validate() const {
  const auto refuse = [](const std::string& why) { throw ParameterError("CT geometry: " + why); };
  if (image_nx < 1 || image_ny < 1) refuse("image size must be positive");
  for (const double value : {pixel_spacing_mm, detector_spacing_mm, detector_offset_mm, source_to_isocentre_mm, source_to_detector_mm}) {
    if (!std::isfinite(value)) refuse("sizes and distances must be finite numbers, got " + number(value));
  }
  if (!(pixel_spacing_mm > 0)) refuse("pixel spacing must be positive, got " + number(pixel_spacing_mm));
  if (detectors < 1) refuse("the detector needs at least one bin");
  if (!(detector_spacing_mm > 0)) refuse("detector spacing must be positive, got " + number(detector_spacing_mm));
  if (angles_deg.empty()) refuse("there are no views");
  for (double a : angles_deg) {
    if (!std::isfinite(a)) refuse("a view angle is not a number");
  }
  if (beam == BeamShape::fan) {
    if (!(source_to_isocentre_mm > 0) || !(source_to_detector_mm > source_to_isocentre_mm)) {
      refuse("fan beam needs 0 < source-to-isocentre (" + number(source_to_isocentre_mm) +
             " mm) < source-to-detector (" + number(source_to_detector_mm) + " mm)");
    }
    const double half_diagonal = 0.5 * pixel_spacing_mm *
                                 std::hypot(static_cast<double>(image_nx), static_cast<double>(image_ny));
    if (half_diagonal >= source_to_isocentre_mm) {
      refuse("the source (" + number(source_to_isocentre_mm) +
             " mm from the isocentre) lies inside the image (half diagonal " + number(half_diagonal) + " mm)");
    }
  }
  // One slice's image and sinogram as floats, and the projector's ray table (4 doubles a ray).
  const double rays = static_cast<double>(views()) * static_cast<double>(detectors);
  require_memory(4.0 * static_cast<double>(image_nx) * static_cast<double>(image_ny) + (4.0 + 32.0) * rays,
                 "CT geometry: a slice of " + std::to_string(image_nx) + "×" + std::to_string(image_ny) + " pixels and " +
                     std::to_string(views()) + " views × " + std::to_string(detectors) + " bins");
}

std::vector<CtRay> ct_rays(const CtGeometry& g) {
  std::vector<CtRay> rays;
  rays.reserve(static_cast<std::size_t>(g.views() * g.detectors));
  for (double angle_deg : g.angles_deg) {
    const double theta = angle_deg * std::numbers::pi / 180.0;
    const double dx = -std::sin(theta), dy = std::cos(theta);  // view direction d
    const double ux = std::cos(theta), uy = std::sin(theta);   // detector axis u
    for (std::int64_t m = 0; m < g.detectors; ++m) {
      const double u = (static_cast<double>(m) - 0.5 * static_cast<double>(g.detectors - 1)) *
                           g.detector_spacing_mm + g.detector_offset_mm;
      if (g.beam == BeamShape::parallel) {
        rays.push_back({u * ux, u * uy, dx, dy});
        continue;
      }
      const double sx = -g.source_to_isocentre_mm * dx, sy = -g.source_to_isocentre_mm * dy;
      double ex, ey;
      if (g.detector_shape == DetectorShape::flat) {
        const double along = g.source_to_detector_mm - g.source_to_isocentre_mm;
        ex = along * dx + u * ux - sx, ey = along * dy + u * uy - sy;
      } else {
        const double gamma = u / g.source_to_detector_mm;
        ex = std::cos(gamma) * dx + std::sin(gamma) * ux;
        ey = std::cos(gamma) * dy + std::sin(gamma) * uy;
      }
      const double length = std::hypot(ex, ey);
      rays.push_back({sx, sy, ex / length, ey / length});
    }
  }
  return rays;
}

std::vector<double> equally_spaced_angles(std::int64_t views, double arc_deg, double first_deg) {
  if (views < 1) throw ParameterError("the number of views must be positive, got " + std::to_string(views));
  require_memory(8.0 * static_cast<double>(views), "a list of " + std::to_string(views) + " view angles");
  std::vector<double> angles(static_cast<std::size_t>(views));
  for (std::int64_t k = 0; k < views; ++k) {
    angles[static_cast<std::size_t>(k)] = first_deg + arc_deg * static_cast<double>(k) / static_cast<double>(views);
  }
  return angles;
}

CtGeometry every_kth_view(const CtGeometry& geometry, std::int64_t k, std::int64_t first) {
  if (k < 1) throw ParameterError("view subsampling factor must be positive, got " + std::to_string(k));
  if (first < 0) throw ParameterError("the first view kept must not be negative, got " + std::to_string(first));
  CtGeometry sparse = geometry;
  sparse.angles_deg.clear();
  for (auto v = static_cast<std::size_t>(first); v < geometry.angles_deg.size(); v += static_cast<std::size_t>(k)) {
    sparse.angles_deg.push_back(geometry.angles_deg[v]);
  }
  return sparse;
}

CtGeometry parallel_geometry(std::int64_t n, double pixel_spacing_mm, std::int64_t views, double arc_deg) {
  CtGeometry g;
  g.image_nx = g.image_ny = n;
  g.pixel_spacing_mm = pixel_spacing_mm;
  g.detector_spacing_mm = pixel_spacing_mm;
  g.detectors = static_cast<std::int64_t>(std::ceil(std::sqrt(2.0) * static_cast<double>(n))) | 1;
  g.angles_deg = equally_spaced_angles(views, arc_deg);
  return g;
}

CtGeometry make_geometry(const CtScanSpec& o) {
  CtGeometry g;
  const bool fan = o.beam == BeamShape::fan;
  g.beam = o.beam;
  g.image_nx = g.image_ny = o.image_size;
  g.pixel_spacing_mm = o.pixel_spacing_mm;
  const double half_diagonal = std::sqrt(0.5) * static_cast<double>(o.image_size) * o.pixel_spacing_mm;
  if (fan) {
    g.source_to_isocentre_mm = o.source_distance_mm;
    g.source_to_detector_mm = o.detector_distance_mm;
    g.detector_shape = o.detector_shape;
  }
  // Defaults: a pixel's size, magnified onto the detector, per bin, and enough bins to see the
  // whole image (its circumscribed circle) from every angle.
  const double magnification = fan ? o.detector_distance_mm / o.source_distance_mm : 1.0;
  g.detector_spacing_mm = o.detector_spacing_mm.value_or(o.pixel_spacing_mm * magnification);
  double half_width = half_diagonal;  // detector coordinate of the outermost ray needed
  if (fan && o.source_distance_mm > half_diagonal) {
    const double fan_angle = std::asin(half_diagonal / o.source_distance_mm);
    half_width = g.detector_shape == DetectorShape::arc ? o.detector_distance_mm * fan_angle
                                                        : o.detector_distance_mm * std::tan(fan_angle);
  }
  g.detectors = o.detectors.value_or(2 * static_cast<std::int64_t>(std::ceil(half_width / g.detector_spacing_mm)) + 1);
  g.detector_offset_mm = o.detector_offset_mm;
  g.angles_deg = o.angles_deg.empty()
                     ? equally_spaced_angles(o.views, o.arc_deg.value_or(fan ? 360.0 : 180.0), o.first_angle_deg)
                     : o.angles_deg;
  g = every_kth_view(g, o.sparse);
  g.validate();
  return g;
}

std::vector<double> read_angle_list(const fs::path& path) {
  std::ifstream file(path);
  if (!file) throw IoError("cannot read the angle list '" + path.string() + "'");
  std::vector<double> angles;
  std::string entry;
  while (file >> entry) {
    std::size_t used = 0;
    double angle = std::numeric_limits<double>::quiet_NaN();
    try {
      angle = std::stod(entry, &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (used != entry.size() || !std::isfinite(angle)) {
      throw IoError("angle list '" + path.string() + "': entry " + std::to_string(angles.size() + 1) + " ('" + entry +
                    "') is not an angle in degrees");
    }
    angles.push_back(angle);
  }
  if (angles.empty()) throw IoError("angle list '" + path.string() + "' holds no angles");
  return angles;
}

CtGeometry read_geometry(const fs::path& path) {
  std::ifstream file(path);
  if (!file) throw IoError("cannot read geometry file '" + path.string() + "'");
  const auto where = "geometry file '" + path.string() + "': ";
  try {
    const nlohmann::json json = nlohmann::json::parse(file);
    if (json.value("format", "") != kFormat) throw IoError(where + "not a " + kFormat + " file");
    if (const std::int64_t version = json_integer(json.at("version"), "version"); version > kVersion) {
      throw IoError(where + "version " + std::to_string(version) +
                    " is newer than this program reads (" + std::to_string(kVersion) + ")");
    }
    CtGeometry g;
    const std::string beam = json.at("beam");
    if (beam != "parallel" && beam != "fan") throw IoError(where + "beam must be parallel or fan, not " + beam);
    g.beam = beam == "fan" ? BeamShape::fan : BeamShape::parallel;
    const auto& image = json.at("image");
    g.image_nx = json_integer(image.at("nx"), "nx");
    g.image_ny = json_integer(image.at("ny"), "ny");
    g.pixel_spacing_mm = image.at("pixel_spacing_mm");
    const auto& detector = json.at("detector");
    g.detectors = json_integer(detector.at("count"), "count");
    g.detector_spacing_mm = detector.at("spacing_mm");
    g.detector_offset_mm = detector.value("offset_mm", 0.0);
    const std::string shape = detector.value("shape", "flat");
    if (shape != "flat" && shape != "arc") throw IoError(where + "detector shape must be flat or arc, not " + shape);
    g.detector_shape = shape == "arc" ? DetectorShape::arc : DetectorShape::flat;
    if (g.beam == BeamShape::fan) {
      g.source_to_isocentre_mm = json.at("source_to_isocentre_mm");
      g.source_to_detector_mm = json.at("source_to_detector_mm");
    }
    const auto& views = json.at("views");
    if (views.contains("angles_deg")) {
      g.angles_deg = views.at("angles_deg").get<std::vector<double>>();
    } else {
      g.angles_deg = equally_spaced_angles(json_integer(views.at("count"), "count"), views.at("arc_deg"),
                                           views.value("first_deg", 0.0));
    }
    g.validate();
    return g;
  } catch (const nlohmann::json::exception& error) {
    throw IoError(where + error.what());
  } catch (const ParameterError& error) {
    throw ParameterError(where + error.what());
  } catch (const ResourceError& error) {
    throw ResourceError(where + error.what());
  }
}

void write_geometry(const CtGeometry& g, const fs::path& path) {
  g.validate();
  nlohmann::ordered_json json;
  json["format"] = kFormat;
  json["version"] = kVersion;
  json["beam"] = g.beam == BeamShape::fan ? "fan" : "parallel";
  json["image"] = {{"nx", g.image_nx}, {"ny", g.image_ny}, {"pixel_spacing_mm", g.pixel_spacing_mm}};
  json["detector"] = {{"count", g.detectors},
                      {"spacing_mm", g.detector_spacing_mm},
                      {"offset_mm", g.detector_offset_mm},
                      {"shape", g.detector_shape == DetectorShape::arc ? "arc" : "flat"}};
  if (g.beam == BeamShape::fan) {
    json["source_to_isocentre_mm"] = g.source_to_isocentre_mm;
    json["source_to_detector_mm"] = g.source_to_detector_mm;
  }
  if (equally_spaced(g.angles_deg)) {
    json["views"] = {{"count", g.views()}, {"arc_deg", g.arc_deg()}, {"first_deg", g.angles_deg.front()}};
  } else {
    json["views"] = {{"angles_deg", g.angles_deg}};
  }
  write_text_file(path, json.dump(2) + "\n");
}

void require_matching_image(const CtGeometry& geometry, const Image& image) {
  const Shape& s = image.shape();
  const double spacing = image.geometry().spacing[0];
  if (s.nx != geometry.image_nx || s.ny != geometry.image_ny ||
      std::abs(spacing - geometry.pixel_spacing_mm) > 1e-6 * geometry.pixel_spacing_mm ||
      std::abs(image.geometry().spacing[1] - spacing) > 1e-6 * spacing) {
    throw ShapeError("the image has " + std::to_string(s.nx) + "×" + std::to_string(s.ny) +
                     " pixels of " + number(spacing) + "×" + number(image.geometry().spacing[1]) +
                     " mm, but the geometry expects " + std::to_string(geometry.image_nx) + "×" +
                     std::to_string(geometry.image_ny) + " pixels of " + number(geometry.pixel_spacing_mm) + " mm");
  }
}

void require_matching_sinogram(const CtGeometry& geometry, const Image& sinogram) {
  const Shape& s = sinogram.shape();
  if (s.nx != geometry.detectors || s.ny != geometry.views()) {
    throw ShapeError("the sinogram has " + std::to_string(s.nx) + " detector bins × " +
                     std::to_string(s.ny) + " views, but the geometry has " +
                     std::to_string(geometry.detectors) + " × " + std::to_string(geometry.views()));
  }
}

}  // namespace tweedie
