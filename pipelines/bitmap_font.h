// Text on images: a 5×7 pixel font (capitals, digits and the signs labels need) for the captions of
// previews and study panels, so that a picture says what each panel is without another tool.
#pragma once

#include "core/image.h"

#include <cstdint>
#include <string>

namespace tweedie {

/// Height and advance of one character at scale 1, in pixels.
inline constexpr std::int64_t kGlyphHeight = 7, kGlyphAdvance = 6;

/// Draws `text` (letters are shown as capitals; characters the font lacks as blanks; "±" and "−"
/// as their ASCII look-alikes) with its top-left corner at (x, y) of slice 0, each font pixel a
/// `scale`×`scale` block of `value`; what falls outside the image is cut off.
void draw_text(Image& image, std::int64_t x, std::int64_t y, const std::string& text, int scale, float value);

/// The width `text` takes at `scale`.
std::int64_t text_width(const std::string& text, int scale);

}  // namespace tweedie
