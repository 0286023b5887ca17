// Conversion of float voxels to a file's stored integer type: round to nearest, and refuse values
// the type cannot hold instead of clipping them. Internal to core's IO.
#pragma once

#include "core/error.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

namespace tweedie::detail {

/// Throws ParameterError unless every value in [lowest, highest] rounds into T's range.
template <class T>
void require_representable(float lowest, float highest, const std::string& type_name,
                           const std::string& destination) {
  if constexpr (std::numeric_limits<T>::is_integer) {
    const double low = std::nearbyint(lowest), high = std::nearbyint(highest);
    if (low < std::numeric_limits<T>::lowest() || high > std::numeric_limits<T>::max()) {
      throw ParameterError("values from " + std::to_string(lowest) + " to " +
                           std::to_string(highest) + " do not fit in " + type_name + " (" +
                           std::to_string(+std::numeric_limits<T>::lowest()) + " to " +
                           std::to_string(+std::numeric_limits<T>::max()) + ") for '" +
                           destination + "'; write a float format (.mha, .nii) instead");
    }
  }
}

/// Rounds to nearest (integers) or copies (float) every value; the range was checked before.
template <class T>
void convert_voxels(std::span<const float> source, T* target) {
  for (std::size_t i = 0; i < source.size(); ++i) {
    if constexpr (std::numeric_limits<T>::is_integer) {
      target[i] = static_cast<T>(std::nearbyint(source[i]));
    } else {
      target[i] = static_cast<T>(source[i]);
    }
  }
}

}  // namespace tweedie::detail
