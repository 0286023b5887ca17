// CT images and sinograms as stacks of slices: reading them onto a geometry (checked, in
// attenuation), slicing, and projecting a volume slice by slice.
#pragma once

#include "core/error.h"
#include "core/image.h"
#include "operators/ct_geometry.h"
#include "operators/fbp.h"
#include "operators/hounsfield.h"

#include <cstdint>
#include <functional>
#include <string>

namespace tweedie {

/// HU ↔ mm⁻¹ for noise levels (a difference of HU is μ_water/1000 mm⁻¹).
inline constexpr double kAttenuationPerHu = kWaterAttenuationPerMm / 1000.0;

/// Called after each slice with (slices done, slices in all); returning false stops the work
/// before the next slice (the caller then gets OperationStopped).
using SliceProgress = std::function<bool(std::int64_t done, std::int64_t total)>;

/// Thrown when a SliceProgress asked to stop.
class OperationStopped : public Error {
 public:
  using Error::Error;
};

/// Reads an image or volume, checks it lies on the geometry's grid and has no NaN, and converts
/// it to attenuation (mm⁻¹) if it is in HU.
Image read_attenuation_image(const std::string& path, const CtGeometry& geometry, ImageUnits units);

/// Reads a sinogram (or stack) and checks its shape against the geometry and its values.
Image read_sinogram(const std::string& path, const CtGeometry& geometry);

/// 0 for a 2D image, else its slice count: the `slices` argument of JosephProjector.
std::int64_t slices_of(const Image& image);

/// Slice z of a stack (or the 2D image itself) on the 2D grid `grid`.
Image slice_of(const Image& stack, std::int64_t z, const ImageGeometry& grid);

/// Copies the slice spacing and position of `from` (a volume or sinogram stack) to `to`.
void carry_slice_geometry(const Image& from, Image& to);

/// Filtered back-projection of a sinogram (stack) in `units`, with the stack's slice spacing: what
/// `tweedie fbp`, recon's preview and the ITK FBP filter give.
Image fbp_volume(const CtGeometry& geometry, const Image& sinogram, FbpFilter filter, ImageUnits units);

/// The sinogram (stack) of an attenuation image or volume, with the volume's slice spacing.
Image project_volume(const CtGeometry& geometry, const Image& image, const SliceProgress& progress = {});

}  // namespace tweedie
