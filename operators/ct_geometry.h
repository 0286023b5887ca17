// 2D CT acquisition geometry, in millimetres and degrees: parallel or fan beam (flat or arc
// detector), the view angles, the detector, and the image grid it reconstructs onto.
//
// Conventions (drawing and worked example in docs/ct.md):
// - Image: x along columns (index i, left to right), y along rows (index j, top to bottom), the
//   isocentre at the centre of the grid: x_i = (i − (nx−1)/2)·Δx, y_j = (j − (ny−1)/2)·Δy.
//   With DICOM's LPS axes this is x → patient left, y → posterior.
// - A view at angle θ looks along d(θ) = (−sin θ, cos θ); the detector axis is u(θ) = (cos θ, sin θ).
//   At θ = 0 the rays run down the columns (+y) and detector coordinate u equals x. θ grows from
//   +x towards +y (clockwise on the screen, where y points down).
// - Parallel beam: the ray of detector coordinate u passes through u·u(θ).
// - Fan beam: the source sits at −D_so·d(θ), the detector centre at (D_sd − D_so)·d(θ). A flat
//   detector's bin at coordinate u lies at centre + u·u(θ); an arc detector's bin at arc length u
//   is at fan angle γ = u/D_sd from the central ray, towards +u(θ).
// - Detector bin m (0-based) has coordinate u_m = (m − (M−1)/2)·Δu + offset.
// - Sinograms are images with x = detector bin and y = view (and z = slice for volumes).
#pragma once

#include "core/image.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tweedie {

enum class BeamShape { parallel, fan };
enum class DetectorShape { flat, arc };

struct CtGeometry {
  BeamShape beam = BeamShape::parallel;
  // Image grid.
  std::int64_t image_nx = 512;
  std::int64_t image_ny = 512;
  double pixel_spacing_mm = 1.0;  ///< square pixels
  // Detector.
  std::int64_t detectors = 729;
  double detector_spacing_mm = 1.0;  ///< bin pitch; for an arc detector, arc length at D_sd
  double detector_offset_mm = 0.0;   ///< shift of the detector centre along u
  DetectorShape detector_shape = DetectorShape::flat;
  // Fan beam only.
  double source_to_isocentre_mm = 0.0;
  double source_to_detector_mm = 0.0;
  /// View angles in degrees (see the conventions above).
  std::vector<double> angles_deg;

  std::int64_t views() const { return static_cast<std::int64_t>(angles_deg.size()); }
  /// Shape of one slice's sinogram: detectors × views.
  Shape sinogram_shape() const { return Shape::image(detectors, views()); }
  /// Shape and spacing of the reconstructed slice.
  ImageGeometry image_geometry() const;
  /// Total angular coverage in degrees: (views) × step, for equally spaced views.
  double arc_deg() const;

  /// Throws ParameterError with the first inconsistency found.
  void validate() const;
};

/// One measured ray, in mm: a point on it and its unit direction of travel.
struct CtRay {
  double x, y;
  double dx, dy;
};

/// The rays of every (view, detector bin), view-major: ray (v, m) is element v·detectors + m.
std::vector<CtRay> ct_rays(const CtGeometry& geometry);

/// `views` equally spaced angles from `first_deg` covering `arc_deg` (the end excluded).
std::vector<double> equally_spaced_angles(std::int64_t views, double arc_deg, double first_deg = 0);

/// Every k-th view, starting with view `first` (sparse-view CT).
CtGeometry every_kth_view(const CtGeometry& geometry, std::int64_t k, std::int64_t first = 0);

/// A parallel-beam geometry whose detector covers the image diagonal at the pixel spacing.
CtGeometry parallel_geometry(std::int64_t n, double pixel_spacing_mm, std::int64_t views,
                             double arc_deg = 180.0);

/// A scanner as `tweedie geometry` describes it; the unset fields take the defaults noted.
struct CtScanSpec {
  BeamShape beam = BeamShape::parallel;
  std::int64_t views = 720;
  std::vector<double> angles_deg;             ///< when given: these views, instead of views, arc and first angle
  std::optional<std::int64_t> detectors;      ///< default: enough bins to see the whole image from every angle
  std::optional<double> detector_spacing_mm;  ///< default: one pixel, magnified onto the detector
  double detector_offset_mm = 0.0;            ///< shift of the detector centre along u
  std::int64_t image_size = 512;
  double pixel_spacing_mm = 1.0;
  std::optional<double> arc_deg;              ///< default: 180° parallel, 360° fan
  double first_angle_deg = 0.0;
  std::int64_t sparse = 1;                    ///< keep every k-th view
  double source_distance_mm = 595.0;          ///< fan beam: source to isocentre
  double detector_distance_mm = 1085.6;       ///< fan beam: source to detector
  DetectorShape detector_shape = DetectorShape::arc;
};

/// The geometry a spec describes; throws ParameterError for one that cannot be built.
CtGeometry make_geometry(const CtScanSpec& spec);

/// View angles in degrees from a text file (numbers separated by white space, as beamlines list
/// them one per line); throws IoError naming the file and the first entry that is not a number.
std::vector<double> read_angle_list(const std::filesystem::path& path);

/// Reads a geometry file (JSON, see docs/ct.md); throws IoError or ParameterError.
CtGeometry read_geometry(const std::filesystem::path& path);
/// Writes a geometry file through a staging folder.
void write_geometry(const CtGeometry& geometry, const std::filesystem::path& path);

/// Throws ShapeError naming both sizes and spacings unless `image` lies on the geometry's grid.
void require_matching_image(const CtGeometry& geometry, const Image& image);
/// Throws ShapeError unless `sinogram` has detectors × views (× slices) bins.
void require_matching_sinogram(const CtGeometry& geometry, const Image& sinogram);

}  // namespace tweedie
