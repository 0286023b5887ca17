// Reading and writing images and volumes, through ITK.
//
// The format follows the path: .png (8- or 16-bit grey), .tif/.tiff, .mha/.mhd (MetaImage),
// .nii/.nii.gz (NIfTI-1), .dcm (one DICOM file, read only), and a folder for a DICOM series
// (one file per axial slice). Values are read as float32 in their stored units: DICOM pixels go
// through RescaleSlope/Intercept, so CT comes out in Hounsfield units. Spacing, origin and
// direction are kept in every format that stores them.
//
// Writes go through StagedOutput: a failure never leaves a half-written file behind.
#pragma once

#include "core/image.h"

#include <filesystem>
#include <string>

namespace tweedie {

enum class FileFormat { png, tiff, metaimage, nifti, dicom_file, dicom_series };

/// The stored pixel type of a written file.
enum class StoredType {
  automatic,  ///< PNG: 8-bit if the values fit 0–255, else 16-bit; DICOM: int16; others: float32
  uint8,
  uint16,
  int16,
  float32,
};

struct WriteOptions {
  StoredType stored_type = StoredType::automatic;
};

/// The format `path` names; a path without a recognised extension names a DICOM series folder.
FileFormat format_of(const std::filesystem::path& path);
/// "PNG", "NIfTI", ... for messages.
std::string to_string(FileFormat format);
/// Parses "uint8", "uint16", "int16", "float32" or "auto"; throws ParameterError otherwise.
StoredType parse_stored_type(const std::string& name);

/// Reads a 2D image or a 3D volume. Throws IoError for a missing, unreadable or corrupt file, an
/// unsupported extension, or more than three dimensions.
Image read_image(const std::filesystem::path& path);

/// Writes `image` to `path` (see the format list above). Values outside the stored type's range
/// are refused with ParameterError, never clipped silently; integer types round to nearest.
void write_image(const Image& image, const std::filesystem::path& path,
                 const WriteOptions& options = {});

/// Stops ITK and GDCM from printing their own warnings on the console. Tweedie turns the conditions
/// they warn about into its own errors, so a program wants only those; a library user may not.
void silence_io_library_warnings();

}  // namespace tweedie
