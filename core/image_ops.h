// Reductions over whole images, in double and in a fixed order (the same bits at any thread count).
#pragma once

#include "core/image.h"

namespace tweedie {

/// Σ a_i b_i over all voxels; the shapes must match.
double dot(const Image& a, const Image& b);

/// √(Σ a_i²).
double norm(const Image& a);

/// Fills `image` with independent standard normal values from (seed, stream).
void fill_normal(Image& image, std::uint64_t seed, std::uint32_t stream = 0);

}  // namespace tweedie
