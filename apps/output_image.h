// Writing a result image: as it is for float formats; rounded and clipped to 0–255 for PNG, as
// any viewer would show it.
#pragma once

#include "core/image.h"

#include <string>

namespace tweedie::app {

void write_result_image(Image image, const std::string& path);

}  // namespace tweedie::app
