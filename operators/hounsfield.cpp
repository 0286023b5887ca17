#include "operators/hounsfield.h"

#include "core/error.h"

namespace tweedie {

ImageUnits parse_image_units(const std::string& name) {
  if (name == "hu") return ImageUnits::hounsfield;
  if (name == "attenuation") return ImageUnits::attenuation;
  throw ParameterError("unknown image units '" + name + "' (choose hu or attenuation)");
}

void hounsfield_to_attenuation(Image& image) {
  image.array() = static_cast<float>(kWaterAttenuationPerMm) * (1.0f + image.array() / 1000.0f);
}

void attenuation_to_hounsfield(Image& image) {
  image.array() = 1000.0f * (image.array() / static_cast<float>(kWaterAttenuationPerMm) - 1.0f);
}

}  // namespace tweedie
