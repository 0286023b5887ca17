// Block matching: for a reference patch of a 2D slice, the patches most like it within a search
// window, as BM3D groups them (Dabov, Foi, Katkovnik & Egiazarian, IEEE TIP 2007).
#pragma once

#include <cstdint>
#include <vector>

namespace tweedie {

/// A 2D slice viewed in place: nx×ny floats, x fastest.
struct SliceView {
  const float* data = nullptr;
  int nx = 0;
  int ny = 0;
  float at(int x, int y) const { return data[x + static_cast<std::int64_t>(nx) * y]; }
};

/// Patch side in pixels, fixed so that the distance loops vectorise.
inline constexpr int kMatchPatch = 8;

struct BlockMatchingOptions {
  int search_radius = 16;  ///< candidates within ±radius pixels of the reference, along x and y
  int max_group = 16;      ///< most patches in a group; a power of two
  /// A candidate joins when its mean squared difference to the reference, ‖P − Q‖²/64, is
  /// below this (image units squared).
  double max_distance = 0.0;
};

struct PatchMatch {
  int x = 0;  ///< top-left corner
  int y = 0;
  float distance = 0.0f;
};

/// The group of the patch with top-left corner (x, y): the reference first, then the nearest
/// candidates by distance (ties by position), at most max_group of them and cut to the largest
/// power of two, so that a Walsh–Hadamard transform runs along the group.
std::vector<PatchMatch> match_patches(const SliceView& slice, int x, int y, const BlockMatchingOptions& options);

/// Reference corners along one axis of length n: 0, step, 2·step, … and always n − kMatchPatch, so that
/// every pixel is covered.
std::vector<int> reference_corners(int n, int step);

}  // namespace tweedie
