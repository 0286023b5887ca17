// DICOM series (a folder of single-slice CT files), read and written through ITK's GDCM IO.
// Internal to core/image_io.cpp; use read_image/write_image.
#pragma once

#include "core/image.h"

#include <filesystem>

namespace tweedie::detail {

/// Reads the one series in `folder`, sorted by slice position, in Hounsfield units.
Image read_dicom_series(const std::filesystem::path& folder);

/// Writes `volume` (values already checked to fit int16) as a new CT series (new study, series and instance UIDs) into `folder`, one
/// int16 HU file per axial slice, with slice positions and orientation from the image geometry.
void write_dicom_series(const Image& volume, const std::filesystem::path& folder);

}  // namespace tweedie::detail
