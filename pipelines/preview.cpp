#include "pipelines/preview.h"

#include "core/error.h"
#include "core/image_io.h"
#include "pipelines/bitmap_font.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace tweedie {
namespace {

constexpr std::int64_t kGap = 4;

// Pastes the middle slice of `image` at column `left`, row `top` of `canvas`, through the window.
void paste(const Image& image, std::int64_t left, std::int64_t top, double width, double level, Image& canvas) {
  const std::int64_t z = image.shape().nz / 2, nx = image.shape().nx, ny = image.shape().ny;
  const double low = level - 0.5 * width;
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) {
      const double gray = 255.0 * (image.at(i, j, z) - low) / width;
      canvas.at(left + i, top + j) = static_cast<float>(std::round(std::clamp(gray, 0.0, 255.0)));
    }
  }
}

}  // namespace

DisplayWindow percentile_window(const Image& image, double low, double high) {
  std::vector<float> values(image.data(), image.data() + image.size());
  const auto at = [&](double q) {
    const auto k = static_cast<std::ptrdiff_t>(std::round(q * static_cast<double>(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return static_cast<double>(values[static_cast<std::size_t>(k)]);
  };
  const double bottom = at(low), top = at(high);
  const double width = top > bottom ? top - bottom : std::max(std::abs(top), 1e-6);
  return {.width = width, .level = 0.5 * (top + bottom)};
}

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
  // A caption strip above the panels, its text twice the font's size on panels wide enough.
  const int scale = shape.nx >= 256 ? 2 : 1;
  const std::int64_t margin = 2 * scale, strip = kGlyphHeight * scale + 2 * margin;
  Image canvas(Shape::image(count * shape.nx + (count - 1) * kGap, shape.ny + strip));
  std::int64_t left = 0;
  std::string names;
  const auto fitting = static_cast<std::size_t>(std::max<std::int64_t>(0, (shape.nx - margin) / (kGlyphAdvance * scale)));
  const auto caption = [&](const std::string& text) {  // cut to the panel's width
    draw_text(canvas, left + margin, margin, text.substr(0, std::min(text.size(), fitting)), scale, 255.0f);
    names += (names.empty() ? "" : " | ") + text;
  };
  for (const auto& [name, image] : panels) {
    require_same_shape(shape, image.shape(), "the preview panel '" + name + "'");
    paste(image, left, strip, window.width, window.level, canvas);
    caption(name);
    left += shape.nx + kGap;
  }
  if (difference) {
    paste(*difference, left, strip, 0.5 * window.width, 0.0, canvas);
    std::ostringstream range;
    range << difference_name << " (±" << 0.25 * window.width << ")";
    caption(range.str());
  }
  write_image(canvas, path);
  return names;
}

}  // namespace tweedie
