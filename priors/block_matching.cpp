#include "priors/block_matching.h"

#include <algorithm>
#include <bit>
#include <tuple>

namespace tweedie {
namespace {

// ‖P − Q‖² of the patches at (x, y) and (cx, cy). Each column is summed in its own lane, so the
// compiler vectorises the loop without reordering any one sum.
float squared_distance(const SliceView& slice, int x, int y, int cx, int cy) {
  float columns[kMatchPatch] = {};
  for (int dy = 0; dy < kMatchPatch; ++dy) {
    const float* a = slice.data + x + static_cast<std::int64_t>(slice.nx) * (y + dy);
    const float* b = slice.data + cx + static_cast<std::int64_t>(slice.nx) * (cy + dy);
    for (int dx = 0; dx < kMatchPatch; ++dx) columns[dx] += (a[dx] - b[dx]) * (a[dx] - b[dx]);
  }
  float sum = 0.0f;
  for (float column : columns) sum += column;
  return sum;
}

}  // namespace

std::vector<PatchMatch> match_patches(const SliceView& slice, int x, int y, const BlockMatchingOptions& options) {
  constexpr int k = kMatchPatch;
  const int x_low = std::max(0, x - options.search_radius), x_high = std::min(slice.nx - k, x + options.search_radius);
  const int y_low = std::max(0, y - options.search_radius), y_high = std::min(slice.ny - k, y + options.search_radius);
  const float scale = 1.0f / static_cast<float>(k * k);
  const auto threshold = static_cast<float>(options.max_distance);
  std::vector<PatchMatch> candidates;
  candidates.reserve(static_cast<std::size_t>((x_high - x_low + 1) * (y_high - y_low + 1)));
  for (int cy = y_low; cy <= y_high; ++cy) {
    for (int cx = x_low; cx <= x_high; ++cx) {
      const float distance = squared_distance(slice, x, y, cx, cy) * scale;
      if (distance < threshold || (cx == x && cy == y)) candidates.push_back({cx, cy, distance});
    }
  }
  const auto nearer = [x, y](const PatchMatch& a, const PatchMatch& b) {
    // The reference itself first even if another patch is identical to it.
    const bool a_ref = a.x == x && a.y == y, b_ref = b.x == x && b.y == y;
    return std::tie(b_ref, a.distance, a.y, a.x) < std::tie(a_ref, b.distance, b.y, b.x);
  };
  const auto kept = static_cast<std::size_t>(
      std::bit_floor(static_cast<unsigned>(std::min<std::size_t>(candidates.size(), options.max_group))));
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(kept), candidates.end(),
                    nearer);
  candidates.resize(kept);
  return candidates;
}

std::vector<int> reference_corners(int n, int step) {
  std::vector<int> corners;
  for (int c = 0; c <= n - kMatchPatch; c += step) corners.push_back(c);
  if (corners.empty() || corners.back() != n - kMatchPatch) corners.push_back(n - kMatchPatch);
  return corners;
}

}  // namespace tweedie
