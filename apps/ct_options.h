// Options and steps shared by the CT subcommands: the geometry file, the image units, and reading
// an image (2D slice or volume) onto a geometry's grid in attenuation units.
#pragma once

#include "apps/commands.h"
#include "core/image.h"
#include "operators/ct_geometry.h"
#include "operators/hounsfield.h"

#include <string>

namespace tweedie::app {

struct CtOptions {
  std::string geometry;
  std::string units = "hu";
};

/// Adds --geometry (required) and --units to a subcommand.
void add_ct_options(CLI::App& parser, CtOptions& options);

/// Reads an image or volume, checks it lies on the geometry's grid and has no NaN, and converts
/// it to attenuation (mm⁻¹) if it is in HU.
Image read_attenuation_image(const std::string& path, const CtGeometry& geometry, ImageUnits units);

/// Reads a sinogram (or stack) and checks its shape against the geometry and its values.
Image read_sinogram(const std::string& path, const CtGeometry& geometry);

/// 0 for a 2D image, else its slice count: the `slices` argument of JosephProjector.
std::int64_t slices_of(const Image& image);

/// Slice z of a stack (or the 2D image itself) on the 2D grid `grid`.
Image slice_of(const Image& stack, std::int64_t z, const ImageGeometry& grid);

/// The sinogram (stack) of an attenuation image or volume, with the volume's slice spacing;
/// projected slice by slice with a progress line per slice for a volume.
Image project_image(const CtGeometry& geometry, const Image& image);

/// Copies the slice spacing and position of `from` (a volume or sinogram stack) to `to`.
void carry_slice_geometry(const Image& from, Image& to);

}  // namespace tweedie::app
