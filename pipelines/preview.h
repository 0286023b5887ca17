// A picture to look at: slices side by side in one 8-bit PNG, shown through a display window
// (width and level, e.g. 400,40 HU for soft tissue), with a difference panel around zero.
#pragma once

#include "core/image.h"

#include <string>
#include <utility>
#include <vector>

namespace tweedie {

struct DisplayWindow {
  double width = 400.0, level = 40.0;
};

/// "W,L" (two numbers, W > 0); throws ParameterError naming `what` otherwise.
DisplayWindow parse_window(const std::string& text, const std::string& what);

/// Writes the middle slice of each panel (all of one shape), left to right with 4-pixel gaps, through
/// `window`, then `difference` (if not empty) with level 0 and half the window's width. Returns the
/// panels' names in order ("fbp | pnp-hqs | …").
std::string write_preview(const std::vector<std::pair<std::string, Image>>& panels, const Image* difference,
                   const std::string& difference_name, const DisplayWindow& window, const std::string& path);

}  // namespace tweedie
