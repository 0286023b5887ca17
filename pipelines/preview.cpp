#include "pipelines/preview.h"

#include "core/error.h"
#include "core/image_io.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace tweedie {
namespace {

constexpr std::int64_t kGap = 4;

// Pastes the middle slice of `image` at column `left` of `canvas`, mapped through the window.
void paste(const Image& image, std::int64_t left, double width, double level, Image& canvas) {
  const std::int64_t z = image.shape().nz / 2, nx = image.shape().nx, ny = image.shape().ny;
  const double low = level - 0.5 * width;
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) {
      const double gray = 255.0 * (image.at(i, j, z) - low) / width;
      canvas.at(left + i, j) = static_cast<float>(std::round(std::clamp(gray, 0.0, 255.0)));
    }
  }
}

}  // namespace

DisplayWindow parse_window(const std::string& text, const std::string& what) {
  std::istringstream in(text);
  DisplayWindow window;
  char comma = 0;
  if (!(in >> window.width >> comma >> window.level) || comma != ',' || !(in >> std::ws).eof() || !(window.width > 0)) {
    throw ParameterError(what + " must be WIDTH,LEVEL with WIDTH > 0 (e.g. 400,40), got '" + text + "'");
  }
  return window;
}

std::string write_preview(const std::vector<std::pair<std::string, Image>>& panels, const Image* difference,
                   const std::string& difference_name, const DisplayWindow& window, const std::string& path) {
  const Shape& shape = panels.front().second.shape();
  const auto count = static_cast<std::int64_t>(panels.size()) + (difference ? 1 : 0);
  Image canvas(Shape::image(count * shape.nx + (count - 1) * kGap, shape.ny));
  std::int64_t left = 0;
  std::string names;
  for (const auto& [name, image] : panels) {
    require_same_shape(shape, image.shape(), "the preview panel '" + name + "'");
    paste(image, left, window.width, window.level, canvas);
    left += shape.nx + kGap;
    names += (names.empty() ? "" : " | ") + name;
  }
  if (difference) {
    paste(*difference, left, 0.5 * window.width, 0.0, canvas);
    std::ostringstream range;
    range << " | " << difference_name << " (±" << 0.25 * window.width << ")";
    names += range.str();
  }
  write_image(canvas, path);
  return names;
}

}  // namespace tweedie
