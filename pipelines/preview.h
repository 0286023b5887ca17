// A picture to look at: slices side by side in one 8-bit PNG, shown through a display window
// (width and level, e.g. 400,40 HU for soft tissue), with a difference panel around zero.
#pragma once

#include "core/image.h"
#include "core/metrics.h"

#include <string>
#include <utility>
#include <vector>

namespace tweedie {

/// The window from the `low` to the `high` quantile (in [0, 1]) of the image's values: a display
/// range taken from the data when their units say nothing (attenuation of an unknown material).
DisplayWindow percentile_window(const Image& image, double low, double high);

/// "W,L" (two numbers, W > 0); throws ParameterError naming `what` otherwise.
DisplayWindow parse_window(const std::string& text, const std::string& what);

/// Writes the middle slice of each panel (all of one shape), left to right with 4-pixel gaps, through
/// `window`, then `difference` (if not empty) with level 0 and half the window's width, each under a
/// caption: its name (say "pnp-hqs 36.36 dB 0.897"). Returns the captions in order, joined by " | ".
std::string write_preview(const std::vector<std::pair<std::string, Image>>& panels, const Image* difference,
                   const std::string& difference_name, const DisplayWindow& window, const std::string& path);

}  // namespace tweedie
