#include "apps/output_image.h"

#include "core/image_io.h"

namespace tweedie::app {

void write_result_image(Image image, const std::string& path) {
  if (format_of(path) == FileFormat::png) image.array() = image.array().round().cwiseMax(0.0f).cwiseMin(255.0f);
  write_image(image, path);
}

}  // namespace tweedie::app
