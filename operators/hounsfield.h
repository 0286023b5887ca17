// Hounsfield units and linear attenuation: μ = μ_water · (1 + HU / 1000), the definition of the
// HU scale, with μ_water = 0.0193 mm⁻¹ (water at 70 keV, NIST XCOM: μ/ρ = 0.1929 cm²/g), a typical
// effective energy of a 120 kVp CT spectrum. Air (−1000 HU) is 0 mm⁻¹. The map is linear, so
// projecting HU images and reconstructing back to HU is exact up to the projector itself.
#pragma once

#include "core/image.h"

#include <string>

namespace tweedie {

inline constexpr double kWaterAttenuationPerMm = 0.0193;

enum class ImageUnits { hounsfield, attenuation };

/// "hu" or "attenuation"; throws ParameterError otherwise.
ImageUnits parse_image_units(const std::string& name);

/// In place: HU → mm⁻¹.
void hounsfield_to_attenuation(Image& image);
/// In place: mm⁻¹ → HU.
void attenuation_to_hounsfield(Image& image);

}  // namespace tweedie
